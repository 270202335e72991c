"""The reading of received files, as it runs many files in a row: each thread keeps one private
in-memory connection and deserializes every file into it.  Nothing of one file may change how
the next is read: the results must equal those of a fresh connection per file, the limits must
hold throughout, and an idle reader keeps no received bytes."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nanzhou_desktop.district import safe_open
from nanzhou_desktop.district.safe_open import RefusedFile, load_received
from nanzhou_desktop.example import example_report
from nanzhou_desktop.store.reportfile import create_report_file
from nanzhou_desktop.store.schema import SCHEMA_VERSION
from tests.core import test_district_safe_open as crafted


def _outcome(path: Path) -> tuple:
    """What loading ``path`` gives, in a form that can be compared."""
    try:
        rec = load_received(path)
    except RefusedFile as exc:
        return ("refused", str(exc))
    score = None if rec.result is None else (rec.result.score.total, len(rec.result.findings))
    return ("loaded", rec.fingerprint, rec.fingerprint_ok, rec.content_json, rec.sha256, repr(rec.report), score)


def _fresh_outcome(path: Path) -> tuple:
    """The same, read with a new connection (the idle reader of this thread is dropped first)."""
    _drop_reader()
    try:
        return _outcome(path)
    finally:
        _drop_reader()


def _drop_reader() -> None:
    conn, safe_open._READER.conn = safe_open._READER.conn, None
    if conn is not None:
        conn.close()


def _utf16_copy(src: Path, dst: Path) -> Path:
    """The same report in a UTF-16 database (SQLite allows it; a received file may be one)."""
    out = sqlite3.connect(dst, isolation_level=None)
    out.execute("PRAGMA encoding = 'UTF-16le'")
    inp = sqlite3.connect(src)
    for (sql,) in inp.execute("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid"):
        out.execute(sql)
    for (table,) in inp.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall():
        rows = inp.execute(f'SELECT * FROM "{table}"').fetchall()
        if rows:
            out.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})', rows)
    app_id, version = inp.execute("PRAGMA application_id").fetchone()[0], inp.execute("PRAGMA user_version").fetchone()[0]
    inp.close()
    out.execute(f"PRAGMA application_id = {app_id}")
    out.execute(f"PRAGMA user_version = {version}")
    out.close()
    assert dst.read_bytes()[56:60] == (2).to_bytes(4, "big")
    return dst


@pytest.fixture
def mixed(tmp_path: Path) -> list[Path]:
    """Good files with crafted and broken ones between them, and one in UTF-16."""
    paths = []
    for make, _ in crafted.CRAFTED:
        d = tmp_path / make.__name__
        d.mkdir()
        paths.append(make(d))
        paths.append(crafted._final_file(d / "good.sqlite"))
    paths.append(_utf16_copy(paths[1], tmp_path / "utf16.sqlite"))
    paths.append(paths[1])
    return paths


def test_each_file_reads_as_with_a_fresh_connection(mixed: list[Path]) -> None:
    _drop_reader()
    in_a_row = [_outcome(p) for p in mixed]
    assert in_a_row == [_fresh_outcome(p) for p in mixed]
    assert sum(o[0] == "loaded" for o in in_a_row) >= len(crafted.CRAFTED) + 2
    assert sum(o[0] == "refused" for o in in_a_row) == len(crafted.CRAFTED)


def test_utf16_file_between_utf8_files_loads_the_same_report(tmp_path: Path) -> None:
    good = crafted._final_file(tmp_path / "good.sqlite")
    wide = _utf16_copy(good, tmp_path / "wide.sqlite")
    results = [load_received(p) for p in (good, wide, good, wide, wide, good)]
    assert {r.fingerprint for r in results} == {results[0].fingerprint}
    assert all(r.fingerprint_ok for r in results)


def test_reader_keeps_its_limits_and_no_large_file(tmp_path: Path) -> None:
    good = crafted._final_file(tmp_path / "good.sqlite")
    large = create_report_file(tmp_path / "large.sqlite", example_report(fresh_uuid=True))  # a draft
    crafted._sql(large, "UPDATE sections SET body = replace(hex(zeroblob(400000)), '00', '字') WHERE key = '1.1'")
    assert large.stat().st_size > safe_open._KEEP_IDLE_BYTES > good.stat().st_size
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    load_received(good)
    with pytest.raises(RefusedFile):
        load_received(crafted.view_calling_function(bad_dir))
    load_received(good)
    conn = safe_open._READER.conn
    assert conn is not None  # kept after a good file
    assert len(conn.serialize()) <= safe_open._KEEP_IDLE_BYTES
    assert any(s.key == "1.1" and s.body.startswith("字" * 1000) for s in load_received(large).report.sections)
    assert safe_open._READER.conn is conn
    assert len(conn.serialize()) == 512  # the empty image: a large file's copy is not kept
    assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert conn.execute("PRAGMA cell_size_check").fetchone()[0] == 1
    assert conn.execute("PRAGMA query_only").fetchone()[0] == 1
    with pytest.raises(sqlite3.Error):
        conn.execute(f"ATTACH DATABASE '{tmp_path / 'other.sqlite'}' AS other")
    assert not (tmp_path / "other.sqlite").exists()


def test_a_refused_file_does_not_leave_its_connection_for_the_next(tmp_path: Path) -> None:
    good = crafted._final_file(tmp_path / "good.sqlite")
    load_received(good)
    kept = safe_open._READER.conn
    with pytest.raises(RefusedFile):
        load_received(crafted.corrupted_page(tmp_path))
    assert safe_open._READER.conn is None
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not reused
        kept.execute("SELECT 1")


def test_threads_read_with_their_own_connections(tmp_path: Path) -> None:
    from nanzhou_desktop.district.testdata import write_many

    paths = write_many(tmp_path / "in", 12) * 3
    expected = [_outcome(p) for p in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(_outcome, paths)) == expected


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_whole_table_checks_agree_with_column_checks(tmp_path: Path, version: int) -> None:
    """The fast path (whole table at once) and the naming path (column by column) give the
    same values for a sound file; the naming path is what decides when anything is wrong."""
    p = crafted._final_file(tmp_path / "good.sqlite")
    data = p.read_bytes()
    conn = safe_open._connect_private(data, p.name)
    try:
        for table in safe_open._COLUMNS:
            spec = safe_open._table_spec(table, version)
            # A version-1 read of a version-2 file: only the columns version 1 had are selected.
            rows = conn.execute(spec.sql).fetchall()
            whole = safe_open._checked_whole(rows, spec)
            assert whole is not None, table
            by_column = safe_open._checked_by_column(rows, spec, table, p.name)
            assert [tuple(r) for r in whole] == [tuple(r) for r in by_column], table
            assert all(len(r) == len(safe_open._COLUMNS[table]) for r in whole)
    finally:
        conn.close()


def test_the_first_fault_in_reading_order_is_the_one_reported(tmp_path: Path) -> None:
    """Tables in reading order, then columns in order: the same sentence as column-by-column."""
    p = crafted._final_file(tmp_path / "two_faults.sqlite")
    crafted._sql(p, "UPDATE sections SET body = body || char(7) WHERE key = '3'",
                 "UPDATE indicators SET points = 'zz'")
    with pytest.raises(RefusedFile, match="章节·正文.*控制字符"):
        load_received(p)
    q = crafted._final_file(tmp_path / "same_table.sqlite")
    crafted._sql(q, "UPDATE budget_rows SET executed = 'x'", "UPDATE budget_rows SET reason = 'a' || char(1)")
    with pytest.raises(RefusedFile, match="全年执行数.*应为数字"):
        load_received(q)


def test_empty_money_text_reads_as_not_filled(tmp_path: Path) -> None:
    src = example_report(fresh_uuid=True)  # a draft: its content may change
    p = create_report_file(tmp_path / "empty_money.sqlite", src)
    crafted._sql(p, "UPDATE budget_rows SET budget_total = '' WHERE kind = 'total'")
    row = load_received(p).report.budget_total_row
    assert src.budget_total_row.budget_total is not None
    assert row.budget_total is None and row.executed == src.budget_total_row.executed
