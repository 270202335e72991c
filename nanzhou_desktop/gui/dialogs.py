"""Dialogs: 新建报告, 出错说明, 解除定稿 (from ui/*.ui, held as ``self.form``), and the
small questions around 定稿.  Each returns plain values; the window makes the core calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.model import Unit
from nanzhou_desktop.rules.findings import Finding

# 海珠区's 18 街道 (domain notes: list unconfirmed, so it only offers names; free text is allowed).
# The example's district: offered as names to pick, never a default for an office elsewhere.
HAIZHU_STREETS = ("赤岗", "新港", "昌岗", "江南中", "滨江", "素社", "海幢", "南华西", "龙凤", "沙园",
                  "南石头", "凤阳", "瑞宝", "江海", "琶洲", "南洲", "华洲", "官洲")
DISTRICT = "海珠区"


def street_full_name(street: str) -> str:
    return f"广州市海珠区人民政府{street}街道办事处"


def _ok_cancel_chinese(buttons: QDialogButtonBox) -> None:
    # Qt's translations cover these, but a missing .qm must not leave English on the buttons.
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    if ok is not None:
        ok.setText("确定")
    if cancel is not None:
        cancel.setText("取消")


@dataclass
class NewReportChoice:
    unit: Unit
    year: int
    template: Any = None  # nanzhou_desktop.template.Template


OTHER_TEMPLATE = "__file__"  # the combo's last entry: 从文件选择模板…


class NewReportDialog(QDialog):
    """新建报告: unit, year and the report template, whose outline is previewed beside its
    region, years, scheme and sources.  The last template used is offered first."""

    def __init__(self, parent: QWidget | None = None, default_year: int | None = None,
                 last_template: str = "", template_dirs: tuple[Any, ...] | None = None,
                 last_unit: Unit | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_new_report import Ui_NewReportDialog  # loaded when first needed

        self.form = Ui_NewReportDialog()
        self.form.setupUi(self)
        screen_fit.fit_window(self)
        _ok_cancel_chinese(self.form.buttons)
        for street in HAIZHU_STREETS:
            self.form.unit.addItem(street_full_name(street), street)
        self.form.unit.setCurrentIndex(-1)
        self.form.unit.lineEdit().setPlaceholderText("填写单位全称，或从列表中选择海珠区的街道")
        self._auto_short = self._auto_district = ""
        if last_unit is not None and last_unit.full_name:  # an office's next report is usually its own again
            self.form.unit.setEditText(last_unit.full_name)
            self.form.shortName.setText(last_unit.short_name)
            self.form.district.setText(last_unit.district)
        self.form.unit.currentTextChanged.connect(self._unit_changed)
        self.form.year.setValue(default_year or dt.date.today().year - 1)
        self.form.buttons.accepted.connect(self._accept)
        self.form.buttons.rejected.connect(self.reject)
        self._fill_templates(last_template, template_dirs)

    # ---------------------------------------------------------------- templates
    def _fill_templates(self, last: str, dirs: tuple[Any, ...] | None) -> None:
        from nanzhou_desktop.template import DEFAULT_TEMPLATE, catalog

        cat = catalog(extra_dirs=dirs)
        self.templates = list(cat.templates)
        self.problems = list(cat.problems)
        combo = self.form.template
        combo.blockSignals(True)
        for t in self.templates:
            combo.addItem(self._label(t), t.id)
        combo.addItem("从文件选择模板…", OTHER_TEMPLATE)
        combo.blockSignals(False)
        ids = [t.id for t in self.templates]
        want = last if last in ids else DEFAULT_TEMPLATE
        combo.setCurrentIndex(ids.index(want) if want in ids else 0)
        self._current = combo.currentIndex()
        combo.currentIndexChanged.connect(self._template_changed)
        self.form.preview.setMinimumHeight(150)
        self.form.previewRow.setStretch(0, 1)  # the outline and the description share the width
        self.form.previewRow.setStretch(1, 1)
        self._show_template()

    @staticmethod
    def _label(t: Any) -> str:
        own = "" if t.builtin else "（自备）"
        return f"{t.name}{own}"

    def template(self) -> Any:
        i = self.form.template.currentIndex()
        return self.templates[i] if 0 <= i < len(self.templates) else None

    def _template_changed(self, index: int) -> None:
        if self.form.template.itemData(index) == OTHER_TEMPLATE:
            self._pick_file()
            return
        self._current = index
        self._show_template()

    def _pick_file(self) -> None:
        """A template file the user has (a district's own): read and checked; a broken one is
        named with its problem and the choice goes back."""
        from PySide6.QtWidgets import QFileDialog

        from nanzhou_desktop.template import load_template_file
        from nanzhou_desktop.template_data import TemplateError

        combo = self.form.template
        path, _ = QFileDialog.getOpenFileName(self, "选择报告模板文件", "", "报告模板 (*.json);;所有文件 (*)")
        if path:
            try:
                t = load_template_file(path)
            except TemplateError as exc:
                self.form.error.setText(str(exc))
            else:
                self.form.error.setText("")
                self.templates.append(t)
                combo.blockSignals(True)
                combo.insertItem(len(self.templates) - 1, self._label(t), t.id)
                combo.blockSignals(False)
                self._current = len(self.templates) - 1
        combo.blockSignals(True)
        combo.setCurrentIndex(self._current)
        combo.blockSignals(False)
        self._show_template()

    def _show_template(self) -> None:
        from PySide6.QtWidgets import QTreeWidgetItem

        t = self.template()
        tree = self.form.preview
        tree.clear()
        if t is None:
            self.form.templateInfo.setText("没有可用的报告模板。")
            return
        stack: list[tuple[int, Any]] = []
        for s in t.sections:
            while stack and stack[-1][0] >= s["level"]:
                stack.pop()
            item = QTreeWidgetItem([f"{s['number']}{s['heading']}"])
            (stack[-1][1].addChild(item) if stack else tree.addTopLevelItem(item))
            stack.append((s["level"], item))
        tree.expandAll()
        d = t.data
        sc = d.scheme
        budget = "不单列预算执行率" if sc.budget.formula == "none" else f"预算执行率 {sc.budget.points.normalize():f} 分"
        split = "（" + " / ".join(f"{k} {v.normalize():f}" for k, v in sc.indicators.level1) + "）" \
            if sc.indicators.level1 else ""
        how = "得分由评价人填写" if sc.indicators.score == "entered" else "得分按实际完成值计算"
        lines = [f"适用：{'、'.join(x for x in (d.region, d.applies_to) if x) or '不限'}；{d.years_text}",
                 f"评分：{budget}，绩效指标 {sc.indicators.points.normalize():f} 分{split}；{how}",
                 f"等级：{'、'.join(f'{g.grade} ≥ {g.min.normalize():f}' for g in sc.grades[:-1])}",
                 "封面：" + ("、".join(c.label for c in t.cover) if t.cover else "无")
                 + "；前言：" + ("必填" if d.preface.required else "可写" if d.preface.enabled else "无"),
                 f"版本：{d.version}"]
        lines += [f"来源：{src.title if len(src.title) <= 46 else src.title[:45] + '…'}" for src in d.sources[:3]]
        if self.problems:
            lines.append(f"另有 {len(self.problems)} 个模板文件无法读取（把鼠标停在这里查看原因）。")
        self.form.templateInfo.setText("\n".join(lines))
        self.form.templateInfo.setToolTip("\n".join(
            [f"来源：{src.title}（{src.url}）" if src.url else f"来源：{src.title}" for src in d.sources]
            + self.problems))

    def _unit_changed(self, text: str) -> None:
        street = next((s for s in HAIZHU_STREETS if street_full_name(s) == text.strip()), None)
        short = f"{street}街道" if street else ""
        district = DISTRICT if street else ""
        # Fill 简称 and 所属区 for a listed street, unless the user has typed their own.
        if self.form.shortName.text() in ("", self._auto_short):
            self.form.shortName.setText(short)
            self._auto_short = short
        if self.form.district.text() in ("", self._auto_district):
            self.form.district.setText(district)
            self._auto_district = district

    def choice(self) -> NewReportChoice:
        full = self.form.unit.currentText().strip()
        short = self.form.shortName.text().strip() or full
        return NewReportChoice(Unit(full_name=full, short_name=short, district=self.form.district.text().strip()),
                               self.form.year.value(), self.template())

    def _accept(self) -> None:
        if not self.form.unit.currentText().strip():
            self.form.error.setText("请选择或填写单位全称。")
            self.form.unit.setFocus()
            return
        self.accept()


class ExplainDialog(QDialog):
    """出错说明 for one 警告: the finding, and the explanation text (pre-filled if any)."""

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_explain import Ui_ExplainDialog

        self.form = Ui_ExplainDialog()
        self.form.setupUi(self)
        screen_fit.fit_window(self)
        _ok_cancel_chinese(self.form.buttons)
        details = [f"警告：{finding.message}"]
        if finding.seen:
            details.append(f"填写的是：{finding.seen}")
        if finding.expected:
            details.append(f"应为：{finding.expected}")
        self.form.finding.setText("\n".join(details))
        if finding.explanation is not None:
            self.form.text.setPlainText(finding.explanation.text)
        self.form.text.textChanged.connect(self._count)
        self.form.buttons.accepted.connect(self._accept)
        self.form.buttons.rejected.connect(self.reject)
        self._count()

    def _count(self) -> None:
        n = len(self.text())
        self.form.count.setText(f"{n} 字")

    def text(self) -> str:
        return self.form.text.toPlainText().strip()

    def _accept(self) -> None:
        if not self.text():
            self.form.error.setText("请写明原因；出错说明不能为空。")
            return
        self.accept()


class UnlockDialog(QDialog):
    def __init__(self, status: str, revision: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_unlock import Ui_UnlockDialog

        self.form = Ui_UnlockDialog()
        self.form.setupUi(self)
        screen_fit.fit_window(self)
        _ok_cancel_chinese(self.form.buttons)
        self.form.intro.setText(f"报告当前为“{status}”（第 {revision} 版）。解除定稿后可以修改，"
                                f"修订号将变为第 {revision + 1} 版，再次定稿时重新记录内容指纹。")
        self.form.buttons.accepted.connect(self._accept)
        self.form.buttons.rejected.connect(self.reject)

    def reason(self) -> str:
        return self.form.reason.toPlainText().strip()

    def _accept(self) -> None:
        if not self.reason():
            self.form.error.setText("请填写解除定稿的原因。")
            return
        self.accept()


# ---------------------------------------------------------------------- small questions
# Module-level functions so tests can answer them without a modal loop.

def ask_new_report(parent: QWidget | None) -> NewReportChoice | None:
    """新建报告; the template offered first and the unit filled in are the ones of the last new
    report (the window's settings)."""
    settings = getattr(parent, "settings", None)
    last = settings.last_template() if settings is not None and hasattr(settings, "last_template") else ""
    unit = settings.last_unit() if settings is not None and hasattr(settings, "last_unit") else None
    d = NewReportDialog(parent, last_template=last, last_unit=unit)
    return d.choice() if d.exec() == QDialog.DialogCode.Accepted else None


def ask_explanation(parent: QWidget | None, finding: Finding) -> str | None:
    d = ExplainDialog(finding, parent)
    return d.text() if d.exec() == QDialog.DialogCode.Accepted else None


def ask_unlock_reason(parent: QWidget | None, status: str, revision: int) -> str | None:
    d = UnlockDialog(status, revision, parent)
    return d.reason() if d.exec() == QDialog.DialogCode.Accepted else None


def confirm_finalise(parent: QWidget | None, summary: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "定稿",
                      f"{summary}\n\n定稿后报告不能再修改（需要时可“解除定稿”，修订号加一），并记录内容指纹。确定定稿吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("定稿")
    box.button(QMessageBox.StandardButton.No).setText("取消")
    return box.exec() == QMessageBox.StandardButton.Yes


def list_box(parent: QWidget | None, title: str, text: str, *, question: bool = False) -> QMessageBox:
    """A message box for a list of items, one per line: wide enough that an item is one or
    two lines, not a narrow column where each wraps three times."""
    icon = QMessageBox.Icon.Question if question else QMessageBox.Icon.Warning
    buttons = (QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No if question
               else QMessageBox.StandardButton.Ok)
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 36em; }")
    if question:
        box.button(QMessageBox.StandardButton.Yes).setText("是")
        box.button(QMessageBox.StandardButton.No).setText("否")
        box.setDefaultButton(QMessageBox.StandardButton.No)
    else:
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
    return box


def _items(lines: list[str], unit: str, limit: int = 12) -> str:
    shown = [f"· {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"…… 另有 {len(lines) - limit} {unit}")
    return "\n".join(shown)


def show_refused(parent: QWidget | None, blocking: list[Finding]) -> None:
    text = ("定稿前须改正全部错误，并为每条警告写出错说明（或按警告的建议改正）：\n\n"
            + _items([f"{f.severity.value}：{f.message}" for f in blocking], "项")
            + "\n\n在右侧“检查结果”中单击某一项即可定位到该处。")
    list_box(parent, "还不能定稿", text).exec()


def show_refused_inputs(parent: QWidget | None, inputs: list[str]) -> None:
    """定稿 refused while typed entries are refused and unsaved: the file holds other values."""
    text = ("以下输入未被接受，没有保存（屏幕上红色提示处）；报告文件里仍是原来的内容：\n\n"
            + _items(inputs, "处")
            + "\n\n请改正这些输入（或清除后重新填写），再定稿。光标已移到第一处。")
    list_box(parent, "还不能定稿", text).exec()


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm_replace(parent: QWidget | None, title: str, existing: object, backup_name: str) -> bool:
    """An existing (draft or other) file stands under the chosen name: replace it, after a backup?"""
    return replace_box(parent, title, existing, backup_name).exec() == QMessageBox.StandardButton.Yes


def replace_box(parent: QWidget | None, title: str, existing: object, backup_name: str) -> QMessageBox:
    path = getattr(existing, "path", None)
    describe = getattr(existing, "describe", lambda: "")()
    box = QMessageBox(QMessageBox.Icon.Question, title,
                      f"文件“{getattr(path, 'name', path)}”已存在（{describe}）。\n\n"
                      f"替换前会把原文件备份为“{backup_name}”，放在同一文件夹中。要替换它吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("备份后替换")
    box.button(QMessageBox.StandardButton.No).setText("换一个文件名")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def show_saved(parent: QWidget | None, title: str, text: str, path: object) -> None:
    """A file was written: say where, and offer 打开所在文件夹 (the officer must find it to
    email or print it)."""
    from pathlib import Path

    from nanzhou_desktop.gui import desktop

    box = saved_box(parent, title, text)
    box.exec()
    if box.clickedButton() is box.reveal_button:  # type: ignore[attr-defined]
        desktop.reveal(Path(str(path)))


def saved_box(parent: QWidget | None, title: str, text: str,
              icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText("确定")
    box.reveal_button = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)  # type: ignore[attr-defined]
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    return box


def show_attach_by_hand(parent: QWidget | None, title: str, text: str, path: object) -> None:
    """The mail program could not be given the files: say which to attach, where they are."""
    from pathlib import Path

    from nanzhou_desktop.gui import desktop

    box = saved_box(parent, title, text, QMessageBox.Icon.Warning)
    box.exec()
    if box.clickedButton() is box.reveal_button:  # type: ignore[attr-defined]
        desktop.reveal(Path(str(path)))


def exported_box(parent: QWidget | None, text: str) -> QMessageBox:
    """导出上报 done: where the files are, with 用邮件发送 (the next step) and 打开所在文件夹."""
    box = saved_box(parent, "导出上报", text)
    box.mail_button = box.addButton("用邮件发送…", QMessageBox.ButtonRole.ActionRole)  # type: ignore[attr-defined]
    box.setDefaultButton(box.mail_button)  # type: ignore[attr-defined]
    return box


def show_exported(parent: QWidget | None, text: str, path: object) -> str:
    """``exported_box``; "mail" when 用邮件发送 was chosen (打开所在文件夹 is done here), else ""."""
    from pathlib import Path

    from nanzhou_desktop.gui import desktop

    box = exported_box(parent, text)
    box.exec()
    clicked = box.clickedButton()
    if clicked is box.mail_button:  # type: ignore[attr-defined]
        return "mail"
    if clicked is box.reveal_button:  # type: ignore[attr-defined]
        desktop.reveal(Path(str(path)))
    return ""
