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
