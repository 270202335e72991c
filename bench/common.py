"""Shared helpers for benchmarks.  Each ``bench/bench_*.py`` defines ``run() -> list[Row]``;
``bench/run_all.py`` runs them all, prints one table and writes ``bench/results.json``.

Every figure is compared with a baseline measured in the same run on the same machine
(the machine is shared and noisy), so the ratio is what matters.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    what: str  # what was measured
    figure: float  # the measured value, in `unit`
    unit: str  # "ms", "s", "MB", "count"
    baseline_what: str = ""  # the baseline measured in the same run ("" when the target is absolute)
    baseline: float | None = None
    target: str = ""  # the target from the issue, as text ("< 5 ms", "≤ 1.5 × baseline")
    ok: bool | None = None  # target met?
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.figure / self.baseline

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def timings(fn: Callable[[], object], *, runs: int = 50, warmup: int = 3) -> list[float]:
    """Wall times of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p99(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]


def process_time(cmd: list[str], *, runs: int = 5, env: dict | None = None, cwd: Path = ROOT) -> list[float]:
    """Wall times (s) of a fresh process, ``runs`` times."""
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out
