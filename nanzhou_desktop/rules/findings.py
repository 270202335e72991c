"""What a check reports: findings (错误 / 警告 / 提示), the score and the grade.

Rules are pure functions from a :class:`~nanzhou_desktop.model.Report` (and settings) to a
list of :class:`Finding`.  The window, the CLI, the printer and the district all use these
records and never re-derive them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from nanzhou_desktop.model import Explanation, FieldRef


class Severity(enum.StrEnum):
    ERROR = "错误"  # blocks 定稿
    WARNING = "警告"  # must be explained (出错说明) or acknowledged before 定稿
    INFO = "提示"  # information only

    @property
    def rank(self) -> int:
        return {"错误": 0, "警告": 1, "提示": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One thing a rule noticed.

    ``rule`` is the rule id (``budget.rate_low``); ``key`` is stable across edits, moves
    and file → dump → file (rule id + a semantic target such as ``budget:total`` or
    ``indicator:政务服务事项办结率``), and is what an 出错说明 is stored under.
    ``message`` is one Chinese sentence naming the field, the value seen and what was
    expected; ``seen``/``expected``/``suggestion`` repeat those parts for the window.
    """

    rule: str
    severity: Severity
    message: str
    where: FieldRef
    key: str
    seen: str = ""
    expected: str = ""
    suggestion: str = ""
    explanation: Explanation | None = None

    @property
    def explained(self) -> bool:
        return self.explanation is not None

    @property
    def blocks_finalising(self) -> bool:
        return self.severity == Severity.ERROR or (self.severity == Severity.WARNING and not self.explained)


@dataclass(frozen=True)
class IndicatorScore:
    indicator_id: int | None
    name: str
    points: Decimal  # 分值 after not-applicable rescaling
    score: Decimal | None  # 得分; None when it cannot be computed (missing target/actual)


@dataclass(frozen=True)
class Score:
    """自评得分: 预算执行率 part + 绩效指标 part, total and grade (优/良/中/差)."""

    budget_rate: Decimal | None  # 执行率 in percent, exact
    budget_points: Decimal  # 分值 of 预算执行率 (default 10)
    budget_score: Decimal
    indicator_points: Decimal  # default 90
    indicator_score: Decimal
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str


@dataclass(frozen=True)
class Completion:
    """填报完成度: share of required items filled, overall and per top-level section key."""

    filled: int
    required: int
    per_section: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def share(self) -> Decimal:
        if self.required == 0:
            return Decimal(1)
        return Decimal(self.filled) / Decimal(self.required)


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    score: Score
    completion: Completion

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocks_finalising)

    def by_key(self, key: str) -> Finding | None:
        for f in self.findings:
            if f.key == key:
                return f
        return None
