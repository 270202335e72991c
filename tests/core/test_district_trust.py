"""What the district takes on trust, and what it does not (issue 16, district side):

- F12: 定稿 is re-derived from the content and the audit, not believed from a status field;
- F1: one impossible figure is refused at loading, and no stored value breaks a summary;
- F5/F6: characters XML cannot hold are refused in content and stripped on output, and cell
  text never becomes a formula in the workbook or the CSV;
- F9: a failed write says what happened (a full disk, a read-only database), never
  "数据库读取错误";
- the paper: a report confirmed against the QR code of its signed paper;
- merging district databases with the same checks as files.
"""

from __future__ import annotations

import copy
import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.district.db import DistrictDb, DistrictDbError, Outcome, Review, open_district_db
from nanzhou_desktop.district.merge import merge_into
from nanzhou_desktop.district.paper import confirm_paper
from nanzhou_desktop.district.safe_open import RefusedFile, load_received
from nanzhou_desktop.district.summary import summary_table, write_csv, write_xlsx
from nanzhou_desktop.district.testdata import finalised, write_report_file, write_street_files, write_units
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path):
    d = open_district_db(tmp_path / "区级汇总.sqlite")
    yield d
    d.close()


# ------------------------------------------------------------------------ F12
def _finalised_by_the_app(tmp_path: Path) -> Path:
    """The example finalised through the office program's own path, then 导出上报."""
    from nanzhou_desktop.exchange.export import export_report
    from nanzhou_desktop.rules import check
    from nanzhou_desktop.workflow import explain, finalise

    work = create_report_file(tmp_path / "工作.sqlite", example_report(fresh_uuid=True))
    with open_report_file(work) as rf:
        for column, value in [("head", "张三"), ("finance_head", "李四"), ("preparer", "王五"),
                              ("phone_office", "020-84441234"), ("fill_date", "2023-03-10"),
                              ("issue_date", "2023-03-15")]:
            rf.set_field("report", None, column, value)
        for f in check(rf.report).findings:
            if f.severity.value == "警告":
                explain(rf, f.key, "已核实。")
        finalise(rf)
        out = tmp_path / "导出"
        out.mkdir()
        return export_report(rf, out, with_pdf=False).path


def test_a_report_the_app_finalised_loads(db: DistrictDb, tmp_path: Path) -> None:
    res = db.load_file(_finalised_by_the_app(tmp_path))
    assert res.outcome == Outcome.LOADED, res.message
    (row,) = db.units()
    assert row.status == "已定稿" and row.fingerprint_ok and row.errors == 0


def _forged_final(tmp_path: Path, *, audit: bool, revision_in_audit: int | None = None) -> Path:
    """A draft with errors and unexplained warnings, its status set to 已定稿 and the fingerprint
    recomputed by hand, as the red team did (optionally with a hand-written 定稿 entry)."""
    r = example_report(fresh_uuid=True)
    p = create_report_file(tmp_path / "伪造.sqlite", r)
    fp = fingerprint(r)
    statements = [f"UPDATE report SET status = '已定稿', final_fingerprint = '{fp}'"]
    if audit:
        statements.append("INSERT INTO audit (at, who, action, target, old_value, new_value, reason) VALUES "
                          f"('2023-03-01', 'x', 'finalise', 'report.status', '草稿', '已定稿', "
                          f"'修订号 {revision_in_audit or 1}，内容指纹 {fp}')")
    _sql(p, *statements)
    return p


def test_a_forged_final_without_a_finalise_record_is_refused(db: DistrictDb, tmp_path: Path) -> None:
    res = db.load_file(_forged_final(tmp_path, audit=False))
    assert res.outcome == Outcome.REFUSED and "没有定稿记录" in res.message and db.count() == 0


def test_a_forged_final_with_errors_is_refused_even_with_a_forged_record(db: DistrictDb, tmp_path: Path) -> None:
    """The red team's case: 6 errors and unexplained warnings, status and fingerprint forged."""
    res = db.load_file(_forged_final(tmp_path, audit=True))
    assert res.outcome == Outcome.REFUSED
    assert "6 个错误" in res.message and "未说明的警告" in res.message and "不会让这样的报告定稿" in res.message
    assert db.count() == 0


