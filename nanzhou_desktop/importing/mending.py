"""From the lines of a document to its paragraphs: put flattened text back on lines, drop page
numbers and running headers (each drop listed), mend spaces, and join what a line or page end
broke apart.

Word paragraphs are taken as they are (the author made them).  Extracted text (.txt) has no
reliable paragraph ends: a line that does not end a sentence is joined to the next one when
both are prose.  A short line without punctuation (a title, a label of a form, a cell of a
table copied from a web page) stands alone and is never joined.  A PDF says where paragraphs
start by the first-line indent.

Only what follows the document's page-number pattern is removed as a page number: a number
decorated as one ("— 3 —", "第 3 页"), or bare numbers at the ends of pages that run in
sequence with the pages.  A bare "128" under the label "人员编制" is a value of a form, and is
kept (岳阳县新开镇 and 岳阳市城市管理监督指挥中心 publish their forms one cell a line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanzhou_desktop.importing.outline import Heading, is_marker_only, parse_heading
from nanzhou_desktop.importing.readers import RawDocument, RawLine
from nanzhou_desktop.importing.relining import reline, starts_with_cover_label
from nanzhou_desktop.importing.text import CJK, ends_sentence, join_broken, mend_spaces

# A page number as printed: "— 3 —", "- 3 -", "第 3 页", "第3页 共12页", "3 / 12", or a bare "3".
_PAGE_NUMBER = re.compile(
    r"^[-—–－‒\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－‒\s]*$")
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
RUNNING_MAX = 40  # a running header or footer is a short line
RUNNING_MAX_PAGED = 120  # at a known page edge a repeated line may be longer (unit · year · fingerprint)
RUNNING_MIN_REPEATS = 3  # in text without page marks, a line seen this often (apart) is a running header
RUNNING_MIN_CJK = 4  # … and carries words: a repeated "0" or "/" is a cell of a table, not a header
LABEL_MAX = 25  # a line this short without punctuation is a title, a label or a cell: never joined
_PUNCTUATION = re.compile(r"[，,。；;：:、！？!?…]")
_PIPE_CELL = re.compile(r"^(.*?)\s*[|｜]\s*$")  # a table cell of a web page copied as text: "总额 |"


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
    group: int = -1  # the table a row belongs to (rows of one Word table, cells of one copied table)

    @property
    def heading(self) -> Heading | None:
        return None if self.table else parse_heading(self.text)


# ---------------------------------------------------------------------- page furniture
def _is_decorated_page_number(text: str) -> bool:
    """A number written as only a page number is: with dashes or 第…页."""
    return bool(_PAGE_NUMBER.match(text)) and any(c.isdigit() for c in text) and not _BARE_NUMBER.match(text)


def looks_like_label(text: str) -> bool:
    t = mend_spaces(text)
    return (0 < len(t) <= LABEL_MAX and not _PUNCTUATION.search(t) and any("\u4e00" <= c <= "\u9fff" for c in t)
            and parse_heading(t) is None)


def _page_number_lines(doc: RawDocument) -> set[int]:
    """Indexes of the lines that are page numbers (see the module's docstring)."""
    lines = doc.lines
    out: set[int] = set()
    bare: list[tuple[int, int]] = []  # (index, value)
    for i, line in enumerate(lines):
        text = line.text.strip()
        if line.table or not text:
            continue
        at_edge = line.edge if doc.paged and doc.kind == "pdf" else True
        if _is_decorated_page_number(text) and at_edge:
            out.add(i)
        elif _BARE_NUMBER.match(text):
            bare.append((i, int(text)))
    if doc.paged:
        # Bare numbers at the end (or start) of their page that step with the page.
        by_offset: dict[int, list[int]] = {}
        for i, value in bare:
            if _at_page_edge(lines, i):
                by_offset.setdefault(value - lines[i].page, []).append(i)
        for idx in by_offset.values():
            if len({lines[i].page for i in idx}) >= 2:
                out.update(idx)
        return out
    # Without page marks: bare numbers that count up by one, far apart, none under a label.
    run: list[int] = []
    for i, value in bare:
        prev = next((lines[j].text for j in range(i - 1, -1, -1) if lines[j].text.strip()), "")
        if looks_like_label(prev):
            run = []
            continue
        if run and value == int(lines[run[-1]].text) + 1 and _lines_between(lines, run[-1], i) >= 10:
            run.append(i)
        else:
            if len(run) >= 3:
                out.update(run)
            run = [i]
    if len(run) >= 3:
        out.update(run)
    return out


def _at_page_edge(lines: list[RawLine], i: int) -> bool:
    page = lines[i].page
    before = [j for j in range(i - 1, max(-1, i - 4), -1) if lines[j].page == page and lines[j].text.strip()]
    after = [j for j in range(i + 1, min(len(lines), i + 4)) if lines[j].page == page and lines[j].text.strip()]
    return not before or not after or lines[i].edge


def _lines_between(lines: list[RawLine], a: int, b: int) -> int:
    return sum(1 for line in lines[a + 1:b] if line.text.strip())


def _running_key(text: str) -> str:
    """A header or footer as compared across pages: numbers folded, spaces out (a footer read
    character by character on a turned page has lost them)."""
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", mend_spaces(text)))


def _cjk_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def _running_lines(doc: RawDocument) -> set[int]:
    """Indexes of running headers/footers: the same short text at the top or bottom of
    several pages (page numbers inside it folded), or, without page marks, the same line with
    words in it repeated often and apart."""
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
            if (len({lines[i].page for i in idx}) >= max(2, len(pages) // 2) and not ends_sentence(key)
                    and _cjk_count(key) + sum(c.isdigit() for c in lines[idx[0]].text) >= 2):
                out.update(idx)
        return out
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.table or not line.text.strip():
            continue
        key = _running_key(line.text)
        if (len(key) <= RUNNING_MAX and _cjk_count(key) >= RUNNING_MIN_CJK and not ends_sentence(key)
                and parse_heading(mend_spaces(line.text)) is None):
            seen.setdefault(key, []).append(i)
    for idx in seen.values():
        apart = [b for a, b in zip(idx, idx[1:], strict=False) if _lines_between(lines, a, b) >= 3]
        if len(idx) >= RUNNING_MIN_REPEATS and len(apart) >= RUNNING_MIN_REPEATS - 1:
            out.update(idx)
    return out


# ---------------------------------------------------------------------- re-lining, cells
def _relined(doc: RawDocument) -> RawDocument:
    """Flattened lines (see :mod:`relining`) split into the lines they stand for."""
    if doc.kind == "docx":
        return doc
    lines: list[RawLine] = []
    changed = False
    for line in doc.lines:
        parts = reline(line.text) if not line.table and len(line.text) > 40 else [line.text]
        if len(parts) > 1:
            changed = True
            for n, part in enumerate(parts):
                lines.append(RawLine(part, page=line.page, hard_break=True, starts_paragraph=True,
                                     edge=line.edge and n in (0, len(parts) - 1), page_width=line.page_width))
        else:
            lines.append(line)
    if not changed:
        return doc
    return RawDocument(doc.kind, lines, paged=doc.paged, notes=list(doc.notes))


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


_FIELD = re.compile(r"^[^:：。，,、《》“”()（）;；]{1,20}[:：][^。]{0,40}$")


def _is_prose(text: str) -> bool:
    """A line that can continue, or be continued by, a sentence broken by a line or page end:
    not a label, a cell, or a "label: value" line of a form (按收入性质分:2030.12)."""
    return not looks_like_label(text) and not _FIELD.match(text) and (len(text) >= 10 or ends_sentence(text))


# ---------------------------------------------------------------------- paragraphs
def paragraphs(doc: RawDocument) -> tuple[list[Paragraph], list[Dropped]]:
    doc = _relined(doc)
    drops: list[Dropped] = []
    kept: list[RawLine] = []
    extracted = doc.kind != "docx"
    numbers = _page_number_lines(doc) if extracted else set()
    running = _running_lines(doc) if extracted else set()
    for i, line in enumerate(doc.lines):
        if i in numbers:
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
    group = 0
    in_cells = False
    pending_marker = ""
    for line in kept:
        text = mend_spaces(line.text)
        if not text:
            continue
        if line.table:
            current = None
            out.append(Paragraph(line.text.strip(), line.page, table=True,
                                 cells=tuple(c.strip() for c in line.text.split("\t")), group=line.group))
            continue
        cell = _PIPE_CELL.match(line.text) if kind != "docx" else None
        if cell is not None:
            if not in_cells:
                group += 1
                in_cells = True
            current = None
            value = mend_spaces(cell.group(1))
            out.append(Paragraph(value, line.page, table=True, cells=(value,), group=-1000 - group))
            continue
        in_cells = False
        if pending_marker:
            text, pending_marker = f"{pending_marker}{text}", ""
        elif is_marker_only(text) and kind != "docx":
            pending_marker = text  # "2." alone on its line: the heading's words follow
            continue
        if current is None or kind == "docx":
            new = True
        elif kind == "pdf":
            # An indented line opens a paragraph; a heading opens one after a finished sentence.
            new = line.starts_paragraph or _standalone_heading(current.text) or (
                previous is not None and previous.page_width != line.page_width) or (
                parse_heading(text) is not None and ends_sentence(current.text)) or (
                looks_like_label(current.text) or looks_like_label(text)) or (
                starts_with_cover_label(current.text) or starts_with_cover_label(text))  # "评价年度：2023"
        else:
            # Before the first heading (cover, 附件 mark, title) lines are not prose: keep them apart.
            new = (not seen_heading or _standalone_heading(current.text) or ends_sentence(current.text)
                   or parse_heading(text) is not None or not _is_prose(current.text) or not _is_prose(text))
        seen_heading = seen_heading or parse_heading(text) is not None
        previous = line
        if new:
            current = Paragraph(text, line.page)
            out.append(current)
        else:
            assert current is not None
            current.text = join_broken(current.text, text)
    if pending_marker:
        out.append(Paragraph(pending_marker, previous.page if previous else 0))
    return _form_pairs(out, doc.kind), drops


# ---------------------------------------------------------------------- forms
_VALUE = re.compile(rf"^[\d\s.,，:：%％/\-－—()（）年月日万元人个]+$|^[{CJK}A-Za-z]{{1,5}}$")


def is_value(text: str) -> bool:
    return len(text) <= 20 and bool(_VALUE.match(text)) and parse_heading(text) is None


def _form_pairs(paras: list[Paragraph], kind: str) -> list[Paragraph]:
    """A form copied one cell a line (联系人 / 张颖慧 / 联络电话 / 0730-… / 人员编制 / 128): each
    label and its value become one line, "人员编制：128", so they stay apart from the others.
    Only runs of two or more label/value pairs are read so (a header row of a table, 编制数 /
    2023 年实际在职人数 / 控制率, is not a form)."""
    if kind == "docx":
        return paras
    out: list[Paragraph] = []
    i = 0
    n = len(paras)

    def pair_at(j: int) -> bool:
        return (j + 1 < n and not paras[j].table and not paras[j + 1].table and looks_like_label(paras[j].text)
                and is_value(paras[j + 1].text))

    while i < n:
        j = i
        while pair_at(j):
            j += 2
        values = [paras[k + 1].text for k in range(i, j, 2)]
        if len(values) >= 2 and 2 * sum(any(c.isdigit() for c in v) for v in values) >= len(values):
            for k in range(i, j, 2):
                label, value = paras[k], paras[k + 1]
                out.append(Paragraph(f"{label.text}：{value.text}", label.page))
            i = j
            continue
        out.append(paras[i])
        i += 1
    return out
