"""`make dist-check`: run the built one-folder program as IT would after copying it to a PC.

It makes the example, checks and prints it through the built command line, launches the
built window offscreen on the example (it writes screenshots and exits), and compares the
start time of the built program with the same command under plain Python.
"""

from __future__ import annotations

import os
import re
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


# What takes the space, in the order of docs/install.md's table: (label, test on the path
# relative to the folder, with "/" separators).  The first matching row counts a file.
PARTS: list[tuple[str, object]] = [
    ("Qt's ICU data (text boundaries and collation for every language; Qt Core needs it)",
     lambda p: "icudt" in p or "libicudata" in p),
    ("Qt libraries (Core, Gui, Widgets, Pdf, PrintSupport, DBus, Network for Pdf, xcb/Wayland, ICU code)",
     lambda p: "PySide6/Qt/lib/" in p or re.search(r"PySide6/Qt6\w+\.dll$", p) is not None),
    ("Qt plugins (platforms, input methods, printing, image formats, styles)", lambda p: "/plugins/" in p),
    ("PySide6 and shiboken bindings", lambda p: "PySide6/" in p or "shiboken6" in p),
    ("the programs (bootloader and the app's and libraries' Python code, compressed)",
     lambda p: "/" not in p),
    ("Python itself (interpreter library, standard extension modules)",
     lambda p: "python3" in p.lower() or "base_library.zip" in p or "lib-dynload" in p),
    ("lxml (XML for Word files)", lambda p: "/lxml/" in p),
    ("Pillow (reportlab needs it; its image codecs)", lambda p: "/PIL/" in p or "pillow.libs" in p),
    ("system libraries Qt and Python link to (X11/xcb, fontconfig, glib, CUPS, OpenSSL …)",
     lambda p: p.startswith("_internal/") and p.count("/") == 1 and (".so" in p or p.endswith(".dll"))),
    ("the app's resources and forms (templates, example, icons, ui/)",
     lambda p: "/resources/" in p or "/ui/" in p),
]


def size_table(folder: Path) -> list[tuple[str, float]]:
    """(part, MB) for every file of the folder; symlinks (Qt's versioned names) not counted."""
    totals = {label: 0 for label, _ in PARTS}
    other = 0
    for f in folder.rglob("*"):
        if not f.is_file() or f.is_symlink():
            continue
        rel = f.relative_to(folder).as_posix()
        size = f.lstat().st_size
        for label, test in PARTS:
            if test(rel):  # type: ignore[operator]
                totals[label] += size
                break
        else:
            other += size
    rows = [(label, n / 1e6) for label, n in totals.items()]
    rows.append(("other packages' code and data (reportlab's fonts, openpyxl, docx templates …)", other / 1e6))
    return rows


def main() -> int:
    cli = DIST / f"nanzhou-cli{EXE}"
    gui = DIST / f"nanzhou-desktop{EXE}"
    if not cli.exists():  # one program does both except on Windows
        cli = gui
    if not cli.exists():
        print("dist-check: 没有找到构建结果，请先运行 make dist", file=sys.stderr)
        return 2
    rows = size_table(DIST)
    size_mb = sum(mb for _, mb in rows)
    work = Path(tempfile.mkdtemp(prefix="nanzhou-dist-"))
    report = work / "南洲2022.sqlite"
    run([str(cli), "demo", str(report)])
    run([str(cli), "show", str(report)])
    help_text = run([str(cli), "--help"]).stdout
    if " check" in help_text or "check" in help_text.split():
        run([str(cli), "check", str(report)])
    pdf = work / "南洲2022.pdf"
    if "print" in help_text:
        docx, xlsx = work / "南洲2022.docx", work / "自评表.xlsx"
        run([str(cli), "print", str(report), "-o", str(pdf), "--docx", str(docx), "--xlsx", str(xlsx)])
        if not pdf.exists() or pdf.stat().st_size < 10_000:
            raise SystemExit("dist-check: the built program did not write the PDF")
        if not docx.exists() or not xlsx.exists():
            raise SystemExit("dist-check: the built program did not write the Word and Excel copies")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NANZHOU_SCREENSHOT_DIR=str(work / "shots"))
    run([str(gui), str(report)], env=env)
    shots = sorted((work / "shots").glob("*.png")) if (work / "shots").exists() else []
    built = timed([str(cli), "--version"])
    plain = timed([sys.executable, "-m", "nanzhou_desktop", "--version"])  # the venv running this script
    print("\n| part of the folder | MB |\n|---|---:|")
    for label, mb in sorted(rows, key=lambda r: -r[1]):
        print(f"| {label} | {mb:.1f} |")
    print(f"| **total** | **{size_mb:.1f}** |")
    print(f"\ndist-check ok: folder {size_mb:.0f} MB (target < 200 MB); PDF {'written' if pdf.exists() else 'not built yet'};"
          f" {len(shots)} window screenshots; start of built program {built*1000:.0f} ms vs plain Python"
          f" {plain*1000:.0f} ms (ratio {built/plain:.2f})")
    return 0 if size_mb < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
