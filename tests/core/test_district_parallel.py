"""A large batch read by worker processes (nanzhou_desktop.district.parallel): the same results
and the same database as one process, in the batch's order; a worker that dies, workers that
cannot start, a surprise in a worker and a cancel all end as they would without workers."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from nanzhou_desktop.district import parallel
from nanzhou_desktop.district.db import Outcome, open_district_db
from nanzhou_desktop.district.testdata import write_units
from tests.core.test_district_safe_open import forged_status, invalid_utf8, not_sqlite, truncated


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """48 units' files, four crafted ones among them, and one file sent twice."""
    root = tmp_path_factory.mktemp("parallel")
    files = write_units(root / "2022", 48, 2022, seed=5)
    crafted = []
    for make in (not_sqlite, truncated, forged_status, invalid_utf8):
        d = root / make.__name__
        d.mkdir()
        crafted.append(make(d))
    out = list(files)
    for k, path in enumerate(crafted):
        out.insert(5 + 11 * k, path)
    out.insert(30, files[2])  # the same file again: 已装入过
    return out


def _load(tmp_path: Path, name: str, files: list[Path], **kw: Any) -> tuple[list[tuple[str, str, str]], list[tuple]]:
    db = open_district_db(tmp_path / name)
    try:
        results = db.load_files(files, **kw)
        rows = db.conn.execute(
            "SELECT uuid, revision, unit_full_name, status, fingerprint, fingerprint_ok, score, grade, errors, warnings,"
            " file_name, file_sha256, file_size, history FROM reports ORDER BY id").fetchall()
        contents = db.conn.execute("SELECT content FROM contents ORDER BY report_id").fetchall()
    finally:
        db.close()
    return [(r.file_name, str(r.outcome), r.message) for r in results], [*map(tuple, rows), *map(tuple, contents)]


@pytest.fixture(scope="module")
def serial(batch, tmp_path_factory) -> tuple[list, list]:
    return _load(tmp_path_factory.mktemp("serial"), "one.sqlite", batch, workers=0)


def test_workers_load_exactly_what_one_process_loads(tmp_path: Path, batch, serial) -> None:
    results, rows = _load(tmp_path, "workers.sqlite", batch, workers=2)
    assert parallel.LAST_BATCH.workers == 2 and len(parallel.LAST_BATCH.worker_peak_rss_mib) >= 1
    assert sum(parallel.LAST_BATCH.worker_cpu_s.values()) > 0
    assert os.getpid() not in parallel.LAST_BATCH.worker_peak_rss_mib  # read elsewhere, really
    assert results == serial[0]  # the same outcome and message for every file, in the batch's order
    assert rows == serial[1]  # the same reports, summary rows and contents, in the same order
    outcomes = [o for _, o, _ in results]
    assert outcomes.count(str(Outcome.REFUSED)) == 4 and outcomes.count(str(Outcome.PRESENT)) == 1


def test_a_small_batch_is_read_here_and_a_large_one_by_workers(monkeypatch) -> None:
    assert parallel.worker_count(parallel.PARALLEL_MIN - 1) == 0  # starting workers would cost more
    assert parallel.worker_count(10_000, workers=1) == 0
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    assert parallel.worker_count(10_000) == 0  # one processor: nothing to share
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 16)
    assert parallel.worker_count(10_000) == parallel.MAX_WORKERS


def test_workers_that_cannot_start_leave_the_batch_to_this_process(tmp_path: Path, batch, serial, monkeypatch) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise OSError(38, "Function not implemented")  # e.g. no semaphores in a locked-down session

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    assert _load(tmp_path, "w.sqlite", batch, workers=2) == serial


def test_workers_that_fail_to_start_on_the_first_task_leave_the_batch_here(tmp_path: Path, batch, serial,
                                                                           monkeypatch) -> None:
    # The pool starts its processes at the first task: a system out of processes (EAGAIN) says so there.
    class NoProcesses(_InlinePool):
        def submit(self, fn: Any, *args: Any) -> Future:
            raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: NoProcesses())
    assert _load(tmp_path, "w.sqlite", batch, workers=2) == serial


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_worker_killed_midway_leaves_the_rest_to_this_process(tmp_path: Path, batch, serial) -> None:
    killed: list[int] = []

    def kill_one(i: int, _res: Any) -> None:
        if not killed and parallel.LAST_BATCH.worker_peak_rss_mib:
            pid = next(iter(parallel.LAST_BATCH.worker_peak_rss_mib))
            os.kill(pid, signal.SIGKILL)  # as the system's out-of-memory killer would
            killed.append(i)

    assert _load(tmp_path, "w.sqlite", batch, workers=2, progress=kill_one) == serial
    assert killed == [0]


