"""The district at city scale: linear loading (indexes for every load-path query, a narrow
summary row per report, batches of savepoints), a kill leaving a whole prefix, crafted
files inside a large batch, the test-data generator, years side by side, the place of a
unit (city, district, 单位类型), and the migration of a version-1 database."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import re
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nanzhou_desktop.district.db import (
    BATCH_FILES,
    DISTRICT_SCHEMA_VERSION,
    Filter,
    Outcome,
    Review,
    backup_path,
    open_district_db,
)
from nanzhou_desktop.district.hierarchy import kind_from_name, place_of, split_place
from nanzhou_desktop.district.testdata import (
    KIND_FINAL,
    finalised,
    main,
    unit_catalogue,
    write_report_file,
    write_units,
)
from nanzhou_desktop.example import example_report


@pytest.fixture(scope="module")
def year_files(tmp_path_factory) -> dict[int, list[Path]]:
    """The same 60 units (two districts of 广州) for 2022 and 2023."""
    root = tmp_path_factory.mktemp("units")
    return {y: write_units(root / str(y), 60, y, seed=11) for y in (2022, 2023)}


# ------------------------------------------------------------------------ indexes
_LOAD_TABLES = ("reports", "reviews", "confirmations", "contents")


def _plans(conn: sqlite3.Connection, statements: list[str]) -> dict[str, list[str]]:
    out = {}
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE)\b", sql, re.IGNORECASE):
            continue
        out[sql] = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    return out


def test_every_query_on_the_load_path_uses_an_index(tmp_path: Path, year_files) -> None:
    """Loading must not slow down as the database grows: each query the load path runs finds
    its rows through an index (the duplicate check by unit and year, the versions by uuid and
    revision), never by scanning a table."""
    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(year_files[2022])  # a database with rows in it: the plans are for real
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        db.load_files(year_files[2023][:5])  # new reports
        db.load_files(year_files[2022][:5])  # already there
        base = example_report(fresh_uuid=True)
        base.unit.full_name = "广州市海珠区测试单位"  # not one of the generated units
        base = finalised(base)
        assert db.load_file(write_report_file(tmp_path / "r1.sqlite", base)).outcome == Outcome.LOADED
        import copy

        r2 = copy.deepcopy(base)
        r2.revision = 2
        res = db.load_file(write_report_file(tmp_path / "r2.sqlite", finalised(r2)))
        assert res.outcome == Outcome.REPLACED
        db.review(base.uuid, Review.APPROVED)
    finally:
        db.conn.set_trace_callback(None)
    plans = _plans(db.conn, seen)
    assert len(plans) >= 6
    for sql, plan in plans.items():
        scans = [line for line in plan if line.startswith("SCAN") and any(t in line for t in _LOAD_TABLES)]
        assert not scans, f"{sql!r} scans: {plan}"


def test_summary_reads_no_content(tmp_path: Path, year_files) -> None:
    """The summary, the window's order and filter, and the counts read the narrow summary row:
    the content (the whole report) is in a table of its own, read only to show a report."""
    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(year_files[2022])
    columns = {row[1] for row in db.conn.execute("PRAGMA table_info(reports)")}
    assert "content" not in columns
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    db.units()
    ids = db.ids(Filter(text="小学", has_errors=False), sort="rate", descending=True)
    db.rows(ids[:50])
    db.count(Filter(grade="优"))
    db.grade_counts()
    db.numbers("score_num")
    db.conn.set_trace_callback(None)
    assert seen and not [s for s in seen if "contents" in s]


def test_units_survive_any_stored_value(tmp_path: Path, year_files) -> None:
    """A database edited by hand (or made by an older version) may hold anything in a figure:
    the summary rows read it as absent, never raise."""
    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(year_files[2022][:3])
    db.conn.execute("UPDATE reports SET execution_rate = 'NaN', score = '1e999999999', budget_total = 'x',"
                    " executed = '99999999999999999999999999999999.99'")
    rows = db.units()
    assert len(rows) == 3 and all(r.execution_rate is None and r.budget_total is None for r in rows)
    from nanzhou_desktop.district.summary import summary_table, write_csv, write_xlsx

    table = summary_table(rows)
    assert table[1][table[0].index("自评得分")] == "数值异常"
    assert write_xlsx(rows, tmp_path / "s.xlsx").stat().st_size > 0
    assert "数值异常" in write_csv(rows, tmp_path / "s.csv").read_text(encoding="utf-8-sig")


# ------------------------------------------------------------------------ batches
def test_batches_commit_as_they_fill_and_a_refused_file_leaves_nothing(tmp_path: Path, year_files) -> None:
    db = open_district_db(tmp_path / "d.sqlite")
    files = year_files[2022][:12]
    bad = tmp_path / "坏文件.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    commits: list[str] = []
    db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    results = db.load_files([*files[:5], bad, *files[5:]], batch_files=4)
    db.conn.set_trace_callback(None)
    assert [r.outcome for r in results].count(Outcome.REFUSED) == 1
    assert len(commits) == 4  # 13 files, a batch of 4 → commits after 4, 8, 12 and at the end
    assert db.count() == 12 and BATCH_FILES >= 100


def _load_worker(db_path: str, files: list[str], batch: int, ready: Any) -> None:
    db = open_district_db(db_path)
    ready.set()  # imports done and the database open: the kill is to land inside the load
    db.load_files([Path(f) for f in files], batch_files=batch)
    db.close()


def _load_in_child(db_path: Path, files: list[Path], batch: int) -> Any:
    """A process loading ``files``, started from a forkserver (a fork of the pytest process,
    by then multi-threaded, may deadlock) and returned once it is about to load."""
    ctx = multiprocessing.get_context("forkserver")
    ready = ctx.Event()
    child = ctx.Process(target=_load_worker, args=(str(db_path), [str(f) for f in files], batch, ready))
    child.start()
    assert ready.wait(timeout=120), "the loading process did not start"
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_at_random_points_leaves_a_whole_prefix(tmp_path: Path, year_files) -> None:
    """50 kills at random points of a load: the database opens, passes integrity_check, and
    holds exactly the first k files of the batch for some k, each whole (the test uses small
    batches so that a kill often lands between commits)."""
    from nanzhou_desktop.district.safe_open import load_received

    files = year_files[2022][:30]
    order = [load_received(p, with_checks=False).report.uuid for p in files]
    rng = random.Random(18)
    seen_partial = 0
    for k in range(50):
        db_path = tmp_path / f"k{k}.sqlite"
        open_district_db(db_path).close()  # created first: the kill is about the load
        child = _load_in_child(db_path, files, batch=3)
        time.sleep(rng.uniform(0.0, 0.25))
        child.kill()  # SIGKILL
        child.join()
        conn = sqlite3.connect(db_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        db = open_district_db(db_path, create=False)
        loaded = {r.uuid for r in db.units()}
        contents = db.conn.execute("SELECT count(*) FROM contents").fetchone()[0]
        db.close()
        assert loaded == set(order[:len(loaded)]), f"kill {k}: not a prefix"
        assert contents == len(loaded)
        seen_partial += 0 < len(loaded) < len(files)
    assert seen_partial >= 5  # the kills did land in the middle of loads


def test_crafted_files_inside_a_large_batch(tmp_path: Path, year_files) -> None:
    """The district suite's crafted files mixed into a batch of good ones: each is refused with
    its own reason, every good file is loaded, and the database passes integrity_check.  (The
    bench does the same with 2,000 files.)"""
    from tests.core.test_district_safe_open import CRAFTED

    crafted_dir = tmp_path / "crafted"
    crafted_dir.mkdir()
    made = []
    for i, (make, reason) in enumerate(CRAFTED):
        sub = crafted_dir / f"{i:02d}"
        sub.mkdir()
        made.append((make(sub), reason))
    good = year_files[2022] + year_files[2023]
    rng = random.Random(5)
    batch = list(good)
    for path, _ in made:
        batch.insert(rng.randrange(len(batch) + 1), path)
    db = open_district_db(tmp_path / "d.sqlite")
    results = db.load_files(batch, batch_files=25)
    by_name: dict[str, list] = {}
    for r in results:
        by_name.setdefault(r.file_name, []).append(r)
    for path, reason in made:
        (res,) = [r for r in by_name[path.name or str(path)] if reason in r.message] or [None]
        assert res is not None and res.outcome == Outcome.REFUSED, (path, reason, by_name.get(path.name))
    assert db.count() == len(good)
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ------------------------------------------------------------------------ the generator
def test_generator_is_deterministic_and_years_share_units(tmp_path: Path) -> None:
    a = write_units(tmp_path / "a", 25, 2022, seed=3)
    b = write_units(tmp_path / "b", 25, 2022, seed=3)
    assert [p.name for p in a] == [p.name for p in b]
    assert [hashlib.sha256(p.read_bytes()).digest() for p in a] == [hashlib.sha256(p.read_bytes()).digest() for p in b]
    other_year = write_units(tmp_path / "c", 25, 2023, seed=3)
    from nanzhou_desktop.district.safe_open import load_received

    units_a = [load_received(p).report.unit for p in a]
    units_c = [load_received(p).report.unit for p in other_year]
    assert units_a == units_c  # the same units (names, codes, districts) …
    assert {load_received(p).report.year for p in other_year} == {2023}  # … with that year's reports
    other_seed = [load_received(p).report.unit.full_name for p in write_units(tmp_path / "d", 25, 2022, seed=4)]
    assert other_seed[:18] == [u.full_name for u in units_a][:18]  # 海珠区's real streets come first …
    assert unit_catalogue(400, 3)[300:] != unit_catalogue(400, 4)[300:]  # … the rest depends on the seed


def test_generator_scales_to_a_province_of_distinct_units() -> None:
    units = unit_catalogue(20_000, seed=2022)
    assert len({u.full_name for u in units}) == 20_000 and len({u.code for u in units}) == 20_000
    assert len({u.district for u in units}) > 100 and len({u.city for u in units}) > 15
    assert {u.kind for u in units} == {"街道", "镇", "部门"}
    # A longer list starts with the same units: a smaller count is a prefix.
    assert unit_catalogue(500, seed=2022) == units[:500]


def test_generator_command_line_and_a_mix_of_reports(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "out"), "--count", "120", "--year", "2021", "--seed", "9"]) == 0
    assert "120 个 2021 年度报告文件" in capsys.readouterr().out
    files = sorted((tmp_path / "out").glob("*.sqlite"))
    assert len(files) == 120
    db = open_district_db(tmp_path / "d.sqlite")
    results = db.load_files(files)
    assert all(r.outcome == Outcome.LOADED for r in results), [r.message for r in results if r.outcome != "已装入"]
    rows = db.units()
    statuses = {r.status for r in rows}
    assert statuses == {"已定稿", "草稿"}
    assert any(r.errors for r in rows if r.status == "草稿")  # drafts with errors …
    assert len({r.grade for r in rows}) >= 2  # … and a spread of grades
    with pytest.raises(SystemExit):
        main([str(tmp_path / "x"), "--count", "0", "--year", "2021"])
    assert KIND_FINAL == "final"


# ------------------------------------------------------------------------ years and places
def test_the_same_unit_across_years_side_by_side(tmp_path: Path, year_files) -> None:
    db = open_district_db(tmp_path / "d.sqlite")
    first = db.load_files(year_files[2022])
    second = db.load_files(year_files[2023])
    assert all(r.outcome == Outcome.LOADED for r in first + second)
    assert db.years() == [2022, 2023]
    unit = db.units(Filter(year=2022))[0].unit
    years = db.unit_years(unit)
    assert [r.year for r in years] == [2022, 2023] and len({r.uuid for r in years}) == 2
    pairs = db.compare(2022, 2023)
    assert len(pairs) == 60 and all(a is not None and b is not None and a.unit == b.unit for a, b in pairs)
    assert db.count(Filter(year=2023)) == 60


def test_place_and_kind_of_a_unit() -> None:
    assert split_place("广州市海珠区人民政府南洲街道办事处") == ("广州市", "海珠区")
    assert split_place("广东省韶关市乐昌市财政局") == ("韶关市", "乐昌市")
    assert split_place("杭州市西湖区人民政府北山街道办事处") == ("杭州市", "西湖区")
    assert split_place("延边朝鲜族自治州延吉市财政局") == ("延边朝鲜族自治州", "延吉市")
    assert split_place("某某单位") == ("", "")
    names = ("广州市海珠区人民政府南洲街道办事处", "从化区良口镇人民政府", "某县某乡人民政府", "广州市海珠区财政局",
             "海珠区第三中学", "海珠区妇女联合会", "某某单位", "")
    assert [kind_from_name(n) for n in names] == ["街道", "镇", "乡", "部门", "部门", "部门", "", ""]
    r = example_report()
    assert place_of(r).district == "海珠区" and place_of(r).city == "广州市" and place_of(r).kind == "街道"
    r.unit.district = ""
    r.unit.full_name = "佛山市南海区财政局"  # a department that wrote its report with the street template
    assert (place_of(r).city, place_of(r).district, place_of(r).kind) == ("佛山市", "南海区", "部门")
    r.unit.full_name = "佛山市南海区某某"  # a name that says nothing: the template's one kind
    assert place_of(r).kind == "街道"
    import dataclasses

    r.template = dataclasses.replace(r.template, applies_to="镇、街道")  # a template for several kinds says nothing
    assert place_of(r).kind == ""


def test_place_a_cover_field_states_comes_first() -> None:
    """What the report says (a cover field naming the 单位类型) wins over the name."""
    from nanzhou_desktop.model import CoverField

    r = example_report()
    r.cover = [CoverField("kind", "单位类型", value="部门")]
    assert place_of(r).kind == "部门"
    r.cover = [CoverField("kind", "单位类型", value="镇人民政府")]
    assert place_of(r).kind == "镇"


# ------------------------------------------------------------------------ version 1
def test_a_version_1_database_is_migrated_after_a_backup(tmp_path: Path, year_files) -> None:
    from nanzhou_desktop.district.merge import schema_sql
    from nanzhou_desktop.district.safe_open import load_received

    path = tmp_path / "旧汇总.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in schema_sql(1).split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA application_id = 1314538579")  # NZDS
    conn.execute("PRAGMA user_version = 1")
    recs = [load_received(p) for p in year_files[2022][:4]]
    for i, rec in enumerate(recs):
        r = rec.report
        conn.execute(
            "INSERT INTO reports (uuid, revision, is_current, unit_full_name, unit_short_name, unit_code, district,"
            " fiscal_year, status, fingerprint, fingerprint_ok, budget_total, executed, execution_rate, score, grade,"
            " errors, warnings, file_name, file_sha256, file_size, schema_version, loaded_at, loaded_by, content)"
            " VALUES (?,?,1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.uuid, r.revision, r.unit.full_name, r.unit.short_name, r.unit.code, r.unit.district, r.year,
             str(r.status), rec.fingerprint, 1, str(r.budget_total_row.budget_total), str(r.budget_total_row.executed),
             "1E+28" if i == 0 else "95.5", "91.2", "优", 0, 1, rec.file_name, rec.sha256, rec.size, 2,
             "2023-04-01T10:00:00+08:00", "张三", rec.content_json))
    conn.execute("INSERT INTO reviews (uuid, revision, decision, note, at, who) VALUES (?, 1, '退回修改', '请核对', 'x', '李四')",
                 (recs[1].report.uuid,))
    conn.close()
    before = path.read_bytes()
    db = open_district_db(path)
    assert backup_path(path, 1).read_bytes() == before
    assert int.from_bytes(path.read_bytes()[60:64], "big") == DISTRICT_SCHEMA_VERSION
    from nanzhou_desktop.district.merge import _expected_schema, _schema

    assert _schema(db.conn) == _expected_schema(DISTRICT_SCHEMA_VERSION)  # exactly a new database's schema
    rows = {r.uuid: r for r in db.units()}
    assert len(rows) == 4
    assert rows[recs[1].report.uuid].review == Review.RETURNED and rows[recs[1].report.uuid].review_note == "请核对"
    assert rows[recs[0].report.uuid].execution_rate == Decimal("1E+28")  # kept as it was; shown as 数值异常
    assert rows[recs[0].report.uuid].district == "海珠区" and rows[recs[0].report.uuid].kind
    assert db.report(recs[2].report.uuid).unit.full_name == recs[2].report.unit.full_name
    # And it goes on as a version-2 database.
    assert db.load_file(year_files[2022][10]).outcome == Outcome.LOADED
    db.close()


def test_overview_counts_in_one_pass_agree_with_the_rows(tmp_path: Path, year_files) -> None:
    """The window's label and chart read one aggregate pass; it must agree with the rows."""
    from collections import Counter

    from nanzhou_desktop.gui.district_chart import RATE_BANDS, SCORE_BANDS, bands, overview

    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(year_files[2022] + year_files[2023])
    db.review(next(r for r in db.units() if r.status != "草稿").uuid, Review.APPROVED)
    for flt in (Filter(), Filter(district="越秀区"), Filter(has_errors=True), Filter(text="街道"),
                Filter(grade="优"), Filter(review=Review.PENDING, year=2023), Filter(year=2022)):
        stats = overview(db, flt)
        rows = db.units(flt)
        assert sorted(stats) == sorted({r.year for r in rows})
        for year, s in stats.items():
            mine = [r for r in rows if r.year == year]
            assert s.reports == len(mine)
            assert s.rate_bands == bands([float(r.execution_rate) for r in mine if r.execution_rate is not None],
                                         RATE_BANDS)
            assert s.score_bands == bands([float(r.score) for r in mine if r.score is not None], SCORE_BANDS)
            assert s.grades == dict(Counter(r.grade for r in mine if r.grade))
            assert s.pending == sum(r.review == Review.PENDING for r in mine)
            assert s.templates == {(r.template_id, r.template_version) for r in mine}


