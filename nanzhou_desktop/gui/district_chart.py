"""The district window's chart: it reads at any number of reports.

Up to :data:`BARS_MAX` reports (a district's streets, or the rows selected in the table) it
draws a bar per unit: 执行率 with the 100 % line.  Beyond that a bar per unit would be a solid
band, so it shows the distribution: how many units fall in each band of 执行率 and of 自评得分,
the count of each 等级, and the units with the lowest 执行率, named.  One year at a time:
rates of different years side by side would read as one comparison.  Everything it draws is
computed when the data changes (a few SQL aggregates), never in ``paintEvent``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from nanzhou_desktop.district.db import DistrictDb, Filter, UnitRow, YearStats
from nanzhou_desktop.district.summary import rate_text

BARS_MAX = 30  # beyond this many units, a distribution
LOWEST_N = 8
# (low, high, label): a band holds low <= value < high; labels name the band's lower edge
# ("90" is 90–95 %), short enough to sit under a narrow bar.
RATE_BANDS: tuple[tuple[float, float, str], ...] = (
    (float("-inf"), 60, "<60"), (60, 80, "60"), (80, 90, "80"), (90, 95, "90"), (95, 100, "95"),
    (100, 100.0000001, "100"), (100.0000001, float("inf"), ">100"),
)
SCORE_BANDS: tuple[tuple[float, float, str], ...] = (
    (float("-inf"), 60, "<60"), (60, 70, "60"), (70, 80, "70"), (80, 85, "80"), (85, 90, "85"),
    (90, 95, "90"), (95, float("inf"), "95+"),
)
GRADES = ("优", "良", "中", "差")
GREEN, ORANGE, RED, BLUE, GREY = "#2e7d32", "#c77700", "#b3261e", "#1f5fa8", "#666666"


def bands(values: Sequence[float], edges: Sequence[tuple[float, float, str]]) -> list[int]:
    out = [0] * len(edges)
    for v in values:
        for i, (low, high, _label) in enumerate(edges):
            if low <= v < high:
                out[i] += 1
                break
    return out


@dataclass
class ChartData:
    """What the chart draws, worked out from the database when the data changes."""

    year: int | None = None
    other_years: int = 0
    total: int = 0  # reports of that year (after the filter)
    bars: list[UnitRow] = field(default_factory=list)  # per-unit mode
    selection: bool = False  # the bars are the selected rows
    rate_bands: list[int] = field(default_factory=list)
    score_bands: list[int] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=dict)
    lowest: list[UnitRow] = field(default_factory=list)

    @property
    def distribution(self) -> bool:
        return not self.bars and self.total > 0


def chart_data(db: DistrictDb, flt: Filter, selected: Sequence[UnitRow] = (),
               stats: dict[int, YearStats] | None = None) -> ChartData:
    """The chart's data for the reports ``flt`` lets through, or for ``selected`` (2–30 rows).
    ``stats`` is :meth:`DistrictDb.overview` of ``flt`` with this chart's bands, when the
    caller has it already."""
    if stats is None:
        stats = overview(db, flt)
    years = [y for y, s in stats.items() if s.reports]
    if not years:
        return ChartData()
    year = years[-1]
    one_year = replace(flt, year=year)
    this = stats[year]
    data = ChartData(year=year, other_years=len(years) - 1, total=this.reports)
    picked = [r for r in selected if r.execution_rate is not None]
    if 2 <= len(picked) <= BARS_MAX:
        data.bars, data.selection = sorted(picked, key=_rate, reverse=True), True
        data.year, data.other_years = None, 0
        years_picked = sorted({r.year for r in picked})
        if len(years_picked) == 1:
            data.year = years_picked[0]
        return data
    if data.total <= BARS_MAX:
        data.bars = sorted((r for r in db.units(one_year) if r.execution_rate is not None), key=_rate, reverse=True)
        return data
    data.rate_bands, data.score_bands, data.grades = this.rate_bands, this.score_bands, dict(this.grades)
    data.lowest = db.lowest("rate_num", LOWEST_N, one_year)
    return data


def overview(db: DistrictDb, flt: Filter) -> dict[int, YearStats]:
    """:meth:`DistrictDb.overview` with the chart's bands."""
    return db.overview(flt, rate_edges=[(lo, hi) for lo, hi, _ in RATE_BANDS],
                       score_edges=[(lo, hi) for lo, hi, _ in SCORE_BANDS])


def _rate(r: UnitRow) -> Decimal:
    return r.execution_rate if r.execution_rate is not None else Decimal(0)


