"""Issue 18: the district at city scale (20,000 reports).

Test data: ``nanzhou_desktop.district.testdata`` writes 20,000 distinct units' files for 2022 and
the first 2,000 of the same units for 2023.  They are generated once and cached in the system
temp folder (``nanzhou-bench-district/``), keyed by the generator's source, so later runs
start at once.

Figures (each job in a fresh process: bench/district_child.py), with their same-run baselines:

- load 100, 2,000 and 20,000 files into a new database: seconds per file, against bare sqlite3
  reads of the same files (open + SELECT every table), also per file.  Batches of 200 files or
  more are read by worker processes, as the program does (district/parallel.py); the 2,000 files
  are also loaded in one process.  Targets: ≤ 5 × bare at 2,000 and 20,000 (as the program
  loads them), and flat: the loader's own work per file (load − bare reads, per file) in one
  process at 2,000 within 1.2 × that at 100, and with workers the user CPU time per file
  (loading process and workers) of the last 2,000 files of the 20,000-file load within 1.2 × that
  of files 1,000-3,000 of the same load (the 100- and 2,000-file figures, load and bare, are medians of 5 interleaved runs; why
  "own work", see run());
- a second year (2,000 files of 2023) into the database holding 2,000 of 2022: ≤ 1.2 × the first, median of 3
  (the 2023 files are read once before, so that both years' files come from the same cache);
- peak RSS of loading 20,000 files, the loading process, its workers and their fork server
  together: < 300 MiB;
- the window on the 20,000 reports, offscreen: open < 1 s; sort, filter, scroll and select
  < 100 ms median, p99 < 250 ms (each step includes Qt's event processing and a repaint);
- ``district summary --xlsx`` on the 20,000, the whole command: < 5 s; baseline a plain
  openpyxl write-only workbook of the same number of rows and columns;
- the district suite's crafted files mixed into a 2,000-file batch: each refused with its reason,
  the rest loaded, integrity_check ok.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Row

N_BIG = 20_000
N_MID = 2_000
N_SMALL = 100
INTERLEAVED_RUNS = 5
YEAR_RUNS = 3
SEED = 2022
CACHE = Path(tempfile.gettempdir()) / "nanzhou-bench-district"
CHILD = Path(__file__).resolve().parent / "district_child.py"


def _generator_key() -> str:
    """The generator's sources and the report-file schema: test data made by other code is remade."""
    h = hashlib.sha256()
    for rel in ("nanzhou_desktop/district/testdata.py", "nanzhou_desktop/district/report_image.py",
                "nanzhou_desktop/store/schema.py", "nanzhou_desktop/store/reportfile.py",
                "resources/examples/nanzhou_2022.json"):
        p = ROOT / rel
        if p.exists():
            h.update(p.read_bytes())
    return f"{h.hexdigest()[:16]}-{SEED}-{N_BIG}-{N_MID}"


