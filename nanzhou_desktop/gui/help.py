"""帮助: the offline help, shipped with the app (resources/help/).

- 使用说明: a short illustrated guide to the year's work (``guide.html``, pictures in ``img/``);
- 快捷键: every shortcut, read from the window's own actions (so the list is never out of date),
  plus the keys of the 自评表 tables;
- 检查规则说明: the rule catalogue of ``docs/rules.md`` in Chinese, each rule with an example
  (``rules.json``; a test keeps the two lists equal);
- 关于: the version, and where the app keeps its settings, log, reports and backups.

F1 opens the part that fits the focused field (:func:`topic_for`): a selected finding's rule,
a date field's date rule, the 自评表 part of the guide in a table, and so on.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from nanzhou_desktop.gui import screen_fit
from nanzhou_desktop.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

TOPICS = {"guide": "使用说明", "shortcuts": "快捷键", "rules": "检查规则说明", "about": "关于"}

# Keys that are not menu actions: the 自评表 tables, the findings, moving between fields.
OTHER_KEYS = (
    ("Ctrl+Tab / Ctrl+Shift+Tab", "下一个 / 上一个页签（光标落在该页第一个输入框）"),
    ("Tab / Shift+Tab", "下一个 / 上一个输入框；在表格中移到右边 / 左边一格，最后一格再按 Tab 离开表格"),
    ("回车", "表格中确认输入并移到下一行"),
    ("Ctrl+Ins", "表格中添加一行（预算执行表：添加“其中：其他资金”行）"),
    ("Ctrl+Del", "删除表格中的当前行"),
    ("Alt+↑ / Alt+↓", "表格中的当前行上移 / 下移"),
    ("Ctrl+C / Ctrl+V", "复制 / 粘贴表格区域（可与 Excel 互相复制粘贴）"),
    ("Delete", "清除选中的表格单元格"),
    ("F1", "打开与光标所在处相关的说明"),
    ("Alt+带下划线的字母", "打开菜单、按下按钮（如 Alt+F 打开“文件”菜单）"),
)


def help_dir() -> Path:
    return resource_path("help")


# ---------------------------------------------------------------------- the pages
def guide_html() -> str:
    return (help_dir() / "guide.html").read_text(encoding="utf-8")


def rule_catalogue() -> list[dict]:
    """[{"group": 分组, "rules": [[rule id, 名称, 级别, 说明, 示例], …]}, …]"""
    return json.loads((help_dir() / "rules.json").read_text(encoding="utf-8"))


def rules_html() -> str:
    parts = ["<html><body><h2>检查规则说明</h2>",
             "<p>程序在每次输入后检查报告。<b>错误</b>必须改正，否则不能定稿；<b>警告</b>要按建议处理，"
             "或选中后写“出错说明”；<b>提示</b>仅供参考。每条规则后附一个示例：什么情况下出现，显示的文字是什么。"
             "规则的阈值（如执行率低于 90%）是区里可以调整的设置。</p>"]
    for group in rule_catalogue():
        parts.append(f"<h3>{html.escape(group['group'])}</h3>")
        for rule_id, name, level, what, example in group["rules"]:
            colour = {"错误": "#c62828", "警告": "#a65f00", "提示": "#1e6fd9"}.get(level, "#333")
            parts.append(
                f'<a name="{rule_id}"></a><p><b>{html.escape(name)}</b>　'
                f'<span style="color:{colour}">【{html.escape(level)}】</span><br>{html.escape(what)}<br>'
                f'<span style="color:#37474f">示例：{html.escape(example)}</span></p>')
    parts.append("</body></html>")
    return "".join(parts)


def action_keys(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what) of every action that has a shortcut, as the menus name them."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for a in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts() if not k.isEmpty()]
        name = a.text().replace("&", "")
        name = name.split("(")[0].split("：")[0].rstrip("…").strip() if name else ""
        if not keys or not name or name in seen:
            continue
        seen.add(name)
        out.append((" / ".join(keys), name))
    return out


def shortcuts_html(actions: list[QAction]) -> str:
    rows = [*action_keys(actions), *OTHER_KEYS]
    body = "".join(f"<tr><td style='padding:3px 16px 3px 0'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return f"<html><body><h2>快捷键</h2><table>{body}</table></body></html>"


def about_html() -> str:
    from nanzhou_desktop import __version__
    from nanzhou_desktop.gui.app import AppSettings
    from nanzhou_desktop.gui.files import documents_folder

    settings = AppSettings()
    items = (
        ("版本", f"{__version__}"),
        ("报告文件默认保存在", str(documents_folder())),
        ("设置（最近打开的文件、窗口大小和位置）", settings.qsettings.fileName()),
        ("日志（出现意外错误时请发给技术支持）", str(settings.log_path())),
        ("示例报告的副本", str(settings.data_dir)),
        ("备份", "替换同名文件前，原文件备份在它旁边，名为“……的备份 (时间).sqlite”；"
                 "报告文件升级为新版本格式前，原文件备份为“……v1-备份.sqlite”（同一文件夹）。"),
    )
    rows = "".join(f"<tr><td style='padding:3px 16px 3px 0' valign='top'><b>{html.escape(k)}</b></td>"
                   f"<td>{html.escape(v)}</td></tr>" for k, v in items)
    return ("<html><body><h2>部门整体支出绩效自评</h2>"
            "<p>街道办事处、乡镇和部门填写、检查、打印与报送《部门整体支出绩效自评报告》的离线桌面程序。"
            "所有修改在输入后即自动保存到报告文件。</p>"
            f"<table>{rows}</table></body></html>")


# ---------------------------------------------------------------------- the window
class HelpWindow(QDialog):
    """帮助: one page per topic (使用说明, 快捷键, 检查规则说明, 关于), not modal, so it can stay
    open beside the report."""

    def __init__(self, parent: QWidget | None, topic: str = "guide", anchor: str = "",
                 actions: list[QAction] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("帮助")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.tabs = QTabWidget(self)
        self.pages: dict[str, QTextBrowser] = {}
        for key, title in TOPICS.items():
            view = QTextBrowser()
            view.setObjectName(f"help-{key}")
            view.setOpenExternalLinks(False)
            view.setSearchPaths([str(help_dir())])
            if key == "guide":
                view.document().setBaseUrl(QUrl.fromLocalFile(str(help_dir()) + "/"))
                view.setHtml(guide_html())
            elif key == "rules":
                view.setHtml(rules_html())
            elif key == "shortcuts":
                view.setHtml(shortcuts_html(actions or []))
            else:
                view.setHtml(about_html())
            self.pages[key] = view
            self.tabs.addTab(view, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(buttons)
        screen_fit.fit_window(self, QSize(760, 680))
        self.show_topic(topic, anchor)

    def show_topic(self, topic: str, anchor: str = "") -> None:
        view = self.pages.get(topic) or self.pages["guide"]
        self.tabs.setCurrentWidget(view)
        if anchor:
            view.scrollToAnchor(anchor)
        else:
            view.verticalScrollBar().setValue(0)

    def current_topic(self) -> str:
        return next(k for k, v in self.pages.items() if v is self.tabs.currentWidget())


def topic_for(widget: QWidget | None, finding_rule: str = "") -> tuple[str, str]:
    """(topic, anchor) that fits the focused ``widget``: F1's target.  ``finding_rule`` is the
    rule of the finding selected in the findings list, when the focus is there."""
    if finding_rule:
        return "rules", finding_rule
    w = widget
    while w is not None:
        name = w.objectName()
        if name in ("report-issue_date", "report-fill_date"):
            return "rules", "date." + name.removeprefix("report-")
        if name.startswith("report-"):
            return "guide", "signoff"
        if name == "signoff-form":
            return "guide", "signoff"
        if name == "self-evaluation-table":
            return "guide", "table"
        if name == "findings-panel":
            return "guide", "findings"
        if name == "task-editor" or name.startswith("outline-") or name.startswith("section-"):
            return "guide", "text"
        if name == "district-window":
            return "guide", "district"
        w = w.parentWidget()
    return "guide", ""
