"""用邮件发送 in the window: after 导出上报 (or from 报告 → 用邮件发送), ask for the district's
address (remembered), show the subject, body and attachments, and open the mail program
through :mod:`nanzhou_desktop.exchange.mail`.  Where the files cannot be attached for the
user, a new message is opened from a ``mailto:`` link, the folder is shown with the report
file selected (the same 打开所在文件夹 as after saving), and a sentence says what to attach.

The dialog comes from ``ui/send_mail.ui``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from nanzhou_desktop.exchange import mail
from nanzhou_desktop.gui import desktop, screen_fit

if TYPE_CHECKING:
    from nanzhou_desktop.exchange.export import ExportResult
    from nanzhou_desktop.gui.app import AppSettings
    from nanzhou_desktop.model import Report

ADDRESS_KEY = "mail/district_address"
FOLDER_KEY = "mail/last_export_folder"


def remembered_address(settings: AppSettings) -> str:
    return str(settings.qsettings.value(ADDRESS_KEY, "") or "")


def remember(settings: AppSettings, *, address: str | None = None, folder: Path | None = None) -> None:
    if address is not None:
        settings.qsettings.setValue(ADDRESS_KEY, address)
    if folder is not None:
        settings.qsettings.setValue(FOLDER_KEY, str(folder))
    settings.qsettings.sync()


def find_export(settings: AppSettings, report: Report) -> tuple[Path, Path | None] | None:
    """The exported .sqlite of ``report``'s current revision (and its PDF), in the folder of
    the last 导出上报; None if it is not there (moved, or exported from another PC)."""
    from nanzhou_desktop.exchange.export import export_file_name

    folder = str(settings.qsettings.value(FOLDER_KEY, "") or "")
    if not folder:
        return None
    path = Path(folder) / export_file_name(report)
    if not path.is_file():
        return None
    pdf = path.with_suffix(".pdf")
    return path, pdf if pdf.is_file() else None


class SendMailDialog(QDialog):
    """收件人, 主题, 附件, 正文; 打开邮件程序 refuses an unusable address where it was typed."""

    def __init__(self, draft: mail.MailDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nanzhou_desktop.gui.forms.ui_send_mail import Ui_SendMailDialog

        self.form = f = Ui_SendMailDialog()
        f.setupUi(self)
        screen_fit.fit_window(self)
        self._draft = draft
        f.address.setText(draft.to)
        f.subject.setText(draft.subject)
        f.subject.setCursorPosition(0)
        f.body.setPlainText(draft.body)
        f.attachments.setText("\n".join(f"{p.name}（{p.stat().st_size / 1024:,.0f} KB）" if p.exists() else p.name
                                        for p in draft.attachments))
        f.attachments.setToolTip("\n".join(str(p) for p in draft.attachments))
        ok = f.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("打开邮件程序")
        f.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        f.buttons.accepted.connect(self._accept)
        f.buttons.rejected.connect(self.reject)
        f.address.textEdited.connect(lambda _text: f.error.clear())
        (f.address if not draft.to else ok).setFocus()

    def draft(self) -> mail.MailDraft:
        f = self.form
        return replace(self._draft, to=f.address.text().strip(), subject=f.subject.text().strip() or self._draft.subject,
                       body=f.body.toPlainText())

    def _accept(self) -> None:
        problem = mail.address_problem(self.form.address.text())
        if problem:
            self.form.error.setText(problem)
            self.form.address.setFocus()
            return
        self.accept()


# Module-level so tests can answer the questions without a modal loop.
def ask_draft(parent: QWidget | None, draft: mail.MailDraft) -> mail.MailDraft | None:
    d = SendMailDialog(draft, parent)
    return d.draft() if d.exec() == QDialog.DialogCode.Accepted else None


def open_mailto(url: str) -> bool:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode)))


def tell(parent: QWidget | None, outcome: mail.SendOutcome, first_file: Path) -> None:
    """The outcome, with 打开所在文件夹 (the files to attach by hand are there)."""
    from nanzhou_desktop.gui import dialogs

    if outcome.cancelled:
        return
    title = "用邮件发送"
    if outcome.opened:
        dialogs.show_saved(parent, title, outcome.message, first_file)
    else:
        dialogs.show_attach_by_hand(parent, title, outcome.message, first_file)


def send_files(parent: QWidget | None, settings: AppSettings, report: Report, report_file: Path,
               pdf: Path | None, sha256: str = "") -> mail.SendOutcome | None:
    """Ask, remember the address, open the mail program; None if the user cancelled the dialog."""
    draft = mail.draft_for(report, remembered_address(settings), report_file, pdf, sha256)
    edited = ask_draft(parent, draft)
    if edited is None:
        return None
    remember(settings, address=edited.to)
    outcome = mail.send(edited)
    if not outcome.opened and outcome.mailto:
        open_mailto(outcome.mailto)
        desktop.reveal(report_file)  # the folder, with the report file selected
    tell(parent, outcome, report_file)
    return outcome


def send_export(parent: QWidget | None, settings: AppSettings, report: Report,
                result: ExportResult) -> mail.SendOutcome | None:
    """用邮件发送 right after 导出上报."""
    remember(settings, folder=result.path.parent)
    return send_files(parent, settings, report, result.path, result.pdf_path, result.sha256)


def refuse_without_export(parent: QWidget | None, report: Report) -> None:
    from nanzhou_desktop.exchange.export import export_file_name
    from nanzhou_desktop.gui import dialogs

    dialogs.show_info(parent, "用邮件发送", f"没有找到本报告第 {report.revision} 版的上报文件“{export_file_name(report)}”。"
                      "请先“报告 → 导出上报”，导出后即可用邮件发送。")

