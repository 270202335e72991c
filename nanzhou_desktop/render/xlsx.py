"""The Excel copy of the self-evaluation table (.xlsx, openpyxl): amounts as numbers with two
decimals, rates as percentages (stored as fractions, shown as 99.13%), the 一级/二级 indicator
cells merged, print set to A4 landscape with the header rows repeated.

Numbers are written from Decimal through ``float`` because that is the only numeric type a
spreadsheet cell holds; every figure has at most a few significant digits, and the text shown
by the number format is the same as in the PDF (tests compare them).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from nanzhou_desktop.model import Report
from nanzhou_desktop.money import parse_decimal, round_half_up
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.output import atomic_write
from nanzhou_desktop.rules.findings import CheckResult

MONEY = "#,##0.00"
SCORE = "0.00"
RATE = "0.00%"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EBEBEB")
FONT = "仿宋"


def _num(value: Decimal | None, places: int = 2) -> float | None:
    # A cell holds a binary double; rounding first keeps the stored value the printed one.
    return None if value is None else float(round_half_up(value, places))


def _rate(value: Decimal | None) -> float | None:
    """Percent → fraction for Excel's 0.00% format, rounded as printed (99.1336… % → 0.9913)."""
    return None if value is None else float(round_half_up(value, 2) / 100)


def _typed(text: str) -> float | str:
    """A target/actual that is a number goes in as a number; 达成 or a range stays text."""
    try:
        value = parse_decimal(text)
    except ValueError:
        return text
    return text if value is None else float(value)


def write_xlsx(report: Report, path: str | os.PathLike[str], result: CheckResult | None = None) -> Path:
    if result is None:
        from nanzhou_desktop.rules import check

        result = check(report)
    data = table_data.build(report, result)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ncols = 10
    widths = (12, 12, 26, 10, 13, 10, 13, 9, 9, 40)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    def put(row: int, col: int, value, *, fmt: str | None = None, bold: bool = False, head: bool = False,
            align: str = "left", border: bool = True) -> None:
        c = ws.cell(row=row, column=col, value=value)
        c.font = Font(name=FONT, size=11, bold=bold or head)
        c.alignment = Alignment(horizontal="center" if head else align, vertical="center", wrap_text=True)
        if fmt:
            c.number_format = fmt
        if border:
            c.border = BOX
        if head:
            c.fill = HEAD_FILL

    r = 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    t = ws.cell(row=r, column=1, value=f"{report.year}年度{report.template.table.title}")
    t.font = Font(name="黑体", size=16, bold=True)
    t.alignment = Alignment(horizontal="center")
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    put(r, 1, f"单位名称（盖章）：{report.unit.full_name}", border=False)
    ws.merge_cells(start_row=r, start_column=8, end_row=r, end_column=ncols)
    put(r, 8, "金额单位：万元", align="right", border=False)
    if report.cover:  # the cover fields (评价年度、预算编码 …) on one line under the unit
        from nanzhou_desktop.narrative import cover_value

        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        put(r, 1, "　　".join(f"{c.label}：{cover_value(c.kind, c.value)}" for c in report.cover), border=False)

    # 预算执行情况 (columns: label over A–B, then the figures)
    r += 1
    budget_head = ["预算执行情况", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "分值", "得分", "偏差原因", ""]
    for col, text in enumerate(budget_head, start=1):
        put(r, col, text or None, head=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.merge_cells(start_row=r, start_column=9, end_row=r, end_column=10)
    for m in data.budget:
        r += 1
        put(r, 1, m.label)
        put(r, 2, None)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        put(r, 3, _num(m.budget_initial), fmt=MONEY, align="right")
        put(r, 4, _num(m.budget_total), fmt=MONEY, align="right")
        put(r, 5, _num(m.executed), fmt=MONEY, align="right")
        put(r, 6, _rate(m.rate), fmt=RATE, align="right")
        put(r, 7, _num(m.points), fmt=SCORE, align="right")
        put(r, 8, _num(m.score), fmt=SCORE, align="right")
        put(r, 9, m.reason or None)
        put(r, 10, None)
        ws.merge_cells(start_row=r, start_column=9, end_row=r, end_column=10)

    if data.projects:
        r += 2
        for col, text in enumerate(["重点项目", "", "", "全年预算数", "全年执行数", "执行率", "偏差原因", "", "", ""], start=1):
            put(r, col, text or None, head=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.merge_cells(start_row=r, start_column=7, end_row=r, end_column=10)
        for m in data.projects:
            r += 1
            put(r, 1, m.label)
            for col in (2, 3, 8, 9, 10):
                put(r, col, None)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            put(r, 4, _num(m.budget_total), fmt=MONEY, align="right")
            put(r, 5, _num(m.executed), fmt=MONEY, align="right")
            put(r, 6, _rate(m.rate), fmt=RATE, align="right")
            put(r, 7, m.reason or None)
            ws.merge_cells(start_row=r, start_column=7, end_row=r, end_column=10)

    r += 2
    head_row = r
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分",
                                "偏差原因分析及改进措施"], start=1):
        put(r, col, text, head=True)
    first = r + 1
    for ind in data.indicators:
        r += 1
        put(r, 1, ind.level1)
        put(r, 2, ind.level2)
        put(r, 3, ind.level3)
        put(r, 4, ind.direction, align="center")
        put(r, 5, _typed(ind.target), align="right")
        put(r, 6, ind.unit or None, align="center")
        put(r, 7, _typed(ind.actual), align="right")
        put(r, 8, "—" if ind.not_applicable else _num(ind.points), fmt=SCORE, align="right")
        put(r, 9, "不适用" if ind.not_applicable else _num(ind.score), fmt=SCORE, align="right")
        put(r, 10, ind.reason or None)
    for col, values in ((1, [i.level1 for i in data.indicators]), (2, [f"{i.level1}\x00{i.level2}" for i in data.indicators])):
        for a, b in table_data.spans(values):
            if b > a:
                ws.merge_cells(start_row=first + a, start_column=col, end_row=first + b, end_column=col)
    r += 1
    put(r, 1, "总分", head=True)
    for col in range(2, 8):
        put(r, col, None)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    put(r, 8, _num(data.total_points), fmt=SCORE, align="right", bold=True)
    put(r, 9, _num(data.total_score), fmt=SCORE, align="right", bold=True)
    put(r, 10, f"自评等级：{data.grade}", bold=True)

    for text in data.other_explanations:
        r += 1
        put(r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)

    s = report.signoff
    r += 2
    phone = "、".join(x for x in (s.phone_office, s.phone_mobile) if x)
    sig = [("单位负责人", s.head), ("财务负责人", s.finance_head), ("填报人", s.preparer), ("联系电话", phone),
           ("填报日期", s.fill_date)]
    col = 1
    for label, value in sig:
        put(r, col, f"{label}：{value}")
        put(r, col + 1, None)
        ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + 1)
        col += 2
    ws.row_dimensions[r].height = 40
    r += 1
    put(r, 1, "单位（盖章）：")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 40

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.freeze_panes = None
    return atomic_write(path, wb.save, what=" Excel ")
