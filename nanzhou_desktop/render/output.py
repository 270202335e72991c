"""Writing an output file atomically: a failed or interrupted render never leaves a
half-written PDF/Word/Excel file in place of a good one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

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
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入{what}文件“{out}”：{os_reason(exc)}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
