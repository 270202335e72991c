"""Undo/redo across fields: each committed field edit is a QUndoCommand that re-applies the
old or new value through ``ReportFile.set_field``, so an undone edit is saved, audited and
checked exactly like a typed one."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QUndoCommand

from nanzhou_desktop.store.fields import FIELDS

MERGE_SECONDS = 2.0  # commits of one field closer together than this are one undo step
_FIELD_EDIT_ID = 4242


def as_input(value: Any) -> str:
    """A model value as the text that ``set_field`` reads back into the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class FieldEdit(QUndoCommand):
    """One committed edit of ``table.column`` of row ``row``.

    ``apply(table, row, column, text)`` is the session's write path; the command is pushed
    after the edit was already committed, so the first ``redo`` (which QUndoStack calls on
    push) does nothing.
    """

    def __init__(self, apply: Callable[[str, int | None, str, str], None], table: str, row: int | None,
                 column: str, old: str, new: str) -> None:
        label = FIELDS.get(table, {}).get(column)
        super().__init__(f"修改“{label.label if label else column}”")
        self.apply = apply
        self.table, self.row, self.column = table, row, column
        self.old, self.new = old, new
        self.at = time.monotonic()
        self._pushed = False

    def id(self) -> int:
        return _FIELD_EDIT_ID

    def target(self) -> tuple[str, int | None, str]:
        return self.table, self.row, self.column

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.apply(self.table, self.row, self.column, self.new)

    def undo(self) -> None:
        self.apply(self.table, self.row, self.column, self.old)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldEdit) or other.target() != self.target():
            return False
        if other.at - self.at > MERGE_SECONDS:
            return False
        self.new, self.at = other.new, other.at
        return True
