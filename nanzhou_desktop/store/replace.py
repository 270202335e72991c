"""When a new report file would take the place of an existing file.

The rules every command and dialog follows (``docs/file-format.md``, "替换已有文件"):

- a report that is 已定稿 or 已导出 is never replaced: it is what was signed, sealed or sent;
- a file another window or program is editing is never replaced;
- any other file is first copied to ``{名称}的备份 (YYYY-MM-DD HH时MM分).sqlite`` beside it,
  and the caller tells the user where that copy is;
- a suggested name is a free one: ``江海街道2023年度自评报告 (2).sqlite``.

The existing file is read through a separate read-only connection; nothing here writes to it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nanzhou_desktop.store.errors import ReportFileError, os_reason

LOCKED_STATUSES = ("已定稿", "已导出")


class ReplaceRefused(ReportFileError):
    """The existing file must not be replaced; ``str()`` says why, in one Chinese sentence."""


@dataclass(frozen=True)
class ExistingFile:
    """What stands at a path a new report would be written to."""

    path: Path
    is_report: bool  # a report file this program can read
    status: str = ""  # 草稿 / 已定稿 / 已导出 ('' when not a report)
    unit: str = ""
    year: int | None = None
    revision: int | None = None
    uuid: str = ""
    final_fingerprint: str = ""

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def describe(self) -> str:
        """“南洲街道 2022年度 第2版 已定稿”, or “不是报告文件”."""
        if not self.is_report:
            return "不是本程序的报告文件"
        parts = [self.unit or "（未填单位）"]
        if self.year:
            parts.append(f"{self.year}年度")
        if self.revision:
            parts.append(f"第{self.revision}版")
        parts.append(self.status or "草稿")
        return " ".join(parts)


def existing_file(path: str | Path) -> ExistingFile | None:
    """What is at ``path`` (None when nothing is).  Never writes to the file."""
    path = Path(path)
    if not path.exists():
        return None
    if path.is_dir():
        raise ReplaceRefused(f"“{path.name}”是文件夹，请给出报告文件的名称")
    from nanzhou_desktop.store.header import open_regular

    try:
        with open_regular(path) as fh:  # a FIFO named *.sqlite would block here
            magic = fh.read(16)
    except ReportFileError as exc:
        raise ReplaceRefused(str(exc)) from None
    except OSError:
        return ExistingFile(path, False)
    if magic != b"SQLite format 3\x00":
        return ExistingFile(path, False)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return ExistingFile(path, False)
    try:
        row = conn.execute(
            "SELECT status, unit_short_name, unit_full_name, fiscal_year, revision, uuid, final_fingerprint "
            "FROM report WHERE id = 1").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    if row is None:
        return ExistingFile(path, False)
    status, short, full, year, revision, uuid, final_fp = row
    return ExistingFile(path, True, str(status or ""), str(short or full or ""),
                        year if isinstance(year, int) else None,
                        revision if isinstance(revision, int) else None, str(uuid or ""), str(final_fp or ""))


def _in_use(path: Path) -> bool:
    """True when another window or process holds the report's lock (see store/lock.py)."""
    from nanzhou_desktop.store.lock import FileInUse, ReportLock

    if not Path(str(path) + ".lock").exists():
        return False
    lock = ReportLock(path)
    try:
        lock.acquire()
    except FileInUse:
        return True
    except OSError:
        return False
    lock.release()
    return False


def refusal(existing: ExistingFile) -> str:
    """Why ``existing`` must not be replaced ('' when it may be, after a backup)."""
    name = existing.path.name
    if existing.locked:
        return (f"“{name}”是{existing.status}的报告（{existing.describe()}），不能被替换；"
                "请换一个文件名或文件夹")
    if existing.is_report and _in_use(existing.path):
        return f"“{name}”正在被另一个窗口或程序编辑，不能被替换；请换一个文件名，或先关闭它"
    return ""


def check_replaceable(path: str | Path) -> ExistingFile | None:
    """The file at ``path`` (None if there is none); raises :class:`ReplaceRefused` if it must
    not be replaced."""
    existing = existing_file(path)
    if existing is not None:
        reason = refusal(existing)
        if reason:
            raise ReplaceRefused(reason)
    return existing


def backup_name(path: str | Path, when: dt.datetime | None = None) -> Path:
    """A free ``{名称}的备份 (2024-03-01 15时58分).sqlite`` beside ``path``."""
    path = Path(path)
    stamp = f"{(when or dt.datetime.now()):%Y-%m-%d %H时%M分}"
    return free_name(path.with_name(f"{path.stem}的备份 ({stamp}){path.suffix}"))


def backup_copy(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Copy ``path`` to a backup beside it (flushed to disk) and return the copy's path.

    A rollback journal left by a crash goes with the copy (moved, not copied): left beside the
    new file it would be "rolled back" into it."""
    path = Path(path)
    target = backup_name(path, when)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copy2(path, tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        journal = Path(str(path) + "-journal")
        if journal.exists():
            os.replace(journal, Path(str(target) + "-journal"))
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportFileError(f"未能为“{path.name}”做备份（{os_reason(exc)}），原文件没有被替换") from exc
    return target


def prepare_replace(path: str | Path) -> Path | None:
    """Before a new file is written at ``path``: refuse (:class:`ReplaceRefused`) if what is there
    must be kept, else back it up.  Returns the backup's path (None when nothing was there)."""
    existing = check_replaceable(path)
    if existing is None:
        return None
    return backup_copy(existing.path)


def free_name(path: str | Path) -> Path:
    """``path`` if nothing is there, else the first free ``名称 (2).sqlite``, ``名称 (3).sqlite`` …"""
    path = Path(path)
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem} ({n}){path.suffix}")).exists():
        n += 1
    return candidate
