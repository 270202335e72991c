"""Open every window and dialog of the app on one office screen (offscreen) and report where
each one's frame lies against the screen's available area; optionally save a screenshot of each.

    python tools/screen_audit.py 1366 768 1.25 [--shots DIR]

Prints one JSON object per line: ``{"name", "frame": [x, y, w, h], "avail": [x, y, w, h],
"minimum": [w, h]}``, all in logical pixels.  ``make screenshots`` runs it at the office
sizes (1024×768 and 1366×768 at 100 %, 1366×768 at 125 %, 1920×1080 at 125 % and 150 %,
3840×2160 at 200 %) and ``tests/gui/test_screen_fit.py`` fails on any frame outside its
screen.  Run in a fresh process: the screen is fixed when the QApplication starts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (width, height, scale): the screens offices have (issue 15, item 7).
OFFICE_SCREENS = ((1024, 768, 1.0), (1366, 768, 1.0), (1366, 768, 1.25), (1920, 1080, 1.25), (1920, 1080, 1.5),
                  (3840, 2160, 2.0))


def screen_config(width: int, height: int, scale: float, folder: Path) -> str:
    """The offscreen platform's screen description (see reference/platform-notes.md)."""
    cfg = folder / "screen.json"
    # The offscreen platform takes the size in device-independent pixels: 1366×768 at 125 % is a
    # 1093×614 logical screen with a device pixel ratio of 1.25.
    cfg.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": round(width / scale),
                                            "height": round(height / scale), "logicalDpi": 96,
                                            "logicalBaseDpi": 96, "dpr": scale}]}))
    return f"offscreen:configfile={cfg}"


def label(scale: float) -> str:
    return f"{scale:g}"


class Audit:
    def __init__(self, shots: Path | None) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.shots = shots
        self.rows: list[dict] = []

    def settle(self, rounds: int = 4) -> None:
        for _ in range(rounds):
            self.app.processEvents()

    def record(self, name: str, widget, *, shot: bool = True) -> None:  # noqa: ANN001 - any top-level QWidget
        self.settle()
        screen = widget.screen() or self.app.primaryScreen()
        f, a = widget.frameGeometry(), screen.availableGeometry()
        m = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        row = {"name": name, "frame": [f.x(), f.y(), f.width(), f.height()],
               "avail": [a.x(), a.y(), a.width(), a.height()], "minimum": [m.width(), m.height()]}
        self.rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if shot and self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            widget.grab().save(str(self.shots / f"{len(self.rows):02d}-{name}.png"))

    def dialog(self, name: str, widget) -> None:  # noqa: ANN001
        """Show a dialog as the app would (not modal here: nothing answers it), record, close."""
        widget.show()
        self.record(name, widget)
        widget.close()
        widget.deleteLater()
        self.settle()


