"""Outline templates (报告提纲).  The outline varies by province, city and year, so it is
data in ``resources/templates/*.json``, not code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from nanzhou_desktop.model import Section, SectionKind
from nanzhou_desktop.resources import resource_path

DEFAULT_TEMPLATE = "guangzhou_street_2022"


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    sections: tuple[dict[str, Any], ...]

    def make_sections(self) -> list[Section]:
        return [
            Section(key=s["key"], level=s["level"], number=s["number"], heading=s["heading"],
                    kind=SectionKind(s.get("kind", "text")), required=bool(s.get("required", True)))
            for s in self.sections
        ]


@cache
def load_template(template_id: str) -> Template:
    path = resource_path("templates", f"{template_id}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Template(data["id"], data["name"], tuple(data["sections"]))


def default_template() -> Template:
    return load_template(DEFAULT_TEMPLATE)


def available_templates() -> list[str]:
    return sorted(p.stem for p in resource_path("templates").glob("*.json"))
