"""Figures inside the narrative (正文数字), dates in the text, formats and table-cell lengths.

The text is walked once, paragraph by paragraph, in the reading order and with the paragraph
boundaries of :func:`nanzhou_desktop.narrative.blocks` (a test holds the two walks equal; this one
skips building the blocks, which would cost more than the checks on a large report).  Each
paragraph is folded (full-width digits → ASCII, same length, so offsets stay valid) and
scanned by a few precompiled patterns.  Cost grows linearly with the text.

The window checks on every keystroke, so the work is cached by what it depends on: a field's
parse by its text, and its findings by its text, where it is stored, the place they are keyed
under, the year, the settings they read and, for a budget sentence, the table rows it repeats.
A keystroke re-reads only the field it changed; fields holding no figure cost a lookup.

What is checked:

- the budget sentence (全年预算数 … 万元，执行数 … 万元，完成预算的 …%) wherever it appears,
  against the budget table, or against a key project when the sentence names it;
- a rate stated after two quantities of the same kind (受理 6799 件，办结 6780 件，办结率 99.7%)
  or in the form "A … B 的 P%" is recomputed; a mismatch that disappears when the 万/亿
  prefixes are ignored is reported as a unit slip (310000 万平方米);
- a rate above 100 % that cannot be recomputed from the text gets a 提示;
- "截至 12月20日" dates fall inside the fiscal year; 成文日期 / 填报日期 after it;
- thousands separators in amounts are used consistently;
- sections that fill a cell of the self-evaluation table stay within its length.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from nanzhou_desktop.limits import TEXT_FIGURE_CHARS, TEXT_FIGURES, safe_quantize
from nanzhou_desktop.model import BudgetKind, FieldRef, Project, Report, SectionKind, Task, TaskItem
from nanzhou_desktop.money import HUNDRED, format_money
from nanzhou_desktop.narrative import PREFACE_KEY
from nanzhou_desktop.rules.base import ERROR, INFO, WARNING, Collector, Recorder, pct
from nanzhou_desktop.rules.findings import Finding

# -- folding --------------------------------------------------------------------------------
_FOLD = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_FW_SEP = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")  # a full-width comma between digit groups is a separator
# Two searches, each with a prefix the regex engine finds fast: a full-width digit, point or
# percent; a full-width comma with a digit on both sides (``\d，\d`` as one alternation tried an
# attempt at every digit: a third of a second on a field of a million digits).
_NEEDS_FOLD = re.compile(r"[０-９．％]")
_FW_COMMA_IN_NUMBER = re.compile(r"，(?<=\d，)(?=\d)")
_ANY_DIGIT = re.compile(r"[0-9０-９]")  # what every figure the rules read starts with (after folding)


def fold(text: str) -> str:
    """Full-width digits, point and percent to ASCII; a full-width comma between digit groups to ','.

    Every replacement is one character for one, so offsets into the folded text are offsets
    into the stored text.
    """
    if not _NEEDS_FOLD.search(text) and not ("，" in text and _FW_COMMA_IN_NUMBER.search(text)):
        return text
    return _FW_SEP.sub(",", text.translate(_FOLD))


# -- patterns ---------------------------------------------------------------------------------
# Possessive: what follows a number is never a digit, point or comma, so giving some back never
# helps, and a run of a million digits before a missing unit is read once, not backtracked.
NUM = r"\d{1,3}(?:,\d{3})++(?:\.\d++)?|\d++(?:\.\d++)?"
# longer units first where one is the start of another (人次 / 人, 场次 / 场, 平方米 / 米)
UNITS = ("平方公里|平方米|公里|人次|场次|件|宗|人|户|次|个|家|处|栋|间|名|场|条|辆|份|张|篇|元|米|吨|项|所|套|台|册|座|"
         "亩|株|棵|单|批|支|期|课时|小时")
# One pass finds every figure: a number followed by % or by a unit (with 余/多 and 万/亿/千).  The
# number is matched loosely (a leading digit lets the regex engine skip CJK text fast) and its
# separators are validated afterwards.
#
# It also matches a bare run of digits, points and commas (all groups None), whole: the next try
# starts after the run.  The tail of a longer number is thus never taken for a figure ("1.,5件"
# holds none), and a run of n digits is read once, not from each of its n positions (n² steps).
#
# After the number, the spaces are taken possessively (what follows is never a space) and one look
# at the next character (AFTER_NUMBER) ends the try before the 40 units are tried one by one:
# "1 1 1 …" cost some 200 steps per number without it.
AFTER_NUMBER = "[%余多万亿千" + "".join(sorted({u[0] for u in UNITS.split("|")})) + "]"
FIGURE = re.compile(
    rf"(?P<num>\d[\d,]*+(?:\.\d++)?)\s*+(?={AFTER_NUMBER})"
    rf"(?:(?P<pct>%)|(?P<approx>余|多)?\s*+(?P<scale>万|亿|千)?(?P<unit>{UNITS}))"
    r"|[\d.,]++")
# The figures FIGURE reads, found without a match for every bare number: a figure starts where
# no digit, point or comma stands before.  Scanning a whole field with it costs one attempt per
# character in C (a field of 140,000 numbers without a unit, or a million digits, is read in a
# pass); used to find the paragraphs worth parsing.
FIGURE_START = re.compile(
    rf"(?<![\d.,])\d[\d,]*+(?:\.\d++)?\s*+(?={AFTER_NUMBER})(?:%|(?:余|多)?\s*+(?:万|亿|千)?(?:{UNITS}))")
NUM_FULL = re.compile(rf"(?:{NUM})\Z")
SENTENCE_END = re.compile(r"[。；;！？!?]")
CONNECTORS = re.compile(r"(?:达到|达|为|是|约|了|的|分别|仅|共|\s)+$")
BUDGET = re.compile(
    rf"(?P<init>年初)?(?:全年|调整后)?预算(?:数|金额|资金)?\s*(?:为|是|共)?\s*(?P<b>{NUM})\s*(?P<bu>万元|亿元|元)"
    rf"[，,、\s]*(?:实际)?(?:全年)?执行(?:数|金额)?\s*(?:为|是|共)?\s*(?P<e>{NUM})\s*(?P<eu>万元|亿元|元)"
    rf"(?:[，,、\s]*(?:完成预算(?:的)?|(?:预算)?执行率(?:为|达到|达)?)\s*(?P<r>{NUM})\s*%)?")
CUTOFF = re.compile(r"截[至止]\s*(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?")
RATE_WORD = re.compile(r"率|比例|占|完成")
CLAUSE_SPLIT = re.compile(r"[，,]")
# A rate claimed on its own, without the amounts of a budget sentence: the words just before
# the percentage (全年预算执行率 99%，部门整体预算执行率为 95.58%，疫情防控项目执行率达 100%，
# 完成全年预算的 99%).  Whether it is the whole budget's, a 其中 part's or a project's is decided
# against the tables (_check_rate_claim).
RATE_CLAIM = re.compile(
    r"(?:(?:预算|资金|经费|支出)(?:总体|整体)?(?:的)?(?:执行率|执行进度|完成率|支出率|支付率)"
    r"|完成(?:了)?(?:全年|年度)?预算(?:的)?|执行率)\s*(?:为|是|达到|达|约|了|仅)*\s*$")
BUDGET_WORD = re.compile(r"预算|资金|经费|支出|财政|执行数|全年执行率|整体执行率|总体执行率")
# Not a statement of this year's rate: another year, a comparison, a goal or a threshold.
NOT_THIS_YEARS_RATE = re.compile(r"上年|去年|上一年|同比|比上|较上|力争|目标|确保|要求|不低于|不少于|超过|高于|低于|以上|以下")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
# 其中 parts of the budget a sentence may name instead of the total
BUDGET_PART = re.compile(r"基本支出|项目支出|人员经费|公用经费|财政拨款|上年结转|其他资金")

SCALE = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
TO_WANYUAN = {"万元": Decimal(1), "亿元": Decimal(10_000), "元": Decimal("0.0001")}


def to_decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# Quantity, Claim and Parsed are NamedTuples, not frozen dataclasses: a cold check builds some
# 150 of them for the example, and a frozen dataclass's __init__ (object.__setattr__ per field)
# made that a quarter of the time the district spends re-checking a received report.
class Quantity(NamedTuple):
    start: int
    end: int
    value: Decimal  # as written, without the scale
    scale: str
    unit: str
    approx: bool
    text: str

    @property
    def scaled(self) -> Decimal:
        return self.value * SCALE[self.scale]


class Claim(NamedTuple):
    start: int
    end: int
    value: Decimal
    places: int
    approx: bool
    label: str
    respective: bool  # 分别为 32%和 40%: shares of a whole that is not stated


def _quantity(m: re.Match[str]) -> Quantity:
    return Quantity(m.start(), m.end(), to_decimal(m["num"]), m["scale"] or "", m["unit"], m["approx"] is not None,
                    m.group(0))


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def agrees(computed: Decimal, stated: Decimal, places: int, approx: bool, c: Collector | Recorder) -> bool:
    """Does the stated rate agree with the recomputed one to the precision it was written with?"""
    unit = Decimal(1).scaleb(-places)
    tol = (c.settings.rate_claim_tolerance_approx if approx else c.settings.rate_claim_tolerance) * unit
    return abs(computed - stated) <= tol


# -- where a paragraph lives --------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """The semantic path of a paragraph: section key, and the work task / sub-item titles."""

    section_key: str = ""
    task: str = ""
    item: str = ""

    def target(self) -> str:
        parts = [f"sections:{self.section_key}"] + [p for p in (self.task, self.item) if p]
        return "/".join(parts)


def section_names(report: Report) -> dict[str, str]:
    """Printed numbering of each section key: "1.3" → "一（三）" (a section's numbering after its
    parents'; the parent is the nearest section before it one level up), and 前言."""
    names: dict[str, str] = {PREFACE_KEY: "前言"}
    stack: list[tuple[int, str]] = []  # (level, name) of the sections the next one may stand under
    for sec in report.sections:
        while stack and stack[-1][0] >= sec.level:
            stack.pop()
        own = sec.number.strip().rstrip("、.．")
        name = (stack[-1][1] + own) if stack else own
        names[sec.key] = name
        stack.append((sec.level, name))
    return names


def describe(place: Place, names: dict[str, str]) -> str:
    if place.section_key == PREFACE_KEY:
        return "前言"
    text = f"正文{names.get(place.section_key, place.section_key)}"
    if place.item:
        text += f"“{place.item}”"
    elif place.task:
        text += f"“{place.task}”"
    return text


@dataclass(frozen=True)
class Span:
    """A paragraph: the text field it is stored in and where in that field it starts."""

    ref: FieldRef
    start: int


def _ref(block: Span, start: int, end: int) -> FieldRef:
    ref = block.ref
    return FieldRef(ref.table, ref.row, ref.column, ref.section_key, block.start + start, end - start)


@lru_cache(maxsize=4096)
def parse_field(text: str, claim_window: int) -> tuple[tuple[int, Parsed], ...]:
    """Each non-blank line of a stored text field (a paragraph, as ``narrative.blocks`` splits
    them) with its start offset and its parse; cached by the field's text."""
    out: list[tuple[int, Parsed]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, parse_paragraph(line, claim_window)))
        pos += len(line) + 1
    return tuple(out)


