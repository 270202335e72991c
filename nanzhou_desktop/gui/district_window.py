"""区级汇总: the district's window over its database of received reports.

Adding files (several, a folder, or drag-and-drop) reads and checks each one in a worker
thread (the untrusted part: :func:`~nanzhou_desktop.district.safe_open.load_received`), and
the window's thread writes the accepted ones to the district database one by one, so the
window never freezes, a cancel stops before the next file, and a bad file never stops the
others.  The table, the chart and the exports all read :meth:`DistrictDb.units`; the window
holds no rule and writes no SQL.

The window (widgets, menu, actions; the chart is a promoted
:class:`~nanzhou_desktop.gui.rate_chart.RateChart`) comes from
``ui/district_window.ui``, the report viewer's frame from ``ui/district_report.ui``; each
is held as ``self.form``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThread,
    QUrl,
    Signal,
)
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
    DistrictDb,
    DistrictDbError,
    LoadResult,
    Outcome,
    Review,
    UnitRow,
    approval_refusal,
    open_district_db,
)
from nanzhou_desktop.district.safe_open import DEFAULT_MAX_BYTES, ReceivedReport, RefusedFile, load_received
from nanzhou_desktop.district.summary import COLUMNS, is_draft, write_csv, write_xlsx
from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.gui.forms.ui_district_window import Ui_DistrictWindow
from nanzhou_desktop.model import Report
from nanzhou_desktop.money import format_money, format_rate, percent
from nanzhou_desktop.store.errors import os_reason

OUTCOME_COLOURS = {
    Outcome.LOADED: QColor("#1b7f3b"),
    Outcome.REPLACED: QColor("#1f5fa8"),
    Outcome.PRESENT: QColor("#666666"),
    Outcome.REFUSED: QColor("#b3261e"),
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


# ------------------------------------------------------------------------ table model
class UnitTableModel(QAbstractTableModel):
    """One row per unit (its current revision); columns from :data:`summary.COLUMNS`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[UnitRow] = []

    def set_rows(self, rows: Sequence[UnitRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            value = col.value(row)
            if col.numeric:
                # None sorts below every number; Decimal goes through float only for ordering.
                return float("-inf") if value is None else float(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col.key == "errors" and row.errors:
                return QBrush(QColor("#b3261e"))
            if col.key == "warnings" and row.warnings:
                return QBrush(QColor("#a15c00" if is_draft(row) else "#666666"))  # explained when final
            if col.key == "fingerprint" and row.fingerprint_ok is False:
                return QBrush(QColor("#b3261e"))
            if col.key == "review" and row.review == Review.RETURNED:
                return QBrush(QColor("#b3261e"))
            if col.key == "review" and row.review == Review.APPROVED:
                return QBrush(QColor("#1b7f3b"))
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "unit":
            return f"{row.unit}\n文件：{row.file_name}\n装入时间：{when(row.loaded_at)}\n历史修订：{row.history} 个"
        return None

    def row_at(self, source_row: int) -> UnitRow:
        return self.rows[source_row]


class RowNumberProxy(QSortFilterProxyModel):
    """Sorting keeps the row numbers 1, 2, 3 … down the table (not each unit's load order)."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return super().headerData(section, orientation, role)


# ------------------------------------------------------------------------ worker
class LoadWorker(QThread):
    """Reads and checks received files off the window's thread; never touches the database."""

    checked = Signal(int, object)  # (index, ReceivedReport | LoadResult with outcome 拒收)

    def __init__(self, paths: Sequence[Path], max_bytes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = list(paths)
        self.max_bytes = max_bytes
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    @property
    def cancelled(self) -> bool:
        return self._cancel

    def run(self) -> None:
        for i, p in enumerate(self.paths):
            if self._cancel:
                return
            item: ReceivedReport | LoadResult
            try:
                item = load_received(p, max_bytes=self.max_bytes)
            except RefusedFile as exc:
                item = LoadResult(p.name or str(p), Outcome.REFUSED, str(exc))
            except Exception as exc:  # noqa: BLE001 - one file's surprise must not end the batch
                item = LoadResult(p.name or str(p), Outcome.REFUSED,
                                  f"文件“{p.name}”无法装入（{type(exc).__name__}），已拒收")
            self.checked.emit(i, item)


# ------------------------------------------------------------------------ report viewer
class ReportDialog(QDialog):
    """One unit's report, read-only: its sections, its figures, its findings, its PDF."""

    def __init__(self, report: Report, row: UnitRow, history: list[dict[str, Any]],
                 reviews: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        from nanzhou_desktop.gui.forms.ui_district_report import Ui_ReportDialog  # loaded when first needed

        self.form = Ui_ReportDialog()  # ui/district_report.ui: header, tabs, buttons
        self.form.setupUi(self)
        screen_fit.fit_window(self)  # the form's size, or what the screen has room for
        self.tabs = self.form.tabs
        self.setWindowTitle(f"{report.unit.full_name} {report.year} 年度（修订号 {report.revision}，只读）")
        self.form.head.setText(f"<b>{_esc(report.display_title)}</b><br>状态：{row.status}　审核：{row.review}"
                               f"　内容指纹：{_esc(COLUMNS[-2].text(row))}　文件：{_esc(row.file_name)}")
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
        hist = "".join(f"<li>修订号 {h['revision']}：{h['status']}，{_esc(h['file_name'])}，装入于 {when(h['loaded_at'])}"
                       f"{'（当前）' if h['is_current'] else ''}</li>" for h in history)
        rev = "".join(f"<li>修订号 {v['revision']}：{v['decision']}（{when(v['at'])}，{_esc(v['who'])}）"
                      f"{_esc(v['note'])}</li>" for v in reviews) or "<li>尚未审核</li>"
        self._tab("历史与审核", f"<h4>历次装入</h4><ul>{hist}</ul><h4>审核记录</h4><ul>{rev}</ul>")
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


def when(stamp: str) -> str:
    """An ISO time stored by the district database, as people read it: 2026-12-03 15:58 (local)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _para(text: str) -> str:
    return "".join(f"<p>{_esc(line)}</p>" for line in (text or "").split("\n") if line.strip())


def _figures_html(r: Report) -> str:
    rows = "".join(
        f"<tr><td>{_esc(b.label)}</td><td align=right>{format_money(b.budget_total)}</td>"
        f"<td align=right>{format_money(b.executed)}</td>"
        f"<td align=right>{format_rate(percent(b.executed, b.budget_total))}</td></tr>" for b in r.budget)
    projects = "".join(
        f"<tr><td>{_esc(p.name)}</td><td align=right>{format_money(p.budget_total)}</td>"
        f"<td align=right>{format_money(p.executed)}</td>"
        f"<td align=right>{format_rate(percent(p.executed, p.budget_total))}</td></tr>" for p in r.projects)
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
    head = (f"<p>自评得分 <b>{s.total:.2f}</b>，等级 <b>{_esc(s.grade)}</b>；执行率 {format_rate(s.budget_rate)}。</p>")
    items = "".join(
        f"<li><b>[{f.severity}]</b> {_esc(f.message)}"
        f"{'<br><i>出错说明：' + _esc(f.explanation.text) + '</i>' if f.explanation else ''}</li>"
        for f in sorted(result.findings, key=lambda f: f.severity.rank))
    return head + (f"<ul>{items}</ul>" if items else "<p>没有发现问题。</p>")


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
        # Widgets, menu and actions come from ui/district_window.ui; the names below are the window's API.
        self.form = f = Ui_DistrictWindow()
        f.setupUi(self)
        self.table, self.chart, self.results, self.summary_label = f.table, f.chart, f.results, f.summary_label
        self.progress, self.cancel_button = f.progress, f.cancel_button
        self.open_button, self.approve_button, self.return_button = f.open_button, f.approve_button, f.return_button
        self.remove_button = f.remove_button
        self.setWindowTitle(f"区级汇总 — {db.path.name}")
        self.resize(screen_fit.fit_size(self, self.size()))

        self.model = UnitTableModel(self)
        self.proxy = RowNumberProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt's default would be descending
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        f.lower.setSizes([520, 760])  # splitter sizes are not a Designer property
        f.split.setSizes([480, 300])

        self.progress.setVisible(False)  # shown while a batch loads
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_loading)
        f.add_files_button.clicked.connect(self.add_files_dialog)
        f.add_folder_button.clicked.connect(self.add_folder_dialog)
        self.open_button.clicked.connect(self.open_selected)
        self.approve_button.clicked.connect(lambda: self.review_dialog(Review.APPROVED))
        self.return_button.clicked.connect(lambda: self.review_dialog(Review.RETURNED))
        self.remove_button.clicked.connect(self.remove_dialog)
        f.export_xlsx_button.clicked.connect(self.export_xlsx_dialog)
        f.export_csv_button.clicked.connect(self.export_csv_dialog)
        f.action_add_files.triggered.connect(self.add_files_dialog)
        f.action_add_folder.triggered.connect(self.add_folder_dialog)
        f.action_export_xlsx.triggered.connect(self.export_xlsx_dialog)
        f.action_export_csv.triggered.connect(self.export_csv_dialog)
        f.action_close.triggered.connect(self.close)
        self._keyboard_and_help()
        self.refresh()

    # -- data → views ------------------------------------------------------------
    def refresh(self) -> None:
        rows = self.db.units()
        self.model.set_rows(rows)
        self.chart.set_rows(rows)
        pending = sum(r.review == Review.PENDING for r in rows)
        returned = sum(r.review == Review.RETURNED for r in rows)
        self.summary_label.setText(f"共 {len(rows)} 个单位；待审核 {pending}，退回修改 {returned}")
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected_row()
        has = row is not None
        for b in (self.open_button, self.approve_button, self.return_button, self.remove_button):
            b.setEnabled(has and self.worker is None)
        # 已审核 only for a final report whose fingerprint verifies; the button says why not.
        refused = approval_refusal(row.status, row.fingerprint_ok) if row is not None else ""
        if refused:
            self.approve_button.setEnabled(False)
        self.approve_button.setToolTip(refused or "标记为已审核（可写审核意见）")

    def selected_row(self) -> UnitRow | None:
        idx = self.table.selectionModel().selectedRows()
        if not idx:
            return None
        return self.model.row_at(self.proxy.mapToSource(idx[0]).row())

    def select_unit(self, uuid: str) -> bool:
        for r in range(self.proxy.rowCount()):
            src = self.proxy.mapToSource(self.proxy.index(r, 0))
            if self.model.row_at(src.row()).uuid == uuid:
                self.table.selectRow(r)
                return True
        return False

    # -- loading ------------------------------------------------------------------
    def add_paths(self, items: Sequence[str | Path]) -> None:
        """Start loading files and folders in the worker; results arrive one by one."""
        if self.worker is not None:
            self.show_status("正在装入，请等待当前这批完成或先取消")
            return
        paths = expand_paths(items)
        if not paths:
            return
        self._batch = []
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.worker = LoadWorker(paths, self.max_bytes, self)
        self.worker.checked.connect(self._one_checked)
        self.worker.finished.connect(self._batch_done)
        self._update_actions()
        self.worker.start()

    def _one_checked(self, index: int, item: object) -> None:
        if isinstance(item, ReceivedReport):
            try:
                result = self.db.add(item)
            except DistrictDbError as exc:
                result = LoadResult(item.file_name, Outcome.REFUSED, str(exc))
        else:
            assert isinstance(item, LoadResult)
            result = item
        self._batch.append(result)
        entry = QListWidgetItem(f"【{result.outcome}】{result.message}")
        entry.setForeground(QBrush(OUTCOME_COLOURS[result.outcome]))
        self.results.addItem(entry)
        self.results.scrollToBottom()
        self.progress.setValue(index + 1)
        if result.outcome != Outcome.REFUSED and result.outcome != Outcome.PRESENT:
            self.refresh()

    def _batch_done(self) -> None:
        worker, self.worker = self.worker, None
        cancelled = worker is not None and worker.cancelled
        total = worker.paths if worker is not None else []
        if worker is not None:
            worker.deleteLater()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        counts = {o: sum(r.outcome == o for r in self._batch) for o in Outcome}
        text = (f"本次处理 {len(self._batch)} / {len(total)} 个文件：已装入 {counts[Outcome.LOADED]}，"
                f"已替换 {counts[Outcome.REPLACED]}，已存在 {counts[Outcome.PRESENT]}，拒收 {counts[Outcome.REFUSED]}")
        if cancelled:
            text += "（已取消，其余文件未处理；已装入的保留）"
        self.results.addItem(QListWidgetItem(text))
        self.show_status(text)
        self.refresh()
        self.loading_finished.emit()

    def cancel_loading(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.show_status("正在取消：当前文件处理完后停止")

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "添加收到的报告文件", self._folder(), "报告文件 (*.sqlite);;所有文件 (*)")
        if files:
            self.add_paths(files)

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "添加文件夹中的全部报告文件", self._folder())
        if folder:
            self.add_paths([folder])

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

    # -- viewing ------------------------------------------------------------------
    def report_dialog(self, row: UnitRow) -> ReportDialog:
        report = self.db.report(row.uuid)
        return ReportDialog(report, row, self.db.history(row.uuid), self.db.reviews(row.uuid), self)

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
    def export_summary(self, path: str | Path) -> Path | None:
        path = Path(path)
        writer = write_csv if path.suffix.lower() == ".csv" else write_xlsx
        try:
            out = writer(self.model.rows, path)
        except OSError as exc:
            QMessageBox.warning(self, "导出汇总表", f"无法写入“{path.name}”：{os_reason(exc)}")
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

    # -- keyboard and help ----------------------------------------------------------
    def _keyboard_and_help(self) -> None:
        """Alt letters on the menu and every button, Ctrl+Q to close (as in the main window),
        and a 帮助 menu: 使用说明 (F1, its 区财政局 part), 检查规则说明, 快捷键, 关于."""
        from PySide6.QtGui import QAction, QKeySequence

        f = self.form
        self.setObjectName("district-window")
        f.menu_file.setTitle("文件(&F)")
        for action, text in ((f.action_add_files, "添加报告文件(&O)…"), (f.action_add_folder, "添加文件夹(&D)…"),
                             (f.action_export_xlsx, "导出汇总表（Excel）(&E)…"),
                             (f.action_export_csv, "导出汇总表（CSV）(&C)…"), (f.action_close, "关闭(&Q)")):
            action.setText(text)
        f.action_close.setShortcuts([QKeySequence("Ctrl+Q"), QKeySequence("Ctrl+W")])
        for button, text in ((f.add_files_button, "添加文件(&A)…"), (f.add_folder_button, "添加文件夹(&L)…"),
                             (self.open_button, "查看报告(&V)"), (self.approve_button, "已审核(&P)"),
                             (self.return_button, "退回修改(&R)…"), (self.remove_button, "移除(&M)…"),
                             (f.export_xlsx_button, "导出 Excel(&X)…"), (f.export_csv_button, "导出 CSV(&S)…"),
                             (self.cancel_button, "取消(&N)")):
            button.setText(text)
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
        from PySide6.QtCore import QTimer

        def grab() -> None:
            shots.mkdir(parents=True, exist_ok=True)
            out = shots / "district.png"
            window.grab().save(str(out))
            print(out)
            window.close()
            app.quit()

        QTimer.singleShot(0, grab)
    return int(app.exec())
