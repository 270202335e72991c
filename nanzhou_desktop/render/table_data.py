"""The self-evaluation table (部门整体支出绩效自评表) as plain rows, computed once and drawn
three ways (PDF annex, Word table, Excel sheet) so the three copies cannot disagree.

Scores come from :func:`nanzhou_desktop.rules.check`; nothing is scored here.  The 偏差原因
column carries the user's own reason plus any 出错说明 written against a finding on that row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from nanzhou_desktop.model import BudgetKind, Direction, Report
from nanzhou_desktop.money import format_money, format_rate, percent, round_half_up
from nanzhou_desktop.rules.findings import CheckResult, Finding


# Rows are NamedTuples: frozen dataclasses cost ~0.6 ms each to create at import, which
# every print pays.
class MoneyRow(NamedTuple):
    label: str
    budget_initial: Decimal | None
    budget_total: Decimal | None
    executed: Decimal | None
    rate: Decimal | None  # exact percent
    points: Decimal | None = None  # 分值 (only on 年度资金总额)
    score: Decimal | None = None  # 得分
    reason: str = ""


class IndicatorRow(NamedTuple):
    level1: str
    level2: str
    level3: str
    direction: str
    target: str
    unit: str
    actual: str
    points: Decimal | None
    score: Decimal | None
    not_applicable: bool
    reason: str
    target_initial: str = ""


class TableColumn(NamedTuple):
    """A column of one table of the 自评表, as the report's template lists it."""

    field: str
    header: str
    numeric: bool  # right-aligned figures
    share: float  # of the table's width


# The width of each column (a share of the table's width), by table: the shares the version-2
# 自评表 printed with (their columns add up to 1, so that table prints exactly as before); a
# template with other columns gets these shares scaled to fill the width.
_SHARES = {
    "budget": {"label": 0.14, "budget_initial": 0.10, "budget_total": 0.125, "executed": 0.125, "rate": 0.11,
               "points": 0.06, "score": 0.06, "reason": 0.28},
    "projects": {"name": 0.26, "budget_total": 0.12, "executed": 0.12, "rate": 0.10, "reason": 0.40},
    "indicators": {"level1": 0.08, "level2": 0.09, "level3": 0.17, "direction": 0.06, "target_initial": 0.08,
                   "target": 0.08, "unit": 0.06, "actual": 0.08, "points": 0.06, "score": 0.06, "reason": 0.26},
}
_NUMERIC = {"budget_initial", "budget_total", "executed", "rate", "points", "score", "target_initial", "target",
            "actual"}


def columns(report: Report, table: str) -> list[TableColumn]:
    """The columns of ``table`` (budget / projects / indicators) as the report's template has them."""
    spec = report.template.table
    cols = {"budget": spec.budget_columns, "projects": spec.project_columns,
            "indicators": spec.indicator_columns}[table]
    if not cols:  # the form has no such table (no key-project table)
        return []
    shares = _SHARES[table]
    total = sum(shares[c.field] for c in cols)
    scale = 1.0 if abs(total - 1.0) < 1e-9 else 1.0 / total
    return [TableColumn(c.field, c.header, c.field in _NUMERIC, shares[c.field] * scale) for c in cols]


def money_cell(row: MoneyRow, field: str) -> str:
    """A budget or key-project row's cell as printed."""
    if field in ("label", "name"):
        return row.label
    if field in ("budget_initial", "budget_total", "executed"):
        return format_money(getattr(row, field))
    if field == "rate":
        return format_rate(row.rate)
    if field in ("points", "score"):
        return score_text(getattr(row, field))
    return row.reason


def indicator_cell(row: IndicatorRow, field: str) -> str:
    """An indicator row's cell as printed (— and 不适用 for a not-applicable one's 分值 and 得分)."""
    if field == "points":
        return "—" if row.not_applicable else score_text(row.points)
    if field == "score":
        return "不适用" if row.not_applicable else score_text(row.score)
    return getattr(row, field)


