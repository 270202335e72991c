"""What a report keeps of the template it was made from (模板数据): the numbering of each outline
level, the 前言 setting, the columns of the 自评表 and the scoring scheme (评分办法).

A report file is self-contained: when a report is made, this data is copied into it (the
outline goes to its ``sections``, the cover fields to ``cover_fields``, the rest here), so the
district reads and scores it without having the template.  The same parser reads a template
file (``resources/templates/*.json``, see :mod:`nanzhou_desktop.template`) and the copy inside a
received report: everything is validated, and a problem is one Chinese sentence naming the
file and the place (:class:`TemplateError`).  The schema is documented in ``docs/templates.md``.

Glossary: 评分办法 (Scheme) — 预算执行率 part (BudgetRule) + 绩效指标 part (IndicatorRule),
定性指标档次 (QualBand), 等级 (GradeBand); 自评表 (TableSpec) and its columns (Column);
封面项目 (CoverSpec); 前言 (PrefaceSpec).

This module imports nothing of the app but :mod:`nanzhou_desktop.money`: the model holds a
:class:`ReportTemplate`, so this sits on the ground floor with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from typing import Any

from nanzhou_desktop.limits import text_problem

D = Decimal
ZERO = D(0)
ONE = D(1)
HUNDRED = D(100)

DATA_FORMAT = 1  # of the template file and of the embedded copy

# Numbering styles of an outline level (一、 （一） 1. （1） ①), by how they are written.
NUMBERING_STYLES = ("一、", "（一）", "1.", "1、", "（1）", "①", "(1)")
SECTION_KINDS = ("text", "budget", "projects", "tasks")
COVER_KINDS = ("text", "date", "year", "code")
COVER_KIND_NAMES = {"text": "文字", "date": "日期", "year": "年度", "code": "编码"}
BUDGET_FORMULAS = ("ratio", "bands", "none")
WEIGHTINGS = ("indicator", "level1")
SCORE_MODES = ("computed", "entered")
BUDGET_KINDS = ("total", "basic", "project", "other")
INDICATOR_DIRECTIONS = ("≥", "≤", "=", "定性")

# The columns each table of the 自评表 may show, with their usual header.
BUDGET_FIELDS = {"label": "预算执行情况", "budget_initial": "年初预算数", "budget_total": "全年预算数（A）",
                 "executed": "全年执行数（B）", "rate": "执行率（B/A）", "points": "分值", "score": "得分",
                 "reason": "偏差原因"}
PROJECT_FIELDS = {"name": "重点项目", "budget_total": "全年预算数", "executed": "全年执行数", "rate": "执行率",
                  "reason": "偏差原因"}
INDICATOR_FIELDS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "direction": "指标性质",
                    "target_initial": "年初目标值", "target": "年度指标值", "unit": "度量单位",
                    "actual": "实际完成值", "points": "分值", "score": "得分", "reason": "偏差原因分析及改进措施"}
_REQUIRED_COLUMNS = {"budget": ("label", "budget_total", "executed"), "projects": ("name", "budget_total", "executed"),
                     "indicators": ("level1",)}
TEXT_CELLS = ("评价结论", "存在问题", "改进措施")  # 自评表 cells a section's own text fills


class TemplateError(ValueError):
    """A template (file or the copy inside a report) that cannot be used.  ``str(err)`` is one
    Chinese sentence naming the file, the place in it and what is wrong."""

    def __init__(self, source: str, place: str, problem: str) -> None:
        self.source, self.place, self.problem = source, place, problem
        super().__init__(f"模板“{source}”中 {place}：{problem}" if place else f"模板“{source}”{problem}")


# ------------------------------------------------------------------------- the data
@dataclass(frozen=True)
class Source:
    """Where a template comes from (发文、公开的报告): its title, address and a note."""

    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class QualBand:
    """定性指标档次: a value the 实际完成值 may take and the share of the points it earns
    (``low``–``high``, 0–1; the user may pick inside the band)."""

    value: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class GradeBand:
    """等级: totals from ``min`` up (to the next band) get ``grade``."""

    min: Decimal
    grade: str


@dataclass(frozen=True)
class BudgetRule:
    """预算执行率 分值 and how its 得分 is computed.

    ``ratio``: 得分 = min(执行率, 100 %) × 分值.  ``bands``: 得分 = the share of the first band
    whose ``min`` rate (percent) the 执行率 reaches × 分值.  ``none``: no separate 预算执行率 part
    (its points are 0; budget execution is then an indicator of the table)."""

    points: Decimal
    formula: str = "ratio"
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # (lowest rate in percent, share 0–1), best first


@dataclass(frozen=True)
class IndicatorRule:
    """绩效指标 分值 and how it is shared out.

    ``weighting``: ``indicator`` — each indicator's 分值 is typed in the table (they must add
    up to ``points``; ``level1``, when given, is checked as the usual split); ``level1`` — each
    一级指标 carries the points given in ``level1`` and its indicators share them (by their typed
    分值 when every one has one, else equally).  ``score``: ``computed`` — 得分 from the values
    (≥ ≤ = by ratio, 定性 by band); ``entered`` — 得分 typed by the evaluator (共性指标 tables
    whose criteria are read, not computed), checked to lie within 0–分值."""

    points: Decimal
    weighting: str = "indicator"
    level1: tuple[tuple[str, Decimal], ...] = ()  # (一级指标, 分值) in order
    score: str = "computed"

    @property
    def split(self) -> dict[str, Decimal]:
        """一级指标 → its points."""
        return dict(self.level1)


@dataclass(frozen=True)
class Scheme:
    """评分办法: 预算执行率 + 绩效指标 = 100, the 定性 bands and the grades."""

    budget: BudgetRule
    indicators: IndicatorRule
    qualitative: tuple[QualBand, ...]
    grades: tuple[GradeBand, ...]

    @property
    def total(self) -> Decimal:
        return self.budget.points + self.indicators.points

    @property
    def qualitative_values(self) -> tuple[str, ...]:
        return tuple(b.value for b in self.qualitative)

    @property
    def achieved_value(self) -> str:
        """The 定性 value that means the target was met (the first, best band)."""
        return self.qualitative[0].value if self.qualitative else ""

    def band(self, value: str) -> tuple[Decimal, Decimal] | None:
        for b in self.qualitative:
            if b.value == value:
                return b.low, b.high
        return None

    @cached_property
    def key(self) -> str:
        """The whole scheme as text: a cache key for scores (computed once per scheme object)."""
        return json.dumps(scheme_to_data(self), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Column:
    field: str
    header: str


@dataclass(frozen=True)
class IndicatorPreset:
    """An indicator the template puts in every new report (共性指标 with fixed 分值)."""

    level1: str
    level2: str = ""
    level3: str = ""
    direction: str = "≥"
    target: str = ""
    unit: str = ""
    points: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class TableSpec:
    """The 自评表: its title, the budget rows a new report starts with, the columns of the budget,
    key-project and indicator tables (``projects`` empty: the form has no key-project table),
    which indicator levels exist, the indicators a new report starts with, and which outline
    sections' own text fills a cell of the table (``text_cells``: section key → 评价结论 …)."""

    title: str
    budget_rows: tuple[tuple[str, str], ...]
    budget_columns: tuple[Column, ...]
    project_columns: tuple[Column, ...]
    indicator_columns: tuple[Column, ...]
    indicator_levels: tuple[int, ...] = (1, 2, 3)
    indicators: tuple[IndicatorPreset, ...] = ()
    text_cells: tuple[tuple[str, str], ...] = ()  # (section key, 评价结论 / 存在问题 / 改进措施)

    def has(self, table: str, name: str) -> bool:
        cols = {"budget": self.budget_columns, "projects": self.project_columns,
                "indicators": self.indicator_columns}[table]
        return any(c.field == name for c in cols)

    @property
    def name_level(self) -> int:
        """The indicator level that names an indicator (三级指标, or the lowest level the form has)."""
        return max(self.indicator_levels)


