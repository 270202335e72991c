"""End to end: check / explain / finalize / unlock as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nanzhou_desktop.store.reportfile import open_report_file
from tests.conftest import ROOT

SHORTFALL = "indicator.shortfall@indicator:政务服务事项办结率"


def cli(*args: str, rc: int | None = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    if rc is not None:
        assert result.returncode == rc, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def test_check_groups_findings_and_exits_1_on_errors(example_path: Path) -> None:
    out = cli("check", str(example_path), rc=1).stdout
    assert "自评得分 95.12 分，等级“优”：预算执行率 9.91/10 分（执行率 99.13%），绩效指标 85.20/90 分" in out
    assert "填报完成度 94.87%（111/117 项）" in out
    assert "错误 6 个，警告 6 个（0 个已有出错说明），提示 2 个" in out
    assert out.index("【二、综合评价分析】") < out.index("【绩效指标表】") < out.index("【单位与签章信息】")
    assert "编号：narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量" in out
    assert "建议：把“310000 万平方米”改为“310000 平方米”" in out
    assert f"编号：{SHORTFALL}" in out


def test_check_json(example_path: Path) -> None:
    data = json.loads(cli("check", "--json", str(example_path), rc=1).stdout)
    assert data["score"]["budget_score_display"] == "9.91"
    assert data["score"]["grade"] == "优"
    assert data["counts"] == {"错误": 6, "警告": 6, "提示": 2}
    assert data["completion"]["per_section"]["signoff"] == {"filled": 1, "required": 7}
    slip = next(f for f in data["findings"] if f["rule"] == "narrative.unit_mismatch")
    assert slip["where"]["table"] == "task_items" and slip["where"]["length"] == 40
    assert slip["severity"] == "警告" and slip["blocks_finalising"] is True


def test_explain_then_check_shows_it(example_path: Path) -> None:
    out = cli("explain", str(example_path), SHORTFALL, "19 件材料不全，转下年办理").stdout
    assert "已保存出错说明" in out
    out = cli("check", str(example_path), rc=1).stdout
    assert "出错说明：19 件材料不全，转下年办理" in out
    assert "（1 个已有出错说明）" in out


def test_explain_refusals(example_path: Path) -> None:
    err = cli("explain", str(example_path), "completeness.signoff@signoff:head", "稍后补", rc=3).stderr
    assert "是错误，必须改正后才能定稿" in err
    err = cli("explain", str(example_path), "no.such@key", "说明", rc=3).stderr
    assert "没有编号为“no.such@key”的问题" in err
    err = cli("explain", str(example_path / "x"), SHORTFALL, "说明", rc=3).stderr
    assert err.strip() and "\n" not in err.strip()


def test_finalize_refused_lists_blocking_findings_then_succeeds_and_unlock(example_path: Path) -> None:
    err = cli("finalize", str(example_path), rc=3).stderr
    assert err.startswith("不能定稿：还有 6 个错误需要改正、6 个警告需要填写出错说明。")
    assert "completeness.signoff@signoff:issue_date" in err and SHORTFALL in err

    with open_report_file(example_path) as rf:
        for col, value in (("head", "张三"), ("finance_head", "李四"), ("preparer", "王五"),
                           ("phone_mobile", "13800000000"), ("fill_date", "2023-03-10"),
                           ("issue_date", "2023-03-15")):
            rf.set_field("report", None, col, value)
    data = json.loads(cli("check", "--json", str(example_path), rc=0).stdout)
    for f in data["findings"]:
        if f["severity"] == "警告":
            cli("explain", str(example_path), f["key"], "已核实，情况属实")
    out = cli("finalize", str(example_path)).stdout
    assert "已定稿" in out and "内容指纹：" in out
    assert "状态：已定稿" in cli("check", str(example_path)).stdout

    err = cli("unlock", str(example_path), "--reason", " ", rc=3).stderr
    assert "必须写明原因" in err
    out = cli("unlock", str(example_path), "--reason", "区财政局退回修改").stdout
    assert "修订号 2" in out
    assert "状态：草稿  修订号：2" in cli("check", str(example_path)).stdout


def test_unlock_needs_the_reason_option(example_path: Path) -> None:
    err = cli("unlock", str(example_path), rc=2).stderr
    assert "缺少参数" in err
