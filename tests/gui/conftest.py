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
def _collect_on_the_gui_thread():
    gc.disable()
    yield
    gc.collect()  # between tests, on the main thread
    gc.enable()
