"""A program that ends with the window still open (a script, a crash of the caller, the
session logging out) ends quietly: no Python traceback on the way out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import sys
from nanzhou_desktop.gui.app import AppSettings, make_app
app = make_app()
from nanzhou_desktop.gui.main_window import MainWindow
w = MainWindow(AppSettings())
assert w.open_file(sys.argv[1])
w.show()
app.processEvents()
w.session.set_field("budget_rows", w.session.report.budget[0].id, "executed", "19000")  # an undo step
print("edited")
"""


def test_ending_with_the_window_open_prints_no_traceback(tmp_path: Path) -> None:
    from nanzhou_desktop.example import write_example

    example = write_example(tmp_path / "example.sqlite")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NANZHOU_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(example)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and "edited" in out.stdout
    assert "Traceback" not in out.stderr and "Error" not in out.stderr, out.stderr
