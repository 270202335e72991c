"""The report file: round trips, fingerprint, edits and audit, migrations, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from nanzhou_desktop.content import canonical_json, fingerprint, from_content, to_content
from nanzhou_desktop.example import example_report, write_example
from nanzhou_desktop.model import BudgetKind, Status
from nanzhou_desktop.store.errors import EditError, ReportFileError, SaveError
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from nanzhou_desktop.store.schema import APPLICATION_ID, SCHEMA_VERSION, apply_migrations
from tests.conftest import ROOT


def test_file_dump_file_dump_is_identity(tmp_path, example_path):
    with open_report_file(example_path, read_only=True) as rf:
        dump1 = canonical_json(to_content(rf.report))
        fp1 = fingerprint(rf.report)
    second = create_report_file(tmp_path / "again.sqlite", from_content(json.loads(dump1)))
    with open_report_file(second, read_only=True) as rf:
        assert canonical_json(to_content(rf.report)) == dump1
        assert fingerprint(rf.report) == fp1


def test_fingerprint_survives_vacuum_and_copy(tmp_path, example_path):
    with open_report_file(example_path, read_only=True) as rf:
        fp = fingerprint(rf.report)
    conn = sqlite3.connect(example_path)
    conn.execute(f"VACUUM INTO '{tmp_path / 'v.sqlite'}'")
    conn.close()
    shutil.copy(tmp_path / "v.sqlite", tmp_path / "copy.sqlite")
    with open_report_file(tmp_path / "copy.sqlite", read_only=True) as rf:
        assert fingerprint(rf.report) == fp


def test_fingerprint_is_known_value_for_the_example():
    # The same bytes on every machine: pin the example's hash so a change to the canonical
    # form (which would break every district's comparison with paper) cannot pass unnoticed.
    fp = fingerprint(example_report())
    assert fp == fingerprint(from_content(json.loads(canonical_json(to_content(example_report())))))
    assert len(fp) == 64


def test_file_identity_and_strict_tables(example_path):
    conn = sqlite3.connect(example_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    tables = [r[0] for r in conn.execute("SELECT sql FROM sqlite_schema WHERE type='table' AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    assert tables and all(sql.rstrip().endswith("STRICT") for sql in tables)
    conn.close()


def test_edit_is_committed_and_audited_at_once(example_path):
    rf = open_report_file(example_path)
    total = rf.report.budget_total_row
    rf.set_field("budget_rows", total.id, "executed", "19,800.00", reason="补录")
    # Another connection sees it before any close: nothing is held back in memory.
    other = sqlite3.connect(example_path)
    assert other.execute("SELECT executed FROM budget_rows WHERE id=?", (total.id,)).fetchone()[0] == "19800.00"
    row = other.execute("SELECT action, target, old_value, new_value, reason FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("edit", f"budget_rows.executed#{total.id}", "19738.24", "19800.00", "补录")
    other.close()
    rf.close()
    assert not Path(str(example_path) + "-journal").exists()
    assert not Path(str(example_path) + "-wal").exists()


def test_refused_value_writes_nothing(example_file):
    total = example_file.report.budget_total_row
    before = example_file.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(EditError, match="全年执行数“abc”不是有效的数字"):
        example_file.set_field("budget_rows", total.id, "executed", "abc")
    assert total.executed == Decimal("19738.24")
    assert example_file.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == before


@pytest.mark.parametrize("column,value,message", [
    ("phone_office", "020-8888abcd", "电话号码只能包含数字"),
    ("issue_date", "2023-02-30", "不是真实存在的日期"),
    ("issue_date", "下周", "不是日期"),
    ("head", "张三\x00", "控制字符"),
    ("phone_office", "123", "位数不对（3 位）"),
    ("phone_office", "020-844112345678", "位数不对（15 位）"),
    ("phone_office", "020-84201234、123", "位数不对（3 位）"),
    ("phone_mobile", "1380000", "不是 11 位手机号码"),
    ("phone_mobile", "23800000000", "不是 11 位手机号码"),
    ("phone_mobile", "020-84201234", "办公电话请填在"),
])
def test_signoff_bad_input_refused(example_file, column, value, message):
    with pytest.raises(EditError, match=message):
        example_file.set_field("report", None, column, value)


@pytest.mark.parametrize("value,stored", [
    ("13800000000", "13800000000"), ("138 0000 0000", "138 0000 0000"), ("+86 138-0000-0000", "+86 138-0000-0000"),
    ("１３８００００００００", "13800000000"), ("", ""),
])
def test_mobile_numbers_accepted(example_file, value, stored):
    assert example_file.set_field("report", None, "phone_mobile", value) == stored


@pytest.mark.parametrize("value", ["020-84201234", "84201234", "(020)84201234", "020 8420 1234", "+86 20 84201234",
                                   "13800000000", "020-84201234 13800000000", "020-84201234、020-84201235", ""])
def test_office_numbers_accepted(example_file, value):
    assert example_file.set_field("report", None, "phone_office", value) == value


def test_renaming_the_unit_renames_it_in_the_title(example_file):
    """A copy of the example made for 江海: the printed title must not keep 南洲's name."""
    rf = example_file
    old = rf.report.unit.full_name
    assert old in rf.report.title
    rf.set_field("report", None, "unit_full_name", "广州市海珠区人民政府江海街道办事处")
    assert rf.report.title == "2022年度广州市海珠区人民政府江海街道办事处部门整体支出绩效自评报告"
    assert rf.audit_log(limit=1)[0]["target"] == "report.title"
    rf.set_field("report", None, "title", "关于2022年度部门整体支出绩效的自评报告")  # a title of its own
    rf.set_field("report", None, "unit_full_name", old)
    assert rf.report.title == "关于2022年度部门整体支出绩效的自评报告"  # left as written
    path = rf.path
    rf.close()
    with open_report_file(path, read_only=True) as again:
        assert again.report.title == "关于2022年度部门整体支出绩效的自评报告"


