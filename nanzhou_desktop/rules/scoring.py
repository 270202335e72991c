"""自评得分 per domain.md §4: 预算执行率 (10 points) + 绩效指标 (90 points), total and grade.

All arithmetic is exact :class:`Decimal`; rounding (half up, two decimals) happens only for
display and for the grade, which is read off the total as printed so that a report showing
90.00 is always 优.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from nanzhou_desktop.model import Direction, Indicator, Report
from nanzhou_desktop.money import HUNDRED, parse_decimal, percent, round_half_up
from nanzhou_desktop.rules.findings import IndicatorScore, Score
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS, Settings

ZERO = Decimal(0)
ONE = Decimal(1)


def execution_rate(budget_total: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, in percent, exact (None when it cannot be computed)."""
    return percent(executed, budget_total)


def budget_score(rate: Decimal | None, settings: Settings = DEFAULT_SETTINGS) -> Decimal:
    """预算执行率得分 = min(执行率, 100 %) × 分值 (exact)."""
    if rate is None or rate <= 0:
        return ZERO
    share = min(rate / HUNDRED, ONE)
    return share * settings.budget_points


@lru_cache(maxsize=4096)
def number(text: str) -> Decimal | None:
    """A target or actual value as a number, or None when it is not one (cached: the same few
    strings are read by several rules on every keystroke; Decimal is immutable)."""
    try:
        return parse_decimal(text)
    except ValueError:
        return None


def achievement(ind: Indicator, settings: Settings = DEFAULT_SETTINGS) -> Decimal | None:
    """Share of the points earned (0–1) by 指标性质; None when target/actual are missing or unreadable."""
    if ind.direction == Direction.QUALITATIVE:
        band = settings.band(ind.actual.strip())
        if band is None:
            return None
        low, high = band
        if ind.qual_share is None:
            return high
        return min(max(ind.qual_share, low), high)
    target, actual = number(ind.target), number(ind.actual)
    if target is None or actual is None:
        return None
    if ind.direction == Direction.AT_LEAST:
        if target <= 0:
            return ONE if actual >= target else ZERO
        return max(min(actual / target, ONE), ZERO)
    if ind.direction == Direction.AT_MOST:
        if actual <= target:
            return ONE
        if actual <= 0:
            return ZERO
        return max(min(target / actual, ONE), ZERO)
    # "=": full when equal, else pro rata by closeness [unconfirmed]: 1 − |actual − target| / |target|.
    if actual == target:
        return ONE
    if target == 0:
        return ZERO
    return max(ONE - abs(actual - target) / abs(target), ZERO)


def indicator_name(ind: Indicator) -> str:
    return ind.level3.strip() or ind.level2.strip() or ind.level1.strip()


def indicator_scores(report: Report, settings: Settings = DEFAULT_SETTINGS) -> tuple[IndicatorScore, ...]:
    """Each indicator's 分值 after not-applicable rescaling and its 得分.

    Not-applicable indicators are dropped and the others rescaled so their 分值 still add
    up to the same total as all the 分值 entered (90 for a well-formed table).
    """
    indicators = report.indicators
    entered = applicable = ZERO
    last = -1
    for k, i in enumerate(indicators):  # one pass; the same additions, in the same order, as two sums
        p = i.points or ZERO
        entered += p
        if not i.not_applicable:
            applicable += p
            last = k
    if applicable <= 0:
        entered = ZERO  # nothing applicable: nothing to rescale onto
    rescale = applicable != entered
    bands = bands_key(settings)
    given = ZERO
    out: list[IndicatorScore] = []
    for k, ind in enumerate(indicators):
        if ind.not_applicable:
            out.append(IndicatorScore(ind.id, indicator_name(ind), ZERO, None))
            continue
        if not rescale:
            pts = ind.points or ZERO
        elif k == last:
            pts = entered - given  # the remainder, so the rescaled points add up exactly
        else:
            pts = (ind.points or ZERO) * entered / applicable
            given += pts
        # cached under everything the score depends on, so a keystroke recomputes only the
        # indicator it changed; Decimals as text, since equal values may print differently
        key = (ind.id, ind.level1, ind.level2, ind.level3, str(pts), ind.direction, ind.target, ind.actual,
               str(ind.qual_share), bands)
        found = _SCORES.get(key)
        if found is None:
            share = achievement(ind, settings)
            found = IndicatorScore(ind.id, indicator_name(ind), pts, None if share is None else share * pts)
            if len(_SCORES) >= _SCORES_MAX:
                _SCORES.clear()
            _SCORES[key] = found
        out.append(found)
    return tuple(out)


_SCORES: dict[tuple, IndicatorScore] = {}
_SCORES_MAX = 8192


def bands_key(settings: Settings) -> tuple[tuple[str, str, str], ...]:
    """The 定性 bands of ``settings`` as a cache key (amounts as text)."""
    return tuple((k, str(low), str(high)) for k, (low, high) in settings.qualitative_bands.items())


def clear_caches() -> None:
    number.cache_clear()
    _SCORES.clear()


def grade(total: Decimal, settings: Settings = DEFAULT_SETTINGS) -> str:
    """等级: read off the total as printed (two decimals, half up), so 89.996 → 90.00 → 优."""
    shown = round_half_up(total, 2)
    for lowest, name in settings.grade_bands:
        if shown >= lowest:
            return name
    return settings.grade_bands[-1][1]


def score(report: Report, settings: Settings = DEFAULT_SETTINGS) -> Score:
    row = report.budget_total_row
    rate = execution_rate(row.budget_total, row.executed) if row else None
    b_score = budget_score(rate, settings)
    scores = indicator_scores(report, settings)
    i_score = sum((s.score for s in scores if s.score is not None), ZERO)
    total = b_score + i_score
    return Score(
        budget_rate=rate,
        budget_points=settings.budget_points,
        budget_score=b_score,
        indicator_points=settings.indicator_points,
        indicator_score=i_score,
        indicators=scores,
        total=total,
        grade=grade(total, settings),
    )
