"""The report's text in reading order, as blocks: what the PDF, the Word copy, the narrative
checks and the tests all walk.  Numbering of work tasks (1. / （1）) is generated here from
their position, in the styles of the report's template for the levels below the task
section, so moving a task renumbers it everywhere.

The title comes first, then the cover fields (a ``cover`` block each, when the template has a
cover), the 前言 paragraphs, and the outline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nanzhou_desktop.model import FieldRef, Report, Section, SectionKind
from nanzhou_desktop.template_data import format_number

CN_NUMBERS = "一二三四五六七八九十"
PREFACE_KEY = "preface"  # the place key of the 前言 (findings in it: sections:preface/…)


def cn_number(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十 (enough for outline numbering)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMBERS[tens - 1]) + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def task_number(index: int) -> str:
    """Work task numbering ``1.`` (level 3 of the outline)."""
    return f"{index + 1}."


def item_number(index: int) -> str:
    """Sub-item numbering ``（1）`` (level 4)."""
    return f"（{index + 1}）"


@dataclass(frozen=True)
class Block:
    """One printed unit.  ``kind``: title | cover | heading | paragraph (a ``cover`` block is
    one cover field: ``lead`` its label, ``text`` its value as printed).

    ``level`` 1–4 for headings (一、 （一） 1. （1）); for a paragraph, the level of
    the heading it belongs to.  ``number`` is the numbering printed before ``text``
    (for an inline sub-item paragraph ``（1）title。`` is the lead and ``text`` the rest).
    ``ref`` says where the text is stored; ``start`` is where this paragraph starts in
    that stored field (a field may hold several paragraphs).
    """

    kind: str
    level: int
    text: str
    number: str = ""
    lead: str = ""
    ref: FieldRef | None = None
    start: int = 0

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.lead}{self.text}"


def _paragraphs(text: str, ref: FieldRef, level: int) -> Iterator[Block]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield Block("paragraph", level, line, ref=ref, start=pos)
        pos += len(line) + 1


def cover_value(kind: str, value: str) -> str:
    """A cover field's value as printed: a date 2023年3月15日, a year 2022年度."""
    if not value:
        return ""
    if kind == "date":
        parts = value.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    if kind == "year" and value.isdigit():
        return f"{value}年度"
    return value


def blocks(report: Report) -> list[Block]:
    out: list[Block] = [Block("title", 0, report.display_title, ref=FieldRef("report", None, "title"))]
    for c in report.cover:
        out.append(Block("cover", 0, cover_value(c.kind, c.value), lead=c.label,
                         ref=FieldRef("cover_fields", c.id, "value")))
    out.extend(_paragraphs(report.preface, FieldRef("report", None, "preface", PREFACE_KEY), 1))
    style = report.template.number_style
    for sec in report.sections:
        out.append(Block("heading", sec.level, sec.heading, number=sec.number,
                         ref=FieldRef("sections", sec.id, "heading", sec.key)))
        out.extend(_paragraphs(sec.body, FieldRef("sections", sec.id, "body", sec.key), sec.level))
        if sec.kind == SectionKind.TASKS:
            tl, il = sec.level + 1, sec.level + 2
            for ti, task in enumerate(report.tasks):
                out.append(Block("heading", tl, task.title, number=format_number(style(tl), ti + 1),
                                 ref=FieldRef("tasks", task.id, "title", sec.key)))
                out.extend(_paragraphs(task.body, FieldRef("tasks", task.id, "body", sec.key), tl))
                for ii, item in enumerate(task.items):
                    body_ref = FieldRef("task_items", item.id, "body", sec.key)
                    paras = list(_paragraphs(item.body, body_ref, il)) or [Block("paragraph", il, "", ref=body_ref)]
                    first = paras[0]
                    out.append(Block("paragraph", il, first.text, number=format_number(style(il), ii + 1),
                                     lead=f"{item.title}。", ref=body_ref, start=first.start))
                    out.extend(paras[1:])
    return out


def plain_text(report: Report) -> str:
    """The whole narrative as plain text, one block per line (for search, tests and export)."""
    return "\n".join(f"{b.lead}：{b.text}" if b.kind == "cover" else b.full_text for b in blocks(report))


def count_chars(text: str) -> int:
    """字数 as offices count it (and the window shows per paragraph): every character except
    spaces and line breaks."""
    return sum(1 for c in text if not c.isspace())


def section_chars(report: Report, section: Section) -> int:
    """字数 of the text a section holds, as printed under its heading: its own body and, for the
    work-task section, every task's title and body and every item's title and body (stored as
    tasks and items, not in the body).  The numbering the print adds (1. / （1）) is not text
    anyone wrote and is not counted."""
    n = count_chars(section.body)
    if section.kind == SectionKind.TASKS:
        for task in report.tasks:
            n += count_chars(task.title) + count_chars(task.body)
            n += sum(count_chars(item.title) + count_chars(item.body) for item in task.items)
    return n
