"""How much of a document an import kept: the measure the tests, the bench and the import
preview share.

A document is cut into pieces at 。；： and line breaks (full- or half-width); pieces of 8
characters or more, whitespace ignored, are the "sentences" counted.  A piece is kept when it
is found, whitespace ignored and full-/half-width folded, in the text of the report the import
made: its narrative with the document's own numbering, the cover, the 前言, the sign-off and
the rows of its tables.  Text listed as "未放置" is not kept: it is not in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nanzhou_desktop.importing.text import fold
from nanzhou_desktop.model import Report
from nanzhou_desktop.money import canonical
from nanzhou_desktop.narrative import plain_text

PIECE_MIN = 8  # shorter pieces ("一、基本情况", a bare number) say little about loss
_SPLIT = re.compile(r"[。；：;:\n|｜]")  # the cell separators of a table copied as text count as breaks


def pieces(text: str) -> list[str]:
    """The sentences of ``text`` as counted: folded, split, 8 characters or more."""
    return [p for p in _SPLIT.split(fold_lines(text)) if len(p) >= PIECE_MIN]


def fold_lines(text: str) -> str:
    """:func:`fold` line by line, keeping the line breaks (they separate pieces)."""
    return "\n".join(fold(line) for line in text.split("\n"))


def report_text(report: Report) -> str:
    """Everything a report holds as text, one field or table row per line, in the order it
    prints: title, cover, 前言, narrative, sign-off, tables."""
    narrative = plain_text(report).split("\n", 1)
    lines = [narrative[0], *_extra_text(report), narrative[1] if len(narrative) > 1 else "", report.unit.full_name]
    s = report.signoff
    lines += [s.head, s.finance_head, s.preparer, s.phone_office, s.phone_mobile]
    for b in report.budget:
        lines.append("\t".join([b.label, *(canonical(v) or "" for v in (b.budget_initial, b.budget_total,
                                                                          b.executed)), b.reason]))
    for p in report.projects:
        lines.append("\t".join([p.name, canonical(p.budget_total) or "", canonical(p.executed) or "", p.reason]))
    for i in report.indicators:
        lines.append("\t".join([i.level1, i.level2, i.level3, str(i.direction), i.target, i.unit, i.actual,
                                canonical(i.points) or "", i.reason]))
    return "\n".join(line for line in lines if line)


def _extra_text(report: Report) -> list[str]:
    """Cover fields and 前言, when the report model has them (labels with their values, as a
    cover block prints them: 评价年度：2024)."""
    out: list[str] = []
    for entry in getattr(report, "cover", None) or []:
        label = getattr(entry, "label", "")
        value = getattr(entry, "value", "")
        if value:
            out.append(f"{label}：{value}" if label else value)
    preface = getattr(report, "preface", "")
    if preface:
        out.append(preface)
    return out


@dataclass
class Coverage:
    kept: int
    total: int
    missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return 1.0 if not self.total else self.kept / self.total


def coverage(source_text: str, report: Report) -> Coverage:
    """Share of the source's sentences found in ``report``; ``missing`` lists the others."""
    held = "".join(fold(line) for line in report_text(report).split("\n"))
    found = missing = 0
    lost: list[str] = []
    for piece in pieces(source_text):
        if piece in held:
            found += 1
        else:
            missing += 1
            lost.append(piece)
    return Coverage(found, found + missing, lost)
