"""The district summary (区级汇总表): one row per unit, exported to .csv and .xlsx.

The column list is the single definition used by the window's table, the CLI and both
exports, so what the district sees on screen is what it sends on.
"""

from __future__ import annotations

import csv
import os
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from nanzhou_desktop.district.db import Review, UnitRow
from nanzhou_desktop.model import Status
from nanzhou_desktop.money import format_money, format_rate, round_half_up


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Chinese header
    value: Callable[[UnitRow], Any]  # sortable raw value (Decimal, int, str or None)
    text: Callable[[UnitRow], str]  # as displayed and written to .csv
    numeric: bool = False


def _fp(row: UnitRow) -> str:
    return {True: "一致", False: "不一致", None: "未定稿"}[row.fingerprint_ok]


def _review(row: UnitRow) -> str:
    # A unit that sent a new revision (e.g. after 退回修改) is flagged so the district sees it as new.
    if row.review == Review.PENDING and row.history:
        return f"{row.review}（新修订）"
    return str(row.review)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _score(value: Decimal | None) -> str:
    return "—" if value is None else f"{round_half_up(value, 2)}"


def is_draft(row: UnitRow) -> bool:
    return row.status == str(Status.DRAFT)


def _grade(row: UnitRow) -> str:
    # A draft's grade is provisional: its errors and unexplained warnings are still open.
    grade = row.grade or "—"
    return f"{grade}（草稿）" if is_draft(row) else grade


def _warnings(row: UnitRow) -> str:
    # A finalised report has every warning explained (定稿 requires it): say so, so that
    # its count is not read as open problems next to a draft's.
    if row.warnings and not is_draft(row):
        return f"{row.warnings}（均已说明）"
    return _count(row.warnings)


def _template(row: UnitRow) -> str:
    return f"{row.template_name}（{row.template_id or '—'} 版本 {row.template_version}）"


def templates_note(rows: Sequence[UnitRow]) -> str:
    """'' when every report used one template; else a sentence saying that scores and grades were
    each given by the report's own template's scheme (what stays comparable: the budget rate, the
    counts of findings, the status)."""
    used = {(r.template_id, r.template_version) for r in rows}
    if len(used) <= 1:
        return ""
    return (f"注：这些报告用了 {len(used)} 种报告模板（见“报告模板”一栏），自评得分和等级各按其模板的评分办法计算，"
            "模板不同的得分不宜直接比较；执行率、错误和警告数可以直接比较。")


COLUMNS: tuple[Column, ...] = (
    Column("unit", "单位", lambda r: r.unit, lambda r: r.unit),
    Column("year", "年度", lambda r: r.year, lambda r: str(r.year), True),
    Column("revision", "修订号", lambda r: r.revision, lambda r: str(r.revision), True),
    Column("status", "状态", lambda r: r.status, lambda r: r.status),
    Column("review", "审核", lambda r: _review(r), lambda r: _review(r)),
    Column("budget_total", "全年预算数（万元）", lambda r: r.budget_total, lambda r: format_money(r.budget_total), True),
    Column("executed", "全年执行数（万元）", lambda r: r.executed, lambda r: format_money(r.executed), True),
    Column("rate", "执行率", lambda r: r.execution_rate, lambda r: format_rate(r.execution_rate), True),
    Column("score", "自评得分", lambda r: r.score, lambda r: _score(r.score), True),
    Column("grade", "等级", lambda r: r.grade, _grade),
    Column("template", "报告模板", lambda r: (r.template_id, r.template_version), _template),
    Column("errors", "错误", lambda r: r.errors, lambda r: _count(r.errors), True),
    Column("warnings", "警告", lambda r: r.warnings, _warnings, True),
    Column("fingerprint", "内容指纹", lambda r: _fp(r), _fp),
    Column("note", "审核意见", lambda r: r.review_note, lambda r: r.review_note),
)


def summary_table(rows: Sequence[UnitRow]) -> list[list[str]]:
    """Header + one text row per unit (what the CLI prints and the .csv holds)."""
    return [[c.title for c in COLUMNS]] + [[c.text(r) for c in COLUMNS] for r in rows]


def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    path = Path(path)
    if path.is_dir():
        raise OSError(f"“{path}”是文件夹")
    tmp = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_csv(rows: Sequence[UnitRow], path: str | Path) -> Path:
    """UTF-8 with BOM so that Excel and WPS open the Chinese text correctly."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(summary_table(rows))

    return _atomic_write(Path(path), write)


def write_xlsx(rows: Sequence[UnitRow], path: str | Path, *, title: str = "区级汇总") -> Path:
    """Numbers stay numbers (amounts with two decimals, rates as percentages) in the workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = title[:31]
        ws.append([c.title for c in COLUMNS])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r in rows:
            out: list[Any] = []
            for c in COLUMNS:
                v = c.value(r)
                if c.key == "rate":
                    out.append(None if v is None else float(round_half_up(v / 100, 6)))
                elif isinstance(v, Decimal):
                    out.append(float(round_half_up(v, 2)))
                elif c.key in ("fingerprint", "template"):
                    out.append(c.text(r))
                else:
                    out.append(v)
            ws.append(out)
        keys = [c.key for c in COLUMNS]
        for row in ws.iter_rows(min_row=2):
            for key, cell in zip(keys, row, strict=True):
                if key in ("budget_total", "executed"):
                    cell.number_format = "#,##0.00"
                elif key == "rate":
                    cell.number_format = "0.00%"
                elif key == "score":
                    cell.number_format = "0.00"
        widths = {"unit": 36, "note": 30, "template": 36}
        for i, key in enumerate(keys, start=1):
            ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 12)
        ws.freeze_panes = "B2"
        wb.save(tmp)

    return _atomic_write(Path(path), write)
