"""Loading a report file that came from somewhere else (received by email), as untrusted input.

The file is never opened by SQLite where it lies.  Its size and its first 100 bytes are
checked first; then its bytes are read into a private in-memory database
(``Connection.deserialize``) with ATTACH disabled, ``trusted_schema`` off,
``cell_size_check`` on, ``mmap_size`` 0 and ``query_only`` on.  ``integrity_check`` runs
before anything else; the schema must equal the schema of its ``user_version`` exactly; then
plain ``SELECT``\\ s of known columns read the content, every value is type-checked (text is
strict UTF-8, within the length limit, without control characters), and every derived figure
is recomputed: rates and score by :func:`nanzhou_desktop.rules.check`, the content fingerprint
by :func:`nanzhou_desktop.content.fingerprint`, compared with the one recorded at 定稿.

Each thread keeps its in-memory connection, set up once, and deserializes file after file
into it; between files it holds an empty one-page database, and after any error the
connection is closed and the next file gets a new one (see :class:`_Reader`).

Supported versions: every schema version from 1 up to the current one.  Older versions are
read in memory with the columns they have (the columns added later read as empty); nothing
is migrated or written.

Every refusal is a :class:`RefusedFile` whose message is one Chinese sentence naming the
file and the reason.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from nanzhou_desktop import limits
from nanzhou_desktop.content import canonical_json, to_content
from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    CoverField,
    Direction,
    Explanation,
    Indicator,
    Project,
    Report,
    Section,
    SectionKind,
    SignOff,
    Status,
    Task,
    TaskItem,
    Unit,
)
from nanzhou_desktop.store.errors import ReportFileError, os_reason
from nanzhou_desktop.store.fields import report_problem
from nanzhou_desktop.store.header import Header, open_regular, parse_header
from nanzhou_desktop.store.schema import SCHEMA_VERSION, expected_schema, read_schema
from nanzhou_desktop.template_data import COVER_KINDS, TemplateError, from_embedded_json

# The limits every reader keeps (nanzhou_desktop.limits): a file the office program would not
# open (show, check, print, the window) is not loaded by the district either, and the other way round.
DEFAULT_MAX_BYTES = limits.RECEIVED_FILE_BYTES
MAX_TEXT_CHARS = limits.LONG_TEXT_CHARS  # one narrative field; the same limit the editor enforces
# The bounds of :mod:`nanzhou_desktop.limits`, per decimal column, and for each the shape every
# value within them has when the office program stored it (matched first: the common case costs
# one regex; anything else goes to the bound's own check, which accepts or names the problem).
_AMOUNT_COLUMNS = {"budget_initial", "budget_total", "executed", "prior_budget_total", "prior_executed"}
_FAST_DECIMAL = {
    "amount": re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?"),  # ASCII digits only, as limits.stored_decimal
    "points": re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,4})?"),
    "qual_share": re.compile(r"0(?:\.[0-9]{1,6})?|1(?:\.0{1,6})?"),
}


def _bound_kind(column: str) -> str:
    if column in _AMOUNT_COLUMNS:
        return "amount"
    return "points" if column == "score" else column  # an indicator's 得分 is bounded as its 分值


def _bound_problem(column: str, value: Decimal) -> str | None:
    check = {"amount": limits.amount_problem, "points": limits.points_problem,
             "qual_share": limits.share_problem}[_bound_kind(column)]
    return check(value)


class _RefusedChars:
    """The characters :mod:`nanzhou_desktop.limits` refuses in content (C0/C1 controls but tab,
    line feed and carriage return; lone surrogates; the Unicode non-characters such as U+FFFF,
    which no Word or Excel copy can hold), as a ``search`` over a whole text at once.

    A coarse class of a few ranges is tried first (every refused character is in it; so are
    the supplementary planes' other characters, e.g. CJK Extension B): limits' exact class,
    with a literal for each plane's last two code points, costs ~30× more per character, and
    almost every text has none of these."""

    _COARSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                         "\U0001fffe-\U0010ffff]")

    @classmethod
    def search(cls, text: str) -> bool:
        if cls._COARSE.search(text) is None:
            return False
        return limits.text_problem(text, max_chars=sys.maxsize) is not None


_CONTROL = _RefusedChars()


class RefusedFile(ReportFileError):
    """A received file was refused; ``str(err)`` is one Chinese sentence naming file and reason."""


@dataclass
class ReceivedReport:
    """A received report, read and re-checked; nothing in it is taken on trust."""

    path: Path
    file_name: str
    size: int
    sha256: str  # of the file's bytes, as received
    schema_version: int
    report: Report
    fingerprint: str  # recomputed
    fingerprint_ok: bool | None  # None: a draft (草稿) has no recorded fingerprint
    result: Any  # rules.CheckResult, or None when the rules engine is not available
    check_error: str = ""  # why ``result`` is None
    content_json: str = ""  # canonical JSON of the content: what the fingerprint hashes, stored by the district


# Columns read per table, with the schema version that introduced each (others are older).
_LATER_COLUMNS: dict[str, dict[str, int]] = {
    "report": {"template_version": 3, "template_data": 3, "preface": 3},
    "budget_rows": {"prior_budget_total": 2, "prior_executed": 2},
    "projects": {"prior_budget_total": 2, "prior_executed": 2},
    "indicators": {"prior_actual": 2, "target_initial": 3, "score": 3},
}
_LATER_TABLES = {"cover_fields": 3}  # tables a file of an older version does not have (read as empty)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "report": ("uuid", "fiscal_year", "title", "template_id", "unit_full_name", "unit_short_name", "unit_code",
               "district", "head", "finance_head", "preparer", "phone_office", "phone_mobile", "fill_date",
               "issue_date", "status", "revision", "final_fingerprint", "template_version", "template_data", "preface"),
    "sections": ("id", "key", "level", "number", "heading", "body", "kind", "required"),
    "tasks": ("id", "title", "body"),
    "task_items": ("id", "task_id", "title", "body"),
    "budget_rows": ("id", "kind", "label", "budget_initial", "budget_total", "executed", "reason",
                    "prior_budget_total", "prior_executed"),
    "projects": ("id", "name", "budget_total", "executed", "reason", "prior_budget_total", "prior_executed"),
    "indicators": ("id", "level1", "level2", "level3", "direction", "target", "unit", "actual", "points", "reason",
                   "not_applicable", "qual_share", "note", "prior_actual", "target_initial", "score"),
    "explanations": ("finding_key", "text", "author", "at"),
    "cover_fields": ("id", "key", "label", "kind", "required", "value"),
}
_INTEGER_COLUMNS = {"fiscal_year", "revision", "id", "task_id", "level", "required", "not_applicable"}
_DECIMAL_COLUMNS = {"budget_initial", "budget_total", "executed", "prior_budget_total", "prior_executed",
                    "points", "qual_share", "score"}
_NULLABLE = _DECIMAL_COLUMNS


_SQLITE_WORDS = (
    ("malformed", "数据库结构已损坏"),
    ("not a database", "不是有效的数据库"),
    ("is full", "磁盘空间不足"),
    ("readonly", "文件或所在文件夹只读，无法写入"),
    ("read-only", "文件或所在文件夹只读，无法写入"),
    ("unable to open", "无法打开文件（文件夹不存在或没有访问权限）"),
    ("permission", "没有访问权限"),
    ("too big", "内容超出上限"),
    ("out of memory", "内存不足"),
    ("no such", "缺少应有的表或列"),
    ("locked", "数据库被其他程序锁定"),
    ("busy", "数据库被其他程序锁定"),
)


def sqlite_reason(exc: BaseException, *, writing: bool = False) -> str:
    """SQLite's English error in the user's words (the detail stays in the log, not on screen).
    A disk I/O error while writing is a write error: it is never called a read error."""
    low = str(exc).lower()
    for word, chinese in _SQLITE_WORDS:
        if word in low:
            return chinese
    if "disk i/o" in low:
        return "磁盘写入出错" if writing else "读取出错"
    return "数据库写入错误" if writing else "数据库读取错误"


def _refuse(name: str, reason: str) -> RefusedFile:
    return RefusedFile(f"文件“{name}”{reason}")


# The errors for which ``Path.exists()`` says "no such file" instead of raising (as pathlib does).
_ABSENT = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}


def _stat(path: Path) -> os.stat_result | None:
    """One ``stat`` call; None when the file is absent, as ``Path.exists()`` would say."""
    try:
        return os.stat(path)
    except ValueError:  # e.g. an embedded NUL in the name: no such file can exist
        return None
    except OSError as exc:
        if exc.errno in _ABSENT or getattr(exc, "winerror", None) in (21, 123, 1921):
            return None
        raise


def read_received_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, Header]:
    """Size and header checks, then the whole file's bytes (never opened by SQLite here)."""
    path = Path(path)
    name = path.name or str(path)
    try:
        st = _stat(path)
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise _refuse(name, "是文件夹，不是报告文件")
        if st is None:
            raise _refuse(name, "不存在（可能已被移走或删除）")
        size = st.st_size
        if size > max_bytes:
            raise _refuse(name, f"过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），"
                                "正常的报告文件不到 1 MB，已拒收")
        with open_regular(path, name) as fh:  # not a FIFO or device: those would block or never end
            # One read of what stat said (+1 to see growth), not of the limit: a buffer of the
            # limit's size would be allocated and faulted in for every file.
            data = fh.read(size + 1)
            if len(data) != size:  # changed since stat, or a short read: on to the end or past the limit
                while len(data) <= max_bytes and (more := fh.read(max_bytes + 1 - len(data))):
                    data += more
    except ReportFileError as exc:
        raise RefusedFile(str(exc)) from None
    except PermissionError:
        raise _refuse(name, "没有读取权限，无法装入") from None
    except OSError as exc:
        raise _refuse(name, f"无法读取（{os_reason(exc)}）") from None
    if len(data) > max_bytes:  # the file grew while we looked at it
        raise _refuse(name, f"过大（上限 {max_bytes / 1048576:.0f} MB），已拒收")
    try:
        header = parse_header(data[:100], name)
    except ReportFileError as exc:
        # parse_header reports a short file that starts like SQLite as truncated; keep its words.
        raise RefusedFile(str(exc)) from None
    if header.wal_mode:
        raise _refuse(name, "是以 WAL 方式保存的工作文件，单独发送时内容可能不完整；请对方用“导出上报”生成报送文件后重新发送")
    if header.page_size < 512 or header.page_size & (header.page_size - 1):
        raise _refuse(name, "的文件头已损坏（页大小无效），无法装入")
    # The in-header page count is valid when the "version-valid-for" number equals the change counter.
    if data[92:96] == data[24:28] and header.page_count * header.page_size > len(data):
        raise _refuse(name, "不完整（可能在传送中被截断），请对方重新发送")
    if len(data) % header.page_size:
        raise _refuse(name, "不完整（长度不是整页，可能在传送中被截断），请对方重新发送")
    try:
        journal = _stat(Path(str(path) + "-journal"))
    except OSError as exc:  # it may be there, and we cannot tell: do not load a possibly half-saved file
        raise _refuse(name, f"旁边的“-journal”文件无法检查（{os_reason(exc)}），已拒收") from None
    if journal is not None and stat.S_ISREG(journal.st_mode) and journal.st_size > 0:
        raise _refuse(name, "旁边有未完成保存留下的“-journal”文件，说明发送时对方正在保存，内容可能不完整；"
                            "请对方用“导出上报”生成报送文件后重新发送")
    return data, header


def _new_private_connection() -> sqlite3.Connection:
    """An in-memory connection with every limit in place before SQLite parses a single byte of
    a received schema.  All of these are per connection, so they hold for every database
    later deserialized into it.

    No statement cache: a statement prepared for one file is checked against the next file's
    schema only by its schema cookie, and two files with the same cookie may keep a table at
    different pages (a version-2 file upgraded to 3 and a file made at 3): a cached statement
    then reads the wrong pages.  Preparing a dozen SELECTs per file costs microseconds."""
    conn = sqlite3.connect(":memory:", isolation_level=None, cached_statements=0)
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 32 * 1024 * 1024)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA mmap_size = 0")  # also the default for every database opened later
        # Nothing in a received file is ever written, not even to the private copy.
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _deserialize(conn: sqlite3.Connection, data: bytes, name: str) -> None:
    """Put a private copy of ``data`` into ``conn`` (closed and refused when SQLite will not)."""
    try:
        conn.deserialize(data)
    except (sqlite3.DatabaseError, OverflowError, ValueError) as exc:
        conn.close()
        raise _refuse(name, f"已损坏，无法读取（{sqlite_reason(exc)}），已拒收") from None