def test_a_finalise_record_of_another_revision_is_refused(db: DistrictDb, tmp_path: Path) -> None:
    p = write_report_file(tmp_path / "r.sqlite", finalised(example_report(fresh_uuid=True)))
    _sql(p, "UPDATE audit SET reason = replace(reason, '修订号 1', '修订号 3') WHERE action = 'finalise'")
    res = db.load_file(p)
    assert res.outcome == Outcome.REFUSED and "修订号 3" in res.message


def test_edits_recorded_after_finalising_are_refused(db: DistrictDb, tmp_path: Path) -> None:
    p = write_report_file(tmp_path / "r.sqlite", finalised(example_report(fresh_uuid=True)))
    _sql(p, "INSERT INTO audit (at, who, action, target, old_value, new_value, reason)"
            " VALUES ('2023-04-01', 'x', 'edit', 'sections.body#3', 'a', 'b', '')")
    res = db.load_file(p)
    assert res.outcome == Outcome.REFUSED and "定稿之后仍有修改记录" in res.message and "edit" in res.message
    # Opening, closing and exporting after 定稿 are what the office program does: accepted.
    q = write_report_file(tmp_path / "q.sqlite", finalised(example_report(fresh_uuid=True)))
    _sql(q, "INSERT INTO audit (at, who, action, target) VALUES ('2023-04-01', 'x', 'open', 'report')",
         "INSERT INTO audit (at, who, action, target) VALUES ('2023-04-01', 'x', 'export', 'report')",
         "INSERT INTO audit (at, who, action, target) VALUES ('2023-04-01', 'x', 'close', 'report')")
    assert db.load_file(q).outcome == Outcome.LOADED


def test_an_older_finalise_record_without_a_revision_is_checked_by_its_unlocks(db: DistrictDb,
                                                                                tmp_path: Path) -> None:
    """Files finalised by an earlier version record no revision in the 定稿 entry: the number
    of 解除定稿 before it must fit the revision (each one raised it by one)."""
    r = finalised(example_report(fresh_uuid=True))
    p = write_report_file(tmp_path / "old.sqlite", r)
    _sql(p, "UPDATE audit SET reason = '' WHERE action = 'finalise'")
    assert load_received(p).fingerprint_ok is True
    # One 解除定稿 before the 定稿 of a revision-1 file: impossible in the office program.
    _sql(p, "UPDATE audit SET action = 'unlock' WHERE action = 'explain' AND id = 2")
    with pytest.raises(RefusedFile, match="解除定稿"):
        load_received(p)


# ------------------------------------------------------------------------ F1
def test_one_impossible_figure_is_refused_at_loading(db: DistrictDb, tmp_path: Path) -> None:
    """全年预算数 0.0000000001 and 执行数 9999999999999999.99 (a rate of 10²⁸ %) never get in."""
    p = create_report_file(tmp_path / "f1.sqlite", example_report(fresh_uuid=True))
    _sql(p, "UPDATE budget_rows SET budget_total = '0.0000000001', executed = '9999999999999999.99'"
            " WHERE kind = 'total'")
    good = write_street_files(tmp_path / "good", seed=1)[:3]
    results = db.load_files([p, *good])
    assert results[0].outcome == Outcome.REFUSED and "超出报告数字的范围" in results[0].message
    assert "全年预算数" in results[0].message or "全年执行数" in results[0].message
    assert [r.outcome for r in results[1:]] == [Outcome.LOADED] * 3
    table = summary_table(db.units())
    assert len(table) == 4


def test_a_stored_rate_of_ten_to_the_28_breaks_no_summary(db: DistrictDb, tmp_path: Path) -> None:
    """A database from before the bounds (or edited by hand) holding that rate: every summary
    output is still written, the figure shown as 数值异常."""
    db.load_files(write_street_files(tmp_path / "in", seed=2)[:4])
    db.conn.execute("UPDATE reports SET budget_total = '0.0000000001', executed = '9999999999999999.99',"
                    " execution_rate = '9999999999999999990000000000', rate_num = 1e28 WHERE id = 1")
    rows = db.units()
    text = summary_table(rows)
    assert "数值异常" in text[1] + text[2] + text[3] + text[4]
    assert write_xlsx(rows, tmp_path / "s.xlsx").stat().st_size > 0
    assert write_csv(rows, tmp_path / "s.csv").stat().st_size > 0