class _InlinePool:
    """A stand-in for the process pool that runs each task here, and breaks after ``tasks``."""

    def __init__(self, *_a: Any, tasks: int = 10**9, **_k: Any) -> None:
        self.tasks, self.shutdowns = tasks, []

    def submit(self, fn: Any, *args: Any) -> Future:
        f: Future = Future()
        if self.tasks <= 0:
            f.set_exception(BrokenProcessPool("a worker died"))
        else:
            f.set_result(fn(*args))
        self.tasks -= 1
        return f

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.shutdowns.append(cancel_futures)


def test_a_broken_pool_after_some_tasks_gives_the_same_results(tmp_path: Path, batch, serial, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: _InlinePool(tasks=2))
    assert _load(tmp_path, "w.sqlite", batch, workers=2) == serial


def test_a_worker_that_hangs_is_given_up_and_the_rest_read_here(tmp_path: Path, batch, serial, monkeypatch) -> None:
    class Hanging(_InlinePool):
        killed = 0

        def submit(self, fn: Any, *args: Any) -> Future:
            return Future() if self.tasks <= 1 else super().submit(fn, *args)  # the third task never returns

    pools: list[Hanging] = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: pools.append(Hanging(tasks=3)) or pools[-1])
    monkeypatch.setattr(parallel, "TASK_TIMEOUT_S", 0.05)
    monkeypatch.setattr(parallel, "_kill_workers", lambda pool: setattr(pool, "killed", pool.killed + 1))
    assert _load(tmp_path, "w.sqlite", batch, workers=2) == serial
    assert pools[0].killed == 1


def test_a_surprise_in_a_worker_is_raised_here_as_without_workers(batch, monkeypatch) -> None:
    real = parallel.load_received
    bad = batch[12]

    def surprising(p: Any, **kw: Any) -> Any:
        if Path(p) == bad:
            raise ValueError("a bug, not the file")
        return real(p, **kw)

    monkeypatch.setattr(parallel, "load_received", surprising)
    assert parallel._read_chunk([str(batch[11]), str(bad)], 10**7)[3][1] is None  # the worker does not say
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: _InlinePool())
    for workers in (0, 2):
        got = []
        with pytest.raises(ValueError, match="a bug"):
            for item in parallel.read_received_files(batch, workers=workers):
                got.append(item)
        assert len(got) == 12  # every file before it, then the same exception as in one process


def test_cancel_stops_the_workers_and_keeps_what_was_loaded(tmp_path: Path, batch, monkeypatch) -> None:
    pools: list[Any] = []
    real = parallel.ProcessPoolExecutor

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, **k)
            self.calls: list[bool] = []
            pools.append(self)

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            self.calls.append(cancel_futures)
            super().shutdown(wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Recording)
    db = open_district_db(tmp_path / "d.sqlite")
    results = db.load_files(batch, workers=2, progress=lambda i, _r: i < 3)
    count = db.count()
    db.close()
    assert len(results) == 4 and count == 4  # the first four files (all good), and no more
    assert len(pools) == 1 and pools[0].calls == [True]  # the queued tasks were dropped
    conn = sqlite3.connect(tmp_path / "d.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_load_uses_a_small_page_cache_and_gives_the_window_its_large_one_back(tmp_path: Path, batch) -> None:
    # The window's 64 MiB cache holds the summary rows for its sorts; a load writes each page once
    # and would only fill it (50 MiB more memory at 2,000 files, no faster).
    db = open_district_db(tmp_path / "d.sqlite")
    during: list[int] = []
    db.load_files(batch[:3], progress=lambda _i, _r: during.append(db.conn.execute("PRAGMA cache_size").fetchone()[0]))
    after = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.close()
    assert set(during) == {-16384} and after == -65536


def _load_and_report_workers(db_path: str, files: list[str], pids_file: str) -> None:
    """A loading process that writes its workers' pids once it has their first results, and
    then waits (so that the kill lands with the load in the middle)."""
    import time

    db = open_district_db(db_path)

    def progress(_i: int, _res: Any) -> None:
        if parallel.LAST_BATCH.worker_peak_rss_mib and not Path(pids_file).exists():
            Path(pids_file).write_text(" ".join(map(str, parallel.LAST_BATCH.worker_peak_rss_mib)))
            time.sleep(60)

    db.load_files([Path(f) for f in files], workers=2, progress=progress)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, SIGKILL")
def test_workers_end_when_the_loading_process_is_killed(tmp_path: Path, batch) -> None:
    # The window killed from the task manager: its workers must not stay behind, holding memory.
    import multiprocessing
    import time

    pids_file = tmp_path / "pids.txt"
    ctx = multiprocessing.get_context("forkserver")
    child = ctx.Process(target=_load_and_report_workers,
                        args=(str(tmp_path / "d.sqlite"), [str(p) for p in batch], str(pids_file)))
    child.start()
    deadline = time.monotonic() + 120
    while not pids_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    pids = [int(x) for x in pids_file.read_text().split()]
    assert pids and all(_running(p) for p in pids)
    child.kill()
    child.join()
    deadline = time.monotonic() + 20
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(p) for p in pids)
