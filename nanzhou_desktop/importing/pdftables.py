"""What a PDF page holds, through pdfium (pypdfium2): its text runs with their boxes, and its
ruled tables rebuilt from the lines drawn around their cells.

A table is a group of ruled lines that touch: its column edges are where its vertical lines
stand, its row edges where its horizontal ones do.  A cell with no line between it and the cell
above is merged with it (the 一级指标 and 二级指标 cells a 自评表 spans over several rows); its
text goes in its top-left cell and the cells it covers are left empty, which is how a Word table
comes too.  A text run belongs to the cell its centre falls in; a cell's runs are read line by
line, so a name wrapped over two lines in a narrow column ("海珠创新湾房屋拆卸完成 / 率") reads whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LINE_THICK = 2.5  # a path thinner than this is a ruled line
JOIN = 2.0  # positions closer than this are the same grid line


class Run:
    """A text run and its box (PDF units, y upwards)."""

    __slots__ = ("x0", "y0", "x1", "y1", "text", "cx", "cy", "size")

    def __init__(self, x0: float, y0: float, x1: float, y1: float, text: str) -> None:
        self.x0, self.y0, self.x1, self.y1, self.text = x0, y0, x1, y1, text
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.size = max(1.0, y1 - y0)


@dataclass
class Seg:
    horizontal: bool
    at: float  # y of a horizontal line, x of a vertical one
    lo: float  # its extent along the other axis
    hi: float


_BUFFER_CHARS = 16384


def page_runs(page: Any) -> list[Run]:
    """The page's text runs (pdfium's text rectangles, each with its text), through pdfium's C
    API with one reused buffer: the wrapped calls cost ~4 times as much on a 20-page report."""
    import ctypes

    import pypdfium2.raw as raw

    buffer = (ctypes.c_ushort * _BUFFER_CHARS)()
    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    textpage = raw.FPDFText_LoadPage(page.raw)
    out: list[Run] = []
    try:
        left, top, right, bottom = (ctypes.c_double() for _ in range(4))
        for i in range(raw.FPDFText_CountRects(textpage, 0, -1)):
            raw.FPDFText_GetRect(textpage, i, ctypes.byref(left), ctypes.byref(top), ctypes.byref(right),
                                 ctypes.byref(bottom))
            n = raw.FPDFText_GetBoundedText(textpage, left.value, top.value, right.value, bottom.value, pointer,
                                            _BUFFER_CHARS)
            text = ctypes.string_at(buffer, 2 * n).decode("utf-16-le", "replace").rstrip("\x00")
            text = text.replace("\r", "").replace("\n", "")
            if text.strip():
                out.append(Run(left.value, bottom.value, right.value, top.value, text))
    finally:
        raw.FPDFText_ClosePage(textpage)
    return out


# ------------------------------------------------------------------------ turned text
# A table set in landscape on a portrait sheet (GB/T 9704-2012 §8, as this app prints its 自评表)
# is drawn turned by 90°.  Its characters are read one by one with their angle, and their boxes
# (and the table's ruled lines) are turned back to an upright frame where the text reads left to
# right and top to bottom; the block is then laid out like any page.
TURNS = {90: (lambda x, y: (-y, x)), 180: (lambda x, y: (-x, -y)), 270: (lambda x, y: (y, -x))}


def turn_of(angle: float) -> int:
    """A character's angle (radians, as pdfium gives it) as 0 / 90 / 180 / 270."""
    import math

    return int(round(math.degrees(angle) / 90.0)) % 4 * 90


def has_turned_text(page: Any) -> bool:
    import pypdfium2.raw as raw

    textpage = raw.FPDFText_LoadPage(page.raw)
    try:
        count = raw.FPDFText_CountChars(textpage)
        return any(turn_of(raw.FPDFText_GetCharAngle(textpage, i)) for i in range(0, count, 5))
    finally:
        raw.FPDFText_ClosePage(textpage)


