"""导入报告文档: the mapping preview shown before anything is written.

The user sees each paragraph of the document and the section it goes to, the figures
recognised in the text (来自正文，待确认), what was left out on purpose (page numbers, running
headers) and what could not be placed; paragraphs can be moved to another section, or left
out.  Nothing is written here: the caller writes the accepted
:class:`~nanzhou_desktop.importing.ImportResult` with
:func:`~nanzhou_desktop.importing.write_import` (or uses :func:`import_to_file`, which asks
where to save and writes it).

The widgets and their layout come from ``ui/import_dialog.ui`` (compiled by
``tools/compile_ui.py``, held as ``self.form``); this module keeps the model and behaviour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLayout,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.importing import DocumentImportError, ImportResult, Place, import_document, write_import
from nanzhou_desktop.importing.document import remap, unit_of
from nanzhou_desktop.importing.result import COVER, PREFACE, SourceBlock
from nanzhou_desktop.limits import safe_file_part
from nanzhou_desktop.money import format_money
from nanzhou_desktop.narrative import item_number, task_number
from nanzhou_desktop.store.errors import ReportFileError

ModelIndex = QModelIndex | QPersistentModelIndex
BlockIndexRole = Qt.ItemDataRole.UserRole + 1  # int: the block's index in ImportResult.blocks

ROLE_NAMES = {
    "title": "标题", "heading": "章节标题", "task": "工作任务", "item": "小项", "paragraph": "正文",
    "preamble": "标题前文字", "table": "表格", "annex": "附件", "signoff": "落款", "preface": "前言",
    "cover": "封面", "mark": "附件标记", "empty": "空单元格",
}
NOT_PLACED = "（未放置）"
_GREY = QBrush(QColor("#777777"))
_RED = QBrush(QColor("#b00020"))


class MappingModel(QAbstractTableModel):
    """One row per source paragraph: 段 · 类型 · 放入 · 文字.  Read-only; moves go through
    :meth:`ImportResult.move` and :meth:`refresh`."""

    HEADERS = ("段", "类型", "放入", "文字")

    def __init__(self, result: ImportResult, parent: Any = None) -> None:
        super().__init__(parent)
        self.import_result = result

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.import_result.blocks)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        block = self.import_result.blocks[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(block.index + 1), ROLE_NAMES.get(block.role, block.role), self.target_name(block),
                    _clip(block.text, 80))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return block.text
        if role == Qt.ItemDataRole.ForegroundRole:
            if not block.placed:
                return _RED
            if block.role in ("title", "heading", "task", "item", "signoff", "mark", "empty") or block.read_into:
                return _GREY if col == 2 else None
        if role == BlockIndexRole:
            return block.index
        return None

    def target_name(self, block: SourceBlock) -> str:
        r = self.import_result.report
        if block.role == "title":
            return "报告标题"
        if block.role == "signoff":
            return "落款（签章信息）"
        if block.role == "mark" and block.place is None:
            return "附件标记（保留在导入记录中）"
        if block.role == "empty":
            return "（空）"
        if block.read_into:
            return f"读入{block.read_into}"
        if block.role == "heading":
            sec = r.section(block.section_key)
            how = f"，按{block.how}对应“{block.matched}”" if block.matched and block.matched != block.title else ""
            new = "，提纲外的新章节" if not block.matched else ""
            return f"{sec.number}{sec.heading}{how}{new}" if sec else block.section_key
        place = block.place
        if place is None:
            return NOT_PLACED
        return place_name(self.import_result, place)

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()


def place_name(result: ImportResult, place: Place) -> str:
    if place.section_key == PREFACE:
        return "前言"
    if place.section_key == COVER:
        return "封面"
    r = result.report
    sec = r.section(place.section_key)
    name = f"{sec.number}{sec.heading}" if sec else place.section_key
    if place.task is not None and place.task < len(r.tasks):
        name += f" › {task_number(place.task)}{r.tasks[place.task].title}"
        if place.item is not None and place.item < len(r.tasks[place.task].items):
            name += f" › {item_number(place.item)}{r.tasks[place.task].items[place.item].title}"
    return name


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class ImportDialog(QDialog):
    """The mapping preview.  ``result`` is changed in place by moves; nothing is written."""

    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_import_dialog import Ui_ImportDialog  # loaded when first needed

        self.import_result = result
        # The widgets come from ui/import_dialog.ui; the names below are the dialog's API.
        self.form = f = Ui_ImportDialog()
        f.setupUi(self)
        screen_fit.fit_window(self)  # the form's size, or what the screen has room for
        self.unit_edit, self.year_spin, self.notes_label = f.unit_edit, f.year_spin, f.notes_label
        self.identity_hint, self.outline_hint, self.add_sections_box = f.identity_hint, f.outline_hint, f.add_sections_box
        self.template_combo = f.template_combo
        self.table, self.target_combo, self.move_button, self.move_hint = (f.table, f.target_combo, f.move_button,
                                                                           f.move_hint)
        self.preview, self.tabs, self.buttons = f.preview, f.tabs, f.buttons
        self.figures_table, self.not_placed_list, self.dropped_list = f.figures_table, f.not_placed_list, f.dropped_list

        # uic sets the labels' texts after the splitter has asked its panes for their size hints,
        # and a nested layout (the move row) keeps the hint it cached with empty labels; drop the
        # cached hints so the splitter's first division uses the real ones (3 px off otherwise).
        for layout in self.findChildren(QLayout):
            layout.invalidate()
        self.setWindowTitle(f"导入报告文档：{result.source_name}")
        self.unit_edit.setText(result.unit.full_name)
        self.year_spin.setValue(result.year or 1999)  # 1999 is the minimum, shown as 未识别
        self.notes_label.setText("\n".join(f"提示：{n}" for n in result.notes))
        self.notes_label.setVisible(bool(result.notes))
        self.model = MappingModel(result, self)
        self.table.setModel(self.model)
        # Section resize modes need the columns, which exist once the model is set.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, self.fontMetrics().horizontalAdvance("（一）年度总体工作和重点工"))
        self.figures_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Standard buttons' texts cannot be set in Designer; a missing .qm must not leave English.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")

        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.add_sections_box.toggled.connect(self._toggle_template_sections)
        self._fill_templates()
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        self.unit_edit.textChanged.connect(self._show_identity)
        self.year_spin.valueChanged.connect(self._show_identity)
        self._show_identity()
        self.move_button.clicked.connect(self.move_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._fill_targets()
        self._refresh_lists()
        self._selection_changed()

    # ------------------------------------------------------------------ views
    def _fill_targets(self) -> None:
        current = self.target_combo.currentData()
        self.target_combo.clear()
        for label, place in self.import_result.targets():
            self.target_combo.addItem(label, place)
        if current is not None:
            i = self.target_combo.findData(current)
            if i >= 0:
                self.target_combo.setCurrentIndex(i)

    def _show_identity(self, *_args: object) -> None:
        """Where the unit and the year came from, or that they are missing and what follows."""
        r = self.import_result
        parts = []
        name = self.unit_edit.text().strip()
        if not name:
            parts.append("<span style='color:#b00020'>单位未识别</span>")
        elif name == r.unit.full_name and r.unit_from:
            parts.append(f"单位由{r.unit_from}识别")
        year = self.year_spin.value()
        if year < 2000:
            parts.append("<span style='color:#b00020'>年度未识别</span>")
        elif year == r.year and r.year_from:
            parts.append(f"年度由{r.year_from}识别")
        missing = not name or year < 2000
        tail = "；未识别的可导入后在“单位信息与签章”中填写（检查结果会列为错误）" if missing else "，请核对"
        self.identity_hint.setText("；".join(parts) + tail if parts else "")
        own = [s for s in r.outline if s.in_document]
        matched = sum(1 for s in own if s.from_template)
        how = f"（{r.template_how}）" if r.template_how else ""
        self.outline_hint.setText(f"提纲按文档自己的 {len(own)} 个章节和编号；{matched} 节对应模板的章节{how}")

    def _fill_templates(self) -> None:
        from nanzhou_desktop.template import catalog

        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for t in catalog().templates:
            self.template_combo.addItem(t.name, t.id)
        i = self.template_combo.findData(self.import_result.template_id)
        if i < 0:
            self.template_combo.addItem(self.import_result.template_name, self.import_result.template_id)
            i = self.template_combo.count() - 1
        self.template_combo.setCurrentIndex(i)
        self.template_combo.blockSignals(False)

    def _template_chosen(self, _index: int) -> None:
        """Map the document again onto the template chosen (the outline stays the document's)."""
        template_id = self.template_combo.currentData()
        if not template_id or template_id == self.import_result.template_id:
            return
        name = self.unit_edit.text().strip()
        year = self.year_spin.value()
        result = self.import_result
        unit = result.unit if name == result.unit.full_name else unit_of(name)
        result.set_identity(unit=unit, year=year if year >= 2000 else 0)
        self.import_result = remap(result, template_id)
        self.model.import_result = self.import_result
        self.add_sections_box.blockSignals(True)
        self.add_sections_box.setChecked(False)
        self.add_sections_box.blockSignals(False)
        self.model.refresh()
        self._fill_targets()
        self._refresh_lists()
        self._show_identity()
        self._selection_changed()

    def _toggle_template_sections(self, on: bool) -> None:
        if on:
            self.import_result.add_template_sections()
        else:
            self.import_result.remove_template_sections()
        self.model.refresh()
        self._fill_targets()
        self._refresh_lists()
        self._show_identity()

    def _refresh_lists(self) -> None:
        r = self.import_result
        self.figures_table.setRowCount(len(r.figures))
        for row, f in enumerate(r.figures):
            value = f"{f.value}%" if f.unit == "%" else f"{format_money(f.value)} 万元"
            source = "来自附表" if f.note == "来自附表" else "来自正文"
            state = f"已填入表格（{source}，待确认）" if f.filled else "只核对，不填表"
            for col, text in enumerate((f.label, value, state, f.note or f.sentence)):
                item = QTableWidgetItem(text)
                item.setToolTip(f.sentence)
                self.figures_table.setItem(row, col, item)
        if r.table_indicators:
            row = self.figures_table.rowCount()
            self.figures_table.setRowCount(row + 1)
            texts = (f"绩效指标 {len(r.table_indicators)} 个", "", "已填入绩效指标表（来自附表，待确认）",
                     "、".join(i.level3 for i in r.table_indicators[:6]) + ("…" if len(r.table_indicators) > 6 else ""))
            for col, text in enumerate(texts):
                self.figures_table.setItem(row, col, QTableWidgetItem(text))
        self.tabs.setTabText(0, f"识别的数字（{len(r.unconfirmed) + len(r.table_indicators)} 个待确认）")
        self.not_placed_list.clear()
        for b in r.not_placed:
            self.not_placed_list.addItem(f"第 {b.index + 1} 段（{ROLE_NAMES.get(b.role, b.role)}）：{b.text}")
        self.tabs.setTabText(1, f"未放置（{len(r.not_placed)}）")
        self.dropped_list.clear()
        for d in r.drops:
            page = f"第 {d.page + 1} 页，" if r.source_kind == "pdf" else ""
            self.dropped_list.addItem(f"{d.reason}（{page}已去掉）：{d.text}")
        for b in r.blocks:
            if b.role == "mark" and b.place is None:
                self.dropped_list.addItem(f"附件标记（不放入报告，保留在导入记录中）：{b.text}")
        for src, gen in r.renumbered:
            self.dropped_list.addItem(f"编号按位置重新生成：{src} → {gen}")

    def selected_blocks(self) -> list[SourceBlock]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.import_result.blocks[r] for r in rows]

    def _selection_changed(self, *_args: object) -> None:
        blocks = self.selected_blocks()
        movable = [b for b in blocks if b.movable]
        self.move_button.setEnabled(bool(movable))
        if blocks and not movable:
            self.move_hint.setText("标题、落款不能移动；请选择它下面的正文段落。")
        elif len(movable) < len(blocks):
            self.move_hint.setText(f"所选 {len(blocks)} 段中只有 {len(movable)} 段正文可以移动。")
        else:
            self.move_hint.setText("")
        self._show_preview(blocks[0] if blocks else None)

    def _show_preview(self, block: SourceBlock | None) -> None:
        r = self.import_result.report
        if block is None:
            self.preview.setPlainText("")
            return
        place = block.place
        if block.role == "heading":
            place = Place(block.section_key)
        elif block.role in ("task", "item"):
            place = Place(block.section_key, block.task, block.item if block.role == "item" else None)
        if place is None:
            self.preview.setPlainText(f"{NOT_PLACED}\n\n{block.text}")
            return
        if place.section_key == PREFACE:
            self.preview.setPlainText(f"前言\n\n{self.import_result.preface}")
            return
        if place.section_key == COVER:
            lines = [f"{label}：{value}" if label else value for label, value in self.import_result.cover_entries]
            self.preview.setPlainText("封面\n\n" + "\n".join(lines))
            return
        sec = r.section(place.section_key)
        text = sec.body if sec else ""
        if place.task is not None and place.task < len(r.tasks):
            task = r.tasks[place.task]
            text = task.body
            if place.item is not None and place.item < len(task.items):
                text = task.items[place.item].body
        self.preview.setPlainText(f"{place_name(self.import_result, place)}\n\n{text}")

    # ------------------------------------------------------------------ actions
    def move_selected(self) -> None:
        place = self.target_combo.currentData()
        moved = [b.index for b in self.selected_blocks() if b.movable]
        for i in moved:
            self.import_result.move(i, place)
        self.model.refresh()
        self._fill_targets()
        self._refresh_lists()
        if moved:
            self.table.selectRow(moved[0])
        self._selection_changed()

    def _accept(self) -> None:
        """Import as shown.  A unit or year still unknown does not stop it: the report is made
        and its checks list them as errors to fill in (issue 14)."""
        name = self.unit_edit.text().strip()
        year = self.year_spin.value()
        unit = self.import_result.unit if name == self.import_result.unit.full_name else unit_of(name)
        self.import_result.set_identity(unit=unit, year=year if year >= 2000 else 0)
        self.accept()


