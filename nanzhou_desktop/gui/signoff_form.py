"""单位信息与签章: the unit's names and the sign-off block (负责人, 填报人, 电话, 日期).

Each line is bound to its report-file column; a refused value (a letter in a phone
number, a date that does not exist) stays as typed with the reason under the field.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui.field_widgets import FieldBinding, FieldRegistry, LineEditor, message_label, set_text_colour
from nanzhou_desktop.gui.session import ReportSession
from nanzhou_desktop.store.fields import FIELDS

UNIT_FIELDS = ("title", "fiscal_year", "unit_full_name", "unit_short_name", "unit_code", "district")
SIGNOFF_FIELDS = ("head", "finance_head", "preparer", "phone_office", "phone_mobile", "fill_date", "issue_date")
PLACEHOLDERS = {
    "title": "留空则使用“××年度××部门整体支出绩效自评报告”",
    "fiscal_year": "如：2023（由文档导入时未识别到年度，请在此填写）",
    "unit_full_name": "如：广州市海珠区人民政府南洲街道办事处",
    "unit_short_name": "如：南洲街道",
    "unit_code": "财政系统中的单位编码（可选）",
    "district": "如：海珠区",
    "phone_office": "如：020-12345678",
    "phone_mobile": "如：13800000000",
}
DATE_FIELDS = ("fill_date", "issue_date")


def placeholder(column: str, year: int) -> str:
    """The hint in an empty field.  A date's is a valid one for the report's year: the report is
    written after the year ends (a 2023 report: 如：2024年3月15日, not a date the check refuses)."""
    if column in DATE_FIELDS:
        return f"如：{year + 1}年3月15日"
    return PLACEHOLDERS.get(column, "")


class SignOffForm(QWidget):
    def __init__(self, session: ReportSession, registry: FieldRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("signoff-form")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 8, 12, 12)
        self.editors: dict[str, LineEditor] = {}
        if session.report.cover:
            lay.addWidget(self._cover_group(registry))
        lay.addWidget(self._group("单位信息", UNIT_FIELDS, registry))
        lay.addWidget(self._group("签章信息（打印在报告末尾和自评表下方）", SIGNOFF_FIELDS, registry))
        self.state = QLabel()
        self.state.setWordWrap(True)
        set_text_colour(self.state, "#37474f")
        state_box = QGroupBox("报告状态")
        sl = QHBoxLayout(state_box)
        sl.addWidget(self.state)
        lay.addWidget(state_box)
        lay.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.update_state()

    def _group(self, title: str, columns: tuple[str, ...], registry: FieldRegistry) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for column in columns:
            spec = FIELDS["report"][column]
            editor = LineEditor()
            editor.setObjectName(f"report-{column}")
            editor.setPlaceholderText(placeholder(column, self.session.report.year))
            editor.setAccessibleName(spec.label)
            msg = _add_line_field(form, spec.label + "：", editor)
            # Dates are read whole (2023年3月15日): committed when the field is left, not mid-typing.
            FieldBinding(self.session, registry, editor, "report", None, column, message=msg,
                         debounce=spec.kind != "date")
            self.editors[column] = editor
        return box

    def _cover_group(self, registry: FieldRegistry) -> QGroupBox:
        """封面: the cover fields of the report's template, each checked by its kind (a date, a
        year, a code) and printed on the cover page."""
        from dataclasses import replace

        box = QGroupBox("封面（打印在报告的封面页）")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        hints = {"year": f"如：{self.session.report.year}", "date": f"如：{self.session.report.year + 1}年3月15日",
                 "code": "字母、数字", "text": ""}
        base = FIELDS["cover_fields"]["value"]
        for c in self.session.report.cover:
            editor = LineEditor()
            editor.setObjectName(f"cover-{c.key}")
            editor.setPlaceholderText(hints.get(c.kind, ""))
            editor.setAccessibleName(c.label)
            msg = _add_line_field(form, c.label + ("（必填）" if c.required else "") + "：", editor)
            spec = replace(base, label=c.label, kind="date" if c.kind == "date" else "text")
            FieldBinding(self.session, registry, editor, "cover_fields", c.id, "value", message=msg,
                         debounce=c.kind not in ("date", "year"), spec=spec)
            self.editors[f"cover:{c.key}"] = editor
        return box

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        # Messages that appeared under fields while the tab was hidden left the form rows with
        # stale heights (the message drawn over the field): recompute them once shown.
        QTimer.singleShot(0, self._relayout)

    def _relayout(self) -> None:
        for layout in [w.layout() for w in self.findChildren(QWidget)] + [self.layout()]:
            if layout is not None:
                layout.invalidate()

    def update_state(self) -> None:
        r = self.session.report
        for column in DATE_FIELDS:  # the year may change (a template, an import corrected)
            if column in self.editors:
                self.editors[column].setPlaceholderText(placeholder(column, r.year))
        fp = f"，内容指纹 {r.final_fingerprint[:16]}…" if r.final_fingerprint else ""
        where = "（只读打开）" if self.session.rf.read_only else ""
        self.state.setText(f"{r.status} · 第 {r.revision} 版{fp}{where}\n文件：{self.session.rf.path}")


def _add_line_field(form: QFormLayout, label_text: str, editor: LineEditor) -> QLabel:
    """One labelled one-line field with its inline message under it, added to ``form``; the
    message label is returned for the field's binding."""
    editor.setMaximumWidth(620)
    # Never squeezed when the inline message below it appears (it was, to a 8 px sliver).
    editor.setMinimumHeight(editor.sizeHint().height())
    msg = message_label()
    # One line under a one-line field: a wrapping label's height-for-width was not
    # honoured by the form row, and the message was drawn over the field.
    msg.setWordWrap(False)
    cell = QWidget()
    cl = QVBoxLayout(cell)
    cl.setContentsMargins(0, 0, 0, 0)
    cl.setSpacing(2)
    cl.addWidget(editor)
    cl.addWidget(msg)
    label = QLabel(label_text)
    label.setBuddy(editor)
    form.addRow(label, cell)
    return msg
