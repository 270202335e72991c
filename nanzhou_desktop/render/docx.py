"""The editable Word copy (.docx) of the report: the same text and numbering as the PDF
(walked from :func:`nanzhou_desktop.narrative.blocks`), Word heading styles so the navigation
pane shows the outline, the GB/T 9704 page setup with its document grid (22 lines × 28
characters), the 附件说明, the sign-off and the self-evaluation table, and on the last page
the line that says which version this is (unit, revision, fingerprint) with the QR code the
paper carries; a draft says 草稿 in its header.

Font names are the office ones (仿宋, 黑体, 楷体, 方正小标宋简体, 宋体), named on every style and
run without the template's theme attributes (``w:asciiTheme`` …): Word and LibreOffice let a
theme font override a named one, and the headings showed in Calibri / ＭＳ ゴシック.  Where a
font is absent, Word/WPS/LibreOffice substitute a near face.

Every text goes through :func:`~nanzhou_desktop.limits.strip_xml_invalid`: a character XML
cannot hold (U+FFFF …) would make the file unwritable.
"""

from __future__ import annotations

import io
import math
import os
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.limits import strip_xml_invalid
from nanzhou_desktop.model import Report, Status
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.output import atomic_write
from nanzhou_desktop.render.pdf import annex_note, annex_title, chinese_date, cover_blank_lines, title_two_lines
from nanzhou_desktop.render.stamp import qr_payload
from nanzhou_desktop.rules.findings import CheckResult

BODY_FONT = "仿宋"
HEI_FONT = "黑体"
KAI_FONT = "楷体"
TITLE_FONT = "方正小标宋简体"
TITLE_SIZE = 22  # 2号
SONG_FONT = "宋体"
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
TITLE_PITCH = Pt(36)  # the Title style's exact line spacing
COVER_INDENT = Pt(16 * 6)  # the cover fields' left indent
# GB/T 9704's grid in Word's terms: 579 twips a line (225 mm / 22), and 28 characters of
# 16 pt on 156 mm (442.2 pt): the body's letter spacing condensed by 0.25 pt (5 twentieths),
# so 28 characters take 441 pt.  (The character grid of Word's 文档网格, w:charSpace="-849",
# does the same in Word, but LibreOffice 7 reads it against a 12 pt base and sets 18
# characters a line; the letter spacing is read alike by both.)
GRID_LINE_PITCH = 579
CONDENSE_TWIPS = -5
BLOCK_PT = 156 / 25.4 * 72  # the text block's width
CHAR_PT = BLOCK_PT / 28
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _t(text: str) -> str:
    return strip_xml_invalid(text)


def _named(rpr, name: str) -> None:
    """Name ``name`` for every script in ``rpr``'s w:rFonts and drop the theme attributes
    that would override it."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _fonts(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    _named(run_or_style.element.get_or_add_rPr(), name)


def _plain(style) -> None:
    """No theme colour, letter spacing or kerning from the default template."""
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    style.font.italic = False


def _setup_styles(doc) -> None:
    # The document's defaults name 仿宋 too (the template's are theme fonts).
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _named(rpr, BODY_FONT)
    # No style keeps a theme font (the linked "Heading 1 Char" … too): what they do not name
    # comes from the defaults above.
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
    rpr = normal.element.get_or_add_rPr()
    rpr.insert(rpr.index(rpr.find(qn("w:sz"))), spacing)  # the schema's order: before w:sz
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    for level, face in ((1, HEI_FONT), (2, KAI_FONT), (3, BODY_FONT), (4, BODY_FONT)):
        st = doc.styles[f"Heading {level}"]
        _fonts(st, face, 16, bold=False)
        _plain(st)
        f = st.paragraph_format
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = LINE_PITCH
        f.space_before = Pt(0)
        f.space_after = Pt(0)
        f.first_line_indent = Pt(32)
        f.keep_with_next = True
        linked = next((x for x in doc.styles if x.name == f"Heading {level} Char"), None)
        if linked is not None:
            _named(linked.element.get_or_add_rPr(), face)
    title = doc.styles["Title"]
    _fonts(title, TITLE_FONT, TITLE_SIZE, bold=False)
    _plain(title)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = TITLE_PITCH
    title.paragraph_format.space_after = Pt(0)
    # The Title style draws a bottom border in the default template: not in a 公文.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _document_grid(section) -> None:
    """GB/T 9704's 22 lines as Word's document grid (文档网格, lines); the 28 characters a
    line come from the body's letter spacing (see :data:`CONDENSE_TWIPS`)."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(GRID_LINE_PITCH))
    grid.attrib.pop(qn("w:charSpace"), None)


