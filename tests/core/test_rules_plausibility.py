"""Plausibility: figures that are almost certainly typing slips (extra digits, a stray minus).

Found by a new-user trial: 全年执行数 99999999999999 against 全年预算数 19,910.75 was taken, and
the only finding (budget.rate_high) went away once anything was typed as 偏差原因; an indicator
in % took 实际完成值 -3 and 100000000000.  These 警告 stay until the figure is corrected or an
出错说明 is written: a 偏差原因 explains a deviation, not a typing slip.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from nanzhou_desktop.model import BudgetKind, BudgetRow, Direction, Explanation, Report
from nanzhou_desktop.rules import Severity, check
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS
from nanzhou_desktop.store.errors import EditError
from tests.core.test_rules import _ind, _total, clean_report

D = Decimal
BUDGET_KEY = "budget.executed_implausible@budget:total"
PROJECT_KEY = "project.executed_implausible@project:疫情防控项目"
PERCENT_KEY = "indicator.percent_implausible@indicator:兵役登记率"
AREA_KEY = "indicator.actual_implausible@indicator:违法建设清拆面积"


def _keys(report: Report, settings=None) -> set[str]:
    return {f.key for f in check(report, settings).findings}


def _plausibility(report: Report, settings=None) -> set[str]:
    return {k for k in _keys(report, settings) if "_implausible@" in k}


# -- 预算执行 --------------------------------------------------------------------------------------
def test_execution_many_times_the_budget_is_a_warning_with_its_ratio() -> None:
    r = clean_report()
    total = _total(r)
    total.executed = D("99999999999999")
    result = check(r)
    f = result.by_key(BUDGET_KEY)
    assert f is not None and f.severity == Severity.WARNING and f.blocks_finalising
    assert f.message == ("预算执行情况“年度资金总额”的全年执行数 99,999,999,999,999.00 万元，是全年预算数 "
                         "19,910.75 万元的 5,022,412,516 倍，超过 2 倍，请核对是否多输入了数字")
    assert (f.seen, f.expected) == ("5,022,412,516 倍", "≤ 2 倍")
    assert "出错说明" in f.suggestion and "偏差原因不能消除" in f.suggestion
    assert (f.where.table, f.where.row, f.where.column) == ("budget_rows", total.id, "executed")
    # above 100 % is still allowed with a reason: that rule is unchanged and speaks as well
    assert result.by_key("budget.rate_high@budget:total") is not None


def test_a_budget_reason_does_not_clear_it_an_explanation_or_a_correction_does() -> None:
    r = clean_report()
    total = _total(r)
    total.executed = D("99999999999999")
    total.reason = "年中追加了支出"
    keys = _keys(r)
    assert "budget.rate_high@budget:total" not in keys  # the reason satisfies the rate rule …
    f = check(r).by_key(BUDGET_KEY)
    assert f is not None and f.blocks_finalising  # … but not the typing-slip one
    r.explanations[BUDGET_KEY] = Explanation(BUDGET_KEY, "已核对原始凭证，数字无误")
    f = check(r).by_key(BUDGET_KEY)
    assert f is not None and f.explained and not f.blocks_finalising
    del r.explanations[BUDGET_KEY]
    total.executed = D("19738.24")
    assert check(r).by_key(BUDGET_KEY) is None


@pytest.mark.parametrize("executed", ["19738.24", "20000", "39821.50"])  # 99 %, 100.45 %, exactly 2×
def test_plausible_execution_has_no_such_warning(executed: str) -> None:
    r = clean_report()
    _total(r).executed = D(executed)
    assert not _plausibility(r)


def test_just_above_the_factor_and_the_factor_from_settings() -> None:
    r = clean_report()
    _total(r).executed = D("39821.51")  # 2 × 19,910.75 + 0.01
    f = check(r).by_key(BUDGET_KEY)
    assert f is not None and f.seen == "2.00 倍"
    _total(r).executed = D("49776.88")  # 2.5 ×
    assert check(r).by_key(BUDGET_KEY).seen == "2.50 倍"
    settings = replace(DEFAULT_SETTINGS, executed_ratio_max=D(3))
    assert BUDGET_KEY not in _keys(r, settings)
    _total(r).executed = D("99999")
    f = check(r, settings).by_key(BUDGET_KEY)
    assert f is not None and "超过 3 倍" in f.message and f.expected == "≤ 3 倍"


def test_other_budget_rows_are_checked_too() -> None:
    r = clean_report()
    r.budget.append(BudgetRow(BudgetKind.BASIC, "基本支出", budget_total=D("12000"), executed=D("119000")))
    r.budget.append(BudgetRow(BudgetKind.PROJECT, "项目支出", budget_total=D("7910.75"), executed=D("7838.24")))
    f = check(r).by_key("budget.executed_implausible@budget:basic")
    assert f is not None
    assert f.message.startswith("预算执行情况“基本支出”的全年执行数 119,000.00 万元，是全年预算数 12,000.00 万元的 9.92 倍")


def test_no_budget_is_the_existing_error_not_this_warning() -> None:
    r = clean_report()
    for value in (None, D(0)):
        _total(r).budget_total = value
        assert BUDGET_KEY not in _keys(r)


def test_negative_amounts_are_refused_at_entry() -> None:
    """Nothing to add for negatives: a typed amount below zero is refused, and budget.negative
    (错误) catches one that arrives otherwise."""
    from nanzhou_desktop.store.fields import FIELDS

    for table, col in (("budget_rows", "budget_total"), ("budget_rows", "executed"),
                       ("projects", "budget_total"), ("projects", "executed")):
        with pytest.raises(EditError, match="不能为负数"):
            FIELDS[table][col].read("-5")


# -- 重点项目 --------------------------------------------------------------------------------------
def test_project_execution_many_times_its_budget() -> None:
    r = clean_report()
    p = r.projects[0]
    p.executed = D("18022.50")
    f = check(r).by_key(PROJECT_KEY)
    assert f is not None and f.severity == Severity.WARNING
    assert f.message == ("重点项目“疫情防控项目”的执行数 18,022.50 万元，是预算数 1,802.25 万元的 10.00 倍，"
                         "超过 2 倍，请核对是否多输入了数字")
    assert (f.where.table, f.where.row, f.where.column) == ("projects", p.id, "executed")
    p.reason = "疫情反复，追加支出"
    keys = _keys(r)
    assert "project.rate_high@project:疫情防控项目" not in keys and PROJECT_KEY in keys
    r.explanations[PROJECT_KEY] = Explanation(PROJECT_KEY, "已核对")
    assert check(r).by_key(PROJECT_KEY).explained
    p.executed = D("1900")  # 105 %: only the rate rule, satisfied by the reason
    assert not _plausibility(r)


# -- 绩效指标 in % --------------------------------------------------------------------------------
def test_negative_percent_is_a_warning_a_reason_does_not_clear() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")  # ≥ 100 %
    ind.actual = "-3"
    result = check(r)
    f = result.by_key(PERCENT_KEY)
    assert f is not None and f.severity == Severity.WARNING
    assert f.message == ("绩效指标“兵役登记率”的实际完成值 -3% 低于 0%，请核对是否输错了数字"
                         "（完成率、覆盖率等比率不会是负数；增长率、下降率等变化类指标除外）")
    assert (f.seen, f.expected) == ("-3%", "0%–200%")
    assert (f.where.table, f.where.row, f.where.column) == ("indicators", ind.id, "actual")
    assert result.by_key("indicator.shortfall@indicator:兵役登记率") is not None
    ind.reason = "登记系统故障"
    keys = _keys(r)
    assert "indicator.shortfall@indicator:兵役登记率" not in keys and PERCENT_KEY in keys
    r.explanations[PERCENT_KEY] = Explanation(PERCENT_KEY, "已核对")
    f = check(r).by_key(PERCENT_KEY)
    assert f.explained and not f.blocks_finalising


def test_huge_percent_is_a_warning_though_the_score_is_capped() -> None:
    r = clean_report()
    before = check(r).score
    _ind(r, "兵役登记率").actual = "100000000000"
    result = check(r)
    f = result.by_key(PERCENT_KEY)
    assert f is not None
    assert f.message == "绩效指标“兵役登记率”的实际完成值 100000000000% 超过 200%，请核对是否多输入了数字"
    assert result.score.total == before.total
    _ind(r, "兵役登记率").reason = "超额完成"
    assert check(r).by_key(PERCENT_KEY) is not None


@pytest.mark.parametrize("actual", ["0", "100", "104", "150", "200"])
def test_plausible_percent_has_no_such_warning(actual: str) -> None:
    r = clean_report()
    _ind(r, "兵役登记率").actual = actual
    assert not _plausibility(r)


@pytest.mark.parametrize("name", ["兵役登记人数同比增长率", "违法建设发案下降率", "辖区能耗降低率", "投诉量变化率"])
def test_a_change_indicator_may_be_negative(name: str) -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.level3, ind.actual = name, "-3"
    keys = _keys(r)
    assert not _plausibility(r)
    assert f"indicator.shortfall@indicator:{name}" in keys  # the miss itself still needs its reason
    ind.actual = "100000000000"  # the upper bound still holds
    assert f"indicator.percent_implausible@indicator:{name}" in _keys(r)


def test_a_negative_target_allows_a_negative_actual() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.direction, ind.target, ind.actual = Direction.AT_MOST, "-5", "-6"  # 下降 at least 5 %
    assert not _plausibility(r)


def test_an_at_most_rate_is_not_negative() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.level3, ind.direction, ind.target, ind.actual = "安全事故发生率", Direction.AT_MOST, "1", "-1"
    assert "indicator.percent_implausible@indicator:安全事故发生率" in _keys(r)
    ind.actual = "0.5"
    assert not _plausibility(r)


def test_a_target_above_the_range_uses_the_ratio() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.target, ind.actual = "300", "2500"  # a growth target of 300 %
    assert not _plausibility(r)
    ind.actual = "3001"
    f = check(r).by_key("indicator.actual_implausible@indicator:兵役登记率")
    assert f is not None
    assert f.message == ("绩效指标“兵役登记率”的实际完成值 3001%，是年度指标值 300%的 10.00 倍，"
                         "超过 10 倍，请核对是否多输入了数字")


def test_percent_bounds_and_words_come_from_settings() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.actual = "160"
    assert PERCENT_KEY not in _keys(r)
    assert PERCENT_KEY in _keys(r, replace(DEFAULT_SETTINGS, percent_actual_max=D(150)))
    ind.level3, ind.actual = "兵役登记增长率", "-3"
    key = "indicator.percent_implausible@indicator:兵役登记增长率"
    assert key not in _keys(r)
    assert key in _keys(r, replace(DEFAULT_SETTINGS, change_indicator_words=()))
    assert key not in _keys(r, replace(DEFAULT_SETTINGS, percent_actual_min=D(-10)))


def test_full_width_percent_unit() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.unit, ind.actual = "％", "-3"
    assert PERCENT_KEY in _keys(r)


# -- 绩效指标 in other units ---------------------------------------------------------------------
def test_value_many_times_the_target_is_a_warning() -> None:
    r = clean_report()
    ind = _ind(r, "违法建设清拆面积")  # ≥ 310000 平方米
    ind.actual = "3102970"
    f = check(r).by_key(AREA_KEY)
    assert f is not None and f.severity == Severity.WARNING
    assert f.message == ("绩效指标“违法建设清拆面积”的实际完成值 3102970平方米，是年度指标值 310000平方米的 "
                         "10.01 倍，超过 10 倍，请核对是否多输入了数字")
    assert (f.seen, f.expected) == ("10.01 倍", "≤ 10 倍")
    ind.reason = "超额完成"
    f = check(r).by_key(AREA_KEY)
    assert f is not None and f.blocks_finalising
    r.explanations[AREA_KEY] = Explanation(AREA_KEY, "已核对")
    assert check(r).by_key(AREA_KEY).explained
    assert AREA_KEY not in _keys(r, replace(DEFAULT_SETTINGS, actual_ratio_max=D(20)))


@pytest.mark.parametrize(("target", "actual"), [("310000", "310297"), ("310000", "3100000"), ("0", "5"),
                                                 ("-10", "500")])
def test_plausible_values_have_no_such_warning(target: str, actual: str) -> None:
    r = clean_report()
    ind = _ind(r, "违法建设清拆面积")
    ind.target, ind.actual = target, actual
    assert not _plausibility(r)


def test_not_applicable_and_qualitative_indicators_are_not_checked() -> None:
    r = clean_report()
    ind = _ind(r, "兵役登记率")
    ind.actual, ind.not_applicable = "-3", True
    assert not _plausibility(r)
    ind.not_applicable, ind.direction, ind.target, ind.actual = False, Direction.QUALITATIVE, "全部登记", "达成"
    assert not _plausibility(r)


# -- on a report file, through the workflow ------------------------------------------------------
def test_typed_slip_on_a_report_file_is_explained_through_the_workflow(example_file) -> None:
    from nanzhou_desktop.workflow import explain

    rf = example_file
    total = rf.report.budget_total_row
    rf.set_field("budget_rows", total.id, "executed", "99999999999999")
    rf.set_field("budget_rows", total.id, "reason", "年中追加支出")
    assert check(rf.report).by_key(BUDGET_KEY).blocks_finalising
    explain(rf, BUDGET_KEY, "已核对，执行数无误")
    assert check(rf.report).by_key(BUDGET_KEY).explained
    ind = next(i for i in rf.report.indicators if i.level3 == "兵役登记率")
    rf.set_field("indicators", ind.id, "actual", "－３")  # full width, as an input method types it
    assert check(rf.report).by_key(PERCENT_KEY) is not None
    explain(rf, PERCENT_KEY, "已核对")
    assert check(rf.report).by_key(PERCENT_KEY).explained
