"""The field widgets every editor in the window uses: the narrative and line editors, the
binding of one editor to one report-file field, and the registry that shows each field's
check state.

A :class:`FieldBinding` ties one editor to one report-file field.  Typed text is committed
400 ms after the last keystroke and at once on focus-out (so every edit reaches the file
within a second); a refused value keeps the typed text on screen with the reason beside
it.  After each check the :class:`FieldRegistry` sets every editor's state (coloured border,
tooltip, inline message) in place, touching only editors whose state changed.

The section forms, the task editor and the sign-off form all import them from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from nanzhou_desktop.gui.session import ReportSession, model_value
from nanzhou_desktop.gui.undo import as_input
from nanzhou_desktop.model import FieldRef
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.store.errors import EditError, SaveError
from nanzhou_desktop.store.fields import FIELDS, FieldSpec

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
                 debounce: bool = True, spec: FieldSpec | None = None) -> None:
        super().__init__(widget)
        self.session, self.registry, self.widget = session, registry, widget
        self.table, self.row, self.column = table, row, column
        self.message = message
        # a field whose label and kind are the row's own (a cover field: 评价年度, a date …)
        self.spec = spec or FIELDS[table][column]
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
        if self.spec.kind == "year" and value == "0":
            value = ""  # an imported report whose document named no year
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


