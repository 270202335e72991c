"""打印预览, 打印 and 导出 PDF: the report's GB/T 9704 PDF inside the app.

The PDF is made by :func:`nanzhou_desktop.render.pdf.render_pdf` (no Qt) in a worker thread,
from a copy of the report taken when the render starts, so typing in the window neither
waits for it nor races it.  It is shown with QtPdf, printed by painting each page at the
printer's own resolution (in bands, so a 1200 dpi page does not need half a gigabyte), and
exported by copying the rendered file.

Embedding in the main window::

    from nanzhou_desktop.gui import print_preview

    act_preview.triggered.connect(lambda: print_preview.show_print_preview(self, rf))
    act_print.triggered.connect(lambda: print_preview.print_report(self, rf))      # 打印…
    act_export.triggered.connect(lambda: print_preview.export_pdf(self, rf))       # 导出 PDF…

``export_pdf`` returns the written path (or None when cancelled / refused, after telling
the user why); ``print_report`` returns the number of pages sent (0 when cancelled).  Pass
``result=`` (the window's latest ``CheckResult``) to skip re-checking before the render.

The dialog's widgets come from ``ui/print_preview.ui`` (the QPdfView is a promoted widget
there), held as ``self.form``.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QPoint, QRect, QRectF, QSize, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.model import Report
from nanzhou_desktop.rules.findings import CheckResult
from nanzhou_desktop.store.errors import os_reason
from nanzhou_desktop.store.reportfile import ReportFile

BAND_ROWS = 512  # rows of device pixels rendered at a time when printing


class RenderCancelled(Exception):
    """Raised from the progress callback to stop a render the user cancelled."""


def pdf_file_name(report: Report) -> str:
    """南洲街道2022年度部门整体支出绩效自评报告.pdf — what a person would call the file."""
    unit = report.unit.short_name or report.unit.full_name or "本单位"
    name = f"{unit}{report.year}年度部门整体支出绩效自评报告.pdf"
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


# ====================================================================== rendering
FONT_PREPARE_NOTE = "首次使用替代字体：正在把仿宋、宋体字体转换为可嵌入 PDF 的格式，只需一次，约需半分钟……"


class _RenderWorker(QObject):
    progress = Signal(int, int)
    note = Signal(str)  # a stage worth saying (the one-time font conversion)
    done = Signal(object)  # PdfInfo
    failed = Signal(str)

    def __init__(self, report: Report, out_path: Path, result: CheckResult | None) -> None:
        super().__init__()
        self.report = report
        self.out_path = out_path
        self.result = result
        self.cancelled = False

    def _on_progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise RenderCancelled
        self.progress.emit(done, total)

    def run(self) -> None:
        try:
            from nanzhou_desktop.render.fonts import find_fonts, pending_conversions
            from nanzhou_desktop.render.pdf import render_pdf

            if pending_conversions(find_fonts()):
                self.note.emit(FONT_PREPARE_NOTE)
            info = render_pdf(self.report, self.out_path, result=self.result, progress=self._on_progress)
        except RenderCancelled:
            self.failed.emit("已取消生成 PDF")
        except Exception as exc:  # noqa: BLE001 - shown to the user as a sentence, never a traceback
            self.failed.emit(_render_message(exc))
        else:
            self.done.emit(info)


def _render_message(exc: BaseException) -> str:
    from nanzhou_desktop.render.pdf import RenderError

    try:
        from nanzhou_desktop.render.fonts import FontError
    except ImportError:  # pragma: no cover - fonts module always ships with render
        FontError = RenderError  # noqa: N806
    if isinstance(exc, RenderError | FontError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"无法写入 PDF 文件：{os_reason(exc)}"
    return f"生成 PDF 时出错：{exc}"


class PdfRenderJob(QObject):
    """One render of the report's PDF in a worker thread.

    ``progress(done, total)``, then either ``finished(PdfInfo)`` or ``failed(中文原因)``.
    The report is copied when :meth:`start` is called, in the caller's (GUI) thread.
    """

    progress = Signal(int, int)
    note = Signal(str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, report_file: ReportFile, out_path: str | Path, *, result: CheckResult | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        self.out_path = Path(out_path)
        self.result = result
        self.info: Any = None
        self.error = ""
        self._thread: QThread | None = None
        self._worker: _RenderWorker | None = None

    def start(self) -> None:
        # A snapshot: later edits in the window do not change the PDF being made.
        snapshot = copy.deepcopy(self.rf.report)
        self._worker = _RenderWorker(snapshot, self.out_path, self.result)
        self._thread = QThread()
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.note.connect(self.note)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancelled = True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
            self._worker = None

    def _on_done(self, info: Any) -> None:
        self._stop_thread()
        self.info = info
        self.finished.emit(info)

    def _on_failed(self, message: str) -> None:
        self._stop_thread()
        self.error = message
        self.failed.emit(message)

    def wait(self) -> None:
        """Block until the render ends, keeping the window painted (for menu actions)."""
        if self.info is not None or self.error:
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        self.failed.connect(loop.quit)
        if self.info is None and not self.error:
            loop.exec()


def render_with_progress(parent: QWidget | None, rf: ReportFile, out_path: str | Path, *,
                         result: CheckResult | None = None, title: str = "正在生成 PDF") -> tuple[Any, str]:
    """Render with a progress dialog (cancellable); returns (PdfInfo or None, error message)."""
    job = PdfRenderJob(rf, out_path, result=result)
    dialog = QProgressDialog("正在排版报告……", "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # short renders finish before the dialog would flash
    dialog.setAutoClose(False)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    job.progress.connect(on_progress)
    job.note.connect(dialog.setLabelText)
    dialog.canceled.connect(job.cancel)
    job.start()
    job.wait()
    dialog.reset()
    dialog.deleteLater()
    return job.info, job.error


# ====================================================================== printing
def print_document(document: QPdfDocument, printer: QPrinter, *, from_page: int = 0, to_page: int = -1,
                   on_page: Callable[[int, int], bool] | None = None,
                   on_band: Callable[[], None] | None = None) -> int:
    """Paint pages ``from_page..to_page`` (0-based, inclusive) of ``document`` onto ``printer``
    at the printer's resolution; returns the number of pages painted.

    Each page keeps its orientation (the annex is landscape).  ``on_page(i, n)`` is called
    before each page; returning False stops printing.  ``on_band()`` after each band (the
    window processes events there: a page at 1200 dpi takes seconds).  Raises OSError (Chinese message)
    when the printer cannot be opened.
    """
    n = document.pageCount()
    if n <= 0:
        return 0
    last = n - 1 if to_page < 0 else min(to_page, n - 1)
    first = max(from_page, 0)
    printer.setFullPage(True)  # the PDF carries its own GB/T 9704 margins
    painter = QPainter()
    printed = 0
    try:
        for page in range(first, last + 1):
            if on_page is not None and not on_page(page - first, last - first + 1):
                break
            size = document.pagePointSize(page)
            orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                           else QPageLayout.Orientation.Portrait)
            printer.setPageOrientation(orientation)
            if printed == 0:
                if not painter.begin(printer):
                    raise OSError("无法连接打印机或写入打印文件，请检查打印机是否可用")
            elif not printer.newPage():
                raise OSError("打印机拒绝了新的一页，打印已中止")
            paint_page(document, page, painter, printer.paperRect(QPrinter.Unit.DevicePixel),
                       printer.resolution(), on_band=on_band)
            printed += 1
    finally:
        if painter.isActive():
            painter.end()
    return printed


def paint_page(document: QPdfDocument, page: int, painter: QPainter, target: QRectF, dpi: int, *,
               on_band: Callable[[], None] | None = None) -> QSize:
    """Paint one page, centred in ``target`` (device pixels), rasterised at ``dpi``.

    The page is rendered in bands of :data:`BAND_ROWS` rows, each drawn where it belongs,
    so memory stays small whatever the printer's resolution.  Returns the image size used.
    """
    size = document.pagePointSize(page)
    w = size.width() / 72.0 * dpi
    h = size.height() / 72.0 * dpi
    scale = min(target.width() / w, target.height() / h) if w and h else 1.0
    width, height = max(int(round(w * scale)), 1), max(int(round(h * scale)), 1)
    # Whole device pixels: a band drawn at a fractional offset would be resampled (blurred).
    x0 = int(target.x() + (target.width() - width) // 2)
    y0 = int(target.y() + (target.height() - height) // 2)
    for top in range(0, height, BAND_ROWS):
        rows = min(BAND_ROWS, height - top)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(QSize(width, height))
        # QtPdf builds its matrix from QRect::right()/bottom() (= left + width - 1), which
        # shrinks a band by one pixel in its own size (1.6 % for 60 rows); a clip one pixel
        # wider and taller than the image gives exactly the whole-page scale.
        options.setScaledClipRect(QRect(0, top, width + 1, rows + 1))
        band = document.render(page, QSize(width, rows), options)
        painter.drawImage(QPoint(x0, y0 + top), band)
        if on_band is not None:
            on_band()
    return QSize(width, height)


def print_pdf_file(parent: QWidget | None, pdf_path: str | Path, *, title: str = "打印报告") -> int:
    """System print dialog, then print ``pdf_path`` page by page; returns pages printed."""
    document = QPdfDocument(parent)
    if document.load(str(pdf_path)) != QPdfDocument.Error.None_:
        QMessageBox.warning(parent, title, "无法读取生成的 PDF 文件，不能打印")
        return 0
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(Path(pdf_path).stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, document.pageCount())
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    first, last = 0, document.pageCount() - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage() - 1, printer.toPage() - 1
    progress = QProgressDialog("正在发送到打印机……", "取消", 0, last - first + 1, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def on_page(i: int, n: int) -> bool:
        progress.setValue(i)
        progress.setLabelText(f"正在打印第 {i + 1} / {n} 页……")
        QApplication.processEvents()
        return not progress.wasCanceled()

    try:
        printed = print_document(document, printer, from_page=first, to_page=last, on_page=on_page,
                                 on_band=QApplication.processEvents)
    except OSError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return 0
    finally:
        progress.reset()
        progress.deleteLater()
        document.close()
    return printed


# ====================================================================== the dialog
def describe_fonts(info: Any) -> tuple[str, str]:
    """A plain Chinese line about the fonts (and a tooltip with the files)."""
    from nanzhou_desktop.render.fonts import ROLE_NAMES, substitution_note

    by_family: dict[str, list[str]] = {}
    files: list[str] = []
    for role, text in (info.fonts_used or {}).items():
        family, _, path = text.partition(" (")
        role_name = ROLE_NAMES.get(role, role).split("（")[0]
        by_family.setdefault(family, []).append(role_name)
        files.append(f"{role_name}：{family}（{path.rstrip(')')}）")
    used = "；".join(f"{family}（{'、'.join(roles)}）" for family, roles in by_family.items())
    line = f"所用字体：{used}。" if used else "所用字体：未知。"
    missing = sorted(info.missing_chars or ())
    if missing:
        shown = " ".join(missing[:20]) + (" ……" if len(missing) > 20 else "")
        line += f"有 {len(missing)} 个字符没有任何字体包含，打印出来会缺字：{shown}。请改用常见写法或安装相应字体。"
    else:
        line += "报告中的每个字符都有字体可以打印。"
    note = substitution_note(getattr(info, "substituted", None) or {})
    if note:
        line += f"提示：{note}"
    return line, "\n".join(files)


class PrintPreviewDialog(QDialog):
    """打印预览: renders the PDF in the background and shows it; 打印 / 导出 PDF / 用系统程序打开."""

    ready = Signal(object)  # PdfInfo, when the preview is shown
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, report_file: ReportFile, *, result: CheckResult | None = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        self.info: Any = None
        self._tmpdir = Path(tempfile.mkdtemp(prefix="nanzhou-preview-"))
        self.pdf_path = self._tmpdir / pdf_file_name(report_file.report)
        self._opened_externally = False

        from nanzhou_desktop.gui.forms.ui_print_preview import Ui_PrintPreviewDialog  # loaded when first needed

        # The widgets come from ui/print_preview.ui; the names below are the dialog's API.
        self.form = f = Ui_PrintPreviewDialog()
        f.setupUi(self)
        screen_fit.fit_window(self)  # 980×900 from the form did not fit a 768 px screen: 打印/关闭 were off it
        self.status, self.progress, self.view, self.fonts_label, self.page_label = (
            f.status, f.progress, f.view, f.fonts_label, f.page_label)
        self.print_button, self.export_button, self.open_button, self.close_button = (
            f.print_button, f.export_button, f.open_button, f.close_button)
        self.setWindowTitle(f"打印预览 — {report_file.report.display_title}")

        self.document = QPdfDocument(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.print_button.clicked.connect(self.print_pdf)
        self.export_button.clicked.connect(self.export_dialog)
        self.open_button.clicked.connect(self.open_external)
        self.close_button.clicked.connect(self.reject)
        self._set_actions_enabled(False)

        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.job = PdfRenderJob(report_file, self.pdf_path, result=result, parent=self)
        self.job.progress.connect(self._on_progress)
        self.job.note.connect(self.status.setText)
        self.job.finished.connect(self._on_ready)
        self.job.failed.connect(self._on_failed)
        self.job.start()

    # -------------------------------------------------------------- render results
    def _set_actions_enabled(self, enabled: bool) -> None:
        for b in (self.print_button, self.export_button, self.open_button):
            b.setEnabled(enabled)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_ready(self, info: Any) -> None:
        self.info = info
        self.progress.hide()
        err = self.document.load(str(info.path))
        if err != QPdfDocument.Error.None_:
            self._on_failed("PDF 已生成，但无法在窗口中显示；可以用“用系统程序打开”查看")
            self.open_button.setEnabled(True)
            return
        pages = self.document.pageCount()
        draft = "（草稿，每页带“草稿”字样）" if not self.rf.report.locked else ""
        self.status.setText(f"共 {pages} 页{draft}")
        line, tip = describe_fonts(info)
        self.fonts_label.setText(line)
        self.fonts_label.setToolTip(tip)
        if info.missing_chars:
            self.fonts_label.setStyleSheet("color: #b00020;")
        self._show_page_number(0)
        self._set_actions_enabled(True)
        self.ready.emit(info)

    def _on_failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020;")
        self.failed.emit(message)

    def _show_page_number(self, page: int) -> None:
        n = self.document.pageCount()
        self.page_label.setText(f"第 {page + 1} / {n} 页" if n else "")

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    # -------------------------------------------------------------- actions
    def print_to(self, printer: QPrinter, *, from_page: int = 0, to_page: int = -1) -> int:
        """Print the rendered pages on ``printer`` (no dialog); returns the pages printed."""
        return print_document(self.document, printer, from_page=from_page, to_page=to_page)

    def print_pdf(self) -> int:
        if self.info is None:
            return 0
        return print_pdf_file(self, self.info.path)

    def export_to(self, target: str | Path) -> str:
        """Copy the rendered PDF to ``target``; returns '' on success, else a Chinese reason."""
        if self.info is None:
            return "PDF 尚未生成完毕"
        target = Path(target)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            if target.resolve() == Path(self.info.path).resolve():
                return ""
            tmp = target.with_name(f".{target.name}.part")
            shutil.copyfile(self.info.path, tmp)
            tmp.replace(target)  # never a half-copied file under the chosen name
        except OSError as exc:
            return f"无法保存到“{target}”：{os_reason(exc)}"
        self.exported_to = target
        return ""

    def export_dialog(self) -> Path | None:
        if self.info is None:
            return None
        target = ask_pdf_path(self, self.rf.report)
        if target is None:
            return None
        error = self.export_to(target)
        if error:
            QMessageBox.warning(self, "导出 PDF", error)
            return None
        self.status.setText(f"已导出到 {target}")
        return target

    def open_external(self) -> bool:
        if self.info is None:
            return False
        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.info.path)))
        if ok:
            self._opened_externally = True  # the viewer reads the file: keep it after closing
        else:
            QMessageBox.information(self, "用系统程序打开",
                                    f"没有找到可以打开 PDF 的程序。文件位于：{self.info.path}")
        return bool(ok)

    def done(self, result: int) -> None:
        self.job.cancel()
        if self.job.running:
            self.job.wait()
        self.document.close()
        if not self._opened_externally:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        super().done(result)


# ====================================================================== menu actions
def show_print_preview(parent: QWidget | None, rf: ReportFile, *, result: CheckResult | None = None) -> int:
    """打印预览: open the dialog modally (the render runs behind it); returns its exit code."""
    dialog = PrintPreviewDialog(parent, rf, result=result)
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


def ask_pdf_path(parent: QWidget | None, report: Report, folder: Path | None = None) -> Path | None:
    """Where to write the PDF: ``folder`` (the report's own, if the user keeps it somewhere
    visible), else 文档/部门整体支出绩效自评, like every file dialog of the app."""
    from nanzhou_desktop.gui import files

    docs = folder or files.documents_folder()
    name, _ = QFileDialog.getSaveFileName(parent, "导出 PDF", str(Path(docs) / pdf_file_name(report)),
                                          "PDF 文件 (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def export_pdf(parent: QWidget | None, rf: ReportFile, *, result: CheckResult | None = None,
               target: str | Path | None = None) -> Path | None:
    """导出 PDF…: ask where (unless ``target`` is given), render there, say what happened."""
    if target is None:
        from nanzhou_desktop.gui import files

        path = ask_pdf_path(parent, rf.report, files.start_folder(rf.path))
    else:
        path = Path(target)
    if path is None:
        return None
    info, error = render_with_progress(parent, rf, path, result=result, title="导出 PDF")
    if info is None:
        if error and target is None:
            QMessageBox.warning(parent, "导出 PDF", error)
        return None
    if info.missing_chars and target is None:
        line, _ = describe_fonts(info)
        QMessageBox.warning(parent, "导出 PDF", f"已导出到 {info.path}，但{line}")
    return Path(info.path)


def print_report(parent: QWidget | None, rf: ReportFile, *, result: CheckResult | None = None) -> int:
    """打印…: render in the background, then the system print dialog; returns pages printed."""
    tmpdir = Path(tempfile.mkdtemp(prefix="nanzhou-print-"))
    try:
        info, error = render_with_progress(parent, rf, tmpdir / pdf_file_name(rf.report), result=result,
                                           title="打印报告")
        if info is None:
            if error and error != "已取消生成 PDF":
                QMessageBox.warning(parent, "打印报告", error)
            return 0
        return print_pdf_file(parent, info.path)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
