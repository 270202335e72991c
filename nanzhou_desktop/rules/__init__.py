"""Validation and self-scoring: pure functions from a report to findings and a score.

``check(report, settings=None) -> CheckResult`` is the one entry point the window, the CLI,
the printer and the district use.
"""

from nanzhou_desktop.rules.engine import check, clear_caches
from nanzhou_desktop.rules.findings import (
    CheckResult,
    Completion,
    Finding,
    IndicatorScore,
    Score,
    Severity,
)
from nanzhou_desktop.rules.settings import DEFAULT_SETTINGS, Settings

__all__ = ["check", "clear_caches", "CheckResult", "Completion", "Finding", "IndicatorScore", "Score", "Severity",
           "Settings", "DEFAULT_SETTINGS"]
