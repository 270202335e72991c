"""Issue 2: creating the example file, opening it, committing one field edit.

Baseline: the same work with bare sqlite3 (create the same rows / open and SELECT them /
one UPDATE with the same journal settings), in the same run.
"""

from __future__ import annotations

import sqlite3
import tempfile
from itertools import count
from pathlib import Path

from common import Row, median, timings

from nanzhou_desktop.example import write_example
from nanzhou_desktop.store.reportfile import open_report_file


def run() -> list[Row]:
    tmp = Path(tempfile.mkdtemp())
    n = count()
    create = timings(lambda: write_example(tmp / f"c{next(n)}.sqlite"), runs=30)
    path = tmp / "c0.sqlite"

    def open_close() -> None:
        open_report_file(path, read_only=True).close()

    opening = timings(open_close, runs=50)

    def bare_read() -> None:
        conn = sqlite3.connect(path)
        for t in ("report", "sections", "tasks", "task_items", "budget_rows", "projects", "indicators", "explanations"):
            conn.execute(f"SELECT * FROM {t}").fetchall()
        conn.close()

    bare_open = timings(bare_read, runs=50)
    rf = open_report_file(path)
    row = rf.report.budget_total_row
    values = count(19000)
    edit = timings(lambda: rf.set_field("budget_rows", row.id, "executed", str(next(values))), runs=300)
    rf.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")

    def bare_update() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE budget_rows SET executed = ? WHERE id = ?", (str(next(values)), row.id))
        conn.execute("COMMIT")

    bare_edit = timings(bare_update, runs=300)
    conn.close()
    e = median(edit)
    return [
        Row("create the example report file (median of 30)", median(create), "ms"),
        Row("open the example report file (median of 50)", median(opening), "ms",
            "bare sqlite3 open + SELECT all tables", median(bare_open)),
        Row("commit one field edit, with audit (median of 300)", e, "ms",
            "bare sqlite3 UPDATE + COMMIT, same journal", median(bare_edit), "< 5 ms", e < 5),
    ]
