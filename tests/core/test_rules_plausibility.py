"""Plausibility: figures that are almost certainly typing slips (extra digits).

Found by a new-user trial: 全年执行数 99999999999999 against 全年预算数 19,910.75 was taken, and
the only finding (budget.rate_high) went away once anything was typed as 偏差原因.  This 警告
stays until the figure is corrected or an 出错说明 is written: a 偏差原因 explains a deviation,
not a typing slip.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from nanzhou_desktop.model import BudgetKind, BudgetRow, Explanation, Report
from nanzhou_desktop.rules import Severity, check
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS
from nanzhou_desktop.store.errors import EditError
from tests.core.test_rules import _total, clean_report

D = Decimal
BUDGET_KEY = "budget.executed_implausible@budget:total"
PROJECT_KEY = "project.executed_implausible@project:疫情防控项目"


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