def paragraph_fields(report: Report) -> list[tuple[FieldRef, str, Place]]:
    """The narrative text fields in reading order (the order of ``narrative.blocks``), each with
    the semantic place findings in it are keyed under."""
    out: list[tuple[FieldRef, str, Place]] = []
    if report.preface:
        out.append((FieldRef("report", None, "preface", PREFACE_KEY), report.preface, Place(PREFACE_KEY)))
    for sec in report.sections:
        out.append((FieldRef("sections", sec.id, "body", sec.key), sec.body, Place(sec.key)))
        if sec.kind != SectionKind.TASKS:
            continue
        for task in report.tasks:
            title = task.title.strip()
            out.append((FieldRef("tasks", task.id, "body", sec.key), task.body, Place(sec.key, title)))
            for item in task.items:
                out.append((FieldRef("task_items", item.id, "body", sec.key), item.body,
                            Place(sec.key, title, _item_title(item))))
    return out


def _item_title(item: TaskItem) -> str:
    return item_key_title(item.title)


def item_key_title(title: str) -> str:
    """A sub-item's title as finding keys name it: without its closing full stop."""
    return title.strip().rstrip("。．. ")


@lru_cache(maxsize=4096)
def field_parts(text: str, claim_window: int) -> tuple[bool, tuple[tuple[int, Parsed], ...], int]:
    """The paragraphs of a field holding anything the rules look at (most hold nothing), whether
    one of them holds a budget sentence (whose findings depend on the tables), and how many
    places the rules read in it (figures, 截至, and 预算 counted as the three figures of a budget
    sentence; at most ``limits.TEXT_FIGURES`` + 1).

    Only the paragraphs where such a place stands are parsed, found by one scan of the whole
    field: a field of a hundred thousand short lines without a figure costs one regex pass, not
    a hundred thousand parses.  Past ``limits.TEXT_FIGURES`` places the rest of the field is not
    read (no real report comes near; the check says so, see :func:`check_narrative`)."""
    if not _ANY_DIGIT.search(text):  # every rule here reads a number: a field without one holds nothing
        return False, (), 0
    cap = TEXT_FIGURES + 1
    hits = [m.start() for m in islice(FIGURE_START.finditer(text), cap)]
    # A budget sentence states three figures and may give three findings; a 截至 date is weighed
    # alike, for its finding.
    for word, weight in (("预算", 3), ("截", 3)):
        at = text.find(word)
        while at != -1 and len(hits) < cap:
            hits.extend((at,) * weight)
            at = text.find(word, at + 1)
    hits.sort()
    # Past the limit the text is not read: the paragraph holding the last place read is cut there.
    stop = hits[TEXT_FIGURES] if len(hits) > TEXT_FIGURES else len(text)
    del hits[TEXT_FIGURES:]
    parts: list[tuple[int, Parsed]] = []
    line_end = -1
    for at in hits:
        if at < line_end:
            continue  # in the paragraph just parsed
        start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        if line_end == -1 or line_end > stop:
            line_end = stop if stop > at else len(text)
        p = parse_paragraph(text[start:line_end], claim_window)
        if p.budget or p.claims or p.cutoffs or p.money_with_sep or p.money_without_sep or p.rate_claims:
            parts.append((start, p))
    return any(p.budget or p.rate_claims for _, p in parts), tuple(parts), len(hits) + (stop < len(text))


