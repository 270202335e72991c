"""The district's own database (区级汇总库): the reports received from its units.

A separate SQLite file with its own ``application_id`` and schema.  Each loaded report is
stored by report UUID + revision, as its canonical content (the same JSON the fingerprint
is computed over) plus the figures recomputed at loading.  Loading the same file twice
changes nothing, and so does a copy of a loaded revision with the same content in another
status (the draft a final version was made from, the unit's 已导出 working file); a draft of
the current revision is replaced by a newer copy or its final version; a higher revision
becomes current and the older one stays as history; a lower revision, a second content for a
final revision, or a UUID already used by another unit, is refused.  A refusal's advice
depends on whether the reports involved are drafts (a draft has no 定稿 to lift).  Per report the district
records 已审核 or 退回修改 with a note; a returned unit's next revision shows as new
(待审核).

Every check happens before the single write transaction, so a refused file leaves the
database byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import getpass
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from nanzhou_desktop.content import canonical_json, from_content, to_content
from nanzhou_desktop.district.safe_open import (
    DEFAULT_MAX_BYTES,
    ReceivedReport,
    RefusedFile,
    load_received,
    sqlite_reason,
)
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.money import canonical, percent
from nanzhou_desktop.oscompat import fsync_dir
from nanzhou_desktop.store.errors import os_reason

# "NZDS" (NanZhou District Summary); never change it.
DISTRICT_APPLICATION_ID = 0x4E5A4453
DISTRICT_SCHEMA_VERSION = 1

_SCHEMA_V1 = """
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


def approval_refusal(status: str, fingerprint_ok: int | bool | None) -> str:
    """Why a report may not be marked 已审核 ('' when it may): only what the unit finalised
    and whose content still matches the fingerprint recorded at 定稿 can be approved."""
    if status == str(Status.DRAFT):
        return ("这是一份草稿（未定稿），不能标记为“已审核”：草稿的内容还可能改变，也没有定稿时的内容指纹。"
                "请退回修改，请单位检查、定稿并导出上报后重新发送")
    if not fingerprint_ok:
        return ("这份报告的内容与定稿时记录的内容指纹不一致（定稿后被改动过），不能标记为“已审核”；"
                "请退回修改，请单位解除定稿、重新检查定稿后导出上报")
    return ""


class DistrictDbError(Exception):
    """The district database cannot be opened or written; ``str(err)`` is Chinese."""


class Outcome(enum.StrEnum):
    LOADED = "已装入"
    PRESENT = "已存在"
    REPLACED = "已替换"
    REFUSED = "拒收"


class Review(enum.StrEnum):
    PENDING = "待审核"
    APPROVED = "已审核"
    RETURNED = "退回修改"


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    outcome: Outcome
    message: str  # one Chinese sentence
    uuid: str = ""
    unit: str = ""


@dataclass(frozen=True)
class UnitRow:
    """One row of the summary: the current revision of one unit's report."""

    uuid: str
    unit: str
    short_name: str
    year: int
    revision: int
    status: str
    review: Review
    review_note: str
    budget_total: Decimal | None
    executed: Decimal | None
    execution_rate: Decimal | None
    score: Decimal | None
    grade: str
    errors: int | None
    warnings: int | None
    fingerprint_ok: bool | None
    file_name: str
    loaded_at: str
    history: int  # older revisions kept
    template_id: str = ""  # 报告模板: the template the report was made from (its scheme gave the score)
    template_name: str = ""
    template_version: str = ""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - a missing user name is no reason to fail
        return "未知用户"


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


