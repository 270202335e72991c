"""An indicator value as offices write it: a number, optionally led by 指标性质 and followed by
its unit — "168起", "3个", "≥50个", "95%", "≤5%", "1,000 人次".

The number is read for scoring and checks; the unit is compared with the indicator's 度量单位
and a leading ≥ / ≤ / = with its 指标性质 (a published form writes a 年度指标值 "≥50个" beside
the 度量单位 个 and the 指标性质 ≥).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from nanzhou_desktop.money import MAX_DIGITS, normalise_digits

_COMPARATORS = {"≥": "≥", ">=": "≥", "＞＝": "≥", "≤": "≤", "<=": "≤", "＜＝": "≤", "=": "=", "＝": "=", "==": "="}
_VALUE = re.compile(
    r"(?P<cmp>≥|≤|>=|<=|＞＝|＜＝|==|=|＝)?\s*"
    r"(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(?P<unit>[^\d\s,.+\-][^\d]{0,9})?")
# What a unit may not contain: another number would make "3个5人" one value.
_UNIT_BAD = re.compile(r"[\d<>≥≤=]")
# Units written differently that mean the same (full-width percent, 百分比 as some forms print).
_UNIT_SAME = {"％": "%", "百分比": "%", "个百分点": "百分点"}


class Quantity(NamedTuple):
    comparator: str  # "≥" / "≤" / "=" or "" when none was written
    number: Decimal
    unit: str  # as written (stripped), "" when none


@lru_cache(maxsize=8192)
def read_quantity(text: str) -> Quantity | None:
    """The comparator, number and unit of ``text``; None when it is not a number (with a unit).

    Cached: the same few values are read by several rules on every keystroke."""
    raw = normalise_digits(text).strip()
    if not raw:
        return None
    m = _VALUE.fullmatch(raw)
    if m is None:
        return None
    unit = (m["unit"] or "").strip()
    if unit and _UNIT_BAD.search(unit):
        return None
    num = m["num"].replace(",", "")
    if len(num.lstrip("+-").split(".")[0].lstrip("0")) > MAX_DIGITS:
        return None
    try:
        value = Decimal(num)
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        return None
    if value == 0:
        value = abs(value)
    return Quantity(_COMPARATORS.get(m["cmp"] or "", ""), value, unit)


def same_unit(a: str, b: str) -> bool:
    """Do two written units mean the same (％ and %, 百分比 and %, spaces aside)?"""
    def norm(u: str) -> str:
        u = normalise_digits(u).replace(" ", "")
        return _UNIT_SAME.get(u, u)

    return norm(a) == norm(b)


def normalised(q: Quantity) -> str:
    """The value as stored: comparator, the number without separators, the unit."""
    return f"{q.comparator}{format(q.number, 'f')}{q.unit}"