class CheckedFields(list):
    """What :func:`fields_to_check` returns: a list of fields, and how many fields with figures
    were left unread because the report holds more than ``limits.TEXT_FIGURES`` of them."""

    skipped: int = 0


def fields_to_check(report: Report, claim_window: int) -> CheckedFields:
    """The fields of :func:`paragraph_fields` that hold anything to check, in the same order:
    (table, row id, section key, text, work task, sub-item, has a budget sentence, paragraphs).

    The same walk without building a reference and a place for every field: on a large report
    nearly all of them hold nothing to check, and this runs on every keystroke.  The walk reads
    at most ``limits.TEXT_FIGURES`` figures in all (the fields after are counted in
    ``skipped``), so that no text makes the check take long.
    """
    out = CheckedFields()
    budget = TEXT_FIGURES

    def add(table: str, row_id: int | None, key: str, body: str, task: Task | None, item: TaskItem | None) -> None:
        nonlocal budget
        if not body:
            return
        if budget < 0:
            out.skipped += 1
            return
        has_budget, parts, cost = field_parts(body, claim_window)
        budget -= cost
        if budget < 0:
            out.skipped += 1
        if parts:
            out.append((table, row_id, key, body, task, item, has_budget, parts))

    add("report", None, PREFACE_KEY, report.preface, None, None)
    for sec in report.sections:
        add("sections", sec.id, sec.key, sec.body, None, None)
        if sec.kind != SectionKind.TASKS:
            continue
        for task in report.tasks:
            add("tasks", task.id, sec.key, task.body, task, None)
            for item in task.items:
                add("task_items", item.id, sec.key, item.body, task, item)
    return out


# -- parsing a paragraph (cached: a keystroke re-parses only the paragraph it changed) ------------
class Parsed(NamedTuple):
    """What the patterns found in one paragraph; depends on its text only, never on the tables."""

    text: str  # folded
    budget: tuple[tuple[re.Match[str], int], ...]  # budget sentences and where their sentence starts
    claims: tuple[tuple[Claim, tuple[Quantity, Quantity, str] | None], ...]  # rate claims, their figures
    cutoffs: tuple[re.Match[str], ...]
    money_with_sep: tuple[tuple[int, int, str], ...]  # amounts written 19,910.75 万元
    money_without_sep: tuple[tuple[int, int, str], ...]  # amounts of 4+ digits written without
    # rate claims naming the budget's (or a project's) 执行率 without its amounts, and where
    # their sentence starts: compared with the tables, like a budget sentence
    rate_claims: tuple[tuple[Claim, int], ...] = ()


