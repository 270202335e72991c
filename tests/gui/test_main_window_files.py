"""Files and safety: killed with SIGKILL after edits loses nothing committed; a second window
on the same file is read-only and says so; 新建, 打开示例, 另存为, drag and drop, recent files;
the work-task editor renumbers itself; the .ui forms are compiled and up to date."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from nanzhou_desktop.gui import dialogs, task_editor
from nanzhou_desktop.gui.app import AppSettings, first_report_path
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.model import Unit
from nanzhou_desktop.store.reportfile import open_report_file
from tests.gui.main_window_support import on_disk, type_chinese

ROOT = Path(__file__).resolve().parents[2]


def window(qtbot, settings: AppSettings, path: Path | None = None) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    if path is not None:
        assert w.open_file(path)
    w.resize(1280, 860)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # offscreen: focus (and focus-out commits) only in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=10_000)
    return w


KILL_SCRIPT = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, {root!r})
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication
    from nanzhou_desktop.gui.app import AppSettings, make_app
    from nanzhou_desktop.gui.main_window import MainWindow
    app = make_app()
    w = MainWindow(AppSettings())
    assert w.open_file({path!r})
    w.show()
    app.processEvents()
    # Typed like a user: Chinese through the input method into 三、存在的主要问题 ...
    editor = w.section_tabs["3"].form_for("3").editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    ev = QInputMethodEvent("", [])
    ev.setCommitString("（崩溃前写入）")
    QApplication.sendEvent(editor, ev)
    # ... and a sign-off name; the debounce timers commit them, as they would while typing.
    head = w.signoff.editors["head"]
    ev = QInputMethodEvent("", [])
    ev.setCommitString("张伟")
    QApplication.sendEvent(head, ev)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and w.session.undo_stack.count() < 2:
        app.processEvents()
        time.sleep(0.01)
    print("COMMITTED", w.session.undo_stack.count(), flush=True)
    # Still typing when the process is killed: this part was never committed.
    ev = QInputMethodEvent("", [])
    ev.setCommitString("未提交")
    QApplication.sendEvent(editor, ev)
    print("READY", flush=True)
    while True:
        time.sleep(0.1)
""")


def test_sigkill_after_edits_loses_nothing_committed(qtbot, settings, example, tmp_path):
    script = tmp_path / "edit_then_wait.py"
    script.write_text(KILL_SCRIPT.format(root=str(ROOT), path=str(example)), encoding="utf-8")
    env = {**os.environ, "NANZHOU_HOME": str(tmp_path / "child-home")}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        lines = []
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
            if line.startswith("READY"):
                break
        assert "COMMITTED 2" in lines, (lines, proc.stderr.read() if proc.poll() is not None else "")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    # Reopened in the window: the committed edits are there, and the user is told plainly.
    w = window(qtbot, settings, example)
    r = w.session.report
    assert r.section("3").body.endswith("（崩溃前写入）")
    assert "未提交" not in r.section("3").body
    assert r.signoff.head == "张伟"
    assert w.signoff.editors["head"].text() == "张伟"
    assert w.form.banner.isVisible()
    assert "没有正常退出" in w.form.bannerText.text()
    assert not w.session.rf.read_only  # the dead process's lock went with it


def test_second_window_on_the_same_file_is_read_only(qtbot, settings, example):
    first = window(qtbot, settings, example)
    second = window(qtbot, settings, example)
    assert second.session.rf.read_only
    assert second.form.banner.isVisible()
    assert "只读" in second.form.bannerText.text() and "另一个窗口或程序" in second.form.bannerText.text()
    assert "只读" in second.windowTitle()
    editor = second.section_tabs["1"].form_for("1.1").editor
    assert editor.isReadOnly()
    assert not second.form.actionFinalise.isEnabled()
    # The first window still edits and saves.
    ed1 = first.section_tabs["3"].form_for("3").editor
    ed1.moveCursor(ed1.textCursor().MoveOperation.End)
    type_chinese(ed1, "补")
    first.save_now()
    assert on_disk(example, "SELECT body FROM sections WHERE key='3'").endswith("补")


