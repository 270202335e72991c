"""与上年数据核对: this year's figures against last year's (the 上年 columns that
新建下一年度 fills).  A change larger than ``settings.prior_swing`` percent is noted, so the
office explains it in the text or the district asks."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from nanzhou_desktop.limits import safe_quantize
from nanzhou_desktop.model import Direction, FieldRef, SectionKind
from nanzhou_desktop.money import HUNDRED, format_money
from nanzhou_desktop.rules.base import INFO, Collector, pct, section_key_of
from nanzhou_desktop.rules.budget import budget_target, row_label
from nanzhou_desktop.rules.scoring import number

_PAIRS = (("budget_total", "prior_budget_total", "全年预算数"), ("executed", "prior_executed", "全年执行数"))


def swing(current: Decimal, prior: Decimal) -> Decimal | None:
    """Change against last year in percent of last year's value (None when last year was 0)."""
    if prior == 0:
        return None
    return (current - prior) * HUNDRED / abs(prior)


def _describe(change: Decimal) -> str:
    word = "增加" if change > 0 else "减少"
    return f"{word} {format(safe_quantize(abs(change), 2, ROUND_HALF_EVEN), 'f')}%"


def check_prior_year(c: Collector) -> None:
    s = c.settings
    limit = s.prior_swing
    r = c.report
    bkey = section_key_of(r, SectionKind.BUDGET)  # '' when the outline has no such section
    pkey = section_key_of(r, SectionKind.PROJECTS)

    def compare(what: str, current: Decimal | None, prior: Decimal | None, where: FieldRef, target: str,
                shown: str = "万元") -> None:
        if current is None or prior is None:
            return
        change = swing(current, prior)
        unit = f" {shown}" if shown else ""
        cur_s = format_money(current) if shown == "万元" else format(current, "f")
        pri_s = format_money(prior) if shown == "万元" else format(prior, "f")
        if change is None:
            if current != 0:
                c.add("prior_year.from_zero", INFO, f"{what}上年为 0，今年为 {cur_s}{unit}，请在正文中说明新增原因",
                      where, target, seen=f"{cur_s}{unit}", expected=f"上年 0{unit}")
            return
        if abs(change) > limit:
            c.add("prior_year.swing", INFO,
                  f"{what}今年 {cur_s}{unit}，上年 {pri_s}{unit}，{_describe(change)}，超过 {pct(limit)}；请核对或说明原因",
                  where, target, seen=f"{cur_s}{unit}（{_describe(change)}）", expected=f"与上年相差不超过 {pct(limit)}",
                  suggestion="核对数字是否录入有误；无误时在正文或偏差原因中说明变化原因")

    # a pair is compared only when both years are filled; the wording and the reference are
    # built only then (most rows of a large report have no 上年 figure, and this runs per keystroke)
    for row in r.budget:
        for col, prior_col, label in _PAIRS:
            current, prior = getattr(row, col), getattr(row, prior_col)
            if current is not None and prior is not None:
                compare(f"{row_label(row)}的{label}", current, prior,
                        FieldRef("budget_rows", row.id, col, bkey), f"{budget_target(row)}/{col}")
    for p in r.projects:
        for col, prior_col, label in _PAIRS:
            current, prior = getattr(p, col), getattr(p, prior_col)
            if current is not None and prior is not None:
                name = p.name.strip() or "重点项目"
                compare(f"{name}的{label}", current, prior, FieldRef("projects", p.id, col, pkey),
                        f"project:{name}/{col}")
    for ind in r.indicators:
        if ind.not_applicable or ind.direction == Direction.QUALITATIVE:
            continue
        current, prior = _number(ind.actual), _number(ind.prior_actual)
        if current is not None and prior is not None:
            compare(f"指标“{ind.level3}”的实际完成值", current, prior, FieldRef("indicators", ind.id, "actual"),
                    f"indicator:{ind.level3.strip()}", shown=ind.unit.strip())


def _number(text: str) -> Decimal | None:
    # the cached reader the other indicator rules use: this runs on every keystroke
    return number(text)
