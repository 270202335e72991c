"""绩效指标: values by 指标性质 (a number with its unit, or a 定性 value of the report's scheme),
shortfalls, 分值 totals and the split by 一级指标, typed 得分."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from nanzhou_desktop.model import Direction, FieldRef, Indicator
from nanzhou_desktop.money import format_number
from nanzhou_desktop.quantity import read_quantity, same_unit
from nanzhou_desktop.rules.base import ERROR, WARNING, Collector, Recorder, plain, times
from nanzhou_desktop.rules.findings import Finding
from nanzhou_desktop.rules.scoring import effective_points, indicator_name, number
from nanzhou_desktop.template_data import Scheme, v2_template

ZERO = Decimal(0)


def shortfall(ind: Indicator, scheme: Scheme | None = None) -> bool | None:
    """True when the actual value falls short of the target by 指标性质; None when unknown.
    A 定性 value falls short unless it is the scheme's best (达成, 好 …)."""
    if ind.direction == Direction.QUALITATIVE:
        scheme = scheme or v2_template().scheme
        value = ind.actual.strip()
        return None if value not in scheme.qualitative_values else value != scheme.achieved_value
    target, actual = number(ind.target), number(ind.actual)
    if target is None or actual is None:
        return None
    if ind.direction == Direction.AT_LEAST:
        return actual < target
    if ind.direction == Direction.AT_MOST:
        return actual > target
    return actual != target


def _pts(value: Decimal) -> str:
    return format_number(value.normalize()) if value == value.to_integral() else format_number(value)


def check_indicators(c: Collector) -> None:
    r = c.report
    s = c.settings
    named = [(ind, indicator_name(ind)) for ind in r.indicators]
    names = Counter(name for _, name in named if name)
    for name, n in names.items():
        if n > 1:
            first = next(i for i, i_name in named if i_name == name)
            c.add("indicator.duplicate", ERROR,
                  f"三级指标“{name}”出现了 {n} 次；同名指标无法区分，请改名或合并",
                  FieldRef("indicators", first.id, "level3"), f"indicator:{name}", seen=f"{n} 次", expected="1 次")

    # Each indicator's own findings depend only on its values and a few settings: they are cached
    # under those, so a keystroke re-evaluates only the indicator it changed.  Decimals enter
    # the key as text (equal values may print differently).
    scheme = r.template.scheme
    context = (s.text_limit, scheme.key, str(s.percent_actual_min), str(s.percent_actual_max),
               str(s.actual_ratio_max), s.change_indicator_words)
    entered = scheme.indicators.score == "entered"
    points = effective_points(r, scheme) if entered else [ZERO] * len(r.indicators)
    for (ind, name), pts in zip(named, points, strict=True):
        if not name or ind.not_applicable:
            continue
        key = (name, ind.id, ind.direction, ind.unit, ind.target, ind.actual, ind.reason, str(ind.qual_share),
               ind.target_initial, str(ind.score), str(pts), context)
        found = _FOUND.get(key)
        if found is None:
            rec = Recorder(c)
            _check_indicator(rec, ind, name, scheme, pts if entered else None)
            found = tuple(rec.findings)
            if len(_FOUND) >= _FOUND_MAX:
                _FOUND.clear()
            _FOUND[key] = found
        c.extend(found)

    if r.indicators:
        _check_weights(c, scheme)


def _check_weights(c: Collector, scheme: Scheme) -> None:
    """分值 against the scheme: typed 分值 adding up to the 绩效指标 points and split as the scheme
    says (``indicator`` weighting); every 一级指标 one the scheme knows (and, under ``level1``
    weighting, every scheme 一级指标 with at least one indicator, or its points are lost)."""
    r = c.report
    rule = scheme.indicators
    split = rule.split
    total = rule.points
    if rule.weighting == "indicator":
        points = [i.points for i in r.indicators]
        if not all(p is not None for p in points):
            return  # completeness asks for each missing 分值
        got = sum((p for p in points if p is not None), ZERO)
        if got != total:
            c.add("indicator.points_total", ERROR,
                  f"绩效指标分值合计 {_pts(got)} 分，应为 {_pts(total)} 分",
                  FieldRef("indicators", r.indicators[0].id, "points"), "indicators",
                  seen=f"{_pts(got)} 分", expected=f"{_pts(total)} 分")
            return
        by_level: Counter[str] = Counter()
        for i in r.indicators:
            by_level[i.level1.strip()] += i.points or ZERO
        for level1, want in split.items():
            have = by_level.get(level1, ZERO)
            if have != want:
                first = next((i for i in r.indicators if i.level1.strip() == level1), r.indicators[0])
                c.add("indicator.split", WARNING,
                      f"{level1}的分值合计 {_pts(have)} 分，与评分办法规定的 {_pts(want)} 分不同",
                      FieldRef("indicators", first.id, "points"), f"indicators:{level1}",
                      seen=f"{_pts(have)} 分", expected=f"{_pts(want)} 分")
    else:
        present = {i.level1.strip() for i in r.indicators if not i.not_applicable}
        for level1, want in split.items():
            if level1 not in present:
                c.add("indicator.level1_empty", WARNING,
                      f"一级指标“{level1}”（{_pts(want)} 分）下还没有适用的指标，这 {_pts(want)} 分无法得到",
                      FieldRef("indicators", r.indicators[0].id, "level1"), f"indicators:{level1}",
                      seen="0 项", expected="至少 1 项")
    if not split:
        return
    seen: set[str] = set()
    for i in r.indicators:
        level1 = i.level1.strip()
        if level1 and level1 not in split and level1 not in seen:
            seen.add(level1)
            c.add("indicator.level1_unknown", WARNING,
                  f"一级指标“{level1}”不在评分办法的一级指标（{'、'.join(split)}）之中"
                  + ("，它的指标不计分" if rule.weighting == "level1" else ""),
                  FieldRef("indicators", i.id, "level1"), f"indicators:{level1}",
                  seen=level1, expected="、".join(split))