def turned_runs(page: Any) -> dict[int, list[Run]]:
    """The page's runs by turn (0 upright, 90, 180, 270), each in its upright frame, built
    character by character: consecutive characters of one turn, on one line and close together."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = raw.FPDFText_LoadPage(page.raw)
    out: dict[int, list[Run]] = {}
    try:
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        current: list[Any] = []  # [turn, x0, y0, x1, y1, text]

        def flush() -> None:
            if current and current[5].strip():
                out.setdefault(current[0], []).append(Run(current[1], current[2], current[3], current[4], current[5]))
            current.clear()

        for i in range(raw.FPDFText_CountChars(textpage)):
            ch = chr(raw.FPDFText_GetUnicode(textpage, i))
            if ch in "\r\n":
                flush()
                continue
            turn = turn_of(raw.FPDFText_GetCharAngle(textpage, i))
            raw.FPDFText_GetCharBox(textpage, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                    ctypes.byref(top))
            if turn:
                xa, ya = TURNS[turn](left.value, bottom.value)
                xb, yb = TURNS[turn](right.value, top.value)
                x0, x1, y0, y1 = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
            else:
                x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
            if ch == " " and x1 - x0 < 0.1:  # a generated space: keep it in the run, size it later
                if current:
                    current[5] += " "
                continue
            if current and (current[0] != turn or x0 - current[3] > 0.35 * (y1 - y0 or 1)
                            or abs((y0 + y1) / 2 - (current[2] + current[4]) / 2) > 0.5 * (current[4] - current[2] or 1)):
                flush()
            if not current:
                current.extend([turn, x0, y0, x1, y1, ch])
            else:
                current[1], current[2] = min(current[1], x0), min(current[2], y0)
                current[3], current[4] = max(current[3], x1), max(current[4], y1)
                current[5] += ch
        flush()
    finally:
        raw.FPDFText_ClosePage(textpage)
    return out


def turn_segments(segs: list[Seg], turn: int) -> list[Seg]:
    """Ruled lines turned like the text (a horizontal line becomes a vertical one …)."""
    out: list[Seg] = []
    for s in segs:
        if s.horizontal:
            (xa, ya), (xb, yb) = TURNS[turn](s.lo, s.at), TURNS[turn](s.hi, s.at)
        else:
            (xa, ya), (xb, yb) = TURNS[turn](s.at, s.lo), TURNS[turn](s.at, s.hi)
        if abs(ya - yb) < 0.01:
            out.append(Seg(True, ya, min(xa, xb), max(xa, xb)))
        else:
            out.append(Seg(False, xa, min(ya, yb), max(ya, yb)))
    return out


def page_segments(page: Any) -> list[Seg]:
    """The ruled lines of the page: path objects thinner than a line's width one way."""
    import ctypes

    import pypdfium2.raw as raw

    out: list[Seg] = []
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, ctypes.byref(x0), ctypes.byref(y0), ctypes.byref(x1), ctypes.byref(y1)):
            continue
        w, h = x1.value - x0.value, y1.value - y0.value
        if h <= LINE_THICK and w > 3 * LINE_THICK:
            out.append(Seg(True, (y0.value + y1.value) / 2, x0.value, x1.value))
        elif w <= LINE_THICK and h > 3 * LINE_THICK:
            out.append(Seg(False, (x0.value + x1.value) / 2, y0.value, y1.value))
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= JOIN:
            continue
        out.append(v)
    return out


def _components(segs: list[Seg]) -> list[list[Seg]]:
    """Line segments that touch, grouped (one group a ruled table)."""
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, s in enumerate(segs) if s.horizontal]
    vs = [i for i, s in enumerate(segs) if not s.horizontal]
    for i in hs:
        h = segs[i]
        for j in vs:
            v = segs[j]
            if v.lo - JOIN <= h.at <= v.hi + JOIN and h.lo - JOIN <= v.at <= h.hi + JOIN:
                parent[find(i)] = find(j)
    groups: dict[int, list[Seg]] = {}
    for i in range(len(segs)):
        groups.setdefault(find(i), []).append(segs[i])
    return list(groups.values())


