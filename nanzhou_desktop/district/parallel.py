"""Reading and re-checking a large batch of received files on several processes.

A city bureau loads thousands of files at once, a province tens of thousands.  Reading and
re-checking one (:func:`~nanzhou_desktop.district.safe_open.load_received`: the integrity and
schema checks, every value, the fingerprint, the rules) is about 4 ms of Python, and nearly
all of it holds the interpreter's lock: threads do not help (measured: a reading thread beside
the checking one made loading slower).  So a batch of at least :data:`PARALLEL_MIN` files is
read by worker processes, a few files to a task, while the calling process receives the
results **in the batch's order** and writes them (only the caller ever writes the database).

Nothing changes for the caller but the time: every file gives the same
:class:`~nanzhou_desktop.district.safe_open.ReceivedReport` or
:class:`~nanzhou_desktop.district.safe_open.RefusedFile` as when read in this process.  A
surprise in a worker (an exception that is not a refusal) is not reported from there: that file
is read again here, so that it behaves exactly as it would without workers.  When the workers
cannot be started, or stop (a worker killed, memory exhausted), the rest of the batch is read
here.  Closing the iterator early (a cancelled load) stops the workers.

The workers start from a fork server on Linux (a fork of a process with threads, such as the
window's, is unsafe) and are spawned elsewhere; a frozen build calls
``multiprocessing.freeze_support()`` first thing (``nanzhou_desktop/__main__.py``).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nanzhou_desktop.district.safe_open import DEFAULT_MAX_BYTES, ReceivedReport, RefusedFile, load_received

log = logging.getLogger(__name__)

# Below this many files the workers' start (~0.3 s) costs more than they save.
PARALLEL_MIN = 200
CHUNK_FILES = 8  # files per task: fewer round trips, and a cancel waits for at most one task per worker
MAX_WORKERS = 4  # the calling process unpickles and writes every result: more workers only queue
_IN_FLIGHT_PER_WORKER = 2  # tasks handed out ahead per worker: bounded memory, no idle worker
# A task (CHUNK_FILES files of at most 20 MB each, a few seconds at worst) not back after this
# long means a worker that hangs: the batch goes on here rather than waiting for ever.
TASK_TIMEOUT_S = 300.0

Received = ReceivedReport | RefusedFile


@dataclass
class BatchStats:
    """What the last batch read with workers used (for the bench: memory is the process's own
    plus each worker's)."""

    workers: int = 0
    worker_peak_rss_mib: dict[int, float] = field(default_factory=dict)  # by worker pid
    # CPU time each worker spent in its own code, by pid (user time: the system's time reading
    # the files follows the page cache, not the loader)
    worker_cpu_s: dict[int, float] = field(default_factory=dict)


LAST_BATCH = BatchStats()


def usable_cpus() -> int:
    """The processors this process may run on."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(files: int, workers: int | None = None) -> int:
    """How many worker processes a batch of ``files`` gets (0: read in this process)."""
    if workers is None:
        if files < PARALLEL_MIN:
            return 0
        workers = min(MAX_WORKERS, usable_cpus())
    return workers if workers >= 2 else 0


def read_received_files(paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES,
                        workers: int | None = None) -> Iterator[Received]:
    """Each file of ``paths``, read and re-checked, in order: its ReceivedReport, or the
    RefusedFile saying why it is refused.  ``workers``: None decides by the batch's size and
    the machine; 0 or 1 reads every file in this process."""
    n = worker_count(len(paths), workers)
    if n == 0:
        yield from _serial(paths, max_bytes)
        return
    try:
        pool = ProcessPoolExecutor(n, mp_context=_context(), initializer=_worker_init)
    except (OSError, ValueError, RuntimeError) as exc:  # no processes allowed here: read them all here
        # Logged, not shown: nothing changes for the user but the time it takes.
        log.info("reading %d files in this process: workers not started (%s)", len(paths), exc)
        yield from _serial(paths, max_bytes)
        return
    LAST_BATCH.workers, LAST_BATCH.worker_peak_rss_mib, LAST_BATCH.worker_cpu_s = n, {}, {}
    chunks = [list(paths[i:i + CHUNK_FILES]) for i in range(0, len(paths), CHUNK_FILES)]
    pending: deque[Future[tuple[int, float, float, list[Received | None]]]] = deque()
    handed = 0
    broken = False
    try:
        for chunk in chunks:
            while not broken and handed < len(chunks) and len(pending) < n * _IN_FLIGHT_PER_WORKER:
                try:
                    pending.append(pool.submit(_read_chunk, [str(p) for p in chunks[handed]], max_bytes))
                except Exception as exc:  # noqa: BLE001 - workers start here: no processes left (EAGAIN), a broken pool
                    log.info("workers stopped or not started (%r): the rest is read in this process", exc)
                    broken = True
                    break
                handed += 1
            results: list[Received | None] | None = None
            if pending:
                try:
                    pid, rss, cpu, results = pending.popleft().result(timeout=TASK_TIMEOUT_S)
                    LAST_BATCH.worker_peak_rss_mib[pid], LAST_BATCH.worker_cpu_s[pid] = rss, cpu
                except Exception as exc:  # noqa: BLE001 - a worker killed or hanging, a result that would not travel
                    log.info("workers stopped (%r): the rest is read in this process", exc)
                    if isinstance(exc, TimeoutError):  # hanging: it would hold up the exit (the others are let go)
                        _kill_workers(pool)
                    broken = True
            if broken:
                # Every task not yet received is read here, in order, from this chunk on.
                pending.clear()
                handed = len(chunks)
                results = None
            if results is None:
                yield from _serial(chunk, max_bytes)
                continue
            for p, got in zip(chunk, results, strict=True):
                if got is None:  # a surprise in the worker: read here, to behave as without workers
                    yield from _serial([p], max_bytes)
                else:
                    yield got
    finally:
        # Cancelled or done: the tasks not started are dropped, and each worker ends after the one
        # in hand (at most CHUNK_FILES files).  Not killed: a worker killed while handing back a
        # result leaves half a message in the pipe, and the pool's manager thread then waits for
        # the rest for ever, which holds up the program's exit (seen in a test).
        pool.shutdown(wait=False, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers at once (a hanging one would otherwise hold up the exit)."""
    if hasattr(pool, "kill_workers"):  # Python 3.14
        pool.kill_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):  # already gone
            pass