class DistrictDb:
    """An open district database.  Use :func:`open_district_db`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._user = ""  # who loads and reviews: looked up once (getuser reads the password database)

    def _who(self) -> str:
        if not self._user:
            self._user = _who()
        return self._user

    # ---------------------------------------------------------------- loading
    def load_file(self, path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
        """Load one received file.  Never raises for anything inside the file: a refusal is a
        :class:`LoadResult` with outcome 拒收 and the reason, and the database is unchanged."""
        p = Path(path)
        name = p.name or str(p)
        try:
            received = load_received(p, max_bytes=max_bytes)
        except RefusedFile as exc:
            return LoadResult(name, Outcome.REFUSED, str(exc))
        return self.add(received)

    def add(self, rec: ReceivedReport) -> LoadResult:
        r = rec.report
        name = rec.file_name
        unit = r.unit.full_name or r.unit.short_name or "（未填单位名称）"
        base = {"file_name": name, "uuid": r.uuid, "unit": unit}
        rows = self.conn.execute(
            "SELECT revision, fingerprint, status, unit_full_name, unit_code, is_current FROM reports WHERE uuid = ?"
            " ORDER BY revision DESC", (r.uuid,)).fetchall()
        if rows:
            other = rows[0]
            if other["unit_full_name"] != r.unit.full_name:
                return LoadResult(outcome=Outcome.REFUSED, message=(
                    f"文件“{name}”的报告编号与已装入的“{other['unit_full_name']}”的报告相同，却来自"
                    f"“{unit}”，报告编号重复，已拒收；请向报送单位核实"), **base)
            current = next((x for x in rows if x["is_current"]), rows[0])
            if r.revision < current["revision"]:
                return LoadResult(outcome=Outcome.REFUSED, message=(
                    f"文件“{name}”是 {unit} 的旧修订号 {r.revision}，已装入的是修订号 {current['revision']}，"
                    "旧版本不会覆盖新版本，已拒收"), **base)
            same = next((x for x in rows if x["revision"] == r.revision), None)
            if same is not None:
                return self._same_revision(rec, same, current, base)
            self._write(rec, supersede=True)
            return LoadResult(outcome=Outcome.REPLACED, message=(
                f"文件“{name}”：{unit} 修订号 {r.revision} 已装入，替换修订号 {current['revision']}"
                "（旧修订号保留在历史中）"), **base)
        clash = self.conn.execute(
            "SELECT uuid, status FROM reports WHERE is_current = 1 AND unit_full_name = ? AND fiscal_year = ?",
            (r.unit.full_name, r.year)).fetchone()
        if clash is not None:
            old_id = clash["uuid"][:8]
            remove = (f"先移除原报告（区级汇总窗口的“移除…”，或 district remove 汇总库 {old_id}），再装入此文件")
            if clash["status"] == str(Status.DRAFT):
                # The report loaded first is a draft: it has no 定稿 to lift; the unit finishes one
                # of the two and sends that.
                advice = ("请与该单位核实以哪一份为准：以原报告为准时，请单位在原报告上填好、定稿后导出上报"
                          f"（同一编号的定稿会替换已装入的草稿），此文件不必装入；以此文件为准时，{remove}")
            else:
                advice = ("请与该单位核实：报告需要更正时，应在原报告上解除定稿、修改后重新报送（修订号随之增加）；"
                          f"确需以此文件为准，{remove}")
            return LoadResult(outcome=Outcome.REFUSED, message=(
                f"文件“{name}”：{unit} {r.year} 年度已装入另一份报告（编号 {old_id}…，{clash['status']}），"
                f"同一单位同一年度只能有一份报告，已拒收。{advice}"), **base)
        self._write(rec)
        draft = "（草稿，尚未定稿）" if r.status == Status.DRAFT else " "
        return LoadResult(outcome=Outcome.LOADED,
                          message=f"文件“{name}”：{unit} {r.year} 年度修订号 {r.revision}{draft}已装入", **base)

    def _same_revision(self, rec: ReceivedReport, same: sqlite3.Row, current: sqlite3.Row,
                       base: dict[str, str]) -> LoadResult:
        """A file whose report and revision are already loaded: the same content, a draft replaced
        by its newer copy or final version, or a refusal whose advice fits the two statuses."""
        r = rec.report
        name, unit = base["file_name"], base["unit"]
        stored_draft = same["status"] == str(Status.DRAFT)
        if same["fingerprint"] == rec.fingerprint and (same["status"] == str(r.status) or not stored_draft):
            # The same content; 已定稿 and 已导出 differ only in the unit's own file, and a draft
            # copy of a loaded final version adds nothing to it.
            if r.status == Status.DRAFT and not stored_draft:
                return LoadResult(outcome=Outcome.PRESENT, message=(
                    f"文件“{name}”是 {unit} 修订号 {r.revision} 的草稿，内容与已装入的定稿报告相同，未作改动"), **base)
            return LoadResult(outcome=Outcome.PRESENT, message=(
                f"文件“{name}”（{unit} 修订号 {r.revision}）已装入过，内容相同，未作改动"), **base)
        if stored_draft and same["revision"] == current["revision"]:
            self._write(rec, replace_revision=r.revision)
            return LoadResult(outcome=Outcome.REPLACED, message=(
                f"文件“{name}”：{unit} 修订号 {r.revision} 的草稿已由新收到的{r.status}文件替换"), **base)
        remove = (f"先移除已装入的报告（区级汇总窗口的“移除…”，或 district remove 汇总库 {r.uuid[:8]}），"
                  "再装入此文件")
        if r.status == Status.DRAFT:
            # A copy made before 定稿 (or beside it): the draft has nothing to lift, and finalising
            # it would only give a second final version of the same revision.
            return LoadResult(outcome=Outcome.REFUSED, message=(
                f"文件“{name}”是 {unit} 修订号 {r.revision} 的草稿（尚未定稿），与已装入的同一修订号的定稿报告"
                "内容不同，草稿不会替换定稿，已拒收；汇总以已装入的定稿报告为准。请与该单位核实：报告需要更正时，"
                "应在已定稿的报告上解除定稿（修订号加一）、修改后重新定稿并导出上报；"
                f"确需以这份草稿为准，{remove}"), **base)
        return LoadResult(outcome=Outcome.REFUSED, message=(
            f"文件“{name}”与已装入的 {unit} 修订号 {r.revision} 内容不同，同一修订号不能有两种内容，已拒收；"
            f"请报送单位解除定稿后以新的修订号重新报送，或确需以此文件为准时，{remove}"), **base)

    def _write(self, rec: ReceivedReport, *, supersede: bool = False, replace_revision: int | None = None) -> None:
        r = rec.report
        total = r.budget_total_row
        budget_total = total.budget_total if total else None
        executed = total.executed if total else None
        res = rec.result
        score = grade = None
        errors = warnings = None
        rate = percent(executed, budget_total)
        if res is not None:
            from nanzhou_desktop.rules.findings import Severity

            score, grade = res.score.total, res.score.grade
            errors, warnings = res.count(Severity.ERROR), res.count(Severity.WARNING)
            if res.score.budget_rate is not None:
                rate = res.score.budget_rate
        values = (
            r.uuid, r.revision, r.unit.full_name, r.unit.short_name, r.unit.code, r.unit.district, r.year,
            str(r.status), rec.fingerprint, None if rec.fingerprint_ok is None else int(rec.fingerprint_ok),
            canonical(budget_total), canonical(executed), canonical(rate), canonical(score), grade or "",
            errors, warnings, rec.check_error, rec.file_name, rec.sha256, rec.size, rec.schema_version,
            _now(), self._who(), rec.content_json or canonical_json(to_content(r)),
        )
        with self._transaction():
            if replace_revision is not None:
                self.conn.execute("DELETE FROM reports WHERE uuid = ? AND revision = ?", (r.uuid, replace_revision))
            if supersede:
                self.conn.execute("UPDATE reports SET is_current = 0 WHERE uuid = ?", (r.uuid,))
            self.conn.execute(
                "INSERT INTO reports (uuid, revision, unit_full_name, unit_short_name, unit_code, district,"
                " fiscal_year, status, fingerprint, fingerprint_ok, budget_total, executed, execution_rate, score,"
                " grade, errors, warnings, check_note, file_name, file_sha256, file_size, schema_version, loaded_at,"
                " loaded_by, content) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values)

    def load_files(self, paths: Iterable[str | Path], *, progress: Callable[[int, LoadResult], bool] | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> list[LoadResult]:
        """Load several files; one bad file never stops the others.  ``progress(i, result)``
        returning False cancels before the next file (files already loaded stay loaded).

        The accepted files of one call are committed together (one fsync instead of one per
        file); each file is its own savepoint, so a file that fails to write undoes only itself.
        """
        out: list[LoadResult] = []
        with self._transaction():
            for i, p in enumerate(paths):
                res = self.load_file(p, max_bytes=max_bytes)
                out.append(res)
                if progress is not None and progress(i, res) is False:
                    break
        return out

    # ---------------------------------------------------------------- reviewing
    def review(self, uuid: str, decision: Review, note: str = "") -> None:
        """Mark the current revision of a report 已审核 or 退回修改 (with a note)."""
        if decision not in (Review.APPROVED, Review.RETURNED):
            raise DistrictDbError(f"无效的审核结论：{decision}")
        note = note.strip()
        if decision == Review.RETURNED and not note:
            raise DistrictDbError("退回修改时请写明需要修改的内容")
        if len(note) > 10_000:
            raise DistrictDbError("审核意见过长（上限 10,000 字）")
        row = self.conn.execute("SELECT revision, status, fingerprint_ok FROM reports WHERE uuid = ? AND is_current = 1",
                                (uuid,)).fetchone()
        if row is None:
            raise DistrictDbError("找不到这份报告，可能已被移除")
        if decision == Review.APPROVED:
            refused = approval_refusal(row["status"], row["fingerprint_ok"])
            if refused:
                raise DistrictDbError(refused)
        with self._transaction():
            self.conn.execute("INSERT INTO reviews (uuid, revision, decision, note, at, who) VALUES (?,?,?,?,?,?)",
                              (uuid, row["revision"], str(decision), note, _now(), self._who()))

    def remove(self, uuid: str) -> None:
        """Remove a report and its history (e.g. a unit sent a second report for the same year)."""
        with self._transaction():
            self.conn.execute("DELETE FROM reports WHERE uuid = ?", (uuid,))
            self.conn.execute("DELETE FROM reviews WHERE uuid = ?", (uuid,))

    # ---------------------------------------------------------------- reading
    def units(self) -> list[UnitRow]:
        """One row per report (current revision), ordered by unit name."""
        rows = self.conn.execute(
            "SELECT r.*, (SELECT count(*) FROM reports h WHERE h.uuid = r.uuid AND h.is_current = 0) AS history,"
            " (SELECT decision FROM reviews v WHERE v.uuid = r.uuid AND v.revision = r.revision"
            "  ORDER BY v.id DESC LIMIT 1) AS decision,"
            " (SELECT note FROM reviews v WHERE v.uuid = r.uuid AND v.revision = r.revision"
            "  ORDER BY v.id DESC LIMIT 1) AS review_note,"
            # the template each report used, read from its stored content (no template key: the
            # version-2 广州 template, see content.py)
            " json_extract(r.content, '$.template_id') AS template_id,"
            " json_extract(r.content, '$.template.name') AS template_name,"
            " json_extract(r.content, '$.template.version') AS template_version"
            " FROM reports r WHERE r.is_current = 1 ORDER BY r.fiscal_year, r.unit_full_name").fetchall()
        from nanzhou_desktop.template_data import V2_TEMPLATE_DATA

        v2_name, v2_version = V2_TEMPLATE_DATA["name"], V2_TEMPLATE_DATA["version"]
        return [
            UnitRow(
                uuid=x["uuid"], unit=x["unit_full_name"], short_name=x["unit_short_name"], year=x["fiscal_year"],
                revision=x["revision"], status=x["status"],
                review=Review(x["decision"]) if x["decision"] else Review.PENDING, review_note=x["review_note"] or "",
                budget_total=_dec(x["budget_total"]), executed=_dec(x["executed"]),
                execution_rate=_dec(x["execution_rate"]), score=_dec(x["score"]), grade=x["grade"],
                errors=x["errors"], warnings=x["warnings"],
                fingerprint_ok=None if x["fingerprint_ok"] is None else bool(x["fingerprint_ok"]),
                file_name=x["file_name"], loaded_at=x["loaded_at"], history=x["history"],
                template_id=str(x["template_id"] or ""),
                template_name=str(x["template_name"] or v2_name), template_version=str(x["template_version"] or v2_version),
            )
            for x in rows
        ]

    def report(self, uuid: str, revision: int | None = None) -> Report:
        """The stored content of a report (current revision unless ``revision`` is given)."""
        if revision is None:
            row = self.conn.execute("SELECT * FROM reports WHERE uuid = ? AND is_current = 1", (uuid,)).fetchone()
        else:
            row = self.conn.execute("SELECT * FROM reports WHERE uuid = ? AND revision = ?", (uuid, revision)).fetchone()
        if row is None:
            raise DistrictDbError("找不到这份报告，可能已被移除")
        report = from_content(json.loads(row["content"]))
        report.status, report.revision = Status(row["status"]), row["revision"]
        report.final_fingerprint = row["fingerprint"] if row["fingerprint_ok"] else ""
        return report

    def history(self, uuid: str) -> list[dict[str, Any]]:
        return [dict(x) for x in self.conn.execute(
            "SELECT revision, status, file_name, loaded_at, is_current FROM reports WHERE uuid = ? ORDER BY revision",
            (uuid,))]

    def reviews(self, uuid: str) -> list[dict[str, Any]]:
        return [dict(x) for x in self.conn.execute(
            "SELECT revision, decision, note, at, who FROM reviews WHERE uuid = ? ORDER BY id", (uuid,))]

    def __iter__(self) -> Iterator[UnitRow]:
        return iter(self.units())

    # ---------------------------------------------------------------- plumbing
    def _transaction(self) -> _Tx:
        return _Tx(self)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> DistrictDb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Tx:
    """BEGIN IMMEDIATE … COMMIT, or a SAVEPOINT when already inside a batch's transaction."""

    def __init__(self, db: DistrictDb) -> None:
        self.db = db
        self.nested = False

    def __enter__(self) -> None:
        conn = self.db.conn
        self.nested = conn.in_transaction
        try:
            conn.execute("SAVEPOINT one_file" if self.nested else "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise DistrictDbError(f"汇总库“{self.db.path.name}”正被其他程序使用，请稍后再试") from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = self.db.conn
        if exc_type is None:
            try:
                conn.execute("RELEASE one_file" if self.nested else "COMMIT")
                return
            except sqlite3.Error as err:
                self._undo()
                raise DistrictDbError(f"未能保存到汇总库“{self.db.path.name}”（{sqlite_reason(err)}）；已装入的内容不受影响") from err
        self._undo()
        if isinstance(exc, sqlite3.Error):
            raise DistrictDbError(f"未能保存到汇总库“{self.db.path.name}”（{sqlite_reason(exc)}）；已装入的内容不受影响") from exc

    def _undo(self) -> None:
        conn = self.db.conn
        if not conn.in_transaction:
            return
        if self.nested:
            conn.execute("ROLLBACK TO one_file")
            conn.execute("RELEASE one_file")
        else:
            conn.execute("ROLLBACK")


def open_district_db(path: str | Path, *, create: bool = True) -> DistrictDb:
    """Open (or create) a district database.  A file that is not one is refused in Chinese and
    left untouched."""
    path = Path(path)
    if path.is_dir():
        raise DistrictDbError(f"“{path}”是文件夹，请给出汇总库文件的名称")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DistrictDbError(f"找不到汇总库“{path}”")
    if not exists:
        if not path.parent.exists():
            raise DistrictDbError(f"文件夹“{path.parent}”不存在")
        _create_district_db(path)
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        raise DistrictDbError(f"“{path.name}”不是区级汇总库（不是 SQLite 数据库）")
    app_id = int.from_bytes(head[68:72], "big")
    version = int.from_bytes(head[60:64], "big")
    if app_id != DISTRICT_APPLICATION_ID:
        from nanzhou_desktop.store.schema import APPLICATION_ID

        if app_id == APPLICATION_ID:
            raise DistrictDbError(f"“{path.name}”是单位的报告文件，不是区级汇总库；请用“装入”把它加入汇总库")
        raise DistrictDbError(f"“{path.name}”不是区级汇总库（是其他软件的数据库）")
    if version > DISTRICT_SCHEMA_VERSION:
        raise DistrictDbError(f"汇总库“{path.name}”由更新版本的软件创建（第 {version} 版），请升级软件")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA synchronous = FULL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            conn.close()
            raise DistrictDbError(f"汇总库“{path.name}”已损坏（{check}），请使用备份")
    except sqlite3.Error as exc:
        raise DistrictDbError(f"无法打开汇总库“{path.name}”（{sqlite_reason(exc)}）") from exc
    return DistrictDb(path, conn)


def _create_district_db(path: Path) -> None:
    """A new, empty district database appears under its name whole (schema committed) or not at
    all: it is made under a temporary name beside it and then linked into place, so that a
    kill during creation never leaves an empty or half-made file under the name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    leftovers = (tmp, Path(f"{tmp}-journal"))
    try:
        for p in leftovers:  # from a killed creation by an earlier process with the same id
            p.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA_V1.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {DISTRICT_APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {DISTRICT_SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(tmp, path)  # fails rather than replace a database another process made meanwhile
        except FileExistsError:
            if path.stat().st_size > 0:
                return  # made by another process first: that one is opened
            os.replace(tmp, path)  # an empty file: nothing was ever committed to it
        except OSError:  # no hard links on this file system (FAT, some network drives)
            os.replace(tmp, path)
        fsync_dir(path.parent)
    except sqlite3.Error as exc:
        raise DistrictDbError(f"无法创建汇总库“{path.name}”（{sqlite_reason(exc)}）") from exc
    except OSError as exc:
        raise DistrictDbError(f"无法创建汇总库“{path.name}”（{os_reason(exc)}）") from exc
    finally:
        for p in leftovers:
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)
