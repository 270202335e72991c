"""The Word and Excel copies behave like the office's own files (issue 17 §5–6, and issue 16
F5/F6 on these outputs):

- Word: named fonts without theme attributes, the page number's own run in 4号, 22 lines of
  28 characters (measured in LibreOffice's rendering), the 附件说明 and the sign-off, a last
  line with unit, revision and fingerprint and the QR as an image that decodes, 草稿 in the
  header of a draft;
- Excel: 执行率, 得分, 总分 as formulas with the computed values stored; LibreOffice shows the
  same figures as the PDF, and recalculates them after a figure is corrected; rows tall enough
  for their wrapped text; print area, frozen header, page-number footer, #,##0.## values;
- both: text that looks like a formula stays text, characters XML cannot hold are dropped.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from nanzhou_desktop.content import fingerprint
from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Status
from nanzhou_desktop.money import format_money, format_rate
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.docx import write_docx
from nanzhou_desktop.render.pdf import annex_title
from nanzhou_desktop.render.stamp import qr_payload
from nanzhou_desktop.render.xlsx import LINE_PT, lines_needed, write_xlsx
from nanzhou_desktop.rules import check

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAS_CALC = shutil.which("soffice") is not None and Path("/usr/lib/libreoffice/program/libsclo.so").exists()
needs_lo = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
needs_calc = pytest.mark.skipif(not HAS_CALC, reason="LibreOffice Calc 未安装")


def _soffice(src: Path, out_dir: Path, target: str) -> Path:
    env = {"HOME": str(out_dir / "home"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(out_dir), str(src)],
                          capture_output=True, text=True, timeout=180, env=env)
    out = out_dir / (src.stem + "." + target.split(":")[0])
    assert proc.returncode == 0 and out.exists(), proc.stdout + proc.stderr
    return out


# -- Word ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def word(tmp_path_factory):
    report = example_report()
    d = tmp_path_factory.mktemp("word")
    return report, write_docx(report, d / "r.docx")


def _xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_styles_name_their_fonts_without_theme_attributes(word):
    """Title 方正小标宋简体, Heading 1 黑体, Heading 2 楷体, Normal 仿宋 (and the document
    defaults): no asciiTheme / eastAsiaTheme that Word and LibreOffice would put first."""
    _, path = word
    styles = _xml(path, "word/styles.xml")
    assert "Theme=" not in re.sub(r"<w:latentStyles.*?</w:latentStyles>", "", styles, flags=re.S)
    doc = Document(str(path))
    want = {"Normal": "仿宋", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体", "Heading 3": "仿宋"}
    for name, font in want.items():
        rfonts = doc.styles[name].element.rPr.find(f"{W}rFonts")
        assert rfonts.get(f"{W}eastAsia") == font and rfonts.get(f"{W}ascii") == font, name
    defaults = doc.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋"


def test_page_number_run_is_14_pt(word):
    _, path = word
    for name in ("word/footer1.xml", "word/footer2.xml"):
        footer = _xml(path, name) if name in zipfile.ZipFile(path).namelist() else ""
        if not footer:
            continue
        field = re.search(r"<w:fldSimple[^>]*PAGE[^>]*>(.*?)</w:fldSimple>", footer, re.S).group(1)
        assert '<w:sz w:val="28"/>' in field and "宋体" in field
        assert footer.count('w:val="28"') >= 3  # the dashes and the number
    assert "PAGE" in _xml(path, "word/footer1.xml")


def test_grid_of_22_lines(word):
    _, path = word
    document = _xml(path, "word/document.xml")
    grid = re.search(r"<w:docGrid[^>]*/>", document).group(0)
    assert 'w:type="lines"' in grid and 'w:linePitch="579"' in grid  # 225 mm / 22 lines


def test_last_page_says_which_version_with_the_qr(word, tmp_path: Path):
    report, path = word
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    fp = fingerprint(report)
    assert any(fp in t for t in texts)
    assert any(f"修订号：{report.revision}" in t and report.unit.full_name in t for t in texts)
    images = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")]
    assert len(images) == 1
    if shutil.which("zbarimg"):
        png = tmp_path / "qr.png"
        png.write_bytes(zipfile.ZipFile(path).read(images[0]))
        out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True).stdout.strip()
        assert out == qr_payload(report, fp)


def test_draft_header_only_for_drafts(word, tmp_path: Path):
    _, path = word
    headers = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/header")]
    assert headers and all("草稿" in _xml(path, n) for n in headers)
    report = example_report()
    report.status = Status.FINAL
    final = write_docx(report, tmp_path / "final.docx")
    assert not any("草稿" in _xml(final, n) for n in zipfile.ZipFile(final).namelist()
                   if n.startswith("word/") and n.endswith(".xml"))


def test_attachment_note_and_annex_title(word):
    report, path = word
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert f"附件：{annex_title(report)}" in texts
    assert texts.count(annex_title(report)) == 1  # the annex's own title, the same words


@needs_lo
def test_libreoffice_sets_28_characters_a_line_in_the_named_fonts(word, tmp_path: Path):
    """LibreOffice renders the copy: the body's full lines hold 28 characters (it set 27), the
    headings are not in Calibri or a Japanese Gothic (the theme fonts it used to apply), the
    page number has the size of 4号."""
    _, path = word
    pdf = _soffice(path, tmp_path, "pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Calibri" not in fonts and "Carlito" not in fonts and "Gothic" not in fonts
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "6", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    full = [ln.strip() for ln in text.splitlines() if re.fullmatch(r"[\u4e00-\u9fff，。、；：？！“”（）《》]{20,}", ln.strip())]
    lengths = [len(x) for x in full]
    # 28 a line; 29 only where a mark is narrower than a character (LibreOffice compresses a
    # full-width mark at the line's end; the substitute font's quotes are half-width)
    assert lengths and max(set(lengths), key=lengths.count) == 28 and max(lengths) <= 29, lengths
    assert all(n <= 28 for n, line in zip(lengths, full, strict=True)
               if line[-1] not in "，。、；：？！”）》" and not set(line) & set("“”‘’")), lengths
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', bbox)
    heights = {t: float(b) - float(a) for a, b, t in boxes}
    body = max(set(heights.values()), key=list(heights.values()).count)  # the 16 pt body text
    assert abs(heights["2"] / body - 14 / 16) < 0.03, (heights["2"], body)  # 4号 against 3号


def test_header_cells_are_split_evenly_never_one_character_alone(word):
    """指标性质, 度量单位, 实际完成值 … in a column too narrow for them carry their own even
    line breaks ("指标/性质", "实际/完成值"), each line within the cell, so Word and LibreOffice
    do not wrap one character onto a line of its own ("指标性|质")."""
    from docx.shared import Mm

    from nanzhou_desktop.render.docx import ANNEX_WIDTH_MM, CELL_MARGIN_PT, HEAD_SIZE

    report, path = word
    cols = table_data.columns(report, "indicators")
    table = next(t for t in Document(str(path)).tables if t.cell(0, 0).text == cols[0].header)
    split = 0
    for col, cell in zip(cols, table.rows[0].cells, strict=True):
        lines = cell.text.split("\n")
        assert "".join(lines) == col.header
        inner = Mm(ANNEX_WIDTH_MM * col.share).pt - 2 * CELL_MARGIN_PT
        for line in lines:
            width = sum(HEAD_SIZE / 2 if ord(c) < 0x2E80 else HEAD_SIZE for c in line)
            assert width <= inner + 0.01 or len(lines) == 1, (col.header, lines)
            assert len(line) > 1, (col.header, lines)
        split += len(lines) > 1
    assert split >= 3  # 指标性质, 度量单位, 实际完成值 at least


def test_title_breaks_where_the_pdf_breaks_it(word):
    """The title longer than a line has its break after the unit's name, as in the PDF
    ("2022年度广州市海珠区人民政府 / 南洲街道办事处部门整体支出绩效自评报告"), not where Word runs
    out of room ("…南洲街道办|事处…")."""
    report, path = word
    title = next(p for p in Document(str(path)).paragraphs if p.style.name == "Title")
    assert title.text == "2022年度广州市海珠区人民政府\n南洲街道办事处部门整体支出绩效自评报告"


@needs_lo
def test_libreoffice_wraps_no_header_character_alone_and_keeps_the_title_lines(word, tmp_path: Path):
    _report, path = word
    pdf = _soffice(path, tmp_path, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    words = set(text.split())
    assert {"性质", "单位", "完成值"} <= words
    assert not words & {"质", "位", "值"}
    # (LibreOffice sets a little space between "2022" and "年度": two words there)
    assert {"年度广州市海珠区人民政府", "南洲街道办事处部门整体支出绩效自评报告"} <= words


# -- Excel --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def excel(tmp_path_factory):
    report = example_report()
    result = check(report)
    d = tmp_path_factory.mktemp("excel")
    return report, result, write_xlsx(report, d / "r.xlsx", result=result)


def _grid(ws) -> dict[str, object]:
    return {c.coordinate: c for row in ws.iter_rows() for c in row}


def test_rates_scores_and_total_are_formulas_with_stored_values(excel):
    report, result, path = excel
    formulas = load_workbook(str(path)).active
    stored = load_workbook(str(path), data_only=True).active
    cells = _grid(formulas)
    f_cells = {k: c.value for k, c in cells.items() if isinstance(c.value, str) and c.value.startswith("=")}
    rates = [k for k, c in cells.items() if c.number_format == "0.00%" and k in f_cells]
    assert len(rates) == 1 + len(report.projects)  # 年度资金总额 and each key project
    data = table_data.build(report, result)
    scores = [k for k in f_cells if "MIN(" in f_cells[k]]
    assert len(scores) >= len(data.indicators)  # each quantitative indicator and the budget part
    sums = [k for k in f_cells if f_cells[k].startswith("=SUM(")]
    assert len(sums) == 2  # 总分: 分值 and 得分
    for k in f_cells:
        assert stored[k].value is not None, k  # the computed value is stored with the formula
    total = max(sums, key=lambda k: stored[k].value)
    assert round(stored[sums[1]].value, 2) == float(round(data.total_score, 2)) or round(
        stored[total].value, 2) == float(round(data.total_points, 2))


def _csv(path: Path, tmp: Path) -> list[list[str]]:
    out = _soffice(path, tmp, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true")
    with out.open(encoding="utf-8") as fh:
        return [row for row in csv.reader(fh)]


@needs_calc
def test_libreoffice_shows_the_pdfs_figures(excel, tmp_path: Path):
    """Converted by LibreOffice (the stored values, as shown): amounts, rates, scores, the
    total and the indicator values read as the PDF prints them."""
    report, result, path = excel
    rows = _csv(path, tmp_path)
    flat = [cell for row in rows for cell in row]
    data = table_data.build(report, result)
    total = report.budget_total_row
    for want in (format_money(total.budget_total), format_money(total.executed), format_rate(data.budget[0].rate),
                 table_data.score_text(data.budget[0].score), table_data.score_text(data.total_score),
                 table_data.score_text(data.total_points), "310,000", "310,297", "90.56", "99.7"):
        assert want in flat, want
    for ind in data.indicators:
        if not ind.not_applicable:
            assert table_data.score_text(ind.score) in flat, ind.level3
    for m in data.projects:
        assert format_rate(m.rate) in flat


@needs_calc
def test_a_corrected_figure_recalculates(excel, tmp_path: Path):
    """An officer corrects 全年执行数 in Excel: the rate, the budget 得分 and the 总分 follow
    (LibreOffice computes the formulas; the figures are the app's own for that value)."""
    import copy

    report, _, path = excel
    wb = load_workbook(str(path))
    ws = wb.active
    cells = _grid(ws)
    executed = next(k for k, c in cells.items() if c.value == float(report.budget_total_row.executed))
    ws[executed] = 15000.0
    edited = tmp_path / "edited.xlsx"
    wb.save(str(edited))  # openpyxl keeps the formulas and drops the stored values
    flat = [c for row in _csv(edited, tmp_path) for c in row]
    changed = copy.deepcopy(report)
    changed.budget_total_row.executed = Decimal("15000")
    new = check(changed)
    data = table_data.build(changed, new)
    assert format_rate(data.budget[0].rate) in flat
    assert table_data.score_text(data.budget[0].score) in flat
    assert table_data.score_text(data.total_score) in flat


def test_rows_fit_their_wrapped_text(excel, tmp_path: Path):
    """Every row holding text that wraps is tall enough for its lines (the headers
    "全年预算数（A）", a long 偏差原因)."""
    report = example_report()
    report.indicators[2].reason = "受征收进度影响，部分房屋拆卸工作延后至下一年度完成，已列入下年度工作计划并加强督办。" * 3
    path = write_xlsx(report, tmp_path / "long.xlsx")
    ws = load_workbook(str(path)).active
    widths = {i: ws.column_dimensions[chr(64 + i)].width for i in range(1, 11)}
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    checked = 0
    for row in ws.iter_rows():
        for c in row:
            if not isinstance(c.value, str) or c.value.startswith("="):
                continue
            rng = merged.get((c.row, c.column))
            if rng is not None and rng.max_row > rng.min_row:
                continue  # merged down several rows
            width = sum(widths[k] for k in range(c.column, (rng.max_col if rng else c.column) + 1))
            lines = lines_needed(c.value, width)
            if lines > 1:
                checked += 1
                assert (ws.row_dimensions[c.row].height or 15) >= lines * LINE_PT, (c.coordinate, c.value, lines)
    assert checked >= 3


def test_print_setup(excel):
    _, _, path = excel
    ws = load_workbook(str(path)).active
    assert ws.print_area and ws.print_area.startswith("'自评表'!$A$1:")
    head = next(c for row in ws.iter_rows() for c in row if c.value == "一级指标")
    assert ws.freeze_panes == f"A{head.row + 1}"
    assert ws.print_title_rows.replace("$", "") == f"{head.row}:{head.row}"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.page_setup.orientation == "landscape"
    values = [c for row in ws.iter_rows(min_row=head.row + 1) for c in row if isinstance(c.value, float)
              and c.column in (5, 7)]
    assert values and all(c.number_format in ("#,##0", "#,##0.##", "#,##0.###") for c in values)
    assert any(c.number_format == "#,##0.##" for c in values)  # 99.7, 90.56


# -- F5 / F6 on both copies -------------------------------------------------------------------

def _hostile():
    report = example_report()
    report.indicators[0].reason = '=HYPERLINK("http://x.example/","y")'
    report.indicators[1].reason = "+1+2"
    report.indicators[2].reason = "@SUM(A1:A2)"
    report.indicators[3].reason = "-3-4"
    report.projects[0].reason = "说明\uffff中\ufffe间\x01"
    report.sections[0].body += "末尾\uffff。"
    return report


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    path = write_xlsx(_hostile(), tmp_path / "h.xlsx")
    sheet = _xml(path, "xl/worksheets/sheet1.xml")
    assert "HYPERLINK" not in "".join(re.findall(r"<f>([^<]*)</f>", sheet))
    ws = load_workbook(str(path)).active
    texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in ('=HYPERLINK("http://x.example/","y")', "+1+2", "@SUM(A1:A2)", "-3-4"):
        c = texts[value]
        assert c.data_type == "s" and c.quotePrefix, value


def test_characters_xml_cannot_hold_are_dropped_from_word_and_excel(tmp_path: Path):
    report = _hostile()
    docx = write_docx(report, tmp_path / "h.docx")
    xlsx = write_xlsx(report, tmp_path / "h.xlsx")
    assert "末尾。" in "".join(p.text for p in Document(str(docx)).paragraphs)
    cells = [c.value for row in load_workbook(str(xlsx)).active.iter_rows() for c in row]
    assert "说明中间" in cells
