"""The whole-paragraph breaker (``_total_fit``) skips the nearest breaks by a binary search and
looks line widths up in a list: it must choose exactly the breaks of the plain loop it
replaced, which is kept here as the reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nanzhou_desktop.render import linebreak as lb
from nanzhou_desktop.render.linebreak import _Allowed, _total_fit, layout_text, tokens


def _plain_total_fit(toks, widths, allowed, max_widths, em, justify):
    """The loop as it was: every earlier break looked at, nearest first."""
    n = len(toks)
    pos, chars, content, marks = [0.0], [0], [0], [0]
    for t, w in zip(toks, widths, strict=True):
        pos.append(pos[-1] + w)
        chars.append(chars[-1] + len(t))
        content.append(content[-1] + lb._content_chars(t))
        marks.append(marks[-1] + (t in lb._EXPANDABLE))
    first_solid = list(range(n + 1))
    for k in range(n - 1, -1, -1):
        if toks[k] == " ":
            first_solid[k] = first_solid[k + 1]
    last_end = list(range(n + 1))
    for k in range(1, n + 1):
        if toks[k - 1] == " ":
            last_end[k] = last_end[k - 1]
    big = 1e6
    best = [None] * (n + 1)
    best[0] = (0.0, 0, -1)
    starts = [0]
    for k in [k for k in range(1, n + 1) if toks[k - 1] != " " and allowed[k]]:
        top = None
        for i in reversed(starts):
            cost0, count, _prev = best[i]
            s, e = first_solid[i], last_end[k]
            if e <= s:
                continue
            natural = pos[e] - pos[s]
            width = max_widths(count)
            room = lb.MAX_ADJUST * em * max(max(chars[e] - chars[s] - 1, 0), 1)
            last = k == n
            if natural > width + room + 0.01:
                break
            if natural < width * 0.4 and not last:
                continue
            if last:
                cost = 0.0 if justify else ((width - min(natural, width)) / width) ** 2 * 10
                if count > 0 and content[e] - content[s] < 2:
                    cost += big
            else:
                slack = width - natural
                if justify:
                    ratio = abs(slack) / room
                    if ratio <= 1:
                        cost = ratio * ratio * 10
                    else:
                        can = lb.MARK_EXPAND * em * (marks[e] - marks[s] - (toks[e - 1] in lb._EXPANDABLE))
                        over = slack - room
                        cost = 10 + 30 * (over / can) ** 2 if slack > 0 and over <= can else big * (ratio - 1) + 10
                else:
                    cost = (max(slack, 0.0) / width) ** 2 * 10
                    if chars[e] - chars[s] <= 1 and content[e] - content[s] <= 1 and (k < n):
                        cost += 1.0
                    if (lb._ends_bad(toks[first_solid[k]] if first_solid[k] < n else "")
                            or toks[e - 1][-1:] in lb.CANNOT_START):
                        cost -= 1.5
                    if count == 0:
                        cost += 0.05 * natural / width
            cost += cost0 + 1000.0
            if top is None or cost < top[0]:
                top = (cost, count + 1, i)
        if top is not None and (best[k] is None or top[0] < best[k][0]):
            best[k] = top
        if best[k] is not None:
            starts.append(k)
    if best[n] is None:
        return None
    cuts, k = [], n
    while k > 0:
        cuts.append(k)
        k = best[k][2]
    cuts.reverse()
    lines, i = [], 0
    for k in cuts:
        lines.append(lb._line(toks, widths, i, k, k == n))
        i = k
    return lines


PIECES = ["南", "洲", "街", "道", "办", "，", "。", "、", "（", "）", "“", "”", "；", "15人", "1,802.25万元", "99.13%",
          "2022年", "310297平方米", " ", "No.3", "ab", "\u200b", "——", "《预算法》"]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(PIECES), min_size=0, max_size=160),
       size=st.sampled_from([9.0, 10.5, 16.0]),
       spacing=st.sampled_from([0.0, -0.4, 0.6]),
       first=st.integers(2, 40), rest=st.integers(2, 40),
       justify=st.booleans())
def test_same_breaks_as_the_plain_loop(parts, size, spacing, first, rest, justify):
    """Body paragraphs (a shorter first line, justified, a character grid that tightens or
    widens) and table cells (ragged, a few characters wide): every choice the same, including
    'no way' (None) and texts with zero-width characters, whose tightened width is negative."""
    toks = tokens(layout_text("".join(parts)))

    def width_of(t: str) -> float:
        return sum(0.0 if c == "\u200b" else size / 2 if c.isascii() else size for c in t) + spacing * len(t)

    widths = [width_of(t) for t in toks]
    allowed = _Allowed(toks)

    def limits(i: int) -> float:
        return (first if i == 0 else rest) * size

    assert _total_fit(toks, widths, allowed, limits, size, justify) == \
        _plain_total_fit(toks, widths, allowed, limits, size, justify)


def test_same_breaks_on_the_printed_example(monkeypatch, tmp_path):
    """Every paragraph and cell of the example that goes to the whole-paragraph breaker."""
    from nanzhou_desktop.example import example_report
    from nanzhou_desktop.render.pdf import render_pdf

    seen = []
    real = lb._total_fit

    def both(toks, widths, allowed, max_widths, em, justify):
        got = real(toks, widths, allowed, max_widths, em, justify)
        assert got == _plain_total_fit(toks, widths, allowed, max_widths, em, justify)
        seen.append(len(toks))
        return got

    monkeypatch.setattr(lb, "_total_fit", both)
    render_pdf(example_report(), tmp_path / "example.pdf")
    assert len(seen) >= 10 and max(seen) > 200  # the long body paragraphs went through it
