"""The Excel copy of the self-evaluation table (.xlsx, openpyxl), as an office keeps working
on it: amounts as numbers with two decimals; 执行率, 得分 and 总分 as formulas over the
figures beside them, so an officer who corrects a figure in Excel gets the right rate and
score, with the computed values stored too, so the file shows them before any recalculation
(LibreOffice shows stored values by default; Excel recalculates on opening); the 一级/二级
indicator cells merged; rows as tall as their wrapped text; printed on A4 landscape with a
print area, the indicator header frozen and repeated, and "第 &P 页 共 &N 页" at the foot.

Numbers are written from Decimal through ``float`` because that is the only numeric type a
spreadsheet cell holds; the text shown by the number format is the same as in the PDF (tests
compare them through LibreOffice).  Text stays text: every string is written as a string (a
cell typed ``=HYPERLINK(…)`` does not become a live formula, OWASP's CSV-injection rule, with
Excel's quote prefix so it stays text when edited) and without what XML cannot hold (U+FFFF …).
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from nanzhou_desktop.limits import FORMULA_PREFIXES, strip_xml_invalid
from nanzhou_desktop.model import Direction, Report
from nanzhou_desktop.money import parse_decimal, round_half_up
from nanzhou_desktop.render import table_data
from nanzhou_desktop.render.output import atomic_write
from nanzhou_desktop.render.pdf import chinese_date
from nanzhou_desktop.rules.findings import CheckResult

MONEY = "#,##0.00"
SCORE = "0.00"
RATE = "0.00%"
VALUE = "#,##0.##"  # indicator values: thousands separated, up to two decimals
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EBEBEB")
FONT = "仿宋"
FONT_SIZE = 11
LINE_PT = 14.5  # one line of 11 pt 仿宋
SHEET = "xl/worksheets/sheet1.xml"


def _num(value: Decimal | None, places: int = 2) -> float | None:
    # A cell holds a binary double; rounding first keeps the stored value the printed one.
    return None if value is None else float(round_half_up(value, places))


def _exact(value: Decimal | None) -> float | None:
    """A figure a formula uses (分值 shared out as 100/3 …): not rounded, shown to two places."""
    return None if value is None else float(value)


def _typed(text: str) -> float | str:
    """A target/actual that is a number goes in as a number; 达成 or a range stays text."""
    try:
        value = parse_decimal(text)
    except ValueError:
        return text
    return text if value is None else float(value)


def value_format(text: str) -> str:
    """#,##0.## for an indicator value, with as many decimal places as it was typed with
    when more than two (16.827) and none for a whole number (Excel would show "310,000."
    with a bare decimal point under #,##0.##)."""
    places = len(text.strip().partition(".")[2]) if "." in text else 0
    if places == 0:
        return "#,##0"
    return VALUE if places <= 2 else "#,##0." + "#" * places


def _text_units(text: str) -> float:
    """Width of ``text`` in Excel column units (the default font's digit): a Chinese
    character of 11 pt 仿宋 about two, a Latin letter or digit about one."""
    return sum(2.1 if ord(c) > 0x2E7F else 1.1 for c in text)


def lines_needed(text: str, width_units: float) -> int:
    """Lines ``text`` wraps to in a cell ``width_units`` wide (a little narrow on purpose:
    a row a line too tall is better than a clipped one)."""
    room = max(width_units - 0.8, 1.0)
    return sum(max(1, math.ceil(_text_units(part) / room)) for part in str(text).split("\n"))


def write_xlsx(report: Report, path: str | os.PathLike[str], result: CheckResult | None = None) -> Path:
    if result is None:
        from nanzhou_desktop.rules import check

        result = check(report)
    data = table_data.build(report, result)
    scheme = report.template.scheme
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ind_cols = table_data.columns(report, "indicators")
    ncols = max(len(ind_cols), len(table_data.columns(report, "budget")), len(table_data.columns(report, "projects")),
                2)
    widths: dict[int, float] = {}
    for i, col in enumerate(ind_cols, start=1):  # the widest table sets the widths, 26 cm of landscape A4
        widths[i] = max(8, round(col.share * 154))
        ws.column_dimensions[get_column_letter(i)].width = widths[i]
    cached: dict[str, float] = {}  # formula cell → the value it computes, stored with it

    def put(row: int, col: int, value, *, fmt: str | None = None, bold: bool = False, head: bool = False,
            align: str = "left", border: bool = True):
        c = ws.cell(row=row, column=col)
        if isinstance(value, str):
            text = strip_xml_invalid(value)
            c.value = text
            if text.startswith(FORMULA_PREFIXES):  # text, never a formula (OWASP)
                c.data_type = "s"
                c.quotePrefix = True
        else:
            c.value = value
        c.font = Font(name=FONT, size=FONT_SIZE, bold=bold or head)
        c.alignment = Alignment(horizontal="center" if head else align, vertical="center", wrap_text=True)
        if fmt:
            c.number_format = fmt
        if border:
            c.border = BOX
        if head:
            c.fill = HEAD_FILL
        return c

    def formula(row: int, col: int, expr: str, value: float | None, *, fmt: str, bold: bool = False) -> None:
        c = put(row, col, None, fmt=fmt, align="right", bold=bold)
        c.value = "=" + expr
        if value is not None:
            cached[c.coordinate] = value

    def widen(row: int, last: int) -> None:
        """A table narrower than the sheet: its last column spans the rest."""
        if last < ncols:
            for col in range(last + 1, ncols + 1):
                put(row, col, None)
            ws.merge_cells(start_row=row, start_column=last, end_row=row, end_column=ncols)

    r = 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    t = ws.cell(row=r, column=1, value=strip_xml_invalid(f"{report.year}年度{report.template.table.title}"))
    t.font = Font(name="黑体", size=16, bold=True)
    t.alignment = Alignment(horizontal="center")
    ws.row_dimensions[r].height = 24
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
        if field == "points":
            return _exact(value), SCORE
        if field == "score":
            return _num(value), SCORE
        return value or None, None

    # 预算执行情况 and 重点项目: the template's columns; 执行率 and the 预算执行率 得分 as formulas.
    budget_points_ref = budget_score_ref = None
    for table, rows in (("budget", data.budget), ("projects", data.projects)):
        cols = table_data.columns(report, table)
        if not cols or (table == "projects" and not rows):
            continue
        r += 1 if table == "budget" else 2
        for k, col in enumerate(cols, start=1):
            put(r, k, col.header, head=True)
        widen(r, len(cols))
        where = {col.field: get_column_letter(k) for k, col in enumerate(cols, start=1)}
        for m in rows:
            r += 1
            total_row = table == "budget" and m.points is not None
            for k, col in enumerate(cols, start=1):
                f = col.field
                raw = m.label if f in ("label", "name") else getattr(m, f)
                if f == "rate" and "budget_total" in where and "executed" in where:
                    bt, ex = f"{where['budget_total']}{r}", f"{where['executed']}{r}"
                    value = None if m.rate is None else float(m.rate / 100)
                    formula(r, k, f'IF(OR({bt}="",{bt}=0),"",{ex}/{bt})', value, fmt=RATE)
                elif f == "rate":
                    put(r, k, None if m.rate is None else float(round_half_up(m.rate, 2) / 100), fmt=RATE,
                        align="right")
                elif f == "score" and total_row and (expr := _budget_score_formula(scheme, where, r)):
                    formula(r, k, expr, _exact(m.score), fmt=SCORE)
                else:
                    value, fmt = figure(f, raw)
                    put(r, k, value, fmt=fmt, align="right" if col.numeric else "left")
            if total_row:
                budget_points_ref = f"{where['points']}{r}" if "points" in where else None
                budget_score_ref = f"{where['score']}{r}" if "score" in where else None
            widen(r, len(cols))

    r += 2
    head_row = r
    fields = [c.field for c in ind_cols]
    where = {f: get_column_letter(k) for k, f in enumerate(fields, start=1)}
    for k, col in enumerate(ind_cols, start=1):
        put(r, k, col.header, head=True)
    widen(r, len(ind_cols))
    first = r + 1
    computed = scheme.indicators.score != "entered"
    for ind, model in zip(data.indicators, report.indicators, strict=False):
        r += 1
        for k, f in enumerate(fields, start=1):
            if f in ("target", "actual", "target_initial"):
                text = getattr(ind, f)
                value = _typed(text)
                put(r, k, value, fmt=value_format(text) if isinstance(value, float) else None, align="right")
            elif f == "points":
                put(r, k, "—" if ind.not_applicable else _exact(ind.points), fmt=SCORE, align="right")
            elif f == "score":
                expr = (_indicator_score_formula(model.direction, where, r) if computed and not ind.not_applicable
                        and all(isinstance(_typed(getattr(ind, g)), float) for g in ("target", "actual"))
                        and ind.points is not None and ind.score is not None else None)
                if expr:
                    formula(r, k, expr, _exact(ind.score), fmt=SCORE)
                else:
                    put(r, k, "不适用" if ind.not_applicable else _exact(ind.score), fmt=SCORE, align="right")
            else:
                put(r, k, getattr(ind, f) or None, align="center" if f in ("direction", "unit") else "left")
        widen(r, len(ind_cols))
    last = r
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
        elif f in ("points", "score"):
            # 总分: the indicators' column summed, plus the 预算执行率 part
            extra_ref = budget_points_ref if f == "points" else budget_score_ref
            extra_value = scheme.budget.points if f == "points" else result.score.budget_score
            extra = extra_ref or (repr(float(extra_value)) if extra_value else "")
            col = where[f]
            expr = f"SUM({col}{first}:{col}{last})" + (f"+{extra}" if extra else "") if last >= first else extra or "0"
            formula(r, k, expr, _exact(data.total_points if f == "points" else data.total_score), fmt=SCORE, bold=True)
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
           ("填报日期", chinese_date(s.fill_date))]
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

    _fit_rows(ws, widths, ncols)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{r}"
    ws.freeze_panes = f"A{head_row + 1}"  # the indicator header stays in view
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = "第 &P 页 共 &N 页"
    wb.calculation.fullCalcOnLoad = True  # Excel recalculates; the stored values serve the others

    def save(tmp: str) -> None:
        wb.save(tmp)  # a full disk fails here as an OSError, which atomic_write reports
        target = Path(tmp)
        target.write_bytes(_with_cached_values(target.read_bytes(), cached))

    return atomic_write(path, save, what=" Excel ")