def _rate_colour(rate: Decimal) -> QColor:
    if rate > 100:
        return QColor(RED)
    return QColor(GREEN) if rate >= 90 else QColor(ORANGE)


class DistrictChart(QWidget):
    """Per-unit bars or the distribution (see the module docstring); promoted in the .ui file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ChartData()
        self.setMinimumHeight(180)
        self.setToolTip("预算执行率（全年执行数 ÷ 全年预算数）：单位较少或选中几个单位时逐个画出，单位多时显示分布")

    # Kept for callers and tests of the per-unit view.
    @property
    def rows(self) -> list[UnitRow]:
        return self.data.bars

    @property
    def year(self) -> int | None:
        return self.data.year

    @property
    def other_years(self) -> int:
        return self.data.other_years

    def set_data(self, data: ChartData) -> None:
        self.data = data
        self.update()

    # -- painting ---------------------------------------------------------------------
    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), QColor("white"))
            d = self.data
            if d.bars:
                self._paint_bars(p)
            elif d.distribution:
                self._paint_distribution(p)
            else:
                p.setPen(QColor(GREY))
                p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "尚未装入报告" if d.year is None else "没有可画的执行率")
        finally:
            p.end()

    def _title(self) -> str:
        d = self.data
        year = f"（{d.year} 年度）" if d.year is not None else ""
        if d.selection:
            text = f"选中的 {len(d.bars)} 个单位的预算执行率{year}"
        elif d.bars:
            text = f"各单位预算执行率{year}"
        else:
            text = f"{d.total:,} 个单位的分布{year}"
        if d.other_years:
            text += f"，另有 {d.other_years} 个年度未画出（可在“年度”中选择）"
        return text

    def _paint_bars(self, p: QPainter) -> None:
        d = self.data
        fm = p.fontMetrics()
        left, top, right, bottom = fm.horizontalAdvance("100%") + 12, fm.height() + 8, 10, fm.height() * 3 + 6
        w, h = self.width() - left - right, self.height() - top - bottom
        p.setPen(QColor("#222222"))
        p.drawText(left, fm.ascent() + 2, fm.elidedText(self._title(), Qt.TextElideMode.ElideRight, self.width() - left))
        if w <= 0 or h <= 0:
            return
        top_rate = max(Decimal(110), max(min(_rate(r), Decimal(200)) for r in d.bars))

        def y_of(rate: Decimal) -> float:
            return top + h - float(rate / top_rate) * h

        for tick in (0, 25, 50, 75, 100):
            y = y_of(Decimal(tick))
            p.setPen(QPen(QColor("#dddddd")) if tick != 100 else QPen(QColor(RED), 1, Qt.PenStyle.DashLine))
            p.drawLine(left, int(y), left + w, int(y))
            p.setPen(QColor("#444444"))
            p.drawText(2, int(y + fm.ascent() / 2 - 1), f"{tick}%")
        n = len(d.bars)
        slot = w / n
        bar = max(2.0, slot * 0.7)
        label_room = slot - 2
        for i, r in enumerate(d.bars):
            rate = _rate(r)
            x = left + i * slot + (slot - bar) / 2
            y = y_of(max(Decimal(0), min(rate, top_rate)))
            p.fillRect(QRectF(x, y, max(1.0, bar), top + h - y), _rate_colour(rate))
            label = (r.short_name or r.unit).removesuffix("街道").removesuffix("办事处")
            label = fm.elidedText(label, Qt.TextElideMode.ElideRight, max(int(label_room), fm.horizontalAdvance("…")))
            p.setPen(QColor("#222222"))
            cx = x + bar / 2
            p.drawText(int(cx - fm.horizontalAdvance(label) / 2), int(top + h + 4 + fm.ascent()), label)
            if slot > fm.horizontalAdvance("100.0%"):
                text = rate_text(rate, 1)
                p.drawText(int(cx - fm.horizontalAdvance(text) / 2), int(top + h + 4 + fm.ascent() + fm.height()), text)

    def _paint_distribution(self, p: QPainter) -> None:
        d = self.data
        fm = p.fontMetrics()
        line = fm.height()
        p.setPen(QColor("#222222"))
        p.drawText(6, fm.ascent() + 2, fm.elidedText(self._title(), Qt.TextElideMode.ElideRight, self.width() - 12))
        top = line + 8
        width, height = self.width(), self.height() - top - 4
        if width < 200 or height < line * 4:
            return
        # Three panels side by side (rate bands, score bands, grades) over the lowest units, or
        # the lowest units beside them when the chart is wide.
        wide = width >= 900
        panels_w = int(width * 0.68) if wide else width
        panels_h = height if wide else int(height * 0.62)
        gap = 8
        pw = (panels_w - 4 * gap) // 3
        x = gap
        self._histogram(p, QRectF(x, top, pw, panels_h), "执行率 %", [b[2] for b in RATE_BANDS], d.rate_bands,
                        [RED, ORANGE, ORANGE, GREEN, GREEN, GREEN, RED])
        x += pw + gap
        self._histogram(p, QRectF(x, top, pw, panels_h), "自评得分", [b[2] for b in SCORE_BANDS], d.score_bands,
                        [RED, ORANGE, ORANGE, BLUE, BLUE, GREEN, GREEN])
        x += pw + gap
        grades = [g for g in GRADES] + sorted(k for k in d.grades if k and k not in GRADES)
        self._histogram(p, QRectF(x, top, pw, panels_h), "等级", grades, [d.grades.get(g, 0) for g in grades],
                        [GREEN, BLUE, ORANGE, RED] + [GREY] * (len(grades) - 4))
        if wide:
            self._lowest(p, QRectF(panels_w + gap, top, width - panels_w - 2 * gap, height))
        else:
            self._lowest(p, QRectF(gap, top + panels_h + 6, width - 2 * gap, height - panels_h - 6))

    def _histogram(self, p: QPainter, box: QRectF, title: str, labels: Sequence[str], counts: Sequence[int],
                   colours: Sequence[str]) -> None:
        fm = p.fontMetrics()
        line = fm.height()
        p.setPen(QColor("#222222"))
        p.drawText(int(box.left()), int(box.top() + fm.ascent()), fm.elidedText(f"{title}（单位数）",
                   Qt.TextElideMode.ElideRight, int(box.width())))
        inner_top = box.top() + line + 4
        base = box.bottom() - line - 2
        h = base - inner_top - line  # room for the counts above the bars
        if h <= 4 or not counts:
            return
        most = max(max(counts), 1)
        n = len(counts)
        slot = box.width() / n
        bar = max(2.0, slot * 0.72)
        p.setPen(QPen(QColor("#bbbbbb")))
        p.drawLine(int(box.left()), int(base), int(box.right()), int(base))
        font = p.font()
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        sfm = QFontMetrics(small)
        for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
            x = box.left() + i * slot + (slot - bar) / 2
            bh = h * count / most
            p.fillRect(QRectF(x, base - bh, bar, bh), QColor(colours[i % len(colours)]))
            cx = x + bar / 2
            p.setPen(QColor("#222222"))
            p.setFont(small)
            text = f"{count:,}"
            p.drawText(int(cx - sfm.horizontalAdvance(text) / 2), int(base - bh - 2), text)
            p.drawText(int(cx - sfm.horizontalAdvance(label) / 2), int(base + sfm.ascent() + 1), label)
            p.setFont(font)

    def _lowest(self, p: QPainter, box: QRectF) -> None:
        d = self.data
        fm = p.fontMetrics()
        line = fm.height()
        if box.height() < line * 2 or not d.lowest:
            return
        rows = max(0, int((box.height() - line - 2) // line))
        columns = 1 if box.width() < 700 or len(d.lowest) <= rows else 2
        shown = min(len(d.lowest), rows * columns)
        if shown == 0:
            return
        p.setPen(QColor("#222222"))
        p.drawText(int(box.left()), int(box.top() + fm.ascent()), f"执行率最低的 {shown} 个单位")
        per_column = -(-len(d.lowest) // columns)
        col_w = box.width() / columns
        for i, r in enumerate(d.lowest[: rows * columns]):
            col, row = divmod(i, per_column)
            if row >= rows:
                continue
            x, y = box.left() + col * col_w, box.top() + line * (row + 1) + 2
            rate = rate_text(r.execution_rate, 1)
            p.setPen(_rate_colour(_rate(r)))
            p.drawText(int(x), int(y + fm.ascent()), rate)
            p.setPen(QColor("#222222"))
            name_x = x + fm.horizontalAdvance("100.00%") + 6
            name = fm.elidedText(f"{r.unit}（{r.district or '未注明'}）", Qt.TextElideMode.ElideMiddle,
                                 int(col_w - (name_x - x) - 6))
            p.drawText(int(name_x), int(y + fm.ascent()), name)
