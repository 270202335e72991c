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
from nanzhou_desktop.money import percent, round_half_up
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
            _reason(ind.reason, take("indicators", ind.id, f"indicator:{name}"))))
    t.total_points = score.budget_points + score.indicator_points
    t.total_score = score.total
    t.grade = score.grade
    t.other_explanations = [f"{f.message}——出错说明：{f.explanation.text.strip()}"
                            for f in explained if id(f) not in used and f.explanation is not None]
    return t


def spans(values: list[str]) -> list[tuple[int, int]]:
    """(first, last) index ranges of equal consecutive values: the merged 一级/二级 cells."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out.append((start, i - 1))
            start = i
    return out
