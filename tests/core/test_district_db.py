"""The district database: same file twice, higher/lower revision, reviews, summary exports."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.district.db import (
    DISTRICT_APPLICATION_ID,
    DISTRICT_SCHEMA_VERSION,
    DistrictDbError,
    Outcome,
    Review,
    open_district_db,
)
from nanzhou_desktop.district.summary import COLUMNS, summary_table, write_csv, write_xlsx
from nanzhou_desktop.district.testdata import (
    STREETS,
    change_executed,
    finalised,
    street_kinds,
    street_reports,
    write_report_file,
    write_street_files,
)
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Report, Status


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _final(r: Report) -> Report:
    return finalised(r)


def _revision(base: Report, revision: int, *, executed: str | None = None) -> Report:
    import copy

    r = copy.deepcopy(base)
    r.revision = revision
    if executed is not None:
        change_executed(r, Decimal(executed))
    return _final(r)


@pytest.fixture
def db(tmp_path: Path):
    d = open_district_db(tmp_path / "海珠区汇总.sqlite")
    yield d
    d.close()


def test_new_database_has_its_own_identity(db) -> None:
    head = db.path.read_bytes()[:100]
    assert int.from_bytes(head[68:72], "big") == DISTRICT_APPLICATION_ID
    assert int.from_bytes(head[60:64], "big") == DISTRICT_SCHEMA_VERSION


def test_same_file_twice_changes_nothing(db, tmp_path: Path) -> None:
    p = write_report_file(tmp_path / "a.sqlite", _final(example_report(fresh_uuid=True)))
    assert db.load_file(p).outcome == Outcome.LOADED
    before = _sha(db.path)
    res = db.load_file(p)
    assert res.outcome == Outcome.PRESENT and "已装入过" in res.message
    assert _sha(db.path) == before
    # The same content under another file name is the same report too.
    q = tmp_path / "copy.sqlite"
    q.write_bytes(p.read_bytes())
    assert db.load_file(q).outcome == Outcome.PRESENT


def test_higher_revision_replaces_and_keeps_history_lower_refused(db, tmp_path: Path) -> None:
    base = example_report(fresh_uuid=True)
    r1 = write_report_file(tmp_path / "r1.sqlite", _revision(base, 1))
    r2 = write_report_file(tmp_path / "r2.sqlite", _revision(base, 2, executed="19800.00"))
    assert db.load_file(r1).outcome == Outcome.LOADED
    res = db.load_file(r2)
    assert res.outcome == Outcome.REPLACED and "修订号 2" in res.message
    (unit,) = db.units()
    assert unit.revision == 2 and unit.executed == Decimal("19800.00") and unit.history == 1
    assert [h["revision"] for h in db.history(base.uuid)] == [1, 2]
    assert db.report(base.uuid, 1).budget_total_row.executed == Decimal("19738.24")
    before = _sha(db.path)
    low = db.load_file(r1)
    assert low.outcome == Outcome.REFUSED and "旧修订号 1" in low.message
    assert _sha(db.path) == before


def test_same_revision_different_content_is_refused(db, tmp_path: Path) -> None:
    base = example_report(fresh_uuid=True)
    a = write_report_file(tmp_path / "a.sqlite", _revision(base, 1))
    b = write_report_file(tmp_path / "b.sqlite", _revision(base, 1, executed="1.00"))
    db.load_file(a)
    before = _sha(db.path)
    res = db.load_file(b)
    assert res.outcome == Outcome.REFUSED and "同一修订号" in res.message
    assert _sha(db.path) == before


def test_draft_then_final_of_same_revision_replaces_the_draft(db, tmp_path: Path) -> None:
    base = example_report(fresh_uuid=True)
    draft = write_report_file(tmp_path / "draft.sqlite", base)
    final = write_report_file(tmp_path / "final.sqlite", _revision(base, 1))
    assert db.load_file(draft).outcome == Outcome.LOADED
    assert db.units()[0].fingerprint_ok is None
    assert db.load_file(final).outcome == Outcome.REPLACED
    (unit,) = db.units()
    assert unit.status == "已定稿" and unit.fingerprint_ok is True and unit.history == 0


def test_summary_marks_a_drafts_grade_and_a_final_reports_explained_warnings(db, tmp_path: Path) -> None:
    """Beside a draft's open warnings, a final report's (all explained, or it could not be
    final) must not read as problems; a draft's grade is provisional."""
    base = example_report(fresh_uuid=True)
    draft = write_report_file(tmp_path / "draft.sqlite", base)
    assert db.load_file(draft).outcome == Outcome.LOADED
    text = {c.key: c.text for c in COLUMNS}
    (unit,) = db.units()
    assert unit.warnings and text["warnings"](unit) == str(unit.warnings)
    assert text["grade"](unit) == f"{unit.grade}（草稿）"
    final = write_report_file(tmp_path / "final.sqlite", _revision(base, 1))
    assert db.load_file(final).outcome == Outcome.REPLACED
    (unit,) = db.units()
    assert text["warnings"](unit) == f"{unit.warnings}（均已说明）"
    assert text["grade"](unit) == unit.grade == "优"


