"""Where report files go, and asking for a new one's name without ever losing a report.

- Every file dialog starts in one visible folder, 文档/部门整体支出绩效自评 (platformdirs'
  Documents folder), unless the report being edited lives in another folder the user chose.
  The app's own data folder (AppData on Windows), where example copies are kept, is never
  offered: an officer would not find the file there to email it.
- A suggested name is free (``江海街道2023年度自评报告 (2).sqlite``).
- Choosing an existing file: a 已定稿/已导出 report, or one being edited, is refused and the
  dialog comes back with a free name; anything else is replaced only when the user says so,
  after a backup beside it (see :mod:`nanzhou_desktop.store.replace`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from nanzhou_desktop.store import replace

FOLDER_NAME = "部门整体支出绩效自评"
REPORT_FILTER = "报告文件 (*.sqlite);;所有文件 (*)"


def documents_folder() -> Path:
    """The one visible folder for reports, exports and PDFs (created when first needed).
    ``NANZHOU_HOME`` (tests, portable use) puts it under that folder."""
    home = os.environ.get("NANZHOU_HOME")
    if home:
        base = Path(home) / "文档"
    else:
        from platformdirs import user_documents_dir

        base = Path(user_documents_dir())
    folder = base / FOLDER_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only or missing Documents: the dialog still opens, in its parent
        return base if base.is_dir() else Path.home()
    return folder


def start_folder(current: str | Path | None, hidden: Path | None = None) -> Path:
    """Where a file dialog opens: the current report's folder, unless it is the app's own
    ``hidden`` data folder (example copies) or gone; else :func:`documents_folder`."""
    if hidden is None:
        from nanzhou_desktop.gui.app import user_dirs

        hidden = user_dirs()[1]
    if current is not None:
        folder = Path(current).parent
        inside_hidden = hidden is not None and (folder.resolve() == hidden.resolve()
                                               or hidden.resolve() in folder.resolve().parents)
        if folder.is_dir() and not inside_hidden:
            return folder
    return documents_folder()


def with_suffix(path: str | Path, suffix: str = ".sqlite") -> Path:
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def ask_new_report_path(parent: QWidget | None, title: str, suggested: Path, *,
                        current: str | Path | None = None) -> Path | None:
    """Ask where a new report file goes.  Returns a path that is free, or that holds a file the
    user agreed to replace (the caller backs it up with ``store.replace.prepare_replace``);
    None when cancelled."""
    from nanzhou_desktop.gui import dialogs

    proposal = replace.free_name(with_suffix(suggested))
    while True:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(proposal), REPORT_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not name:
            return None
        path = with_suffix(name)
        if current is not None and path.resolve() == Path(current).resolve():
            dialogs.show_error(parent, title, "这是正在编辑的报告本身，不能用新报告替换它；请换一个文件名。")
            proposal = replace.free_name(path)
            continue
        try:
            existing = replace.existing_file(path)
        except replace.ReplaceRefused as exc:
            dialogs.show_error(parent, title, str(exc))
            continue
        if existing is None:
            return path
        reason = replace.refusal(existing)
        if reason:
            dialogs.show_error(parent, title, f"{reason}。\n\n已为您换成一个未被使用的文件名。")
            proposal = replace.free_name(path)
            continue
        if dialogs.confirm_replace(parent, title, existing, replace.backup_name(path).name):
            return path
        proposal = replace.free_name(path)
