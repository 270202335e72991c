"""Table models of the 自评表: 预算执行, 重点项目, 绩效指标 over an open report file.

Each model is a :class:`QAbstractTableModel` over one row table of a
:class:`~nanzhou_desktop.store.reportfile.ReportFile`.  Edits go one way: ``setData`` →
``ReportFile.set_field`` (which parses 19,910.75 / 19910.75 / full-width digits and refuses
anything else with a Chinese sentence) → ``edited()``.  The window answers ``edited()`` by
running ``rules.check`` and handing the result back with :meth:`ReportTableModel.set_result`,
which refreshes 得分 and colours every cell a finding points at.  No rule and no SQL here.

Use::

    model = BudgetTableModel(report_file)          # or ProjectTableModel / IndicatorTableModel
    model.edited.connect(window.recheck)            # after every committed edit
    model.editRejected.connect(show_message)        # (row, column, 中文原因)
    model.set_result(rules.check(report_file.report))

Inside the main window pass the window's ``ReportSession`` (``session=``): edits then go
through ``session.set_field`` (one undo step each, rules re-run, ``session.checked`` fires)
and row operations through ``session.row_operation``; call :meth:`refresh_field` on
``session.field_reloaded`` (undo/redo) and :meth:`reload` on ``session.structure_changed``.
``SelfEvaluationTab`` in :mod:`table_views` wires all of that.

A refused entry is not lost: the typed text stays in the cell as *pending* text, shown in
red with the reason as tooltip (also :data:`ErrorRole`), until it is corrected or
discarded with :meth:`ReportTableModel.discard_pending`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    Direction,
    FieldRef,
    Indicator,
    Project,
)
from nanzhou_desktop.money import format_money, format_number, format_rate, percent, round_half_up
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.store.errors import EditError, ReportFileError
from nanzhou_desktop.store.fields import FIELDS
from nanzhou_desktop.store.reportfile import ReportFile

ModelIndex = QModelIndex | QPersistentModelIndex

# Custom roles, so views and tests read the model's state without parsing colours.
ErrorRole = Qt.ItemDataRole.UserRole + 1  # str: why the last entry in this cell was refused ("" if none)
PendingRole = Qt.ItemDataRole.UserRole + 2  # str | None: refused text kept in the cell
FindingsRole = Qt.ItemDataRole.UserRole + 3  # list[Finding] pointing at this cell
ChoicesRole = Qt.ItemDataRole.UserRole + 4  # list[str] | None: the values a combo editor offers
RowIdRole = Qt.ItemDataRole.UserRole + 5  # int: the row id in the report file
ColumnKeyRole = Qt.ItemDataRole.UserRole + 6  # str: the report-file column (or computed key)

DIRECTION_CHOICES = [d.value for d in Direction]

# Cell colours: a refused entry, then findings by severity.  Pale so the text stays legible.
PENDING_BG = QColor("#fde2e2")
PENDING_FG = QColor("#b00020")
SEVERITY_BG = {
    Severity.ERROR: QColor("#f6c2c0"),
    Severity.WARNING: QColor("#fff1c2"),
    Severity.INFO: QColor("#dcebfb"),
}
EXPLAINED_BG = QColor("#e6f2e6")  # a 警告 already explained (出错说明)
COMPUTED_BG = QColor("#f3f4f6")  # read-only computed columns
MUTED_FG = QColor("#8a8f98")  # 不适用 rows

# Aliases rules may use for computed cells, so a finding on "执行率" lands on that column.
_COMPUTED_ALIASES = {"rate": "rate", "execution_rate": "rate", "score": "score", "budget_score": "score"}


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is the report-file column (editable) or a computed key."""

    key: str
    header: str
    kind: str = "text"  # text | money | decimal | rate | score | points | enum | bool | value
    editable: bool = True
    width: int = 0  # preferred width in pixels; 0 = fit the header

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "decimal", "rate", "score", "points")


def _field_column(table: str, key: str, kind: str = "text", width: int = 0, header: str = "") -> Column:
    return Column(key, header or FIELDS[table][key].label, kind, True, width)


