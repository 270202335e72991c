"""Merging district databases (``district merge DB OTHER.db``): a city bureau collects its districts'.

The other database is untrusted input, as a received report file is.  It must be a regular
file with the district database's application id and a known schema version; it is opened
read-only and immutable (SQLite neither locks it, nor writes it, nor rolls back a journal
beside it), with ATTACH off, ``trusted_schema`` off, ``cell_size_check`` on and a length limit,
and it must pass ``integrity_check`` and have exactly the schema of its version.  Then every
stored report goes through the very checks a received file goes through: its content is
written into a private in-memory report file (with the 定稿 record the district checked when
it loaded the report) and read back by :mod:`~nanzhou_desktop.district.safe_open` (types,
limits, characters, fingerprint, the rules run again and what 定稿 implies), and then added
by :meth:`~nanzhou_desktop.district.db.DistrictDb.add`, so a duplicate resolves by UUID and revision exactly as a file
would (the same revision is 已存在, a higher one replaces, a lower one or a second content is
refused).  Older revisions are merged first, so the history comes along.  The other
database's review decisions and paper confirmations for the reports merged come along too,
with their time and reviewer.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanzhou_desktop.district.safe_open import RefusedFile, sqlite_reason
from nanzhou_desktop.model import Status

if TYPE_CHECKING:
    from nanzhou_desktop.district.db import DistrictDb, LoadResult

from nanzhou_desktop.district.db import BATCH_FILES, approval_refusal

_V1_SCHEMA = """
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL,
    revision INTEGER NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1,
    unit_full_name TEXT NOT NULL,
    unit_short_name TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    district TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    status TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    fingerprint_ok INTEGER,
    budget_total TEXT,
    executed TEXT,
    execution_rate TEXT,
    score TEXT,
    grade TEXT NOT NULL DEFAULT '',
    errors INTEGER,
    warnings INTEGER,
    check_note TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    content TEXT NOT NULL,
    UNIQUE (uuid, revision)
) STRICT;
CREATE INDEX reports_current ON reports (is_current, uuid);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL,
    revision INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('已审核', '退回修改')),
    note TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    who TEXT NOT NULL
) STRICT;
"""
"""The schema of district databases of version 1 (sessions 1–3), as they were created."""

MAX_TEXT = 32 * 1024 * 1024  # one stored content; a real one is ~30 KB


def schema_sql(version: int) -> str:
    from nanzhou_desktop.district.db import _SCHEMA_V2

    return {1: _V1_SCHEMA, 2: _SCHEMA_V2}[version]


def _expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    conn = sqlite3.connect(":memory:")
    try:
        for statement in schema_sql(version).split(";"):
            if statement.strip():
                conn.execute(statement)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str]]:
    return frozenset((t, n, " ".join((s or "").split()))
                     for t, n, s in conn.execute("SELECT type, name, sql FROM sqlite_schema LIMIT 1000"))


class MergeRefused(Exception):
    """The other database as a whole was refused; ``str(err)`` is one Chinese sentence."""


def open_other(path: Path) -> tuple[sqlite3.Connection, int]:
    """The other district database, opened read-only with every guard, checked whole."""
    from nanzhou_desktop.district.db import DISTRICT_APPLICATION_ID, DISTRICT_SCHEMA_VERSION
    from nanzhou_desktop.store.errors import os_reason

    name = path.name or str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise MergeRefused(f"无法读取“{name}”（{os_reason(exc)}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise MergeRefused(f"“{name}”是文件夹，请给出另一个区级汇总库文件")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would hang or never end
        raise MergeRefused(f"“{name}”不是普通文件，无法合并")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise MergeRefused(f"无法读取“{name}”（{os_reason(exc)}）") from None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        raise MergeRefused(f"“{name}”不是区级汇总库（不是 SQLite 数据库），未合并")
    if int.from_bytes(head[68:72], "big") != DISTRICT_APPLICATION_ID:
        raise MergeRefused(f"“{name}”不是区级汇总库（单位的报告文件请用“装入”），未合并")
    version = int.from_bytes(head[60:64], "big")
    if not 1 <= version <= DISTRICT_SCHEMA_VERSION:
        raise MergeRefused(f"“{name}”的格式版本（第 {version} 版）不受支持，未合并")
    if head[18] == 2 or head[19] == 2:
        raise MergeRefused(f"“{name}”是以 WAL 方式保存的，单独复制时内容可能不完整，未合并")
    uri = "file:" + str(path.resolve()).replace("?", "%3f").replace("#", "%23") + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise MergeRefused(f"无法打开“{name}”（{sqlite_reason(exc)}），未合并") from None
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_TEXT)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA mmap_size = 0")
        conn.execute("PRAGMA query_only = ON")
        check = conn.execute("PRAGMA integrity_check(5)").fetchall()
        if check != [("ok",)]:
            raise MergeRefused(f"“{name}”已损坏（完整性检查未通过），未合并")
        found, expected = _schema(conn), _expected_schema(version)
        # Exactly the schema of its version; a database made before version 2's later indexes
        # may lack them (an index changes no data), nothing else may differ.
        if not (found <= expected and all(kind == "index" for kind, _, _ in expected - found)):
            raise MergeRefused(f"“{name}”的结构与区级汇总库格式（第 {version} 版）不符，可能已被其他程序改动，未合并")
    except MergeRefused:
        conn.close()
        raise
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        conn.close()
        raise MergeRefused(f"“{name}”无法读取（{sqlite_reason(exc) if isinstance(exc, sqlite3.Error) else '文字编码无效'}），"
                           "未合并") from None
    return conn, version


class MergeSource:
    """Another district database opened for merging (checked whole), read report by report.

    :meth:`items` does the reading and checking only (it may run in a worker thread); the
    caller adds each accepted report with :meth:`DistrictDb.add` and at the end calls
    :meth:`bring_reviews` with the revisions it merged."""

    def __init__(self, target: DistrictDb, other: Path) -> None:
        from nanzhou_desktop.district.db import DistrictDbError

        try:
            if other.resolve() == target.path.resolve():
                raise MergeRefused("不能把汇总库合并到它自己")
            self.conn, self.version = open_other(other)
        except MergeRefused as exc:
            raise DistrictDbError(str(exc)) from None
        self.label = other.name
        self.total = int(self.conn.execute("SELECT count(*) FROM reports").fetchone()[0])

    def items(self) -> Iterator[tuple[Any, tuple[str, int] | None]]:
        """(ReceivedReport, (uuid, revision)) for each stored report that passes every check, or
        (LoadResult 拒收, None); older revisions first."""
        from nanzhou_desktop.district.db import LoadResult, Outcome

        if self.version >= 2:
            sql = ("SELECT r.id, r.uuid, r.revision, r.status, r.fingerprint, r.fingerprint_ok, r.file_name,"
                   " r.file_sha256, r.file_size, c.content FROM reports r LEFT JOIN contents c ON c.report_id = r.id"
                   " ORDER BY r.uuid, r.revision")
        else:
            sql = ("SELECT id, uuid, revision, status, fingerprint, fingerprint_ok, file_name, file_sha256, file_size,"
                   " content FROM reports ORDER BY uuid, revision")
        for row in self.conn.execute(sql):
            file_name = row[6]
            name = f"{self.label}：{str(file_name)[:80] if isinstance(file_name, str) else '（无文件名）'}"
            try:
                rec = _received(row, name)
            except RefusedFile as exc:
                uuid = row[1] if isinstance(row[1], str) else ""
                yield LoadResult(name, Outcome.REFUSED, str(exc).replace("文件“", "汇总库中的报告“", 1), uuid=uuid), None
                continue
            yield rec, (rec.report.uuid, rec.report.revision)

    def bring_reviews(self, db: DistrictDb, merged: set[tuple[str, int]]) -> None:
        _bring_reviews(db, self.conn, merged)

    def close(self) -> None:
        self.conn.close()


def merge_into(db: DistrictDb, other: Path, *,
               progress: Callable[[int, int, LoadResult], bool | None] | None = None,
               batch_files: int = BATCH_FILES) -> list[LoadResult]:
    """See the module docstring.  Raises DistrictDbError when the other database as a whole is refused."""
    from nanzhou_desktop.district.db import DistrictDbError, Outcome

    source = MergeSource(db, other)
    results: list[LoadResult] = []
    merged: set[tuple[str, int]] = set()
    try:
        with db.batch(batch_files) as batch:
            for i, (item, key) in enumerate(source.items()):
                res = item if key is None else db.add(item)
                if key is not None and res.outcome != Outcome.REFUSED:
                    merged.add(key)
                results.append(res)
                batch.done_one()
                if progress is not None and progress(i, source.total, res) is False:
                    break
            source.bring_reviews(db, merged)
    except sqlite3.Error as exc:
        raise DistrictDbError(f"读取“{source.label}”时出错（{sqlite_reason(exc)}）；已合并的报告保留") from None
    finally:
        source.close()
    return results


def _received(row: tuple[Any, ...], name: str) -> Any:
    """The stored report as a received report: written into a private report file and read
    back through every check of :func:`~nanzhou_desktop.district.safe_open.load_received`."""
    from nanzhou_desktop.content import from_content
    from nanzhou_desktop.district.safe_open import _refuse, load_image

    _id, uuid, revision, status, fp, fp_ok, file_name, sha256, size, content = row
    if not isinstance(content, str) or not isinstance(status, str) or type(revision) is not int:
        raise _refuse(name, "在汇总库中缺少内容或状态，已拒收")
    try:
        report = from_content(json.loads(content))
        report.status = Status(status)
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, RecursionError) as exc:
        raise _refuse(name, f"的内容无法读取（{type(exc).__name__}），已拒收") from None
    if not 1 <= revision <= 2**62:
        raise _refuse(name, f"的修订号 {revision} 无效，已拒收")
    report.revision = revision
    report.final_fingerprint = fp if (fp_ok and isinstance(fp, str) and report.status != Status.DRAFT) else ""
    try:
        image = _report_image(report)
    except (sqlite3.Error, ValueError, TypeError, OverflowError, AttributeError) as exc:
        raise _refuse(name, f"的内容不是有效的报告（{type(exc).__name__}），已拒收") from None
    rec = load_image(image, name)
    return replace(rec, file_name=str(file_name) if isinstance(file_name, str) else name,
                   sha256=sha256 if isinstance(sha256, str) else rec.sha256,
                   size=size if type(size) is int else rec.size)


def _report_image(report: Any) -> bytes:
    """A report file holding ``report`` and, for a final one, the 定稿 record the district
    checked when it loaded the unit's file (the district database keeps no audit)."""
    from nanzhou_desktop.district.report_image import finalise_entry, report_image

    return report_image(report, audit=[finalise_entry(report)] if report.status != Status.DRAFT else [])


