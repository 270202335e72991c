"""The rules cache work between checks (the window checks on every keystroke); a cache must never
change a result.  After each of many random edits — text typed or deleted, figures and budget
sentences added, titles renamed, tasks moved, table values changed and changed back, settings
switched — the warm check (caches filled by the checks before it) must equal the cold one
(every cache cleared) in findings, score and completion.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from decimal import Decimal

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Direction, Explanation, Report, Task, TaskItem
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS, Settings

D = Decimal

SNIPPETS = (
    "字", "。", "\n", "\n\n", "，", "6", "%", "％", "１２", "万",
    "受理 120 件，办结 118 件，办结率 98.3%。",
    "受理 120 件，办结 118 件，办结率 95%。",
    "累计完成 300 万平方米，完成任务量 300 平方米的 100%。",
    "覆盖率达 105%。",
    "全年预算数 19,910.75 万元，执行数 19,738.24 万元，完成预算的 99.13%。",
    "全年预算数 19910.75 万元，执行数 19000 万元，完成预算的 95%。",
    "疫情防控项目全年预算数 1,802.25 万元，执行数 1,802.25 万元，完成预算的 100%。",
    "新建项目全年预算数 100 万元，执行数 90 万元。",
    "基本支出预算数 12,000 万元，执行数 11,990 万元。",
    "截至12月20日", "截至2021年3月1日", "截至2月30日", "支出 6600 元", "支出 6,600 元",
)

ALT_SETTINGS = (
    DEFAULT_SETTINGS,
    Settings(claim_window=30, rate_claim_tolerance=D(2), text_rate_note_above=D(104), text_limit=100,
             amount_tolerance=D(1000), require_unit_code=True, prior_swing=D(5)),
    # only the plausibility settings: a cache that left one of them out of its key would hand a
    # check under these settings the findings computed under the defaults
    Settings(executed_ratio_max=D("1.2"), percent_actual_min=D(-5), percent_actual_max=D(101),
             actual_ratio_max=D(2), change_indicator_words=("登记", "完成")),
)


def _text_fields(r: Report) -> list[tuple[object, str]]:
    out: list[tuple[object, str]] = [(s, "body") for s in r.sections]
    for t in r.tasks:
        out.append((t, "body"))
        out.append((t, "title"))
        out.extend((i, "body") for i in t.items)
        out.extend((i, "title") for i in t.items)
    return out


def _edit_text(r: Report, rng: random.Random) -> None:
    obj, attr = rng.choice(_text_fields(r))
    text: str = getattr(obj, attr)
    pos = rng.randint(0, len(text))
    if text and rng.random() < 0.35:
        end = min(len(text), pos + rng.randint(1, 6))
        setattr(obj, attr, text[:pos] + text[end:])
    else:
        setattr(obj, attr, text[:pos] + rng.choice(SNIPPETS) + text[pos:])


def _edit_structure(r: Report, rng: random.Random) -> None:
    k = rng.randrange(6)
    if k == 0 and len(r.tasks) > 1:
        i, j = rng.sample(range(len(r.tasks)), 2)
        r.tasks[i], r.tasks[j] = r.tasks[j], r.tasks[i]
    elif k == 1:
        r.tasks.insert(rng.randint(0, len(r.tasks)), Task("新增工作", rng.choice(SNIPPETS),
                                                         [TaskItem("小项", rng.choice(SNIPPETS))]))
    elif k == 2 and r.tasks:
        task = rng.choice(r.tasks)
        if task.items:
            task.items.pop(rng.randrange(len(task.items)))
        else:
            r.tasks.remove(task)
    elif k == 3:
        sec = rng.choice(r.sections)
        sec.required = not sec.required
    else:
        r.year = rng.choice((2021, 2022, 2023))


def _edit_tables(r: Report, rng: random.Random) -> None:
    k = rng.randrange(7)
    # equal amounts written differently (0 / -0, 1802.25 / 1802.250) must not share a cached result
    amounts = (None, D(0), D("-0"), D("1802.25"), D("1802.250"), D("1900"), D("19910.75"), D("19738.24"),
               D("-1"), D("25000"), D("45000"), D("99999999999999"))
    if k == 0 and r.projects:
        p = rng.choice(r.projects)
        col = rng.choice(("budget_total", "executed", "prior_budget_total", "prior_executed"))
        setattr(p, col, rng.choice(amounts))
    elif k == 1 and r.projects:
        p = rng.choice(r.projects)
        p.name = rng.choice(("疫情防控项目", "新建项目", "", "疫情防控", p.name + "二期项目"))
    elif k == 2 and r.budget:
        row = rng.choice(r.budget)
        col = rng.choice(("budget_initial", "budget_total", "executed", "prior_executed"))
        setattr(row, col, rng.choice(amounts))
    elif k == 3 and r.indicators:
        ind = rng.choice(r.indicators)
        col = rng.choice(("actual", "target", "reason", "level3", "level1", "prior_actual", "unit"))
        setattr(ind, col, rng.choice(("", "100", "95.5", "达成", "部分达成", "abc", "产出指标", ind.level3,
                                      "原因" * rng.choice((1, 120)), "%", "平方米", "-3", "-10", "101.5",
                                      "100000000000", "3102970", "兵役登记增长率")))
    elif k == 4 and r.indicators:
        ind = rng.choice(r.indicators)
        ind.points = rng.choice((None, D(0), D(5), D("7.5"), D("7.50"), ind.points))
        ind.not_applicable = rng.random() < 0.2
        ind.direction = rng.choice(list(Direction))
        ind.qual_share = rng.choice((None, D("0.5"), D("0.50"), D("0.9"), D("0.8250")))
    elif k == 5:
        so = r.signoff
        col = rng.choice(("head", "phone_mobile", "fill_date", "issue_date"))
        setattr(so, col, rng.choice(("", "张三", "2023-03-15", "2022-05-01", "2025-01-01", "abc")))
        r.unit.code = rng.choice(("", "440105"))
    else:
        findings = check(r).findings
        if findings:
            key = rng.choice(findings).key
            r.explanations[key] = Explanation(key, "已说明")


def random_edits(report: Report, seed: int, steps: int) -> list[tuple[Report, Settings]]:
    """``steps`` successive states of ``report`` under random edits (each a deep copy), with the
    settings to check each one with."""
    rng = random.Random(seed)
    out = []
    settings = DEFAULT_SETTINGS
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.6:
            _edit_text(report, rng)
        elif roll < 0.72:
            _edit_structure(report, rng)
        elif roll < 0.97:
            _edit_tables(report, rng)
        else:
            settings = rng.choice(ALT_SETTINGS)
        out.append((copy.deepcopy(report), settings))
    return out


def ten_times(report: Report) -> Report:
    """A report ten times the example's size, as ``bench/bench_rules.py`` builds it (kept small here)."""
    big = copy.deepcopy(report)
    for sec in big.sections:
        if sec.body:
            sec.body = "\n".join([sec.body] * 10)
    big.tasks = [copy.deepcopy(t) for _ in range(10) for t in report.tasks]
    for k, t in enumerate(big.tasks):
        t.title = f"{t.title}（{k // len(report.tasks) + 1}）"
    return big