_NOTHING = Parsed("", (), (), (), (), ())  # a paragraph without a digit


@lru_cache(maxsize=8192)
def parse_paragraph(raw: str, claim_window: int) -> Parsed:
    if not _ANY_DIGIT.search(raw):  # no figure, rate, amount or date without a digit
        return _NOTHING._replace(text=raw)
    text = fold(raw)
    ends: list[int] = []  # sentence ends, found when a budget sentence or a rate first needs them

    def sentence_start(pos: int) -> int:
        if not ends:
            ends.extend(m.end() for m in SENTENCE_END.finditer(text))
            ends.append(len(text) + 1)
        i = bisect.bisect_right(ends, pos)
        return ends[i - 1] if i > 0 else 0

    budget: list[tuple[re.Match[str], int]] = []
    consumed: set[int] = set()  # percent claims that belong to a budget sentence
    if "预算" in text:
        for m in islice(_budget_matches(text), TEXT_FIGURES):
            if max(len(m["b"]), len(m["e"]), len(m["r"] or "")) > TEXT_FIGURE_CHARS:
                continue  # not an amount anyone wrote; reading it would cost more than the check
            budget.append((m, sentence_start(m.start())))
            if m["r"] is not None:
                consumed.add(m.start("r"))

    figures: list[re.Match[str]] = []  # amounts with a unit; a Quantity is made only for those a claim may use
    percents: list[re.Match[str]] = []
    with_sep: list[tuple[int, int, str]] = []
    without_sep: list[tuple[int, int, str]] = []
    for m in islice((m for m in FIGURE.finditer(text) if m.lastindex), TEXT_FIGURES):
        start = m.start()
        num, pct, _approx, scale, unit = m.groups()  # one call: this loop runs for every figure
        if len(num) > TEXT_FIGURE_CHARS or ("," in num and not NUM_FULL.match(num)):
            continue
        if pct:
            percents.append(m)
            continue
        figures.append(m)
        if unit == "元" and scale in (None, "万", "亿"):
            digits = num.split(".", 1)[0]
            if "," in digits:
                with_sep.append((start, m.end(), m.group(0)))
            elif len(digits) >= 4:
                without_sep.append((start, m.end(), m.group(0)))

    q_starts = [f.start() for f in figures]
    claims: list[tuple[Claim, tuple[Quantity, Quantity, str] | None]] = []
    rate_claims: list[tuple[Claim, int]] = []
    previous_end = 0
    for m in percents:
        at = m.start()
        floor = max(previous_end, sentence_start(at))
        previous_end = m.end()
        if at in consumed:
            continue
        claim = _claim(text, m)
        # the quantities standing in this sentence, after the previous claim, before this one
        lo = bisect.bisect_left(q_starts, floor)
        hi = bisect.bisect_left(q_starts, at)
        before = [f for f in figures[lo:hi] if f.end() <= at and at - f.start() <= claim_window]
        # _pair reads the last two figures before the rate: only they become Quantities
        pair = _pair(text, claim, [_quantity(f) for f in before[-2:]])
        if pair is None and not claim.respective and RATE_CLAIM.search(text, max(floor, at - 24), at):
            rate_claims.append((claim, sentence_start(at)))
            continue
        claims.append((claim, pair))
    cutoffs = tuple(islice(CUTOFF.finditer(text), TEXT_FIGURES)) if "截" in text else ()
    return Parsed(text, tuple(budget), tuple(claims), cutoffs, tuple(with_sep), tuple(without_sep),
                  tuple(rate_claims))


