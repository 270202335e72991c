"""The main window: a tab per top-level part of the outline, the 自评表, 单位信息与签章;
findings beside them; live score and completion in the status bar; autosave, undo/redo,
定稿 / 解除定稿, and the 文件 menu (新建, 打开, 最近打开, 打开示例, 另存为, drag and drop).

The form comes from ``ui/main_window.ui`` (held as ``self.form``).  Edits flow
widget → :class:`ReportSession` → report file → ``rules.check`` → ``checked`` → the views,
which update their state in place (no widget is rebuilt on a check).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from nanzhou_desktop.gui import desktop, files
from nanzhou_desktop.gui.app import (
    APP_TITLE,
    AppSettings,
    first_report_path,
    install_excepthook,
    make_app,
    quiet_offscreen,
    screenshot_dir,
)
from nanzhou_desktop.gui.field_widgets import FieldRegistry, set_text_colour
from nanzhou_desktop.gui.findings_panel import FindingsPanel, state_icon
from nanzhou_desktop.gui.forms.ui_main_window import Ui_MainWindow
from nanzhou_desktop.gui.section_forms import SectionTab
from nanzhou_desktop.gui.session import ReportSession
from nanzhou_desktop.gui.signoff_form import SignOffForm
from nanzhou_desktop.limits import safe_file_part
from nanzhou_desktop.model import FieldRef, Report, SectionKind
from nanzhou_desktop.money import format_rate, round_half_up
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.store.errors import EditError, ReportFileError, SaveError, os_reason
from nanzhou_desktop.store.reportfile import create_report_file, new_report, open_report_file

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QTableView

    from nanzhou_desktop.exchange.export import ExportResult
    from nanzhou_desktop.gui.table_views import SelfEvaluationTab

log = logging.getLogger(__name__)

TABLE_TABLES = ("budget_rows", "projects", "indicators")  # report-file tables shown in the 自评表
TABLE_PAGES = ("budget", "projects", "indicators", "score")  # screenshot names of its pages
REPORT_FILTER = files.REPORT_FILTER
PREFERRED_SIZE = QSize(1280, 860)
# What "the first field of a tab" is: a text field or a table (not the outline list beside them).
FIELD_TYPES = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView)  # the first start's size, on a screen with room for it


class LazyPage(QWidget):
    """A tab page that builds its content on first use."""

    def __init__(self, key: str, build: Callable[[], QWidget]) -> None:
        super().__init__()
        self.key = key
        self._build = build
        self.content: QWidget | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.content is None:
            self.content = self._build()
            self.layout().addWidget(self.content)
        return self.content


class _SectionTabs:
    """``window.section_tabs["3"]``: the SectionTab of an outline part, built on access."""

    def __init__(self, window: MainWindow) -> None:
        self._w = window

    def __getitem__(self, key: str) -> SectionTab:
        tab = self._w._ensure(key)
        if not isinstance(tab, SectionTab):
            raise KeyError(key)
        return tab

    def get(self, key: str) -> SectionTab | None:
        try:
            return self[key]
        except KeyError:
            return None


def _clip(text: str, n: int = 24) -> str:
    """One line of what was typed, cut for a message box."""
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1] + "…"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    return format(round_half_up(value, 2), "f")


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.form = Ui_MainWindow()
        self.form.setupUi(self)
        self.session: ReportSession | None = None
        self._last_export: tuple[Path, ExportResult] | None = None  # (working file, its last 导出上报)
        self.registry = self._new_registry()
        self.pages: dict[str, LazyPage] = {}  # "1".."4" (outline parts), "table", "signoff"
        self._tab_state: dict[int, str] = {}
        self._notices: list[str] = []  # about the open file (read-only, restored after a crash …)
        self._saved_at: Path | None = None  # a file just written: the banner says where, 打开所在文件夹
        self._saved_text = ""
        self.findings = FindingsPanel()
        self.form.findingsLayout.addWidget(self.findings)
        self.form.findingsDock.setMinimumWidth(260)
        self.resizeDocks([self.form.findingsDock], [300], Qt.Orientation.Horizontal)
        self.findings.activated.connect(self.focus_finding)
        self.findings.explain_requested.connect(self.explain_finding)
        self.findings.unexplain_requested.connect(self.unexplain_finding)
        self._build_status_bar()
        self._connect_actions()
        self.form.banner.hide()
        self.revealButton = QPushButton("打开所在文件夹", self.form.banner)
        self.revealButton.setObjectName("revealButton")
        self.form.bannerLayout.insertWidget(self.form.bannerLayout.indexOf(self.form.bannerButton), self.revealButton)
        self.revealButton.clicked.connect(self._reveal_saved)
        self.revealButton.hide()
        self.form.bannerClose.clicked.connect(self.dismiss_banner)
        self.form.bannerButton.clicked.connect(self.unlock)
        self.form.tabs.currentChanged.connect(self._page_shown)
        self.setAcceptDrops(True)
        self.update_title()

    # ================================================================== set-up
    def _build_status_bar(self) -> None:
        sb = self.form.statusbar
        self.completion_label = QLabel()
        self.counts_label = QLabel()
        self.score_label = QLabel()
        self.saved_label = QLabel()
        for w in (self.saved_label, self.completion_label, self.counts_label, self.score_label):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    def _connect_actions(self) -> None:
        f = self.form
        f.actionNew.triggered.connect(self.new_report)
        f.actionOpen.triggered.connect(self.open_dialog)
        f.actionOpenExample.triggered.connect(self.open_example)
        f.actionSave.triggered.connect(self.save_now)
        f.actionSaveAs.triggered.connect(self.save_as)
        f.actionQuit.triggered.connect(self.close)
        f.actionUndo.triggered.connect(lambda: self.session and self.session.undo())
        f.actionRedo.triggered.connect(lambda: self.session and self.session.redo())
        f.actionRedo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        f.actionCheck.triggered.connect(lambda: self.session and self.session.recheck())
        f.actionExplain.triggered.connect(lambda: self.explain_finding(self.findings.selected()))
        f.actionFinalise.triggered.connect(self.finalise)
        # The year's three decisive steps have keys too (menus only reached them by mouse or Alt).
        for action, keys in ((f.actionFinalise, "Ctrl+Shift+D"), (f.actionUnlock, "Ctrl+Shift+U"),
                             (f.actionExportForSending, "Ctrl+Shift+E")):
            action.setShortcut(QKeySequence(keys))
        f.actionOpenExample.setText("打开示例（南洲街道 2022 年度）(&E)")
        f.actionUnlock.triggered.connect(self.unlock)
        f.actionExportForSending.triggered.connect(self.export_for_sending)
        f.actionSendByEmail.triggered.connect(self.send_by_email)
        f.actionNextTab.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("Ctrl+Tab")])
        f.actionPrevTab.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("Ctrl+Shift+Tab")])
        for a in (f.actionNextTab, f.actionPrevTab, f.actionUndo, f.actionRedo, f.actionSave):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(a)
        f.actionNextTab.triggered.connect(lambda: self.step_tab(+1))
        f.actionPrevTab.triggered.connect(lambda: self.step_tab(-1))
        f.actionAbout.triggered.connect(self.about)
        self._add_help_actions()
        f.menuView.addAction(f.findingsDock.toggleViewAction())
        f.findingsDock.toggleViewAction().setText("检查结果")
        f.menuRecent.aboutToShow.connect(self._fill_recent)
        self._add_file_actions()

    def _add_file_actions(self) -> None:
        """文件 menu entries for import, next year, printing and the district window; 报告 →
        编辑提纲."""
        f = self.form
        a = QAction("编辑提纲(&O)…", self)
        a.setObjectName("actionEditOutline")
        a.setToolTip("添加、重命名、移动、删除本报告的章节，或设为可选")
        a.triggered.connect(self.edit_outline)
        f.menuReport.insertAction(f.menuReport.actions()[0] if f.menuReport.actions() else None, a)
        f.menuReport.insertSeparator(f.menuReport.actions()[1] if len(f.menuReport.actions()) > 1 else None)
        before = f.actionQuit
        a = QAction("打开所在文件夹(&G)", self)
        a.setToolTip("在文件管理器中打开当前报告文件所在的文件夹（发送邮件时要找到这个 .sqlite 文件）")
        a.triggered.connect(self.reveal_current)
        f.menuFile.insertAction(before, a)
        a = QAction("导入报告文档（Word / PDF / 文本）(&I)…", self)
        a.triggered.connect(self.import_document)
        f.menuFile.insertAction(before, a)
        a = QAction("新建下一年度报告(&Y)…", self)
        a.triggered.connect(self.new_next_year)
        f.menuFile.insertAction(before, a)
        f.menuFile.insertSeparator(before)
        for text, shortcut, slot in (("打印预览(&V)…", "Ctrl+Shift+P", self.print_preview),
                                     ("打印(&P)…", "Ctrl+P", self.print_report),
                                     ("导出 PDF(&D)…", "Ctrl+E", self.export_pdf)):
            a = QAction(text, self)
            a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            f.menuFile.insertAction(before, a)
        a = QAction("区财政局汇总窗口(&W)…", self)
        a.triggered.connect(self.open_district)
        f.menuFile.insertAction(before, a)
        f.menuFile.insertSeparator(before)

    # ================================================================== files
    def open_file(self, path: str | Path) -> bool:
        """Open ``path`` (closing the current report); False, with the reason shown, if it cannot."""
        path = Path(path)
        if self.session is not None and Path(self.session.rf.path).resolve() == path.resolve():
            return True
        try:
            rf = open_report_file(path)
        except ReportFileError as exc:
            from nanzhou_desktop.gui import dialogs  # imported here, off the start-up path

            dialogs.show_error(self, "无法打开", str(exc))
            self.settings.remove_recent(path)
            return False
        except OSError as exc:
            from nanzhou_desktop.gui import dialogs

            dialogs.show_error(self, "无法打开", f"无法打开文件“{path.name}”：{os_reason(exc)}")
            return False
        self._close_session()
        self.findings.reset()
        session = ReportSession(rf, self)
        self.session = session
        session.checked.connect(self._on_checked)
        session.field_reloaded.connect(self._on_field_reloaded)
        session.status_changed.connect(self._on_status_changed)
        session.structure_changed.connect(self._on_structure_changed)
        session.committed.connect(self._on_committed)
        # Methods, not lambdas, for signals of objects that may outlive the window (the
        # session, its undo stack): PySide6 disconnects a method when its window is deleted;
        # a lambda would still run, on deleted actions, as the program ends.
        session.problem.connect(self._show_problem)
        stack = session.undo_stack
        stack.canUndoChanged.connect(self.form.actionUndo.setEnabled)
        stack.canRedoChanged.connect(self.form.actionRedo.setEnabled)
        # The 编辑 menu names the step (撤销：修改“全年执行数”); the history lasts while the file is open.
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._redo_text_changed)
        self.form.actionUndo.setText("撤销(&U)")
        self.form.actionRedo.setText("重做(&R)")
        self.form.actionUndo.setEnabled(False)
        self.form.actionRedo.setEnabled(False)
        self._build_tabs()
        self._notices = self._open_notices()
        if self._saved_at is not None and self._saved_at.resolve() != path.resolve():
            self._saved_at, self._saved_text = None, ""
        self.settings.add_recent(path)
        session.recheck()
        self._apply_editability()
        self.show_status(f"已打开“{path.name}”", 5000)
        return True

    def _show_problem(self, text: str) -> None:
        self.show_status(text, 10000)

    def _undo_text_changed(self, text: str) -> None:
        self.form.actionUndo.setText(f"撤销：{text}(&U)" if text else "撤销(&U)")

    def _redo_text_changed(self, text: str) -> None:
        self.form.actionRedo.setText(f"重做：{text}(&R)" if text else "重做(&R)")

    def _read_only_line(self) -> str:
        """Shown as long as the file is open read-only (it cannot be dismissed: it stays true)."""
        assert self.session is not None
        reason = self.session.rf.notice.read_only_reason
        if not reason:
            return ""
        return (f"只读：{reason}。可以查看和打印，不能修改；"
                "要修改，请先关闭正在编辑它的窗口或程序，再重新打开。")

    def _open_notices(self) -> list[str]:
        """Notices about how the file was opened (restored after a crash, upgraded), shown until
        dismissed, 定稿 or 导出上报."""
        assert self.session is not None
        n = self.session.rf.notice
        out = []
        if n.restored:
            out.append(n.restored)
        if n.migrated_backup:
            out.append(f"文件已升级为新版本格式；升级前的原文件保存为“{n.migrated_backup.name}”。")
        return out

    def _close_session(self) -> None:
        if self.session is None:
            return
        editor = getattr(self, "_outline_editor", None)
        if editor is not None:  # it edits the report being closed
            editor.close()
            self._outline_editor = None
        session, self.session = self.session, None
        try:
            session.close()
        except (SaveError, ReportFileError) as exc:
            log.warning("closing: %s", exc)
        session.deleteLater()
        self._clear_tabs()

    def _clear_tabs(self) -> None:
        tabs = self.form.tabs
        tabs.blockSignals(True)
        while tabs.count():
            w = tabs.widget(0)
            tabs.removeTab(0)
            w.deleteLater()
        tabs.blockSignals(False)
        self.registry = self._new_registry()
        self.pages.clear()
        self._tab_state.clear()

    def _build_tabs(self) -> None:
        """One page per tab; a page builds its widgets the first time it is shown (or a
        finding in it is clicked), so opening a report builds only the visible tab."""
        assert self.session is not None
        session, tabs = self.session, self.form.tabs
        tabs.blockSignals(True)
        try:
            for top in session.report.top_sections():
                self._add_page(top.key, f"{top.number}{top.heading}",
                               lambda t=top: self._make_section_tab(t))
            self._add_page("table", "自评表", lambda: self._build_table_tab(session))
            self._add_page("signoff", "单位信息与签章", lambda: SignOffForm(session, self.registry))
        finally:
            tabs.blockSignals(False)
        tabs.setCurrentIndex(0)
        self._page_shown(0)

    def _add_page(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        page = LazyPage(key, build)
        self.pages[key] = page
        self.form.tabs.addTab(page, title)

    def _make_section_tab(self, top: Any) -> SectionTab:
        from nanzhou_desktop.gui.section_forms import shows_preface

        assert self.session is not None
        first = self.session.report.top_sections()[:1] == [top]
        tab = SectionTab(self.session, self.registry, top, preface=first and shows_preface(self.session))
        for form in tab.forms:
            form.go_to_table.connect(self.show_table_page)
        return tab

    def _page_shown(self, index: int) -> None:
        if self.session is None:  # closing: tabs being removed
            return
        page = self.form.tabs.widget(index)
        if isinstance(page, LazyPage) and page.content is None:
            self._ensure(page.key)

    def _ensure(self, key: str) -> QWidget | None:
        """The content of page ``key``, built now if it was not yet (states applied in place)."""
        page = self.pages.get(key)
        if page is None:
            return None
        fresh = page.content is None
        content = page.ensure()
        if fresh and self.session is not None:
            result = self.session.result
            if isinstance(content, SectionTab):
                content.update_summaries(result)
            self.registry.apply(result)
            editable = self.session.editable
            self.registry.set_read_only(not editable)
            for te in content.task_editors() if isinstance(content, SectionTab) else ():
                te.set_read_only(not editable)  # type: ignore[attr-defined]
        return content

    def current_content(self) -> QWidget | None:
        """What the current tab shows (its built content)."""
        page = self.form.tabs.currentWidget()
        return page.content if isinstance(page, LazyPage) else page

    def _built(self, key: str) -> QWidget | None:
        page = self.pages.get(key)
        return page.content if page is not None else None

    @property
    def section_tabs(self) -> _SectionTabs:
        """Outline part key → its SectionTab (built on access)."""
        return _SectionTabs(self)

    @property
    def table_tab(self) -> SelfEvaluationTab | None:
        return self._ensure("table")  # type: ignore[return-value]

    @property
    def signoff(self) -> SignOffForm | None:
        return self._ensure("signoff")  # type: ignore[return-value]

    def _build_table_tab(self, session: ReportSession) -> QWidget:
        from nanzhou_desktop.gui.table_views import SelfEvaluationTab

        tab = SelfEvaluationTab(session.rf, session=session)
        tab.setObjectName("self-evaluation-table")
        tab.messageChanged.connect(lambda text: self.show_status(text, 10000))
        for editor in tab.editors.values():  # a refused cell, and one corrected, undone or dropped
            editor.model.refusalsChanged.connect(self._refusals_changed)
        return tab

    def _new_registry(self) -> FieldRegistry:
        registry = FieldRegistry()
        registry.on_refusals_changed = self._refusals_changed
        return registry

    def _refusals_changed(self, *_: Any) -> None:
        """A refused entry is not saved, so no check runs: count it with the findings now, in
        the tab icons, the status bar and the findings summary."""
        if self.session is not None and self.session.result is not None:
            self._update_tab_states(self.session.result)
            self._update_status(self.session.result)

    def table_model(self, table: str) -> Any:
        """The 自评表 model of a report-file table (budget_rows / projects / indicators)."""
        return self.table_tab.editors[table].model if self.table_tab is not None else None

    def table_view(self, table: str) -> QTableView | None:
        return self.table_tab.editors[table].view if self.table_tab is not None else None

    def _fill_recent(self) -> None:
        menu = self.form.menuRecent
        menu.clear()
        files = self.settings.recent_files()
        if not files:
            a = menu.addAction("（暂无）")
            a.setEnabled(False)
            return
        for i, f in enumerate(files):
            a = menu.addAction(f"&{i + 1} {Path(f).name}　{Path(f).parent}")
            a.setToolTip(f)
            a.triggered.connect(lambda _=False, p=f: self.open_file(p))

    def _documents_dir(self) -> str:
        """Where file dialogs open: the current report's folder, unless it is the app's hidden
        data folder (example copies); else the visible 文档/部门整体支出绩效自评."""
        current = self.session.rf.path if self.session is not None else None
        return str(files.start_folder(current, self.settings.data_dir))

    def _current_path(self) -> Path | None:
        return Path(self.session.rf.path) if self.session is not None else None

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "打开报告文件", self._documents_dir(), REPORT_FILTER)
        if path:
            self.open_file(path)

    def open_example(self) -> None:
        from nanzhou_desktop.example import write_example
        from nanzhou_desktop.gui import dialogs

        self.flush()
        try:
            path = write_example(self.settings.new_example_path())
        except ReportFileError as exc:
            dialogs.show_error(self, "无法打开示例", str(exc))
            return
        if self.open_file(path):
            self.show_status(f"已打开示例报告的新副本“{path.name}”（保存在 {path.parent}）", 10000)

    def new_report(self) -> None:
        """新建: unit, year and template asked (the last ones offered), then where the file goes
        (never over a 已定稿/已导出 report; another file only after asking, backed up)."""
        from nanzhou_desktop.gui import dialogs

        choice = dialogs.ask_new_report(self)
        if choice is None:
            return
        if getattr(choice, "template", None) is not None:
            self.settings.set_last_template(choice.template.id)
        self.settings.set_last_unit(choice.unit)  # offered again next time, as the template is
        name = f"{safe_file_part(choice.unit.short_name or choice.unit.full_name) or '报告'}{choice.year}年度自评报告.sqlite"
        path = files.ask_new_report_path(self, "新报告保存为", Path(self._documents_dir()) / name,
                                         current=self._current_path())
        if path is not None:
            self.create_and_open(path, new_report(choice.unit, choice.year, getattr(choice, "template", None)),
                                 what="新报告")

    def create_and_open(self, path: str | Path, report: Report, *, what: str = "报告") -> bool:
        """Write ``report`` as a new file at ``path`` and open it.  An existing file there is
        replaced only if it may be (never a 已定稿/已导出 report, nor the open one), after a
        backup beside it; the banner then says where both are."""
        from nanzhou_desktop.gui import dialogs
        from nanzhou_desktop.store.replace import prepare_replace

        path = files.with_suffix(path)
        if self.session is not None and path.resolve() == Path(self.session.rf.path).resolve():
            dialogs.show_error(self, "无法保存", "不能把报告另存为它自己；请换一个文件名。")
            return False
        try:
            import copy

            backup = prepare_replace(path)
            create_report_file(path, copy.deepcopy(report), overwrite=backup is not None)
        except ReportFileError as exc:
            dialogs.show_error(self, "无法保存", str(exc))
            return False
        if not self.open_file(path):
            return False
        self.tell_saved(path, what, backup)
        return True

    def tell_saved(self, path: Path, what: str, backup: Path | None = None) -> None:
        """Say in the banner where a file just written is (the officer must find the .sqlite
        to email it), with 打开所在文件夹; and where the replaced file's backup went."""
        text = f"{what}已保存为“{path.name}”，在文件夹 {path.parent} 中；以后每处修改都会自动保存到这个文件。"
        if backup is not None:
            text += f"\n原有的同名文件已备份为“{backup.name}”（同一文件夹）。"
        self._saved_at, self._saved_text = path, text
        self.show_status(f"{what}已保存为“{path.name}”", 10000)
        if self.session is not None:
            self._show_banner()

    def _reveal_saved(self) -> None:
        target = self._saved_at or self._current_path()
        if target is not None:
            desktop.reveal(target)

    def reveal_current(self) -> None:
        """文件 → 打开所在文件夹: the folder of the report being edited."""
        if self.session is not None:
            desktop.reveal(Path(self.session.rf.path))

    def dismiss_banner(self) -> None:
        """知道了: the notices shown go away for this file; the read-only and 定稿 lines, which
        stay true, come back with the next change of state."""
        self._notices = []
        self._saved_at, self._saved_text = None, ""
        self.form.banner.hide()

    def save_as(self) -> None:
        if self.session is None:
            return
        self.flush()
        current = Path(self.session.rf.path)
        suggested = Path(self._documents_dir()) / f"{current.stem}（副本）.sqlite"
        path = files.ask_new_report_path(self, "另存为", suggested, current=current)
        if path is not None and self.create_and_open(path, self.session.report, what="副本"):
            self.show_status(f"已另存为“{path.name}”，现在编辑的是这份副本", 10000)

    def save_now(self) -> None:
        """Ctrl+S: commit whatever is still being typed and confirm."""
        if self.session is None:
            return
        self.flush()
        refused = self.refused_inputs()
        if self.session.rf.read_only:
            self.show_status("文件以只读方式打开，没有保存任何修改。", 8000)
        elif refused:
            self.show_status(f"已保存；另有 {len(refused)} 处输入未被接受（见该处的红色提示），改正后会自动保存。",
                             10000)
        else:
            self.show_status(f"已全部保存到“{Path(self.session.rf.path).name}”（{dt.datetime.now():%H:%M:%S}）。"
                             "每处修改在输入后都会自动保存。", 8000)

    def flush(self) -> None:
        if self.session is not None:
            self.session.flush()

    def refused_inputs(self) -> list[tuple[str, FieldRef]]:
        """Entries typed but refused, still shown in red and not saved: (what and where, in
        Chinese; the field).  The file keeps the value before them, so 定稿 would fingerprint
        and print something other than what the screen shows, and closing would lose them."""
        out: list[tuple[str, FieldRef]] = []
        for b in self.registry.bindings.values():
            if b.local_error and b.text():
                out.append((f"“{b.spec.label}”：{_clip(b.text())}", b.ref))
        table = self._built("table")
        if table is not None:
            for editor in table.editors.values():  # type: ignore[attr-defined]
                for row, row_id, col, text in editor.model.refused_entries():
                    out.append((f"{editor.title}第 {row + 1} 行“{col.header}”：{_clip(text)}",
                                FieldRef(editor.model.table, row_id, col.key)))
        return out

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_report(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_report(event)
        if path is not None:
            event.acceptProposedAction()
            self.flush()
            self.open_file(path)

    @staticmethod
    def _dropped_report(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".sqlite"):
                return Path(url.toLocalFile())
        return None

    def import_document(self) -> None:
        """导入报告文档: preview the Word/PDF/text report, save it as a report file, open it."""
        from PySide6.QtWidgets import QFileDialog

        from nanzhou_desktop.gui import import_dialog

        path, _ = QFileDialog.getOpenFileName(self, "导入报告文档", self._documents_dir(),
                                              "报告文档 (*.docx *.pdf *.txt);;所有文件 (*)")
        if not path:
            return
        self.flush()
        backups: list[Path] = []
        created = import_dialog.import_to_file(self, path, folder=Path(self._documents_dir()),
                                               current=self._current_path(), backups=backups)
        if created is not None and self.open_file(created):
            self.tell_saved(created, "导入的报告", backups[0] if backups else None)
            self.show_status(f"已导入“{Path(path).name}”，请逐页核对导入的内容和右侧的检查结果。", 15000)

    def new_next_year(self) -> None:
        if self.session is None:
            return
        from nanzhou_desktop.next_year import next_year

        self.flush()
        report = next_year(self.session.report)
        name = f"{safe_file_part(report.unit.short_name or report.unit.full_name) or '报告'}{report.year}年度自评报告.sqlite"
        path = files.ask_new_report_path(self, "下一年度报告保存为", Path(self._documents_dir()) / name,
                                         current=self._current_path())
        if path is not None:
            self.create_and_open(path, report, what=f"{report.year}年度报告")

    def print_preview(self) -> None:
        if self.session is None:
            return
        from nanzhou_desktop.gui import print_preview as pp

        self.flush()
        pp.show_print_preview(self, self.session.rf, result=self.session.result)

    def print_report(self) -> None:
        if self.session is None:
            return
        from nanzhou_desktop.gui import print_preview as pp

        self.flush()
        pp.print_report(self, self.session.rf, result=self.session.result)

    def export_pdf(self) -> None:
        if self.session is None:
            return
        from nanzhou_desktop.gui import print_preview as pp

        self.flush()
        path = pp.export_pdf(self, self.session.rf, result=self.session.result)
        if path is not None:
            from nanzhou_desktop.gui import dialogs

            self.show_status(f"已导出 PDF：{path}", 10000)
            dialogs.show_saved(self, "导出 PDF", f"已导出 PDF“{path.name}”。\n\n文件夹：{path.parent}", path)

    def export_for_sending(self) -> None:
        """导出上报: the file to email to the district (and the PDF to sign), into a chosen folder."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QFileDialog

        from nanzhou_desktop.gui import dialogs

        if self.session is None:
            return
        self.flush()
        if not self.session.report.locked:
            dialogs.show_error(self, "导出上报", "报告尚未定稿，不能导出上报；请先检查，再点“报告 → 定稿”。")
            return
        folder = QFileDialog.getExistingDirectory(self, "导出上报：选择保存位置", self._documents_dir())
        if not folder:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the PDF takes a moment
        try:
            result = self.session.export_for_sending(folder)
        except (EditError, ReportFileError, SaveError) as exc:  # ExportError is a ReportFileError
            QApplication.restoreOverrideCursor()
            dialogs.show_error(self, "未能导出上报", str(exc))
            return
        QApplication.restoreOverrideCursor()
        self.show_status(result.message, 15000)
        self._notices = []  # a crash-recovery or upgrade notice is stale once the report is sent
        self._show_banner()
        from nanzhou_desktop.gui import send_mail

        self._last_export = (Path(self.session.rf.path), result)
        send_mail.remember(self.settings, folder=result.path.parent)  # 报告 → 用邮件发送 finds it later
        choice = dialogs.show_exported(self, f"{result.message}。\n\n文件夹：{folder}\n\n"
                                       "请把 .sqlite 文件通过电子邮件发送给区财政局（“用邮件发送”会打开邮件程序并添上附件）；"
                                       "PDF 打印后签字盖章。", result.path)
        if choice == "mail":
            send_mail.send_export(self, self.settings, self.session.report, result)

    def send_by_email(self) -> None:
        """报告 → 用邮件发送: the exported files of this revision, from this session's 导出上报 or
        found in the folder of the last one; otherwise the officer is told to export first."""
        from nanzhou_desktop.gui import send_mail

        if self.session is None:
            return
        report = self.session.report
        last = self._last_export
        if last is not None and last[0] == Path(self.session.rf.path) and last[1].path.is_file():
            send_mail.send_export(self, self.settings, report, last[1])
            return
        found = send_mail.find_export(self.settings, report)
        if found is None:
            send_mail.refuse_without_export(self, report)
            return
        send_mail.send_files(self, self.settings, report, found[0], found[1])

    def open_district(self) -> None:
        """区财政局: open (or create) a district database in its own window."""
        from PySide6.QtWidgets import QFileDialog

        from nanzhou_desktop.gui import dialogs
        from nanzhou_desktop.gui import district_window as dw

        path, _ = QFileDialog.getSaveFileName(
            self, "打开或新建区级汇总库", str(Path(self._documents_dir()) / "区级汇总.sqlite"),
            "区级汇总库 (*.sqlite);;所有文件 (*)", options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        try:
            db = dw.open_district_db(path)
        except dw.DistrictDbError as exc:
            dialogs.show_error(self, "区级汇总", str(exc))
            return
        self._district = dw.DistrictWindow(db)
        self._district.show_on_screen()

    # ================================================================== checks → views
    def _on_checked(self, result: CheckResult) -> None:
        self.registry.apply(result)
        self.findings.show_result(result)
        for key in self.pages:
            tab = self._built(key)
            if isinstance(tab, SectionTab):
                tab.update_summaries(result)
        self._update_tab_states(result)
        self._update_status(result)

    def _update_status(self, result: CheckResult) -> None:
        c, s = result.completion, result.score
        # The same figure as `check` prints (two decimals, as every rate in the app).
        self.completion_label.setText(f"填报完成度 {format_rate(c.share * 100)}（{c.filled}/{c.required}）")
        e, w, i = (result.count(x) for x in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        refused = len(self.refused_inputs())
        self.counts_label.setText(f"错误 {e} · 警告 {w} · 提示 {i}" + (f" · 未保存的输入 {refused}" if refused else ""))
        # Orange only for warnings still open: explained ones no longer stand in the way.
        open_warnings = any(f.severity == Severity.WARNING and not f.explained for f in result.findings)
        set_text_colour(self.counts_label, "#c62828" if e or refused else ("#a65f00" if open_warnings else "#2e7d32"))
        self.findings.set_refused(refused)
        rate = f"执行率 {format_rate(s.budget_rate)} · " if s.budget_rate is not None else ""
        self.score_label.setText(f"{rate}自评得分 {_num(s.total)} · 等级 {s.grade or '—'}")

    def _page_of(self, ref: FieldRef) -> str:
        """The page key ("1".."4", "table", "signoff") that shows the field ``ref``."""
        if ref.table in TABLE_TABLES:
            return "table"
        if ref.table == "report" and ref.column == "preface" and self.session is not None:
            tops = self.session.report.top_sections()  # the 前言 stands before 一、, on its tab
            return tops[0].key if tops else ""
        if ref.table in ("report", "cover_fields"):
            return "signoff"
        key = ref.section_key
        if not key and self.session is not None:
            if ref.table == "sections":
                sec = next((s for s in self.session.report.sections if s.id == ref.row), None)
                key = sec.key if sec else ""
            elif ref.table in ("tasks", "task_items"):
                sec = self.session.report.section_of_kind(SectionKind.TASKS)
                key = sec.key if sec else ""
        if not key:
            return ""
        # a section's part is found by position and level: a key says nothing of where a moved
        # section stands
        return self.session.report.top_keys().get(key, key) if self.session is not None else key

    def _tab_of(self, ref: FieldRef) -> int:
        page = self.pages.get(self._page_of(ref))
        return self.form.tabs.indexOf(page) if page is not None else -1

    def _update_tab_states(self, result: CheckResult) -> None:
        tabs = self.form.tabs
        worst: dict[int, str] = {}
        order = {"error": 0, "warning": 1, "incomplete": 2, "info": 3, "ok": 4}
        for f in result.findings:
            if f.severity == Severity.INFO or (f.severity == Severity.WARNING and f.explained):
                continue
            idx = self._tab_of(f.where)
            state = "error" if f.severity == Severity.ERROR else "warning"
            if idx >= 0 and order[state] < order[worst.get(idx, "ok")]:
                worst[idx] = state
        refused_tabs = {self._tab_of(ref) for _, ref in self.refused_inputs()}
        for idx in refused_tabs:
            worst[idx] = "error"
        for key, (filled, required) in result.completion.per_section.items():
            page = self.pages.get(key.split(".")[0])
            idx = tabs.indexOf(page) if page is not None else -1
            if idx >= 0 and filled < required and order["incomplete"] < order[worst.get(idx, "ok")]:
                worst[idx] = "incomplete"
        words = {"error": "有错误", "warning": "有未说明的警告", "incomplete": "尚未填完", "ok": "已填完，未发现问题"}
        elsewhere = self._missing_in_tables(result)
        for idx in range(tabs.count()):
            state = worst.get(idx, "ok")
            tip = f"{tabs.tabText(idx)}：{words[state]}"
            if idx in refused_tabs:
                tip += "（含未被接受、未保存的输入）"
            if state == "incomplete" and idx in elsewhere:
                tip += elsewhere[idx]
            if self._tab_state.get(idx) != state:
                self._tab_state[idx] = state
                tabs.setTabIcon(idx, state_icon(state))
            if tabs.tabToolTip(idx) != tip:
                tabs.setTabToolTip(idx, tip)

    def _missing_in_tables(self, result: CheckResult) -> dict[int, str]:
        """Tab index → why it counts as not filled when what is missing is typed on the 自评表 tab
        (一（三）'s budget figures, 二（三）'s projects): "尚未填完" alone sent users looking for an
        empty field on a page where everything was filled."""
        names = {"budget_rows": "预算执行表", "projects": "重点项目表", "indicators": "绩效指标表"}
        here: dict[str, bool] = {}
        tables: dict[str, list[str]] = {}
        for f in result.findings:
            if not f.rule.startswith("completeness.") or not f.where.section_key:
                continue
            top = f.where.section_key.split(".")[0]
            if f.where.table in TABLE_TABLES:
                what = names.get(f.where.table, "自评表")
                if what not in tables.setdefault(top, []):
                    tables[top].append(what)
            else:
                here[top] = True
        out: dict[int, str] = {}
        for top, what in tables.items():
            page = self.pages.get(top)
            idx = self.form.tabs.indexOf(page) if page is not None else -1
            if idx < 0:
                continue
            lead = "本页其余内容已填完；" if not here.get(top) else "另外，"
            out[idx] = f"。{lead}{'、'.join(what)}的数字尚未填完，它们在“自评表”页签中填写"
        return out

    def tab_states(self) -> dict[str, str]:
        """Tab title → state (ok / incomplete / warning / error), for tests and screenshots."""
        tabs = self.form.tabs
        return {tabs.tabText(i): self._tab_state.get(i, "ok") for i in range(tabs.count())}

    def _on_field_reloaded(self, table: str, row: Any, column: str) -> None:
        self.registry.reload(table, row, column)
        signoff = self._built("signoff")
        if table == "report" and isinstance(signoff, SignOffForm):
            signoff.update_state()
        self.update_title()

    def _on_structure_changed(self, table: str) -> None:
        if table == "sections":
            self._rebuild_outline_pages()
        self.update_title()

    def _rebuild_outline_pages(self) -> None:
        """The outline changed (a section added, moved, renamed, deleted): the tabs of its parts
        are made again from it, the 自评表 and 签章 tabs kept, the current part kept in view."""
        if self.session is None:
            return
        tabs = self.form.tabs
        current = tabs.currentWidget()
        current_key = current.key if isinstance(current, LazyPage) else ""
        current_index = tabs.currentIndex()
        tabs.blockSignals(True)
        try:
            for key in [k for k in self.pages if k not in ("table", "signoff")]:
                page = self.pages.pop(key)
                for b in list(self.registry.bindings.values()):
                    if page.isAncestorOf(b.widget):
                        b.dispose()
                tabs.removeTab(tabs.indexOf(page))
                page.deleteLater()
            for i, top in enumerate(self.session.report.top_sections()):
                page = LazyPage(top.key, lambda t=top: self._make_section_tab(t))
                self.pages[top.key] = page
                tabs.insertTab(i, page, f"{top.number}{top.heading}")
        finally:
            tabs.blockSignals(False)
        self._tab_state.clear()
        target = self.pages.get(current_key)
        tabs.setCurrentIndex(tabs.indexOf(target) if target is not None else min(current_index, tabs.count() - 1))
        self._page_shown(tabs.currentIndex())
        if self.session.result is not None:
            self._update_tab_states(self.session.result)

    def edit_outline(self) -> None:
        """报告 → 编辑提纲: the outline editor, beside the window (its changes undo from 编辑)."""
        if self.session is None:
            return
        from nanzhou_desktop.gui.outline_editor import OutlineEditor

        self.flush()
        editor = getattr(self, "_outline_editor", None)
        if editor is None or editor.session is not self.session:
            if editor is not None:
                editor.close()
            editor = self._outline_editor = OutlineEditor(self.session, self)
        page = self.form.tabs.currentWidget()
        if isinstance(page, LazyPage) and page.key in self.session.report.top_keys():
            editor.select(page.key)
        editor.show()
        editor.raise_()
        editor.activateWindow()

    def _on_committed(self) -> None:
        self.saved_label.setText(f"已自动保存 {dt.datetime.now():%H:%M:%S}")
        self.update_title()

    def _on_status_changed(self) -> None:
        self._apply_editability()
        signoff = self._built("signoff")
        if isinstance(signoff, SignOffForm):
            signoff.update_state()

    # ================================================================== state, title, banner
    def update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            return
        r = self.session.report
        unit = r.unit.short_name or r.unit.full_name or "（未填单位）"
        ro = " · 只读" if self.session.rf.read_only else ""
        self.setWindowTitle(f"{unit} · {r.year}年度 · {r.status} · 第{r.revision}版{ro} — {APP_TITLE}")
        self.setWindowFilePath(str(self.session.rf.path))

    def _apply_editability(self) -> None:
        if self.session is None:
            return
        s = self.session
        editable = s.editable
        self.registry.set_read_only(not editable)
        for key in self.pages:
            tab = self._built(key)
            if isinstance(tab, SectionTab):
                for te in tab.task_editors():
                    te.set_read_only(not editable)  # type: ignore[attr-defined]
        table = self._built("table")
        if table is not None:
            table.refresh_lock_state()  # type: ignore[attr-defined]
        self.findings.set_editable(editable)
        self.findings.set_status(str(s.report.status) if s.report.locked else "")
        writable = not s.rf.read_only
        self.form.actionFinalise.setEnabled(writable and not s.report.locked)
        self.form.actionUnlock.setEnabled(writable and s.report.locked)
        self.form.actionExportForSending.setEnabled(writable)  # a draft is told why it cannot be sent
        self.form.actionSendByEmail.setEnabled(s.report.locked)  # a draft is not sent
        self.form.actionExplain.setEnabled(editable)
        self.form.actionUndo.setEnabled(editable and s.undo_stack.canUndo())
        self.form.actionRedo.setEnabled(editable and s.undo_stack.canRedo())
        self._show_banner()
        self.update_title()

    def _show_banner(self) -> None:
        assert self.session is not None
        r = self.session.report
        lines = [line for line in (self._read_only_line(), *self._notices) if line]
        locked = r.locked and not self.session.rf.read_only
        if r.locked:
            lines.insert(0, f"报告{r.status}（第 {r.revision} 版），各项内容已锁定，不能修改。"
                            + ("如需修改，请点“解除定稿”。" if locked else ""))
        if self.session.rf.changed_after_final():
            from nanzhou_desktop.rules.integrity import describe

            lines.insert(0, describe(r) + "。")
        if self._saved_text:
            lines.append(self._saved_text)
        self.form.bannerButton.setVisible(locked)
        self.revealButton.setVisible(bool(self._saved_text))
        if not lines:
            self.form.banner.hide()
            return
        colour = "#fff4d6" if (self.session.rf.read_only or r.locked) else "#e7f1fb"
        # A palette, not a style sheet: a style sheet re-polishes the banner's subtree (~3 ms
        # each time a file opens with a notice).
        banner = self.form.banner
        pal = banner.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(colour))
        banner.setPalette(pal)
        banner.setAutoFillBackground(True)
        self.form.bannerText.setText("\n".join(lines))
        self.form.banner.show()

    def show_status(self, text: str, ms: int = 5000) -> None:
        """A message in the status bar.  The bar shares its width with 完成度, counts and score,
        so a long message is shown up to its first clause there, and whole as its tooltip."""
        bar = self.form.statusbar
        room = max(20, bar.width() // 2 // max(1, bar.fontMetrics().horizontalAdvance("中")))
        short = text
        if len(text) > room:
            cut = max(text.rfind(mark, 0, room) for mark in "：；，。")
            short = (text[:cut] if cut > 8 else text[:room - 1]) + "…"
        bar.setToolTip(text if short != text else "")
        bar.showMessage(short, ms)

    # ================================================================== navigation
    def step_tab(self, delta: int) -> None:
        """Ctrl+Tab / Ctrl+Shift+Tab: the next (previous) tab, with the cursor in its first field."""
        tabs = self.form.tabs
        if tabs.count():
            tabs.setCurrentIndex((tabs.currentIndex() + delta) % tabs.count())
            self.focus_first_field()

    def focus_first_field(self) -> None:
        """Put the cursor in the first field of the current tab (its first widget in Tab order
        that takes keyboard focus), not on the page itself."""
        page = self.form.tabs.currentWidget()
        if page is None:
            return
        if isinstance(page, LazyPage):
            self._ensure(page.key)
        QApplication.processEvents()  # a page built just now lays out before it takes focus
        w = page.nextInFocusChain()
        while w is not None and w is not page:
            if (page.isAncestorOf(w) and w.isVisible() and w.isEnabled() and isinstance(w, FIELD_TYPES)
                    and not isinstance(w, QListWidget) and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
                w.setFocus(Qt.FocusReason.TabFocusReason)
                return
            w = w.nextInFocusChain()

    def show_table_page(self, table: str) -> None:
        """Open the 自评表 page of ``table`` (budget_rows / projects / indicators / score)."""
        tab = self.table_tab
        if tab is None:
            return
        self.form.tabs.setCurrentWidget(self.pages["table"])
        keys = [*tab.editors, "score"]
        tab.tabs.setCurrentIndex(keys.index(table))
        view = self.table_view(table) if table != "score" else None
        if view is not None:
            view.setFocus()

    def focus_finding(self, finding: Finding | None) -> bool:
        return finding is not None and self.focus_ref(finding.where)

    def focus_ref(self, ref: FieldRef) -> bool:
        """Open the tab holding ``ref`` and put the cursor in that field (or table cell)."""
        if self.session is None:
            return False
        tabs = self.form.tabs
        page_key = self._page_of(ref)
        content = self._ensure(page_key) if page_key else None
        if ref.table in TABLE_TABLES and content is not None:
            tabs.setCurrentWidget(self.pages["table"])
            return content.focus_field(ref)  # type: ignore[attr-defined]
        binding = self.registry.find(ref)
        if binding is None and ref.table == "sections":
            tab_idx = self._tab_of(ref)
            if tab_idx >= 0:
                tabs.setCurrentIndex(tab_idx)
            return False
        if binding is None:
            return False
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if page.isAncestorOf(binding.widget):
                tabs.setCurrentIndex(i)
                if isinstance(page, LazyPage) and isinstance(page.content, SectionTab):
                    page.content.reveal(binding.widget)
                break
        binding.focus(ref)
        return True

    # ================================================================== 出错说明, 定稿
    def explain_finding(self, finding: Finding | None) -> None:
        from nanzhou_desktop.gui import dialogs

        if self.session is None or finding is None:
            return
        if finding.severity != Severity.WARNING:
            self.show_status("只有“警告”可以写出错说明；“错误”须改正，“提示”无须处理。", 8000)
            return
        text = dialogs.ask_explanation(self, finding)
        if text is None:
            return
        try:
            self.session.explain(finding.key, text)
        except (EditError, SaveError) as exc:
            dialogs.show_error(self, "出错说明未保存", str(exc))
            return
        self.findings.select_key(finding.key)
        self.show_status("出错说明已保存。", 5000)

    def unexplain_finding(self, finding: Finding | None) -> None:
        from nanzhou_desktop.gui import dialogs

        if self.session is None or finding is None:
            return
        try:
            self.session.remove_explanation(finding.key)
        except (EditError, SaveError) as exc:
            dialogs.show_error(self, "无法撤回", str(exc))

    def finalise(self) -> None:
        from nanzhou_desktop.gui import dialogs

        if self.session is None:
            return
        self.flush()
        refused = self.refused_inputs()
        if refused:
            dialogs.show_refused_inputs(self, [what for what, _ in refused])
            self.focus_ref(refused[0][1])
            return
        result = self.session.recheck()
        blocking = list(result.blocking)
        if blocking:
            dialogs.show_refused(self, blocking)
            self.focus_finding(blocking[0])
            return
        if not dialogs.confirm_finalise(self, finalise_summary(result)):
            return
        from nanzhou_desktop.workflow import FinaliseRefused

        try:
            self.session.finalise()
        except FinaliseRefused as exc:  # the rules changed their mind between the two checks
            dialogs.show_refused(self, list(getattr(exc, "findings", ()) or getattr(exc, "blocking", ())))
            return
        except (EditError, SaveError) as exc:
            dialogs.show_error(self, "未能定稿", str(exc))
            return
        if self._notices:  # a crash-recovery or upgrade notice is stale once the report is 定稿
            self._notices = []
            self._show_banner()
        self.show_status(f"已定稿（第 {self.session.report.revision} 版），内容指纹已记录。", 10000)

    def unlock(self) -> None:
        from nanzhou_desktop.gui import dialogs

        if self.session is None or not self.session.report.locked:
            return
        r = self.session.report
        reason = dialogs.ask_unlock_reason(self, str(r.status), r.revision)
        if reason is None:
            return
        try:
            self.session.unlock(reason)
        except (EditError, SaveError) as exc:
            dialogs.show_error(self, "未能解除定稿", str(exc))
            return
        self.show_status(f"已解除定稿，现为第 {self.session.report.revision} 版草稿，可以修改。", 10000)

    def about(self) -> None:
        """关于: the version, and where settings, the log, reports and backups are."""
        self.show_help("about")

    def _add_help_actions(self) -> None:
        """帮助 menu: 使用说明 (F1, the part that fits the focused field), 快捷键, 检查规则说明, 关于."""
        f = self.form
        before = f.actionAbout
        for text, keys, slot in (("使用说明(&G)", "F1", self.help_for_focus),
                                 ("快捷键(&K)", "", lambda: self.show_help("shortcuts")),
                                 ("检查规则说明(&R)", "", lambda: self.show_help("rules"))):
            a = QAction(text, self)
            if keys:
                a.setShortcut(QKeySequence(keys))
                a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            f.menuHelp.insertAction(before, a)
        f.menuHelp.insertSeparator(before)

    def all_actions(self) -> list[QAction]:
        """Every menu action (with the window's own), for the 快捷键 list."""
        out: list[QAction] = []

        def walk(menu: Any) -> None:
            for a in menu.actions():
                if a.menu() is not None:
                    walk(a.menu())
                elif not a.isSeparator():
                    out.append(a)

        walk(self.menuBar())
        out.extend(a for a in self.actions() if a not in out)
        return out

    def show_help(self, topic: str = "guide", anchor: str = "") -> Any:
        """The 帮助 window on ``topic`` (one window, kept open beside the report)."""
        from nanzhou_desktop.gui import help as help_window

        win = getattr(self, "_help", None)
        if win is None:
            win = self._help = help_window.HelpWindow(self, topic, anchor, actions=self.all_actions())
        else:
            win.show_topic(topic, anchor)
        win.show()
        win.raise_()
        return win

    def help_for_focus(self) -> Any:
        """F1: the part of the help that fits where the cursor is (a selected finding's rule, a
        date field's rule, the 自评表 part of the guide …)."""
        from nanzhou_desktop.gui import help as help_window

        focused = QApplication.focusWidget()
        rule = ""
        if focused is not None and (self.findings is focused or self.findings.isAncestorOf(focused)):
            selected = self.findings.selected()
            rule = selected.rule if selected is not None else ""
        topic, anchor = help_window.topic_for(focused, rule)
        return self.show_help(topic, anchor)

    # ================================================================== screenshots, closing
    def screenshot_all(self, directory: str | Path) -> list[Path]:
        """Render every tab (and every 自评表 page) to PNG; returns the files written."""
        out_dir = Path(directory)
        out_dir.mkdir(parents=True, exist_ok=True)
        tabs = self.form.tabs
        written: list[Path] = []
        current = tabs.currentIndex()
        app = QApplication.instance()

        def settle() -> None:
            # A freshly built page fits its editors after the first layout (a zero timer),
            # which posts another layout request: let both rounds run before grabbing.
            if app is not None:
                for _ in range(3):
                    app.processEvents()

        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            page = tabs.widget(i)
            content = self._ensure(page.key) if isinstance(page, LazyPage) else page
            if isinstance(page, LazyPage) and page.key == "table" and content is not None:
                sub = content.tabs  # type: ignore[attr-defined]
                for j in range(sub.count()):
                    sub.setCurrentIndex(j)
                    settle()
                    p = out_dir / f"tab-{i + 1}{'abcdefgh'[j]}-table-{TABLE_PAGES[j] if j < len(TABLE_PAGES) else j}.png"
                    self.grab().save(str(p))
                    written.append(p)
                sub.setCurrentIndex(0)
                continue
            settle()
            slug = "signoff" if page.key == "signoff" else f"section-{page.key}"  # type: ignore[attr-defined]
            p = out_dir / f"tab-{i + 1}-{slug}.png"
            self.grab().save(str(p))
            written.append(p)
        tabs.setCurrentIndex(current)
        return written

    def show_on_screen(self) -> None:
        """Show the window as the user left it (size, place, maximised), clamped to the screen
        it opens on; the first time, 1280×860 or what the screen has room for."""
        from nanzhou_desktop.gui import screen_fit

        screen_fit.show_restored(self, self.settings.qsettings, "main_window", PREFERRED_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        refused = self.refused_inputs()
        if refused and not dialogs_confirm_discard(self, [what for what, _ in refused]):
            event.ignore()
            return
        if self.isVisible():
            from nanzhou_desktop.gui import screen_fit

            screen_fit.save_window(self, self.settings.qsettings, "main_window")
        self._close_session()
        event.accept()


def finalise_summary(result: CheckResult) -> str:
    """The line above 确定定稿吗？ ("警告 0 项均已说明" read oddly: there is nothing to explain)."""
    s = result.score
    warnings = result.count(Severity.WARNING)
    said = f"警告 {warnings} 项均已说明" if warnings else "没有警告"
    return f"自评得分 {_num(s.total)} 分，等级“{s.grade}”；没有错误，{said}。"


def dialogs_confirm_discard(parent: QWidget, labels: list[str]) -> bool:
    """Refused entries cannot be saved; ask before closing over them."""
    from PySide6.QtWidgets import QMessageBox

    from nanzhou_desktop.gui import dialogs

    lines = [f"· {label}" for label in labels[:8]]
    if len(labels) > 8:
        lines.append(f"…… 另有 {len(labels) - 8} 处")
    box = dialogs.list_box(parent, "有未被接受的输入",
                           f"以下 {len(labels)} 处输入未被接受（红色提示处），关闭后将丢失：\n\n"
                           + "\n".join(lines) + "\n\n其余内容均已保存。仍要关闭吗？", question=True)
    return box.exec() == QMessageBox.StandardButton.Yes


def run(path: str | None = None) -> int:
    """Open the main window on ``path`` (or the last file, or a fresh example copy): what
    ``nanzhou-desktop`` with no subcommand calls.  With ``QT_QPA_PLATFORM=offscreen`` and
    ``NANZHOU_SCREENSHOT_DIR`` set it renders every tab to a PNG in that folder and quits
    (used by ``make run`` without a display and by tests)."""
    app = make_app()
    quiet_offscreen()
    settings = AppSettings()
    install_excepthook(settings)
    window = MainWindow(settings)
    target, hello = first_report_path(settings, path)
    if not window.open_file(target):
        if path:  # the file asked for cannot be opened: say so and show the example instead
            target, _ = first_report_path(settings, None)
            window.open_file(target)
    if hello:
        window.show_status(hello, 15000)
    window.show_on_screen()
    shots = screenshot_dir()
    if shots is not None:
        def grab() -> None:
            for p in window.screenshot_all(shots):
                print(p)
            window.close()
            app.quit()

        QTimer.singleShot(0, grab)
    started = dt.datetime.now()
    code = app.exec()
    log.info("window closed after %s", dt.datetime.now() - started)
    return int(code)
