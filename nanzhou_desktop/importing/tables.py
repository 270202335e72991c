"""The tables of a 自评表 read into the report: the budget block (预算执行情况), the key
projects and the 绩效指标 table.

Tables reach the importer in three shapes:

- rows of cells: a Word table (merged 一级/二级 cells come as empty cells and inherit the value
  above), or a row of the app's own PDF annex;
- a stream of cells with the empty ones kept: a web page's table copied as text, one cell a
  line ending in "|" (青神县发展和改革局's 项目支出绩效自评表);
- a stream of cells without the empty ones: one cell a line (衡山县贯塘乡's 部门整体支出绩效自评表).

The columns are found by their header's words, in any order and under the names the forms use
(全年预算数 / 调整后预算数, 年度指标值 / 指标值 / 全年目标值 / 年初目标值（A）, 实际完成值 /
完成值 / 实际值（B）, 分值 / 权重 / 权值, 得分 …); a form may lack any of them (a form with 得分
and no 分值 is read).  Values are kept as written: "有效改善", "168起" and "≥95%" are indicator
values, not errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from nanzhou_desktop.importing.mending import Paragraph
from nanzhou_desktop.importing.text import fold
from nanzhou_desktop.model import Direction, Indicator
from nanzhou_desktop.money import AmountError, parse_decimal


def _names(*words: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


# Header words of the 绩效指标 table.  Order matters within a column: the first that matches wins.
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": _names("一级指标"),
    "level2": _names("二级指标"),
    "level3": _names("三级指标", "绩效指标名称", "指标名称", "指标内容"),
    "direction": _names("指标性质", "指标方向", "性质"),
    "target_initial": _names("年初目标值", "年初指标值"),
    "target": _names("年度指标值", "全年目标值", "全年指标值", "年度目标值", "调整后目标值", "指标值", "目标值"),
    "unit": _names("度量单位", "计量单位", "单位"),
    "actual": _names("实际完成值", "全年实际完成值", "年度实际完成值", "完成值", "实际值", "实际完成情况"),
    "points": _names("分值", "权重", "权值", "指标权重"),
    "score": _names("得分", "自评得分", "指标得分"),
    "reason": _names("偏差原因分析及改进措施", "偏差原因", "未完成原因分析", "原因分析", "未完成原因"),
}
BUDGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": _names("年初预算数", "年初预算", "年初批复预算数"),
    "total": _names("全年预算数", "调整后预算数", "调整后预算", "全年(调整)预算数", "调整预算数", "全年预算"),
    "executed": _names("全年执行数", "预算执行数", "全年实际支出", "执行数", "实际支出数", "决算数"),
    "points": _names("分值", "权重", "权值"),
    "rate": _names("执行率", "预算执行率"),
    "score": _names("得分", "自评得分"),
    "reason": _names("偏差原因", "原因", "未完成原因分析"),
}
_TOTAL_LABELS = _names("年度资金总额", "资金总额", "总额", "合计", "总计", "年度资金总额:")
_END = _names("合计", "总分", "评价结论", "自评得分", "存在问题", "改进措施")
_DIRECTIONS = {"≥": Direction.AT_LEAST, ">=": Direction.AT_LEAST, "＞＝": Direction.AT_LEAST, ">": Direction.AT_LEAST,
               "≤": Direction.AT_MOST, "<=": Direction.AT_MOST, "<": Direction.AT_MOST, "=": Direction.EQUAL,
               "＝": Direction.EQUAL, "定性": Direction.QUALITATIVE, "定量": Direction.AT_LEAST,
               "正向": Direction.AT_LEAST, "反向": Direction.AT_MOST}


@dataclass
class BudgetRead:
    """The budget block's rows as read: label, 年初预算数, 全年预算数, 全年执行数, 偏差原因."""

    rows: list[tuple[str, Decimal | None, Decimal | None, Decimal | None, str]] = field(default_factory=list)
    source: str = ""  # the header and row as read, said to the user


@dataclass
class TablesRead:
    indicators: list[Indicator] = field(default_factory=list)
    budget: BudgetRead | None = None
    projects: list[tuple[str, Decimal | None, Decimal | None, str]] = field(default_factory=list)  # 重点项目
    used: set[int] = field(default_factory=set)  # paragraphs read into the tables


