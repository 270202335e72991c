"""GUI tests: like the app, collect garbage on the GUI thread only (see gui/gc_guard.py)."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():
    gc.disable()
    yield
    gc.collect()  # between tests, on the main thread
    gc.enable()
