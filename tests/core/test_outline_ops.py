"""The report's own outline: add, rename, move, delete, mark optional — written, audited,
renumbered, undone, and the same after reopening."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanzhou_desktop.example import write_example
from nanzhou_desktop.rules import check
from nanzhou_desktop.store import outline as ops
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.reportfile import open_report_file


def _tree(report) -> list[tuple[str, int, str, str]]:
    return [(s.key, s.level, s.number, s.heading) for s in report.sections]


def _file_tree(rf) -> list[tuple[str, int, str, str]]:
    return [(r["key"], r["level"], r["number"], r["heading"])
            for r in rf.conn.execute("SELECT * FROM sections ORDER BY position, id")]


@pytest.fixture()
def rf(tmp_path: Path):
    f = open_report_file(write_example(tmp_path / "e.sqlite"))
    yield f
    f.close()


def test_add_a_subsection_renumbers_and_is_audited(rf) -> None:
    sec, undo = ops.add_section(rf, "1", "机构设置与人员情况", index=1)
    r = rf.report
    assert [(s.number, s.heading) for s in r.children("1")][:3] == [
        ("（一）", "部门概况"), ("（二）", "机构设置与人员情况"), ("（三）", "年度总体工作和重点工作任务")]
    assert r.section("1.4").number == "（五）" and sec.key == "1.5" and not sec.required
    assert _file_tree(rf) == _tree(r)
    audit = rf.audit_log(5)
    assert audit[0]["action"] == "add" and audit[0]["new_value"] == "机构设置与人员情况"
    assert "提纲" in audit[0]["reason"]
    ops.undo(rf, undo)
    assert r.section(sec.key) is None and r.section("1.2").number == "（二）"
    assert _file_tree(rf) == _tree(r)


def test_a_new_part_at_the_top_and_a_third_level(rf) -> None:
    part, _ = ops.add_section(rf, "", "其他需说明的情况")
    assert part.level == 1 and part.number == "五、" and part.key == "5"
    third, _ = ops.add_section(rf, "4.1", "加强党建引领")
    assert third.level == 3 and third.number == "1." and third.key == "4.1.1"
    assert rf.report.parent(third.key).key == "4.1"


def test_move_down_up_and_under_another_part(rf) -> None:
    r = rf.report
    ops.step_section(rf, "3", +1)  # 三、存在的主要问题 after 四、
    assert [(s.key, s.number) for s in r.top_sections()] == [("1", "一、"), ("2", "二、"), ("4", "三、"), ("3", "四、")]
    assert ops.step_section(rf, "3", +1) is None  # already last
    undo = ops.move_section(rf, "2.4", "1", 0)  # 主要工作成效 first under 一、, as （一）
    assert r.section("2.4").number == "（一）" and r.section("2.4").level == 2
    assert r.section("1.1").number == "（二）"
    assert [s.key for s in r.children("2")] == ["2.1", "2.2", "2.3"]
    ops.undo(rf, undo)
    assert [s.key for s in r.children("2")] == ["2.1", "2.2", "2.3", "2.4"]
    assert _file_tree(rf) == _tree(r)


def test_move_a_part_with_its_subsections_down_a_level(rf) -> None:
    r = rf.report
    ops.move_section(rf, "4", "3", 0)  # 四、 (with its four sub-sections) under 三、
    assert r.section("4").level == 2 and r.section("4").number == "（一）"
    assert [s.level for s in r.subtree("4")] == [2, 3, 3, 3, 3]
    assert [s.number for s in r.subtree("4")][1:] == ["1.", "2.", "3.", "4."]
    assert _file_tree(rf) == _tree(r)
    with pytest.raises(EditError, match="不能把.*移到它自己的下级章节里"):
        ops.move_section(rf, "3", "4.1", 0)


def test_delete_refusals_name_the_reason(rf) -> None:
    with pytest.raises(EditError, match="必填章节.*先把它标记为“可选”"):
        ops.remove_section(rf, "3")
    with pytest.raises(EditError, match="预算执行情况"):
        ops.set_required(rf, "1.3", False)
        ops.remove_section(rf, "1.3")
    with pytest.raises(EditError, match="工作任务.*请先删除这些任务"):
        ops.remove_section(rf, "2.2")
    with pytest.raises(EditError, match="必填"):
        ops.remove_section(rf, "1")  # optional itself, but 1.1 under it is required


def test_delete_with_text_is_undone_with_text_and_ids(rf) -> None:
    r = rf.report
    body = r.section("4.2").body
    assert ops.has_text(r, "4.2") > 0
    old_id = r.section("4.2").id
    undo = ops.remove_section(rf, "4.2")
    assert r.section("4.2") is None and r.section("4.3").number == "（二）"
    redo = ops.undo(rf, undo)
    again = r.section("4.2")
    assert again.body == body and again.id == old_id and again.number == "（二）"
    assert _file_tree(rf) == _tree(r)
    ops.undo(rf, redo)  # redo the deletion
    assert r.section("4.2") is None


def test_mark_optional_changes_what_is_required(rf) -> None:
    r = rf.report
    r.section("3").body = ""  # what check sees; the file keeps the text
    keys = {f.key for f in check(r).findings}
    assert "completeness.section@section:3" in keys
    undo = ops.set_required(rf, "3", False)
    assert "completeness.section@section:3" not in {f.key for f in check(r).findings}
    ops.undo(rf, undo)
    assert r.section("3").required


def test_the_edited_outline_is_there_after_reopening(tmp_path: Path) -> None:
    path = write_example(tmp_path / "e.sqlite")
    with open_report_file(path) as rf:
        ops.add_section(rf, "2", "绩效指标完成情况", index=2)
        ops.step_section(rf, "3", +1)
        ops.set_required(rf, "2.4", False)
        ops.remove_section(rf, "2.4")
        rf.set_field("sections", rf.report.section("1.1").id, "heading", "部门职能")
        expected = _tree(rf.report)
    with open_report_file(path) as rf:
        assert _tree(rf.report) == expected
        assert rf.report.section("1.1").heading == "部门职能"
        assert [s.number for s in rf.report.children("2")] == ["（一）", "（二）", "（三）", "（四）"]


def test_a_new_key_is_never_one_an_explanation_was_stored_under(rf) -> None:
    rf.explain("length.table_text@section:4.5", "说明")
    sec, _ = ops.add_section(rf, "4", "新增一节")
    assert sec.key == "4.6"


def test_a_rule_whose_section_is_gone_does_not_fire(rf) -> None:
    """The table-cell length rule names 二（一）自评结论综述; deleting that section leaves the rule
    silent, never a traceback."""
    r = rf.report
    r.section("2.1").body = "很长的结论。" * 60  # over the 200-character cell
    assert any(f.rule == "length.table_text" for f in check(r).findings)
    ops.set_required(rf, "2.1", False)
    ops.remove_section(rf, "2.1")
    assert not any(f.rule == "length.table_text" for f in check(r).findings)


def test_sections_stop_at_the_limit_every_reader_keeps(rf, monkeypatch) -> None:
    from nanzhou_desktop import limits

    monkeypatch.setitem(limits.ROWS_MAX, "sections", len(rf.report.sections) + 1)
    ops.add_section(rf, "4", "最后一节")
    with pytest.raises(EditError, match="达到上限"):
        ops.add_section(rf, "4", "再多一节")
