"""The district summary (区级汇总表): one row per report, exported to .xlsx, .csv and .parquet.

The column list is the single definition used by the window's table, the CLI and every
export, so what the district sees on screen is what it sends on.  Every formatter takes any
stored value: an amount or rate too large to round is shown as 数值异常, never an error
(a database may come from an older version or from a merge).

The workbook has a sheet of the reports with a 合计 / 平均 row written as formulas, the text
of 警告 and 等级 exactly as the window shows them ("6（均已说明）", "优（草稿）") beside the
numbers; when there are several districts, the districts side by side first and then a sheet
per district (each with its 合计 / 平均); the groups by 单位类型; and for two years a
comparison sheet.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from nanzhou_desktop.district.db import Review, UnitRow
from nanzhou_desktop.limits import displayable, safe_cell_text
from nanzhou_desktop.model import Status
from nanzhou_desktop.money import HUNDRED, format_money, format_rate, round_half_up

ABNORMAL = "数值异常"
GRADES = ("优", "良", "中", "差")


# Text as it may go into a cell of an exported table: characters XML cannot hold are dropped,
# and a leading formula character is neutralised (stays text in Excel/WPS).  The one rule is
# limits.safe_cell_text; a column whose values repeat (a district, a grade, a template) has it
# worked out once per value, not once per report.
cell_text = safe_cell_text
_repeated_cell_text = functools.lru_cache(maxsize=4096)(safe_cell_text)


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Chinese header
    value: Callable[[UnitRow], Any]  # sortable raw value (Decimal, int, str or None)
    text: Callable[[UnitRow], str]  # as displayed and written to .csv
    numeric: bool = False
    width: int = 0  # characters, a hint for the window and the workbook (0: from the header)


def _safe(fmt: Callable[[Decimal], str], value: Decimal | None, empty: str = "—") -> str:
    if value is None:
        return empty
    if not displayable(value):  # rounding no longer fails on these (limits.quantize_half_up): say so
        return ABNORMAL
    try:
        return fmt(value)
    except (InvalidOperation, ArithmeticError, ValueError, OverflowError):
        return ABNORMAL


def money_text(value: Decimal | None) -> str:
    return _safe(format_money, value, "")


def rate_text(value: Decimal | None, places: int = 2) -> str:
    return _safe(lambda v: format_rate(v, places), value)


def score_text(value: Decimal | None) -> str:
    return _safe(lambda v: f"{round_half_up(v, 2)}", value)


def _fp(row: UnitRow) -> str:
    return {True: "一致", False: "不一致", None: "未定稿"}[row.fingerprint_ok]


def _review(row: UnitRow) -> str:
    # A unit that sent a new revision (e.g. after 退回修改) is flagged so the district sees it as new.
    if row.review == Review.PENDING and row.history:
        return f"{row.review}（新修订）"
    return str(row.review)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def is_draft(row: UnitRow) -> bool:
    return row.status == str(Status.DRAFT)


def grade_text(row: UnitRow) -> str:
    # A draft's grade is provisional: its errors and unexplained warnings are still open.
    grade = row.grade or "—"
    return f"{grade}（草稿）" if is_draft(row) else grade


def warnings_text(row: UnitRow) -> str:
    # A finalised report has every warning explained (定稿 requires it, and loading checks
    # it again): say so, so that its count is not read as open problems next to a draft's.
    if row.warnings and not is_draft(row):
        return f"{row.warnings}（均已说明）"
    return _count(row.warnings)


def when(stamp: str) -> str:
    """An ISO time stored by the district database, as people read it: 2026-12-03 15:58 (local)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


def paper_text(row: UnitRow) -> str:
    if row.paper_at:
        return f"已核对 {row.paper_at[:10]}"
    return "—" if is_draft(row) else "未核对"


def template_text(row: UnitRow) -> str:
    """报告模板: its name, id and version (the scheme its score was given by)."""
    return f"{row.template_name or '—'}（{row.template_id or '—'} 版本 {row.template_version or '—'}）"


