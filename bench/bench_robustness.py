"""Issue 8: the long variants of the crash and fuzz suites, as figures.

- fuzz: 1,000 seeded corrupted report files through the office reader (and the district's
  untrusted loader when present): cases run, refused with a message, crashes (must be 0);
  baseline: bare sqlite3 open + quick_check of the same files, same run.
- crash: SIGKILL during real edits, 200 kills: committed edits checked, lost (must be 0).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import ROOT, Row

from nanzhou_desktop.example import write_example
from nanzhou_desktop.store.errors import ReportFileError
from nanzhou_desktop.store.reportfile import open_report_file
from tests.fuzzing import cases

FUZZ_CASES = 1000
KILLS = 200


def _district_loader():
    try:
        from nanzhou_desktop.district.safe_open import load_received
    except ImportError:
        return None
    return load_received


def fuzz() -> list[Row]:
    tmp = Path(tempfile.mkdtemp())
    src = write_example(tmp / "src.sqlite")
    files = cases(src, tmp, FUZZ_CASES, seed=8)
    crashes = refused = 0
    t = time.perf_counter()
    for path, _how in files:
        try:
            open_report_file(path, read_only=True).close()
        except ReportFileError:
            refused += 1
        except Exception:  # noqa: BLE001 - counted: must be zero
            crashes += 1
    office = time.perf_counter() - t
    t = time.perf_counter()
    for path, _how in files:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            conn.execute("PRAGMA quick_check").fetchall()
            conn.close()
        except (sqlite3.Error, UnicodeError):
            pass  # the baseline only reads; its refusals are not counted
    bare = time.perf_counter() - t
    rows = [
        Row(f"fuzz: {FUZZ_CASES} corrupted files through the office reader (total)", office * 1000, "ms",
            "bare sqlite3 open + quick_check", bare * 1000, note=f"{refused} refused with a message"),
        Row("fuzz: office reader crashes (exception other than a clear refusal)", crashes, "count",
            target="0", ok=crashes == 0),
    ]
    loader = _district_loader()
    if loader is not None:
        d_crashes = d_refused = 0
        t = time.perf_counter()
        for path, _how in files:
            try:
                loader(path)
            except ReportFileError:
                d_refused += 1
            except Exception:  # noqa: BLE001
                d_crashes += 1
        district = time.perf_counter() - t
        rows.append(Row(f"fuzz: {FUZZ_CASES} corrupted files through the district loader (total)", district * 1000, "ms",
                        "bare sqlite3 open + quick_check", bare * 1000, note=f"{d_refused} refused"))
        rows.append(Row("fuzz: district loader crashes", d_crashes, "count", target="0", ok=d_crashes == 0))
    return rows


def crash() -> list[Row]:
    tmp = Path(tempfile.mkdtemp())
    path = write_example(tmp / "crash.sqlite")
    rng = random.Random(2023)
    tasks: list[int] = []
    money: list[int] = []
    lost = 0
    for k in range(KILLS):
        child = subprocess.Popen([sys.executable, "-m", "tests.crash_child", str(path), str(k * 1_000_000), str(k)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        child.stdout.readline()
        time.sleep(rng.uniform(0, 0.2))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        for line in out.splitlines():
            if line.startswith("OK "):
                _, n, op = line.split()
                (tasks if op == "task" else money if op == "money" else []).append(int(n))
        with open_report_file(path) as rf:
            titles = {t.title for t in rf.report.tasks}
            lost += sum(f"崩溃测试任务{n}" not in titles for n in tasks)
            if money and rf.report.budget_total_row.executed < Decimal(max(money)):
                lost += 1
    return [Row(f"crash: SIGKILL during edits ({KILLS} kills, {len(tasks) + len(money)} committed edits checked)",
                lost, "lost edits", target="0", ok=lost == 0)]


def run() -> list[Row]:
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    return fuzz() + crash()
