"""What each editable column holds, how typed text is read into it, and where it lives in
the model.  One table of specs serves the window, the CLI, the importer and the tests, so a
value refused in one place is refused everywhere with the same Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nanzhou_desktop.model import QUALITATIVE_VALUES, Direction
from nanzhou_desktop.money import AmountError, normalise_digits, parse_decimal, parse_money
from nanzhou_desktop.quantity import normalised, read_quantity
from nanzhou_desktop.store.errors import EditError

MAX_TEXT = 1_000_000  # characters in one narrative field
_CONTROL_OK = {"\n", "\t"}


def clean_text(value: Any, label: str) -> str:
    """Narrative text as typed: line endings unified; invisible control characters refused."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    if len(text) > MAX_TEXT:
        raise EditError(f"{label}过长（{len(text):,} 字），每项最多 {MAX_TEXT:,} 字")
    for ch in text:
        if ch not in _CONTROL_OK and unicodedata.category(ch) == "Cc":
            raise EditError(f"{label}中含有不可见的控制字符（U+{ord(ch):04X}），请删除后再输入")
    return text


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


def _share(value: Any, label: str) -> Decimal | None:
    d = _decimal(value, label)
    if d is not None and d > 1:
        d = d / 100 if d <= 100 else d  # typed as a percentage: 85 → 0.85
    if d is not None and not (0 <= d <= 1):
        raise EditError(f"{label}应在 0 到 100% 之间（输入的是 {value}）")
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
    return FieldSpec(label, clean_text, attr)


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "report": {
        "title": _t("报告标题", "title"),
        "unit_full_name": _t("单位全称", "unit.full_name"),
        "unit_short_name": _t("单位简称", "unit.short_name"),
        "unit_code": _t("单位编码", "unit.code"),
        "district": _t("所属区", "unit.district"),
        "head": _t("单位负责人", "signoff.head"),
        "finance_head": _t("财务负责人", "signoff.finance_head"),
        "preparer": _t("填报人", "signoff.preparer"),
        "phone_office": FieldSpec("联系电话（办公）", parse_landline, "signoff.phone_office", "phone"),
        "phone_mobile": FieldSpec("联系电话（手机）", parse_mobile, "signoff.phone_mobile", "phone"),
        "fill_date": FieldSpec("填报日期", parse_date, "signoff.fill_date", "date"),
        "issue_date": FieldSpec("成文日期", parse_date, "signoff.issue_date", "date"),
        "preface": _t("前言", "preface"),
    },
    "cover_fields": {"value": _t("封面项目", "value")},  # read again by its kind: parse_cover_value
    "sections": {
        "number": _t("编号", "number"),
        "heading": _t("标题", "heading"),
        "body": _t("正文", "body"),
    },
    "tasks": {"title": _t("工作任务标题", "title"), "body": _t("工作任务正文", "body")},
    "task_items": {"title": _t("小项标题", "title"), "body": _t("小项正文", "body")},
    "budget_rows": {
        "label": _t("项目名称", "label"),
        "budget_initial": FieldSpec("年初预算数", _money, "budget_initial", "money"),
        "budget_total": FieldSpec("全年预算数", _money, "budget_total", "money"),
        "executed": FieldSpec("全年执行数", _money, "executed", "money"),
        "reason": _t("偏差原因", "reason"),
        "prior_budget_total": FieldSpec("上年全年预算数", _money, "prior_budget_total", "money"),
        "prior_executed": FieldSpec("上年全年执行数", _money, "prior_executed", "money"),
    },
    "projects": {
        "name": _t("项目名称", "name"),
        "budget_total": FieldSpec("预算数", _money, "budget_total", "money"),
        "executed": FieldSpec("执行数", _money, "executed", "money"),
        "reason": _t("偏差原因", "reason"),
        "prior_budget_total": FieldSpec("上年预算数", _money, "prior_budget_total", "money"),
        "prior_executed": FieldSpec("上年执行数", _money, "prior_executed", "money"),
    },
    "indicators": {
        "level1": _t("一级指标", "level1"),
        "level2": _t("二级指标", "level2"),
        "level3": _t("三级指标", "level3"),
        "direction": FieldSpec("指标性质", _direction, "direction", "enum"),
        "target": _t("年度指标值", "target"),
        "unit": _t("度量单位", "unit"),
        "actual": _t("实际完成值", "actual"),
        "points": FieldSpec("分值", _decimal, "points", "decimal"),
        "reason": _t("偏差原因分析及改进措施", "reason"),
        "not_applicable": FieldSpec("不适用", _bool, "not_applicable", "bool"),
        "qual_share": FieldSpec("定性得分比例", _share, "qual_share", "decimal"),
        "note": _t("数据来源", "note"),
        "prior_actual": _t("上年实际完成值", "prior_actual"),
        "target_initial": _t("年初目标值", "target_initial"),
        "score": FieldSpec("得分", _decimal, "score", "decimal"),
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
        raise EditError(f"{label}“{text}”不是数字：定量指标请填数字，可带单位（如“168起”“95%”）；"
                        "用文字描述的指标请把指标性质改为“定性”")
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
