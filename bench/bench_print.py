"""Issue 5: the example's PDF, from command start to file written, against LibreOffice
headless converting the Word copy of the same report to PDF (paired runs, alternating, in
one benchmark; skipped with a note where LibreOffice is absent); the PDF's size; and the
first render in a process with and without the font-metrics cache; the first print after
install, which converts the free 仿宋/宋 (OpenType CFF) to TrueType once.

Issue 19: the same print paired, in one run, with parts swapped for reportlab's own
(bench/print_variant.py): without the C accelerator rl-accel, with reportlab's TTFont instead
of our font cache (first and later prints), with reportlab's subsetter and font writer.  Each
variant is a fresh process; CPU time and peak memory come from the child's own rusage, which
a busy machine disturbs less than wall time.

Issue 16 F7: the annex of a report with 120, 240 and 480 more indicators under one 一级指标
(the limits allow 500 indicators), render CPU time in one process against the example's
render in the same process; the time the indicators add must grow linearly with their number
(it grew ~3× for 2× before each page's split stopped re-measuring the rest of the table).

Target: ≥ 6 × faster than LibreOffice, and under 1 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Row

from nanzhou_desktop.example import write_example

RUNS = 7
VARIANT_RUNS = 15
VARIANT = str(ROOT / "bench" / "print_variant.py")


# As installed (pip, PyInstaller): our modules load from compiled bytecode.  This
# environment sets PYTHONDONTWRITEBYTECODE, which would recompile every module of ours at
# each start; the warm-up print below writes the .pyc files (as bench_window does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _timed(cmd: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env or ENV, check=True, capture_output=True)
    return time.perf_counter() - t


def _child(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of one run of ``cmd`` in its own process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise RuntimeError(f"{cmd} exited {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def variants(report: Path, out: Path, names: list[str], runs: int = VARIANT_RUNS) -> dict[str, list[tuple[float, float, float]]]:
    """Each variant of print_variant.py run ``runs`` times, interleaved, after one warm-up each."""
    cmds = {n: [sys.executable, VARIANT, n, "print", str(report), "-o", str(out)] for n in names}
    for n in names:
        _child(cmds[n])
    results: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    for _ in range(runs):
        for n in names:
            results[n].append(_child(cmds[n]))
    return results


def _cpu(xs: list[tuple[float, float, float]]) -> float:
    return statistics.median(x[1] for x in xs) * 1000


def _peak(xs: list[tuple[float, float, float]]) -> float:
    return statistics.median(x[2] for x in xs)


def variant_rows(tmp: Path, report: Path) -> list[Row]:
    out = tmp / "variant.pdf"
    r = variants(report, out, ["as-is", "no-accel", "rl-ttfont", "rl-subset", "rl-maker", "no-deflate"])
    ours = r["as-is"]
    n = f"{VARIANT_RUNS} paired runs"
    note = (f"wall {statistics.median(x[0] for x in ours) * 1000:.0f} ms vs "
            f"{statistics.median(x[0] for x in r['no-accel']) * 1000:.0f} ms; peak memory {_peak(ours):.1f} MiB vs "
            f"{_peak(r['no-accel']):.1f} MiB")
    rows = [Row(f"print example → PDF, CPU time, with rl-accel (median of {n})", _cpu(ours), "ms",
                "the same without rl-accel (reportlab's pure-Python functions)", _cpu(r["no-accel"]),
                target="≤ baseline", ok=_cpu(ours) <= _cpu(r["no-accel"]) * 1.02, note=note)]
    rows.append(Row(f"print example → PDF, CPU time, our font cache (median of {n})", _cpu(ours), "ms",
                    "reportlab's own TTFont (every font parsed at each print)", _cpu(r["rl-ttfont"]),
                    note=f"peak memory {_peak(ours):.1f} MiB vs {_peak(r['rl-ttfont']):.1f} MiB"))
    rows.append(Row(f"print example → PDF, CPU time, our subsetter (median of {n})", _cpu(ours), "ms",
                    "reportlab's makeSubset and font writer on the cached faces", _cpu(r["rl-subset"])))
    rows.append(Row(f"print example → PDF, CPU time, our font writer (median of {n})", _cpu(ours), "ms",
                    "reportlab's TTFontMaker (its checksums in C)", _cpu(r["rl-maker"])))
    rows.append(Row(f"print example → PDF, CPU time, fonts compressed on their own threads (median of {n})",
                    _cpu(ours), "ms", "compressed by reportlab as the file is written", _cpu(r["no-deflate"])))
    # The first print on a machine: our cache is built (fonts parsed and written), reportlab's
    # TTFont parses them as it does at every print.  The free fonts converted to TrueType
    # (a one-off of ~10 s each, in the same cache folder) are copied in: only the metrics are cold.
    from nanzhou_desktop.render.fonts import cache_dir

    cold: list[tuple[float, float, float]] = []
    for i in range(3):
        folder = tmp / f"metrics-cold{i}"
        if (cache_dir() / "ttf").is_dir():
            shutil.copytree(cache_dir() / "ttf", folder / "fonts" / "ttf")
        env = dict(ENV, NANZHOU_CACHE_DIR=str(folder))
        cold.append(_child([sys.executable, VARIANT, "as-is", "print", str(report), "-o", str(out)], env))
    rows.append(Row("first print with an empty font-metrics cache, CPU time (median of 3)",
                    statistics.median(x[1] for x in cold) * 1000, "ms",
                    "reportlab's own TTFont (the same at every print)", _cpu(r["rl-ttfont"]),
                    note=f"peak memory {statistics.median(x[2] for x in cold):.1f} MiB"))
    return rows


MANY_CODE = """
import copy, json, sys, time
from nanzhou_desktop.example import example_report
from nanzhou_desktop.render.pdf import render_pdf

