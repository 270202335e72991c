"""What the window's start-up must not do, checked by its effect rather than timed.

When C++ Qt hands an event to a Python override (``event()``, ``changeEvent()``, an event
filter...), PySide6 works out the event's Python class; the first time, that builds the
Python type of every QEvent subclass in QtCore, QtGui and QtWidgets with their enums: about
50 classes, ~3 ms measured on a bare window (within the noise of the whole 0.22 s start, but
paid for nothing).  A do-nothing ``changeEvent`` override did that.  Handlers of rare events (key presses, focus out, drops, close) are fine: they are not
called while the window starts.  This test starts the window on the example in a fresh
process and lists the event classes PySide6 has built by the time it is shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from nanzhou_desktop.gui.app import AppSettings, make_app
app = make_app()
from nanzhou_desktop.gui.main_window import MainWindow
w = MainWindow(AppSettings())
assert w.open_file(sys.argv[1])
w.resize(1280, 860)
w.show()
app.processEvents()
built = sorted(k for m in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets)
               for k, v in vars(m).items() if isinstance(v, type) and k.endswith("Event"))
w.close()
print(json.dumps(built))
"""

# QShowEvent reaches PlainEditor.showEvent (the editor's height is refitted once, after the
# first layout at the real width); building it builds its base class QEvent.
ALLOWED = {"QEvent", "QShowEvent"}


def test_starting_the_window_does_not_route_events_through_python(tmp_path: Path) -> None:
    from nanzhou_desktop.example import write_example

    example = write_example(tmp_path / "example.sqlite")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NANZHOU_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(example)], env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    built = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert built - ALLOWED == set(), (
        "a Python event handler ran while the window started, which builds every QEvent "
        f"subclass: {sorted(built - ALLOWED)}")
