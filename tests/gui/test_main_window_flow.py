"""The user flow of issue 4, through the widgets: open the example, change 全年执行数, see
rate, score and findings follow before any save, click a finding and land on the field,
explain warnings, fill the sign-off, finalise, reopen and find everything there."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from nanzhou_desktop.gui import dialogs
from nanzhou_desktop.gui.app import AppSettings
from nanzhou_desktop.gui.field_widgets import FieldBinding
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.gui.table_models import ErrorRole, PendingRole
from nanzhou_desktop.model import Status
from nanzhou_desktop.rules.findings import Severity
from tests.gui.main_window_support import edit_cell, on_disk, type_chinese


def executed_on_disk(path: Path) -> Decimal:
    return Decimal(on_disk(path, "SELECT executed FROM budget_rows WHERE kind='total'"))


def open_window(qtbot, settings: AppSettings, path: Path) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(path)
    w.resize(1280, 860)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=10_000)
    return w


def click_finding(qtbot, w: MainWindow, key: str) -> None:
    tree = w.findings.tree
    item = w.findings._items[key]
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_user_flow_edit_check_explain_finalise_reopen(qtbot, settings, example, monkeypatch):
    w = open_window(qtbot, settings, example)
    assert "南洲街道" in w.windowTitle() and "2022" in w.windowTitle() and "草稿" in w.windowTitle()
    model = w.table_model("budget_rows")
    view = w.table_view("budget_rows")
    w.show_table_page("budget_rows")
    executed, rate = model.column_index("executed"), model.column_index("rate")
    assert model.index(0, rate).data() == "99.13%"
    score_before = w.session.result.score.total
    assert "95.12" in w.score_label.text()

    # Change 全年执行数: the rate, the score and the findings follow at once (no save needed).
    edit_cell(qtbot, view, 0, executed, "17,000")
    assert model.index(0, rate).data() == "85.38%"
    assert w.session.result.score.total < score_before
    assert "85.38%" in w.score_label.text()
    assert executed_on_disk(example) == Decimal("17000")
    keys = {f.key for f in w.session.result.findings}
    assert "budget.rate_low@budget:total" in keys
    mismatch = next(f for f in w.session.result.findings if f.rule == "narrative.budget_mismatch"
                    and f.where.section_key == "1.3")
    assert mismatch.severity == Severity.ERROR
    assert "错误" in w.counts_label.text()
    assert w.tab_states()["一、基本情况"] == "error"

    # Click the finding: the 一、基本情况 tab opens with the cursor on the figure in 一（三）.
    click_finding(qtbot, w, mismatch.key)
    tab = w.section_tabs["1"]
    assert w.current_content() is tab
    editor = tab.form_for("1.3").editor
    assert QApplication.focusWidget() is editor
    cursor = editor.textCursor()
    assert cursor.selectionStart() == mismatch.where.offset
    assert "19,738.24" in cursor.selectedText()
    assert editor.property("state") == "error"
    assert tab.form_for("1.3").message.isVisibleTo(tab)

    # A table finding lands on its cell.
    click_finding(qtbot, w, "budget.rate_low@budget:total")
    assert w.current_content() is w.table_tab
    assert view.currentIndex().row() == 0
    assert model.columns[view.currentIndex().column()].key == "reason"

    # Undo puts the old figure back (file, table, findings).
    w.form.actionUndo.trigger()
    assert model.index(0, rate).data() == "99.13%"
    assert executed_on_disk(example) == Decimal("19738.24")
    assert not any(f.rule == "narrative.budget_mismatch" for f in w.session.result.findings)

    # Sign-off: Chinese names through the input method, figures typed.
    so = w.signoff.editors
    for column, text in (("head", "张伟"), ("finance_head", "李娜"), ("preparer", "王芳")):
        type_chinese(so[column], text)
        so[column].clearFocus()
    for column, text in (("phone_office", "020-84201234"), ("fill_date", "2023-03-15"),
                         ("issue_date", "2023-03-15")):
        so[column].setFocus()
        qtbot.keyClicks(so[column], text)
        qtbot.keyClick(so[column], Qt.Key.Key_Tab)
    assert on_disk(example, "SELECT head FROM report") == "张伟"
    assert on_disk(example, "SELECT fill_date FROM report") == "2023-03-15"
    assert so["fill_date"].text() == "2023年3月15日"
    assert w.session.result.count(Severity.ERROR) == 0

    # 定稿 refused while warnings are unexplained: nothing changes.
    refused: list = []
    monkeypatch.setattr(dialogs, "show_refused", lambda parent, blocking: refused.append(blocking))
    w.form.actionFinalise.trigger()
    assert refused and all(f.severity == Severity.WARNING for f in refused[0])
    assert w.session.report.status == Status.DRAFT

    # Explain every warning in place.
    monkeypatch.setattr(dialogs, "ask_explanation", lambda parent, f: f"已核实：{f.message[:10]}")
    for f in [f for f in w.session.result.findings if f.severity == Severity.WARNING]:
        assert w.findings.select_key(f.key)
        qtbot.mouseClick(w.findings.explain_button, Qt.MouseButton.LeftButton)
    assert not w.session.result.blocking
    assert "可以定稿" in w.findings.summary.text()

    monkeypatch.setattr(dialogs, "confirm_finalise", lambda parent, summary: True)
    w.form.actionFinalise.trigger()
    assert w.session.report.status == Status.FINAL
    assert "已定稿" in w.windowTitle()
    assert w.form.banner.isVisible() and w.form.bannerText.text().startswith("报告已定稿（第 1 版）")
    assert w.findings.summary.text().endswith("报告已定稿")  # not "可以定稿" any more
    assert tab.form_for("1.1").editor.isReadOnly()
    assert so["head"].isReadOnly()
    assert not model.flags(model.index(0, executed)) & Qt.ItemFlag.ItemIsEditable
    assert on_disk(example, "SELECT status FROM report") == "已定稿"
    w.close()

    # Reopen: everything is there.
    w2 = open_window(qtbot, settings, example)
    r = w2.session.report
    assert r.status == Status.FINAL and r.final_fingerprint
    assert r.signoff.head == "张伟" and r.signoff.fill_date == "2023-03-15"
    assert r.budget_total_row.executed == Decimal("19738.24")
    assert len(r.explanations) >= 1
    assert w2.signoff.editors["head"].text() == "张伟"
    assert w2.signoff.editors["head"].isReadOnly()
    assert not w2.session.result.blocking

    # 解除定稿 asks a reason, raises the revision, unlocks the editors.
    monkeypatch.setattr(dialogs, "ask_unlock_reason", lambda parent, status, rev: "区财政局退回修改")
    qtbot.mouseClick(w2.form.bannerButton, Qt.MouseButton.LeftButton)
    assert w2.session.report.status == Status.DRAFT and w2.session.report.revision == 2
    assert "第2版" in w2.windowTitle()
    assert not w2.signoff.editors["head"].isReadOnly()


def test_non_numeric_input_is_refused_at_the_cell(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    w.show_table_page("budget_rows")
    model, view = w.table_model("budget_rows"), w.table_view("budget_rows")
    executed = model.column_index("executed")
    edit_cell(qtbot, view, 0, executed, "abc")
    idx = model.index(0, executed)
    reason = idx.data(ErrorRole)
    assert reason and "全年执行数" in reason
    assert idx.data(PendingRole) == "abc"  # what was typed stays, to be corrected
    assert executed_on_disk(example) == Decimal("19738.24")
    bar = w.form.statusbar  # the status bar names the cell; the whole reason is its tooltip
    assert "全年执行数" in bar.currentMessage() and reason in bar.currentMessage() + bar.toolTip()
    # Full-width digits and separators are accepted.
    edit_cell(qtbot, view, 0, executed, "19,000.5")
    assert executed_on_disk(example) == Decimal("19000.5")
    assert not model.index(0, executed).data(ErrorRole)


def test_refused_signoff_value_keeps_the_typed_text(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    w.form.tabs.setCurrentWidget(w.pages["signoff"])
    phone = w.signoff.editors["phone_office"]
    phone.setFocus()
    qtbot.keyClicks(phone, "020-8420abc")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    b = w.registry.get("report", None, "phone_office")
    assert phone.text() == "020-8420abc"
    assert b.local_error and "电话" in b.local_error
    assert b.message.isVisibleTo(w.signoff) and "电话" in b.message.text()
    assert phone.property("state") == "error"
    assert on_disk(example, "SELECT phone_office FROM report") == ""
    # Correcting it clears the message and saves.
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "020-84201234")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    assert not b.local_error and not b.message.isVisibleTo(w.signoff)
    assert on_disk(example, "SELECT phone_office FROM report") == "020-84201234"


def test_a_phone_typed_in_full_width_shows_as_stored(qtbot, settings, example):
    """The file and the print have ASCII digits: the field shows them too once committed."""
    w = open_window(qtbot, settings, example)
    w.form.tabs.setCurrentWidget(w.pages["signoff"])
    phone = w.signoff.editors["phone_office"]
    phone.setFocus()
    type_chinese(phone, "０２０－８４２０１２３４")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    assert on_disk(example, "SELECT phone_office FROM report") == "020-84201234"
    assert phone.text() == "020-84201234"


def retype(qtbot, field, text: str) -> None:
    """Replace a line field's text as typed (ASCII) and leave it with Tab, which commits."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_renaming_the_unit_updates_the_title_shown_and_undo_restores_both(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    w.form.tabs.setCurrentWidget(w.pages["signoff"])
    title, unit = w.signoff.editors["title"], w.signoff.editors["unit_full_name"]
    unit.setFocus()
    unit.selectAll()
    type_chinese(unit, "广州市海珠区人民政府江海街道办事处")
    qtbot.keyClick(unit, Qt.Key.Key_Tab)
    assert title.text() == "2022年度广州市海珠区人民政府江海街道办事处部门整体支出绩效自评报告"
    assert "江海" in on_disk(example, "SELECT title FROM report")
    w.form.actionUndo.trigger()
    assert "南洲" in title.text() and "南洲" in unit.text()
    assert "南洲" in on_disk(example, "SELECT title FROM report")


