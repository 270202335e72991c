"""Text on the GB/T 9704 character grid: a reportlab flowable that lays out one paragraph
with our own Chinese line breaking, per-character font fallback, and splitting across
pages line by line.

Why not reportlab's Paragraph: its CJK wrapping hangs a closing mark into the right
margin (outside the text block) and never applies the "cannot end a line" rule; and the
grid wants exactly 28 characters of 16 pt on 156 mm, which means a slightly negative
character spacing, as Word's document grid does.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import rl_accel
from reportlab.pdfbase.pdfmetrics import getFont

from nanzhou_desktop.render.fonts import FontFace, FontSet, font_for, register
from nanzhou_desktop.render.linebreak import Line, break_lines, justification
from nanzhou_desktop.render.platypus import Flowable

# Per process: which face prints a character for a role, and glyph advances (1/1000 em).
_FACE_OF: dict[tuple, dict[str, FontFace]] = {}
_ADVANCE: dict[str, dict[str, float]] = {}
_FACES: dict[tuple, object] = {}  # (font file, TTC index) → reportlab's TTFontFace
# Characters that no font has, per role and faces (reported in every render that prints them).
_ABSENT: dict[tuple, set[str]] = {}
# Characters the role's own face prints (the usual case: a line of them is one run).
_PLAIN: dict[tuple, set[str]] = {}

# reportlab's escapePDF for the bytes of a string shown with Tj: printable ASCII as is,
# backslash and parentheses escaped, the rest as octal.
_ESCAPE = [f"\\{c:03o}" if c < 32 or c >= 127 else "\\" + chr(c) if c in b"\\()" else chr(c) for c in range(256)]


def escape_pdf(data: bytes) -> str:
    return "".join(map(_ESCAPE.__getitem__, data))


def split_string(font, text: str, doc) -> list[tuple[int, bytes]]:
    """``font.splitString(text, doc)``: (subset, codes) chunks.  When every character already
    has its code in this document (most text after the first lines), the codes are looked
    up here in one pass; otherwise reportlab assigns them."""
    state = font.state.get(doc)
    if state is not None and "\xa0" not in text:
        assigned = state.assignments
        try:
            codes = [assigned[c] for c in map(ord, text)]
        except KeyError:
            return font.splitString(text, doc)
        out: list[tuple[int, bytes]] = []
        start = 0
        subset = codes[0] >> 8 if codes else 0
        for i, n in enumerate(codes):
            if n >> 8 != subset:
                out.append((subset, bytes([c & 0xFF for c in codes[start:i]])))
                start, subset = i, n >> 8
        if codes:
            out.append((subset, bytes([c & 0xFF for c in codes[start:]])))
        return out
    return font.splitString(text, doc)


class GridText:
    """Measures and draws text of one role and size with per-character fallback fonts."""

    def __init__(self, fonts: FontSet, role: str, size: float, missing: set[str],
                 substituted: dict[str, tuple[str, FontFace]] | None = None) -> None:
        self.fonts = fonts
        self.role = role
        self.size = size
        self.missing = missing  # characters no font has (shared with the render's report)
        # character → (role, face) printed in another face than the role's (shared likewise)
        self.substituted = substituted if substituted is not None else {}
        self.main = fonts[role]
        self._cmap = register(self.main).face.charToGlyph
        key = (role, self.main, fonts.chain(role))
        self._face_of = _FACE_OF.setdefault(key, {})
        self._absent = _ABSENT.setdefault(key, set())
        self._plain = _PLAIN.setdefault(key, set())
        self._main_name = self.main.rl_name
        self._width: dict[str, float] = {}
        self._tf = ""  # "<size> Tf <leading> TL", as reportlab's text object writes it
        self._names_doc = None
        self._names: dict[tuple[str, int], str] = {}

    def face(self, ch: str) -> FontFace:
        face = self._face_of.get(ch)
        if face is None:
            if ch.isspace() or ord(ch) in self._cmap:
                face = self.main
                self._plain.add(ch)
            else:
                found = font_for(self.fonts, self.role, ch)
                if found is None:
                    face = self.main  # printed as the font's blank glyph, and reported
                    self._absent.add(ch)
                else:
                    register(found)
                    face = found
            self._face_of[ch] = face
        if ch in self._absent:
            self.missing.add(ch)
        elif face != self.main:
            self.substituted[ch] = (self.role, face)
        return face

    def char_width(self, ch: str) -> float:
        w = self._width.get(ch)
        if w is None:
            w = self._width[ch] = (250 if ch == " " else self._advance(ch)) * self.size / 1000
        return w

    def _advance(self, ch: str) -> float:
        face = self.face(ch)
        name = face.rl_name
        adv = _ADVANCE.get(name)
        if adv is None:
            adv = _ADVANCE[name] = {}
        w = adv.get(ch)
        if w is None:
            tt = _FACES.get((face.path, face.subfont))
            if tt is None:
                tt = _FACES[face.path, face.subfont] = register(face).face
            w = adv[ch] = tt.charWidths.get(ord(ch), tt.defaultWidth)
        return w

    @property
    def char_widths(self) -> dict[str, float]:
        """The widths of the characters measured so far (``width(c)`` for each key)."""
        return self._width

    def width(self, text: str) -> float:
        # The same additions in the same order either way; the first is the usual one.
        try:
            return sum(map(self._width.__getitem__, text))
        except KeyError:
            return sum(self.char_width(c) for c in text)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(reportlab font name, text) runs of one face each."""
        if text and self._plain.issuperset(text):
            return [(self._main_name, text)]
        out: list[tuple[str, str]] = []
        for ch in text:
            name = self.face(ch).rl_name
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    @staticmethod
    def _segments(text: str, gaps: dict[int, float] | None) -> list[tuple[str, float]]:
        """``text`` cut after each character given extra space (``gaps``: index → space)."""
        if not gaps:
            return [(text, 0.0)]
        out = []
        start = 0
        for i in sorted(gaps):
            out.append((text[start:i + 1], gaps[i]))
            start = i + 1
        out.append((text[start:], 0.0))
        return out

    def draw(self, canv, x: float, y: float, text: str, char_space: float,
             gaps: dict[int, float] | None = None) -> None:
        """Draw one line; a space (as between "2022" and "年") is a quarter em, placed by us
        rather than by the font, whose space may be half an em or more.  ``gaps``: extra
        space after some characters (a justified line widened after its punctuation).

        The operators are those reportlab's text object writes for beginText(x, y),
        setCharSpace, then per part setTextOrigin and per run setFont + textOut (without
        measuring each run to move a cursor nothing reads), written directly: a tenth of
        the render went into the text object's bookkeeping.  :meth:`draw_textobject` is
        that reportlab path; tests/core/test_render_pdf.py checks both give the same PDF."""
        if not canv.bottomup:
            self.draw_textobject(canv, x, y, text, char_space, gaps)
            return
        fp_str = rl_accel.fp_str
        if not self._tf:
            self._tf = f"{fp_str(self.size)} Tf {fp_str(self.size * 1.2)} TL"
        doc = canv._doc
        if self._names_doc is not doc:  # "/F1+0 16 Tf 19.2 TL" per font and subset, for this document
            self._names_doc, self._names = doc, {}
        names = self._names
        code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm", f"{fp_str(char_space)} Tc"]
        pos = x
        for segment, extra in self._segments(text, gaps):
            for i, part in enumerate(segment.split(" ")):
                if i:
                    pos += self.char_width(" ") + char_space
                if not part:
                    continue
                code.append(f"1 0 0 1 {fp_str(pos, y)} Tm")
                for name, run in self.runs(part):
                    font = getFont(name)
                    ops = []
                    current = -1
                    for subset, chunk in split_string(font, run, doc):
                        if subset != current:
                            select = names.get((name, subset))
                            if select is None:
                                select = names[name, subset] = f"{font.getSubsetInternalName(subset, doc)} {self._tf}"
                            ops.append(select)
                            current = subset
                        ops.append(f"({escape_pdf(chunk)}) Tj")
                    code.append(" ".join(ops))
                pos += self.width(part) + char_space * len(part)
            pos += extra
        code.append("ET")
        canv._code.append(" ".join(code))

    def draw_textobject(self, canv, x: float, y: float, text: str, char_space: float,
                        gaps: dict[int, float] | None = None) -> None:
        """:meth:`draw` through reportlab's text object."""
        t = canv.beginText(x, y)
        t.setCharSpace(char_space)
        pos = x
        for segment, extra in self._segments(text, gaps):
            for i, part in enumerate(segment.split(" ")):
                if i:
                    pos += self.char_width(" ") + char_space
                if not part:
                    continue
                t.setTextOrigin(pos, y)
                for name, run in self.runs(part):
                    t.setFont(name, self.size)
                    t._textOut(run)  # textOut, without moving the cursor nothing reads
                pos += self.width(part) + char_space * len(part)
            pos += extra
        canv.drawText(t)