# ------------------------------------------------------------------------ F5 / F6
def test_a_non_character_in_a_name_is_refused(db: DistrictDb, tmp_path: Path) -> None:
    p = create_report_file(tmp_path / "f5.sqlite", example_report(fresh_uuid=True))
    _sql(p, "UPDATE report SET unit_full_name = unit_full_name || char(65535)")
    res = db.load_file(p)
    assert res.outcome == Outcome.REFUSED and "U+FFFF" in res.message and "非字符" in res.message


def test_outputs_strip_what_xml_cannot_hold_and_keep_formulas_as_text(db: DistrictDb, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    r = example_report(fresh_uuid=True)
    r.unit.full_name = '=HYPERLINK("http://x.example/","y")'
    p = create_report_file(tmp_path / "f6.sqlite", r)
    assert db.load_file(p).outcome == Outcome.LOADED
    (row,) = db.units()
    db.review(row.uuid, Review.RETURNED, "@SUM(1+1) 请核对")
    # A database made before the character checks may hold U+FFFF: outputs strip it.
    db.conn.execute("UPDATE reports SET unit_short_name = 'a' || char(65535), review_note = review_note || char(65534)")
    rows = db.units()
    xlsx = write_xlsx(rows, tmp_path / "s.xlsx")
    ws = load_workbook(xlsx)["区级汇总"]
    cells = [c for line in ws.iter_rows(min_row=2, max_row=2) for c in line]
    unit_cell, note_cell = cells[0], cells[-1]
    assert unit_cell.data_type == "s" and unit_cell.value.startswith("'=HYPERLINK")
    assert note_cell.data_type == "s" and note_cell.value.startswith("'@SUM") and "\ufffe" not in note_cell.value
    with open(write_csv(rows, tmp_path / "s.csv"), encoding="utf-8-sig", newline="") as fh:
        line = list(csv.reader(fh))[1]
    assert line[0].startswith("'=") and line[-1].startswith("'@") and "\ufffe" not in line[-1]


def test_a_grade_named_by_the_files_template_stays_text(db: DistrictDb, tmp_path: Path) -> None:
    """等级 comes from the report's own 评分办法, which the file carries: in the workbook and the
    CSV it is text like any of the file's text (no formula, nothing XML cannot hold)."""
    from openpyxl import load_workbook

    db.load_files(write_street_files(tmp_path / "in", seed=5)[:2])
    db.conn.execute("UPDATE reports SET grade = '=1+1' || char(65535)")
    rows = db.units()
    ws = load_workbook(write_xlsx(rows, tmp_path / "s.xlsx"))["区级汇总"]
    header = [c.value for c in ws[1]]
    grade = ws.cell(row=2, column=header.index("等级") + 1)
    assert grade.data_type == "s" and grade.value.startswith("'=1+1") and "\uffff" not in grade.value
    with open(write_csv(rows, tmp_path / "s.csv"), encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    cell = lines[1][lines[0].index("等级")]
    assert cell.startswith("'=1+1") and "\uffff" not in cell


# ------------------------------------------------------------------------ F9
def test_a_read_only_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    open_district_db(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    ro = DistrictDb(path, conn)
    results = ro.load_files(write_street_files(tmp_path / "in", seed=3)[:2])
    assert len(results) == 1 and results[0].outcome == Outcome.REFUSED  # the second is not tried
    assert "只读" in results[0].message and "读取错误" not in results[0].message
    with pytest.raises(DistrictDbError, match="只读"):
        ro.remove("x")
    ro.close()


def test_a_full_disk_says_so(tmp_path: Path) -> None:
    db = open_district_db(tmp_path / "d.sqlite")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    results = db.load_files(write_street_files(tmp_path / "in", seed=4)[:3])
    refused = [r for r in results if r.outcome == Outcome.REFUSED]
    assert refused and all("磁盘空间不足" in r.message and "读取错误" not in r.message for r in refused)
    db.close()


# ------------------------------------------------------------------------ the paper
def test_a_report_confirmed_against_its_signed_paper(db: DistrictDb, tmp_path: Path) -> None:
    from nanzhou_desktop.render.stamp import qr_payload

    reports = [finalised(example_report(fresh_uuid=True))]
    p = write_report_file(tmp_path / "r.sqlite", reports[0])
    assert db.load_file(p).outcome == Outcome.LOADED
    payload = qr_payload(reports[0])
    # A paper of other content (the file was changed and re-fingerprinted): not confirmed.
    other = copy.deepcopy(reports[0])
    other.sections[1].body += "。"
    row, differences = confirm_paper(db, qr_payload(other))
    assert row.uuid == reports[0].uuid and any("内容指纹不同" in d for d in differences)
    assert db.units()[0].paper_at == ""
    # The paper of this very content: confirmed and shown in the summary.
    row, differences = confirm_paper(db, "  " + payload + "\n")
    assert differences == [] and row.paper_at
    assert summary_table(db.units())[1][summary_table(db.units())[0].index("纸面核对")].startswith("已核对")
    assert db.confirmations(row.uuid)[0]["fingerprint"] == fingerprint(reports[0])
    with pytest.raises(DistrictDbError, match="NZPJ1"):
        confirm_paper(db, "https://example.com/")
    gone = qr_payload(finalised(example_report(fresh_uuid=True))).replace("2022", "2019")
    with pytest.raises(DistrictDbError, match="没有纸面所列的报告"):
        confirm_paper(db, gone)


def test_a_draft_is_not_confirmed_against_paper(db: DistrictDb, tmp_path: Path) -> None:
    from nanzhou_desktop.render.stamp import qr_payload

    r = example_report(fresh_uuid=True)
    db.load_file(create_report_file(tmp_path / "d.sqlite", r))
    _row, differences = confirm_paper(db, qr_payload(r))
    assert any("草稿" in d for d in differences)


# ------------------------------------------------------------------------ merging
def test_merging_district_databases(tmp_path: Path) -> None:
    """A city merges two districts' databases: everything lands once, a second merge changes
    nothing, reviews and paper confirmations come along, and a higher revision replaces."""
    from nanzhou_desktop.render.stamp import qr_payload

    files = write_units(tmp_path / "in", 60, 2022, seed=6, step=4)  # 海珠区 then 越秀区
    haizhu = open_district_db(tmp_path / "海珠区.sqlite")
    yuexiu = open_district_db(tmp_path / "越秀区.sqlite")
    for p in files:
        (haizhu if "_海珠区" in p.name or p.name.startswith("4401010") else yuexiu).load_file(p)
    assert haizhu.count() and yuexiu.count() and haizhu.count() + yuexiu.count() == 60
    first = haizhu.units()[0]
    haizhu.review(first.uuid, Review.RETURNED, "请补充偏差原因")
    final = next(r for r in yuexiu.units() if r.status == "已定稿")
    final_report = yuexiu.report(final.uuid)
    assert confirm_paper(yuexiu, qr_payload(final_report))[1] == []
    haizhu.close()
    yuexiu.close()

    city = open_district_db(tmp_path / "广州市.sqlite")
    a = merge_into(city, tmp_path / "海珠区.sqlite")
    b = merge_into(city, tmp_path / "越秀区.sqlite")
    assert all(r.outcome == Outcome.LOADED for r in a + b), [r.message for r in a + b if r.outcome != "已装入"][:2]
    assert city.count() == 60 and city.values("district") == ["海珠区", "越秀区"]
    rows = {r.uuid: r for r in city.units()}
    assert rows[first.uuid].review == Review.RETURNED and rows[first.uuid].review_note == "请补充偏差原因"
    assert rows[final.uuid].paper_at
    before = city.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    again = merge_into(city, tmp_path / "海珠区.sqlite")
    assert {r.outcome for r in again} == {Outcome.PRESENT}
    assert city.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == before  # not doubled
    city.close()


def test_a_merged_database_gets_the_same_checks_as_files(tmp_path: Path) -> None:
    files = write_street_files(tmp_path / "in", seed=7)
    other = open_district_db(tmp_path / "other.sqlite")
    other.load_files(files)
    victim = next(r for r in other.units() if r.status == "已定稿")
    other.close()
    # A figure changed in the stored content (and its fingerprint recomputed by hand): the
    # merge re-runs the rules and what 定稿 implies, and refuses that report only.
    import json

    conn = sqlite3.connect(tmp_path / "other.sqlite", isolation_level=None)
    (content,) = conn.execute("SELECT c.content FROM contents c JOIN reports r ON r.id = c.report_id"
                              " WHERE r.uuid = ?", (victim.uuid,)).fetchone()
    data = json.loads(content)
    for row in data["budget"]:
        if row["kind"] == "total":
            row["executed"] = str(row["budget_total"]).replace(".", "0.", 1)  # ten times the budget
    from nanzhou_desktop.content import canonical_json, from_content

    forged = canonical_json(data)
    fp = fingerprint(from_content(data))
    conn.execute("UPDATE contents SET content = ? WHERE report_id = (SELECT id FROM reports WHERE uuid = ?)",
                 (forged, victim.uuid))
    conn.execute("UPDATE reports SET fingerprint = ? WHERE uuid = ?", (fp, victim.uuid))
    conn.close()
    city = open_district_db(tmp_path / "city.sqlite")
    results = merge_into(city, tmp_path / "other.sqlite")
    refused = [r for r in results if r.outcome == Outcome.REFUSED]
    assert len(refused) == 1 and refused[0].uuid == victim.uuid and "不会让这样的报告定稿" in refused[0].message
    assert city.count() == 17
    # Whole files that are no district database are refused before anything is read.
    with pytest.raises(DistrictDbError, match="报告文件"):
        merge_into(city, files[0])
    shutil.copy(tmp_path / "other.sqlite", tmp_path / "extra.sqlite")
    _sql(tmp_path / "extra.sqlite", "CREATE TABLE payload (x)")
    with pytest.raises(DistrictDbError, match="结构"):
        merge_into(city, tmp_path / "extra.sqlite")
    with pytest.raises(DistrictDbError, match="它自己"):
        merge_into(city, city.path)
    assert city.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    city.close()


def test_statuses_kept_by_merging(tmp_path: Path) -> None:
    """A draft stays a draft, a final report final, with its fingerprint checked again."""
    other = open_district_db(tmp_path / "o.sqlite")
    other.load_files(write_street_files(tmp_path / "in", seed=8))
    statuses = {r.uuid: r.status for r in other.units()}
    other.close()
    city = open_district_db(tmp_path / "c.sqlite")
    merge_into(city, tmp_path / "o.sqlite")
    assert {r.uuid: r.status for r in city.units()} == statuses
    assert all(r.fingerprint_ok for r in city.units() if r.status != str(Status.DRAFT))


def test_a_full_disk_while_writing_the_summary_is_said_plainly(tmp_path: Path, monkeypatch, capsys) -> None:
    """F9: ENOSPC while writing the workbook or the CSV: one Chinese sentence naming it, no
    traceback, no "Exception ignored in ZipFile.__del__", nothing left under either name."""
    import errno
    import gc

    from nanzhou_desktop.cli import main
    from nanzhou_desktop.district import summary

    db = open_district_db(tmp_path / "d.sqlite")
    db.load_files(write_street_files(tmp_path / "in", seed=9)[:3])
    db.close()
    real_open = open

    def full_disk(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode:
            def write(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
                raise OSError(errno.ENOSPC, "No space left on device")
            handle.write = write  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(summary, "open", full_disk, raising=False)
    for option, name in (("--xlsx", "汇总.xlsx"), ("--csv", "汇总.csv")):
        code = main(["district", "summary", str(tmp_path / "d.sqlite"), option, str(tmp_path / name)])
        gc.collect()
        err = capsys.readouterr().err
        assert code == 3 and "磁盘空间不足" in err and "未导出" in err
        assert "Traceback" not in err and "Exception ignored" not in err
        assert not (tmp_path / name).exists()
        assert not list(tmp_path.glob(f".{name}.*.tmp"))
