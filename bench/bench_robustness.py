r"""Issue 8: the long variants of the crash and fuzz suites, as figures.

- fuzz: 1,000 seeded corrupted report files through the office reader (and the district's
  untrusted loader when present): cases run, refused with a message, crashes (must be 0);
  baseline: bare sqlite3 open + quick_check of the same files, same run.
- crash: SIGKILL during real edits, 200 kills: committed edits checked, lost (must be 0).

Issue 16:

- hostile: the crafted files of ``tests.fuzzing`` (extreme decimals, non-characters, formula
  prefixes, many indicators under one group, long digit runs, 100,000 rows …) through the
  office reader, check and print, and the district loader: crashes (must be 0).
- worst check: ``open`` + ``check`` of the slowest file the limits accept (each hostile
  paragraph shape filling the report's text limit), against the example in the same run;
  target < 1 s.
- linear parsing: a paragraph of 10k, 20k and 40k digits (12.6 s, 47 s and 195 s before the
  fix), against a plain ``re.findall(r"\d+")`` over the same text.
- lock: processes taking the report's lock a fixed number of rounds: overlaps and lost updates
  (must be 0), time per round against a bare flock on a file of its own.
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
from tests.fuzzing import HOSTILE_PARAGRAPHS, HOSTILE_VALUES, ODD_BUT_ALLOWED, cases, craft

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


def hostile() -> list[Row]:
    """Every crafted file through every reader and output: refused in Chinese or handled."""
    from nanzhou_desktop.render.pdf import RenderError, render_pdf
    from nanzhou_desktop.rules import check

    tmp = Path(tempfile.mkdtemp())
    src = write_example(tmp / "src.sqlite")
    loader = _district_loader()
    crashes: list[str] = []
    refused = printed = 0
    for i, (what, sql) in enumerate(HOSTILE_VALUES + ODD_BUT_ALLOWED):
        path = craft(src, tmp / f"hostile{i}.sqlite", sql)
        try:
            with open_report_file(path, read_only=True) as rf:
                report = rf.report
            result = check(report)
            render_pdf(report, tmp / f"hostile{i}.pdf", result=result)
            printed += 1
        except (ReportFileError, RenderError):
            refused += 1
        except Exception as exc:  # noqa: BLE001 - counted: must be zero
            crashes.append(f"{what}: {type(exc).__name__}")
        if loader is not None:
            try:
                loader(path)
            except ReportFileError:
                pass
            except Exception as exc:  # noqa: BLE001
                crashes.append(f"district {what}: {type(exc).__name__}")
    n = len(HOSTILE_VALUES) + len(ODD_BUT_ALLOWED)
    return [Row(f"hostile: {n} crafted files through the office reader, check, print and the district loader",
                len(crashes), "crashes", target="0", ok=not crashes,
                note=f"{refused} refused in Chinese, {printed} printed; " + ("; ".join(crashes) or "no crash"))]


def worst_check() -> list[Row]:
    """open + check (cold) of the slowest file the limits accept, against the example."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.limits import REPORT_TEXT_CHARS
    from nanzhou_desktop.rules import check, clear_caches
    from nanzhou_desktop.store.reportfile import create_report_file

    tmp = Path(tempfile.mkdtemp())
    base = example_report()
    room = REPORT_TEXT_CHARS - sum(len(s.body) for s in base.sections) - 50_000  # the other fields' text

    def open_and_check(path: Path) -> float:
        best = float("inf")
        for _ in range(3):
            clear_caches()
            t = time.perf_counter()
            with open_report_file(path, read_only=True) as rf:
                check(rf.report)
            best = min(best, time.perf_counter() - t)
        return best * 1000

    example = create_report_file(tmp / "example.sqlite", base)
    baseline = open_and_check(example)
    worst, worst_shape = 0.0, ""
    for shape, make in HOSTILE_PARAGRAPHS.items():
        r = example_report()
        r.sections[0].body = make(room)[:room]
        path = create_report_file(tmp / f"{shape}.sqlite", r)
        ms = open_and_check(path)
        if ms > worst:
            worst, worst_shape = ms, shape
    return [Row("worst check: open + check of the slowest file the limits accept", worst, "ms",
                "open + check of the example", baseline, target="< 1000 ms", ok=worst < 1000,
                note=f"slowest shape: {worst_shape}, {room:,} characters")]


