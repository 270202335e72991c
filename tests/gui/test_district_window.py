"""The 区级汇总 window as a user drives it: load the 18 streets, sort, return one unit."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from nanzhou_desktop.district.db import Outcome, Review, open_district_db
from nanzhou_desktop.district.summary import COLUMNS
from nanzhou_desktop.district.testdata import write_street_files
from nanzhou_desktop.gui.district_window import DistrictWindow

COL = {c.key: i for i, c in enumerate(COLUMNS)}


@pytest.fixture
def window(qtbot, tmp_path: Path):
    from nanzhou_desktop.gui.app import make_app

    make_app()
    db = open_district_db(tmp_path / "区级汇总.sqlite")
    w = DistrictWindow(db)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def street_files(tmp_path: Path) -> list[Path]:
    return write_street_files(tmp_path / "收件箱", seed=2022)


def _load(qtbot, w: DistrictWindow, items) -> None:
    with qtbot.waitSignal(w.loading_finished, timeout=60_000):
        w.add_paths(items)


def test_load_sort_review_flow(qtbot, window: DistrictWindow, street_files: list[Path], tmp_path: Path) -> None:
    folder = street_files[0].parent
    bad = folder / "坏文件.sqlite"
    bad.write_bytes(b"\x00" * 4096)
    _load(qtbot, window, [folder])

    assert window.model.rowCount() == 18
    texts = [window.results.item(i).text() for i in range(window.results.count())]
    assert sum(t.startswith("【已装入】") for t in texts) == 18
    assert any(t.startswith("【拒收】") and "坏文件.sqlite" in t for t in texts)
    assert "共 18 份报告" in window.summary_label.text()
    assert not window.progress.isVisible()

    # Sort by 执行率, descending: the rows follow the recomputed rates.
    window.table.sortByColumn(COL["rate"], Qt.SortOrder.DescendingOrder)
    rates = [window.model.row_at(r).execution_rate for r in range(window.model.rowCount())]
    assert rates == sorted(rates, reverse=True) and rates[0] > rates[-1]
    shown = window.model.index(0, COL["rate"]).data()
    assert shown.endswith("%")
    window.table.sortByColumn(COL["unit"], Qt.SortOrder.AscendingOrder)
    names = [window.model.index(r, COL["unit"]).data() for r in range(window.model.rowCount())]
    assert names == sorted(names)

    # Select 琶洲 and return it for correction with a note.
    paz = next(r for r in window.model.rows if r.short_name == "琶洲街道")
    assert window.select_unit(paz.uuid)
    assert window.return_button.isEnabled()
    assert "写明" in window.review_selected(Review.RETURNED, "")  # a note is required
    assert window.review_selected(Review.RETURNED, "项目执行率低于 90%，请补充偏差原因") == ""
    row = next(r for r in range(window.model.rowCount())
               if window.model.index(r, COL["unit"]).data() == paz.unit)
    assert window.model.index(row, COL["review"]).data() == "退回修改"
    assert window.selected_row().uuid == paz.uuid  # the selection stays on the unit
    assert "退回修改 1" in window.summary_label.text()

    # Loading the same folder again changes nothing.
    before = hashlib.sha256(window.db.path.read_bytes()).hexdigest()
    _load(qtbot, window, street_files)
    assert hashlib.sha256(window.db.path.read_bytes()).hexdigest() == before
    assert window.results.item(window.results.count() - 1).text().count("已存在 18") == 1

    # The summary exports hold what the table shows.
    out = window.export_summary(tmp_path / "汇总.csv")
    assert out is not None and "琶洲" in out.read_text(encoding="utf-8-sig")
    assert window.export_summary(tmp_path / "汇总.xlsx").stat().st_size > 0


def test_open_one_unit_read_only(qtbot, window: DistrictWindow, street_files: list[Path]) -> None:
    _load(qtbot, window, street_files[:3])
    row = window.model.rows[0]
    dlg = window.report_dialog(row)
    qtbot.addWidget(dlg)
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert "检查结果" in titles and "预算与指标" in titles and "历史与审核" in titles
    figures = dlg.tabs.widget(titles.index("预算与指标")).toPlainText()
    assert f"{row.budget_total:,.2f}" in figures
    findings = dlg.tabs.widget(titles.index("检查结果")).toPlainText()
    assert "自评得分" in findings or "无法检查" in findings
    assert all(dlg.tabs.widget(i).isReadOnly() for i in range(dlg.tabs.count()))
    pdf = dlg.make_pdf()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_report_viewer_closes_on_enter_and_tabs_to_its_buttons_last(qtbot, window: DistrictWindow,
                                                                     street_files: list[Path]) -> None:
    """The tabs are filled after the Designer form is set up; Enter must still mean 关闭 (not
    make a PDF), and Tab must still reach the pages before 关闭 and 打开 PDF."""
    _load(qtbot, window, street_files[:1])
    dlg = window.report_dialog(window.model.rows[0])
    qtbot.addWidget(dlg)
    dlg.show()
    close = dlg.form.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭" and close.isDefault() and not dlg.pdf_button.isDefault()
    chain, w = [], dlg.tabs.nextInFocusChain()
    while w is not dlg:
        chain.append(w)
        w = w.nextInFocusChain()
    pages = [dlg.tabs.widget(i) for i in range(dlg.tabs.count())]
    assert max(chain.index(p) for p in pages) < chain.index(close) < chain.index(dlg.pdf_button)


def test_drop_folder_and_cancel_keeps_what_was_loaded(qtbot, window: DistrictWindow,
                                                      street_files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in street_files])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.loading_finished, timeout=60_000):
        window.dropEvent(event)
        window.cancel_loading()  # at once: the worker stops before its next file
    loaded = window.model.rowCount()
    assert loaded < 18
    assert "已取消" in window.results.item(window.results.count() - 1).text()
    # Loading again completes the rest; nothing already loaded is lost or doubled.
    _load(qtbot, window, street_files)
    assert window.model.rowCount() == 18


def test_a_large_batch_loads_through_worker_processes(qtbot, window: DistrictWindow, street_files: list[Path],
                                                      monkeypatch) -> None:
    # 18 files stand for a city's thousands: the window's reading thread hands them to worker
    # processes, and the window shows the same results in the same order as without them.
    from nanzhou_desktop.district import parallel

    folder = street_files[0].parent
    (folder / "坏文件.sqlite").write_bytes(b"\x00" * 4096)

    def results(w: DistrictWindow) -> list[str]:
        return [w.results.item(i).text() for i in range(w.results.count())]

    # The same folder in one process first, in a window of its own.
    from nanzhou_desktop.gui.app import make_app

    make_app()
    one = DistrictWindow(open_district_db(street_files[0].parent.parent / "one.sqlite"))
    qtbot.addWidget(one)
    _load(qtbot, one, [folder])
    assert parallel.LAST_BATCH.workers == 0 or parallel.LAST_BATCH.workers >= 2  # (PARALLEL_MIN not yet lowered)

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 2)
    parallel.LAST_BATCH.workers = 0
    _load(qtbot, window, [folder])
    assert parallel.LAST_BATCH.workers >= 2 or parallel.usable_cpus() < 2
    assert window.model.rowCount() == 18
    texts = results(window)
    assert sum(t.startswith("【已装入】") for t in texts) == 18
    assert any(t.startswith("【拒收】") and "坏文件.sqlite" in t for t in texts)
    assert texts == results(one)  # every line, in the same order, as without workers
    # Cancelled at once: the workers are stopped, what was loaded stays, loading again completes.
    for row in window.model.rows:
        window.db.remove(row.uuid)
    window.refresh()
    with qtbot.waitSignal(window.loading_finished, timeout=60_000):
        window.add_paths(street_files)
        window.cancel_loading()
    assert window.model.rowCount() < 18
    _load(qtbot, window, street_files)
    assert window.model.rowCount() == 18


def test_higher_revision_replaces_and_returned_unit_shows_as_new(qtbot, window: DistrictWindow,
                                                                 tmp_path: Path) -> None:
    import copy

    from nanzhou_desktop.district.testdata import change_executed, finalised, street_reports, write_report_file

    r1 = street_reports(5)[0]
    p1 = write_report_file(tmp_path / "r1.sqlite", r1)
    _load(qtbot, window, [p1])
    window.select_unit(r1.uuid)
    assert window.review_selected(Review.RETURNED, "请核对执行数") == ""
    r2 = copy.deepcopy(r1)
    r2.revision = 2
    change_executed(r2, r2.budget_total_row.budget_total - Decimal("1.00"))
    p2 = write_report_file(tmp_path / "r2.sqlite", finalised(r2))
    _load(qtbot, window, [p2])
    assert window.results.item(window.results.count() - 2).text().startswith(f"【{Outcome.REPLACED}】")
    (row,) = window.model.rows
    assert row.revision == 2 and row.review == Review.PENDING and row.history == 1
    assert window.model.index(0, COL["review"]).data() == "待审核（新修订）"


def test_screenshot(qtbot, window: DistrictWindow, street_files: list[Path], tmp_path: Path) -> None:
    _load(qtbot, window, street_files)
    window.resize(1400, 860)
    img = window.grab()
    assert img.width() > 0
    img.save(str(tmp_path / "district.png"))
    assert (tmp_path / "district.png").stat().st_size > 10_000


def test_remove_one_unit_after_asking(qtbot, window: DistrictWindow, street_files: list[Path], monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from nanzhou_desktop.gui import district_window as dw

    _load(qtbot, window, street_files[:3])
    target = window.model.rows[0]
    assert window.select_unit(target.uuid) and window.remove_button.isEnabled()
    asked: list[str] = []

    def answer(reply):  # noqa: ANN001, ANN202
        def question(parent, title, text, *a):  # noqa: ANN001, ANN002, ANN202
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(dw.QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    window.remove_button.click()
    assert window.model.rowCount() == 3 and target.unit in asked[0]  # 否: nothing removed
    monkeypatch.setattr(dw.QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    window.remove_button.click()
    assert window.model.rowCount() == 2 and target.uuid not in {r.uuid for r in window.model.rows}
    assert "已从汇总库移除" in window.statusBar().currentMessage()


def test_chart_shows_one_year(qtbot, window: DistrictWindow, tmp_path: Path) -> None:
    """Rates of different years side by side would read as one comparison: the chart draws
    the latest year and says how many other years it left out."""
    older = write_street_files(tmp_path / "2022", seed=2022)[:3]
    newer = write_street_files(tmp_path / "2023", seed=2023, year=2023)[:2]
    _load(qtbot, window, [*older, *newer])
    chart = window.chart
    assert chart.year == 2023 and chart.other_years == 1
    assert len(chart.rows) == 2 and {r.year for r in chart.rows} == {2023}
    assert len(window.db.units()) == 5  # the table still lists every report
    window.table.sortByColumn(COL["rate"], Qt.SortOrder.DescendingOrder)
    numbers = [window.model.headerData(i, Qt.Orientation.Vertical) for i in range(window.model.rowCount())]
    assert numbers == ["1", "2", "3", "4", "5"]  # down the table, whatever the sort
