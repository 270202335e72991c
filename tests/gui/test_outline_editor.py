"""The user's own outline in the window: add, rename, move, delete (asking first when it has
text), mark optional — each undone from 编辑, audited, renumbered, the tabs following — and the
outline as edited after reopening.  Also the 前言 and the cover fields typed in the window, and the
new-report dialog offering the templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nanzhou_desktop.gui import outline_editor as oe
from nanzhou_desktop.gui.app import AppSettings
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.model import Unit
from nanzhou_desktop.store.reportfile import create_report_file
from nanzhou_desktop.template import load_template
from tests.gui.main_window_support import on_disk, type_chinese


def open_window(qtbot, settings: AppSettings, path: Path) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(path)
    w.resize(1024, 614)
    w.show()
    qtbot.waitExposed(w)
    return w


def tab_titles(w: MainWindow) -> list[str]:
    return [w.form.tabs.tabText(i) for i in range(w.form.tabs.count())]


def select(editor: oe.OutlineEditor, key: str) -> None:
    editor.select(key)
    assert editor.selected_key() == key


def undo(w: MainWindow) -> None:
    w.form.actionUndo.trigger()
    QApplication.processEvents()


def redo(w: MainWindow) -> None:
    w.form.actionRedo.trigger()
    QApplication.processEvents()


@pytest.fixture
def window(qtbot, settings, example, monkeypatch) -> tuple[MainWindow, oe.OutlineEditor, Path]:
    w = open_window(qtbot, settings, example)
    w.edit_outline()
    editor = w._outline_editor
    qtbot.addWidget(editor)
    return w, editor, example


def test_add_a_subsection_then_undo_and_redo(window, monkeypatch) -> None:
    w, editor, path = window
    select(editor, "1.1")
    monkeypatch.setattr(oe, "ask_heading", lambda *a, **k: "机构设置与人员情况")
    editor.form.addSibling.click()
    r = w.session.report
    new = r.children("1")[1]
    assert (new.number, new.heading, new.required) == ("（二）", "机构设置与人员情况", False)
    assert editor.selected_key() == new.key and "（二）机构设置与人员情况" in editor.form.tree.currentItem().text(0)
    assert on_disk(path, "SELECT number FROM sections WHERE key = ?", new.key) == "（二）"
    assert on_disk(path, "SELECT count(*) FROM audit WHERE action = 'add' AND new_value = '机构设置与人员情况'") == 1
    tab = w.section_tabs["1"]
    assert [f.section.heading for f in tab.forms if f.section.key != "preface"][:2] == ["部门概况", "机构设置与人员情况"]
    assert "撤销：添加章节" in w.form.actionUndo.text()
    undo(w)
    assert r.section(new.key) is None and r.section("1.2").number == "（二）"
    assert on_disk(path, "SELECT count(*) FROM sections WHERE key = ?", new.key) == 0
    redo(w)
    assert r.section(new.key) is not None and r.section(new.key).number == "（二）"


def test_rename_moves_and_tabs_follow(window, monkeypatch) -> None:
    w, editor, path = window
    select(editor, "3")
    monkeypatch.setattr(oe, "ask_heading", lambda *a, **k: "存在问题及原因")
    editor.form.rename.click()
    assert "三、存在问题及原因" in tab_titles(w)
    assert on_disk(path, "SELECT heading FROM sections WHERE key = '3'") == "存在问题及原因"
    editor.form.down.click()  # 三、 after 四、
    assert tab_titles(w)[2:4] == ["三、下一步改进措施", "四、存在问题及原因"]
    assert on_disk(path, "SELECT number FROM sections WHERE key = '3'") == "四、"
    undo(w)
    assert tab_titles(w)[2:4] == ["三、存在问题及原因", "四、下一步改进措施"]
    undo(w)
    assert "三、存在的主要问题" in tab_titles(w)


def test_indent_and_outdent(window) -> None:
    w, editor, _ = window
    r = w.session.report
    select(editor, "4")
    editor.form.indent.click()  # 四、 becomes 三（一）, its four sub-sections 1.–4.
    assert r.section("4").level == 2 and r.section("4").number == "（一）"
    assert [s.number for s in r.children("4")] == ["1.", "2.", "3.", "4."]
    assert len(tab_titles(w)) == 3 + 2
    editor.form.outdent.click()
    assert r.section("4").level == 1 and r.section("4").number == "四、"
    assert tab_titles(w)[3] == "四、下一步改进措施"


def test_delete_with_text_asks_first_and_undo_brings_the_text_back(window, monkeypatch) -> None:
    w, editor, path = window
    r = w.session.report
    body = r.section("4.2").body
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(oe, "confirm_delete", lambda parent, name, chars: asked.append((name, chars)) or False)
    select(editor, "4.2")
    editor.form.remove.click()
    assert asked and asked[0][0] == "（二）突出“两个重点”" and asked[0][1] > 100
    assert r.section("4.2") is not None  # declined: nothing deleted
    monkeypatch.setattr(oe, "confirm_delete", lambda *a: True)
    editor.form.remove.click()
    assert r.section("4.2") is None and r.section("4.3").number == "（二）"
    assert on_disk(path, "SELECT count(*) FROM sections WHERE key = '4.2'") == 0
    undo(w)
    assert r.section("4.2").body == body and r.section("4.2").number == "（二）"
    assert on_disk(path, "SELECT body FROM sections WHERE key = '4.2'") == body


def test_a_required_section_is_refused_until_marked_optional(window, monkeypatch) -> None:
    w, editor, _ = window
    r = w.session.report
    monkeypatch.setattr(oe, "confirm_delete", lambda *a: True)
    select(editor, "3")
    editor.form.remove.click()
    assert "必填章节" in editor.form.error.text() and r.section("3") is not None
    editor.form.required.click()
    assert not r.section("3").required and editor.form.tree.currentItem().text(1) == "可选"
    editor.form.remove.click()
    assert r.section("3") is None and tab_titles(w)[2] == "三、下一步改进措施"


def test_the_outline_as_edited_is_there_after_reopening(qtbot, settings, example, monkeypatch) -> None:
    w = open_window(qtbot, settings, example)
    w.edit_outline()
    editor = w._outline_editor
    select(editor, "4")
    monkeypatch.setattr(oe, "ask_heading", lambda *a, **k: "结果应用")
    editor.form.addSibling.click()
    select(editor, "2.4")
    editor.form.up.click()
    shown = tab_titles(w)
    expected = [(s.key, s.number, s.heading) for s in w.session.report.sections]
    w.close()
    w2 = open_window(qtbot, settings, example)
    assert [(s.key, s.number, s.heading) for s in w2.session.report.sections] == expected
    assert tab_titles(w2) == shown and "五、结果应用" in shown


def test_preface_and_cover_fields_are_typed_checked_and_saved(qtbot, settings, tmp_path) -> None:
    t = load_template("guangdong_county_2021")
    path = create_report_file(tmp_path / "某镇.sqlite", t.new_report("1" * 32, Unit("某镇人民政府", "某镇"), 2022))
    w = open_window(qtbot, settings, path)
    tab = w.section_tabs["1"]
    preface = tab.forms[0]
    assert preface.section.key == "preface" and preface.title().startswith("前言")
    type_chinese(preface.editor, "根据有关通知要求，现将自评情况报告如下：")
    w.flush()
    assert on_disk(path, "SELECT preface FROM report") == "根据有关通知要求，现将自评情况报告如下："
    signoff = w.signoff
    def enter(editor, text: str) -> None:  # typed, then Tab away: the line field commits
        editor.setText(text)
        editor.textEdited.emit(text)
        editor.editingFinished.emit()

    year = signoff.editors["cover:eval_year"]
    enter(year, "22")
    binding = w.registry.get("cover_fields", w.session.report.cover_field("eval_year").id, "value")
    assert "不是年度" in binding.local_error
    enter(year, "2022")
    assert binding.local_error == "" and on_disk(path, "SELECT value FROM cover_fields WHERE key='eval_year'") == "2022"
    date = signoff.editors["cover:fill_date"]
    enter(date, "2023-3-10")
    assert on_disk(path, "SELECT value FROM cover_fields WHERE key='fill_date'") == "2023-03-10"
    assert date.text() == "2023年3月10日"  # shown as printed
    keys = {f.key for f in w.session.result.findings}
    assert "completeness.cover@cover:eval_unit" in keys and "completeness.cover@cover:eval_year" not in keys
    assert w._page_of(next(f for f in w.session.result.findings if f.key == "completeness.cover@cover:eval_unit").where) \
        == "signoff"


def test_new_report_dialog_offers_the_templates_and_remembers(qtbot, settings, tmp_path) -> None:
    from nanzhou_desktop.gui.dialogs import NewReportDialog

    d = NewReportDialog(None, default_year=2023, last_template="mof_2020", template_dirs=())
    qtbot.addWidget(d)
    ids = [d.form.template.itemData(i) for i in range(d.form.template.count())]
    assert {"guangzhou_street_2022", "guangdong_county_2021", "mof_2020", "sichuan_dazhou_2021"} <= set(ids)
    assert ids[-1] == "__file__"
    assert d.template().id == "mof_2020"  # the last one used
    top = [d.form.preview.topLevelItem(i).text(0) for i in range(d.form.preview.topLevelItemCount())]
    assert top[0] == "一、基本情况" and "七、其他需要说明的问题" in top
    assert "产出指标 50" in d.form.templateInfo.text() and "财预〔2020〕10号" in d.form.templateInfo.text()
    d.form.template.setCurrentIndex(ids.index("sichuan_dazhou_2021"))
    assert d.template().id == "sichuan_dazhou_2021"
    assert "不单列预算执行率" in d.form.templateInfo.text() and "得分由评价人填写" in d.form.templateInfo.text()
    assert d.form.preview.topLevelItem(0).text(0) == "一、部门概况"
    type_chinese(d.form.unit.lineEdit(), "某区农业农村局")
    choice = d.choice()
    assert choice.template.id == "sichuan_dazhou_2021" and choice.year == 2023
    settings.set_last_template(choice.template.id)
    assert AppSettings().last_template() == "sichuan_dazhou_2021"


def test_new_from_the_menu_makes_the_chosen_template_and_offers_it_and_the_unit_again(
        qtbot, settings, example, tmp_path, monkeypatch) -> None:
    """报告 → 新建 through the dialog itself: the file is made from the chosen template (its outline,
    cover and scheme in the file) where the save dialog said, and the next 新建 offers the same
    template and unit — not 海珠区 for an office elsewhere."""
    from PySide6.QtWidgets import QDialog, QFileDialog

    from nanzhou_desktop.gui import dialogs

    fresh = dialogs.NewReportDialog(None, template_dirs=())
    qtbot.addWidget(fresh)
    assert fresh.form.district.text() == "" and fresh.form.unit.currentText() == ""
    w = open_window(qtbot, settings, example)
    seen: list[dialogs.NewReportDialog] = []

    def answer(d: dialogs.NewReportDialog) -> int:  # what the officer does in the dialog
        seen.append(d)
        if len(seen) == 1:
            d.form.template.setCurrentIndex(d.form.template.findData("guangdong_county_2021"))
            d.form.unit.setEditText("某县某镇人民政府")
            d.form.shortName.setText("某镇")
            d.form.district.setText("某县")
            d.form.year.setValue(2023)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewReportDialog, "exec", answer)
    target = tmp_path / "某镇2023.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    w.form.actionNew.trigger()
    assert Path(w.session.rf.path) == target
    r = w.session.report
    assert r.template_id == "guangdong_county_2021" and [c.key for c in r.cover][:1] == ["eval_year"]
    assert (r.unit.full_name, r.unit.short_name, r.unit.district, r.year) == ("某县某镇人民政府", "某镇", "某县", 2023)
    assert on_disk(target, "SELECT template_id FROM report") == "guangdong_county_2021"
    again = dialogs.NewReportDialog(w, template_dirs=(), last_template=AppSettings().last_template(),
                                    last_unit=AppSettings().last_unit())
    qtbot.addWidget(again)
    assert again.template().id == "guangdong_county_2021"
    assert (again.form.unit.currentText(), again.form.shortName.text(), again.form.district.text()) == (
        "某县某镇人民政府", "某镇", "某县")
    # through the menu as well (the dialog reading the settings); the save dialog is cancelled
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    w.form.actionNew.trigger()
    assert Path(w.session.rf.path) == target  # cancelled: the report stays open as it was
    assert seen[1].template().id == "guangdong_county_2021" and seen[1].form.district.text() == "某县"


def test_a_listed_street_fills_its_short_name_and_district(qtbot, settings) -> None:
    from nanzhou_desktop.gui.dialogs import NewReportDialog

    d = NewReportDialog(None, template_dirs=())
    qtbot.addWidget(d)
    d.form.unit.setCurrentIndex(d.form.unit.findData("瑞宝"))
    assert (d.form.shortName.text(), d.form.district.text()) == ("瑞宝街道", "海珠区")
    d.form.unit.setEditText("某县某镇人民政府")  # not a listed street: what was filled for it goes
    assert (d.form.shortName.text(), d.form.district.text()) == ("", "")
    d.form.district.setText("某县")
    d.form.unit.setCurrentIndex(d.form.unit.findData("南洲"))
    assert d.form.district.text() == "某县"  # typed by the user: kept


def test_new_report_dialog_lists_a_broken_template_apart(qtbot, settings, tmp_path) -> None:
    from nanzhou_desktop.gui.dialogs import NewReportDialog

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "坏.json").write_text("{", encoding="utf-8")
    d = NewReportDialog(None, template_dirs=(folder,))
    qtbot.addWidget(d)
    assert "另有 1 个模板文件无法读取" in d.form.templateInfo.text()
    assert "坏.json" in d.form.templateInfo.toolTip()
    assert d.template().id == "guangzhou_street_2022"


def test_screenshots_at_the_smallest_screen(qtbot, settings, example, tmp_path, monkeypatch) -> None:
    """The outline editor and the new-report dialog fit 1024×614 (the smallest logical screen)."""
    from nanzhou_desktop.gui.dialogs import NewReportDialog

    w = open_window(qtbot, settings, example)
    w.edit_outline()
    editor = w._outline_editor
    screen = QApplication.primaryScreen().availableGeometry()
    for dlg in (editor, NewReportDialog(w, template_dirs=())):
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        hint = dlg.sizeHint()
        assert hint.width() <= 1024 and hint.height() <= 614, (type(dlg).__name__, hint)
        assert dlg.frameGeometry().width() <= max(1024, screen.width())
    out = Path(__file__).resolve().parents[2] / "out" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    editor.resize(editor.sizeHint().expandedTo(editor.minimumSizeHint()))
    QApplication.processEvents()
    assert editor.grab().save(str(out / "outline-editor.png"))
    assert editor.form.tree.currentItem() is not None and editor.form.tree.currentItem().flags() & Qt.ItemFlag.ItemIsEnabled