_FOUND: dict[tuple, tuple[Finding, ...]] = {}
_FOUND_MAX = 8192


def clear_caches() -> None:
    _FOUND.clear()


def _check_indicator(c: Recorder, ind: Indicator, name: str, scheme: Scheme, entered_points: Decimal | None
                     ) -> None:
    """The findings of one applicable, named indicator on its own: value types and units, 定性
    wording and band, an implausible 实际完成值, a shortfall without a reason, the reason's length,
    a typed 得分 above its 分值 (``entered_points``: its 分值 when the scheme's 得分 are typed)."""
    s = c.settings
    target_key = f"indicator:{name}"
    unit = ind.unit.strip()
    if entered_points is not None and ind.score is not None and ind.score > entered_points:
        c.add("indicator.score_above_points", ERROR,
              f"绩效指标“{name}”的得分 {_pts(ind.score)} 超过其分值 {_pts(entered_points)}",
              FieldRef("indicators", ind.id, "score"), target_key,
              seen=_pts(ind.score), expected=f"≤ {_pts(entered_points)}")
    if ind.direction == Direction.QUALITATIVE:
        actual = ind.actual.strip()
        values = scheme.qualitative_values
        if actual and actual not in values:
            choices = "”“".join(values)
            c.add("indicator.qualitative_value", ERROR,
                  f"定性指标“{name}”的实际完成值是“{actual}”，只能填“{choices}”之一",
                  FieldRef("indicators", ind.id, "actual"), target_key, seen=actual,
                  expected=" / ".join(values))
        band = scheme.band(actual)
        if band is not None and ind.qual_share is not None and not band[0] <= ind.qual_share <= band[1]:
            low, high = band
            c.add("indicator.qual_share_band", WARNING,
                  f"定性指标“{name}”为“{actual}”，得分比例 {_pts(ind.qual_share * 100)}% 不在该档 "
                  f"{_pts(low * 100)}%–{_pts(high * 100)}% 之内，计分时按档内取值",
                  FieldRef("indicators", ind.id, "qual_share"), target_key,
                  seen=f"{_pts(ind.qual_share * 100)}%", expected=f"{_pts(low * 100)}%–{_pts(high * 100)}%")
    else:
        for col, label in (("target", "年度指标值"), ("actual", "实际完成值"), ("target_initial", "年初目标值")):
            text = getattr(ind, col).strip()
            if text and number(text) is None:
                c.add("indicator.not_number", ERROR,
                      f"定量指标“{name}”的{label}“{text}”不是数字；请填数字，可带单位（如“168起”），"
                      "单位应与“度量单位”一致",
                      FieldRef("indicators", ind.id, col), f"{target_key}/{col}", seen=text, expected="数字")
        _check_units(c, ind, name, unit)
        _check_plausible(c, ind, name, unit)
    short = shortfall(ind, scheme)
    if short and not ind.reason.strip():
        seen = f"{ind.actual.strip()}{unit if unit != '定性' else ''}"
        expected = (f"{ind.direction} {ind.target.strip()}{unit}" if ind.direction != Direction.QUALITATIVE
                    else scheme.achieved_value)
        c.add("indicator.shortfall", WARNING,
              f"绩效指标“{name}”实际完成值 {seen} 未达到年度指标值（{expected}），需要填写偏差原因",
              FieldRef("indicators", ind.id, "reason"), target_key, seen=seen, expected=expected,
              suggestion="在“偏差原因分析及改进措施”中说明原因")
    if len(ind.reason) > s.text_limit:
        c.add("length.indicator_reason", WARNING,
              f"绩效指标“{name}”的偏差原因分析有 {len(ind.reason)} 字，超过表格限制的 {s.text_limit} 字",
              FieldRef("indicators", ind.id, "reason"), target_key,
              seen=f"{len(ind.reason)} 字", expected=f"≤ {s.text_limit} 字")


