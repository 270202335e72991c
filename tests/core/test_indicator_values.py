"""Indicator values as offices write them: counts with a unit ("168起", "3个") read as number plus
unit and the unit checked against 度量单位; a leading ≥ / ≤ / = against 指标性质; 定性 values and
their score from the report's own bands."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report, write_example
from nanzhou_desktop.model import Direction, Indicator
from nanzhou_desktop.quantity import read_quantity, same_unit
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.scoring import achievement, number
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.reportfile import open_report_file
from nanzhou_desktop.template_data import V2_TEMPLATE_DATA, parse_report_template

D = Decimal


@pytest.mark.parametrize(("text", "cmp", "num", "unit"), [
    ("168起", "", "168", "起"), ("3个", "", "3", "个"), ("≥50个", "≥", "50", "个"), ("95%", "", "95", "%"),
    ("≤ 5 %", "≤", "5", "%"), ("1,000 人次", "", "1000", "人次"), ("１６８起", "", "168", "起"), ("12.5万元", "", "12.5", "万元"),
])
def test_a_value_is_read_as_comparator_number_and_unit(text: str, cmp: str, num: str, unit: str) -> None:
    q = read_quantity(text)
    assert q is not None and (q.comparator, q.number, q.unit) == (cmp, D(num), unit)
    assert number(text) == D(num)


@pytest.mark.parametrize("text", ["有效改善", "3个5人", "约百分之九十", "", "≥"])
def test_what_is_not_a_number_is_not_read_as_one(text: str) -> None:
    assert read_quantity(text) is None


def test_units_that_mean_the_same() -> None:
    assert same_unit("％", "%") and same_unit("百分比", "%") and not same_unit("个", "件")


def _one(report, **kw) -> Indicator:
    ind = Indicator("产出指标", "数量指标", "查处违法案件", Direction.AT_LEAST, "150", "起", "168起", D(10), **kw)
    report.indicators[0] = ind
    return ind


def _rules(report, name: str = "查处违法案件") -> dict[str, str]:
    return {f.rule: f.message for f in check(report).findings if name in f.message}


def test_a_count_with_its_unit_scores_and_passes() -> None:
    r = example_report()
    ind = _one(r)
    assert achievement(ind) == 1
    assert not {"indicator.not_number", "indicator.unit_mismatch", "indicator.unit_missing"} & set(_rules(r))


def test_another_unit_than_the_measure_is_an_error() -> None:
    r = example_report()
    ind = _one(r)
    ind.unit = "件"
    found = _rules(r)
    assert "indicator.unit_mismatch" in found
    assert "“168起”的单位“起”与度量单位“件”不一致" in found["indicator.unit_mismatch"]


def test_a_unit_without_a_measure_asks_for_it() -> None:
    r = example_report()
    ind = _one(r)
    ind.unit = ""
    assert "请在度量单位中填写“起”" in _rules(r)["indicator.unit_missing"]


def test_a_written_comparator_must_agree_with_the_direction() -> None:
    r = example_report()
    ind = _one(r)
    ind.target = "≤150起"
    assert "写的是“≤”，与指标性质“≥”不一致" in _rules(r)["indicator.direction_mismatch"]


def test_the_store_keeps_number_and_unit_and_refuses_words(tmp_path: Path) -> None:
    with open_report_file(write_example(tmp_path / "e.sqlite")) as rf:
        ind = next(i for i in rf.report.indicators if i.direction != Direction.QUALITATIVE)
        assert rf.set_field("indicators", ind.id, "actual", "１，６８０ 起") == "1680起"
        with pytest.raises(EditError, match="不是数字.*可带单位"):
            rf.set_field("indicators", ind.id, "actual", "大幅增加")


def _bands_report():
    data = copy.deepcopy(V2_TEMPLATE_DATA)
    # a 好 / 较好 / 一般 / 差 scale, as some forms print it
    data["scoring"]["qualitative"] = [{"value": "好", "low": 90, "high": 100}, {"value": "较好", "low": 75, "high": 90},
                                      {"value": "一般", "low": 60, "high": 75}, {"value": "差", "low": 0, "high": 60}]
    r = example_report()
    r.template = parse_report_template(data, "测试")
    return r


def test_qualitative_values_score_through_the_templates_bands() -> None:
    r = _bands_report()
    scheme = r.template.scheme
    ind = Indicator("效益指标", "社会效益指标", "营商环境", Direction.QUALITATIVE, "有效改善", "", "较好", D(20))
    assert achievement(ind, scheme) == D("0.9")
    ind.qual_share = D("0.8")
    assert achievement(ind, scheme) == D("0.8")
    ind.actual = "达成"  # a value of another template's bands
    assert achievement(ind, scheme) is None
    r.indicators[0] = ind
    msgs = _rules(r, "营商环境")
    assert "只能填“好”“较好”“一般”“差”之一" in msgs["indicator.qualitative_value"]
    ind.actual, ind.reason = "好", ""
    assert "indicator.shortfall" not in _rules(r, "营商环境")  # the first band is the target met
    ind.actual = "一般"
    assert "indicator.shortfall" in _rules(r, "营商环境")


def test_the_store_refuses_a_qualitative_value_outside_the_reports_bands(tmp_path: Path) -> None:
    from nanzhou_desktop.store.reportfile import create_report_file

    r = _bands_report()
    r.indicators[0].direction, r.indicators[0].actual = Direction.QUALITATIVE, "好"
    path = create_report_file(tmp_path / "b.sqlite", r)
    with open_report_file(path) as rf:
        ind = next(i for i in rf.report.indicators if i.direction == Direction.QUALITATIVE)
        assert rf.set_field("indicators", ind.id, "actual", "较好") == "较好"
        with pytest.raises(EditError, match="只能是“好”“较好”“一般”“差”之一"):
            rf.set_field("indicators", ind.id, "actual", "部分达成")
