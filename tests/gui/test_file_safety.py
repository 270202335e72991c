"""Never lose a finished report (issue 15, items 1 and 2) in the window: 新建, 另存为, 导入 and
新建下一年度 never replace a 已定稿/已导出 report, back up any other file they replace and say
so; names offered are free; every file dialog opens in the one visible folder
文档/部门整体支出绩效自评; after writing a file the window says where, with 打开所在文件夹."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.example import example_report
from nanzhou_desktop.gui import desktop, dialogs, files, import_dialog, print_preview
from nanzhou_desktop.gui.app import first_report_path
from nanzhou_desktop.gui.dialogs import NewReportChoice
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.model import Status, Unit
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from tests.conftest import SEED

JIANGHAI = Unit("广州市海珠区人民政府江海街道办事处", "江海街道", "", "海珠区")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _window(qtbot, settings, path: Path) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(path)
    w.show()
    qtbot.waitExposed(w)
    return w


def _finished(path: Path, status: Status = Status.EXPORTED) -> Path:
    """江海街道's 2023 report, 定稿 and exported (第2版), as after a year's work."""
    r = example_report(fresh_uuid=True)
    r.unit, r.year, r.revision, r.status = JIANGHAI, 2023, 2, status
    r.final_fingerprint = fingerprint(r)
    return create_report_file(path, r)


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records what it was offered, answers in turn."""

    def __init__(self, *answers: Path | str) -> None:
        self.answers = list(answers)
        self.offered: list[Path] = []

    def __call__(self, parent, title, directory, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204
        self.offered.append(Path(directory))
        return (str(self.answers.pop(0)) if self.answers else "", "")


def test_new_report_never_replaces_a_finished_one(qtbot, settings, monkeypatch):
    """The trial: a second 新建 for the same unit and year suggested the finished report's name,
    the user said yes, and the exported 第2版 became blank with no backup."""
    first, _ = first_report_path(settings, None)  # first start: an example copy in the data folder
    folder = files.documents_folder()
    assert folder.name == "部门整体支出绩效自评" and folder.parent.name == "文档" and folder.is_dir()
    done = _finished(folder / "江海街道2023年度自评报告.sqlite")
    before = _sha(done)
    w = _window(qtbot, settings, first)
    monkeypatch.setattr(dialogs, "ask_new_report", lambda parent: NewReportChoice(JIANGHAI, 2023))
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    ask = SaveDialog(done, "")  # the user types the finished report's name anyway, then cancels
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    w.form.actionNew.trigger()
    # Offered a free name in the visible folder, not the hidden data folder of the example.
    assert ask.offered[0] == folder / "江海街道2023年度自评报告 (2).sqlite"
    assert errors and "已导出的报告" in errors[0] and "不能被替换" in errors[0]
    assert ask.offered[1] == folder / "江海街道2023年度自评报告 (2).sqlite"  # asked again, free name
    assert _sha(done) == before and Path(w.session.rf.path) == first
    assert sorted(p.name for p in folder.iterdir()) == [done.name]

    ask = SaveDialog(folder / "江海街道2023年度自评报告 (2).sqlite")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    w.form.actionNew.trigger()
    assert Path(w.session.rf.path).name == "江海街道2023年度自评报告 (2).sqlite"
    assert _sha(done) == before
    with open_report_file(done, read_only=True) as rf:
        assert rf.report.status == Status.EXPORTED and rf.report.revision == 2


def test_a_replaced_draft_is_backed_up_and_the_banner_says_where(qtbot, settings, example, monkeypatch):
    folder = files.documents_folder()
    draft = create_report_file(folder / "江海街道2023年度自评报告.sqlite", example_report(fresh_uuid=True))
    before = _sha(draft)
    w = _window(qtbot, settings, example)
    monkeypatch.setattr(dialogs, "ask_new_report", lambda parent: NewReportChoice(JIANGHAI, 2023))
    asked: list[str] = []

    def no_then_yes(parent, title, existing, backup_name):  # noqa: ANN001, ANN202
        asked.append(backup_name)
        return len(asked) > 1

    monkeypatch.setattr(dialogs, "confirm_replace", no_then_yes)
    ask = SaveDialog(draft, draft)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    w.form.actionNew.trigger()
    # "换一个文件名" the first time: offered a free name; the second time replaced after a backup.
    assert ask.offered[1].name == "江海街道2023年度自评报告 (2).sqlite"
    assert asked[0].startswith("江海街道2023年度自评报告的备份 (")
    backups = list(folder.glob("江海街道2023年度自评报告的备份 (*).sqlite"))
    assert len(backups) == 1 and _sha(backups[0]) == before
    assert Path(w.session.rf.path) == draft and w.session.report.year == 2023
    banner = w.form.bannerText.text()
    assert w.form.banner.isVisible() and str(folder) in banner and backups[0].name in banner
    shown: list[Path] = []
    monkeypatch.setattr(desktop, "reveal", lambda path: shown.append(Path(path)) or True)
    assert w.revealButton.isVisible() and w.revealButton.text() == "打开所在文件夹"
    w.revealButton.click()
    assert shown == [draft]
    w.form.bannerClose.click()  # 知道了: gone, and it stays gone
    w.session.recheck()
    QApplication.processEvents()
    assert not w.form.banner.isVisible()


def test_save_as_and_next_year_offer_free_names_in_the_visible_folder(qtbot, settings, monkeypatch):
    first, _ = first_report_path(settings, None)
    folder = files.documents_folder()
    w = _window(qtbot, settings, first)
    ask = SaveDialog("")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    w.form.actionSaveAs.trigger()
    assert ask.offered[0].parent == folder and ask.offered[0].name == f"{first.stem}（副本）.sqlite"
    (folder / "南洲街道2023年度自评报告.sqlite").write_bytes(b"")
    w.new_next_year()
    assert ask.offered[1] == folder / "南洲街道2023年度自评报告 (2).sqlite"
    # The folder and open dialogs too.
    seen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda p, t, d, *a, **k: (seen.append(d), ("", ""))[1])
    w.form.actionOpen.trigger()
    assert seen == [str(folder)]