def _budget_score_formula(scheme, where: dict[str, str], r: int) -> str | None:
    """The 预算执行率 得分 of the 年度资金总额 row as the scheme scores it (rules/scoring.py)."""
    rule = scheme.budget
    if rule.formula == "none" or "budget_total" not in where or "executed" not in where:
        return None
    bt, ex = f"{where['budget_total']}{r}", f"{where['executed']}{r}"
    rate = f"{where['rate']}{r}" if "rate" in where else f"({ex}/{bt})"
    points = f"{where['points']}{r}" if "points" in where else repr(float(rule.points))
    guard = f'OR({bt}="",{bt}=0,{ex}="")'
    if rule.formula == "bands":
        expr = "0"
        for lowest, share in reversed(rule.bands):
            expr = f"IF({rate}*100>={float(lowest)!r},{float(share)!r},{expr})"
        return f"IF({guard},0,IF({rate}<=0,0,{expr}*{points}))"
    return f"IF({guard},0,MAX(0,MIN({rate},1))*{points})"


def _indicator_score_formula(direction: Direction, where: dict[str, str], r: int) -> str | None:
    """An indicator's 得分 from its values as rules/scoring.py achievement() computes it:
    ≥ actual/target, ≤ target/actual, = 1 − |actual − target| / |target|, each within 0–1,
    times the 分值."""
    if not all(f in where for f in ("target", "actual", "points")):
        return None
    t, a, p = f"{where['target']}{r}", f"{where['actual']}{r}", f"{where['points']}{r}"
    if direction == Direction.AT_LEAST:
        share = f"IF({t}<=0,IF({a}>={t},1,0),MAX(MIN({a}/{t},1),0))"
    elif direction == Direction.AT_MOST:
        share = f"IF({a}<={t},1,IF({a}<=0,0,MAX(MIN({t}/{a},1),0)))"
    elif direction == Direction.EQUAL:
        share = f"IF({a}={t},1,IF({t}=0,0,MAX(1-ABS({a}-{t})/ABS({t}),0)))"
    else:
        return None
    return f"{share}*{p}"


