"""An OS-level lock that tells a second window or process that a report file is in use.

The lock lives on a side file (``report.sqlite.lock``) and is held with ``flock`` (POSIX) or
``msvcrt.locking`` (Windows); the operating system drops it when the process dies, so a
crash never leaves a report locked.

Exclusive, also while a holder lets go (issue 16 F10).  A lock belongs to the side file's
inode, not to its name, so the name must never point at a file other than the one locked:

- the holder deletes the side file *while it still holds the lock*, then closes it;
- whoever takes the lock checks, after ``flock`` succeeded, that the name still leads to the
  inode it locked; if not (the holder deleted it in between, and someone may have made and
  locked a new one), it lets go and tries again on the file the name leads to now.

Releasing in the other order (close, then delete) let a process that had opened the old file
lock it after the close while a third locked the new one: two writers at once, and a lost
update.  On Windows an open file cannot be deleted, so the side file stays there (empty).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_ATTEMPTS = 20  # each failed verification means another process released meanwhile; this is plenty


class FileInUse(Exception):
    pass


def _lock_fd(fd: int) -> None:
    """Take the lock on ``fd`` without waiting; OSError when another holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _same_file(fd: int, path: Path) -> bool:
    """Does ``path`` still name the file open as ``fd``?"""
    try:
        st = os.stat(path)
    except OSError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


class ReportLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(str(path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Hold the lock, or raise :class:`FileInUse` at once when someone else does."""
        for _ in range(_ATTEMPTS):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                _lock_fd(fd)
            except OSError as exc:
                os.close(fd)
                raise FileInUse(str(self.path)) from exc
            if sys.platform == "win32" or _same_file(fd, self.path):  # pragma: no branch
                self._fd = fd
                return
            os.close(fd)  # we locked a side file its holder had already deleted: try the current one
        raise FileInUse(str(self.path))

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sys.platform == "win32":  # pragma: no cover
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                # Deleted while still held: nobody can lock this inode and think it is the current
                # one, since the name no longer leads to it (see the module's docstring).
                try:
                    self.path.unlink()
                except OSError:
                    pass  # a read-only folder, say: the empty side file stays, and is harmless
        finally:
            os.close(fd)
