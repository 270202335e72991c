"""Narrative editing: one tab per top-level part of the outline, one titled form per
sub-section.  The editors and their field bindings come from :mod:`field_widgets`, which the
task editor (work tasks and their 小项) shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui.field_widgets import (
    FieldBinding,
    FieldRegistry,
    PlainEditor,
    message_label,
    set_bold,
    set_text_colour,
)
from nanzhou_desktop.gui.session import ReportSession
from nanzhou_desktop.model import Section, SectionKind
from nanzhou_desktop.money import format_money, format_rate
from nanzhou_desktop.rules.findings import CheckResult

if TYPE_CHECKING:
    pass


def count_chars(text: str) -> int:
    """字数 as offices count it: every character except spaces and line breaks.  The same rule
    as ``nanzhou_desktop.narrative.count_chars`` (``show`` and the print use that one; a test
    keeps the two equal): importing that module here would add ~2 ms to the window's start."""
    return sum(1 for c in text if not c.isspace())


class SectionForm(QGroupBox):
    """One sub-section: its title, the narrative editor with a character count, messages,
    and what belongs to its kind (the budget summary, the task list, the project note)."""

    go_to_table = Signal(str)  # 自评表 table to open ("budget_rows" / "projects")

    def __init__(self, session: ReportSession, registry: FieldRegistry, section: Section,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{section.number}{section.heading}", parent)
        self.section = section
        self.session = session
        self.setObjectName(f"section-{section.key}")
        set_bold(self)  # the title; children get the plain font back below
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 12, 10, 8)
        self.summary: QLabel | None = None
        self.task_editor: QWidget | None = None
        if section.kind in (SectionKind.BUDGET, SectionKind.PROJECTS):
            row = QHBoxLayout()
            self.summary = QLabel()
            self.summary.setWordWrap(True)
            set_text_colour(self.summary, "#37474f")
            row.addWidget(self.summary, 1)
            target = "budget_rows" if section.kind == SectionKind.BUDGET else "projects"
            button = QPushButton("到自评表填写数字" if target == "budget_rows" else "到自评表填写重点项目")
            button.clicked.connect(lambda: self.go_to_table.emit(target))
            row.addWidget(button)
            lay.addLayout(row)
        self.editor = PlainEditor(min_lines=3 if section.kind != SectionKind.TASKS else 2)
        self.editor.setObjectName(f"body-{section.key}")
        self.editor.setAccessibleName(f"{section.number}{section.heading} 正文")
        self.editor.setPlaceholderText("在此填写本节正文……" if section.kind != SectionKind.TASKS
                                       else "（可选）各项工作任务之前的总述；各项任务在下面逐项填写")
        lay.addWidget(self.editor)
        self.message, self.count = _message_and_count(lay)
        self.editor.textChanged.connect(self._count)
        self.binding = FieldBinding(session, registry, self.editor, "sections", section.id, "body",
                                    message=self.message)
        # Children inherit the title's bold unless their weight is set explicitly.
        plain = QFont(QApplication.font())
        plain.setBold(False)
        for child in (self.editor, self.message, self.count, self.summary):
            if child is not None:
                child.setFont(plain)
        self._count()
        if section.kind == SectionKind.TASKS:
            from nanzhou_desktop.gui.task_editor import TaskEditor

            self.task_editor = TaskEditor(session, registry, section.key)
            self.task_editor.setFont(plain)
            lay.addWidget(self.task_editor)

    def _count(self) -> None:
        self.count.setText(f"字数 {count_chars(self.editor.toPlainText())}")

    def update_summary(self, result: CheckResult | None) -> None:
        if self.summary is None:
            return
        report = self.session.report
        if self.section.kind == SectionKind.BUDGET:
            row = report.budget_total_row
            if row is None:
                self.summary.setText("自评表中还没有“年度资金总额”行。")
                return
            rate = result.score.budget_rate if result is not None else None
            self.summary.setText(
                f"自评表：全年预算数 {format_money(row.budget_total) or '—'} 万元，"
                f"全年执行数 {format_money(row.executed) or '—'} 万元，"
                f"执行率 {format_rate(rate) if rate is not None else '—'}。正文中的数字须与之一致。")
        else:
            n = len(report.projects)
            self.summary.setText(f"自评表中有 {n} 个重点项目；正文中各项目的预算数、执行数须与之一致。" if n
                                 else "自评表中还没有重点项目。")