def _connect_private(data: bytes, name: str) -> sqlite3.Connection:
    """A new private connection holding a copy of ``data`` (the caller closes it)."""
    conn = _new_private_connection()
    _deserialize(conn, data, name)
    return conn


@cache
def _empty_image() -> bytes:
    """The smallest valid database (one 512-byte page): put into an idle reader so that it does not
    keep the last file's bytes in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("PRAGMA page_size = 512")
        conn.execute("VACUUM")
        return conn.serialize()
    finally:
        conn.close()


class _Reader(threading.local):
    """Each thread's idle private connection (set up once; a file is deserialized into it).

    Opening and closing a connection per file costs more than reading a small report: the
    connection and SQLite's page cache are set up afresh each time.  A connection goes back
    here only after a file was read without error; after anything else it is closed and the
    next file gets a new one.  The next file replaces the last one's copy, so a report of usual
    size stays until then; a larger one is dropped at once (the empty image put in its place)
    so that an idle reader never holds more than ``_KEEP_IDLE_BYTES`` of a received file.
    Only UTF-8 files share it: a connection's text encoding is fixed by the first database it
    reads, so a file in another encoding gets a connection of its own and is read exactly as a
    fresh connection reads it.
    """

    conn: sqlite3.Connection | None = None


_READER = _Reader()
_KEEP_IDLE_BYTES = 1024 * 1024  # a real report file is well under 1 MB


def _utf8(data: bytes) -> bool:
    """The header's text encoding (offset 56) is UTF-8, as SQLite reads it (low two bits)."""
    return len(data) >= 60 and data[59] & 3 == 1