def _make_finalisable(w: MainWindow) -> None:
    """Sign-off filled and every warning explained: only what is on screen could stop 定稿."""
    for column, text in (("head", "张伟"), ("finance_head", "李娜"), ("preparer", "王芳"),
                         ("phone_office", "020-84201234"), ("fill_date", "2023-03-15"),
                         ("issue_date", "2023-03-15")):
        w.session.set_field("report", None, column, text)
    for f in [f for f in w.session.result.findings if f.severity == Severity.WARNING]:
        w.session.explain(f.key, "已核实")
    assert not w.session.recheck().blocking


def test_finalise_is_refused_while_a_refused_entry_is_on_screen(qtbot, settings, example, monkeypatch):
    """The screen shows what was typed; the file still holds the value before it.  定稿 then
    would fingerprint and print a figure the officer does not see, so it is refused and the
    cursor goes to the entry."""
    w = open_window(qtbot, settings, example)
    _make_finalisable(w)
    monkeypatch.setattr(dialogs, "confirm_finalise", lambda parent, summary: True)
    shown: list[list[str]] = []
    monkeypatch.setattr(dialogs, "show_refused_inputs", lambda parent, inputs: shown.append(inputs))

    w.show_table_page("budget_rows")
    model, view = w.table_model("budget_rows"), w.table_view("budget_rows")
    executed = model.column_index("executed")
    edit_cell(qtbot, view, 0, executed, "19,7OO.00")  # a letter O typed for a zero
    w.form.tabs.setCurrentWidget(w.pages["signoff"])
    phone = w.signoff.editors["phone_office"]
    retype(qtbot, phone, "020-84201234-ext")
    # Nothing was saved, so no check ran: the refused entries are counted all the same.
    assert "未保存的输入 2" in w.counts_label.text()
    assert "另有 2 处输入未被接受" in w.findings.summary.text()
    assert w.tab_states()["单位信息与签章"] == "error" and w.tab_states()["自评表"] == "error"

    w.form.actionFinalise.trigger()
    assert w.session.report.status == Status.DRAFT
    assert len(shown) == 1 and len(shown[0]) == 2
    assert "联系电话" in "".join(shown[0]) and "020-84201234-ext" in "".join(shown[0])
    assert any(line.startswith("预算执行情况第 1 行“全年执行数") and line.endswith("：19,7OO.00")
               for line in shown[0])
    assert w.focusWidget() is phone  # the first one listed: the sign-off field

    # Corrected (the cell) and withdrawn (the phone typed again as it was): 定稿 goes through.
    edit_cell(qtbot, view, 0, executed, "19,738.24")
    retype(qtbot, phone, "020-84201234")
    assert "未保存" not in w.counts_label.text() and "未被接受" not in w.findings.summary.text()
    assert "可以定稿" in w.findings.summary.text()
    assert w.tab_states()["单位信息与签章"] == "ok"
    w.form.actionFinalise.trigger()
    assert w.session.report.status == Status.FINAL
    assert len(shown) == 1