class ReportTableModel(QAbstractTableModel):
    """Common behaviour of the three 自评表 models (see the module docstring)."""

    edited = Signal()
    editRejected = Signal(int, int, str)  # row, column, the Chinese reason
    refusalsChanged = Signal()  # the set of refused, unsaved entries (refused_entries) changed

    table: str = ""
    columns: tuple[Column, ...] = ()

    def __init__(self, report_file: ReportFile, parent: Any = None, *, session: Any = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        # The window's ReportSession (undo stack + rules), when there is one.
        self.session = session
        self.in_row_operation = False  # True while this model adds/removes/moves a row
        self._result: CheckResult | None = None
        self._errors: dict[tuple[int, str], str] = {}  # (row id, column key) → reason
        self._pending: dict[tuple[int, str], str] = {}  # (row id, column key) → refused text
        self._cell_findings: dict[tuple[int, str], list[Finding]] = {}
        self._quiet = 0  # >0 while pasting: one edited() for the whole paste

    # ---------------------------------------------------------------- structure
    def rows(self) -> Sequence[Any]:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def column_index(self, key: str) -> int:
        key = _COMPUTED_ALIASES.get(key, key)
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        return -1

    def row_of_id(self, row_id: int | None) -> int:
        for i, obj in enumerate(self.rows()):
            if obj.id == row_id:
                return i
        return -1

    def index_for(self, ref: FieldRef) -> QModelIndex:
        """The cell a :class:`FieldRef` points at (first column for a whole-row reference)."""
        if ref.table != self.table:
            return QModelIndex()
        row = self.row_of_id(ref.row)
        if row < 0:
            return QModelIndex()
        col = self.column_index(ref.column) if ref.column else -1
        return self.index(row, max(col, 0))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
                col = self.columns[section]
                # Amounts are typed in 万元, bare: the header says so (a second line keeps it narrow).
                return f"{col.header}\n（万元）" if col.kind == "money" else col.header
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(self.columns):
                col = self.columns[section]
                return col.header if col.editable else f"{col.header}（自动计算，不能修改）"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    @property
    def locked(self) -> bool:
        return self.rf.read_only or self.rf.report.locked

    def locked_reason(self) -> str:
        if self.rf.read_only:
            return "文件以只读方式打开，不能修改"
        return f"报告{self.rf.report.status}，不能修改；如需修改请先“解除定稿”"

    def is_cell_editable(self, obj: Any, col: Column) -> bool:
        return col.editable

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = self.columns[index.column()]
        obj = self.rows()[index.row()]
        if self.locked or not self.is_cell_editable(obj, col):
            return base
        if col.kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    # ---------------------------------------------------------------- reading
    def display_value(self, obj: Any, col: Column) -> str:
        """The cell's text as shown; subclasses add computed columns."""
        value = getattr(obj, col.key, None)
        if col.kind == "money":
            return format_money(value)
        if col.kind in ("decimal", "points"):
            return format_number(value)
        if col.kind == "bool":
            return ""
        return "" if value is None else str(value)

    def edit_value(self, obj: Any, col: Column) -> str:
        """What an editor starts with: plain digits for money (no separators to fight)."""
        value = getattr(obj, col.key, None)
        if isinstance(value, Decimal):
            return format_number(value)
        return "" if value is None else str(value)

    def choices(self, obj: Any, col: Column) -> list[str] | None:
        return None

    def muted(self, obj: Any) -> bool:
        return False

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows())):
            return None
        obj = self.rows()[index.row()]
        col = self.columns[index.column()]
        key = (obj.id, col.key)
        pending = self._pending.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return pending if pending is not None else self.display_value(obj, col)
        if role == Qt.ItemDataRole.EditRole:
            return pending if pending is not None else self.edit_value(obj, col)
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "bool":
            return Qt.CheckState.Checked if getattr(obj, col.key) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.numeric or (col.kind == "value" and self._is_numeric_value(obj)):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col.kind in ("enum", "bool"):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if pending is not None:
                return QBrush(PENDING_FG)
            if self.muted(obj):
                return QBrush(MUTED_FG)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if pending is not None:
                return QBrush(PENDING_BG)
            findings = self._cell_findings.get(key)
            if findings:
                worst = min(findings, key=lambda f: (f.severity.rank, f.explained))
                if worst.severity == Severity.WARNING and worst.explained:
                    return QBrush(EXPLAINED_BG)
                return QBrush(SEVERITY_BG[worst.severity])
            if not col.editable:
                return QBrush(COMPUTED_BG)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(obj, col)
        if role == ErrorRole:
            return self._errors.get(key, "")
        if role == PendingRole:
            return pending
        if role == FindingsRole:
            return list(self._cell_findings.get(key, []))
        if role == ChoicesRole:
            return self.choices(obj, col)
        if role == RowIdRole:
            return obj.id
        if role == ColumnKeyRole:
            return col.key
        return None

    def _is_numeric_value(self, obj: Any) -> bool:
        return False

    def _tooltip(self, obj: Any, col: Column) -> str | None:
        lines: list[str] = []
        err = self._errors.get((obj.id, col.key))
        if err:
            lines.append(f"未保存：{err}")
        for f in self._cell_findings.get((obj.id, col.key), []):
            text = f"{f.severity}：{f.message}"
            if f.explanation is not None:
                text += f"（已说明：{f.explanation.text}）"
            lines.append(text)
        extra = self.extra_tooltip(obj, col)
        if extra:
            lines.append(extra)
        return "\n".join(lines) if lines else None

    def extra_tooltip(self, obj: Any, col: Column) -> str:
        return ""

    def refused_cells(self) -> list[tuple[int, int, str]]:
        """(row, column, reason) of every cell whose last entry was refused and is still not
        saved, in table order."""
        rows = {obj.id: r for r, obj in enumerate(self.rows())}
        cols = {c.key: i for i, c in enumerate(self.columns)}
        return sorted((rows[rid], cols[key], reason) for (rid, key), reason in self._errors.items()
                      if rid in rows and key in cols)

    def last_error(self, row: int, column: int) -> str:
        obj = self.rows()[row]
        return self._errors.get((obj.id, self.columns[column].key), "")

    def pending_text(self, row: int, column: int) -> str | None:
        obj = self.rows()[row]
        return self._pending.get((obj.id, self.columns[column].key))

    def has_pending(self) -> bool:
        return bool(self._pending)

    def refused_entries(self) -> list[tuple[int, int, Column, str]]:
        """(row number, row id, column, refused text) of every cell whose typed entry was
        refused and is still shown instead of the stored value, in table order."""
        cols = {c.key: c for c in self.columns}
        out = [(r, obj.id, cols[key], self._pending[(obj.id, key)])
               for r, obj in enumerate(self.rows()) for key in cols if (obj.id, key) in self._pending]
        return out

    # ---------------------------------------------------------------- writing
    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        obj = self.rows()[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "bool":
            value = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        elif role != Qt.ItemDataRole.EditRole:
            return False
        if not col.editable:
            self._reject(index, obj, col, None, f"“{col.header}”是自动计算的，不能修改")
            return False
        if self.locked:
            self._reject(index, obj, col, None, self.locked_reason())
            return False
        if not self.is_cell_editable(obj, col):
            self._reject(index, obj, col, None, self.not_editable_reason(obj, col))
            return False
        text = value if isinstance(value, bool) else ("" if value is None else str(value))
        try:
            if self.session is not None:
                self.session.set_field(self.table, obj.id, col.key, text)
            else:
                self.rf.set_field(self.table, obj.id, col.key, text)
        except (EditError, ReportFileError) as exc:
            # Keep what was typed: the user corrects it rather than typing it again.
            self._reject(index, obj, col, None if isinstance(text, bool) else text, str(exc))
            return False
        self._errors.pop((obj.id, col.key), None)
        if self._pending.pop((obj.id, col.key), None) is not None:
            self.refusalsChanged.emit()
        # The whole row may change: 执行率 follows 执行数, 定性 columns follow 指标性质.
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.columns) - 1))
        if not self._quiet:
            self.edited.emit()
        return True

    def not_editable_reason(self, obj: Any, col: Column) -> str:
        return f"此行的“{col.header}”不能修改"

    def _reject(self, index: ModelIndex, obj: Any, col: Column, text: str | None, reason: str) -> None:
        self._errors[(obj.id, col.key)] = reason
        if text is not None:
            self._pending[(obj.id, col.key)] = text
        self.dataChanged.emit(index, index)
        self.editRejected.emit(index.row(), index.column(), reason)
        if text is not None:
            self.refusalsChanged.emit()

    def discard_pending(self, row: int, column: int) -> None:
        """Drop a refused entry: the cell shows the stored value again."""
        obj = self.rows()[row]
        key = (obj.id, self.columns[column].key)
        pending = self._pending.pop(key, None) is not None
        if self._errors.pop(key, None) is not None or pending:
            idx = self.index(row, column)
            self.dataChanged.emit(idx, idx)
        if pending:
            self.refusalsChanged.emit()

    def paste_text(self, row: int, column: int, text: str) -> list[tuple[int, int, str]]:
        """Fill cells from a spreadsheet range (tab-separated columns, one line per row)
        starting at (row, column), each through the same parsing as typing.

        Returns the refused cells as (row, column, reason); the accepted ones are saved.
        Rows past the end are added where the table allows it (重点项目, 绩效指标).
        """
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # spreadsheets end a copied range with a newline
        refused: list[tuple[int, int, str]] = []
        if self.locked:
            return [(row, column, self.locked_reason())]
        changed = False
        self._quiet += 1
        try:
            for dr, line in enumerate(lines):
                r = row + dr
                if r >= self.rowCount():
                    if not self.can_append_rows():
                        refused.append((r, column, f"粘贴的第 {dr + 1} 行超出了表格，请先添加行"))
                        continue
                    try:
                        self.add_row()
                    except (EditError, ReportFileError) as exc:
                        refused.append((r, column, str(exc)))
                        continue
                    changed = True
                for dc, cell in enumerate(line.split("\t")):
                    c = column + dc
                    if c >= self.columnCount():
                        refused.append((r, c, f"粘贴的第 {dr + 1} 行第 {dc + 1} 列超出了表格"))
                        continue
                    col = self.columns[c]
                    if not col.editable:
                        if cell.strip():
                            refused.append((r, c, f"“{col.header}”是自动计算的，粘贴的值“{cell}”未使用"))
                        continue
                    idx = self.index(r, c)
                    value: Any = cell
                    if col.kind == "bool":
                        value = cell.strip() or "否"
                    if self.setData(idx, value, Qt.ItemDataRole.EditRole):
                        changed = True
                    else:
                        refused.append((r, c, self.last_error(r, c)))
        finally:
            self._quiet -= 1
        if changed:
            self.edited.emit()
        return refused

    # ---------------------------------------------------------------- rows
    def can_append_rows(self) -> bool:
        return True

    def create_row(self) -> Any:
        raise NotImplementedError

    def add_row(self) -> int:
        """Append a row through the report file; returns its model row.  Raises EditError."""
        if self.locked:
            raise EditError(self.locked_reason())
        n = self.rowCount()
        self.beginInsertRows(QModelIndex(), n, n)
        try:
            self._row_op(self.create_row)
        except BaseException:
            # Nothing was added (the store appends only after its commit): resynchronise views.
            self.endInsertRows()
            self.reload()
            raise
        self.endInsertRows()
        if not self._quiet:
            self.edited.emit()
        return self.rowCount() - 1

    def remove_row(self, row: int) -> None:
        obj = self.rows()[row]
        if self.locked:
            raise EditError(self.locked_reason())
        self.beginRemoveRows(QModelIndex(), row, row)
        try:
            self._row_op(lambda: self.rf.delete_row(self.table, obj.id))
        except BaseException:
            self.endRemoveRows()
            self.reload()  # the row is still there: show it again
            raise
        self.endRemoveRows()
        self._forget(lambda k: k[0] == obj.id, with_findings=True)
        self.edited.emit()

    def can_delete_row(self, row: int) -> bool:
        """False for a row the report cannot do without (the button is greyed out)."""
        return True

    def can_move_row(self, row: int, delta: int) -> bool:
        return True

    def move_row(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new row."""
        target = row + delta
        if not (0 <= row < self.rowCount()) or not (0 <= target < self.rowCount()) or delta == 0:
            return row
        if self.locked:
            raise EditError(self.locked_reason())
        obj = self.rows()[row]
        # Qt's destination is "insert before"; moving down by one means before target + 1.
        dest = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        try:
            self._row_op(lambda: self.rf.move_row(self.table, obj.id, delta))
        except BaseException:
            self.endMoveRows()
            self.reload()
            raise
        self.endMoveRows()
        self.edited.emit()
        return self.row_of_id(obj.id)

    def _row_op(self, op: Callable[[], Any]) -> Any:
        """Run a row operation through the session when there is one (so it is re-checked
        and the window hears of it), directly on the file otherwise."""
        self.in_row_operation = True
        try:
            if self.session is not None:
                return self.session.row_operation(self.table, op)
            return op()
        finally:
            self.in_row_operation = False

    def refresh_field(self, table: str, row_id: int | None, column: str = "") -> None:
        """A value changed under this model (undo/redo): show it, drop a stale refused entry."""
        if table != self.table:
            return
        row = self.row_of_id(row_id)
        if row < 0:
            return
        self._forget(lambda k: k[0] == row_id and (not column or k[1] == column))
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def reload(self) -> None:
        """The report changed outside this model (undo, reopen, 定稿): show it afresh."""
        self.beginResetModel()
        ids = {o.id for o in self.rows()}
        self._forget(lambda k: k[0] not in ids, with_findings=True)
        self.endResetModel()

    def _forget(self, which: Callable[[tuple[int, str]], bool], *, with_findings: bool = False) -> None:
        """Drop the refusals (and, on request, the findings) of the cells ``which`` selects."""
        stores = (self._errors, self._pending, self._cell_findings) if with_findings else (self._errors, self._pending)
        pending_before = len(self._pending)
        for store in stores:
            for key in [k for k in store if which(k)]:
                del store[key]
        if len(self._pending) != pending_before:
            self.refusalsChanged.emit()

    # ---------------------------------------------------------------- check results
    def set_result(self, result: CheckResult | None) -> None:
        """Take a fresh ``rules.check`` result: 得分 and finding colours follow it."""
        self._result = result
        cells: dict[tuple[int, str], list[Finding]] = {}
        if result is not None:
            for f in result.findings:
                if f.where.table != self.table or f.where.row is None:
                    continue
                col = self.column_index(f.where.column) if f.where.column else -1
                key = self.columns[col].key if col >= 0 else self.columns[0].key
                cells.setdefault((f.where.row, key), []).append(f)
        self._cell_findings = cells
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    @property
    def result(self) -> CheckResult | None:
        return self._result


# ====================================================================== 预算执行
class BudgetTableModel(ReportTableModel):
    """预算执行情况: 年度资金总额 and its 其中 rows (万元)."""

    table = "budget_rows"
    columns = (
        _field_column("budget_rows", "label", width=170),
        _field_column("budget_rows", "budget_initial", "money", 110),
        Column("budget_total", "全年预算数（A）", "money", True, 120),
        Column("executed", "全年执行数（B）", "money", True, 120),
        Column("rate", "执行率（B/A）", "rate", False, 100),
        Column("points", "分值", "points", False, 60),
        Column("score", "得分", "score", False, 60),
        _field_column("budget_rows", "reason", width=260),
    )

    def rows(self) -> Sequence[BudgetRow]:
        return self.rf.report.budget

    def display_value(self, obj: BudgetRow, col: Column) -> str:  # type: ignore[override]
        if col.key == "rate":
            return format_rate(percent(obj.executed, obj.budget_total))
        if col.key in ("points", "score"):
            # The 预算执行率 part of the score belongs to the 年度资金总额 row only.
            if obj.kind != BudgetKind.TOTAL or self._result is None:
                return ""
            s = self._result.score
            return format_number(s.budget_points) if col.key == "points" else _score_text(s.budget_score)
        return super().display_value(obj, col)

    def extra_tooltip(self, obj: BudgetRow, col: Column) -> str:  # type: ignore[override]
        if col.key == "rate":
            return "执行率 = 全年执行数 ÷ 全年预算数（调整后），四舍五入保留两位小数"
        return ""

    _next_kind: tuple[BudgetKind, str] = (BudgetKind.OTHER, "其中：")

    def create_row(self) -> BudgetRow:
        return self.rf.add_budget_row(*self._next_kind)

    def add_row_of_kind(self, kind: BudgetKind, label: str) -> int:
        """Append a 其中 row (基本支出 / 项目支出 / 其他); returns its model row.  Raises EditError."""
        self._next_kind = (kind, label)
        try:
            return self.add_row()
        finally:
            self._next_kind = (BudgetKind.OTHER, "其中：")

    def can_append_rows(self) -> bool:
        return False  # a pasted block must not invent budget rows of an unknown kind

    def is_cell_editable(self, obj: BudgetRow, col: Column) -> bool:  # type: ignore[override]
        if col.key == "label" and obj.kind == BudgetKind.TOTAL:
            return False  # the table's fixed row name (the store refuses a change too)
        return col.editable

    def not_editable_reason(self, obj: BudgetRow, col: Column) -> str:  # type: ignore[override]
        if col.key == "label" and obj.kind == BudgetKind.TOTAL:
            return "“年度资金总额”是自评表规定的行名，不能修改"
        return super().not_editable_reason(obj, col)

    # 年度资金总额 stays, first: the store refuses otherwise (see ReportFile.delete_row/move_row).
    def can_delete_row(self, row: int) -> bool:
        return self.rows()[row].kind != BudgetKind.TOTAL

    def can_move_row(self, row: int, delta: int) -> bool:
        rows = self.rows()
        target = row + delta
        return 0 <= target < len(rows) and BudgetKind.TOTAL not in (rows[row].kind, rows[target].kind)


# ====================================================================== 重点项目
class ProjectTableModel(ReportTableModel):
    """重点项目 of 二（三）: 预算数, 执行数 (万元) and the computed 执行率."""

    table = "projects"
    columns = (
        _field_column("projects", "name", width=220),
        _field_column("projects", "budget_total", "money", 110),
        _field_column("projects", "executed", "money", 110),
        Column("rate", "执行率", "rate", False, 90),
        _field_column("projects", "reason", width=280),
    )

    def rows(self) -> Sequence[Project]:
        return self.rf.report.projects

    def display_value(self, obj: Project, col: Column) -> str:  # type: ignore[override]
        if col.key == "rate":
            return format_rate(percent(obj.executed, obj.budget_total))
        return super().display_value(obj, col)

    def extra_tooltip(self, obj: Project, col: Column) -> str:  # type: ignore[override]
        if col.key == "rate":
            return "执行率 = 执行数 ÷ 预算数，四舍五入保留两位小数"
        return ""

    def create_row(self) -> Project:
        return self.rf.add_project("")


# ====================================================================== 绩效指标
class IndicatorTableModel(ReportTableModel):
    """绩效指标: hierarchy, 指标性质, target/actual, 分值 and the 得分 from the check result."""

    table = "indicators"
    columns = (
        _field_column("indicators", "level1", width=80),
        _field_column("indicators", "level2", width=140),
        _field_column("indicators", "level3", width=260),
        Column("direction", "指标性质", "enum", True, 70),
        _field_column("indicators", "target", "value", 90),
        _field_column("indicators", "unit", width=70),
        _field_column("indicators", "actual", "value", 90),
        Column("points", "分值", "points", True, 55),
        Column("score", "得分", "score", False, 60),
        # The reason comes before the rarer columns: it is where warnings point, so it is
        # on screen without scrolling.
        _field_column("indicators", "reason", width=260),
        Column("not_applicable", "不适用", "bool", True, 55),
        Column("qual_share", "定性得分比例", "decimal", True, 100),
        _field_column("indicators", "note", width=240),
    )

    def __init__(self, report_file: ReportFile, parent: Any = None, *, session: Any = None) -> None:
        super().__init__(report_file, parent, session=session)
        self.columns = indicator_columns(report_file.report)

    def rows(self) -> Sequence[Indicator]:
        return self.rf.report.indicators

    def _entered(self) -> bool:
        return self.rf.report.template.scheme.indicators.score == "entered"

    def _is_numeric_value(self, obj: Indicator) -> bool:  # type: ignore[override]
        return obj.direction != Direction.QUALITATIVE

    def muted(self, obj: Indicator) -> bool:  # type: ignore[override]
        return obj.not_applicable

    def is_cell_editable(self, obj: Indicator, col: Column) -> bool:  # type: ignore[override]
        if col.key == "qual_share":
            return obj.direction == Direction.QUALITATIVE
        return col.editable

    def not_editable_reason(self, obj: Indicator, col: Column) -> str:  # type: ignore[override]
        if col.key == "qual_share":
            return "只有指标性质为“定性”的指标才填写定性得分比例"
        return super().not_editable_reason(obj, col)

    def choices(self, obj: Indicator, col: Column) -> list[str] | None:  # type: ignore[override]
        if col.key == "direction":
            return list(DIRECTION_CHOICES)
        if col.key == "actual" and obj.direction == Direction.QUALITATIVE:
            return list(self.rf.report.template.scheme.qualitative_values)
        return None

    def display_value(self, obj: Indicator, col: Column) -> str:  # type: ignore[override]
        if col.key == "direction":
            return str(obj.direction)
        if col.key == "score":
            if obj.not_applicable:
                return "不适用"
            if self._entered():  # typed by the evaluator
                return "" if obj.score is None else format_number(obj.score)
            s = self._indicator_score(obj)
            return "" if s is None else _score_text(s.score)
        if col.key == "qual_share":
            return "" if obj.qual_share is None else _share_text(obj.qual_share) + "%"
        return super().display_value(obj, col)

    def edit_value(self, obj: Indicator, col: Column) -> str:  # type: ignore[override]
        if col.key == "direction":
            return str(obj.direction)
        if col.key == "qual_share" and obj.qual_share is not None:
            return _share_text(obj.qual_share)
        return super().edit_value(obj, col)

    def extra_tooltip(self, obj: Indicator, col: Column) -> str:  # type: ignore[override]
        if col.key == "score":
            s = self._indicator_score(obj)
            if obj.not_applicable:
                return "此指标不适用，不计分；其余指标的分值按比例折算"
            if s is not None and obj.points is not None and s.points != obj.points:
                return f"不适用指标折算后分值为 {format_number(round_half_up(s.points))}"
            if s is not None and s.score is None:
                return "年度指标值或实际完成值未填写，无法计算得分"
        if col.key == "qual_share":
            bands = "，".join(f"{b.value} {_share_text(b.low)}%–{_share_text(b.high)}%"
                             for b in self.rf.report.template.scheme.qualitative)
            return f"定性指标在等级区间内的得分比例：{bands}"
        return ""

    def _indicator_score(self, obj: Indicator) -> Any:
        if self._result is None:
            return None
        for s in self._result.score.indicators:
            if s.indicator_id == obj.id:
                return s
        return None

    def create_row(self) -> Indicator:
        # A new indicator continues the group of the last one, the way forms are filled in.
        last = self.rows()[-1] if self.rows() else None
        return self.rf.add_indicator(last.level1 if last else "产出指标", last.level2 if last else "数量指标", "")


def indicator_columns(report: Any) -> tuple[Column, ...]:
    """The indicator table's columns for the report's template: the 年初目标值 column when the
    form has one, the form's own headers for the columns it prints (全年目标值 …), and 得分 to type
    in when the scheme's scores are entered by the evaluator."""
    t = report.template
    headers = {c.field: c.header for c in t.table.indicator_columns}
    entered = t.scheme.indicators.score == "entered"
    out: list[Column] = []
    for col in IndicatorTableModel.columns:
        if col.key == "target" and t.table.has("indicators", "target_initial"):
            out.append(_field_column("indicators", "target_initial", "value", 90,
                                     headers.get("target_initial", "")))
        if col.key == "score" and entered:
            col = Column("score", headers.get("score", "得分"), "decimal", True, 60)
        elif col.key in headers and col.key not in ("score",):
            col = Column(col.key, headers[col.key], col.kind, col.editable, col.width)
        out.append(col)
    return tuple(out)


def _share_text(share: Decimal) -> str:
    """0.85 → '85' (a share shown and typed as a percentage)."""
    return format_number((share * 100).normalize())


def _score_text(value: Decimal | None) -> str:
    return "—" if value is None else format_number(round_half_up(value, 2))


MODEL_FOR_TABLE: dict[str, Callable[[ReportFile], ReportTableModel]] = {
    "budget_rows": BudgetTableModel,
    "projects": ProjectTableModel,
    "indicators": IndicatorTableModel,
}
