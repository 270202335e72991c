"""The measured side of bench_district_scale.py, run in a fresh process per figure (so that peak
memory, caches and imports are those of one job).  Prints one JSON object on stdout.

    python bench/district_child.py bare LIST
    python bench/district_child.py load DB LIST [LIST2]
    python bench/district_child.py window DB
    python bench/district_child.py openpyxl N
    python bench/district_child.py crafted DB LIST

LIST is a text file of paths, one a line.  Timings are wall seconds (perf_counter).
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TABLES = ("report", "sections", "tasks", "task_items", "budget_rows", "projects", "indicators", "explanations",
          "audit", "exports", "_sqlite_migrations")


def _paths(list_file: str) -> list[Path]:
    return [Path(line) for line in Path(list_file).read_text(encoding="utf-8").splitlines() if line]


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bare(list_file: str) -> dict:
    """The baseline: open each file with sqlite3 and SELECT every table."""
    paths = _paths(list_file)
    t = time.perf_counter()
    for p in paths:
        conn = sqlite3.connect(p)
        for table in TABLES:
            conn.execute(f"SELECT * FROM {table}").fetchall()
        conn.close()
    return {"seconds": time.perf_counter() - t, "files": len(paths)}


def _forkserver_peak_mib() -> float:
    """Peak memory of multiprocessing's fork server (the workers' parent), 0 when none ran."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if not pid:
        return 0.0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kib = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return kib / 1024


def BLOCKS_AT(n: int) -> tuple[int, ...]:  # noqa: N802 - a table of positions, named as one
    """Where the marks of a load of ``n`` files fall: a stretch of 2,000 files after the first
    1,000 (caches warm), and the last 2,000 (the database nearly full)."""
    return (1000, 3000, n - 2000, n) if n >= 6000 else ()


def load(db_path: str, list_file: str, second: str | None = None, workers: str = "auto") -> dict:
    """Load the files into a new database (and then a second list into the same one).
    ``workers``: "auto" as the program decides (worker processes for 200 files or more), or a
    number (0: every file read in this process)."""
    from nanzhou_desktop.district import parallel
    from nanzhou_desktop.district.db import Outcome, open_district_db
    from nanzhou_desktop.rules import clear_caches

    paths = _paths(list_file)
    # Warm the imports, the expected-schema cache and the reader connection, as a running app has them.
    scratch = Path(tempfile.mkdtemp()) / "warm.sqlite"
    warm = open_district_db(scratch)
    warm.load_files(paths[:1])
    warm.close()
    clear_caches()
    rss_before = _maxrss_mib()
    db = open_district_db(db_path)
    n_workers = None if workers == "auto" else int(workers)
    parallel.LAST_BATCH.workers = 0
    # Marks along the load (after file i): wall seconds and user CPU of this process and of the
    # workers so far (a worker's figure arrives with its results, a few files ahead), so that one
    # stretch of the load can be compared with another of the same run.
    marks: dict[int, tuple[float, float]] = {}
    mark_at = set(BLOCKS_AT(len(paths)))

    def mark(i: int, _res: object) -> None:
        if i + 1 in mark_at:
            marks[i + 1] = (time.perf_counter(), os.times().user + sum(parallel.LAST_BATCH.worker_cpu_s.values()))

    t, c, u = time.perf_counter(), time.process_time(), os.times().user
    results = db.load_files(paths, workers=n_workers, progress=mark)
    seconds, cpu, user = time.perf_counter() - t, time.process_time() - c, os.times().user - u
    out = {"seconds": seconds, "cpu_seconds": cpu, "user_cpu_seconds": user, "files": len(paths),
           "refused": sum(r.outcome == Outcome.REFUSED for r in results), "rss_before_mib": rss_before,
           "workers": parallel.LAST_BATCH.workers,
           "worker_peak_rss_mib": sorted(parallel.LAST_BATCH.worker_peak_rss_mib.values()),
           "worker_user_cpu_seconds": sum(parallel.LAST_BATCH.worker_cpu_s.values()),
           "forkserver_peak_rss_mib": _forkserver_peak_mib(),
           "marks": {str(k): v for k, v in sorted(marks.items())}}
    if second:
        more = _paths(second)
        clear_caches()
        t, c = time.perf_counter(), time.process_time()
        results = db.load_files(more, workers=n_workers)
        out["second_seconds"] = time.perf_counter() - t
        out["second_cpu_seconds"] = time.process_time() - c
        out["second_files"] = len(more)
        out["second_refused"] = sum(r.outcome == Outcome.REFUSED for r in results)
    out["reports"] = db.count()
    db.close()
    out["maxrss_mib"] = _maxrss_mib()
    return out


def crafted(db_path: str, list_file: str) -> dict:
    """The district suite's crafted files mixed into a batch of good ones."""
    from nanzhou_desktop.district.db import Outcome, open_district_db
    from tests.core.test_district_safe_open import CRAFTED

    good = _paths(list_file)
    root = Path(tempfile.mkdtemp())
    made = []
    for i, (make, reason) in enumerate(CRAFTED):
        sub = root / f"{i:02d}"
        sub.mkdir()
        made.append((make(sub), reason))
    batch = list(good)
    rng = random.Random(18)
    for path, _ in made:
        batch.insert(rng.randrange(len(batch) + 1), path)
    db = open_district_db(db_path)
    results = db.load_files(batch)
    by_name: dict[str, list] = {}
    for r in results:
        by_name.setdefault(r.file_name, []).append(r)
    right = sum(any(r.outcome == Outcome.REFUSED and reason in r.message for r in by_name.get(p.name or str(p), []))
                for p, reason in made)
    ok = db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    loaded = db.count()
    db.close()
    return {"crafted": len(made), "refused_with_reason": right, "good": len(good), "loaded": loaded,
            "integrity_ok": ok}


