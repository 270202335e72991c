"""Received files are untrusted: each crafted or broken file is refused with one Chinese sentence
naming the file, and the district database stays byte for byte unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.district.db import Outcome, open_district_db
from nanzhou_desktop.district.safe_open import RefusedFile, load_received
from nanzhou_desktop.district.testdata import finalised, write_report_file
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.reportfile import create_report_file
from nanzhou_desktop.store.schema import apply_migrations

CJK = re.compile(r"[\u4e00-\u9fff]")


def _final_file(path: Path) -> Path:
    """The example finalised as an office does it (signed, warnings answered, a 定稿 record)."""
    return write_report_file(path, finalised(example_report(fresh_uuid=True)))


def _sql(path: Path, *statements: str, writable_schema: bool = False) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if writable_schema:
            conn.execute("PRAGMA writable_schema = ON")
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def district(tmp_path: Path):
    """A district database that already holds one report."""
    db = open_district_db(tmp_path / "district.sqlite")
    assert db.load_file(_final_file(tmp_path / "good.sqlite")).outcome == Outcome.LOADED
    yield db
    db.close()


# -- the crafted files: each function makes one in ``d`` and returns its path --------------
def not_sqlite(d: Path) -> Path:
    p = d / "notes.sqlite"
    p.write_text("这不是数据库，只是一段文字。" * 20, encoding="utf-8")
    return p


def empty(d: Path) -> Path:
    p = d / "empty.sqlite"
    p.write_bytes(b"")
    return p


def truncated(d: Path) -> Path:
    p = _final_file(d / "full.sqlite")
    data = p.read_bytes()
    out = d / "truncated.sqlite"
    out.write_bytes(data[: len(data) // 2])
    return out


def truncated_odd(d: Path) -> Path:
    p = _final_file(d / "full.sqlite")
    data = p.read_bytes()
    out = d / "truncated_odd.sqlite"
    out.write_bytes(data[: len(data) - 1000])
    return out


def corrupted_page(d: Path) -> Path:
    p = _final_file(d / "corrupt.sqlite")
    conn = sqlite3.connect(p)
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'sections'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(p.read_bytes())
    start = (root - 1) * page_size
    data[start + 8:start + page_size] = bytes([0xA5]) * (page_size - 8)  # the cell pointers and cells
    p.write_bytes(bytes(data))
    return p


def other_application(d: Path) -> Path:
    p = d / "accounts.sqlite"
    _sql(p, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO accounts VALUES (1, '张三')")
    return p


def other_application_with_same_tables(d: Path) -> Path:
    p = _final_file(d / "impostor.sqlite")
    _sql(p, "PRAGMA application_id = 1234")
    return p


def newer_version(d: Path) -> Path:
    p = _final_file(d / "newer.sqlite")
    _sql(p, "PRAGMA user_version = 99")
    return p


def wal_without_wal_file(d: Path) -> Path:
    p = _final_file(d / "wal.sqlite")
    src = sqlite3.connect(p, isolation_level=None)
    src.execute("PRAGMA journal_mode = WAL")
    src.execute("PRAGMA wal_autocheckpoint = 0")
    src.execute("UPDATE sections SET body = body || '（补充）' WHERE key = '3'")
    out = d / "wal_sent_alone.sqlite"
    shutil.copyfile(p, out)  # the main file only, as an email attachment would carry it
    src.close()
    return out


def extra_table(d: Path) -> Path:
    p = _final_file(d / "extra_table.sqlite")
    _sql(p, "CREATE TABLE payload (x BLOB)", "INSERT INTO payload VALUES (randomblob(100))")
    return p


def extra_index(d: Path) -> Path:
    p = _final_file(d / "extra_index.sqlite")
    _sql(p, "CREATE INDEX sneaky ON sections (heading)")
    return p


def missing_column(d: Path) -> Path:
    p = _final_file(d / "missing_column.sqlite")
    _sql(p, "ALTER TABLE indicators DROP COLUMN note")
    return p


def missing_table(d: Path) -> Path:
    p = _final_file(d / "missing_table.sqlite")
    _sql(p, "DROP TABLE explanations")
    return p


def trigger(d: Path) -> Path:
    p = _final_file(d / "trigger.sqlite")
    _sql(p, "CREATE TRIGGER t AFTER INSERT ON audit BEGIN DELETE FROM sections; END")
    return p


def view(d: Path) -> Path:
    p = _final_file(d / "view.sqlite")
    _sql(p, "CREATE VIEW v AS SELECT * FROM report")
    return p


def view_calling_function(d: Path) -> Path:
    p = _final_file(d / "view_function.sqlite")
    _sql(p, "CREATE VIEW evil AS SELECT load_extension('/tmp/evil.so') AS x, randomblob(1000000000) AS y")
    return p


def default_calling_function(d: Path) -> Path:
    p = _final_file(d / "default_function.sqlite")
    _sql(p, "UPDATE sqlite_schema SET sql = replace(sql, 'title TEXT NOT NULL DEFAULT ''''',"
            " 'title TEXT NOT NULL DEFAULT (load_extension(''/tmp/evil.so''))') WHERE name = 'tasks'",
         writable_schema=True)
    return p


def text_in_money_column(d: Path) -> Path:
    p = _final_file(d / "text_money.sqlite")
    _sql(p, "UPDATE budget_rows SET executed = '一万九千' WHERE kind = 'total'")
    return p


def text_in_integer_column(d: Path) -> Path:
    # STRICT would refuse the text, so the crafter edits the schema text to smuggle it in.
    p = _final_file(d / "text_integer.sqlite")
    _sql(p, "UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name = 'report'",
         writable_schema=True)
    _sql(p, "UPDATE report SET fiscal_year = '二〇二二年'")
    _sql(p, "UPDATE sqlite_schema SET sql = sql || ' STRICT' WHERE name = 'report'", writable_schema=True)
    return p


def huge_number(d: Path) -> Path:
    p = _final_file(d / "huge_number.sqlite")
    _sql(p, "UPDATE budget_rows SET budget_total = '1e999' WHERE kind = 'total'")
    return p


def narrative_50mb(d: Path) -> Path:
    p = _final_file(d / "narrative_50mb.sqlite")
    _sql(p, "UPDATE sections SET body = replace(hex(zeroblob(26214400)), '00', '字') WHERE key = '1.1'")
    return p


def invalid_utf8(d: Path) -> Path:
    p = _final_file(d / "bad_utf8.sqlite")
    _sql(p, "UPDATE sections SET body = CAST(X'E58D97E6B4B2FFFE80' AS TEXT) WHERE key = '1.1'")
    return p


def control_character(d: Path) -> Path:
    p = _final_file(d / "control_char.sqlite")
    _sql(p, "UPDATE sections SET body = body || char(0) || char(27) WHERE key = '3'")
    return p


def forged_status(d: Path) -> Path:
    p = create_report_file(d / "forged_status.sqlite", example_report(fresh_uuid=True))
    _sql(p, "UPDATE report SET status = '已定稿', final_fingerprint = '" + "0" * 64 + "'")
    return p


def forged_status_without_fingerprint(d: Path) -> Path:
    p = create_report_file(d / "forged_no_fp.sqlite", example_report(fresh_uuid=True))
    _sql(p, "UPDATE report SET status = '已导出'")
    return p


def changed_after_finalising(d: Path) -> Path:
    p = _final_file(d / "changed_after.sqlite")
    _sql(p, "UPDATE budget_rows SET executed = '19900.00' WHERE kind = 'total'")
    return p


def invalid_status_value(d: Path) -> Path:
    p = _final_file(d / "bad_status.sqlite")
    _sql(p, "PRAGMA ignore_check_constraints = ON", "UPDATE report SET status = '已批准'")
    return p


def invalid_uuid(d: Path) -> Path:
    p = create_report_file(d / "bad_uuid.sqlite", example_report(fresh_uuid=True))
    _sql(p, "UPDATE report SET uuid = '../../etc/passwd'")
    return p


def windows_bad_name_broken(d: Path) -> Path:
    p = d / 'a:b*c?"<>|南洲.sqlite'
    p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    return p


def hot_journal_beside(d: Path) -> Path:
    p = _final_file(d / "hot.sqlite")
    Path(str(p) + "-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    return p


def directory(d: Path) -> Path:
    p = d / "folder.sqlite"
    p.mkdir()
    return p


def missing_file(d: Path) -> Path:
    return d / "never_written.sqlite"


def bad_page_size(d: Path) -> Path:
    p = _final_file(d / "page_size.sqlite")
    data = bytearray(p.read_bytes())
    data[16:18] = (3000).to_bytes(2, "big")
    p.write_bytes(bytes(data))
    return p


def wrong_version_label(d: Path) -> Path:
    # A version-2 file that claims to be version 1: its tables do not match version 1.
    p = _final_file(d / "claims_v1.sqlite")
    _sql(p, "PRAGMA user_version = 1")
    return p


CRAFTED: list[tuple[Callable[[Path], Path], str]] = [
    (not_sqlite, "不是"),
    (empty, "空文件"),
    (truncated, "截断"),
    (truncated_odd, "截断"),
    (corrupted_page, "损坏"),
    (other_application, "其他软件"),
    (other_application_with_same_tables, "其他软件"),
    (newer_version, "更新版本"),
    (wal_without_wal_file, "WAL"),
    (extra_table, "多出了表“payload”"),
    (extra_index, "多出了索引“sneaky”"),
    (missing_column, "indicators"),
    (missing_table, "缺少表“explanations”"),
    (trigger, "多出了触发器"),
    (view, "多出了视图"),
    (view_calling_function, "多出了视图“evil”"),
    (default_calling_function, "tasks"),
    (text_in_money_column, "应为数字"),
    (text_in_integer_column, "拒收"),
    (huge_number, "应为数字"),
    (narrative_50mb, "过大"),
    (invalid_utf8, "UTF-8"),
    (control_character, "控制字符"),
    (forged_status, "内容在定稿后被改动"),
    (forged_status_without_fingerprint, "内容指纹"),
    (changed_after_finalising, "内容在定稿后被改动"),
    (invalid_status_value, "拒收"),
    (invalid_uuid, "报告编号"),
    (windows_bad_name_broken, "不完整"),
    (hot_journal_beside, "-journal"),
    (directory, "文件夹"),
    (missing_file, "不存在"),
    (bad_page_size, "页大小"),
    (wrong_version_label, "第 1 版"),
]


@pytest.mark.parametrize(("make", "reason"), CRAFTED, ids=[m.__name__ for m, _ in CRAFTED])
def test_crafted_file_is_refused_and_district_db_unchanged(tmp_path: Path, district, make, reason: str) -> None:
    crafted_dir = tmp_path / "received"
    crafted_dir.mkdir()
    path = make(crafted_dir)
    before = _sha(district.path)
    units_before = district.units()
    received_before = {p: _sha(p) for p in crafted_dir.rglob("*") if p.is_file()}

    result = district.load_file(path)

    assert result.outcome == Outcome.REFUSED
    assert reason in result.message
    assert f"“{path.name}”" in result.message  # names the file
    assert CJK.search(result.message) and "Traceback" not in result.message
    assert "\n" not in result.message
    assert _sha(district.path) == before  # byte for byte
    assert district.units() == units_before
    # The received file and anything beside it are left exactly as they came.
    assert {p: _sha(p) for p in crafted_dir.rglob("*") if p.is_file()} == received_before
    assert not Path(str(district.path) + "-journal").exists()


def test_the_list_covers_at_least_twenty_cases() -> None:
    assert len(CRAFTED) >= 20


def test_corrupted_page_really_is_corrupt(tmp_path: Path) -> None:
    # Guard the test above: SQLite itself must see the damage we made.
    p = corrupted_page(tmp_path)
    conn = sqlite3.connect(p)
    try:
        try:
            outcome = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError:
            outcome = [("malformed",)]
    finally:
        conn.close()
    assert outcome != [("ok",)]


def test_function_in_view_is_never_called(tmp_path: Path) -> None:
    p = view_calling_function(tmp_path)
    with pytest.raises(RefusedFile):
        load_received(p)


def test_duplicate_uuid_from_another_unit_is_refused(tmp_path: Path, district) -> None:
    first = district.units()[0]
    r = example_report()
    r.uuid = first.uuid
    r.unit.full_name = "广州市海珠区人民政府赤岗街道办事处"
    r.unit.short_name = "赤岗街道"
    path = create_report_file(tmp_path / "赤岗.sqlite", r)
    before = _sha(district.path)
    res = district.load_file(path)
    assert res.outcome == Outcome.REFUSED
    assert "报告编号重复" in res.message and "赤岗" in res.message
    assert _sha(district.path) == before


def test_zero_byte_journal_beside_a_good_file_is_harmless(tmp_path: Path) -> None:
    """A leftover empty ``-journal`` is not a hot journal: the file loads, the journal is untouched."""
    district = open_district_db(tmp_path / "d.sqlite")
    p = _final_file(tmp_path / "with_empty_journal.sqlite")
    journal = Path(str(p) + "-journal")
    journal.write_bytes(b"")
    res = district.load_file(p)
    assert res.outcome == Outcome.LOADED, res.message
    assert journal.exists() and journal.stat().st_size == 0


def test_windows_unsafe_name_with_good_content_loads(tmp_path: Path) -> None:
    """The name is only ever displayed, never used to build a path."""
    district = open_district_db(tmp_path / "d.sqlite")
    p = _final_file(tmp_path / 'a:b*c?"<>|.sqlite')
    res = district.load_file(p)
    assert res.outcome == Outcome.LOADED
    assert 'a:b*c?"<>|.sqlite' in res.message


def test_text_limit_applies_under_the_size_limit(tmp_path: Path) -> None:
    p = _final_file(tmp_path / "long.sqlite")
    _sql(p, "UPDATE sections SET body = replace(hex(zeroblob(1100000)), '00', '字') WHERE key = '1.1'")
    with pytest.raises(RefusedFile, match="过长"):
        load_received(p, max_bytes=64 * 1024 * 1024)


def test_size_limit_is_a_setting(tmp_path: Path) -> None:
    p = _final_file(tmp_path / "ok.sqlite")
    with pytest.raises(RefusedFile, match="过大"):
        load_received(p, max_bytes=10_000)
    assert load_received(p).report.unit.short_name == "南洲街道"


def test_good_file_is_read_completely_and_fingerprint_recomputed(tmp_path: Path) -> None:
    src = finalised(example_report(fresh_uuid=True))
    p = write_report_file(tmp_path / "good.sqlite", src)
    rec = load_received(p)
    assert rec.fingerprint == fingerprint(src) and rec.fingerprint_ok is True
    assert rec.report.uuid == src.uuid and rec.report.status == Status.FINAL
    assert len(rec.report.sections) == len(src.sections)
    assert rec.report.budget_total_row.executed == src.budget_total_row.executed
    assert rec.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_version_1_file_is_read_without_migrating(tmp_path: Path) -> None:
    """Older supported versions are read in memory; the file itself is never written."""
    from nanzhou_desktop.store.reportfile import _write_report

    src = example_report(fresh_uuid=True)
    p = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(p, isolation_level=None)
    from sqlite_utils import Database

    apply_migrations(Database(conn), up_to=1)
    # A version-1 file has no prior-year columns: write only what version 1 had.
    conn.execute("BEGIN")
    try:
        _write_report(conn, src)
    except sqlite3.OperationalError:
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO report (id, uuid, fiscal_year, unit_full_name, unit_short_name, status)"
                     " VALUES (1, ?, 2022, ?, ?, '草稿')", (src.uuid, src.unit.full_name, src.unit.short_name))
        conn.execute("INSERT INTO budget_rows (position, kind, label, budget_total, executed)"
                     " VALUES (0, 'total', '年度资金总额', '19910.75', '19738.24')")
    conn.execute("COMMIT")
    conn.close()
    before = _sha(p)
    rec = load_received(p)
    assert rec.schema_version == 1
    assert rec.report.budget_total_row.executed is not None
    assert rec.report.budget_total_row.prior_executed is None
    assert _sha(p) == before


def test_private_copy_cannot_attach_or_write(tmp_path: Path) -> None:
    from nanzhou_desktop.district.safe_open import _connect_private

    p = _final_file(tmp_path / "good.sqlite")
    conn = _connect_private(p.read_bytes(), p.name)
    try:
        with pytest.raises(sqlite3.Error):
            conn.execute(f"ATTACH DATABASE '{tmp_path / 'other.sqlite'}' AS other")
        with pytest.raises(sqlite3.Error):
            conn.execute("DELETE FROM sections")
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert conn.execute("PRAGMA cell_size_check").fetchone()[0] == 1
        mmap = conn.execute("PRAGMA mmap_size").fetchone()  # an in-memory database reports no row
        assert mmap is None or mmap[0] == 0
    finally:
        conn.close()
    assert not (tmp_path / "other.sqlite").exists()
