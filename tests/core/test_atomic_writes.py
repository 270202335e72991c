"""Issue 16 F8 and the leftover temporary files: a kill while a file is being made leaves no file
that looks finished, running the command again works, and the hidden temporary files a kill
left are removed at a later write into the same folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nanzhou_desktop.store.atomic import clean_stale_temps, is_our_temp
from nanzhou_desktop.store.reportfile import open_report_file
from tests.conftest import ROOT, SEED

# Run an import in a child that SIGKILLs itself at a chosen step of writing the file.
_CHILD = textwrap.dedent("""
    import os, signal, sys
    import nanzhou_desktop.store.reportfile as rfmod
    step, n = sys.argv[1], int(sys.argv[2])
    calls = {"n": 0}
    if step == "after_rename":  # the moment a file first stands under its final name
        import pathlib
        real_replace = pathlib.Path.replace
        def replace_then_die(self, target):
            result = real_replace(self, target)
            os.kill(os.getpid(), signal.SIGKILL)
            return result
        pathlib.Path.replace = replace_then_die
    def kill_on(name):
        real = getattr(rfmod, name)
        def wrapped(*a, **k):
            calls["n"] += 1
            if calls["n"] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*a, **k)
        setattr(rfmod, name, wrapped)
    if step != "after_rename":
        kill_on(step)
    from nanzhou_desktop.cli import main
    sys.exit(main(sys.argv[3:]))
""")


def _import_killed(tmp_path: Path, out: Path, step: str, n: int) -> None:
    r = subprocess.run([sys.executable, "-c", _CHILD, step, str(n), "import", str(SEED), "-o", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == -9, (r.stdout, r.stderr)


@pytest.mark.parametrize(("step", "n"), [
    ("_insert_row", 5),  # in the middle of writing the rows
    ("fsync_file", 1),  # everything committed, before the rename: the old kill point was near here
])
def test_a_kill_during_import_leaves_no_report_and_the_import_can_be_run_again(tmp_path, step, n):
    out = tmp_path / "南洲2022.sqlite"
    _import_killed(tmp_path, out, step, n)
    assert not out.exists()
    left = [p.name for p in tmp_path.iterdir()]
    assert left and all(is_our_temp(name) for name in left), left  # only hidden temporary files
    from tests.cli.test_report_files_cli import cli

    cli("import", str(SEED), "-o", str(out))  # refused as "已存在" before the fix
    with open_report_file(out, read_only=True) as rf:
        actions = [e["action"] for e in reversed(rf.audit_log())]
    assert actions[:2] == ["create", "import"] and "import-figure" in actions


def test_the_first_file_under_the_final_name_is_the_whole_import(tmp_path):
    """The kill of the issue fell after the report file was made and before the import's audit:
    a file with an audit of only ``create``, refused as 已存在 on re-running.  Now the file is
    complete the moment it has its name."""
    out = tmp_path / "南洲2022.sqlite"
    _import_killed(tmp_path, out, "after_rename", 0)
    assert out.exists()
    with open_report_file(out, read_only=True) as rf:
        actions = [e["action"] for e in reversed(rf.audit_log())]
    assert "import" in actions and "import-figure" in actions, actions


def test_stale_temporary_files_are_cleaned_at_the_next_write(tmp_path, example_path):
    old = time.time() - 3600
    leftovers = [tmp_path / ".nz-ab12cd34.sqlite.tmp", tmp_path / ".nz-k2j4h5g6.pdf",
                 tmp_path / ".2022_南洲街道_部门整体支出绩效自评_r1.sqlite.0a1b2c3d.tmp",
                 tmp_path / ".nz-ab12cd34.sqlite.tmp-journal"]
    fresh = tmp_path / ".nz-ffffffff.sqlite.tmp"  # another process's export in progress
    strangers = [tmp_path / ".hidden.txt", tmp_path / "report.sqlite.tmp", tmp_path / ".foo.0a1b2c3d.tmp"]
    for p in [*leftovers, fresh, *strangers]:
        p.write_bytes(b"x")
    for p in [*leftovers, *strangers]:
        os.utime(p, (old, old))
    from nanzhou_desktop.model import Unit
    from nanzhou_desktop.store.reportfile import create_report_file, new_report

    create_report_file(tmp_path / "新港2023.sqlite", new_report(Unit("新港街道办事处"), 2023))
    assert not any(p.exists() for p in leftovers)
    assert fresh.exists() and all(p.exists() for p in strangers)
    assert clean_stale_temps(tmp_path / "no such folder") == 0


def test_a_kill_during_export_leaves_temporaries_that_the_next_export_removes(tmp_path, example_path):
    from nanzhou_desktop.exchange.export import export_report
    from nanzhou_desktop.workflow import finalise

    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".nz-0badf00d.sqlite.tmp"  # what the kill left
    stale.write_bytes(b"SQLite format 3\x00")
    os.utime(stale, (time.time() - 3600,) * 2)
    with open_report_file(example_path) as rf:
        for field, value in (("head", "张三"), ("finance_head", "李四"), ("preparer", "王五"),
                             ("phone_office", "020-84201234"), ("phone_mobile", "13800000000"),
                             ("fill_date", "2023-03-15"), ("issue_date", "2023-03-15")):
            rf.set_field("report", None, field, value)
        from nanzhou_desktop.rules import check

        for f in check(rf.report).findings:
            if f.severity.name == "WARNING":
                rf.explain(f.key, "已核实")
        finalise(rf)
        export_report(rf, out, with_pdf=False)
    assert not stale.exists()
    assert [p.name for p in out.iterdir()] == ["2022_南洲街道_部门整体支出绩效自评_r1.sqlite"]