@dataclass(frozen=True)
class PrefaceSpec:
    """前言: the opening paragraph before 一、 (``enabled``: the form has one; ``hint``: what it
    usually says, shown in the empty editor)."""

    enabled: bool = True
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class CoverSpec:
    """A cover field (封面项目) as the template defines it: 评价年度 / 评价单位 / 预算编码 …"""

    key: str
    label: str
    kind: str = "text"
    required: bool = False


@dataclass(frozen=True)
class ReportTemplate:
    """What a report keeps of its template besides the outline and the cover fields."""

    version: str
    name: str
    region: str = ""
    applies_to: str = ""
    years: tuple[int | None, int | None] = (None, None)
    sources: tuple[Source, ...] = ()
    numbering: tuple[str, ...] = ("一、", "（一）", "1.", "（1）", "①")
    preface: PrefaceSpec = PrefaceSpec()
    table: TableSpec = None  # type: ignore[assignment]  # always given; see parse_report_template
    scheme: Scheme = None  # type: ignore[assignment]

    def number_style(self, level: int) -> str:
        """The numbering style of outline ``level`` (1-based); deeper levels reuse the last."""
        if not self.numbering:
            return "一、"
        return self.numbering[min(level, len(self.numbering)) - 1]

    @property
    def years_text(self) -> str:
        """The years it fits, as people write them: 2022年度 / 2021–2023年度 / 2020年度起."""
        lo, hi = self.years
        if lo is None and hi is None:
            return "不限年度"
        if hi is None:
            return f"{lo}年度起"
        if lo is None:
            return f"至{hi}年度"
        return f"{lo}年度" if lo == hi else f"{lo}–{hi}年度"