def window(db_path: str) -> dict:
    """Open the district window on the database offscreen; sort, filter, scroll and select."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nanzhou_desktop.district.db import open_district_db
    from nanzhou_desktop.district.summary import COLUMNS
    from nanzhou_desktop.gui.app import make_app
    from nanzhou_desktop.gui.district_window import DistrictWindow

    app = make_app()
    # A first window on an empty database: Qt's own first-use costs (fonts, styles) are not ours.
    warm_db = open_district_db(Path(tempfile.mkdtemp()) / "warm.sqlite")
    warm = DistrictWindow(warm_db)
    warm.show()
    app.processEvents()
    warm.close()
    app.processEvents()

    t, c = time.perf_counter(), time.process_time()
    db = open_district_db(db_path, create=False)
    w = DistrictWindow(db)
    w.resize(1366, 768)
    w.show()
    app.processEvents()
    w.table.viewport().repaint()
    w.chart.repaint()
    opened, opened_cpu = time.perf_counter() - t, time.process_time() - c
    reports = w.model.total

    cpu: dict[str, list[float]] = {}

    def timed(action, kind: str = "") -> float:  # noqa: ANN001
        t0, c0 = time.perf_counter(), time.process_time()
        action()
        QApplication.processEvents()
        w.table.viewport().repaint()
        cpu.setdefault(kind, []).append((time.process_time() - c0) * 1000)
        return (time.perf_counter() - t0) * 1000

    rng = random.Random(7)
    from PySide6.QtCore import Qt

    keys = [i for i, c in enumerate(COLUMNS) if c.key not in ("note", "city")]
    sort = [timed(lambda c=c, o=o: w.table.sortByColumn(c, o), "sort")
            for _ in range(3) for c in keys
            for o in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)]
    f = w.form
    steps = [
        lambda: f.filter_text.setText("小学"), lambda: f.filter_text.setText("局"), lambda: f.filter_text.setText(""),
        lambda: f.filter_district.setCurrentIndex(min(3, f.filter_district.count() - 1)),
        lambda: f.filter_grade.setCurrentIndex(2), lambda: f.filter_status.setCurrentIndex(1),
        lambda: f.filter_errors.setChecked(True), lambda: f.filter_errors.setChecked(False),
        lambda: f.filter_status.setCurrentIndex(0), lambda: f.filter_grade.setCurrentIndex(0),
        lambda: f.filter_district.setCurrentIndex(0), lambda: f.filter_kind.setCurrentIndex(1),
        lambda: f.filter_kind.setCurrentIndex(0),
    ]
    filt = [timed(step, "filter") for _ in range(4) for step in steps]
    bar = w.table.verticalScrollBar()
    scroll = []
    for _ in range(60):  # page by page, and jumps, into rows not shown before (fetchMore at the end)
        scroll.append(timed(lambda: bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep())), "scroll"))
    for _ in range(40):
        scroll.append(timed(lambda: bar.setValue(rng.randint(0, bar.maximum())), "scroll"))
    select = []
    for _ in range(60):
        first = w.table.rowAt(0)
        row = max(0, first) + rng.randint(0, 10)
        select.append(timed(lambda row=row: w.table.selectRow(row), "select"))
    w.close()
    app.processEvents()

    def stats(xs: list[float]) -> dict:
        s = sorted(xs)
        return {"median": statistics.median(s), "p99": s[min(len(s) - 1, round(0.99 * (len(s) - 1)))], "n": len(s)}

    # CPU time beside wall time: on a shared machine the wall clock also counts other people's work.
    return {"open_seconds": opened, "open_cpu_seconds": opened_cpu, "reports": reports, "sort": stats(sort),
            "filter": stats(filt), "scroll": stats(scroll), "select": stats(select),
            "cpu": {k: stats(v) for k, v in cpu.items()}, "maxrss_mib": _maxrss_mib()}


def plain_openpyxl(n: str) -> dict:
    """The baseline of the summary workbook: openpyxl's write-only mode, the same number of rows
    and columns of plain values, no formatting."""
    from openpyxl import Workbook

    rows = int(n)
    out = Path(tempfile.mkdtemp()) / "plain.xlsx"
    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("plain")
    ws.append([f"列{i}" for i in range(19)])
    for i in range(rows):
        ws.append([f"广州市海珠区某某单位{i}", "海珠区", "部门", "广州市", 2022, 1, "已定稿", "待审核", 12345.67 + i,
                   12000.12 + i, 0.9712, 93.5, "优", 0, 2, "2（均已说明）", "一致", "未核对", ""])
    wb.save(out)
    return {"seconds": time.perf_counter() - t, "rows": rows}


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    result = {"bare": bare, "load": load, "window": window, "openpyxl": plain_openpyxl, "crafted": crafted}[mode](*args)
    print(json.dumps(result))
