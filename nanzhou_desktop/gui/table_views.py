"""The 自评表 tab: 预算执行 / 重点项目 / 绩效指标 tables and the 得分 view.

Embedding in the main window::

    tab = SelfEvaluationTab(report_file, session=session)   # session: the window's ReportSession
    tabs.addTab(tab, "自评表")
    findings_panel.activated.connect(tab.focus_field)       # FieldRef → select and scroll to the cell
    tab.messageChanged.connect(status_bar.showMessage)      # refused entries, row operations

With a session the tab re-colours itself on ``session.checked``, reloads rows on
``session.structure_changed``, refreshes a cell on ``session.field_reloaded`` (undo/redo)
and follows ``session.status_changed`` (定稿 locks every cell and button); its open editor is
committed by ``session.flush()``.  Without a session, connect ``tab.edited`` to a recheck
and hand the result back with ``tab.set_result(result)``.  After 定稿 / 解除定稿 done
elsewhere, call ``tab.refresh_lock_state()``.

Keyboard: Enter commits and moves down; Ctrl+V pastes a spreadsheet range (tab-separated),
every refused cell is listed; Ctrl+C copies the selection the same way; Delete clears the
selected editable cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui.score_view import ScoreView
from nanzhou_desktop.gui.table_models import (
    BudgetTableModel,
    ChoicesRole,
    IndicatorTableModel,
    ProjectTableModel,
    ReportTableModel,
)
from nanzhou_desktop.model import BudgetKind, FieldRef
from nanzhou_desktop.money import format_number, round_half_up
from nanzhou_desktop.rules.findings import CheckResult, Severity
from nanzhou_desktop.store.errors import EditError, ReportFileError
from nanzhou_desktop.store.reportfile import ReportFile

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

ModelIndex = QModelIndex | QPersistentModelIndex


class CellDelegate(QStyledItemDelegate):
    """A combo box where the model offers choices (指标性质, 定性 实际完成值), a line edit elsewhere."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        choices = index.data(ChoicesRole)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(choices)
        combo.setFrame(False)
        # Choosing an item is the whole edit: commit at once, as a spreadsheet does.
        combo.activated.connect(lambda _i, c=combo: self._commit_combo(c))
        return combo

    def _commit_combo(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            i = editor.findText(text)
            editor.setCurrentIndex(max(i, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class SheetView(QTableView):
    """A QTableView that behaves like a sheet: Enter moves down, paste/copy ranges."""

    pasteFinished = Signal(int, list)  # cells accepted, [(row, column, reason)] refused

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(CellDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setAlternatingRowColors(False)  # backgrounds carry finding colours
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def sheet_model(self) -> ReportTableModel:
        return self.model()  # type: ignore[return-value]

    def freeze_column(self, column: int) -> FrozenColumn:
        """Keep ``column`` (the row's name) in view when the table is scrolled right."""
        self.frozen = FrozenColumn(self, column)
        return self.frozen

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        frozen = getattr(self, "frozen", None)
        if frozen is not None:
            frozen.place()

    def scrollTo(self, index: ModelIndex, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        super().scrollTo(index, hint)
        frozen = getattr(self, "frozen", None)
        if frozen is None:
            return
        frozen.place()
        if frozen.isVisible() and index.isValid() and index.column() != frozen.column:
            # the cell must not end up under the name column shown over the table's left edge
            hidden = frozen.width() - self.visualRect(index).left()
            if hidden > 0:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - hidden)
                frozen.place()

    def fit_columns(self) -> None:
        """Widths that show each Chinese header in full and the usual content."""
        model = self.sheet_model()
        fm = self.horizontalHeader().fontMetrics()
        last = len(model.columns) - 1
        for c, col in enumerate(model.columns):
            header = fm.horizontalAdvance(col.header) + 28
            # The last column (偏差原因 and the like: free text) takes the width that is left
            # (at least its header's): a table that fits is not cut at the right edge.
            self.setColumnWidth(c, header if c == last else max(header, col.width))
        self.horizontalHeader().setStretchLastSection(True)

    # -- Tab leaves the table at its ends ---------------------------------------------
    def _wraps(self, forward: bool) -> bool:
        """Would Tab (Shift+Tab) from the current cell wrap round to the first (last) cell?  Qt
        cycles through the cells for ever: then Tab leaves the table instead."""
        cur = self.currentIndex()
        if not cur.isValid():
            return False
        action = (QAbstractItemView.CursorAction.MoveNext if forward
                  else QAbstractItemView.CursorAction.MovePrevious)
        nxt = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if not nxt.isValid():
            return True
        here, there = (cur.row(), cur.column()), (nxt.row(), nxt.column())
        return there <= here if forward else there >= here

    def _leave(self, forward: bool) -> None:
        QAbstractScrollArea.focusNextPrevChild(self, forward)

    # -- Enter moves down -------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        current = self.currentIndex()
        Hint = QAbstractItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            forward = hint == Hint.EditNextItem
            if self._wraps(forward):  # Tab in the last cell's editor: commit, then leave the table
                super().closeEditor(editor, Hint.NoHint)
                self._leave(forward)
                return
        moved = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if moved else hint)
        # A refused entry keeps the cursor on the cell so it can be corrected at once.
        if moved and current.isValid() and not self.sheet_model().last_error(current.row(), current.column()):
            self._move_down(current)

    def _move_down(self, current: QModelIndex) -> None:
        if current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(current.row() + 1, current.column()))

    def commit_open_editor(self) -> None:
        """Commit whatever is being typed (before undo, save, close)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        fw = QApplication.focusWidget()
        if fw is not None and self.viewport().isAncestorOf(fw):
            self.commitData(fw)
            self.closeEditor(fw, QAbstractItemDelegate.EndEditHint.NoHint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not ctrl and self._wraps(key == Qt.Key.Key_Tab):
            event.ignore()  # not taken: the focus moves on to the next (previous) widget
            return
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
                self._move_down(self.currentIndex())
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_clipboard()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selectedIndexes():
                self.clear_selection_cells()
                return
        super().keyPressEvent(event)

    # -- clipboard -----------------------------------------------------------------
    def paste_text(self, text: str) -> list[tuple[int, int, str]]:
        current = self.currentIndex()
        if not current.isValid():
            current = self.model().index(0, 0)
        selected = self.selectedIndexes()
        if selected:  # paste at the top-left of the selection, as spreadsheets do
            row = min(i.row() for i in selected)
            col = min(i.column() for i in selected)
        else:
            row, col = max(current.row(), 0), max(current.column(), 0)
        cells = sum(len(line.split("\t")) for line in text.rstrip("\n").split("\n") if text.strip())
        refused = self.sheet_model().paste_text(row, col, text)
        self.pasteFinished.emit(max(cells - len(refused), 0), refused)
        return refused

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.paste_text(text)

    def selection_text(self) -> str:
        idxs = self.selectedIndexes()
        if not idxs:
            return ""
        rows = sorted({i.row() for i in idxs})
        cols = sorted({i.column() for i in idxs})
        chosen = {(i.row(), i.column()) for i in idxs}
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                cells.append(str(self.model().index(r, c).data() or "") if (r, c) in chosen else "")
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def clear_selection_cells(self) -> None:
        model = self.sheet_model()
        for idx in self.selectedIndexes():
            if model.flags(idx) & Qt.ItemFlag.ItemIsEditable and idx.data(ChoicesRole) is None:
                model.setData(idx, "", Qt.ItemDataRole.EditRole)


# The column that names a row, kept in view when a table is scrolled right (FrozenColumn).
NAME_COLUMNS = {"budget_rows": "label", "projects": "name", "indicators": "level3"}


class FrozenColumn(QTableView):
    """The name column of a wide table, kept in view at the table's left edge while the table is
    scrolled to the right (to 偏差原因, where warnings point): at 1366 px the indicator names
    were otherwise out of view.  It shares the model and the selection; it appears only when
    the column itself has scrolled (partly) out of view, so it never hides another column at rest.
    A click on a name selects that cell in the table (which scrolls it into view)."""

    def __init__(self, sheet: SheetView, column: int) -> None:
        super().__init__(sheet)
        self.sheet = sheet
        self.column = column
        self.setObjectName("frozenColumn")
        self.setModel(sheet.model())
        self.setSelectionModel(sheet.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(sheet.verticalScrollMode())
        self.setWordWrap(False)
        self.setStyleSheet("QTableView#frozenColumn { border: none; border-right: 2px solid #9aa5b1; }")
        self._sync_columns()
        sheet.model().modelReset.connect(self._sync_columns)
        sheet.model().columnsInserted.connect(self._sync_columns)
        sheet.horizontalHeader().sectionResized.connect(self._section_resized)
        sheet.verticalHeader().sectionResized.connect(self._row_resized)
        sheet.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(sheet.verticalScrollBar().setValue)
        sheet.horizontalScrollBar().valueChanged.connect(lambda _v: self.place())
        self.clicked.connect(self._select_in_sheet)
        self.hide()

    def _sync_columns(self) -> None:
        for c in range(self.model().columnCount()):
            self.setColumnHidden(c, c != self.column)
        self.setColumnWidth(self.column, self.sheet.columnWidth(self.column))
        for r in range(self.model().rowCount()):
            self.setRowHeight(r, self.sheet.rowHeight(r))
        self.place()

    def _section_resized(self, index: int, _old: int, new: int) -> None:
        if index == self.column:
            self.setColumnWidth(index, new)
        self.place()

    def _row_resized(self, index: int, _old: int, new: int) -> None:
        self.setRowHeight(index, new)

    def needed(self) -> bool:
        """The name column is (partly) scrolled out at the left."""
        return self.sheet.columnViewportPosition(self.column) < 0

    def place(self) -> None:
        """Over the table's left edge (headers included), as wide as the name column."""
        if not self.needed():
            self.hide()
            return
        sheet = self.sheet
        width = sheet.columnWidth(self.column) + 2
        x = sheet.verticalHeader().width() + sheet.frameWidth()
        self.setGeometry(x, sheet.frameWidth(), width,
                         sheet.viewport().height() + sheet.horizontalHeader().height())
        self.verticalScrollBar().setValue(sheet.verticalScrollBar().value())
        self.show()
        self.raise_()

    def _select_in_sheet(self, index: QModelIndex) -> None:
        self.sheet.setCurrentIndex(index)
        self.sheet.setFocus(Qt.FocusReason.MouseFocusReason)


class TableEditor(QWidget):
    """One table of the 自评表 with its row buttons and a line for messages."""

    messageChanged = Signal(str)

    def __init__(self, model: ReportTableModel, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.title = title
        self.view = SheetView(self)
        self.view.setModel(model)
        self.view.fit_columns()
        name = NAME_COLUMNS.get(model.table)
        if name is not None:
            self.view.freeze_column(model.column_index(name))
        self.view.setAccessibleName(title)

        self.buttons = QHBoxLayout()
        self.add_buttons: list[QPushButton] = []
        self._make_add_buttons()
        self.delete_button = self._button("删除行", self.delete_current, "删除当前选中的行")
        self.up_button = self._button("上移", lambda: self.move_current(-1), "把当前行上移一行")
        self.down_button = self._button("下移", lambda: self.move_current(+1), "把当前行下移一行")
        self.buttons.addStretch(1)
        self._keyboard()
        # Under the table, one line: beside the row buttons it was squeezed into four.
        self.hint = QLabel("回车确认并移到下一行 · Ctrl+V 粘贴从 Excel 复制的表格区域 · 灰底的列自动计算")
        self.hint.setToolTip("回车确认输入并移到下一行；Ctrl+V 把从 Excel 复制的一块表格粘贴到选中处；"
                             "灰底的列（执行率、得分等）由程序计算，不能输入")
        self.hint.setStyleSheet("color: #6b7280;")
        self.hint.setMinimumWidth(120)  # may be cut in a narrow window, never widen it

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)

        self._showing_refusal = False
        model.editRejected.connect(self._on_rejected)
        model.edited.connect(self._refresh_refusal)  # a corrected cell takes its message away,
        model.dataChanged.connect(self._refresh_refusal)  # and so does an undone one
        self.view.pasteFinished.connect(self._on_pasted)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        model.rowsInserted.connect(lambda *_: self._update_buttons())
        model.rowsRemoved.connect(lambda *_: self._update_buttons())
        # A moved row keeps the cursor (no currentChanged): 上移 then 下移 found 下移 still greyed.
        model.rowsMoved.connect(lambda *_: self._update_buttons())
        model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _keyboard(self) -> None:
        """The row buttons come before the table in the Tab order (as on screen), and have
        shortcuts that work anywhere in this table: Ctrl+Ins adds a row, Ctrl+Del deletes the
        current one, Alt+↑ / Alt+↓ move it."""
        self._tab_order()
        for button, keys in ((self.add_buttons[-1], "Ctrl+Ins"), (self.delete_button, "Ctrl+Del"),
                             (self.up_button, "Alt+Up"), (self.down_button, "Alt+Down")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(button.click)  # a disabled button ignores the click
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            button.setProperty("base_tip", f"{button.property('base_tip')}（{shown}）")
            button.setToolTip(str(button.property("base_tip")))

    def _tab_order(self) -> None:
        chain = [*self.add_buttons, self.delete_button, self.up_button, self.down_button, self.view]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Again once in the window: moving the editor into its tab rebuilt the focus chain.
        self._tab_order()

    def _button(self, text: str, slot: Any, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setProperty("base_tip", tip)  # shown again when a finalised report is unlocked
        b.clicked.connect(slot)
        self.buttons.addWidget(b)
        return b

    def _make_add_buttons(self) -> None:
        self.add_buttons.append(self._button("添加行", self.add_row, f"在{self.title}末尾添加一行"))

    # -- row operations ----------------------------------------------------------------
    def _run(self, op: Any) -> tuple[bool, Any]:
        """Run a row operation; a refusal (locked, disk full) is shown, never raised."""
        try:
            result = op()
        except (EditError, ReportFileError) as exc:
            self.show_message(str(exc))
            return False, None
        self.show_message("")
        return True, result

    def add_row(self) -> None:
        ok, row = self._run(self.model.add_row)
        if ok:
            self._select(row, 0, edit=True)

    def delete_current(self) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            self.show_message("请先选中要删除的行")
            return
        col = idx.column()
        ok, _ = self._run(lambda: self.model.remove_row(idx.row()))
        if ok and self.model.rowCount():
            self._select(min(idx.row(), self.model.rowCount() - 1), col)

    def move_current(self, delta: int) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return
        col = idx.column()
        ok, row = self._run(lambda: self.model.move_row(idx.row(), delta))
        if ok:
            self._select(row, col)

    def _select(self, row: int, col: int, *, edit: bool = False) -> None:
        idx = self.model.index(row, col)
        self.view.setCurrentIndex(idx)
        self.view.scrollTo(idx)
        self.view.setFocus()
        self._update_buttons()
        if edit and self.model.flags(idx) & Qt.ItemFlag.ItemIsEditable:
            self.view.edit(idx)

    def _update_buttons(self) -> None:
        editable = not self.model.locked
        row = self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1
        for b in self.add_buttons:
            b.setEnabled(editable)
        m = self.model
        self.delete_button.setEnabled(editable and row >= 0 and m.can_delete_row(row))
        self.up_button.setEnabled(editable and row > 0 and m.can_move_row(row, -1))
        self.down_button.setEnabled(editable and 0 <= row < m.rowCount() - 1 and m.can_move_row(row, +1))
        self.hint.setVisible(editable)  # how to type: nothing to type in a finalised report
        tip = "" if editable else self.model.locked_reason()
        for b in (*self.add_buttons, self.delete_button, self.up_button, self.down_button):
            b.setToolTip(tip or str(b.property("base_tip") or ""))

    # -- messages ------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self._showing_refusal = False
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.messageChanged.emit(text)

    def _on_rejected(self, row: int, column: int, reason: str) -> None:
        header = self.model.columns[column].header
        self.show_message(f"第 {row + 1} 行“{header}”未保存：{reason}")
        self._showing_refusal = True

    def _refresh_refusal(self) -> None:
        """After an accepted edit: the message names a cell still refused, or goes."""
        if not self._showing_refusal:
            return  # no refusal shown (a paste summary or a row message stays as it is)
        refused = self.model.refused_cells()
        if refused:
            self._on_rejected(*refused[0])
        else:
            self.show_message("")

    def _on_pasted(self, accepted: int, refused: list) -> None:
        if not refused:
            self.show_message("")
            if accepted:
                self.messageChanged.emit(f"已粘贴 {accepted} 个单元格")
            return
        lines = [f"已粘贴 {accepted} 个单元格，{len(refused)} 个未粘贴："]
        for r, c, reason in refused[:8]:
            header = self.model.columns[c].header if c < len(self.model.columns) else f"第 {c + 1} 列"
            lines.append(f"第 {r + 1} 行“{header}”：{reason}")
        if len(refused) > 8:
            lines.append(f"……另有 {len(refused) - 8} 个")
        self.show_message("\n".join(lines))

    def refresh_lock_state(self) -> None:
        self._update_buttons()
        self.model.reload()


class BudgetTableEditor(TableEditor):
    """预算执行: the 其中 rows are added by kind, since their kind drives the checks."""

    model: BudgetTableModel

    def _make_add_buttons(self) -> None:
        for kind, label, text in ((BudgetKind.BASIC, "其中：基本支出", "添加基本支出行"),
                                  (BudgetKind.PROJECT, "其中：项目支出", "添加项目支出行"),
                                  (BudgetKind.OTHER, "其中：其他资金", "添加其他资金行")):
            b = self._button(text, lambda _=False, k=kind, lb=label: self.add_row_of_kind(k, lb),
                             f"添加“{label}”行")
            self.add_buttons.append(b)

    def add_row_of_kind(self, kind: BudgetKind, label: str) -> None:
        ok, row = self._run(lambda: self.model.add_row_of_kind(kind, label))
        if ok:
            self._select(row, 1, edit=True)


class SelfEvaluationTab(QWidget):
    """The 自评表 tab: 预算执行 / 重点项目 / 绩效指标 / 得分 as sub-tabs (see module docstring)."""

    edited = Signal()  # a cell or row was committed (re-run the rules when there is no session)
    messageChanged = Signal(str)

    SUBTABS = ("预算执行", "重点项目", "绩效指标", "得分")

    def __init__(self, report_file: ReportFile, parent: QWidget | None = None, *, session: Any = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        self.session = session
        self.budget_model = BudgetTableModel(report_file, self, session=session)
        self.project_model = ProjectTableModel(report_file, self, session=session)
        self.indicator_model = IndicatorTableModel(report_file, self, session=session)
        self.budget_editor = BudgetTableEditor(self.budget_model, "预算执行情况")
        self.project_editor = TableEditor(self.project_model, "重点项目")
        self.indicator_editor = TableEditor(self.indicator_model, "绩效指标")
        self.score_view = ScoreView(report_file)
        self.editors: dict[str, TableEditor] = {
            "budget_rows": self.budget_editor, "projects": self.project_editor, "indicators": self.indicator_editor}

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for editor, title in zip((*self.editors.values(), self.score_view), self.SUBTABS, strict=True):
            self.tabs.addTab(editor, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        for editor in self.editors.values():
            editor.model.edited.connect(self.edited)
            editor.messageChanged.connect(self.messageChanged)
            editor.view.installEventFilter(self)
        if session is not None:
            session.checked.connect(self.set_result)
            session.structure_changed.connect(self._on_structure_changed)
            session.field_reloaded.connect(self._on_field_reloaded)
            session.status_changed.connect(self.refresh_lock_state)
            session.add_flusher(self.commit_open_editors)
            if session.result is not None:
                self.set_result(session.result)

    # ------------------------------------------------------------------ results
    def set_result(self, result: CheckResult | None) -> None:
        for editor in self.editors.values():
            editor.model.set_result(result)
        self.score_view.set_result(result)
        self._update_tab_titles(result)

    def _update_tab_titles(self, result: CheckResult | None) -> None:
        for i, (table, title) in enumerate(zip(self.editors, self.SUBTABS, strict=False)):
            errors = warnings = 0
            if result is not None:
                for f in result.findings:
                    if f.where.table == table:
                        errors += f.severity == Severity.ERROR
                        warnings += f.severity == Severity.WARNING and not f.explained
            parts = [f"{errors} 错误"] if errors else []
            parts += [f"{warnings} 警告"] if warnings else []
            self.tabs.setTabText(i, f"{title}（{'，'.join(parts)}）" if parts else title)
        if result is not None:
            s = result.score
            self.tabs.setTabText(3, f"得分 {format_number(round_half_up(s.total))}（{s.grade}）")

    # ------------------------------------------------------------------ navigation
    def focus_field(self, ref: FieldRef) -> bool:
        """Open the sub-tab holding ``ref`` and select, scroll to and focus its cell.

        Returns False when the reference is not a 自评表 cell (e.g. a narrative section)."""
        editor = self.editors.get(ref.table)
        if editor is None:
            return False
        if ref.row is None:  # about the table as a whole (e.g. no indicator at all)
            self.tabs.setCurrentWidget(editor)
            editor.view.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        idx = editor.model.index_for(ref)
        if not idx.isValid():
            return False
        self.tabs.setCurrentWidget(editor)
        editor.view.setCurrentIndex(idx)
        editor.view.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        editor.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def current_field(self) -> FieldRef | None:
        """The cell under the cursor, as a FieldRef (for 出错说明 and the findings panel)."""
        editor = self.tabs.currentWidget()
        if not isinstance(editor, TableEditor):
            return None
        idx = editor.view.currentIndex()
        if not idx.isValid():
            return None
        obj = editor.model.rows()[idx.row()]
        return FieldRef(editor.model.table, obj.id, editor.model.columns[idx.column()].key)

    # ------------------------------------------------------------------ session hooks
    def commit_open_editors(self) -> None:
        for editor in self.editors.values():
            editor.view.commit_open_editor()

    def _on_structure_changed(self, table: str) -> None:
        editor = self.editors.get(table)
        if editor is not None and not editor.model.in_row_operation:
            editor.model.reload()

    def _on_field_reloaded(self, table: str, row_id: Any, column: str) -> None:
        editor = self.editors.get(table)
        if editor is not None:
            editor.model.refresh_field(table, row_id, column)

    def refresh_lock_state(self) -> None:
        """定稿 / 解除定稿 / reopened: cells and buttons follow the report's state."""
        for editor in self.editors.values():
            editor.refresh_lock_state()

    def reload(self) -> None:
        """The report changed wholesale (another file opened into the same file object)."""
        for editor in self.editors.values():
            editor.model.reload()
        self.score_view.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Leaving a table commits its open editor, so switching sub-tabs never drops typing.
        if event.type() == QEvent.Type.Hide and isinstance(watched, SheetView):
            watched.commit_open_editor()
        return super().eventFilter(watched, event)

