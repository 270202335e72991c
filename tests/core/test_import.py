"""Importing a report document: the example document, other outlines, mending, figures."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.importing import Place, import_bytes, import_document
from nanzhou_desktop.importing.outline import parse_heading, similarity
from nanzhou_desktop.importing.text import mend_spaces
from nanzhou_desktop.model import SectionKind
from nanzhou_desktop.narrative import plain_text
from nanzhou_desktop.template import load_template
from tests.conftest import SEED


def normalise(text: str) -> str:
    """Whitespace removed; half-width "(1)" at a line start written as the generated （1）."""
    text = re.sub(r"(?m)^\((\d+)\)", r"（\1）", text)
    return re.sub(r"\s+", "", text)


def assert_same_narrative(ours: str, theirs: str) -> None:
    a, b = normalise(ours), normalise(theirs)
    if a != b:
        i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        raise AssertionError(f"differs at {i}: imported …{a[i-20:i+20]}… expected …{b[i-20:i+20]}…")


def structure(report):
    return ([(s.key, s.level, s.number, s.heading, s.kind, s.required) for s in report.sections],
            [(t.title, [i.title for i in t.items]) for t in report.tasks])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------- the example document
@pytest.fixture(scope="module")
def imported():
    return import_document(SEED)


def test_example_document_imports_to_the_built_in_example(imported):
    ex = example_report()
    assert_same_narrative(plain_text(imported.report), plain_text(ex))
    assert structure(imported.report) == structure(ex)
    # Section by section and item by item, not only as one string.
    for ours, theirs in zip(imported.report.sections, ex.sections, strict=True):
        assert squash(ours.body) == squash(theirs.body), ours.key
        assert ours.body.count("\n") == theirs.body.count("\n"), ours.key  # same paragraphs
    for ours, theirs in zip(imported.report.tasks, ex.tasks, strict=True):
        assert squash(ours.body) == squash(theirs.body)
        for a, b in zip(ours.items, theirs.items, strict=True):
            assert squash(a.body) == squash(b.body), a.title
    assert (imported.report.unit.full_name, imported.report.unit.short_name, imported.report.unit.district) == (
        "广州市海珠区人民政府南洲街道办事处", "南洲街道", "海珠区")
    assert imported.report.year == 2022 and imported.report.title == ex.title


def test_example_document_tables_equal_the_examples(imported):
    ex = example_report()
    ours = imported.report.budget_total_row
    assert (ours.budget_total, ours.executed) == (ex.budget_total_row.budget_total, ex.budget_total_row.executed)
    assert [(p.name, p.budget_total, p.executed) for p in imported.report.projects] == [
        (p.name, p.budget_total, p.executed) for p in ex.projects]


def test_filled_figures_are_listed_as_from_the_text(imported):
    filled = {(f.label, f.value, f.table, f.column) for f in imported.unconfirmed}
    assert filled == {
        ("年度资金总额·全年预算数", Decimal("19910.75"), "budget_rows", "budget_total"),
        ("年度资金总额·全年执行数", Decimal("19738.24"), "budget_rows", "executed"),
        ("疫情防控项目·预算数", Decimal("1802.25"), "projects", "budget_total"),
        ("疫情防控项目·执行数", Decimal("1802.25"), "projects", "executed"),
    }
    budget_fig = next(f for f in imported.unconfirmed if f.column == "budget_total" and f.table == "budget_rows")
    body = imported.report.section(budget_fig.section_key).body
    assert budget_fig.section_key == "1.3"
    assert body[budget_fig.offset:budget_fig.offset + budget_fig.length] == budget_fig.sentence
    # The rate claims and the repetition in 二（一） are checked, not filled.
    claims = [f for f in imported.figures if not f.filled]
    assert {f.section_key for f in claims} == {"1.3", "2.1", "2.3"}
    assert all("一致" in f.note and "不一致" not in f.note for f in claims)


def test_nothing_of_the_example_document_is_lost(imported):
    assert imported.lost_characters() == {}
    assert imported.not_placed == [] and imported.drops == []


# ---------------------------------------------------------------------- another outline
OTHER = """附件2
2023年度广州市海珠区人民政府某某街道办事处部门整体支出绩效自评报告
一、单位基本情况
(一)部门职能
某某街道办事处是区政府派出机构，负责本辖区的行政管理工作。
(二) 设置机构及人员情况
街道内设 8 个 科 室，在编人员 120 人，编外人员 35 人。
某某街道 2023 年度自评报告
(三)年度总体工作和重点工作任务
全年围绕中心工作，推进城市更新和基层治理，完成各项
- 2 -
某某街道 2023 年度自评报告
重点任务。
(四)部门整体支出绩效目标
保障街道正常运转，完成年度重点工作任务。
二、绩效自评情况
(一)自评结论
全年预算数 1, 234.50 万元，执行数 1,200.00 万元，完成预算的 97.21 %。
(二)重点项目情况
城市管理项目全年预算数 300 万元，执行数 290 万元，完成预算的 96.67%。
- 3 -
某某街道 2023 年度自评报告
三、存在问题
一是基层力量仍显不足；二是部分项目支出进度偏慢。
四、其他需要说明的情况
无。
"""


GUANGZHOU = load_template("guangzhou_street_2022")


def test_the_closest_template_is_picked():
    """OTHER is worded like the 广东 county format (部门职能 / 设置机构及人员情况 / 部门整体支出绩效目标):
    that template is picked, and the summary says why."""
    result = import_bytes(OTHER.encode("utf-8"), "其他提纲.txt")
    assert result.template_id == "guangdong_county_2021" and result.template_how.startswith("按章节标题对应")
    assert any(line.startswith("模板：") and "guangdong_county_2021" in line for line in result.summary_lines())


@pytest.fixture(scope="module")
def other():
    return import_bytes(OTHER.encode("utf-8"), "其他提纲.txt", template=GUANGZHOU)


def test_a_different_outline_maps_to_the_closest_sections_and_keeps_unknown_ones(other):
    r = other.report
    by_heading = {s.heading: s for s in r.sections}
    assert by_heading["部门职能"].key == "1.1"  # 部门概况, by synonym
    assert by_heading["年度总体工作和重点工作任务"].key == "1.2"
    assert by_heading["单位基本情况"].key == "1"
    assert by_heading["自评结论"].key == "2.1"
    assert by_heading["重点项目情况"].kind == SectionKind.PROJECTS
    assert by_heading["存在问题"].key == "3"
    # 一、 has four sub-headings like the template's part: the fourth, worded differently and
    # matching nothing else, stands for the template's fourth, and the preview says why.
    assert by_heading["部门整体支出绩效目标"].key == "1.4"
    assert next(b.how for b in other.blocks if b.title == "部门整体支出绩效目标") == "位置"
    # Unknown headings are their own sections, with their text.
    for unknown in ("设置机构及人员情况", "其他需要说明的情况"):
        sec = by_heading[unknown]
        assert sec.key not in {"1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3", "4"}
        assert sec.body, unknown
    assert by_heading["设置机构及人员情况"].body == "街道内设 8 个科室，在编人员 120 人，编外人员 35 人。"
    # The document's outline wins: no template section it lacks is added (issue 14: empty 广州
    # sections made 16 false errors a document), and it keeps its own numbers.
    assert r.section("1.3") is None and r.section("2.2") is None
    assert [s.number for s in r.sections if s.level == 1] == ["一、", "二、", "三、", "四、"]
    assert [s.number for s in r.sections if s.level == 2] == ["（一）", "（二）", "（三）", "（四）", "（一）", "（二）"]
    # … unless the user asks for them in the preview.
    other.add_template_sections()
    assert other.report.section("1.3").kind == SectionKind.BUDGET and other.report.section("1.3").body == ""
    assert [s.number for s in other.report.sections if s.level == 1][:4] == ["一、", "二、", "三、", "四、"]
    other.remove_template_sections()
    assert other.report.section("1.3") is None


def test_a_different_outline_mends_breaks_and_drops_running_lines_explicitly(other):
    r = other.report
    assert r.section("1.2").body == "全年围绕中心工作，推进城市更新和基层治理，完成各项重点任务。"
    assert sorted({(d.text, d.reason) for d in other.drops}) == [
        ("- 2 -", "页码"), ("- 3 -", "页码"), ("某某街道 2023 年度自评报告", "页眉页脚")]
    assert other.not_placed == []
    assert [b.text for b in other.blocks if b.role == "mark"] == ["附件2"]  # listed in the preview, kept
    assert other.lost_characters() == {}
    assert r.year == 2023 and r.unit.full_name == "广州市海珠区人民政府某某街道办事处"


def test_a_different_outline_figures(other):
    r = other.report
    assert (r.budget_total_row.budget_total, r.budget_total_row.executed) == (Decimal("1234.50"), Decimal("1200.00"))
    assert [(p.name, p.budget_total, p.executed) for p in r.projects] == [
        ("城市管理项目", Decimal("300"), Decimal("290"))]
    rate = next(f for f in other.figures if f.label == "完成预算的百分比（正文所述）")
    assert rate.value == Decimal("97.21") and "不一致" not in rate.note


def test_the_character_check_can_fail():
    """The multiset check is not vacuous: text the result does not account for shows up."""
    result = import_bytes(OTHER.encode("utf-8"), "x.txt", template=GUANGZHOU)
    result.source_text += "\n额外"
    assert result.lost_characters() == {"额": 1, "外": 1}


def test_moving_a_block_rebuilds_the_report_and_keeps_every_character(other):
    result = import_bytes(OTHER.encode("utf-8"), "x.txt", template=GUANGZHOU)
    block = next(b for b in result.blocks if b.text.startswith("街道内设"))
    result.move(block.index, Place("1.1"))
    assert result.report.section("1.1").body.endswith("街道内设 8 个科室，在编人员 120 人，编外人员 35 人。")
    assert [s for s in result.report.sections if s.heading == "设置机构及人员情况"][0].body == ""
    result.move(block.index, None)
    assert block in result.not_placed
    assert "街道内设" not in plain_text(result.report)
    assert result.lost_characters() == {}
    mark = next(b for b in result.blocks if b.role == "mark")
    result.move(mark.index, Place("3"))
    assert result.report.section("3").body.startswith("附件2")
    heading = next(b for b in result.blocks if b.role == "heading")
    with pytest.raises(ValueError):
        result.move(heading.index, Place("4"))


def test_tasks_with_half_width_numbers_and_inline_headings():
    text = """2022年度某街道办事处部门整体支出绩效自评报告
