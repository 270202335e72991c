"""Reports that are not the example: blank, odd, long; each renders to PDF, Word and Excel
without a traceback and without losing text."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import BudgetKind, BudgetRow, Direction, Indicator, Project, Unit
from nanzhou_desktop.render.docx import write_docx
from nanzhou_desktop.render.pdf import RenderError, render_pdf
from nanzhou_desktop.render.xlsx import write_xlsx
from nanzhou_desktop.store.reportfile import new_report


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_blank_new_report(tmp_path: Path):
    report = new_report(Unit("广州市海珠区人民政府南洲街道办事处", "南洲街道", "", "海珠区"), 2023)
    info = render_pdf(report, tmp_path / "blank.pdf")
    assert info.pages >= 2
    write_docx(report, tmp_path / "blank.docx")
    write_xlsx(report, tmp_path / "blank.xlsx")
    if shutil.which("pdftotext"):
        text = _text(info.path)
        assert "2023年度" in text and "部门整体支出绩效自评表" in text


def test_odd_content(tmp_path: Path):
    report = example_report()
    report.sections[1].body = ("超长数字" + "1234567890" * 8 + "，后文。\n" + "“引号”（括号）《书名》，" * 30)
    report.budget = [BudgetRow(BudgetKind.TOTAL, "年度资金总额", Decimal("100.00"), Decimal("120.00"), Decimal("130.50"),
                               reason="追加预算 & <特殊> 字符"),
                     BudgetRow(BudgetKind.BASIC, "基本支出", None, Decimal("0"), Decimal("0"))]
    report.projects.append(Project("无预算项目", None, None))
    report.indicators.append(Indicator("满意度指标", "服务对象满意度指标", "定性指标", Direction.QUALITATIVE, "达成", "", "部分达成",
                                       Decimal("5"), not_applicable=True))
    info = render_pdf(report, tmp_path / "odd.pdf")
    assert info.missing_chars == set()
    if shutil.which("pdftotext"):
        text = _text(info.path).replace("\n", "")
        assert "追加预算 & <特殊> 字符" in text
        assert "不适用" in text
        assert "108.75%" in text  # 130.50 / 120.00
    write_docx(report, tmp_path / "odd.docx")
    write_xlsx(report, tmp_path / "odd.xlsx")


def test_unwritable_destination_is_a_chinese_error(tmp_path: Path):
    with pytest.raises(RenderError) as err:
        render_pdf(example_report(), tmp_path / "无此目录" / "x.pdf")
    assert "无法写入" in str(err.value)
    assert not list(tmp_path.glob("**/.nz-*"))


def test_characters_above_the_bmp_extract_as_themselves(tmp_path: Path):
    """reportlab's ToUnicode map breaks above U+FFFF; ours writes surrogate pairs."""
    from nanzhou_desktop.render.fonts import find_fonts, font_for

    report = example_report()
    report.sections[2].body = "居民满意度调查😀完成，生僻字𠀀照常保存。"
    info = render_pdf(report, tmp_path / "astral.pdf")
    fonts = find_fonts()
    text = _text(info.path) if shutil.which("pdftotext") else ""
    for ch in "😀𠀀":
        if font_for(fonts, "body", ch) is None:
            assert ch in info.missing_chars
        elif text:
            assert ch in text, ch
    if text:
        assert "居民满意度调查" in text


def test_table_cells_obey_line_breaking_rules(tmp_path: Path):
    """Annex cells are wrapped by our breaker: no cell line starts with ，。、；：？！）》”’."""
    from tests.core.test_render_pdf import FORBIDDEN_END, FORBIDDEN_START, read_pages

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) 未安装")
    report = example_report()
    # Marks at every position: some break must fall right before one of them.
    report.indicators[0].reason = "".join(f"{'偏' * k}，（说明）" for k in range(1, 22))
    report.budget[0].reason = "".join(f"{'差' * k}。”" for k in range(1, 18))
    info = render_pdf(report, tmp_path / "cells.pdf")
    words = [w for p in read_pages(info.path) if not p.portrait for w in p.words if 9.5 <= w.h <= 11.5]
    cell_lines = [w.text for w in words if "偏" in w.text or "差" in w.text]
    assert len(cell_lines) > 10
    assert not [t for t in cell_lines if t[0] in FORBIDDEN_START or t[-1] in FORBIDDEN_END], cell_lines


def test_signature_row_never_stands_alone_after_long_explanations(tmp_path: Path):
    """With every 警告 explained at length, the annex's signature row and QR code share their
    page with the last 其他出错说明 (it used to be pushed onto a page of its own)."""
    from nanzhou_desktop.model import Explanation
    from nanzhou_desktop.rules import check

    r = example_report()
    text = "经核实，该项偏差系年度中期任务调整所致，已在下一年度计划中安排整改，相关说明材料已报区财政局备案。"
    for f in check(r).findings:
        if f.severity == "警告":
            # A long one for the narrative warning: the length that used to leave the
            # signature row alone on the last page.
            long = f.where.table not in ("indicators", "budget_rows", "projects")
            r.explanations[f.key] = Explanation(f.key, text * (7 if long else 1), "王五", "2023-03-15T10:00:00+08:00")
    info = render_pdf(r, tmp_path / "r.pdf")
    last = subprocess.run(["pdftotext", "-f", str(info.pages), "-l", str(info.pages), str(info.path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "单位负责人" in last and "其他出错说明" in last


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")
@pytest.mark.parametrize("what", ["unit name", "contact", "both"])
def test_names_as_long_as_the_limits_allow_print_on_the_sheet(tmp_path: Path, what: str):
    """A unit name or a contact of 1,000 characters (limits.SHORT_TEXT_CHARS) prints: the
    sign-off taller than a page goes on by lines (it was a LayoutError with the last lines
    it travels with), the annex's signature cells grow instead of spilling out of a fixed
    26 mm, the QR holds the name's first 100 characters (1,000 were more than any QR code
    holds), the page-foot line is cut to the block — and nothing is drawn off the sheet."""
    from nanzhou_desktop.render.stamp import QR_NAME_CHARS, compare_payload
    from tests.core.pdf_pages import MM, read_pages

    report = example_report()
    if what in ("unit name", "both"):
        report.unit.full_name = "南洲街道" * 250
    if what in ("contact", "both"):
        report.signoff.preparer = "P" * 1000
        report.signoff.head = "王" * 1000
    info = render_pdf(report, tmp_path / "long.pdf")
    assert compare_payload(report, info.qr_payload) == []
    assert len(info.qr_payload.split(";")[1]) <= len("单位=") + QR_NAME_CHARS
    pages = read_pages(info.path, turn=False)
    for page in pages:
        for w in page.words:  # on the sheet, 7 mm clear of its edges (the foot line is at 10 mm)
            assert 7 * MM <= w.x0 and w.x1 <= page.w - 7 * MM, (page.n, w)
            assert 7 * MM <= w.y0 and w.y1 <= page.h - 7 * MM, (page.n, w)
    if what != "contact":
        text = "".join(w.text for p in pages for w in p.words)
        assert text.count("南洲街道") >= 250  # the 署名 in full, over pages if it must
    write_docx(report, tmp_path / "long.docx")
    write_xlsx(report, tmp_path / "long.xlsx")
