"""检查结果: the findings of the latest check, grouped by severity (错误 / 警告 / 提示).

A click (or Enter) on a finding asks the window to focus the field it points at; a 警告 can
be explained in place (出错说明) or its explanation withdrawn.  The panel only shows what
``rules.check`` returned; it holds no rule.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity

FindingRole = Qt.ItemDataRole.UserRole + 1
SEVERITY_COLOUR = {Severity.ERROR: "#d32f2f", Severity.WARNING: "#e08600", Severity.INFO: "#1e6fd9"}


_ICONS: dict[tuple[str, int], QIcon] = {}


def state_icon(kind: str, size: int = 16) -> QIcon:
    """Cached: the tab bar and the findings list ask for the same few icons after every check."""
    icon = _ICONS.get((kind, size))
    if icon is None:
        icon = _ICONS[(kind, size)] = _draw_icon(kind, size)
    return icon


def _draw_icon(kind: str, size: int) -> QIcon:
    """Small drawn icons (no font glyphs, so they never show as boxes): "ok" green tick,
    "warning" amber triangle, "error" red cross, "info" blue dot, "incomplete" grey ring."""
    pm = QPixmap(size * 2, size * 2)  # drawn at 2× so high-DPI screens get a crisp icon
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    white = QPen(QColor("white"), s / 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    if kind == "ok":
        p.setBrush(QColor("#2e7d32"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(1, 1, s - 2, s - 2)
        p.setPen(white)
        p.drawPolyline([_pt(s * 0.28, s * 0.52), _pt(s * 0.44, s * 0.68), _pt(s * 0.73, s * 0.34)])
    elif kind == "warning":
        from PySide6.QtGui import QPolygonF

        p.setBrush(QColor("#f0a000"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygonF([_pt(s / 2, 1), _pt(s - 1, s - 2), _pt(1, s - 2)]))
        p.setPen(QPen(QColor("white"), s / 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(_pt(s / 2, s * 0.38), _pt(s / 2, s * 0.62))
        p.drawPoint(_pt(s / 2, s * 0.78))
    elif kind == "error":
        p.setBrush(QColor("#d32f2f"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(1, 1, s - 2, s - 2)
        p.setPen(white)
        p.drawLine(_pt(s * 0.33, s * 0.33), _pt(s * 0.67, s * 0.67))
        p.drawLine(_pt(s * 0.67, s * 0.33), _pt(s * 0.33, s * 0.67))
    elif kind == "info":
        p.setBrush(QColor("#1e6fd9"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(s * 0.2, s * 0.2, s * 0.6, s * 0.6)
    else:  # incomplete
        p.setBrush(QBrush())
        p.setPen(QPen(QColor("#8a8f98"), s / 8))
        p.drawEllipse(s * 0.15, s * 0.15, s * 0.7, s * 0.7)
    p.end()
    return QIcon(pm)


def _pt(x: float, y: float):  # noqa: ANN202 - QPointF, imported lazily
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


SEVERITY_ICON = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
DETAILS_HINT = "单击一条检查结果，可定位到该处并在此查看全文。"


class FindingsPanel(QWidget):
    activated = Signal(object)  # Finding: focus its field
    explain_requested = Signal(object)  # Finding: open the 出错说明 dialog
    unexplain_requested = Signal(object)  # Finding: withdraw its 出错说明

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status = ""
        self._refused = 0
        self._last_result: CheckResult | None = None
        self.setObjectName("findings-panel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("尚未检查")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName("检查结果")
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        lay.addWidget(self.tree, 1)
        # One line per finding in the list; the selected one in full below it.
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("QLabel { background: #f7f7f4; border: 1px solid #ddd; padding: 6px; }")
        self.details.setMinimumHeight(90)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setText(DETAILS_HINT)
        lay.addWidget(self.details)
        row = QHBoxLayout()
        self.explain_button = QPushButton("出错说明…")
        self.explain_button.setToolTip("为选中的警告写明原因；有说明的警告不再妨碍定稿")
        self.explain_button.clicked.connect(self._explain)
        self.unexplain_button = QPushButton("撤回说明")
        self.unexplain_button.clicked.connect(self._unexplain)
        row.addWidget(self.explain_button)
        row.addWidget(self.unexplain_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.groups: dict[Severity, QTreeWidgetItem] = {}
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            g = QTreeWidgetItem([sev.value])
            g.setIcon(0, state_icon(SEVERITY_ICON[sev]))
            g.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = g.font(0)
            f.setBold(True)
            g.setFont(0, f)
            self.tree.addTopLevelItem(g)
            g.setHidden(True)  # until a check lists something under it: never an empty heading
            self.groups[sev] = g
        self.editable = True
        self._items: dict[str, QTreeWidgetItem] = {}
        self._shown: tuple = ()
        self._update_buttons()

    def show_result(self, result: CheckResult) -> None:
        """Replace the listed findings (a few dozen items: cheap), keeping the selection."""
        # Most keystrokes change no finding: then leave the list alone.
        shown = tuple((f.key, f.severity, f.message, f.explanation, f.where) for f in result.findings)
        if shown == self._shown:
            self._summarise(result)
            return
        self._shown = shown
        current = self.selected()
        current_key = current.key if current else None
        self.tree.setUpdatesEnabled(False)
        try:
            self._items.clear()
            for sev, group in self.groups.items():
                group.takeChildren()
                found = [f for f in result.findings if f.severity == sev]
                explained = sum(1 for f in found if f.explained)
                label = f"{sev.value}（{len(found)}）"
                if sev == Severity.WARNING and explained:
                    label += f"　已说明 {explained}"
                group.setText(0, label)
                for f in found:
                    item = QTreeWidgetItem([self._text(f)])
                    item.setData(0, FindingRole, f)
                    item.setToolTip(0, self._tooltip(f))
                    item.setIcon(0, state_icon("ok" if f.explained else SEVERITY_ICON[sev]))
                    if f.explained:
                        item.setForeground(0, QColor("#4d7a25"))
                    group.addChild(item)
                    self._items[f.key] = item
                group.setExpanded(bool(found) and sev != Severity.INFO or (sev == Severity.INFO and len(found) <= 8))
                group.setHidden(not found)
            if current_key and current_key in self._items:
                self.tree.setCurrentItem(self._items[current_key])
        finally:
            self.tree.setUpdatesEnabled(True)
        self._summarise(result)

    def _summarise(self, result: CheckResult) -> None:
        self._last_result = result
        e, w, i = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        blocking = len(result.blocking) + self._refused
        if self._status:  # 已定稿 / 已导出: "可以定稿" would be out of place
            state = f"\n报告{self._status}"
        else:  # on a line of its own: beside the counts it wrapped with "项" alone
            state = "\n可以定稿" if blocking == 0 else f"\n定稿前还需处理 {blocking} 项"
        refused = f"\n另有 {self._refused} 处输入未被接受，没有保存（红色提示处）" if self._refused else ""
        self.summary.setText(f"错误 {e} · 警告 {w} · 提示 {i}" + state + refused)
        self._update_buttons()

    def reset(self) -> None:
        """Another file is opened: nothing of the previous one stays (list, selection, details)."""
        self._shown = ()
        self._last_result = None
        self._items.clear()
        for group in self.groups.values():
            group.takeChildren()
            group.setHidden(True)
        self.tree.setCurrentItem(None)
        self.summary.setText("尚未检查")
        self.details.setText(DETAILS_HINT)
        self._update_buttons()

    def set_refused(self, count: int) -> None:
        """How many typed entries are refused and unsaved (they block 定稿 too)."""
        if count != self._refused:
            self._refused = count
            if self._last_result is not None:
                self._summarise(self._last_result)

    def set_status(self, status: str) -> None:
        """The report's state when it is past 草稿 ("已定稿", "已导出"); "" for a draft."""
        self._status = status
        if self._last_result is not None:
            self._summarise(self._last_result)

    @staticmethod
    def _text(f: Finding) -> str:
        text = f.message
        if f.explanation is not None:
            text += f"\n已说明：{f.explanation.text}"
        return text

    @staticmethod
    def _tooltip(f: Finding) -> str:
        parts = [f.message]
        if f.seen:
            parts.append(f"填写的是：{f.seen}")
        if f.expected:
            parts.append(f"应为：{f.expected}")
        if f.suggestion:
            parts.append(f"建议：{f.suggestion}")
        parts.append("单击定位到该处")
        return "\n".join(parts)

    def selected(self) -> Finding | None:
        item = self.tree.currentItem()
        f = item.data(0, FindingRole) if item is not None else None
        return f if isinstance(f, Finding) else None

    def select_key(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        return True

    def finding_items(self) -> list[QTreeWidgetItem]:
        return list(self._items.values())

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._update_buttons()

    def _update_buttons(self) -> None:
        f = self.selected()
        if f is None:  # the finding was fixed (or another file opened): its text must not stay
            self.details.setText(DETAILS_HINT)
        else:
            self.details.setText(self._tooltip(f).replace("\n单击定位到该处", "")
                                 + (f"\n出错说明：{f.explanation.text}" if f.explanation else ""))
        is_warning = f is not None and f.severity == Severity.WARNING
        self.explain_button.setEnabled(self.editable and is_warning)
        self.unexplain_button.setEnabled(self.editable and is_warning and f is not None and f.explained)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        f = item.data(0, FindingRole)
        if isinstance(f, Finding):
            self.activated.emit(f)

    def _explain(self) -> None:
        f = self.selected()
        if f is not None:
            self.explain_requested.emit(f)

    def _unexplain(self) -> None:
        f = self.selected()
        if f is not None:
            self.unexplain_requested.emit(f)
