"""SIGKILL during 导出上报 and during a district load: no half-written file is ever left
under a final name, and the district database stays whole."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from nanzhou_desktop.district.db import open_district_db
from nanzhou_desktop.district.safe_open import load_received
from nanzhou_desktop.district.testdata import write_street_files
from nanzhou_desktop.rules import check
from nanzhou_desktop.store.reportfile import open_report_file
from nanzhou_desktop.workflow import explain, finalise
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _kill_after(args: list[str], delay: float) -> str:
    child = subprocess.Popen([sys.executable, "-m", "tests.kill_child", *args], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "READY", child.stderr.read()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return out


def _finalised(example_path):
    with open_report_file(example_path) as rf:
        for column, value in [("head", "张三"), ("finance_head", "李四"), ("preparer", "王五"),
                              ("phone_office", "020-84441234"), ("fill_date", "2023-03-10"),
                              ("issue_date", "2023-03-15")]:
            rf.set_field("report", None, column, value)
        for f in check(rf.report).findings:
            if f.severity.value == "警告":
                explain(rf, f.key, "已核实。")
        finalise(rf)


def test_kill_during_export_leaves_no_half_file(tmp_path, example_path):
    _finalised(example_path)
    rng = random.Random(6)
    root = tmp_path / "exports"
    root.mkdir()
    finals = interrupted = 0
    for k in range(12):
        (root / f"k{k}").mkdir()
        _kill_after(["export", str(example_path), str(root / f"k{k}")], rng.uniform(0.3, 1.5))
        for out in (root / f"k{k}").glob("out*"):
            names = [f.suffix for f in out.iterdir() if not f.name.startswith(".")]
            interrupted += sorted(names) != [".pdf", ".sqlite"]  # the kill landed inside this export
            for f in out.iterdir():
                if f.name.startswith("."):
                    continue  # a temporary name: never mistaken for a report
                finals += 1
                if f.suffix == ".sqlite":
                    rec = load_received(f)  # complete, valid, fingerprint as at 定稿
                    assert rec.report.signoff.head == "张三"
                elif f.suffix == ".pdf":
                    assert len(PdfReader(f).pages) > 1
        with open_report_file(example_path) as rf:  # the working file survives every kill
            assert rf.report.status.value in ("已定稿", "已导出")
    assert finals > 0 and interrupted > 0


def test_kill_during_district_load_keeps_the_database_whole(tmp_path):
    files = write_street_files(tmp_path / "in")
    rng = random.Random(7)
    partial = 0
    for k in range(12):
        dbdir = tmp_path / f"k{k}"
        dbdir.mkdir()
        _kill_after(["district", str(dbdir), *map(str, files)], rng.uniform(0.05, 0.8))
        for db_path in dbdir.glob("db*.sqlite"):
            conn = sqlite3.connect(db_path)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
            db = open_district_db(db_path, create=False)
            units = db.units()  # opens and reads: whatever was committed is whole
            db.close()
            partial += len(units) < len(files)
    assert partial > 0  # some kills landed in the middle of a load