def test_task_editor_add_move_delete_renumbers(qtbot, settings, example, monkeypatch):
    w = window(qtbot, settings, example)
    te = w.section_tabs["2"].form_for("2.2").task_editor
    report = w.session.report
    n = len(report.tasks)
    first_task = report.tasks[0]
    numbers = te.numbering()
    assert numbers[:4] == ["1.", "（1）", "（2）", "2."]
    # Add a task at the end, then a sub-item to task 1: title it in Chinese, move it to the top.
    qtbot.mouseClick(te.add_task_button, Qt.MouseButton.LeftButton)
    assert len(report.tasks) == n + 1 and te.numbering().count(f"{n + 1}.") == 1
    te.add_item(first_task.id)
    item = first_task.items[-1]
    title = w.registry.get("task_items", item.id, "title").widget
    type_chinese(title, "新增小项")
    title.clearFocus()
    assert on_disk(example, "SELECT title FROM task_items WHERE id=?", item.id) == "新增小项"
    assert te.numbering()[:5] == ["1.", "（1）", "（2）", "（3）", "2."]
    te.move("task_items", item.id, -1)
    te.move("task_items", item.id, -1)
    assert first_task.items[0].id == item.id
    assert te.number_labels[("task_items", item.id)].text() == "（1）"
    assert w.registry.get("task_items", item.id, "title").widget.text() == "新增小项"
    # Move task 1 down: it becomes 2. everywhere.
    te.move("tasks", first_task.id, +1)
    assert te.number_labels[("tasks", first_task.id)].text() == "2."
    assert on_disk(example, "SELECT position FROM tasks WHERE id=?", first_task.id) == 1
    # Delete (after confirming) renumbers what follows.
    monkeypatch.setattr(task_editor, "confirm_delete", lambda parent, what: True)
    te.delete("tasks", report.tasks[0].id)
    assert te.number_labels[("tasks", first_task.id)].text() == "1."
    assert len(report.tasks) == n


def test_row_changes_undo_and_redo_with_the_field_edits(qtbot, settings, example, monkeypatch):
    """撤销 / 重做 take back a deleted task (with its 小项), an added 小项 and its typed title,
    a move, and a deleted 重点项目 — in the window, in the file and in the numbering."""
    w = window(qtbot, settings, example)
    monkeypatch.setattr(task_editor, "confirm_delete", lambda parent, what: True)
    te = w.section_tabs["2"].form_for("2.2").task_editor
    report = w.session.report
    undo, redo = w.form.actionUndo.trigger, w.form.actionRedo.trigger
    first = report.tasks[0]
    titles = [t.title for t in report.tasks]
    n_items = len(first.items)
    # Delete task 1 and take it back: same id, 小项 and place, in the file too.
    te.delete("tasks", first.id)
    assert report.tasks[0] is not first and on_disk(example, "SELECT count(*) FROM tasks WHERE id=?", first.id) == 0
    assert w.form.actionUndo.text() == "撤销：删除工作任务(&U)"  # the menu names the step
    undo()
    assert w.form.actionRedo.text() == "重做：删除工作任务(&R)"
    assert report.tasks[0].id == first.id and [t.title for t in report.tasks] == titles
    assert len(report.tasks[0].items) == n_items and te.numbering()[0] == "1."
    assert on_disk(example, "SELECT count(*) FROM task_items WHERE task_id=?", first.id) == n_items
    redo()
    assert [t.title for t in report.tasks] == titles[1:]
    undo()
    # Add a 小项 and type its title: 撤销 takes back the title, then the 小项.
    te.add_item(first.id)
    item = report.tasks[0].items[-1]
    title = w.registry.get("task_items", item.id, "title").widget
    type_chinese(title, "新增小项")
    title.clearFocus()
    assert on_disk(example, "SELECT title FROM task_items WHERE id=?", item.id) == "新增小项"
    undo()
    assert on_disk(example, "SELECT title FROM task_items WHERE id=?", item.id) == ""
    undo()
    assert len(report.tasks[0].items) == n_items
    assert on_disk(example, "SELECT count(*) FROM task_items WHERE id=?", item.id) == 0
    redo()
    redo()
    assert report.tasks[0].items[-1].id == item.id
    assert w.registry.get("task_items", item.id, "title").widget.text() == "新增小项"
    # A move is taken back to where the task stood.
    te.move("tasks", first.id, +1)
    assert report.tasks[1].id == first.id
    undo()
    assert report.tasks[0].id == first.id and te.number_labels[("tasks", first.id)].text() == "1."
    # Rows of the 自评表 too: a deleted 重点项目 comes back.
    tab = w.table_tab
    projects = [p.name for p in report.projects]
    ed = tab.project_editor
    tab.tabs.setCurrentWidget(ed)
    ed.view.setCurrentIndex(ed.model.index(0, 0))
    qtbot.mouseClick(ed.delete_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in report.projects] == projects[1:]
    undo()
    assert [p.name for p in report.projects] == projects
    assert ed.model.rowCount() == len(projects)


