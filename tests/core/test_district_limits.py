"""Issue 16 F1/F3, district side: the district's reader keeps the limits of
:mod:`nanzhou_desktop.limits`, the same the office reader keeps (``show``, ``check``, ``print``,
the window's 打开).  A file one of them refuses, the other refuses too; a file with odd but
allowed values both read.  Before, the district had limits of its own (5,000 rows per table,
names of any length, indicator values unchecked), so a file ``show`` refused could be loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nanzhou_desktop import limits
from nanzhou_desktop.district.db import Outcome, open_district_db
from nanzhou_desktop.district.safe_open import RefusedFile, load_received
from nanzhou_desktop.example import example_report
from nanzhou_desktop.store.errors import ReportFileError
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from tests.fuzzing import HOSTILE_VALUES, ODD_BUT_ALLOWED, craft

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def sent(tmp_path: Path) -> Path:
    """A draft report file as an office sends it (the example, with its own uuid)."""
    return create_report_file(tmp_path / "原件.sqlite", example_report(fresh_uuid=True))


@pytest.mark.parametrize(("what", "sql"), HOSTILE_VALUES, ids=[w for w, _ in HOSTILE_VALUES])
def test_the_district_refuses_what_the_office_reader_refuses(tmp_path: Path, sent: Path, what: str, sql: str) -> None:
    bad = craft(sent, tmp_path / "来件.sqlite", sql)
    with pytest.raises(ReportFileError):
        open_report_file(bad, read_only=True)
    with pytest.raises(RefusedFile) as err:
        load_received(bad)
    message = str(err.value)
    assert "来件.sqlite" in message and CJK.search(message), (what, message)
    assert "Error" not in message and "意外" not in message, (what, message)


@pytest.mark.parametrize(("what", "sql"), ODD_BUT_ALLOWED, ids=[w for w, _ in ODD_BUT_ALLOWED])
def test_odd_but_allowed_files_are_loaded_as_the_office_reads_them(tmp_path: Path, sent: Path, what: str,
                                                                  sql: str) -> None:
    odd = craft(sent, tmp_path / "来件.sqlite", sql)
    with open_report_file(odd, read_only=True) as rf:
        office = rf.report
    received = load_received(odd)
    assert received.report.uuid == office.uuid and received.result is not None, what
    assert len(received.report.indicators) == len(office.indicators)


@pytest.mark.parametrize("table", ["budget_rows", "projects", "indicators", "sections"])
def test_rows_per_table_follow_the_shared_limit(tmp_path: Path, sent: Path, monkeypatch, table: str) -> None:
    """The rows limit is ``limits.ROWS_MAX`` of each table, for both readers: one row past it is
    refused by both, exactly at it both read the file."""
    with open_report_file(sent, read_only=True) as rf:
        n = len(rf.report.rows(table))
    monkeypatch.setitem(limits.ROWS_MAX, table, n)
    assert load_received(sent).report.uuid
    monkeypatch.setitem(limits.ROWS_MAX, table, n - 1)
    with pytest.raises(ReportFileError):
        open_report_file(sent, read_only=True)
    with pytest.raises(RefusedFile, match=f"{limits.TABLE_LABELS[table]}超过 {n - 1:,} 行"):
        load_received(sent)


def test_a_long_name_and_unicode_digits_are_refused_with_their_place(tmp_path: Path, sent: Path) -> None:
    long_name = craft(sent, tmp_path / "长名.sqlite", "UPDATE report SET unit_short_name = "
                      f"'{'南' * (limits.SHORT_TEXT_CHARS + 1)}'")
    with pytest.raises(RefusedFile, match="过长"):
        load_received(long_name)
    # Arabic-Indic digits are digits to Python's Decimal, not to the office reader.
    digits = craft(sent, tmp_path / "数字.sqlite", "UPDATE budget_rows SET executed = '١٢٣' WHERE kind = 'total'")
    with pytest.raises(ReportFileError):
        open_report_file(digits, read_only=True)
    with pytest.raises(RefusedFile, match="应为数字"):
        load_received(digits)


def test_a_refused_file_leaves_the_district_database_as_it_was(tmp_path: Path, sent: Path) -> None:
    bad = craft(sent, tmp_path / "来件.sqlite", dict(HOSTILE_VALUES)["indicator actual huge"])
    db = open_district_db(tmp_path / "区级汇总.sqlite")
    try:
        res = db.load_files([bad, sent])
        assert [r.outcome for r in res] == [Outcome.REFUSED, Outcome.LOADED]
        assert "实际完成值" in res[0].message or "实际" in res[0].message, res[0].message
        assert db.count() == 1
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