@contextmanager
def _private_copy(box: list[bytes], name: str) -> Iterator[sqlite3.Connection]:
    """The file's bytes (taken out of ``box``) in a private in-memory database."""
    data = box.pop()
    shared, size = _utf8(data), len(data)
    conn: sqlite3.Connection | None = None
    if shared:
        conn, _READER.conn = _READER.conn, None  # taken: a nested call on this thread would get its own
    if conn is None:
        conn = _new_private_connection()
    _deserialize(conn, data, name)
    del data  # SQLite has its own copy
    try:
        yield conn
    except BaseException:
        conn.close()
        raise
    if not shared or _READER.conn is not None:
        conn.close()
        return
    if size > _KEEP_IDLE_BYTES:
        try:
            conn.deserialize(_empty_image())  # drops the file's copy and page cache, keeps the setup
        except sqlite3.Error:  # pragma: no cover - SQLite refusing its own empty image
            conn.close()
            return
    _READER.conn = conn


def _decode(value: Any, name: str, where: str | tuple[str, str]) -> Any:
    """Strict UTF-8, bounded length, no invisible control characters (``where`` may be a
    (table, column) pair, turned into its Chinese label only when there is something to say)."""
    if isinstance(value, bytes | str):
        try:
            text = value.decode("utf-8", errors="strict") if isinstance(value, bytes) else value
        except UnicodeDecodeError:
            raise _refuse(name, f"的“{_where(where)}”中含有无效的 UTF-8 文字（文件可能已被其他程序改动或损坏），已拒收") from None
        if len(text) > MAX_TEXT_CHARS:
            raise _refuse(name, f"的“{_where(where)}”过长（{len(text):,} 字，上限 {MAX_TEXT_CHARS:,} 字），已拒收")
        if _CONTROL.search(text):
            problem = limits.text_problem(text, max_chars=MAX_TEXT_CHARS)
            if problem is not None:
                raise _refuse(name, f"的“{_where(where)}”{problem}，已拒收")
        return text
    return value