def _serial(paths: Sequence[str | Path], max_bytes: int) -> Iterator[Received]:
    for p in paths:
        try:
            yield load_received(p, max_bytes=max_bytes)
        except RefusedFile as exc:
            yield exc


def _read_chunk(paths: list[str], max_bytes: int) -> tuple[int, float, float, list[Received | None]]:
    """A worker's task: its pid, peak memory and user CPU time so far, and each file's result (None
    when reading it raised anything but a refusal)."""
    out: list[Received | None] = []
    for p in paths:
        try:
            out.append(load_received(p, max_bytes=max_bytes))
        except RefusedFile as exc:
            out.append(exc)
        except Exception:  # noqa: BLE001 - reported by reading the file again in the caller
            out.append(None)
    return os.getpid(), _peak_rss_mib(), os.times().user, out


def _peak_rss_mib() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes there, KiB on Linux


def _worker_init() -> None:
    # Ctrl+C reaches the whole process group: the caller decides what it means (the CLI keeps
    # what was loaded); a worker just finishes its task or is stopped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker whose loading process is gone (killed, crashed) ends too: it would otherwise wait
    # for tasks, or to hand back a result, for ever (seen after a kill: one worker blocked
    # writing a result nobody reads, the other waiting for it, the fork server waiting for both).
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), name="parent-watch", daemon=True).start()


def _end_with(sentinel: object) -> None:
    multiprocessing.connection.wait([sentinel])  # ready when the process that started this one has ended
    os._exit(0)


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Imported once in the fork server, not in each worker (only before the server starts).
        # _worker_boot makes the fork server's children start with Ctrl+C ignored (see there).
        ctx.set_forkserver_preload(["nanzhou_desktop.district._worker_boot", "nanzhou_desktop.district.safe_open",
                                    "nanzhou_desktop.rules"])
        return ctx
    return multiprocessing.get_context("spawn")