def _bring_reviews(db: DistrictDb, other: sqlite3.Connection, merged: set[tuple[str, int]]) -> None:
    """The other database's decisions and paper confirmations for the merged revisions (each
    once), and the latest of them on each report's summary row."""
    from nanzhou_desktop.district.safe_open import _CONTROL

    def text(v: Any, limit: int = 10_000) -> str | None:
        return v if isinstance(v, str) and len(v) <= limit and not _CONTROL.search(v) else None

    touched: set[tuple[str, int]] = set()
    for uuid, revision, decision, note, at, who in other.execute(
            "SELECT uuid, revision, decision, note, at, who FROM reviews ORDER BY at, id"):
        if (uuid, revision) not in merged or decision not in ("已审核", "退回修改"):
            continue
        if decision == "已审核":  # here too only a final report whose fingerprint verifies is approved
            row = db.conn.execute("SELECT status, fingerprint_ok FROM reports WHERE uuid = ? AND revision = ?",
                                  (uuid, revision)).fetchone()
            if row is None or approval_refusal(row["status"], row["fingerprint_ok"]):
                continue
        values = (uuid, revision, decision, text(note), text(at, 40), text(who, 200))
        if None in values:
            continue
        if db.conn.execute("SELECT 1 FROM reviews WHERE uuid = ? AND revision = ? AND decision = ? AND note = ?"
                           " AND at = ? AND who = ?", values).fetchone() is None:
            db.conn.execute("INSERT INTO reviews (uuid, revision, decision, note, at, who) VALUES (?,?,?,?,?,?)",
                            values)
            touched.add((uuid, revision))
    for uuid, revision in touched:
        last = db.conn.execute("SELECT decision, note FROM reviews WHERE uuid = ? AND revision = ?"
                               " ORDER BY at DESC, id DESC LIMIT 1", (uuid, revision)).fetchone()
        db.conn.execute("UPDATE reports SET review = ?, review_note = ? WHERE uuid = ? AND revision = ?",
                        (last["decision"], last["note"], uuid, revision))
    has_confirmations = other.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'confirmations'").fetchone()
    if not has_confirmations:
        return
    for uuid, revision, fp, payload, at, who in other.execute(
            "SELECT uuid, revision, fingerprint, payload, at, who FROM confirmations ORDER BY at, id"):
        if (uuid, revision) not in merged:
            continue
        values = (uuid, revision, text(fp, 64), text(payload, 2000), text(at, 40), text(who, 200))
        if None in values:
            continue
        stored = db.conn.execute("SELECT id FROM reports WHERE uuid = ? AND revision = ? AND fingerprint = ?",
                                 (uuid, revision, fp)).fetchone()
        if stored is None:
            continue  # confirmed a content other than the one loaded here: not carried over
        with contextlib.suppress(sqlite3.IntegrityError):
            if db.conn.execute("SELECT 1 FROM confirmations WHERE uuid = ? AND revision = ? AND at = ? AND who = ?",
                               (uuid, revision, at, who)).fetchone() is None:
                db.conn.execute("INSERT INTO confirmations (uuid, revision, fingerprint, payload, at, who)"
                                " VALUES (?,?,?,?,?,?)", values)
            db.conn.execute("UPDATE reports SET paper_at = ? WHERE id = ? AND paper_at < ?", (at, stored[0], at))