def test_the_order_does_not_depend_on_how_sqlite_reads_the_table(tmp_path: Path, year_files) -> None:
    """The window's rows come in the order of the sort column, then unit name, year and id, whether
    SQLite walks an index or reads the table straight through (it does when the filter or the
    order has no index): checked against a sort in Python of every filter and column."""
    from nanzhou_desktop.district.db import SORT_SQL

    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(year_files[2022] + year_files[2023])
    db.review(next(r for r in db.units() if r.status != "草稿").uuid, Review.APPROVED)
    filters = (Filter(), Filter(year=2023), Filter(text="街道"), Filter(grade="优"), Filter(has_errors=True),
               Filter(kind="街道", year=2022), Filter(review=Review.PENDING))
    for flt in filters:
        where, args = flt.where()
        for key, columns in SORT_SQL.items():
            exprs = [c.strip() for c in columns.split(",")]
            rows = db.conn.execute(f"SELECT id, unit_full_name, fiscal_year, {', '.join(exprs)} FROM reports "
                                   f"WHERE {where}", args).fetchall()
            assert rows, flt
            for descending in (False, True):
                want = sorted(rows, key=lambda r: (r[1], r[2], r[0]))  # the ties, always ascending
                for i in reversed(range(len(exprs))):  # stable sorts, the first key last
                    want.sort(key=lambda r, i=i: (r[3 + i] is not None, r[3 + i]), reverse=descending)
                got = db.ids(flt, sort=key, descending=descending)
                assert got == [r[0] for r in want], (flt, key, descending)