def test_import_never_replaces_a_finished_report(qtbot, settings, tmp_path, monkeypatch):
    example, _ = first_report_path(settings, None)
    folder = files.documents_folder()
    done = _finished(folder / "南洲街道2022年度自评报告.sqlite", Status.FINAL)
    before = _sha(done)
    doc = tmp_path / "南洲.txt"
    doc.write_bytes(SEED.read_bytes())
    w = _window(qtbot, settings, example)
    result = import_dialog.import_document(doc, year=2022)
    monkeypatch.setattr(import_dialog, "run_import_dialog", lambda parent, path: result)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(doc), ""))
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    ask = SaveDialog(done, "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    w.import_document()
    assert ask.offered[0] == folder / "南洲街道2022年度自评报告 (2).sqlite"  # free, visible folder
    assert errors and "已定稿的报告" in errors[0]
    assert _sha(done) == before and Path(w.session.rf.path) == example


def test_exports_default_to_the_visible_folder_and_offer_to_open_it(qtbot, settings, monkeypatch):
    first, _ = first_report_path(settings, None)
    folder = files.documents_folder()
    w = _window(qtbot, settings, first)
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda p, t, d, *a, **k: (offered.append(d), ("", ""))[1])
    assert print_preview.ask_pdf_path(w, w.session.report, files.start_folder(first)) is None
    assert Path(offered[0]).parent == folder
    w.session.rf.set_status(Status.FINAL, action="finalise")  # (a draft is told to finalise first)
    dirs: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda p, t, d, *a, **k: (dirs.append(d), "")[1])
    w.export_for_sending()
    assert dirs == [str(folder)]
