"""Narrative editing: one tab per top-level part of the outline, one titled form per
sub-section, and the field bindings every editor in the window uses.

A :class:`FieldBinding` ties one editor to one report-file field.  Typed text is committed
400 ms after the last keystroke and at once on focus-out (so every edit reaches the file
within a second); a refused value keeps the typed text on screen with the reason beside
it.  After each check the :class:`FieldRegistry` sets every editor's state (coloured border,
tooltip, inline message) in place, touching only editors whose state changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui.session import ReportSession, model_value
from nanzhou_desktop.gui.undo import as_input
from nanzhou_desktop.model import FieldRef, Section, SectionKind
from nanzhou_desktop.money import format_money, format_rate
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.store.errors import EditError, SaveError
from nanzhou_desktop.store.fields import FIELDS

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QKeyEvent

DEBOUNCE_MS = 400

STATE_STYLE = {
    "error": "border: 2px solid #d32f2f; background: #fff6f6;",
    "warning": "border: 2px solid #e08600; background: #fffaf0;",
    "info": "border: 1px solid #1e6fd9;",
    "explained": "border: 1px dashed #6b9e3a;",
}
STATE_COLOUR = {"error": "#c62828", "warning": "#a65f00", "info": "#1e5fb4", "explained": "#4d7a25"}
STATE_WORD = {"error": "错误", "warning": "警告", "info": "提示", "explained": "已说明"}
_RANK = {"error": 0, "warning": 1, "explained": 2, "info": 3}


def finding_state(f: Finding) -> str:
    if f.severity == Severity.ERROR:
        return "error"
    if f.severity == Severity.WARNING:
        return "explained" if f.explained else "warning"
    return "info"


def _route_undo_key(editor: QWidget, event: QKeyEvent) -> bool:
    """Ctrl+Z / Ctrl+Y typed in a field run the window's 撤销 / 重做 (one history across all
    fields; the editors' own undo is off).  True when the key was one of them.

    Qt gives these keys to the focused editor, which claims them in its ShortcutOverride, so
    they arrive here as key presses.  Catching them here rather than overriding ``event()``
    keeps every other event of the editors in C++: a Python ``event()`` was called about a
    hundred times while the first tab was built and shown, for nothing.
    """
    if event.matches(QKeySequence.StandardKey.Undo):
        name = "actionUndo"
    elif event.matches(QKeySequence.StandardKey.Redo):
        name = "actionRedo"
    else:
        return False
    action = editor.window().findChild(QAction, name)
    if action is not None and action.isEnabled():
        action.trigger()
    event.accept()
    return True


class _FieldKeys:
    """What both field editors do with keys and focus: Ctrl+Z/Ctrl+Y go to the window's undo
    stack (one history across all fields) rather than the editor's own; leaving the field
    emits ``focus_left`` (declared by each editor class: a signal belongs to a QObject class)."""

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if not _route_undo_key(self, e):  # type: ignore[arg-type]
            super().keyPressEvent(e)  # type: ignore[misc]

    def focusOutEvent(self, e: QFocusEvent) -> None:
        super().focusOutEvent(e)  # type: ignore[misc]
        self.focus_left.emit()  # type: ignore[attr-defined]


class PlainEditor(_FieldKeys, QPlainTextEdit):
    """Paragraph editor: Tab moves to the next field; keys and focus as :class:`_FieldKeys`."""

    focus_left = Signal()  # the field lost the keyboard focus: commit what was typed

    def __init__(self, parent: QWidget | None = None, *, min_lines: int = 3, max_lines: int = 18,
                 refit: bool = True, chars_per_line: int = 42) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._min_lines, self._max_lines = min_lines, max_lines
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap
        # Refitting after the first layout works in box layouts; inside the task editor's grid
        # the row does not follow the new height, so those editors keep the estimate.
        self._refitted = not refit
        self._chars_per_line = chars_per_line
        self.fit_to_text("")

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        if not self._refitted:  # once, after the first layout at the real width
            self._refitted = True
            QTimer.singleShot(0, self.refit)

    def refit(self) -> None:
        """The height for the text as actually wrapped (the plain-text layout counts lines)."""
        lines = int(self.document().documentLayout().documentSize().height())
        # One spare line: the count was taken with a scroll bar that the new height removes
        # or adds, which moves the wrap by a character or two.
        self._set_lines(lines + 1 if lines >= self._min_lines else lines)

    def fit_to_text(self, text: str) -> None:
        """A height that shows about the whole text when it is loaded (within bounds).

        Set once per load, before layout, from an estimate of characters a line: growing
        the editor while the user types would make the form jump under the cursor, and
        resizing inside a laid-out grid overlaps neighbours until the next layout pass."""
        per = self._chars_per_line
        lines = sum(max(1, -(-len(par) // per)) for par in text.split("\n")) if text else 0
        self._set_lines(lines)

    def set_min_lines(self, n: int) -> None:
        self._min_lines = max(n, self._min_lines)
        self._max_lines = max(self._max_lines, self._min_lines)
        self.fit_to_text(self.toPlainText())

    def _set_lines(self, lines: int) -> None:
        lines = max(self._min_lines, min(self._max_lines, lines))
        margins = self.contentsMargins()
        h = lines * self.fontMetrics().lineSpacing() + 2 * int(self.document().documentMargin()) \
            + margins.top() + margins.bottom() + 4
        self.setFixedHeight(h)


class LineEditor(_FieldKeys, QLineEdit):
    focus_left = Signal()  # the field lost the keyboard focus: commit what was typed


def set_text_colour(widget: QWidget, colour: str) -> None:
    """Colour a label's text through its palette: a style sheet per widget would make every
    child added later go through style-sheet polishing, which is what slows a big form."""
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    pal.setColor(QPalette.ColorRole.Text, QColor(colour))
    widget.setPalette(pal)


def set_bold(widget: QWidget, bold: bool = True) -> None:
    f = widget.font()
    f.setBold(bold)
    widget.setFont(f)


def message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setVisible(False)
    return label


class FieldBinding(QObject):
    """One editor ↔ one field of the report file (see the module docstring)."""

    committed = Signal()

    def __init__(self, session: ReportSession, registry: FieldRegistry, widget: PlainEditor | LineEditor,
                 table: str, row: int | None, column: str, *, message: QLabel | None = None,
                 debounce: bool = True) -> None:
        super().__init__(widget)
        self.session, self.registry, self.widget = session, registry, widget
        self.table, self.row, self.column = table, row, column
        self.message = message
        self.spec = FIELDS[table][column]
        self._local_error = ""
        self.findings: tuple[Finding, ...] = ()
        self._shown: tuple[str, str] = ("", "")
        self._dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.commit)
        self._debounce = debounce
        if isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._typed)
        else:
            widget.textEdited.connect(self._typed)
            widget.editingFinished.connect(lambda: self.commit(reformat=True))
        # A signal from the editor's focusOutEvent, not an event filter: a filter would call
        # Python for every event the editor gets (paint, layout, hover …).
        widget.focus_left.connect(self.commit)
        widget.setToolTip(self.spec.label)
        session.add_flusher(self.commit)
        registry.add(self)
        self.load()

    @property
    def local_error(self) -> str:
        """Why the text shown was refused ("" when what is shown is saved)."""
        return self._local_error

    @local_error.setter
    def local_error(self, reason: str) -> None:
        if reason != self._local_error:
            self._local_error = reason
            self.registry.refusals_changed()  # the window counts them with the findings

    @property
    def key(self) -> tuple[str, int | None, str]:
        return self.table, self.row, self.column

    @property
    def ref(self) -> FieldRef:
        return FieldRef(self.table, self.row, self.column)

    def text(self) -> str:
        w = self.widget
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()

    def load(self) -> None:
        """Show the stored value (after undo/redo or a reformatted entry)."""
        value = as_input(model_value(self.session.report, self.table, self.row, self.column))
        if self.spec.kind == "date" and value:
            y, m, d = value.split("-")
            value = f"{int(y)}年{int(m)}月{int(d)}日"
        if value == self.text():
            return
        self._loading = True
        w = self.widget
        try:
            w.blockSignals(True)
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
                if isinstance(w, PlainEditor) and not w.isVisible():
                    w.fit_to_text(value)
            else:
                w.setText(value)
        finally:
            w.blockSignals(False)
            self._loading = False
        self._dirty = False
        if isinstance(w, QPlainTextEdit):
            w.textChanged.emit()  # character counts and the like follow the shown text

    def _typed(self, *_: Any) -> None:
        if self._loading:
            return
        self._dirty = True
        if self._debounce:
            self._timer.start()

    def commit(self, reformat: bool = False) -> bool:
        """Write what is typed now.  False (and the reason beside the field) when refused."""
        self._timer.stop()
        if not self._dirty:
            if reformat and not self.local_error and self.spec.kind in ("date", "phone"):
                self.load()  # show the stored date the way it prints (2023年3月15日)
            return not self.local_error
        if not self.session.editable:
            return False
        text = self.text()
        try:
            # Paragraphs are saved at each pause in typing: those saves merge into one undo
            # step.  A line field's commit (Enter, Tab) is a value the user chose: its own step.
            self.session.set_field(self.table, self.row, self.column, text, merge=self._debounce)
        except EditError as exc:
            self._dirty = False  # nothing more to write until the user types again
            self.local_error = str(exc)
            self._show_state()
            return False
        except SaveError as exc:
            self.local_error = str(exc)  # stays dirty: the next commit tries again
            self._show_state()
            self.session.problem.emit(str(exc))
            return False
        self._dirty = False
        if self.local_error:
            self.local_error = ""
            self._show_state()
        # A line field shows what was stored: 2023年3月15日 for 2023-03-15, ASCII digits for
        # full-width ones, so the screen never shows a form the file and the print do not have.
        if reformat and self.spec.kind in ("date", "phone"):
            self.load()
        self.committed.emit()
        return True

    def set_findings(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        self._show_state()

    def state(self) -> tuple[str, str]:
        """(state, message): the refused entry first, then the worst finding."""
        if self.local_error:
            return "error", self.local_error
        if not self.findings:
            return "", ""
        worst = min(self.findings, key=lambda f: _RANK[finding_state(f)])
        lines = []
        for f in sorted(self.findings, key=lambda f: _RANK[finding_state(f)]):
            line = f"{STATE_WORD[finding_state(f)]}：{f.message}"
            if f.suggestion:
                line += f"（{f.suggestion}）"
            if f.explanation is not None:
                line += f"　出错说明：{f.explanation.text}"
            lines.append(line)
        return finding_state(worst), "\n".join(lines)

    def _show_state(self) -> None:
        shown = self.state()
        if shown == self._shown:
            return
        self._shown = shown
        state, text = shown
        w = self.widget
        selector = "QPlainTextEdit" if isinstance(w, QPlainTextEdit) else "QLineEdit"
        w.setStyleSheet(f"{selector} {{ {STATE_STYLE[state]} }}" if state else "")
        w.setToolTip(f"{self.spec.label}\n{text}" if text else self.spec.label)
        w.setProperty("state", state)
        if self.message is not None:
            self.message.setVisible(bool(text))
            self.message.setText(text)
            set_text_colour(self.message, STATE_COLOUR.get(state, "#333333"))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setReadOnly(read_only)

    def focus(self, ref: FieldRef | None = None) -> None:
        w = self.widget
        w.setFocus(Qt.FocusReason.OtherFocusReason)
        if ref is not None and ref.offset is not None and isinstance(w, QPlainTextEdit):
            cursor = w.textCursor()
            cursor.setPosition(min(ref.offset, len(self.text())))
            cursor.setPosition(min(ref.offset + (ref.length or 0), len(self.text())),
                               QTextCursor.MoveMode.KeepAnchor)
            w.setTextCursor(cursor)
            w.ensureCursorVisible()

    def dispose(self) -> None:
        self.commit()
        self.session.remove_flusher(self.commit)
        self.registry.remove(self)


class FieldRegistry:
    """Every bound editor, by (table, row id, column), for states and for focusing."""

    def __init__(self) -> None:
        self.bindings: dict[tuple[str, int | None, str], FieldBinding] = {}
        self.read_only = False
        self.on_refusals_changed: Callable[[], None] | None = None

    def refusals_changed(self) -> None:
        """A field's entry was refused, or a refused one corrected or replaced."""
        if self.on_refusals_changed is not None:
            self.on_refusals_changed()

    def add(self, b: FieldBinding) -> None:
        self.bindings[b.key] = b
        b.set_read_only(self.read_only)

    def remove(self, b: FieldBinding) -> None:
        if self.bindings.get(b.key) is b:
            del self.bindings[b.key]

    def get(self, table: str, row: int | None, column: str) -> FieldBinding | None:
        return self.bindings.get((table, row, column))

    def find(self, ref: FieldRef) -> FieldBinding | None:
        b = self.get(ref.table, ref.row, ref.column)
        if b is None:  # a whole-row reference: its first bound field
            b = next((x for k, x in self.bindings.items() if k[0] == ref.table and k[1] == ref.row), None)
        return b

    def apply(self, result: CheckResult | None) -> None:
        per: dict[tuple[str, int | None, str], list[Finding]] = {}
        if result is not None:
            for f in result.findings:
                key = (f.where.table, f.where.row, f.where.column)
                if key in self.bindings:
                    per.setdefault(key, []).append(f)
        for key, b in self.bindings.items():
            found = tuple(per.get(key, ()))
            if found != b.findings:
                b.set_findings(found)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for b in self.bindings.values():
            b.set_read_only(read_only)

    def reload(self, table: str, row: int | None, column: str) -> None:
        b = self.get(table, row, column)
        if b is not None:
            b.load()


