"""nanzhou_desktop.limits: the one set of bounds every reader and entry point uses."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanzhou_desktop import limits
from nanzhou_desktop.limits import (
    LimitError,
    amount_problem,
    check_text,
    file_name_problem,
    indicator_value_problem,
    is_noncharacter,
    percent,
    points_problem,
    quantize_half_up,
    revision_problem,
    safe_cell_text,
    safe_file_part,
    share_problem,
    stored_decimal,
    strip_xml_invalid,
    text_problem,
    year_problem,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p * 0x10000 + e) for p in range(17)
                                                          for e in (0xFFFE, 0xFFFF)]


def test_there_are_66_noncharacters_and_each_is_refused():
    assert len(NONCHARACTERS) == 66
    assert all(is_noncharacter(c) for c in NONCHARACTERS)
    for ch in NONCHARACTERS:
        problem = text_problem(f"单位{ch}名称")
        assert problem is not None and "非字符" in problem and f"U+{ord(ch):04X}" in problem


def test_ordinary_text_passes_including_rare_characters_and_marks():
    for text in ("广州市海珠区人民政府南洲街道办事处", "生僻字𠀀与𪚥", "居民满意度😀", "零宽\u200b空格\ufeff",
                 "阿拉伯文\u200fمرحبا\u200e", "第一行\n第二行\t缩进", "\ufffd替换符", "\ue000私用区"):
        assert text_problem(text) is None, text
    assert not any(is_noncharacter(c) for c in "\ufffd\ufffc\U0010fffd")


@pytest.mark.parametrize("ch", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ud800",
                                "\udfff"])
def test_controls_and_lone_surrogates_are_refused(ch):
    problem = text_problem(f"前{ch}后")
    assert problem is not None and CJK.search(problem) and f"U+{ord(ch):04X}" in problem


def test_one_line_fields_refuse_line_breaks_and_bidi_overrides():
    assert text_problem("a\nb") is None
    assert "一行" in text_problem("a\nb", one_line=True)
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert text_problem(f"南洲{ch}街道") is None  # in a paragraph: someone's RTL quotation
        assert "方向" in text_problem(f"南洲{ch}街道", one_line=True)


def test_length_limits_are_counted_in_characters():
    assert text_problem("字" * limits.SHORT_TEXT_CHARS, max_chars=limits.SHORT_TEXT_CHARS) is None
    problem = text_problem("字" * (limits.SHORT_TEXT_CHARS + 1), max_chars=limits.SHORT_TEXT_CHARS)
    assert problem.startswith("过长") and "1,001" in problem
    with pytest.raises(LimitError, match="单位全称过长.*请删减"):
        check_text("字" * 2000, "单位全称", max_chars=limits.SHORT_TEXT_CHARS)
    with pytest.raises(LimitError, match="正文中含有不可见的控制字符（U\\+0000）"):
        check_text("a\x00", "正文")


def test_strip_xml_invalid_keeps_text_and_drops_what_xml_cannot_hold():
    assert strip_xml_invalid("南洲\t街道\n办事处\r") == "南洲\t街道\n办事处\r"
    assert strip_xml_invalid("a\x00b\x1fc\ufffed\uffffe\ufdd0f\U0001fffeg\ud800h") == "abcdefgh"


@given(st.text())
def test_strip_xml_invalid_output_is_xml_compatible(text):
    from lxml import etree

    out = strip_xml_invalid(text)
    el = etree.Element("c")
    el.text = out  # lxml refuses anything XML 1.0 cannot hold ("All strings must be XML compatible")
    assert not any(is_noncharacter(c) for c in out)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example/","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1",
                                  "\r=1", "=1"])
def test_safe_cell_text_neutralises_formula_prefixes(text):
    out = safe_cell_text(text)
    assert out == "'" + text


@pytest.mark.parametrize("text", ["-3.5", "+12%", "-1,234.50", "19,910.75", "南洲街道", "", "'quoted", "1=1"])
def test_safe_cell_text_leaves_plain_text_and_signed_numbers(text):
    assert safe_cell_text(text) == text


def test_safe_cell_text_strips_xml_invalid_characters():
    assert safe_cell_text("南洲\uffff") == "南洲"
    assert safe_cell_text("\x00=1") == "'=1"


@given(st.text())
def test_safe_cell_text_never_starts_with_a_live_prefix(text):
    out = safe_cell_text(text)
    if out.startswith(limits.FORMULA_PREFIXES):
        assert re.fullmatch(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?", out)


def test_safe_file_part_strips_bidi_controls_and_bounds_bytes():
    assert safe_file_part("南洲\u202e街道") == "南洲街道"
    assert safe_file_part("a/b:c*d?e\x00") == "abcde"
    assert safe_file_part("CON") == "_CON"
    long = safe_file_part("\U00020000" * 60)
    assert len(long.encode("utf-8")) <= 120 and long == "\U00020000" * 30  # cut at a whole character
    assert file_name_problem("\U00020000" * 70 + ".sqlite").startswith("文件名过长")
    assert "U+202E" in file_name_problem("a\u202egpj.exe")
    assert file_name_problem("2022_南洲街道_部门整体支出绩效自评_r1.sqlite") is None


@pytest.mark.parametrize(("text", "ok"), [
    ("19910.75", True), ("0", True), ("999999999999999.99", True), ("1000000000000000", False),
    ("9999999999999999.99", False),
    ("0.001", False), ("0.010", True), ("-1", False), ("NaN", False), ("Infinity", False),
])
def test_amount_bounds(text, ok):
    problem = amount_problem(Decimal(text))
    assert (problem is None) == ok, (text, problem)
    if not ok:
        assert CJK.search(problem)


def test_indicator_points_share_bounds():
    assert indicator_value_problem(Decimal("-12.5")) is None  # a change indicator may fall
    assert indicator_value_problem(Decimal("0.000001")) is None
    assert indicator_value_problem(Decimal("0.0000001")) is not None
    assert indicator_value_problem(Decimal("9999999999999999")) is not None
    assert points_problem(Decimal("6.25")) is None
    assert points_problem(Decimal("1001")) is not None
    assert points_problem(Decimal("-1")) is not None
    assert share_problem(Decimal("0.85")) is None
    assert share_problem(Decimal("1.2")) is not None


def test_years_and_revisions():
    assert year_problem(2022) is None
    assert year_problem(99999999999) is not None and year_problem(1999) is not None
    assert revision_problem(1) is None and revision_problem(limits.REVISION_MAX) is None
    assert revision_problem(0) is not None and revision_problem(2 ** 63 - 1) is not None


def test_stored_decimal_refuses_before_converting():
    assert stored_decimal("19910.75") == Decimal("19910.75")
    assert stored_decimal("-0.5") == Decimal("-0.5")
    for bad in ("1e400", "NaN", "Infinity", " 1", "1" * 100_000, "0x10", "1.", ".5", "１"):
        assert stored_decimal(bad) is None, bad


def test_percent_survives_any_value():
    # F1: 0.0000000001 and 9999999999999999.99 gave a rate of ~1e28 %, which broke every rounding.
    rate = percent(Decimal("9999999999999999.99"), Decimal("0.0000000001"))
    assert rate is not None and rate > Decimal("1e27")
    shown = quantize_half_up(rate, 2)
    assert shown.as_tuple().exponent == -2
    assert percent(Decimal(1), Decimal(0)) is None
    assert percent(None, Decimal(1)) is None
    assert percent(Decimal("NaN"), Decimal(1)) is None
    assert percent(Decimal("9e999999"), Decimal("1e-999999")) is not None  # no Overflow


finite = st.decimals(allow_nan=False, allow_infinity=False)


@given(finite, finite)
def test_percent_and_rounding_never_raise(n, d):
    rate = percent(n, d)
    if rate is not None and abs(rate.adjusted()) < 10_000:
        quantize_half_up(rate, 2)


@given(finite)
def test_quantize_half_up_matches_decimal_where_decimal_can(value):
    if abs(value.adjusted()) > 20:
        return
    from decimal import ROUND_HALF_UP, localcontext

    with localcontext() as ctx:
        ctx.prec = 60
        expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert quantize_half_up(value, 2) == expected


@given(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999999.99"), places=2))
def test_bounded_amounts_give_rates_the_default_context_can_round(n, d):
    """The bounds are chosen so that any rate of two accepted amounts fits 28 digits at 0.01."""
    assert amount_problem(n) is None and amount_problem(d) is None
    rate = percent(n, d)
    rate.quantize(Decimal("0.01"))  # default context: raises InvalidOperation if it did not fit


@given(st.decimals(min_value=Decimal("-999999999999999.999999"), max_value=Decimal("999999999999999.999999"),
                   places=6),
       st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999999999999.999999"), places=6))
def test_bounded_indicator_values_give_rates_the_default_context_can_round(n, d):
    assert indicator_value_problem(n) is None and indicator_value_problem(d) is None
    percent(n, d).quantize(Decimal("0.01"))


def test_absurd_values_are_not_displayable_and_rounding_them_is_cheap():
    assert limits.displayable(Decimal("999999999999999.99"))  # the largest amount
    assert limits.displayable(percent(Decimal("999999999999999.99"), Decimal("0.01")))  # its largest rate
    assert not limits.displayable(Decimal("9999999999999999990000000000"))  # the 10^28 %
    assert not limits.displayable(Decimal("NaN")) and not limits.displayable(Decimal("-Infinity"))
    huge = Decimal("1e999999999")
    assert quantize_half_up(huge, 2) is huge  # not a billion digits
