"""The cover page and the 前言: printed in the PDF (the cover unnumbered, the body from the next
page) and in the Word copy, and the cover fields in the Excel copy; the example, which has
neither, prints as before."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import CoverField, Report
from tests.core.test_render_office import _soffice, needs_lo

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")

PREFACE = ("根据《关于开展2022年度部门整体支出绩效自评工作的通知》要求，我单位及时布置自评任务，"
           "现将2022年度部门整体支出绩效自评情况报告如下：")


def _with_cover() -> Report:
    r = example_report(fresh_uuid=True)
    r.cover = [CoverField("eval_year", "评价年度", "year", True, "2022"),
               CoverField("unit", "评价单位（公章）", "text", True, r.unit.full_name),
               CoverField("budget_code", "预算编码", "code", False, ""),
               CoverField("report_date", "报告日期", "date", True, "2023-03-15")]
    r.preface = PREFACE
    return r


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[str], Report]:
    from nanzhou_desktop.render.pdf import render_pdf

    r = _with_cover()
    out = tmp_path_factory.mktemp("cover") / "r.pdf"
    render_pdf(r, out)
    return out, _pages(out), r


def test_the_cover_page_holds_the_title_and_the_fields(printed) -> None:
    _, pages, r = printed
    first = pages[0]
    assert "2022年度广州市海珠区人民政府南洲街道办事处" in first
    assert "评价年度：2022年度" in first and "报告日期：2023年3月15日" in first
    assert "评价单位（公章）：广州市海珠区人民政府南洲街道办事处" in first
    assert "预算编码：＿＿＿" in first  # an empty field leaves a line to write on
    assert "一、基本情况" not in first and "—1—" not in first  # the body, and page numbers, start after it


def test_the_preface_comes_before_the_outline_on_page_one(printed) -> None:
    _, pages, _ = printed
    body = pages[1].removeprefix("草稿")  # the draft mark
    assert body.startswith("根据《关于开展2022年度部门整体支出绩效自评工作的通知》要求")
    assert body.index("现将2022年度部门整体支出绩效自评情况报告如下") < body.index("一、基本情况")
    assert "—1—" in body


def test_word_copy_has_the_cover_and_the_preface(tmp_path: Path) -> None:
    from docx import Document

    from nanzhou_desktop.render.docx import write_docx

    r = _with_cover()
    texts = [p.text for p in Document(str(write_docx(r, tmp_path / "r.docx"))).paragraphs]
    assert "评价年度：2022年度" in texts and "报告日期：2023年3月15日" in texts
    assert texts.index(PREFACE) < texts.index("一、基本情况") and texts.index("评价年度：2022年度") < texts.index(PREFACE)


def test_excel_copy_names_the_cover_fields(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from nanzhou_desktop.render.xlsx import write_xlsx

    ws = load_workbook(write_xlsx(_with_cover(), tmp_path / "r.xlsx")).active
    cells = [str(c.value) for row in ws.iter_rows(max_row=5) for c in row if c.value]
    assert any("评价年度：2022年度" in c and "预算编码：" in c and "报告日期：2023年3月15日" in c for c in cells)


def test_figures_in_the_preface_are_checked() -> None:
    from nanzhou_desktop.rules import check

    r = example_report()
    r.preface = "全年预算数 19,910.75 万元，执行数 19,000.00 万元，完成预算的 95.43%。"
    found = [f for f in check(r).findings if f.where.table == "report" and f.where.column == "preface"]
    assert found and all(f.message.startswith("前言") for f in found)
    assert any(f.rule == "narrative.budget_mismatch" and "19,738.24" in f.expected for f in found)


def _cover_of(fields: list[CoverField], tmp_path: Path) -> list[str]:
    from nanzhou_desktop.render.pdf import render_pdf

    r = _with_cover()
    r.cover = fields
    render_pdf(r, tmp_path / "r.pdf")
    return _pages(tmp_path / "r.pdf")


def test_a_full_cover_leaves_no_page_of_its_own_behind(tmp_path: Path) -> None:
    """The six fields of a 湖南 form (岳阳县新开镇, tests/data/realworld) with a unit name on two
    lines filled the page to its last line: the blank line after the last field went on to a
    numbered page of its own, and the body began on the third sheet."""
    name = "广州市海珠区人民政府南洲街道办事处"
    pages = _cover_of([CoverField("eval_year", "评价年度", "year", True, "2022"),
                       CoverField("unit", "部门（单位）名称（公章）", "text", True, name),
                       CoverField("budget_code", "预算编码", "code", False, ""),
                       CoverField("way", "评价方式", "text", False, "部门（单位）绩效自评"),
                       CoverField("org", "评价机构", "text", False, "部门（单位）评价组"),
                       CoverField("report_date", "报告日期", "date", True, "2023-03-15")], tmp_path)
    assert "报告日期：2023年3月15日" in pages[0] and "—1—" not in pages[0]
    assert pages[1].removeprefix("草稿").startswith("根据《关于开展2022年度") and "—1—" in pages[1]


def test_a_cover_with_many_fields_closes_up_to_stay_on_its_page(tmp_path: Path) -> None:
    """Ten fields, two of them on two lines: the blank lines above the title, under it and
    between the fields give way, and every field stays on the cover."""
    long = "广州市海珠区人民政府南洲街道办事处党政综合办公室"
    fields = [CoverField(f"f{k}", f"第{k}项", "text", False, long if k in (2, 5) else f"内容{k}") for k in range(1, 11)]
    pages = _cover_of(fields, tmp_path)
    assert all(f"第{k}项：" in pages[0] for k in range(1, 11)), pages[0]
    assert "—1—" not in pages[0]
    assert pages[1].removeprefix("草稿").startswith("根据《关于开展2022年度") and "—1—" in pages[1]


@needs_lo
def test_the_word_copy_of_a_full_cover_keeps_it_on_one_page(tmp_path: Path) -> None:
    """The Word copy spaces its cover as the PDF does: in LibreOffice the ten fields (two on two
    lines) stay on the cover, and the six of the 湖南 form leave no blank page after it."""
    from nanzhou_desktop.render.docx import write_docx

    name = "广州市海珠区人民政府南洲街道办事处"
    long = name + "党政综合办公室"
    covers = {
        "six": [CoverField("eval_year", "评价年度", "year", True, "2022"),
                CoverField("unit", "部门（单位）名称（公章）", "text", True, name),
                CoverField("budget_code", "预算编码", "code", False, ""),
                CoverField("way", "评价方式", "text", False, "部门（单位）绩效自评"),
                CoverField("org", "评价机构", "text", False, "部门（单位）评价组"),
                CoverField("report_date", "报告日期", "date", True, "2023-03-15")],
        "ten": [CoverField(f"f{k}", f"第{k}项", "text", False, long if k in (2, 5) else f"内容{k}")
                for k in range(1, 11)],
    }
    for key, fields in covers.items():
        r = _with_cover()
        r.cover = fields
        pages = _pages(_soffice(write_docx(r, tmp_path / f"{key}.docx"), tmp_path, "pdf"))
        assert f"{fields[-1].label}：" in pages[0], (key, pages[0])
        assert pages[1].removeprefix("草稿").startswith("根据《关于开展2022年度"), (key, pages[1][:80])
