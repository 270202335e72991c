"""Chinese all the way (issue 15, item 14): every word of every dialog the app shows, Qt's own
file, print and input dialogs included, is Chinese.  Qt's catalogue left "&Look in:", "Files
of &type:" and "Folder" in English; the app ships them (resources/i18n/nanzhou_qt_zh_CN.ts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QInputDialog, QMessageBox, QProgressDialog

from nanzhou_desktop.gui import dialogs
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.rules.findings import Severity
from nanzhou_desktop.store.replace import existing_file
from tests.conftest import ROOT, SEED
from tests.gui.chinese_walk import english_words, visible_english


def _shown(qtbot, widget):  # noqa: ANN001, ANN202
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    for _ in range(3):
        QApplication.processEvents()
    return widget


def test_the_walk_finds_english_words():
    """The test must be able to fail: the words the trial saw are found, names and units are not."""
    assert english_words("&Look in:") == ["Look", "in"]
    assert english_words("Files of &type:") == ["Files", "of", "type"]
    assert english_words("导出 PDF… · Ctrl+V 粘贴 Excel 表格 · 92 KiB") == []


@pytest.mark.parametrize("mode", ["save", "open", "folder"])
@pytest.mark.parametrize("view", [QFileDialog.ViewMode.List, QFileDialog.ViewMode.Detail])
def test_file_dialogs_are_chinese(qtbot, settings, tmp_path, mode, view):
    (tmp_path / "子文件夹").mkdir()
    (tmp_path / "南洲2022.sqlite").write_bytes(b"x" * 2048)
    (tmp_path / "说明.txt").write_text("说明", encoding="utf-8")
    d = QFileDialog(None, "新报告保存为", str(tmp_path), "报告文件 (*.sqlite);;所有文件 (*)")
    d.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # what Qt shows where there is no native one
    d.setViewMode(view)
    if mode == "save":
        d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif mode == "folder":
        d.setFileMode(QFileDialog.FileMode.Directory)
    _shown(qtbot, d)

    def listed() -> bool:  # the file list is filled by a worker thread
        return any("子文件夹" == (v.model().index(r, 0, v.rootIndex()).data() or "")
                   for v in d.findChildren(QAbstractItemView) if v.isVisible()
                   for r in range(v.model().rowCount(v.rootIndex())))

    qtbot.waitUntil(listed, timeout=10_000)
    qtbot.wait(200)  # the type column is filled after the names
    assert visible_english(d) == []


def _app_dialogs(window: MainWindow, tmp_path: Path):  # noqa: ANN202
    """Every dialog and message the window can show, built as the window builds it."""
    from nanzhou_desktop.gui.import_dialog import ImportDialog
    from nanzhou_desktop.importing import import_document

    result = window.session.result
    warning = next(f for f in result.findings if f.severity == Severity.WARNING)
    doc = tmp_path / "南洲.txt"
    doc.write_bytes(SEED.read_bytes())
    yield "新建报告", dialogs.NewReportDialog(window)
    yield "出错说明", dialogs.ExplainDialog(warning, window)
    yield "解除定稿", dialogs.UnlockDialog("已定稿", 2, window)
    yield "导入", ImportDialog(import_document(doc), window)
    yield "还不能定稿", dialogs.list_box(window, "还不能定稿", "定稿前须改正全部错误")
    yield "替换", dialogs.replace_box(window, "新报告保存为", existing_file(window.session.rf.path), "备份.sqlite")
    yield "已保存", dialogs.saved_box(window, "导出上报", "已导出")
    yield "导出上报", dialogs.exported_box(window, "已导出")
    from nanzhou_desktop.exchange import mail
    from nanzhou_desktop.gui.send_mail import SendMailDialog

    sent = tmp_path / "2022_南洲街道_部门整体支出绩效自评_r1.sqlite"
    sent.write_bytes(b"")
    yield "用邮件发送", SendMailDialog(mail.draft_for(window.session.report, "", sent, None), window)
    box = QMessageBox(QMessageBox.Icon.Question, "定稿", "确定定稿吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel, window)
    yield "标准按钮", box
    ask = QInputDialog(window)  # the district's 已审核 / 退回修改 questions
    ask.setWindowTitle("已审核")
    ask.setLabelText("审核意见（可不填）：")
    yield "审核意见", ask
    yield "进度", QProgressDialog("正在生成 PDF…", "取消", 0, 10, window)


def test_the_window_and_its_dialogs_are_chinese(qtbot, settings, example, tmp_path):
    window = _shown(qtbot, MainWindow(settings))
    assert window.open_file(example)
    for i in range(window.form.tabs.count()):
        window.form.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        found = visible_english(window)
        assert found == [], (window.form.tabs.tabText(i), found)
    for name, dialog in _app_dialogs(window, tmp_path):
        _shown(qtbot, dialog)
        assert visible_english(dialog) == [], name
        dialog.close()


def test_print_dialogs_are_chinese(qtbot, settings):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = _shown(qtbot, QPrintDialog(printer))
    assert visible_english(dialog) == []


def test_the_shipped_translation_is_compiled_from_its_source():
    from tools.compile_translations import I18N, compiled_bytes

    sources = sorted(I18N.glob("*.ts"))
    assert sources, "resources/i18n/*.ts"
    for ts in sources:
        assert ts.with_suffix(".qm").read_bytes() == compiled_bytes(ts), f"{ts.name}: run tools/compile_translations.py"
    assert (ROOT / "resources" / "i18n" / "nanzhou_qt_zh_CN.qm").exists()
