"""Figures stated in the narrative: the budget sentence, each key project's sentence and
the rate claims (完成预算的 99.13%).  What is recognised fills the tables, marked "from the
text" (来自正文) until the user confirms it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from nanzhou_desktop.money import AmountError, format_rate, parse_decimal, percent, round_half_up

_AMOUNT = r"(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_GAP = r"\s*"
# 全年预算数 19,910.75 万元，执行数 19,738.24 万元，完成预算的 99.13%
BUDGET_SENTENCE = re.compile(
    rf"(?:年初预算数?{_GAP}{_AMOUNT}{_GAP}万元[，,、]{_GAP})?"
    rf"(?:全年|调整后)?预算数?{_GAP}(?:为{_GAP})?{_AMOUNT}{_GAP}万元[，,、]{_GAP}"
    rf"(?:全年)?(?:执行数|支出数|实际支出){_GAP}(?:为{_GAP})?{_AMOUNT}{_GAP}万元"
    rf"(?:[，,、]{_GAP}(?:完成预算的|预算执行率为?|执行率为?|完成率为?){_GAP}{_AMOUNT}{_GAP}[%％])?"
)
# 疫情防控项目全年预算数 1,802.25 万元，执行数 1,802.25 万元，完成预算的 100%
_PROJECT_NAME = re.compile(r"([^\s，,。；;：:、“”()（）]{1,30}?项目)(?:[（(][^）)]{0,20}[）)])?\s*$")
_PART_ROW = re.compile(rf"(基本支出|项目支出){_GAP}(?:预算数?)?{_GAP}(?:为{_GAP})?{_AMOUNT}{_GAP}万元")


@dataclass(frozen=True)
class Figure:
    """One recognised figure.

    ``table``/``row``/``column`` name the table cell it fills ("budget_rows", index into
    ``report.budget``, "budget_total"); ``table == ""`` for a rate claim, which is checked
    against the computed rate but fills nothing.  ``section_key``/``offset``/``length``
    locate the sentence in that section's text.
    """

    label: str
    value: Decimal
    table: str
    row: int | None
    column: str
    section_key: str
    offset: int
    length: int
    sentence: str
    filled: bool = False
    note: str = ""
    unit: str = "万元"  # 万元 for amounts, % for a rate claim


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_decimal(text.replace("，", ","), field="金额")
    except AmountError:
        return None


def find_budget_sentences(text: str) -> list[re.Match[str]]:
    return list(BUDGET_SENTENCE.finditer(text))


def project_name_before(text: str, start: int) -> str:
    """The project name written right before a budget sentence, within the same clause."""
    head = text[max(0, start - 40):start]
    m = _PROJECT_NAME.search(head)
    return m.group(1) if m else ""


def rate_note(claimed: Decimal, executed: Decimal | None, budget: Decimal | None) -> str:
    computed = percent(executed, budget)
    if computed is None:
        return "无法计算执行率"
    places = max(0, -claimed.as_tuple().exponent)  # type: ignore[operator]
    if round_half_up(computed, places) == claimed:
        return f"与计算的执行率 {format_rate(computed)} 一致"
    return f"与计算的执行率 {format_rate(computed)} 不一致，请核对"


def figures_in(text: str, section_key: str) -> list[tuple[str, re.Match[str]]]:
    """(kind, match) for every budget-like sentence: kind "project" when a project name
    leads it, else "budget"."""
    out = []
    for m in find_budget_sentences(text):
        out.append(("project" if project_name_before(text, m.start()) else "budget", m))
    return out


def part_rows(text: str) -> list[re.Match[str]]:
    """其中：基本支出 X 万元 / 项目支出 Y 万元 (the budget of the 其中 rows)."""
    return list(_PART_ROW.finditer(text))


def amount_groups(m: re.Match[str]) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """(年初预算数, 全年预算数, 执行数, claimed rate) of a budget sentence."""
    return _amount(m.group(1)), _amount(m.group(2)), _amount(m.group(3)), _amount(m.group(4))


def amount(text: str) -> Decimal | None:
    return _amount(text)