def test_budget_row_names(example_file):
    """年度资金总额 is the table's fixed name; a 其中 row's name cannot be blank (it would print
    as a nameless row): delete the row instead."""
    rf = example_file
    total = rf.report.budget[0]
    with pytest.raises(EditError, match="不能修改"):
        rf.set_field("budget_rows", total.id, "label", "资金总额")
    with pytest.raises(EditError, match="不能修改"):
        rf.set_field("budget_rows", total.id, "label", "")
    assert rf.set_field("budget_rows", total.id, "label", "年度资金总额") == "年度资金总额"  # unchanged: fine
    basic = rf.add_budget_row(BudgetKind.BASIC, "其中：基本支出")
    with pytest.raises(EditError, match="不能为空"):
        rf.set_field("budget_rows", basic.id, "label", "  ")
    assert rf.set_field("budget_rows", basic.id, "label", "其中：人员经费") == "其中：人员经费"


def test_dates_are_stored_iso(example_file):
    assert example_file.set_field("report", None, "issue_date", "2023年3月15日") == "2023-03-15"


def test_long_text_audit_keeps_the_changed_span_only(example_file):
    sec = example_file.report.section("1.1")
    example_file.set_field("sections", sec.id, "body", sec.body + "补充一句。")
    row = example_file.conn.execute("SELECT action, old_value, new_value FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row["action"] == f"edit@{len(sec.body) - 5}" and row["old_value"] == "" and row["new_value"] == "补充一句。"


def test_rows_add_move_delete_renumber(example_file):
    rf = example_file
    first, second = rf.report.tasks[0], rf.report.tasks[1]
    rf.move_row("tasks", first.id, +1)
    assert rf.report.tasks[0] is second
    t = rf.add_task("新增任务")
    item = rf.add_task_item(t.id, "新增小项")
    rf.set_field("task_items", item.id, "body", "内容。")
    rf.close()
    with open_report_file(rf.path, read_only=True) as again:
        titles = [x.title for x in again.report.tasks]
        assert titles[0] == second.title and titles[1] == first.title and titles[-1] == "新增任务"
        assert again.report.tasks[-1].items[0].body == "内容。"


@pytest.mark.parametrize("table", ["tasks", "task_items", "budget_rows", "projects", "indicators"])
def test_deleted_row_restored_whole_under_its_id(example_file, table):
    """What 撤销 of a deletion relies on: the row comes back with its id, content and place
    (a task with its 小项), in the file as in the model, and the restore is audited."""
    rf = example_file
    if table == "budget_rows":  # the example has only 年度资金总额, which cannot be deleted
        rf.add_budget_row(BudgetKind.BASIC, "其中：基本支出")
    before = canonical_json(to_content(rf.report))
    r = rf.report
    seq, parent_id = {"tasks": (r.tasks, None), "task_items": (r.tasks[1].items, r.tasks[1].id),
                      "budget_rows": (r.budget, None), "projects": (r.projects, None),
                      "indicators": (r.indicators, None)}[table]
    at = min(1, len(seq) - 1)
    obj = seq[at]
    rf.delete_row(table, obj.id)
    assert obj not in seq and canonical_json(to_content(rf.report)) != before
    with pytest.raises(EditError):
        rf.set_field(table, obj.id, "reason" if table in ("budget_rows", "projects", "indicators") else "body", "x")
    rf.restore_row(table, obj, at, parent_id)
    assert seq[at] is obj
    assert canonical_json(to_content(rf.report)) == before
    with pytest.raises(EditError, match="已经存在"):
        rf.restore_row(table, obj, at, parent_id)
    assert rf.audit_log(limit=1)[0]["action"].startswith("restore")
    path = rf.path
    rf.close()
    with open_report_file(path, read_only=True) as again:
        assert canonical_json(to_content(again.report)) == before
        ids = [o.id for o in {"tasks": again.report.tasks, "task_items": again.report.tasks[1].items,
                              "budget_rows": again.report.budget, "projects": again.report.projects,
                              "indicators": again.report.indicators}[table]]
        assert ids[at] == obj.id


def test_the_total_budget_row_cannot_be_deleted_or_moved(example_file):
    """年度资金总额 carries the 执行率 and the 预算执行 score: without it the report can never
    be finalised again, and the window has no button to add it back.  The 其中 rows stay
    under it."""
    rf = example_file
    total = rf.report.budget[0]
    basic = rf.add_budget_row(BudgetKind.BASIC, "其中：基本支出")
    project = rf.add_budget_row(BudgetKind.PROJECT, "其中：项目支出")
    audit_before = len(rf.audit_log(limit=1000))
    with pytest.raises(EditError, match="年度资金总额.*不能删除"):
        rf.delete_row("budget_rows", total.id)
    with pytest.raises(EditError, match="第一行"):
        rf.move_row("budget_rows", total.id, +1)
    with pytest.raises(EditError, match="第一行"):
        rf.move_row("budget_rows", basic.id, -1)
    assert [b.id for b in rf.report.budget] == [total.id, basic.id, project.id]
    assert len(rf.audit_log(limit=1000)) == audit_before  # nothing happened
    rf.move_row("budget_rows", project.id, -1)  # among the 其中 rows: fine
    rf.delete_row("budget_rows", basic.id)
    assert [b.id for b in rf.report.budget] == [total.id, project.id]


def test_locked_report_refuses_edits(example_file):
    example_file.set_status(Status.FINAL)
    with pytest.raises(EditError, match="已定稿"):
        example_file.set_field("report", None, "head", "张三")
    example_file.set_status(Status.DRAFT, reason="补充签章信息", action="unlock")
    assert example_file.report.revision == 2


def test_second_opener_gets_read_only(example_path):
    first = open_report_file(example_path)
    try:
        second = open_report_file(example_path)
        assert second.read_only and "另一个窗口" in second.notice.read_only_reason
        with pytest.raises(EditError, match="只读"):
            second.set_field("report", None, "head", "张三")
        second.close()
    finally:
        first.close()
    third = open_report_file(example_path)
    assert not third.read_only
    third.close()


def test_second_process_gets_read_only(example_path):
    rf = open_report_file(example_path)
    try:
        code = ("from nanzhou_desktop.store.reportfile import open_report_file as o;"
                f"r=o({str(example_path)!r});print(r.read_only, r.notice.read_only_reason)")
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        assert out.startswith("True")
    finally:
        rf.close()


def test_disk_full_keeps_saved_work_and_recovers(example_file):
    rf = example_file
    total = rf.report.budget_total_row
    pages = rf.conn.execute("PRAGMA page_count").fetchone()[0]
    rf.conn.execute(f"PRAGMA max_page_count = {pages}")
    sec = rf.report.section("1.1")
    with pytest.raises(SaveError, match="磁盘空间不足"):
        rf.set_field("sections", sec.id, "body", sec.body + "很长的补充。" * 5000)
    assert rf.report.section("1.1").body == sec.body  # memory did not move ahead of the file
    rf.conn.execute("PRAGMA max_page_count = 1000000")
    rf.set_field("budget_rows", total.id, "executed", "19000")
    assert rf.report.budget_total_row.executed == Decimal("19000.00")


def test_crash_then_reopen_says_what_was_restored(example_path):
    code = ("import os;from nanzhou_desktop.store.reportfile import open_report_file as o;"
            f"r=o({str(example_path)!r});t=r.report.budget_total_row;"
            "r.set_field('budget_rows',t.id,'executed','18888');os._exit(9)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    with open_report_file(example_path) as rf:
        assert rf.report.budget_total_row.executed == Decimal("18888.00")
        assert "没有正常退出" in rf.notice.restored and "1 处修改" in rf.notice.restored
        assert re.search(r"截至 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d 保存", rf.notice.restored)  # not ISO
    with open_report_file(example_path) as rf:
        assert rf.notice.restored == ""


# --------------------------------------------------------------------- bad files
def _sqlite_file(path: Path, app_id: int = 0, version: int = 0) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("make,message", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_text("这不是数据库", encoding="utf-8"), "不是 SQLite"),
    (lambda p: _sqlite_file(p), "其他软件"),
    (lambda p: _sqlite_file(p, APPLICATION_ID, SCHEMA_VERSION + 1), "更新版本"),
])
def test_bad_files_get_a_clear_message_and_stay_untouched(tmp_path, make, message):
    path = tmp_path / "bad.sqlite"
    make(path)
    before = path.read_bytes()
    with pytest.raises(ReportFileError, match=message):
        open_report_file(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + ".lock").exists()


