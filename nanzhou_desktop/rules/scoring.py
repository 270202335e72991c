"""自评得分 by the report's own 评分办法 (``report.template.scheme``, copied from its template):
预算执行率 part + 绩效指标 part, total and grade.

The 预算执行率 part: 执行率 × 分值 capped at 100 % (``ratio``), a share by rate bands
(``bands``), or none (the form scores budget execution as one of its indicators).  The
绩效指标 part: each indicator's 分值 is typed (``indicator``) or is its 一级指标's share
(``level1``); its 得分 is computed from the values (≥ ≤ = by ratio, 定性 by band) or typed by the
evaluator (``entered``).  Not-applicable indicators are dropped and the others rescaled to the
same points (within their 一级指标 under ``level1``).

All arithmetic is exact :class:`Decimal`; rounding (half up, two decimals) happens only for
display and for the grade, which is read off the total as printed so that a report showing
90.00 is always 优.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from nanzhou_desktop.model import Direction, Indicator, Report
from nanzhou_desktop.money import HUNDRED, percent, round_half_up
from nanzhou_desktop.quantity import read_quantity
from nanzhou_desktop.rules.findings import IndicatorScore, Score
from nanzhou_desktop.rules.settings import Settings
from nanzhou_desktop.template_data import Scheme, v2_template

ZERO = Decimal(0)
ONE = Decimal(1)


def _v2() -> Scheme:
    return v2_template().scheme


def execution_rate(budget_total: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, in percent, exact (None when it cannot be computed)."""
    return percent(executed, budget_total)


def budget_score(rate: Decimal | None, scheme: Scheme | None = None) -> Decimal:
    """预算执行率得分 by the scheme's formula (exact)."""
    rule = (scheme or _v2()).budget
    if rate is None or rate <= 0 or rule.formula == "none":
        return ZERO
    if rule.formula == "bands":
        for lowest, share in rule.bands:
            if rate >= lowest:
                return share * rule.points
        return ZERO
    return min(rate / HUNDRED, ONE) * rule.points


@lru_cache(maxsize=8192)
def number(text: str) -> Decimal | None:
    """A target or actual value as a number ("168起" → 168, "≥50个" → 50, "95%" → 95), or None
    when it is not one (cached: the same few strings are read by several rules on every keystroke;
    Decimal is immutable)."""
    q = read_quantity(text)
    return None if q is None else q.number


def achievement(ind: Indicator, scheme: Scheme | None = None) -> Decimal | None:
    """Share of the points earned (0–1) by 指标性质; None when target/actual are missing or unreadable."""
    if ind.direction == Direction.QUALITATIVE:
        band = (scheme or _v2()).band(ind.actual.strip())
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


