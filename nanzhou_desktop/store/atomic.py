"""Files that appear whole or not at all, and the temporary files a kill leaves behind.

Every file the app makes (a new report, an import, 导出上报, a print) is written under a hidden
temporary name in the folder it goes to, then renamed onto its name: a kill or a full disk
leaves at most a hidden temporary file, never a half-made file under the real name.  Those
temporary names all start with ``.nz-`` (earlier versions used ``.{name}.{8 hex}.tmp``);
:func:`clean_stale_temps` removes the ones a kill left, at the next write into that folder.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

# .nz-<8 characters> (ours, and tempfile.mkstemp(prefix=".nz-") in render/output.py), or the
# names of earlier versions: .<file name>.<8 hex>.tmp for the file kinds the app writes.
_OURS = re.compile(r"^\.nz-[a-z0-9_]{8}.*$|^\..+\.(?:sqlite|pdf|docx|xlsx|csv)\.[0-9a-f]{8}\.tmp(?:-journal)?$")
STALE_AFTER_S = 600.0  # a temporary file is written and renamed within seconds; one this old was left by a kill


def temp_beside(final: Path) -> Path:
    """A hidden temporary name in ``final``'s folder (short: it must fit where ``final`` fits)."""
    return final.with_name(f".nz-{uuid.uuid4().hex[:8]}{final.suffix}.tmp")


def is_our_temp(name: str) -> bool:
    return bool(_OURS.match(name))


def clean_stale_temps(folder: Path, *, older_than_s: float = STALE_AFTER_S, now: float | None = None) -> int:
    """Remove the app's temporary files in ``folder`` that a kill left (untouched for
    ``older_than_s``); returns how many.  Never raises: cleaning is a courtesy, and a file that
    cannot be removed now will be at another time."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not is_our_temp(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat(follow_symlinks=False).st_mtime < older_than_s:
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def discard(path: Path) -> None:
    """Remove a temporary file in an error handler: never raises (a second error there would hide
    the first one, which is what the user must be told)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
