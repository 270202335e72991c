"""GUI tests: like the app, collect garbage on the GUI thread only (see gui/gc_guard.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from nanzhou_desktop.example import write_example
from nanzhou_desktop.gui.app import AppSettings, make_app


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppSettings:
    """App settings in a private home folder (recent files, first start)."""
    monkeypatch.setenv("NANZHOU_HOME", str(tmp_path / "home"))
    make_app()
    return AppSettings()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return write_example(tmp_path / "南洲2022.sqlite")


@pytest.fixture(autouse=True)
def _no_blocking_message_boxes(monkeypatch: pytest.MonkeyPatch):
    """Offscreen, a real modal QMessageBox waits for a click that never comes and the whole
    suite hangs until CI's time runs out.  One that a test did not replace answers No (or
    closes) at once and fails the test.  Set up before qtbot, so it also covers the
    windows qtbot closes after the test."""
    from PySide6.QtWidgets import QMessageBox

    opened: list[tuple[str, str, str]] = []

    def box(kind: str):  # noqa: ANN202
        def show(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            opened.append((kind, str(title), str(text)))
            return QMessageBox.StandardButton.No if kind == "question" else QMessageBox.StandardButton.Ok
        return show

    for kind in ("question", "warning", "information", "critical", "about"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))

    def exec_box(self):  # noqa: ANN001, ANN202 - a QMessageBox built and shown with exec()
        opened.append(("exec", self.windowTitle(), self.text()))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    yield
    assert not opened, f"a message box opened that the test did not expect: {opened}"


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():
    gc.disable()
    yield
    gc.collect()  # between tests, on the main thread
    gc.enable()