def test_the_whole_of_the_districts_is_the_group_of_every_report(tmp_path: Path) -> None:
    """The 全部 line of 按区汇总 adds up the districts' totals; it must be what one group of
    every report gives (sums, the rate of the sums, the mean score, grades, drafts)."""
    from nanzhou_desktop.district.summary import Group, by_district, group_texts, groups, merged

    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(write_units(tmp_path / "files", 60, 2022, seed=21, step=3))  # 海珠区 and 越秀区
    rows = db.units()
    every = Group("全部")
    for r in rows:
        every.add(r)
    parts = groups(rows, by_district)
    assert len(parts) == 2 and sum(p.reports for p in parts) == len(rows) == every.reports
    assert group_texts(merged(parts, "全部")) == group_texts(every)
    assert every.drafts and every.grades and every.with_budget


def test_a_database_without_the_stats_index_is_still_read(tmp_path: Path, year_files) -> None:
    """A version-2 database from before reports_stats was added, opened where it cannot be
    written, is read without the index (open_district_db cannot add it): the counts the window
    shows must not name an index that is not there."""
    from nanzhou_desktop.district.db import DistrictDb, _connect
    from nanzhou_desktop.gui.district_chart import overview

    path = tmp_path / "d.sqlite"
    db = open_district_db(path)
    db.load_files(year_files[2022][:20])
    want = {flt: overview(db, flt) for flt in (Filter(), Filter(grade="优"), Filter(review=Review.PENDING))}
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX reports_stats")
    conn.close()
    old = DistrictDb(path, _connect(path))  # what open_district_db gives when it cannot add the index
    try:
        for flt, stats in want.items():
            assert overview(old, flt) == stats, flt
    finally:
        old.close()
