"""Where a unit sits: its city (市), its district (区/县) and its kind (单位类型: 街道 / 镇 / 乡 / 部门).

A city bureau's database holds many districts, and a district's summary compares streets
with streets and departments with departments.  The kind is taken, in this order, from:

1. a cover field of the report that states it (单位类型 / 单位性质 / 单位类别);
2. the unit's full name, read by the statutory naming of local organs (地方各级人民政府组织法;
   民政部 区划地名): a street office is "…街道办事处", a town government "…镇人民政府", a
   township "…乡人民政府"; a name ending as a department or public institution does (…局,
   …委员会, …办公室, …中心, …学校, …医院 …) reports as a 部门;
3. the report's template, when it is made for one kind of unit (``applies_to``: 街道办事处).
   It comes last: the default template is a street office's, and a department that wrote
   its report with it is still a department.

The district is the unit's own 所属区 field, else the leading place names of its full name
("广州市海珠区…"), which is how official unit names are written; the city likewise.  A name
that says nothing gives "" (shown as 未注明), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nanzhou_desktop.model import Report

KINDS = ("街道", "镇", "乡", "部门")
UNKNOWN = "未注明"

# Province, then city: the name must not swallow a district (区/县) on the way.
_CITY = re.compile(r"^(?:[^省区县市]{2,7}省|[^区县市]{2,10}自治区)?([^省区县市盟]{2,8}?(?:市|自治州|地区|盟))")
_DISTRICT = re.compile(r"^([^省区县市盟人]{1,8}?(?:区|县|旗|市))")
_COVER_KIND_LABELS = ("单位类型", "单位性质", "单位类别")


@dataclass(frozen=True)
class Place:
    city: str
    district: str
    kind: str


# The endings of the names of government departments and public institutions (局、委员会、办公室、
# 中心、学校、医院 …): such a unit reports its 部门整体支出 as a 部门.
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|中心|学校|小学|中学|大学|学院|幼儿园|医院|卫生院|院|馆|所|站|队|"
                         r"协会|联合会|总工会|工会|学会|红十字会|会|联社|社|处|厅|署|部|团|台|园|集团|公司)$")


def kind_from_name(full_name: str) -> str:
    """The kind the statutory name says, or "" when the name follows no convention."""
    name = "".join(full_name.split())
    if not name:
        return ""
    if name.endswith("街道办事处") or name.endswith("街道"):
        return "街道"
    if name.endswith("镇人民政府") or name.endswith("镇"):
        return "镇"
    if name.endswith("乡人民政府") or name.endswith("乡"):
        return "乡"
    return "部门" if _DEPARTMENT.search(name) else ""


def _cover_kind(report: Report) -> str:
    """A kind a cover field of the report states (单位类型 / 单位性质 / 单位类别)."""
    cover: Any = getattr(report, "cover", None)
    stated: list[str] = []
    if isinstance(cover, dict):
        stated += [str(cover.get(label, "")) for label in _COVER_KIND_LABELS]
    elif isinstance(cover, list | tuple):  # the template's cover fields: label and value
        stated += [str(getattr(f, "value", "")) for f in cover if getattr(f, "label", "") in _COVER_KIND_LABELS]
    for value in stated:
        kinds = _kinds_named(value)
        if len(kinds) == 1:
            return kinds[0]
    return ""


def _template_kind(report: Report) -> str:
    """The one kind of unit the report's template is made for ("镇、街道" names none)."""
    template: Any = getattr(report, "template", None)
    kinds = _kinds_named(str(getattr(template, "applies_to", "") or ""))
    return kinds[0] if len(kinds) == 1 else ""


def _kinds_named(text: str) -> list[str]:
    """The kinds a short text names ("街道办事处" → 街道; "镇、街道" → both)."""
    text = "".join(text.split())
    if not text:
        return []
    found = [k for k in ("街道", "镇", "乡") if k in text]
    if any(w in text for w in ("部门", "局", "委员会", "单位")) and not found:
        found.append("部门")
    return found


def split_place(full_name: str) -> tuple[str, str]:
    """(city, district) as the leading place names of an official unit name ("" when absent)."""
    name = "".join(full_name.split())
    city = ""
    m = _CITY.match(name)
    if m and len(name) > m.end():
        city = m.group(1)
        name = name[m.end():]
    d = _DISTRICT.match(name)
    district = d.group(1) if d and len(name) > d.end() else ""
    return city, district


def place_of(report: Report) -> Place:
    """City, district and 单位类型 of the report's unit (see the module's docstring)."""
    full = report.unit.full_name
    city, district = split_place(full)
    district = report.unit.district.strip() or district
    kind = _cover_kind(report) or kind_from_name(full) or _template_kind(report)
    return Place(city, district, kind)