@dataclass
class _Cell:
    text: str
    index: int  # the paragraph it came from
    row: int  # the row within its table (streams: one row a cell)


_BUDGET_FIELDS = {"budget_initial": "initial", "budget_total": "total", "executed": "executed", "rate": "rate",
                  "points": "points", "score": "score", "reason": "reason"}
_INDICATOR_FIELDS = {"level1", "level2", "level3", "direction", "target", "target_initial", "unit", "actual", "points",
                     "score", "reason"}


@cache
def _vocabulary() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The header words above, and every column header the installed templates print (their
    自评表 is what an office fills in: 全年支出数 / 说明 in 四川达州's, 评分依据及扣分原因 …)."""
    budget = {k: list(v) for k, v in BUDGET_COLUMNS.items()}
    indicators = {k: list(v) for k, v in INDICATOR_COLUMNS.items()}
    labels: list[str] = []
    try:
        from nanzhou_desktop.template import catalog

        templates = catalog().templates
    except Exception:  # noqa: BLE001 - the built-in words still read the usual forms
        templates = []
    for t in templates:
        table = t.data.table
        for col in table.budget_columns:
            key = _cell_key(col.header)
            if col.field == "label":
                labels.append(key)
            elif col.field in _BUDGET_FIELDS and key not in budget[_BUDGET_FIELDS[col.field]]:
                budget[_BUDGET_FIELDS[col.field]].append(key)
        for col in table.indicator_columns:
            key = _cell_key(col.header)
            if col.field in _INDICATOR_FIELDS and key not in indicators[col.field]:
                indicators[col.field].append(key)
    return ({k: tuple(v) for k, v in budget.items()}, {k: tuple(v) for k, v in indicators.items()},
            tuple(labels))


def _cell_key(text: str) -> str:
    """A header cell as compared: folded, its "（A）" / "(万元)" / colon taken away."""
    t = fold(text)
    t = re.sub(r"[(（][^()（）]{0,8}[)）]", "", t)
    return t.rstrip(":：")


def _column(text: str, columns: dict[str, tuple[str, ...]]) -> str | None:
    if columns is BUDGET_COLUMNS:
        columns = _vocabulary()[0]
    elif columns is INDICATOR_COLUMNS:
        columns = _vocabulary()[1]
    key = _cell_key(text)
    if not key:
        return None
    for name, words in columns.items():
        if key in words:
            return name
    for name, words in columns.items():
        if any(key.startswith(w) for w in words if len(w) >= 3):
            return name
    return None


def _tables(paras: list[Paragraph]) -> list[list[_Cell]]:
    """The document's tables as cell lists (in reading order).  Rows of a Word table share a
    group; a copied table's cells share theirs; runs of short untabled lines (a table copied
    one cell a line without marks) make up one more kind."""
    out: list[list[_Cell]] = []
    current: list[_Cell] = []
    group: int | None = None
    row = 0
    for i, p in enumerate(paras):
        if p.table:
            if group != p.group:
                if current:
                    out.append(current)
                current, group, row = [], p.group, 0
            for c in p.cells:
                current.append(_Cell(c, i, row))
            row += 1
        else:
            if group is not None and current:
                out.append(current)
                current, group = [], None
            if group is None and len(p.text) <= 40:
                current.append(_Cell(p.text, i, row))
                row += 1
            elif current:
                out.append(current)
                current = []
    if current:
        out.append(current)
    return out


def header_words(paras: list[Paragraph]) -> set[str]:
    """The document's table cells and short lines as header words are compared (folded, their
    "（A）" or "（万元）" taken away): to tell which template's 自评表 the document's is."""
    out: set[str] = set()
    for p in paras:
        for cell in (p.cells if p.table else (p.text,) if len(p.text) <= 20 else ()):
            key = _cell_key(cell)
            if key:
                out.add(key)
    return out


def read_tables(paras: list[Paragraph]) -> TablesRead:
    out = TablesRead()
    for cells in _tables(paras):
        rows = {c.row for c in cells}
        by_rows = len(rows) < len(cells)  # real rows (Word, PDF) rather than a stream
        if out.budget is None:
            budget = _read_budget(cells, out.used)
            if budget is not None:
                out.budget = budget
        out.projects += _read_projects(cells, out.used)
        out.indicators += _read_indicators(cells, by_rows, out.used)
    return out


# ---------------------------------------------------------------------- budget
def _number(text: str) -> Decimal | None:
    t = fold(text).replace("万元", "").rstrip("%")
    if not re.fullmatch(r"-?[\d,]+(?:\.\d+)?", t):
        return None
    try:
        return parse_decimal(t, field="金额")
    except AmountError:
        return None


_INSTRUCTION = re.compile(r"字以内|需说明|应单独说明|包括[:：]|=\S+/")


def _is_instruction(text: str) -> bool:
    """A form's printed instruction in a cell ("1.预算执行率=预算执行数/调整后预算数，…（100字以内）",
    青神县发改局's form), not a value typed into it."""
    return bool(_INSTRUCTION.search(fold(text)))


def _read_budget_rows(cells: list[_Cell], used: set[int]) -> BudgetRead | None:
    """A budget block in a table with real rows (Word, PDF): the header row's columns, then the
    年度资金总额 row and its 其中 rows, each cell under its column (偏差原因 read too; a 其中 row
    left blank is kept as the document has it).  A header row that starts with a column's name has
    its label cell merged into the cell above (年度预算数（万元）over 总额 / 其中 …, 青神县发改局)."""
    rows: dict[int, list[_Cell]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    ordered = [rows[k] for k in sorted(rows)]
    for h, row in enumerate(ordered):
        cols = {i: col for i, c in enumerate(row) if (col := _column(c.text, BUDGET_COLUMNS)) is not None}
        if not _budget_header_ok(list(cols.items())):
            continue
        read = BudgetRead(source="、".join(c.text for c in row))
        taken = {c.index for c in row}
        for data in ordered[h + 1:]:
            label = data[0].text.strip()
            key = _cell_key(label)
            shift = 1 if 0 in cols else 0  # the header's first cell is a column: the labels' cell is merged above
            if not read.rows and key not in _TOTAL_LABELS:
                break
            value = {col: data[i + shift].text for i, col in cols.items() if i + shift < len(data)}
            if read.rows and not key.startswith("其中") and not any(
                    _number(value.get(k, "")) is not None for k in ("initial", "total", "executed")):
                break
            reason = value.get("reason", "").strip().strip("/—-")  # "/" marks a cell that does not apply
            instruction = any(_is_instruction(c.text) for c in data)
            if _is_instruction(reason):
                reason = ""
            read.rows.append((label.rstrip(":："), _number(value.get("initial", "")), _number(value.get("total", "")),
                              _number(value.get("executed", "")), reason))
            if not instruction:  # a row carrying the form's instruction stays as text, the instruction kept
                taken.update(c.index for c in data)
        used.update(taken)
        return read if read.rows else None
    return None


def _read_budget(cells: list[_Cell], used: set[int]) -> BudgetRead | None:
    """The header (年初预算数 · 全年预算数 · 全年执行数 · 分值 · 执行率 · 得分), then the
    年度资金总额 row and the 其中 rows below it, their numbers in the header's order."""
    if len({c.row for c in cells}) < len(cells):
        return _read_budget_rows(cells, used)
    header: list[tuple[int, str]] = []  # (position in cells, column)
    for pos, c in enumerate(cells):
        col = _column(c.text, BUDGET_COLUMNS)
        if col is not None and (not header or pos - header[-1][0] <= 2):
            header.append((pos, col))
        elif header and pos - header[-1][0] > 2:
            if _budget_header_ok(header):
                break
            header = []
    if not _budget_header_ok(header):
        return None
    cols = [col for _p, col in header]
    start = header[-1][0] + 1
    read = BudgetRead()
    pos = start
    taken: set[int] = {cells[p].index for p, _c in header}
    while pos < len(cells):
        label, first = _split_label(cells[pos].text)
        if not label or _number(label) is not None or len(label) > 20:
            pos += 1  # an empty cell, or the form's note beside the rows ("1.预算执行率=…", 青神县发改局)
            continue
        values: list[str] = [first] if first else []
        end = pos + 1
        while end < len(cells) and len(values) < len(cols) and (
                _number(cells[end].text) is not None or cells[end].text.strip() in ("", "/", "—", "-")):
            values.append(cells[end].text)
            end += 1
        numbers = dict(zip(cols, values, strict=False))
        if not any(_number(v) is not None for k, v in numbers.items() if k in ("initial", "total", "executed")):
            if _cell_key(label) in _TOTAL_LABELS or _cell_key(label).startswith("其中"):
                taken.update(cells[p].index for p in range(pos, end))  # a row of the form, left blank
                pos = end
                continue
            if read.rows:
                break  # the first row after the block that is not a budget row ends it
            pos += 1
            continue
        key = _cell_key(label)
        if not read.rows and key not in _TOTAL_LABELS:
            pos = end
            continue
        stated = sum(_number(numbers.get(k, "")) is not None for k in ("initial", "total", "executed"))
        if read.rows and stated < 2:
            break  # "按收入性质分:2030.12": a breakdown with one amount, not a row of the block (贯塘乡)
        read.rows.append((label.rstrip(":："), _number(numbers.get("initial", "")),
                          _number(numbers.get("total", "")), _number(numbers.get("executed", "")), ""))
        taken.update(cells[p].index for p in range(pos, end))
        pos = end
    used.update(taken)  # the header and the rows, filled or left blank, are read
    if not read.rows:
        return None
    read.source = "、".join(cells[p].text for p, _c in header)
    return read


_PROJECT_HEADS = _names("重点项目", "项目名称", "重点项目名称", "项目")


def _read_projects(cells: list[_Cell], used: set[int]) -> list[tuple[str, Decimal | None, Decimal | None, str]]:
    """The key projects' table: a header whose first cell is 重点项目 / 项目名称, then one row a
    project: name, 全年预算数, 全年执行数 (and 执行率, 偏差原因)."""
    by_rows = len({c.row for c in cells}) < len(cells)
    for pos, c in enumerate(cells):
        if _cell_key(c.text) not in _PROJECT_HEADS:
            continue
        end = pos + 1
        cols: list[str | None] = []
        while end < len(cells) and (not by_rows or cells[end].row == c.row):
            col = _column(cells[end].text, BUDGET_COLUMNS)
            if col is None and not by_rows:
                break
            cols.append(col)
            end += 1
        if "executed" not in cols or not ({"total", "initial"} & set(cols)):
            continue
        out: list[tuple[str, Decimal | None, Decimal | None, str]] = []
        taken = {cells[k].index for k in range(pos, end)}
        width = len(cols) + 1
        start = end
        while start < len(cells):
            row = cells[start:start + width]
            name = row[0].text.strip()
            values = {col: row[k + 1].text for k, col in enumerate(cols) if col and k + 1 < len(row)}
            if (not name or _number(name) is not None or _column(name, BUDGET_COLUMNS) or _column(name, INDICATOR_COLUMNS)
                    or not any(_number(values.get(k, "")) is not None for k in ("total", "executed"))):
                break
            out.append((name, _number(values.get("total", "")) or _number(values.get("initial", "")),
                        _number(values.get("executed", "")), values.get("reason", "").strip()))
            taken.update(x.index for x in row)
            start += width
        used.update(taken)
        return out
    return []


def _budget_header_ok(header: list[tuple[int, str]]) -> bool:
    cols = {c for _p, c in header}
    return "executed" in cols and bool(cols & {"total", "initial"})


def _split_label(text: str) -> tuple[str, str]:
    """"年度资金总额：861.10" (a label and the first value glued by the copy) → both parts."""
    m = re.match(r"^(.*?[^\d\s])[:：]\s*(-?[\d,]+(?:\.\d+)?%?)$", fold(text))
    if m:
        return m.group(1), m.group(2)
    return text.strip(), ""


# ---------------------------------------------------------------------- indicators
def _read_indicators(cells: list[_Cell], by_rows: bool, used: set[int]) -> list[Indicator]:
    out: list[Indicator] = []
    pos = 0
    while pos < len(cells):
        header, width, pos = _indicator_header(cells, pos, by_rows)
        if header is None:
            return out
        rows, next_pos = _rows_after(cells, pos, width, by_rows)
        level1 = level2 = ""
        for row in rows:
            texts = [c.text.strip() for c in row]
            if _cell_key(texts[0]) in _END or not any(texts):
                break

            def cell(name: str, texts: list[str] = texts, header: dict[str, int] = header) -> str:
                i = header.get(name)
                return texts[i] if i is not None and i < len(texts) else ""

            level1 = cell("level1") or level1
            level2 = cell("level2") or level2
            name = cell("level3")
            if not name:
                continue
            direction_text = fold(cell("direction"))
            target = cell("target") or cell("target_initial")
            direction = _DIRECTIONS.get(direction_text)
            if direction is None:
                direction, target = _direction_of(target)
            ind = Indicator(level1, level2, name, direction, target, cell("unit"), cell("actual"),
                            _points(cell("points")), cell("reason"))
            if "target_initial" in header and "target" in header and hasattr(ind, "target_initial"):
                ind.target_initial = cell("target_initial")  # type: ignore[attr-defined]
            if "score" in header and hasattr(ind, "score"):
                ind.score = _points(cell("score"))  # type: ignore[attr-defined]
            out.append(ind)
            used.update(c.index for c in row)
        used.update(c.index for c in cells[header["_start"]:header["_end"]])
        pos = max(next_pos, pos + 1)
    return out


def _direction_of(target: str) -> tuple[Direction, str]:
    """"≥95%" → (≥, "95%"); "有效改善" → (定性, "有效改善"); "168起" stays ≥ with its unit."""
    t = target.strip()
    for sign, direction in (("≥", Direction.AT_LEAST), (">=", Direction.AT_LEAST), ("≤", Direction.AT_MOST),
                            ("<=", Direction.AT_MOST), ("=", Direction.EQUAL), ("＝", Direction.EQUAL)):
        if t.startswith(sign):
            return direction, t[len(sign):].strip()
    if t and not re.search(r"\d", t):
        return Direction.QUALITATIVE, t
    return Direction.AT_LEAST, t


def _row_end(cells: list[_Cell], pos: int) -> int:
    """The position after the row that starts at ``pos``."""
    end = pos + 1
    while end < len(cells) and cells[end].row == cells[pos].row:
        end += 1
    return end


def _indicator_header(cells: list[_Cell], start: int, by_rows: bool) -> tuple[dict[str, int] | None, int, int]:
    """The header after ``start``: its columns (position within a row), its width, and where
    the rows start."""
    pos = start
    while pos < len(cells):
        if by_rows:
            end = _row_end(cells, pos)
            found: dict[str, int] = {}
            for i, c in enumerate(cells[pos:end]):
                col = _column(c.text, INDICATOR_COLUMNS)
                if col is not None and col not in found:
                    found[col] = i
            if _indicator_header_ok(found):
                found["_start"], found["_end"] = pos, end
                return found, end - pos, end
            pos = end
            continue
        found = {}
        run_end = pos
        while run_end < len(cells):
            col = _column(cells[run_end].text, INDICATOR_COLUMNS)
            if col is None or col in found:
                break
            found[col] = run_end - pos
            run_end += 1
        if _indicator_header_ok(found) and run_end - pos >= 4:
            found["_start"], found["_end"] = pos, run_end
            return found, run_end - pos, run_end
        pos = max(pos + 1, run_end)
    return None, 0, len(cells)


def _indicator_header_ok(found: dict[str, int]) -> bool:
    return "level3" in found and bool(found.keys() & {"target", "target_initial", "actual", "score", "points"})


def _rows_after(cells: list[_Cell], start: int, width: int, by_rows: bool) -> tuple[list[list[_Cell]], int]:
    """The rows under a header, and the position after them."""
    rows: list[list[_Cell]] = []
    pos = start
    if by_rows:
        while pos < len(cells):
            end = _row_end(cells, pos)
            row = cells[pos:end]
            if len(row) != width:
                if rows:
                    break
                pos = end
                continue
            if _cell_key(row[0].text) in _END:
                break
            rows.append(row)
            pos = end
        return rows, pos
    while pos + width <= len(cells):
        row = cells[pos:pos + width]
        if _cell_key(row[0].text) in _END:
            break
        rows.append(row)
        pos += width
    return rows, pos


def _points(text: str) -> Decimal | None:
    """分值 as typed: the print's "7.50" for a 7.5 typed (trailing zeros of the fraction dropped)."""
    t = fold(text).replace("分", "")
    if not t:
        return None
    try:
        value = parse_decimal(t, field="分值")
    except AmountError:
        return None
    if value is not None and "." in t:
        text = format(value, "f").rstrip("0").rstrip(".")
        value = Decimal(text)
    return value


# The old name, for callers that only want the indicators.
def read_indicator_table(paras: list[Paragraph]) -> tuple[list[Indicator], set[int]]:
    read = read_tables(paras)
    return read.indicators, read.used
