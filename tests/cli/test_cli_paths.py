"""Routing and the fixes from a new-user trial: unknown words, no display, `set`, tamper
warning in verify/show, export into a folder that does not exist yet."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nanzhou_desktop", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


def test_unknown_word_is_not_opened_as_a_window():
    r = cli("frobnicate")
    assert r.returncode == 2 and "不是子命令" in r.stderr and "Traceback" not in r.stderr


def test_missing_report_file_for_the_window(tmp_path):
    r = cli(str(tmp_path / "无.sqlite"))
    assert r.returncode == 3 and "找不到报告文件" in r.stderr


def test_no_display_is_said_in_chinese(example_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for args in ([str(example_path)], ["district", str(example_path.parent / "d.sqlite")]):
        r = cli(*args, env=env)
        assert r.returncode == 3 and "没有图形显示" in r.stderr, (args, r.stderr)


def test_set_signoff_fields_then_finalise_export_verify(tmp_path, example_path):
    f = str(example_path)
    # 联系电话 is what the findings call the office number; brackets may be half-width.
    for field, value in [("单位负责人", "张三"), ("财务负责人", "李四"), ("填报人", "王五"),
                         ("联系电话", "020-84441234"), ("联系电话(手机)", "13800000000"),
                         ("填报日期", "2023年3月10日"), ("成文日期", "2023-03-15")]:
        r = cli("set", f, field, value)
        assert r.returncode == 0, r.stderr
    assert "成文日期 = 2023年3月15日" in r.stdout  # as it prints, whatever way it was typed
    assert "联系电话（办公） = 020-84441234" in cli("set", f, "办公电话", "020-84441234").stdout
    bad = cli("set", f, "联系电话（手机）", "138abc")
    assert bad.returncode == 3 and "电话号码只能包含数字" in bad.stderr
    check = cli("check", f, "--json")
    import json

    for finding in json.loads(check.stdout)["findings"]:
        if finding["severity"] == "警告":
            assert cli("explain", f, finding["key"], "已核实。").returncode == 0
    assert cli("finalize", f).returncode == 0
    out = tmp_path / "上报" / "新文件夹"
    r = cli("export", f, "-o", str(out))
    assert r.returncode == 0, r.stderr
    [sent] = out.glob("*.sqlite")
    assert cli("verify", str(sent)).returncode == 0
    conn = sqlite3.connect(sent)
    conn.execute("UPDATE budget_rows SET executed = '19000.00'")
    conn.commit()
    conn.close()
    v = cli("verify", str(sent))
    assert v.returncode == 1 and "内容在定稿后被改动" in v.stderr
    assert "内容在定稿后被改动" in cli("show", str(sent)).stdout


def test_command_table_matches_what_the_modules_register():
    """`nanzhou-desktop SUB …` imports only COMMANDS[SUB]: the table must name every
    subcommand, with the module that really registers it."""
    from nanzhou_desktop.cli import COMMANDS, _subcommand_names, build_parser

    assert set(COMMANDS) == _subcommand_names(build_parser())
    for name, module in COMMANDS.items():
        assert name in _subcommand_names(build_parser(name)), (name, module)


def test_help_lists_every_subcommand_once_in_work_order(capsys):
    """--help: one "子命令" heading, then every subcommand in the order of the year's work."""
    from nanzhou_desktop.cli import COMMANDS, HELP_ORDER, main

    assert sorted(HELP_ORDER) == sorted(COMMANDS)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines()]
    assert lines.count("子命令：") == 1 and "子命令" not in lines  # no second line repeating the heading
    assert "选项：" in lines and "选项:" not in lines  # full-width colons, as in 用法：
    listed = [line.split()[0] for line in out.split("子命令：")[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == list(HELP_ORDER)


def test_print_does_not_import_the_other_commands(tmp_path, example_path):
    code = ("import sys\nfrom nanzhou_desktop.cli import main\n"
            f"rc = main(['print', {str(example_path)!r}, '-o', {str(tmp_path / 'r.pdf')!r}])\n"
            "print(rc, sorted(m for m in sys.modules if m.startswith(('nanzhou_desktop.commands.', "
            "'nanzhou_desktop.importing', 'nanzhou_desktop.district'))))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.stdout.split("\n")[-2] == "0 ['nanzhou_desktop.commands.printing']", r.stdout + r.stderr


def test_every_subcommands_help_reads_in_chinese(capsys):
    """Each subcommand's --help starts with 用法： and has no argparse English left (a subcommand
    with its own formatter, such as outline's, must still use the Chinese one)."""
    from nanzhou_desktop.cli import COMMANDS, main

    for name in COMMANDS:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        out = capsys.readouterr().out
        assert out.startswith("用法：nanzhou-desktop " + name), (name, out[:80])
        for english in ("usage:", "positional arguments", "options:", "show this help"):
            assert english not in out, (name, english)
