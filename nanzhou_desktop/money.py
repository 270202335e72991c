"""Decimal amounts and rates: parsing what people type, rounding, formatting.

Every amount (万元) and rate in the product is a :class:`decimal.Decimal`; nothing here
ever goes through a binary float.  Formatting for display and print happens only here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from nanzhou_desktop.limits import AMOUNT_INTEGER_DIGITS, INDICATOR_PLACES, quantize_half_up
from nanzhou_desktop.limits import percent as _percent

# Full-width digits and punctuation that Chinese input methods produce (１９，９１０．７５).
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９，．－＋％　",
    "0123456789,.-+% ",
)
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
MAX_DIGITS = AMOUNT_INTEGER_DIGITS  # above this a number is refused (see nanzhou_desktop.limits)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class AmountError(ValueError):
    """A typed amount that cannot be read; ``str(err)`` is a Chinese sentence for the user."""


def normalise_digits(text: str) -> str:
    """Fold full-width digits, separators and spaces to their ASCII forms."""
    return text.translate(_FULLWIDTH).strip()


def parse_decimal(text: str | Decimal | int | None, *, field: str = "数值",
                  allow_negative: bool = True) -> Decimal | None:
    """Read a typed number: 19,910.75 / 19910.75 / １９，９１０．７５ / 99.13%.

    Returns ``None`` for an empty entry.  Raises :class:`AmountError` with a Chinese
    message naming the field and the text seen.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        raw = normalise_digits(text).replace(" ", "")
        if raw.endswith("%"):
            raw = raw[:-1]
        if raw == "":
            return None
        if len(raw) > 64 or not _NUMBER.match(raw):  # no number anyone types is longer
            raise AmountError(f"{field}“{text.strip()}”不是有效的数字，请只输入数字、小数点和千位分隔符，例如 19,910.75")
        digits = raw.lstrip("+-").split(".")[0].replace(",", "")
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise AmountError(f"{field}“{text.strip()}”整数部分超过 {MAX_DIGITS} 位，请核对是否多输了数字")
        decimals = len(raw.split(".", 1)[1].rstrip("0")) if "." in raw else 0
        if decimals > INDICATOR_PLACES:  # trailing zeros aside: 1.5000000 is 1.5
            raise AmountError(f"{field}“{text.strip()}”小数超过 {INDICATOR_PLACES} 位，请核对")
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - regex already guards this
            raise AmountError(f"{field}“{text.strip()}”不是有效的数字") from exc
    else:
        raise AmountError(f"{field}的类型不受支持：{type(text).__name__}")
    if not value.is_finite():
        raise AmountError(f"{field}必须是有限的数字")
    if value.adjusted() >= MAX_DIGITS:  # a Decimal or int given directly: the same bound as typed text
        raise AmountError(f"{field}“{value}”整数部分超过 {MAX_DIGITS} 位，请核对是否多输了数字")
    if value == 0:
        value = abs(value)  # "-0" is zero, not a negative amount
    if not allow_negative and value < 0:
        raise AmountError(f"{field}不能为负数（输入的是 {text}）")
    return value


# A number typed with its unit (100万, 100万元, 5000元, 1.2亿): every amount is in 万元, typed bare.
_WITH_UNIT = re.compile(r"^\s*([+-]?[\d,.]+)\s*(万元|万|元|亿元|亿)\s*$")
_TO_WAN = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10_000), "亿": Decimal(10_000)}


def _unit_hint(text: str) -> str:
    """For "100万" / "5000元" / "1.2亿": what to type instead ('' when the text is not such)."""
    m = _WITH_UNIT.match(normalise_digits(text))
    if m is None:
        return ""
    try:
        wan = Decimal(m.group(1).replace(",", "")) * _TO_WAN[m.group(2)]
    except InvalidOperation:
        return ""
    if not wan.is_finite():
        return ""
    shown = format(quantize_half_up(wan, 2).normalize(), "f")  # never raises, however long the digits
    return f"“{text.strip()}”应填 {shown}"


def parse_money(text: str | Decimal | int | None, *, field: str = "金额") -> Decimal | None:
    """A 万元 amount: at most two decimals, never negative (negatives are refused at entry).
    Typed with a unit (100万, 5000元), it is refused with what to type instead."""
    if isinstance(text, str) and (hint := _unit_hint(text)):
        raise AmountError(f"{field}：请只填数字，单位为万元（{hint}）")
    value = parse_decimal(text, field=field, allow_negative=False)
    if value is None:
        return None
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):  # type: ignore[operator]
        raise AmountError(f"{field}“{text}”超过两位小数；金额以万元为单位，保留两位小数")
    return value.quantize(CENT)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round half up (99.135 → 99.14), the rounding printed forms use; never raises, however
    large the value (a rate of 10²⁸ % once broke every summary)."""
    return quantize_half_up(value, places)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """Ratio in percent (not rounded); ``None`` when it cannot be computed.  Never raises."""
    return _percent(numerator, denominator)


def format_money(value: Decimal | None) -> str:
    """19910.75 → '19,910.75' (two decimals, thousands separators)."""
    if value is None:
        return ""
    return f"{quantize_half_up(value, 2):,}"


def format_rate(value: Decimal | None, places: int = 2) -> str:
    """A percentage with two decimals rounded half up: 99.1336… → '99.13%'."""
    if value is None:
        return "—"
    return f"{round_half_up(value, places)}%"


def format_number(value: Decimal | None) -> str:
    """A plain number as typed, without exponent notation and without trailing noise."""
    if value is None:
        return ""
    text = format(value, "f")
    return text


def canonical(value: Decimal | None) -> str | None:
    """The string stored in the report file and hashed by the fingerprint."""
    if value is None:
        return None
    return format(value, "f")
