"""The open report as the window sees it: the report file, the undo stack and the latest
check result.

Every edit from any widget goes through :meth:`ReportSession.set_field` (or a row
operation): one core call that commits to the file, one undo step, then the rules run and
``checked`` tells the views that care.  No widget writes to the file or holds a rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from nanzhou_desktop.gui.undo import FieldEdit, OutlineChange, RowChange, as_input
from nanzhou_desktop.model import Report
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.findings import CheckResult
from nanzhou_desktop.rules.integrity import with_integrity
from nanzhou_desktop.store.errors import EditError, SaveError
from nanzhou_desktop.store.fields import FIELDS
from nanzhou_desktop.store.reportfile import ReportFile


def find_row(report: Report, table: str, row_id: int | None) -> Any:
    """The model object behind ``table`` row ``row_id`` (the report itself for ``report``)."""
    if table == "report":
        return report
    try:
        rows = report.rows(table)
    except KeyError:
        return None
    return next((obj for obj in rows if obj.id == row_id), None)


def model_value(report: Report, table: str, row_id: int | None, column: str) -> Any:
    obj = find_row(report, table, row_id)
    if obj is None:
        return None
    for part in FIELDS[table][column].attr.split("."):
        obj = getattr(obj, part)
    return obj


class ReportSession(QObject):
    """One open report file in the window."""

    checked = Signal(object)  # CheckResult, after every commit
    field_reloaded = Signal(str, object, str)  # table, row id, column: the value changed under a widget
    structure_changed = Signal(str)  # table whose rows were added, deleted or moved
    status_changed = Signal()  # 定稿 / 解除定稿 / 出错说明 changed
    committed = Signal()  # something reached the file
    problem = Signal(str)  # a Chinese sentence for the status bar (refused undo, disk full)

    def __init__(self, rf: ReportFile, parent: QObject | None = None, *, rules_settings: Any = None) -> None:
        super().__init__(parent)
        self.rf = rf
        self.rules_settings = rules_settings
        self.undo_stack = QUndoStack(self)
        self.result: CheckResult | None = None
        self.last_check_ms = 0.0
        self._flushers: list[Callable[[], None]] = []
        self._cleared_names: dict[tuple[str, int | None, str], str] = {}  # see _follow_rename
        self._applying = False

    # ------------------------------------------------------------------ state
    @property
    def report(self) -> Report:
        return self.rf.report

    @property
    def editable(self) -> bool:
        return not self.rf.read_only and not self.rf.report.locked

    # ------------------------------------------------------------------ pending typed text
    def add_flusher(self, flush: Callable[[], None]) -> None:
        """Register a widget's "commit what is typed now" (called before undo, save, close)."""
        self._flushers.append(flush)

    def remove_flusher(self, flush: Callable[[], None]) -> None:
        if flush in self._flushers:
            self._flushers.remove(flush)

    def flush(self) -> None:
        for f in list(self._flushers):
            f()

    # ------------------------------------------------------------------ edits
    def set_field(self, table: str, row_id: int | None, column: str, value: Any, *, check: bool = True,
                  merge: bool = False) -> Any:
        """Commit one field (raises EditError / SaveError with a Chinese message; nothing
        changes then), record it for undo and re-run the checks (``check=False`` when the
        caller re-checks itself, as the table models do through their ``edited`` signal).
        ``merge``: a save made while typing, one undo step with the field's saves just before."""
        old = as_input(model_value(self.report, table, row_id, column))
        new_value = self.rf.set_field(table, row_id, column, value)
        new = as_input(new_value)
        if new != old:
            self._follow_rename(table, row_id, column, old, new)
        if new != old and not self._applying:
            self.undo_stack.push(FieldEdit(self._apply, table, row_id, column, old, new, mergeable=merge))
        if new != old:
            self._reload_dependents(table, column)
            self.committed.emit()
            if check:
                self.recheck()
        return new_value

    def _reload_dependents(self, table: str, column: str) -> None:
        """Fields the store changed along with this one (the title names the unit), and the
        views of the outline when a heading changed (tab titles, form titles)."""
        if table == "report" and column == "unit_full_name":
            self.field_reloaded.emit("report", None, "title")
        if table == "sections" and column == "heading":
            self.structure_changed.emit("sections")

    # ------------------------------------------------------------------ the outline
    def outline(self, text: str, op: Callable[[Any], Any]) -> Any:
        """One change of the outline through ``store.outline`` (``op(rf)`` returns its Undo, or
        (result, Undo)): saved, audited, one undo step named ``text``, then the views rebuild."""
        from nanzhou_desktop.store.outline import Undo

        self.flush()
        got = op(self.rf)
        result, step = (got, got) if isinstance(got, Undo) else got
        if step is not None and not self._applying:
            self.undo_stack.push(OutlineChange(self._apply_outline, text, step))
        self.structure_changed.emit("sections")
        self.committed.emit()
        self.recheck()
        return result

    def _apply_outline(self, step: Any) -> Any:
        """Undo/redo path of an outline change; returns the step that reverses it."""
        from nanzhou_desktop.store import outline as ops

        self._applying = True
        try:
            back = ops.undo(self.rf, step)
        except (EditError, SaveError) as exc:
            self.problem.emit(f"无法撤销或重做：{exc}")
            return None
        finally:
            self._applying = False
        self.structure_changed.emit("sections")
        self.committed.emit()
        self.recheck()
        return back

    def _apply(self, table: str, row_id: int | None, column: str, text: str) -> None:
        """Undo/redo write path: through set_field, then tell the widget showing the field."""
        self._applying = True
        try:
            before = as_input(model_value(self.report, table, row_id, column))
            self.rf.set_field(table, row_id, column, text)
            self._follow_rename(table, row_id, column, before, text)
        except (EditError, SaveError) as exc:
            self.problem.emit(f"无法撤销或重做：{exc}")
            return
        finally:
            self._applying = False
        self.field_reloaded.emit(table, row_id, column)
        self._reload_dependents(table, column)
        self.committed.emit()
        self.recheck()

    def _follow_rename(self, table: str, row_id: int | None, column: str, old: str, new: str) -> None:
        """A renamed indicator, project, task or sub-item keeps its 出错说明 (see workflow).

        A name is often cleared and then typed anew, with a save in between (old → "" → new):
        the last name before it was cleared stands for "old" when the new one arrives."""
        from nanzhou_desktop import workflow

        key = (table, row_id, column)
        if not new.strip():
            if old.strip():
                self._cleared_names[key] = old
            return
        if not old.strip():
            old = self._cleared_names.pop(key, "")
        try:
            if workflow.follow_rename(self.rf, table, row_id, column, old, new):
                self.status_changed.emit()
        except (EditError, SaveError) as exc:  # the rename itself is saved; say what did not follow
            self.problem.emit(f"名称已修改，但出错说明未能随之保存：{exc}")

    def undo(self) -> None:
        self.flush()
        if self.editable:
            self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        if self.editable:
            self.undo_stack.redo()

    def row_operation(self, table: str, op: Callable[[], Any]) -> Any:
        """Add / delete / move a row through the report file, then refresh and re-check.

        What ``op`` changed is read from the rows before and after (one row appeared, went or
        moved) and recorded for 撤销 / 重做 with the field edits."""
        self.flush()
        before = _rows(self.report, table)
        result = op()
        after = _rows(self.report, table)
        if not self._applying and table in RowChange.TABLES:
            change = _row_change(before, after)
            if change is not None:
                kind, obj, index, parent_id, to = change
                self.undo_stack.push(RowChange(self._apply_rows, kind, table, obj, index, parent_id, to))
        self.structure_changed.emit(table)
        self.committed.emit()
        self.recheck()
        return result

    def _apply_rows(self, table: str, action: Callable[[Any], Any]) -> None:
        """Undo/redo path of a row change: through the report file, then refresh and re-check."""
        self._applying = True
        try:
            action(self.rf)
        except (EditError, SaveError) as exc:
            self.problem.emit(f"无法撤销或重做：{exc}")
            return
        finally:
            self._applying = False
        self.structure_changed.emit(table)
        self.committed.emit()
        self.recheck()

    def explain(self, finding_key: str, text: str) -> None:
        from nanzhou_desktop import workflow

        workflow.explain(self.rf, finding_key, text, self.rules_settings)
        self.status_changed.emit()
        self.committed.emit()
        self.recheck()

    def remove_explanation(self, finding_key: str) -> None:
        from nanzhou_desktop import workflow

        workflow.unexplain(self.rf, finding_key)
        self.status_changed.emit()
        self.committed.emit()
        self.recheck()

    def finalise(self) -> None:
        """Raises workflow.FinaliseRefused (with ``.blocking``) when findings block it."""
        from nanzhou_desktop import workflow  # type: ignore[attr-defined]

        self.flush()
        workflow.finalise(self.rf, self.rules_settings)
        self.undo_stack.clear()  # edits before 定稿 cannot be undone into a finalised report
        self.status_changed.emit()
        self.committed.emit()
        self.recheck()

    def export_for_sending(self, out_dir: str) -> Any:
        """导出上报 into ``out_dir`` (exchange.export.export_report: only a 定稿 report; raises
        EditError / ExportError with one Chinese sentence).  Returns its ExportResult."""
        from nanzhou_desktop.exchange.export import export_report

        self.flush()
        result = export_report(self.rf, out_dir)
        self.status_changed.emit()
        self.committed.emit()
        self.recheck()
        return result

    def unlock(self, reason: str) -> None:
        from nanzhou_desktop import workflow  # type: ignore[attr-defined]

        workflow.unlock(self.rf, reason)
        self.status_changed.emit()
        self.committed.emit()
        self.recheck()

    # ------------------------------------------------------------------ checks
    def recheck(self) -> CheckResult:
        t = time.perf_counter()
        self.result = with_integrity(check(self.report, self.rules_settings), self.report,
                                     self.rf.changed_after_final())
        self.last_check_ms = (time.perf_counter() - t) * 1000
        self.checked.emit(self.result)
        return self.result

    def close(self) -> None:
        self.flush()
        self._flushers.clear()
        self.undo_stack.clear()
        self.rf.close()



