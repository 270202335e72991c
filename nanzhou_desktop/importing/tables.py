"""The 绩效指标 table of a Word document's annex (自评表): read into indicators, so next
year's report can carry them over.  Only real table rows are read (Word); the columns are
found by their header names, merged 一级/二级 cells inherit the value above."""

from __future__ import annotations

from decimal import Decimal

from nanzhou_desktop.importing.mending import Paragraph
from nanzhou_desktop.model import Direction, Indicator
from nanzhou_desktop.money import AmountError, parse_decimal

_COLUMNS = {
    "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标",), "direction": ("指标性质",),
    "target": ("年度指标值", "指标值"), "unit": ("度量单位", "计量单位"), "actual": ("实际完成值", "实际完成"),
    "points": ("分值",), "reason": ("偏差原因",),
}
_DIRECTIONS = {"≥": Direction.AT_LEAST, ">=": Direction.AT_LEAST, "＞＝": Direction.AT_LEAST,
               "≤": Direction.AT_MOST, "<=": Direction.AT_MOST, "=": Direction.EQUAL, "＝": Direction.EQUAL,
               "定性": Direction.QUALITATIVE}


def _header(cells: tuple[str, ...]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for name, words in _COLUMNS.items():
        for i, cell in enumerate(cells):
            if any(cell.startswith(w) for w in words):
                found[name] = i
                break
    return found if {"level3", "actual"} <= found.keys() else None


def read_indicator_table(paras: list[Paragraph]) -> tuple[list[Indicator], set[int]]:
    """The 绩效指标 rows of the annex's table, and the indices of the paragraphs (table rows,
    its header included) they were read from."""
    out: list[Indicator] = []
    used: set[int] = set()
    header: dict[str, int] | None = None
    width = 0
    level1 = level2 = ""
    for index, p in enumerate(paras):
        if not p.table:
            header = None
            continue
        h = _header(p.cells)
        if h is not None:
            header, width, level1, level2 = h, len(p.cells), "", ""
            used.add(index)
            continue
        if header is None or len(p.cells) != width:
            continue

        def cell(name: str, cells: tuple[str, ...] = p.cells, header: dict[str, int] = header) -> str:
            return cells[header[name]] if name in header else ""

        level1 = cell("level1") or level1
        level2 = cell("level2") or level2
        name = cell("level3")
        if not name:
            continue
        direction = _DIRECTIONS.get(cell("direction").replace(" ", ""), Direction.AT_LEAST)
        out.append(Indicator(level1, level2, name, direction, cell("target"), cell("unit"), cell("actual"),
                             _points(cell("points")), cell("reason"), note="来自导入文档的附表，待确认"))
        used.add(index)
    return out, used


def _points(text: str) -> Decimal | None:
    try:
        return parse_decimal(text, field="分值")
    except AmountError:
        return None
