"""The limits every reader and every entry point uses, in one place.

A report file travels by email and is opened by offices and districts that did not write it,
so nothing in it is trusted: the window, ``set``, the importer, ``undump``, the office reader
(show / check / print / the window's 打开) and the district loader all check what they accept
against the bounds below, and every computation on accepted values stays within them.
The checks here only *say* what is wrong (a Chinese phrase, or ``None``); each caller raises
its own error (``EditError`` where something is typed, a refusal where a file is read) with
the field or file it names.

Why these bounds:

- **Amounts (万元)** have at most :data:`AMOUNT_INTEGER_DIGITS` integer digits and two
  decimals: below 10¹⁵ 万元.  China's whole general public budget is about 3 × 10⁹ 万元 a year and
  a street office spends about 10⁴ 万元, so a figure near the bound is a typing slip; but a
  slip the user can still see and correct (an extra digit or three) is the business of the
  warnings (``budget.executed_implausible`` and the window's own), which a user can answer.
  These bounds are the hard wall that keeps every derived figure computable.
- **Indicator values** (年度指标值 / 实际完成值 of a quantitative indicator) have at most
  :data:`INDICATOR_INTEGER_DIGITS` integer digits and :data:`INDICATOR_PLACES` decimals (rates
  such as 0.0005 per cent of incidents need a few).
- With those bounds the largest rate there can be is 10¹⁵ / 10⁻⁶ × 100 = 10²³ %, which with two
  decimals fits Python's default 28-digit decimal context; :func:`percent` and
  :func:`quantize_half_up` still use a context of their own, so a value from anywhere (a
  crafted file, a figure in the text) can never raise ``InvalidOperation`` or ``Overflow``.
- **Text**: one narrative field (a section, a work task or sub-item, a 偏差原因, an 出错说明)
  holds at most :data:`LONG_TEXT_CHARS` characters — a whole report is some 20,000; a name,
  title, heading, label or table cell at most :data:`SHORT_TEXT_CHARS`.  All text fields of one
  report together hold at most :data:`REPORT_TEXT_CHARS` (twenty long reports); with the
  per-table row limits and :data:`TEXT_FIGURES` this bounds the work of ``check``, ``print`` and
  the district on any file that is accepted.
- **Files**: a received file is read whole into memory, so it is refused above
  :data:`RECEIVED_FILE_BYTES`; a working file, whose audit grows with every save, above
  :data:`WORKING_FILE_BYTES`.
- **Years** :data:`YEAR_MIN`–:data:`YEAR_MAX`; **修订号** 1–:data:`REVISION_MAX` (each 解除定稿
  adds one; a real report has a handful).
- **Characters**: C0/C1 control characters (tab and line break aside), lone surrogates, the
  66 Unicode non-characters (U+FDD0–U+FDEF and the last two code points of every plane,
  U+FFFE/U+FFFF among them) and everything else XML 1.0 cannot hold are refused in content: a
  Word or Excel copy could not be written with them.  Bidirectional embedding, override and
  isolate controls (U+202A–U+202E, U+2066–U+2069) are refused in names and other one-line
  fields, where they could make a name or a figure display as something else, and are
  stripped from file names.  Output paths call :func:`strip_xml_invalid` all the same, and
  spreadsheet/CSV writers :func:`safe_cell_text` (OWASP's CSV-injection rule).
"""

from __future__ import annotations

import functools
import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

# -- numbers ----------------------------------------------------------------------------------------
AMOUNT_INTEGER_DIGITS = 15  # < 10^15 万元
AMOUNT_PLACES = 2  # 万元 with two decimals, as the forms print them
AMOUNT_MAX = Decimal(10) ** AMOUNT_INTEGER_DIGITS  # exclusive
INDICATOR_INTEGER_DIGITS = 15
INDICATOR_PLACES = 6
INDICATOR_MAX = Decimal(10) ** INDICATOR_INTEGER_DIGITS  # exclusive, either sign
POINTS_MAX = Decimal(1000)  # 分值 of one indicator (a scheme totals 100 or so)
POINTS_PLACES = 4
SHARE_PLACES = 6  # 定性得分比例, a share 0–1
# The longest number the rules read as a figure in the text (digits and separators): a longer run
# of digits is not a figure anyone wrote, and converting it would cost more than the whole check.
TEXT_FIGURE_CHARS = 40
# Places in the narrative of one report that the rules read (figures with a unit or %; 预算 and 截至
# count three, for the figures and findings they bring).  The example has about 180 in 6,600
# characters; 3,000 is some fifteen such reports.  Each costs the check some microseconds (one
# with a finding more), so beyond this the rest of the text is left unread and the check says so:
# with it and REPORT_TEXT_CHARS, ``check`` on any accepted file stays under a second.
TEXT_FIGURES = 3_000

