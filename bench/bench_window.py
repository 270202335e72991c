"""The main window: start-up time against a bare PySide6 window with as many widgets, and
keystroke → updated rate and findings.

1. Process start → main window shown with the example loaded and checked, in a fresh
   process, against a bare QMainWindow with 10 tabs of line edits holding the same number of
   widgets (the platform-notes baseline, scaled to our widget count), measured interleaved
   in the same run.  Target ≤ 1.5 ×.  The interval ends when the window has been shown and
   painted: the child prints ``time.perf_counter()`` then, which on Linux is the
   system-wide monotonic clock the parent read just before starting it.  The whole process
   (closing the window and interpreter exit included) is given in the note.  Both windows
   are closed before their process ends, as a user closes them: otherwise every run after
   the first would open the report as after a crash (with the "上次程序没有正常退出"
   notice), which is not the everyday start.
2. Informational, the floor PySide6 itself sets: the bare window after also realising every
   PySide6 class our window has realised by the time it is shown.  PySide6 builds a class's
   Python type, and a Python ``enum`` for each of its enums, on first use (the ``Qt``
   namespace alone is 94 enums, ~15 ms on Python 3.11); the bare window uses six classes
   and no ``Qt`` enum.  What the floor leaves below 1.5 × is what is left for everything
   the application does: import its code, open and check the report, build the forms and
   paint a page of Chinese text.
3. A keystroke in the 自评表 (全年执行数 typed and committed: parse, write + fsync, audit,
   rules.check, findings panel, tab states, status bar, repaint) → median < 16 ms.
   Also the same for a narrative paragraph commit (the debounced path).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Row, median, p99, timings

RUNS = 7

APP_SCRIPT = """
import sys
import time
from PySide6.QtWidgets import QWidget
from nanzhou_desktop.gui.app import AppSettings, make_app
app = make_app()
from nanzhou_desktop.gui.main_window import MainWindow
w = MainWindow(AppSettings())
assert w.open_file(sys.argv[1])
w.resize(1280, 860)
w.show()
app.processEvents()
shown = time.perf_counter()
assert w.session.result is not None and w.session.result.score.total > 0
if len(sys.argv) > 2:  # the PySide6 classes realised by now, for the floor script
    import json
    import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
    json.dump({m.__name__: sorted(k for k, v in vars(m).items() if isinstance(v, type))
               for m in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets)}, open(sys.argv[2], "w"))
print(shown, len(w.findChildren(QWidget)))
w.close()  # a normal exit, so that the next run opens the file as after a normal exit
"""

BARE_SCRIPT = """
import sys
import time
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTabWidget, QVBoxLayout, QWidget
if len(sys.argv) > 2:  # the floor: also realise the PySide6 classes the application uses
    import importlib, json
    for module, names in json.load(open(sys.argv[2])).items():
        m = importlib.import_module(module)
        for name in names:
            getattr(m, name)
app = QApplication(sys.argv)
w = QMainWindow()
tabs = QTabWidget()
w.setCentralWidget(tabs)
per_tab = int(sys.argv[1])
for t in range(10):
    page = QWidget()
    lay = QVBoxLayout(page)
    for i in range(per_tab):
        lay.addWidget(QLineEdit(f"字段 {t}-{i}"))
    tabs.addTab(page, f"第 {t + 1} 页")
w.resize(1280, 860)
w.show()
app.processEvents()
print(time.perf_counter(), len(w.findChildren(QWidget)))
w.close()
"""


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(start → shown, start → process ended, widget count) of one fresh process."""
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    ended = time.perf_counter()
    shown, widgets = out.stdout.strip().splitlines()[-1].split()
    return float(shown) - t, ended - t, int(widgets)