@dataclass
class Grid:
    """The page grid: line pitch and character pitch (GB/T 9704: 22 × 28 on 156 × 225 mm)."""

    width: float
    pitch: float  # line pitch
    char: float  # character pitch
    size: float  # body size
    lines: int = 22  # lines on a page's block

    @property
    def spacing(self) -> float:
        """Character spacing that puts ``size`` glyphs on the ``char`` pitch (slightly negative)."""
        return self.char - self.size


class GridPara(Flowable):
    """One paragraph (or heading, or title) on the grid.

    ``indent`` is in grid characters (2 for body text and headings); ``align`` is justify,
    center or left.  ``lines_per_row`` > 1 (the title at 22 pt) is not needed: every line
    takes one pitch.  ``keep_tail`` lines of the paragraph always travel with ``trailer``
    (the sign-off block), so the seal never stands on a page without text.
    """

    def __init__(self, text: str, gt: GridText, grid: Grid, *, indent: int = 2, align: str = "justify",
                 pitch: float | None = None, lines: list[Line] | None = None, trailer: Flowable | None = None,
                 keep_tail: int = 2, continued: bool = False) -> None:
        super().__init__()
        self.text = text
        self.gt = gt
        self.grid = grid
        self.indent = indent
        self.align = align
        self.row = pitch or grid.pitch
        self.trailer = trailer
        self.keep_tail = keep_tail
        self.continued = continued  # a continuation after a page break: no first-line indent
        self._lines = lines

    # grid spacing at this size: the title keeps its own natural spacing
    @property
    def _spacing(self) -> float:
        return self.grid.spacing if self.gt.size == self.grid.size else 0.0

    def min_lines(self) -> int:
        """The fewest of its lines this paragraph can leave on a page: two, or all of a
        paragraph of three or fewer (split, it would leave one line alone)."""
        n = len(self.lines())
        return n if n <= 3 else 2

    def lines(self) -> list[Line]:
        if self._lines is None:
            first = self.grid.width - self.indent * self.grid.char
            self._lines = break_lines(self.text, self.gt.width, lambda i: first if i == 0 else self.grid.width,
                                      spacing=self._spacing, char_widths=self.gt.char_widths, em=self.gt.size,
                                      justify=self.align == "justify")
        return self._lines

    @property
    def page_height(self) -> float:
        """The block's height: the grid's lines (22 at the body's pitch)."""
        return self.grid.lines * self.grid.pitch

    def _trailer_height(self, avail_width: float) -> float:
        if self.trailer is None:
            return 0.0
        return self.trailer.wrap(avail_width, 10_000)[1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self.width = availWidth
        self.height = len(self.lines()) * self.row + self._trailer_height(availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self.lines()
        fit = int((availHeight + 0.5) // self.row)
        if self.trailer is not None:
            tail = self._trailer_height(availWidth)
            if len(lines) * self.row + tail <= availHeight + 0.5:
                return [self]
            if self.keep_tail * self.row + tail > self.page_height + 0.5:
                # the kept lines and the trailer never fit one page: the text, then the trailer
                plain = GridPara(self.text, self.gt, self.grid, indent=self.indent, align=self.align, pitch=self.row,
                                 lines=lines, continued=self.continued)
                if len(lines) * self.row <= availHeight + 0.5:
                    return [plain, self.trailer]
                parts = plain.split(availWidth, availHeight)
                return [*parts, self.trailer] if parts else []
            fit = min(fit, len(lines) - self.keep_tail)
        if fit >= len(lines) and self.trailer is None:
            return []
        # No single line of a paragraph alone at the foot of a page (orphan) or at the head
        # of the next (widow): give the page one line less, or move the paragraph on.
        if len(lines) - fit == 1:
            fit -= 1
        if fit == 1 and len(lines) > 1:
            fit = 0
        if fit <= 0:
            return []
        head = GridPara(self.text, self.gt, self.grid, indent=self.indent, align=self.align, pitch=self.row,
                        lines=lines[:fit], continued=self.continued)
        rest = GridPara(self.text, self.gt, self.grid, indent=self.indent, align=self.align, pitch=self.row,
                        lines=lines[fit:], trailer=self.trailer, keep_tail=self.keep_tail, continued=True)
        return [head, rest]

    def draw(self) -> None:
        canv = self.canv
        gt = self.gt
        size = gt.size
        # Baseline inside the line cell: glyph box (ascent ≈ 0.88 em) centred in the pitch.
        base = (self.row - size) / 2 + size * 0.88
        y = self.height
        for n, line in enumerate(self.lines()):
            y_line = y - n * self.row - base
            first = n == 0 and not self.continued
            x0 = self.indent * self.grid.char if first else 0.0
            avail = self.width - x0
            spacing = self._spacing
            natural = gt.width(line.text)
            if self.align == "center":
                gap = (self.width - (natural + spacing * max(line.chars - 1, 0))) / 2
                gt.draw(canv, max(gap, 0.0), y_line, line.text, spacing)
            elif line.chars > 1 and (self.align == "justify" and not line.last
                                     or natural + spacing * (line.chars - 1) > avail + 0.01):
                # Justified, or a line that had to keep a mark with it squeezed into the block.
                cs, gaps = justification(line.text, avail - natural, spacing, size)
                gt.draw(canv, x0, y_line, line.text, cs, gaps)
            else:
                gt.draw(canv, x0, y_line, line.text, spacing)
        if self.trailer is not None:
            self.trailer.drawOn(canv, 0, 0)
