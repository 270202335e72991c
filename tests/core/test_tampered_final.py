"""Issue 16 F11: a 已定稿 file changed afterwards (a figure edited with sqlite3) printed as final,
without a 草稿 mark or any warning, and ``check`` was silent.  Every reader of a final file now
verifies its fingerprint: ``check`` and the window show the error 定稿后被改动, ``print`` refuses."""

from __future__ import annotations

import json

import pytest

from nanzhou_desktop.model import Status
from nanzhou_desktop.rules.integrity import RULE
from nanzhou_desktop.store.reportfile import open_report_file
from tests.cli.test_report_files_cli import cli
from tests.fuzzing import craft


@pytest.fixture
def final_path(example_path):
    with open_report_file(example_path) as rf:
        rf.set_status(Status.FINAL, action="finalise")
    return example_path


@pytest.fixture
def tampered(final_path, tmp_path):
    return craft(final_path, tmp_path / "改过的.sqlite", "UPDATE budget_rows SET executed = '19900.00' WHERE kind = 'total'")


def test_the_untampered_final_file_is_quiet(final_path, tmp_path):
    with open_report_file(final_path, read_only=True) as rf:
        assert not rf.changed_after_final()
    out = json.loads(cli("check", str(final_path), "--json", check_rc=None).stdout)
    assert RULE not in {f["rule"] for f in out["findings"]}
    cli("print", str(final_path), "-o", str(tmp_path / "ok.pdf"))


def test_check_says_changed_after_final_as_an_error(tampered):
    r = cli("check", str(tampered), check_rc=1)
    assert "[错误] 定稿后被改动" in r.stdout
    out = json.loads(cli("check", str(tampered), "--json", check_rc=1).stdout)
    first = out["findings"][0]
    assert first["rule"] == RULE and first["severity"] == "错误" and "定稿后被改动" in first["message"]


def test_print_refuses_a_changed_final_file(tampered, tmp_path):
    for extra in ((), ("--docx", str(tmp_path / "x.docx"), "--xlsx", str(tmp_path / "x.xlsx"))):
        r = cli("print", str(tampered), "-o", str(tmp_path / "x.pdf"), *extra, check_rc=None)
        assert r.returncode == 1 and "定稿后被改动" in r.stderr, r.stderr
    assert not any(tmp_path.glob("x.*"))


def test_render_refuses_too_so_no_print_path_can_make_it(tampered, tmp_path):
    from nanzhou_desktop.render.pdf import RenderError, render_pdf

    with open_report_file(tampered, read_only=True) as rf:
        with pytest.raises(RenderError, match="定稿后被改动"):
            render_pdf(rf.report, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_final_file_without_a_fingerprint_is_changed_too(final_path, tmp_path):
    bad = craft(final_path, tmp_path / "无指纹.sqlite", "UPDATE report SET final_fingerprint = ''")
    assert "定稿后被改动" in cli("check", str(bad), check_rc=1).stdout


def test_show_and_verify_still_warn(tampered):
    assert "定稿后被改动" in cli("show", str(tampered)).stdout
    assert "定稿后被改动" in cli("verify", str(tampered), check_rc=None).stderr


def test_the_window_shows_the_error_and_a_banner(qtbot, tampered, tmp_path, monkeypatch):
    from nanzhou_desktop.gui.app import AppSettings
    from nanzhou_desktop.gui.main_window import MainWindow

    monkeypatch.setenv("NANZHOU_HOME", str(tmp_path / "home"))
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    assert w.open_file(tampered)
    result = w.session.result
    assert result.findings[0].rule == RULE
    assert "定稿后被改动" in w.form.bannerText.text() and not w.form.banner.isHidden()
