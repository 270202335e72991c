"""What each editable column holds, how typed text is read into it, and where it lives in
the model.  One table of specs serves the window, the CLI, the importer and the tests, so a
value refused in one place is refused everywhere with the same Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any

from nanzhou_desktop.limits import (
    INDICATOR_INTEGER_DIGITS,
    LONG_TEXT_CHARS,
    REPORT_TEXT_CHARS,
    ROWS_MAX,
    SHORT_TEXT_CHARS,
    TABLE_LABELS,
    LimitError,
    amount_problem,
    check_text,
    indicator_value_problem,
    points_problem,
    revision_problem,
    share_problem,
    text_problem,
    year_problem,
)
from nanzhou_desktop.model import QUALITATIVE_VALUES, Direction, Report, Status
from nanzhou_desktop.money import AmountError, normalise_digits, parse_decimal, parse_money
from nanzhou_desktop.quantity import normalised, read_quantity
from nanzhou_desktop.store.errors import EditError

MAX_TEXT = LONG_TEXT_CHARS  # characters in one narrative field (nanzhou_desktop.limits)


def clean_text(value: Any, label: str, *, short: bool = False) -> str:
    """Text as typed: line endings unified; refused (:class:`EditError`) when it is too long or
    holds what no report can (control characters, Unicode non-characters, a lone surrogate).

    ``short`` is for a name, title, heading or table cell: one line of at most
    ``limits.SHORT_TEXT_CHARS`` characters, without tabs or bidirectional controls."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    try:
        return check_text(text, label, max_chars=SHORT_TEXT_CHARS if short else LONG_TEXT_CHARS, one_line=short)
    except LimitError as exc:
        raise EditError(str(exc)) from None


def clean_line(value: Any, label: str) -> str:
    """A one-line text field (name, title, heading, table cell); see :func:`clean_text`."""
    return clean_text(value, label, short=True)


def parse_date(value: Any, label: str) -> str:
    """2023-03-15 / 2023年3月15日 / 2023/3/15 / 2023.3.15 → ISO ``2023-03-15``; '' stays ''."""
    text = normalise_digits(str(value or "")).replace(" ", "")
    if not text:
        return ""
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        raise EditError(f"{label}“{value}”不是日期，请按“2023年3月15日”或“2023-03-15”的格式填写")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError as exc:
        raise EditError(f"{label}“{value}”不是真实存在的日期") from exc


def parse_year(value: Any, label: str) -> int:
    """年度: 2023 / ２０２３ / 2023年 / 2023年度 → 2023 (2000–2100)."""
    text = normalise_digits(str(value or "")).replace(" ", "")
    m = re.fullmatch(r"(\d{4})(?:年度?)?", text)
    if not m:
        raise EditError(f"{label}“{value}”不是年度，请填写四位数字，如 2023")
    year = int(m[1])
    if not 2000 <= year <= 2100:
        raise EditError(f"{label} {year} 不在 2000–2100 之间")
    return year


def parse_phone(value: Any, label: str) -> str:
    text = normalise_digits(str(value or "")).strip()
    if text and not re.fullmatch(r"[0-9+()（）\- 、,/]{3,40}", text):
        bad = next((c for c in text if not re.match(r"[0-9+()（）\- 、,/]", c)), "")
        raise EditError(f"{label}“{value}”中含有“{bad}”，电话号码只能包含数字、“-”和括号")
    return text


def parse_landline(value: Any, label: str) -> str:
    """An office number: 7–8 digits, with a 3–4 digit area code 10–12, or a mobile (11
    digits from 1); two numbers may be given (separated by 、 , / or a space).  "123" or
    a digit too many is refused here rather than printed in the 落款."""
    text = parse_phone(value, label)

    def digits_of(number: str) -> str:
        return re.sub(r"^\+?86(?=\d{9,})", "", re.sub(r"[^0-9+]", "", number)).lstrip("+")

    numbers: list[str] = []
    for part in re.split(r"[、,/]", text):
        # "020 8420 1234" is one number; "020-84201234 13800000000" two, split at the space.
        numbers.extend(part.split() if len(digits_of(part)) > 12 else [part])
    for number in numbers:
        digits = digits_of(number)
        if digits and not (7 <= len(digits) <= 12):
            raise EditError(f"{label}“{value}”的号码位数不对（{len(digits)} 位）：办公电话是区号加 7–8 位号码，"
                            "如 020-84201234")
    return text


