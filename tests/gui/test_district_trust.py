"""The district window (issue 15): 已审核 is not offered for a draft, and says why (item 12);
times read 2026-12-03 15:58, not ISO (item 13)."""

from __future__ import annotations

import re
from pathlib import Path

from nanzhou_desktop.district.db import Review, open_district_db
from nanzhou_desktop.district.testdata import write_street_files
from nanzhou_desktop.gui.district_window import DistrictWindow, when


def _window(qtbot, tmp_path: Path) -> DistrictWindow:
    from nanzhou_desktop.gui.app import make_app

    make_app()
    db = open_district_db(tmp_path / "区级汇总.sqlite")
    db.load_files(write_street_files(tmp_path / "收件箱", seed=2022))
    w = DistrictWindow(db)
    qtbot.addWidget(w)
    w.show()
    return w


def test_a_draft_is_not_offered_for_approval(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    w = _window(qtbot, tmp_path)
    draft = next(r for r in w.model.rows if r.status == "草稿")
    final = next(r for r in w.model.rows if r.status != "草稿")
    assert w.select_unit(draft.uuid)
    assert not w.approve_button.isEnabled() and "草稿" in w.approve_button.toolTip()
    assert w.return_button.isEnabled()
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    w.review_dialog(Review.APPROVED)  # the menu or a shortcut may still ask: refused with the reason
    assert warned and "不能标记为“已审核”" in warned[0]
    assert w.db.reviews(draft.uuid) == []
    assert "草稿" in w.review_selected(Review.APPROVED)
    assert w.select_unit(final.uuid)
    assert w.approve_button.isEnabled()


def test_times_read_as_date_and_minute(qtbot, tmp_path):
    assert when("2026-12-03T15:58:41+08:00").startswith("2026-12-0")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when("2026-12-03T15:58:41+08:00"))
    assert when("2026-12-03T15:58:41") == "2026-12-03 15:58"
    w = _window(qtbot, tmp_path)
    row = w.model.rows[0]
    w.db.review(row.uuid, Review.RETURNED, "请补充偏差原因")
    dlg = w.report_dialog(w.db.units()[0])
    qtbot.addWidget(dlg)
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    history = dlg.tabs.widget(titles.index("历史与审核")).toPlainText()
    assert re.search(r"装入于 \d{4}-\d\d-\d\d \d\d:\d\d", history)
    assert re.search(r"退回修改（\d{4}-\d\d-\d\d \d\d:\d\d，", history)
    assert not re.search(r"\d{2}:\d{2}:\d{2}|T\d\d:|\+\d\d:\d\d", history)


def test_file_dialogs_open_beside_the_district_database(qtbot, tmp_path, monkeypatch):
    """Not in the program's working directory (the summary was offered as ./区级汇总.xlsx)."""
    from PySide6.QtWidgets import QFileDialog

    w = _window(qtbot, tmp_path)
    seen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda p, t, d, *a, **k: (seen.append(d), ("", ""))[1])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda p, t, d, *a, **k: (seen.append(d), ([], ""))[1])
    w.export_xlsx_dialog()
    w.export_csv_dialog()
    w.add_files_dialog()
    assert seen == [str(tmp_path / "区级汇总.xlsx"), str(tmp_path / "区级汇总.csv"), str(tmp_path)]
