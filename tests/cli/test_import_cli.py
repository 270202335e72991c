"""End to end: ``import`` and ``next-year`` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_report_files_cli import cli
from tests.conftest import SEED


def test_import_the_example_document_prints_the_mapping_and_writes_the_report(tmp_path: Path):
    out = tmp_path / "南洲2022.sqlite"
    r = cli("import", str(SEED), "-o", str(out))
    assert "（三）部门整体收支情况：" in r.stdout and "工作任务 7 项，小项 21 个" in r.stdout
    assert "年度资金总额·全年预算数：19,910.75 万元（已填入表格）" in r.stdout
    assert "没有未放置的文字" in r.stdout
    assert "读入的 4 个表格数字来自正文或附表" in r.stdout
    show = cli("show", str(out)).stdout
    assert "全年预算数 19,910.75 万元，全年执行数 19,738.24 万元，执行率 99.13%" in show
    # Same narrative and tables as the built-in example.
    demo = tmp_path / "demo.sqlite"
    cli("demo", str(demo))
    ours, theirs = json.loads(cli("dump", str(out)).stdout), json.loads(cli("dump", str(demo)).stdout)
    assert [s["heading"] for s in ours["sections"]] == [s["heading"] for s in theirs["sections"]]
    assert [t["title"] for t in ours["tasks"]] == [t["title"] for t in theirs["tasks"]]
    assert ours["projects"][0]["budget_total"] == theirs["projects"][0]["budget_total"] == "1802.25"


def test_import_lists_what_was_not_placed_and_what_was_dropped(tmp_path: Path):
    doc = tmp_path / "其他.txt"
    doc.write_text("附件2\n2023年度某某街道办事处部门整体支出绩效自评报告\n一、单位基本情况\n（一）部门职能\n"
                   "负责辖区管理。\n- 2 -\n三、存在问题\n人手不足。\n", encoding="utf-8")
    r = cli("import", str(doc), "-o", str(tmp_path / "r.sqlite"), "--template", "guangzhou_street_2022")
    assert "没有未放置的文字" in r.stdout and "附件标记：附件2" in r.stdout
    assert "单位：某某街道办事处（由标题识别，请核对）" in r.stdout and "年度：2023（由标题识别，请核对）" in r.stdout
    assert "“- 2 -”（页码）" in r.stdout
    assert "按措辞对应提纲“部门概况”" in r.stdout


def test_import_overrides_and_bad_input(tmp_path: Path):
    doc = tmp_path / "无标题.txt"
    doc.write_text("一、基本情况\n（一）部门概况\n负责辖区管理。\n", encoding="utf-8")
    out = tmp_path / "r.sqlite"
    # No unit or year in the document: the report is made, and the summary says what to do.
    r = cli("import", str(doc), "-o", str(tmp_path / "unknown.sqlite"))
    assert "单位：未识别" in r.stdout and "年度：未识别" in r.stdout and "Traceback" not in r.stderr
    assert "completeness.year" in cli("check", str(tmp_path / "unknown.sqlite"), "--json", check_rc=1).stdout
    cli("import", str(doc), "-o", str(out), "--unit", "某某街道办事处", "--year", "2024")
    assert "2024年度某某街道办事处" in cli("show", str(out)).stdout
    # Existing output, empty document, wrong content: one sentence each, nothing written.
    r = cli("import", str(doc), "-o", str(out), check_rc=3)
    assert "已存在" in r.stderr
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    r = cli("import", str(empty), "-o", str(tmp_path / "e.sqlite"), check_rc=3)
    assert r.stderr.strip() == "文件“空.docx”是空的，没有可导入的内容"
    assert not (tmp_path / "e.sqlite").exists()
    r = cli("import", str(doc), "-o", str(tmp_path / "y.sqlite"), "--year", "abc", check_rc=2)
    assert "年度“abc”不是数字" in r.stderr


def test_next_year_from_the_example(tmp_path: Path):
    old, new = tmp_path / "2022.sqlite", tmp_path / "2023.sqlite"
    cli("demo", str(old))
    r = cli("next-year", str(old), "-o", str(new))
    assert "2023年度" in r.stdout and "13 个绩效指标" in r.stdout
    dump = json.loads(cli("dump", str(new)).stdout)
    assert dump["year"] == 2023 and all(s["body"] == "" for s in dump["sections"])
    assert dump["budget"][0]["prior_budget_total"] == "19910.75" and dump["budget"][0]["budget_total"] is None
    assert dump["indicators"][0]["prior_actual"] == "310297" and dump["indicators"][0]["actual"] == ""
    r = cli("next-year", str(old), "-o", str(new), check_rc=3)
    assert "已存在" in r.stderr
