"""Issue 14: importing real published reports, and a 20-page document.

On the corpus of tests/data/realworld (14 reports, see its README): the lowest sentence
coverage of any document, unit and year found right, budget and indicators read where the
document has them, errors the import made that are not true of the document, and the slowest
document's import time against reading it and one regex split (same run).

A 20-page document: the example report with its work-task part repeated until the PDF this app
prints runs to 20 pages, printed as PDF and .docx; each import is compared with the reader's
floor measured in the same run (pdfium's text of every page for the PDF; python-docx opening the
file for the .docx).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from common import ROOT, Row, median, timings

from nanzhou_desktop.importing import import_bytes, import_document
from nanzhou_desktop.importing.coverage import coverage
from nanzhou_desktop.rules import Severity, check

CORPUS = ROOT / "tests" / "data" / "realworld"
PAGES = 20
_SPLIT = re.compile(r"\n+")


def _true_of_document(finding, entry: dict, report) -> bool:
    """As tests/core/test_import_realworld.py judges (the bench cannot import the tests)."""
    rule = finding.rule
    if rule == "completeness.section":
        key = finding.where.section_key
        return report.section(key) is not None and not any(s.body.strip() for s in report.subtree(key))
    return (rule in ("completeness.signoff", "completeness.indicator")
            or (rule == "completeness.unit" and entry["unit"] is None)
            or (rule == "completeness.year" and entry["year"] is None)
            or (rule == "completeness.indicators" and entry["indicators"] is None)
            or (rule == "completeness.budget" and entry["budget"] is None))


def corpus_rows() -> list[Row]:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    shares, right, tables, false_errors, slowest, slowest_base, slowest_name = [], 0, 0, 0, 0.0, 0.0, ""
    expected_tables = 0
    for entry in manifest:
        text = (CORPUS / entry["file"]).read_text(encoding="utf-8").split("\n", 1)[1]
        data = text.encode("utf-8")
        result = import_bytes(data, entry["name"])
        r = result.report
        shares.append(coverage(text, r).share)
        unit_ok = (r.unit.full_name == "") if entry["unit"] is None else r.unit.full_name in entry["unit"]
        right += unit_ok and r.year == (entry["year"] or 0)
        if entry["budget"] or entry["indicators"]:
            expected_tables += 1
            total = r.budget_total_row
            budget_ok = not entry["budget"] or (str(total.budget_total), str(total.executed)) == (
                entry["budget"]["total"], entry["budget"]["executed"])
            tables += budget_ok and len(r.indicators) == (entry["indicators"] or 0)
        doc_keys = {s.key for s in result.outline if s.in_document}
        false_errors += sum(1 for f in check(r).findings if f.severity == Severity.ERROR and (
            (f.where.section_key and f.where.section_key not in doc_keys) or not _true_of_document(f, entry, r)))
        t = median(timings(lambda data=data, entry=entry: import_bytes(data, entry["name"]), runs=10, warmup=1))
        if t > slowest:
            base = median(timings(lambda data=data: _SPLIT.split(data.decode("utf-8")), runs=10))
            slowest, slowest_base, slowest_name = t, base, entry["file"]
    n = len(manifest)
    return [
        Row(f"real reports: sentence coverage, lowest of {n} documents", min(shares) * 100, "%", target="≥ 98 %",
            ok=min(shares) >= 0.98, note=f"mean {sum(shares) / n * 100:.1f} %"),
        Row(f"real reports: unit and year found right (of {n})", right, "count", target=f"{n}", ok=right == n),
        Row(f"real reports: budget and indicator count read where the document has them (of {expected_tables})",
            tables, "count", target=f"{expected_tables}", ok=tables == expected_tables),
        Row(f"real reports: errors after import not true of the document (all {n})", false_errors, "count",
            target="0", ok=false_errors == 0),
        Row("real reports: import time of the slowest document (median of 10)", slowest, "ms",
            "decode + one regex split of the same document", slowest_base, "< 500 ms", slowest < 500,
            slowest_name.removesuffix(".txt")),
    ]


def long_report():
    """The example with its work tasks repeated, one at a time, until the printed PDF has
    ``PAGES`` pages (the example prints to 17; all seven tasks at once would overshoot to 24)."""
    from pypdfium2 import PdfDocument

    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.render.pdf import render_pdf

    tmp = Path(tempfile.mkdtemp())
    report = example_report()
    base_tasks = [replace(t, items=[replace(i) for i in t.items]) for t in report.tasks]
    for n in range(60):
        pdf = tmp / "long.pdf"
        render_pdf(report, pdf)
        doc = PdfDocument(str(pdf))
        pages = len(doc)
        doc.close()
        if pages >= PAGES:
            return report, pdf, pages
        t = base_tasks[n % len(base_tasks)]
        report.tasks.append(replace(t, title=f"{t.title}（续）", items=[replace(i) for i in t.items]))
    return report, pdf, pages


def long_rows() -> list[Row]:
    import docx
    from pypdfium2 import PdfDocument

    from nanzhou_desktop.render.docx import write_docx

    report, pdf, pages = long_report()
    word = pdf.with_suffix(".docx")
    write_docx(report, word)

    def pdf_floor() -> None:
        doc = PdfDocument(str(pdf))
        for page in doc:
            page.get_textpage().get_text_range()
        doc.close()

    t_pdf = median(timings(lambda: import_document(pdf), runs=5, warmup=1))
    b_pdf = median(timings(pdf_floor, runs=5, warmup=1))
    t_docx = median(timings(lambda: import_document(word), runs=5, warmup=1))
    b_docx = median(timings(lambda: docx.Document(str(word)), runs=5, warmup=1))
    return [
        Row(f"import a {pages}-page report printed by this app as PDF (median of 5)", t_pdf, "ms",
            "pdfium: the text of every page", b_pdf, "< 500 ms", t_pdf < 500,
            f"{pdf.stat().st_size / 1024:.0f} KB, {t_pdf / pages:.0f} ms a page"),
        Row("import the same report as .docx (median of 5)", t_docx, "ms",
            "python-docx opening the file", b_docx, "< 500 ms", t_docx < 500, f"{word.stat().st_size / 1024:.0f} KB"),
    ]


def run() -> list[Row]:
    return corpus_rows() + long_rows()
