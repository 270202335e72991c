"""Walk a shown window's widgets and list every visible English word (issue 15, item 14).

What is read is what the program and Qt write: labels, buttons, group boxes, tab titles, window
titles, placeholders, tooltips, combo-box entries, the column headers of item views and, in a
file dialog, the type and size columns Qt fills in.  What the user typed or what names their
files (file names, the folder path, the file-name field) is their own and is skipped.

Letters that are not words stay allowed: names and units a Chinese interface writes in Latin
letters (PDF, Excel, Word, CSV, KiB, Ctrl …), and single letters (Ctrl+V, 表 A/B).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

WORD = re.compile(r"[A-Za-z]{2,}")
# Names and units, not English: product and format names, size units, keys, the program's name.
ALLOWED = {
    "PDF", "Excel", "Word", "CSV", "csv", "xlsx", "docx", "pdf", "txt", "sqlite", "SQLite", "JSON", "json",
    "KiB", "MiB", "GiB", "KB", "MB", "GB", "Ctrl", "Shift", "Alt", "Del", "Ins", "Tab", "Esc", "PgUp", "PgDown",
    "Enter", "Home", "End", "QR", "nanzhou", "desktop", "Wenquanyi", "WenQuanYi", "Micro", "Hei", "AR", "PL",
    "SungtiL", "LXGW", "WenKai", "UMing", "CN", "UKai", "Noto", "Sans", "SC", "Source", "Han", "SimSun",
    "YaHei", "Microsoft", "FangSong", "KaiTi", "SimHei", "PingFang", "UTF", "SHA", "ID", "Qt", "PNG",
}


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)  # rich text: the tags are not shown
    text = re.sub(r"&[a-z]+;", " ", text)  # entities (&nbsp; &lt;)
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # a path names the user's folders and files
    return text.replace("&", "")  # mnemonic markers


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(_plain(text or "")) if w not in ALLOWED]


def _user_data(widget: QWidget, top: QWidget) -> bool:
    """Widgets that show the user's own words: a file dialog's path, name field and file list."""
    dialog = top if isinstance(top, QFileDialog) else None
    if dialog is None:
        return isinstance(widget, QLineEdit) and not widget.isReadOnly()
    name = widget.objectName()
    return name in ("lookInCombo", "fileNameEdit", "sidebar") or isinstance(widget, QLineEdit)


def visible_english(top: QWidget) -> list[tuple[str, str]]:
    """(where, word) for every English word ``top`` shows (it must be shown)."""
    found: list[tuple[str, str]] = []

    def add(where: str, text: str) -> None:
        found.extend((where, w) for w in english_words(text))

    add("窗口标题", top.windowTitle())
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisible() or _user_data(w, top):
            continue
        where = f"{type(w).__name__}#{w.objectName()}"
        add(where + " tooltip", w.toolTip())
        if isinstance(w, QLabel):
            add(where, w.text())
        elif isinstance(w, QAbstractButton):
            add(where, w.text())
        elif isinstance(w, QGroupBox):
            add(where, w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(where, w.tabText(i))
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(where, w.itemText(i))
        elif isinstance(w, QLineEdit):
            add(where, w.placeholderText())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model's columnCount is private in PySide6: one column
                columns = 1
            for c in range(columns):
                add(where + " header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
            if isinstance(top, QFileDialog) and columns > 1:
                # The size, type and date columns are Qt's words; column 0 is the file's name.
                root = w.rootIndex()
                for r in range(model.rowCount(root)):
                    for c in range(1, model.columnCount(root)):
                        add(where + " cell", str(model.index(r, c, root).data() or ""))
    return found