def test_forms_are_compiled_from_the_ui_files():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import compile_ui
    finally:
        sys.path.pop(0)
    for name in compile_ui.FORMS:
        committed = (compile_ui.FORMS_DIR / f"ui_{name}.py").read_text(encoding="utf-8")
        assert committed == compile_ui.compile_form(name), f"ui/{name}.ui changed: run tools/compile_ui.py"


def test_new_open_example_save_as_drop_and_recent(qtbot, settings, example, tmp_path, monkeypatch):
    w = window(qtbot, settings, example)
    # 新建: a street from the list, a year; the report opens with that title.
    d = dialogs.NewReportDialog(w)
    assert d.form.unit.count() == 18
    d.form.unit.setCurrentIndex(d.form.unit.findData("瑞宝"))
    assert d.form.shortName.text() == "瑞宝街道"
    d.form.year.setValue(2023)
    choice = d.choice()
    assert choice.unit == Unit("广州市海珠区人民政府瑞宝街道办事处", "瑞宝街道", "", "海珠区") and choice.year == 2023
    monkeypatch.setattr(dialogs, "ask_new_report", lambda parent: choice)
    new_path = tmp_path / "瑞宝2023"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new_path), ""))
    w.form.actionNew.trigger()
    assert Path(w.session.rf.path) == new_path.with_name("瑞宝2023.sqlite")
    assert "瑞宝街道 · 2023年度 · 草稿" in w.windowTitle()
    assert w.section_tabs["1"].form_for("1.1").editor.toPlainText() == ""
    assert w.tab_states()["一、基本情况"] in ("error", "incomplete")  # nothing written yet
    # Free text is allowed for the unit.
    d2 = dialogs.NewReportDialog(w)
    d2.form.unit.setEditText("广州市某区某某街道办事处")
    assert d2.choice().unit.full_name == "广州市某区某某街道办事处"

    # 打开示例: a fresh copy in the user's data folder, each time a new one.
    w.form.actionOpenExample.trigger()
    p1 = Path(w.session.rf.path)
    w.form.actionOpenExample.trigger()
    p2 = Path(w.session.rf.path)
    assert p1 != p2 and p1.parent == p2.parent == settings.data_dir
    assert w.session.report.unit.short_name == "南洲街道"

    # 另存为: a copy with the current content; the window switches to it.
    body = w.section_tabs["3"].form_for("3").editor
    body.moveCursor(body.textCursor().MoveOperation.End)
    type_chinese(body, "（另存前）")
    copy_path = tmp_path / "副本.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy_path), ""))
    w.form.actionSaveAs.trigger()
    assert Path(w.session.rf.path) == copy_path
    assert w.session.report.section("3").body.endswith("（另存前）")
    assert on_disk(p2, "SELECT body FROM sections WHERE key='3'").endswith("（另存前）")

    # Drag and drop a report file onto the window.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(example))])
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    w.dropEvent(drop)
    assert Path(w.session.rf.path) == example

    # Recent files, most recent first; the next start opens the last file.
    recent = settings.recent_files()
    assert recent[0] == str(example.resolve()) and str(copy_path.resolve()) in recent
    w.form.menuRecent.aboutToShow.emit()
    assert len(w.form.menuRecent.actions()) == len(recent)
    assert first_report_path(AppSettings(), None) == (example.resolve(), "")