def _budget_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``BUDGET.finditer(text)`` finds, trying only where a match can start: at most five
    characters (年初调整后) before a 预算.  ``finditer`` tried every position of the text, a
    second on a field of a million digits after one 预算."""
    end = 0
    at = text.find("预算")
    while at != -1:
        for start in range(max(end, at - 5), at + 1):  # leftmost first, as finditer
            m = BUDGET.match(text, start)
            if m is not None:
                yield m
                end = m.end()
                break
        at = text.find("预算", max(at + 1, end))


# -- the rule -----------------------------------------------------------------------------------
def check_narrative(c: Collector) -> None:
    r = c.report
    s = c.settings
    names = section_names(r)
    window = s.claim_window
    # Everything a field's findings depend on besides the field itself (its text, where it is
    # stored and the place it is keyed under): the year and the settings the checks read; for a
    # field with a budget sentence, the table rows the sentence is compared with too.
    context = (window, r.year, s.rate_claim_tolerance, s.rate_claim_tolerance_approx, s.text_rate_note_above,
               s.amount_tolerance)
    tables: tuple | None = None
    amounts_with: list[tuple[Span, tuple[int, int, str]]] = []
    amounts_without: list[tuple[Span, tuple[int, int, str]]] = []
    walked = fields_to_check(r, window)
    for table, row, skey, text, task, item, has_budget, parts in walked:
        task_title = task.title.strip() if task is not None else ""
        item_title = _item_title(item) if item is not None else ""
        where_name = names.get(skey, skey)
        if has_budget and tables is None:
            tables = _tables_signature(r)
        key = (text, table, row, skey, task_title, item_title, where_name, context,
               tables if has_budget else None)
        found = _FIELD_FINDINGS.get(key)
        if found is None:
            column = "preface" if table == "report" else "body"
            found = _field_findings(c, FieldRef(table, row, column, skey), parts,
                                    Place(skey, task_title, item_title), {skey: where_name})
            if len(_FIELD_FINDINGS) >= _FIELD_FINDINGS_MAX:
                _FIELD_FINDINGS.clear()
            _FIELD_FINDINGS[key] = found
        findings, with_sep, without_sep = found
        c.extend(findings)
        amounts_with.extend(with_sep)
        amounts_without.extend(without_sep)
    if walked.skipped:
        c.add("narrative.too_many_figures", WARNING,
              f"正文中的数字、预算句和日期超过 {TEXT_FIGURES:,} 处，其后的 {walked.skipped} 段正文没有核对；"
              "正常的报告远没有这么多数字，请检查是否误粘贴了数据表",
              FieldRef("report", None, "title"), "report:figures",
              seen=f"超过 {TEXT_FIGURES:,} 处", expected=f"不超过 {TEXT_FIGURES:,} 处",
              suggestion="删去误粘贴的数据，或把数据放到表格中")
    _check_separators(c, amounts_with, amounts_without)
    _check_signoff_dates(c)
    _check_title(c)
    _check_table_lengths(c, names)


# A field's findings, cached under everything they depend on (see ``check_narrative``), so a
# keystroke re-evaluates only the field it changed and a table edit only the budget sentences.
# Keys hold only immutable values (strings, numbers, tuples of them); findings are replayed
# into the collector, which numbers repeated keys (#2 …) across the whole report.
_FieldFindings = tuple[tuple[Finding, ...], tuple[tuple[Span, tuple[int, int, str]], ...],
                       tuple[tuple[Span, tuple[int, int, str]], ...]]
_FIELD_FINDINGS: dict[tuple, _FieldFindings] = {}
_FIELD_FINDINGS_MAX = 4096  # as parse_field: the keys hold the same field texts


def _tables_signature(r: Report) -> tuple:
    """What budget sentences are compared with: the key projects and the budget rows.  Amounts
    as text, since equal Decimals may still print differently (0 and -0)."""
    return (tuple((p.name, str(p.budget_total), str(p.executed)) for p in r.projects),
            tuple((b.kind, b.label, str(b.budget_initial), str(b.budget_total), str(b.executed)) for b in r.budget))


def _field_findings(c: Collector, ref: FieldRef, parts: tuple[tuple[int, Parsed], ...], place: Place,
                    names: dict[str, str]) -> _FieldFindings:
    rec = Recorder(c)
    with_sep: list[tuple[Span, tuple[int, int, str]]] = []
    without_sep: list[tuple[Span, tuple[int, int, str]]] = []
    for start, parsed in parts:
        span = Span(ref, start)
        for m, s_start in parsed.budget:
            _check_budget_sentence(rec, span, parsed.text, m, s_start, place, names)
        for claim, s_start in parsed.rate_claims:
            _check_rate_claim(rec, span, parsed.text, claim, s_start, place, names)
        if parsed.claims or parsed.cutoffs:
            _text_claims(rec, span, parsed, place, names)
        with_sep.extend((span, a) for a in parsed.money_with_sep)
        without_sep.extend((span, a) for a in parsed.money_without_sep)
    return tuple(rec.findings), tuple(with_sep), tuple(without_sep)


def clear_caches() -> None:
    """Forget every parse and cached finding (what a check right after opening a file sees)."""
    parse_paragraph.cache_clear()
    parse_field.cache_clear()
    field_parts.cache_clear()
    _FIELD_FINDINGS.clear()


def _text_claims(c: Recorder, block: Span, parsed: Parsed, place: Place, names: dict[str, str]) -> None:
    text = parsed.text
    for claim, pair in parsed.claims:
        if pair is not None:
            # the figures are in the text: the recomputation speaks for the claim, over 100 % or not
            _recompute(c, block, text, claim, pair, place, names)
        elif (claim.value > c.settings.text_rate_note_above
                and (RATE_WORD.search(claim.label) or text[:claim.start].rstrip().endswith("的"))):
            c.add("narrative.rate_over_100", INFO,
                  f"{describe(place, names)}写到“{claim.label}{text[claim.start:claim.end]}”，超过 "
                  f"{pct(c.settings.text_rate_note_above)}；若分母另有口径（如按户籍人口计算）属正常，请再核对一次",
                  _ref(block, claim.start, claim.end), f"{place.target()}/{claim.label or '比例'}",
                  seen=text[claim.start:claim.end], expected=f"≤ {pct(c.settings.text_rate_note_above)}，或确认口径")
    for m in parsed.cutoffs:
        _check_cutoff(c, block, m, place, names)


def cjk_tail(text: str, longest: int) -> str:
    """The run of CJK ideographs (U+4E00–U+9FFF) that ends ``text``, its last ``longest`` at most.

    What ``re.search(r"[\u4e00-\u9fff]{1,longest}$")`` finds, as a loop: compiling a class
    over that range fills a 64 K table in Python, ~1.5 ms of every start of the window and of
    every print for each such pattern (tests/core/test_rules.py compares the two)."""
    if text.endswith("\n"):  # as "$" does, a final line break is looked behind
        text = text[:-1]
    i = n = len(text)
    while i > 0 and n - i < longest and "\u4e00" <= text[i - 1] <= "\u9fff":
        i -= 1
    return text[i:]


def label_before(text: str, pos: int) -> str:
    """The words just before ``pos`` naming what a figure is (办结率, 全年拆违任务量)."""
    return cjk_tail(CONNECTORS.sub("", text[max(0, pos - 16):pos]), 10)


def _claim(text: str, m: re.Match[str]) -> Claim:
    head = text[max(0, m.start() - 16):m.start()]
    approx = "约" in head[-3:]
    respective = "分别" in head[-6:]
    label = label_before(text, m.start())
    return Claim(m.start(), m.end(), to_decimal(m["num"]), decimals_of(m["num"]), approx, label, respective)


def _pair(text: str, claim: Claim, before: list[Quantity]) -> tuple[Quantity, Quantity, str] | None:
    """The numerator and denominator standing for ``claim``, or None when the text does not give both.

    Returns (earlier, later, mode): mode "of" for "A … B 的 P%" (B is the whole), "rate" for
    "A …，X B …，X率 P%" (either may be the whole).
    """
    if claim.respective or len(before) < 2:
        return None
    a, b = before[-2], before[-1]
    if a.unit != b.unit or a.approx or b.approx:
        return None
    gap = text[b.end:claim.start]
    if re.fullmatch(r"\s*的\s*", gap):
        return a, b, "of"
    if claim.label.endswith("率") and not re.search(r"\d", gap):
        # "受理 6799 件，办结 6780 件，办结率 99.7%": the rate's verb (办结) introduces the second
        # figure; without it the two figures may be unrelated (…，其中线上 3000 件，办结率 …)
        stem = claim.label[:-1][-2:]
        if stem and stem in text[a.end:b.start]:
            return a, b, "rate"
    return None


def _recompute(c: Collector | Recorder, block: Span, text: str, claim: Claim, pair: tuple[Quantity, Quantity, str],
               place: Place, names: dict[str, str]) -> bool:
    """Check the stated rate against its figures; True when it agrees."""
    a, b, mode = pair
    orders = [(a, b)] if mode == "of" else [(b, a), (a, b)]

    def ratio(n: Quantity, d: Quantity, scaled: bool) -> Decimal | None:
        den = d.scaled if scaled else d.value
        if den == 0:
            return None
        return (n.scaled if scaled else n.value) * HUNDRED / den

    for n, d in orders:
        v = ratio(n, d, True)
        if v is not None and agrees(v, claim.value, claim.places, claim.approx, c):
            return True
    where = _ref(block, a.start, claim.end)
    stated = f"{claim.value}%"
    # "A … B 的 P%": the claim is named by the words before the whole (全年拆违任务量)
    label = (label_before(text, b.start) if mode == "of" else claim.label) or "比例"
    target = f"{place.target()}/{label}"
    n, d = orders[0]
    computed = ratio(n, d, True)
    shown = "无法计算" if computed is None else f"{safe_quantize(computed, 2, ROUND_HALF_EVEN)}%"
    if a.scale != b.scale:
        for n2, d2 in orders:
            v = ratio(n2, d2, False)
            if v is not None and agrees(v, claim.value, claim.places, claim.approx, c):
                odd = d2 if mode == "of" else b
                other = n2 if odd is d2 else d2
                fixed = f"{odd.text[:len(odd.text) - len(odd.scale + odd.unit)].rstrip()} {other.scale}{other.unit}"
                c.add("narrative.unit_mismatch", WARNING,
                      f"{describe(place, names)}：“{n2.text}”与“{d2.text}”单位不一致，按所写单位比例为 {shown}，"
                      f"与所写的 {stated} 不符；若两者都是“{other.scale}{other.unit}”，比例为 "
                      f"{safe_quantize(v, 2, ROUND_HALF_EVEN)}%，与正文一致，“{odd.scale}{odd.unit}”可能是笔误",
                      where, target, seen=odd.text, expected=fixed.strip(),
                      suggestion=f"把“{odd.text}”改为“{fixed.strip()}”")
                return False
    c.add("narrative.rate_mismatch", WARNING,
          f"{describe(place, names)}：{n.text} ÷ {d.text} = {shown}，与所写的{label} {stated} 不符",
          where, target, seen=stated, expected=shown,
          suggestion=f"核对数字，或把比例改为 {shown}" if computed is not None else "核对数字")
    return False


def _matching_projects(report: Report, prefix: str) -> list[Project]:
    """Key projects named in ``prefix`` (with or without the word 项目), longest name first."""
    found = []
    for p in report.projects:
        name = p.name.strip()
        core = name[:-2] if name.endswith("项目") and len(name) > 2 else name
        if core and core in prefix:
            found.append(p)
    return sorted(found, key=lambda p: -len(p.name))


@dataclass(frozen=True)
class _Candidate:
    """A table row a budget sentence may be repeating."""

    rule: str
    what: str  # how the message names the row
    target: str  # key target
    table_name: str
    budget: Decimal | None
    executed: Decimal | None


def _budget_candidates(r: Report, prefix: str, m: re.Match[str], place: Place) -> list[_Candidate] | None:
    """The rows the sentence may be about, most specific first; None when it names a part of the
    budget the tables do not hold (nothing to compare with)."""
    out: list[_Candidate] = []
    for p in _matching_projects(r, prefix):
        name = p.name.strip()
        out.append(_Candidate("narrative.project_mismatch", f"重点项目“{name}”", f"{place.target()}/{name}",
                              "重点项目表", p.budget_total, p.executed))
    clause = CLAUSE_SPLIT.split(prefix)[-1]
    part = BUDGET_PART.search(clause)
    if part is not None:
        rows = [b for b in r.budget if b.kind != BudgetKind.TOTAL and part.group(0) in b.label]
        if not rows and not out:
            return None
        for row in rows:
            out.append(_Candidate("narrative.budget_mismatch", f"预算执行表“{row.label.strip()}”",
                                  f"{place.target()}/{row.label.strip()}", "预算执行表",
                                  row.budget_initial if m["init"] else row.budget_total, row.executed))
    total = r.budget_total_row
    if total is not None and part is None:
        out.append(_Candidate("narrative.budget_mismatch", "预算执行表“年度资金总额”", place.target(), "预算执行表",
                              total.budget_initial if m["init"] else total.budget_total, total.executed))
    return out


def _sentence_disagreements(c: Collector | Recorder, m: re.Match[str], cand: _Candidate) -> list[tuple[str, str, str, str]]:
    """(figure, stated, table value, group) for each figure of the sentence the row contradicts."""
    out = []
    b_label = "年初预算数" if m["init"] else "全年预算数"
    for label, g, gu, table_value in ((b_label, "b", "bu", cand.budget), ("执行数", "e", "eu", cand.executed)):
        if table_value is None:
            continue
        stated = to_decimal(m[g]) * TO_WANYUAN[m[gu]]
        if abs(stated - table_value) > c.settings.amount_tolerance:
            out.append((label, f"{m[g]} {m[gu]}", f"{format_money(table_value)} 万元", g))
    if m["r"] is not None and cand.budget and cand.executed is not None and not m["init"]:
        table_rate = cand.executed * HUNDRED / cand.budget
        places = decimals_of(m["r"])
        if not agrees(table_rate, to_decimal(m["r"]), places, False, c):
            out.append(("执行率", f"{m['r']}%", f"{safe_quantize(table_rate, max(places, 2), ROUND_HALF_EVEN)}%", "r"))
    return out


def _check_budget_sentence(c: Collector | Recorder, block: Span, text: str, m: re.Match[str], s_start: int,
                           place: Place, names: dict[str, str]) -> None:
    """The budget sentence repeats a table row: every repetition must agree with it, live.

    The sentence is compared with every row it may be about (a key project named before it, a
    其中 row it names, else 年度资金总额); it is flagged only when it agrees with none of them,
    and then against the most specific one.
    """
    r = c.report
    prefix = text[s_start:m.start()]
    candidates = _budget_candidates(r, prefix, m, place)
    if not candidates:
        return
    results = [(cand, _sentence_disagreements(c, m, cand)) for cand in candidates]
    if any(not bad for _, bad in results):
        return
    where_text = describe(place, names)
    named = [cand for cand in candidates if cand.rule == "narrative.project_mismatch"]
    # A project named just before the figures: 2–20 ideographs and 项目 ending the clause.
    tail = cjk_tail(CLAUSE_SPLIT.split(prefix)[-1].rstrip("的全年 "), 22)
    unknown = tail if len(tail) >= 4 and tail.endswith("项目") else None
    if not named and unknown is not None:
        c.add("narrative.project_unknown", WARNING,
              f"{where_text}写到“{unknown}”的预算和执行数，但重点项目表中没有这个项目，无法核对",
              _ref(block, m.start(), m.end()), f"{place.target()}/{unknown}",
              seen=unknown, expected="重点项目表中的项目名称",
              suggestion="在重点项目表中添加该项目，或改正正文中的项目名称")
        return
    cand, bad = results[0]
    for label, stated, table_value, g in bad:
        if g == "r":
            message = f"{where_text}中的完成预算比例 {stated}，与{cand.what}计算出的执行率 {table_value} 不一致"
            span = (m.start("r"), m.end())
        else:
            message = f"{where_text}中的{label} {stated}，与{cand.what}的 {table_value} 不一致"
            span = (m.start(g), m.end(g + "u"))
        c.add(cand.rule, ERROR, message, _ref(block, *span), f"{cand.target}/{label}", seen=stated,
              expected=table_value, suggestion=f"改为 {table_value}，或改正{cand.table_name}")


def _check_rate_claim(c: Collector | Recorder, block: Span, text: str, claim: Claim, s_start: int,
                      place: Place, names: dict[str, str]) -> None:
    """A rate claimed on its own (全年预算执行率 99%) repeats a table's 执行率: the project named
    before it, the 其中 row it names, else 年度资金总额 when the sentence speaks of the budget.
    Flagged when it agrees with none of them, against the most specific, as a budget sentence.
    Not checked: another year's rate, a comparison, a goal or a threshold (以上, 不低于)."""
    r = c.report
    prefix = text[s_start:claim.start]
    after = text[claim.end:claim.end + 4]
    if NOT_THIS_YEARS_RATE.search(prefix) or NOT_THIS_YEARS_RATE.match(after.lstrip()):
        return
    if any(int(y) != r.year for y in YEAR.findall(prefix)):
        return
    clause = CLAUSE_SPLIT.split(prefix)[-1]
    candidates: list[_Candidate] = []
    for p in _matching_projects(r, prefix):
        name = p.name.strip()
        candidates.append(_Candidate("narrative.project_mismatch", f"重点项目“{name}”", f"{place.target()}/{name}",
                                     "重点项目表", p.budget_total, p.executed))
    part = BUDGET_PART.search(clause)
    if part is not None:
        for row in r.budget:
            if row.kind != BudgetKind.TOTAL and part.group(0) in row.label:
                candidates.append(_Candidate("narrative.budget_mismatch", f"预算执行表“{row.label.strip()}”",
                                             f"{place.target()}/{row.label.strip()}", "预算执行表",
                                             row.budget_total, row.executed))
    elif not candidates and BUDGET_WORD.search(prefix):
        total = r.budget_total_row
        if total is not None:
            candidates.append(_Candidate("narrative.budget_mismatch", "预算执行表“年度资金总额”", place.target(),
                                         "预算执行表", total.budget_total, total.executed))
    rates = [(cand, cand.executed * HUNDRED / cand.budget) for cand in candidates
             if cand.budget and cand.executed is not None]
    if not rates or any(agrees(rate, claim.value, claim.places, claim.approx, c) for _, rate in rates):
        return
    cand, rate = rates[0]
    shown = f"{rate.quantize(Decimal(1).scaleb(-max(claim.places, 2)))}%"
    stated = text[claim.start:claim.end]
    words = RATE_CLAIM.search(text, max(s_start, claim.start - 24), claim.start)
    label = CONNECTORS.sub("", words.group(0)) if words is not None else "执行率"
    c.add(cand.rule, ERROR,
          f"{describe(place, names)}中的{label} {stated}，与{cand.what}计算出的执行率 {shown} 不一致",
          _ref(block, claim.start, claim.end), f"{cand.target}/执行率", seen=stated, expected=shown,
          suggestion=f"改为 {shown}，或改正{cand.table_name}")


