"""用邮件发送 from the window: after 导出上报 and from 报告 → 用邮件发送, with a stand-in
xdg-email on PATH that records the command line the app built."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from nanzhou_desktop.gui import desktop, dialogs, send_mail
from nanzhou_desktop.gui.main_window import MainWindow
from nanzhou_desktop.model import Status

ADDRESS = "jxpj@hzcz.example.gov.cn"


def fake_xdg_email(folder: Path, exit_code: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "argv.json"
    script = folder / "xdg-email"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(log)!r}, 'w', encoding='utf-8').write(json.dumps(sys.argv[1:], ensure_ascii=False))\n"
                      f"sys.exit({exit_code})\n", encoding="utf-8")
    script.chmod(0o755)
    return log


@pytest.fixture
def final_window(qtbot, settings, example, tmp_path, monkeypatch):
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(example)
    w.session.rf.set_status(Status.FINAL, action="finalise")
    w._apply_editability()  # as after 定稿 in the window
    out = tmp_path / "上报"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    return w, out


def answer_with(address: str, monkeypatch, seen: list | None = None):
    """The dialog is built as the window builds it; the address typed and 打开邮件程序 clicked."""
    def ask(parent, draft):
        d = send_mail.SendMailDialog(draft, parent)
        if seen is not None:
            seen.append(d.form.address.text())
        d.form.address.setText(address)
        d.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return d.draft() if d.result() == d.DialogCode.Accepted else None
    monkeypatch.setattr(send_mail, "ask_draft", ask)


def test_send_after_export_opens_xdg_email_with_both_files(final_window, settings, tmp_path, monkeypatch):
    w, out = final_window
    log = fake_xdg_email(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(dialogs, "show_exported", lambda parent, text, path: "mail")
    told: list[str] = []
    monkeypatch.setattr(dialogs, "show_saved", lambda parent, title, text, path: told.append(text))
    answer_with(ADDRESS, monkeypatch)
    w.export_for_sending()
    sqlite = next(out.glob("*.sqlite"))
    pdf = sqlite.with_suffix(".pdf")
    argv = json.loads(log.read_text(encoding="utf-8"))
    assert argv[:3] == ["--utf8", "--subject", "2022年度南洲街道部门整体支出绩效自评报告（第1版）"]
    assert argv[argv.index("--attach") + 1] == str(sqlite.resolve())
    assert argv[-3:] == ["--attach", str(pdf.resolve()), ADDRESS]
    assert told and ADDRESS in told[0]
    assert send_mail.remembered_address(settings) == ADDRESS


def test_the_menu_finds_the_export_later_and_remembers_the_address(final_window, settings, qtbot, tmp_path,
                                                                   monkeypatch):
    w, out = final_window
    log = fake_xdg_email(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(dialogs, "show_exported", lambda parent, text, path: "")  # 确定: not sent now
    monkeypatch.setattr(dialogs, "show_saved", lambda *a: None)
    send_mail.remember(settings, address=ADDRESS)  # from an earlier report
    w.export_for_sending()
    path = w.session.rf.path
    w.close()
    # Another day: a new window, the same report; 报告 → 用邮件发送.
    w2 = MainWindow(settings)
    qtbot.addWidget(w2)
    assert w2.open_file(path)
    assert w2.form.actionSendByEmail.isEnabled()
    seen: list[str] = []
    answer_with(ADDRESS, monkeypatch, seen)
    w2.form.actionSendByEmail.trigger()
    assert seen == [ADDRESS]  # remembered
    argv = json.loads(log.read_text(encoding="utf-8"))
    assert argv.count("--attach") == 2 and argv[-1] == ADDRESS


def test_without_an_export_the_menu_says_to_export_first(qtbot, settings, example, monkeypatch):
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert w.open_file(example)
    assert not w.form.actionSendByEmail.isEnabled()  # a draft is not sent
    w.session.rf.set_status(Status.FINAL, action="finalise")
    said: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: said.append(text))
    monkeypatch.setattr(send_mail, "ask_draft", lambda *a: pytest.fail("no dialog without an export"))
    w.send_by_email()
    assert said and "请先“报告 → 导出上报”" in said[0]


def test_fallback_opens_mailto_shows_the_folder_and_says_what_to_attach(final_window, tmp_path, monkeypatch):
    w, out = final_window
    fake_xdg_email(tmp_path / "bin", exit_code=3)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(dialogs, "show_exported", lambda parent, text, path: "mail")
    answer_with(ADDRESS, monkeypatch)
    opened: list[str] = []
    revealed: list[Path] = []
    said: list[str] = []
    monkeypatch.setattr(send_mail, "open_mailto", opened.append)
    monkeypatch.setattr(desktop, "reveal", revealed.append)
    monkeypatch.setattr(dialogs, "show_attach_by_hand", lambda parent, title, text, path: said.append(text))
    w.export_for_sending()
    sqlite = next(out.glob("*.sqlite"))
    assert opened and opened[0].startswith(f"mailto:{ADDRESS}?subject=")
    assert revealed == [sqlite]
    assert said and f"“{sqlite.name}”和“{sqlite.with_suffix('.pdf').name}”附加到邮件中" in said[0]


def test_a_bad_address_is_refused_where_it_was_typed(qtbot, final_window, monkeypatch):
    w, out = final_window
    from nanzhou_desktop.exchange import mail

    draft = mail.MailDraft("", "主题", "正文", ())
    d = send_mail.SendMailDialog(draft, w)
    qtbot.addWidget(d)
    d.show()
    assert d.form.address.hasFocus() or not d.isActiveWindow()
    d.form.address.setText("jxpj.hzcz.gov.cn")
    d.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.isVisible() and "缺少 @" in d.form.error.text()
    qtbot.keyClicks(d.form.address, "x")
    assert d.form.error.text() == ""
    assert d.form.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "打开邮件程序"
    d.form.address.setText(ADDRESS)
    d.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.result() == d.DialogCode.Accepted and d.draft().to == ADDRESS
    assert Qt  # (the Qt namespace is used by the key clicks above)