def count_chars(text: str) -> int:
    """字数 as offices count it: every character except spaces and line breaks.  The same rule
    as ``nanzhou_desktop.narrative.count_chars`` (``show`` and the print use that one; a test
    keeps the two equal): importing that module here would add ~2 ms to the window's start."""
    return sum(1 for c in text if not c.isspace())


class SectionForm(QGroupBox):
    """One sub-section: its title, the narrative editor with a character count, messages,
    and what belongs to its kind (the budget summary, the task list, the project note)."""

    go_to_table = Signal(str)  # 自评表 table to open ("budget_rows" / "projects")

    def __init__(self, session: ReportSession, registry: FieldRegistry, section: Section,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{section.number}{section.heading}", parent)
        self.section = section
        self.session = session
        self.setObjectName(f"section-{section.key}")
        set_bold(self)  # the title; children get the plain font back below
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 12, 10, 8)
        self.summary: QLabel | None = None
        self.task_editor: QWidget | None = None
        if section.kind in (SectionKind.BUDGET, SectionKind.PROJECTS):
            row = QHBoxLayout()
            self.summary = QLabel()
            self.summary.setWordWrap(True)
            set_text_colour(self.summary, "#37474f")
            row.addWidget(self.summary, 1)
            target = "budget_rows" if section.kind == SectionKind.BUDGET else "projects"
            button = QPushButton("到自评表填写数字" if target == "budget_rows" else "到自评表填写重点项目")
            button.clicked.connect(lambda: self.go_to_table.emit(target))
            row.addWidget(button)
            lay.addLayout(row)
        self.editor = PlainEditor(min_lines=3 if section.kind != SectionKind.TASKS else 2)
        self.editor.setObjectName(f"body-{section.key}")
        self.editor.setAccessibleName(f"{section.number}{section.heading} 正文")
        self.editor.setPlaceholderText("在此填写本节正文……" if section.kind != SectionKind.TASKS
                                       else "（可选）各项工作任务之前的总述；各项任务在下面逐项填写")
        lay.addWidget(self.editor)
        foot = QHBoxLayout()
        self.message = message_label()
        foot.addWidget(self.message, 1)
        self.count = QLabel()
        set_text_colour(self.count, "#777777")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        foot.addWidget(self.count)
        lay.addLayout(foot)
        self.editor.textChanged.connect(self._count)
        self.binding = FieldBinding(session, registry, self.editor, "sections", section.id, "body",
                                    message=self.message)
        # Children inherit the title's bold unless their weight is set explicitly.
        plain = QFont(QApplication.font())
        plain.setBold(False)
        for child in (self.editor, self.message, self.count, self.summary):
            if child is not None:
                child.setFont(plain)
        self._count()
        if section.kind == SectionKind.TASKS:
            from nanzhou_desktop.gui.task_editor import TaskEditor

            self.task_editor = TaskEditor(session, registry, section.key)
            self.task_editor.setFont(plain)
            lay.addWidget(self.task_editor)

    def _count(self) -> None:
        self.count.setText(f"字数 {count_chars(self.editor.toPlainText())}")

    def update_summary(self, result: CheckResult | None) -> None:
        if self.summary is None:
            return
        report = self.session.report
        if self.section.kind == SectionKind.BUDGET:
            row = report.budget_total_row
            if row is None:
                self.summary.setText("自评表中还没有“年度资金总额”行。")
                return
            rate = result.score.budget_rate if result is not None else None
            self.summary.setText(
                f"自评表：全年预算数 {format_money(row.budget_total) or '—'} 万元，"
                f"全年执行数 {format_money(row.executed) or '—'} 万元，"
                f"执行率 {format_rate(rate) if rate is not None else '—'}。正文中的数字须与之一致。")
        else:
            n = len(report.projects)
            self.summary.setText(f"自评表中有 {n} 个重点项目；正文中各项目的预算数、执行数须与之一致。" if n
                                 else "自评表中还没有重点项目。")


