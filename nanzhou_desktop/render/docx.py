"""The editable Word copy (.docx) of the report: the same text and numbering as the PDF
(walked from :func:`nanzhou_desktop.narrative.blocks`), Word heading styles so the navigation
pane shows the outline, the GB/T 9704 page setup, the sign-off and the self-evaluation table.

Font names are the office ones (仿宋, 黑体, 楷体, 方正小标宋简体): the copy is opened on office PCs,
and Word/WPS/LibreOffice substitute a near face where one is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from nanzhou_desktop.model import Report
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.output import atomic_write
from nanzhou_desktop.render.pdf import chinese_date
from nanzhou_desktop.rules.findings import CheckResult

BODY_FONT = "仿宋"
HEI_FONT = "黑体"
KAI_FONT = "楷体"
TITLE_FONT = "方正小标宋简体"
LINE_PITCH = Pt(28.9)


def _fonts(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    for level, face in ((1, HEI_FONT), (2, KAI_FONT), (3, BODY_FONT), (4, BODY_FONT)):
        st = doc.styles[f"Heading {level}"]
        _fonts(st, face, 16, bold=False)
        st.font.color.rgb = None
        st.font.italic = False
        f = st.paragraph_format
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = LINE_PITCH
        f.space_before = Pt(0)
        f.space_after = Pt(0)
        f.first_line_indent = Pt(32)
        f.keep_with_next = True
    title = doc.styles["Title"]
    _fonts(title, TITLE_FONT, 22, bold=False)
    title.font.color.rgb = None
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(36)
    # The Title style draws a bottom border in the default template: not in a 公文.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page_number_footer(section) -> None:
    """Footer "— PAGE —" (odd right, even left needs odd/even footers; both set here)."""
    section.footer_distance = Mm(35 - 7 - 5)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        r = p.add_run("— ")
        _fonts(r, "宋体", 14)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        inner = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        inner.append(t)
        fld.append(inner)
        p._p.append(fld)
        r = p.add_run(" —")
        _fonts(r, "宋体", 14)


def _cell(cell, text: str, *, size: float = 10.5, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    r = p.add_run(text)
    _fonts(r, HEI_FONT if bold else BODY_FONT, size, bold=False)


ANNEX_WIDTH_MM = 257  # landscape A4 less 20 mm each side


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
        _cell(t.cell(0, i), h, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    # Header row repeats on every page of a long table.
    trpr = t.rows[0]._tr.get_or_add_trPr()
    th = OxmlElement("w:tblHeader")
    th.set(qn("w:val"), "true")
    trpr.append(th)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _cell(t.cell(r, c), value, align=WD_ALIGN_PARAGRAPH.RIGHT if c in numeric else WD_ALIGN_PARAGRAPH.LEFT)
    return t


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
    _page_number_footer(sec)

    bl = blocks(report)
    cover = [b for b in bl if b.kind == "cover"]
    if cover:  # a cover page: the title, the cover fields, then the body on the next page
        for _ in range(4):
            doc.add_paragraph("")
        doc.add_paragraph(report.display_title, style="Title")
        for _ in range(3):
            doc.add_paragraph("")
        for b in cover:
            p = doc.add_paragraph(f"{b.lead}：{b.text or '＿＿＿＿＿＿＿＿＿＿'}")
            p.paragraph_format.left_indent = Pt(16 * 6)
            p.paragraph_format.space_after = LINE_PITCH
        doc.add_page_break()
        bl = [b for b in bl if b.kind not in ("title", "cover")]
    for b in bl:
        if b.kind == "title":
            doc.add_paragraph(b.text, style="Title")
            doc.add_paragraph("")
        elif b.kind == "heading":
            doc.add_paragraph(f"{b.number}{b.text}", style=f"Heading {min(b.level, 4)}")
        else:
            p = doc.add_paragraph(b.full_text)
            p.paragraph_format.first_line_indent = Pt(32)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    # Sign-off: two empty lines for the seal, unit centred over the date, date 4 chars in.
    s = report.signoff
    for _ in range(2):
        doc.add_paragraph("")
    date = chinese_date(s.issue_date) or "　　　　年　　月　　日"
    p = doc.add_paragraph(report.unit.full_name)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(32)
    p = doc.add_paragraph(date)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(64)
    phone = "、".join(x for x in (s.phone_office, s.phone_mobile) if x) or "＿＿＿＿＿＿＿＿"
    p = doc.add_paragraph(f"（联系人：{s.preparer or '＿＿＿＿＿＿'}，联系电话：{phone}）")
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
    doc.add_paragraph(f"{report.year}年度{report.template.table.title}", style="Title")
    p = doc.add_paragraph(f"单位名称（盖章）：{report.unit.full_name}　　　　金额单位：万元")
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

    return atomic_write(path, doc.save, what=" Word ")


def _merge(table, values: list[str], col: int) -> None:
    """Merge equal consecutive 一级/二级 cells (rows offset by the header)."""
    for a, b in table_data.spans(values):
        if b > a:
            text = values[a].split("\x00")[-1]
            merged = table.cell(a + 1, col).merge(table.cell(b + 1, col))
            _cell(merged, text)
