"""Issue 7: importing a report document.

Importing the example document (text extracted from its PDF) must take under 0.5 s, and the
cost must grow linearly with the document: measured at 1× and at 10× (ten copies of the
document, each with its own part headings).  Baseline in the same run: reading the same file
and one regex split of it into lines — the floor any importer pays.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from common import ROOT, Row, median, timings

from nanzhou_desktop.importing import import_document
from nanzhou_desktop.narrative import cn_number

SEED = ROOT / "tests" / "data" / "nanzhou_2022_report.txt"
_L1 = re.compile(r"(?m)^([一二三四五六七八九十]+)、(.*)$")
_SPLIT = re.compile(r"\n+")


def tenfold(text: str, copies: int = 10) -> str:
    """``copies`` copies with distinct part headings (一、… numbered on, the copy marked), so
    the importer sees one long document rather than the same outline ten times."""
    out, n = [], 0
    for k in range(copies):
        def renumber(m: re.Match[str], k: int = k) -> str:
            nonlocal n
            n += 1
            return f"{cn_number(n)}、{m.group(2)}（第{k + 1}份）"

        out.append(_L1.sub(renumber, text if k == 0 else text.split("\n", 3)[-1]))
    return "\n".join(out)


def run() -> list[Row]:
    tmp = Path(tempfile.mkdtemp())
    one = tmp / "example.txt"
    one.write_bytes(SEED.read_bytes())
    ten = tmp / "example_x10.txt"
    ten.write_text(tenfold(SEED.read_text(encoding="utf-8")), encoding="utf-8")

    def baseline(path: Path) -> None:
        _SPLIT.split(path.read_text(encoding="utf-8"))

    t1 = median(timings(lambda: import_document(one), runs=30))
    b1 = median(timings(lambda: baseline(one), runs=30))
    t10 = median(timings(lambda: import_document(ten), runs=10, warmup=1))
    b10 = median(timings(lambda: baseline(ten), runs=10, warmup=1))
    size1, size10 = one.stat().st_size, ten.stat().st_size
    printed = _printed_copies(tmp)
    growth = t10 / t1
    linear_ok = growth <= 1.5 * size10 / size1
    return [
        Row("import the example document, .txt 1× (median of 30)", t1, "ms",
            "read the file + one regex split", b1, "< 500 ms", t1 < 500, f"{size1 / 1024:.0f} KB"),
        Row("import the example document 10× (median of 10)", t10, "ms",
            "read the file + one regex split", b10, "< 5 000 ms", t10 < 5000, f"{size10 / 1024:.0f} KB"),
        Row("import time 10× / 1× (linear growth)", growth, "×",
            "document size 10× / 1×", size10 / size1, "≤ 1.5 × the size ratio", linear_ok),
    ] + [_printed_row(kind, path, b1) for kind, path in printed]


def _printed_row(kind: str, path: Path, baseline: float) -> Row:
    t = median(timings(lambda: import_document(path), runs=10, warmup=1))
    return Row(f"import the example printed as {kind} (median of 10)", t, "ms",
               "read the file + one regex split of the .txt", baseline, "< 500 ms", t < 500,
               f"{path.stat().st_size / 1024:.0f} KB")


def _printed_copies(tmp: Path) -> list[tuple[str, Path]]:
    """The example as the print engineer's writers produce it (.docx, PDF)."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.render.docx import write_docx
    from nanzhou_desktop.render.pdf import render_pdf

    docx, pdf = tmp / "example.docx", tmp / "example.pdf"
    write_docx(example_report(), docx)
    render_pdf(example_report(), pdf)
    return [(".docx", docx), ("PDF", pdf)]
