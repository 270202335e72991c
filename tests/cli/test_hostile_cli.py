"""Issue 16 from the command line: hostile files and failing writes get one honest Chinese
sentence, never a traceback or a generic "意外错误"."""

from __future__ import annotations

import sqlite3

from nanzhou_desktop.store.lock import ReportLock
from tests.cli.test_report_files_cli import cli


def test_set_while_another_process_is_mid_save_says_the_file_is_in_use(example_path):
    """F9: with another editor's save under way (its lock held, its journal beside the file), `set`
    said "上次没有正常关闭…请检查文件是否只读"."""
    lock = ReportLock(example_path)
    lock.acquire()
    conn = sqlite3.connect(example_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE report SET head = '王五'")  # the save in progress: the journal is there
        assert (example_path.parent / (example_path.name + "-journal")).stat().st_size > 0
        r = cli("set", str(example_path), "单位负责人", "张三", check_rc=None)
    finally:
        conn.execute("ROLLBACK")
        conn.close()
        lock.release()
    assert r.returncode != 0
    assert "另一个窗口或程序编辑" in r.stderr and "没有正常关闭" not in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_fifo_named_sqlite_is_refused_not_waited_on(tmp_path):
    """`show` and `district load` hung on a FIFO named *.sqlite."""
    import os

    import pytest

    from nanzhou_desktop.district.safe_open import RefusedFile, load_received

    fifo = tmp_path / "来件.sqlite"
    os.mkfifo(fifo)
    for command in ("show", "check", "print"):
        args = [command, str(fifo)] + (["-o", str(tmp_path / "x.pdf")] if command == "print" else [])
        r = cli(*args, check_rc=None)  # cli() has a timeout: a hang fails the test
        assert r.returncode != 0 and "不是普通文件" in r.stderr, (command, r.stderr)
    with pytest.raises(RefusedFile, match="不是普通文件"):
        load_received(fifo)
    r = cli("district", "load", str(tmp_path / "d.sqlite"), str(fifo), check_rc=None)
    assert "不是普通文件" in r.stdout + r.stderr
    # and a new report to be written where the FIFO stands (the check before replacing it)
    r = cli("new", "--unit", "某街道办事处", "--year", "2023", str(fifo), "--force", check_rc=None)
    assert r.returncode != 0 and "不是普通文件" in r.stderr, r.stderr


# A child that runs the CLI with writes limited once the PDF is made: the Word or Excel copy then
# fails for real at the OS level (RLIMIT_FSIZE: EFBIG, the way ENOSPC fails a write on a full disk).
_LIMITED_PRINT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
import nanzhou_desktop.render.{module} as m
real = m.{function}
def limited(*args, **kwargs):
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, resource.RLIM_INFINITY))
    return real(*args, **kwargs)
