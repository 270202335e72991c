"""Issue 16 F2: reading figures in the text is linear in the text, whatever it holds.

A paragraph that was a long run of digits made ``parse_paragraph`` quadratic (10k digits took
12.6 s, 40k 195 s).  Linearity is shown by ratios on growing inputs (CPU time, best of a few
runs), never by absolute times: the machine is shared.  The absolute figure (``check`` on the
worst accepted file, against the example in the same run) is in bench/bench_robustness.py.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanzhou_desktop.example import example_report
from nanzhou_desktop.limits import TEXT_FIGURES
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.narrative import clear_caches, fields_to_check, parse_paragraph
from tests.fuzzing import HOSTILE_PARAGRAPHS


def _cpu(fn, *args) -> float:
    best = float("inf")
    for _ in range(3):
        clear_caches()
        t = time.process_time()
        fn(*args)
        best = min(best, time.process_time() - t)
    return max(best, 1e-4)


@pytest.mark.parametrize("shape", sorted(HOSTILE_PARAGRAPHS))
def test_parse_paragraph_is_linear(shape):
    make = HOSTILE_PARAGRAPHS[shape]
    small, large = make(4_000), make(32_000)  # 8× the text: linear ≈ 8×, quadratic ≈ 64×
    ratio = _cpu(parse_paragraph, large, 60) / _cpu(parse_paragraph, small, 60)
    assert ratio < 24, f"{shape}: 8× the text took {ratio:.1f}× the time"


def test_check_of_long_digit_fields_is_linear():
    """The issue's file: fields of nothing but digits (six of 999,999 did not finish in 180 s)."""
    def run(n: int) -> None:
        r = example_report()
        for sec in r.sections[:6]:
            sec.body = "9" * n
        check(r)

    ratio = _cpu(run, 400_000) / _cpu(run, 50_000)
    assert ratio < 24, f"8× the digits took {ratio:.1f}× the time"


def test_a_tail_of_a_longer_number_is_not_a_figure():
    # what the old skip of matches preceded by a digit, point or comma did, now done by the pattern
    assert not parse_paragraph("编号 1.,5件 与 12.5.6件", 60).money_without_sep
    p = parse_paragraph("受理 6799 件，办结 6780 件，办结率 99.7%。", 60)
    assert len(p.claims) == 1 and p.claims[0][1] is not None
    assert not parse_paragraph("9" * 100 + "%", 60).claims  # no one writes a 100-digit rate


def test_more_figures_than_the_limit_are_left_unread_with_a_warning():
    r = example_report()
    r.section("3").body = "\n".join(f"第{i}项完成率{i % 100}%。" for i in range(TEXT_FIGURES + 10))
    walked = fields_to_check(r, 60)
    assert walked.skipped >= 1
    found = [f for f in check(r).findings if f.rule == "narrative.too_many_figures"]
    assert len(found) == 1 and "没有核对" in found[0].message


def test_the_example_is_read_in_full():
    r = example_report()
    assert fields_to_check(r, 60).skipped == 0
    assert "narrative.too_many_figures" not in {f.rule for f in check(r).findings}


_BUDGET_ALPHABET = "年初全年调整后预算数为是共1234567890,.万元亿元，、 执行率完成的%实际"


@given(st.text(alphabet=_BUDGET_ALPHABET, max_size=80))
def test_budget_sentences_are_found_as_finditer_found_them(text):
    """Trying BUDGET only near a 预算 finds exactly what trying every position found."""
    from nanzhou_desktop.rules.narrative import BUDGET, _budget_matches

    assert [m.span() for m in _budget_matches(text)] == [m.span() for m in BUDGET.finditer(text)]


@given(st.text(alphabet="12３４，,.．％%字 ", max_size=30))
def test_fold_needs_folding_exactly_when_it_did(text):
    import re

    from nanzhou_desktop.rules.narrative import _FOLD, _FW_SEP, fold

    before = _FW_SEP.sub(",", text.translate(_FOLD)) if re.search(r"[０-９．％]|\d，\d", text) else text
    assert fold(text) == before


@given(st.text(alphabet="0123456789.,% 件万余亿元人次场平方米\n", max_size=60))
def test_figure_start_finds_the_figures_figure_reads(text):
    """FIGURE_START (the whole-field scan) starts where FIGURE's figures start."""
    from nanzhou_desktop.rules.narrative import FIGURE, FIGURE_START

    assert [m.start() for m in FIGURE_START.finditer(text)] == [m.start() for m in FIGURE.finditer(text)
                                                                 if m.lastindex]


@given(st.text(alphabet="0123456789.,% 件万余多亿千元人次场平方米公里小时课\n字", max_size=50))
def test_figure_reads_what_the_quadratic_pattern_read(text):
    """The linear FIGURE finds the figures (spans and groups) that the former pattern, with its
    skip of matches preceded by a digit, point or comma, found."""
    import re

    from nanzhou_desktop.rules.narrative import FIGURE, UNITS

    before = re.compile(rf"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?:(?P<pct>%)|(?P<approx>余|多)?\s*(?P<scale>万|亿|千)?"
                        rf"(?P<unit>{UNITS}))")
    old = [(m.span(), m.groups()) for m in before.finditer(text)
           if not (m.start() and text[m.start() - 1] in "0123456789.,")]
    assert [(m.span(), m.groups()) for m in FIGURE.finditer(text) if m.lastindex] == old