class PrefaceForm(QGroupBox):
    """前言: the opening paragraph before 一、 (shown at the top of the first part when the
    report's template has one, or when the report holds one).  It behaves as a section form
    for the tab (a pseudo section keyed ``preface``, no table, no tasks)."""

    go_to_table = Signal(str)  # never emitted: the same interface as SectionForm

    def __init__(self, session: ReportSession, registry: FieldRegistry, parent: QWidget | None = None) -> None:
        t = session.report.template.preface
        super().__init__("前言" + ("（必填）" if t.required else "（一、之前的开头段落）"), parent)
        self.section = Section(key="preface", level=1, number="", heading="前言", required=t.required)
        self.session = session
        self.summary = None
        self.task_editor = None
        self.setObjectName("section-preface")
        set_bold(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 12, 10, 8)
        self.editor = PlainEditor(min_lines=3)
        self.editor.setObjectName("body-preface")
        self.editor.setAccessibleName("前言")
        self.editor.setPlaceholderText(t.hint or "（可选）开头段落，如：根据《关于开展××年度绩效自评工作的通知》要求，"
                                                 "现将××年度部门整体支出绩效自评情况报告如下：")
        lay.addWidget(self.editor)
        self.message, self.count = _message_and_count(lay)
        self.editor.textChanged.connect(self._count)
        self.binding = FieldBinding(session, registry, self.editor, "report", None, "preface", message=self.message)
        plain = QFont(QApplication.font())
        plain.setBold(False)
        for child in (self.editor, self.message, self.count):
            child.setFont(plain)
        self._count()

    def _count(self) -> None:
        self.count.setText(f"字数 {count_chars(self.editor.toPlainText())}")

    def update_summary(self, result: CheckResult | None) -> None:
        pass


def shows_preface(session: ReportSession) -> bool:
    r = session.report
    return r.template.preface.enabled or bool(r.preface)


class SectionTab(QWidget):
    """A top-level part (一、… 四、): a list of its sub-sections on the left (one click to
    reach any of them) and the forms one under another on the right; the first part also holds
    the 前言 when the report has one."""

    def __init__(self, session: ReportSession, registry: FieldRegistry, top: Section,
                 parent: QWidget | None = None, *, preface: bool = False) -> None:
        super().__init__(parent)
        self.top = top
        self.session = session
        report = session.report
        sections = report.subtree(top.key)
        # The part's own text is shown when it has some, or when it is all there is.
        if not top.body and len(sections) > 1 and not top.required:
            sections = sections[1:]
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        self.outline = QListWidget()
        self.outline.setObjectName(f"outline-{top.key}")
        self.outline.setMaximumWidth(230)
        self.outline.setMinimumWidth(170)
        self.outline.setAccessibleName("本部分的小节")
        self.outline.setWordWrap(True)
        self.outline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outline.setSpacing(2)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.forms_layout = QVBoxLayout(body)
        self.forms_layout.setContentsMargins(4, 0, 12, 12)
        self.forms: list[SectionForm] = []
        if preface:
            form = PrefaceForm(session, registry)
            self.forms.append(form)  # type: ignore[arg-type]  # the same interface
            self.forms_layout.addWidget(form)
            item = QListWidgetItem("前言")
            item.setToolTip("前言（一、之前的开头段落）")
            self.outline.addItem(item)
        for sec in sections:
            form = SectionForm(session, registry, sec)
            self.forms.append(form)
            self.forms_layout.addWidget(form)
            indent = "　" * max(0, sec.level - top.level - 1)  # a third level stands under its second
            item = QListWidgetItem(f"{indent}{sec.number}{sec.heading}")
            item.setToolTip(f"{sec.number}{sec.heading}")
            self.outline.addItem(item)
        self.forms_layout.addStretch(1)
        self.scroll.setWidget(body)
        # Wide enough for the longest heading on one line (a lone "务" on the next was the
        # result at 230 px), within bounds; a longer custom heading still wraps.
        fm = self.outline.fontMetrics()
        longest = max((fm.horizontalAdvance(self.outline.item(i).text()) for i in range(self.outline.count())),
                      default=0)
        self.outline.setMaximumWidth(max(230, min(320, longest + 32)))
        lay.addWidget(self.outline)
        lay.addWidget(self.scroll, 1)
        self.outline.setVisible(len(self.forms) > 1)
        if len(self.forms) == 1:  # the whole tab is one text (三、存在的主要问题): give it room
            self.forms[0].editor.set_min_lines(14)
        self.outline.currentRowChanged.connect(self.show_form)
        self.outline.itemClicked.connect(lambda item: self.show_form(self.outline.row(item)))

    def show_form(self, index: int) -> None:
        if not 0 <= index < len(self.forms):
            return
        form = self.forms[index]
        self.scroll.ensureWidgetVisible(form, 0, 0)
        # Put the form's title at the top of the view rather than just in view.
        self.scroll.verticalScrollBar().setValue(form.y())
        form.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def form_for(self, key: str) -> SectionForm | None:
        for f in self.forms:
            if f.section.key == key:
                return f
        return None

    def reveal(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget, 20, 40)

    def update_summaries(self, result: CheckResult | None) -> None:
        for f in self.forms:
            f.update_summary(result)

    def task_editors(self) -> Iterable[QWidget]:
        return [f.task_editor for f in self.forms if f.task_editor is not None]


def _message_and_count(lay: QVBoxLayout) -> tuple[QLabel, QLabel]:
    """The line under a body editor: its inline message on the left, the 字数 on the right."""
    foot = QHBoxLayout()
    message = message_label()
    foot.addWidget(message, 1)
    count = QLabel()
    set_text_colour(count, "#777777")
    count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    foot.addWidget(count)
    lay.addLayout(foot)
    return message, count