def linear_parse() -> list[Row]:
    """The issue's paragraphs of 10k, 20k and 40k digits."""
    import re

    from nanzhou_desktop.rules.narrative import clear_caches, parse_paragraph

    rows = []
    times = {}
    for n, before in ((10_000, "12.6 s"), (20_000, "47 s"), (40_000, "195 s")):
        text = "9" * n
        t = time.perf_counter()
        for _ in range(20):
            clear_caches()
            parse_paragraph(text, 60)
        times[n] = (time.perf_counter() - t) / 20 * 1000
        t = time.perf_counter()
        for _ in range(20):
            re.findall(r"\d+", text)
        bare = (time.perf_counter() - t) / 20 * 1000
        rows.append(Row(f"linear parsing: one paragraph of {n:,} digits", times[n], "ms", "re.findall(r'\\d+')",
                        bare, note=f"before the fix: {before}"))
    growth = times[40_000] / times[10_000]
    rows.append(Row("linear parsing: 4× the digits, time growth", growth, "×", target="≈ 4 (quadratic: 16)",
                    ok=growth < 8))
    return rows


def _lock_worker(path: str, rounds: int, start: object) -> None:
    from nanzhou_desktop.store.lock import FileInUse, ReportLock

    start.wait()  # type: ignore[attr-defined]
    lock = ReportLock(Path(path))
    counter, inside = Path(path + ".count"), path + ".inside"
    done = 0
    while done < rounds:
        try:
            lock.acquire()
        except FileInUse:
            continue
        try:
            try:
                fd = os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                with open(path + ".overlaps", "a") as fh:
                    fh.write("x")
                fd = None
            counter.write_text(str(int(counter.read_text() or "0") + 1))
            if fd is not None:
                os.close(fd)
                os.unlink(inside)
        finally:
            lock.release()
        done += 1


def lock_rounds() -> list[Row]:
    import fcntl
    import multiprocessing

    processes, rounds = 4, 500
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "r.sqlite"
    (tmp / "r.sqlite.count").write_text("0")
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    workers = [ctx.Process(target=_lock_worker, args=(str(path), rounds, start)) for _ in range(processes)]
    for w in workers:
        w.start()
    t = time.perf_counter()
    start.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t
    overlaps = len((tmp / "r.sqlite.overlaps").read_text()) if (tmp / "r.sqlite.overlaps").exists() else 0
    lost = processes * rounds - int((tmp / "r.sqlite.count").read_text())
    # baseline: the same number of rounds of a bare flock on one file kept open, one process
    fd = os.open(tmp / "bare.lock", os.O_RDWR | os.O_CREAT)
    t = time.perf_counter()
    for _ in range(processes * rounds):
        fcntl.flock(fd, fcntl.LOCK_EX)
        fcntl.flock(fd, fcntl.LOCK_UN)
    bare = time.perf_counter() - t
    os.close(fd)
    return [
        Row(f"lock: {processes} processes × {rounds} rounds, overlapping holders / lost updates", overlaps + lost,
            "count", target="0", ok=overlaps + lost == 0, note=f"{overlaps} overlaps, {lost} lost"),
        Row("lock: time per round (open, lock, verify, unlink, close)", elapsed / (processes * rounds) * 1000, "ms",
            "bare flock/unlock of one open file", bare / (processes * rounds) * 1000),
    ]


def run() -> list[Row]:
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    return fuzz() + crash() + hostile() + worst_check() + linear_parse() + lock_rounds()