def _show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "无法导入", message)


def run_import_dialog(parent: QWidget | None, path: str | Path) -> ImportResult | None:
    """Read ``path`` and show the preview.  Returns the accepted result (nothing written yet),
    or None when the document cannot be read (the user was told why) or the user cancelled."""
    try:
        result = import_document(path)
    except DocumentImportError as exc:
        _show_error(parent, str(exc))
        return None
    dialog = ImportDialog(result, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.import_result
        return None
    finally:
        dialog.deleteLater()


def import_to_file(parent: QWidget | None, path: str | Path, *, folder: Path | None = None,
                   current: Path | None = None, backups: list[Path] | None = None) -> Path | None:
    """The whole 导入 flow for the window: preview, ask where to save, write.  Returns the new
    report file, or None (cancelled, or the user was told why nothing was written).

    The name is asked as for every new report (``gui.files``): suggested free in ``folder``
    (default 文档/部门整体支出绩效自评), never a 已定稿/已导出 report, and any other existing
    file backed up first; its backup's path is appended to ``backups``."""
    from nanzhou_desktop.gui import files
    from nanzhou_desktop.store.replace import prepare_replace

    result = run_import_dialog(parent, path)
    if result is None:
        return None
    r = result.report
    suggested = (folder or files.documents_folder()) / f"{safe_file_part(r.unit.short_name or r.unit.full_name) or '报告'}{r.year}年度自评报告.sqlite"
    out = files.ask_new_report_path(parent, "导入的报告保存为", suggested, current=current)
    if out is None:
        return None
    try:
        backup = prepare_replace(out)
        written = write_import(result, out, overwrite=backup is not None)
    except (DocumentImportError, ReportFileError) as exc:
        _show_error(parent, str(exc))
        return None
    if backup is not None and backups is not None:
        backups.append(backup)
    return written
