"""The Word and Excel copies re-read with python-docx / openpyxl hold the same text,
numbering and figures as the PDF; LibreOffice opens them (skipped when it is absent)."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Explanation
from nanzhou_desktop.money import format_money, round_half_up
from nanzhou_desktop.narrative import blocks
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.docx import write_docx
from nanzhou_desktop.render.xlsx import write_xlsx
from nanzhou_desktop.rules import check


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    report = example_report()
    result = check(report)
    d = tmp_path_factory.mktemp("copies")
    return report, result, write_docx(report, d / "r.docx", result=result), write_xlsx(report, d / "r.xlsx", result=result)


def test_docx_same_text_numbering_and_headings(copies):
    report, _, docx_path, _ = copies
    doc = Document(str(docx_path))
    # a line break set in a paragraph (the title's two lines) is layout, not text
    paras = [(p.style.name, p.text.replace("\n", "")) for p in doc.paragraphs if p.text.strip()]
    texts = [t for _, t in paras]
    pos = 0
    for b in blocks(report):
        want = b.full_text
        at = texts.index(want, pos)  # exact paragraph, in order
        style = paras[at][0]
        if b.kind == "heading":
            assert style == f"Heading {b.level}", (style, want)
        elif b.kind == "title":
            assert style == "Title"
        pos = at + 1
    assert report.unit.full_name in texts[pos:]


def test_docx_table_figures(copies):
    report, result, docx_path, _ = copies
    doc = Document(str(docx_path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    total = report.budget_total_row
    assert format_money(total.budget_total) in cells and format_money(total.executed) in cells
    assert "99.13%" in cells
    data = table_data.build(report, result)
    assert table_data.score_text(data.total_score) in cells
    assert f"自评等级：{data.grade}" in cells
    for ind in report.indicators:
        assert ind.level3 in cells
    assert doc.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)
    assert doc.sections[0].left_margin.mm == pytest.approx(28, abs=0.1)


def test_xlsx_numbers_rates_and_merges(copies):
    """Stored values (what a viewer shows before recalculating): amounts, rates, scores as
    numbers that print as the PDF does; 一级 merged over its rows."""
    report, result, _, xlsx_path = copies
    ws = load_workbook(str(xlsx_path), data_only=True).active
    values = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    total = report.budget_total_row
    money = [c for c in values.values() if isinstance(c.value, float) and c.number_format == "#,##0.00"]
    assert float(total.budget_total) in [c.value for c in money]
    assert float(total.executed) in [c.value for c in money]
    rates = [c for c in values.values() if c.number_format == "0.00%" and isinstance(c.value, float)]
    assert any(round(c.value * 100, 2) == 99.13 for c in rates)
    # The indicator rows: 一级 merged over its rows, scores are numbers.
    head = next(c for c in values.values() if c.value == "一级指标")
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_col == 1 and r.min_row > head.row and r.max_row > r.min_row]
    l1 = [i.level1 for i in report.indicators]
    assert len(merged) == sum(1 for a, b in table_data.spans(l1) if b > a)
    data = table_data.build(report, result)
    scores = [values[(head.row + 1 + i, 9)].value for i in range(len(data.indicators))]
    assert all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in scores)
    want = [float(round_half_up(i.score, 2)) for i in data.indicators]
    assert [float(round_half_up(Decimal(repr(s)), 2)) for s in scores] == want
    total_row = head.row + 1 + len(data.indicators)
    assert round(values[(total_row, 9)].value, 2) == float(round_half_up(data.total_score, 2))
    assert values[(total_row, 10)].value == f"自评等级：{data.grade}"
    # Targets typed as numbers are numbers.
    assert values[(head.row + 1, 5)].value == float(Decimal(report.indicators[0].target))


def test_explanation_reaches_the_deviation_column(tmp_path: Path):
    """The user's 出错说明 for a warning is printed in that row's 偏差原因."""
    report = example_report()
    result = check(report)
    warned = next((f for f in result.findings if f.where.table == "indicators" or "indicator:" in f.key), None)
    if warned is None:
        pytest.skip("规则未对示例的指标给出警告")
    report.explanations[warned.key] = Explanation(warned.key, "拆卸工作受征收进度影响，已列入下年计划")
    data = table_data.build(report, check(report))
    assert any("出错说明：拆卸工作受征收进度影响" in i.reason for i in data.indicators) or any(
        "拆卸工作受征收进度影响" in t for t in data.other_explanations)
    path = write_xlsx(report, tmp_path / "x.xlsx")
    ws = load_workbook(str(path)).active
    assert any("拆卸工作受征收进度影响" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装，跳过“能在 LibreOffice 中打开”的检查")
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_libreoffice_opens_the_copy(copies, tmp_path: Path, kind: str):
    _, _, docx_path, xlsx_path = copies
    src = docx_path if kind == "docx" else xlsx_path
    if kind == "xlsx" and not Path("/usr/lib/libreoffice/program/libsclo.so").exists():
        pytest.skip("LibreOffice Calc 未安装（libreoffice-calc-nogui），跳过 xlsx 检查")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=180, env=env)
    out = tmp_path / (src.stem + ".pdf")
    assert proc.returncode == 0 and out.exists() and out.stat().st_size > 1000, proc.stdout + proc.stderr
    if kind == "docx" and shutil.which("pdftotext"):
        # The blank 填报日期 of the signature row stays on one line ("日" used to wrap under it).
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        line = next(x for x in text.splitlines() if "填报日期" in x)
        assert re.search(r"填报日期：\s*年\s*月\s*日", line), line