def templates_note(rows: Iterable[UnitRow]) -> str:
    """'' when every report used one template; else a sentence saying that scores and grades were
    each given by the report's own template's scheme (what stays comparable: the budget rate, the
    counts of findings, the status)."""
    used = {(r.template_id, r.template_version) for r in rows}
    if len(used) <= 1:
        return ""
    return (f"注：这些报告用了 {len(used)} 种报告模板（见“报告模板”一栏），自评得分和等级各按其模板的评分办法计算，"
            "模板不同的得分不宜直接比较；执行率、错误和警告数可以直接比较。")


COLUMNS: tuple[Column, ...] = (
    Column("unit", "单位", lambda r: r.unit, lambda r: r.unit, width=30),
    Column("district", "所属区", lambda r: r.district, lambda r: r.district or "未注明", width=8),
    Column("kind", "单位类型", lambda r: r.kind, lambda r: r.kind or "未注明", width=6),
    Column("year", "年度", lambda r: r.year, lambda r: str(r.year), True),
    Column("revision", "修订号", lambda r: r.revision, lambda r: str(r.revision), True),
    Column("status", "状态", lambda r: r.status, lambda r: r.status),
    Column("review", "审核", _review, _review, width=10),
    Column("budget_total", "全年预算数（万元）", lambda r: r.budget_total, lambda r: money_text(r.budget_total), True),
    Column("executed", "全年执行数（万元）", lambda r: r.executed, lambda r: money_text(r.executed), True),
    Column("rate", "执行率", lambda r: r.execution_rate, lambda r: rate_text(r.execution_rate), True),
    Column("score", "自评得分", lambda r: r.score, lambda r: score_text(r.score), True),
    Column("grade", "等级", lambda r: r.grade, grade_text),
    Column("template", "报告模板", lambda r: (r.template_id, r.template_version), template_text, width=24),
    Column("errors", "错误", lambda r: r.errors, lambda r: _count(r.errors), True),
    Column("warnings", "警告", lambda r: r.warnings, warnings_text, True, width=10),
    Column("fingerprint", "内容指纹", _fp, _fp),
    Column("paper", "纸面核对", lambda r: r.paper_at, paper_text, width=12),
    Column("city", "所属市", lambda r: r.city, lambda r: r.city or "未注明", width=8),
    Column("note", "审核意见", lambda r: r.review_note, lambda r: r.review_note, width=24),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


def summary_table(rows: Iterable[UnitRow]) -> list[list[str]]:
    """Header + one text row per report (what the CLI prints and the .csv holds)."""
    return [[c.title for c in COLUMNS]] + [[c.text(r) for c in COLUMNS] for r in rows]


# ------------------------------------------------------------------------ groups
@dataclass
class Group:
    """Totals of a set of reports (a district, a 单位类型, everything)."""

    name: str
    reports: int = 0
    budget_total: Decimal = Decimal(0)
    executed: Decimal = Decimal(0)
    with_budget: int = 0
    score_sum: Decimal = Decimal(0)
    scored: int = 0
    errors: int = 0
    drafts: int = 0
    paper: int = 0
    grades: Counter[str] | None = None

    def add(self, r: UnitRow) -> None:
        self.reports += 1
        if self.grades is None:
            self.grades = Counter()
        if r.budget_total is not None and r.executed is not None:
            self.budget_total = _SUMS.add(self.budget_total, r.budget_total)
            self.executed = _SUMS.add(self.executed, r.executed)
            self.with_budget += 1
        if r.score is not None:
            self.score_sum = _SUMS.add(self.score_sum, r.score)
            self.scored += 1
        self.errors += r.errors or 0
        self.drafts += is_draft(r)
        self.paper += bool(r.paper_at)
        if r.grade:
            self.grades[r.grade] += 1

    @property
    def rate(self) -> Decimal | None:
        """执行数 ÷ 预算数 over the group (not the mean of the units' rates)."""
        from nanzhou_desktop.limits import percent

        return percent(self.executed, self.budget_total)

    @property
    def mean_score(self) -> Decimal | None:
        if not self.scored:
            return None
        mean = _SUMS.divide(self.score_sum, Decimal(self.scored))
        return mean if mean.is_finite() else None

    def grade_text(self) -> str:
        g = self.grades or Counter()
        return "，".join(f"{k} {g[k]}" for k in (*GRADES, *sorted(set(g) - set(GRADES))) if g.get(k))


# Sums over any stored values: no trap, so an absurd figure gives an absurd (or infinite) total
# that the formatters show as 数值异常, never an exception.
_SUMS = Context(prec=34, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])

