"""定稿 / 解除定稿 / 出错说明 on real report files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nanzhou_desktop.content import fingerprint, from_content, to_content
from nanzhou_desktop.model import Status
from nanzhou_desktop.rules import Severity, check
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file
from nanzhou_desktop.workflow import ExplainRefused, FinaliseRefused, explain, finalise, unexplain, unlock

SHORTFALL = "indicator.shortfall@indicator:政务服务事项办结率"
SLIP = "narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量"


def _fill_signoff(rf) -> None:
    for col, value in (("head", "张三"), ("finance_head", "李四"), ("preparer", "王五"),
                       ("phone_office", "020-84000000"), ("fill_date", "2023年3月10日"),
                       ("issue_date", "2023-03-15")):
        rf.set_field("report", None, col, value)


def _explain_all_warnings(rf) -> None:
    for f in check(rf.report).findings:
        if f.severity == Severity.WARNING:
            explain(rf, f.key, f"已核实：{f.seen}")


def test_finalise_refuses_and_lists_every_blocking_finding(example_file) -> None:
    with pytest.raises(FinaliseRefused) as err:
        finalise(example_file)
    msg = str(err.value)
    assert msg.startswith("不能定稿：还有 6 个错误需要改正、6 个警告需要填写出错说明。")
    blocking = check(example_file.report).blocking
    assert len(err.value.findings) == len(blocking) == 12
    for f in blocking:
        assert f.key in msg
    assert "format.separators" not in msg  # 提示 never blocks
    assert example_file.report.status == Status.DRAFT


def test_finalise_after_fixing_errors_and_explaining_warnings(example_file) -> None:
    _fill_signoff(example_file)
    with pytest.raises(FinaliseRefused) as err:
        finalise(example_file)
    assert str(err.value).startswith("不能定稿：还有 6 个警告需要填写出错说明。")
    _explain_all_warnings(example_file)
    result = finalise(example_file)
    assert not result.blocking
    r = example_file.report
    assert r.status == Status.FINAL
    assert r.final_fingerprint == fingerprint(r)
    assert any(a["action"].startswith("finalise") for a in example_file.audit_log())
    with pytest.raises(EditError, match="只有草稿可以定稿"):
        finalise(example_file)


def test_a_filled_reason_satisfies_a_shortfall(example_file) -> None:
    ind = next(i for i in example_file.report.indicators if i.level3 == "政务服务事项办结率")
    assert check(example_file.report).by_key(SHORTFALL) is not None
    example_file.set_field("indicators", ind.id, "reason", "19 件因材料不全转下年办理")
    assert check(example_file.report).by_key(SHORTFALL) is None


def test_explain_refuses_errors_infos_and_unknown_keys(example_file) -> None:
    with pytest.raises(ExplainRefused, match="是错误，必须改正"):
        explain(example_file, "completeness.signoff@signoff:head", "稍后补签")
    with pytest.raises(ExplainRefused, match="只是提示"):
        explain(example_file, "format.separators@report:separators", "习惯写法")
    with pytest.raises(ExplainRefused, match="没有编号为“budget.rate_low@budget:total”"):
        explain(example_file, "budget.rate_low@budget:total", "执行率正常")
    with pytest.raises(EditError, match="不能为空"):
        explain(example_file, SHORTFALL, "   ")
    assert example_file.report.explanations == {}


def test_explanation_is_stored_with_who_and_when_and_survives_reopening(example_path: Path) -> None:
    with open_report_file(example_path, who="王五") as rf:
        exp = explain(rf, SLIP, "任务量应为 310000 平方米，正文笔误，打印前改正")
        assert exp.author == "王五" and exp.at
        assert any(a["action"] == "explain" and a["target"] == SLIP for a in rf.audit_log())
    with open_report_file(example_path, read_only=True) as rf:
        f = check(rf.report).by_key(SLIP)
        assert f is not None and f.explained and not f.blocks_finalising
        assert f.explanation.text.startswith("任务量应为")
        assert f.explanation.author == "王五"


def test_explanation_survives_moves_and_dump_round_trip(example_path: Path, tmp_path: Path) -> None:
    with open_report_file(example_path) as rf:
        explain(rf, SHORTFALL, "转下年办理")
        ind = next(i for i in rf.report.indicators if i.level3 == "政务服务事项办结率")
        rf.move_row("indicators", ind.id, -2)
        rf.move_row("tasks", rf.report.tasks[4].id, -3)
        assert check(rf.report).by_key(SHORTFALL).explained
        data = json.loads(json.dumps(to_content(rf.report), ensure_ascii=False))
    copy = create_report_file(tmp_path / "copy.sqlite", from_content(data))
    with open_report_file(copy, read_only=True) as rf:
        f = check(rf.report).by_key(SHORTFALL)
        assert f is not None and f.explained and f.explanation.text == "转下年办理"


def test_unexplain(example_file) -> None:
    explain(example_file, SHORTFALL, "转下年办理")
    unexplain(example_file, SHORTFALL)
    assert check(example_file.report).by_key(SHORTFALL).blocks_finalising
    with pytest.raises(ExplainRefused):
        unexplain(example_file, SHORTFALL)


def test_unlock_needs_a_reason_and_raises_the_revision(example_file) -> None:
    with pytest.raises(EditError, match="尚未定稿"):
        unlock(example_file, "区里退回")
    _fill_signoff(example_file)
    _explain_all_warnings(example_file)
    finalise(example_file)
    with pytest.raises(EditError, match="必须写明原因"):
        unlock(example_file, "  ")
    assert example_file.report.status == Status.FINAL
    unlock(example_file, "区财政局退回：请补充偏差原因")
    r = example_file.report
    assert r.status == Status.DRAFT and r.revision == 2 and r.final_fingerprint == ""
    entry = next(a for a in example_file.audit_log() if a["action"].startswith("unlock"))
    assert entry["reason"] == "区财政局退回：请补充偏差原因"


def test_editing_after_unlock_brings_findings_back(example_file) -> None:
    _fill_signoff(example_file)
    _explain_all_warnings(example_file)
    finalise(example_file)
    unlock(example_file, "修改预算数")
    row = example_file.report.budget_total_row
    example_file.set_field("budget_rows", row.id, "budget_total", "19,920.75")
    with pytest.raises(FinaliseRefused) as err:
        finalise(example_file)
    assert "narrative.budget_mismatch@sections:1.3/全年预算数" in str(err.value)
    assert "narrative.budget_mismatch@sections:2.1/全年预算数" in str(err.value)


def test_explanations_follow_a_renamed_indicator_and_sub_item(example_file) -> None:
    """Renaming the row an 出错说明 is about keeps it explained (keys name rows by their name)."""
    from nanzhou_desktop.workflow import follow_rename

    rf = example_file
    ind_key = "indicator.shortfall@indicator:政务服务事项办结率"
    text_key = "narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量"
    explain(rf, ind_key, "年末集中受理，次年初办结。")
    explain(rf, text_key, "单位写法已核对。")
    ind = next(i for i in rf.report.indicators if i.level3 == "政务服务事项办结率")
    rf.set_field("indicators", ind.id, "level3", "政务服务事项按时办结率")
    assert follow_rename(rf, "indicators", ind.id, "level3", "政务服务事项办结率", "政务服务事项按时办结率") == 1
    task = next(t for t in rf.report.tasks if t.title == "城区治理水平不断提升")
    item = next(i for i in task.items if i.title.startswith("整治管理稳步加强"))
    old_title = item.title
    rf.set_field("task_items", item.id, "title", "整治管理持续加强")
    assert follow_rename(rf, "task_items", item.id, "title", old_title, "整治管理持续加强") == 1
    # Both warnings are still there, under the new names, and still explained.
    explained = {f.key: f.explanation for f in check(rf.report).findings if f.severity == Severity.WARNING}
    assert explained["indicator.shortfall@indicator:政务服务事项按时办结率"].text == "年末集中受理，次年初办结。"
    assert explained[text_key.replace("整治管理稳步加强", "整治管理持续加强")].text == "单位写法已核对。"
    assert ind_key not in rf.report.explanations
    # In the file too, and audited.
    path = rf.path
    rf.close()
    with open_report_file(path, read_only=True) as again:
        assert "indicator.shortfall@indicator:政务服务事项按时办结率" in again.report.explanations
        assert any(e["action"] == "rekey" for e in again.audit_log())


def test_a_rename_moves_only_the_renamed_rows_explanations(example_file) -> None:
    from nanzhou_desktop.workflow import renamed_keys

    r = example_file.report
    explain(example_file, "indicator.shortfall@indicator:城中村改造私宅签约率", "说明。")
    text_key = "narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量"
    explain(example_file, text_key, "说明。")
    other = next(i for i in r.indicators if i.level3 == "政务服务事项办结率")
    assert renamed_keys(r, "indicators", other.id, "level3", "政务服务事项办结率", "新名称") == {}
    assert renamed_keys(r, "indicators", other.id, "unit", "%", "％") == {}  # not part of any key
    # A sub-item of the same title under another task is another row.
    task = r.tasks[0]
    assert task.title != "城区治理水平不断提升"
    assert renamed_keys(r, "task_items", task.items[0].id, "title", "整治管理稳步加强", "新") == {}
    # The right row moves only its own key, whole segments only.
    owner = next(t for t in r.tasks if t.title == "城区治理水平不断提升")
    item = next(i for i in owner.items if i.title.startswith("整治管理稳步加强"))
    assert renamed_keys(r, "task_items", item.id, "title", "整治管理稳步", "新") == {}
    assert renamed_keys(r, "task_items", item.id, "title", "整治管理稳步加强。", "新") == {
        text_key: text_key.replace("/整治管理稳步加强/", "/新/")}
