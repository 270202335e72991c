"""The 得分 view of the 自评表: how the self-evaluation score is made up.

Three parts, all read from a ``rules.check`` result (no arithmetic of its own beyond
rounding for display): 预算执行率 (rate, 分值, 得分); 绩效指标 per indicator (分值 entered,
分值 after the not-applicable rescaling, 得分); and 总分 with 等级.

Use::

    view = ScoreView(report_file)
    session.checked.connect(view.set_result)     # or view.set_result(rules.check(report))

``SelfEvaluationTab`` (table_views) already embeds one as its 得分 sub-tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.model import Indicator
from nanzhou_desktop.money import format_number, format_rate, round_half_up
from nanzhou_desktop.rules.findings import CheckResult, IndicatorScore
from nanzhou_desktop.store.reportfile import ReportFile

ModelIndex = QModelIndex | QPersistentModelIndex

GRADE_COLOURS = {"优": "#1b7f3b", "良": "#2b6cb0", "中": "#b7791f", "差": "#c53030"}


def points_text(value: Decimal | None) -> str:
    """Scores and points with two decimals, half up (the way the printed table shows them)."""
    return "—" if value is None else format_number(round_half_up(value, 2))


class IndicatorScoreModel(QAbstractTableModel):
    """Read-only: one row per indicator with its points before and after rescaling and its score."""

    HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "折算后分值", "得分", "说明")

    def __init__(self, report_file: ReportFile, parent: Any = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        self._scores: dict[int | None, IndicatorScore] = {}
        self._rows: list[Indicator] = []

    def set_result(self, result: CheckResult | None) -> None:
        self.beginResetModel()
        self._rows = list(self.rf.report.indicators)
        self._scores = {} if result is None else {s.indicator_id: s for s in result.score.indicators}
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def _note(self, ind: Indicator, s: IndicatorScore | None) -> str:
        if ind.not_applicable:
            return "不适用，不计分"
        if s is None:
            return "尚未评分"
        if s.score is None:
            return "指标值或完成值未填，暂不得分"
        if s.score < s.points:
            return f"完成 {format_rate(s.score / s.points * 100)}"
        return "满分"

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        ind = self._rows[index.row()]
        s = self._scores.get(ind.id)
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return ind.level1
            if c == 1:
                return ind.level2
            if c == 2:
                return ind.level3
            if c == 3:
                return points_text(ind.points)
            if c == 4:
                return "—" if ind.not_applicable or s is None else points_text(s.points)
            if c == 5:
                return "—" if ind.not_applicable or s is None else points_text(s.score)
            return self._note(ind, s)
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= c <= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and ind.not_applicable:
            return QBrush(QColor("#8a8f98"))
        if role == Qt.ItemDataRole.ForegroundRole and c == 5 and s is not None and s.score is not None \
                and s.score < s.points:
            return QBrush(QColor("#b7791f"))
        return None


def _value_label(text: str = "", *, big: bool = False) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if big:
        f = QFont(label.font())
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        label.setFont(f)
    return label


class ScoreView(QWidget):
    """得分: 预算执行率 part, indicator part with rescaling, total and grade."""

    def __init__(self, report_file: ReportFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rf = report_file
        self._result: CheckResult | None = None

        # 预算执行率
        budget_box = QGroupBox("预算执行率")
        grid = QGridLayout(budget_box)
        self.rate_label = _value_label()
        self.budget_points_label = _value_label()
        self.budget_score_label = _value_label()
        self.budget_formula = QLabel("")
        self.budget_formula.setStyleSheet("color: #6b7280;")
        # Long lines wrap: one that did not made the 自评表 tab, hence the window, wider than a
        # 1024 px screen (the page of a QTabWidget raises its minimum width even when hidden).
        self.budget_formula.setWordWrap(True)
        for col, (title, value) in enumerate((("执行率", self.rate_label), ("分值", self.budget_points_label),
                                              ("得分", self.budget_score_label))):
            grid.addWidget(QLabel(title), 0, col * 2)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("100.00%") + 16)
            grid.addWidget(value, 0, col * 2 + 1)
            grid.setColumnMinimumWidth(col * 2 + 1, 90)
        grid.setColumnStretch(6, 1)  # keep each value next to its title
        grid.addWidget(self.budget_formula, 1, 0, 1, 7)

        # 绩效指标
        ind_box = QGroupBox("绩效指标")
        ind_layout = QVBoxLayout(ind_box)
        self.indicator_model = IndicatorScoreModel(report_file, self)
        self.indicator_table = QTableView()
        self.indicator_table.setModel(self.indicator_model)
        self.indicator_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.indicator_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.indicator_table.horizontalHeader().setStretchLastSection(True)
        self.indicator_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.indicator_table.horizontalHeader().fontMetrics()
        for c, (h, w) in enumerate(zip(IndicatorScoreModel.HEADERS, (80, 140, 260, 60, 90, 60, 120), strict=True)):
            self.indicator_table.setColumnWidth(c, max(w, fm.horizontalAdvance(h) + 28))
        self.rescale_note = QLabel("")
        self.rescale_note.setWordWrap(True)
        self.indicator_sum_label = QLabel("")
        self.indicator_sum_label.setWordWrap(True)
        ind_layout.addWidget(self.indicator_table, 1)
        ind_layout.addWidget(self.rescale_note)
        ind_layout.addWidget(self.indicator_sum_label)

        # 总分 and 等级
        total_box = QGroupBox("自评得分")
        total_row = QHBoxLayout(total_box)
        self.total_label = _value_label(big=True)
        self.grade_label = _value_label(big=True)
        self.grade_rule = QLabel("等级：优 ≥ 90 分，良 80–90 分，中 60–80 分，差 < 60 分")
        self.grade_rule.setStyleSheet("color: #6b7280;")
        self.grade_rule.setWordWrap(True)
        total_row.addWidget(QLabel("总分"))
        total_row.addWidget(self.total_label)
        total_row.addSpacing(24)
        total_row.addWidget(QLabel("等级"))
        total_row.addWidget(self.grade_label)
        total_row.addStretch(1)
        total_row.addWidget(self.grade_rule)

        layout = QVBoxLayout(self)
        layout.addWidget(budget_box)
        layout.addWidget(ind_box, 1)
        layout.addWidget(total_box)
        self.set_result(None)

    def set_result(self, result: CheckResult | None) -> None:
        self._result = result
        self.indicator_model.set_result(result)
        if result is None:
            for label in (self.rate_label, self.budget_points_label, self.budget_score_label,
                          self.total_label, self.grade_label):
                label.setText("—")
            self.budget_formula.setText("尚未检查")
            self.rescale_note.setText("")
            self.indicator_sum_label.setText("")
            return
        s = result.score
        self.rate_label.setText(format_rate(s.budget_rate))
        self.budget_points_label.setText(points_text(s.budget_points))
        self.budget_score_label.setText(points_text(s.budget_score))
        scheme = self.rf.report.template.scheme
        if scheme.budget.formula == "none":
            self.budget_formula.setText("本报告格式不单列预算执行率得分（预算执行作为绩效指标之一评分）")
        elif s.budget_rate is None:
            self.budget_formula.setText("全年预算数或全年执行数未填写，执行率无法计算，本项暂不得分")
        elif scheme.budget.formula == "bands":
            steps = "；".join(f"执行率 ≥ {lo.normalize():f}% 得 {(share * 100).normalize():f}%"
                              for lo, share in scheme.budget.bands)
            self.budget_formula.setText(f"得分按执行率分档：{steps}（乘以 {points_text(s.budget_points)} 分）")
        else:
            self.budget_formula.setText(
                f"得分 = 执行率 × {points_text(s.budget_points)} 分（执行率超过 100% 按 100% 计）")
        def plain(d: Decimal) -> str:
            return f"{d.normalize():f}"

        bands = scheme.grades
        rule = "，".join(f"{g.grade} ≥ {plain(g.min)} 分" for g in bands[:-1])
        self.grade_rule.setText(f"等级：{rule}，{bands[-1].grade}" + (f" < {plain(bands[-2].min)} 分"
                                                                     if len(bands) > 1 else ""))
        self._describe_rescaling(s.indicators)
        self.indicator_sum_label.setText(
            f"绩效指标合计：{points_text(s.indicator_score)} 分（满分 {points_text(s.indicator_points)} 分；"
            "各项得分显示到两位小数，合计按未舍入的值计算，逐项相加可能相差 0.01）")
        self.total_label.setText(points_text(s.total))
        self.grade_label.setText(s.grade)
        colour = GRADE_COLOURS.get(s.grade, "#111827")
        self.grade_label.setStyleSheet(f"color: {colour};")

    def _describe_rescaling(self, scores: Sequence[IndicatorScore]) -> None:
        report = self.rf.report
        na = [i for i in report.indicators if i.not_applicable]
        if not na:
            self.rescale_note.setText("")
            return
        entered = sum((i.points or Decimal(0) for i in report.indicators), Decimal(0))
        names = "、".join(i.level3 or i.level2 or "未命名指标" for i in na)
        self.rescale_note.setText(
            f"不适用指标：{names}（共 {len(na)} 项）不计分；其余指标的分值按比例折算，"
            f"合计仍为 {points_text(entered)} 分，见“折算后分值”列。")

    def reload(self) -> None:
        self.set_result(self._result)

    @property
    def result(self) -> CheckResult | None:
        return self._result