@dataclass
class Grid:
    xs: list[float]  # column edges, left to right
    ys: list[float]  # row edges, top to bottom (PDF y decreasing)
    segs: list[Seg]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[-1], self.xs[-1], self.ys[0]

    def contains(self, r: Run) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= r.cx <= x1 and y0 <= r.cy <= y1

    def _ruled(self, horizontal: bool, at: float, lo: float, hi: float) -> bool:
        mid = (lo + hi) / 2
        return any(s.horizontal == horizontal and abs(s.at - at) <= JOIN and s.lo - JOIN <= mid <= s.hi + JOIN
                   for s in self.segs)

    def rows(self, runs: list[Run]) -> list[list[str]]:
        """The table's rows of cells; a merged cell's text stands in its top-left cell and the
        cells it covers are empty (a vertically merged 一级指标 is inherited by the rows under it)."""
        nr, nc = len(self.ys) - 1, len(self.xs) - 1
        owner = [[(r, c) for c in range(nc)] for r in range(nr)]
        for r in range(nr):
            for c in range(nc):
                # merged with the cell above when no line separates them
                if r > 0 and not self._ruled(True, self.ys[r], self.xs[c], self.xs[c + 1]):
                    owner[r][c] = owner[r - 1][c]
                elif c > 0 and not self._ruled(False, self.xs[c], self.ys[r + 1], self.ys[r]):
                    owner[r][c] = owner[r][c - 1]
        texts: dict[tuple[int, int], list[Run]] = {}
        for run in runs:
            c = next((i for i in range(nc) if self.xs[i] <= run.cx <= self.xs[i + 1]), None)
            r = next((i for i in range(nr) if self.ys[i + 1] <= run.cy <= self.ys[i]), None)
            if r is None or c is None:
                continue
            texts.setdefault(owner[r][c], []).append(run)
        out: list[list[str]] = []
        for r in range(nr):
            row = []
            for c in range(nc):
                if owner[r][c] != (r, c):
                    row.append("")
                    continue
                row.append(_cell_text(texts.get((r, c), [])))
            out.append(row)
        return out


def line_text(runs: list[Run]) -> str:
    """The runs of one line, left to right."""
    return "".join(r.text for r in sorted(runs, key=lambda r: r.x0))


def group_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs in lines, top to bottom: a run is on a line when their heights overlap by 40 % of the
    smaller (a "、" drawn low in its em box, a "·" between words, a digit beside CJK); a small
    run drawn just below a line's baseline ("＿" of a blank to fill) belongs to that line.

    One sweep down the page: only the last few lines can take a run."""
    lines: list[list[Any]] = []  # [y0, y1, runs] — the band of the line's tallest run
    for run in sorted(runs, key=lambda r: -r.cy):
        home = None
        for line in lines[-3:]:
            y0, y1 = line[0], line[1]
            if min(y1, run.y1) - max(y0, run.y0) >= 0.4 * min(y1 - y0, run.size):
                home = line
                break
        if home is None:
            for line in lines[-2:]:
                y0, y1 = line[0], line[1]
                if run.size < 0.5 * (y1 - y0) and y0 - 0.35 * (y1 - y0) <= run.cy <= y1:
                    home = line
                    break
        if home is None:
            lines.append([run.y0, run.y1, [run]])
            continue
        home[2].append(run)
        if run.size > home[1] - home[0]:
            home[0], home[1] = run.y0, run.y1
    lines.sort(key=lambda line: -(line[0] + line[1]))
    return [line[2] for line in lines]


def _cell_text(runs: list[Run]) -> str:
    return "".join(line_text(line).strip() for line in group_lines(runs)).strip()


def grids(segs: list[Seg]) -> list[Grid]:
    out: list[Grid] = []
    for group in _components(segs):
        xs = _cluster([s.at for s in group if not s.horizontal])
        ys = _cluster([s.at for s in group if s.horizontal])
        if len(xs) >= 3 and len(ys) >= 2:  # one ruled row is a table too (the 自评表's signature row)
            out.append(Grid(xs, sorted(ys, reverse=True), group))
    return out
