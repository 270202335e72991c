"""The printed report: a GB/T 9704-2012 PDF by reportlab.

Page: A4, 37 mm top and 28 mm left margins, a 156 × 225 mm text block holding 22 lines of
28 characters of 3号 (16 pt) body text; the page number's 一字线 7 mm below the block
(§7.5).  The narrative is walked through :func:`nanzhou_desktop.narrative.blocks`, so
numbering is the same as in the window and the Word copy.  After the body: the 附件说明
(§7.3.4), the sign-off (unit and 成文日期, room for the seal, kept with the last lines of
text, §7.3.5.1), the 附注 line, then the annex 部门整体支出绩效自评表 (§7.3.7: "附件" on
the block's first line, its title on the third) with a chart and the QR code that carries
the full content fingerprint.

The annex is a landscape table on portrait sheets, as §8 wants for an A4 table set
landscape: its content fills the rotated text block (225 × 156 mm), its head towards the
left edge (the binding side of an odd page, the outer side of an even one), and the page
number stays where it is on every other page.

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
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.money import format_money, format_rate
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.fonts import FontError, FontSet, find_fonts, font_for, ink_box, prepare, register
from nanzhou_desktop.render.grid import Grid, GridPara, GridText
from nanzhou_desktop.render.linebreak import Line, break_lines, patch_reportlab
from nanzhou_desktop.render.output import OutputError, atomic_write
from nanzhou_desktop.render.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from nanzhou_desktop.render.stamp import QrFlowable, page_stamp, qr_payload, qr_unit_name
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
PAGE_NO_GAP = 7 * mm  # the 一字线 of the page number 7 mm below the block (§7.5)
STAMP_SIZE = 7.0
GRID = Grid(width=BLOCK_W, pitch=BLOCK_H / LINES, char=BLOCK_W / CHARS, size=BODY_SIZE)

# The annex: the text block turned a quarter turn (§8), so its lines run up the sheet.
ANNEX_W, ANNEX_H = BLOCK_H, BLOCK_W  # 225 × 156 mm, as the table reads
ANNEX_FRAME_H = ANNEX_H - 0.6  # less a rule: see RULE
ANNEX_GRID = Grid(width=ANNEX_W, pitch=GRID.pitch, char=GRID.char, size=BODY_SIZE)
TABLE_SIZE = 10.5  # 五号
RULE = 0.6  # table lines
# Characters of a name or phone shown in the annex's signature cells; beyond, "…" (a real one
# has a few; the full text of the 联系人 stands in the body's sign-off, and all of it in the file).
SIG_VALUE_CHARS = 40
# The signature cells' shares of their row: each holds its label on one line (单位负责人：, six
# characters) and its value under it; 填报日期 the blank "　　年　　月　　日" (nine characters).
SIG_SHARES = (0.162, 0.162, 0.115, 0.165, 0.235, 0.161)

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


def annex_title(report: Report) -> str:
    """The annex's name (the report's template names its table), the same in the 附件说明 and
    over the annex (§7.3.7)."""
    return f"{report.year}年度{report.template.table.title}"


def annex_note(titles: list[str]) -> list[str]:
    """The 附件说明 (§7.3.4): "附件：" and the name; with several annexes each numbered
    ("附件：1. …", then "2. …" under the first name)."""
    if len(titles) == 1:
        return [f"附件：{titles[0]}"]
    return [f"{'附件：' if i == 0 else ''}{i + 1}. {t}" for i, t in enumerate(titles)]


def cover_blank_lines(room: int, fields: int) -> tuple[int, int, int]:
    """The cover's blank lines above the title, under it and between two fields, when ``room``
    lines of the page are left by the text: 4, 3 and 1 where they fit.  Where they do not (six
    fields of a 湖南 form with a unit name on two lines fill the page; a cover spilling over left
    a blank numbered page), those between the fields go last, then those under the title (down
    to one), then those above it.  The PDF and the Word copy space their covers alike."""
    room = max(room, 0)
    between = 1 if room >= fields else 0  # fields - 1 lines between them and 1 under the title
    room -= between * max(fields - 1, 0)
    under = min(3, max(1, room))
    return min(4, max(0, room - under)), under, between


def title_two_lines(text: str, unit: str, width, block: float) -> tuple[str, str] | None:
    """A title in two lines broken at a word boundary — after 年度, 人民政府, 办事处 or the unit's
    name, before 部门整体 or 整体支出 — both within ``block`` (``width`` measures a string), the
    most even such pair; None when none fits.  The PDF and the Word copy break alike."""
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
        wa, wb = width(a), width(b)
        if wa <= block and wb <= block and (best is None or abs(wa - wb) < best[0]):
            best = (abs(wa - wb), (a, b))
    return best[1] if best is not None else None


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
        self.small = GridText(fonts, "body", STAMP_SIZE, self.missing, self.substituted)
        self.stamp_text = page_stamp(report, self.fp)
        name = report.unit.full_name
        while self.small.width(self.stamp_text) > BLOCK_W and len(name) > 1:  # never past the block
            name = name[:max(1, len(name) * 3 // 4 if len(name) > 40 else len(name) - 1)]
            self.stamp_text = page_stamp(report, self.fp, name + "…")
        self._cell_text: dict[tuple[str, float], GridText] = {}
        self._page_no_y = self.page_number_baseline()
        self._qr_text = GridText(fonts, "body", 6.5, self.missing, self.substituted)
        self.annex_name = annex_title(report)

    # -- page furniture ----------------------------------------------------------------
    def page_number_baseline(self) -> float:
        """Where the page number's baseline goes: the top of its 一字线's ink 7 mm below the
        block (§7.5: 一字线上距版心下边缘 7 mm)."""
        box = ink_box(self.fonts["page_number"], "—")
        dash_top = (box[3] if box else 400.0) * PAGE_NO_SIZE / 1000
        return BLOCK_BOTTOM - PAGE_NO_GAP - dash_top

    def _furniture(self, canv, doc) -> None:
        """Page number, stamp line and draft mark: the same on every sheet, portrait or not."""
        canv.saveState()
        n = canv.getPageNumber() - (1 if self.report.cover else 0)  # a cover page is not numbered
        # Page number "— n —": odd pages at the right, even pages at the left, one character in.
        text = f"— {n} —"
        pn = self.fonts["page_number"]
        y = self._page_no_y
        canv.setFont(pn.rl_name, PAGE_NO_SIZE)
        if n < 1:
            pass  # the cover
        elif n % 2:
            canv.drawRightString(MARGIN_LEFT + BLOCK_W - PAGE_NO_SIZE, y, text)
        else:
            canv.drawString(MARGIN_LEFT + PAGE_NO_SIZE, y, text)
        # Unit · year · revision · fingerprint, small and grey, at the foot.
        canv.setFillColor(colors.Color(0.35, 0.35, 0.35))
        width = self.small.width(self.stamp_text)
        self.small.draw(canv, (PAGE_W - width) / 2, 10 * mm, self.stamp_text, 0)
        if self.report.status == Status.DRAFT:
            self._draft_mark(canv, MARGIN_LEFT + BLOCK_W, PAGE_H - 12 * mm)
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
        self._furniture(canv, doc)

    def on_annex_begin(self, canv, doc) -> None:
        """Furniture as on a portrait page, then turn the coordinates a quarter turn so the
        annex frame (225 × 156, landscape) fills the text block with its head to the left:
        the frame's (u, v) lands at (block right − v, block bottom + u)."""
        self._furniture(canv, doc)
        canv.saveState()
        canv.translate(MARGIN_LEFT + BLOCK_W, BLOCK_BOTTOM)
        canv.rotate(90)

    def on_annex_end(self, canv, doc) -> None:
        canv.restoreState()

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
        two = title_two_lines(text, self.report.unit.full_name, self.title.width, BLOCK_W)
        if two is not None:
            a, b = two
            return [Line(a, self.title.width(a), len(a), False), Line(b, self.title.width(b), len(b), True)]
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
        title = self._title()
        label_w = max(self.body.width(f"{b.lead}：") for b in fields)
        indent = max(2, round((BLOCK_W - label_w - 14 * GRID.char) / 2 / GRID.char))  # the block roughly centred
        paras = [GridPara(f"{b.lead}：{b.text or '＿＿＿＿＿＿＿＿＿＿'}", self.body, GRID, indent=indent, align="left")
                 for b in fields]
        text_h = sum(f.wrap(BLOCK_W, 10_000)[1] for f in (*title, *paras))
        top, under, between = cover_blank_lines(int((GRID.lines * GRID.pitch - text_h) / GRID.pitch + 1e-6),
                                                len(paras))
        story: list[Flowable] = [Spacer(BLOCK_W, GRID.pitch * top)] if top else []
        story += title
        story.append(Spacer(BLOCK_W, GRID.pitch * under))
        for k, para in enumerate(paras):
            if k and between:
                story.append(Spacer(BLOCK_W, GRID.pitch * between))
            story.append(para)
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
                    need += nxt.min_lines() * GRID.pitch
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

    def _table(self, header: list[list], rows: list[list], widths: list[float], *,
               vspans: list[tuple[int, int, int]] = (), hspans: list[tuple[int, int, int]] = (),
               trailer: Flowable | None = None, keep_tail: int = 2) -> RowTable:
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.body_font),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        return RowTable(header, rows, widths, style, vspans=list(vspans), hspans=list(hspans), trailer=trailer,
                        keep_tail=keep_tail)

    def annex_story(self) -> list[Flowable]:
        r = self.report
        data = table_data.build(r, self.result)
        width = ANNEX_W - RULE  # the frame inside the block by half a rule each side
        hc = lambda s: self._cell(s, align="center", bold_face=self.fonts["heading1"].rl_name)  # noqa: E731
        c = self._cell
        num = lambda s: self._cell(s, align="right")  # noqa: E731
        story: list[Flowable] = [NextPageTemplate("annex"), PageBreak()]
        # §7.3.7: "附件" in 3号黑体 at the left of the block's first line, the title centred on
        # its third line, in the body title's format (2号 小标宋).
        story.append(GridPara("附件", self.h1, ANNEX_GRID, indent=0, align="left"))
        story.append(Spacer(width, ANNEX_GRID.pitch))
        story.append(GridPara(self.annex_name, self.title, ANNEX_GRID, indent=0, align="center"))
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
        head = [[hc(col.header) for col in cols]]
        rows = [cells(cols, [table_data.money_cell(m, col.field) for col in cols]) for m in data.budget]
        story.append(self._table(head, rows, w))
        story.append(Spacer(width, 6))

        cols = table_data.columns(r, "projects")
        if data.projects and cols:
            w = [width * col.share for col in cols]
            head = [[hc(col.header) for col in cols]]
            rows = [cells(cols, [table_data.money_cell(m, col.field) for col in cols]) for m in data.projects]
            story.append(self._table(head, rows, w))
            story.append(Spacer(width, 6))
        chart = self._chart(width)
        if chart is not None:
            story.append(chart)

        # 绩效指标: 一级/二级 cells merged over their rows.
        cols = table_data.columns(r, "indicators")
        fields = [col.field for col in cols]
        w = [width * col.share for col in cols]
        ind_head = [[hc(col.header) for col in cols]]
        rows = [cells(cols, [table_data.indicator_cell(ind, f) for f in fields]) for ind in data.indicators]
        vspans: list[tuple[int, int, int]] = []
        l1 = [i.level1 for i in data.indicators]
        l2 = [f"{i.level1}\x00{i.level2}" for i in data.indicators]
        for name, values in (("level1", l1), ("level2", l2)):
            if name in fields:
                col = fields.index(name)
                for a, b in table_data.spans(values):
                    if b > a:
                        vspans.append((col, a, b))
        n = len(rows)
        total_row, span_to = table_data.total_row(data, fields)
        rows.append([hc(t) if k == 0 else (num(t) if cols[k].numeric else c(t)) for k, t in enumerate(total_row)])
        hspans = [(n, 0, span_to)] if span_to > 0 else []

        # Signature row: blank lines to sign on when a name is not filled, never invented.
        s = r.signoff
        # An empty name leaves the cell empty: the box is where the person signs.
        phone = "、".join(p for p in (s.phone_office, s.phone_mobile) if p)
        # Label on one line, the value under it: side by side the narrow cells broke names
        # and dates in two ("王/五", "2023/年3月10日").
        def fit(value: str) -> str:  # a cell to sign in, not to hold a text (the limits allow 1,000)
            return value if len(value) <= SIG_VALUE_CHARS else value[:SIG_VALUE_CHARS - 1] + "…"

        sig = [[[c(label), c(fit(value))] if value else [c(label)] for label, value in (
            ("单位负责人：", s.head), ("财务负责人：", s.finance_head), ("填报人：", s.preparer),
            ("联系电话：", phone), ("填报日期：", chinese_date(s.fill_date) or "　　年　　月　　日"),
            ("单位（盖章）", ""))]]
        sig_style = [("GRID", (0, 0), (-1, -1), RULE, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                     ("FONTNAME", (0, 0), (-1, -1), self.body_font)]
        qr = QrFlowable(self.payload, 26 * mm, [
            "报告核对码：扫描后与报送的报告文件核对",
            f"单位：{qr_unit_name(r.unit.full_name)}",
            f"年度：{r.year}　修订号：{r.revision}",
            "内容指纹（SHA-256）：",
            self.fp[:32],
            self.fp[32:],
        ], self._qr_text)
        # The QR beside the signature row, so the two take the height of one.
        sig_w = width * 0.67
        # 26 mm to sign in, taller when a long name needs it (a fixed height let it run out of the block)
        sig_table = Table(sig, colWidths=[sig_w * f for f in SIG_SHARES], minRowHeights=[26 * mm], hAlign="LEFT",
                          style=sig_style)
        footer = _Stack([Spacer(width, 6), Table([[sig_table, qr]], colWidths=[sig_w + 3 * mm, width - sig_w - 3 * mm],
                                                  hAlign="LEFT", style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("FONTNAME", (0, 0), (-1, -1), self.body_font)])])
        # The signature row and the QR never stand alone on a page: the last rows of the table
        # before them (the 其他出错说明, or the indicators) go over with them.
        if data.other_explanations:
            story.append(self._table(ind_head, rows, w, vspans=vspans, hspans=hspans))
            story.append(Spacer(width, 6))
            story.append(self._table([[hc("其他出错说明")]], [[c(t)] for t in data.other_explanations], [width],
                                     trailer=footer, keep_tail=1))
        else:
            story.append(self._table(ind_head, rows, w, vspans=vspans, hspans=hspans, trailer=footer))
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