def _check_cutoff(c: Collector | Recorder, block: Span, m: re.Match[str], place: Place, names: dict[str, str]) -> None:
    if not m["y"] and not c.report.year:
        return  # "截至12月20日" in a report whose year is not filled in yet
    year = int(m["y"]) if m["y"] else c.report.year
    month = int(m["m"])
    day = int(m["d"]) if m["d"] else 1
    target = f"{place.target()}/{m.group(0).replace(' ', '')}"
    where = _ref(block, m.start(), m.end())
    try:
        dt.date(year, month, day)
    except ValueError:
        c.add("date.cutoff_invalid", WARNING, f"{describe(place, names)}中的“{m.group(0)}”不是真实存在的日期",
              where, target, seen=m.group(0), expected="有效日期")
        return
    if year != c.report.year and c.report.year:
        c.add("date.cutoff_outside_year", WARNING,
              f"{describe(place, names)}中的“{m.group(0)}”不在 {c.report.year} 年度之内；自评报告的数据应截至本年度",
              where, target, seen=m.group(0), expected=f"{c.report.year}年内的日期")


def _check_title(c: Collector) -> None:
    """The printed title names the unit and the year: a report copied from another street's, or
    from last year's, keeps the old ones in a title typed out in full."""
    r = c.report
    title = r.title.strip()
    if not title:  # the default title is made from the unit and the year
        return
    names = [n for n in (r.unit.full_name.strip(), r.unit.short_name.strip()) if n]
    where = FieldRef("report", None, "title")
    if names and not any(n in title for n in names):
        c.add("report.title_unit", WARNING,
              f"报告标题“{title}”中没有本单位的名称（{'或'.join(f'“{n}”' for n in names)}），请核对标题",
              where, "report:title/unit", seen=title, expected=f"标题含“{names[-1]}”",
              suggestion="改正“单位信息与签章”中的报告标题")
    if r.year and str(r.year) not in title:
        c.add("report.title_year", WARNING, f"报告标题“{title}”中没有本报告的年度“{r.year}年度”，请核对标题",
              where, "report:title/year", seen=title, expected=f"标题含“{r.year}年度”",
              suggestion="改正“单位信息与签章”中的报告标题")


