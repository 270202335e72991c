"""The district window's chart of 执行率 by unit (promoted into ``ui/district_window.ui``).

A module of its own so that the generated form can import it without importing the window
that imports the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from nanzhou_desktop.district.db import UnitRow
from nanzhou_desktop.money import format_rate


class RateChart(QWidget):
    """A bar per unit: 执行率 (percent), with the 100% line; drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[UnitRow] = []
        self.year: int | None = None
        self.other_years = 0
        self.setMinimumHeight(200)
        self.setToolTip("各单位预算执行率（全年执行数 ÷ 全年预算数）")

    def set_rows(self, rows: Sequence[UnitRow]) -> None:
        # One year: rates of different years side by side would read as one comparison.
        years = sorted({r.year for r in rows if r.execution_rate is not None})
        self.year = years[-1] if years else None
        self.other_years = len(years) - 1 if years else 0
        self.rows = [r for r in rows if r.execution_rate is not None and r.year == self.year]
        self.rows.sort(key=lambda r: r.execution_rate or Decimal(0), reverse=True)
        self.update()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        fm = p.fontMetrics()
        left, top, right, bottom = fm.horizontalAdvance("100%") + 12, fm.height() + 8, 10, fm.height() * 3 + 6
        w, h = self.width() - left - right, self.height() - top - bottom
        p.setPen(QColor("#222222"))
        title = "各单位预算执行率" + (f"（{self.year} 年度）" if self.year is not None else "")
        if self.other_years:
            title += f"，另有 {self.other_years} 个其他年度未画出"
        p.drawText(left, fm.ascent() + 2, title)
        if not self.rows or w <= 0 or h <= 0:
            p.setPen(QColor("#666666"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "尚未装入报告")
            p.end()
            return
        top_rate = max(Decimal(110), max(r.execution_rate or Decimal(0) for r in self.rows))
        low_rate = Decimal(0)

        def y_of(rate: Decimal) -> float:
            return top + h - float((rate - low_rate) / (top_rate - low_rate)) * h

        grid = QPen(QColor("#dddddd"))
        for tick in (0, 25, 50, 75, 100):
            y = y_of(Decimal(tick))
            p.setPen(grid if tick != 100 else QPen(QColor("#b3261e"), 1, Qt.PenStyle.DashLine))
            p.drawLine(left, int(y), left + w, int(y))
            p.setPen(QColor("#444444"))
            p.drawText(2, int(y + fm.ascent() / 2 - 1), f"{tick}%")
        n = len(self.rows)
        slot = w / n
        bar = max(2.0, slot * 0.7)
        for i, r in enumerate(self.rows):
            rate = r.execution_rate or Decimal(0)
            x = left + i * slot + (slot - bar) / 2
            y = y_of(min(rate, top_rate))
            colour = QColor("#2e7d32") if Decimal(90) <= rate <= Decimal(100) else QColor("#c77700")
            if rate > 100:
                colour = QColor("#b3261e")
            p.fillRect(int(x), int(y), max(1, int(bar)), int(top + h - y), colour)
            label = (r.short_name or r.unit).removesuffix("街道")[:4]
            p.setPen(QColor("#222222"))
            p.save()
            p.translate(x + bar / 2, top + h + 4)
            p.drawText(int(-fm.horizontalAdvance(label) / 2), fm.ascent(), label)
            if slot > fm.horizontalAdvance("100.0%"):
                text = format_rate(rate, 1)
                p.drawText(int(-fm.horizontalAdvance(text) / 2), fm.ascent() + fm.height(), text)
            p.restore()
        p.end()