def test_draft_copy_of_a_loaded_final_revision_gets_advice_for_a_draft(db, tmp_path: Path) -> None:
    """A never-finalised copy of a report whose final version is loaded: the draft has nothing to
    lift (解除定稿), so the refusal says the loaded final counts, how the unit corrects it, and
    how the district takes it out if the draft is to count; that way out works."""
    import copy

    base = example_report(fresh_uuid=True)
    final = write_report_file(tmp_path / "final.sqlite", _revision(base, 1))
    draft = copy.deepcopy(base)
    draft.budget_total_row.executed = Decimal("1.00")
    draft_path = write_report_file(tmp_path / "draft.sqlite", draft)
    assert db.load_file(final).outcome == Outcome.LOADED
    before = _sha(db.path)
    res = db.load_file(draft_path)
    assert res.outcome == Outcome.REFUSED and _sha(db.path) == before
    msg = res.message
    assert "草稿" in msg and "解除定稿后以新的修订号" not in msg
    assert "已定稿的报告上解除定稿" in msg and f"district remove 汇总库 {base.uuid[:8]}" in msg
    db.remove(base.uuid)
    assert db.load_file(draft_path).outcome == Outcome.LOADED


def test_same_content_in_another_status_is_present_not_refused(db, tmp_path: Path) -> None:
    """The draft copy a final version was made from, or the unit's 已导出 working file, holds the
    same content as the loaded final: nothing to load, and not "different content"."""
    import copy

    base = example_report(fresh_uuid=True)
    final_report = _revision(base, 1)
    final = write_report_file(tmp_path / "final.sqlite", final_report)
    # The working file just before 定稿: the same content, still a draft.
    before_finalising = copy.deepcopy(final_report)
    before_finalising.status, before_finalising.final_fingerprint = Status.DRAFT, ""
    draft = write_report_file(tmp_path / "draft.sqlite", before_finalising)
    exported = copy.deepcopy(final_report)
    exported.status = Status.EXPORTED
    exported_path = write_report_file(tmp_path / "exported.sqlite", exported)
    assert db.load_file(final).outcome == Outcome.LOADED
    before = _sha(db.path)
    res = db.load_file(draft)
    assert res.outcome == Outcome.PRESENT and "草稿" in res.message and "内容与已装入的定稿报告相同" in res.message
    res = db.load_file(exported_path)
    assert res.outcome == Outcome.PRESENT and "内容相同" in res.message
    assert _sha(db.path) == before
    (unit,) = db.units()
    assert unit.status == "已定稿"