def _check_units(c: Recorder, ind: Indicator, name: str, unit: str) -> None:
    """A value written with its unit ("168起", "≥50个") is read as number plus unit: the unit must
    be the indicator's 度量单位 (or 度量单位 filled in), and a ≥ / ≤ / = written before the number
    must agree with its 指标性质."""
    for col, label in (("target", "年度指标值"), ("actual", "实际完成值"), ("target_initial", "年初目标值")):
        q = read_quantity(getattr(ind, col))
        if q is None:
            continue
        where = FieldRef("indicators", ind.id, col)
        shown = getattr(ind, col).strip()
        if q.unit and not unit:
            c.add("indicator.unit_missing", WARNING,
                  f"绩效指标“{name}”的{label}“{shown}”带有单位“{q.unit}”，但度量单位未填写；请在度量单位中填写“{q.unit}”",
                  FieldRef("indicators", ind.id, "unit"), f"indicator:{name}/unit", seen="（空）", expected=q.unit,
                  suggestion=f"度量单位填写“{q.unit}”")
        elif q.unit and not same_unit(q.unit, unit):
            c.add("indicator.unit_mismatch", ERROR,
                  f"绩效指标“{name}”的{label}“{shown}”的单位“{q.unit}”与度量单位“{unit}”不一致，"
                  "数值无法按同一单位比较计分",
                  where, f"indicator:{name}/{col}/unit", seen=q.unit, expected=unit,
                  suggestion=f"把{label}换算为以“{unit}”计，或改正度量单位")
        if q.comparator and q.comparator != str(ind.direction):
            c.add("indicator.direction_mismatch", ERROR,
                  f"绩效指标“{name}”的{label}“{shown}”写的是“{q.comparator}”，与指标性质“{ind.direction}”不一致",
                  where, f"indicator:{name}/{col}/direction", seen=q.comparator, expected=str(ind.direction),
                  suggestion="改正指标性质，或去掉数值前的符号")


PERCENT_UNITS = ("%", "％")
_NOT_CLEARED = "确认无误时请填写出错说明（填写偏差原因不能消除此警告）"


def is_change_indicator(name: str, words: tuple[str, ...]) -> bool:
    """增长率 / 下降率 / 同比变化 …: a change, which may be negative (the other way)."""
    return any(w in name for w in words)


def _check_plausible(c: Recorder, ind: Indicator, name: str, unit: str) -> None:
    """A quantitative 实际完成值 that is almost certainly a typing slip (extra or missing digits, a
    stray minus): a 警告 that a 偏差原因 does not clear, only a corrected value or an 出错说明.

    - 度量单位 %: the value lies within [percent_actual_min, percent_actual_max] (0–200 %).  Below
      the minimum is allowed for a change indicator (its name has one of change_indicator_words,
      or its 年度指标值 is itself below the minimum: ≤ -5 % for 下降 5 %).  When the 年度指标值 is
      above the maximum (a growth target of 300 %), the maximum gives way to the ratio below.
    - other units (and % above): the value at most actual_ratio_max (10) times a positive 年度指标值.
    """
    s = c.settings
    actual = number(ind.actual)
    if actual is None:
        return
    target = number(ind.target)
    shown = ind.actual.strip()
    where = FieldRef("indicators", ind.id, "actual")
    target_key = f"indicator:{name}"
    if unit in PERCENT_UNITS:
        low, high = s.percent_actual_min, s.percent_actual_max
        if actual < low and not (target is not None and target < low) and not is_change_indicator(
                name, s.change_indicator_words):
            c.add("indicator.percent_implausible", WARNING,
                  f"绩效指标“{name}”的实际完成值 {shown}% 低于 {plain(low)}%，请核对是否输错了数字"
                  "（完成率、覆盖率等比率不会是负数；增长率、下降率等变化类指标除外）",
                  where, target_key, seen=f"{shown}%", expected=f"{plain(low)}%–{plain(high)}%",
                  suggestion=f"核对并改正实际完成值；{_NOT_CLEARED}")
            return
        if target is None or target <= high:
            if actual > high:
                c.add("indicator.percent_implausible", WARNING,
                      f"绩效指标“{name}”的实际完成值 {shown}% 超过 {plain(high)}%，请核对是否多输入了数字",
                      where, target_key, seen=f"{shown}%", expected=f"{plain(low)}%–{plain(high)}%",
                      suggestion=f"核对并改正实际完成值；{_NOT_CLEARED}")
            return
    if target is None or target <= 0 or actual <= s.actual_ratio_max * target:
        return
    ratio = times(actual / target)
    c.add("indicator.actual_implausible", WARNING,
          f"绩效指标“{name}”的实际完成值 {shown}{unit}，是年度指标值 {ind.target.strip()}{unit}的 {ratio} 倍，"
          f"超过 {plain(s.actual_ratio_max)} 倍，请核对是否多输入了数字",
          where, target_key, seen=f"{ratio} 倍", expected=f"≤ {plain(s.actual_ratio_max)} 倍",
          suggestion=f"核对并改正实际完成值或年度指标值；{_NOT_CLEARED}")
