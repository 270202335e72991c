"""Undo/redo across fields and rows: each committed field edit is a QUndoCommand that re-applies
the old or new value through ``ReportFile.set_field``, and each added, deleted or moved row
(工作任务, 小项, 预算行, 重点项目, 绩效指标) one that adds, deletes, restores or moves it back
through the report file — so an undone change is saved, audited and checked like a typed one."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QUndoCommand

from nanzhou_desktop.store.fields import FIELDS

MERGE_SECONDS = 2.0  # saves made while typing in one field, this close together, are one undo step
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
                 column: str, old: str, new: str, *, mergeable: bool = False) -> None:
        label = FIELDS.get(table, {}).get(column)
        super().__init__(f"修改“{label.label if label else column}”")
        self.apply = apply
        self.table, self.row, self.column = table, row, column
        self.old, self.new = old, new
        self.at = time.monotonic()
        self.mergeable = mergeable  # a save while typing (see ReportSession.set_field)
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
        if not (self.mergeable and other.mergeable):  # values entered one by one undo one by one
            return False
        if other.at - self.at > MERGE_SECONDS:
            return False
        self.new, self.at = other.new, other.at
        return True


class RowChange(QUndoCommand):
    """One row added, deleted or moved (``kind`` "add" / "delete" / "move").

    ``obj`` is the row's model object: a deleted row keeps its id and content (a task keeps its
    小项), so undoing the deletion restores it under the same id and the field edits made
    before it still undo.  ``index`` is its place among its siblings before the change, ``to``
    its place after a move.  ``run(table, action)`` is the session's path for structural edits.
    Like :class:`FieldEdit` it is pushed after the change was made: the first ``redo`` does nothing.
    """

    TABLES = {"tasks": "工作任务", "task_items": "小项", "budget_rows": "预算行", "projects": "重点项目",
              "indicators": "绩效指标"}  # the tables whose rows the user adds, deletes and moves

    def __init__(self, run: Callable[[str, Callable[[Any], Any]], None], kind: str, table: str, obj: Any,
                 index: int, parent_id: int | None = None, to: int = 0) -> None:
        what = self.TABLES.get(table, "行")
        super().__init__({"add": f"添加{what}", "delete": f"删除{what}", "move": f"移动{what}"}[kind])
        self.run, self.kind, self.table, self.obj = run, kind, table, obj
        self.index, self.parent_id, self.to = index, parent_id, to
        self._pushed = False

    def _delete(self, rf: Any) -> None:
        rf.delete_row(self.table, self.obj.id)

    def _restore(self, rf: Any) -> None:
        rf.restore_row(self.table, self.obj, self.index if self.kind == "delete" else self.to, self.parent_id)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        if self.kind == "add":
            self.run(self.table, self._restore)
        elif self.kind == "delete":
            self.run(self.table, self._delete)
        else:
            self.run(self.table, lambda rf: rf.move_row(self.table, self.obj.id, self.to - self.index))

    def undo(self) -> None:
        if self.kind == "add":
            self.run(self.table, self._delete)
        elif self.kind == "delete":
            self.run(self.table, self._restore)
        else:
            self.run(self.table, lambda rf: rf.move_row(self.table, self.obj.id, self.index - self.to))


class OutlineChange(QUndoCommand):
    """One change of the report's outline (a section added, deleted, moved, made optional or
    required).  ``step`` is what undoes it (:class:`nanzhou_desktop.store.outline.Undo`);
    ``run(step)`` applies a step through the session and returns the step that reverses it.
    Like the others it is pushed after the change was made: the first ``redo`` does nothing."""

    def __init__(self, run: Callable[[Any], Any], text: str, step: Any) -> None:
        super().__init__(text)
        self.run = run
        self.undo_step = step
        self.redo_step: Any = None
        self._pushed = False

    def undo(self) -> None:
        back = self.run(self.undo_step)
        if back is not None:
            self.redo_step = back

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        if self.redo_step is not None:
            again = self.run(self.redo_step)
            if again is not None:
                self.undo_step = again