def _shares(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` shared out by ``weights``, the last taking the remainder so the parts add up
    exactly to ``amount``."""
    total = sum(weights, ZERO)
    if not weights or total <= 0:
        return [ZERO] * len(weights)
    out: list[Decimal] = []
    given = ZERO
    for k, w in enumerate(weights):
        if k == len(weights) - 1:
            out.append(amount - given)
        else:
            part = amount * w / total
            out.append(part)
            given += part
    return out


def effective_points(report: Report, scheme: Scheme) -> list[Decimal]:
    """Each indicator's 分值 as scored: after not-applicable rescaling, and under ``level1``
    weighting its 一级指标's points shared among its indicators (0 for a not-applicable one)."""
    indicators = report.indicators
    if scheme.indicators.weighting == "level1":
        out = [ZERO] * len(indicators)
        for level1, points in scheme.indicators.level1:
            members = [k for k, i in enumerate(indicators) if i.level1.strip() == level1 and not i.not_applicable]
            if not members:
                continue
            typed = [indicators[k].points for k in members]
            weights = [p for p in typed if p is not None] if all(p is not None for p in typed) else []
            if not weights or sum(weights, ZERO) <= 0:
                weights = [ONE] * len(members)
            for k, pts in zip(members, _shares(points, weights), strict=True):
                out[k] = pts
        return out
    # "indicator": the typed 分值; not-applicable ones dropped and the others rescaled so that
    # they still add up to the total of every 分值 typed (90 for a well-formed table)
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
    given = ZERO
    out = []
    for k, ind in enumerate(indicators):
        if ind.not_applicable:
            out.append(ZERO)
        elif not rescale:
            out.append(ind.points or ZERO)
        elif k == last:
            out.append(entered - given)  # the remainder, so the rescaled points add up exactly
        else:
            pts = (ind.points or ZERO) * entered / applicable
            given += pts
            out.append(pts)
    return out


def indicator_scores(report: Report, scheme: Scheme | None = None) -> tuple[IndicatorScore, ...]:
    """Each indicator's 分值 as scored (see :func:`effective_points`) and its 得分."""
    scheme = scheme or report.template.scheme
    skey = scheme.key
    entered_mode = scheme.indicators.score == "entered"
    out: list[IndicatorScore] = []
    for ind, pts in zip(report.indicators, effective_points(report, scheme), strict=True):
        if ind.not_applicable:
            out.append(IndicatorScore(ind.id, indicator_name(ind), ZERO, None))
            continue
        # cached under everything the score depends on, so a keystroke recomputes only the
        # indicator it changed; Decimals as text, since equal values may print differently
        key = (ind.id, ind.level1, ind.level2, ind.level3, str(pts), ind.direction, ind.target, ind.actual,
               str(ind.qual_share), str(ind.score), str(ind.points), skey)
        found = _SCORES.get(key)
        if found is None:
            if entered_mode:
                found = IndicatorScore(ind.id, indicator_name(ind), pts, _entered(ind, pts))
            else:
                share = achievement(ind, scheme)
                found = IndicatorScore(ind.id, indicator_name(ind), pts, None if share is None else share * pts)
            if len(_SCORES) >= _SCORES_MAX:
                _SCORES.clear()
            _SCORES[key] = found
        out.append(found)
    return tuple(out)


def _entered(ind: Indicator, pts: Decimal) -> Decimal | None:
    """A typed 得分, kept within 0–分值; rescaled with the 分值 when not-applicable rows moved it."""
    if ind.score is None:
        return None
    typed = ind.points
    value = ind.score * pts / typed if typed and typed != pts else ind.score
    return min(max(value, ZERO), pts)


_SCORES: dict[tuple, IndicatorScore] = {}
_SCORES_MAX = 8192


def bands_key(scheme: Scheme) -> str:
    """The scheme as a cache key (its 定性 bands and everything else)."""
    return scheme.key


def clear_caches() -> None:
    number.cache_clear()
    _SCORES.clear()


def grade(total: Decimal, scheme: Scheme | None = None) -> str:
    """等级: read off the total as printed (two decimals, half up), so 89.996 → 90.00 → 优."""
    grades = (scheme or _v2()).grades
    shown = round_half_up(total, 2)
    for band in grades:
        if shown >= band.min:
            return band.grade
    return grades[-1].grade


def score(report: Report, settings: Settings | None = None) -> Score:
    """The report's 自评得分 by its own scheme (``settings`` holds no weights; kept for callers)."""
    scheme = report.template.scheme
    row = report.budget_total_row
    rate = execution_rate(row.budget_total, row.executed) if row else None
    b_score = budget_score(rate, scheme)
    scores = indicator_scores(report, scheme)
    i_score = sum((s.score for s in scores if s.score is not None), ZERO)
    total = b_score + i_score
    return Score(
        budget_rate=rate,
        budget_points=scheme.budget.points,
        budget_score=b_score,
        indicator_points=scheme.indicators.points,
        indicator_score=i_score,
        indicators=scores,
        total=total,
        grade=grade(total, scheme),
    )
