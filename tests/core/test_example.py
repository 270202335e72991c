"""The built-in example against the real 2022 南洲 report, character by character."""

from __future__ import annotations

import re
from decimal import Decimal

from nanzhou_desktop.example import example_report
from nanzhou_desktop.narrative import blocks, plain_text
from tests.conftest import SEED

_BREAKS = ["社会安全大局更加稳定", "街道妇联工作扎实推进", "政治建设", "专业市场转型疏解"]


def _normalise(text: str) -> str:
    """Whitespace removed; the document's half-width sub-item numbers "(1) " written as the
    standard's （1）, which the app generates from position."""
    text = re.sub(r"(?m)^\((\d+)\)", r"（\1）", text)
    return re.sub(r"\s+", "", text)


def test_example_narrative_equals_the_document():
    seed = _normalise(SEED.read_text(encoding="utf-8"))
    ours = _normalise(plain_text(example_report()))
    if ours != seed:
        i = next(i for i, (a, b) in enumerate(zip(ours, seed, strict=False)) if a != b)
        raise AssertionError(f"differs at {i}: ours …{ours[i-20:i+20]}… document …{seed[i-20:i+20]}…")
    assert len(ours) == len(seed)


def test_extraction_breaks_are_mended_into_one_paragraph():
    paragraphs = [b.full_text for b in blocks(example_report()) if b.kind == "paragraph"]
    for phrase in _BREAKS:
        assert sum(phrase in p for p in paragraphs) >= 1, phrase
    # No paragraph ends mid-sentence (the extraction damage).
    for p in paragraphs:
        assert p.endswith(("。", "；", "！", "？", "”")), p[-20:]


def test_example_tables_hold_the_reports_figures():
    r = example_report()
    total = r.budget_total_row
    assert total.budget_total == Decimal("19910.75")
    assert total.executed == Decimal("19738.24")
    [project] = r.projects
    assert (project.name, project.budget_total, project.executed) == ("疫情防控项目", Decimal("1802.25"), Decimal("1802.25"))
    names = {i.level3: i.actual for i in r.indicators}
    assert names["政务服务事项办结率"] == "99.7"
    assert names["城中村改造私宅签约率"] == "70.5"
    assert names["新冠疫苗全程免疫覆盖率"] == "104"
    assert names["违法建设清拆面积"] == "310297"
    assert names["12345热线工单按时完成率"] == "95.3"
    assert sum(i.points for i in r.indicators) == Decimal(90)


def test_example_outline_and_tasks():
    r = example_report()
    assert [s.number + s.heading for s in r.top_sections()] == [
        "一、基本情况", "二、综合评价分析", "三、存在的主要问题", "四、下一步改进措施"]
    assert [t.title for t in r.tasks][0] == "基层党建工作不断抓牢"
    assert len(r.tasks) == 7 and sum(len(t.items) for t in r.tasks) == 21
    assert r.tasks[5].items == [] and r.tasks[5].body.startswith("一是紧扣中心工作")
