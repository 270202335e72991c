"""绩效指标: values by 指标性质, qualitative wording, shortfalls, 分值 totals and split."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from nanzhou_desktop.model import QUALITATIVE_VALUES, Direction, FieldRef, Indicator
from nanzhou_desktop.money import format_number
from nanzhou_desktop.rules.base import ERROR, WARNING, Collector, Recorder, plain, times
from nanzhou_desktop.rules.findings import Finding
from nanzhou_desktop.rules.scoring import bands_key, indicator_name, number

ZERO = Decimal(0)


def shortfall(ind: Indicator) -> bool | None:
    """True when the actual value falls short of the target by 指标性质; None when unknown."""
    if ind.direction == Direction.QUALITATIVE:
        value = ind.actual.strip()
        return None if value not in QUALITATIVE_VALUES else value != "达成"
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
    context = (s.text_limit, bands_key(s), str(s.percent_actual_min), str(s.percent_actual_max),
               str(s.actual_ratio_max), s.change_indicator_words)
    for ind, name in named:
        if not name or ind.not_applicable:
            continue
        key = (name, ind.id, ind.direction, ind.unit, ind.target, ind.actual, ind.reason, str(ind.qual_share),
               context)
        found = _FOUND.get(key)
        if found is None:
            rec = Recorder(c)
            _check_indicator(rec, ind, name)
            found = tuple(rec.findings)
            if len(_FOUND) >= _FOUND_MAX:
                _FOUND.clear()
            _FOUND[key] = found
        c.extend(found)

    points = [i.points for i in r.indicators]
    if r.indicators and all(p is not None for p in points):
        got = sum((p for p in points if p is not None), ZERO)
        if got != s.indicator_points:
            c.add("indicator.points_total", ERROR,
                  f"绩效指标分值合计 {_pts(got)} 分，应为 {_pts(s.indicator_points)} 分",
                  FieldRef("indicators", r.indicators[0].id, "points"), "indicators",
                  seen=f"{_pts(got)} 分", expected=f"{_pts(s.indicator_points)} 分")
        else:
            by_level = Counter()
            for i in r.indicators:
                by_level[i.level1.strip()] += i.points or ZERO
            for level1, want in s.indicator_split.items():
                have = by_level.get(level1, ZERO)
                if have != want:
                    first = next((i for i in r.indicators if i.level1.strip() == level1), r.indicators[0])
                    c.add("indicator.split", WARNING,
                          f"{level1}的分值合计 {_pts(have)} 分，与设定的权重 {_pts(want)} 分不同",
                          FieldRef("indicators", first.id, "points"), f"indicators:{level1}",
                          seen=f"{_pts(have)} 分", expected=f"{_pts(want)} 分")
            for level1 in by_level:
                if level1 and level1 not in s.indicator_split:
                    first = next(i for i in r.indicators if i.level1.strip() == level1)
                    c.add("indicator.level1_unknown", WARNING,
                          f"一级指标“{level1}”不在设定的一级指标（{'、'.join(s.indicator_split)}）之中",
                          FieldRef("indicators", first.id, "level1"), f"indicators:{level1}",
                          seen=level1, expected="、".join(s.indicator_split))


_FOUND: dict[tuple, tuple[Finding, ...]] = {}
_FOUND_MAX = 8192


def clear_caches() -> None:
    _FOUND.clear()


def _check_indicator(c: Recorder, ind: Indicator, name: str) -> None:
    """The findings of one applicable, named indicator on its own: value types, 定性 wording and
    band, an implausible 实际完成值, a shortfall without a reason, the reason's length."""
    s = c.settings
    target_key = f"indicator:{name}"
    unit = ind.unit.strip()
    if ind.direction == Direction.QUALITATIVE:
        actual = ind.actual.strip()
        if actual and actual not in QUALITATIVE_VALUES:
            c.add("indicator.qualitative_value", ERROR,
                  f"定性指标“{name}”的实际完成值是“{actual}”，只能填“达成”“部分达成”或“未达成”",
                  FieldRef("indicators", ind.id, "actual"), target_key, seen=actual,
                  expected="达成 / 部分达成 / 未达成")
        band = s.band(actual)
        if band is not None and ind.qual_share is not None and not band[0] <= ind.qual_share <= band[1]:
            low, high = band
            c.add("indicator.qual_share_band", WARNING,
                  f"定性指标“{name}”为“{actual}”，得分比例 {_pts(ind.qual_share * 100)}% 不在该档 "
                  f"{_pts(low * 100)}%–{_pts(high * 100)}% 之内，计分时按档内取值",
                  FieldRef("indicators", ind.id, "qual_share"), target_key,
                  seen=f"{_pts(ind.qual_share * 100)}%", expected=f"{_pts(low * 100)}%–{_pts(high * 100)}%")
    else:
        for col, label in (("target", "年度指标值"), ("actual", "实际完成值")):
            text = getattr(ind, col).strip()
            if text and number(text) is None:
                c.add("indicator.not_number", ERROR,
                      f"定量指标“{name}”的{label}“{text}”不是数字；请只填数字，单位写在“度量单位”中",
                      FieldRef("indicators", ind.id, col), f"{target_key}/{col}", seen=text, expected="数字")
        _check_plausible(c, ind, name, unit)
    short = shortfall(ind)
    if short and not ind.reason.strip():
        seen = f"{ind.actual.strip()}{unit if unit != '定性' else ''}"
        expected = (f"{ind.direction} {ind.target.strip()}{unit}" if ind.direction != Direction.QUALITATIVE
                    else "达成")
        c.add("indicator.shortfall", WARNING,
              f"绩效指标“{name}”实际完成值 {seen} 未达到年度指标值（{expected}），需要填写偏差原因",
              FieldRef("indicators", ind.id, "reason"), target_key, seen=seen, expected=expected,
              suggestion="在“偏差原因分析及改进措施”中说明原因")
    if len(ind.reason) > s.text_limit:
        c.add("length.indicator_reason", WARNING,
              f"绩效指标“{name}”的偏差原因分析有 {len(ind.reason)} 字，超过表格限制的 {s.text_limit} 字",
              FieldRef("indicators", ind.id, "reason"), target_key,
              seen=f"{len(ind.reason)} 字", expected=f"≤ {s.text_limit} 字")


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
