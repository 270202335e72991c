"""Where a unit sits: its city (市), its district (区/县) and its kind (单位类型: 街道 / 镇 / 乡 / 部门).

A city bureau's database holds many districts, and a district's summary compares streets
with streets and departments with departments.  What the report says comes first: a cover
field or the template naming the kind, and the unit's own 所属区 field for the district.
Where a report says nothing, the unit's full name is read by the statutory naming
convention of local organs (地方各级人民政府组织法; 民政部 区划地名): a street office is
"…街道办事处", a town government "…镇人民政府", a township "…乡人民政府"; every other budget
unit reports as a 部门 (a department or one of its subordinate units).  The city and the
district are the leading place names of the full name ("广州市海珠区…"), which is how
official unit names are written.  A name that follows no convention gives "" (shown as
未注明), never a guess.
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


def kind_from_name(full_name: str) -> str:
    name = "".join(full_name.split())
    if not name:
        return ""
    if name.endswith("街道办事处") or name.endswith("街道"):
        return "街道"
    if name.endswith("镇人民政府") or name.endswith("镇"):
        return "镇"
    if name.endswith("乡人民政府") or name.endswith("乡"):
        return "乡"
    return "部门"


def _declared_kind(report: Report) -> str:
    """A kind a cover field states, or the one kind the report's template is made for."""
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
    template: Any = getattr(report, "template", None)
    kinds = _kinds_named(str(getattr(template, "applies_to", "") or ""))
    return kinds[0] if len(kinds) == 1 else ""  # "镇、街道": a template for several kinds says nothing


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
    kind = _declared_kind(report) or kind_from_name(full)
    return Place(city, district, kind)
