"""Each rule: one passing case (a clean report has no finding of it) and one failing case."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import BudgetKind, BudgetRow, Direction, FieldRef, Indicator, Project, Report, Task, TaskItem
from nanzhou_desktop.rules import Severity, check
from nanzhou_desktop.rules.settings import Settings

D = Decimal
SHORT = ("海珠创新湾房屋拆卸完成率", "政务服务事项办结率", "12345热线工单按时完成率", "城中村改造私宅签约率",
         "60岁以上人群首剂接种覆盖率")


def clean_report() -> Report:
    """The example with what a careful office would fix: sign-off filled, reasons for the five
    shortfalls, the 万平方米 slip corrected, 104 % explained away, one separator style."""
    r = example_report()
    so = r.signoff
    so.head, so.finance_head, so.preparer = "张三", "李四", "王五"
    so.phone_office, so.fill_date, so.issue_date = "020-84000000", "2023-03-10", "2023-03-15"
    for ind in r.indicators:
        if ind.level3 in SHORT:
            ind.reason = "部分事项跨年度办理，已列入下年度重点推进"
    item = r.tasks[1].items[3]
    item.body = item.body.replace("310000 万平方米", "310000 平方米")
    item = r.tasks[2].items[0]
    item.body = item.body.replace("覆盖率达104%", "覆盖率达100%")
    for sec in r.sections:
        sec.body = sec.body.replace("19,910.75", "19910.75").replace("19,738.24", "19738.24").replace(
            "1,802.25", "1802.25")
    return r


def rules_of(report: Report, settings: Settings | None = None) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in check(report, settings).findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_clean_report_has_no_findings() -> None:
    assert [f.key for f in check(clean_report()).findings] == []


# -- mutations that make exactly one rule fire ------------------------------------------------------
def _total(r: Report) -> BudgetRow:
    row = r.budget_total_row
    assert row is not None
    return row


def _ind(r: Report, name: str) -> Indicator:
    return next(i for i in r.indicators if i.level3 == name)


def _item(r: Report, task: int, item: int) -> TaskItem:
    return r.tasks[task].items[item]


def _replace_in_item(task: int, item: int, old: str, new: str) -> Callable[[Report], None]:
    def mutate(r: Report) -> None:
        it = _item(r, task, item)
        assert old in it.body
        it.body = it.body.replace(old, new)
    return mutate


def _set_section(key: str, body: str) -> Callable[[Report], None]:
    def mutate(r: Report) -> None:
        sec = r.section(key)
        assert sec is not None
        sec.body = body
    return mutate


def m_rate_low(r: Report) -> None:
    _total(r).executed = D("15000")
    for s in r.sections:  # keep the text in step with the table so only the rate rule speaks
        s.body = s.body.replace("执行数 19738.24 万元，完成预算的 99.13%", "执行数 15000.00 万元，完成预算的 75.34%")


def m_rate_high(r: Report) -> None:
    _total(r).executed = D("20000")
    for s in r.sections:
        s.body = s.body.replace("执行数 19738.24 万元，完成预算的 99.13%", "执行数 20000 万元，完成预算的 100.45%")


def m_sum(r: Report) -> None:
    r.budget.append(BudgetRow(BudgetKind.BASIC, "基本支出", budget_total=D("10000"), executed=D("9900")))
    r.budget.append(BudgetRow(BudgetKind.PROJECT, "项目支出", budget_total=D("9900"), executed=D("9838.24")))


def m_project_exceeds(r: Report) -> None:
    r.projects.append(Project("社区微改造项目", D("19000"), D("19000")))


def m_project_low(r: Report) -> None:
    r.projects[0].executed = D("1500")
    sec = r.section("2.3")
    sec.body = sec.body.replace("执行数 1802.25 万元，完成预算的 100%", "执行数 1500 万元，完成预算的 83.23%")


def m_project_high(r: Report) -> None:
    r.projects[0].executed = D("2000")
    sec = r.section("2.3")
    sec.body = sec.body.replace("执行数 1802.25 万元，完成预算的 100%", "执行数 2000 万元，完成预算的 110.97%")


def m_qualitative(value: str, share: Decimal | None = None) -> Callable[[Report], None]:
    def mutate(r: Report) -> None:
        ind = _ind(r, "政务服务群众满意率")
        ind.direction, ind.target, ind.actual, ind.unit, ind.qual_share = Direction.QUALITATIVE, "群众满意", value, "", share
    return mutate


def m_points_total(r: Report) -> None:
    _ind(r, "政务服务群众满意率").points = D(5)


def m_split(r: Report) -> None:
    _ind(r, "政务服务群众满意率").points = D(5)
    _ind(r, "兵役登记率").points = D("11.25")


def m_level1(r: Report) -> None:
    _ind(r, "政务服务群众满意率").level1 = "其他指标"


def m_duplicate(r: Report) -> None:
    _ind(r, "兵役登记率").level3 = "信访事项办结率"


def m_cutoff_year(r: Report) -> None:
    _replace_in_item(2, 0, "截至12月20日", "截至2021年12月20日")(r)


def m_cutoff_invalid(r: Report) -> None:
    _replace_in_item(2, 0, "截至12月20日", "截至2月30日")(r)


def m_budget_text(r: Report) -> None:
    sec = r.section("2.1")
    sec.body = sec.body.replace("全年预算数 19910.75 万元", "全年预算数 19901.75 万元")


def m_project_text(r: Report) -> None:
    r.projects[0].budget_total = D("1902.25")  # the table changes; the sentence in 二（三） must follow


def m_project_unknown(r: Report) -> None:
    sec = r.section("2.3")
    sec.body += "\n社区微改造项目全年预算数 100 万元，执行数 100 万元，完成预算的 100%。"


def m_sep(r: Report) -> None:
    sec = r.section("1.3")
    sec.body = sec.body.replace("19910.75", "19,910.75", 1)


def m_tasks_empty(r: Report) -> None:
    r.tasks.clear()


def m_task_empty(r: Report) -> None:
    r.tasks.append(Task(title="", body="", items=[]))


def m_task_no_body(r: Report) -> None:
    r.tasks.append(Task(title="其他工作", body="", items=[]))


def m_missing_indicator(r: Report) -> None:
    _ind(r, "兵役登记率").actual = ""


def m_negative(r: Report) -> None:
    _total(r).budget_initial = D("-1")


def m_executed_typo(r: Report) -> None:
    _total(r).executed = D("99999999999999")  # the new-user trial: extra digits, not overspending


def m_project_typo(r: Report) -> None:
    r.projects[0].executed = D("18022.50")  # 1,802.25 with a digit too many


def m_indicator_value(value: str, name: str = "兵役登记率") -> Callable[[Report], None]:
    def mutate(r: Report) -> None:
        _ind(r, name).actual = value
    return mutate


def m_without_budget(r: Report) -> None:
    r.budget.append(BudgetRow(BudgetKind.OTHER, "上年结转", budget_total=None, executed=D("5")))


def _scheme(r: Report, **indicators) -> None:
    """The report's scheme with other indicator rules (typed 得分, per-一级指标 points …)."""
    from dataclasses import replace

    t = r.template
    r.template = replace(t, scheme=replace(t.scheme, indicators=replace(t.scheme.indicators, **indicators)))


