"""The score's arithmetic: exact decimals, half-up rounding, the cap, monotonicity, rescaling."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Direction, Indicator
from nanzhou_desktop.money import round_half_up
from nanzhou_desktop.rules.scoring import achievement, budget_score, execution_rate, grade, indicator_scores, score
from nanzhou_desktop.template_data import V2_TEMPLATE_DATA, parse_scheme, v2_template

D = Decimal
amounts = st.decimals(min_value=D("0.01"), max_value=D("99999999.99"), places=2, allow_nan=False,
                      allow_infinity=False)
rates = st.decimals(min_value=D(0), max_value=D(300), places=4, allow_nan=False, allow_infinity=False)


def _half_up(x: Fraction, places: int = 2) -> Decimal:
    """Reference rounding on an exact fraction (no Decimal division involved)."""
    scaled = x * 10 ** places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    return Decimal(floor + (1 if rest >= Fraction(1, 2) else 0)).scaleb(-places)


@given(amounts, amounts)
def test_execution_rate_is_exact_to_the_displayed_digits(budget: Decimal, executed: Decimal) -> None:
    rate = execution_rate(budget, executed)
    assert rate is not None
    exact = Fraction(executed) * 100 / Fraction(budget)
    assert round_half_up(rate, 2) == _half_up(exact, 2)
    assert isinstance(rate, Decimal)


@given(st.integers(min_value=0, max_value=10**8))
def test_half_up_rounds_ties_up(n: int) -> None:
    tie = Decimal(n).scaleb(-2) + Decimal("0.005")  # x.xx5
    assert round_half_up(tie, 2) == Decimal(n + 1).scaleb(-2)
    assert round_half_up(tie, 2) == tie.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_half_up_known_values() -> None:
    assert round_half_up(D("99.135")) == D("99.14")
    assert round_half_up(D("99.125")) == D("99.13")  # not banker's rounding
    assert round_half_up(execution_rate(D("19910.75"), D("19738.24"))) == D("99.13")


@given(rates, rates)
def test_budget_score_is_capped_and_monotonic(a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    s_lo, s_hi = budget_score(lo), budget_score(hi)
    points = v2_template().scheme.budget.points
    assert D(0) <= s_lo <= s_hi <= points
    if hi >= 100:
        assert s_hi == points


@given(rates)
def test_budget_score_is_rate_times_points(rate: Decimal) -> None:
    assert budget_score(rate) == min(rate, D(100)) / 100 * 10


@given(st.lists(st.tuples(st.decimals(min_value=D("0.25"), max_value=D(30), places=2),
                          st.booleans(), st.decimals(min_value=D(0), max_value=D(200), places=1)),
                min_size=1, max_size=25))
@settings(max_examples=200)
def test_not_applicable_rescaling_keeps_the_total(rows: list[tuple[Decimal, bool, Decimal]]) -> None:
    report = example_report()
    report.indicators = [
        Indicator("产出指标", "数量指标", f"指标{k}", Direction.AT_LEAST, "100", "%", str(actual), points, "", na)
        for k, (points, na, actual) in enumerate(rows)
    ]
    entered = sum((p for p, _, _ in rows), D(0))
    scores = indicator_scores(report)
    if all(na for _, na, _ in rows):
        assert all(s.points == 0 for s in scores)
        return
    assert sum((s.points for s in scores), D(0)) == entered
    for s, (_, na, _) in zip(scores, rows, strict=True):
        if na:
            assert s.points == 0 and s.score is None
        else:
            assert s.score is not None and D(0) <= s.score <= s.points


@given(st.decimals(min_value=D(1), max_value=D(1000), places=2), st.decimals(min_value=D(0), max_value=D(2000),
                                                                          places=2))
def test_indicator_achievement_by_direction(target: Decimal, actual: Decimal) -> None:
    at_least = achievement(Indicator("a", "b", "c", Direction.AT_LEAST, str(target), "", str(actual)))
    at_most = achievement(Indicator("a", "b", "c", Direction.AT_MOST, str(target), "", str(actual)))
    equal = achievement(Indicator("a", "b", "c", Direction.EQUAL, str(target), "", str(actual)))
    assert at_least == min(actual / target, D(1))
    assert at_most == (D(1) if actual <= target else target / actual)
    assert equal is not None and D(0) <= equal <= D(1)
    assert (equal == 1) == (actual == target)


def test_qualitative_bands_and_share() -> None:
    def ach(actual: str, share: str | None = None) -> Decimal | None:
        return achievement(Indicator("a", "b", "c", Direction.QUALITATIVE, "群众满意", "", actual,
                                     qual_share=None if share is None else D(share)))

    assert ach("达成") == D(1)
    assert ach("部分达成") == D("0.8")
    assert ach("未达成") == D("0.6")
    assert ach("部分达成", "0.7") == D("0.7")
    assert ach("部分达成", "0.95") == D("0.8")  # clamped into the band
    assert ach("基本达成") is None


def test_grade_bands_and_the_edge_at_90() -> None:
    assert grade(D(90)) == "优"
    assert grade(D("89.996")) == "优"  # prints as 90.00
    assert grade(D("89.99")) == "良"
    assert grade(D(80)) == "良"
    assert grade(D("79.99")) == "中"
    assert grade(D(60)) == "中"
    assert grade(D("59.99")) == "差"
    assert grade(D(0)) == "差"
    scheme = parse_scheme({**V2_TEMPLATE_DATA["scoring"], "grades": [{"min": 85, "grade": "优"},
                                                                   {"min": 0, "grade": "差"}]}, "测试")
    assert grade(D(85), scheme) == "优"
    assert grade(D("84.99"), scheme) == "差"


@given(st.decimals(min_value=D(0), max_value=D(100), places=3))
def test_grade_is_monotonic(total: Decimal) -> None:
    order = ["差", "中", "良", "优"]
    assert order.index(grade(total)) <= order.index(grade(total + D("0.01")))


def test_example_total_is_the_sum_of_its_parts() -> None:
    s = score(example_report())
    assert s.total == s.budget_score + s.indicator_score
    assert s.indicator_score == sum((i.score for i in s.indicators if i.score is not None), D(0))
    assert sum((i.points for i in s.indicators), D(0)) == D(90)