# -- text and tables -------------------------------------------------------------------------------
LONG_TEXT_CHARS = 1_000_000  # one narrative field
SHORT_TEXT_CHARS = 1_000  # a name, title, heading, label or table cell
REPORT_TEXT_CHARS = 1_000_000  # all text fields of one report together (a real report: 10,000–50,000)
# Rows per table.  A real report has a few budget rows, tens of projects and indicators; these
# are ten times the largest seen, and keep printing an accepted file to seconds (the annex table
# of 500 indicators under one 一级指标 renders in under a second since its split is linear;
# 1,000 take about 1.5 s — bench_print).
ROWS_MAX: dict[str, int] = {
    "sections": 300,
    "tasks": 300,
    "task_items": 1_000,
    "budget_rows": 200,
    "projects": 500,
    "indicators": 500,
    "explanations": 5_000,
    "cover_fields": 200,
}
TABLE_LABELS = {"sections": "章节", "tasks": "工作任务", "task_items": "工作任务小项", "budget_rows": "预算执行情况",
                "projects": "重点项目", "indicators": "绩效指标", "explanations": "出错说明",
                "cover_fields": "封面项目"}
RECEIVED_FILE_BYTES = 20 * 1024 * 1024  # a real report file is well under 1 MB
WORKING_FILE_BYTES = 256 * 1024 * 1024
JSON_FILE_BYTES = 64 * 1024 * 1024  # a report's content as dump writes it (undump)
FILE_NAME_BYTES = 240  # of a whole file name; most file systems allow 255 bytes

# -- years and revisions ------------------------------------------------------------------------------
YEAR_MIN = 2000
YEAR_MAX = 2100
REVISION_MAX = 9_999


class LimitError(ValueError):
    """A value outside the limits; ``str(err)`` is a Chinese sentence for the user."""


# -- characters -------------------------------------------------------------------------------------
# C0 controls but tab, line feed and carriage return; DEL and C1; lone surrogates (only a str built
# from JSON or escapes can hold one); the non-characters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of all 17
# planes.  U+FFFE/U+FFFF and the surrogates are also the BMP code points XML 1.0 forbids.
_NONCHAR_PLANE_ENDS = "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
_REFUSED_CHARS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                  + "".join(re.escape(c) for c in _NONCHAR_PLANE_ENDS))
_REFUSED = re.compile(f"[{_REFUSED_CHARS}]")
_REFUSED_NAME = re.compile(f"[{_REFUSED_CHARS}\u202a-\u202e\u2066-\u2069]")
_REFUSED_ONE_LINE = re.compile(f"[{_REFUSED_CHARS}\n\r\t\u202a-\u202e\u2066-\u2069]")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Everything XML 1.0 cannot hold, plus the non-characters (allowed by XML, refused by us).
_XML_INVALID = _REFUSED
# The same classes made coarse, searched first: a few ranges holding every refused character (and
# the supplementary planes' other characters, e.g. CJK Extension B, which then take the exact
# search).  The exact classes, with a literal for each plane's last two code points, cost 5–15×
# more per character, and almost every text has none of these.
_COARSE_CHARS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                 "\U0001fffe-\U0010ffff")
_COARSE = re.compile(f"[{_COARSE_CHARS}]")
_COARSE_NAME = re.compile(f"[{_COARSE_CHARS}\u202a-\u202e\u2066-\u2069]")
_COARSE_ONE_LINE = re.compile(f"[{_COARSE_CHARS}\n\r\t\u202a-\u202e\u2066-\u2069]")


def is_noncharacter(ch: str) -> bool:
    """One of the 66 Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF)."""
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def char_name(ch: str) -> str:
    """How a refused character is named to the user: its code point (they cannot see it)."""
    return f"U+{ord(ch):04X}"


def _char_reason(ch: str) -> str:
    cp = ord(ch)
    if ch in "\n\r\t":
        return f"换行或制表符（{char_name(ch)}），这一项只能写一行"
    if 0xD800 <= cp <= 0xDFFF:
        return f"无效的文字编码（孤立的代理码点 {char_name(ch)}）"
    if is_noncharacter(ch):
        return f"Unicode 非字符（{char_name(ch)}），它不代表任何文字，Word、Excel 也无法保存"
    if ch in BIDI_CONTROLS:
        return f"改变文字方向的控制字符（{char_name(ch)}），它会让名称或数字显示得与实际不同"
    return f"不可见的控制字符（{char_name(ch)}）"