def _check_signoff_dates(c: Collector) -> None:
    r = c.report
    if not 2000 <= r.year <= 2100:
        return  # no year yet (completeness.year says so): the dates cannot be placed against it
    year_end = dt.date(r.year, 12, 31)
    for col, label in (("issue_date", "成文日期"), ("fill_date", "填报日期")):
        value = getattr(r.signoff, col).strip()
        if not value:
            continue
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            c.add(f"date.{col}", ERROR, f"{label}“{value}”不是有效日期", FieldRef("report", None, col),
                  f"signoff:{col}", seen=value, expected=f"如 {r.year + 1}-03-15")
            continue
        if day <= year_end:
            c.add(f"date.{col}", ERROR,
                  f"{label} {day.year}年{day.month}月{day.day}日早于或等于 {r.year} 年度结束日，"
                  f"自评报告应在年度结束后（{r.year + 1}年）成文",
                  FieldRef("report", None, col), f"signoff:{col}", seen=value, expected=f"晚于 {year_end.isoformat()}")
            continue
        months = (day.year - year_end.year) * 12 + day.month - year_end.month
        if months > c.settings.issue_date_months_max:
            c.add(f"date.{col}_late", INFO,
                  f"{label} {day.year}年{day.month}月{day.day}日距 {r.year} 年度结束已超过 "
                  f"{c.settings.issue_date_months_max} 个月，请核对年份",
                  FieldRef("report", None, col), f"signoff:{col}", seen=value,
                  expected=f"{r.year + 1}年内的日期")


