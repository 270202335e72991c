"""Run Python's cyclic garbage collector on the GUI thread only.

The window renders PDFs and loads received files in worker threads.  If the automatic
collector fires while such a thread runs, it may destroy Qt wrapper objects from an earlier
dialog on that thread, and Qt objects must die on the thread that owns them: the result was
an occasional segmentation fault inside plain Python code (seen in reportlab and segno during
a preview).  So automatic collection is switched off and a timer on the GUI thread collects
instead — the usual cure for PyQt/PySide applications with worker threads.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_YOUNG_MS = 500  # generation 0 is cheap: collect it often
_FULL_EVERY = 20  # a full collection every 20 ticks (10 s)
_OBJECT_NAME = "nanzhou_gc_guard"


class GarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(_YOUNG_MS)
        self._timer.timeout.connect(self._collect)
        gc.disable()
        self._timer.start()

    def _collect(self) -> None:
        self._ticks += 1
        if self._ticks % _FULL_EVERY == 0:
            gc.collect()
        else:
            gc.collect(0)


def install(app: QObject) -> GarbageCollector:
    """Switch automatic collection off and collect on ``app``'s thread (idempotent)."""
    # Looked up by name, not with findChild(GarbageCollector): a typed findChild wraps every
    # child of the application in Python, which realises the QStyle type and its enums —
    # about 9 ms of the window's start-up for nothing.
    existing = app.findChild(QObject, _OBJECT_NAME)
    if isinstance(existing, GarbageCollector):
        return existing
    collector = GarbageCollector(app)
    collector.setObjectName(_OBJECT_NAME)
    return collector