GROUP_HEADER = ("分组", "报告数", "全年预算数合计（万元）", "全年执行数合计（万元）", "执行率（合计）", "平均得分",
                "等级分布", "错误合计", "草稿", "已与纸面核对")


def groups(rows: Iterable[UnitRow], key: Callable[[UnitRow], str]) -> list[Group]:
    out: dict[str, Group] = {}
    for r in rows:
        name = key(r) or "未注明"
        out.setdefault(name, Group(name)).add(r)
    return sorted(out.values(), key=lambda g: (g.name == "未注明", g.name))


def merged(parts: Iterable[Group], name: str) -> Group:
    """The totals of several groups (the districts) as one: what adding each of their reports to
    one group gives, without going through 20,000 reports again."""
    g = Group(name, grades=Counter())
    for p in parts:
        g.reports += p.reports
        g.budget_total = _SUMS.add(g.budget_total, p.budget_total)
        g.executed = _SUMS.add(g.executed, p.executed)
        g.with_budget += p.with_budget
        g.score_sum = _SUMS.add(g.score_sum, p.score_sum)
        g.scored += p.scored
        g.errors += p.errors
        g.drafts += p.drafts
        g.paper += p.paper
        g.grades.update(p.grades or {})  # type: ignore[union-attr]
    return g


def group_texts(g: Group) -> list[str]:
    return [g.name, str(g.reports), money_text(g.budget_total), money_text(g.executed), rate_text(g.rate),
            score_text(g.mean_score), g.grade_text(), str(g.errors), str(g.drafts), str(g.paper)]


def by_district(r: UnitRow) -> str:
    return f"{r.city}{r.district}" if r.city and r.district else r.district


def by_kind(r: UnitRow) -> str:
    return r.kind


# ------------------------------------------------------------------------ two years
COMPARE_HEADER = ("单位", "所属区", "单位类型", "{a} 执行率", "{b} 执行率", "执行率变化（百分点）", "{a} 得分", "{b} 得分",
                  "得分变化", "{a} 等级", "{b} 等级", "{a} 错误", "{b} 错误", "{a} 警告", "{b} 警告")


def compare_header(year_a: int, year_b: int) -> list[str]:
    return [h.format(a=year_a, b=year_b) for h in COMPARE_HEADER]