def _check_separators(c: Collector, with_sep: list[tuple[Span, tuple[int, int, str]]],
                      without_sep: list[tuple[Span, tuple[int, int, str]]]) -> None:
    """Amounts of four digits or more should all use thousands separators, or none."""
    if not with_sep or not without_sep:
        return
    minority, majority = (with_sep, without_sep) if len(with_sep) < len(without_sep) else (without_sep, with_sep)
    block, (start, end, _) = minority[0]
    c.add("format.separators", INFO,
          f"正文中金额的千位分隔符用法不一致：{len(with_sep)} 处使用（如“{with_sep[0][1][2]}”），"
          f"{len(without_sep)} 处未使用（如“{without_sep[0][1][2]}”），建议统一",
          _ref(block, start, end), "report:separators",
          seen=f"使用 {len(with_sep)} 处，未使用 {len(without_sep)} 处", expected="全文统一",
          suggestion="统一写作 19,910.75 万元 的形式" if majority is with_sep else "统一写作 19910.75 万元 的形式")


def _check_table_lengths(c: Collector, names: dict[str, str]) -> None:
    limit = c.settings.text_limit
    for key, cell in c.report.template.table.text_cells:  # a section the outline lacks is skipped
        sec = c.report.section(key)
        if sec is None:
            continue
        n = len(sec.body.strip())
        if n > limit:
            c.add("length.table_text", WARNING,
                  f"{names.get(key, key)}{sec.heading}的正文有 {n} 字，填入自评表“{cell}”一栏超过限制的 {limit} 字",
                  FieldRef("sections", sec.id, "body", key), f"section:{key}",
                  seen=f"{n} 字", expected=f"≤ {limit} 字", suggestion=f"精简到 {limit} 字以内")