@dataclass
class SelfEvalTable:
    unit: str
    year: int
    budget: list[MoneyRow] = field(default_factory=list)
    projects: list[MoneyRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    total_points: Decimal = Decimal(0)
    total_score: Decimal = Decimal(0)
    grade: str = ""
    other_explanations: list[str] = field(default_factory=list)  # 出错说明 not tied to a table row


def score_text(value: Decimal | None) -> str:
    return "" if value is None else f"{round_half_up(value, 2)}"


def _explained(result: CheckResult) -> list[Finding]:
    return [f for f in result.findings if f.explanation is not None and f.explanation.text.strip()]


def _matches(f: Finding, table: str, row_id: int | None, key_part: str) -> bool:
    if f.where.table == table and row_id is not None and f.where.row == row_id:
        return True
    return bool(key_part) and key_part in f.key


def _reason(own: str, notes: list[Finding]) -> str:
    parts = [own.strip()] if own.strip() else []
    parts += [f"出错说明：{f.explanation.text.strip()}" for f in notes if f.explanation is not None]
    return "；".join(parts)


_BUDGET_KEYS = {BudgetKind.TOTAL: "budget:total", BudgetKind.BASIC: "budget:basic",
                BudgetKind.PROJECT: "budget:project", BudgetKind.OTHER: "budget:other"}


def build(report: Report, result: CheckResult) -> SelfEvalTable:
    explained = _explained(result)
    used: set[int] = set()

    def take(table: str, row_id: int | None, key_part: str) -> list[Finding]:
        hits = [f for f in explained if _matches(f, table, row_id, key_part)]
        used.update(id(f) for f in hits)
        return hits

    score = result.score
    t = SelfEvalTable(report.unit.full_name, report.year)
    for row in report.budget:
        total = row.kind == BudgetKind.TOTAL
        label = row.label if total or row.label.startswith("其中") else f"其中：{row.label}"
        t.budget.append(MoneyRow(
            label, row.budget_initial, row.budget_total, row.executed, percent(row.executed, row.budget_total),
            points=score.budget_points if total else None, score=score.budget_score if total else None,
            reason=_reason(row.reason, take("budget_rows", row.id, _BUDGET_KEYS.get(row.kind, "")))))
    for p in report.projects:
        t.projects.append(MoneyRow(
            p.name, None, p.budget_total, p.executed, percent(p.executed, p.budget_total),
            reason=_reason(p.reason, take("projects", p.id, f"project:{p.name}"))))
    for ind, s in zip(report.indicators, score.indicators, strict=False):
        name = ind.level3.strip() or ind.level2.strip()
        t.indicators.append(IndicatorRow(
            ind.level1, ind.level2, ind.level3,
            "定性" if ind.direction == Direction.QUALITATIVE else str(ind.direction),
            ind.target, ind.unit, ind.actual,
            None if ind.not_applicable else s.points, s.score, ind.not_applicable,
            _reason(ind.reason, take("indicators", ind.id, f"indicator:{name}")), ind.target_initial))
    t.total_points = score.budget_points + score.indicator_points
    t.total_score = score.total
    t.grade = score.grade
    t.other_explanations = [f"{f.message}——出错说明：{f.explanation.text.strip()}"
                            for f in explained if id(f) not in used and f.explanation is not None]
    return t


def total_row(t: SelfEvalTable, fields: list[str]) -> tuple[list[str], int]:
    """The 总分 row under the indicators for these columns, and the last column its label spans:
    总分 over the columns before 分值 (or 得分), the totals in those, 自评等级 in 偏差原因 (or after
    the label when the form has no such column)."""
    first_figure = next((k for k, f in enumerate(fields) if f in ("points", "score")), len(fields))
    row = [""] * len(fields)
    row[0] = "总分" if "reason" in fields else f"总分（自评等级：{t.grade}）"
    for k, f in enumerate(fields):
        if f == "points":
            row[k] = score_text(t.total_points)
        elif f == "score":
            row[k] = score_text(t.total_score)
        elif f == "reason":
            row[k] = f"自评等级：{t.grade}"
    return row, max(first_figure - 1, 0)


def spans(values: list[str]) -> list[tuple[int, int]]:
    """(first, last) index ranges of equal consecutive values: the merged 一级/二级 cells."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out.append((start, i - 1))
            start = i
    return out
