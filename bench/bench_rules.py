"""Issue 3: full validation (all rules + score + completion) on every keystroke.

Targets: on the example, median < 2 ms and p99 < 8 ms; on a report ten times the example's
size, the same targets, with the cost growing no faster than the text.

The window's case is a keystroke: one paragraph changed, then the whole check.  The rules cache
their work by what it depends on (each text field's parse and findings by its text and place,
each indicator's findings and score by its values), so a keystroke re-evaluates only what it
changed; the cold figure (every cache cleared by ``rules.clear_caches()``, as right after
opening a file) is reported too.

Baseline, in the same run: ``plain_text(report)`` plus one regex pass over it (the least any
check of the narrative must do), on the same report.

Issue 13 adds a template dimension: the same keystroke on the example and on 10× the example
scored by each shipped template's scheme (its weighting, 定性 bands, typed 得分 …), each against
the same baseline; the target is the same, whichever template.
"""

from __future__ import annotations

import copy
import re

from common import Row, median, p99, timings

from nanzhou_desktop.example import example_report
from nanzhou_desktop.model import Report
from nanzhou_desktop.narrative import plain_text
from nanzhou_desktop.rules import check, clear_caches

_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
RUNS = 400


def ten_times(report: Report) -> Report:
    """The example repeated ten times: sections' text, work tasks, projects and indicators
    (names made unique, 分值 divided so they still add up to 90)."""
    big = copy.deepcopy(report)
    for sec in big.sections:
        if sec.body:
            sec.body = "\n".join([sec.body] * 10)
    big.tasks = [copy.deepcopy(t) for _ in range(10) for t in report.tasks]
    for k, t in enumerate(big.tasks):
        t.title = f"{t.title}（{k // len(report.tasks) + 1}）"
    big.projects = []
    for k in range(10):
        for p in report.projects:
            q = copy.deepcopy(p)
            q.name = f"{p.name[:-2]}{k + 1}期项目"
            q.budget_total = p.budget_total / 10 if p.budget_total else p.budget_total
            q.executed = p.executed / 10 if p.executed else p.executed
            big.projects.append(q)
    big.indicators = []
    for k in range(10):
        for i in report.indicators:
            j = copy.deepcopy(i)
            j.level3 = f"{i.level3}（{k + 1}）"
            j.points = i.points / 10 if i.points is not None else None
            big.indicators.append(j)
    return big


def _baseline(report: Report) -> None:
    text = plain_text(report)
    for _ in _PERCENT.finditer(text):
        pass


def _keystroke(report: Report):
    """One keystroke: a character typed into one paragraph (a different one each time, so its
    parse is never cached), then the full check the window runs."""
    items = [i for t in report.tasks for i in t.items]
    state = {"k": 0}

    def step() -> None:
        k = state["k"] = state["k"] + 1
        item = items[k % len(items)]
        item.body = item.body + "字" if k % 2 else item.body[:-1]
        check(report)
    return step


def _cold(report: Report):
    def step() -> None:
        clear_caches()
        check(report)
    return step


def run() -> list[Row]:
    small = example_report()
    big = ten_times(small)
    rows: list[Row] = []
    results = {}
    for name, report in (("the example", small), ("10× the example", big)):
        t = timings(_keystroke(report), runs=RUNS, warmup=20)
        cold = timings(_cold(report), runs=RUNS // 4, warmup=5)
        b = timings(lambda r=report: _baseline(r), runs=RUNS, warmup=20)
        results[name] = (median(t), median(cold), len(plain_text(report)))
        rows.append(Row(f"check() per keystroke on {name}: median of {RUNS}", median(t), "ms",
                        "plain_text + one regex pass", median(b), "< 2 ms", median(t) < 2,
                        "one paragraph edited per run"))
        rows.append(Row(f"check() per keystroke on {name}: p99 of {RUNS}", p99(t), "ms",
                        "plain_text + one regex pass (p99)", p99(b), "< 8 ms", p99(t) < 8))
        rows.append(Row(f"check() cold (no parse cached) on {name}: median of {RUNS // 4}", median(cold), "ms",
                        "plain_text + one regex pass", median(b), note="first check after opening a file"))
    (k1, c1, n1), (k10, c10, n10) = results["the example"], results["10× the example"]
    text_growth = n10 / n1
    rows.append(Row("growth of keystroke check() time, 10× report / example", k10 / k1, "×",
                    "growth of the text length", text_growth, "≤ text growth", k10 / k1 <= text_growth,
                    f"text {n1:,} → {n10:,} characters"))
    rows.append(Row("growth of cold check() time, 10× report / example", c10 / c1, "×",
                    "growth of the text length", text_growth, "≤ text growth", c10 / c1 <= text_growth))
    findings = len(check(big).findings)
    rows.append(Row("findings on the 10× report", findings, "count", note="same kinds as the example, ×10"))
    rows += by_template(small, big)
    return rows


def by_template(small: Report, big: Report) -> list[Row]:
    """The keystroke check on the example's content scored by each shipped template's data."""
    from nanzhou_desktop.template import catalog

    rows: list[Row] = []
    for t in catalog(extra_dirs=()).templates:
        for name, base in (("the example", small), ("10× the example", big)):
            report = copy.deepcopy(base)
            report.template_id, report.template = t.id, t.data
            if t.data.scheme.indicators.score == "entered":  # a filled report: every 得分 typed
                for ind in report.indicators:
                    ind.score = ind.points
            clear_caches()
            k = timings(_keystroke(report), runs=RUNS // 2, warmup=20)
            b = timings(lambda r=report: _baseline(r), runs=RUNS // 2, warmup=20)
            rows.append(Row(f"check() per keystroke on {name}, template {t.id}: median of {RUNS // 2}", median(k),
                            "ms", "plain_text + one regex pass", median(b), "< 2 ms", median(k) < 2))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
