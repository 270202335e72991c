"""What ``make run`` executes.

With a display: open the window on the example (the last file on later runs).  With none
(the Makefile sets ``QT_QPA_PLATFORM=offscreen``): say so in Chinese and English, write a
screenshot of every tab and the example's PDF to ``out/``, print their paths, exit 0.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def offscreen() -> bool:
    return os.environ.get("QT_QPA_PLATFORM", "") == "offscreen"


def headless_run(out_dir: Path) -> int:
    print("没有检测到显示器（图形界面），改为在后台运行：把每个页签的截图和示例报告的 PDF 写到 out/。")
    print("No display found: running offscreen; writing a screenshot of each tab and the example's PDF to out/.")
    out_dir.mkdir(parents=True, exist_ok=True)
    from nanzhou_desktop.example import write_example
    from nanzhou_desktop.gui.app import AppSettings, make_app, quiet_offscreen
    from nanzhou_desktop.gui.main_window import MainWindow

    app = make_app()
    quiet_offscreen()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("NANZHOU_HOME", str(Path(tmp) / "home"))  # leave the user's settings alone
        example = write_example(Path(tmp) / "南洲街道2022年度（示例）.sqlite")
        window = MainWindow(AppSettings())
        if not window.open_file(example):
            print("无法打开示例报告。/ The example could not be opened.", file=sys.stderr)
            return 1
        window.resize(1280, 860)
        window.show()
        app.processEvents()
        written = window.screenshot_all(out_dir)
        report = window.session.report if window.session else None
        result = window.session.result if window.session else None
        window.close()
        if report is not None:
            from nanzhou_desktop.render.pdf import render_pdf

            pdf = out_dir / "南洲街道2022年度自评报告（示例）.pdf"
            render_pdf(report, pdf, result=result)
            written.append(pdf)
    for p in written:
        print(p)
    return 0


def main() -> int:
    if offscreen():
        return headless_run(ROOT / "out")
    from nanzhou_desktop.gui.main_window import run

    return run(sys.argv[1] if len(sys.argv) > 1 else None)


if __name__ == "__main__":
    sys.exit(main())
