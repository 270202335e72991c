"""Keyboard (issue 15, items 8–9) and help (item 15)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from nanzhou_desktop.gui import help as help_window
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.gui.table_views import SheetView
from tests.conftest import ROOT
from tests.gui.chinese_walk import visible_english


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


def _focus() -> object:
    QApplication.processEvents()
    return QApplication.focusWidget()


def _chain(start, stop, limit: int = 5000) -> list:  # noqa: ANN001
    """The widgets Tab visits from ``start`` until ``stop`` (focusable ones, in order)."""
    out, w = [], start
    for _ in range(limit):
        w = w.nextInFocusChain()
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled():
            out.append(w)
        if w is stop:
            break
    return out


# ---------------------------------------------------------------------------- item 8
def test_tab_leaves_a_table_at_its_last_cell_and_shift_tab_at_its_first(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    w.show_table_page("projects")
    view = w.table_view("projects")
    model = view.model()
    last = model.index(model.rowCount() - 1, model.columnCount() - 1)
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert _focus() is view and view.currentIndex().column() == 1  # inside: the next cell
    view.setCurrentIndex(last)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert _focus() is not view and not view.isAncestorOf(_focus())  # left the table, no wrap to A1
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _focus() is not view and not view.isAncestorOf(_focus())
    # Typing in the last cell: Tab commits and leaves too.
    view.setFocus()
    view.setCurrentIndex(last)
    view.edit(last)
    editor = _focus()
    assert isinstance(editor, QLineEdit)
    editor.setText("当年完成")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    focused = _focus()
    assert focused is not view and not view.isAncestorOf(focused)
    assert w.session.report.projects[-1].reason == "当年完成"


def test_ctrl_tab_leaves_a_table_and_lands_in_the_next_tabs_first_field(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    tabs = w.form.tabs
    w.show_table_page("indicators")
    view = w.table_view("indicators")
    view.setFocus()
    view.setCurrentIndex(view.model().index(2, 3))
    here = tabs.currentIndex()
    QTest.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == (here + 1) % tabs.count()
    field = _focus()
    assert isinstance(field, (QLineEdit, QPlainTextEdit)) and tabs.currentWidget().isAncestorOf(field)
    QTest.keyClick(field, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # round to 一、基本情况
    assert tabs.currentIndex() == 0
    field = _focus()
    assert isinstance(field, QPlainTextEdit) and tabs.widget(0).isAncestorOf(field)
    QTest.keyClick(field, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tabs.currentIndex() == tabs.count() - 1
    # Into the 自评表: the first table, not the page or its sub-tabs.
    tabs.setCurrentIndex(0)
    for _ in range(tabs.count()):
        if tabs.tabText(tabs.currentIndex()) == "自评表":
            break
        w.step_tab(+1)
    assert isinstance(_focus(), SheetView)


def test_row_buttons_are_in_the_tab_order_and_have_shortcuts(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    w.show_table_page("projects")
    editor = w.table_tab.editors["projects"]
    view, model = editor.view, editor.model
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))  # a row selected: 删除行 and 下移 enabled
    QApplication.processEvents()
    buttons = [b for b in (*editor.add_buttons, editor.delete_button, editor.up_button, editor.down_button)
               if b.isEnabled()]
    # Tab goes through the row buttons, as they stand above the table, and then into it.
    assert _chain(buttons[0], view) == [*buttons[1:], view]
    assert "Ctrl+Del" in editor.delete_button.toolTip() and "Alt+" in editor.up_button.toolTip()
    rows = model.rowCount()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Ins: a row
    QApplication.processEvents()
    assert model.rowCount() == rows + 1
    if QApplication.focusWidget() is not view:  # the new row opened its first cell for typing
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    view.setFocus()
    view.setCurrentIndex(model.index(rows, 0))
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # Alt+↑: moved up
    assert view.currentIndex().row() == rows - 1
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.currentIndex().row() == rows
    QTest.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Del
    assert model.rowCount() == rows


# ---------------------------------------------------------------------------- item 9
def test_shortcuts_and_alt_letters(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    f = w.form
    for action in (f.actionFinalise, f.actionUnlock, f.actionExportForSending):
        assert not action.shortcut().isEmpty(), action.text()
    for a in f.menuFile.actions():
        if not a.isSeparator():
            assert re.search(r"\(&[A-Z]\)", a.text()), a.text()
    # "＋ 添加工作任务" comes after the tasks in Tab order.
    section = next(k for k in w.pages if w.section_tabs.get(k) is not None
                   and w.section_tabs[k].task_editors())
    tasks = w.section_tabs[section].task_editors()[0]
    w.form.tabs.setCurrentWidget(w.pages[section])
    QApplication.processEvents()
    last = w.session.report.tasks[-1]
    last_body = tasks.findChild(QPlainTextEdit, f"item-body-{last.items[-1].id}" if last.items
                                else f"task-body-{last.id}")
    first_title = tasks.findChildren(QLineEdit)[0]
    assert last_body in _chain(first_title, tasks.add_task_button)
    assert _chain(last_body, tasks.add_task_button) == [tasks.add_task_button]  # Tab from the last field


def test_the_district_window_has_alt_letters_help_and_ctrl_q(qtbot, tmp_path):
    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.gui.app import make_app
    from nanzhou_desktop.gui.district_window import DistrictWindow

    make_app()
    w = DistrictWindow(open_district_db(tmp_path / "区级汇总.sqlite"))
    qtbot.addWidget(w)
    menus = [a.text() for a in w.menuBar().actions()]
    assert menus == ["文件(&F)", "帮助(&H)"]
    letters = [b.text() for b in (w.form.add_files_button, w.form.add_folder_button, w.open_button,
                                  w.approve_button, w.return_button, w.remove_button, w.form.export_xlsx_button,
                                  w.form.export_csv_button)]
    assert all(re.search(r"\(&[A-Z]\)", t) for t in letters), letters
    found = re.findall(r"&([A-Z])", "".join(letters))
    assert len(found) == len(set(found))  # no letter twice
    assert "Ctrl+Q" in [k.toString() for k in w.form.action_close.shortcuts()]
    help_texts = [a.text() for a in w.help_menu.actions()]
    assert {"使用说明(&G)", "检查规则说明(&R)", "快捷键(&K)", "关于(&A)"} <= set(help_texts)
    win = w.show_help("guide", "district")
    qtbot.addWidget(win)
    assert win.current_topic() == "guide"


# ---------------------------------------------------------------------------- item 15
def test_the_help_menu_and_its_pages(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    texts = [a.text() for a in w.form.menuHelp.actions() if not a.isSeparator()]
    assert texts[:3] == ["使用说明(&G)", "快捷键(&K)", "检查规则说明(&R)"] and "关于(&A)" in texts
    win = w.show_help("guide")
    qtbot.addWidget(win)
    guide = win.pages["guide"]
    text = guide.toPlainText()
    for step in ("新建", "自评表", "检查结果", "定稿", "导出上报", "打开所在文件夹"):
        assert step in text, step
    # Illustrated: the pictures ship with the app and load (offline).
    pictures = re.findall(r'src="(img/[^"]+)"', help_window.guide_html())
    assert len(pictures) >= 4
    for src in pictures:
        image = guide.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(src))
        assert image is not None and not image.isNull(), src
    # 快捷键: the window's own keys, read from its actions.
    keys = win.pages["shortcuts"].toPlainText()
    for expected in ("Ctrl+Shift+D", "定稿", "Ctrl+Shift+E", "导出上报", "Ctrl+N", "新建报告", "F1", "Ctrl+Ins"):
        assert expected in keys, expected
    # 关于: version and where things are kept.
    about = win.pages["about"].toPlainText()
    from nanzhou_desktop import __version__

    assert __version__ in about and settings.qsettings.fileName() in about
    assert str(settings.log_path()) in about and "备份" in about and "部门整体支出绩效自评" in about
    win.show()
    assert visible_english(win) == []


def test_the_rule_catalogue_is_the_documented_one_in_chinese_with_examples():
    documented = set(re.findall(r"^\| `([a-z0-9_.]+)`", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"),
                                re.MULTILINE))
    catalogue = [r for g in help_window.rule_catalogue() for r in g["rules"]]
    assert {r[0] for r in catalogue} == documented
    for rule_id, name, level, what, example in catalogue:
        assert level in ("错误", "警告", "提示"), rule_id
        assert re.search(r"[\u4e00-\u9fff]", name + what) and example.strip(), rule_id
    html = help_window.rules_html()
    assert all(f'<a name="{r[0]}">' in html for r in catalogue)


def test_f1_opens_the_part_that_fits_the_focused_field(qtbot, settings, example):
    w = _window(qtbot, settings, example)
    w.signoff.editors["issue_date"].setFocus()
    win = w.help_for_focus()
    qtbot.addWidget(win)
    assert win.current_topic() == "rules"
    view = win.pages["rules"]
    anchor_top = view.verticalScrollBar().value()
    assert anchor_top > 0  # scrolled down to the date rule
    # A selected finding: its rule.
    panel = w.findings
    item = next(i for i in panel.finding_items() if "绩效指标" in i.text(0))
    panel.tree.setFocus()
    panel.tree.setCurrentItem(item)
    w.help_for_focus()
    assert win.current_topic() == "rules"
    assert help_window.topic_for(panel.tree, panel.selected().rule) == ("rules", panel.selected().rule)
    # In the 自评表: its part of the guide.
    w.show_table_page("budget_rows")
    w.table_view("budget_rows").setFocus()
    w.help_for_focus()
    assert win.current_topic() == "guide"
    assert help_window.topic_for(QApplication.focusWidget()) == ("guide", "table")
    assert isinstance(QApplication.focusWidget(), QAbstractItemView)
