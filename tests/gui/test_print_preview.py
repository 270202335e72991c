"""打印预览 / 打印 / 导出 PDF, offscreen."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog

from nanzhou_desktop.gui import print_preview
from nanzhou_desktop.gui.print_preview import PdfRenderJob, PrintPreviewDialog, paint_page, pdf_file_name

RENDER_TIMEOUT_MS = 60_000


@pytest.fixture
def preview(qtbot, example_file):
    QApplication.setFont(QFont("WenQuanYi Micro Hei", 10))
    dlg = PrintPreviewDialog(None, example_file)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.ready, timeout=RENDER_TIMEOUT_MS):
        dlg.show()
    return dlg


def load(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def on_white(img: QImage) -> QImage:
    """QtPdf renders onto a transparent image; composite it on paper-white to read it."""
    out = QImage(img.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.drawImage(0, 0, img)
    p.end()
    return out


def dark_share(img: QImage) -> float:
    """Share of clearly non-white pixels on a coarse grid (is anything printed at all?)."""
    img = on_white(img)
    step = max(img.width() // 120, 1)
    seen = dark = 0
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            seen += 1
            dark += QColor(img.pixel(x, y)).lightness() < 160
    return dark / seen


def pdf_printer(path: Path, dpi: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def test_preview_renders_the_example_with_pages_and_fonts(preview, example_file):
    assert preview.page_count > 1
    assert preview.info.pages == preview.page_count
    assert f"共 {preview.page_count} 页" in preview.status.text()
    assert "草稿" in preview.status.text()  # the example is a draft
    assert preview.page_label.text() == f"第 1 / {preview.page_count} 页"
    fonts = preview.fonts_label.text()
    assert fonts.startswith("所用字体：")
    for text in preview.info.fonts_used.values():
        assert text.split(" (")[0] in fonts
    assert "正文" in fonts and "每个字符都有字体" in fonts
    assert preview.print_button.isEnabled() and preview.export_button.isEnabled()
    assert preview.open_button.isEnabled()
    assert not preview.progress.isVisible()


def test_font_line_names_missing_characters_plainly():
    from nanzhou_desktop.render.pdf import PdfInfo

    info = PdfInfo(Path("x.pdf"), 3, {"body": "AR PL SungtiL GB (/f/gbsn00lp.ttf)",
                                      "heading1": "WenQuanYi Micro Hei (/f/wqy.ttc)"}, {"𠀀", "䶵"})
    line, tip = print_preview.describe_fonts(info)
    assert "AR PL SungtiL GB（正文）" in line and "WenQuanYi Micro Hei（一级标题）" in line
    assert "有 2 个字符没有任何字体包含" in line and "𠀀" in line and "䶵" in line
    assert "/f/gbsn00lp.ttf" in tip


def test_font_line_gives_substituted_characters_as_a_hint():
    """A character printed in another face than its role's (滘 in cwTeX 仿宋体) is a 提示."""
    from nanzhou_desktop.render.pdf import PdfInfo

    info = PdfInfo(Path("x.pdf"), 3, {"body": "FandolFang (/f/FandolFang-Regular.otf)"}, set(),
                   {"滘": ("body", "cwTeX 仿宋体")})
    line, _ = print_preview.describe_fonts(info)
    assert "提示：有 1 个字所选字体中没有" in line and "正文中的“滘”用 cwTeX 仿宋体 打印" in line
    assert "每个字符都有字体可以打印" in line


def test_export_writes_a_pdf(preview, tmp_path, monkeypatch):
    target = tmp_path / "导出" / "报告"
    target.parent.mkdir()
    assert preview.export_to(target) == ""
    out = target.with_name("报告.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    assert load(out).pageCount() == preview.page_count
    # Through the button: the save dialog is answered by the test.
    chosen = tmp_path / "按钮导出.pdf"
    monkeypatch.setattr(print_preview.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "PDF 文件 (*.pdf)")))
    assert preview.export_dialog() == chosen
    assert load(chosen).pageCount() == preview.page_count
    assert "已导出到" in preview.status.text()
    # A place that cannot be written: a Chinese reason, nothing half-written left behind.
    bad = tmp_path / "没有这个文件夹" / "x.pdf"
    msg = preview.export_to(bad)
    assert msg.startswith("无法保存到") and not bad.exists()


def test_print_paints_every_page_at_the_printer_resolution(preview, tmp_path):
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out, 100)
    assert preview.print_to(printer) == preview.page_count
    printed = load(out)
    assert printed.pageCount() == preview.page_count
    # Orientation follows each page: all portrait (the annex is set sideways on portrait
    # sheets, GB/T 9704 §8, so it prints with the page numbers where the others have them).
    src = preview.document
    for i in (0, src.pageCount() - 1):
        s, p = src.pagePointSize(i), printed.pagePointSize(i)
        assert (s.width() > s.height()) == (p.width() > p.height())
        assert p.height() > p.width()
    # Something was actually printed on the first page, where the title and text stand.
    first = printed.render(0, printed.pagePointSize(0).toSize())
    assert 0.005 < dark_share(first) < 0.5
    # A page range prints only those pages.
    out2 = tmp_path / "range.pdf"
    assert preview.print_to(pdf_printer(out2, 72), from_page=1, to_page=2) == 2
    assert load(out2).pageCount() == 2
    # Bands: at 150 dpi an A4 page is 1754 rows, 4 bands of 512; the window gets a turn after each.
    bands: list[int] = []
    out3 = tmp_path / "bands.pdf"
    n = print_preview.print_document(preview.document, pdf_printer(out3, 150), to_page=0,
                                     on_band=lambda: bands.append(1))
    assert n == 1 and len(bands) == 4