class SectionTab(QWidget):
    """A top-level part (一、… 四、): a list of its sub-sections on the left (one click to
    reach any of them) and the forms one under another on the right."""

    def __init__(self, session: ReportSession, registry: FieldRegistry, top: Section,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top = top
        self.session = session
        report = session.report
        sections = [s for s in report.sections if s.key == top.key or s.key.startswith(top.key + ".")]
        # The part's own text is shown when it has some, or when it is all there is.
        if not top.body and len(sections) > 1 and not top.required:
            sections = sections[1:]
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        self.outline = QListWidget()
        self.outline.setObjectName(f"outline-{top.key}")
        self.outline.setMaximumWidth(230)
        self.outline.setMinimumWidth(170)
        self.outline.setAccessibleName("本部分的小节")
        self.outline.setWordWrap(True)
        self.outline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outline.setSpacing(2)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.forms_layout = QVBoxLayout(body)
        self.forms_layout.setContentsMargins(4, 0, 12, 12)
        self.forms: list[SectionForm] = []
        for sec in sections:
            form = SectionForm(session, registry, sec)
            self.forms.append(form)
            self.forms_layout.addWidget(form)
            item = QListWidgetItem(f"{sec.number}{sec.heading}")
            item.setToolTip(f"{sec.number}{sec.heading}")
            self.outline.addItem(item)
        self.forms_layout.addStretch(1)
        self.scroll.setWidget(body)
        # Wide enough for the longest heading on one line (a lone "务" on the next was the
        # result at 230 px), within bounds; a longer custom heading still wraps.
        fm = self.outline.fontMetrics()
        longest = max((fm.horizontalAdvance(self.outline.item(i).text()) for i in range(self.outline.count())),
                      default=0)
        self.outline.setMaximumWidth(max(230, min(320, longest + 32)))
        lay.addWidget(self.outline)
        lay.addWidget(self.scroll, 1)
        self.outline.setVisible(len(self.forms) > 1)
        if len(self.forms) == 1:  # the whole tab is one text (三、存在的主要问题): give it room
            self.forms[0].editor.set_min_lines(14)
        self.outline.currentRowChanged.connect(self.show_form)
        self.outline.itemClicked.connect(lambda item: self.show_form(self.outline.row(item)))

    def show_form(self, index: int) -> None:
        if not 0 <= index < len(self.forms):
            return
        form = self.forms[index]
        self.scroll.ensureWidgetVisible(form, 0, 0)
        # Put the form's title at the top of the view rather than just in view.
        self.scroll.verticalScrollBar().setValue(form.y())
        form.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def form_for(self, key: str) -> SectionForm | None:
        for f in self.forms:
            if f.section.key == key:
                return f
        return None

    def reveal(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget, 20, 40)

    def update_summaries(self, result: CheckResult | None) -> None:
        for f in self.forms:
            f.update_summary(result)

    def task_editors(self) -> Iterable[QWidget]:
        return [f.task_editor for f in self.forms if f.task_editor is not None]
