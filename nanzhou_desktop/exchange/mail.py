"""用邮件发送: open the user's own mail program with the exported report attached.

Reports reach the district by email (docs/domain: 报送).  The app sends nothing itself (it is
offline and holds no mail account): it opens a new message in the program the office already
uses, addressed to the district, with a subject and a short body, and the exported .sqlite
and PDF attached, for the officer to read over and send.

- Linux (and the BSDs): ``xdg-email --attach`` — Thunderbird, Evolution, KMail and the mail
  programs of 统信UOS / 麒麟 take the attachments;
- Windows: Simple MAPI (``MAPISendMailW``, or ``MAPISendMail`` in the ANSI code page where the
  MAPI library is older), which Outlook, Foxmail and the like register for;
- otherwise, or if those fail: a ``mailto:`` link (subject and body, no attachments: mailto
  cannot carry files) with the folder shown and a sentence saying which files to attach.

This module builds the calls and runs them; the window (or a script) shows the outcome.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nanzhou_desktop.model import Report

# A plain address check: one @, no spaces or separators, a dot in the domain.  The mail
# program checks the rest; this catches the common slips (a missing @, a Chinese comma,
# two addresses pasted together) before it opens.
_ADDRESS = re.compile(r"^[^@\s,;，；<>()\"']+@[^@\s,;，；<>()\"']+\.[^@\s,;，；<>()\"'.]+$")


def address_problem(address: str) -> str:
    """Why ``address`` is not one usable email address ('' when it is)."""
    text = address.strip()
    if not text:
        return "请填写区财政局的电子邮箱地址"
    if any(sep in text for sep in ",;，；、 "):
        return "只能填写一个邮箱地址（不要有逗号、分号或空格）"
    if "@" not in text:
        return f"“{text}”不是邮箱地址：缺少 @"
    if not _ADDRESS.match(text):
        return f"“{text}”不是有效的邮箱地址"
    return ""


@dataclass(frozen=True)
class MailDraft:
    """One message: recipient, subject, body and the files to attach (absolute paths)."""

    to: str
    subject: str
    body: str
    attachments: tuple[Path, ...] = field(default_factory=tuple)


def subject_for(report: Report) -> str:
    """"2022年度南洲街道部门整体支出绩效自评报告（第1版）": the year, the unit's short name (its
    full name if none) and the revision, so the district can tell versions apart by subject."""
    unit = report.unit.short_name.strip() or report.unit.full_name.strip() or "本单位"
    return f"{report.year}年度{unit}部门整体支出绩效自评报告（第{report.revision}版）"


def body_for(report: Report, report_file: Path, pdf: Path | None, sha256: str = "") -> str:
    """A short covering note: what is attached, how to load it, who to call."""
    unit = report.unit.full_name.strip() or report.unit.short_name.strip() or "本单位"
    district = report.unit.district.strip()
    greeting = f"{district}财政局：" if district else "区财政局："
    files = f"报告文件“{report_file.name}”" + (f"和签字盖章用的 PDF“{pdf.name}”" if pdf else "")
    lines = [
        greeting,
        "",
        f"现报送{unit}{report.year}年度部门整体支出绩效自评报告（第{report.revision}版），附件为{files}。",
        "报告文件可在 nanzhou-desktop 的“区级汇总”中装入；纸质件以签字盖章的 PDF 打印件为准。",
    ]
    if sha256:
        lines.append(f"报告文件的 SHA-256：{sha256}")
    signoff = report.signoff
    contact = "、".join(x.strip() for x in (signoff.preparer, signoff.phone_office, signoff.phone_mobile) if x.strip())
    lines.append("")
    if contact:
        lines.append(f"联系人：{contact}")
    lines.append(unit)
    return "\n".join(lines) + "\n"


def draft_for(report: Report, to: str, report_file: Path, pdf: Path | None, sha256: str = "") -> MailDraft:
    attachments = tuple(p.resolve() for p in (report_file, pdf) if p is not None)
    return MailDraft(to.strip(), subject_for(report), body_for(report, report_file, pdf, sha256), attachments)


# ---------------------------------------------------------------------------- Linux: xdg-email
def xdg_email_command(draft: MailDraft, program: str = "xdg-email") -> list[str]:
    """The ``xdg-email`` command line: UTF-8 subject and body, one ``--attach`` per file."""
    cmd = [program, "--utf8", "--subject", draft.subject, "--body", draft.body]
    for path in draft.attachments:
        cmd += ["--attach", str(path)]
    cmd.append(draft.to)
    return cmd


# ---------------------------------------------------------------------------- mailto: fallback
def mailto_url(draft: MailDraft) -> str:
    """``mailto:`` with subject and body percent-encoded as UTF-8 (RFC 6068).  No attachments:
    mail programs ignore or refuse files named in a link."""
    body = draft.body.replace("\n", "\r\n")
    return (f"mailto:{quote(draft.to, safe='@')}?subject={quote(draft.subject, safe='')}"
            f"&body={quote(body, safe='')}")


# ---------------------------------------------------------------------------- Windows: Simple MAPI
MAPI_LOGON_UI = 0x1
MAPI_DIALOG = 0x8
MAPI_TO = 1
SUCCESS_SUCCESS = 0
MAPI_USER_ABORT = 1
MAPI_ERRORS = {
    2: "邮件程序报告失败", 3: "无法登录邮件程序", 5: "内存不足", 11: "找不到附件", 12: "无法打开附件",
    14: "收件人地址无法识别", 26: "邮件程序不支持这种发送方式",
}


def mapi_structures(unicode: bool = True) -> tuple[type, type, type]:
    """The Simple MAPI structures (MapiRecipDesc, MapiFileDesc, MapiMessage; the W forms when
    ``unicode``), as ctypes declares them; built on any system so the call can be tested."""
    import ctypes

    text = ctypes.c_wchar_p if unicode else ctypes.c_char_p

    class RecipDesc(ctypes.Structure):
        _fields_ = [("ulReserved", ctypes.c_ulong), ("ulRecipClass", ctypes.c_ulong), ("lpszName", text),
                    ("lpszAddress", text), ("ulEIDSize", ctypes.c_ulong), ("lpEntryID", ctypes.c_void_p)]

    class FileDesc(ctypes.Structure):
        _fields_ = [("ulReserved", ctypes.c_ulong), ("flFlags", ctypes.c_ulong), ("nPosition", ctypes.c_ulong),
                    ("lpszPathName", text), ("lpszFileName", text), ("lpFileType", ctypes.c_void_p)]

    class Message(ctypes.Structure):
        _fields_ = [("ulReserved", ctypes.c_ulong), ("lpszSubject", text), ("lpszNoteText", text),
                    ("lpszMessageType", text), ("lpszDateReceived", text), ("lpszConversationID", text),
                    ("flFlags", ctypes.c_ulong), ("lpOriginator", ctypes.POINTER(RecipDesc)),
                    ("nRecipCount", ctypes.c_ulong), ("lpRecips", ctypes.POINTER(RecipDesc)),
                    ("nFileCount", ctypes.c_ulong), ("lpFiles", ctypes.POINTER(FileDesc))]

    return RecipDesc, FileDesc, Message


def mapi_message(draft: MailDraft, unicode: bool = True, encoding: str = "mbcs") -> tuple[Any, list[Any]]:
    """The MapiMessage(W) for ``draft``, and the objects that must stay alive while it is used.

    The ANSI form (an older MAPI library) takes text in the system code page
    (``mbcs``: GBK on a Chinese Windows); a character it lacks becomes ``?``."""
    import ctypes

    recip_t, file_t, message_t = mapi_structures(unicode)

    def text(s: str) -> Any:
        return s if unicode else s.encode(encoding, errors="replace")

    recips = (recip_t * 1)()
    recips[0].ulRecipClass = MAPI_TO
    recips[0].lpszName = text(draft.to)
    recips[0].lpszAddress = text(f"SMTP:{draft.to}")
    files = (file_t * max(1, len(draft.attachments)))()
    for i, path in enumerate(draft.attachments):
        files[i].nPosition = 0xFFFFFFFF  # (ULONG)-1: attached, not placed in the text
        files[i].lpszPathName = text(str(path))
        files[i].lpszFileName = text(path.name)
    message = message_t()
    message.lpszSubject = text(draft.subject)
    message.lpszNoteText = text(draft.body.replace("\n", "\r\n"))
    message.nRecipCount = 1
    message.lpRecips = ctypes.cast(recips, ctypes.POINTER(recip_t))
    message.nFileCount = len(draft.attachments)
    message.lpFiles = ctypes.cast(files, ctypes.POINTER(file_t)) if draft.attachments else None
    return message, [recips, files]


def mapi_send(draft: MailDraft, load_library: Callable[[str], Any] | None = None, encoding: str = "mbcs") -> int:
    """Open the default MAPI client's compose window for ``draft``; the MAPI return code
    (0 sent or handed to the client, 1 cancelled by the user, others failures).

    ``MAPISendMailW`` where MAPI32 has it (Windows 8 and later), else ``MAPISendMail`` with
    the text in ``encoding`` (the ANSI code page)."""
    import ctypes

    if load_library is None:  # pragma: no cover - Windows only
        load_library = ctypes.WinDLL  # type: ignore[attr-defined]
    mapi = load_library("mapi32.dll")
    send_w = getattr(mapi, "MAPISendMailW", None)
    unicode = send_w is not None
    function = send_w if unicode else mapi.MAPISendMail
    message, keep = mapi_message(draft, unicode=unicode, encoding=encoding)
    code = function(0, 0, ctypes.byref(message), MAPI_LOGON_UI | MAPI_DIALOG, 0)
    del keep
    return int(code)


# ---------------------------------------------------------------------------- sending
@dataclass
class SendOutcome:
    """What happened.  ``opened``: the mail program has the message with the files attached
    (as far as the system can tell).  ``cancelled``: the user closed it.  Otherwise the caller
    opens ``mailto`` and shows the files, and ``message`` says what to do."""

    opened: bool
    message: str
    mailto: str = ""
    cancelled: bool = False
    command: list[str] = field(default_factory=list)


def attach_by_hand(draft: MailDraft) -> str:
    names = "”和“".join(p.name for p in draft.attachments)
    return f"请把文件夹中的“{names}”附加到邮件中，发送到 {draft.to}。"


def launch(cmd: Sequence[str], wait: float = 5.0) -> tuple[int | None, str]:
    """Start ``cmd``; its exit code if it ends within ``wait`` seconds (xdg-email ends at once
    when it cannot open a mail program), else None (still running: the mail program is open)."""
    try:
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return 127, str(exc)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            return code, err.strip()
        time.sleep(0.05)
    return None, ""


def send(draft: MailDraft, *, platform: str | None = None, which: Callable[[str], str | None] = shutil.which,
         run: Callable[[Sequence[str]], tuple[int | None, str]] = launch,
         mapi: Callable[[MailDraft], int] = mapi_send) -> SendOutcome:
    """Open the mail program with ``draft``; see the module docstring for the ways tried."""
    platform = platform or sys.platform
    missing = [p for p in draft.attachments if not p.is_file()]
    if missing:
        return SendOutcome(False, f"找不到要附加的文件“{missing[0]}”；请重新导出上报", mailto_url(draft))
    fallback = mailto_url(draft)
    if platform == "win32":
        try:
            code = mapi(draft)
        except OSError:  # no mapi32.dll, or no mail program registered for MAPI
            code = -1
        if code == SUCCESS_SUCCESS:
            return SendOutcome(True, f"已在邮件程序中打开新邮件，收件人 {draft.to}，附件已添上；请核对后发送。")
        if code == MAPI_USER_ABORT:
            return SendOutcome(False, "已取消发送。", cancelled=True)
        reason = MAPI_ERRORS.get(code, "没有找到支持附件的默认邮件程序")
        return SendOutcome(False, f"未能自动添上附件（{reason}）。已打开新邮件，" + attach_by_hand(draft), fallback)
    program = which("xdg-email") if platform != "darwin" else None
    if program:
        cmd = xdg_email_command(draft, program)
        code, err = run(cmd)
        if code in (None, 0):
            return SendOutcome(True, f"已在邮件程序中打开新邮件，收件人 {draft.to}。请核对附件后发送；若附件没有自动添上，"
                               + attach_by_hand(draft), command=cmd)
        return SendOutcome(False, "未能打开邮件程序（xdg-email 出错" + (f"：{err[:120]}" if err else f"，代码 {code}")
                           + "）。已打开新邮件，" + attach_by_hand(draft), fallback, command=cmd)
    return SendOutcome(False, "这台电脑不能自动添加附件。已打开新邮件，" + attach_by_hand(draft), fallback)
