"""What every rule module shares: a collector that builds findings with stable keys."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from nanzhou_desktop.model import FieldRef, Report, SectionKind
from nanzhou_desktop.money import format_money, format_rate, round_half_up
from nanzhou_desktop.rules.findings import Finding, Severity
from nanzhou_desktop.rules.settings import Settings

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO


class Collector:
    """Gathers findings for one check run.

    A finding's key is ``rule@target`` where the target is semantic (``budget:total``,
    ``indicator:政务服务事项办结率``, ``sections:2.2/…/办结率``) and never a row id or a
    position, so an 出错说明 stored under it survives moves and file → dump → file.  When two
    findings would share a key (two identical claims in one paragraph), later ones get
    ``#2``, ``#3`` … in reading order.
    """

    def __init__(self, report: Report, settings: Settings) -> None:
        self.report = report
        self.settings = settings
        self.findings: list[Finding] = []
        self._seen: dict[str, int] = {}

    def add(self, rule: str, severity: Severity, message: str, where: FieldRef, target: str, *,
            seen: str = "", expected: str = "", suggestion: str = "") -> Finding:
        f = Finding(rule, severity, message, where, f"{rule}@{target}", seen, expected, suggestion)
        return self._append(f)

    def extend(self, findings: tuple[Finding, ...]) -> None:
        """Add findings a :class:`Recorder` built (keys not yet numbered), in their order."""
        for f in findings:
            self._append(f)

    def _append(self, f: Finding) -> Finding:
        key = f.key
        n = self._seen.get(key, 0) + 1
        self._seen[key] = n
        if n > 1:
            f = replace(f, key=f"{key}#{n}")
        self.findings.append(f)
        return f


class Recorder:
    """Stands in for the :class:`Collector` while findings that are cached between checks are
    computed.  It builds the findings as the collector would but leaves their keys unnumbered:
    :meth:`Collector.extend` numbers repeated keys (#2 …) across the whole report, as ``add``
    does.  Findings are immutable, so every check that reuses them can share them."""

    def __init__(self, c: Collector) -> None:
        self.report = c.report
        self.settings = c.settings
        self.findings: list[Finding] = []

    def add(self, rule: str, severity: Severity, message: str, where: FieldRef, target: str, *,
            seen: str = "", expected: str = "", suggestion: str = "") -> Finding:
        f = Finding(rule, severity, message, where, f"{rule}@{target}", seen, expected, suggestion)
        self.findings.append(f)
        return f


def section_key_of(report: Report, kind: SectionKind, default: str = "") -> str:
    sec = report.section_of_kind(kind)
    return sec.key if sec else default


def money(value: Decimal | None) -> str:
    return f"{format_money(value)} 万元" if value is not None else "（未填）"


def rate(value: Decimal | None, settings: Settings) -> str:
    return format_rate(value, settings.rate_places)


def pct(value: Decimal) -> str:
    """A threshold in percent as people write it: 90 → 90%."""
    return f"{value.normalize():f}%"


def plain(value: Decimal) -> str:
    """A setting as people write it: 2 → 2, 2.50 → 2.5, 200 → 200."""
    return f"{value.normalize():f}"


def times(ratio: Decimal) -> str:
    """A ratio as people write 倍: 2.26 / 37.20 / 5,022,412,516 (no decimals from 100 on; rounded
    half up, and never raising however large the ratio)."""
    if ratio < 100:
        return f"{round_half_up(ratio, 2):,}"
    return f"{ratio.to_integral_value(rounding=ROUND_HALF_UP):,f}"