def _where(where: str | tuple[str, str]) -> str:
    return _label(*where) if isinstance(where, tuple) else where


_TABLE_LABELS = {"report": "报告信息", "sections": "章节", "tasks": "工作任务", "task_items": "工作任务小项",
                 "budget_rows": "预算执行", "projects": "重点项目", "indicators": "绩效指标", "explanations": "出错说明",
                 "audit": "修改记录"}
_EXTRA_LABELS = {"uuid": "报告编号", "fiscal_year": "年度", "status": "状态", "revision": "修订号",
                 "final_fingerprint": "内容指纹", "template_id": "提纲版本", "key": "章节编号", "kind": "类型",
                 "level": "层级", "required": "必填", "task_id": "所属工作任务", "id": "行号", "finding_key": "问题编号",
                 "text": "说明", "author": "填写人", "at": "时间",
                 "action": "操作", "reason": "原因"}


def _label(table: str, column: str) -> str:
    """The Chinese name of a column, as the user knows it from the window."""
    from nanzhou_desktop.store.fields import FIELDS

    spec = FIELDS.get(table, {}).get(column)
    col = spec.label if spec else _EXTRA_LABELS.get(column, column)
    return f"{_TABLE_LABELS.get(table, table)}·{col}"


def _typed(value: Any, table: str, column: str, name: str) -> Any:
    where = (table, column)
    if column in _INTEGER_COLUMNS:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _refuse(name, f"的“{_where(where)}”应为整数，却是 {type(value).__name__} 值，已拒收")
        return value
    if column in _DECIMAL_COLUMNS:
        if value is None:
            return None
        text = _decode(value, name, where)
        if not isinstance(text, str):
            raise _refuse(name, f"的“{_where(where)}”应为以文本保存的数字，却是 {type(text).__name__} 值，已拒收")
        if text == "":
            return None
        number = limits.stored_decimal(text)  # the shape the office reader accepts, before Decimal sees it
        if number is None:
            raise _refuse(name, f"的“{_where(where)}”应为数字，却是“{text[:40]}”，已拒收")
        problem = _bound_problem(column, number)
        if problem is not None:
            # One impossible figure (全年预算数 0.0000000001 beside 执行数 9999999999999999.99)
            # would make rates of 10²⁸ % that no summary, chart or rounding can hold.
            raise _refuse(name, f"的“{_where(where)}”为 {text[:40]}，{problem}，超出报告数字的范围，已拒收")
        return number
    return _text_value(value, name, where)


def _text_value(value: Any, name: str, where: str | tuple[str, str]) -> str:
    if value is None:
        raise _refuse(name, f"的“{_where(where)}”缺少内容（空值），已拒收")
    text = _decode(value, name, where)
    if not isinstance(text, str):
        raise _refuse(name, f"的“{_where(where)}”应为文字，却是 {type(text).__name__} 值，已拒收")
    return text


def _fetch(conn: sqlite3.Connection, sql: str) -> list[Any]:
    """Rows with text decoded by the driver (fast); when some text is not valid UTF-8 the driver
    only says so, so the query is repeated with raw bytes and :func:`_decode` names the field."""
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
    conn.text_factory = bytes
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.text_factory = str


_ORDER = {"report": "", "explanations": "ORDER BY finding_key"}  # the others: ORDER BY position, id


@dataclass(frozen=True)
class _Table:
    """How one table is read from a file of one schema version (worked out once)."""

    sql: str
    present: tuple[str, ...]  # the columns this version has: a prefix of _COLUMNS[table]
    fill: tuple[Any, ...]  # the values of the later columns it lacks: None for numbers, "" for text
    ints: tuple[int, ...]  # positions in ``present`` by kind of column
    decimals: tuple[int, ...]
    texts: tuple[int, ...]
    shapes: tuple[re.Pattern[str], ...]  # the in-bounds shape of each of ``decimals``


def _rows_max(table: str) -> int:
    return 1 if table == "report" else limits.ROWS_MAX[table]