def report(extra):
    r = example_report()
    first = r.indicators[0]
    for k in range(extra):
        ind = copy.deepcopy(first)
        ind.level3 = f"第{k + 1}项新增数量指标"
        ind.id = None
        r.indicators.insert(1, ind)
    return r

out = sys.argv[1]
render_pdf(report(0), out)  # fonts loaded, modules warm
times = {}
for extra in (0, 120, 240, 480):
    r = report(extra)
    t = time.process_time()
    render_pdf(r, out)
    times[extra] = time.process_time() - t
print(json.dumps(times))
"""


def many_indicators(tmp: Path) -> list[Row]:
    """F7: indicators under one 一级指标, each size rendered in the same process as the example."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", MANY_CODE, str(tmp / "many.pdf")], cwd=ROOT, env=ENV, check=True,
                             capture_output=True, text=True).stdout
        runs.append({int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()})
    med = {n: statistics.median(r[n] for r in runs) for n in runs[0]}
    rows = [Row(f"print with {n} more indicators under one 一级指标, render CPU (median of 3)", med[n] * 1000, "ms",
                "the example's render, same process", med[0] * 1000) for n in (120, 240, 480)]
    growth = (med[480] - med[0]) / max(med[240] - med[0], 1e-9)
    rows.append(Row("indicators' share of the render: 480 against 240 more", growth, "×", target="≈ 2 (quadratic: 4)",
                    ok=growth < 2.6))
    return rows


