"""区级汇总: the district's window over its database of received reports.

Built for a city's 20,000 reports as well as a district's 18: the table is a model over the
database (:mod:`nanzhou_desktop.gui.district_model`: order and filter in SQL, rows read a
page at a time, column widths measured once), the chart switches from a bar per unit to the
distribution when there are many (:mod:`nanzhou_desktop.gui.district_chart`), and the filter
box narrows everything to a unit name, a year, a district, a 单位类型, a grade, a status or
the reports with errors.

Adding files (several, a folder, or drag-and-drop) or merging another district's database
reads and checks each report in a worker thread (the untrusted part:
:func:`~nanzhou_desktop.district.safe_open.load_received`), and the window's thread writes
the accepted ones to the database in batches (:meth:`DistrictDb.batch`: a savepoint per
report, a commit every few hundred), so the window never freezes, the progress bar says
file n of N and how many were refused, a cancel stops before the next file and keeps
everything loaded so far, and a bad file never stops the others.  The window holds no rule
and writes no SQL.

The window (widgets, menu, actions; the chart is a promoted :class:`DistrictChart`) comes
from ``ui/district_window.ui``, the report viewer's frame from ``ui/district_report.ui``; each
is held as ``self.form``.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QThread, QTimer, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QWidget,
)

from nanzhou_desktop.district import expand_paths
from nanzhou_desktop.district.db import (
    Batch,
    DistrictDb,
    DistrictDbError,
    Filter,
    LoadResult,
    Outcome,
    Review,
    UnitRow,
    YearStats,
    approval_refusal,
    open_district_db,
)
from nanzhou_desktop.district.paper import confirm_paper
from nanzhou_desktop.district.parallel import read_received_files
from nanzhou_desktop.district.safe_open import DEFAULT_MAX_BYTES, ReceivedReport, RefusedFile
from nanzhou_desktop.district.summary import (
    COLUMN_INDEX,
    COLUMNS,
    grade_text,
    money_text,
    rate_text,
    score_text,
    warnings_text,
    when,
    write_csv,
    write_xlsx,
)
from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.gui.district_chart import BARS_MAX, chart_data, overview
from nanzhou_desktop.gui.district_model import ReportTableModel, column_widths
from nanzhou_desktop.gui.forms.ui_district_window import Ui_DistrictWindow
from nanzhou_desktop.model import Report
from nanzhou_desktop.money import percent
from nanzhou_desktop.store.errors import os_reason

OUTCOME_COLOURS = {
    Outcome.LOADED: QColor("#1b7f3b"),
    Outcome.REPLACED: QColor("#1f5fa8"),
    Outcome.PRESENT: QColor("#666666"),
    Outcome.REFUSED: QColor("#b3261e"),
}
RESULTS_LISTED = 2000  # 已装入 lines listed per batch; refusals and replacements are always listed
REFRESH_MS = 1000  # the table and chart follow a long load this often
ALL = ""  # a filter combo's "全部…" entry
STATUS_CHOICES = (("全部状态", {}), ("草稿", {"status": "草稿"}), ("已定稿", {"status": "已定稿"}),
                  ("已导出", {"status": "已导出"}), ("待审核", {"review": "待审核"}), ("已审核", {"review": "已审核"}),
                  ("退回修改", {"review": "退回修改"}))


# ------------------------------------------------------------------------ worker
Item = tuple[object, object]  # (ReceivedReport | LoadResult 拒收, merge key or None)


def file_items(paths: Sequence[Path], max_bytes: int) -> Iterator[Item]:
    """Each file read and checked (the worker's part of a load; a large batch on several
    processes, see :mod:`nanzhou_desktop.district.parallel`)."""
    done = 0
    workers: int | None = None  # as the batch's size decides; after a surprise, none
    while done < len(paths):
        received = read_received_files(paths[done:], max_bytes=max_bytes, workers=workers)
        with contextlib.closing(received):  # a cancelled load stops the worker processes
            for p in paths[done:]:
                done += 1
                item: ReceivedReport | LoadResult
                try:
                    got = next(received)
                except Exception as exc:  # noqa: BLE001 - one file's surprise must not end the batch
                    yield LoadResult(p.name or str(p), Outcome.REFUSED,
                                     f"文件“{p.name}”无法装入（{type(exc).__name__}），已拒收"), None
                    workers = 0  # that ended the reading: the files after it are read afresh, here
                    break
                item = LoadResult(p.name or str(p), Outcome.REFUSED, str(got)) if isinstance(got, RefusedFile) else got
                yield item, None


class LoadWorker(QThread):
    """Reads and checks received reports off the window's thread; never writes the database."""

    checked = Signal(int, object, object)  # (index, ReceivedReport | LoadResult with outcome 拒收, merge key)

    def __init__(self, items: Callable[[], Iterable[Item]], total: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self.total = total
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    @property
    def cancelled(self) -> bool:
        return self._cancel

    def run(self) -> None:
        try:
            for i, (item, key) in enumerate(self.items()):
                if self._cancel:
                    return
                self.checked.emit(i, item, key)
        except Exception as exc:  # noqa: BLE001 - e.g. the merged database became unreadable midway
            self.checked.emit(-1, LoadResult("", Outcome.REFUSED, f"读取中断（{type(exc).__name__}），其余报告未处理"),
                              None)


# ------------------------------------------------------------------------ report viewer
class ReportDialog(QDialog):
    """One unit's report, read-only: its sections, its figures, its findings, its PDF."""

    def __init__(self, report: Report, row: UnitRow, history: list[dict[str, Any]],
                 reviews: list[dict[str, Any]], parent: QWidget | None = None, *,
                 years: Sequence[UnitRow] = (), confirmations: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(parent)
        self.report = report
        from nanzhou_desktop.gui.forms.ui_district_report import Ui_ReportDialog  # loaded when first needed

        self.form = Ui_ReportDialog()  # ui/district_report.ui: header, tabs, buttons
        self.form.setupUi(self)
        screen_fit.fit_window(self)  # the form's size, or what the screen has room for
        self.tabs = self.form.tabs
        self.setWindowTitle(f"{report.unit.full_name} {report.year} 年度（修订号 {report.revision}，只读）")
        self.form.head.setText(f"<b>{_esc(report.display_title)}</b><br>状态：{row.status}　审核：{row.review}"
                               f"　内容指纹：{_esc(_text_of('fingerprint', row))}　纸面核对：{_esc(_text_of('paper', row))}"
                               f"　文件：{_esc(row.file_name)}")
        for top in report.top_sections():
            parts = [f"<h3>{_esc(top.number + top.heading)}</h3>", _para(top.body)]
            for child in report.children(top.key):
                parts += [f"<h4>{_esc(child.number + child.heading)}</h4>", _para(child.body)]
                if child.kind == "tasks":
                    for n, t in enumerate(report.tasks, 1):
                        parts.append(f"<p><b>{n}. {_esc(t.title)}</b></p>{_para(t.body)}")
                        for m, it in enumerate(t.items, 1):
                            parts.append(f"<p>（{m}）<b>{_esc(it.title)}</b>{_esc(it.body)}</p>")
            self._tab(top.heading[:8] or top.number, "".join(parts))
        self._tab("预算与指标", _figures_html(report))
        self._tab("检查结果", _findings_html(report))
        if years:
            self._tab("历年情况", _years_html(row, years))
        hist = "".join(f"<li>修订号 {h['revision']}：{h['status']}，{_esc(h['file_name'])}，装入于 {when(h['loaded_at'])}"
                       f"{'（当前）' if h['is_current'] else ''}</li>" for h in history)
        rev = "".join(f"<li>修订号 {v['revision']}：{v['decision']}（{when(v['at'])}，{_esc(v['who'])}）"
                      f"{_esc(v['note'])}</li>" for v in reviews) or "<li>尚未审核</li>"
        paper = "".join(f"<li>修订号 {c['revision']}：{when(c['at'])}，{_esc(c['who'])}，内容指纹 {c['fingerprint'][:16]}…</li>"
                        for c in confirmations) or "<li>尚未与纸面核对</li>"
        self._tab("历史与审核", f"<h4>历次装入</h4><ul>{hist}</ul><h4>审核记录</h4><ul>{rev}</ul>"
                               f"<h4>纸面核对</h4><ul>{paper}</ul>")
        buttons = self.form.buttons
        # A button of our own next to 关闭: Designer only places standard buttons in a button box.
        self.pdf_button = buttons.addButton("打开 PDF", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(self.open_pdf)
        buttons.rejected.connect(self.reject)
        # The pages were added after the form put its buttons in the focus chain: put 关闭 and
        # 打开 PDF back after them, so Tab order and the default button (关闭, for Enter) stay.
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        QWidget.setTabOrder(self.tabs.widget(self.tabs.count() - 1), close)
        QWidget.setTabOrder(close, self.pdf_button)

    def _tab(self, title: str, html: str) -> None:
        view = QTextBrowser()
        view.setReadOnly(True)
        view.setOpenExternalLinks(False)
        view.setHtml(html)
        self.tabs.addTab(view, title)

    def make_pdf(self) -> Path:
        """The report's PDF in a temporary file (raises with a Chinese message)."""
        from nanzhou_desktop.render.pdf import render_pdf

        out = Path(tempfile.mkdtemp(prefix="nanzhou-district-")) / f"{self.report.year}_{self.report.unit.code or 'report'}.pdf"
        render_pdf(self.report, out)
        return out

    def open_pdf(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out = self.make_pdf()
        except ImportError:
            QMessageBox.warning(self, "打开 PDF", "本版本尚未包含 PDF 打印模块，无法生成 PDF。")
            return
        except Exception as exc:  # noqa: BLE001 - shown as one sentence, the window stays up
            QMessageBox.warning(self, "打开 PDF", f"未能生成 PDF：{exc}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(out))):
            QMessageBox.information(self, "打开 PDF", f"已生成 PDF：{out}\n请用 PDF 阅读器打开。")


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _para(text: str) -> str:
    return "".join(f"<p>{_esc(line)}</p>" for line in (text or "").split("\n") if line.strip())


def _figures_html(r: Report) -> str:
    rows = "".join(
        f"<tr><td>{_esc(b.label)}</td><td align=right>{money_text(b.budget_total)}</td>"
        f"<td align=right>{money_text(b.executed)}</td>"
        f"<td align=right>{rate_text(percent(b.executed, b.budget_total))}</td></tr>" for b in r.budget)
    projects = "".join(
        f"<tr><td>{_esc(p.name)}</td><td align=right>{money_text(p.budget_total)}</td>"
        f"<td align=right>{money_text(p.executed)}</td>"
        f"<td align=right>{rate_text(percent(p.executed, p.budget_total))}</td></tr>" for p in r.projects)
    inds = "".join(
        f"<tr><td>{_esc(i.level1)}</td><td>{_esc(i.level2)}</td><td>{_esc(i.level3)}</td><td>{i.direction}</td>"
        f"<td>{_esc(i.target)}</td><td>{_esc(i.unit)}</td><td>{_esc(i.actual)}</td></tr>" for i in r.indicators)
    th = "<tr><th>项目</th><th>全年预算数（万元）</th><th>全年执行数（万元）</th><th>执行率</th></tr>"
    return (f"<h4>预算执行情况</h4><table border=1 cellspacing=0 cellpadding=4>{th}{rows}</table>"
            f"<h4>重点项目</h4><table border=1 cellspacing=0 cellpadding=4>{th}{projects}</table>"
            "<h4>绩效指标</h4><table border=1 cellspacing=0 cellpadding=4><tr><th>一级指标</th><th>二级指标</th>"
            f"<th>三级指标</th><th>性质</th><th>年度指标值</th><th>单位</th><th>实际完成值</th></tr>{inds}</table>")


def _findings_html(r: Report) -> str:
    try:
        from nanzhou_desktop.rules import check

        result = check(r)
    except Exception as exc:  # noqa: BLE001 - the viewer still shows the text
        return f"<p>无法检查（{_esc(type(exc).__name__)}）</p>"
    s = result.score
    head = (f"<p>自评得分 <b>{score_text(s.total)}</b>，等级 <b>{_esc(s.grade)}</b>；执行率 {rate_text(s.budget_rate)}。</p>")
    items = "".join(
        f"<li><b>[{f.severity}]</b> {_esc(f.message)}"
        f"{'<br><i>出错说明：' + _esc(f.explanation.text) + '</i>' if f.explanation else ''}</li>"
        for f in sorted(result.findings, key=lambda f: f.severity.rank))
    return head + (f"<ul>{items}</ul>" if items else "<p>没有发现问题。</p>")




_BOLD = ' style="font-weight:bold"'


def _years_html(row: UnitRow, years: Sequence[UnitRow]) -> str:
    """The same unit's reports across years: rate, score, grade and findings side by side."""
    head = ("<tr><th>年度</th><th>修订号</th><th>状态</th><th>全年预算数（万元）</th><th>执行率</th><th>自评得分</th>"
            "<th>等级</th><th>错误</th><th>警告</th><th>审核</th></tr>")
    body = "".join(
        f"<tr{_BOLD if y.id == row.id else ''}><td>{y.year}</td><td align=right>{y.revision}</td>"
        f"<td>{_esc(y.status)}</td><td align=right>{money_text(y.budget_total)}</td>"
        f"<td align=right>{rate_text(y.execution_rate)}</td><td align=right>{score_text(y.score)}</td>"
        f"<td>{_esc(grade_text(y))}</td><td align=right>{_esc(_text_of('errors', y))}</td>"
        f"<td>{_esc(warnings_text(y))}</td><td>{_esc(str(y.review))}</td></tr>" for y in years)
    note = "" if len(years) > 1 else "<p>汇总库中只有这一个年度的报告。</p>"
    return (f"<h4>{_esc(row.unit)} 历年自评情况</h4><table border=1 cellspacing=0 cellpadding=4>{head}{body}</table>"
            f"{note}")


def _text_of(key: str, row: UnitRow) -> str:
    return COLUMNS[COLUMN_INDEX[key]].text(row)
# ------------------------------------------------------------------------ the window
class DistrictWindow(QMainWindow):
    """区级汇总."""

    loading_finished = Signal()

    def __init__(self, db: DistrictDb, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__()
        self.db = db
        self.max_bytes = max_bytes
        self.worker: LoadWorker | None = None
        self._batch: list[LoadResult] = []
        self._write: Batch | None = None
        self._merge: Any = None  # the MergeSource of a merge in progress
        self._merged: set[tuple[str, int]] = set()
        self._listed = 0
        self._refused = 0
        self._widths_done = False
        self._selection_chart = False
        self._stats: dict[int, YearStats] = {}
        self._total = 0
        # Widgets, menu and actions come from ui/district_window.ui; the names below are the window's API.
        self.form = f = Ui_DistrictWindow()
        f.setupUi(self)
        self.table, self.chart, self.results, self.summary_label = f.table, f.chart, f.results, f.summary_label
        self.progress, self.cancel_button = f.progress, f.cancel_button
        self.open_button, self.approve_button, self.return_button = f.open_button, f.approve_button, f.return_button
        self.remove_button, self.paper_button = f.remove_button, f.paper_button
        self.setWindowTitle(f"区级汇总 — {db.path.name}")
        self.resize(screen_fit.fit_size(self, self.size()))

        self.model = ReportTableModel(db, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # widths measured once, not per sort
        header.setSortIndicatorShown(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setHorizontalScrollMode(self.table.ScrollMode.ScrollPerPixel)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        f.lower.setSizes([480, 760])  # splitter sizes are not a Designer property
        f.split.setSizes([460, 300])

        self.progress.setVisible(False)  # shown while a batch loads
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_loading)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        f.add_files_button.clicked.connect(self.add_files_dialog)
        f.add_folder_button.clicked.connect(self.add_folder_dialog)
        self.open_button.clicked.connect(self.open_selected)
        self.approve_button.clicked.connect(lambda: self.review_dialog(Review.APPROVED))
        self.return_button.clicked.connect(lambda: self.review_dialog(Review.RETURNED))
        self.remove_button.clicked.connect(self.remove_dialog)
        self.paper_button.clicked.connect(self.paper_dialog)
        f.export_xlsx_button.clicked.connect(self.export_xlsx_dialog)
        f.export_csv_button.clicked.connect(self.export_csv_dialog)
        f.action_add_files.triggered.connect(self.add_files_dialog)
        f.action_add_folder.triggered.connect(self.add_folder_dialog)
        f.action_merge.triggered.connect(self.merge_dialog)
        f.action_export_xlsx.triggered.connect(self.export_xlsx_dialog)
        f.action_export_csv.triggered.connect(self.export_csv_dialog)
        f.action_export_compare.triggered.connect(self.export_compare_dialog)
        f.action_close.triggered.connect(self.close)
        self._keyboard_and_help()

        # The filter box (filled before it is listened to: the first query is refresh()'s).
        self._filling = True
        for combo in (f.filter_year, f.filter_district, f.filter_kind, f.filter_grade, f.filter_status):
            combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.apply_filter)
        for label, changes in STATUS_CHOICES:
            f.filter_status.addItem(label, changes)
        f.filter_grade.addItem("全部等级", ALL)
        for g in ("优", "良", "中", "差"):
            f.filter_grade.addItem(g, g)
        f.filter_text.textChanged.connect(self.apply_filter)
        f.filter_errors.toggled.connect(self.apply_filter)
        f.filter_clear.clicked.connect(self.clear_filter)
        self._filling = False
        # By unit name, ascending (Qt's default would be descending); refresh() reads the ids.
        self.model.sort_key, self.model.descending = COLUMNS[0].key, False
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.refresh()

    # -- data → views ------------------------------------------------------------
    def current_filter(self) -> Filter:
        f = self.form
        changes = f.filter_status.currentData() or {}
        return Filter(text=f.filter_text.text().strip(), year=f.filter_year.currentData() or None,
                      district=f.filter_district.currentData() or ALL, kind=f.filter_kind.currentData() or ALL,
                      grade=f.filter_grade.currentData() or ALL, has_errors=f.filter_errors.isChecked(), **changes)

    def apply_filter(self, *_: object) -> None:
        """Show what the filter box asks for: one query of ids for the table, one pass of counts
        for the label and the chart, and for a large set the lowest rates."""
        if self._filling:
            return
        keep = self._selected_ids()
        self.model.set_filter(self.current_filter())
        self._reselect(keep)
        self._update_counts()

    def _update_counts(self) -> None:
        stats = overview(self.db, self.model.filter)
        self._update_chart(stats)
        self._update_label(stats)

    def clear_filter(self) -> None:
        f = self.form
        self._filling = True
        try:
            f.filter_text.clear()
            for combo in (f.filter_year, f.filter_district, f.filter_kind, f.filter_grade, f.filter_status):
                combo.setCurrentIndex(0)
            f.filter_errors.setChecked(False)
        finally:
            self._filling = False
        self.apply_filter()

    def _fill_choices(self) -> None:
        """The years, districts and 单位类型 in the database, in the filter's combo boxes (the
        choice made stays when it is still there)."""
        f = self.form
        self._filling = True
        try:
            for combo, all_label, values in (
                    (f.filter_year, "全部年度", [(f"{y} 年度", y) for y in self.db.years()]),
                    (f.filter_district, "全部区", [(d, d) for d in self.db.values("district")]),
                    (f.filter_kind, "全部类型", [(k, k) for k in self.db.values("unit_kind")])):
                chosen = combo.currentData()
                combo.clear()
                combo.addItem(all_label, ALL if combo is not f.filter_year else None)
                for text, data in values:
                    combo.addItem(text, data)
                index = combo.findData(chosen) if chosen not in (None, ALL) else 0
                combo.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def refresh(self) -> None:
        """Read the database again (after a load, a review, a removal), keeping the filter, the
        order and the selection."""
        keep = self._selected_ids()
        self._fill_choices()
        self.model.filter = self.current_filter()
        self.model.reload()
        self._reselect(keep)
        self._total = self.db.count()
        if not self._widths_done and self.model.total:
            self._measure_widths()
        self._hide_empty_columns()
        self._update_counts()
        self._update_actions()

    def _measure_widths(self) -> None:
        self._widths = column_widths(self.model, self.table.fontMetrics())
        self._widths_done = True
        self._restore_widths()

    def _restore_widths(self) -> None:
        widths = getattr(self, "_widths", None)
        if widths is None:
            widths = [self.table.fontMetrics().horizontalAdvance(c.title) + 30 for c in COLUMNS]
        header = self.table.horizontalHeader()
        for i, w in enumerate(widths):
            header.resizeSection(i, w)

    def _hide_empty_columns(self) -> None:
        """所属市 says something only in a city's database, 报告模板 only when several were used."""
        self.table.setColumnHidden(COLUMN_INDEX["city"], len(self.db.values("city")) <= 1)
        self.table.setColumnHidden(COLUMN_INDEX["template"], self.db.template_count() <= 1)

    def _update_label(self, stats: dict[int, YearStats]) -> None:
        shown = self.model.total
        pending = sum(s.pending for s in stats.values())
        returned = sum(s.returned for s in stats.values())
        part = f"，筛选后 {shown:,} 份" if shown != self._total else ""
        text = f"共 {self._total:,} 份报告{part}；待审核 {pending:,}，退回修改 {returned:,}"
        templates = len(set().union(*(s.templates for s in stats.values()))) if stats else 0
        if templates > 1:  # scores of different schemes side by side: say so where they are read
            text += f"；用了 {templates} 种报告模板，得分各按其模板计算，不宜直接比较"
        self.summary_label.setText(text)

    def _update_chart(self, stats: dict[int, YearStats] | None = None) -> None:
        selected = self._selected_rows() if 2 <= len(self._selected_positions()) <= BARS_MAX else []
        self._selection_chart = bool(selected)
        self._stats = stats if stats is not None else self._stats
        self.chart.set_data(chart_data(self.db, self.model.filter, selected, self._stats))

    def _selection_changed(self) -> None:
        self._update_actions()
        n = len(self._selected_positions())
        if 2 <= n <= BARS_MAX or self._selection_chart:
            self._update_chart()

    def _update_actions(self) -> None:
        row = self.selected_row()
        has = row is not None
        for b in (self.open_button, self.approve_button, self.return_button, self.remove_button):
            b.setEnabled(has and self.worker is None)
        self.paper_button.setEnabled(self.worker is None)
        # 已审核 only for a final report whose fingerprint verifies; the button says why not.
        refused = approval_refusal(row.status, row.fingerprint_ok) if row is not None else ""
        if refused:
            self.approve_button.setEnabled(False)
        self.approve_button.setToolTip(refused or "标记为已审核（可写审核意见）")

    def _selected_positions(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def _selected_rows(self) -> list[UnitRow]:
        out = []
        for p in self._selected_positions():
            r = self.model.row_at(p)
            if r is not None:
                out.append(r)
        return out

    def _selected_ids(self) -> list[int]:
        return [self.model.ids[p] for p in self._selected_positions() if p < len(self.model.ids)]

    def _reselect(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        positions = [p for p in (self.model.position_of(i) for i in ids[:BARS_MAX]) if p >= 0]
        if not positions:
            return
        self.model.show_row(max(positions))
        sel = self.table.selectionModel()
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for p in positions:
            selection.select(self.model.index(p, 0), self.model.index(p, last))
        sel.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selected_row(self) -> UnitRow | None:
        """The one selected report (None when none or several are selected)."""
        positions = self._selected_positions()
        if len(positions) != 1:
            return None
        return self.model.row_at(positions[0])

    def select_unit(self, uuid: str) -> bool:
        """Select the current revision of report ``uuid`` (scrolling to it)."""
        found = self.db.conn.execute("SELECT id FROM reports WHERE uuid = ? AND is_current = 1", (uuid,)).fetchone()
        position = self.model.position_of(found[0]) if found is not None else -1
        if position < 0:
            return False
        self.model.show_row(position)
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    # -- loading ------------------------------------------------------------------
    def add_paths(self, items: Sequence[str | Path]) -> None:
        """Start loading files and folders in the worker; results arrive one by one."""
        if self._busy():
            return
        paths = expand_paths(items)
        if not paths:
            return
        self._start(lambda: file_items(paths, self.max_bytes), len(paths))

    def merge_file(self, path: str | Path) -> str:
        """Start merging another district database; returns "" or why it cannot be merged."""
        if self._busy():
            return "正在装入，请等待当前这批完成或先取消"
        from nanzhou_desktop.district.merge import MergeSource

        try:
            source = MergeSource(self.db, Path(path))
        except DistrictDbError as exc:
            return str(exc)
        self._merge, self._merged = source, set()
        self._start(source.items, source.total)
        return ""

    def _busy(self) -> bool:
        if self.worker is not None:
            self.show_status("正在装入，请等待当前这批完成或先取消")
            return True
        return False

    def _start(self, items: Callable[[], Iterable[Item]], total: int) -> None:
        self._batch = []
        self._listed = self._refused = 0
        try:
            self._write = self.db.batch()
            self._write.__enter__()
        except DistrictDbError as exc:
            self._write = None
            self._close_merge()
            QMessageBox.warning(self, "装入", str(exc))
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.worker = LoadWorker(items, total, self)
        self.worker.checked.connect(self._one_checked)
        self.worker.finished.connect(self._batch_done)
        self._update_actions()
        self._refresh_timer.start()
        self.worker.start()

    def _one_checked(self, index: int, item: object, key: object) -> None:
        if isinstance(item, ReceivedReport):
            try:
                result = self.db.add(item)
            except DistrictDbError as exc:
                result = LoadResult(item.file_name, Outcome.REFUSED, str(exc))
            if key is not None and result.outcome != Outcome.REFUSED:
                self._merged.add(key)  # type: ignore[arg-type]
        else:
            assert isinstance(item, LoadResult)
            result = item
        if self._write is not None:
            try:
                self._write.done_one()
            except DistrictDbError as exc:  # a full disk at a commit: say so, stop the batch
                result = LoadResult(result.file_name, Outcome.REFUSED, str(exc))
                self.cancel_loading()
        self._batch.append(result)
        if result.outcome != Outcome.LOADED or self._listed < RESULTS_LISTED:
            self._listed += result.outcome == Outcome.LOADED
            entry = QListWidgetItem(f"【{result.outcome}】{result.message}")
            entry.setForeground(QBrush(OUTCOME_COLOURS[result.outcome]))
            self.results.addItem(entry)
            self.results.scrollToBottom()
        self._refused += result.outcome == Outcome.REFUSED
        if index >= 0:
            self.progress.setValue(index + 1)
        self.progress.setFormat(f"%v / %m · 拒收 {self._refused:,}")

    def _batch_done(self) -> None:
        worker, self.worker = self.worker, None
        self._refresh_timer.stop()
        cancelled = worker is not None and worker.cancelled
        total = worker.total if worker is not None else 0
        if worker is not None:
            worker.deleteLater()
        error = ""
        try:
            if self._merge is not None and self._write is not None:
                self._merge.bring_reviews(self.db, self._merged)
            if self._write is not None:
                self._write.commit()
        except DistrictDbError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - reviews of a merged database that cannot be read
            error = f"审核记录未能合并（{type(exc).__name__}）"
        self._write = None
        self._close_merge()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        counts = {o: sum(r.outcome == o for r in self._batch) for o in Outcome}
        unlisted = counts[Outcome.LOADED] - self._listed
        text = (f"本次处理 {len(self._batch):,} / {total:,} 份：已装入 {counts[Outcome.LOADED]:,}，"
                f"已替换 {counts[Outcome.REPLACED]:,}，已存在 {counts[Outcome.PRESENT]:,}，拒收 {counts[Outcome.REFUSED]:,}")
        if unlisted > 0:
            text += f"（已装入的其中 {unlisted:,} 份未逐一列出）"
        if cancelled:
            text += "（已取消，其余未处理；已装入的保留）"
        if error:
            text += f"；{error}"
        self.results.addItem(QListWidgetItem(text))
        self.results.scrollToBottom()
        self.show_status(text)
        self.refresh()
        self.loading_finished.emit()

    def _close_merge(self) -> None:
        if self._merge is not None:
            try:
                self._merge.close()
            except Exception:  # noqa: BLE001 - closing a read-only connection
                pass
            self._merge = None

    def cancel_loading(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.show_status("正在取消：当前文件处理完后停止，已装入的保留")

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "添加收到的报告文件", self._folder(), "报告文件 (*.sqlite);;所有文件 (*)")
        if files:
            self.add_paths(files)

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "添加文件夹中的全部报告文件", self._folder())
        if folder:
            self.add_paths([folder])

    def merge_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "合并其他汇总库", self._folder(), "区级汇总库 (*.sqlite);;所有文件 (*)")
        if path:
            error = self.merge_file(path)
            if error:
                QMessageBox.warning(self, "合并汇总库", error)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- reviewing ----------------------------------------------------------------
    def review_selected(self, decision: Review, note: str = "") -> str:
        """Record the decision for the selected unit; returns "" or why it was not recorded."""
        row = self.selected_row()
        if row is None:
            return "请先在表中选中一个单位"
        try:
            self.db.review(row.uuid, decision, note)
        except DistrictDbError as exc:
            return str(exc)
        self.refresh()
        self.select_unit(row.uuid)
        self.show_status(f"{row.unit}：{decision}")
        return ""

    def review_dialog(self, decision: Review) -> None:
        row = self.selected_row()
        if row is None:
            return
        refused = approval_refusal(row.status, row.fingerprint_ok) if decision == Review.APPROVED else ""
        if refused:
            QMessageBox.warning(self, str(decision), refused)
            return
        if decision == Review.RETURNED:
            note, ok = QInputDialog.getMultiLineText(
                self, "退回修改", f"退回 {row.unit}（修订号 {row.revision}）的原因和需要修改的内容：")
            if not ok:
                return
        else:
            note, ok = QInputDialog.getText(self, "已审核", f"{row.unit}（修订号 {row.revision}）审核意见（可不填）：")
            if not ok:
                return
        error = self.review_selected(decision, note)
        if error:
            QMessageBox.warning(self, str(decision), error)

    def remove_selected(self) -> str:
        """Take the selected unit's report (and its history) out of the district database;
        returns "" or why not.  For a unit that sent a second report for the same year."""
        row = self.selected_row()
        if row is None:
            return "请先在表中选中一个单位"
        try:
            self.db.remove(row.uuid)
        except DistrictDbError as exc:
            return str(exc)
        self.refresh()
        self.show_status(f"已从汇总库移除 {row.unit} {row.year} 年度的报告（修订号 {row.revision}）")
        return ""

    def remove_dialog(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self, "移除报告",
            f"把 {row.unit} {row.year} 年度的报告（修订号 {row.revision}，连同历史修订和审核记录）从汇总库中移除？\n"
            "收到的原文件不受影响，需要时可以重新装入。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        error = self.remove_selected()
        if error:
            QMessageBox.warning(self, "移除报告", error)

    # -- the paper ----------------------------------------------------------------
    def confirm_paper(self, text: str) -> tuple[bool, str]:
        """Check a QR text from a signed paper; (agreed, what to tell the user).  On agreement
        the report is recorded as confirmed against paper and selected."""
        try:
            row, differences = confirm_paper(self.db, text)
        except DistrictDbError as exc:
            return False, str(exc)
        self.refresh()
        self.select_unit(row.uuid)
        if differences:
            return False, (f"纸面与汇总库中 {row.unit} {row.year} 年度的报告不一致，未记为已核对：\n"
                           + "\n".join(f"· {d}" for d in differences))
        message = f"一致：{row.unit} {row.year} 年度修订号 {row.revision} 的报告与签字盖章的纸面相同，已记为已与纸面核对"
        self.show_status(message)
        return True, message

    def paper_dialog(self) -> None:
        text, ok = QInputDialog.getText(
            self, "纸面核对", "请用扫码枪扫描纸面报告最后一页的二维码，或照抄二维码内容（以 NZPJ1; 开头）：")
        if not ok or not text.strip():
            return
        agreed, message = self.confirm_paper(text)
        if agreed:
            QMessageBox.information(self, "纸面核对", message)
        else:
            QMessageBox.warning(self, "纸面核对", message)

    # -- viewing ------------------------------------------------------------------
    def report_dialog(self, row: UnitRow) -> ReportDialog:
        report = self.db.report(row.uuid)
        return ReportDialog(report, row, self.db.history(row.uuid), self.db.reviews(row.uuid), self,
                            years=self.db.unit_years(row.unit), confirmations=self.db.confirmations(row.uuid))

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        try:
            dlg = self.report_dialog(row)
        except (DistrictDbError, ValueError, KeyError) as exc:
            QMessageBox.warning(self, "查看报告", f"无法打开这份报告：{exc}")
            return
        dlg.exec()

    # -- exporting ----------------------------------------------------------------
    def export_summary(self, path: str | Path, *, compare: tuple[int, int] | None = None) -> Path | None:
        """The reports the table shows (filter and order as on screen) to .xlsx or .csv."""
        path = Path(path)
        rows = self.model.rows
        try:
            if compare is not None:
                a, b = compare
                pairs = self.db.compare(a, b, replace(self.model.filter, year=None))
                both = [r for pair in pairs for r in pair if r is not None]
                out = write_xlsx(both, path, compare=(a, b, pairs))
            elif path.suffix.lower() == ".csv":
                out = write_csv(rows, path)
            else:
                out = write_xlsx(rows, path)
        except OSError as exc:
            QMessageBox.warning(self, "导出汇总表", f"无法写入“{path.name}”：{os_reason(exc)}；汇总表未导出")
            return None
        self.show_status(f"已导出汇总表：{out}")
        return out

    def export_xlsx_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总表", self._folder("区级汇总.xlsx"), "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_summary(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总表", self._folder("区级汇总.csv"), "CSV 文件 (*.csv)")
        if path:
            self.export_summary(path if path.lower().endswith(".csv") else path + ".csv")

    def export_compare_dialog(self) -> None:
        years = [str(y) for y in self.db.years()]
        if len(years) < 2:
            QMessageBox.information(self, "年度对比", "汇总库中只有一个年度的报告，无法对比。")
            return
        a, ok = QInputDialog.getItem(self, "年度对比", "前一个年度：", years, len(years) - 2, False)
        if not ok:
            return
        b, ok = QInputDialog.getItem(self, "年度对比", "后一个年度：", years, len(years) - 1, False)
        if not ok or a == b:
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出年度对比", self._folder(f"区级汇总_{a}与{b}年度对比.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_summary(path if path.lower().endswith(".xlsx") else path + ".xlsx", compare=(int(a), int(b)))

    # -- keyboard and help ----------------------------------------------------------
    def _keyboard_and_help(self) -> None:
        """Alt letters on the menu and every button, Ctrl+Q to close (as in the main window),
        and a 帮助 menu: 使用说明 (F1, its 区财政局 part), 检查规则说明, 快捷键, 关于."""
        from PySide6.QtGui import QAction, QKeySequence

        f = self.form
        self.setObjectName("district-window")
        f.menu_file.setTitle("文件(&F)")
        for action, text in ((f.action_add_files, "添加报告文件(&O)…"), (f.action_add_folder, "添加文件夹(&D)…"),
                             (f.action_merge, "合并其他汇总库(&M)…"),
                             (f.action_export_xlsx, "导出汇总表（Excel）(&E)…"),
                             (f.action_export_csv, "导出汇总表（CSV）(&C)…"),
                             (f.action_export_compare, "导出两个年度对比（Excel）(&Y)…"), (f.action_close, "关闭(&Q)")):
            action.setText(text)
        f.action_close.setShortcuts([QKeySequence("Ctrl+Q"), QKeySequence("Ctrl+W")])
        for button, text in ((f.add_files_button, "添加文件(&A)…"), (f.add_folder_button, "添加文件夹(&L)…"),
                             (self.open_button, "查看报告(&V)"), (self.approve_button, "已审核(&P)"),
                             (self.return_button, "退回修改(&R)…"), (self.remove_button, "移除(&M)…"),
                             (self.paper_button, "纸面核对(&Z)…"),
                             (f.export_xlsx_button, "导出 Excel(&X)…"), (f.export_csv_button, "导出 CSV(&S)…"),
                             (self.cancel_button, "取消(&N)"), (f.filter_clear, "清除筛选(&U)")):
            button.setText(text)
        f.filter_label.setText("筛选(&T)：")
        f.filter_errors.setText("有错误(&E)")
        menu = self.menuBar().addMenu("帮助(&H)")
        for text, keys, topic, anchor in (("使用说明(&G)", "F1", "guide", "district"),
                                          ("检查规则说明(&R)", "", "rules", ""),
                                          ("快捷键(&K)", "", "shortcuts", ""),
                                          ("关于(&A)", "", "about", "")):
            a = QAction(text, self)
            if keys:
                a.setShortcut(QKeySequence(keys))
            a.triggered.connect(lambda _=False, t=topic, an=anchor: self.show_help(t, an))
            menu.addAction(a)
        self.help_menu = menu

    def show_help(self, topic: str = "guide", anchor: str = "") -> Any:
        from nanzhou_desktop.gui import help as help_window

        win = getattr(self, "_help", None)
        if win is None:
            actions = [a for m in (self.form.menu_file, self.help_menu) for a in m.actions() if not a.isSeparator()]
            win = self._help = help_window.HelpWindow(self, topic, anchor, actions=actions)
        else:
            win.show_topic(topic, anchor)
        win.show()
        win.raise_()
        return win

    # -- misc ---------------------------------------------------------------------
    def _folder(self, name: str = "") -> str:
        """File dialogs open in the district database's folder (a visible one the user chose),
        not in the program's working directory."""
        folder = Path(self.db.path).parent
        return str(folder / name) if name else str(folder)

    def show_on_screen(self) -> None:
        """Show as the user left it (clamped to this screen), or 1280×820 / what fits the first time."""
        from nanzhou_desktop.gui.app import AppSettings

        screen_fit.show_restored(self, AppSettings().qsettings, "district_window", QSize(1280, 820))

    def show_status(self, text: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(text, ms)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(10_000)
            QApplication.processEvents()  # the reports checked before the cancel are written
        if self._write is not None:
            try:
                self._write.commit()
            except DistrictDbError:
                pass
            self._write = None
        self._close_merge()
        self._refresh_timer.stop()
        if self.isVisible():
            from nanzhou_desktop.gui.app import AppSettings

            screen_fit.save_window(self, AppSettings().qsettings, "district_window")
        self.db.close()
        super().closeEvent(event)


def run_district(db_path: str | Path) -> int:
    """Open the 区级汇总 window on ``db_path`` (created when missing); returns the exit code."""
    from nanzhou_desktop.gui.app import AppSettings, install_excepthook, make_app

    app = make_app()
    try:
        install_excepthook(AppSettings())
    except OSError:
        pass  # no writable settings folder: the window still works, errors go to stderr
    try:
        db = open_district_db(db_path)
    except DistrictDbError as exc:
        QMessageBox.critical(None, "区级汇总", str(exc))
        return 3
    window = DistrictWindow(db)
    window.show_on_screen()
    from nanzhou_desktop.gui.app import screenshot_dir

    shots = screenshot_dir()
    if shots is not None:  # offscreen with NANZHOU_SCREENSHOT_DIR: one picture, then quit
        def grab() -> None:
            shots.mkdir(parents=True, exist_ok=True)
            out = shots / "district.png"
            window.grab().save(str(out))
            print(out)
            window.close()
            app.quit()

        QTimer.singleShot(0, grab)
    return int(app.exec())
