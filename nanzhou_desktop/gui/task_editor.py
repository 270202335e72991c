"""二（二）各项工作任务绩效目标完成情况分析: the work tasks (1. 2. …) and their numbered
sub-items （1）（2）…, each with a title and text.  Add, delete and move go through the report
file; numbering comes from position, in the report template's styles (``_number``), so it
renumbers itself after every move or deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui.field_widgets import (
    FieldBinding,
    FieldRegistry,
    LineEditor,
    PlainEditor,
    message_label,
    set_bold,
    set_text_colour,
)
from nanzhou_desktop.gui.session import ReportSession
from nanzhou_desktop.model import Task, TaskItem
from nanzhou_desktop.store.errors import EditError, SaveError

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent


def confirm_delete(parent: QWidget, what: str) -> bool:
    """Ask before deleting text the user wrote (tests replace this function)."""
    answer = QMessageBox.question(parent, "确认删除", f"删除{what}？其中的文字也会一并删除。",
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _small_button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    b.clicked.connect(slot)
    return b


class TaskEditor(QWidget):
    """The editable list of work tasks with their sub-items."""

    rebuilt = Signal()

    def __init__(self, session: ReportSession, registry: FieldRegistry, section_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.registry, self.section_key = session, registry, section_key
        self.setObjectName("task-editor")
        self._bindings: list[FieldBinding] = []
        self._buttons: list[QPushButton] = []
        self.number_labels: dict[tuple[str, int], QLabel] = {}  # ("tasks"|"task_items", id) → label
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.add_task_button = QPushButton("＋ 添加工作任务")
        self.add_task_button.clicked.connect(self.add_task)
        row = QHBoxLayout()
        row.addWidget(self.add_task_button)
        row.addStretch(1)
        outer.addLayout(row)
        self.error = message_label()
        set_text_colour(self.error, "#c62828")
        outer.addWidget(self.error)
        self.session.structure_changed.connect(self._structure_changed)
        self.build()

    # ------------------------------------------------------------------ building
    def build(self) -> None:
        """(Re)build the task widgets from the report.  Only add/delete/move call this; typing
        and checks update the existing widgets in place."""
        for b in self._bindings:
            b.dispose()
        self._bindings.clear()
        self._buttons.clear()
        self.number_labels.clear()
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
        tasks = self.session.report.tasks
        self._last_field: QWidget | None = None
        for ti, task in enumerate(tasks):
            self.body_layout.addWidget(self._task_box(ti, task, len(tasks)))
        self._order_add_button()
        self.set_read_only(self.registry.read_only)
        self.registry.apply(self.session.result)
        self.rebuilt.emit()

    def _order_add_button(self) -> None:
        """"＋ 添加工作任务" is below the tasks: it comes after them in the Tab order too (it was
        made first, so it came first).  Done again when shown: moving the editor into the window
        rebuilt its part of the focus chain."""
        last = getattr(self, "_last_field", None)
        if last is not None:
            QWidget.setTabOrder(last, self.add_task_button)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._order_add_button()

    def _number(self, below: int, index: int) -> str:
        """The numbering of a task (``below`` 1) or 小项 (2): the styles of the levels under the
        task section in the report's template (1. and （1） under a （二）), as printed."""
        from nanzhou_desktop.template_data import format_number

        report = self.session.report
        sec = report.section(self.section_key)
        level = (sec.level if sec else 2) + below
        return format_number(report.template.number_style(level), index + 1)

    def _bind(self, widget: Any, table: str, row: int | None, column: str, message: QLabel) -> FieldBinding:
        b = FieldBinding(self.session, self.registry, widget, table, row, column, message=message)
        self._bindings.append(b)
        return b

    def _task_box(self, ti: int, task: Task, n_tasks: int) -> QFrame:
        box = QFrame()
        box.setObjectName(f"task-{task.id}")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(8, 6, 8, 6)
        head = QHBoxLayout()
        number = QLabel(self._number(1, ti))
        set_bold(number)
        number.setMinimumWidth(24)
        self.number_labels[("tasks", task.id or 0)] = number
        title = LineEditor()
        title.setObjectName(f"task-title-{task.id}")
        title.setPlaceholderText("工作任务标题，如：基层党建工作不断抓牢")
        set_bold(title)
        head.addWidget(number)
        head.addWidget(title, 1)
        tid = task.id or 0
        for b in (
            _small_button("上移", "把这项工作任务上移一位", lambda: self.move("tasks", tid, -1)),
            _small_button("下移", "把这项工作任务下移一位", lambda: self.move("tasks", tid, +1)),
            _small_button("添加小项", "在这项工作任务下添加一个小项（1）（2）…", lambda: self.add_item(tid)),
            _small_button("删除", "删除这项工作任务及其全部小项", lambda: self.delete("tasks", tid)),
        ):
            head.addWidget(b)
            self._buttons.append(b)
        self._buttons[-4].setEnabled(ti > 0)
        self._buttons[-3].setEnabled(ti < n_tasks - 1)
        lay.addLayout(head)
        msg = message_label()
        lay.addWidget(msg)
        self._bind(title, "tasks", task.id, "title", msg)
        body = PlainEditor(min_lines=1, max_lines=8, refit=False, chars_per_line=40)
        body.setObjectName(f"task-body-{task.id}")
        body.setPlaceholderText("（可选）这项工作的总体说明")
        lay.addWidget(body)
        body_msg = message_label()
        lay.addWidget(body_msg)
        self._bind(body, "tasks", task.id, "body", body_msg)
        self._last_field = body
        grid = QGridLayout()
        grid.setContentsMargins(24, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for ii, item in enumerate(task.items):
            self._item_rows(grid, ii, item, len(task.items))
        lay.addLayout(grid)
        return box

    def _item_rows(self, grid: QGridLayout, ii: int, item: TaskItem, n_items: int) -> None:
        r = ii * 3
        number = QLabel(self._number(2, ii))
        number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.number_labels[("task_items", item.id or 0)] = number
        title = LineEditor()
        title.setObjectName(f"item-title-{item.id}")
        title.setPlaceholderText("小项标题，如：基础党建有序推进")
        iid = item.id or 0
        buttons = QHBoxLayout()
        up = _small_button("上移", "把这个小项上移一位", lambda: self.move("task_items", iid, -1))
        down = _small_button("下移", "把这个小项下移一位", lambda: self.move("task_items", iid, +1))
        delete = _small_button("删除", "删除这个小项", lambda: self.delete("task_items", iid))
        up.setEnabled(ii > 0)
        down.setEnabled(ii < n_items - 1)
        for b in (up, down, delete):
            buttons.addWidget(b)
            self._buttons.append(b)
        grid.addWidget(number, r, 0)
        grid.addWidget(title, r, 1)
        grid.addLayout(buttons, r, 2)
        body = PlainEditor(min_lines=2, max_lines=16, refit=False, chars_per_line=34)
        body.setObjectName(f"item-body-{item.id}")
        body.setPlaceholderText("小项正文：做了什么、完成了多少（数字会与自评表核对）")
        grid.addWidget(body, r + 1, 1, 1, 2)
        title_msg, msg = message_label(), message_label()
        messages = QVBoxLayout()
        messages.setContentsMargins(0, 0, 0, 0)
        messages.addWidget(title_msg)
        messages.addWidget(msg)
        grid.addLayout(messages, r + 2, 1, 1, 2)
        self._bind(title, "task_items", item.id, "title", title_msg)
        self._bind(body, "task_items", item.id, "body", msg)
        self._last_field = body  # made after the item's title and buttons: last in Tab order

    # ------------------------------------------------------------------ operations
    def _run(self, table: str, op: Callable[[], Any]) -> Any:
        try:
            result = self.session.row_operation(table, op)
        except (EditError, SaveError) as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return None
        self.error.setVisible(False)
        return result

    def add_task(self) -> None:
        task = self._run("tasks", lambda: self.session.rf.add_task(""))
        if task is not None:
            self.focus_title("tasks", task.id)

    def add_item(self, task_id: int) -> None:
        item = self._run("task_items", lambda: self.session.rf.add_task_item(task_id, ""))
        if item is not None:
            self.focus_title("task_items", item.id)

    def move(self, table: str, row_id: int, delta: int) -> None:
        self._run(table, lambda: self.session.rf.move_row(table, row_id, delta))
        self.focus_title(table, row_id)

    def delete(self, table: str, row_id: int) -> None:
        what = "这项工作任务及其全部小项" if table == "tasks" else "这个小项"
        if not confirm_delete(self, what):
            return
        self._run(table, lambda: self.session.rf.delete_row(table, row_id))

    def focus_title(self, table: str, row_id: int | None) -> None:
        b = self.registry.get(table, row_id, "title")
        if b is not None:
            b.focus()

    def _structure_changed(self, table: str) -> None:
        if table in ("tasks", "task_items"):
            self.build()

    # ------------------------------------------------------------------ state
    def set_read_only(self, read_only: bool) -> None:
        for b in self._buttons:
            b.setVisible(not read_only)
        self.add_task_button.setVisible(not read_only)

    def numbering(self) -> list[str]:
        """The numbers shown, in order ("1.", "（1）", "（2）", "2.", …), for tests and checks."""
        out = []
        for t in self.session.report.tasks:
            out.append(self.number_labels[("tasks", t.id or 0)].text())
            out.extend(self.number_labels[("task_items", i.id or 0)].text() for i in t.items)
        return out

    def dispose(self) -> None:
        for b in self._bindings:
            b.dispose()
        self._bindings.clear()
