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
    ind_cols = table_data.columns(report, "indicators")
    ncols = max(len(ind_cols), len(table_data.columns(report, "budget")), len(table_data.columns(report, "projects")),
                2)
    for i, col in enumerate(ind_cols, start=1):  # the widest table sets the widths, 26 cm of landscape A4
        ws.column_dimensions[get_column_letter(i)].width = max(8, round(col.share * 154))

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

    def widen(row: int, last: int) -> None:
        """A table narrower than the sheet: its last column spans the rest."""
        if last < ncols:
            for col in range(last + 1, ncols + 1):
                put(row, col, None)
            ws.merge_cells(start_row=row, start_column=last, end_row=row, end_column=ncols)

    r = 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    t = ws.cell(row=r, column=1, value=f"{report.year}年度{report.template.table.title}")
    t.font = Font(name="黑体", size=16, bold=True)
    t.alignment = Alignment(horizontal="center")
    r += 1
    split = max(1, ncols - 3)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=split)
    put(r, 1, f"单位名称（盖章）：{report.unit.full_name}", border=False)
    ws.merge_cells(start_row=r, start_column=split + 1, end_row=r, end_column=ncols)
    put(r, split + 1, "金额单位：万元", align="right", border=False)
    if report.cover:  # the cover fields (评价年度、预算编码 …) on one line under the unit
        from nanzhou_desktop.narrative import cover_value

        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        put(r, 1, "　　".join(f"{c.label}：{cover_value(c.kind, c.value)}" for c in report.cover), border=False)

    def figure(field: str, value):  # noqa: ANN001, ANN202 - a cell value by its column
        if field in ("budget_initial", "budget_total", "executed"):
            return _num(value), MONEY
        if field == "rate":
            return _rate(value), RATE
        if field in ("points", "score"):
            return _num(value), SCORE
        return value or None, None

    # 预算执行情况 and 重点项目: the template's columns
    for table, rows in (("budget", data.budget), ("projects", data.projects)):
        cols = table_data.columns(report, table)
        if not cols or (table == "projects" and not rows):
            continue
        r += 1 if table == "budget" else 2
        for k, col in enumerate(cols, start=1):
            put(r, k, col.header, head=True)
        widen(r, len(cols))
        for m in rows:
            r += 1
            for k, col in enumerate(cols, start=1):
                raw = m.label if col.field in ("label", "name") else getattr(m, col.field)
                value, fmt = figure(col.field, raw)
                put(r, k, value, fmt=fmt, align="right" if col.numeric else "left")
            widen(r, len(cols))

    r += 2
    head_row = r
    fields = [c.field for c in ind_cols]
    for k, col in enumerate(ind_cols, start=1):
        put(r, k, col.header, head=True)
    widen(r, len(ind_cols))
    first = r + 1
    for ind in data.indicators:
        r += 1
        for k, f in enumerate(fields, start=1):
            if f in ("target", "actual", "target_initial"):
                put(r, k, _typed(getattr(ind, f)), align="right")
            elif f == "points":
                put(r, k, "—" if ind.not_applicable else _num(ind.points), fmt=SCORE, align="right")
            elif f == "score":
                put(r, k, "不适用" if ind.not_applicable else _num(ind.score), fmt=SCORE, align="right")
            else:
                put(r, k, getattr(ind, f) or None, align="center" if f in ("direction", "unit") else "left")
        widen(r, len(ind_cols))
    for name, values in (("level1", [i.level1 for i in data.indicators]),
                         ("level2", [f"{i.level1}\x00{i.level2}" for i in data.indicators])):
        if name in fields:
            col = fields.index(name) + 1
            for a, b in table_data.spans(values):
                if b > a:
                    ws.merge_cells(start_row=first + a, start_column=col, end_row=first + b, end_column=col)
    r += 1
    total, span_to = table_data.total_row(data, fields)
    for k, f in enumerate(fields, start=1):
        if k == 1:
            put(r, k, total[0], head=True)
        elif f == "points":
            put(r, k, _num(data.total_points), fmt=SCORE, align="right", bold=True)
        elif f == "score":
            put(r, k, _num(data.total_score), fmt=SCORE, align="right", bold=True)
        else:
            put(r, k, total[k - 1] or None, bold=bool(total[k - 1]))
    if span_to > 0:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span_to + 1)
    widen(r, len(ind_cols))

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