@cache
def _table_spec(table: str, version: int) -> _Table:
    later = _LATER_COLUMNS.get(table, {})
    present = tuple(c for c in _COLUMNS[table] if later.get(c, 1) <= version)
    missing = _COLUMNS[table][len(present):]
    if present + missing != _COLUMNS[table]:  # pragma: no cover - guards _LATER_COLUMNS against a mistake
        raise RuntimeError(f"later columns of {table} must come last in _COLUMNS")
    order = _ORDER.get(table, "ORDER BY position, id")
    # Table and column names are ours, never taken from the file.
    sql = f"SELECT {', '.join(present)} FROM {table} {order}"
    return _Table(
        sql=sql, present=present, fill=tuple(None if c in _NULLABLE else "" for c in missing),
        ints=tuple(i for i, c in enumerate(present) if c in _INTEGER_COLUMNS),
        decimals=tuple(i for i, c in enumerate(present) if c in _DECIMAL_COLUMNS),
        shapes=tuple(_FAST_DECIMAL[_bound_kind(c)] for c in present if c in _DECIMAL_COLUMNS),
        texts=tuple(i for i, c in enumerate(present) if c not in _INTEGER_COLUMNS and c not in _DECIMAL_COLUMNS),
    )


def _select(conn: sqlite3.Connection, table: str, version: int, name: str) -> list[Sequence[Any]]:
    """The table's rows as tuples of every column in ``_COLUMNS[table]`` order, each value
    type-checked: integers are ints, text is str within the length limit and free of control
    characters, money and shares are Decimal or None."""
    if _LATER_TABLES.get(table, 1) > version:
        return []
    spec = _table_spec(table, version)
    # One row more than a report may have (limits.ROWS_MAX, as the office reader): a crafted file
    # with 100,000 budget rows is refused without building them all.
    most = _rows_max(table)
    rows = _fetch(conn, f"{spec.sql} LIMIT {most + 1}")
    if len(rows) > most:
        label = limits.TABLE_LABELS.get(table, _TABLE_LABELS.get(table, table))
        raise _refuse(name, f"的{label}超过 {most:,} 行，不是正常的报告文件，已拒收")
    checked = _checked_whole(rows, spec)
    if checked is None:  # something is wrong: find it column by column, to name it
        checked = _checked_by_column(rows, spec, table, name)
    return checked


def _checked_whole(rows: list[Any], spec: _Table) -> list[Sequence[Any]] | None:
    """The common case in a few C-level passes over the whole table: None as soon as anything
    is not plainly sound (this never refuses; :func:`_checked_by_column` decides and says why)."""
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for i in spec.ints:
        for v in columns[i]:
            if type(v) is not int:
                return None
    try:  # join refuses anything that is not str (None, bytes, numbers)
        text = "\n".join(chain.from_iterable(columns[i] for i in spec.texts))
    except TypeError:
        return None
    if len(text) > MAX_TEXT_CHARS and max(len(v) for i in spec.texts for v in columns[i]) > MAX_TEXT_CHARS:
        return None
    if _CONTROL.search(text):  # "\n", the separator, is allowed text
        return None
    if not spec.decimals:
        return [row + spec.fill for row in rows] if spec.fill else rows
    out: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        for i, shape in zip(spec.decimals, spec.shapes, strict=True):
            v = values[i]
            if v is None or v == "":
                values[i] = None
            elif type(v) is str and shape.fullmatch(v):  # digits only, within the bounds
                values[i] = Decimal(v)
            else:
                return None
        out.append((*values, *spec.fill))
    return out


def _checked_by_column(rows: list[Any], spec: _Table, table: str, name: str) -> list[Sequence[Any]]:
    columns = [_column_values(table, c, [raw[i] for raw in rows], name) for i, c in enumerate(spec.present)]
    return [values + spec.fill for values in zip(*columns, strict=True)]


def _column_values(table: str, column: str, values: list[Any], name: str) -> list[Any]:
    """One column's values, checked as a whole when they are all sound, else value by value so
    that the refusal names what is wrong."""
    if column in _INTEGER_COLUMNS:
        if all(type(v) is int for v in values):
            return values
    elif column not in _DECIMAL_COLUMNS:
        if (all(type(v) is str for v in values) and all(len(v) <= MAX_TEXT_CHARS for v in values)
                and not _CONTROL.search("".join(values))):
            return values
    return [_typed(v, table, column, name) for v in values]


def _enum(cls: Any, value: str, name: str, where: str) -> Any:
    member = cls._value2member_map_.get(value)  # what cls(value) looks up first, without its overhead
    if member is not None:
        return member
    try:
        return cls(value)
    except ValueError:
        raise _refuse(name, f"的“{where}”取值“{value[:40]}”无效，已拒收") from None


