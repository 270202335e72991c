"""The 区级汇总 window over many reports: the filter box, SQL order, incremental fetch, the
chart's distribution and per-unit modes, the paper check, merging, two years, and a
database holding values no formatter expected (it opens, and shows them as 数值异常)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from nanzhou_desktop.district.db import Filter, Outcome, Review, open_district_db
from nanzhou_desktop.district.summary import COLUMNS
from nanzhou_desktop.district.testdata import write_units
from nanzhou_desktop.gui import district_model
from nanzhou_desktop.gui.district_window import DistrictWindow

COL = {c.key: i for i, c in enumerate(COLUMNS)}
UNITS = 80


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    """A database of 80 units (every third of 海珠区's and 越秀区's) for 2022 and 2023."""
    root = tmp_path_factory.mktemp("scale")
    db = open_district_db(root / "汇总.sqlite")
    for year in (2022, 2023):
        results = db.load_files(write_units(root / str(year), UNITS, year, seed=21, step=3))
        assert all(r.outcome == Outcome.LOADED for r in results)
    db.close()
    return root / "汇总.sqlite"


@pytest.fixture
def window(qtbot, tmp_path: Path, two_years: Path):
    import shutil

    from nanzhou_desktop.gui.app import make_app

    make_app()
    path = tmp_path / "汇总.sqlite"
    shutil.copy(two_years, path)
    w = DistrictWindow(open_district_db(path))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _texts(w: DistrictWindow, key: str) -> list[str]:
    return [w.model.index(r, COL[key]).data() for r in range(w.model.rowCount())]


def test_filter_box_narrows_in_sql(window: DistrictWindow) -> None:
    f = window.form
    assert window.model.total == 2 * UNITS and f"共 {2 * UNITS} 份报告" in window.summary_label.text()
    f.filter_year.setCurrentIndex(f.filter_year.findData(2023))
    assert window.model.total == UNITS and set(_texts(window, "year")) == {"2023"}
    assert f"筛选后 {UNITS} 份" in window.summary_label.text()
    f.filter_district.setCurrentIndex(f.filter_district.findData("越秀区"))
    assert set(_texts(window, "district")) == {"越秀区"}
    f.filter_text.setText("小学")
    assert window.model.total and all("小学" in t for t in _texts(window, "unit"))
    f.filter_text.clear()
    f.filter_kind.setCurrentIndex(f.filter_kind.findData("部门"))
    assert set(_texts(window, "kind")) == {"部门"}
    f.filter_grade.setCurrentIndex(f.filter_grade.findData("良"))
    assert window.model.total and set(_texts(window, "grade")) <= {"良", "良（草稿）"}
    f.filter_grade.setCurrentIndex(0)
    f.filter_status.setCurrentIndex(f.filter_status.findText("草稿"))
    assert window.model.total and set(_texts(window, "status")) == {"草稿"}
    f.filter_errors.setChecked(True)
    assert window.model.total and all(int(t) > 0 for t in _texts(window, "errors"))
    assert window.model.total == window.db.count(window.model.filter)
    f.filter_clear.click()
    assert window.model.total == 2 * UNITS and window.model.filter == Filter()


def test_sort_in_sql_keeps_widths_and_numbers_the_rows(window: DistrictWindow) -> None:
    header = window.table.horizontalHeader()
    widths = [header.sectionSize(i) for i in range(len(COLUMNS))]
    window.table.sortByColumn(COL["score"], Qt.SortOrder.DescendingOrder)
    scores = [r.score for r in window.model.rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert [header.sectionSize(i) for i in range(len(COLUMNS))] == widths  # measured once, not per sort
    assert window.model.headerData(0, Qt.Orientation.Vertical) == "1"
    window.table.sortByColumn(COL["unit"], Qt.SortOrder.AscendingOrder)
    names = [r.unit for r in window.model.rows]
    assert names == sorted(names)


def test_rows_are_handed_to_the_view_as_it_scrolls(window: DistrictWindow, monkeypatch) -> None:
    monkeypatch.setattr(district_model, "FETCH_ROWS", 40)
    window.model.reload()
    assert window.model.rowCount() == 40 and window.model.canFetchMore(QModelIndex())
    window.table.scrollToBottom()
    window.table.scrollToBottom()
    assert window.model.rowCount() > 40
    while window.model.canFetchMore(QModelIndex()):
        window.model.fetchMore(QModelIndex())
    assert window.model.rowCount() == 2 * UNITS
    # Selecting a unit far down hands the view the rows up to it.
    window.model.reload()
    last = window.model.row_at(2 * UNITS - 1)
    assert window.select_unit(last.uuid) and window.selected_row().uuid == last.uuid


def test_chart_distribution_and_a_selection_of_units(window: DistrictWindow) -> None:
    data = window.chart.data
    assert data.distribution and data.year == 2023 and data.other_years == 1
    assert sum(data.rate_bands) == UNITS and sum(data.grades.values()) == UNITS and data.lowest
    assert [r.execution_rate for r in data.lowest] == sorted(r.execution_rate for r in data.lowest)
    window.table.selectRow(2)
    from PySide6.QtCore import QItemSelectionModel

    sel = window.table.selectionModel()
    for r in (5, 9):
        sel.select(window.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    assert window.chart.data.selection and len(window.chart.rows) == 3
    assert window.selected_row() is None  # several selected: the one-unit actions wait
    assert not window.approve_button.isEnabled()
    window.table.selectRow(4)
    assert not window.chart.data.selection and window.chart.data.distribution
    assert window.approve_button.isEnabled()
    # A filter down to a handful of units: a bar per unit.
    window.form.filter_text.setText("街道")
    window.form.filter_district.setCurrentIndex(window.form.filter_district.findData("海珠区"))
    window.form.filter_year.setCurrentIndex(window.form.filter_year.findData(2022))
    assert 2 <= len(window.chart.rows) <= 30 and {r.year for r in window.chart.rows} == {2022}


def test_two_years_of_a_unit_and_the_year_comparison(window: DistrictWindow, qtbot, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    window.table.selectRow(0)
    row = window.selected_row()
    dlg = window.report_dialog(row)
    qtbot.addWidget(dlg)
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    years = dlg.tabs.widget(titles.index("历年情况")).toPlainText()
    assert "2022" in years and "2023" in years
    out = window.export_summary(tmp_path / "对比.xlsx", compare=(2022, 2023))
    wb = load_workbook(out)
    assert "2022与2023年度对比" in wb.sheetnames and "海珠区" in " ".join(wb.sheetnames)
    sheet = wb["2022与2023年度对比"]
    assert sheet.max_row == UNITS + 1 and sheet.cell(1, 4).value == "2022 执行率"


def test_paper_check_from_the_window(window: DistrictWindow) -> None:
    from nanzhou_desktop.render.stamp import qr_payload

    final = next(r for r in window.model.rows if r.status == "已定稿")
    agreed, message = window.confirm_paper(qr_payload(window.db.report(final.uuid)))
    assert agreed and "已记为已与纸面核对" in message
    assert window.selected_row().uuid == final.uuid
    position = window.model.position_of(window.selected_row().id)
    assert window.model.index(position, COL["paper"]).data().startswith("已核对")
    agreed, message = window.confirm_paper("NZPJ1;单位=某;年度=2022;修订=1;指纹=" + "0" * 64)
    assert not agreed and "没有纸面所列的报告" in message


def test_merging_another_database_from_the_window(window: DistrictWindow, qtbot, tmp_path: Path) -> None:
    other = open_district_db(tmp_path / "另一区.sqlite")
    other.load_files(write_units(tmp_path / "more", 10, 2024, seed=21, step=3))  # ten of the units, 2024
    other.close()
    with qtbot.waitSignal(window.loading_finished, timeout=60_000):
        assert window.merge_file(tmp_path / "另一区.sqlite") == ""
    assert window.model.total == 2 * UNITS + 10 and 2024 in window.db.years()
    assert "已装入 10" in window.results.item(window.results.count() - 1).text()
    assert "不能把汇总库合并到它自己" in window.merge_file(window.db.path)


def test_review_keeps_the_place_in_a_long_table(window: DistrictWindow) -> None:
    window.table.sortByColumn(COL["rate"], Qt.SortOrder.AscendingOrder)
    target = next(window.model.row_at(p) for p in range(2 * UNITS - 1, 0, -1)
                  if window.model.row_at(p).status != "草稿")  # far down, and final (a draft is not approved)
    assert window.select_unit(target.uuid)
    assert window.review_selected(Review.APPROVED) == ""
    assert window.selected_row().uuid == target.uuid


def test_a_database_holding_absurd_values_opens(qtbot, tmp_path: Path, two_years: Path) -> None:
    """F1: a rate of 10²⁸ % stored before the bounds existed: the window opens, the table shows
    数值异常, the chart draws, the exports are written."""
    import shutil

    path = tmp_path / "坏值.sqlite"
    shutil.copy(two_years, path)
    db = open_district_db(path)
    db.conn.execute("UPDATE reports SET execution_rate = '9999999999999999990000000000', rate_num = 1e28,"
                    " budget_total = '0.0000000001', executed = '9999999999999999.99', score = 'oops'"
                    " WHERE id IN (1, 2, 3)")
    w = DistrictWindow(db)
    qtbot.addWidget(w)
    w.show()
    w.table.sortByColumn(COL["rate"], Qt.SortOrder.DescendingOrder)
    assert w.model.index(0, COL["rate"]).data() == "数值异常"
    w.grab()
    w.form.filter_text.setText(w.model.row_at(0).unit)
    w.grab()
    assert w.export_summary(tmp_path / "s.xlsx") is not None
    assert w.export_summary(tmp_path / "s.csv") is not None


@pytest.mark.parametrize("size", [(1024, 614), (1366, 768)])
def test_window_fits_small_screens(window: DistrictWindow, tmp_path: Path, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.table.selectRow(1)
    assert window.width() <= size[0] and window.height() <= size[1]
    f = window.form
    for widget in (f.filter_clear, f.export_csv_button, f.paper_button):
        corner = widget.mapTo(window, widget.rect().bottomRight())
        assert corner.x() <= window.width() and corner.y() <= window.height()
    img = window.grab()
    img.save(str(tmp_path / f"district_{size[0]}.png"))
    assert img.width() == size[0]
