"""The report's text in reading order, as blocks: what the PDF, the Word copy, the narrative
checks and the tests all walk.  Numbering of work tasks (1. / （1）) is generated here from
their position, so moving a task renumbers it everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nanzhou_desktop.model import FieldRef, Report, Section, SectionKind

CN_NUMBERS = "一二三四五六七八九十"


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
    """One printed unit.  ``kind``: title | heading | paragraph.

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


def blocks(report: Report) -> list[Block]:
    out: list[Block] = [Block("title", 0, report.display_title, ref=FieldRef("report", None, "title"))]
    for sec in report.sections:
        out.append(Block("heading", sec.level, sec.heading, number=sec.number,
                         ref=FieldRef("sections", sec.id, "heading", sec.key)))
        out.extend(_paragraphs(sec.body, FieldRef("sections", sec.id, "body", sec.key), sec.level))
        if sec.kind == SectionKind.TASKS:
            for ti, task in enumerate(report.tasks):
                out.append(Block("heading", 3, task.title, number=task_number(ti),
                                 ref=FieldRef("tasks", task.id, "title", sec.key)))
                out.extend(_paragraphs(task.body, FieldRef("tasks", task.id, "body", sec.key), 3))
                for ii, item in enumerate(task.items):
                    body_ref = FieldRef("task_items", item.id, "body", sec.key)
                    paras = list(_paragraphs(item.body, body_ref, 4)) or [Block("paragraph", 4, "", ref=body_ref)]
                    first = paras[0]
                    out.append(Block("paragraph", 4, first.text, number=item_number(ii), lead=f"{item.title}。",
                                     ref=body_ref, start=first.start))
                    out.extend(paras[1:])
    return out


def plain_text(report: Report) -> str:
    """The whole narrative as plain text, one block per line (for search, tests and export)."""
    return "\n".join(b.full_text for b in blocks(report))


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
