"""The annex table (自评表) as printed: header cells never leave one character on a line of
their own, a table that does not fit splits across pages with its header repeated, a merged
一级/二级 cell splits with it (F7: 24 more indicators under one 一级指标 used to end in a
LayoutError), and the signature row and QR go over with the table's last rows."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest

from nanzhou_desktop.example import example_report
from nanzhou_desktop.render.pdf import render_pdf
from tests.core.pdf_pages import MM, read_pages

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) 未安装")
HEADERS = ("预算执行情况", "年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "重点项目", "全年预算数", "全年执行数",
           "执行率", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "偏差原因分析及改进措施")


def _cell_lines(page) -> list[list]:
    """Words of table size grouped into cells: words stacked closer than a cell's padding
    (one line under the other in the same cell), in reading order."""
    words = sorted((w for w in page.words if 9.5 <= w.h <= 11.5), key=lambda w: (round(w.x0), w.y0))
    cells: list[list] = []
    for w in words:
        for cell in cells:
            last = cell[-1]
            if abs(last.x0 - w.x0) < 12 and 0 <= w.y0 - last.y1 < 4.5 or abs(((last.x0 + last.x1) / 2) - (w.x0 + w.x1) / 2) < 2 and 0 <= w.y0 - last.y1 < 4.5:
                cell.append(w)
                break
        else:
            cells.append([w])
    return cells


def test_header_cells_never_wrap_a_single_character(tmp_path: Path):
    info = render_pdf(example_report(), tmp_path / "r.pdf")
    annex = [p for p in read_pages(info.path) if p.turned]
    checked = 0
    for p in annex:
        for cell in _cell_lines(p):
            text = "".join(w.text for w in cell)
            if text in HEADERS and len(cell) > 1:
                checked += 1
                for w in cell:  # no line that is one hanzi alone ("指标性|质"); "（A）" is whole
                    assert not re.fullmatch(r"[\u4e00-\u9fff]", re.sub(r"[（）()/，。、]", "", w.text)), (
                        text, [w.text for w in cell])
    assert checked >= 6  # 全年预算数（A）, 指标性质, 年度指标值, 度量单位, 实际完成值 …


def _with_many_indicators(extra: int):
    r = example_report()
    first = r.indicators[0]
    for k in range(extra):
        ind = copy.deepcopy(first)
        ind.level3 = f"第{k + 1}项新增数量指标（补充说明文字较长以占两行）"
        ind.id = None
        r.indicators.insert(1, ind)
    return r


@pytest.mark.parametrize("extra", [24, 60])
def test_a_tall_indicator_group_splits_across_pages_with_the_header(tmp_path: Path, extra: int):
    """F7: 24 (and 60) more indicators under one 一级/二级指标 print: the merged group cell
    splits with the rows, the table's header repeats on each page it continues on, the group
    name shows on each of those pages, and every indicator is printed once."""
    report = _with_many_indicators(extra)
    info = render_pdf(report, tmp_path / "many.pdf")
    pages = [p for p in read_pages(info.path) if p.turned]
    with_rows = [p for p in pages if any(w.text.startswith("第") and "新增" in w.text for w in p.words)]
    assert len(with_rows) >= 2
    group = report.indicators[0].level1
    for p in with_rows:
        text = "".join(w.text for w in p.words)
        assert "三级指标" in text and "偏差原因分析及改进措施" in text, p.n  # the header, repeated
        assert group in text, p.n  # the merged 一级 cell, shown again
    joined = "".join(w.text for p in pages for w in p.words)
    for k in range(extra):
        assert joined.count(f"第{k + 1}项新增") == 1, k


def test_table_starts_under_the_chart_when_two_rows_fit(tmp_path: Path):
    """The indicator table does not move whole to the next page when its header and two rows
    fit under the chart: with a short budget block there is room, and it starts there."""
    report = example_report()
    report.projects = []
    info = render_pdf(report, tmp_path / "r.pdf")
    first = next(p for p in read_pages(info.path) if p.turned)
    text = "".join(w.text for w in first.words)
    assert "预算执行情况对比" in text and "三级指标" in text


def test_signature_row_and_qr_go_over_with_the_last_rows(tmp_path: Path):
    """The signature row and the QR are never alone on a page: the table's last rows (here
    the total) share it; the QR's caption stays inside the block."""
    report = _with_many_indicators(24)
    info = render_pdf(report, tmp_path / "r.pdf")
    pages = read_pages(info.path)
    last = pages[-1]
    text = "".join(w.text for w in last.words)
    assert "单位负责人：" in text and "总分" in text and "报告核对码" in text
    for w in last.words:
        if w.h < 8:  # the caption at 6.5 pt
            assert w.x1 <= (35 + 225) * MM + 1, w


def test_splitting_a_long_table_lays_out_each_row_a_bounded_number_of_times(tmp_path: Path, monkeypatch):
    """F7, its cost: the rows reportlab lays out grow linearly with the indicators, not with
    indicators × pages (re-measuring every remaining row at each page made 500 indicators
    under one 一级指标 take three times as long as 250).  Counted, not timed."""
    from reportlab.platypus import tables

    laid_out = [0]
    original = tables.Table._calc_height

    def counting(self, *args, **kw):
        laid_out[0] += len(self._argH)
        return original(self, *args, **kw)

    monkeypatch.setattr(tables.Table, "_calc_height", counting)
    per_row = {}
    for extra in (60, 240):
        laid_out[0] = 0
        render_pdf(_with_many_indicators(extra), tmp_path / f"r{extra}.pdf")
        per_row[extra] = laid_out[0] / extra
    # each row: measured in the whole table, then once or twice in its page's part
    assert per_row[240] < 1.3 * per_row[60], per_row
    assert per_row[240] < 6, per_row
