"""Writing an output file atomically: a failed or interrupted render never leaves a
half-written PDF/Word/Excel file in place of a good one."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nanzhou_desktop.store.atomic import clean_stale_temps, discard
from nanzhou_desktop.store.errors import os_reason


class OutputError(RuntimeError):
    """The file could not be written; ``str(err)`` is a Chinese sentence."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(out: str | os.PathLike[str], write: Callable[[str], object], *, what: str) -> Path:
    """Call ``write(tmp_path)`` then move the result onto ``out``.  ``what`` names the file
    kind in the Chinese error message (PDF / Word / Excel)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise OutputError(f"无法写入{what}文件“{out}”：文件夹“{out.parent}”不存在")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".nz-", suffix=out.suffix, dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法写入{what}文件“{out}”：{os_reason(exc)}") from exc
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the copy is meant to be shared
        os.replace(tmp, out)
    except OSError as exc:
        _drop_half_written(exc)
        discard(Path(tmp))
        raise OutputError(f"无法写入{what}文件“{out}”：{os_reason(exc)}") from None
    except BaseException:
        discard(Path(tmp))
        raise
    clean_stale_temps(out.parent)  # those a kill left here before
    return out


def _drop_half_written(exc: BaseException) -> None:
    """After a writer failed (a full disk): let go, now and quietly, of what it left open.

    python-docx and openpyxl write through a ``zipfile.ZipFile``; when the disk is full its
    ``close`` fails, and the object, kept alive by the traceback, tried again when it was
    collected at exit, printing "Exception ignored in: ZipFile.__del__ … OSError 28" after the
    Chinese message (issue 16 F9).  The traceback's frames are cleared and collected here with
    such OSErrors silenced; nothing else is."""
    previous = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, OSError):
            previous(unraisable)

    sys.unraisablehook = quiet
    try:
        if exc.__traceback__ is not None:
            traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = previous
