"""Windows that fit the screen (issue 15, items 3–7).

Every top-level window and dialog is opened on each office screen (tools/screen_audit.py, in
its own process, since the offscreen screen is fixed when the QApplication starts) and its
frame is checked against ``QScreen.availableGeometry()``: 1024×768 and 1366×768 at 100 %,
1366×768 at 125 % (1093×614 logical, the smallest), 1920×1080 at 125 % and 150 %, 3840×2160
at 200 %.  The maximised main window is walked through every tab: none may make it wider than
the screen (the 自评表 tab made it 1069 px on a 1024 px screen).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.model import FieldRef
from tests.conftest import ROOT
from tools.screen_audit import OFFICE_SCREENS, screen_config


def _inside(frame: list[int], avail: list[int]) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = avail
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize(("width", "height", "scale"), OFFICE_SCREENS, ids=lambda v: str(v))
def test_every_window_and_dialog_fits_the_screen(width, height, scale, tmp_path):
    env = {**os.environ, "NANZHOU_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "screen_audit.py"), str(width), str(height),
                          str(scale), "--quick"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    names = {r["name"] for r in rows}
    # Everything was opened: the window on each tab, the dialogs, the print preview, the district.
    assert {"main-window", "main-maximised-tab5a", "main-maximised-tab5d", "dialog-print-preview", "dialog-import",
            "dialog-file-save", "district-window", "district-report"} <= names, names
    avail = rows[0]["avail"]
    assert avail[2:] == [round(width / scale), round(height / scale)]  # the logical screen
    outside = [(r["name"], r["frame"]) for r in rows if not _inside(r["frame"], r["avail"])]
    assert outside == [], f"outside the {avail[2]}×{avail[3]} screen: {outside}"
    too_wide = [(r["name"], r["minimum"]) for r in rows
                if r["minimum"][0] > r["avail"][2] or r["minimum"][1] > r["avail"][3]]
    assert too_wide == [], f"minimum size above the screen: {too_wide}"


RESTORE = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    os.environ["QT_QPA_PLATFORM"] = {platform!r}
    from nanzhou_desktop.gui.app import AppSettings, make_app
    from nanzhou_desktop.gui.main_window import MainWindow
    app = make_app()
    w = MainWindow(AppSettings())
    w.open_file({path!r})
    w.show_on_screen()
    app.processEvents()
    step = {step!r}
    if step == "big":
        w.resize(1800, 1000); w.move(60, 40); app.processEvents()
    elif step == "maximise":
        w.showMaximized(); app.processEvents()
    f, a = w.frameGeometry(), w.screen().availableGeometry()
    print(f.x(), f.y(), f.width(), f.height(), a.width(), a.height(), int(w.isMaximized()))
    w.close()
""")


def _start(tmp_path: Path, example: Path, screen: tuple[int, int, float], step: str) -> list[int]:
    platform = screen_config(*screen, tmp_path)
    script = RESTORE.format(root=str(ROOT), platform=platform, path=str(example), step=step)
    env = {**os.environ, "NANZHOU_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return [int(v) for v in out.stdout.split()[-7:]]


def test_geometry_and_maximised_state_come_back_clamped_to_the_screen(tmp_path, example):
    x, y, w, h, aw, ah, maxed = _start(tmp_path, example, (1920, 1080, 1.0), "big")
    assert (w, h) == (1800 + 4, 1000 + 4) and not maxed  # (offscreen draws a 2 px frame)
    # Reopened as it was left …
    x, y, w, h, aw, ah, maxed = _start(tmp_path, example, (1920, 1080, 1.0), "none")
    assert (w, h) == (1804, 1004) and abs(x - 60) <= 4 and abs(y - 40) <= 4  # (offscreen's frame may shift it a pixel)
    # … and, on a smaller screen, inside it.
    x, y, w, h, aw, ah, maxed = _start(tmp_path, example, (1024, 768, 1.0), "none")
    assert x >= 0 and y >= 0 and x + w <= aw and y + h <= ah, (x, y, w, h, aw, ah)
    # Maximised is remembered, after a normal close.
    _start(tmp_path, example, (1366, 768, 1.0), "maximise")
    *_, maxed = _start(tmp_path, example, (1366, 768, 1.0), "none")
    assert maxed == 1


def test_the_first_start_fits_the_smallest_screen(tmp_path, example):
    x, y, w, h, aw, ah, maxed = _start(tmp_path, example, (1366, 768, 1.25), "none")
    assert (aw, ah) == (1093, 614)
    assert x >= 0 and y >= 0 and x + w <= aw and y + h <= ah and not maxed


def test_the_indicator_names_stay_in_view_at_the_reason_column(qtbot, settings, example):
    """At 1366 px, a warning scrolls the indicator table to 偏差原因: the names stay in view."""
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(example)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    model = w.table_model("indicators")
    row = next(r for r, ind in enumerate(model.rows()) if ind.level3 == "城中村改造私宅签约率")
    ind = model.rows()[row]
    assert w.focus_ref(FieldRef("indicators", ind.id, "reason"))
    QApplication.processEvents()
    view = w.table_view("indicators")
    name_col = model.column_index("level3")
    assert view.horizontalScrollBar().value() > 0  # the table did scroll right
    assert view.columnViewportPosition(name_col) < 0  # the name column itself is out of view …
    frozen = view.frozen
    assert frozen.isVisible()  # … but shown at the left edge, on the same rows
    rect = frozen.visualRect(model.index(row, name_col))
    assert frozen.viewport().rect().contains(rect.center())
    assert model.index(row, name_col).data() == "城中村改造私宅签约率"
    reason = view.visualRect(model.index(row, model.column_index("reason")))
    assert reason.left() >= frozen.width() - 2  # the cell being typed in is not under it
    # Back at the left, nothing is covered.
    view.horizontalScrollBar().setValue(0)
    QApplication.processEvents()
    assert not frozen.isVisible()