def _fit_rows(ws, widths: dict[int, float], ncols: int) -> None:
    """Each row as tall as its most wrapped cell (a merged cell across columns wraps in their
    width; one merged down rows shares their height)."""
    spans: dict[tuple[int, int], tuple[float, int]] = {}
    for rng in ws.merged_cells.ranges:
        width = sum(widths.get(c, 8) for c in range(rng.min_col, rng.max_col + 1))
        spans[(rng.min_row, rng.min_col)] = (width, rng.max_row - rng.min_row + 1)
    for row in ws.iter_rows():
        lines = 1
        for c in row:
            if not isinstance(c.value, str) or c.value.startswith("=") and c.data_type == "f":
                continue
            width, rows = spans.get((c.row, c.column), (widths.get(c.column, 8), 1))
            lines = max(lines, math.ceil(lines_needed(c.value, width) / rows))
        if lines > 1:
            current = ws.row_dimensions[row[0].row].height or 0
            ws.row_dimensions[row[0].row].height = max(current, lines * LINE_PT + 4)


_CELL = re.compile(rb'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)')


def _with_cached_values(xlsx: bytes, cached: dict[str, float]) -> bytes:
    """The workbook with each formula's computed value stored in its cell (openpyxl writes
    formulas with an empty value)."""
    if not cached:
        return xlsx
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == SHEET:
                def fill(m: re.Match) -> bytes:
                    value = cached.get(m.group(2).decode())
                    return m.group(0) if value is None else m.group(1) + b"<v>" + repr(value).encode() + b"</v>"

                data = _CELL.sub(fill, data)
            dst.writestr(item, data)
    return out.getvalue()
