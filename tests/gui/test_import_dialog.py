"""导入报告文档: the mapping preview, offscreen, as a user uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from nanzhou_desktop.gui import import_dialog
from nanzhou_desktop.gui.import_dialog import NOT_PLACED, BlockIndexRole, ImportDialog, MappingModel
from nanzhou_desktop.importing import import_bytes, import_document
from nanzhou_desktop.store.reportfile import open_report_file
from tests.conftest import SEED
from tests.core.test_import import GUANGZHOU, OTHER


@pytest.fixture
def other_result():
    return import_bytes(OTHER.encode("utf-8"), "其他提纲.txt", template=GUANGZHOU)


def _row_of(model: MappingModel, startswith: str) -> int:
    return next(r for r in range(model.rowCount())
                if model.import_result.blocks[model.index(r, 0).data(BlockIndexRole)].text.startswith(startswith))


def test_mapping_model_shows_each_paragraph_and_its_target(other_result):
    model = MappingModel(other_result)
    assert model.rowCount() == len(other_result.blocks) and model.columnCount() == 4
    row = _row_of(model, "附件2")
    assert model.index(row, 1).data() == "附件标记"
    assert model.index(row, 2).data() == "附件标记（保留在导入记录中）"
    body = _row_of(model, "街道内设")
    other_result.move(model.index(body, 0).data(BlockIndexRole), None)
    model.refresh()
    assert model.index(body, 2).data() == NOT_PLACED
    assert model.index(body, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # shown in red
    heading = _row_of(model, "(一)部门职能")
    assert "（一）部门职能" in model.index(heading, 2).data() and "按措辞对应“部门概况”" in model.index(heading, 2).data()
    body = _row_of(model, "某某街道办事处是区政府派出机构")
    assert model.index(body, 2).data() == "（一）部门职能"


def test_dialog_lists_figures_not_placed_and_drops(qtbot, other_result):
    dlg = ImportDialog(other_result)
    qtbot.addWidget(dlg)
    assert dlg.unit_edit.text() == "广州市海珠区人民政府某某街道办事处" and dlg.year_spin.value() == 2023
    assert dlg.figures_table.rowCount() == len(other_result.figures)
    labels = [dlg.figures_table.item(r, 0).text() for r in range(dlg.figures_table.rowCount())]
    assert "年度资金总额·全年预算数" in labels
    states = {dlg.figures_table.item(r, 2).text() for r in range(dlg.figures_table.rowCount())}
    assert "已填入表格（来自正文，待确认）" in states
    assert dlg.tabs.tabText(0) == "识别的数字（4 个待确认）"
    assert dlg.not_placed_list.count() == 0 and dlg.tabs.tabText(1) == "未放置（0）"
    drops = [dlg.dropped_list.item(i).text() for i in range(dlg.dropped_list.count())]
    assert "附件标记（不放入报告，保留在导入记录中）：附件2" in drops
    assert any("页码" in d and "- 2 -" in d for d in drops)
    assert any("页眉页脚" in d for d in drops)


def test_moving_a_block_in_the_dialog_updates_everything_and_writes_nothing(qtbot, tmp_path, other_result):
    before = set(tmp_path.iterdir())
    dlg = ImportDialog(other_result)
    qtbot.addWidget(dlg)
    row = _row_of(dlg.model, "附件2")
    dlg.table.selectionModel().select(dlg.model.index(row, 0),
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
    assert dlg.move_button.isEnabled()
    target = next(i for i in range(dlg.target_combo.count()) if dlg.target_combo.itemText(i).endswith("其他需要说明的情况"))
    dlg.target_combo.setCurrentIndex(target)
    qtbot.mouseClick(dlg.move_button, Qt.MouseButton.LeftButton)
    assert dlg.not_placed_list.count() == 0 and dlg.tabs.tabText(1) == "未放置（0）"
    assert dlg.model.index(row, 2).data().endswith("其他需要说明的情况")
    sec = next(s for s in other_result.report.sections if s.heading == "其他需要说明的情况")
    assert sec.body == "附件2\n无。"
    assert "附件2" in dlg.preview.toPlainText()
    # A heading cannot be moved: the button says so by being disabled.
    heading = _row_of(dlg.model, "一、单位基本情况")
    dlg.table.selectRow(heading)
    assert not dlg.move_button.isEnabled() and "不能移动" in dlg.move_hint.text()
    assert other_result.lost_characters() == {}
    assert set(tmp_path.iterdir()) == before  # the preview writes nothing


def test_run_import_dialog_accepts_and_the_caller_writes(qtbot, tmp_path, monkeypatch):
    doc = tmp_path / "南洲.txt"
    doc.write_bytes(SEED.read_bytes())

    def accept_when_shown() -> None:
        dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog))
        dlg.year_spin.setValue(2022)
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()

    QTimer.singleShot(0, accept_when_shown)
    result = import_dialog.run_import_dialog(None, doc)
    assert result is not None and result.report.year == 2022 and len(result.report.tasks) == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["南洲.txt"]  # still nothing written
    out = tmp_path / "out.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    QTimer.singleShot(0, accept_when_shown)
    written = import_dialog.import_to_file(None, doc)
    assert written == out
    with open_report_file(out, read_only=True) as rf:
        assert rf.report.budget_total_row.executed == result.report.budget_total_row.executed
        assert len([e for e in rf.audit_log() if e["action"] == "import-figure"]) == 4


def test_cancel_returns_none_and_a_changed_unit_is_used(qtbot, tmp_path):
    doc = tmp_path / "南洲.txt"
    doc.write_bytes(SEED.read_bytes())

    def cancel() -> None:
        dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog))
        dlg.reject()

    QTimer.singleShot(0, cancel)
    assert import_dialog.run_import_dialog(None, doc) is None

    result = import_document(doc)
    dlg = ImportDialog(result)
    qtbot.addWidget(dlg)
    dlg.unit_edit.setText("广州市海珠区人民政府新港街道办事处")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert result.report.unit.full_name == "广州市海珠区人民政府新港街道办事处"


def test_a_bad_document_is_told_and_no_dialog_opens(qtbot, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    assert import_dialog.run_import_dialog(None, empty) is None
    assert shown == ["文件“空.pdf”是空的，没有可导入的内容"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["空.pdf"]


def test_missing_year_is_shown_and_does_not_stop_the_import(qtbot, monkeypatch):
    """Issue 14: never refused for want of a unit or year; the preview says they are missing and
    what follows, and a year typed there is used."""
    result = import_bytes("一、基本情况\n（一）部门概况\n负责辖区管理。\n".encode(), "x.txt")
    dlg = ImportDialog(result)
    qtbot.addWidget(dlg)
    assert dlg.year_spin.text() == "未识别"
    assert "单位未识别" in dlg.identity_hint.text() and "年度未识别" in dlg.identity_hint.text()
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.result() == QDialog.DialogCode.Accepted and result.report.year == 0
    result2 = import_bytes("一、基本情况\n（一）部门概况\n负责辖区管理。\n".encode(), "x.txt")
    dlg2 = ImportDialog(result2)
    qtbot.addWidget(dlg2)
    dlg2.year_spin.setValue(2023)
    dlg2.unit_edit.setText("广州市海珠区人民政府新港街道办事处")
    assert "年度未识别" not in dlg2.identity_hint.text()
    dlg2.buttons.button(dlg2.buttons.StandardButton.Ok).click()
    assert (result2.report.year, result2.report.unit.short_name, result2.report.unit.district) == (2023, "新港街道",
                                                                                                   "海珠区")


def test_the_preview_offers_the_template_sections_only_when_asked(qtbot, other_result):
    dlg = ImportDialog(other_result)
    qtbot.addWidget(dlg)
    assert other_result.report.section("1.3") is None and "对应模板" in dlg.outline_hint.text()
    dlg.add_sections_box.setChecked(True)
    assert other_result.report.section("1.3") is not None
    assert any("部门整体收支情况" in dlg.target_combo.itemText(i) for i in range(dlg.target_combo.count()))
    dlg.add_sections_box.setChecked(False)
    assert other_result.report.section("1.3") is None


def test_path_argument_may_be_str(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    assert import_dialog.run_import_dialog(None, str(Path(tmp_path) / "不存在.docx")) is None


def test_the_template_can_be_changed_in_the_preview(qtbot):
    """The closest template is picked (and why is said); another can be chosen: the document is
    mapped again, its own outline kept."""
    from tests.core.test_import_realworld import CORPUS

    text = (CORPUS / "guangdong_xuwen_qianshan_town_2024.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    result = import_bytes(text.encode("utf-8"), "前山镇部门整体支出绩效自评报告.txt")
    assert result.template_id == "guangdong_county_2021" and "封面项目 3 个" in result.template_how
    dlg = ImportDialog(result)
    qtbot.addWidget(dlg)
    assert dlg.template_combo.currentData() == "guangdong_county_2021" and "封面项目 3 个" in dlg.outline_hint.text()
    dlg.template_combo.setCurrentIndex(dlg.template_combo.findData("guangzhou_street_2022"))
    assert dlg.import_result is not result and dlg.import_result.template_id == "guangzhou_street_2022"
    assert [s.heading for s in dlg.import_result.report.sections] == [s.heading for s in result.report.sections]
    assert dlg.import_result.report.unit.full_name == "徐闻县前山镇人民政府"
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.result() == QDialog.DialogCode.Accepted
