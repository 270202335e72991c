from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanzhou_desktop.money import (
    AmountError,
    format_money,
    format_rate,
    parse_decimal,
    parse_money,
    percent,
    round_half_up,
)


@pytest.mark.parametrize("typed", ["19,910.75", "19910.75", "１９，９１０．７５", " 19910.75 ", "19 910.75"])
def test_money_accepts_what_people_type(typed):
    assert parse_money(typed) == Decimal("19910.75")


@pytest.mark.parametrize("typed,why", [
    ("abc", "不是有效的数字"), ("19,910.75.3", "不是有效的数字"), ("1e309", "不是有效的数字"),
    ("123456789012345678901", "超过 15 位"), ("-5", "不能为负数"), ("1.234", "两位小数"), ("19,91.0", "不是有效的数字"),
])
def test_money_refuses_with_a_reason(typed, why):
    with pytest.raises(AmountError, match=why):
        parse_money(typed, field="全年执行数")


def test_minus_zero_is_zero_and_empty_is_none():
    assert parse_money("-0") == Decimal("0.00")
    assert parse_money("") is None and parse_money("  ") is None


def test_example_rate_rounds_half_up():
    assert format_rate(percent(Decimal("19738.24"), Decimal("19910.75"))) == "99.13%"
    assert round_half_up(Decimal("99.135")) == Decimal("99.14")
    assert round_half_up(Decimal("99.125")) == Decimal("99.13")  # a float would give 99.12
    assert format_money(Decimal("19910.75")) == "19,910.75"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_is_identity(value):
    assert parse_money(format_money(value)) == value


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**12))
def test_percent_is_exact_decimal(num, den):
    p = percent(Decimal(num), Decimal(den))
    assert p * den == Decimal(num) * 100 or abs(p * den - Decimal(num) * 100) < Decimal("1e-15") * den


def test_parse_decimal_percent_sign():
    assert parse_decimal("99.7%") == Decimal("99.7")