二、综合评价分析
（二）各项工作任务绩效目标完成情况分析
1. 党 建 工作
(1) 基础党建。一是学习 24 次。
二是培训 4 场次。
(2)作风建设。一是监督检查 810 次，发现问题
534 个。
2．城区治理。城区治理稳步推进。
"""
    r = import_bytes(text.encode("utf-8"), "t.txt").report
    assert [(t.title, t.body, [(i.title, i.body) for i in t.items]) for t in r.tasks] == [
        ("党建工作", "", [("基础党建", "一是学习 24 次。\n二是培训 4 场次。"),
                         ("作风建设", "一是监督检查 810 次，发现问题534 个。")]),
        ("城区治理", "城区治理稳步推进。", []),
    ]


# ---------------------------------------------------------------------- pieces
@pytest.mark.parametrize(("raw", "mended"), [
    ("社会 安全 大局", "社会安全大局"),
    ("全年预算数 19, 910.75 万元", "全年预算数 19,910.75 万元"),
    ("完成预算的 99 .13 %", "完成预算的 99.13%"),
    ("前三季度 GDP 实绩 136.77 亿元", "前三季度 GDP 实绩 136.77 亿元"),
    ("“ 六乱 ” 整治", "“六乱”整治"),
    ("Hello  world", "Hello world"),
])
def test_mend_spaces(raw, mended):
    assert mend_spaces(raw) == mended


@pytest.mark.parametrize(("line", "level", "title"), [
    ("一、基本情况", 1, "基本情况"),
    ("（二）年度总体工作和重点工作任务", 2, "年度总体工作和重点工作任务"),
    ("(二) 年度总体工作", 2, "年度总体工作"),
    ("3. 社会安全大局更加稳定", 3, "社会安全大局更加稳定"),
    ("(1) 升级改造全面推动。一是稳妥推进", 4, "升级改造全面推动"),
    ("2022年，前三季度", None, None),
    ("1.8万元用于", None, None),
    ("一是强化思想政治建设。", None, None),
    ("100%完成了团区委的要求", None, None),
])
def test_parse_heading(line, level, title):
    h = parse_heading(line)
    assert (h.level, h.title) == (level, title) if level else h is None


def test_heading_similarity():
    assert similarity("单位基本情况", "基本情况") >= 0.7
    assert similarity("部门职能", "部门概况") == 1.0
    assert similarity("设置机构及人员情况", "部门概况") < 0.7
    assert similarity("部 门 整体 收支情况", "部门整体收支情况") == 1.0


def test_a_document_without_headings_keeps_its_text():
    """Issue 14: a document with no 一、/（一） headings was refused outright; now its text is a
    part of its own and nothing is lost."""
    result = import_bytes("这是一段没有任何标题的文字。\n第二段也没有。".encode(), "x.txt")
    assert [s.heading for s in result.report.sections] == ["正文"]
    assert result.report.sections[0].body == "这是一段没有任何标题的文字。\n第二段也没有。"
    assert result.lost_characters() == {} and not result.not_placed
