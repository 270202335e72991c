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
# The wordings of a budget statement, by what they state.  Seen in published reports
# (tests/data/realworld and issue 14): 年初预算数 / 全年预算数 / 调整后预算数 / 预算数 (南洲, 青神县发改局,
# 衡山县贯塘乡), 财政拨款收入合计 … 财政拨款支出合计 … 预算执行率 (issue 14), 执行数 / 支出数 /
# 实际支出 / 决算数 / 支出总额.
_WORDS = {
    "initial": r"年初(?:批复)?预算(?:数|资金)?",
    "total": r"(?:全年|调整后|全年调整后?)?预算(?:数|总额|资金)?|财政拨款收入合计|收入合计|预算安排(?:资金)?",
    "executed": r"(?:全年)?执行数|(?:全年|实际)?支出数|实际支出|财政拨款支出合计|支出合计|决算数|支出总额|实际执行(?:数)?",
}
_STATED = re.compile(
    "(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _WORDS.items()) + rf"){_GAP}(?:为|是|达|共计|合计)?{_GAP}[:：]?{_GAP}"
    rf"{_AMOUNT}{_GAP}万元")
_RATE = re.compile(rf"^[，,、；;]?{_GAP}(?:(?:其中)?[^。；;，,]{{0,6}})?(?:完成(?:全年)?预算的|预算执行率(?:为|达)?|执行率(?:为|达)?|"
                   rf"完成率(?:为|达)?){_GAP}{_AMOUNT}{_GAP}[%％]")
_STATEMENT_GAP = re.compile(r"^[^。；;]{0,40}$")
# 疫情防控项目全年预算数 1,802.25 万元，执行数 1,802.25 万元，完成预算的 100%
_PROJECT_NAME = re.compile(r"([^\s，,。；;：:、“”()（）]{1,30}?项目)(?:[（(][^）)]{0,20}[）)])?\s*$")
_PART_ROW = re.compile(rf"(基本支出|项目支出){_GAP}(?:预算数?)?{_GAP}(?:为{_GAP})?{_AMOUNT}{_GAP}万元")


@dataclass(frozen=True)
class Statement:
    """A budget statement of the text: what it gives of 年初预算数 / 全年预算数 / 执行数 and the
    rate it claims, and where it stands (``start``/``end`` in the text)."""

    start: int
    end: int
    initial: Decimal | None
    total: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    text: str

    def group(self, _n: int = 0) -> str:  # the sentence, as re.Match.group(0) gave it
        return self.text


def budget_statements(text: str) -> list[Statement]:
    """Every budget statement in ``text``: amounts named by the wordings above, close together
    in one sentence, with an amount executed and one budgeted."""
    found = [(m.start(), m.end(), next(k for k in _WORDS if m.group(k)), _amount(m.group(len(_WORDS) + 1)))
             for m in _STATED.finditer(text)]
    out: list[Statement] = []
    i = 0
    while i < len(found):
        group = [found[i]]
        j = i + 1
        while j < len(found) and _STATEMENT_GAP.match(text[group[-1][1]:found[j][0]]) and \
                found[j][2] not in {g[2] for g in group}:
            group.append(found[j])
            j += 1
        kinds = {g[2]: g[3] for g in group}
        if "executed" in kinds and ("total" in kinds or "initial" in kinds):
            end = group[-1][1]
            rate = None
            m = _RATE.match(text[end:end + 40])
            if m:
                rate = _amount(m.group(1))
                end += m.end()
            start = group[0][0]
            out.append(Statement(start, end, kinds.get("initial"), kinds.get("total"), kinds.get("executed"), rate,
                                 text[start:end]))
            i = j
        else:
            i += 1
    return out


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


def figures_in(text: str, section_key: str) -> list[tuple[str, Statement]]:
    """(kind, statement) for every budget statement: kind "project" when a project name leads
    it, else "budget"."""
    return [("project" if project_name_before(text, st.start) else "budget", st) for st in budget_statements(text)]


def part_rows(text: str) -> list[re.Match[str]]:
    """其中：基本支出 X 万元 / 项目支出 Y 万元 (the budget of the 其中 rows)."""
    # Only in a sentence about the budget ("全年预算数 X 万元，其中：基本支出 Y 万元…"): "其中：人员经费
    # 支出…，项目支出 286.83 万元" states what was spent (南县政协), not a budget row.
    out = []
    for m in _PART_ROW.finditer(text):
        sentence_start = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
        if "预算" in text[sentence_start:m.start()] or "预算" in m.group(0):
            out.append(m)
    return out


def amount(text: str) -> Decimal | None:
    return _amount(text)