def test_first_start_opens_a_fresh_example_copy(settings):
    path, hello = first_report_path(settings, None)
    assert path.parent == settings.data_dir and path.exists()
    assert "示例" in hello
    with open_report_file(path, read_only=True) as rf:
        assert rf.report.unit.short_name == "南洲街道"


def test_unopenable_file_is_said_in_chinese(qtbot, settings, tmp_path, monkeypatch):
    bad = tmp_path / "坏文件.sqlite"
    bad.write_bytes(b"not a report at all" * 100)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append(text))
    w = window(qtbot, settings)
    assert not w.open_file(bad)
    assert shown and "坏文件.sqlite" in shown[0]
    assert all(ord(c) < 128 or "\u4e00" <= c <= "\u9fff" or not c.isalpha() for c in shown[0])


def test_screenshot_mode_writes_every_tab(tmp_path, example):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NANZHOU_SCREENSHOT_DIR": str(tmp_path / "shots"),
           "NANZHOU_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-m", "nanzhou_desktop", str(example)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    shots = sorted(p.name for p in (tmp_path / "shots").glob("tab-*.png"))
    assert len(shots) == 9, shots
    assert "Traceback" not in out.stderr
    assert all((tmp_path / "shots" / s).stat().st_size > 10_000 for s in shots)
    QApplication.processEvents()


def test_file_menu_exports_the_pdf(qtbot, settings, example, tmp_path, monkeypatch):
    from nanzhou_desktop.gui import print_preview

    w = window(qtbot, settings, example)
    actions = {a.text(): a for a in w.form.menuFile.actions()}
    assert {"打印预览(&V)…", "打印(&P)…", "导出 PDF(&D)…"} <= set(actions)
    target = tmp_path / "导出.pdf"
    monkeypatch.setattr(print_preview, "ask_pdf_path", lambda parent, report, folder=None: target)
    told: list[tuple[str, Path]] = []
    monkeypatch.setattr(dialogs, "show_saved", lambda parent, title, text, path: told.append((text, path)))
    actions["导出 PDF(&D)…"].trigger()
    qtbot.waitUntil(target.exists, timeout=60_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert "已导出 PDF" in w.form.statusbar.currentMessage()
    # Where it went is said, with 打开所在文件夹 (dialogs.show_saved).
    assert told and told[0][1] == target and str(tmp_path) in told[0][0]


def test_unexpected_error_is_one_chinese_sentence_and_logged(settings, capsys):
    from nanzhou_desktop.gui.app import install_excepthook

    old = sys.excepthook
    install_excepthook(settings)
    try:
        try:
            raise RuntimeError("模拟的故障")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    err = capsys.readouterr().err
    assert "程序出现了意外错误" in err and "已保存的内容不受影响" in err
    assert "Traceback" not in err
    log = settings.log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "模拟的故障" in log


def test_next_year_report_from_the_file_menu(qtbot, settings, example, tmp_path, monkeypatch):
    w = window(qtbot, settings, example)
    actions = {a.text(): a for a in w.form.menuFile.actions()}
    assert "导入报告文档（Word / PDF / 文本）(&I)…" in actions
    target = tmp_path / "南洲2023"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    actions["新建下一年度报告(&Y)…"].trigger()
    assert Path(w.session.rf.path) == target.with_name("南洲2023.sqlite")
    r = w.session.report
    assert r.year == 2023 and r.status.value == "草稿"
    assert "2023年度" in w.windowTitle()
    assert w.section_tabs["3"].form_for("3").editor.toPlainText() == ""
    assert on_disk(example, "SELECT fiscal_year FROM report") == 2022  # the old report is untouched


def test_qt_dialogs_speak_chinese_and_the_font_draws_it(settings):
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "").startswith("取消")
    family = QApplication.font().family()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def test_the_window_counts_characters_as_show_and_print_do():
    from nanzhou_desktop import narrative
    from nanzhou_desktop.gui import section_forms

    for text in ("", "南洲街道 2022 年\n执行率 99.13%。", "\u3000全角空格\t制表", "a b\r\nc"):
        assert section_forms.count_chars(text) == narrative.count_chars(text)
