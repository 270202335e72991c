"""Reading a printed PDF back from the outside, for the print tests: words and their boxes
(poppler's ``pdftotext -bbox``), the body's lines and paragraphs, the letter spacing each
line was drawn with (the ``Tc`` operators, read with pypdf), and the annex pages turned
upright (they are set sideways on portrait sheets, GB/T 9704 §8)."""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
from collections import defaultdict
from pathlib import Path

MM = 72 / 25.4
BLOCK_LEFT, BLOCK_TOP = 28 * MM, 37 * MM
BLOCK_W, BLOCK_H = 156 * MM, 225 * MM
BLOCK_RIGHT, BLOCK_BOTTOM = BLOCK_LEFT + BLOCK_W, BLOCK_TOP + BLOCK_H
CHAR = BLOCK_W / 28
PITCH = BLOCK_H / 22
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclasses.dataclass
class Word:
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float
    text: str

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def w(self) -> float:
        return self.x1 - self.x0


@dataclasses.dataclass
class Page:
    n: int
    w: float
    h: float
    words: list[Word]
    turned: bool = False  # an annex page, read upright (turned a quarter turn clockwise)

    @property
    def portrait(self) -> bool:
        """A page of the body (the annex pages read turned are not)."""
        return self.h > self.w and not self.turned

    def body(self) -> list[Word]:
        """Words set at 3号 (16 pt) or 2号 (22 pt): the narrative, not the page furniture."""
        return [w for w in self.words if 15.5 <= w.h <= 16.5 or 21.5 <= w.h <= 22.5]

    def rows(self) -> list[list[Word]]:
        rows: dict[int, list[Word]] = defaultdict(list)
        for w in self.body():
            rows[round(w.y0)].append(w)
        return [sorted(rows[y], key=lambda w: w.x0) for y in sorted(rows)]

    def lines(self) -> list[str]:
        return ["".join(w.text for w in row) for row in self.rows()]


def _read(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for n, m in enumerate(PAGE.finditer(out), start=1):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in WORD.findall(m.group(3))]
        pages.append(Page(n, float(m.group(1)), float(m.group(2)), words))
    return pages


def is_sideways(page: Page) -> bool:
    """Most of the page's words of two or more Chinese characters run up the page."""
    long = [w for w in page.words if len(w.text) >= 2 and re.search(r"[\u4e00-\u9fff]", w.text)]
    up = [w for w in long if w.h > 1.5 * w.w]
    return bool(long) and len(up) > len(long) / 2


def read_pages(pdf: Path, *, turn: bool = True) -> list[Page]:
    """The pages' words; with ``turn`` the sideways annex pages are read turned upright
    (a copy of the PDF with those pages rotated, as a reader turns the sheet)."""
    pages = _read(pdf)
    sideways = [p.n for p in pages if is_sideways(p)]
    if not turn or not sideways:
        return pages
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    writer = pypdf.PdfWriter()
    for i, page in enumerate(reader.pages, start=1):
        if i in sideways:
            page.rotate(90)
        writer.add_page(page)
    turned = pdf.with_name(pdf.stem + ".turned.pdf")
    with turned.open("wb") as fh:
        writer.write(fh)
    upright = _read(turned)
    turned.unlink()
    for p in upright:
        p.turned = p.n in sideways
    return [upright[i] if pages[i].n in sideways else pages[i] for i in range(len(pages))]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- letter spacing as drawn ---------------------------------------------------------------

def char_spacings(pdf: Path, page_index: int) -> list[tuple[float, float]]:
    """(font size, Tc) of every text object of a page that draws with a non-default
    character spacing, from the content stream."""
    import pypdf
    from pypdf.generic import ContentStream

    reader = pypdf.PdfReader(str(pdf))
    page = reader.pages[page_index]
    ops = ContentStream(page.get_contents(), reader).operations
    out = []
    size = 0.0
    tc = 0.0
    for operands, op in ops:
        if op == b"Tf":
            size = float(operands[1])
        elif op == b"Tc":
            tc = float(operands[0])
        elif op == b"ET":
            out.append((size, tc))
            tc = 0.0
    return out


# -- body paragraphs -------------------------------------------------------------------------

@dataclasses.dataclass
class BodyLine:
    page: int
    text: str
    x0: float
    first: bool  # starts a paragraph or heading (two characters in)


def body_lines(pages: list[Page]) -> list[BodyLine]:
    """The lines of body size on the portrait pages, in order (title excluded)."""
    out = []
    for p in pages:
        if not p.portrait or p.turned:
            continue
        for row in p.rows():
            if row[0].h > 20:  # the title
                continue
            text = "".join(w.text for w in row)
            out.append(BodyLine(p.n, text, row[0].x0, abs(row[0].x0 - (BLOCK_LEFT + 2 * CHAR)) < 1.5))
    return out


UNIT_START = None


def number_unit_splits(lines: list[BodyLine]) -> list[tuple[str, str]]:
    """Consecutive lines where a number ends one and its unit (or more digits) starts the next."""
    from nanzhou_desktop.render.linebreak import _UNIT_RE

    out = []
    for a, b in zip(lines, lines[1:], strict=False):
        if b.first or not a.text or not b.text:
            continue
        if re.search(r"[0-9%]$", a.text) and (_UNIT_RE.match(b.text) or b.text[0].isdigit()):
            out.append((a.text[-12:], b.text[:6]))
    return out


def paragraph_ends(lines: list[BodyLine]) -> list[int]:
    """Indexes of lines that end a paragraph (the next line starts one, or the body ends)."""
    return [i for i in range(len(lines)) if i + 1 == len(lines) or lines[i + 1].first]


def orphans_and_widows(lines: list[BodyLine]) -> list[tuple[int, str]]:
    """A paragraph's first line alone at a page's foot, or its last line alone at the next
    page's head."""
    ends = set(paragraph_ends(lines))
    out = []
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if a.page == b.page:
            continue
        if a.first and not b.first and i not in ends:  # first line, continued over the page
            out.append((a.page, "orphan: " + a.text[:10]))
        if not b.first and (i + 1) in ends:  # last line, alone on the next page
            out.append((b.page, "widow: " + b.text[:10]))
    return out
