"""``make screenshots``: a PNG of every tab (and every 自评表 page) with the example loaded,
written to docs/screenshots/ (shown in the README)."""

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


if __name__ == "__main__":
    sys.exit(main())