def _delta(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return None
    d = _SUMS.subtract(b, a)
    return d if d.is_finite() else None


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = _safe(lambda v: f"{round_half_up(v, 2)}", value)
    return text if text.startswith("-") or text in (ABNORMAL, "0.00") else f"+{text}"


def compare_texts(a: UnitRow | None, b: UnitRow | None) -> list[str]:
    some = a or b
    assert some is not None

    def part(r: UnitRow | None, f: Callable[[UnitRow], str]) -> str:
        return "（无报告）" if r is None else f(r)

    return [some.unit, some.district or "未注明", some.kind or "未注明",
            part(a, lambda r: rate_text(r.execution_rate)), part(b, lambda r: rate_text(r.execution_rate)),
            _signed(_delta(a and a.execution_rate, b and b.execution_rate)),
            part(a, lambda r: score_text(r.score)), part(b, lambda r: score_text(r.score)),
            _signed(_delta(a and a.score, b and b.score)),
            part(a, grade_text), part(b, grade_text), part(a, lambda r: _count(r.errors)),
            part(b, lambda r: _count(r.errors)), part(a, warnings_text), part(b, warnings_text)]


# ------------------------------------------------------------------------ files
def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write under a temporary name beside ``path`` and rename; a failed write leaves neither
    a half file under the name nor the temporary one (its own error is not the one reported)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "是文件夹", str(path))
    tmp = path.with_name(f".{path.name}.{uuidlib.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # e.g. a read-only folder, where the temporary file was never made
    return path


def write_csv(rows: Iterable[UnitRow], path: str | Path) -> Path:
    """UTF-8 with BOM so that Excel and WPS open the Chinese text correctly; every cell is
    formula-safe text."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.title for c in COLUMNS])
            for r in rows:
                w.writerow([cell_text(c.text(r)) for c in COLUMNS])

    return _atomic_write(Path(path), write)


def write_compare_csv(pairs: Sequence[tuple[UnitRow | None, UnitRow | None]], year_a: int, year_b: int,
                      path: str | Path) -> Path:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(compare_header(year_a, year_b))
            for a, b in pairs:
                w.writerow([cell_text(t) for t in compare_texts(a, b)])

    return _atomic_write(Path(path), write)


# The workbook's columns: numbers as numbers, and the window's texts of 警告 and 等级 beside them.
_XLSX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", "单位"), ("district", "所属区"), ("kind", "单位类型"), ("city", "所属市"), ("year", "年度"),
    ("revision", "修订号"), ("status", "状态"), ("review", "审核"), ("budget_total", "全年预算数（万元）"),
    ("executed", "全年执行数（万元）"), ("rate", "执行率"), ("score", "自评得分"), ("grade", "等级"),
    ("template", "报告模板"), ("errors", "错误"), ("warnings", "警告"), ("warnings_text", "警告（说明）"), ("fingerprint", "内容指纹"),
    ("paper", "纸面核对"), ("note", "审核意见"),
)
_XLSX_WIDTHS = {"unit": 36, "note": 30, "template": 36, "budget_total": 16, "executed": 16, "warnings_text": 14, "paper": 14,
                "district": 10, "city": 10}
_SUM_COLUMNS = ("budget_total", "executed", "errors", "warnings")


def _float(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    if value.is_finite() and value.as_tuple().exponent >= -places:  # type: ignore[operator]
        return float(value)  # no more decimals than asked (stored amounts are cents): nothing to round
    try:
        return float(round_half_up(value, places))
    except (InvalidOperation, ArithmeticError, ValueError, OverflowError):
        try:
            f = float(value)
        except (OverflowError, ValueError):
            return None
        return f if abs(f) != float("inf") else None


# Columns whose text comes from the file or the reviewer (checked by cell_text); the others
# are this program's own words and numbers.  等级 is a name from the report's own template
# (its 评分办法), which a file carries: it is the file's text too.
_FREE_TEXT = frozenset(("unit", "district", "kind", "city", "grade", "template", "note"))
_REPEATED_TEXT = frozenset(("district", "kind", "city", "grade", "template"))
_XLSX_CLEAN = tuple((_repeated_cell_text if k in _REPEATED_TEXT else cell_text) if k in _FREE_TEXT else None
                    for k, _ in _XLSX_COLUMNS)


def _xlsx_values(r: UnitRow) -> list[Any]:
    rate = r.execution_rate / HUNDRED if r.execution_rate is not None else None
    values = {
        "unit": r.unit, "district": r.district, "kind": r.kind, "city": r.city, "year": r.year,
        "revision": r.revision, "status": r.status, "review": _review(r), "budget_total": _float(r.budget_total, 2),
        "executed": _float(r.executed, 2), "rate": _float(rate, 6), "score": _float(r.score, 2),
        "grade": grade_text(r), "template": template_text(r), "errors": r.errors, "warnings": r.warnings,
        "warnings_text": warnings_text(r), "fingerprint": _fp(r), "paper": paper_text(r), "note": r.review_note,
    }
    return [values[k] if clean is None else clean(values[k]) for (k, _), clean in zip(_XLSX_COLUMNS, _XLSX_CLEAN,
                                                                                      strict=True)]


def write_xlsx(rows: Iterable[UnitRow], path: str | Path, *, title: str = "区级汇总",
               compare: tuple[int, int, Sequence[tuple[UnitRow | None, UnitRow | None]]] | None = None,
               districts: list[Group] | None = None, kinds: list[Group] | None = None) -> Path:
    """The workbook (see the module docstring), written with XlsxWriter: number formats are set
    once per column and each cell goes to the writer of its type, so 20,000 reports (and their
    sheets per district) take ~2.5 s of the command's ~4 s on a 2-core machine.  It is assembled
    in memory (XlsxWriter's ``in_memory``, which turns its ``constant_memory`` off: that mode's
    temporary files were slower here) and written to disk in one go.  Text is always written as
    text: a cell never becomes a formula or a link, whatever it starts with.  ``districts`` and
    ``kinds`` are :func:`groups` of ``rows`` by district and by 单位类型 when the caller has them."""
    import xlsxwriter

    rows = list(rows)
    keys = [k for k, _ in _XLSX_COLUMNS]
    values = [_xlsx_values(r) for r in rows]  # once, for the sheet of all and the district's sheet

    def write(tmp: Path) -> None:
        # Assembled in memory and written in one go: a full disk then fails in our own write,
        # with its reason, never inside a half-written zip file.
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "strings_to_numbers": False,
                                          "nan_inf_to_errors": True})
        head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
        bold = wb.add_format({"bold": True})
        formats = {"budget_total": wb.add_format({"num_format": "#,##0.00"}),
                   "executed": wb.add_format({"num_format": "#,##0.00"}),
                   "rate": wb.add_format({"num_format": "0.00%"}), "score": wb.add_format({"num_format": "0.00"})}
        bold_formats = {k: wb.add_format({"bold": True, "num_format": f.num_format}) for k, f in formats.items()}
        taken: set[str] = set()

        def sheet(name: str) -> Any:
            ws = wb.add_worksheet(_sheet_name(name, taken))
            taken.add(ws.name)
            return ws

        def report_sheet(name: str, part: Sequence[list[Any]]) -> None:
            ws = sheet(name)
            for i, key in enumerate(keys):
                ws.set_column(i, i, _XLSX_WIDTHS.get(key, 12), formats.get(key))
            ws.freeze_panes(1, 1)
            ws.write_row(0, 0, [t for _, t in _XLSX_COLUMNS], head)
            # Cell by cell with the writer of the value's type: write_row would work the type out
            # again for each of 400,000 cells.  None and "" are left blank, as write_row leaves them.
            write_string, write_number = ws.write_string, ws.write_number
            for n, line in enumerate(part, start=1):
                for c, value in enumerate(line):
                    if value is None or value == "":
                        continue
                    if type(value) is str:
                        write_string(n, c, value)
                    else:
                        write_number(n, c, value)
            if not part:
                return
            # 合计 and 平均 as formulas over the rows above, so they follow any correction made in
            # the workbook; the rate of the whole is 执行数合计 ÷ 预算数合计, not a mean of rates.
            first, last, total, mean = 2, len(part) + 1, len(part) + 1, len(part) + 2
            col = {k: xl_col(i) for i, k in enumerate(keys)}
            ws.write_string(total, 0, "合计", bold)
            ws.write_string(mean, 0, "平均", bold)
            for i, key in enumerate(keys):
                rng = f"{col[key]}{first}:{col[key]}{last}"
                fmt = bold_formats.get(key, bold)
                if key in _SUM_COLUMNS:
                    ws.write_formula(total, i, f"=SUM({rng})", fmt)
                    ws.write_formula(mean, i, f'=IFERROR(AVERAGE({rng}),"")', bold_formats.get(key, bold_formats["score"]))
                elif key == "rate":
                    b, e = col["budget_total"], col["executed"]
                    ws.write_formula(total, i, f'=IFERROR(SUM({e}{first}:{e}{last})/SUM({b}{first}:{b}{last}),"")', fmt)
                    ws.write_formula(mean, i, f'=IFERROR(AVERAGE({rng}),"")', fmt)
                elif key == "score":
                    ws.write_formula(mean, i, f'=IFERROR(AVERAGE({rng}),"")', fmt)
                elif key == "year":
                    ws.write_formula(total, i, f'=COUNTA({col["unit"]}{first}:{col["unit"]}{last})&"份"', bold)

        def table_sheet(name: str, head_row: Sequence[str], body: Iterable[Sequence[str]], width: int = 14) -> None:
            ws = sheet(name)
            ws.set_column(0, 0, 30)
            ws.set_column(1, len(head_row) - 1, width)
            ws.freeze_panes(1, 1)
            ws.write_row(0, 0, list(head_row), head)
            for n, line in enumerate(body, start=1):
                ws.write_row(n, 0, [cell_text(t) for t in line])

        by_place = districts if districts is not None else groups(rows, by_district)
        several = len(by_place) > 1
        if several:
            # A city's or province's reports: the districts side by side first (with the whole
            # as the last line), then a sheet per district with its own 合计 and 平均.  Each
            # report is written once (20,000 rows twice over would double the time); the CSV
            # and Parquet outputs hold every report in one table.
            table_sheet("按区汇总", GROUP_HEADER,
                        [*(group_texts(g) for g in by_place), group_texts(merged(by_place, "全部"))])
        else:
            report_sheet(title, values)
        by_type = kinds if kinds is not None else groups(rows, by_kind)
        if len(by_type) > 1 or (by_type and by_type[0].name != "未注明"):
            table_sheet("按单位类型汇总", GROUP_HEADER, (group_texts(g) for g in by_type))
        if compare is not None:
            a, b, pairs = compare
            table_sheet(f"{a}与{b}年度对比", compare_header(a, b), (compare_texts(x, y) for x, y in pairs), 11)
        if several:
            by_name: dict[str, list[list[Any]]] = {}
            for r, line in zip(rows, values, strict=True):
                by_name.setdefault(by_district(r) or "未注明", []).append(line)
            for g in by_place:
                report_sheet(g.name, by_name.get(g.name, []))
        wb.close()
        with open(tmp, "wb") as fh:
            fh.write(buffer.getbuffer())

    return _atomic_write(Path(path), write)


def xl_col(index: int) -> str:
    """The letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_SHEET_BAD = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


def _sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook
    (Excel compares names without case)."""
    base = (cell_text(name).translate(_SHEET_BAD).strip("'") or "未注明")[:31]
    lower = {t.lower() for t in taken}
    candidate, n = base, 2
    while candidate.lower() in lower:
        suffix = f"（{n}）"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    return candidate


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


PARQUET_MISSING = ("导出 Parquet 需要 pyarrow，本程序的安装包不含它；分析用的电脑上可执行 "
                   "pip install pyarrow 后再导出，或改用 --csv / --xlsx")


def write_parquet(rows: Iterable[UnitRow], path: str | Path) -> Path:
    """A typed table for DuckDB or pandas: amounts as exact decimals (万元, 2 places), the rate
    in percent (4 places), counts as integers.  Raises ImportError without pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)

    def dec(v: Decimal | None, places: int) -> Decimal | None:
        if v is None:
            return None
        try:
            q = round_half_up(v, places)
        except (InvalidOperation, ArithmeticError):
            return None
        return q if q.adjusted() < 30 else None  # outside decimal128(38, …): absent

    money = pa.decimal128(38, 2)
    schema = pa.schema([
        ("uuid", pa.string()), ("unit", pa.string()), ("unit_code", pa.string()), ("unit_kind", pa.string()),
        ("district", pa.string()), ("city", pa.string()), ("template_id", pa.string()), ("year", pa.int32()),
        ("revision", pa.int64()), ("status", pa.string()), ("review", pa.string()), ("budget_total", money),
        ("executed", money), ("execution_rate_percent", pa.decimal128(38, 4)), ("score", pa.decimal128(38, 2)),
        ("grade", pa.string()), ("errors", pa.int32()), ("warnings", pa.int32()), ("fingerprint_ok", pa.bool_()),
        ("paper_confirmed_at", pa.string()), ("review_note", pa.string()), ("file_name", pa.string()),
        ("loaded_at", pa.string()),
    ])
    data = {
        "uuid": [r.uuid for r in rows], "unit": [r.unit for r in rows], "unit_code": [r.code for r in rows],
        "unit_kind": [r.kind for r in rows], "district": [r.district for r in rows], "city": [r.city for r in rows],
        "template_id": [r.template_id for r in rows], "year": [r.year for r in rows],
        "revision": [r.revision for r in rows], "status": [r.status for r in rows],
        "review": [str(r.review) for r in rows], "budget_total": [dec(r.budget_total, 2) for r in rows],
        "executed": [dec(r.executed, 2) for r in rows],
        "execution_rate_percent": [dec(r.execution_rate, 4) for r in rows], "score": [dec(r.score, 2) for r in rows],
        "grade": [r.grade for r in rows], "errors": [r.errors for r in rows], "warnings": [r.warnings for r in rows],
        "fingerprint_ok": [r.fingerprint_ok for r in rows], "paper_confirmed_at": [r.paper_at or None for r in rows],
        "review_note": [r.review_note for r in rows], "file_name": [r.file_name for r in rows],
        "loaded_at": [r.loaded_at for r in rows],
    }
    table = pa.Table.from_pydict(data, schema=schema)
    return _atomic_write(Path(path), lambda tmp: pq.write_table(table, tmp))