def parse_mobile(value: Any, label: str) -> str:
    """A mainland mobile number: 11 digits starting with 1 (spaces, “-” and a +86 prefix
    allowed).  Seven digits typed here was a number cut short, not a landline."""
    text = parse_phone(value, label)
    digits = re.sub(r"[\s\-]", "", text)
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    if text and not re.fullmatch(r"1\d{10}", digits):
        raise EditError(f"{label}“{value}”不是 11 位手机号码（如 13800000000）；办公电话请填在“联系电话（办公）”")
    return text


def _money(value: Any, label: str) -> Decimal | None:
    try:
        return parse_money(value, field=label)
    except AmountError as exc:
        raise EditError(str(exc)) from exc


def _decimal(value: Any, label: str) -> Decimal | None:
    try:
        return parse_decimal(value, field=label, allow_negative=False)
    except AmountError as exc:
        raise EditError(str(exc)) from exc


def _points(value: Any, label: str) -> Decimal | None:
    d = _decimal(value, label)
    if d is not None and (problem := points_problem(d)):
        raise EditError(f"{label}“{value}”{problem}")
    return d


def _share(value: Any, label: str) -> Decimal | None:
    d = _decimal(value, label)
    if d is not None and d > 1:
        d = d / 100 if d <= 100 else d  # typed as a percentage: 85 → 0.85
    if d is not None and not (0 <= d <= 1):
        raise EditError(f"{label}应在 0 到 100% 之间（输入的是 {value}）")
    if d is not None and (problem := share_problem(d)):
        raise EditError(f"{label}“{value}”{problem}")
    return d


def _direction(value: Any, label: str) -> Direction:
    text = normalise_digits(str(value or "")).strip()
    aliases = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", "＝": "=", "定性": "定性"}
    if text in aliases:
        return Direction(aliases[text])
    raise EditError(f"{label}“{value}”无效，应为 ≥、≤、= 或 定性")


def _bool(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "是", "yes"):
        return True
    if text in ("0", "false", "否", "no", ""):
        return False
    raise EditError(f"{label}只能是“是”或“否”（输入的是 {value}）")


@dataclass(frozen=True)
class FieldSpec:
    label: str  # Chinese name shown to the user
    parse: Callable[[Any, str], Any]
    attr: str  # attribute path in the model object ("signoff.head", "unit.full_name", "body")
    kind: str = "text"  # text | money | decimal | date | phone | enum | bool

    def read(self, value: Any) -> Any:
        return self.parse(value, self.label)


def _t(label: str, attr: str) -> FieldSpec:
    """A multi-line text field (正文, 偏差原因, 数据来源)."""
    return FieldSpec(label, clean_text, attr)


def _s(label: str, attr: str) -> FieldSpec:
    """A one-line text field (names, titles, headings, table cells)."""
    return FieldSpec(label, clean_line, attr)


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "report": {
        "title": _s("报告标题", "title"),
        "fiscal_year": FieldSpec("年度", parse_year, "year", "year"),
        "unit_full_name": _s("单位全称", "unit.full_name"),
        "unit_short_name": _s("单位简称", "unit.short_name"),
        "unit_code": _s("单位编码", "unit.code"),
        "district": _s("所属区", "unit.district"),
        "head": _s("单位负责人", "signoff.head"),
        "finance_head": _s("财务负责人", "signoff.finance_head"),
        "preparer": _s("填报人", "signoff.preparer"),
        "phone_office": FieldSpec("联系电话（办公）", parse_landline, "signoff.phone_office", "phone"),
        "phone_mobile": FieldSpec("联系电话（手机）", parse_mobile, "signoff.phone_mobile", "phone"),
        "fill_date": FieldSpec("填报日期", parse_date, "signoff.fill_date", "date"),
        "issue_date": FieldSpec("成文日期", parse_date, "signoff.issue_date", "date"),
        "preface": _t("前言", "preface"),
    },
    "cover_fields": {"value": _t("封面项目", "value")},  # read again by its kind: parse_cover_value
    "sections": {
        "number": _s("编号", "number"),
        "heading": _s("标题", "heading"),
        "body": _t("正文", "body"),
    },
    "tasks": {"title": _s("工作任务标题", "title"), "body": _t("工作任务正文", "body")},
    "task_items": {"title": _s("小项标题", "title"), "body": _t("小项正文", "body")},
    "budget_rows": {
        "label": _s("项目名称", "label"),
        "budget_initial": FieldSpec("年初预算数", _money, "budget_initial", "money"),
        "budget_total": FieldSpec("全年预算数", _money, "budget_total", "money"),
        "executed": FieldSpec("全年执行数", _money, "executed", "money"),
        "reason": _t("偏差原因", "reason"),
        "prior_budget_total": FieldSpec("上年全年预算数", _money, "prior_budget_total", "money"),
        "prior_executed": FieldSpec("上年全年执行数", _money, "prior_executed", "money"),
    },
    "projects": {
        "name": _s("项目名称", "name"),
        "budget_total": FieldSpec("预算数", _money, "budget_total", "money"),
        "executed": FieldSpec("执行数", _money, "executed", "money"),
        "reason": _t("偏差原因", "reason"),
        "prior_budget_total": FieldSpec("上年预算数", _money, "prior_budget_total", "money"),
        "prior_executed": FieldSpec("上年执行数", _money, "prior_executed", "money"),
    },
    "indicators": {
        "level1": _s("一级指标", "level1"),
        "level2": _s("二级指标", "level2"),
        "level3": _s("三级指标", "level3"),
        "direction": FieldSpec("指标性质", _direction, "direction", "enum"),
        "target": _s("年度指标值", "target"),
        "unit": _s("度量单位", "unit"),
        "actual": _s("实际完成值", "actual"),
        "points": FieldSpec("分值", _points, "points", "decimal"),
        "reason": _t("偏差原因分析及改进措施", "reason"),
        "not_applicable": FieldSpec("不适用", _bool, "not_applicable", "bool"),
        "qual_share": FieldSpec("定性得分比例", _share, "qual_share", "decimal"),
        "note": _t("数据来源", "note"),
        "prior_actual": _s("上年实际完成值", "prior_actual"),
        "target_initial": _s("年初目标值", "target_initial"),
        "score": FieldSpec("得分", _points, "score", "decimal"),
    },
}


