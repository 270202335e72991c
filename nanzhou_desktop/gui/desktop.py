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
    if sys.platform == "darwin" and path.is_file():  # pragma: no cover - macOS only
        try:
            subprocess.Popen(["open", "-R", str(path)])  # noqa: S603, S607
            return True
        except OSError:
            pass
    if path.is_file() and show_items(path):
        return True
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))


def show_items(path: Path) -> bool:
    """The freedesktop file manager's ShowItems over D-Bus: the folder opened with the file
    selected (Nautilus, Dolphin, Nemo, Caja, 统信UOS's dde-file-manager, 麒麟's peony).
    False where no such file manager answers on the session bus."""
    from PySide6.QtCore import QUrl
    from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    manager = QDBusInterface("org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                             "org.freedesktop.FileManager1", bus)
    if not manager.isValid():
        return False
    reply = manager.call("ShowItems", [QUrl.fromLocalFile(str(path.resolve())).toString()], "")
    return reply.type() != QDBusMessage.MessageType.ErrorMessage
