"""The report as plain data: one unit × one fiscal year.

Glossary (see ``docs/glossary.md``):

- Report — 部门整体支出绩效自评报告
- Section — a part of the outline (一、… / （一）…), with its narrative text (正文)
- Task / TaskItem — 二（二）各项工作任务 and their numbered sub-items （1）（2）…
- BudgetRow — 预算执行情况 row: 年度资金总额 and its 其中 rows 基本支出 / 项目支出
  (budget_initial 年初预算数, budget_total 全年预算数, executed 全年执行数, reason 偏差原因)
- Project — 重点项目 of 二（三）: 预算数, 执行数
- Indicator — 绩效指标: level1/level2/level3 一级/二级/三级指标, direction 指标性质,
  target 年度指标值, unit 度量单位, actual 实际完成值, points 分值, reason 偏差原因
- SignOff — 单位负责人, 财务负责人, 填报人, 联系电话, 填报日期, 成文日期
- Status — 草稿 / 已定稿 / 已导出; revision 修订号; fingerprint 内容指纹
- CoverField — 封面项目 (评价年度, 评价单位, 预算编码 …) and its value; preface — 前言
- ReportTemplate — what the report keeps of its template (numbering, 自评表, 评分办法):
  :mod:`nanzhou_desktop.template_data`

Amounts and rates are :class:`~decimal.Decimal`; the model holds no float.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nanzhou_desktop.template_data import ReportTemplate, v2_template


class Status(enum.StrEnum):
    """状态: 草稿 (draft) → 已定稿 (finalised) → 已导出 (exported)."""

    DRAFT = "草稿"
    FINAL = "已定稿"
    EXPORTED = "已导出"


class SectionKind(enum.StrEnum):
    TEXT = "text"  # narrative only
    TASKS = "tasks"  # 二（二）: narrative + the task list
    PROJECTS = "projects"  # 二（三）: narrative + the key-project table
    BUDGET = "budget"  # 一（三）: narrative + the budget block


class Direction(enum.StrEnum):
    """指标性质."""

    AT_LEAST = "≥"
    AT_MOST = "≤"
    EQUAL = "="
    QUALITATIVE = "定性"


# The 定性 values of the v2 template.  A report's own are ``report.template.scheme.qualitative_values``.
QUALITATIVE_VALUES = ("达成", "部分达成", "未达成")


class BudgetKind(enum.StrEnum):
    TOTAL = "total"  # 年度资金总额
    BASIC = "basic"  # 其中：基本支出
    PROJECT = "project"  # 其中：项目支出
    OTHER = "other"  # 其中：其他（财政拨款 / 上年结转 / 其他资金）


@dataclass
class Unit:
    """单位: full name (单位全称), short name (简称), unit code (单位编码), district (所属区)."""

    full_name: str = ""
    short_name: str = ""
    code: str = ""
    district: str = ""


@dataclass
class Section:
    """A part of the outline.  ``key`` identifies it and never changes ("1", "1.3", "4.2": the
    template's keys, and new ones for sections the user adds); where it stands is its position
    and ``level``: its parent is the nearest section before it one level up.  ``number`` is
    the printed numbering, renumbered from position when the outline is edited."""

    key: str
    level: int
    number: str
    heading: str
    body: str = ""
    kind: SectionKind = SectionKind.TEXT
    required: bool = True
    id: int | None = None


@dataclass
class TaskItem:
    """A numbered sub-item （1） of a work task: a short title and its text."""

    title: str
    body: str = ""
    id: int | None = None


@dataclass
class Task:
    """A work task 1. of 二（二）: a title, optional text, numbered sub-items."""

    title: str
    body: str = ""
    items: list[TaskItem] = field(default_factory=list)
    id: int | None = None


@dataclass
class BudgetRow:
    kind: BudgetKind
    label: str
    budget_initial: Decimal | None = None
    budget_total: Decimal | None = None
    executed: Decimal | None = None
    reason: str = ""
    prior_budget_total: Decimal | None = None  # 上年全年预算数
    prior_executed: Decimal | None = None  # 上年全年执行数
    id: int | None = None


@dataclass
class Project:
    name: str
    budget_total: Decimal | None = None
    executed: Decimal | None = None
    reason: str = ""
    prior_budget_total: Decimal | None = None
    prior_executed: Decimal | None = None
    id: int | None = None


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    direction: Direction = Direction.AT_LEAST
    target: str = ""  # a number for ≥ ≤ =, or the expected wording for 定性
    unit: str = ""
    actual: str = ""  # a number, or 达成 / 部分达成 / 未达成
    points: Decimal | None = None
    reason: str = ""
    not_applicable: bool = False
    qual_share: Decimal | None = None  # 定性: the share of points picked inside the band (0–1)
    note: str = ""  # where the values come from (e.g. 正文 二（二）2.(4))
    prior_actual: str = ""  # 上年实际完成值
    id: int | None = None
    target_initial: str = ""  # 年初目标值 (forms that show it beside the 全年目标值)
    score: Decimal | None = None  # 得分 typed by the evaluator (schemes whose 得分 is entered)


@dataclass
class CoverField:
    """封面项目: a field of the cover block (评价年度 / 评价单位（公章） / 预算编码 / 报告日期 …).

    ``kind``: text, date (stored ISO yyyy-mm-dd), year (yyyy) or code; ``required`` before 定稿."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    value: str = ""
    id: int | None = None


@dataclass
class SignOff:
    """签章信息."""

    head: str = ""  # 单位负责人
    finance_head: str = ""  # 财务负责人
    preparer: str = ""  # 填报人
    phone_office: str = ""  # 联系电话（办公）
    phone_mobile: str = ""  # 联系电话（手机）
    fill_date: str = ""  # 填报日期, ISO yyyy-mm-dd
    issue_date: str = ""  # 成文日期, ISO yyyy-mm-dd


@dataclass
class Explanation:
    """出错说明: the user's written explanation of a 警告, kept with who and when."""

    finding_key: str
    text: str
    author: str = ""
    at: str = ""


@dataclass
class Report:
    uuid: str
    year: int
    unit: Unit
    title: str = ""
    template_id: str = ""
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    budget: list[BudgetRow] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    signoff: SignOff = field(default_factory=SignOff)
    explanations: dict[str, Explanation] = field(default_factory=dict)
    status: Status = Status.DRAFT
    revision: int = 1
    final_fingerprint: str = ""  # recorded at 定稿
    template: ReportTemplate = field(default_factory=v2_template)  # numbering, 自评表, 评分办法
    preface: str = ""  # 前言: the opening paragraph before 一、
    cover: list[CoverField] = field(default_factory=list)  # 封面项目, in order

    # -- lookups used by rules, renderers and the window ---------------------------
    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def section_of_kind(self, kind: SectionKind) -> Section | None:
        for s in self.sections:
            if s.kind == kind:
                return s
        return None

    def children(self, key: str) -> list[Section]:
        """The sections directly under ``key``, in order."""
        secs = self.sections
        for i, s in enumerate(secs):
            if s.key == key:
                out = []
                for t in secs[i + 1:]:
                    if t.level <= s.level:
                        break
                    if t.level == s.level + 1:
                        out.append(t)
                return out
        return []

    def subtree(self, key: str) -> list[Section]:
        """``key`` and every section under it, in order ([] when there is no such section)."""
        secs = self.sections
        for i, s in enumerate(secs):
            if s.key == key:
                j = i + 1
                while j < len(secs) and secs[j].level > s.level:
                    j += 1
                return secs[i:j]
        return []

    def parent(self, key: str) -> Section | None:
        """The section ``key`` stands under (None for a top-level one or an unknown key)."""
        secs = self.sections
        for i, s in enumerate(secs):
            if s.key == key:
                for t in reversed(secs[:i]):
                    if t.level < s.level:
                        return t
                return None
        return None

    def top_keys(self) -> dict[str, str]:
        """Section key → the key of the top-level part (一、…) it belongs to."""
        out: dict[str, str] = {}
        top = ""
        for s in self.sections:
            if s.level <= 1 or not top:
                top = s.key
            out[s.key] = top
        return out

    def top_sections(self) -> list[Section]:
        return [s for s in self.sections if s.level == 1]

    def cover_field(self, key: str) -> CoverField | None:
        for c in self.cover:
            if c.key == key:
                return c
        return None

    def rows(self, table: str) -> list[Any]:
        """The rows of a report-file table in order: the report's own list for ``sections``,
        ``tasks``, ``budget_rows``, ``projects`` and ``indicators``; for ``task_items``, a new
        list of every task's 小项.  KeyError for any other name."""
        if table == "task_items":
            return [i for t in self.tasks for i in t.items]
        return {"sections": self.sections, "tasks": self.tasks, "budget_rows": self.budget,
                "projects": self.projects, "indicators": self.indicators, "cover_fields": self.cover}[table]

    @property
    def budget_total_row(self) -> BudgetRow | None:
        for row in self.budget:
            if row.kind == BudgetKind.TOTAL:
                return row
        return None

    @property
    def display_title(self) -> str:
        return self.title or f"{self.year}年度{self.unit.full_name}部门整体支出绩效自评报告"

    @property
    def locked(self) -> bool:
        return self.status != Status.DRAFT


@dataclass(frozen=True)
class FieldRef:
    """Where a value lives, precise enough for the window to focus it.

    ``table`` is a report-file table (report, sections, tasks, task_items, budget_rows,
    projects, indicators, cover_fields); ``row`` its row id (None for the single report row);
    ``column`` the column; ``section_key`` the outline section it belongs to, so the
    window knows which tab to open; ``offset``/``length`` a span inside a text field.
    """

    table: str
    row: int | None = None
    column: str = ""
    section_key: str = ""
    offset: int | None = None
    length: int | None = None