def m_cover(r: Report) -> None:
    from nanzhou_desktop.model import CoverField

    r.cover = [CoverField("eval_year", "评价年度", "year", True, "")]


def m_preface(r: Report) -> None:
    from dataclasses import replace

    from nanzhou_desktop.template_data import PrefaceSpec

    r.template = replace(r.template, preface=PrefaceSpec(True, True, ""))


def m_unit_missing(r: Report) -> None:
    ind = _ind(r, "政务服务事项办结率")
    ind.unit, ind.actual = "", "99.7%"


def m_score_above(r: Report) -> None:
    _scheme(r, score="entered")
    for ind in r.indicators:
        ind.score = ind.points
    _ind(r, "政务服务事项办结率").score = _ind(r, "政务服务事项办结率").points + 1


def m_level1_empty(r: Report) -> None:
    _scheme(r, weighting="level1")
    r.indicators = [i for i in r.indicators if i.level1 != "满意度指标"]


CASES: list[tuple[str, Severity, Callable[[Report], None]]] = [
    ("completeness.cover", Severity.ERROR, m_cover),
    ("completeness.preface", Severity.ERROR, m_preface),
    ("indicator.unit_mismatch", Severity.ERROR, lambda r: setattr(_ind(r, "政务服务事项办结率"), "actual", "99.7件")),
    ("indicator.unit_missing", Severity.WARNING, m_unit_missing),
    ("indicator.direction_mismatch", Severity.ERROR, lambda r: setattr(_ind(r, "政务服务事项办结率"), "target", "≤100")),
    ("indicator.score_above_points", Severity.ERROR, m_score_above),
    ("indicator.level1_empty", Severity.WARNING, m_level1_empty),
    ("completeness.section", Severity.ERROR, _set_section("3", "  ")),
    ("completeness.tasks", Severity.ERROR, m_tasks_empty),
    ("completeness.task", Severity.ERROR, m_task_empty),
    ("completeness.task", Severity.ERROR, m_task_no_body),
    ("completeness.task_item", Severity.ERROR, _replace_in_item(0, 0, _item(example_report(), 0, 0).body, "")),
    ("completeness.budget", Severity.ERROR, lambda r: setattr(_total(r), "budget_total", None)),
    ("completeness.budget", Severity.ERROR, lambda r: r.budget.append(BudgetRow(BudgetKind.BASIC, "其中：基本支出"))),
    ("completeness.project", Severity.ERROR, lambda r: setattr(r.projects[0], "executed", None)),
    ("completeness.indicators", Severity.ERROR, lambda r: r.indicators.clear()),
    ("completeness.indicator", Severity.ERROR, m_missing_indicator),
    ("completeness.unit", Severity.ERROR, lambda r: setattr(r.unit, "full_name", "")),
    ("completeness.signoff", Severity.ERROR, lambda r: setattr(r.signoff, "preparer", "")),
    ("budget.negative", Severity.ERROR, m_negative),
    ("budget.executed_without_budget", Severity.ERROR, m_without_budget),
    ("budget.rate_low", Severity.WARNING, m_rate_low),
    ("budget.rate_high", Severity.WARNING, m_rate_high),
    ("budget.executed_implausible", Severity.WARNING, m_executed_typo),
    ("budget.amount_implausible", Severity.WARNING, lambda r: setattr(_total(r), "budget_total", D("99999999999"))),
    ("budget.adjusted", Severity.WARNING, lambda r: setattr(_total(r), "budget_initial", D("18000"))),
    ("budget.sum_mismatch", Severity.ERROR, m_sum),
    ("prior_year.swing", Severity.INFO, lambda r: setattr(_total(r), "prior_budget_total", D("12000"))),
    ("prior_year.from_zero", Severity.INFO, lambda r: setattr(r.projects[0], "prior_executed", D("0"))),
    ("length.budget_reason", Severity.WARNING, lambda r: setattr(_total(r), "reason", "因" * 101)),
    ("project.negative", Severity.ERROR, lambda r: setattr(r.projects[0], "prior_executed", D("-3"))),
    ("project.executed_without_budget", Severity.ERROR,
     lambda r: r.projects.append(Project("应急项目", D(0), D("3")))),
    ("project.rate_low", Severity.WARNING, m_project_low),
    ("project.rate_high", Severity.WARNING, m_project_high),
    ("project.executed_implausible", Severity.WARNING, m_project_typo),
    ("project.amount_implausible", Severity.WARNING, lambda r: setattr(r.projects[0], "budget_total", D("180225000"))),
    ("project.exceeds_total", Severity.ERROR, m_project_exceeds),
    ("indicator.duplicate", Severity.ERROR, m_duplicate),
    ("indicator.qualitative_value", Severity.ERROR, m_qualitative("基本达成")),
    ("indicator.qual_share_band", Severity.WARNING, m_qualitative("达成", D("0.5"))),
    ("indicator.not_number", Severity.ERROR, lambda r: setattr(_ind(r, "兵役登记率"), "actual", "全部完成")),
    ("indicator.percent_implausible", Severity.WARNING, m_indicator_value("-3")),
    ("indicator.percent_implausible", Severity.WARNING, m_indicator_value("100000000000")),
    ("indicator.actual_implausible", Severity.WARNING, m_indicator_value("3102970", "违法建设清拆面积")),
    ("indicator.shortfall", Severity.WARNING, lambda r: setattr(_ind(r, "政务服务事项办结率"), "reason", "")),
    ("indicator.shortfall", Severity.WARNING, m_qualitative("部分达成")),
    ("length.indicator_reason", Severity.WARNING,
     lambda r: setattr(_ind(r, "政务服务事项办结率"), "reason", "原" * 201)),
    ("indicator.points_total", Severity.ERROR, m_points_total),
    ("indicator.split", Severity.WARNING, m_split),
    ("indicator.level1_unknown", Severity.WARNING, m_level1),
    ("narrative.budget_mismatch", Severity.ERROR, m_budget_text),
    ("narrative.project_mismatch", Severity.ERROR, m_project_text),
    ("narrative.project_unknown", Severity.WARNING, m_project_unknown),
    ("narrative.rate_mismatch", Severity.WARNING, _replace_in_item(4, 1, "办结 6780 件", "办结 6680 件")),
    ("narrative.unit_mismatch", Severity.WARNING, _replace_in_item(1, 3, "310000 平方米", "310000 万平方米")),
    ("narrative.rate_over_100", Severity.INFO, _replace_in_item(2, 0, "覆盖率达100%", "覆盖率达104%")),
    ("date.cutoff_outside_year", Severity.WARNING, m_cutoff_year),
    ("date.cutoff_invalid", Severity.WARNING, m_cutoff_invalid),
    ("date.issue_date", Severity.ERROR, lambda r: setattr(r.signoff, "issue_date", "2022-12-31")),
    ("date.fill_date", Severity.ERROR, lambda r: setattr(r.signoff, "fill_date", "2022-11-30")),
    ("report.title_unit", Severity.WARNING, lambda r: setattr(r.unit, "full_name", "广州市海珠区人民政府江海街道办事处")
     or setattr(r.unit, "short_name", "江海街道")),
    ("report.title_year", Severity.WARNING, lambda r: setattr(r, "year", 2023)),
    ("date.issue_date_late", Severity.INFO, lambda r: setattr(r.signoff, "issue_date", "2025-03-15")),
    ("date.fill_date_late", Severity.INFO, lambda r: setattr(r.signoff, "fill_date", "2024-06-01")),
    ("format.separators", Severity.INFO, m_sep),
    ("length.table_text", Severity.WARNING, _set_section("3", "问题" * 101)),
]


