"""From the lines of a document to its paragraphs: drop page numbers and running headers
(each drop listed), mend spaces, and join what a line or page end broke apart.

Word paragraphs are taken as they are (the author made them).  Extracted text (.txt) has no
reliable paragraph ends, so a line that does not end a sentence is joined to the next one
unless that one is a heading.  A PDF says where paragraphs start by the first-line indent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nanzhou_desktop.importing.outline import Heading, parse_heading
from nanzhou_desktop.importing.readers import RawDocument, RawLine
from nanzhou_desktop.importing.text import ends_sentence, join_broken, mend_spaces

_PAGE_NUMBER = re.compile(
    r"^[-—–－‒\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－‒\s]*$")
RUNNING_MAX = 40  # a running header or footer is a short line
RUNNING_MAX_PAGED = 120  # at a known page edge a repeated line may be longer (unit · year · fingerprint)
RUNNING_MIN_REPEATS = 3  # in text without page marks, a short line seen this often is a running header


@dataclass
class Dropped:
    """Text left out on purpose, listed for the user: page numbers, running headers."""

    text: str
    reason: str  # 页码 / 页眉页脚
    page: int


@dataclass
class Paragraph:
    text: str
    page: int
    table: bool = False
    cells: tuple[str, ...] = ()  # a table row's cells, empty ones (merged cells) kept

    @property
    def heading(self) -> Heading | None:
        return None if self.table else parse_heading(self.text)


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text)) and any(c.isdigit() for c in text)


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", mend_spaces(text))


def _running_lines(doc: RawDocument) -> set[int]:
    """Indexes of running headers/footers: the same short text at the top or bottom of
    several pages (page numbers inside it folded), or, without page marks, repeated often."""
    lines = doc.lines
    out: set[int] = set()
    if doc.paged:
        pages: dict[int, list[int]] = {}
        for i, line in enumerate(lines):
            if line.text.strip() and not line.table:
                pages.setdefault(line.page, []).append(i)
        if len(pages) < 2:
            return out
        edge: dict[str, list[int]] = {}
        for idx in pages.values():
            for i in idx[:2] + idx[-2:]:
                key = _running_key(lines[i].text)
                if len(key) <= RUNNING_MAX_PAGED and parse_heading(mend_spaces(lines[i].text)) is None:
                    edge.setdefault(key, []).append(i)
        for key, idx in edge.items():
            if len({lines[i].page for i in idx}) >= max(2, len(pages) // 2) and not ends_sentence(key):
                out.update(idx)
        return out
    counts = Counter(_running_key(line.text) for line in lines if line.text.strip())
    for i, line in enumerate(lines):
        key = _running_key(line.text)
        if (key and counts[key] >= RUNNING_MIN_REPEATS and len(key) <= RUNNING_MAX and not ends_sentence(key)
                and parse_heading(mend_spaces(line.text)) is None):
            out.add(i)
    return out


INDENT_SHARE_MIN = 0.03  # below this share of indented body lines a PDF does not indent its paragraphs


def _indents_paragraphs(lines: list[RawLine]) -> bool:
    body = [line for line in lines if line.text.strip() and parse_heading(mend_spaces(line.text)) is None]
    if not body:
        return False
    return sum(1 for line in body if line.starts_paragraph) >= INDENT_SHARE_MIN * len(body)


def _standalone_heading(text: str) -> bool:
    """A heading line that ends there (一、基本情况), as opposed to （1）标题。正文… which
    is a paragraph that may continue on the next line."""
    h = parse_heading(text)
    return h is not None and not h.body and not (h.level == 4 and h.stop)


def paragraphs(doc: RawDocument) -> tuple[list[Paragraph], list[Dropped]]:
    drops: list[Dropped] = []
    kept: list[RawLine] = []
    extracted = doc.kind != "docx"
    running = _running_lines(doc) if extracted else set()
    for i, line in enumerate(doc.lines):
        at_edge = line.edge or not doc.paged or doc.kind == "txt"
        if extracted and at_edge and not line.table and _is_page_number(line.text.strip()):
            drops.append(Dropped(line.text.strip(), "页码", line.page))
        elif i in running:
            drops.append(Dropped(line.text.strip(), "页眉页脚", line.page))
        else:
            kept.append(line)

    kind = doc.kind
    if kind == "pdf" and not _indents_paragraphs(kept):
        kind = "txt"  # a flush-left PDF says nothing by indentation: judge by sentence ends, as in text
    out: list[Paragraph] = []
    current: Paragraph | None = None
    previous: RawLine | None = None
    seen_heading = False
    for line in kept:
        text = mend_spaces(line.text)
        if not text:
            continue
        if line.table:
            current = None
            out.append(Paragraph(line.text.strip(), line.page, table=True,
                                 cells=tuple(c.strip() for c in line.text.split("\t"))))
            continue
        if current is None or kind == "docx":
            new = True
        elif kind == "pdf":
            # An indented line opens a paragraph; a heading opens one after a finished sentence.
            new = line.starts_paragraph or _standalone_heading(current.text) or (
                previous is not None and previous.page_width != line.page_width) or (
                parse_heading(text) is not None and ends_sentence(current.text))
        else:
            # Before the first heading (cover, 附件 mark, title) lines are not prose: keep them apart.
            new = (not seen_heading or _standalone_heading(current.text) or ends_sentence(current.text)
                   or parse_heading(text) is not None)
        seen_heading = seen_heading or parse_heading(text) is not None
        previous = line
        if new:
            current = Paragraph(text, line.page)
            out.append(current)
        else:
            assert current is not None
            current.text = join_broken(current.text, text)
    return out, drops
