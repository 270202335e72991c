"""`make dist-check`: run the built one-folder program as IT would after copying it to a PC.

It makes the example, checks and prints it through the built command line, launches the
built window offscreen on the example (it writes screenshots and exits), and compares the
start time of the built program with the same command under plain Python.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "nanzhou-desktop"
EXE = ".exe" if os.name == "nt" else ""


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode not in (0, 1):  # check exits 1 when the report has 错误
        raise SystemExit(f"dist-check: {cmd[0]} exited {result.returncode}")
    return result


def timed(cmd: list[str], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    cli = DIST / f"nanzhou-cli{EXE}"
    gui = DIST / f"nanzhou-desktop{EXE}"
    if not cli.exists():
        print("dist-check: 没有找到构建结果，请先运行 make dist", file=sys.stderr)
        return 2
    # symlinks (Qt's versioned .so names) point at files already counted
    size_mb = sum(f.lstat().st_size for f in DIST.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    work = Path(tempfile.mkdtemp(prefix="nanzhou-dist-"))
    report = work / "南洲2022.sqlite"
    run([str(cli), "demo", str(report)])
    run([str(cli), "show", str(report)])
    help_text = run([str(cli), "--help"]).stdout
    if " check" in help_text or "check" in help_text.split():
        run([str(cli), "check", str(report)])
    pdf = work / "南洲2022.pdf"
    if "print" in help_text:
        run([str(cli), "print", str(report), "-o", str(pdf)])
        if not pdf.exists() or pdf.stat().st_size < 10_000:
            raise SystemExit("dist-check: the built program did not write the PDF")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NANZHOU_SCREENSHOT_DIR=str(work / "shots"))
    run([str(gui), str(report)], env=env)
    shots = sorted((work / "shots").glob("*.png")) if (work / "shots").exists() else []
    built = timed([str(cli), "--version"])
    plain = timed([str(ROOT / ".venv" / "bin" / "python"), "-m", "nanzhou_desktop", "--version"])
    print(f"\ndist-check ok: folder {size_mb:.0f} MB (target < 200 MB); PDF {'written' if pdf.exists() else 'not built yet'};"
          f" {len(shots)} window screenshots; start of built program {built*1000:.0f} ms vs plain Python"
          f" {plain*1000:.0f} ms (ratio {built/plain:.2f})")
    return 0 if size_mb < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