def test_second_report_beside_a_loaded_draft_gets_advice_for_a_draft(db, tmp_path: Path) -> None:
    """The report loaded first is a draft: nothing to 解除定稿; the unit finishes one of the two.
    Both ways out the message gives work."""
    first = example_report(fresh_uuid=True)
    a = write_report_file(tmp_path / "a.sqlite", first)
    b = write_report_file(tmp_path / "b.sqlite", example_report(fresh_uuid=True))
    assert db.load_file(a).outcome == Outcome.LOADED
    res = db.load_file(b)
    assert res.outcome == Outcome.REFUSED and "同一单位同一年度" in res.message
    assert "解除定稿" not in res.message
    assert "定稿后导出上报" in res.message and f"district remove 汇总库 {first.uuid[:8]}" in res.message
    # 以原报告为准: its final version replaces the loaded draft.
    final = write_report_file(tmp_path / "a-final.sqlite", _revision(first, 1))
    assert db.load_file(final).outcome == Outcome.REPLACED
    # A final report loaded first keeps the advice to lift its 定稿.
    res = db.load_file(b)
    assert res.outcome == Outcome.REFUSED and "在原报告上解除定稿" in res.message


def test_second_report_of_same_unit_and_year_is_refused(db, tmp_path: Path) -> None:
    a = write_report_file(tmp_path / "a.sqlite", _final(example_report(fresh_uuid=True)))
    b = write_report_file(tmp_path / "b.sqlite", _final(example_report(fresh_uuid=True)))
    db.load_file(a)
    res = db.load_file(b)
    assert res.outcome == Outcome.REFUSED and "同一单位同一年度" in res.message
    db.remove(db.units()[0].uuid)
    assert db.load_file(b).outcome == Outcome.LOADED


def test_review_and_returned_unit_next_revision_shows_as_new(db, tmp_path: Path) -> None:
    base = example_report(fresh_uuid=True)
    db.load_file(write_report_file(tmp_path / "r1.sqlite", _revision(base, 1)))
    with pytest.raises(DistrictDbError, match="写明"):
        db.review(base.uuid, Review.RETURNED, "  ")
    db.review(base.uuid, Review.RETURNED, "执行率与正文不一致，请核对")
    (unit,) = db.units()
    assert unit.review == Review.RETURNED and "执行率" in unit.review_note
    db.load_file(write_report_file(tmp_path / "r2.sqlite", _revision(base, 2)))
    (unit,) = db.units()
    assert unit.revision == 2 and unit.review == Review.PENDING and unit.review_note == ""
    db.review(base.uuid, Review.APPROVED)
    assert db.units()[0].review == Review.APPROVED
    assert [x["decision"] for x in db.reviews(base.uuid)] == ["退回修改", "已审核"]


