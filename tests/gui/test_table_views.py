"""The 自评表 tab as a user drives it (pytest-qt, offscreen)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from nanzhou_desktop.gui.table_models import ErrorRole
from nanzhou_desktop.gui.table_views import SelfEvaluationTab
from nanzhou_desktop.model import BudgetKind, Direction, FieldRef, Status
from nanzhou_desktop.rules import check


@pytest.fixture
def tab(qtbot, example_file):
    QApplication.setFont(QFont("WenQuanYi Micro Hei", 10))
    w = SelfEvaluationTab(example_file)
    w.edited.connect(lambda: w.set_result(check(example_file.report)))
    w.set_result(check(example_file.report))
    w.resize(1280, 600)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()  # offscreen: editors only get focus in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def press_enter(qtbot, editor) -> None:
    """The delegate commits an Enter through a queued call: let it run."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def type_into_cell(qtbot, view, index, text: str, *, enter: bool = True) -> None:
    """Select a cell, type ASCII text as a user would, and press Enter."""
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClicks(view, text[0])  # any key starts editing; that key lands in the editor
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), editor
    qtbot.keyClicks(editor, text[1:])
    if enter:
        press_enter(qtbot, editor)


def commit_chinese(editor, text: str) -> None:
    """Chinese arrives from an input method as a commit string (keyClicks would abort)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def test_typing_executed_updates_rate_and_score_and_moves_down(qtbot, tab, example_file):
    m = tab.budget_model
    tab.budget_editor.add_row_of_kind(BudgetKind.BASIC, "其中：基本支出")
    view = tab.budget_editor.view
    col = m.column_index("executed")
    assert m.index(0, m.column_index("score")).data() == "9.91"
    type_into_cell(qtbot, view, m.index(0, col), "15000")
    assert example_file.report.budget[0].executed == Decimal("15000.00")
    assert m.index(0, col).data() == "15,000.00"
    assert m.index(0, m.column_index("rate")).data() == "75.34%"
    assert m.index(0, m.column_index("score")).data() == "7.53"  # the check ran on edited()
    assert view.currentIndex().row() == 1  # Enter moved down
    assert tab.score_view.budget_score_label.text() == "7.53"


def test_letters_refused_at_the_cell_with_the_reason_and_cursor_stays(qtbot, tab, example_file):
    m = tab.budget_model
    tab.budget_editor.add_row_of_kind(BudgetKind.BASIC, "其中：基本支出")
    view = tab.budget_editor.view
    col = m.column_index("executed")
    type_into_cell(qtbot, view, m.index(0, col), "19abc")
    assert example_file.report.budget[0].executed == Decimal("19738.24")
    msg = m.index(0, col).data(ErrorRole)
    assert "不是有效的数字" in msg
    assert tab.budget_editor.message.isVisible()
    assert "全年执行数" in tab.budget_editor.message.text() and "19abc" in tab.budget_editor.message.text()
    assert view.currentIndex().row() == 0  # stays on the refused cell
    assert m.index(0, col).data() == "19abc"  # nothing typed is lost
    # Correct it in place: the editor opens with the refused text.
    view.edit(m.index(0, col))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "19abc"
    editor.setText("19,700")
    press_enter(qtbot, editor)
    assert example_file.report.budget[0].executed == Decimal("19700.00")
    assert m.index(0, col).data(ErrorRole) == ""
    # The message under the table goes with the refusal it named.
    assert not tab.budget_editor.message.isVisible() and tab.budget_editor.message.text() == ""


def test_refusal_message_follows_the_cells_still_refused(qtbot, tab, example_file):
    m = tab.budget_model
    view = tab.budget_editor.view
    budget, executed = m.column_index("budget_total"), m.column_index("executed")
    type_into_cell(qtbot, view, m.index(0, budget), "abc")
    type_into_cell(qtbot, view, m.index(0, executed), "x1")
    assert "全年执行数" in tab.budget_editor.message.text()
    type_into_cell(qtbot, view, m.index(0, executed), "19,000.50")
    assert example_file.report.budget[0].executed == Decimal("19000.50")
    text = tab.budget_editor.message.text()
    assert "全年预算数" in text and "abc" in text  # the other refusal is still unsaved: it is named
    type_into_cell(qtbot, view, m.index(0, budget), "20,000")
    assert tab.budget_editor.message.text() == ""


def test_chinese_text_typed_through_input_method(qtbot, tab, example_file):
    m = tab.project_model
    view = tab.project_editor.view
    tab.tabs.setCurrentWidget(tab.project_editor)
    idx = m.index(0, m.column_index("reason"))
    view.setCurrentIndex(idx)
    view.edit(idx)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    commit_chinese(editor, "按计划完成")
    press_enter(qtbot, editor)
    assert example_file.report.projects[0].reason == "按计划完成"


def test_direction_and_qualitative_actual_edited_with_combos(qtbot, tab, example_file):
    m = tab.indicator_model
    view = tab.indicator_editor.view
    tab.tabs.setCurrentWidget(tab.indicator_editor)
    idx = m.index(0, m.column_index("direction"))
    view.setCurrentIndex(idx)
    view.edit(idx)
    combo = view.indexWidget(idx) or QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["≥", "≤", "=", "定性"]
    assert combo.currentText() == "≥"
    # Target 310000 is a number, also fine for a qualitative target's wording.
    combo.setCurrentIndex(3)
    combo.activated.emit(3)
    assert example_file.report.indicators[0].direction == Direction.QUALITATIVE
    # Its actual is now chosen from 达成 / 部分达成 / 未达成.
    act = m.index(0, m.column_index("actual"))
    view.setCurrentIndex(act)
    view.edit(act)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["达成", "部分达成", "未达成"]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert example_file.report.indicators[0].actual == "部分达成"


def test_buttons_add_move_delete_rows(qtbot, tab, example_file):
    ed = tab.project_editor
    tab.tabs.setCurrentWidget(ed)
    qtbot.mouseClick(ed.add_buttons[0], Qt.MouseButton.LeftButton)
    assert len(example_file.report.projects) == 2
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)  # the new row's name is ready for typing
    commit_chinese(editor, "平安建设")
    press_enter(qtbot, editor)
    assert example_file.report.projects[1].name == "平安建设"
    ed.view.setCurrentIndex(ed.model.index(1, 0))
    assert ed.up_button.isEnabled() and not ed.down_button.isEnabled()
    qtbot.mouseClick(ed.up_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in example_file.report.projects] == ["平安建设", "疫情防控项目"]
    assert ed.view.currentIndex().row() == 0
    qtbot.mouseClick(ed.delete_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in example_file.report.projects] == ["疫情防控项目"]
    # Budget: 其中 rows by kind.
    b = tab.budget_editor
    qtbot.mouseClick(b.add_buttons[1], Qt.MouseButton.LeftButton)
    assert example_file.report.budget[-1].kind == BudgetKind.PROJECT
    assert example_file.report.budget[-1].label == "其中：项目支出"


def test_the_total_budget_row_has_no_delete_or_move(qtbot, tab, example_file):
    """年度资金总额 can be neither deleted nor moved (a 其中 row cannot go above it either):
    the buttons are greyed out, and the model refuses with the reason if asked anyway."""
    b = tab.budget_editor
    tab.tabs.setCurrentWidget(b)
    for button in b.add_buttons[:2]:  # 添加基本支出行, 添加项目支出行
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # leave the new row's label
    kinds = [r.kind for r in example_file.report.budget]
    assert kinds == [BudgetKind.TOTAL, BudgetKind.BASIC, BudgetKind.PROJECT]
    b.view.setCurrentIndex(b.model.index(0, 1))
    assert not b.delete_button.isEnabled() and not b.up_button.isEnabled() and not b.down_button.isEnabled()
    b.view.setCurrentIndex(b.model.index(1, 1))
    assert b.delete_button.isEnabled() and not b.up_button.isEnabled() and b.down_button.isEnabled()
    b.view.setCurrentIndex(b.model.index(0, 1))
    b.delete_current()  # e.g. the Delete key's path: refused with the reason, nothing lost
    assert b.message.isVisible() and "不能删除" in b.message.text()
    assert [r.kind for r in example_file.report.budget] == kinds
    label = b.model.index(0, b.model.column_index("label"))
    assert not b.model.flags(label) & Qt.ItemFlag.ItemIsEditable  # its name is fixed too
    assert not b.model.setData(label, "资金总额")
    assert example_file.report.budget[0].label == "年度资金总额"


def test_focus_field_selects_the_cell_a_finding_points_at(qtbot, tab, example_file):
    result = check(example_file.report)
    ind_findings = [f for f in result.findings if f.where.table == "indicators" and f.where.row is not None]
    assert ind_findings, "the example has indicator warnings (actual below target without a reason)"
    f = ind_findings[-1]
    assert tab.focus_field(f.where)
    assert tab.tabs.currentWidget() is tab.indicator_editor
    cur = tab.indicator_editor.view.currentIndex()
    assert tab.indicator_model.rows()[cur.row()].id == f.where.row
    assert tab.indicator_model.columns[cur.column()].key == f.where.column
    assert tab.current_field() == FieldRef("indicators", f.where.row, f.where.column)
    total = example_file.report.budget[0]
    assert tab.focus_field(FieldRef("budget_rows", total.id, "executed"))
    assert tab.tabs.currentWidget() is tab.budget_editor
    assert not tab.focus_field(FieldRef("sections", 1, "body"))
    assert not tab.focus_field(FieldRef("indicators", 99999, "actual"))  # a row deleted since
    assert tab.focus_field(FieldRef("projects", None, "name"))  # the table as a whole
    assert tab.tabs.currentWidget() is tab.project_editor


def test_paste_from_clipboard_fills_cells_and_lists_refusals(qtbot, tab, example_file):
    ed = tab.project_editor
    tab.tabs.setCurrentWidget(ed)
    ed.view.setFocus()
    ed.view.setCurrentIndex(ed.model.index(0, 1))
    QGuiApplication.clipboard().setText("2000\t1,900\n300\tabc\n")
    qtbot.keyClick(ed.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    p = example_file.report.projects
    assert (p[0].budget_total, p[0].executed) == (Decimal("2000.00"), Decimal("1900.00"))
    assert p[1].budget_total == Decimal("300.00") and p[1].executed is None
    assert "1 个未粘贴" in ed.message.text() and "abc" in ed.message.text()
    # Copy gives the same cells back, tab-separated.
    ed.view.selectionModel().clear()
    ed.view.setCurrentIndex(ed.model.index(0, 1))
    ed.view.selectionModel().select(ed.model.index(0, 2), ed.view.selectionModel().SelectionFlag.Select)
    assert ed.view.selection_text() == "2,000.00\t1,900.00"


def test_locked_report_disables_editing_and_buttons(qtbot, tab, example_file):
    example_file.set_status(Status.FINAL)
    tab.refresh_lock_state()
    for ed in tab.editors.values():
        assert not any(b.isEnabled() for b in ed.add_buttons)
        assert not ed.delete_button.isEnabled()
    view = tab.budget_editor.view
    idx = tab.budget_model.index(0, tab.budget_model.column_index("executed"))
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClicks(view, "1")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert example_file.report.budget[0].executed == Decimal("19738.24")


def test_with_session_edits_are_undoable_and_rechecked(qtbot, example_file):
    session_mod = pytest.importorskip("nanzhou_desktop.gui.session")
    session = session_mod.ReportSession(example_file)
    session.recheck()
    tab = SelfEvaluationTab(example_file, session=session)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    m = tab.budget_model
    col = m.column_index("executed")
    assert m.index(0, m.column_index("score")).data() == "9.91"
    type_into_cell(qtbot, tab.budget_editor.view, m.index(0, col), "15000")
    assert m.index(0, m.column_index("score")).data() == "7.53"  # via session.checked
    assert session.undo_stack.count() == 1
    type_into_cell(qtbot, tab.budget_editor.view, m.index(0, col), "abc")  # refused, shown under the table
    assert "abc" in tab.budget_editor.message.text()
    session.undo()
    assert example_file.report.budget[0].executed == Decimal("19738.24")
    assert m.index(0, col).data() == "19,738.24"
    assert tab.budget_editor.message.text() == ""  # the undone cell holds a saved value: no refusal left
    assert m.index(0, m.column_index("score")).data() == "9.91"
    # Row operations go through the session too, and the view stays consistent.
    tab.project_editor.add_row()
    assert tab.project_model.rowCount() == len(example_file.report.projects) == 2
    # An open editor is committed by session.flush() (before undo, save, close).
    idx = m.index(0, col)
    tab.budget_editor.view.setCurrentIndex(idx)
    tab.budget_editor.view.edit(idx)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("19000")
    session.flush()
    assert example_file.report.budget[0].executed == Decimal("19000.00")


def test_screenshots_have_readable_headers(qtbot, tab, tmp_path):
    """Every header fits its column (no elided Chinese) and each sub-tab grabs non-empty."""
    for ed in tab.editors.values():
        view = ed.view
        fm = view.horizontalHeader().fontMetrics()
        for c, col in enumerate(ed.model.columns):
            assert view.columnWidth(c) >= fm.horizontalAdvance(col.header) + 12, col.header
    for i in range(tab.tabs.count()):
        tab.tabs.setCurrentIndex(i)
        img = tab.grab().toImage()
        assert img.width() == 1280 and not img.isNull()
        img.save(str(tmp_path / f"tab{i}.png"))


def test_score_view_shows_parts_rescaling_total_and_grade(qtbot, tab, example_file):
    sv = tab.score_view
    assert sv.rate_label.text() == "99.13%" and sv.budget_score_label.text() == "9.91"
    assert sv.rescale_note.text() == ""
    m = tab.indicator_model
    assert m.setData(m.index(1, m.column_index("not_applicable")), Qt.CheckState.Checked.value,
                     Qt.ItemDataRole.CheckStateRole)
    result = check(example_file.report)
    assert "兵役登记率" in sv.rescale_note.text() and "90" in sv.rescale_note.text()
    im = sv.indicator_model
    assert im.index(1, 4).data() == "—" and im.index(1, 6).data() == "不适用，不计分"
    rescaled = result.score.indicators[0].points
    assert im.index(0, 3).data() == "6.25" and im.index(0, 4).data() == f"{rescaled:.2f}" != "6.25"
    total = result.score.total
    assert sv.total_label.text() == f"{total.quantize(Decimal('0.01'))}"
    assert sv.grade_label.text() == result.score.grade
    assert tab.tabs.tabText(3) == f"得分 {sv.total_label.text()}（{result.score.grade}）"
