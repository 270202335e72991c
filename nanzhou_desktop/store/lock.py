"""An OS-level lock that tells a second window or process that a report file is in use.

The lock lives on a side file (``report.sqlite.lock``) and is held with ``flock`` (POSIX) or
``msvcrt.locking`` (Windows); the operating system drops it when the process dies, so a
crash never leaves a report locked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class FileInUse(Exception):
    pass


class ReportLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(str(path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise FileInUse(str(self.path)) from exc
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sys.platform == "win32":  # pragma: no cover
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
        try:
            self.path.unlink()
        except OSError:
            pass  # another process may hold it now; leaving the empty side file is harmless
