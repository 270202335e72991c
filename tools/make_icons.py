"""Make the app's icon files from resources/icons/app.svg (run after changing the drawing).

- ``app-{size}.png`` for the Linux menus (hicolor theme sizes) and the window icon;
- ``app.ico`` (16–256 px) for the Windows executables, built by PyInstaller from build.spec.

The PNG and ICO files are committed, so a build needs neither Qt's SVG renderer nor Pillow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage painting needs the application
    svg = ICONS / "app.svg"
    for size in SIZES:
        render(svg, size, ICONS / f"app-{size}.png")
    big = Image.open(ICONS / "app-256.png")
    big.save(ICONS / "app.ico", sizes=[(s, s) for s in SIZES])
    for size in SIZES:
        print(ICONS / f"app-{size}.png")
    print(ICONS / "app.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