def test_reopening_keeps_everything_and_refuses_foreign_files(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    with open_district_db(path) as d:
        d.load_file(write_report_file(tmp_path / "a.sqlite", _final(example_report(fresh_uuid=True))))
    before = _sha(path)
    with open_district_db(path) as d:
        assert len(d.units()) == 1
    assert _sha(path) == before  # opening writes nothing
    with pytest.raises(DistrictDbError, match="报告文件"):
        open_district_db(tmp_path / "a.sqlite")
    other = tmp_path / "x.txt"
    other.write_text("hello")
    with pytest.raises(DistrictDbError, match="不是区级汇总库"):
        open_district_db(other)
    with pytest.raises(DistrictDbError, match="文件夹"):
        open_district_db(tmp_path)


def test_eighteen_streets_are_distinct_and_deterministic(tmp_path: Path) -> None:
    a, b = street_reports(7), street_reports(7)
    assert [r.uuid for r in a] == [r.uuid for r in b]
    assert [fingerprint(r) for r in a] == [fingerprint(r) for r in b]
    assert len({r.uuid for r in a}) == 18
    assert [r.unit.short_name for r in a] == [f"{s}街道" for s in STREETS]
    assert len({r.budget_total_row.budget_total for r in a}) >= 15
    kinds = street_kinds(7)
    assert list(kinds.values()).count("errors") == 2 and list(kinds.values()).count("unfinished") == 3
    # The narrative quotes the street's own figures, not 南洲's.
    for r in a:
        if r.unit.short_name != "南洲街道":
            text = "".join(s.body for s in r.sections)
            assert "南洲" not in text and "19,910.75" not in text
    assert street_reports(8)[0].uuid != a[0].uuid


def test_load_eighteen_streets_and_export_summary(db, tmp_path: Path) -> None:
    paths = write_street_files(tmp_path / "received", seed=3)
    seen = []
    results = db.load_files(paths, progress=lambda i, r: seen.append(i) is None)
    assert [r.outcome for r in results] == [Outcome.LOADED] * 18
    assert seen == list(range(18))
    rows = db.units()
    assert len(rows) == 18
    kinds = street_kinds(3)
    drafts = {f"{s}街道" for s, k in kinds.items() if k != "final"}
    assert {r.short_name for r in rows if r.status == "草稿"} == drafts
    assert all(r.fingerprint_ok for r in rows if r.status == "已定稿")
    assert all(r.execution_rate is not None for r in rows)
    table = summary_table(rows)
    assert table[0] == [c.title for c in COLUMNS] and len(table) == 19
    csv_path = write_csv(rows, tmp_path / "汇总.csv")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == table
    xlsx = write_xlsx(rows, tmp_path / "汇总.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert ws.max_row == 21  # 18 reports, 合计, 平均
    header = [c.value for c in ws[1]]
    assert header[:3] == ["单位", "所属区", "单位类型"] and "警告（说明）" in header
    first = rows[0]
    rate_col = header.index("执行率") + 1
    assert ws.cell(2, rate_col).value == pytest.approx(float(first.execution_rate) / 100, abs=1e-6)
    assert ws.cell(2, rate_col).number_format == "0.00%"
    assert ws.cell(2, header.index("全年预算数（万元）") + 1).value == float(first.budget_total)


def test_cancel_stops_before_the_next_file_and_keeps_what_was_loaded(db, tmp_path: Path) -> None:
    paths = write_street_files(tmp_path / "received", seed=4)
    results = db.load_files(paths, progress=lambda i, r: i < 4)
    assert len(results) == 5 and len(db.units()) == 5


def test_bad_file_among_good_ones_does_not_stop_the_others(db, tmp_path: Path) -> None:
    paths = write_street_files(tmp_path / "received", seed=5)
    bad = tmp_path / "received" / "坏文件.sqlite"
    bad.write_bytes(b"garbage" * 100)
    results = db.load_files(paths[:3] + [bad] + paths[3:6])
    assert [r.outcome for r in results].count(Outcome.REFUSED) == 1
    assert len(db.units()) == 6


def test_database_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    """Creation happens under a temporary name: a failure (as a kill would) leaves nothing under
    the database's name, and nothing beside it."""
    import nanzhou_desktop.district.db as district_db

    path = tmp_path / "新汇总.sqlite"
    monkeypatch.setattr(district_db, "_SCHEMA_V2", district_db._SCHEMA_V2 + ";CREATE TABLE reports (x)")
    with pytest.raises(DistrictDbError, match="无法创建汇总库"):
        open_district_db(path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    db = open_district_db(path)
    db.close()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_creation_never_replaces_a_database_made_meanwhile(tmp_path: Path) -> None:
    import nanzhou_desktop.district.db as district_db

    path = tmp_path / "d.sqlite"
    db = open_district_db(path)
    assert db.load_file(write_street_files(tmp_path / "in")[0]).outcome == Outcome.LOADED
    db.close()
    before = _sha(path)
    district_db._create_district_db(path)  # as a second process that looked a moment earlier would
    assert _sha(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [path.name]


def test_empty_file_under_the_name_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "left_empty.sqlite"
    path.write_bytes(b"")  # what a kill before the first commit left in older versions
    with pytest.raises(DistrictDbError, match="找不到"):
        open_district_db(path, create=False)
    db = open_district_db(path)
    assert db.units() == []
    db.close()
    assert int.from_bytes(path.read_bytes()[68:72], "big") == DISTRICT_APPLICATION_ID
