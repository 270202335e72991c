"""用邮件发送: the message built from an exported report, and the call that opens the mail
program — xdg-email run for real with a stand-in on PATH that records its arguments, the
Simple MAPI structures and call built (Windows only runs them), the mailto: fallback."""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from nanzhou_desktop.exchange import mail
from nanzhou_desktop.exchange.export import export_report
from nanzhou_desktop.model import Status


@pytest.fixture
def exported(example_file, tmp_path):
    """The example, 定稿 and 导出上报 (with its PDF) into a folder whose name has Chinese and a space."""
    example_file.set_field("report", None, "preparer", "李四")
    example_file.set_field("report", None, "phone_office", "020-84412345")
    example_file.set_status(Status.FINAL, action="finalise")
    out = tmp_path / "上报 文件"
    out.mkdir()
    result = export_report(example_file, out)
    assert result.pdf_path is not None, result.pdf_error
    return example_file.report, result


def fake_xdg_email(folder: Path, exit_code: int = 0, stderr: str = "") -> Path:
    """An ``xdg-email`` that writes its argv (as JSON) beside itself and exits with ``exit_code``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "xdg-email"
    log = folder / "argv.json"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(log)!r}, 'w', encoding='utf-8').write(json.dumps(sys.argv[1:], ensure_ascii=False))\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({exit_code})\n", encoding="utf-8")
    script.chmod(0o755)
    return log


def test_subject_and_body(exported):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path, result.sha256)
    assert draft.subject == "2022年度南洲街道部门整体支出绩效自评报告（第1版）"
    assert draft.body.startswith("海珠区财政局：\n")
    assert result.path.name in draft.body and result.pdf_path.name in draft.body
    assert result.sha256 in draft.body
    assert "联系人：李四、020-84412345" in draft.body
    assert draft.attachments == (result.path.resolve(), result.pdf_path.resolve())


def test_the_subject_names_the_revision_and_falls_back_to_the_full_name(exported):
    report, _ = exported
    from dataclasses import replace

    other = replace(report, revision=3, unit=replace(report.unit, short_name=""))
    assert mail.subject_for(other) == "2022年度广州市海珠区人民政府南洲街道办事处部门整体支出绩效自评报告（第3版）"


@pytest.mark.parametrize(("address", "problem"), [
    ("jxb@hzcz.gov.cn", ""),
    ("  jxb@hzcz.gov.cn ", ""),
    ("", "请填写"),
    ("jxb.hzcz.gov.cn", "缺少 @"),
    ("a@b.cn，c@d.cn", "只能填写一个"),
    ("a@b.cn; c@d.cn", "只能填写一个"),
    ("a@@b.cn", "不是有效的"),
    ("a@localhost", "不是有效的"),
])
def test_address_check(address, problem):
    found = mail.address_problem(address)
    assert (found == "") if not problem else (problem in found)


def test_xdg_email_gets_subject_body_and_both_attachments(exported, tmp_path, monkeypatch):
    report, result = exported
    log = fake_xdg_email(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path, result.sha256)
    outcome = mail.send(draft, platform="linux")
    assert outcome.opened and not outcome.mailto
    argv = json.loads(log.read_text(encoding="utf-8"))
    assert argv == ["--utf8", "--subject", draft.subject, "--body", draft.body,
                    "--attach", str(result.path.resolve()), "--attach", str(result.pdf_path.resolve()),
                    "jxb@hzcz.gov.cn"]
    assert outcome.command[0] == str(tmp_path / "bin" / "xdg-email")
    assert "若附件没有自动添上" in outcome.message


def test_xdg_email_failing_falls_back_to_mailto_and_says_what_to_attach(exported, tmp_path, monkeypatch):
    report, result = exported
    fake_xdg_email(tmp_path / "bin", exit_code=3, stderr="xdg-email: no method available for opening")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    outcome = mail.send(draft, platform="linux")
    assert not outcome.opened and outcome.mailto.startswith("mailto:jxb@hzcz.gov.cn?")
    assert "no method available" in outcome.message
    assert f"“{result.path.name}”和“{result.pdf_path.name}”附加到邮件中" in outcome.message


def test_no_xdg_email_means_mailto(exported):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    outcome = mail.send(draft, platform="linux", which=lambda name: None)
    assert not outcome.opened and outcome.mailto and "附加到邮件中" in outcome.message


def test_a_missing_attachment_is_said(exported):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    result.pdf_path.unlink()
    outcome = mail.send(draft, platform="linux", which=lambda name: "/bin/false")
    assert not outcome.opened and "找不到要附加的文件" in outcome.message


def test_mailto_carries_subject_and_body_in_utf8(exported):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    url = mail.mailto_url(draft)
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "jxb@hzcz.gov.cn"
    query = parse_qs(parts.query)
    assert query["subject"] == [draft.subject]
    assert query["body"] == [draft.body.replace("\n", "\r\n")]
    assert url.isascii()


class FakeMapi:
    """mapi32.dll as the call sees it: records the message MAPISendMail(W) received."""

    def __init__(self, unicode: bool, code: int = 0) -> None:
        self.unicode, self.code, self.seen = unicode, code, None
        if unicode:
            self.MAPISendMailW = self._send

    @property
    def MAPISendMail(self):  # noqa: N802 - the DLL's name
        return self._send

    def _send(self, session, ui_param, message_ref, flags, reserved):
        message = ctypes.cast(message_ref, ctypes.c_void_p)  # byref → the structure's address
        self.seen = (session, ui_param, flags, reserved, message)
        _, _, message_t = mail.mapi_structures(self.unicode)
        m = message_t.from_address(message.value)
        self.fields = {
            "subject": m.lpszSubject, "body": m.lpszNoteText, "recips": m.nRecipCount,
            "to_name": m.lpRecips[0].lpszName, "to_address": m.lpRecips[0].lpszAddress,
            "to_class": m.lpRecips[0].ulRecipClass,
            "files": [(m.lpFiles[i].lpszPathName, m.lpFiles[i].lpszFileName, m.lpFiles[i].nPosition)
                      for i in range(m.nFileCount)],
        }
        return self.code


def test_simple_mapi_call_unicode(exported):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    fake = FakeMapi(unicode=True)
    assert mail.mapi_send(draft, load_library=lambda name: fake) == 0
    session, ui_param, flags, reserved, _ = fake.seen
    assert (session, ui_param, reserved) == (0, 0, 0)
    assert flags == mail.MAPI_LOGON_UI | mail.MAPI_DIALOG  # the compose window, for the user to send
    f = fake.fields
    assert f["subject"] == draft.subject and f["body"] == draft.body.replace("\n", "\r\n")
    assert (f["recips"], f["to_class"], f["to_name"], f["to_address"]) == (1, 1, "jxb@hzcz.gov.cn",
                                                                           "SMTP:jxb@hzcz.gov.cn")
    assert f["files"] == [(str(p), p.name, 0xFFFFFFFF) for p in draft.attachments]


def test_simple_mapi_call_ansi_with_an_older_mapi_library(exported):
    """No MAPISendMailW: the ANSI call, text in the code page (GBK here)."""
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)
    message, keep = mail.mapi_message(draft, unicode=False, encoding="gbk")
    assert message.lpszSubject.decode("gbk") == draft.subject
    assert message.lpFiles[1].lpszFileName.decode("gbk") == result.pdf_path.name
    del keep
    fake = FakeMapi(unicode=False)
    assert mail.mapi_send(draft, load_library=lambda name: fake, encoding="gbk") == 0
    f = fake.fields
    assert f["subject"].decode("gbk") == draft.subject and f["to_address"] == b"SMTP:jxb@hzcz.gov.cn"
    assert [(a.decode("gbk"), b.decode("gbk")) for a, b, _ in f["files"]] == [(str(p), p.name)
                                                                             for p in draft.attachments]


@pytest.mark.parametrize(("code", "opened", "cancelled", "text"), [
    (0, True, False, "附件已添上"),
    (1, False, True, "已取消"),
    (2, False, False, "邮件程序报告失败"),
    (-1, False, False, "没有找到支持附件的默认邮件程序"),
])
def test_windows_outcomes(exported, code, opened, cancelled, text):
    report, result = exported
    draft = mail.draft_for(report, "jxb@hzcz.gov.cn", result.path, result.pdf_path)

    def mapi(d):
        if code == -1:
            raise OSError("mapi32.dll")
        return code

    outcome = mail.send(draft, platform="win32", mapi=mapi)
    assert (outcome.opened, outcome.cancelled) == (opened, cancelled)
    assert text in outcome.message
    assert bool(outcome.mailto) == (not opened and not cancelled)