def dataset() -> dict[str, list[Path]]:
    from nanzhou_desktop.district.testdata import write_units

    key = _generator_key()
    marker = CACHE / "key.txt"
    lists = {}
    if not (marker.exists() and marker.read_text() == key):
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        t = time.perf_counter()
        print(f"generating {N_BIG:,} + {N_MID:,} report files in {CACHE} (once) …", file=sys.stderr, flush=True)
        lists["y1"] = write_units(CACHE / "2022", N_BIG, 2022, SEED, progress=True)
        lists["y2"] = write_units(CACHE / "2023", N_MID, 2023, SEED, progress=True)
        for name, paths in lists.items():
            (CACHE / f"{name}.txt").write_text("\n".join(map(str, paths)), encoding="utf-8")
        marker.write_text(key)
        print(f"generated in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    for name in ("y1", "y2"):
        lists[name] = [Path(x) for x in (CACHE / f"{name}.txt").read_text(encoding="utf-8").splitlines()]
    return lists


def _list(paths: list[Path], name: str, work: Path) -> str:
    out = work / f"{name}.txt"
    out.write_text("\n".join(map(str, paths)), encoding="utf-8")
    return str(out)


def child(*args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(CHILD), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=3600)
    if r.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def run() -> list[Row]:
    data = dataset()
    work = Path(tempfile.mkdtemp(prefix="bench-district-scale-"))
    y1, y2 = data["y1"], data["y2"]
    lists = {n: _list(y1[:n], f"y1_{n}", work) for n in (N_SMALL, N_MID, N_BIG)}
    second = _list(y2, "y2", work)
    rows: list[Row] = []
    # This VM's speed drifts by a third over minutes.  The 100- and 2,000-file loads (and their
    # bare reads) are run INTERLEAVED_RUNS times in turn, so both sizes see the same states of the
    # machine, and the median of each is taken; the 20,000-file load runs once (its 100 s average
    # over the drift).  A batch of 200 files or more is read by worker processes (the program's
    # default, district/parallel.py); the 2,000 files are also loaded in one process (workers=0),
    # interleaved with the rest, for the loader's own cost per file.
    ONE = "one process"
    sizes: list[tuple[int, str]] = [(N_SMALL, ""), (N_MID, ""), (N_MID, ONE), (N_BIG, "")]
    samples: dict[tuple[int, str], tuple[list[float], list[dict]]] = {k: ([], []) for k in sizes}

    def measure(n: int, how: str, i: int) -> None:
        samples[n, how][0].append(child("bare", lists[n])["seconds"])
        load = child("load", str(work / f"load{n}{how[:3]}_{i}.sqlite"), lists[n], "", "0" if how else "auto")
        assert load["refused"] == 0 and load["reports"] == n, load
        samples[n, how][1].append(load)

    for i in range(INTERLEAVED_RUNS):
        for n, how in sizes[:-1]:
            measure(n, how, i)
    measure(N_BIG, "", 0)
    per_file: dict[tuple[int, str], float] = {}
    bare_per_file: dict[tuple[int, str], float] = {}
    loads: dict[tuple[int, str], dict] = {}
    for k, (bares, tries) in samples.items():
        n = k[0]
        load = sorted(tries, key=lambda x: x["seconds"])[len(tries) // 2]
        per_file[k], bare_per_file[k], loads[k] = load["seconds"] / n, sorted(bares)[len(bares) // 2] / n, load
    big_db = work / f"load{N_BIG}_0.sqlite"
    for k in sizes:
        n, how = k
        load = loads[k]
        by = (f"{load['workers']} worker processes" if load["workers"] else "in one process")
        note = (f"{by}; {load['seconds']:.1f} s in all, of which this process's CPU {load['cpu_seconds']:.1f} s; "
                f"bare reads {bare_per_file[k] * n:.1f} s")
        measured = n != N_SMALL and not how
        rows.append(Row(f"load {n:,} files into a new district database{', ' + how if how else ''}, per file",
                        per_file[k] * 1000, "ms", f"bare sqlite3 reads of the same {n:,} files, per file",
                        bare_per_file[k] * 1000, "≤ 5 × baseline" if measured else "",
                        per_file[k] <= 5 * bare_per_file[k] if measured else None, note))
    # Flat: what loading costs beyond reading the files.  The 20,000 test files are 2 GB, more
    # than this VM keeps in its page cache, so reading them costs more per file at 20,000 than
    # at 100 for bare sqlite3 as much as for the loader (0.8 → 2.0 ms a file in one run); the
    # loader's own work per file (load − bare reads of the same files, same run) is what must
    # not grow with the number of reports: in one process, from 100 to 2,000 files.  The raw
    # ratio is shown beside it.
    own = {k: per_file[k] - bare_per_file[k] for k in per_file}
    k, base = (N_MID, ONE), (N_SMALL, "")
    ratio = own[k] / own[base]
    rows.append(Row(f"  the loader's own work per file (load − bare reads) at {N_MID:,} against {N_SMALL}, in one process",
                    own[k] * 1000, "ms", f"the same at {N_SMALL} files (same run)", own[base] * 1000,
                    "≤ 1.2 × (flat)", ratio <= 1.2,
                    f"ratio {ratio:.2f}; s/file with the reads {per_file[k] / per_file[base]:.2f} ×, bare reads alone "
                    f"{bare_per_file[k] / bare_per_file[base]:.2f} ×"))
    # With workers the reads overlap the checks (a worker reads while another checks), so
    # "load − bare reads" means nothing there; and one 20,000-file run against the median of five
    # 2,000-file runs mostly measures the VM's drift (1.04-1.33 over four runs).  So one stretch
    # of the 20,000-file load is compared with another of the same load: the last 2,000 files
    # (the database holding 18,000 reports) against files 1,000-3,000 (the caches warm), in user
    # CPU per file of the loading process and its workers (the system's time reading files that
    # no longer fit in the page cache is left out; wall ratios are in the note).
    big = loads[N_BIG, ""]
    m = {int(k): v for k, v in big["marks"].items()}
    early_at, late_at = sorted(m)[:2], sorted(m)[2:]
    early = (m[early_at[1]][1] - m[early_at[0]][1]) / (early_at[1] - early_at[0])
    late = (m[late_at[1]][1] - m[late_at[0]][1]) / (late_at[1] - late_at[0])
    early_wall = (m[early_at[1]][0] - m[early_at[0]][0]) / (early_at[1] - early_at[0])
    late_wall = (m[late_at[1]][0] - m[late_at[0]][0]) / (late_at[1] - late_at[0])
    ratio = late / early
    rows.append(Row(f"  user CPU per file (loading process + workers), the last 2,000 of the {N_BIG:,} against "
                    "files 1,000-3,000 of the same load", late * 1000, "ms", "files 1,000-3,000, same load",
                    early * 1000, "≤ 1.2 × (flat)", ratio <= 1.2,
                    f"ratio {ratio:.2f}; wall s/file {late_wall / early_wall:.2f} ×; the whole {N_BIG:,} against the "
                    f"{N_MID:,}-file loads: {per_file[N_BIG, ''] / per_file[N_MID, '']:.2f} × wall, bare reads alone "
                    f"{bare_per_file[N_BIG, ''] / bare_per_file[N_MID, '']:.2f} ×"))
    workers_mib = sum(big["worker_peak_rss_mib"])
    total = big["maxrss_mib"] + workers_mib + big["forkserver_peak_rss_mib"]
    rows.append(Row(f"peak RSS of loading {N_BIG:,} files: the loading process, its worker processes and their fork server",
                    total, "MiB", "the loading process before the load (imports, warm-up)", big["rss_before_mib"],
                    "< 300 MiB", total < 300,
                    f"loading process {big['maxrss_mib']:.0f} MiB, {big['workers']} workers "
                    f"{' + '.join(f'{x:.0f}' for x in big['worker_peak_rss_mib']) or '0'} MiB, "
                    f"fork server {big['forkserver_peak_rss_mib']:.0f} MiB"))

    # The 2023 files are read once first, as the 2022 ones were by the runs above: both years'
    # files then come from the same cache (2 GB of test files do not all stay in memory).
    # Run YEAR_RUNS times, the median ratio taken (one run flipped between 0.8 and 1.26 on this VM).
    child("bare", second)
    tries = [child("load", str(work / f"years{i}.sqlite"), lists[N_MID], second) for i in range(YEAR_RUNS)]
    tries.sort(key=lambda y: y["second_seconds"] / y["seconds"])
    years = tries[len(tries) // 2]
    rows.append(Row(f"load a second year ({N_MID:,} files of 2023) into the database holding 2022's "
                    f"(median of {YEAR_RUNS})", years["second_seconds"], "s",
                    f"the first year's {N_MID:,} files into the new database", years["seconds"], "≤ 1.2 × baseline",
                    years["second_seconds"] <= 1.2 * years["seconds"],
                    "ratios " + ", ".join(f"{y['second_seconds'] / y['seconds']:.2f}" for y in tries)))

    win = child("window", str(big_db))
    assert win["reports"] == N_BIG, win
    rows.append(Row(f"district window on {N_BIG:,} reports, offscreen: open (construct, show, first paint)",
                    win["open_seconds"], "s", target="< 1 s", ok=win["open_seconds"] < 1))
    for op in ("sort", "filter", "scroll", "select"):
        s = win[op]
        rows.append(Row(f"  {op} (median of {s['n']}; each with event processing and a repaint)", s["median"], "ms",
                        target="< 100 ms median, p99 < 250 ms", ok=s["median"] < 100 and s["p99"] < 250,
                        note=f"p99 {s['p99']:.0f} ms"))

    plain = child("openpyxl", str(N_BIG))
    out = work / "汇总.xlsx"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nanzhou_desktop", "district", "summary", str(big_db),
                    "--xlsx", str(out)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    summary = time.perf_counter() - t
    rows.append(Row(f"district summary --xlsx on {N_BIG:,} reports (whole command)", summary, "s",
                    f"plain openpyxl write-only workbook, {N_BIG:,} rows × 19 columns", plain["seconds"], "< 5 s",
                    summary < 5, f"{out.stat().st_size / 1e6:.1f} MB with 合计/平均, groups and a sheet per district"))

    bad = child("crafted", str(work / "crafted.sqlite"), lists[N_MID])
    rows.append(Row(f"crafted files mixed into a {N_MID:,}-file batch: refused with their reason",
                    bad["refused_with_reason"], "count", target=f"all {bad['crafted']}, the rest loaded, integrity ok",
                    ok=bad["refused_with_reason"] == bad["crafted"] and bad["loaded"] == bad["good"]
                    and bad["integrity_ok"], note=f"{bad['loaded']:,} of {bad['good']:,} good files loaded"))
    shutil.rmtree(work, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row.what, f"{row.figure:.3f} {row.unit}", f"baseline {row.baseline}", row.target, row.ok, row.note)