def check_indicator_value(direction: Direction, value: str, label: str,
                          qualitative: tuple[str, ...] = QUALITATIVE_VALUES) -> str:
    """Target/actual of an indicator: for ≥ ≤ = a number, which may carry its unit ("168起",
    "≥50个"; the unit is checked against 度量单位 by the rules); for 定性 the 实际完成值 is one of
    the report's 定性 values (``qualitative``: 达成 / 部分达成 / 未达成, or 好 / 较好 / 一般 / 差 …)."""
    text = value.strip()
    if not text:
        return ""
    if direction == Direction.QUALITATIVE:
        if label == "实际完成值" and text not in qualitative:
            choices = "”“".join(qualitative)
            raise EditError(f"定性指标的{label}只能是“{choices}”之一（输入的是“{text}”）")
        return text
    q = read_quantity(text)
    if q is None:
        plain = normalise_digits(text).replace(" ", "").replace(",", "").removesuffix("%")
        if _PLAIN_NUMBER.fullmatch(plain):  # a number the reader refused: more digits than allowed
            raise EditError(f"{label}“{text}”整数部分超过 {INDICATOR_INTEGER_DIGITS} 位，请核对是否多输了数字")
        raise EditError(f"{label}“{text}”不是数字：定量指标请填数字，可带单位（如“168起”“95%”）；"
                        "用文字描述的指标请把指标性质改为“定性”")
    if problem := indicator_value_problem(q.number):
        raise EditError(f"{label}“{text}”{problem}")
    return normalised(q)


def parse_cover_value(kind: str, value: Any, label: str) -> str:
    """A cover field's value by its kind: a date (stored ISO), a year (yyyy), a code (letters,
    digits and - _ . /) or text."""
    text = clean_text(value, label).strip()
    if kind == "date":
        return parse_date(text, label)
    if kind == "year":
        y = normalise_digits(text).replace(" ", "").removesuffix("年度").removesuffix("年")
        if not y:
            return ""
        if not re.fullmatch(r"\d{4}", y) or not 1990 <= int(y) <= 2100:
            raise EditError(f"{label}“{text}”不是年度，请填写四位年份，如 2022")
        return y
    if kind == "code":
        code = normalise_digits(text)
        if code and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z\-_./]{0,39}", code):
            raise EditError(f"{label}“{text}”只能包含字母、数字和 - _ . /（最多 40 位）")
        return code
    return text