def read_report(conn: sqlite3.Connection, version: int, name: str) -> Report:
    """Build the :class:`Report` with plain SELECTs of known columns, every value type-checked.

    Rows come as tuples in ``_COLUMNS`` order; the positions below follow that table."""
    rows = _select(conn, "report", version, name)
    if len(rows) != 1:
        raise _refuse(name, "中没有报告内容（报告表为空），已拒收")
    (uuid, fiscal_year, title, template_id, full_name, short_name, code, district, head, finance_head, preparer,
     phone_office, phone_mobile, fill_date, issue_date, status, revision, final_fingerprint, template_version,
     template_data, preface) = rows[0]
    if not re.fullmatch(r"[0-9a-fA-F-]{32,36}", uuid):
        raise _refuse(name, f"的报告编号“{uuid[:40]}”格式无效，已拒收")
    if (problem := limits.year_problem(fiscal_year)) is not None:
        raise _refuse(name, f"的年度 {fiscal_year} 无效（{problem}），已拒收")
    if (problem := limits.revision_problem(revision)) is not None:
        raise _refuse(name, f"的修订号 {revision} 无效（{problem}），已拒收")
    try:  # the report's own numbering, 自评表 and 评分办法: validated like a template file
        template = from_embedded_json(template_data, template_version, name)
    except TemplateError as exc:
        raise _refuse(name, f"中保存的报告模板数据无效（{exc}），已拒收") from None
    report = Report(
        uuid=uuid.lower(), year=fiscal_year, title=title, template_id=template_id,
        unit=Unit(full_name, short_name, code, district),
        signoff=SignOff(head, finance_head, preparer, phone_office, phone_mobile, fill_date, issue_date),
        status=_enum(Status, status, name, "状态"), revision=revision, final_fingerprint=final_fingerprint,
        template=template, preface=preface,
    )
    # sections: id, key, level, number, heading, body, kind, required
    report.sections = [
        Section(key=s[1], level=s[2], number=s[3], heading=s[4], body=s[5],
                kind=_enum(SectionKind, s[6], name, "章节类型"), required=bool(s[7]), id=s[0])
        for s in _select(conn, "sections", version, name)
    ]
    # task_items: id, task_id, title, body; tasks: id, title, body
    items: dict[int, list[TaskItem]] = {}
    for i in _select(conn, "task_items", version, name):
        items.setdefault(i[1], []).append(TaskItem(i[2], i[3], id=i[0]))
    report.tasks = [Task(t[1], t[2], items.get(t[0], []), id=t[0]) for t in _select(conn, "tasks", version, name)]
    # budget_rows: id, kind, label, budget_initial, budget_total, executed, reason, prior_budget_total, prior_executed
    report.budget = [
        BudgetRow(_enum(BudgetKind, b[1], name, "预算行类型"), b[2], b[3], b[4], b[5], b[6], b[7], b[8], id=b[0])
        for b in _select(conn, "budget_rows", version, name)
    ]
    # projects: id, name, budget_total, executed, reason, prior_budget_total, prior_executed
    report.projects = [Project(p[1], p[2], p[3], p[4], p[5], p[6], id=p[0])
                       for p in _select(conn, "projects", version, name)]
    # indicators: id, level1, level2, level3, direction, target, unit, actual, points, reason, not_applicable,
    # qual_share, note, prior_actual, target_initial, score
    report.indicators = [
        Indicator(i[1], i[2], i[3], _enum(Direction, i[4], name, "指标性质"), i[5], i[6], i[7], i[8], i[9],
                  bool(i[10]), i[11], i[12], i[13], id=i[0], target_initial=i[14], score=i[15])
        for i in _select(conn, "indicators", version, name)
    ]
    # cover_fields: id, key, label, kind, required, value
    report.cover = []
    for c in _select(conn, "cover_fields", version, name):
        if c[3] not in COVER_KINDS:
            raise _refuse(name, f"的“封面项目类型”取值“{c[3][:40]}”无效，已拒收")
        report.cover.append(CoverField(c[1], c[2], c[3], bool(c[4]), c[5], id=c[0]))
    # explanations: finding_key, text, author, at
    report.explanations = {e[0]: Explanation(e[0], e[1], e[2], e[3])
                           for e in _select(conn, "explanations", version, name)}
    return report


def run_checks(report: Report) -> tuple[Any, str]:
    """Rates, score and findings recomputed by the rules engine (never read from the file)."""
    from nanzhou_desktop.rules import check

    try:
        return check(report), ""
    except Exception as exc:  # noqa: BLE001 - a rules bug must not make a received file crash the district
        return None, f"检查时出错（{type(exc).__name__}）"


def load_received(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, with_checks: bool = True) -> ReceivedReport:
    """Read and re-check one received report file.  Raises :class:`RefusedFile`; never anything else
    for any content of the file (an unexpected error is refused too, with its type named)."""
    path = Path(path)
    name = path.name or str(path)
    data, header = read_received_bytes(path, max_bytes=max_bytes)
    # Handed over in a box so that no reference stays here: the bytes are let go as soon as SQLite
    # has its copy, and the memory they held serves SQLite's page cache for this file.
    box = [data]
    del data
    return _checked_image(path, name, box, header, with_checks=with_checks)


def load_image(data: bytes, name: str, *, with_checks: bool = True) -> ReceivedReport:
    """:func:`load_received` for a report file's bytes already in memory (a merged district
    database's report, written into a private report file): every check but the file's own."""
    try:
        header = parse_header(data[:100], name)
    except ReportFileError as exc:
        raise RefusedFile(str(exc)) from None
    return _checked_image(Path(name), name, [data], header, with_checks=with_checks)


def _checked_image(path: Path, name: str, box: list[bytes], header: Header, *, with_checks: bool) -> ReceivedReport:
    size, sha256 = len(box[0]), hashlib.sha256(box[0]).hexdigest()
    try:
        return _load_bytes(path, name, box, header, size=size, sha256=sha256, with_checks=with_checks)
    except RefusedFile:
        raise
    except sqlite3.DatabaseError as exc:
        raise _refuse(name, f"已损坏，无法读取（{sqlite_reason(exc)}），已拒收") from None
    except (ValueError, TypeError, KeyError, ArithmeticError, IndexError, OverflowError, RecursionError,
            MemoryError) as exc:
        raise _refuse(name, f"的内容无法读取（{type(exc).__name__}），已拒收") from None