m.{function} = limited
from nanzhou_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_failing_disk_during_print_docx_xlsx_gives_one_chinese_sentence(example_path, tmp_path):
    """F9: a full disk during print --docx/--xlsx printed "Exception ignored in ZipFile.__del__ …
    OSError 28" after a generic 意外错误."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    for module, function, option in (("docx", "write_docx", "--docx"), ("xlsx", "write_xlsx", "--xlsx")):
        out = tmp_path / f"x.{module}"
        r = subprocess.run([sys.executable, "-c", _LIMITED_PRINT.format(module=module, function=function),
                            "print", str(example_path), "-o", str(tmp_path / "x.pdf"), option, str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 3, r.stderr
        assert f"无法写入 {'Word' if module == 'docx' else 'Excel'} 文件" in r.stderr, r.stderr
        assert "Exception ignored" not in r.stderr and "Traceback" not in r.stderr and "意外错误" not in r.stderr
        assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".nz-")]
        assert (tmp_path / "x.pdf").exists()  # what was made before stays


def test_export_and_next_year_into_a_read_only_folder_say_so(example_path, tmp_path, monkeypatch, capsys):
    """F9: export -o and next-year -o into a read-only folder gave 意外错误（OSError: [Errno 30]…）,
    and the cleanup ``tmp.unlink()`` raised inside the error handler.  Simulated without root:
    the temporary file is to be made where nothing can be (as in a read-only folder, SQLite says
    "unable to open database file"), and removing files fails with EROFS."""
    import errno
    from pathlib import Path

    from nanzhou_desktop.cli import main
    from nanzhou_desktop.exchange import export as export_module
    from nanzhou_desktop.model import Status
    from nanzhou_desktop.store import reportfile
    from nanzhou_desktop.store.reportfile import open_report_file

    with open_report_file(example_path) as rf:
        rf.set_status(Status.FINAL, action="finalise")
    out = tmp_path / "只读"
    out.mkdir()
    nowhere = tmp_path / "不可写" / "x.tmp"
    monkeypatch.setattr(export_module, "temp_beside", lambda final: nowhere)
    monkeypatch.setattr(reportfile, "temp_beside", lambda final: nowhere)

    def unlink(self, missing_ok=False):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "unlink", unlink)
    for argv in (["export", str(example_path), "-o", str(out), "--no-pdf"],
                 ["next-year", str(example_path), "-o", str(out / "2023.sqlite")]):
        assert main(argv) == 3
        err = capsys.readouterr().err
        assert "只读或没有写入权限" in err and "意外错误" not in err and "Errno" not in err, err
    assert list(out.iterdir()) == []


def test_undump_refuses_hostile_json_in_chinese(example_path, tmp_path):
    """undump of deeply nested JSON raised RecursionError; a body given as an object gave "Error
    binding parameter"; 1e400 or control characters were written into a file the app refuses."""
    import json

    dump = json.loads(cli("dump", str(example_path)).stdout)

    def variant(name: str, change) -> tuple[str, str]:
        data = json.loads(json.dumps(dump))
        change(data)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return name, str(path)

    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    cases = [
        ("nested", str(nested)),
        variant("body_object", lambda d: d["sections"][0].__setitem__("body", {"evil": 1})),
        variant("amount_1e400", lambda d: d["budget"][0].__setitem__("executed", "1e400")),
        variant("amount_nan", lambda d: d["budget"][0].__setitem__("executed", "NaN")),
        variant("amount_word", lambda d: d["budget"][0].__setitem__("executed", "很多")),
        variant("control", lambda d: d["unit"].__setitem__("full_name", "南洲\x07街道")),
        variant("noncharacter", lambda d: d["sections"][0].__setitem__("body", "正文\uffff")),
        variant("year", lambda d: d.__setitem__("year", 99999999999)),
        variant("list", lambda d: d.clear()),
    ]
    (tmp_path / "list.json").write_text("[1, 2, 3]", encoding="utf-8")
    for name, path in cases:
        out = tmp_path / f"{name}.sqlite"
        r = cli("undump", path, str(out), check_rc=None)
        assert r.returncode == 3, (name, r.stdout, r.stderr)
        assert "意外错误" not in r.stderr and "Traceback" not in r.stderr and "Error" not in r.stderr, (name, r.stderr)
        assert not out.exists(), name


def test_unlock_at_the_last_revision_is_refused_in_chinese(example_path, tmp_path):
    """`unlock` at revision 2^63−1 raised OverflowError.  Such a file is refused when opened (see
    tests/core/test_hostile_files.py); at the last revision the limits allow, unlock says why not."""
    from nanzhou_desktop.limits import REVISION_MAX
    from nanzhou_desktop.model import Status
    from nanzhou_desktop.store.reportfile import open_report_file
    from tests.fuzzing import craft

    with open_report_file(example_path) as rf:
        rf.set_status(Status.FINAL, action="finalise")
    last = craft(example_path, tmp_path / "last.sqlite", f"UPDATE report SET revision = {REVISION_MAX}")
    r = cli("unlock", str(last), "--reason", "退回修改", check_rc=None)
    assert r.returncode == 3 and "修订号已达上限" in r.stderr, r.stderr
    huge = craft(example_path, tmp_path / "huge.sqlite", "UPDATE report SET revision = 9223372036854775807")
    r = cli("unlock", str(huge), "--reason", "退回修改", check_rc=None)
    assert r.returncode == 3 and "修订号" in r.stderr and "OverflowError" not in r.stderr, r.stderr


def test_export_with_a_very_long_short_name_bounds_the_file_name(example_path, tmp_path):
    """A 单位简称 of 60×U+20000 gave "File name too long"; U+202E was kept in export names (it can
    no longer be typed into a name: tests/core/test_hostile_files.py)."""
    from nanzhou_desktop.exchange.export import export_file_name, export_report
    from nanzhou_desktop.model import Status
    from nanzhou_desktop.store.reportfile import open_report_file

    out = tmp_path / "上报"
    out.mkdir()
    with open_report_file(example_path) as rf:
        rf.set_field("report", None, "unit_short_name", "\U00020000" * 60)
        rf.set_status(Status.FINAL, action="finalise")
        result = export_report(rf, out, with_pdf=False)
        rf.report.unit.short_name = "南洲\u202e街道"  # as an older file might hold it
        assert "\u202e" not in export_file_name(rf.report)
    assert result.path.exists() and len(result.path.name.encode("utf-8")) <= 255
