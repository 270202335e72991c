"""Figures and tables in the forms offices use (issue 14 item 5): the budget wordings, and the
indicator tables' header variants in Word and PDF, merged 一级/二级 cells, and values as written.

The header names come from the forms the templates were researched from (docs/templates.md:
财预〔2020〕10号's 部门整体支出绩效自评表 with 年初目标值/全年目标值/实际完成值/分值/得分, the 广东
年度指标值/实际完成值, 四川's 指标值/完成值/权重, the 达州 得分表 with 得分 only) and from issue 14.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.importing import import_bytes, import_document
from nanzhou_desktop.importing.figures import budget_statements
from nanzhou_desktop.model import Direction

D = Decimal


@pytest.mark.parametrize(("text", "initial", "total", "executed", "rate"), [
    # 南洲 (the example): 全年预算数 … 执行数 … 完成预算的
    ("全年预算数 19,910.75 万元，执行数 19,738.24 万元，完成预算的 99.13%。", None, D("19910.75"), D("19738.24"),
     D("99.13")),
    # issue 14: 财政拨款收入合计 … 财政拨款支出合计 … 预算执行率
    ("财政拨款收入合计2024.05万元，财政拨款支出合计2024.05万元，预算执行率100%。", None, D("2024.05"), D("2024.05"),
     D("100")),
    # 年初预算 / 调整后预算 / 实际支出 (青神县发改局's form words, written out)
    ("年初预算238.93万元，调整后预算251.89万元，实际支出251.89万元，执行率100%。", D("238.93"), D("251.89"),
     D("251.89"), D("100")),
    # 决算数 and 支出总额 as the amount spent
    ("全年预算数为1,200万元，决算数为1,150.5万元。", None, D("1200"), D("1150.5"), None),
    ("预算总额860万元，支出总额845.2万元，执行率为98.28%。", None, D("860"), D("845.2"), D("98.28")),
])
def test_budget_wordings(text, initial, total, executed, rate):
    (st,) = budget_statements(text)
    assert (st.initial, st.total, st.executed, st.rate) == (initial, total, executed, rate)


def test_amounts_that_are_not_a_budget_statement():
    """收入/支出 lists (南县政协) and 到位资金 (红河州) state no budget executed."""
    assert budget_statements("1、收入:792.22万元。其中:财政拨款收入792.22万元。2、支出:799.12万元。") == []
    assert budget_statements("调整预算后项目预算861.46万元,实际到位资金334.67万元。") == []


def test_basic_and_project_rows_from_a_budget_sentence():
    text = ("一、基本情况\n（三）部门整体收支情况\n全年预算数 1,000 万元，执行数 950 万元，其中：基本支出预算 600 万元、"
            "项目支出预算 400 万元。\n")
    r = import_bytes(text.encode(), "x.txt", template=None).report
    labels = [(b.label, b.budget_total) for b in r.budget]
    assert ("其中：基本支出", D(600)) in labels and ("其中：项目支出", D(400)) in labels


# ---------------------------------------------------------------------- indicator tables in Word
def word(tmp: Path, rows: list[list[str]], merges: tuple[tuple[int, int, int, int], ...] = ()) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("2023年度某某镇人民政府部门整体支出绩效自评报告")
    d.add_paragraph("一、基本情况")
    d.add_paragraph("本镇负责辖区管理。")
    d.add_paragraph("附件")
    d.add_paragraph("2023年度部门整体支出绩效自评表")
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    path = tmp / "自评表.docx"
    d.save(path)
    return path


MOF = [["一级指标", "二级指标", "三级指标", "年初目标值（A）", "全年目标值", "实际完成值（B）", "分值", "得分", "偏差原因分析及改进措施"],
       ["产出指标", "数量指标", "处理信访案件", "150件", "160件", "168起", "20", "20", ""],
       ["", "质量指标", "办结率", "≥95%", "≥98%", "99%", "20", "20", ""],
       ["效益指标", "社会效益指标", "辖区环境", "有效改善", "有效改善", "有效改善", "20", "18", "个别点位反复"]]


def test_word_table_with_initial_and_full_year_targets_and_merged_cells(tmp_path: Path):
    path = word(tmp_path, MOF, merges=((1, 0, 2, 0),))
    r = import_document(path).report
    got = [(i.level1, i.level2, i.level3, i.direction, i.target, i.actual, i.points, i.reason) for i in r.indicators]
    assert got == [
        ("产出指标", "数量指标", "处理信访案件", Direction.AT_LEAST, "160件", "168起", D(20), ""),
        ("产出指标", "质量指标", "办结率", Direction.AT_LEAST, "98%", "99%", D(20), ""),
        ("效益指标", "社会效益指标", "辖区环境", Direction.QUALITATIVE, "有效改善", "有效改善", D(20), "个别点位反复"),
    ]
    assert [i.target_initial for i in r.indicators] == ["150件", "≥95%", "有效改善"]


@pytest.mark.parametrize(("header", "field"), [
    (["一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重"], "points"),        # 四川 (青神县发改局)
    (["一级指标", "二级指标", "三级指标", "年度指标值", "实际值", "权值"], "points"),
    (["一级指标", "二级指标", "指标名称", "全年目标值", "实际完成值(B)", "分值"], "points"),
])
def test_word_table_header_variants(tmp_path: Path, header, field):
    rows = [header, ["产出指标", "数量指标", "培训场次", "≥12场", "14场", "10"]]
    r = import_document(word(tmp_path, rows)).report
    (ind,) = r.indicators
    assert (ind.level3, ind.target, ind.actual, getattr(ind, field)) == ("培训场次", "12场", "14场", D(10))


def test_a_table_with_score_and_no_points_is_read(tmp_path: Path):
    """得分 only (the 达州 得分表): the indicators are read; their 得分 is kept where the template's
    scheme has it entered."""
    from nanzhou_desktop.template import load_template

    rows = [["一级指标", "二级指标", "三级指标", "得分", "评分依据及扣分原因"],
            ["部门决策", "目标任务", "相关性", "5", ""], ["", "", "明确性", "4", "个别目标不够具体"]]
    result = import_document(word(tmp_path, rows), template=load_template("sichuan_dazhou_2021"))
    got = [(i.level1, i.level2, i.level3, i.score, i.reason) for i in result.report.indicators]
    assert got == [("部门决策", "目标任务", "相关性", D(5), ""), ("部门决策", "目标任务", "明确性", D(4), "个别目标不够具体")]


# ---------------------------------------------------------------------- indicator table in a PDF
def test_pdf_ruled_table_with_merged_cells(tmp_path: Path):
    """A PDF from another program: a ruled 绩效指标 table whose 一级指标 cell spans two rows and
    whose 三级指标 wraps in its cell."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from nanzhou_desktop.render.fonts import find_fonts, register

    face = find_fonts()["body"]
    register(face)
    style = ParagraphStyle("c", fontName=face.rl_name, fontSize=10, leading=13)

    def p(text: str) -> Paragraph:
        return Paragraph(text, style)

    data = [[p(h) for h in ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分")],
            [p("产出指标"), p("数量指标"), p("老旧小区改造完成数量（含配套设施）"), p("≥"), p("3"), p("个"), p("3"), p("30"), p("30")],
            ["", p("时效指标"), p("按期完成率"), p("≥"), p("100"), p("%"), p("95"), p("30"), p("28.5")],
            [p("满意度指标"), p("服务对象满意度指标"), p("居民满意度"), p("≥"), p("90"), p("%"), p("96"), p("30"), p("30")]]
    table = Table(data, colWidths=[70, 80, 150, 50, 60, 50, 60, 40, 40])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("SPAN", (0, 1), (0, 2))]))
    path = tmp_path / "他处.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    title = ParagraphStyle("t", fontName=face.rl_name, fontSize=16, leading=22)
    doc.build([Paragraph("2023年度某某街道办事处部门整体支出绩效自评报告", title), Paragraph("一、基本情况", title),
               Paragraph("本街道负责辖区管理。", style), Paragraph("附件", style),
               Paragraph("2023年度部门整体支出绩效自评表", title), table])
    r = import_document(path).report
    got = [(i.level1, i.level2, i.level3, i.target, i.unit, i.actual, i.points) for i in r.indicators]
    assert got == [("产出指标", "数量指标", "老旧小区改造完成数量（含配套设施）", "3", "个", "3", D(30)),
                   ("产出指标", "时效指标", "按期完成率", "100", "%", "95", D(30)),
                   ("满意度指标", "服务对象满意度指标", "居民满意度", "90", "%", "96", D(30))]