def run() -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="nz-bench-print-"))
    report = write_example(tmp / "example.sqlite")
    pdf = tmp / "example.pdf"
    docx = tmp / "example.docx"
    py = sys.executable
    print_cmd = [py, "-m", "nanzhou_desktop", "print", str(report), "-o", str(pdf)]
    subprocess.run([py, "-m", "nanzhou_desktop", "print", str(report), "-o", str(pdf), "--docx", str(docx)],
                   cwd=ROOT, env=ENV, check=True, capture_output=True)  # also warms the font-metrics cache
    rows: list[Row] = []

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    ours: list[float] = []
    lo: list[float] = []
    if soffice:
        profile = tmp / "lo-profile"
        lo_cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                  "--outdir", str(tmp / "lo"), str(docx)]
        _timed(lo_cmd)  # first start creates the LibreOffice profile: not counted
        for _ in range(RUNS):
            ours.append(_timed(print_cmd))
            lo.append(_timed(lo_cmd))
        m_ours, m_lo = statistics.median(ours), statistics.median(lo)
        rows.append(Row(f"print example → PDF, command start to file written (median of {RUNS} paired runs)",
                        m_ours * 1000, "ms", "LibreOffice headless docx → PDF", m_lo * 1000,
                        "≤ 1/6 × LibreOffice", m_ours * 6 <= m_lo,
                        f"ratio LibreOffice/ours = {m_lo / m_ours:.1f}×; ours min {min(ours) * 1000:.0f} ms"))
    else:
        for _ in range(RUNS):
            ours.append(_timed(print_cmd))
        rows.append(Row(f"print example → PDF, command start to file written (median of {RUNS})",
                        statistics.median(ours) * 1000, "ms", target="≤ 1/6 × LibreOffice", ok=None,
                        note="LibreOffice 未安装：无法对比（apt-get install libreoffice-writer-nogui）"))
    size = pdf.stat().st_size / 1e6
    rows.append(Row("example PDF size", size, "MB", target="< 1 MB", ok=size < 1.0))

    # A cold font-metrics cache: what the very first print on a new machine costs.
    base = [py, "-c", "pass"]
    start = statistics.median(_timed(base) for _ in range(5))
    cold = []
    for i in range(3):
        env = dict(ENV, NANZHOU_CACHE_DIR=str(tmp / f"cold{i}"))
        cold.append(_timed(print_cmd, env))
    rows.append(Row("print example → PDF with an empty font cache (median of 3)", statistics.median(cold) * 1000,
                    "ms", "python -c pass", start * 1000, note="first print on a new machine"))

    # The first print after install on a machine without the Office fonts: FandolFang and
    # FandolSong (OpenType CFF) converted to TrueType for reportlab, once, then cached (issue 17).
    env = dict(ENV, NANZHOU_CACHE_DIR=str(tmp / "fresh-install"))
    t = time.perf_counter()
    proc = subprocess.run(print_cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    first = time.perf_counter() - t
    converted = "首次使用替代字体" in proc.stderr
    rows.append(Row("first print after install: the free fonts converted to TrueType, then printed (1 run)",
                    first * 1000, "ms", "the same print with the fonts converted (median above)",
                    statistics.median(ours) * 1000, ok=proc.returncode == 0,
                    note="FandolFang/FandolSong converted" if converted
                    else "no conversion: the Office fonts (or converted ones) were found"))

    # Inside a running process (the window's case): the first render pays for the font
    # loading, later ones do not.
    code = (
        "import time, json, sys\n"
        "from nanzhou_desktop.example import example_report\n"
        "from nanzhou_desktop.render.pdf import render_pdf\n"
        "r = example_report()\n"
        "t = time.perf_counter(); render_pdf(r, sys.argv[1]); a = time.perf_counter() - t\n"
        "t = time.perf_counter(); render_pdf(r, sys.argv[1]); b = time.perf_counter() - t\n"
        "print(json.dumps([a, b]))\n"
    )
    firsts, seconds = [], []
    for _ in range(5):
        out = subprocess.run([py, "-c", code, str(tmp / "inproc.pdf")], cwd=ROOT, env=ENV, check=True,
                             capture_output=True, text=True).stdout
        a, b = json.loads(out.strip().splitlines()[-1])
        firsts.append(a * 1000)
        seconds.append(b * 1000)
    rows.append(Row("render_pdf in a running process: first render (median of 5 processes)", statistics.median(firsts),
                    "ms", "second render in the same process", statistics.median(seconds), target="< 1 s",
                    ok=statistics.median(firsts) < 1000, note="imports included in neither"))
    rows += many_indicators(tmp)
    rows += variant_rows(tmp, report)
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
