"""编辑提纲: the report's own outline as a tree, and the buttons that change it.

The form comes from ``ui/outline_editor.ui``.  Every button is one core operation through the
session (``ReportSession.outline`` → ``store.outline``): saved, audited, one step on the window's
undo stack; the window rebuilds its tabs and this tree shows the renumbered outline.  Deleting a
section that holds text asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QTreeWidgetItem, QVBoxLayout, QWidget

from nanzhou_desktop.gui.session import ReportSession
from nanzhou_desktop.model import Section, SectionKind
from nanzhou_desktop.store import outline as ops
from nanzhou_desktop.store.errors import EditError, SaveError

KeyRole = Qt.ItemDataRole.UserRole + 1
_KIND_NOTE = {SectionKind.BUDGET: "（预算执行情况）", SectionKind.PROJECTS: "（重点项目）", SectionKind.TASKS: "（工作任务）"}


class TextDialog(QDialog):
    """One line of text (a heading), with Chinese buttons and the reason when it is refused."""

    def __init__(self, parent: QWidget, title: str, prompt: str, text: str = "") -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QLabel

        from nanzhou_desktop.gui.dialogs import _ok_cancel_chinese as ok_cancel_chinese

        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.edit = QLineEdit(text)
        self.edit.setObjectName("heading")
        self.edit.setMinimumWidth(360)
        label.setBuddy(self.edit)
        lay.addWidget(self.edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok_cancel_chinese(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _accept(self) -> None:
        if not " ".join(self.edit.text().split()):
            self.error.setText("请填写章节标题。")
            return
        self.accept()

    def text(self) -> str:
        return " ".join(self.edit.text().split())


def ask_heading(parent: QWidget, title: str, prompt: str, text: str = "") -> str | None:
    """A heading typed by the user, or None when cancelled (tests replace this function)."""
    dlg = TextDialog(parent, title, prompt, text)
    return dlg.text() if dlg.exec() == QDialog.DialogCode.Accepted else None


def confirm_delete(parent: QWidget, name: str, chars: int) -> bool:
    """Ask before deleting a section that holds text (tests replace this function)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "删除章节",
                      f"“{name}”及其下级章节共有 {chars} 字正文，删除后正文一并删除。\n\n"
                      "删除后可以用“编辑 → 撤销”恢复。确定删除吗？", QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton("删除", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


class OutlineEditor(QDialog):
    """The outline of the session's report, kept current as it changes."""

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_outline_editor import Ui_OutlineEditor

        self.session = session
        self.form = Ui_OutlineEditor()
        self.form.setupUi(self)
        f = self.form
        close = f.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText("关闭")
        f.buttons.rejected.connect(self.reject)
        f.tree.setHeaderLabels(["章节", "必填", "字数"])
        f.tree.setColumnWidth(0, 440)
        f.tree.setColumnWidth(1, 50)
        f.tree.itemSelectionChanged.connect(self._update_buttons)
        f.tree.itemDoubleClicked.connect(lambda *_: self.rename())
        f.addSibling.clicked.connect(self.add_sibling)
        f.addChild.clicked.connect(self.add_child)
        f.rename.clicked.connect(self.rename)
        f.up.clicked.connect(lambda: self.step(-1))
        f.down.clicked.connect(lambda: self.step(+1))
        f.outdent.clicked.connect(self.outdent)
        f.indent.clicked.connect(self.indent)
        f.remove.clicked.connect(self.remove)
        f.required.clicked.connect(self.set_required)
        session.structure_changed.connect(self._structure_changed)
        session.status_changed.connect(self._update_buttons)
        self.refresh()

    # ---------------------------------------------------------------- the tree
    def refresh(self, select: str | None = None) -> None:
        """Show the report's outline; keep (or move to) the selected section."""
        from nanzhou_desktop.narrative import section_chars

        tree = self.form.tree
        keep = select or self.selected_key()
        tree.blockSignals(True)
        tree.clear()
        report = self.session.report
        stack: list[tuple[int, QTreeWidgetItem]] = []
        chosen = None
        for s in report.sections:
            while stack and stack[-1][0] >= s.level:
                stack.pop()
            item = QTreeWidgetItem([f"{s.number}{s.heading}{_KIND_NOTE.get(s.kind, '')}", "必填" if s.required else "可选",
                                    str(section_chars(report, s))])
            item.setData(0, KeyRole, s.key)
            item.setToolTip(0, f"章节键 {s.key}")
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if stack:
                stack[-1][1].addChild(item)
            else:
                tree.addTopLevelItem(item)
            stack.append((s.level, item))
            if s.key == keep:
                chosen = item
        tree.expandAll()
        tree.blockSignals(False)
        if chosen is None and tree.topLevelItemCount():
            chosen = tree.topLevelItem(0)
        if chosen is not None:
            tree.setCurrentItem(chosen)
        self._update_buttons()

    def _structure_changed(self, table: str) -> None:
        if table == "sections":
            self.refresh()

    def selected_key(self) -> str:
        item = self.form.tree.currentItem()
        return str(item.data(0, KeyRole)) if item is not None else ""

    def select(self, key: str) -> None:
        self.refresh(select=key)

    def _section(self) -> Section | None:
        key = self.selected_key()
        return self.session.report.section(key) if key else None

    def _update_buttons(self) -> None:
        f = self.form
        sec = self._section()
        editable = self.session.editable
        report = self.session.report
        parent = report.parent(sec.key) if sec else None
        siblings = (report.children(parent.key) if parent else report.top_sections()) if sec else []
        at = siblings.index(sec) if sec in siblings else -1
        f.addSibling.setEnabled(editable)
        f.addChild.setEnabled(editable and sec is not None and sec.kind != SectionKind.TASKS)
        for button in (f.rename, f.remove, f.required):
            button.setEnabled(editable and sec is not None)
        f.up.setEnabled(editable and at > 0)
        f.down.setEnabled(editable and 0 <= at < len(siblings) - 1)
        f.indent.setEnabled(editable and at > 0 and siblings[at - 1].kind != SectionKind.TASKS)
        f.outdent.setEnabled(editable and parent is not None)
        f.required.blockSignals(True)
        f.required.setChecked(bool(sec and sec.required))
        f.required.blockSignals(False)
        if not editable:
            f.error.setText("报告已定稿或只读打开，提纲不能修改。")

    # ---------------------------------------------------------------- operations
    def _do(self, text: str, op: Callable[[Any], Any], select: str | None = None) -> Any:
        self.form.error.setText("")
        try:
            result = self.session.outline(text, op)
        except (EditError, SaveError) as exc:
            self.form.error.setText(str(exc))
            return None
        self.refresh(select=select if select is not None else self.selected_key())
        return result

    def add_sibling(self) -> None:
        sec = self._section()
        report = self.session.report
        parent = report.parent(sec.key) if sec else None
        parent_key = parent.key if parent else ""
        siblings = report.children(parent_key) if parent else report.top_sections()
        index = siblings.index(sec) + 1 if sec in siblings else len(siblings)
        heading = ask_heading(self, "添加同级章节", "新章节的标题（编号按位置自动生成）：")
        if heading:
            new = self._do("添加章节", lambda rf: ops.add_section(rf, parent_key, heading, index=index))
            if new is not None:
                self.select(new.key)

    def add_child(self) -> None:
        sec = self._section()
        if sec is None:
            return
        heading = ask_heading(self, "添加下级章节", f"在“{sec.number}{sec.heading}”下添加的章节标题：")
        if heading:
            new = self._do("添加下级章节", lambda rf: ops.add_section(rf, sec.key, heading))
            if new is not None:
                self.select(new.key)

    def rename(self) -> None:
        sec = self._section()
        if sec is None or not self.session.editable:
            return
        heading = ask_heading(self, "重命名章节", f"“{sec.number}{sec.heading}”的新标题：", sec.heading)
        if not heading or heading == sec.heading:
            return
        self.form.error.setText("")
        try:
            self.session.set_field("sections", sec.id, "heading", ops._heading(heading))
        except (EditError, SaveError) as exc:
            self.form.error.setText(str(exc))
        self.refresh(select=sec.key)

    def step(self, delta: int) -> None:
        sec = self._section()
        if sec is not None:
            self._do("上移章节" if delta < 0 else "下移章节", lambda rf: ops.step_section(rf, sec.key, delta))

    def indent(self) -> None:
        """降一级: the section becomes the last sub-section of the section before it."""
        sec = self._section()
        if sec is None:
            return
        report = self.session.report
        parent = report.parent(sec.key)
        siblings = report.children(parent.key) if parent else report.top_sections()
        at = siblings.index(sec)
        if at == 0:
            return
        new_parent = siblings[at - 1]
        count = len(report.children(new_parent.key))
        self._do("章节降一级", lambda rf: ops.move_section(rf, sec.key, new_parent.key, count))

    def outdent(self) -> None:
        """升一级: the section follows its parent, one level up."""
        sec = self._section()
        if sec is None:
            return
        report = self.session.report
        parent = report.parent(sec.key)
        if parent is None:
            return
        grand = report.parent(parent.key)
        siblings = report.children(grand.key) if grand else report.top_sections()
        index = siblings.index(parent) + 1
        self._do("章节升一级", lambda rf: ops.move_section(rf, sec.key, grand.key if grand else "", index))

    def remove(self) -> None:
        sec = self._section()
        if sec is None:
            return
        chars = ops.has_text(self.session.report, sec.key)
        if chars and not confirm_delete(self, f"{sec.number}{sec.heading}", chars):
            return
        report = self.session.report
        parent = report.parent(sec.key)
        self._do("删除章节", lambda rf: ops.remove_section(rf, sec.key), select=parent.key if parent else "")

    def set_required(self) -> None:
        sec = self._section()
        if sec is None:
            return
        want = self.form.required.isChecked()
        self._do("设为必填" if want else "设为可选", lambda rf: ops.set_required(rf, sec.key, want))