def test_a_preface_is_printed_even_under_a_template_without_one(tmp_path: Path):
    """前言 kept and printed (issue 14 item 3): a document's opening paragraph under the 广州 template
    (which has none) prints before 一、 and reads back."""
    import re

    from nanzhou_desktop.render.pdf import render_pdf
    from nanzhou_desktop.template import load_template
    from tests.core.test_import_realworld import CORPUS

    text = (CORPUS / "guangdong_zhanjiang_aiguo_street_2021.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    r = import_bytes(text.encode(), "x.txt", template=load_template("guangzhou_street_2022")).report
    assert r.preface.startswith("根据《关于开展2021年度区级部门单位整体支出自我绩效评价的通知》")
    render_pdf(r, tmp_path / "r.pdf")
    back = import_document(tmp_path / "r.pdf", template=load_template("guangzhou_street_2022")).report
    assert re.sub(r"\s", "", back.preface) == re.sub(r"\s", "", r.preface)


# ---------------------------------------------------------------------- pages turned in the PDF
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("drawn_turned", [False, True])
def test_a_page_turned_by_the_printer_or_in_a_viewer_reads_as_upright(tmp_path: Path, rotate: int, drawn_turned: bool):
    """A landscape page is often a portrait sheet whose text is drawn turned by 90° (a printer
    driver's landscape), and any page may carry a /Rotate a viewer's "rotate and save" set: the
    text reads in the same order as on an upright page."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from nanzhou_desktop.importing.readers import read_document
    from nanzhou_desktop.render.fonts import find_fonts, register

    face = find_fonts()["body"]
    register(face)
    lines = ["2023年度某某街道办事处部门整体支出绩效自评报告", "一、部门基本情况", "本单位负责辖区的社会管理和公共服务。",
             "二、绩效自评情况", "全年预算数100.00万元，执行数95.00万元，预算执行率95.00%。"]
    drawn = tmp_path / "drawn.pdf"
    c = canvas.Canvas(str(drawn), pagesize=A4)
    if drawn_turned:
        c.translate(A4[0], 0)
        c.rotate(90)
    for n, text in enumerate(lines):
        c.setFont(face.rl_name, 14)
        c.drawString(60, (A4[0] if drawn_turned else A4[1]) - 80 - 30 * n, text)
    c.showPage()
    c.save()
    writer = PdfWriter()
    for page in PdfReader(str(drawn)).pages:
        page.rotate(rotate)
        writer.add_page(page)
    turned = tmp_path / "turned.pdf"
    with open(turned, "wb") as fh:
        writer.write(fh)
    assert [line.text for line in read_document(turned).lines if line.text.strip()] == lines