# ------------------------------------------------------------------------- numbering
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_number(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十, 99 → 九十九."""
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def format_number(style: str, n: int) -> str:
    """The printed numbering of the ``n``-th (1-based) item of a level in ``style``."""
    if style == "一、":
        return f"{cn_number(n)}、"
    if style == "（一）":
        return f"（{cn_number(n)}）"
    if style == "1.":
        return f"{n}."
    if style == "1、":
        return f"{n}、"
    if style == "（1）":
        return f"（{n}）"
    if style == "(1)":
        return f"({n})"
    if style == "①":
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"（{n}）"
    raise ValueError(style)


# ------------------------------------------------------------------------- parsing
class _Reader:
    """Reads one template's data, naming the place of every problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, place: str, problem: str) -> TemplateError:
        return TemplateError(self.source, place, problem)

    def obj(self, value: Any, place: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(place, "应为一组“名称: 值”（JSON 对象）")
        return value

    def known(self, value: Mapping[str, Any], place: str, allowed: tuple[str, ...]) -> None:
        for key in value:
            if key not in allowed:
                raise self.fail(_join(place, key), f"不认识的项目“{key}”；可用的有：{'、'.join(allowed)}")

    def text(self, value: Any, place: str, *, required: bool = True, limit: int = 2000) -> str:
        if value is None or value == "":
            if required:
                raise self.fail(place, "不能为空")
            return ""
        if not isinstance(value, str):
            raise self.fail(place, "应为文字")
        if len(value) > limit:
            raise self.fail(place, f"过长（{len(value)} 字，最多 {limit} 字）")
        # The same characters every reader refuses (issue 16 F5): controls, non-characters that
        # Word and Excel cannot hold, and direction controls that make a name read otherwise.
        problem = text_problem(value, max_chars=limit, name=True)
        if problem is not None:
            raise self.fail(place, problem.removeprefix("中"))
        return value

    def boolean(self, value: Any, place: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(place, "应为 true 或 false")
        return value

    def number(self, value: Any, place: str, *, low: Decimal | None = ZERO, high: Decimal | None = None) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, float)):
            raise self.fail(place, "应为数字")
        try:
            d = D(str(value))
        except InvalidOperation:
            raise self.fail(place, f"“{value}”不是数字") from None
        if not d.is_finite():
            raise self.fail(place, f"“{value}”不是有限的数字")
        if low is not None and d < low:
            raise self.fail(place, f"{_plain(d)} 小于 {_plain(low)}")
        if high is not None and d > high:
            raise self.fail(place, f"{_plain(d)} 大于 {_plain(high)}")
        return d

    def choice(self, value: Any, place: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        if value is None and default is not None:
            return default
        if value not in allowed:
            raise self.fail(place, f"“{value}”无效，应为 {'、'.join(allowed)} 之一")
        return str(value)

    def items(self, value: Any, place: str, *, required: bool = True) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.fail(place, "应为一个列表（JSON 数组）")
        return value


def _join(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def _plain(d: Decimal) -> str:
    return f"{d.normalize():f}"


_TEMPLATE_KEYS = ("format", "id", "version", "name", "region", "applies_to", "years", "sources", "numbering",
                  "preface", "cover", "outline", "table", "scoring", "note")
_EMBEDDED_KEYS = ("version", "name", "region", "applies_to", "years", "sources", "numbering", "preface", "table",
                  "scoring")


def parse_report_template(data: Any, source: str, *, place: str = "") -> ReportTemplate:
    """A :class:`ReportTemplate` from template-file or embedded data (extra keys of a template
    file — id, outline, cover — are read elsewhere).  Raises :class:`TemplateError`."""
    r = _Reader(source)
    data = r.obj(data, place)
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    version = r.text(version, _join(place, "version"), limit=40)
    name = r.text(data.get("name"), _join(place, "name"), limit=200)
    region = r.text(data.get("region"), _join(place, "region"), required=False, limit=200)
    applies_to = r.text(data.get("applies_to"), _join(place, "applies_to"), required=False, limit=200)
    years = _years(r, data.get("years"), _join(place, "years"))
    sources = tuple(_source(r, s, _join(_join(place, "sources"), i))
                    for i, s in enumerate(r.items(data.get("sources"), _join(place, "sources"), required=False)))
    numbering = _numbering(r, data.get("numbering"), _join(place, "numbering"))
    preface = _preface(r, data.get("preface"), _join(place, "preface"))
    table = _table(r, data.get("table"), _join(place, "table"))
    scheme = parse_scheme(data.get("scoring"), source, place=_join(place, "scoring"))
    cols_place = _join(_join(place, "table"), "indicator_columns")
    if scheme.indicators.weighting == "indicator" and not table.has("indicators", "points"):
        raise r.fail(cols_place, "各指标分值逐项填写（scoring.indicators.weighting 为 indicator）时，绩效指标表须有“分值”（points）一栏")
    if scheme.indicators.score == "computed" and not table.has("indicators", "actual"):
        raise r.fail(cols_place, "得分由实际完成值计算（scoring.indicators.score 为 computed）时，绩效指标表须有“实际完成值”（actual）一栏")
    if scheme.indicators.score == "entered" and not table.has("indicators", "score"):
        raise r.fail(cols_place, "得分由评价人填写（scoring.indicators.score 为 entered）时，绩效指标表须有“得分”（score）一栏")
    if scheme.budget.formula != "none" and not table.has("budget", "score"):
        raise r.fail(_join(_join(place, "table"), "budget_columns"),
                     "单列预算执行率得分时，预算执行情况表须有“得分”（score）一栏")
    return ReportTemplate(version, name, region, applies_to, years, sources, numbering, preface, table, scheme)


def _years(r: _Reader, value: Any, place: str) -> tuple[int | None, int | None]:
    if value is None:
        return (None, None)
    v = r.obj(value, place)
    r.known(v, place, ("from", "to"))
    out: list[int | None] = []
    for key in ("from", "to"):
        y = v.get(key)
        if y is None:
            out.append(None)
            continue
        if isinstance(y, bool) or not isinstance(y, int) or not 1990 <= y <= 2100:
            raise r.fail(_join(place, key), f"“{y}”不是有效的年度（如 2022）")
        out.append(y)
    if out[0] is not None and out[1] is not None and out[0] > out[1]:
        raise r.fail(place, f"起始年度 {out[0]} 晚于截止年度 {out[1]}")
    return out[0], out[1]


def _source(r: _Reader, value: Any, place: str) -> Source:
    v = r.obj(value, place)
    r.known(v, place, ("title", "url", "note"))
    return Source(r.text(v.get("title"), _join(place, "title"), limit=500),
                  r.text(v.get("url"), _join(place, "url"), required=False, limit=1000),
                  r.text(v.get("note"), _join(place, "note"), required=False, limit=4000))


def _numbering(r: _Reader, value: Any, place: str) -> tuple[str, ...]:
    items = r.items(value, place)
    if not items:
        raise r.fail(place, "至少要有第一级的编号样式（如“一、”）")
    if len(items) > 6:
        raise r.fail(place, "最多 6 级")
    out = []
    for i, style in enumerate(items):
        out.append(r.choice(style, _join(place, i), NUMBERING_STYLES))
    return tuple(out)


def _preface(r: _Reader, value: Any, place: str) -> PrefaceSpec:
    if value is None:
        return PrefaceSpec()
    v = r.obj(value, place)
    r.known(v, place, ("enabled", "required", "hint"))
    enabled = r.boolean(v.get("enabled"), _join(place, "enabled"), True)
    required = r.boolean(v.get("required"), _join(place, "required"), False)
    if required and not enabled:
        raise r.fail(place, "前言未启用（enabled 为 false）却设为必填")
    return PrefaceSpec(enabled, required, r.text(v.get("hint"), _join(place, "hint"), required=False))


def _columns(r: _Reader, value: Any, place: str, allowed: dict[str, str], table: str) -> tuple[Column, ...]:
    items = r.items(value, place)
    out: list[Column] = []
    seen: set[str] = set()
    for i, c in enumerate(items):
        p = _join(place, i)
        if isinstance(c, str):
            c = {"field": c}
        c = r.obj(c, p)
        r.known(c, p, ("field", "header"))
        name = r.choice(c.get("field"), _join(p, "field"), tuple(allowed))
        if name in seen:
            raise r.fail(_join(p, "field"), f"栏目“{name}”重复")
        seen.add(name)
        header = r.text(c.get("header"), _join(p, "header"), required=False, limit=40) or allowed[name]
        out.append(Column(name, header))
    for need in _REQUIRED_COLUMNS.get(table, ()):
        if items and need not in seen:
            raise r.fail(place, f"缺少必有的栏目“{need}”（{allowed[need]}）")
    return tuple(out)


def _table(r: _Reader, value: Any, place: str) -> TableSpec:
    v = r.obj(value, place)
    r.known(v, place, ("title", "budget_rows", "budget_columns", "project_columns", "indicator_columns",
                       "indicator_levels", "indicators", "text_cells"))
    title = r.text(v.get("title"), _join(place, "title"), limit=100)
    rows: list[tuple[str, str]] = []
    rows_place = _join(place, "budget_rows")
    for i, row in enumerate(r.items(v.get("budget_rows"), rows_place)):
        p = _join(rows_place, i)
        row = r.obj(row, p)
        r.known(row, p, ("kind", "label"))
        kind = r.choice(row.get("kind"), _join(p, "kind"), BUDGET_KINDS)
        rows.append((kind, r.text(row.get("label"), _join(p, "label"), limit=100)))
    if not rows or rows[0][0] != "total" or any(k == "total" for k, _ in rows[1:]):
        raise r.fail(rows_place, "第一行应为且只有第一行为“年度资金总额”（kind 为 total）")
    budget = _columns(r, v.get("budget_columns"), _join(place, "budget_columns"), BUDGET_FIELDS, "budget")
    if not budget:
        raise r.fail(_join(place, "budget_columns"), "预算执行情况至少要有项目名称、全年预算数、全年执行数三栏")
    projects = _columns(r, v.get("project_columns", []), _join(place, "project_columns"), PROJECT_FIELDS, "projects")
    indicators = _columns(r, v.get("indicator_columns"), _join(place, "indicator_columns"), INDICATOR_FIELDS,
                          "indicators")
    if not indicators:
        raise r.fail(_join(place, "indicator_columns"), "绩效指标表至少要有一级指标一栏")
    levels_place = _join(place, "indicator_levels")
    levels = r.items(v.get("indicator_levels", [1, 2, 3]), levels_place)
    if not levels or any(lv not in (1, 2, 3) for lv in levels) or 1 not in levels or len(set(levels)) != len(levels):
        raise r.fail(levels_place, "应为 1、2、3 中的几级（须含第 1 级，不重复），如 [1, 2, 3]")
    levels_t = tuple(sorted(levels))
    for lv in (1, 2, 3):
        has = any(c.field == f"level{lv}" for c in indicators)
        if has != (lv in levels_t):
            raise r.fail(_join(place, "indicator_columns"),
                         f"第 {lv} 级指标{'没有列入 indicator_levels 却有栏目' if has else '列入 indicator_levels 却没有栏目'}")
    presets = tuple(_preset(r, x, _join(_join(place, "indicators"), i))
                    for i, x in enumerate(r.items(v.get("indicators"), _join(place, "indicators"), required=False)))
    cells_place = _join(place, "text_cells")
    cells = r.obj(v.get("text_cells", {}), cells_place)
    text_cells: dict[str, str] = {}
    for key, cell in cells.items():
        text_cells[r.text(key, cells_place, limit=40)] = r.choice(cell, _join(cells_place, key), TEXT_CELLS)
    return TableSpec(title, tuple(rows), budget, projects, indicators, levels_t, presets, tuple(text_cells.items()))


def _preset(r: _Reader, value: Any, place: str) -> IndicatorPreset:
    v = r.obj(value, place)
    r.known(v, place, ("level1", "level2", "level3", "direction", "target", "unit", "points", "note"))
    points = v.get("points")
    return IndicatorPreset(
        r.text(v.get("level1"), _join(place, "level1"), limit=100),
        r.text(v.get("level2"), _join(place, "level2"), required=False, limit=100),
        r.text(v.get("level3"), _join(place, "level3"), required=False, limit=200),
        r.choice(v.get("direction"), _join(place, "direction"), INDICATOR_DIRECTIONS, "≥"),
        r.text(v.get("target"), _join(place, "target"), required=False, limit=200),
        r.text(v.get("unit"), _join(place, "unit"), required=False, limit=20),
        None if points is None else r.number(points, _join(place, "points"), high=HUNDRED),
        r.text(v.get("note"), _join(place, "note"), required=False, limit=2000),
    )


def parse_scheme(data: Any, source: str, *, place: str = "scoring") -> Scheme:
    """评分办法 from data; the parts must add up to 100 and every band be in order."""
    r = _Reader(source)
    v = r.obj(data, place)
    r.known(v, place, ("budget", "indicators", "qualitative", "grades"))
    bp = _join(place, "budget")
    b = r.obj(v.get("budget"), bp)
    r.known(b, bp, ("points", "formula", "bands"))
    formula = r.choice(b.get("formula"), _join(bp, "formula"), BUDGET_FORMULAS, "ratio")
    b_points = r.number(b.get("points", 0 if formula == "none" else None), _join(bp, "points"), high=HUNDRED)
    if formula == "none" and b_points != 0:
        raise r.fail(_join(bp, "points"), "formula 为 none（不单列预算执行率）时分值应为 0")
    bands: list[tuple[Decimal, Decimal]] = []
    if formula == "bands":
        bands_place = _join(bp, "bands")
        for i, band in enumerate(r.items(b.get("bands"), bands_place)):
            p = _join(bands_place, i)
            band = r.obj(band, p)
            r.known(band, p, ("min_rate", "percent_of_points"))
            bands.append((r.number(band.get("min_rate"), _join(p, "min_rate"), high=D(1000)),
                          r.number(band.get("percent_of_points"), _join(p, "percent_of_points"), high=HUNDRED) / 100))
        if not bands:
            raise r.fail(bands_place, "formula 为 bands 时至少要有一档")
        for i in range(1, len(bands)):
            if bands[i][0] >= bands[i - 1][0]:
                raise r.fail(_join(bands_place, i), "各档的 min_rate 应从高到低排列")
    elif "bands" in b:
        raise r.fail(_join(bp, "bands"), "只有 formula 为 bands 时才用到分档")

    ip = _join(place, "indicators")
    iv = r.obj(v.get("indicators"), ip)
    r.known(iv, ip, ("points", "weighting", "level1", "score"))
    i_points = r.number(iv.get("points"), _join(ip, "points"), high=HUNDRED)
    weighting = r.choice(iv.get("weighting"), _join(ip, "weighting"), WEIGHTINGS, "indicator")
    mode = r.choice(iv.get("score"), _join(ip, "score"), SCORE_MODES, "computed")
    l1_place = _join(ip, "level1")
    level1: dict[str, Decimal] = {}
    for i, item in enumerate(r.items(iv.get("level1"), l1_place, required=weighting == "level1")):
        p = _join(l1_place, i)
        item = r.obj(item, p)
        r.known(item, p, ("name", "points"))
        name = r.text(item.get("name"), _join(p, "name"), limit=40)
        if name in level1:
            raise r.fail(_join(p, "name"), f"一级指标“{name}”重复")
        level1[name] = r.number(item.get("points"), _join(p, "points"), high=HUNDRED)
    if weighting == "level1" and not level1:
        raise r.fail(l1_place, "weighting 为 level1 时须列出各一级指标的分值")
    if level1 and sum(level1.values(), ZERO) != i_points:
        raise r.fail(l1_place, f"各一级指标分值合计 {_plain(sum(level1.values(), ZERO))} 分，"
                               f"与绩效指标分值 {_plain(i_points)} 分不等")
    if b_points + i_points != HUNDRED:
        raise r.fail(place, f"预算执行率 {_plain(b_points)} 分与绩效指标 {_plain(i_points)} 分合计应为 100 分，"
                            f"现为 {_plain(b_points + i_points)} 分")

    qp = _join(place, "qualitative")
    qual: list[QualBand] = []
    for i, band in enumerate(r.items(v.get("qualitative"), qp)):
        p = _join(qp, i)
        band = r.obj(band, p)
        r.known(band, p, ("value", "low", "high"))
        value = r.text(band.get("value"), _join(p, "value"), limit=20)
        if value in (q.value for q in qual):
            raise r.fail(_join(p, "value"), f"定性档次“{value}”重复")
        low = r.number(band.get("low"), _join(p, "low"), high=HUNDRED)
        high = r.number(band.get("high"), _join(p, "high"), high=HUNDRED)
        if low > high:
            raise r.fail(p, f"下限 {_plain(low)}% 高于上限 {_plain(high)}%")
        if qual and high > qual[-1].high * 100:
            raise r.fail(p, "定性档次应从高到低排列")
        qual.append(QualBand(value, low / 100, high / 100))
    if not qual:
        raise r.fail(qp, "至少要有一个定性档次（如 达成 / 部分达成 / 未达成）")

    gp = _join(place, "grades")
    grades: list[GradeBand] = []
    for i, band in enumerate(r.items(v.get("grades"), gp)):
        p = _join(gp, i)
        band = r.obj(band, p)
        r.known(band, p, ("min", "grade"))
        low = r.number(band.get("min"), _join(p, "min"), high=HUNDRED)
        name = r.text(band.get("grade"), _join(p, "grade"), limit=10)
        if grades and low >= grades[-1].min:
            raise r.fail(_join(p, "min"), "等级应按分数从高到低排列")
        if name in (g.grade for g in grades):
            raise r.fail(_join(p, "grade"), f"等级“{name}”重复")
        grades.append(GradeBand(low, name))
    if not grades:
        raise r.fail(gp, "至少要有一个等级")
    if grades[-1].min != 0:
        raise r.fail(_join(gp, len(grades) - 1), "最后一个等级的 min 应为 0，使任何得分都有等级")
    return Scheme(BudgetRule(b_points, formula, tuple(bands)),
                  IndicatorRule(i_points, weighting, tuple(level1.items()), mode), tuple(qual), tuple(grades))


def parse_cover(value: Any, source: str, *, place: str = "cover") -> tuple[CoverSpec, ...]:
    r = _Reader(source)
    out: list[CoverSpec] = []
    for i, item in enumerate(r.items(value, place, required=False)):
        p = _join(place, i)
        item = r.obj(item, p)
        r.known(item, p, ("key", "label", "kind", "required"))
        key = r.text(item.get("key"), _join(p, "key"), limit=40)
        if not key.replace("_", "").isalnum() or not key.isascii():
            raise r.fail(_join(p, "key"), f"“{key}”只能由英文字母、数字和下划线组成")
        if key in (c.key for c in out):
            raise r.fail(_join(p, "key"), f"封面项目“{key}”重复")
        out.append(CoverSpec(key, r.text(item.get("label"), _join(p, "label"), limit=40),
                             r.choice(item.get("kind"), _join(p, "kind"), COVER_KINDS, "text"),
                             r.boolean(item.get("required"), _join(p, "required"), False)))
    return tuple(out)


# ------------------------------------------------------------------------- back to data
def _d(value: Decimal) -> int | str:
    """A decimal as JSON: an integer when whole (10), else its text ("12.5")."""
    return int(value) if value == value.to_integral_value() else _plain(value)


def scheme_to_data(s: Scheme) -> dict[str, Any]:
    budget: dict[str, Any] = {"points": _d(s.budget.points), "formula": s.budget.formula}
    if s.budget.formula == "bands":
        budget["bands"] = [{"min_rate": _d(lo), "percent_of_points": _d(share * 100)} for lo, share in s.budget.bands]
    indicators: dict[str, Any] = {"points": _d(s.indicators.points), "weighting": s.indicators.weighting,
                                  "score": s.indicators.score}
    if s.indicators.level1:
        indicators["level1"] = [{"name": k, "points": _d(v)} for k, v in s.indicators.level1]
    return {
        "budget": budget,
        "indicators": indicators,
        "qualitative": [{"value": q.value, "low": _d(q.low * 100), "high": _d(q.high * 100)} for q in s.qualitative],
        "grades": [{"min": _d(g.min), "grade": g.grade} for g in s.grades],
    }


def _columns_data(cols: tuple[Column, ...]) -> list[dict[str, str]]:
    return [{"field": c.field, "header": c.header} for c in cols]


def template_to_data(t: ReportTemplate) -> dict[str, Any]:
    """The embedded copy as JSON-able data (what :func:`parse_report_template` reads back)."""
    table: dict[str, Any] = {
        "title": t.table.title,
        "budget_rows": [{"kind": k, "label": label} for k, label in t.table.budget_rows],
        "budget_columns": _columns_data(t.table.budget_columns),
        "project_columns": _columns_data(t.table.project_columns),
        "indicator_columns": _columns_data(t.table.indicator_columns),
        "indicator_levels": list(t.table.indicator_levels),
        "text_cells": dict(t.table.text_cells),
    }
    if t.table.indicators:
        table["indicators"] = [_preset_data(p) for p in t.table.indicators]
    years = {k: y for k, y in zip(("from", "to"), t.years, strict=True) if y is not None}
    data: dict[str, Any] = {
        "version": t.version,
        "name": t.name,
        "region": t.region,
        "applies_to": t.applies_to,
        "years": years,
        "sources": [{"title": s.title, "url": s.url, "note": s.note} for s in t.sources],
        "numbering": list(t.numbering),
        "preface": {"enabled": t.preface.enabled, "required": t.preface.required, "hint": t.preface.hint},
        "table": table,
        "scoring": scheme_to_data(t.scheme),
    }
    return data


def _preset_data(p: IndicatorPreset) -> dict[str, Any]:
    out: dict[str, Any] = {"level1": p.level1, "level2": p.level2, "level3": p.level3, "direction": p.direction,
                           "target": p.target, "unit": p.unit, "note": p.note}
    if p.points is not None:
        out["points"] = _d(p.points)
    return out


def cover_to_data(specs: tuple[CoverSpec, ...]) -> list[dict[str, Any]]:
    return [{"key": c.key, "label": c.label, "kind": c.kind, "required": c.required} for c in specs]


def loads_checked(text: str, source: str) -> Any:
    """JSON text → data, refusing a key given twice in one object (json.loads keeps the last
    silently) and naming the line of a syntax error, in Chinese."""

    class _Duplicate(Exception):
        pass

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _Duplicate(k)
            out[k] = v
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_float=Decimal)
    except _Duplicate as dup:
        key = str(dup)
        # json gives no position for it: name the lines where the key is written
        lines = sorted({text.count("\n", 0, m.start()) + 1
                        for m in re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)})
        at = "、".join(f"第 {n} 行" for n in lines[:6])
        raise TemplateError(source, "", f"中的项目“{key}”在同一组里出现了两次（见{at}），请删去重复的一个") from None
    except json.JSONDecodeError as exc:
        raise TemplateError(source, "", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{_json_reason(exc.msg)}）") \
            from None


def _json_reason(msg: str) -> str:
    for en, zh in (("Expecting ',' delimiter", "缺少逗号"), ("Expecting property name", "缺少项目名称或多了逗号"),
                   ("Expecting value", "缺少值"), ("Expecting ':' delimiter", "缺少冒号"),
                   ("Unterminated string", "引号未闭合"), ("Extra data", "结尾多了内容"),
                   ("Invalid control character", "含有控制字符")):
        if msg.startswith(en):
            return zh
    return msg


# ------------------------------------------------------------------------- the v2 template
# What a report file of format version 2 (before templates were data) meant: the 广州 street
# outline's numbering, no 前言 and no cover, the 自评表 as printed then, and 预算执行率 10 +
# 绩效指标 90 (split 产出 50 / 效益 30 / 满意度 10), 定性 bands 100–80 / 80–60 / 60–0 %, grades
# 90 / 80 / 60.  Migration v3 writes it into old files, and the content (and so the fingerprint)
# of a report whose template data equals it leaves the data out, so that a report finalised
# before v3 keeps the fingerprint printed on its paper copy.  NEVER CHANGE THIS: a later 广州
# template is a new version of the template file, not a change here.
V2_TEMPLATE_ID = "guangzhou_street_2022"
V2_TEMPLATE_DATA: dict[str, Any] = {
    "version": "1",
    "name": "广州市街道办事处部门整体支出绩效自评报告（2022年度提纲）",
    "region": "广东省广州市",
    "applies_to": "街道办事处",
    "years": {"from": 2022},
    "sources": [{
        "title": "2022年度广州市海珠区人民政府南洲街道办事处部门整体支出绩效自评报告",
        "url": "",
        "note": "提纲取自南洲街道2022年度自评报告（本程序的示例，全文见 resources/examples/nanzhou_2022.json）；自评表栏目与评分办法为本程序第 2 版文件格式所用的办法"
                "（预算执行率 10 分、绩效指标 90 分，产出 50 / 效益 30 / 满意度 10）。",
    }],
    "numbering": ["一、", "（一）", "1.", "（1）", "①"],
    "preface": {"enabled": False, "required": False, "hint": ""},
    "table": {
        "title": "部门整体支出绩效自评表",
        "budget_rows": [{"kind": "total", "label": "年度资金总额"}, {"kind": "basic", "label": "其中：基本支出"},
                        {"kind": "project", "label": "其中：项目支出"}],
        "budget_columns": [{"field": f, "header": h} for f, h in BUDGET_FIELDS.items()],
        "project_columns": [{"field": f, "header": h} for f, h in PROJECT_FIELDS.items()],
        "indicator_columns": [{"field": f, "header": INDICATOR_FIELDS[f]} for f in (
            "level1", "level2", "level3", "direction", "target", "unit", "actual", "points", "score", "reason")],
        "indicator_levels": [1, 2, 3],
        "text_cells": {"2.1": "评价结论", "3": "存在问题", "4": "改进措施"},
    },
    "scoring": {
        "budget": {"points": 10, "formula": "ratio"},
        "indicators": {"points": 90, "weighting": "indicator", "score": "computed",
                       "level1": [{"name": "产出指标", "points": 50}, {"name": "效益指标", "points": 30},
                                  {"name": "满意度指标", "points": 10}]},
        "qualitative": [{"value": "达成", "low": 80, "high": 100}, {"value": "部分达成", "low": 60, "high": 80},
                        {"value": "未达成", "low": 0, "high": 60}],
        "grades": [{"min": 90, "grade": "优"}, {"min": 80, "grade": "良"}, {"min": 60, "grade": "中"},
                   {"min": 0, "grade": "差"}],
    },
}


@cache
def v2_template() -> ReportTemplate:
    """The :data:`V2_TEMPLATE_DATA` as a :class:`ReportTemplate` (shared: it is immutable)."""
    return parse_report_template(V2_TEMPLATE_DATA, "第 2 版报告文件格式")


def embedded_json(t: ReportTemplate) -> str:
    """The text stored in ``report.template_data`` (the version is a column of its own)."""
    data = template_to_data(t)
    del data["version"]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# Templates read back from reports, by (text, version): a district loads thousands of files made
# from the same few templates, and parsing one took ~12 % of loading a file.  A ReportTemplate is
# immutable (frozen, tuples), so one may be shared; only templates that parsed are kept (a
# refusal names the file, so it is made again for each file).
_EMBEDDED_PARSED: dict[tuple[str, str], ReportTemplate] = {}
_EMBEDDED_KEPT = 64


def from_embedded_json(text: str, version: str, source: str) -> ReportTemplate:
    """Read ``report.template_data`` (and ``template_version``) back; '' means the v2 data."""
    if not text:
        return v2_template()
    known = _EMBEDDED_PARSED.get((text, version))
    if known is not None:
        return known
    data = loads_checked(text, source)
    if not isinstance(data, dict):
        raise TemplateError(source, "template_data", "应为一组“名称: 值”（JSON 对象）")
    for key in data:
        if key not in _EMBEDDED_KEYS or key == "version":
            raise TemplateError(source, f"template_data.{key}", f"不认识的项目“{key}”")
    parsed = parse_report_template({**data, "version": version}, source, place="template_data")
    if len(_EMBEDDED_PARSED) >= _EMBEDDED_KEPT:
        _EMBEDDED_PARSED.clear()
    _EMBEDDED_PARSED[(text, version)] = parsed
    return parsed
