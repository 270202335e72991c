"""Helpers for the main-window tests: a window on a fresh example copy, typing Chinese the
way an input method does, and reading what reached the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit ``text`` through an input-method event (``keyClicks`` with non-ASCII aborts)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def on_disk(path: Path, sql: str, *params: Any) -> Any:
    """One value straight from the file, through a separate read-only connection."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute(sql, params).fetchone()
        return None if row is None else row[0]
    finally:
        conn.close()


def edit_cell(qtbot: Any, view: Any, row: int, column: int, text: str) -> None:
    """Type ``text`` into a table cell as a user does: select it, type (the first key opens
    the editor), Enter (the delegate commits through a queued call: let it run)."""
    from PySide6.QtCore import Qt

    view.setFocus()
    view.setCurrentIndex(view.model().index(row, column))
    qtbot.keyClicks(view, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), f"no line editor opened on the cell ({editor!r})"
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