def run(width: int, height: int, scale: float, shots: Path | None, *, quick: bool = False) -> int:
    """``quick``: do not wait for the print preview's pages (its size is known at once)."""
    tmp = Path(tempfile.mkdtemp(prefix="nanzhou-screens-"))
    os.environ["QT_QPA_PLATFORM"] = screen_config(width, height, scale, tmp)
    os.environ["NANZHOU_HOME"] = str(tmp / "home")
    from nanzhou_desktop.gui.app import AppSettings, make_app, quiet_offscreen

    make_app()
    quiet_offscreen()
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from nanzhou_desktop.example import write_example
    from nanzhou_desktop.gui import dialogs
    from nanzhou_desktop.gui.main_window import MainWindow
    from nanzhou_desktop.rules.findings import Severity

    audit = Audit(shots)
    settings = AppSettings()
    example = write_example(tmp / "南洲街道2022年度（示例）.sqlite")
    window = MainWindow(settings)
    window.open_file(example)
    window.show_on_screen()  # as the app starts: fitted to the screen (or as last left)
    audit.record("main-window", window)
    window.showMaximized()
    audit.settle()
    tabs = window.form.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        content = window.current_content()
        sub = getattr(content, "tabs", None)
        if sub is not None:
            for j in range(sub.count()):
                sub.setCurrentIndex(j)
                audit.record(f"main-maximised-tab{i + 1}{'abcdefgh'[j]}", window)
        else:
            audit.record(f"main-maximised-tab{i + 1}", window)
    # The warning that scrolls the indicator table to 偏差原因 (item 6).
    result = window.session.result
    target = next((f for f in result.findings if f.where.table == "indicators" and f.where.column == "reason"), None)
    if target is None:
        target = next((f for f in result.findings if f.where.table == "indicators"), None)
    if target is not None:
        from nanzhou_desktop.model import FieldRef

        window.focus_ref(FieldRef("indicators", target.where.row, "reason"))
        audit.record("main-maximised-indicator-reason", window)
    window.showNormal()
    audit.settle()

    # Dialogs, each shown over the (normal) main window.
    warning = next(f for f in result.findings if f.severity == Severity.WARNING)
    audit.dialog("dialog-new-report", dialogs.NewReportDialog(window))
    audit.dialog("dialog-explain", dialogs.ExplainDialog(warning, window))
    audit.dialog("dialog-unlock", dialogs.UnlockDialog("已定稿", 1, window))
    from nanzhou_desktop.exchange import mail
    from nanzhou_desktop.gui.send_mail import SendMailDialog

    report = window.session.report
    sent = tmp / f"{report.year}_南洲街道_部门整体支出绩效自评_r1.sqlite"
    sent.write_bytes(b"")
    audit.dialog("dialog-send-mail", SendMailDialog(mail.draft_for(report, "jxpj@czj.example.gov.cn", sent,
                                                                   sent.with_suffix(".pdf")), window))
    audit.dialog("dialog-exported", dialogs.exported_box(window, "已导出上报文件“2022_南洲街道_部门整体支出绩效自评_r1.sqlite”，"
                                                         "签字盖章用的 PDF 在同一文件夹中。\n\n文件夹：/home/用户/文档/部门整体支出绩效自评"))
    audit.dialog("dialog-refused", dialogs.list_box(window, "还不能定稿", "\n".join(
        f"· 警告：{f.message}" for f in result.findings[:12])))
    box = QMessageBox(QMessageBox.Icon.Information, "关于", "关于", QMessageBox.StandardButton.Ok, window)
    audit.dialog("dialog-message", box)
    for name, mode in (("dialog-file-save", QFileDialog.AcceptMode.AcceptSave),
                       ("dialog-file-open", QFileDialog.AcceptMode.AcceptOpen)):
        fd = QFileDialog(window, "新报告保存为", str(tmp), "报告文件 (*.sqlite);;所有文件 (*)")
        fd.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        fd.setAcceptMode(mode)
        audit.dialog(name, fd)
    for name, make in help_windows(window):
        audit.dialog(name, make())

    from nanzhou_desktop.gui.print_preview import PrintPreviewDialog

    preview = PrintPreviewDialog(window, window.session.rf, result=result)
    preview.show()
    for _ in range(0 if quick else 600):  # the render runs in a worker thread: wait for the pages
        if preview.info is not None or not preview.job.running:
            break
        audit.settle(1)
        import time

        time.sleep(0.05)
    audit.dialog("dialog-print-preview", preview)

    from nanzhou_desktop.gui.import_dialog import ImportDialog
    from nanzhou_desktop.importing import import_document

    doc = tmp / "南洲.txt"
    doc.write_bytes((ROOT / "tests" / "data" / "nanzhou_2022_report.txt").read_bytes())
    audit.dialog("dialog-import", ImportDialog(import_document(doc), window))

    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.district.testdata import write_street_files
    from nanzhou_desktop.gui.district_window import DistrictWindow

    db = open_district_db(tmp / "区级汇总.sqlite")
    db.load_files(write_street_files(tmp / "收件箱"))
    district = DistrictWindow(db)
    district.show_on_screen()
    audit.record("district-window", district)
    row = db.units()[0]
    audit.dialog("district-report", district.report_dialog(row))
    district.showMaximized()
    audit.record("district-maximised", district)
    district.close()
    window.close()
    return 0


def help_windows(window):  # noqa: ANN001, ANN201
    """The 帮助 windows, when the app has them."""
    help_mod = None
    try:
        from nanzhou_desktop.gui import help as help_mod  # noqa: PLC0415
    except ImportError:
        return []
    return [(f"help-{key}", lambda k=key: help_mod.HelpWindow(window, k)) for key in help_mod.TOPICS]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("width", type=int)
    p.add_argument("height", type=int)
    p.add_argument("scale", type=float)
    p.add_argument("--shots", type=Path, default=None)
    p.add_argument("--quick", action="store_true", help="不等待打印预览生成页面")
    args = p.parse_args(argv)
    return run(args.width, args.height, args.scale, args.shots, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