def text_problem(text: str, *, max_chars: int = LONG_TEXT_CHARS, one_line: bool = False,
                 name: bool = False) -> str | None:
    """What is wrong with ``text`` as stored content, as a Chinese phrase to put after the field's
    name ("过长（…）" / "中含有不可见的控制字符（U+0000）"), or ``None`` when it is acceptable.

    Multi-line text may hold tab, line feed and carriage return; ``one_line`` text (as typed in a
    name or cell) none of them, nor a bidirectional control; ``name`` (a name as read from a
    file, where an older version may have kept a line break) no bidirectional control."""
    if len(text) > max_chars:
        return f"过长（{len(text):,} 字，上限 {max_chars:,} 字）"
    if (_COARSE_ONE_LINE if one_line else _COARSE_NAME if name else _COARSE).search(text) is None:
        return None
    bad = (_REFUSED_ONE_LINE if one_line else _REFUSED_NAME if name else _REFUSED).search(text)
    if bad is not None:
        return f"中含有{_char_reason(bad.group())}"
    return None


def check_text(text: str, label: str, *, max_chars: int = LONG_TEXT_CHARS, one_line: bool = False) -> str:
    """``text`` unchanged, or :class:`LimitError` "{label}{problem}，请删除后再输入"."""
    problem = text_problem(text, max_chars=max_chars, one_line=one_line)
    if problem is not None:
        advice = "请删减后再输入" if problem.startswith("过长") else "请删除后再输入"
        raise LimitError(f"{label}{problem}，{advice}")
    return text


def strip_xml_invalid(text: str) -> str:
    """``text`` without the characters a Word or Excel file (XML 1.0) cannot hold and without
    non-characters: for every output path, whatever the content checks let through."""
    if not _XML_INVALID.search(text):
        return text
    return _XML_INVALID.sub("", text)


# OWASP CSV injection: a cell whose text begins with one of these is read as a formula by Excel,
# LibreOffice and others (tab and carriage return can hide one after them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def safe_cell_text(text: str) -> str:
    """Text for a spreadsheet or CSV cell that stays text: a leading = + - @ tab or carriage
    return gets an apostrophe before it (OWASP's rule; the apostrophe is not shown by Excel).
    A plain signed number ("-3.5", "+12%") is left as it is: it cannot be a formula, and a
    change indicator's negative value must read as written.  Also strips what XML cannot hold."""
    text = strip_xml_invalid(text)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# -- file names -------------------------------------------------------------------------------------
