"""Run every rule over a report: findings (with their 出错说明), the score and 填报完成度."""

from __future__ import annotations

from dataclasses import replace

from nanzhou_desktop.model import Report
from nanzhou_desktop.rules.base import Collector
from nanzhou_desktop.rules.budget import check_budget, check_projects
from nanzhou_desktop.rules.completeness import check_completeness
from nanzhou_desktop.rules.findings import CheckResult, Finding
from nanzhou_desktop.rules.indicators import check_indicators
from nanzhou_desktop.rules.indicators import clear_caches as clear_indicator_caches
from nanzhou_desktop.rules.prior_year import check_prior_year
from nanzhou_desktop.rules.scoring import clear_caches as clear_scoring_caches
from nanzhou_desktop.rules.scoring import score
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS, Settings


def check(report: Report, settings: Settings | None = None) -> CheckResult:
    """All findings, the self-evaluation score and the completion share of ``report``.

    Pure and fast (the window calls it on every keystroke); the report is not modified.
    """
    s = settings or DEFAULT_SETTINGS
    c = Collector(report, s)
    completion = check_completeness(c)
    check_budget(c)
    check_projects(c)
    check_indicators(c)
    check_prior_year(c)  # 与上年数据核对 (issue 7)
    _run_optional(c)
    if report.explanations:
        findings = tuple(_explained(report, f) for f in c.findings)
    else:
        findings = tuple(c.findings)
    return CheckResult(findings=findings, score=score(report, s), completion=completion)


def clear_caches() -> None:
    """Forget everything the rules cache between checks (parses of the text, the findings of
    each text field and of each indicator, indicator scores, numbers read from indicator values):
    the next check is a cold one, as right after opening a file.  Results never depend on it
    (``tests/core/test_rules_cache.py``)."""
    from nanzhou_desktop.rules.narrative import clear_caches as clear_narrative

    clear_scoring_caches()
    clear_indicator_caches()
    clear_narrative()


def _run_optional(c: Collector) -> None:
    """Rules on the narrative text, dates and lengths (imported on the first check: its patterns
    are compiled then, not when the rules package is imported)."""
    from nanzhou_desktop.rules.narrative import check_narrative

    check_narrative(c)


def _explained(report: Report, f: Finding) -> Finding:
    exp = report.explanations.get(f.key)
    return replace(f, explanation=exp) if exp is not None else f