def _clear_all() -> None:
    from nanzhou_desktop.rules import clear_caches

    clear_caches()


REPORTS: dict[str, Callable[[], Report]] = {"example": example_report, "ten_times": lambda: ten_times(example_report())}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("which", sorted(REPORTS))
def test_warm_check_equals_cold_check_under_random_edits(which: str, seed: int) -> None:
    report = REPORTS[which]()
    steps = 60 if which == "example" else 25
    _clear_all()
    for k, (state, settings) in enumerate(random_edits(report, seed, steps)):
        warm = check(state, settings)
        again = check(state, settings)
        _clear_all()
        cold = check(state, settings)
        assert warm == cold, f"step {k}"
        assert again == cold, f"step {k}"
        # equal Decimals may differ in how they print (7.5 / 7.50): the text must match as well
        assert repr(warm) == repr(cold), f"step {k}"


def test_check_does_not_modify_the_report() -> None:
    for state, settings in random_edits(example_report(), 99, 30):
        before = copy.deepcopy(state)
        check(state, settings)
        assert state == before


def _qualitative(r: Report, share: Decimal) -> None:
    ind = r.indicators[-1]
    ind.direction, ind.target, ind.actual, ind.qual_share = Direction.QUALITATIVE, "达成", "达成", share


def _project_executed(r: Report, value: Decimal) -> None:
    r.projects[0].executed = value  # the text says 1,802.25: flagged, the message shows the table's value


def _points(r: Report, value: Decimal) -> None:
    r.indicators[0].points = value


@pytest.mark.parametrize(("edit", "first", "second"), [
    (_qualitative, D("0.9"), D("0.90")),
    (_qualitative, D("0.555"), D("0.5550")),  # outside the band: the 警告 prints it
    (_project_executed, D(0), D("-0")),
    (_project_executed, D(1), D("1.000")),
    (_points, D("6.25"), D("6.250")),
])
def test_equal_values_written_differently_do_not_share_a_cached_result(
        edit: Callable[[Report, Decimal], None], first: Decimal, second: Decimal) -> None:
    """Decimal('0.9') == Decimal('0.90') and they hash alike, but may print differently: a
    cache keyed on the value would hand back the other one's wording or score."""
    for settings in ALT_SETTINGS:
        report = example_report()
        _clear_all()
        edit(report, first)
        check(report, settings)
        edit(report, second)
        warm = check(report, settings)
        _clear_all()
        assert repr(warm) == repr(check(report, settings))


def _set_indicator(name: str, **values: str) -> Callable[[Report], None]:
    def edit(r: Report) -> None:
        ind = next(i for i in r.indicators if i.level3 == name)
        for col, value in values.items():
            setattr(ind, col, value)
    return edit


def _set_total_executed(r: Report) -> None:
    r.budget_total_row.executed = D("45000")  # 2.26 × 全年预算数


@pytest.mark.parametrize(("edit", "changed"), [
    (_set_indicator("兵役登记率", actual="160"), Settings(percent_actual_max=D(150))),
    (_set_indicator("兵役登记率", actual="-3"), Settings(percent_actual_min=D(-5))),
    (_set_indicator("兵役登记率", level3="兵役登记增长率", actual="-3"), Settings(change_indicator_words=())),
    (_set_indicator("违法建设清拆面积", actual="3102970"), Settings(actual_ratio_max=D(20))),
    (_set_total_executed, Settings(executed_ratio_max=D(3))),
    (_set_total_executed, Settings(amount_max_plausible=D(40000))),
], ids=["percent_actual_max", "percent_actual_min", "change_indicator_words", "actual_ratio_max",
        "executed_ratio_max", "amount_max_plausible"])
def test_each_plausibility_setting_reaches_a_cached_result(edit: Callable[[Report], None],
                                                           changed: Settings) -> None:
    """The plausibility rules read settings that the random walk above only switches together:
    each one alone must change the result, and a check right after one under the defaults
    (caches filled) must equal a cold one."""
    report = example_report()
    edit(report)
    _clear_all()
    default = check(report, DEFAULT_SETTINGS)
    warm = check(report, changed)
    _clear_all()
    cold = check(report, changed)
    assert warm.findings != default.findings  # the setting matters for this case
    assert repr(warm) == repr(cold)