# Characters Windows refuses in file names, and the control characters.
_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_part(text: str, max_bytes: int = 120) -> str:
    """``text`` usable as part of a file name on Windows, macOS and Linux: without the characters
    those refuse, controls, non-characters and bidirectional controls (U+202E would show
    "gpj.exe" as "exe.jpg"), and cut to at most ``max_bytes`` bytes of UTF-8 at a whole
    character (a name of 60 four-byte characters is already 240 bytes)."""
    cleaned = strip_xml_invalid(text)
    cleaned = "".join(ch for ch in cleaned if ch not in BIDI_CONTROLS)
    cleaned = _NAME_UNSAFE.sub("", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(". ")
    if cleaned.upper() in _RESERVED_NAMES:
        cleaned = "_" + cleaned
    data = cleaned.encode("utf-8")
    if len(data) > max_bytes:
        cleaned = data[:max_bytes].decode("utf-8", errors="ignore").rstrip(". ")
    return cleaned


def file_name_problem(name: str) -> str | None:
    """Why ``name`` (one file name, no folders) should not be used for a new file, or ``None``:
    too long for the file system, or holding a control, a non-character or a bidirectional
    control (U+202E shows "gpj.exe" as "exe.jpg")."""
    if len(name.encode("utf-8")) > FILE_NAME_BYTES:
        return f"文件名过长（{len(name.encode('utf-8'))} 字节，上限 {FILE_NAME_BYTES} 字节），请改用较短的名称"
    # Characters the file system refuses are its own business (its error is put into words);
    # these it would take, and they would mislead or break whoever reads the name.
    bad = next((ch for ch in name if ch in BIDI_CONTROLS or ch < " " or "\x7f" <= ch <= "\x9f"
                or is_noncharacter(ch)), None)
    if bad is not None:
        return f"文件名中含有不允许的字符（{char_name(bad)}）"
    return None


# -- numbers ----------------------------------------------------------------------------------------
def _bounded(value: Decimal, *, integer_digits: int, places: int, negative: bool) -> str | None:
    if not value.is_finite():
        return "不是有限的数字"
    if value < 0 and not negative:
        return "不能为负数"
    n_int, n_places = _integer_digits(value), _places(value)
    if n_int > integer_digits:
        return f"整数部分超过 {integer_digits} 位，请核对是否多输了数字"
    if n_places > places and value != _round(value, places):
        return f"小数超过 {places} 位"
    return None


def _integer_digits(value: Decimal) -> int:
    """Digits before the point, leading zeros aside (0.5 and 0 have none)."""
    if value == 0:
        return 0
    adjusted = value.adjusted()  # exponent of the leading digit
    return adjusted + 1 if adjusted >= 0 else 0


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _round(value: Decimal, places: int) -> Decimal:
    return quantize_half_up(value, places)


def amount_problem(value: Decimal) -> str | None:
    """An amount in 万元 (never negative, two decimals, fewer than 10¹² 万元)."""
    return _bounded(value, integer_digits=AMOUNT_INTEGER_DIGITS, places=AMOUNT_PLACES, negative=False)


def indicator_value_problem(value: Decimal) -> str | None:
    """年度指标值 / 实际完成值 of a quantitative indicator (change indicators may be negative)."""
    return _bounded(value, integer_digits=INDICATOR_INTEGER_DIGITS, places=INDICATOR_PLACES, negative=True)


def points_problem(value: Decimal) -> str | None:
    """分值 of one indicator."""
    if value.is_finite() and value > POINTS_MAX:
        return f"超过 {POINTS_MAX} 分"
    return _bounded(value, integer_digits=len(str(POINTS_MAX)), places=POINTS_PLACES, negative=False)


def share_problem(value: Decimal) -> str | None:
    """定性得分比例: a share between 0 and 1."""
    if value.is_finite() and not 0 <= value <= 1:
        return "应在 0 到 100% 之间"
    return _bounded(value, integer_digits=1, places=SHARE_PLACES, negative=False)


def year_problem(year: int) -> str | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return f"不在 {YEAR_MIN}–{YEAR_MAX} 之间"
    return None


def revision_problem(revision: int) -> str | None:
    if not 1 <= revision <= REVISION_MAX:
        return f"不在 1–{REVISION_MAX} 之间"
    return None


# The longest decimal text a stored column may hold before it is even converted: sign, 15 digits,
# point, 6 decimals, with room for a few leading zeros a hand-edited file may have.
_STORED_DECIMAL = re.compile(r"-?[0-9]{1,24}(?:\.[0-9]{1,12})?")


def stored_decimal(text: str) -> Decimal | None:
    """A decimal as stored in a report file ("19910.75"), or ``None`` when it is not one of the
    shape the app writes (then the caller refuses the file).  Cheap on anything: the text is
    matched by length-bounded pattern before ``Decimal`` sees it."""
    if not _STORED_DECIMAL.fullmatch(text):
        return None
    return Decimal(text)


# -- computing --------------------------------------------------------------------------------------
# A context no finite value can overflow, underflow or run out of precision in for a rate: inputs
# are bounded above, and one that is not (a crafted file) still computes, rounded to 34 digits.
_RATE = Context(prec=34, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
HUNDRED = Decimal(100)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator in per cent; ``None`` when either is missing or not finite, or the
    denominator is zero.  Never raises, whatever the values."""
    if numerator is None or denominator is None or not numerator.is_finite() or not denominator.is_finite():
        return None
    if denominator == 0:
        return None
    result = _RATE.divide(_RATE.multiply(numerator, HUNDRED), denominator)
    return result if result.is_finite() else None


def quantize_half_up(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (99.135 → 99.14), however large it is
    (``Decimal.quantize`` in the default context raises ``InvalidOperation`` once the result
    needs more than 28 digits, as a rate of 10²⁸ % does).  A value that is not finite is
    returned as it is."""
    return safe_quantize(value, places, ROUND_HALF_UP)


# No figure the limits accept comes near this: amounts stay below 10¹⁵, a rate of two of them
# below 10¹⁹ %, a score below 10³.  A stored value beyond it (a database edited by hand, a file
# from before the limits) is shown as abnormal (e.g. the district's 数值异常), not as digits.
DISPLAY_MAX = Decimal(10) ** 20


def displayable(value: Decimal) -> bool:
    """Is ``value`` a figure to show as digits (finite, and below :data:`DISPLAY_MAX`)?"""
    return value.is_finite() and value.copy_abs() < DISPLAY_MAX  # copy_abs: no context, no Overflow


def safe_quantize(value: Decimal, places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value.quantize(10**-places, rounding)`` that never raises: the context has the precision
    the result needs.  A value that is not finite, or so large that rounding it would mean
    building more than a hundred digits (10¹⁰⁰⁰⁰⁰⁰ stored by hand), is returned as it is."""
    if not value.is_finite() or value.adjusted() > 100:
        return value
    digits = max(value.adjusted(), 0) + places + 2
    try:
        return value.quantize(_quantum(places), context=_rounding_context(max(28, digits), rounding))
    except InvalidOperation:  # pragma: no cover - the precision above always suffices
        return value


# Made once: a summary of 20,000 reports rounds ~160,000 figures, and building a Context and
# a quantum for each was a third of the time.  (A shared context only gathers flags; no
# trap reads them.)
@functools.lru_cache(maxsize=32)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


@functools.lru_cache(maxsize=256)
def _rounding_context(prec: int, rounding: str) -> Context:
    return Context(prec=prec, rounding=rounding, Emax=MAX_EMAX, Emin=MIN_EMIN)