class _Stack(Flowable):
    """Flowables one under the other, kept together (the annex's signature row and QR)."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self._sizes = [p.wrap(availWidth, availHeight) for p in self.parts]
        self.width = availWidth
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for part, (_w, h) in zip(self.parts, self._sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)


class RowTable(Flowable):
    """A table that splits between its rows across pages, its header repeated on each.

    A cell merged down several rows (一级/二级指标, ``vspans``: (column, first row, last row))
    splits with them: each page's part is merged over its own rows and shows the text again,
    so a group of any size fits (reportlab's own Table will not split inside a merged cell:
    24 indicators under one 一级指标 were one unsplittable block, a LayoutError).  A row
    taller than a whole page splits inside itself.  ``trailer`` (the signature row and QR)
    is drawn under the last part, with at least ``keep_tail`` rows above it on its page."""

    def __init__(self, header: list[list], rows: list[list], widths: list[float], style: list, *,
                 vspans: list[tuple[int, int, int]], hspans: list[tuple[int, int, int]],
                 trailer: Flowable | None = None, keep_tail: int = 2) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.style = style
        self.vspans = vspans
        self.hspans = hspans  # (row, first column, last column): the 总分 row
        self.trailer = trailer
        self.keep_tail = keep_tail
        self._t: Table | None = None
        self._trailer_h = 0.0
        # Row heights (header, body) at ``_hw``: measured once on the whole table and handed down
        # to the parts, so that a page's split costs the rows of that page, not all those left
        # (re-measuring the rest at every page made 500 indicators take 3× as long as 250).
        self._hw = -1.0
        self._head_h: list[float] = []
        self._body_h: list[float] = []

    def _table(self) -> Table:
        if self._t is None:
            nh = len(self.header)
            cmds = list(self.style)
            if nh:
                cmds.append(("BACKGROUND", (0, 0), (-1, nh - 1), colors.Color(0.92, 0.92, 0.92)))
            for col, a, b in self.vspans:
                cmds.append(("SPAN", (col, a + nh), (col, b + nh)))
            for row, a, b in self.hspans:
                cmds.append(("SPAN", (a, row + nh), (b, row + nh)))
            self._t = Table(self.header + self.rows, colWidths=self.widths, hAlign="LEFT", style=TableStyle(cmds))
        return self._t

    def _measure(self, availWidth: float, availHeight: float) -> float:  # noqa: N803
        """Lay out the real table: its height, and its rows' heights kept."""
        t = self._table()
        # every row measured (reportlab stops at a page's worth of rows when no cell is merged)
        w, h = t.wrap(availWidth, max(availHeight, 1e9))
        nh = len(self.header)
        self._hw = availWidth
        self._head_h, self._body_h = list(t._rowHeights[:nh]), list(t._rowHeights[nh:])
        self.width = w
        return h

    def _estimate(self) -> float:
        return sum(self._head_h) + sum(self._body_h)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self._trailer_h = self.trailer.wrap(availWidth, availHeight)[1] if self.trailer is not None else 0.0
        if self._hw == availWidth and self._estimate() + self._trailer_h > availHeight + 1:
            # clearly more than the page holds: the frame splits it next, no need to lay it out
            self.width, self.height = availWidth, self._estimate() + self._trailer_h
            return self.width, self.height
        h = self._measure(availWidth, availHeight)
        self.height = h + self._trailer_h
        return self.width, self.height

    def draw(self) -> None:
        t = self._table()
        t.drawOn(self.canv, 0, self._trailer_h)
        if self.trailer is not None:
            self.trailer.drawOn(self.canv, 0, 0)

    def _part(self, a: int, b: int, *, trailer: bool) -> RowTable:
        """Rows a..b-1 as a table of their own: merged cells cut at the edges, the text of a
        merged cell that began before ``a`` repeated on its first row here."""
        rows = [list(r) for r in self.rows[a:b]]
        vspans = []
        for col, first, last in self.vspans:
            lo, hi = max(first, a), min(last, b - 1)
            if lo > hi:
                continue
            if lo > first:  # continued from the page before: show the group's name again
                rows[lo - a][col] = _copy_cell(self.rows[first][col])
            if hi > lo:
                vspans.append((col, lo - a, hi - a))
        hspans = [(row - a, c0, c1) for row, c0, c1 in self.hspans if a <= row < b]
        part = RowTable(self.header, rows, self.widths, self.style, vspans=vspans, hspans=hspans,
                        trailer=self.trailer if trailer else None, keep_tail=self.keep_tail)
        # the rows' heights as measured here: a group's name repeated on the first row may make
        # it taller in the part, which the part's own layout finds when it comes to fit a page
        part._hw, part._head_h, part._body_h = self._hw, self._head_h, self._body_h[a:b]
        return part

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self._hw != availWidth:
            self._measure(availWidth, availHeight)
        head, body = self._head_h, self._body_h
        room = availHeight - sum(head)
        n = len(self.rows)
        k = 0
        used = 0.0
        while k < n and used + body[k] <= room + 0.01:
            used += body[k]
            k += 1
        if self.trailer is not None:
            tail = self.trailer.wrap(availWidth, availHeight)[1]
            if k == n and used + tail <= room + 0.01:
                return [self]
            k = min(k, n - min(self.keep_tail, n))  # the last rows go over with the trailer
        elif k == n:
            return [self]
        if k == 1 and n > 2:
            k = 0  # not one row alone under the header at a page's foot
        if k <= 0:
            if body[0] > ANNEX_FRAME_H - sum(head) - 1:  # taller than any page: split inside
                return self._split_inside(availWidth, availHeight)
            return []
        first = self._part(0, k, trailer=False)
        while k > 0 and first._measure(availWidth, availHeight) > availHeight + 0.01:
            k -= 1  # the heights were measured in the whole table; the part's own layout decides
            first = self._part(0, k, trailer=False) if k else first
        if k <= 0:
            return []
        return [first, self._part(k, n, trailer=True)]

    def _split_inside(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The first row is taller than a page: reportlab splits it (its cells split by line)."""
        first = self._part(0, 1, trailer=False)
        t = Table(first.header + first.rows, colWidths=self.widths, hAlign="LEFT", repeatRows=len(self.header),
                  splitInRow=1, style=TableStyle(_span_free(first)))
        parts = t.split(availWidth, availHeight)
        if not parts:
            return []
        rest = [self._part(1, len(self.rows), trailer=True)] if len(self.rows) > 1 else []
        return [*parts, *rest]


def _span_free(table: RowTable) -> list:
    """The style commands of a one-row part (no merged cells across rows)."""
    nh = len(table.header)
    cmds = list(table.style)
    if nh:
        cmds.append(("BACKGROUND", (0, 0), (-1, nh - 1), colors.Color(0.92, 0.92, 0.92)))
    for row, a, b in table.hspans:
        cmds.append(("SPAN", (a, row + nh), (b, row + nh)))
    return cmds


def _copy_cell(cell):
    if isinstance(cell, CellText):
        return CellText(cell.text, cell.gt, cell.align)
    return cell


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
                                                 char_widths=self.gt.char_widths, em=self.gt.size,
                                                 justify=False)] if self.text else []
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
        # One line per item, cut to the room right of the plot: never past the block.
        room = self.width - lx
        gt = GridText(self.text.fonts, "body", 9, self.text.missing, self.text.substituted)
        y = ly - 40
        for n, b, e in self.items:
            text = f"{n}执行率 {format_rate(e * 100 / b) if b else '—'}"
            for line in break_lines(text, gt.width, lambda i: room, char_widths=gt.char_widths, em=9, justify=False):
                gt.draw(self.canv, lx, y, line.text, 0)
                y -= 12
        c.restoreState()


class _SignOff(Flowable):
    """The end of the body, kept with its last lines of text: the 附件说明, room for the seal,
    the unit name over the 成文日期, and the 附注 line.

    GB/T 9704-2012:
    - §7.3.4: 附件说明 one empty line under the text, two characters in: "附件：" and the
      annex's name; a name that needs a second line continues under its own first character.
    - §7.3.5.1 (a sealed document, as this report is): the 成文日期 "一般右空四字"; the unit
      name (发文机关署名) "以成文日期为准居中", i.e. the name's centre over the date's centre;
      the seal's top within one line of the 附件说明, so two empty lines go between.
    - A full name too long to centre over a date four characters in would run past the
      block's right edge.  §7.3.5.1 gives centring as the rule and four characters as what is
      done "一般" (generally), so the centring is kept and the date, with the name over it,
      moves left just enough for the name to end at the block's edge.  (§7.3.5.2 — name two
      characters in, date under it — is the rule for documents *without* a seal; it is not
      used.)  A name longer than a whole line is set on two lines, each centred on the date.
    - §7.3.6: the 附注 in parentheses, two characters in, on the line under the date.
    """

    ROOM_LINES = 2  # empty lines between the 附件说明 and the unit name: the seal's upper half

    def __init__(self, r: _Renderer) -> None:
        super().__init__()
        self.r = r
        s = r.report.signoff
        self.date = chinese_date(s.issue_date) or "　　　　年　　月　　日"  # blank: written by hand
        contact = s.preparer or "＿＿＿＿＿＿"
        phone = "、".join(p for p in (s.phone_office, s.phone_mobile) if p) or "＿＿＿＿＿＿＿＿"
        self.note = f"（联系人：{contact}，联系电话：{phone}）"
        self._laid: tuple | None = None

    def _width_of(self, text: str) -> float:
        """Width of ``text`` set on the grid (grid spacing after every character but the last)."""
        return self.r.body.width(text) + GRID.spacing * (len(text) - 1) if text else 0.0

    def _lines(self, text: str, first: float, rest: float) -> list[str]:
        gt = self.r.body
        return [ln.text for ln in break_lines(text, gt.width, lambda i: first if i == 0 else rest,
                                              spacing=GRID.spacing, char_widths=gt.char_widths, em=BODY_SIZE,
                                              justify=False)]

    def layout(self, width: float) -> tuple:
        """(annex rows [(x, text)], unit rows [(x, text)], (date x, date), note rows [(x, text)])."""
        if self._laid is not None and self._laid[0] == width:
            return self._laid[1]
        char = GRID.char
        annex = []
        for item in annex_note([self.r.annex_name]):
            head, sep, name = item.partition("：")
            if not sep:
                head, name = "", item
            lead = head + sep
            if item[:1].isdigit() or not sep:  # "2. …" under "1. …": its number after 附件：
                lead = ""
            x0 = 2 * char + (self._width_of("附件：") + GRID.spacing if not lead and annex else 0.0)
            num, dot, rest_name = name.partition(". ")
            number = f"{num}{dot}" if dot and num.isdigit() else ""
            body = rest_name if number else name
            indent = x0 + (self._width_of(lead + number) + GRID.spacing if lead or number else 0.0)
            for i, text in enumerate(self._lines(body, width - indent, width - indent)):
                annex.append((x0, lead + number + text) if i == 0 else (indent, text))
        # 署名 over 成文日期 (see the class docstring for the rule applied)
        date_w = self._width_of(self.date)
        date_x = width - 4 * char - date_w
        unit = self.r.report.unit.full_name
        names = [unit] if self._width_of(unit) <= width else self._two_lines(unit, width)
        widest = max(self._width_of(n) for n in names)
        centre = date_x + date_w / 2
        over = centre + widest / 2 - width
        if over > 0:
            centre -= over
            date_x -= over
        unit_rows = [(max(centre - self._width_of(n) / 2, 0.0), n) for n in names]
        note = [(2 * char if i == 0 else 0.0, t) for i, t in enumerate(self._lines(self.note, width - 2 * char, width))]
        laid = (annex, unit_rows, (date_x, self.date), note)
        self._laid = (width, laid)
        return laid

    def _two_lines(self, unit: str, width: float) -> list[str]:
        """A name longer than a line, on two lines as even as the 禁则 allow."""
        lines = self._lines(unit, width, width)
        if len(lines) <= 2:
            best = None
            for cut in range(1, len(unit)):
                a, b = unit[:cut], unit[cut:]
                wa, wb = self._width_of(a), self._width_of(b)
                if wa <= width and wb <= width and (best is None or abs(wa - wb) < best[0]):
                    best = (abs(wa - wb), [a, b])
            if best is not None:
                return best[1]
        return lines

    def line_rows(self, width: float) -> list[tuple[float, str] | None]:
        """The block line by line, top down (None: an empty line)."""
        annex, unit, date, note = self.layout(width)
        return [None, *annex, *[None] * self.ROOM_LINES, *unit, date, *note]

    def rows(self, width: float) -> int:
        return len(self.line_rows(width))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = self.rows(availWidth) * GRID.pitch
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Only a block taller than a page (a name or contact of hundreds of characters) is
        split, by lines: otherwise it travels whole with the text's last lines."""
        rows = self.line_rows(availWidth)
        if len(rows) * GRID.pitch <= BLOCK_H + 0.5:
            return []
        fit = int((availHeight + 0.5) // GRID.pitch)
        if fit <= 0 or fit >= len(rows):
            return []
        return [_GridRows(self.r.body, rows[:fit]), _GridRows(self.r.body, rows[fit:])]

    def draw(self) -> None:
        _GridRows(self.r.body, self.line_rows(self.width)).drawOn(self.canv, 0, 0)


class _GridRows(Flowable):
    """Lines of body text at given places on the grid, one pitch each (None: an empty line)."""

    def __init__(self, gt: GridText, rows: list[tuple[float, str] | None]) -> None:
        super().__init__()
        self.gt = gt
        self.rows = rows
        self.height = len(rows) * GRID.pitch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        fit = int((availHeight + 0.5) // GRID.pitch)
        if fit <= 0 or fit >= len(self.rows):
            return []
        return [_GridRows(self.gt, self.rows[:fit]), _GridRows(self.gt, self.rows[fit:])]

    def draw(self) -> None:
        pitch = GRID.pitch
        y = self.height - ((pitch - BODY_SIZE) / 2 + BODY_SIZE * 0.88)  # the first row's baseline
        for row in self.rows:
            if row is not None:
                self.gt.draw(self.canv, row[0], y, row[1], GRID.spacing)
            y -= pitch


def render_pdf(report: Report, out_path: str | os.PathLike[str], *, result: CheckResult | None = None,
               progress: ProgressFn | None = None, fonts: FontSet | None = None) -> PdfInfo:
    """Write the report's PDF to ``out_path`` (atomically: a half-written file never replaces
    a good one) and say what was used.  Raises :class:`RenderError` with a Chinese message."""
    if report.status != Status.DRAFT:  # every print path: the CLI, the window, 导出上报's PDF
        from nanzhou_desktop.rules.integrity import changed_after_final, describe

        if changed_after_final(report):
            raise RenderError(f"不能打印：{describe(report)}")
    patch_reportlab()
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
        # In the turned coordinates of on_annex_begin: the block, 225 wide and 156 high.
        # Half a rule's width in from each edge: the table's outer lines stay inside the block.
        annex_frame = Frame(0, 0, ANNEX_W, ANNEX_H, RULE / 2, RULE / 2, RULE / 2, RULE / 2, id="annex")
        annex = PageTemplate("annex", [annex_frame], onPage=r.on_annex_begin, onPageEnd=r.on_annex_end,
                             pagesize=A4)
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
