"""Chinese line breaking (禁则): our breaker and the patch of reportlab's own lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nanzhou_desktop.render.linebreak import CANNOT_END, CANNOT_START, break_lines, patch_reportlab, tokens

FORBIDDEN_START = "，。、；：？！）》”’"
FORBIDDEN_END = "（《“‘"


def fixed(width: float = 10.0):
    """Every character 10 units wide, lines of 10 characters."""
    return (lambda t: width * len(t)), (lambda i: 100.0)


def test_lists_cover_the_issue_marks():
    assert set(FORBIDDEN_START) <= set(CANNOT_START)
    assert set(FORBIDDEN_END) <= set(CANNOT_END)


def test_comma_pushed_down_with_its_character():
    text = "一二三四五六七八九十，十一"  # the comma would start line 2
    lines = break_lines(text, *fixed())
    assert [ln.text for ln in lines] == ["一二三四五六七八九", "十，十一"]
    assert not lines[0].last and lines[1].last


def test_opening_bracket_never_ends_a_line():
    text = "一二三四五六七八九（十）"
    lines = break_lines(text, *fixed())
    assert lines[0].text == "一二三四五六七八九"
    assert lines[1].text.startswith("（")


def test_closing_quote_and_stop_together():
    text = "一二三四五六七八九十”。后面"
    lines = break_lines(text, *fixed())
    assert lines[1].text[0] not in CANNOT_START
    assert "".join(ln.text for ln in lines) == text


def test_numbers_are_not_split():
    assert tokens("全年预算数19,910.75万元，99.13%。") == ["全", "年", "预", "算", "数", "19,910.75", "万", "元", "，",
                                                         "99.13%", "。"]
    assert tokens("执行数 1,802.25，") [-2:] == ["1,802.25", "，"]
    lines = break_lines("一二三四五六七八19,910.75万元", *fixed())
    assert lines[1].text.startswith("19,910.75")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="南洲街道办事处预算执行，。、；：？！）》”’（《“‘0123456789. ab", min_size=1, max_size=120))
def test_no_forbidden_start_or_end_and_nothing_lost(text: str):
    lines = break_lines(text, *fixed())
    joined = "".join(ln.text for ln in lines)
    assert joined.replace(" ", "") == text.replace(" ", "")
    for i, ln in enumerate(lines):
        # Over the width only when no allowed break existed; then by a few marks, squeezed when drawn.
        assert ln.width <= 100.01 + 30 or len(tokens(ln.text)) == 1
        if i > 0 and len(tokens(lines[i - 1].text)) > 1:
            assert ln.text[0] not in CANNOT_START, lines
        if i < len(lines) - 1 and len(tokens(ln.text)) > 1:
            assert ln.text[-1] not in CANNOT_END, lines


def test_reportlab_cjk_wrap_patched():
    """Regression guard for the reportlab internals we extend (reportlab is pinned)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from nanzhou_desktop.render.fonts import find_fonts, register

    patch_reportlab()
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for ch in FORBIDDEN_START:
        assert ch in textsplit.ALL_CANNOT_START and ch in paragraph.ALL_CANNOT_START
    face = find_fonts()["body"]
    register(face)
    style = ParagraphStyle("t", fontName=face.rl_name, fontSize=10, leading=12, wordWrap="CJK")
    for mark in "，；：？！”’》":
        text = "一二三四五六七八九十" + mark + "十一十二"
        p = Paragraph(text, style)
        p.wrap(100.5, 1000)  # ten characters of 10 pt fit; the mark would start line 2
        starts = [_line_text(line)[:1] for line in p.blPara.lines]
        assert len(starts) >= 2
        assert mark not in starts[1:], (mark, starts)


def _line_text(line) -> str:
    """Text of one laid-out reportlab line (simple lines are (extra, [words]) tuples)."""
    if isinstance(line, tuple):
        return "".join(line[1])
    return "".join(getattr(w, "text", "") for w in getattr(line, "words", []))


def _tokens_one_by_one(text: str) -> list[str]:
    """The tokenizer as first written (a match tried at every position): the reference."""
    import re

    unbreakable = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/_:@#&'’]*")
    out, i = [], 0
    while i < len(text):
        m = unbreakable.match(text, i)
        if m:
            run = m.group(0)
            while len(run) > 1 and run[-1] in ",.:'’":
                run = run[:-1]
            out.append(run)
            i += len(run)
        else:
            out.append(text[i])
            i += 1
    return out


@given(st.text(alphabet="ab09.,:%'’-/ 　南洲，。（）“”19738.24", max_size=60))
def test_tokens_same_as_one_by_one(text):
    assert tokens(text) == _tokens_one_by_one(text)


@given(st.text(alphabet="ab09.,:% 南洲街道，。（）“”", max_size=80), st.floats(min_value=-2, max_value=2))
def test_char_width_lookup_breaks_the_same(text, spacing):
    """Passing the measured character widths (a lookup) gives the same lines as calling."""
    def width_of(t: str) -> float:
        return sum(7.5 if c.isascii() else 16.0 for c in t)

    known = {c: width_of(c) for c in set(text) if c != "a"}  # one character left to measure
    limits = lambda i: 100.0 if i else 80.0  # noqa: E731
    assert (break_lines(text, width_of, limits, spacing=spacing, char_widths=known)
            == break_lines(text, width_of, limits, spacing=spacing))
