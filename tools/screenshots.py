"""``make screenshots``: a PNG of every tab (and every 自评表 page) with the example loaded,
written to docs/screenshots/ (shown in the README); then every window and dialog on each office
screen (1024×768, 1366×768, 1366×768 at 125 %, 1920×1080 at 125 % and 150 %, 3840×2160 at
200 %) in out/screens/<size>/, with a line per screen saying whether everything fits
(tools/screen_audit.py)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out_dir = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NANZHOU_HOME"] = str(Path(tmp) / "home")
        from nanzhou_desktop.example import write_example
        from nanzhou_desktop.gui.app import AppSettings, make_app, quiet_offscreen
        from nanzhou_desktop.gui.main_window import MainWindow

        app = make_app()
        quiet_offscreen()
        example = write_example(Path(tmp) / "南洲街道2022年度（示例）.sqlite")
        window = MainWindow(AppSettings())
        if not window.open_file(example):
            return 1
        window.resize(1280, 860)
        window.show()
        app.processEvents()
        for old in out_dir.glob("tab-*.png"):
            old.unlink()
        for p in window.screenshot_all(out_dir):
            print(p.relative_to(ROOT))
        window.close()
    return 0


def office_screens() -> int:
    """Every window and dialog on each office screen, in out/screens/; 1 if one does not fit."""
    import json
    import subprocess

    from tools.screen_audit import OFFICE_SCREENS

    status = 0
    for width, height, scale in OFFICE_SCREENS:
        shots = ROOT / "out" / "screens" / f"{width}x{height}@{scale:g}"
        for old in shots.glob("*.png"):
            old.unlink()
        out = subprocess.run([sys.executable, str(ROOT / "tools" / "screen_audit.py"), str(width), str(height),
                              str(scale), "--shots", str(shots)], cwd=ROOT, capture_output=True, text=True)
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        bad = [r["name"] for r in rows
               if r["frame"][0] < r["avail"][0] or r["frame"][1] < r["avail"][1]
               or r["frame"][0] + r["frame"][2] > r["avail"][0] + r["avail"][2]
               or r["frame"][1] + r["frame"][3] > r["avail"][1] + r["avail"][3]]
        if out.returncode != 0 or bad or not rows:
            status = 1
        logical = f"{rows[0]['avail'][2]}×{rows[0]['avail'][3]}" if rows else "?"
        verdict = "TOO BIG: " + ", ".join(bad) if bad else ("fits" if rows else "failed: " + out.stderr[-300:])
        print(f"{width}×{height} @ {scale:g} (logical {logical}): {len(rows)} windows — {verdict} → "
              f"{shots.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    code = main()
    sys.exit(code or office_screens())
