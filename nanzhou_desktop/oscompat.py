"""What differs between Windows and POSIX for the files and the console the app writes.

Each function asks :func:`on_windows` at call time, so the tests run the Windows branch on
Linux by answering it (and, where Windows' own behaviour matters, by standing in for it: see
tests/core/test_oscompat.py).

- **fsync**: Windows' ``FlushFileBuffers`` (behind ``os.fsync``) fails with EBADF on a handle
  opened read-only, and a folder cannot be opened at all; POSIX flushes a read-only
  descriptor and needs the folder flushed for a new name to survive a power cut.
- **Long paths**: without the LongPathsEnabled policy, Windows refuses paths of 260
  characters or more, and SQLite adds ``-journal`` to the report's name, the lock ``.lock``
  and a safe write ``.{name}.{8 hex}.tmp``.  A path that would fail is refused up front with
  a sentence saying what to do, instead of an error halfway through a save.
- **Console**: a Chinese Windows console or a redirected output is often GBK (cp936); a name
  with a character GBK lacks (𠀀, an emoji, ✓) would end the command with UnicodeEncodeError.
"""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path
from typing import Any, TextIO

WINDOWS_MAX_PATH = 259  # characters, not counting the terminating NUL of MAX_PATH (260)
# The longest name the app or SQLite puts beside a file: ".{name}.{8 hex}.tmp" adds 14.
SIDE_FILE_EXTRA = len("..12345678.tmp")


def on_windows() -> bool:
    return sys.platform == "win32"


def fsync_file(path: str | Path) -> None:
    """Flush ``path``'s data to the disk.  Opened for writing: Windows cannot flush otherwise."""
    flags = (os.O_RDWR | getattr(os, "O_BINARY", 0)) if on_windows() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str | Path) -> None:
    """Make a new or renamed name in the folder ``path`` durable.  Windows cannot open a folder
    (NTFS makes the rename durable with the file's own flush), so there it does nothing."""
    if on_windows():
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def path_too_long(path: str | Path) -> str:
    """Why Windows would refuse to work on ``path`` (the file and the names beside it), or ''.

    Only on Windows; the limit counts the absolute path, as Windows does."""
    if not on_windows():
        return ""
    full = os.path.abspath(str(path))
    if full.startswith("\\\\?\\"):  # already an extended-length path: no limit applies
        return ""
    length = len(full) + SIDE_FILE_EXTRA
    if length <= WINDOWS_MAX_PATH:
        return ""
    return (f"文件路径太长（{len(full)} 个字符）：Windows 只能处理 {WINDOWS_MAX_PATH - SIDE_FILE_EXTRA} 个字符以内的"
            "路径；请把文件放到路径较短的文件夹（例如 D:\\绩效自评\\），或改用较短的文件名")


_UNICODE_CODECS = {"utf-8", "utf-16", "utf-32", "gb18030", "utf-8-sig"}


def safe_console(stream: TextIO | Any) -> None:
    """Let ``stream`` print any text: where its encoding cannot represent every character (GBK,
    cp1252 …) unencodable ones come out as ``?`` instead of ending the command with a
    traceback.  A stream that is not a reconfigurable text file is left alone."""
    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if not encoding or reconfigure is None:
        return
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return
    if name in _UNICODE_CODECS or getattr(stream, "errors", "strict") != "strict":
        return
    try:
        reconfigure(errors="replace")
    except (ValueError, OSError):  # a closed or detached stream: nothing can be printed anyway
        pass
