"""打开所在文件夹: show a file in the system's file manager."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def reveal(path: str | Path) -> bool:
    """打开所在文件夹: the file manager on the folder of ``path`` (the file selected where the
    system can do that).  False if nothing could be started."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if sys.platform == "win32" and path.is_file():  # pragma: no cover - Windows only
        try:
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603, S607
            return True
        except OSError:
            pass
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