def _load_bytes(path: Path, name: str, box: list[bytes], header: Header, *, size: int, sha256: str,
                with_checks: bool) -> ReceivedReport:
    version = header.user_version
    if not 1 <= version <= SCHEMA_VERSION:  # parse_header refuses these too; belt and braces
        raise _refuse(name, f"的格式版本（第 {version} 版）不受支持")
    with _private_copy(box, name) as conn:
        check = conn.execute("PRAGMA integrity_check(20)").fetchall()
        if check != [("ok",)]:
            messages = [_decode(m[0], name, "检查结果") for m in check]
            if messages != ["ok"]:
                detail = "；".join(str(m) for m in messages[:2])
                raise _refuse(name, f"已损坏（完整性检查未通过：{detail[:200]}），已拒收")
        _check_schema(conn, version, name)
        report = read_report(conn, version, name)
        # The rest of the limits every reader keeps, on the whole report, in the office reader's
        # own words (names and cells of at most limits.SHORT_TEXT_CHARS, without direction
        # controls; indicator values; all text together): what ``show`` refuses, loading refuses.
        if problem := report_problem(report, characters_checked=True):
            raise _refuse(name, f"中{problem}；这不是本程序会写出的内容，文件可能被其他程序改动过，已拒收")
        final = report.status in (Status.FINAL, Status.EXPORTED)
        trail = _finalisation(conn, name) if final else None
    content_json = canonical_json(to_content(report))
    fp = hashlib.sha256(content_json.encode("utf-8")).hexdigest()  # = content.fingerprint(report)
    fp_ok: bool | None = None
    if final:
        if not report.final_fingerprint:
            raise _refuse(name, f"标为“{report.status}”却没有定稿时的内容指纹，状态不可信，已拒收")
        if report.final_fingerprint != fp:
            raise _refuse(name, "内容在定稿后被改动（内容指纹与定稿时记录的不一致），已拒收")
        assert trail is not None
        _check_trail(trail, report, fp, name)
        fp_ok = True
    result, check_error = run_checks(report) if with_checks else (None, "未检查")
    if final and with_checks:
        _check_finalisable(report, result, check_error, name)
    return ReceivedReport(
        path=path, file_name=name, size=size, sha256=sha256,
        schema_version=version, report=report, fingerprint=fp, fingerprint_ok=fp_ok,
        result=result, check_error=check_error, content_json=content_json,
    )


# ------------------------------------------------------------------------ what 定稿 implies
# A final report is re-derived, not believed: its status and fingerprint are two fields anyone
# can write with an SQLite tool.  What the office program does at 定稿 leaves three traces that
# are checked here: the content has no 错误 and every 警告 is explained (the rules, run again);
# the audit ends its status history with a 定稿 entry of this very revision and fingerprint; and
# nothing but opening, closing and exporting was recorded after it.
_AFTER_FINALISE = ("open", "close", "export")


@dataclass(frozen=True)
class _Trail:
    reason: str | None  # of the last 定稿 entry (None: there is none)
    unlocks_before: int  # 解除定稿 entries before it
    after: str  # the first other action recorded after it ("" when none)


def _finalisation(conn: sqlite3.Connection, name: str) -> _Trail:
    """The audit's 定稿 history, read with bounded queries (the audit may be long)."""
    last = _fetch(conn, "SELECT id, reason FROM audit WHERE action = 'finalise' ORDER BY id DESC LIMIT 1")
    if not last:
        return _Trail(None, 0, "")
    last_id = last[0][0]
    if type(last_id) is not int:
        raise _refuse(name, "的修改记录已损坏（编号无效），已拒收")
    reason = _text_value(last[0][1], name, ("audit", "reason"))
    unlocks = conn.execute("SELECT count(*) FROM audit WHERE action = 'unlock' AND id < ?", (last_id,)).fetchone()[0]
    marks = ",".join("?" * len(_AFTER_FINALISE))
    after = _fetch_args(conn, f"SELECT action FROM audit WHERE id > ? AND action NOT IN ({marks}) ORDER BY id LIMIT 1",
                        (last_id, *_AFTER_FINALISE))
    other = _text_value(after[0][0], name, ("audit", "action"))[:40] if after else ""
    return _Trail(reason, int(unlocks), other)


def _check_trail(trail: _Trail, report: Report, fp: str, name: str) -> None:
    from nanzhou_desktop.store.reportfile import FINALISE_AUDIT

    status = report.status
    if trail.reason is None:
        raise _refuse(name, f"标为“{status}”，但修改记录中没有定稿记录（不是在本程序中定稿的），状态不可信，已拒收；"
                            "请报送单位在本程序中定稿后用“导出上报”生成报送文件")
    if trail.after:
        raise _refuse(name, f"标为“{status}”，但定稿之后仍有修改记录（“{trail.after}”），状态不可信，已拒收")
    m = FINALISE_AUDIT.search(trail.reason)
    if m is not None:
        if int(m.group(1)) != report.revision:
            raise _refuse(name, f"的定稿记录是修订号 {m.group(1)}，文件却是修订号 {report.revision}，状态不可信，已拒收")
        if m.group(2) != fp:
            raise _refuse(name, "的定稿记录中的内容指纹与文件内容不一致，状态不可信，已拒收")
    elif trail.unlocks_before > report.revision - 1:
        # A 定稿 entry of an earlier program version (no revision recorded): every 解除定稿
        # raised the revision by one, so there cannot be more of them than revisions.
        raise _refuse(name, f"的修改记录中有 {trail.unlocks_before} 次解除定稿，与修订号 {report.revision} 不符，"
                            "状态不可信，已拒收")