def test_closing_over_a_refused_table_cell_asks_first(qtbot, settings, example, monkeypatch):
    from nanzhou_desktop.gui import main_window

    w = open_window(qtbot, settings, example)
    w.show_table_page("budget_rows")
    model, view = w.table_model("budget_rows"), w.table_view("budget_rows")
    edit_cell(qtbot, view, 0, model.column_index("executed"), "19,7OO.00")
    asked: list[list[str]] = []
    monkeypatch.setattr(main_window, "dialogs_confirm_discard", lambda parent, labels: asked.append(labels) or False)
    w.close()
    assert w.isVisible() and w.session is not None  # the user said no: still open, still there
    assert asked and "全年执行数" in asked[0][0]
    monkeypatch.setattr(main_window, "dialogs_confirm_discard", lambda parent, labels: True)
    w.close()
    assert not w.isVisible()
    assert executed_on_disk(example) == Decimal("19738.24")


def test_chinese_typing_autosaves_within_a_second_and_counts(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    form = w.section_tabs["3"].form_for("3")
    editor: QPlainTextEdit = form.editor
    before = form.count.text()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_chinese(editor, "另外，部分社区的档案管理仍需规范。")
    assert form.count.text() != before
    # The promise "saved within a second of the last keystroke" is the debounce interval; the
    # wait below is generous because a loaded machine delays the timer, not the design.
    binding = editor.findChild(FieldBinding)
    assert binding is not None and binding._timer.isActive() and binding._timer.interval() <= 1000
    qtbot.waitUntil(lambda: (on_disk(example, "SELECT body FROM sections WHERE key='3'") or "")
                    .endswith("档案管理仍需规范。"), timeout=10_000)
    # Ctrl+S commits at once and confirms in the status bar.
    type_chinese(editor, "尚待改进。")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (on_disk(example, "SELECT body FROM sections WHERE key='3'") or "").endswith("尚待改进。")
    assert "已全部保存" in w.form.statusbar.currentMessage()


def test_undo_redo_across_fields(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    a = w.section_tabs["1"].form_for("1.1").editor
    b = w.section_tabs["1"].form_for("1.2").editor
    a_text, b_text = a.toPlainText(), b.toPlainText()
    a.moveCursor(a.textCursor().MoveOperation.End)
    type_chinese(a, "甲")
    a.clearFocus()  # focus-out commits at once
    b.moveCursor(b.textCursor().MoveOperation.End)
    type_chinese(b, "乙")
    qtbot.keyClick(b, Qt.Key.Key_Tab)
    assert on_disk(example, "SELECT body FROM sections WHERE key='1.2'") == b_text + "乙"
    # Ctrl+Z from inside an editor goes to the window's history, field by field.
    b.setFocus()
    qtbot.keyClick(b, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert b.toPlainText() == b_text
    assert on_disk(example, "SELECT body FROM sections WHERE key='1.2'") == b_text
    qtbot.keyClick(b, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert a.toPlainText() == a_text
    assert on_disk(example, "SELECT body FROM sections WHERE key='1.1'") == a_text
    qtbot.keyClick(b, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert a.toPlainText() == a_text + "甲"
    qtbot.keyClick(b, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert b.toPlainText() == b_text + "乙"
    assert on_disk(example, "SELECT body FROM sections WHERE key='1.2'") == b_text + "乙"


def test_values_entered_one_after_another_undo_one_by_one(qtbot, settings, example):
    """Three figures committed in one cell within a second are three choices: Ctrl+Z steps
    back through them.  Saves made while typing a paragraph (at each pause) stay one step."""
    w = open_window(qtbot, settings, example)
    w.show_table_page("budget_rows")
    model, view = w.table_model("budget_rows"), w.table_view("budget_rows")
    executed = model.column_index("executed")
    for value in ("18000", "18500", "19000"):
        edit_cell(qtbot, view, 0, executed, value)
    assert executed_on_disk(example) == Decimal("19000")
    for expected in ("18500", "18000", "19738.24"):
        w.form.actionUndo.trigger()
        assert executed_on_disk(example) == Decimal(expected)

    form = w.section_tabs["3"].form_for("3")
    before = form.editor.toPlainText()
    binding = w.registry.get("sections", w.session.report.section("3").id, "body")
    for piece in ("另外，", "档案管理", "仍需规范。"):  # three pauses, three saves
        form.editor.moveCursor(form.editor.textCursor().MoveOperation.End)
        type_chinese(form.editor, piece)
        binding.commit()
    assert form.editor.toPlainText() == before + "另外，档案管理仍需规范。"
    w.form.actionUndo.trigger()
    assert form.editor.toPlainText() == before


def test_keyboard_moves_between_tabs_and_fields(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    tabs = w.form.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施", "自评表", "单位信息与签章"]
    first = w.section_tabs["1"].form_for("1.1").editor
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not first  # Tab leaves the paragraph editor
    assert first.toPlainText().count("\t") == 0
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 2
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    # Every sub-section is one click away in the side list.
    tab = w.section_tabs["2"]
    rect = tab.outline.visualItemRect(tab.outline.item(2))
    qtbot.mouseClick(tab.outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert QApplication.focusWidget() is tab.forms[2].editor


def test_status_bar_completion_is_the_figure_check_prints(qtbot, settings, example):
    """填报完成度 reads the same in the window as in `nanzhou-desktop check` (94.87%, not 95%)."""
    import subprocess
    import sys

    w = open_window(qtbot, settings, example)
    c = w.session.result.completion
    shown = w.completion_label.text()
    assert f"（{c.filled}/{c.required}）" in shown
    w.close()
    out = subprocess.run([sys.executable, "-m", "nanzhou_desktop", "check", str(example)], capture_output=True,
                         text=True, timeout=120).stdout
    line = next(x for x in out.splitlines() if "填报完成度" in x)
    figure = shown.split()[1].split("（")[0]
    assert figure.endswith("%") and "." in figure and f"填报完成度 {figure}（" in line


def test_export_for_sending_from_the_report_menu(qtbot, settings, example, tmp_path, monkeypatch):
    """报告 → 导出上报: a draft is told to finalise first; a 定稿 report is written to the chosen
    folder (the file for the district and the PDF to sign) and shows 已导出."""
    from PySide6.QtWidgets import QFileDialog

    from nanzhou_desktop import workflow
    from nanzhou_desktop.rules import check
    from nanzhou_desktop.store.reportfile import open_report_file

    w = open_window(qtbot, settings, example)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: errors.append("INFO " + text))
    monkeypatch.setattr(dialogs, "show_saved", lambda parent, title, text, path: errors.append("INFO " + text))
    # the box after 导出上报 (with 用邮件发送 and 打开所在文件夹); answered 确定
    monkeypatch.setattr(dialogs, "show_exported", lambda parent, text, path: errors.append("INFO " + text) or "")
    out = tmp_path / "上报"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    w.form.actionExportForSending.trigger()
    assert errors and "尚未定稿" in errors[-1] and list(out.iterdir()) == []
    w.close()

    with open_report_file(example) as rf:  # fill the sign-off, explain the warnings, finalise
        for column, value in (("head", "张伟"), ("finance_head", "李娜"), ("preparer", "王芳"),
                              ("phone_office", "020-84201234"), ("fill_date", "2023-03-15"),
                              ("issue_date", "2023-03-15")):
            rf.set_field("report", None, column, value)
        for f in check(rf.report).findings:
            if f.severity == Severity.WARNING:
                rf.explain(f.key, "已核实。")
        workflow.finalise(rf)
    w2 = open_window(qtbot, settings, example)
    w2.form.actionExportForSending.trigger()
    assert errors[-1].startswith("INFO 已导出上报文件"), errors
    names = sorted(p.name for p in out.iterdir())
    assert names == ["2022_南洲街道_部门整体支出绩效自评_r1.pdf", "2022_南洲街道_部门整体支出绩效自评_r1.sqlite"]
    assert w2.session.report.status == Status.EXPORTED and "已导出" in w2.windowTitle()
    assert on_disk(example, "SELECT status FROM report") == "已导出"


def test_renaming_an_indicator_keeps_its_explanation_and_undo_takes_both_back(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    key = "indicator.shortfall@indicator:政务服务事项办结率"
    w.session.explain(key, "年末集中受理，次年初办结。")
    model = w.table_model("indicators")
    row = next(r for r, ind in enumerate(model.rows()) if ind.level3 == "政务服务事项办结率")
    assert model.setData(model.index(row, model.column_index("level3")), "政务服务事项按时办结率")
    new_key = "indicator.shortfall@indicator:政务服务事项按时办结率"
    found = w.session.result.by_key(new_key)
    assert found is not None and found.explanation is not None
    assert found not in w.session.result.blocking  # still explained: 定稿 is not blocked by it
    assert on_disk(example, "SELECT count(*) FROM explanations WHERE finding_key = ?", new_key) == 1
    w.form.actionUndo.trigger()
    assert w.session.result.by_key(key).explanation is not None
    assert on_disk(example, "SELECT count(*) FROM explanations WHERE finding_key = ?", key) == 1


def test_a_name_cleared_then_retyped_keeps_its_explanation(qtbot, settings, example):
    """Backspace over a 小项 title, a pause (the empty title is saved), then the new title: the
    出错说明 about that 小项 follows as if renamed in one step."""
    w = open_window(qtbot, settings, example)
    key = "narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量"
    w.session.explain(key, "单位写法已核对。")
    task = next(t for t in w.session.report.tasks if t.title == "城区治理水平不断提升")
    item = next(i for i in task.items if i.title.startswith("整治管理稳步加强"))
    w.session.set_field("task_items", item.id, "title", "")
    w.session.set_field("task_items", item.id, "title", "整治管理持续加强")
    moved = w.session.result.by_key(key.replace("整治管理稳步加强", "整治管理持续加强"))
    assert moved is not None and moved.explanation is not None and moved not in w.session.result.blocking


def test_a_long_status_message_is_shortened_with_the_whole_as_tooltip(qtbot, settings, example):
    w = open_window(qtbot, settings, example)
    long = "第 1 行“全年执行数（B）”未保存：全年执行数“abc”不是有效的数字，请只输入数字、小数点和千分位逗号，例如 19,910.75 或 19910.75"
    w.show_status(long, 5000)
    shown = w.form.statusbar.currentMessage()
    assert shown.endswith("…") and len(shown) < len(long) and long.startswith(shown[:-1])
    assert w.form.statusbar.toolTip() == long
    w.show_status("已全部保存", 5000)
    assert w.form.statusbar.currentMessage() == "已全部保存" and w.form.statusbar.toolTip() == ""
