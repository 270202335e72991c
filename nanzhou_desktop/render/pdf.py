"""The printed report: a GB/T 9704-2012 PDF by reportlab.

Page: A4, 37 mm top and 28 mm left margins, a 156 × 225 mm text block holding 22 lines of
28 characters of 3号 (16 pt) body text.  The narrative is walked through
:func:`nanzhou_desktop.narrative.blocks`, so numbering is the same as in the window and the
Word copy.  After the body: the sign-off (unit and 成文日期, room for the seal, kept with the
last lines of text), the 附注 line, then the annex 部门整体支出绩效自评表 on landscape
pages with a chart and the QR code that carries the full content fingerprint.

Every page carries a small line with unit, year, revision and the start of the fingerprint;
a draft carries a red 草稿 mark on every page.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.money import format_money, format_rate
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render import rlfast, table_data
from nanzhou_desktop.render.fonts import FontError, FontSet, find_fonts, font_for, prepare, register
from nanzhou_desktop.render.grid import Grid, GridPara, GridText
from nanzhou_desktop.render.linebreak import Line, break_lines, patch_reportlab
from nanzhou_desktop.render.output import OutputError, atomic_write
from nanzhou_desktop.render.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from nanzhou_desktop.render.stamp import QrFlowable, page_stamp, qr_payload
from nanzhou_desktop.rules.findings import CheckResult

# -- GB/T 9704 geometry -----------------------------------------------------------------
PAGE_W, PAGE_H = A4
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm
BLOCK_W = 156 * mm
BLOCK_H = 225 * mm
BLOCK_BOTTOM = PAGE_H - MARGIN_TOP - BLOCK_H  # 35 mm
LINES, CHARS = 22, 28
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
PAGE_NO_SIZE = 14.0  # 4号
PAGE_NO_GAP = 7 * mm  # 一字线 top 7 mm below the block
STAMP_SIZE = 7.0
GRID = Grid(width=BLOCK_W, pitch=BLOCK_H / LINES, char=BLOCK_W / CHARS, size=BODY_SIZE)

# The annex: landscape A4, a wider block with the same page furniture.
ANNEX_W, ANNEX_H = landscape(A4)
ANNEX_MARGIN_X = 20 * mm
ANNEX_MARGIN_TOP = 22 * mm
ANNEX_MARGIN_BOTTOM = 25 * mm
ANNEX_FRAME_H = ANNEX_H - ANNEX_MARGIN_TOP - ANNEX_MARGIN_BOTTOM
TABLE_SIZE = 10.5  # 五号

ProgressFn = Callable[[int, int], None]
_MARKUP_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(ch: str) -> str:
    """Escape one character for reportlab's mini-HTML (xml.sax.saxutils would pull in
    urllib.request: ~30 ms of imports on every print)."""
    return _MARKUP_ESCAPES.get(ch, ch)


class RenderError(RuntimeError):
    """The PDF could not be written; ``str(err)`` is a Chinese sentence."""


@dataclass
class PdfInfo:
    path: Path
    pages: int
    fonts_used: dict[str, str] = field(default_factory=dict)  # role → "family (file)"
    missing_chars: set[str] = field(default_factory=set)  # characters no font could print
    # characters printed in another face than their role's: char → (role, family)
    substituted: dict[str, tuple[str, str]] = field(default_factory=dict)
    fingerprint: str = ""
    qr_payload: str = ""


def chinese_date(iso: str) -> str:
    """'2023-03-15' → '2023年3月15日' (no zero padding); '' when empty or unreadable."""
    try:
        d = _dt.date.fromisoformat(iso.strip())
    except ValueError:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


# -- the document -------------------------------------------------------------------------

class _Doc(BaseDocTemplate):
    def __init__(self, filename: str, progress: ProgressFn | None, total: int, **kw) -> None:
        super().__init__(filename, **kw)
        self._progress = progress
        self._total = total
        self._done = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab API
        if self._progress is not None:
            self._done += 1
            self._progress(min(self._done, self._total), self._total)


class _Renderer:
    def __init__(self, report: Report, result: CheckResult, fonts: FontSet) -> None:
        self.report = report
        self.result = result
        self.fonts = fonts
        self.missing: set[str] = set()
        self.substituted: dict[str, tuple] = {}
        self.fp = fingerprint(report)
        self.payload = qr_payload(report, self.fp)
        self.body = GridText(fonts, "body", BODY_SIZE, self.missing, self.substituted)
        self.title = GridText(fonts, "title", TITLE_SIZE, self.missing, self.substituted)
        self.h1 = GridText(fonts, "heading1", BODY_SIZE, self.missing, self.substituted)
        self.h2 = GridText(fonts, "heading2", BODY_SIZE, self.missing, self.substituted)
        for role in ("page_number",):
            register(fonts[role])
        self.body_font = fonts["body"].rl_name
        self.stamp_text = page_stamp(report, self.fp)
        self.small = GridText(fonts, "body", STAMP_SIZE, self.missing, self.substituted)
        self._cell_text: dict[tuple[str, float], GridText] = {}

    # -- page furniture ----------------------------------------------------------------
    def _furniture(self, canv, doc, page_w: float, block_left: float, block_right: float,
                   block_bottom: float, top: float) -> None:
        canv.saveState()
        n = canv.getPageNumber() - (1 if self.report.cover else 0)  # a cover page is not numbered
        # Page number "— n —": odd pages at the right, even pages at the left, one character in.
        text = f"— {n} —"
        pn = self.fonts["page_number"]
        y = block_bottom - PAGE_NO_GAP - PAGE_NO_SIZE * 0.8
        canv.setFont(pn.rl_name, PAGE_NO_SIZE)
        if n < 1:
            pass
        elif n % 2:
            canv.drawRightString(block_right - PAGE_NO_SIZE, y, text)
        else:
            canv.drawString(block_left + PAGE_NO_SIZE, y, text)
        # Unit · year · revision · fingerprint, small and grey, at the foot.
        canv.setFillColor(colors.Color(0.35, 0.35, 0.35))
        width = self.small.width(self.stamp_text)
        self.small.draw(canv, (page_w - width) / 2, 10 * mm, self.stamp_text, 0)
        if self.report.status == Status.DRAFT:
            self._draft_mark(canv, block_right, top)
        canv.restoreState()

    def _draft_mark(self, canv, right: float, top: float) -> None:
        size = 18.0
        face = self.fonts["heading1"].rl_name
        w = size * 2 + 10
        h = size + 8
        x = right - w
        y = top - h
        canv.setStrokeColor(colors.red)
        canv.setFillColor(colors.red)
        canv.setLineWidth(1.5)
        canv.rect(x, y, w, h, stroke=1, fill=0)
        canv.setFont(face, size)
        canv.drawCentredString(x + w / 2, y + 6.5, "草稿")

    def on_portrait(self, canv, doc) -> None:
        self._furniture(canv, doc, PAGE_W, MARGIN_LEFT, MARGIN_LEFT + BLOCK_W, BLOCK_BOTTOM, PAGE_H - 12 * mm)

    def on_landscape(self, canv, doc) -> None:
        self._furniture(canv, doc, ANNEX_W, ANNEX_MARGIN_X, ANNEX_W - ANNEX_MARGIN_X, ANNEX_MARGIN_BOTTOM,
                        ANNEX_H - 6 * mm)

    # -- body ------------------------------------------------------------------------
    def _title(self) -> list[Flowable]:
        """The title centred, its lines balanced (no lone "处" on a line of its own)."""
        text = self.report.display_title
        lines = None
        if self.title.width(text) > BLOCK_W:
            lines = self._title_lines(text)
        paras: list[Flowable] = [GridPara(text, self.title, GRID, indent=0, align="center", lines=lines)]
        paras.append(Spacer(BLOCK_W, GRID.pitch))  # one empty line under the title
        return paras

    def _title_lines(self, text: str) -> list[Line] | None:
        """Two lines broken at a word boundary (after 年度 / 人民政府 / the unit name, before
        部门整体…) when one fits, the most even one winning; else balanced greedy lines."""
        unit = self.report.unit.full_name
        cuts = set()
        for word in ("年度", "人民政府", "办事处", unit):
            at = text.find(word) if word else -1
            if at >= 0:
                cuts.add(at + len(word))
        for word in ("部门整体", "整体支出"):
            at = text.find(word)
            if at > 0:
                cuts.add(at)
        best = None
        for cut in sorted(cuts):
            a, b = text[:cut], text[cut:]
            if not a or not b:
                continue
            wa, wb = self.title.width(a), self.title.width(b)
            if wa <= BLOCK_W and wb <= BLOCK_W and (best is None or abs(wa - wb) < best[0]):
                best = (abs(wa - wb), [Line(a, wa, len(a), False), Line(b, wb, len(b), True)])
        if best is not None:
            return best[1]
        total = self.title.width(text)
        n_lines = len(break_lines(text, self.title.width, lambda i: BLOCK_W))
        limit = total / n_lines
        while limit <= BLOCK_W:
            lines = break_lines(text, self.title.width, lambda i, lim=limit: lim)
            if len(lines) <= n_lines:
                return lines
            limit += TITLE_SIZE / 2
        return None

    def _cover(self, fields: list) -> list[Flowable]:
        """The cover page of a template with cover fields (评价年度、评价单位（公章）、填报日期 …):
        the title a third of the way down, each field on a line of its own below it, a blank line
        to write on where a field is empty; then the body begins on the next page."""
        story: list[Flowable] = [Spacer(BLOCK_W, GRID.pitch * 4)]
        story += self._title()
        story.append(Spacer(BLOCK_W, GRID.pitch * 3))
        label_w = max(self.body.width(f"{b.lead}：") for b in fields)
        indent = max(2, round((BLOCK_W - label_w - 14 * GRID.char) / 2 / GRID.char))  # the block roughly centred
        for b in fields:
            story.append(GridPara(f"{b.lead}：{b.text or '＿＿＿＿＿＿＿＿＿＿'}", self.body, GRID, indent=indent,
                                  align="left"))
            story.append(Spacer(BLOCK_W, GRID.pitch))
        story.append(PageBreak())
        return story

    def body_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        bl = blocks(self.report)
        cover = [b for b in bl if b.kind == "cover"]
        if cover:  # the title stands on the cover; the body starts with 前言 or 一、
            story += self._cover(cover)
            bl = [b for b in bl if b.kind not in ("title", "cover")]
        # A heading (or a run of headings) must have at least two lines of text under it on
        # the same page; CondPageBreak before the run moves it to the next page otherwise.
        made: dict[int, GridPara] = {}  # paragraphs already laid out to measure a heading's need
        i = 0
        while i < len(bl):
            b = bl[i]
            if b.kind == "title":
                story += self._title()
                i += 1
                continue
            if b.kind == "heading":
                run = []
                while i < len(bl) and bl[i].kind == "heading":
                    run.append(self._heading(bl[i]))
                    i += 1
                need = sum(len(h.lines()) for h in run) * GRID.pitch
                if i < len(bl):
                    nxt = made[i] = self._paragraph(bl[i])
                    need += min(len(nxt.lines()), 2) * GRID.pitch
                story.append(CondPageBreak(need + 0.5))
                story += run
                continue
            story.append(made.pop(i, None) or self._paragraph(b))
            i += 1
        return story

    def _heading(self, b) -> GridPara:
        gt = {1: self.h1, 2: self.h2}.get(b.level, self.body)
        return GridPara(f"{b.number}{b.text}", gt, GRID, indent=2)

    def _paragraph(self, b) -> GridPara:
        return GridPara(b.full_text, self.body, GRID, indent=2)

    # -- sign-off ----------------------------------------------------------------------
    def signoff(self) -> Flowable:
        return _SignOff(self)

    # -- annex -------------------------------------------------------------------------
    def _cell(self, text: str, size: float = TABLE_SIZE, *, align: str = "left",
              bold_face: str | None = None) -> Flowable:
        """A table cell laid out by our own 禁则 breaker (reportlab's hangs at most one mark and
        then starts a line with the next) and printed with per-character fallback fonts."""
        key = ("heading1" if bold_face else "body", size)
        gt = self._cell_text.get(key)
        if gt is None:
            gt = self._cell_text[key] = GridText(self.fonts, key[0], size, self.missing, self.substituted)
        return CellText(text, gt, align)

    def _markup(self, text: str, role: str) -> str:
        """Escape for reportlab's mini-HTML and switch to a fallback font for characters the
        role's face lacks, so a table cell never shows a box."""
        out = []
        main = self.fonts[role]
        for ch in text:
            if ch.isspace() or ord(ch) < 128:
                out.append(escape(ch))
                continue
            face = font_for(self.fonts, role, ch)
            if face is None:
                self.missing.add(ch)
                out.append(escape(ch))
            elif face != main:
                self.substituted[ch] = (role, face)
                register(face)
                out.append(f'<font face="{face.rl_name}">{escape(ch)}</font>')
            else:
                out.append(escape(ch))
        return "".join(out)

    def _table(self, data: list[list], widths: list[float], *, header_rows: int = 1,
               extra: list[tuple] | None = None) -> Table:
        # A row taller than most of a page (a very long 偏差原因) cannot move on whole and must
        # split inside itself; otherwise keep rows whole (splitting them leaves slivers).
        tallest = 0.0
        for row in data:
            for cell, w in zip(row, widths, strict=False):
                if isinstance(cell, Flowable):
                    tallest = max(tallest, cell.wrap(w - 6, ANNEX_FRAME_H)[1] + 6)
        t = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT",
                  splitInRow=1 if tallest > ANNEX_FRAME_H * 0.6 else 0)
        style = [("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92))] if header_rows else []
        style += [
            ("FONTNAME", (0, 0), (-1, -1), self.body_font),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        t.setStyle(TableStyle(style + (extra or [])))
        return t

    def annex_story(self) -> list[Flowable]:
        r = self.report
        data = table_data.build(r, self.result)
        width = ANNEX_W - 2 * ANNEX_MARGIN_X
        hc = lambda s: self._cell(s, align="center", bold_face=self.fonts["heading1"].rl_name)  # noqa: E731
        c = self._cell
        num = lambda s: self._cell(s, align="right")  # noqa: E731
        story: list[Flowable] = [NextPageTemplate("annex"), PageBreak()]
        story.append(Paragraph(self._markup("附件", "heading1"), ParagraphStyle(
            "annex-label", fontName=self.fonts["heading1"].rl_name, fontSize=BODY_SIZE, leading=22)))
        story.append(Paragraph(self._markup(f"{r.year}年度{r.template.table.title}", "title"), ParagraphStyle(
            "annex-title", fontName=self.fonts["title"].rl_name, fontSize=18, leading=26, alignment=1)))
        story.append(Table(
            [[c(f"单位名称（盖章）：{r.unit.full_name}"), c("金额单位：万元", align="right")]],
            colWidths=[width * 0.7, width * 0.3], hAlign="LEFT",
            style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                   ("FONTNAME", (0, 0), (-1, -1), self.body_font)]))
        story.append(Spacer(width, 3))

        def cells(cols: list, texts: list[str]) -> list[Flowable]:
            return [num(t) if col.numeric else c(t, align="center" if col.field in ("direction", "unit") else "left")
                    for col, t in zip(cols, texts, strict=True)]

        # 预算执行情况, 重点项目, 绩效指标: the columns of the report's template
        cols = table_data.columns(r, "budget")
        w = [width * col.share for col in cols]
        rows = [[hc(col.header) for col in cols]]
        rows += [cells(cols, [table_data.money_cell(m, col.field) for col in cols]) for m in data.budget]
        story.append(self._table(rows, w))
        story.append(Spacer(width, 6))

        cols = table_data.columns(r, "projects")
        if data.projects and cols:
            w = [width * col.share for col in cols]
            rows = [[hc(col.header) for col in cols]]
            rows += [cells(cols, [table_data.money_cell(m, col.field) for col in cols]) for m in data.projects]
            story.append(self._table(rows, w))
            story.append(Spacer(width, 6))
        chart = self._chart(width)
        if chart is not None:
            story.append(chart)

        # 绩效指标: 一级/二级 cells merged over their rows.
        cols = table_data.columns(r, "indicators")
        fields = [col.field for col in cols]
        w = [width * col.share for col in cols]
        rows = [[hc(col.header) for col in cols]]
        rows += [cells(cols, [table_data.indicator_cell(ind, f) for f in fields]) for ind in data.indicators]
        extra: list[tuple] = []
        l1 = [i.level1 for i in data.indicators]
        l2 = [f"{i.level1}\x00{i.level2}" for i in data.indicators]
        for name, values in (("level1", l1), ("level2", l2)):
            if name in fields:
                col = fields.index(name)
                for a, b in table_data.spans(values):
                    if b > a:
                        extra.append(("SPAN", (col, a + 1), (col, b + 1)))
        n = len(rows)
        total_row, span_to = table_data.total_row(data, fields)
        rows.append([hc(t) if k == 0 else (num(t) if cols[k].numeric else c(t)) for k, t in enumerate(total_row)])
        if span_to > 0:
            extra.append(("SPAN", (0, n), (span_to, n)))
        story.append(self._table(rows, w, extra=extra))
        story.append(Spacer(width, 4))
        # The signature row and the QR never stand alone on a page: the last 其他出错说明 (or the
        # whole block when it has one) goes over with them when they do not fit.
        with_footer: list[Flowable] = []
        if data.other_explanations:
            rows = [[hc("其他出错说明")]] + [[c(t)] for t in data.other_explanations]
            if len(rows) > 2:
                story.append(self._table(rows[:-1], [width]))
                rows = rows[-1:]
            with_footer += [self._table(rows, [width], header_rows=len(rows) - 1), Spacer(width, 6)]

        # Signature row: blank lines to sign on when a name is not filled, never invented.
        s = r.signoff
        # An empty name leaves the cell empty: the box is where the person signs.
        phone = "、".join(p for p in (s.phone_office, s.phone_mobile) if p)
        # Label on one line, the value under it: side by side the narrow cells broke names
        # and dates in two ("王/五", "2023/年3月10日").
        sig = [[[c(label), c(value)] if value else [c(label)] for label, value in (
            ("单位负责人：", s.head), ("财务负责人：", s.finance_head), ("填报人：", s.preparer),
            ("联系电话：", phone), ("填报日期：", chinese_date(s.fill_date) or "　　年　　月　　日"),
            ("单位（盖章）", ""))]]
        sig_w = width * 0.62
        # 填报日期 is the widest value: the blank "　　年　　月　　日" is nine characters, and in
        # a narrower cell its "日" wrapped onto a line of its own.  The names' cells keep room
        # for a six-character label (单位负责人：) and 填报人 for a four-character name.
        sig_table = Table(sig, colWidths=[sig_w * f for f in (0.16, 0.16, 0.12, 0.17, 0.23, 0.16)],
                          rowHeights=[24 * mm], hAlign="LEFT",
                          style=[("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                 ("FONTNAME", (0, 0), (-1, -1), self.body_font)])
        qr = QrFlowable(self.payload, 26 * mm, [
            "报告核对码（扫描后与报送的报告文件核对）",
            f"单位：{r.unit.full_name}",
            f"年度：{r.year}　修订号：{r.revision}",
            "内容指纹（SHA-256）：",
            self.fp[:32],
            self.fp[32:],
        ], self.body_font, 7.5)
        footer = Table([[sig_table, qr]], colWidths=[sig_w + 4 * mm, width - sig_w - 4 * mm], hAlign="LEFT",
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                              ("FONTNAME", (0, 0), (-1, -1), self.body_font)])
        story.append(KeepTogether([*with_footer, footer]))
        return story

    def _chart(self, width: float) -> Flowable | None:
        """Budget against execution, for the total and each key project."""
        items = [(m.label, m.budget_total, m.executed) for m in table_data.build(self.report, self.result).budget[:1]]
        items += [(p.name, p.budget_total, p.executed) for p in self.report.projects]
        items = [(n, b, e) for n, b, e in items if b is not None and e is not None]
        if not items:
            return None
        for name, _, _ in items:
            self._markup(name, "body")  # records characters no font has
        return BarChart(items, width, 58 * mm, self.body, self.fonts["heading1"].rl_name)


class CellText(Flowable):
    """Text in a table cell, wrapped to the cell's width by :func:`break_lines`."""

    def __init__(self, text: str, gt: GridText, align: str = "left") -> None:
        super().__init__()
        self.text = text
        self.gt = gt
        self.align = align
        self.leading = gt.size * 1.3
        self._lines: list[Line] = []
        self._for_width = -1.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        if availWidth != self._for_width and self.text:
            self._for_width = availWidth
            self._lines = [ln for part in self.text.split("\n")
                           for ln in break_lines(part, self.gt.width, lambda i: availWidth,
                                                 char_widths=self.gt.char_widths)] if self.text else []
        self.width = availWidth
        self.height = max(len(self._lines), 1) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        parts = []
        for chunk in (self._lines[:fit], self._lines[fit:]):
            part = CellText("", self.gt, self.align)
            part._lines, part._for_width = chunk, availWidth
            parts.append(part)
        return parts

    def draw(self) -> None:
        size = self.gt.size
        y = self.height - (self.leading - size) / 2 - size * 0.88
        for ln in self._lines:
            natural = self.gt.width(ln.text)
            if natural > self.width and ln.chars > 1:  # kept a mark with it: squeeze into the cell
                self.gt.draw(self.canv, 0, y, ln.text, (self.width - natural) / (ln.chars - 1))
            else:
                x = {"left": 0.0, "center": (self.width - natural) / 2, "right": self.width - natural}[self.align]
                self.gt.draw(self.canv, x, y, ln.text, 0)
            y -= self.leading


class BarChart(Flowable):
    """A grouped bar chart drawn with plain canvas calls: reportlab.graphics would add ~80 ms
    of imports to every print for one chart.  Coordinates are floats (drawing only); the
    figures printed on it are formatted from the Decimals."""

    BUDGET = colors.Color(0.55, 0.65, 0.8)
    EXECUTED = colors.Color(0.85, 0.45, 0.3)

    def __init__(self, items: list, width: float, height: float, text: GridText, title_font: str) -> None:
        super().__init__()
        self.items = items
        self.width = width
        self.height = height
        self.text = text
        self.title_font = title_font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        return self.width, self.height

    @staticmethod
    def _step(top: float) -> float:
        raw = top / 4 or 1
        mag = 10 ** len(str(int(raw))) / 10
        for m in (1, 2, 2.5, 5, 10):
            if raw <= m * mag:
                return m * mag
        return 10 * mag

    def _label(self, x: float, y: float, text: str, size: float, *, centre: bool = False, right: bool = False) -> None:
        gt = GridText(self.text.fonts, "body", size, self.text.missing, self.text.substituted)
        w = gt.width(text)
        gt.draw(self.canv, x - w / 2 if centre else x - w if right else x, y, text, 0)

    def draw(self) -> None:
        c = self.canv
        left, bottom = 45.0, 22.0
        plot_w, plot_h = self.width * 0.55, self.height - 48
        top_value = max(max(float(b), float(e)) for _, b, e in self.items) * 1.12
        step = self._step(top_value)
        scale = plot_h / top_value
        c.saveState()
        c.setFont(self.title_font, 10)
        c.drawString(left, self.height - 12, "预算执行情况对比（万元）")
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.black)
        c.line(left, bottom, left, bottom + plot_h)
        c.line(left, bottom, left + plot_w, bottom)
        v = 0.0
        while v <= top_value:
            y = bottom + v * scale
            c.line(left - 3, y, left, y)
            self._label(left - 5, y - 3, f"{v:,.0f}", 8, right=True)
            v += step
        group = plot_w / len(self.items)
        bar = group * 0.4
        for i, (name, budget, executed) in enumerate(self.items):
            x0 = left + i * group + group * 0.1
            for j, (value, colour) in enumerate(((budget, self.BUDGET), (executed, self.EXECUTED))):
                h = float(value) * scale
                c.setFillColor(colour)
                c.rect(x0 + j * bar, bottom, bar, h, stroke=1, fill=1)
                c.setFillColor(colors.black)
                self._label(x0 + j * bar + bar / 2, bottom + h + 3, format_money(value), 8, centre=True)
            self._label(left + i * group + group / 2, bottom - 13, name, 9, centre=True)
        lx = left + plot_w + 30
        ly = self.height - 30
        for k, (colour, text) in enumerate(((self.BUDGET, "全年预算数"), (self.EXECUTED, "全年执行数"))):
            c.setFillColor(colour)
            c.rect(lx, ly - k * 16, 9, 9, stroke=1, fill=1)
            c.setFillColor(colors.black)
            self._label(lx + 14, ly - k * 16 + 1, text, 9)
        rates = "；".join(f"{n}执行率 {format_rate(e * 100 / b) if b else '—'}" for n, b, e in self.items)
        self._label(lx, ly - 40, rates, 9)
        c.restoreState()


class _SignOff(Flowable):
    """Unit name centred over the 成文日期, the date four characters in from the right, room
    for the seal above them, and the 附注 line below.  Travels with the last lines of text."""

    ROOM_LINES = 2  # empty lines between the text and the unit name: the seal's upper half

    def __init__(self, r: _Renderer) -> None:
        super().__init__()
        self.r = r
        s = r.report.signoff
        self.date = chinese_date(s.issue_date)
        contact = s.preparer or "＿＿＿＿＿＿"
        phone = "、".join(p for p in (s.phone_office, s.phone_mobile) if p) or "＿＿＿＿＿＿＿＿"
        self.note = f"（联系人：{contact}，联系电话：{phone}）"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = (self.ROOM_LINES + 3) * GRID.pitch
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        gt = self.r.body
        pitch = GRID.pitch
        base = (pitch - BODY_SIZE) / 2 + BODY_SIZE * 0.88
        sp = GRID.spacing
        right = self.width - 4 * GRID.char
        date = self.date or "　　　　年　　月　　日"  # blank to write the date by hand
        date_w = gt.width(date) + sp * (len(date) - 1)
        date_x = right - date_w
        unit = self.r.report.unit.full_name
        unit_w = gt.width(unit) + sp * (len(unit) - 1)
        unit_x = date_x + date_w / 2 - unit_w / 2
        # A long unit name cannot centre over the date without leaving the block: keep two
        # characters from the right edge instead (the standard allows moving the name).
        unit_x = max(0.0, min(unit_x, self.width - 2 * GRID.char - unit_w))
        top = self.height
        y_unit = top - (self.ROOM_LINES + 1) * pitch + (pitch - base)
        gt.draw(canv, unit_x, y_unit, unit, sp)
        gt.draw(canv, date_x, y_unit - pitch, date, sp)
        gt.draw(canv, 2 * GRID.char, y_unit - 2 * pitch, self.note, sp)


def render_pdf(report: Report, out_path: str | os.PathLike[str], *, result: CheckResult | None = None,
               progress: ProgressFn | None = None, fonts: FontSet | None = None) -> PdfInfo:
    """Write the report's PDF to ``out_path`` (atomically: a half-written file never replaces
    a good one) and say what was used.  Raises :class:`RenderError` with a Chinese message."""
    patch_reportlab()
    rlfast.install()
    # Binary streams (no ASCII85 layer): 20 % smaller and ~20 ms faster; every reader copes.
    rl_config.useA85 = 0
    if result is None:
        from nanzhou_desktop.rules import check

        result = check(report)
    fonts = fonts or find_fonts()
    try:
        prepare(fonts)  # the first print with a CFF face converts it (once)
    except FontError as exc:
        raise RenderError(str(exc)) from exc
    r = _Renderer(report, result, fonts)
    body = r.body_story()
    # The last paragraph carries the sign-off, so the seal never stands on an empty page.
    last = next((i for i in range(len(body) - 1, -1, -1) if isinstance(body[i], GridPara)), None)
    if last is not None:
        p = body[last]
        body[last] = GridPara(p.text, p.gt, p.grid, indent=p.indent, align=p.align, trailer=r.signoff())
    else:
        body.append(r.signoff())
    story = body + r.annex_story()

    doc_box: list[_Doc] = []

    def write(tmp: str) -> None:
        doc = _Doc(tmp, progress, len(story), pagesize=A4, title=report.display_title,
                   author=report.unit.full_name, subject=f"内容指纹 {r.fp}", creator="nanzhou-desktop",
                   leftMargin=MARGIN_LEFT, rightMargin=PAGE_W - MARGIN_LEFT - BLOCK_W,
                   topMargin=MARGIN_TOP, bottomMargin=BLOCK_BOTTOM,
                   initialFontName=r.body_font)  # else reportlab lists an unused Helvetica
        portrait = PageTemplate("body", [Frame(MARGIN_LEFT, BLOCK_BOTTOM, BLOCK_W, BLOCK_H, 0, 0, 0, 0, id="block")],
                                onPage=r.on_portrait, pagesize=A4)
        annex_frame = Frame(ANNEX_MARGIN_X, ANNEX_MARGIN_BOTTOM, ANNEX_W - 2 * ANNEX_MARGIN_X,
                            ANNEX_H - ANNEX_MARGIN_TOP - ANNEX_MARGIN_BOTTOM, 0, 0, 0, 0, id="annex")
        annex = PageTemplate("annex", [annex_frame], onPage=r.on_landscape, pagesize=(ANNEX_W, ANNEX_H))
        doc.addPageTemplates([portrait, annex])
        doc.build(story)
        doc_box.append(doc)

    try:
        out = atomic_write(out_path, write, what=" PDF ")
    except OutputError as exc:
        raise RenderError(str(exc)) from exc
    doc = doc_box[0]
    substituted = {ch: (role, face.family) for ch, (role, face) in r.substituted.items()}
    return PdfInfo(out, doc.page, fonts.used(), set(r.missing), substituted, r.fp, r.payload)