# (row object, its parent task's id for a 小项, its index among its siblings)
_RowPlace = tuple[Any, "int | None", int]


def _rows(report: Report, table: str) -> dict[int, _RowPlace]:
    """The rows of ``table`` by id, with where each stands."""
    if table == "task_items":
        return {i.id: (i, t.id, n) for t in report.tasks for n, i in enumerate(t.items)}
    return {o.id: (o, None, n) for n, o in enumerate(report.rows(table))}


def _row_change(before: dict[int, _RowPlace], after: dict[int, _RowPlace]
                ) -> tuple[str, Any, int, int | None, int] | None:
    """(kind, row, index before, parent id, index after) of the one row added, deleted or
    moved between two states; None when nothing (or more than one row) changed."""
    added, gone = after.keys() - before.keys(), before.keys() - after.keys()
    if len(added) == 1 and not gone:
        obj, parent, at = after[next(iter(added))]
        return "add", obj, at, parent, at
    if len(gone) == 1 and not added:
        obj, parent, at = before[next(iter(gone))]
        return "delete", obj, at, parent, at
    if not added and not gone:
        moved = [(k, before[k][2], after[k][2]) for k in before if before[k][2] != after[k][2]]
        if moved:
            # One row moved by delta swaps places with its neighbour(s): the moved one is the
            # row that travelled furthest (ties: a swap of two — either reading undoes it).
            row_id, i, j = max(moved, key=lambda m: abs(m[2] - m[1]))
            obj, parent, _ = after[row_id]
            return "move", obj, i, parent, j
    return None