def test_truncated_file(tmp_path, example_path):
    data = example_path.read_bytes()
    for cut in (50, len(data) // 2):
        path = tmp_path / f"cut{cut}.sqlite"
        path.write_bytes(data[:cut])
        with pytest.raises(ReportFileError, match="不完整|已损坏"):
            open_report_file(path)
        assert path.read_bytes() == data[:cut]


def test_directory_and_missing(tmp_path):
    with pytest.raises(ReportFileError, match="文件夹"):
        open_report_file(tmp_path)
    with pytest.raises(ReportFileError, match="找不到"):
        open_report_file(tmp_path / "nope.sqlite")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_opens_read_only(example_path):
    example_path.chmod(0o444)
    with open_report_file(example_path) as rf:
        assert rf.read_only and "只读" in rf.notice.read_only_reason


def test_read_only_request(example_path):
    before = example_path.read_bytes()
    with open_report_file(example_path, read_only=True) as rf:
        assert rf.read_only
    assert example_path.read_bytes() == before


# --------------------------------------------------------------------- migrations
def test_version_1_file_is_migrated_after_a_backup(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(Database(conn), up_to=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    report = example_report()
    # A version-1 file as the first release wrote it: no prior-year columns, no exports.
    conn.execute("INSERT INTO report (id, uuid, fiscal_year, unit_full_name) VALUES (1, ?, 2022, ?)",
                 (report.uuid, report.unit.full_name))
    conn.execute("INSERT INTO budget_rows (position, kind, label, budget_total, executed) VALUES (0,'total','年度资金总额','19910.75','19738.24')")
    conn.close()
    old_bytes = path.read_bytes()
    with open_report_file(path) as rf:
        assert rf.notice.migrated_backup is not None
        assert rf.notice.migrated_backup.read_bytes() == old_bytes
        assert rf.report.budget_total_row.executed == Decimal("19738.24")
        assert rf.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert rf.exports() == []
        rf.set_field("budget_rows", rf.report.budget_total_row.id, "prior_executed", "18000")


def test_write_example_refuses_to_overwrite(tmp_path):
    p = write_example(tmp_path / "e.sqlite")
    with pytest.raises(ReportFileError, match="已存在"):
        write_example(p)


def test_schema_resources_match_the_migrations():
    """resources/schema/*.json (read at every open) equals what the migrations make;
    regenerate with `python -m nanzhou_desktop.store.schema` after adding a migration."""
    from nanzhou_desktop.store.schema import compute_expected_schema, expected_schema

    for version in range(1, SCHEMA_VERSION + 1):
        expected_schema.cache_clear()
        assert expected_schema(version) == compute_expected_schema(version), version


def test_opening_a_current_file_does_not_import_sqlite_utils(example_path):
    code = ("import sys;from nanzhou_desktop.store.reportfile import open_report_file as o;"
            f"o({str(example_path)!r}).close();print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_canonical_json_normalises_every_string_to_nfc():
    from hypothesis import given
    from hypothesis import strategies as st

    # keys are ASCII in the content format (to_content), values any text
    @given(st.dictionaries(st.text(alphabet="abcdefgh_", max_size=5), st.lists(st.text(max_size=8), max_size=3), max_size=4))
    def check(data):
        import unicodedata

        def norm(v):
            if isinstance(v, str):
                return unicodedata.normalize("NFC", v)
            if isinstance(v, list):
                return [norm(x) for x in v]
            return {norm(k): norm(x) for k, x in v.items()}

        expected = json.dumps(norm(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert canonical_json(data) == expected

    check()
    # decomposed é (e + U+0301) hashes like the composed one
    assert canonical_json({"a": "e\u0301"}) == canonical_json({"a": "\u00e9"})