def _check_finalisable(report: Report, result: Any, check_error: str, name: str) -> None:
    """Refuse a final report the office program would not have let through 定稿."""
    status = report.status
    if result is None:
        raise _refuse(name, f"标为“{status}”，但无法重新检查（{check_error}），不能确认其可以定稿，已拒收")
    blocking = result.blocking
    if not blocking:
        return
    from nanzhou_desktop.rules.findings import Severity

    errors = sum(1 for f in blocking if f.severity == Severity.ERROR)
    open_warnings = len(blocking) - errors
    counts = "、".join(x for x in (f"{errors} 个错误" if errors else "",
                                   f"{open_warnings} 个未说明的警告" if open_warnings else "") if x)
    first = blocking[0].message
    raise _refuse(name, f"标为“{status}”，但重新检查发现 {counts}（如：{first[:80]}），本程序不会让这样的报告定稿，"
                        "状态不可信，已拒收；请报送单位解除定稿、改正或说明后重新定稿并导出上报")


def _fetch_args(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> list[Any]:
    """:func:`_fetch` with parameters."""
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
    conn.text_factory = bytes
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.text_factory = str


_SCHEMA_SQL = "SELECT type, name, coalesce(sql, '') FROM sqlite_schema LIMIT 1000"


# sqlite_schema's rows exactly as read from files that passed, by version: files written by the
# same program version hold the same text, so a later one is recognised by one lookup instead of
# being checked and normalised again (a few distinct texts at most; kept bounded all the same).
_SCHEMAS_PASSED: set[tuple[int, tuple[Any, ...]]] = set()
_SCHEMAS_KEPT = 32


def _check_schema(conn: sqlite3.Connection, version: int, name: str) -> None:
    """The schema must be exactly the one of ``version``: no table, column, index, trigger or
    view more or less, no definition changed (SQL compared with whitespace normalised)."""
    rows = _fetch(conn, _SCHEMA_SQL)
    seen = (version, tuple(rows))
    if seen in _SCHEMAS_PASSED:
        return
    expected = expected_schema(version)
    # The common case in one pass: every value is text, none too long or holding a control
    # character (the expected schema has none), and the normalised rows are the expected ones.
    try:
        text = "\n".join(chain.from_iterable(rows))
    except TypeError:
        pass
    else:
        if (len(text) <= MAX_TEXT_CHARS and not _CONTROL.search(text)
                and frozenset((t, n, _normalised(s)) for t, n, s in rows) == expected):
            if len(_SCHEMAS_PASSED) >= _SCHEMAS_KEPT:
                _SCHEMAS_PASSED.clear()
            _SCHEMAS_PASSED.add(seen)
            return
    schema = frozenset((_decode(t, name, "结构"), _decode(n, name, "结构"), s) for t, n, s in _schema_rows(rows, name))
    if schema != expected:
        raise _refuse(name, f"的结构与报告文件格式（第 {version} 版）不符（{_schema_difference(schema, expected)}），"
                            "可能已被其他程序改动，已拒收")


@lru_cache(maxsize=256)
def _normalised(sql: str) -> str:
    """SQL with its whitespace normalised, remembered: every report file holds the same few
    statements, and normalising them again for each file costs more than the lookup."""
    return " ".join(sql.split())


def _schema_rows(rows: list[Any], name: str) -> list[tuple[Any, Any, str]]:
    return [(t, n, " ".join(str(_decode(s, name, "结构")).split())) for t, n, s in rows]


def _schema_difference(found: frozenset[tuple[str, str, str]], expected: frozenset[tuple[str, str, str]]) -> str:
    kinds = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
    expected_names = {(t, n) for t, n, _ in expected}
    found_names = {(t, n) for t, n, _ in found}
    order = {"table": 0, "view": 1, "trigger": 2, "index": 3}

    def first(names: set[tuple[str, str]]) -> list[tuple[str, str]]:
        # A missing table also drops its automatic index: name the table, not the index.
        return sorted(names, key=lambda tn: (order.get(tn[0], 9), tn[1]))

    extra = first(found_names - expected_names)
    if extra:
        t, n = extra[0]
        return f"多出了{kinds.get(t, t)}“{n[:40]}”"
    missing = first(expected_names - found_names)
    if missing:
        t, n = missing[0]
        return f"缺少{kinds.get(t, t)}“{n}”"
    changed = first({(t, n) for t, n, _ in found - expected})
    t, n = changed[0]
    return f"{kinds.get(t, t)}“{n}”的定义与标准格式不同（列或约束被改动）"


def check_schema_matches(conn: sqlite3.Connection, version: int) -> bool:
    """True when ``conn``'s schema is exactly the report-file schema of ``version`` (for tests/tools)."""
    return read_schema(conn) == expected_schema(version)
