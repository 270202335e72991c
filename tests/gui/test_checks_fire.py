"""Checks that must fire and states that must not go stale (issue 15, items 11 and 13)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nanzhou_desktop.example import example_report
from nanzhou_desktop.gui import dialogs
from nanzhou_desktop.gui.main_window import MainWindow, finalise_summary
from nanzhou_desktop.model import Unit
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.findings import Severity
from nanzhou_desktop.store.reportfile import create_report_file, new_report, open_report_file
from tests.gui.main_window_support import edit_cell


def _window(qtbot, settings, path: Path) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(path)
    w.resize(1280, 860)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=10_000)
    return w


def test_the_date_hint_is_a_date_the_check_accepts(qtbot, settings, tmp_path):
    """For a 2023 report the hint said 如：2023年3月15日, and typing exactly that was an error."""
    path = create_report_file(tmp_path / "江海2023.sqlite",
                              new_report(Unit("广州市海珠区人民政府江海街道办事处", "江海街道"), 2023))
    w = _window(qtbot, settings, path)
    for column in ("fill_date", "issue_date"):
        hint = w.signoff.editors[column].placeholderText()
        assert hint == "如：2024年3月15日", hint
        w.session.rf.set_field("report", None, column, hint.removeprefix("如："))
    w.session.recheck()
    assert not [f for f in w.session.result.findings if f.rule.startswith("date.")]


def test_the_finding_details_do_not_outlive_the_finding(qtbot, settings, example, tmp_path):
    w = _window(qtbot, settings, example)
    panel = w.findings
    item = next(i for i in panel.finding_items() if "单位负责人" in i.text(0))
    panel.tree.setCurrentItem(item)
    assert "单位负责人" in panel.details.text()
    w.session.rf.set_field("report", None, "head", "张伟")  # fixed: the finding goes …
    w.session.recheck()
    assert "单位负责人" not in panel.details.text()  # … and so does its text below the list
    # Another file: nothing of the previous one stays.
    item = next(i for i in panel.finding_items() if "财务负责人" in i.text(0))
    panel.tree.setCurrentItem(item)
    other = create_report_file(tmp_path / "新.sqlite", new_report(Unit("某街道办事处", "某街道"), 2023))
    assert w.open_file(other)
    assert "财务负责人" not in panel.details.text() or panel.selected() is not None


def test_headings_only_over_findings_and_a_read_only_window_lists_them(qtbot, settings, example):
    first = _window(qtbot, settings, example)
    second = _window(qtbot, settings, example)  # the same file: read-only
    assert second.session.rf.read_only
    for w in (first, second):
        shown = {sev: g for sev, g in w.findings.groups.items() if not g.isHidden()}
        assert set(shown) == {Severity.ERROR, Severity.WARNING, Severity.INFO}
        assert all(g.childCount() > 0 for g in shown.values())
        assert re.fullmatch(r"错误（\d+）", shown[Severity.ERROR].text(0))
    # A fresh panel (no check yet) and a report without findings show no empty heading.
    from nanzhou_desktop.gui.findings_panel import FindingsPanel

    panel = FindingsPanel()
    qtbot.addWidget(panel)
    assert all(g.isHidden() for g in panel.groups.values())


def test_a_tab_complete_but_for_its_table_says_where_the_gap_is(qtbot, settings, tmp_path):
    r = example_report(fresh_uuid=True)
    r.budget_total_row.budget_total = None  # only the budget table (on the 自评表 tab) is empty
    path = create_report_file(tmp_path / "缺预算.sqlite", r)
    w = _window(qtbot, settings, path)
    tabs = w.form.tabs
    one = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("一"))
    assert w.tab_states()[tabs.tabText(one)] == "incomplete"
    tip = tabs.tabToolTip(one)
    assert "预算执行表" in tip and "自评表" in tip and "本页其余内容已填完" in tip


def test_no_warning_is_not_said_as_zero_explained(settings):
    r = example_report()
    for col, value in (("head", "张伟"), ("finance_head", "李娜"), ("preparer", "王芳")):
        setattr(r.signoff, col, value)
    result = check(r)
    with_warnings = finalise_summary(result)
    assert f"警告 {result.count(Severity.WARNING)} 项均已说明" in with_warnings
    none = dataclasses.replace(result, findings=tuple(f for f in result.findings if f.severity != Severity.WARNING))
    assert "没有警告" in finalise_summary(none) and "警告 0 项" not in finalise_summary(none)


def test_amounts_say_wanyuan_and_an_amount_with_its_unit_is_told_how_to_type_it(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    model = w.table_model("budget_rows")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert all("万元" in headers[model.column_index(k)] for k in ("budget_initial", "budget_total", "executed"))
    w.show_table_page("budget_rows")
    view = w.table_view("budget_rows")
    col = model.column_index("budget_total")
    edit_cell(qtbot, view, 0, col, "100")  # ASCII first: the editor opens on a key press …
    editor_text = "100万"
    model.setData(model.index(0, col), editor_text, Qt.ItemDataRole.EditRole)  # … as typed: 100万
    message = model.last_error(0, col)
    assert "请只填数字，单位为万元" in message and "应填 100" in message
    assert w.session.report.budget_total_row.budget_total == Decimal("100.00")  # the earlier entry stays
    model.setData(model.index(0, col), "19910.75", Qt.ItemDataRole.EditRole)  # corrected: nothing refused
    assert not model.last_error(0, col)


def test_an_implausibly_large_amount_is_accepted_with_a_warning(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    total = w.session.report.budget_total_row
    w.session.rf.set_field("budget_rows", total.id, "budget_total", "99999999999")
    w.session.recheck()
    found = [f for f in w.session.result.findings if f.rule == "budget.amount_implausible"]
    assert found and found[0].severity == Severity.WARNING and "1 万亿元" in found[0].message


def _crashed(path: Path) -> None:
    """The program died after an edit: no 'close' in the audit, the lock gone with the process."""
    rf = open_report_file(path)
    rf.set_field("report", None, "preparer", "王芳")
    rf.conn.close()
    rf.conn = None
    rf._lock.release()


def test_the_crash_notice_goes_at_finalise_and_export(qtbot, settings, example, tmp_path, monkeypatch):
    with open_report_file(example) as rf:  # ready to finalise
        for column, value in (("head", "张伟"), ("finance_head", "李娜"), ("phone_office", "020-84201234"),
                              ("fill_date", "2023-03-15"), ("issue_date", "2023-03-15")):
            rf.set_field("report", None, column, value)
        for f in check(rf.report).findings:
            if f.severity == Severity.WARNING:
                rf.explain(f.key, "已核实。")
    _crashed(example)
    w = _window(qtbot, settings, example)
    assert "没有正常退出" in w.form.bannerText.text() and w.form.banner.isVisible()
    monkeypatch.setattr(dialogs, "confirm_finalise", lambda parent, summary: True)
    w.finalise()
    assert w.session.report.locked
    assert "没有正常退出" not in w.form.bannerText.text()  # stale once the report is 定稿
    assert "已定稿" in w.form.bannerText.text()
