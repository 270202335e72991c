"""The example report's findings, as a whole, against a list written by hand from reading it.

Reading ``tests/data/nanzhou_2022_report.txt`` and the example's tables:

- the sign-off block (单位负责人, 财务负责人, 填报人, 联系电话, 填报日期, 成文日期) is empty: six 错误;
- five indicators fall short of their target of 100 and carry no reason: 拆卸完成率 75,
  办结率 99.7, 按时完成率 95.3, 签约率 70.5, 首剂覆盖率 90.56: five 警告;
- 二（二）2.（4）: "累计清拆违法建设 310297 平方米，完成全年拆违任务量 310000 万平方米的 100.1%" —
  the ratio holds only if both are 平方米: one 警告 (unit slip);
- 二（二）3.（1）: "覆盖率达104%" is over 100 % with no denominator in the text: one 提示;
- amounts are written with separators (19,910.75 万元, 1,802.25 万元) and without (2210.56 万元,
  6675.59 万元, 6600 元): one 提示;
- everything else is right and must not be flagged: 19,738.24 / 19,910.75 = 99.13 % (twice, in
  一（三） and 二（一）), 疫情防控项目 1,802.25 / 1,802.25 = 100 %, 6780 / 6799 = 99.72 % → 99.7 %,
  "截至12月20日" inside 2022, 党员 17 人 / 退役军人 21 人 "分别为 32%和 40%", the indicator 分值
  adding up to 90 as 50 / 30 / 10.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from nanzhou_desktop.example import example_report
from nanzhou_desktop.money import round_half_up
from nanzhou_desktop.rules import Severity, check

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

EXPECTED = [
    (E, "completeness.signoff@signoff:head"),
    (E, "completeness.signoff@signoff:finance_head"),
    (E, "completeness.signoff@signoff:preparer"),
    (E, "completeness.signoff@signoff:phone"),
    (E, "completeness.signoff@signoff:fill_date"),
    (E, "completeness.signoff@signoff:issue_date"),
    (W, "indicator.shortfall@indicator:海珠创新湾房屋拆卸完成率"),
    (W, "indicator.shortfall@indicator:政务服务事项办结率"),
    (W, "indicator.shortfall@indicator:12345热线工单按时完成率"),
    (W, "indicator.shortfall@indicator:城中村改造私宅签约率"),
    (W, "indicator.shortfall@indicator:60岁以上人群首剂接种覆盖率"),
    (W, "narrative.unit_mismatch@sections:2.2/城区治理水平不断提升/整治管理稳步加强/完成全年拆违任务量"),
    (N, "narrative.rate_over_100@sections:2.2/社会安全大局更加稳定/疫情防控常抓不懈/覆盖率"),
    (N, "format.separators@report:separators"),
]


def test_example_findings_equal_the_hand_written_list() -> None:
    result = check(example_report())
    assert Counter((f.severity, f.key) for f in result.findings) == Counter(EXPECTED)


def test_example_score_and_grade() -> None:
    score = check(example_report()).score
    assert round_half_up(score.budget_rate, 2) == Decimal("99.13")
    assert round_half_up(score.budget_score, 2) == Decimal("9.91")
    # exact, not rounded: 19738.24 / 19910.75 × 10
    assert abs(score.budget_score - Decimal("197382.4") / Decimal("19910.75")) < Decimal("1e-24")
    # 产出 50 − 1.5625 − 0.01875 − 0.29375, 效益 30 − 2.2125 − 0.708, 满意度 10
    assert score.indicator_score == Decimal("85.2045")
    assert round_half_up(score.total, 2) == Decimal("95.12")
    assert score.grade == "优"


def test_example_completion() -> None:
    comp = check(example_report()).completion
    assert comp.per_section["signoff"] == (1, 7)  # 单位全称 filled, six sign-off fields empty
    assert comp.required - comp.filled == 6
    assert all(f == r for k, (f, r) in comp.per_section.items() if k != "signoff")


def test_narrative_findings_point_at_the_claim() -> None:
    report = example_report()
    result = check(report)
    slip = next(f for f in result.findings if f.rule == "narrative.unit_mismatch")
    item = report.tasks[1].items[3]
    assert slip.where.table == "task_items" and slip.where.column == "body" and slip.where.section_key == "2.2"
    assert item.body[slip.where.offset:slip.where.offset + slip.where.length] == (
        "310297 平方米，完成全年拆违任务量 310000 万平方米的 100.1%")
    assert slip.suggestion == "把“310000 万平方米”改为“310000 平方米”"
    note = next(f for f in result.findings if f.rule == "narrative.rate_over_100")
    item = report.tasks[2].items[0]
    assert item.body[note.where.offset:note.where.offset + note.where.length] == "104%"


def test_fixing_the_unit_slip_clears_it_and_adds_no_other() -> None:
    report = example_report()
    item = report.tasks[1].items[3]
    item.body = item.body.replace("310000 万平方米", "310000 平方米")
    keys = {f.key for f in check(report).findings}
    assert not any(k.startswith("narrative.") for k in keys - {
        "narrative.rate_over_100@sections:2.2/社会安全大局更加稳定/疫情防控常抓不懈/覆盖率"})