def test_banded_painting_matches_a_whole_page_render(preview, monkeypatch):
    doc = preview.document
    dpi = 60
    size = doc.pagePointSize(0)
    w, h = round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)
    monkeypatch.setattr(print_preview, "BAND_ROWS", 37)  # many bands, an uneven last one
    banded = QImage(w, h, QImage.Format.Format_RGB32)
    banded.fill(QColor("white"))
    painter = QPainter(banded)
    used = paint_page(doc, 0, painter, QRectF(0, 0, w, h), dpi)
    painter.end()
    assert abs(used.width() - w) <= 1 and abs(used.height() - h) <= 1  # the page at 60 dpi, aspect kept
    whole = on_white(doc.render(0, used))
    w, h = used.width(), used.height()
    diff = same = 0
    for y in range(0, h, 3):
        for x in range(0, w, 3):
            a, b = QColor(whole.pixel(x, y)), QColor(banded.pixel(x, y))
            if abs(a.lightness() - b.lightness()) > 40:
                diff += 1
            else:
                same += 1
    assert diff / (diff + same) < 0.01
    assert dark_share(banded) > 0.005


def test_render_runs_in_a_thread_and_the_window_keeps_painting(qtbot, example_file, tmp_path):
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    job = PdfRenderJob(example_file, tmp_path / "r.pdf")
    seen: list[tuple[int, int]] = []
    job.progress.connect(lambda d, t: seen.append((d, t)))
    start = time.perf_counter()
    with qtbot.waitSignal(job.finished, timeout=RENDER_TIMEOUT_MS):
        job.start()
    elapsed = time.perf_counter() - start
    timer.stop()
    assert job.info.pages > 1 and (tmp_path / "r.pdf").exists()
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the end
    # The pauses of the event loop from the start to the end of the render (a fast render may
    # see a single timer tick).
    marks = [start, *ticks, start + elapsed]
    gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    # The GUI thread kept running its event loop throughout.
    assert len(ticks) > elapsed / 0.1
    assert max(gaps) < 0.5, f"longest pause of the event loop: {max(gaps):.3f} s"


def test_render_failure_and_cancel_are_sentences(qtbot, example_file, tmp_path):
    job = PdfRenderJob(example_file, tmp_path / "缺少的文件夹" / "r.pdf")
    with qtbot.waitSignal(job.failed, timeout=RENDER_TIMEOUT_MS) as sig:
        job.start()
    message = sig.args[0]
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message) and "Traceback" not in message
    job2 = PdfRenderJob(example_file, tmp_path / "c.pdf")
    with qtbot.waitSignal(job2.failed, timeout=RENDER_TIMEOUT_MS) as sig:
        job2.start()
        job2.cancel()
    assert sig.args[0] == "已取消生成 PDF"
    assert not (tmp_path / "c.pdf").exists()


def test_preview_shows_a_render_failure_in_chinese(qtbot, example_file, monkeypatch):
    from nanzhou_desktop.render import pdf

    def broken(*a, **k):
        raise pdf.RenderError("找不到可用于正文（仿宋）的中文字体")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    dlg = PrintPreviewDialog(None, example_file)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.failed, timeout=RENDER_TIMEOUT_MS):
        dlg.show()
    assert dlg.status.text() == "找不到可用于正文（仿宋）的中文字体"
    assert not dlg.print_button.isEnabled() and not dlg.export_button.isEnabled()


def test_export_pdf_menu_action_writes_the_file(qtbot, example_file, tmp_path):
    target = tmp_path / pdf_file_name(example_file.report)
    assert target.name == "南洲街道2022年度部门整体支出绩效自评报告.pdf"
    path = print_preview.export_pdf(None, example_file, target=target)
    assert path == target and load(target).pageCount() > 1


def test_print_report_menu_action_through_a_print_dialog(qtbot, example_file, tmp_path, monkeypatch):
    out = tmp_path / "printer.pdf"

    class AcceptingPrintDialog:
        """Stands in for the system dialog: the user picks a PDF printer at 96 dpi and prints."""

        PrintDialogOption = print_preview.QPrintDialog.PrintDialogOption

        def __init__(self, printer: QPrinter, parent=None) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(96)

        def setWindowTitle(self, *_a) -> None: ...
        def setMinMax(self, *_a) -> None: ...
        def setOption(self, *_a) -> None: ...

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", AcceptingPrintDialog)
    pages = print_preview.print_report(None, example_file)
    assert pages > 1 and load(out).pageCount() == pages


def test_closing_the_preview_removes_its_temporary_pdf(preview):
    folder = preview.pdf_path.parent
    assert preview.pdf_path.exists()
    preview.reject()
    assert not folder.exists()


def test_show_print_preview_opens_the_dialog_with_the_rendered_report(qtbot, example_file):
    seen: list[int] = []

    def inspect_and_close() -> None:
        dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreviewDialog) and w.isVisible())
        if dlg.info is None:
            QTimer.singleShot(50, inspect_and_close)  # still rendering: the dialog is already usable
            return
        seen.append(dlg.page_count)
        dlg.accept()

    QTimer.singleShot(50, inspect_and_close)
    assert print_preview.show_print_preview(None, example_file) == QDialog.DialogCode.Accepted.value
    assert seen and seen[0] > 1
