"""The district window's table model, backed by the district database.

Built for a city's 20,000 reports: the order and the filter are SQL (``ORDER BY`` / ``WHERE``
on the narrow summary table, through :meth:`DistrictDb.ids`), so a sort or a filter costs
one query of ids, not a Python sort of 20,000 objects; the rows themselves are read a page
at a time when the view first shows them, formatted once and kept in a bounded cache; and
the view is handed the rows in steps (``canFetchMore`` / ``fetchMore``) as it scrolls.  The
column widths are worked out once, from the headers and a sample of rows
(:func:`column_widths`), never by measuring every cell after each sort.  ``data`` never
raises: whatever a database holds, the view gets a text or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics

from nanzhou_desktop.district.db import DistrictDb, Filter, Review, UnitRow
from nanzhou_desktop.district.summary import COLUMNS, is_draft, when

FETCH_ROWS = 1000  # rows handed to the view per fetchMore
PAGE_ROWS = 50  # rows read from the database at once (a screen shows 20–40)
CACHE_ROWS = 8000  # formatted rows kept; beyond this the cache starts afresh

_RED, _GREEN, _ORANGE, _GREY = QColor("#b3261e"), QColor("#1b7f3b"), QColor("#a15c00"), QColor("#666666")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = tuple(c.numeric for c in COLUMNS)
_KEYS = tuple(c.key for c in COLUMNS)


class _Entry:
    """One row as the view shows it.  A cell's text is formatted the first time the view asks
    for it: a screen shows 20–40 rows and about half of the columns, so most cells of a page
    read from the database are never drawn."""

    __slots__ = ("row", "_texts", "_colours")

    def __init__(self, row: UnitRow) -> None:
        self.row = row
        self._texts: list[str | None] = [None] * len(COLUMNS)
        self._colours: list[QBrush | None | bool] = [False] * len(COLUMNS)  # False: not worked out yet

    def text(self, col: int) -> str:
        t = self._texts[col]
        if t is None:
            try:
                t = COLUMNS[col].text(self.row)
            except Exception:  # noqa: BLE001 - a stored value no formatter expected: shown as such
                t = "数值异常"
            self._texts[col] = t
        return t

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(self.text(i) for i in range(len(COLUMNS)))

    def colour(self, col: int) -> QBrush | None:
        c = self._colours[col]
        if c is False:
            c = self._colours[col] = _colour(_KEYS[col], self.row)
        return c  # type: ignore[return-value]


def _colour(key: str, row: UnitRow) -> QBrush | None:
    if key == "errors" and row.errors:
        return QBrush(_RED)
    if key == "warnings" and row.warnings:
        return QBrush(_ORANGE if is_draft(row) else _GREY)  # explained when final
    if key == "fingerprint" and row.fingerprint_ok is False:
        return QBrush(_RED)
    if key == "review" and row.review == Review.RETURNED:
        return QBrush(_RED)
    if key == "review" and row.review == Review.APPROVED:
        return QBrush(_GREEN)
    if key == "paper" and row.paper_at:
        return QBrush(_GREEN)
    return None


class ReportTableModel(QAbstractTableModel):
    """The current revision of each report the filter lets through, in the chosen order."""

    reloaded = Signal()

    def __init__(self, db: DistrictDb, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.filter = Filter()
        self.sort_key = "unit"
        self.descending = False
        self.ids: list[int] = []
        self.shown = 0
        self._cache: dict[int, _Entry] = {}
        self._sorted = False  # the ids are in the order of sort_key / descending

    # -- what is shown ------------------------------------------------------------------
    def reload(self) -> None:
        """Query the ids again (after a load, a review, a new filter or order)."""
        ids = self.db.ids(self.filter, sort=self.sort_key, descending=self.descending)
        self.beginResetModel()
        self.ids = ids
        self.shown = min(len(ids), FETCH_ROWS)
        self._sorted = True
        self._cache.clear()
        self.endResetModel()
        self.reloaded.emit()

    def set_filter(self, flt: Filter) -> None:
        self.filter = flt
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending) and self._sorted:
            return  # QTableView asks twice for one header click (its indicator's signal and itself)
        self.sort_key, self.descending = key, descending
        self.layoutAboutToBeChanged.emit()
        self.ids = self.db.ids(self.filter, sort=self.sort_key, descending=self.descending)
        self.shown = min(len(self.ids), max(self.shown, FETCH_ROWS))
        self._sorted = True
        self.changePersistentIndexList(self.persistentIndexList(), [QModelIndex()] * len(self.persistentIndexList()))
        self.layoutChanged.emit()
        self.reloaded.emit()

    @property
    def total(self) -> int:
        """Reports the filter lets through (rows not yet handed to the view included)."""
        return len(self.ids)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.shown

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and self.shown < len(self.ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 - Qt's name
        if parent.isValid():
            return
        more = min(FETCH_ROWS, len(self.ids) - self.shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self.shown, self.shown + more - 1)
        self.shown += more
        self.endInsertRows()

    def show_row(self, position: int) -> None:
        """Hand the view rows up to ``position`` (to select a row far down)."""
        while self.shown <= position < len(self.ids):
            self.fetchMore(QModelIndex())

    # -- rows -----------------------------------------------------------------------------
    def entry(self, position: int) -> _Entry | None:
        if not 0 <= position < len(self.ids):
            return None
        found = self._cache.get(self.ids[position])
        if found is not None:
            return found
        start = position - position % PAGE_ROWS
        page = self.ids[start:start + PAGE_ROWS]
        if len(self._cache) + len(page) > CACHE_ROWS:
            self._cache.clear()
        rows = self.db.rows(page)
        for report_id, row in rows.items():
            self._cache[report_id] = _Entry(row)
        return self._cache.get(self.ids[position])

    def row_at(self, position: int) -> UnitRow | None:
        e = self.entry(position)
        return e.row if e is not None else None

    def position_of(self, report_id: int) -> int:
        try:
            return self.ids.index(report_id)
        except ValueError:
            return -1

    @property
    def rows(self) -> list[UnitRow]:
        """Every row the filter lets through, in order (reads them all: for tests and small sets)."""
        got = self.db.rows(self.ids)
        return [got[i] for i in self.ids if i in got]

    # -- Qt -----------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title if 0 <= section < len(COLUMNS) else None
        return str(section + 1)  # 1, 2, 3 … down the table, whatever the order

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            return self._data(index, role)
        except Exception:  # noqa: BLE001 - an exception inside a Qt virtual can bring the process down
            return None

    def _data(self, index: QModelIndex | QPersistentModelIndex, role: int) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if _NUMERIC[col] else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.entry(index.row())
        if e is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return e.text(col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return e.colour(col)
        r = e.row
        if _KEYS[col] == "unit":
            return (f"{r.unit}\n所属区：{r.district or '未注明'}　单位类型：{r.kind or '未注明'}\n文件：{r.file_name}\n"
                    f"装入时间：{when(r.loaded_at)}\n历史修订：{r.history} 个")
        if _KEYS[col] == "note" and r.review_note:
            return r.review_note
        if _KEYS[col] == "paper" and r.paper_at:
            return f"已与签字盖章的纸面核对：{when(r.paper_at)}"
        return None


def column_widths(model: ReportTableModel, metrics: QFontMetrics, *, sample: int = 200,
                  padding: int = 18, most: int = 360) -> list[int]:
    """Each column's width from its header and the first ``sample`` rows (measured once)."""
    widths = [metrics.horizontalAdvance(c.title) + padding + 12 for c in COLUMNS]
    for position in range(min(sample, len(model.ids))):
        e = model.entry(position)
        if e is None:
            continue
        for i, text in enumerate(e.texts):
            w = metrics.horizontalAdvance(text) + padding
            if w > widths[i]:
                widths[i] = w
    return [min(w, most) for w in widths]


def filter_with(flt: Filter, **changes: Any) -> Filter:
    return replace(flt, **changes)


def selected_rows(model: ReportTableModel, positions: Sequence[int]) -> list[UnitRow]:
    out = []
    for p in positions:
        r = model.row_at(p)
        if r is not None:
            out.append(r)
    return out