def startup_rows() -> list[Row]:
    from nanzhou_desktop.example import write_example

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NANZHOU_HOME": str(Path(tmp) / "home"),
               "PYTHONPATH": str(ROOT)}
        # As installed (pip, PyInstaller): modules load from compiled bytecode.  This
        # environment sets PYTHONDONTWRITEBYTECODE, which would recompile every module of
        # ours at each start; the warm-up run below writes the .pyc files.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        example = write_example(Path(tmp) / "example.sqlite")
        classes = Path(tmp) / "classes.json"
        # Warm the file cache; learn the widget count and the PySide6 classes realised.
        *_, n_widgets = _run([sys.executable, "-c", APP_SCRIPT, str(example), str(classes)], env)
        realised = sum(len(v) for v in json.loads(classes.read_text(encoding="utf-8")).values())
        per_tab = max(1, (n_widgets - 12) // 10)
        cmds = {
            "app": [sys.executable, "-c", APP_SCRIPT, str(example)],
            "bare": [sys.executable, "-c", BARE_SCRIPT, str(per_tab)],
            "floor": [sys.executable, "-c", BARE_SCRIPT, str(per_tab), str(classes)],
        }
        *_, n_bare = _run(cmds["bare"], env)
        shown: dict[str, list[float]] = {k: [] for k in cmds}
        whole: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(RUNS):  # interleaved: the shared machine's noise hits all alike
            for k, cmd in cmds.items():
                s, e, _ = _run(cmd, env)
                shown[k].append(s)
                whole[k].append(e)
    med = {k: statistics.median(v) for k, v in shown.items()}
    whole_med = {k: statistics.median(v) for k, v in whole.items()}
    bare_what = f"bare PySide6 window, 10 tabs × {per_tab} line edits ({n_bare} widgets vs our {n_widgets})"
    return [
        Row(what="process start → main window shown, example loaded and checked",
            figure=med["app"], unit="s", baseline_what=bare_what, baseline=med["bare"],
            target="≤ 1.5 × baseline", ok=med["app"] <= 1.5 * med["bare"],
            note=f"medians of {RUNS} fresh processes each, interleaved; start → process ended "
                 f"(closing and interpreter exit included) {whole_med['app']:.3f} s vs "
                 f"{whole_med['bare']:.3f} s ({whole_med['app'] / whole_med['bare']:.2f} ×)"),
        Row(what=f"floor: the bare window after realising the {realised} PySide6 classes ours uses "
                 "(their Python types and enums), no application code",
            figure=med["floor"], unit="s", baseline_what=bare_what, baseline=med["bare"],
            note="informational: what PySide6 itself costs a window that uses these classes; "
                 f"{1000 * (1.5 * med['bare'] - med['floor']):.0f} ms was left under 1.5 × for the "
                 f"application's own work, which took {1000 * (med['app'] - med['floor']):.0f} ms"),
    ]


def keystroke_rows() -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nanzhou_desktop.example import write_example

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NANZHOU_HOME"] = str(Path(tmp) / "home")
        from nanzhou_desktop.gui.app import AppSettings, make_app
        from nanzhou_desktop.gui.main_window import MainWindow

        app = make_app()
        example = write_example(Path(tmp) / "example.sqlite")
        w = MainWindow(AppSettings())
        assert w.open_file(example)
        w.resize(1280, 860)
        w.show()
        w.show_table_page("budget_rows")
        app.processEvents()
        model = w.table_model("budget_rows")
        rate_col, idx = model.column_index("rate"), model.index(0, model.column_index("executed"))
        values = iter(["17,000.00", "19,738.24"] * 200)
        # Time the report file's commit (write + audit + fsync) apart from the rest, so a
        # slow shared disk is told apart from the window's own work.
        rf = w.session.rf
        plain_set_field = rf.set_field
        commit_ms: list[float] = []

        def timed_set_field(*a, **k):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return plain_set_field(*a, **k)
            finally:
                commit_ms.append((time.perf_counter() - t) * 1000)

        rf.set_field = timed_set_field  # type: ignore[method-assign]

        def cell_keystroke() -> None:
            value = next(values)
            model.setData(idx, value)
            app.processEvents()  # the repaint of the table, the findings and the status bar
            assert model.index(0, rate_col).data() in ("85.38%", "99.13%")

        cell = timings(cell_keystroke, runs=60)
        cell_commits = commit_ms[-60:]
        window_part = [c - k for c, k in zip(cell, cell_commits, strict=True)]
        check_ms = []

        def check_only() -> None:
            w.session.recheck()
            check_ms.append(w.session.last_check_ms)

        timings(check_only, runs=30)
        w.section_tabs["3"]  # build that tab
        binding = w.registry.get("sections", w.session.report.section("3").id, "body")
        editor = binding.widget
        base = editor.toPlainText()
        texts = iter([base + "。", base] * 200)

        def paragraph_commit() -> None:
            editor.setPlainText(next(texts))  # as typed: marks the binding dirty
            binding.commit()
            app.processEvents()

        para = timings(paragraph_commit, runs=40)
        w.close()
        QApplication.processEvents()
    return [
        Row("keystroke in 自评表 (全年执行数) → saved, checked, rate + findings + score repainted",
            median(cell), "ms", target="median < 16 ms", ok=median(cell) < 16,
            note=f"p99 {p99(cell):.1f} ms; of which the file commit (write, audit, fsync) median "
                 f"{median(cell_commits):.1f} ms and rules.check {median(check_ms):.1f} ms"),
        Row("the same keystroke without the file commit (check, findings, table, status bar, repaint)",
            median(window_part), "ms", target="median < 16 ms", ok=median(window_part) < 16,
            note=f"p99 {p99(window_part):.1f} ms"),
        Row("narrative paragraph commit (debounced typing) → saved, checked, repainted",
            median(para), "ms", target="median < 16 ms", ok=median(para) < 16,
            note=f"p99 {p99(para):.1f} ms"),
    ]


def run() -> list[Row]:
    return startup_rows() + keystroke_rows()


if __name__ == "__main__":
    for r in run():
        print(r.as_dict())