def _run_props(run_el, name: str, size: float) -> None:
    """Font and size on a raw w:r (the page number inside its field)."""
    rpr = OxmlElement("w:rPr")
    _named(rpr, name)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(el)
    run_el.insert(0, rpr)


def _page_number_footer(section) -> None:
    """Footer "— PAGE —" in 4号 宋体 (odd right, even left, one character in: odd and even
    footers, both set here); the number's own run is 14 pt too, not the body's 16."""
    section.footer_distance = Mm(35 - 7 - 5)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        r = p.add_run("— ")
        _fonts(r, SONG_FONT, 14)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        inner = OxmlElement("w:r")
        _run_props(inner, SONG_FONT, 14)
        t = OxmlElement("w:t")
        t.text = "1"
        inner.append(t)
        fld.append(inner)
        p._p.append(fld)
        r = p.add_run(" —")
        _fonts(r, SONG_FONT, 14)


def _draft_header(section) -> None:
    """草稿, red, at the right of every page's header (odd and even)."""
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = p.add_run("草稿")
        _fonts(r, HEI_FONT, 18, bold=True)
        r.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _cell(cell, text: str, *, size: float = 10.5, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    r = p.add_run(_t(text))
    _fonts(r, HEI_FONT if bold else BODY_FONT, size, bold=False)


ANNEX_WIDTH_MM = 257  # landscape A4 less 20 mm each side
CELL_MARGIN_PT = 5.4  # Word's default left and right cell margin (108 twips), LibreOffice's too
HEAD_SIZE = 10.5
_HEAD_TOKEN = re.compile(r"（[^）]*）|\([^)]*\)|.", re.S)


def header_lines(text: str, inner: float, size: float = HEAD_SIZE) -> list[str]:
    """A header cell's text in lines of even length that fit ``inner`` points, so the word
    processor never wraps a lone character onto a line of its own ("指标性|质", "实际完成|值"):
    "指标|性质", "实际|完成值".  A bracketed mark such as "（B/A）" stays whole.  Text that
    fits, or that no split makes fit, is returned as it is (one line)."""
    tokens = _HEAD_TOKEN.findall(text)
    widths = [sum(size / 2 if ord(c) < 0x2E80 else size for c in tok) for tok in tokens]
    if sum(widths) <= inner or len(tokens) < 2:
        return [text]
    n = len(tokens)
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def solve(start: int, left: int) -> tuple[float, list[int]]:
        """Tokens from ``start`` in ``left`` lines, the widest as narrow as can be: (its width,
        where the lines after the first begin).  A header has a few tokens: exhaustive, memoised."""
        if left == 1:
            return sum(widths[start:]), []
        key = (start, left)
        if key not in best:
            options = []
            for end in range(start + 1, n - left + 2):
                rest, cuts = solve(end, left - 1)
                options.append((max(sum(widths[start:end]), rest), [end, *cuts]))
            best[key] = min(options, key=lambda o: o[0])
        return best[key]

    for count in range(2, n + 1):
        widest, cuts = solve(0, count)
        if widest <= inner:
            bounds = [0, *cuts, n]
            lines = ["".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
            if all(len(line) > 1 for line in lines):
                return lines
    return [text]


def _table(doc, header: list[str], rows: list[list[str]], numeric: set[int], shares: tuple[float, ...] = ()):
    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if shares:
        # Word honours per-cell widths only with autofit off; the same shares as the PDF.
        t.autofit = False
        for col, share in zip(t.columns, shares, strict=True):
            col.width = Mm(ANNEX_WIDTH_MM * share)  # the grid, which LibreOffice reads
        for row in t.rows:
            for cell, share in zip(row.cells, shares, strict=True):
                cell.width = Mm(ANNEX_WIDTH_MM * share)
    for i, h in enumerate(header):
        inner = Mm(ANNEX_WIDTH_MM * shares[i]).pt - 2 * CELL_MARGIN_PT if shares else 0.0
        _cell(t.cell(0, i), "\n".join(header_lines(h, inner)) if inner > 0 else h, bold=True,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    # Header row repeats on every page of a long table.
    trpr = t.rows[0]._tr.get_or_add_trPr()
    th = OxmlElement("w:tblHeader")
    th.set(qn("w:val"), "true")
    trpr.append(th)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _cell(t.cell(r, c), value, align=WD_ALIGN_PARAGRAPH.RIGHT if c in numeric else WD_ALIGN_PARAGRAPH.LEFT)
    return t


def _paragraph(doc, text: str, style: str | None = None):
    return doc.add_paragraph(_t(text), style=style)


def _qr_png(payload: str) -> bytes:
    """The QR code the paper carries, as PNG (segno's own writer: no imaging library)."""
    import segno

    buf = io.BytesIO()
    segno.make(payload, error="m", micro=False, encoding="utf-8").save(buf, kind="png", scale=8, border=4)
    return buf.getvalue()


def write_docx(report: Report, path: str | os.PathLike[str], *, result: CheckResult | None = None) -> Path:
    if result is None:
        from nanzhou_desktop.rules import check

        result = check(report)
    doc = Document()
    _setup_styles(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    _document_grid(sec)
    _page_number_footer(sec)
    if report.status == Status.DRAFT:
        _draft_header(sec)

    bl = blocks(report)
    cover = [b for b in bl if b.kind == "cover"]
    if cover:  # a cover page: the title, the cover fields, then the body on the next page
        title = _title_text(report, report.display_title)
        fields = [f"{b.lead}：{b.text or '＿＿＿＿＿＿＿＿＿＿'}" for b in cover]
        # The blank lines as the PDF's cover has them, fewer where the fields fill the page.
        text_pt = (title.count("\n") + 1) * TITLE_PITCH.pt + sum(
            math.ceil(_width_pt(f) / (BLOCK_PT - COVER_INDENT.pt) - 1e-9) for f in fields) * LINE_PITCH.pt
        top, under, between = cover_blank_lines(int((22 * LINE_PITCH.pt - text_pt) / LINE_PITCH.pt + 1e-6),
                                                len(fields))
        for _ in range(top):
            doc.add_paragraph("")
        _paragraph(doc, title, "Title")
        for _ in range(under):
            doc.add_paragraph("")
        for k, text in enumerate(fields):
            p = _paragraph(doc, text)
            p.paragraph_format.left_indent = COVER_INDENT
            if k < len(fields) - 1:
                p.paragraph_format.space_after = Pt(LINE_PITCH.pt * between)
        # The break ends the last field's paragraph: a paragraph of its own after a full page
        # would begin the next page and leave it blank.
        p.add_run().add_break(WD_BREAK.PAGE)
        bl = [b for b in bl if b.kind not in ("title", "cover")]
    for b in bl:
        if b.kind == "title":
            _paragraph(doc, _title_text(report, b.text), "Title")
            doc.add_paragraph("")
        elif b.kind == "heading":
            _paragraph(doc, f"{b.number}{b.text}", f"Heading {min(b.level, 4)}")
        else:
            p = _paragraph(doc, b.full_text)
            p.paragraph_format.first_line_indent = Pt(32)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    # 附件说明 (GB/T 9704 §7.3.4): one empty line under the text, two characters in; a second
    # line continues under the name's first character.
    doc.add_paragraph("")
    title = annex_title(report)
    for line in annex_note([title]):
        p = _paragraph(doc, line)
        p.paragraph_format.left_indent = Pt(32 + 48)  # 2 characters + "附件："
        p.paragraph_format.first_line_indent = Pt(-48)
    # Sign-off: two empty lines for the seal; the unit centred over the date (§7.3.5.1), the date four characters in from the right, moved in when a long name
    # would pass the right margin (the rule the PDF follows: see render/pdf.py _SignOff).
    s = report.signoff
    for _ in range(2):
        doc.add_paragraph("")
    date = chinese_date(s.issue_date) or "　　　　年　　月　　日"
    unit = report.unit.full_name
    centre = BLOCK_PT - 4 * CHAR_PT - _width_pt(date) / 2
    centre = min(centre, BLOCK_PT - _width_pt(unit) / 2)
    for text in (unit, date):  # centred between the margin and an indent: centred on ``centre``
        p = _paragraph(doc, text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.right_indent = Pt(max(BLOCK_PT - 2 * centre, 0))
    phone = "、".join(x for x in (s.phone_office, s.phone_mobile) if x) or "＿＿＿＿＿＿＿＿"
    p = _paragraph(doc, f"（联系人：{s.preparer or '＿＿＿＿＿＿'}，联系电话：{phone}）")
    p.paragraph_format.first_line_indent = Pt(32)

    # Annex on a landscape section.
    data = table_data.build(report, result)
    annex = doc.add_section()
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.top_margin = annex.bottom_margin = Mm(22)
    annex.left_margin = annex.right_margin = Mm(20)
    p = doc.add_paragraph()
    r = p.add_run("附件")
    _fonts(r, HEI_FONT, 16)
    doc.add_paragraph("")
    _paragraph(doc, title, "Title")  # on the third line (§7.3.7), in the title's format
    p = _paragraph(doc, f"单位名称（盖章）：{report.unit.full_name}　　　　金额单位：万元")
    _fonts(p.runs[0], BODY_FONT, 12)

    def write(table: str, rows: list, cell) -> object | None:  # noqa: ANN001 - table_data rows and reader
        cols = table_data.columns(report, table)
        if not cols:
            return None
        return _table(doc, [c.header for c in cols], [[cell(m, c.field) for c in cols] for m in rows],
                      numeric={k for k, c in enumerate(cols) if c.numeric}, shares=tuple(c.share for c in cols))

    write("budget", data.budget, table_data.money_cell)
    doc.add_paragraph("")
    if data.projects and write("projects", data.projects, table_data.money_cell) is not None:
        doc.add_paragraph("")
    fields = [c.field for c in table_data.columns(report, "indicators")]
    total, span_to = table_data.total_row(data, fields)
    cols = table_data.columns(report, "indicators")
    rows = [[table_data.indicator_cell(i, f) for f in fields] for i in data.indicators] + [total]
    t = _table(doc, [c.header for c in cols], rows, numeric={k for k, c in enumerate(cols) if c.numeric},
               shares=tuple(c.share for c in cols))
    for name, values in (("level1", [i.level1 for i in data.indicators]),
                         ("level2", [f"{i.level1}\x00{i.level2}" for i in data.indicators])):
        if name in fields:
            _merge(t, values, fields.index(name))
    last = len(rows)
    if span_to > 0:
        merged = t.cell(last, 0).merge(t.cell(last, span_to))
        _cell(merged, total[0], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if data.other_explanations:
        doc.add_paragraph("")
        _table(doc, ["其他出错说明"], [[x] for x in data.other_explanations], numeric=set())
    s = report.signoff
    doc.add_paragraph("")
    sig = doc.add_table(rows=1, cols=6)
    sig.style = doc.styles["Table Grid"]
    # Label and value share a line here: 填报日期 gets the room for "填报日期：　　年　　月　　日"
    # (in six equal cells its "日" wrapped onto a line of its own).
    sig.autofit = False
    for col, cell, share in zip(sig.columns, sig.rows[0].cells, (0.16, 0.16, 0.13, 0.18, 0.24, 0.13), strict=True):
        col.width = cell.width = Mm(ANNEX_WIDTH_MM * share)
    labels = [f"单位负责人：{s.head}", f"财务负责人：{s.finance_head}", f"填报人：{s.preparer}",
              f"联系电话：{'、'.join(x for x in (s.phone_office, s.phone_mobile) if x)}",
              f"填报日期：{chinese_date(s.fill_date) or '　　年　　月　　日'}", "单位（盖章）"]
    for i, text in enumerate(labels):
        _cell(sig.cell(0, i), text)
    sig.rows[0].height = Mm(16)

    # Which version this copy is: the line and the QR the PDF's last page carries.
    fp = fingerprint(report)
    doc.add_paragraph("")
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True  # the QR and its lines on one page
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.add_run().add_picture(io.BytesIO(_qr_png(qr_payload(report, fp))), width=Mm(26))
    for text in ("报告核对码：扫描后与报送的报告文件核对",
                 f"单位：{report.unit.full_name}　年度：{report.year}　修订号：{report.revision}　状态：{report.status}",
                 f"内容指纹（SHA-256）：{fp}"):
        p = _paragraph(doc, text)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.keep_with_next = True
        _fonts(p.runs[0], BODY_FONT, 9)

    return atomic_write(path, doc.save, what=" Word ")


def _title_text(report: Report, text: str) -> str:
    """A title longer than a line with its line break where the PDF has it (after the unit's
    name, before 部门整体…), not where the word processor runs out of room ("…南洲街道办|事处…")."""
    def width(s: str) -> float:
        return sum(TITLE_SIZE / 2 if ord(c) < 0x2E80 else TITLE_SIZE for c in s)

    if width(text) <= BLOCK_PT:
        return text
    two = title_two_lines(text, report.unit.full_name, width, BLOCK_PT)
    return "\n".join(two) if two is not None else text


def _width_pt(text: str) -> float:
    """A line's width on the grid: a full-width character one grid place, a half-width one half."""
    return sum(CHAR_PT / 2 if ord(c) < 0x2E80 else CHAR_PT for c in text)


def _merge(table, values: list[str], col: int) -> None:
    """Merge equal consecutive 一级/二级 cells (rows offset by the header)."""
    for a, b in table_data.spans(values):
        if b > a:
            text = values[a].split("\x00")[-1]
            merged = table.cell(a + 1, col).merge(table.cell(b + 1, col))
            _cell(merged, text)
