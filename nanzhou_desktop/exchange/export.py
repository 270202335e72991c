"""导出上报: the clean single file the office emails to the district, and the signed-copy PDF.

Only a 已定稿 report (or a re-export of an 已导出 one) is exported.  The copy is made with
``VACUUM INTO`` under a temporary name in the target folder (a fresh, compact file in
rollback-journal mode, with no deleted content left in free pages), checked with
``quick_check`` and its header, fsynced, and only then renamed to
``{年度}_{单位简称}_部门整体支出绩效自评_r{修订号}.sqlite``; a half-written file never stands
under the final name.  The copy keeps the whole report including its audit (the district may
want it).  The export is recorded in the working file (time, file name, SHA-256) and the
status becomes 已导出; the working file is not changed otherwise.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.limits import safe_file_part
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.oscompat import fsync_dir, fsync_file, path_too_long
from nanzhou_desktop.store.atomic import clean_stale_temps, discard, temp_beside
from nanzhou_desktop.store.errors import EditError, ReportFileError, os_reason
from nanzhou_desktop.store.header import parse_header


class ExportError(ReportFileError):
    """The export was refused or failed; nothing is left under the final name."""


@dataclass
class ExportResult:
    path: Path  # the exported .sqlite
    sha256: str
    pdf_path: Path | None  # the signed-copy PDF, when it could be produced
    pdf_error: str  # why there is no PDF ("" when there is one)
    backup: Path | None = None  # where a different file that stood under the export's name went

    @property
    def message(self) -> str:
        text = f"已导出上报文件“{self.path.name}”"
        if self.backup is not None:
            text += f"（文件夹中原有的同名文件已备份为“{self.backup.name}”）"
        if self.pdf_path:
            return text + f"，签字盖章用的 PDF“{self.pdf_path.name}”在同一文件夹中"
        return text + f"；签字盖章用的 PDF 未能生成（{self.pdf_error}），请在窗口中另行打印"


def export_file_name(report: Report) -> str:
    """``{年度}_{单位简称}_部门整体支出绩效自评_r{修订号}.sqlite`` (short name, else full name).

    The name part is cut to 120 bytes and loses characters a file name cannot or should not hold
    (:func:`nanzhou_desktop.limits.safe_file_part`: U+202E would show the name reversed, 60
    characters of CJK extension B made a name too long for the file system)."""
    unit = safe_file_part(report.unit.short_name) or safe_file_part(report.unit.full_name) or "未命名单位"
    return f"{report.year}_{unit}_部门整体支出绩效自评_r{report.revision}.sqlite"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _verify_copy(tmp: Path, report: Report) -> None:
    """The copy must be a sound report file in rollback mode that holds the same content."""
    with open(tmp, "rb") as fh:
        header = parse_header(fh.read(100), tmp.name)
    if header.wal_mode:
        raise ExportError("导出的副本处于 WAL 模式，不能单独发送")
    conn = sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ExportError(f"导出的副本未通过完整性检查（{check}）")
        row = conn.execute("SELECT uuid, revision, final_fingerprint FROM report WHERE id = 1").fetchone()
    finally:
        conn.close()
    if row is None or row[0] != report.uuid or row[1] != report.revision or row[2] != report.final_fingerprint:
        raise ExportError("导出的副本与报告内容不一致")


def _render_pdf(report: Report, out: Path) -> tuple[Path | None, str]:
    """The signed-copy PDF beside the export, written under a temporary name first."""
    from nanzhou_desktop.render.pdf import render_pdf  # here: an export without the PDF needs no reportlab

    result: Any = None
    try:
        from nanzhou_desktop.rules import check

        result = check(report)
    except Exception:  # noqa: BLE001, S110 - the PDF can be made without the annex scores
        result = None
    tmp = temp_beside(out)
    try:
        render_pdf(report, tmp, result=result)
        fsync_file(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        discard(tmp)
        return None, os_reason(exc)
    except Exception as exc:  # noqa: BLE001 - the .sqlite export stands; the user is told the PDF failed
        discard(tmp)
        return None, f"{type(exc).__name__}：{exc}"[:200]
    return out, ""


def _export_error(exc: BaseException, out_dir: Path) -> BaseException:
    """What to tell the user about a failed copy, in Chinese (SQLite's and the OS's words are
    English); anything else (a kill, a bug) goes on as it was."""
    if isinstance(exc, ExportError):
        return exc
    if isinstance(exc, ReportFileError):
        return ExportError(f"导出的副本无效：{exc}")
    if isinstance(exc, sqlite3.Error):
        low = str(exc).lower()
        if "full" in low:
            return ExportError(f"磁盘空间不足，未能导出到“{out_dir}”；工作文件不受影响")
        if "readonly" in low or "read-only" in low or "permission" in low or "unable to open" in low:
            return ExportError(f"无法在文件夹“{out_dir}”中写入（文件夹只读或没有写入权限）；工作文件不受影响")
        return ExportError(f"未能导出到“{out_dir}”（数据库写入错误）；工作文件不受影响")
    if isinstance(exc, OSError):
        return ExportError(f"未能写入文件夹“{out_dir}”（{os_reason(exc)}）；工作文件不受影响")
    return exc


def export_report(rf: Any, out_dir: str | Path, *, with_pdf: bool = True) -> ExportResult:
    """导出上报 of the open working file ``rf`` into ``out_dir``.

    Raises :class:`ExportError` / :class:`EditError` (one Chinese sentence) when the report is not
    定稿, the folder is unusable or the copy fails its checks; nothing is then left in ``out_dir``
    and the working file is unchanged.
    """
    report: Report = rf.report
    if report.status == Status.DRAFT:
        raise EditError("报告尚未定稿，不能导出上报；请先检查并“定稿”")
    if getattr(rf, "read_only", False):
        raise EditError("文件以只读方式打开，不能导出上报（导出需要在工作文件中记录导出情况）")
    if report.final_fingerprint != fingerprint(report):
        raise ExportError("报告内容与定稿时的内容指纹不一致，不能导出；请“解除定稿”后重新检查并定稿")
    out_dir = Path(out_dir)
    if not out_dir.exists():
        raise ExportError(f"文件夹“{out_dir}”不存在")
    if not out_dir.is_dir():
        raise ExportError(f"“{out_dir}”不是文件夹")
    name = export_file_name(report)
    final = out_dir / name
    if too_long := path_too_long(final):
        raise ExportError(too_long)
    if final.exists() and final.is_dir():
        raise ExportError(f"目标位置已有同名文件夹“{name}”")
    backup = _make_room(rf, report, final)
    clean_stale_temps(out_dir)
    tmp = temp_beside(final)
    try:
        # VACUUM INTO attaches its target internally; the working connection forbids ATTACH
        # (a guard against crafted files), so lift the limit for this one statement only.
        old_limit = rf.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 1)
        try:
            rf.conn.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            rf.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, old_limit)
        _verify_copy(tmp, report)
        fsync_file(tmp)
        os.replace(tmp, final)
        fsync_dir(out_dir)
    except BaseException as exc:
        # The cleanup never raises: a second error here would hide the one the user must be told.
        discard(tmp)
        discard(Path(f"{tmp}-journal"))
        err = _export_error(exc, out_dir)
        if err is exc:
            raise
        raise err from exc
    digest = _sha256(final)
    pdf_path, pdf_error = (None, "未要求生成") if not with_pdf else _render_pdf(report, final.with_suffix(".pdf"))
    rf.record_export(name, digest)
    if report.status == Status.FINAL:
        rf.set_status(Status.EXPORTED, action="export")
    return ExportResult(final, digest, pdf_path, pdf_error, backup)


def _make_room(rf: Any, report: Report, final: Path) -> Path | None:
    """An earlier export of this very revision is simply written again (same content).  Any
    other 已定稿/已导出 report under the export's name is never replaced (another copy of the
    report, an example copy of the same unit and year); anything else is backed up first.
    Returns the backup's path, if one was made."""
    from nanzhou_desktop.store import replace

    if final.exists() and final.resolve() == Path(rf.path).resolve():
        raise ExportError(f"导出的文件“{final.name}”会替换正在编辑的报告本身；请选择另一个文件夹")
    try:
        existing = replace.existing_file(final)
        if existing is None:
            return None
        if (existing.is_report and existing.uuid == report.uuid and existing.revision == report.revision
                and existing.final_fingerprint == report.final_fingerprint):
            return None
        reason = replace.refusal(existing)
        if reason:
            raise ExportError(f"文件夹中已有另一份同名的报告：{reason}；没有导出")
        return replace.backup_copy(final)
    except replace.ReplaceRefused as exc:
        raise ExportError(str(exc)) from exc