@pytest.mark.parametrize(("rule", "severity", "mutate"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fails_on_its_case_and_passes_on_the_clean_report(rule: str, severity: Severity,
                                                               mutate: Callable[[Report], None]) -> None:
    assert rule not in rules_of(clean_report())
    report = clean_report()
    mutate(report)
    found = rules_of(report)
    assert rule in found, f"{rule} did not fire; got {sorted(found)}"
    assert {f.severity for f in found[rule]} == {severity}
    for f in found[rule]:
        assert f.key.startswith(f"{rule}@")
        assert f.message and not f.message.isascii()


def test_every_documented_rule_has_a_case() -> None:
    """docs/rules.md lists the catalogue; each rule id in it is exercised above."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_0-9]+\.[a-z_0-9]+)` \|", doc, flags=re.M))
    assert documented, "docs/rules.md has no rule table"
    assert documented == {c[0] for c in CASES}


# -- details of the rules ---------------------------------------------------------------------------
def test_reason_or_explanation_satisfies_a_shortfall() -> None:
    from nanzhou_desktop.model import Explanation

    r = clean_report()
    ind = _ind(r, "政务服务事项办结率")
    ind.reason = ""
    key = "indicator.shortfall@indicator:政务服务事项办结率"
    f = check(r).by_key(key)
    assert f is not None and f.blocks_finalising
    r.explanations[key] = Explanation(key, "19 件材料不全，转下年办理", "王五", "2023-03-10T09:00:00")
    f = check(r).by_key(key)
    assert f is not None and f.explained and not f.blocks_finalising
    assert not check(r).blocking


def test_budget_sentence_follows_the_table_in_both_places() -> None:
    r = clean_report()
    _total(r).budget_total = D("19920.75")
    keys = {f.key for f in check(r).findings if f.rule == "narrative.budget_mismatch"}
    assert keys == {
        "narrative.budget_mismatch@sections:1.3/全年预算数", "narrative.budget_mismatch@sections:1.3/执行率",
        "narrative.budget_mismatch@sections:2.1/全年预算数", "narrative.budget_mismatch@sections:2.1/执行率"}


def test_full_width_figures_are_read() -> None:
    r = clean_report()
    sec = r.section("2.1")
    sec.body = sec.body.replace("全年预算数 19910.75 万元", "全年预算数 １９，９１０．７５ 万元")
    assert "narrative.budget_mismatch" not in rules_of(r)
    sec.body = sec.body.replace("１９，９１０．７５", "１９，９０１．７５")
    f = rules_of(r)["narrative.budget_mismatch"][0]
    assert f.seen == "19,901.75 万元"
    assert sec.body[f.where.offset:f.where.offset + f.where.length] == "１９，９０１．７５ 万元"


def test_amount_in_yuan_is_converted() -> None:
    r = clean_report()
    sec = r.section("2.1")
    sec.body = sec.body.replace("全年预算数 19910.75 万元", "全年预算数 199107500 元")
    assert "narrative.budget_mismatch" not in rules_of(r)


def test_respective_shares_and_unrelated_counts_are_not_recomputed() -> None:
    r = clean_report()
    # 17 and 21 of an unstated 53: not a ratio of each other
    assert "narrative.rate_mismatch" not in rules_of(r)
    it = _item(r, 6, 2)
    it.body = it.body.replace("所占比例分别为 32%和 40%", "所占比例为 32%")
    assert "narrative.rate_mismatch" not in rules_of(r)


def test_approximate_claims_get_the_looser_tolerance() -> None:
    r = clean_report()
    r.section("4").body += "\n共受理 200 件，办结 197 件，办结率约 99%。"
    assert "narrative.rate_mismatch" not in rules_of(r)  # 98.5 % ≈ 99 %
    r.section("4").body += "\n共受理 200 件，办结 190 件，办结率 99%。"
    assert "narrative.rate_mismatch" in rules_of(r)


def test_thresholds_come_from_settings() -> None:
    r = clean_report()
    _total(r).executed = D("18000")  # 90.40 %
    assert "budget.rate_low" not in rules_of(r)
    assert "budget.rate_low" in rules_of(r, Settings(rate_low=D(95)))
    r = clean_report()
    r.section("3").body = "问" * 150
    assert "length.table_text" not in rules_of(r)
    assert "length.table_text" in rules_of(r, Settings(text_limit=100))


def test_keys_do_not_depend_on_positions() -> None:
    r = example_report()
    before = {f.key for f in check(r).findings}
    r.indicators.reverse()
    r.tasks.insert(0, Task("新增工作", "本年度新增工作完成情况良好。"))
    after = {f.key for f in check(r).findings}
    assert before == after


def test_narrative_walk_matches_the_blocks() -> None:
    """The rules walk the text fields themselves (cheaper than building blocks); they must see
    exactly the paragraphs ``narrative.blocks`` prints, at the same offsets."""
    from nanzhou_desktop.narrative import blocks
    from nanzhou_desktop.rules.narrative import paragraph_fields, parse_field

    r = example_report()
    r.tasks[0].items[0].body += "\n\n第二段：受理 10 件，办结 10 件，办结率 100%。"
    r.tasks[5].body = "  \n" + r.tasks[5].body
    walked = [(ref, start, parsed.text) for ref, text, _ in paragraph_fields(r)
              for start, parsed in parse_field(text, 60)]
    printed = [(b.ref, b.start, b.text) for b in blocks(r) if b.kind == "paragraph" and b.text]
    assert walked == printed


def test_the_checked_fields_are_the_walked_fields_that_hold_figures() -> None:
    """``check_narrative`` walks only the fields holding something to check (``fields_to_check``):
    the same fields, in the same order and places, as the full walk keeps after dropping the rest."""
    from nanzhou_desktop.rules.narrative import Place, fields_to_check, paragraph_fields, parse_field

    r = example_report()
    r.tasks[0].items[0].body += "\n\n第二段：受理 10 件，办结 10 件，办结率 100%。"
    r.tasks[3].body = "截至12月20日，全年预算数 100 万元，执行数 90 万元。"
    r.tasks[3].items[0].title = "  小项标题。 "
    for window in (60, 10):
        full = []
        for ref, text, place in paragraph_fields(r):
            parts = tuple((start, p) for start, p in parse_field(text, window)
                          if p.budget or p.claims or p.cutoffs or p.money_with_sep or p.money_without_sep)
            if parts:
                full.append((ref, text, place, any(p.budget for _, p in parts), parts))
        fast = [(FieldRef(table, row, "body", key), text,
                 Place(key, task.title.strip() if task else "",
                       item.title.strip().rstrip("。．. ") if item else ""), budget, parts)
                for table, row, key, text, task, item, budget, parts in fields_to_check(r, window)]
        assert fast == full
        assert len(full) > 10 and any(f[3] for f in full)


def test_unrelated_figures_before_a_rate_are_not_recomputed() -> None:
    r = clean_report()
    r.section("4").body += "\n共受理 6799 件，其中线上 3000 件，办结率 99.7%。"
    assert "narrative.rate_mismatch" not in rules_of(r)
    r.section("4").body += "\n应登记 180 人，已登记 174 人，登记率 90%。"
    found = rules_of(r)["narrative.rate_mismatch"]
    assert [f.expected for f in found] == ["96.67%"]


def test_budget_sentence_of_a_part_or_after_a_project_mention() -> None:
    r = clean_report()
    # a 其中 part the tables do not hold: nothing to compare with, no alarm
    r.section("4").body += "\n基本支出预算数 12,000 万元，执行数 11,990 万元，完成预算的 99.92%。"
    # a project named earlier in the sentence, but the figures are the total's: no alarm
    r.section("4").body += "\n围绕疫情防控项目等重点工作，全年预算数 19,910.75 万元，执行数 19,738.24 万元，完成预算的 99.13%。"
    found = rules_of(r)
    assert "narrative.budget_mismatch" not in found and "narrative.project_mismatch" not in found
    r.budget.append(BudgetRow(BudgetKind.BASIC, "基本支出", budget_total=D("12000"), executed=D("11900")))
    r.budget.append(BudgetRow(BudgetKind.PROJECT, "项目支出", budget_total=D("7910.75"), executed=D("7838.24")))
    keys = {f.key for f in rules_of(r)["narrative.budget_mismatch"]}
    assert keys == {"narrative.budget_mismatch@sections:4/基本支出/执行数",
                    "narrative.budget_mismatch@sections:4/基本支出/执行率"}


@pytest.mark.parametrize(("rule", "severity", "mutate"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_finding_points_at_an_editable_field(rule: str, severity: Severity,
                                                   mutate: Callable[[Report], None]) -> None:
    from nanzhou_desktop.store.fields import FIELDS

    report = clean_report()
    mutate(report)
    for f in check(report).findings:
        w = f.where
        assert w.table in FIELDS and w.column in FIELDS[w.table], f.key
        if w.offset is not None:
            assert w.length and w.length > 0
            assert w.table in ("sections", "tasks", "task_items") and w.column == "body"


@given(st.integers(min_value=1, max_value=10**6), st.data())
@hyp_settings(max_examples=150, deadline=None)
def test_recomputed_rates_property(total: int, data: st.DataObject) -> None:
    """受理 N 件，办结 K 件，办结率 P%: no finding when P is K/N rounded half up, a finding when
    it is off by more than half a unit of its last digit."""
    from nanzhou_desktop.money import round_half_up

    done = data.draw(st.integers(min_value=0, max_value=total))
    places = data.draw(st.integers(min_value=0, max_value=2))
    exact = D(done) * 100 / D(total)
    right = round_half_up(exact, places)
    r = clean_report()
    base = r.section("4").body
    r.section("4").body = base + f"\n共受理 {total} 件，办结 {done} 件，办结率 {right}%。"
    assert "narrative.rate_mismatch" not in rules_of(r)
    wrong = right + D(1).scaleb(-places) * data.draw(st.sampled_from([-3, -2, 2, 3]))
    if wrong < 0:
        return
    r.section("4").body = base + f"\n共受理 {total} 件，办结 {done} 件，办结率 {wrong}%。"
    # the reversed ratio (N/K) is accepted too; skip the rare draws where it happens to match
    reverse = D(total) * 100 / D(done) if done else None
    if reverse is not None and abs(reverse - wrong) <= D("0.5") * D(1).scaleb(-places):
        return
    assert "narrative.rate_mismatch" in rules_of(r)


_figures = st.sampled_from(["19,910.75", "１９，９１０．７５", "0", "0.00", "6799", "1,2,3", "99.7", "1e5", ",", "..",
                            "100.", "-5", "10,000,000,000,000,000"])
_words = st.sampled_from(["全年预算数", "执行数", "万元", "元", "亿元", "完成预算的", "%", "％", "件", "，", "。", "办结率",
                          "受理", "办结", "的", "万平方米", "平方米", "截至", "年", "月", "日", "约", "余", "分别为", "项目",
                          "疫情防控项目", "基本支出", "\n", " ", "率", "达"])


@given(st.lists(st.one_of(_figures, _words, st.text(max_size=3)), max_size=60),
       st.lists(st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**12, places=2)), min_size=6,
                max_size=6),
       st.sampled_from(["", "abc", "2022-13-01", "2023-02-29", "2021-05-05", "2023-03-15"]))
@hyp_settings(max_examples=300, deadline=None)
def test_check_never_raises_on_odd_content(parts: list[str], amounts: list, date: str) -> None:
    r = example_report()
    text = "".join(parts)
    r.section("1.3").body = text
    r.tasks[0].items[0].body = text
    total = _total(r)
    total.budget_initial, total.budget_total, total.executed = amounts[:3]
    r.projects[0].budget_total, r.projects[0].executed = amounts[3:5]
    _ind(r, "兵役登记率").points = amounts[5]
    _ind(r, "兵役登记率").actual = text[:10]
    r.signoff.issue_date = date
    result = check(r)
    assert result.score.grade in ("优", "良", "中", "差")
    for f in result.findings:
        assert f.message and f.key.startswith(f.rule + "@")


@given(st.text(alphabet=st.sampled_from("项目办结率拆违任务量全年的，,a1 \n\u4e00\u9fff\u4dff\ua000"), max_size=40),
       st.sampled_from([1, 10, 22]))
def test_cjk_tail_is_the_regex_it_replaces(text, longest):
    """narrative.cjk_tail finds what re.search(r"[\\u4e00-\\u9fff]{1,n}$") found (and the project
    name rule what r"([\\u4e00-\\u9fff]{2,20}项目)$" found)."""
    import re

    from nanzhou_desktop.rules.narrative import cjk_tail

    m = re.search(rf"[\u4e00-\u9fff]{{1,{longest}}}$", text)
    assert cjk_tail(text, longest) == (m.group(0) if m else "")
    project = re.search(r"([\u4e00-\u9fff]{2,20}项目)$", text)
    tail = cjk_tail(text, 22)
    assert (tail if len(tail) >= 4 and tail.endswith("项目") else None) == (project.group(1) if project else None)


def test_untitled_empty_sub_items_are_named_by_number() -> None:
    """A 小项 just added has no title yet: "第 2 个小项", not “”, and two of them are two findings."""
    r = clean_report()
    task = r.tasks[0]
    task.items.append(TaskItem("", ""))
    task.items.append(TaskItem("", ""))
    found = [f for f in rules_of(r).get("completeness.task_item", [])]
    n = len(task.items)
    assert sorted(f.message for f in found) == sorted(
        f"工作任务“{task.title}”的第 {i} 个小项正文未填写" for i in (n - 1, n))
    assert len({f.key for f in found}) == 2