def to_db(spec: FieldSpec, value: Any) -> Any:
    """The model value as stored in its STRICT column (decimals as canonical text)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Direction):
        return str(value)
    return value


# -- a whole report against the limits --------------------------------------------------------------
# The same bounds as typing, for a report that did not come through typing: a file being opened
# (show, check, print, the window), a file being made (new, import, undump, next-year).  One walk
# of the columns of FIELDS, so a column added there is checked here too.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_LONG = "long"
_SHORT = "short"
_DECIMAL_PROBLEMS = {"money": amount_problem, "points": points_problem, "score": points_problem,
                     "qual_share": share_problem}
_EXTRA_TEXT = {  # stored text columns that are not typed as such
    "report": (("uuid", "报告编号"), ("template_id", "提纲版本"), ("final_fingerprint", "内容指纹")),
    "sections": (("key", "章节编号"),),
}


def _text_kind(spec: FieldSpec) -> str | None:
    if spec.parse is clean_text:
        return _LONG
    if spec.kind in ("text", "phone", "date", "enum") and spec.parse is not _direction:
        return _SHORT
    return None


def _values(report: Report) -> Iterator[tuple[str, str, Any, str]]:
    """(table, where, value, kind) for every stored value the limits apply to; ``where`` names
    it the way the window does."""
    r = report
    for spec in FIELDS["report"].values():
        kind = _text_kind(spec)
        if kind:
            yield "report", f"“{spec.label}”", _attr(r, spec.attr), kind
    for column, label in _EXTRA_TEXT["report"]:
        yield "report", f"“{label}”", getattr(r, column), _SHORT
    for n, cover in enumerate(r.cover, 1):
        yield "cover_fields", f"封面项目第 {n} 项的“名称”", cover.label, _SHORT
        yield "cover_fields", f"封面项目“{cover.label[:20]}”", cover.value, _SHORT
    for table in ("sections", "tasks", "task_items", "budget_rows", "projects", "indicators"):
        for n, row in enumerate(r.rows(table), 1):
            where = f"{TABLE_LABELS[table]}第 {n} 行的"
            for column, label in _EXTRA_TEXT.get(table, ()):
                yield table, f"{where}“{label}”", getattr(row, column), _SHORT
            for column, spec in FIELDS[table].items():
                value = _attr(row, spec.attr)
                kind = _text_kind(spec)
                if kind:
                    yield table, f"{where}“{spec.label}”", value, kind
                elif spec.kind == "money" or column in _DECIMAL_PROBLEMS:
                    yield table, f"{where}“{spec.label}”", value, "money" if spec.kind == "money" else column
            if table == "indicators" and row.direction != Direction.QUALITATIVE:
                for column in ("target", "actual", "prior_actual", "target_initial"):
                    spec = FIELDS[table][column]
                    yield table, f"{where}“{spec.label}”", getattr(row, column), "indicator"
    for n, e in enumerate(r.explanations.values(), 1):
        where = f"出错说明第 {n} 条的"
        yield "explanations", f"{where}“问题编号”", e.finding_key, _SHORT
        yield "explanations", f"{where}“说明”", e.text, _LONG
        yield "explanations", f"{where}“填写人”", e.author, _SHORT
        yield "explanations", f"{where}“时间”", e.at, _SHORT


def _getter(attrs: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """One C-level call giving the values of ``attrs`` (dotted paths) of an object, as a tuple."""
    if not attrs:
        return lambda _obj: ()
    get = attrgetter(*attrs)
    return (lambda obj: (get(obj),)) if len(attrs) == 1 else get  # type: ignore[return-value]


@cache
def _row_plan(table: str) -> tuple[Callable[[Any], tuple[Any, ...]], Callable[[Any], tuple[Any, ...]],
                                   tuple[tuple[Callable[[Any], Any], str], ...]]:
    """For one row of ``table``: getters of its long texts, of its short texts, and (getter, kind)
    of its other bounded values, in the order of :func:`_values` (which this must follow; a test
    compares the two)."""
    longs: list[str] = []
    shorts = [column for column, _ in _EXTRA_TEXT.get(table, ())]
    others: list[tuple[Callable[[Any], Any], str]] = []
    for column, spec in FIELDS[table].items():
        kind = _text_kind(spec)
        if kind:
            (longs if kind == _LONG else shorts).append(spec.attr)
        elif spec.kind == "money" or column in _DECIMAL_PROBLEMS:
            others.append((attrgetter(spec.attr), "money" if spec.kind == "money" else column))
    return _getter(longs), _getter(shorts), tuple(others)


_INDICATOR_VALUES = attrgetter("target", "actual", "prior_actual", "target_initial")
_EXPLANATION_SHORTS = attrgetter("finding_key", "author", "at")


def _sorted_values(report: Report) -> tuple[list[Any], list[Any], list[tuple[Any, str]]]:
    """What :func:`_values` yields, without the words that say where (only wanted when something
    is wrong): the long texts, the short texts, and the other values with their kind.  A few
    C-level calls per row instead of a generator step per value: the common case of
    :func:`report_problem` on every file the district loads."""
    longs: list[Any] = []
    shorts: list[Any] = []
    others: list[tuple[Any, str]] = []
    get_long, get_short, get_others = _row_plan("report")
    longs.extend(get_long(report))
    shorts.extend(get_short(report))
    others.extend((get(report), kind) for get, kind in get_others)
    for cover in report.cover:
        shorts.append(cover.label)
        shorts.append(cover.value)
    for table in ("sections", "tasks", "task_items", "budget_rows", "projects", "indicators"):
        get_long, get_short, get_others = _row_plan(table)
        rows = report.rows(table)
        for row in rows:
            longs.extend(get_long(row))
            shorts.extend(get_short(row))
        for get, kind in get_others:
            others.extend((get(row), kind) for row in rows)
        if table == "indicators":
            for row in rows:
                if row.direction != Direction.QUALITATIVE:
                    others.extend((v, "indicator") for v in _INDICATOR_VALUES(row))
    for e in report.explanations.values():
        shorts.extend(_EXPLANATION_SHORTS(e))
        longs.append(e.text)
    return longs, shorts, others


def _attr(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _value_problem(value: Any, kind: str) -> str | None:
    if kind == _LONG:
        return text_problem(value, max_chars=LONG_TEXT_CHARS) if isinstance(value, str) else "不是文字"
    if kind == _SHORT:
        return text_problem(value, max_chars=SHORT_TEXT_CHARS, name=True) if isinstance(value, str) else "不是文字"
    if kind == "indicator":
        if not isinstance(value, str):
            return "不是文字"
        q = read_quantity(value)
        if q is not None:
            return indicator_value_problem(q.number)
        raw = normalise_digits(value).replace(" ", "").replace(",", "").removesuffix("%")
        if _PLAIN_NUMBER.fullmatch(raw):  # digits the number reader refused: too many of them
            return f"整数部分超过 {INDICATOR_INTEGER_DIGITS} 位"
        return None  # words, or nothing: the rules say what is wrong with it
    if value is None:
        return None
    if not isinstance(value, Decimal):
        return "不是数字"
    return _DECIMAL_PROBLEMS[kind](value)


def report_problem(report: Report, *, characters_checked: bool = False) -> str | None:
    """The first thing in ``report`` outside the limits, as a Chinese phrase naming where it is
    ("预算执行情况第 1 行的“全年执行数”整数部分超过 15 位，…"), or ``None`` (the usual case,
    found in a few passes over the joined text).

    ``characters_checked``: the caller has already refused every character
    :func:`~nanzhou_desktop.limits.text_problem` refuses in multi-line text, in every text
    field (the district's reader does, as it reads each column): the narrative is then
    measured, not searched again, which is most of the cost on a long report."""
    # Year 0: a draft imported from a document that names no year, to be filled in (the checks
    # list it as an error, so such a report is never finalised or sent).
    if (report.year != 0 or report.status != Status.DRAFT) and (problem := year_problem(report.year)):
        return f"年度 {report.year} {problem}"
    if problem := revision_problem(report.revision):
        return f"修订号 {report.revision} {problem}"
    for table, limit in ROWS_MAX.items():
        n = len(report.explanations) if table == "explanations" else len(report.rows(table))
        if n > limit:
            return f"{TABLE_LABELS[table]}有 {n:,} 行，超过上限 {limit:,} 行"
    longs, shorts, others = _sorted_values(report)
    try:
        total = sum(map(len, longs)) + sum(map(len, shorts))
        sound = ((total <= REPORT_TEXT_CHARS if characters_checked
                  else text_problem("\n".join(longs), max_chars=REPORT_TEXT_CHARS) is None)
                 and max(map(len, longs), default=0) <= LONG_TEXT_CHARS
                 and text_problem("\n".join(shorts), max_chars=REPORT_TEXT_CHARS, name=True) is None
                 and max(map(len, shorts), default=0) <= SHORT_TEXT_CHARS)
    except TypeError:  # something that is not text
        total, sound = 0, False
    if sound and all(_value_problem(v, kind) is None for v, kind in others):
        return None
    for _table, where, value, kind in _values(report):
        if problem := _value_problem(value, kind):
            if kind in (_LONG, _SHORT):
                return f"{where}{problem}"
            shown = format(value, "f") if isinstance(value, Decimal) else str(value)
            return f"{where}（{shown[:40]}）{problem}"
    if total > REPORT_TEXT_CHARS:
        return f"文字合计 {total:,} 字，超过一份报告的上限 {REPORT_TEXT_CHARS:,} 字"
    return None
