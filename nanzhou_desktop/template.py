"""Report templates (报告模板): the outline, cover, 前言, 自评表 and 评分办法 of one office's
format, as data in a JSON file (``resources/templates/*.json``, and the user's own in
:func:`user_template_dir`).  ``docs/templates.md`` documents the file.

A template is read and validated in full; a problem is a :class:`TemplateError` whose text
names the file and the place (``outline[1].children[0]（章节 2.1）`` …).  :func:`catalog` lists
every template it can read and, apart, the files it could not, so one broken file leaves the
others usable.  A report made from a template copies everything it needs into itself
(:meth:`Template.new_report`); after that the template file is not needed to open, check,
print or send it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    CoverField,
    Direction,
    Indicator,
    Report,
    Section,
    SectionKind,
    Unit,
)
from nanzhou_desktop.resources import resource_path
from nanzhou_desktop.template_data import (
    DATA_FORMAT,
    SECTION_KINDS,
    CoverSpec,
    ReportTemplate,
    TemplateError,
    _Reader,
    format_number,
    loads_checked,
    parse_cover,
    parse_report_template,
)

DEFAULT_TEMPLATE = "guangzhou_street_2022"
MAX_DEPTH = 6
MAX_SECTIONS = 300
_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
_KEY = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")
_FILE_KEYS = ("format", "id", "version", "name", "region", "applies_to", "years", "sources", "numbering",
              "preface", "cover", "outline", "table", "scoring", "note")

__all__ = ["DEFAULT_TEMPLATE", "OutlineNode", "Template", "TemplateError", "catalog", "default_template",
           "load_template", "load_template_file", "renumber"]


@dataclass(frozen=True)
class OutlineNode:
    """A section of a template's outline, with the sections under it."""

    key: str
    heading: str
    kind: str = "text"
    required: bool = True
    aliases: tuple[str, ...] = ()  # other wordings of the heading in real reports (for import)
    children: tuple[OutlineNode, ...] = ()


@dataclass(frozen=True)
class Template:
    """One template file, read and checked."""

    id: str
    data: ReportTemplate  # what a report made from it keeps (numbering, 自评表, 评分办法 …)
    outline: tuple[OutlineNode, ...]
    cover: tuple[CoverSpec, ...] = ()
    path: Path | None = None
    note: str = ""
    builtin: bool = True
    _flat: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def version(self) -> str:
        return self.data.version

    @property
    def sections(self) -> tuple[dict[str, Any], ...]:
        """The outline flattened in reading order, one dict a section (key, level, number,
        heading, kind, required, aliases): the shape the importer matches headings against."""
        return self._flat

    def make_sections(self) -> list[Section]:
        return [Section(key=s["key"], level=s["level"], number=s["number"], heading=s["heading"],
                        kind=SectionKind(s["kind"]), required=s["required"]) for s in self._flat]

    def new_report(self, uuid: str, unit: Unit, year: int) -> Report:
        """A blank report from this template: its outline, cover fields, budget rows and preset
        indicators, and a copy of the template's data."""
        t = self.data
        report = Report(uuid=uuid, year=year, unit=unit, template_id=self.id, template=t)
        report.sections = self.make_sections()
        report.budget = [BudgetRow(BudgetKind(kind), label) for kind, label in t.table.budget_rows]
        report.indicators = [
            Indicator(p.level1, p.level2, p.level3, Direction(p.direction), p.target, p.unit, points=p.points,
                      note=p.note)
            for p in t.table.indicators
        ]
        report.cover = [CoverField(c.key, c.label, c.kind, c.required) for c in self.cover]
        return report

    def describe(self) -> dict[str, Any]:
        """What ``templates --json`` prints for it."""
        t = self.data
        return {
            "id": self.id,
            "version": t.version,
            "name": t.name,
            "region": t.region,
            "applies_to": t.applies_to,
            "years": {k: y for k, y in zip(("from", "to"), t.years, strict=True) if y is not None},
            "source": "；".join(s.title + (f"（{s.url}）" if s.url else "") for s in t.sources),
            "sources": [{"title": s.title, "url": s.url, "note": s.note} for s in t.sources],
            "file": str(self.path) if self.path else "",
            "builtin": self.builtin,
        }


# ------------------------------------------------------------------------- reading
def parse_template(data: Any, source: str, *, path: Path | None = None, builtin: bool = True) -> Template:
    """A :class:`Template` from a template file's data; raises :class:`TemplateError`."""
    r = _Reader(source)
    d = r.obj(data, "")
    r.known(d, "", _FILE_KEYS)
    if d.get("format") != DATA_FORMAT:
        raise r.fail("format", f"应为 {DATA_FORMAT}（本程序能读的模板格式版本），现为“{d.get('format')}”")
    tid = d.get("id")
    if not isinstance(tid, str) or not _ID.fullmatch(tid):
        raise r.fail("id", f"“{tid}”无效：应为小写英文字母开头，由小写字母、数字和下划线组成（如 guangzhou_street_2022）")
    numbering = d.get("numbering")
    report_template = parse_report_template({k: v for k, v in d.items() if k not in (
        "format", "id", "outline", "cover", "note")}, source)
    outline = _outline(r, d.get("outline"), "outline", 1, set(), {"budget": 0, "projects": 0, "tasks": 0})
    if not outline:
        raise r.fail("outline", "提纲至少要有一个章节")
    cover = parse_cover(d.get("cover"), source)
    keys = {n.key for n in _walk(outline)}
    for key, _cell in report_template.table.text_cells:
        if key not in keys:
            raise r.fail(f"table.text_cells.{key}", f"提纲中没有键为“{key}”的章节")
    note = r.text(d.get("note"), "note", required=False, limit=4000)
    flat = tuple(_flatten(outline, report_template, numbering))
    return Template(tid, report_template, outline, cover, path, note, builtin, flat)


def _outline(r: _Reader, value: Any, place: str, level: int, seen: set[str], kinds: dict[str, int]
             ) -> tuple[OutlineNode, ...]:
    items = r.items(value, place, required=level == 1)
    if level > MAX_DEPTH and items:
        raise r.fail(place, f"提纲最多 {MAX_DEPTH} 级")
    out: list[OutlineNode] = []
    for i, item in enumerate(items):
        p = f"{place}[{i}]"
        node = r.obj(item, p)
        r.known(node, p, ("key", "heading", "kind", "required", "aliases", "children"))
        key = node.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise r.fail(f"{p}.key", f"章节键“{key}”无效：应由字母、数字和“.”组成（如 1.2）")
        pk = f"{p}（章节 {key}）"
        if key in seen:
            raise r.fail(f"{pk}.key", f"章节键“{key}”重复")
        seen.add(key)
        if len(seen) > MAX_SECTIONS:
            raise r.fail(place, f"章节超过 {MAX_SECTIONS} 个")
        heading = r.text(node.get("heading"), f"{pk}.heading", limit=100)
        if "\n" in heading:
            raise r.fail(f"{pk}.heading", "标题不能换行")
        kind = r.choice(node.get("kind"), f"{pk}.kind", SECTION_KINDS, "text")
        if kind != "text":
            kinds[kind] += 1
            if kinds[kind] > 1:
                raise r.fail(f"{pk}.kind", f"类型为“{kind}”的章节只能有一个（自评表中的{_KIND_NAMES[kind]}只放在一处）")
        required = r.boolean(node.get("required"), f"{pk}.required", True)
        aliases = tuple(r.text(a, f"{pk}.aliases[{j}]", limit=100)
                        for j, a in enumerate(r.items(node.get("aliases"), f"{pk}.aliases", required=False)))
        children = _outline(r, node.get("children"), f"{pk}.children", level + 1, seen, kinds)
        if kind == "tasks" and children:
            raise r.fail(f"{pk}.children", "工作任务章节（tasks）下面是各项工作任务，不能再有下级章节")
        out.append(OutlineNode(key, heading, kind, required, aliases, children))
    return tuple(out)


_KIND_NAMES = {"budget": "预算执行情况", "projects": "重点项目", "tasks": "工作任务"}


def _walk(nodes: tuple[OutlineNode, ...]) -> list[OutlineNode]:
    out: list[OutlineNode] = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(n.children))
    return out


def _flatten(nodes: tuple[OutlineNode, ...], t: ReportTemplate, _numbering: Any, level: int = 1
             ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, n in enumerate(nodes, 1):
        out.append({"key": n.key, "level": level, "number": format_number(t.number_style(level), i),
                    "heading": n.heading, "kind": n.kind, "required": n.required, "aliases": n.aliases})
        out.extend(_flatten(n.children, t, _numbering, level + 1))
    return out


def load_template_file(path: str | Path, *, builtin: bool = False) -> Template:
    """Read and check one template file; :class:`TemplateError` names the file and the place."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        from nanzhou_desktop.store.errors import os_reason

        raise TemplateError(name, "", f"无法读取：{os_reason(exc)}") from exc
    if len(raw) > 2_000_000:
        raise TemplateError(name, "", f"过大（{len(raw):,} 字节），不像是模板文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(name, "", "不是 UTF-8 编码的文本") from None
    return parse_template(loads_checked(text, name), name, path=path, builtin=builtin)


def builtin_dir() -> Path:
    return resource_path("templates")


def user_template_dir() -> Path:
    """Where a user's (or a district's) own template files are looked for: ``模板`` under the
    app's data folder (``NANZHOU_HOME/data/templates`` when that is set)."""
    home = os.environ.get("NANZHOU_HOME")
    if home:
        return Path(home) / "data" / "templates"
    from platformdirs import user_data_dir

    from nanzhou_desktop import APP_NAME

    return Path(user_data_dir(APP_NAME, "nanzhou")) / "templates"


@dataclass
class Catalog:
    """Every template that could be read, and a Chinese sentence for each file that could not."""

    templates: list[Template]
    problems: list[str]

    def get(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)


def catalog(extra_dirs: tuple[Path, ...] | None = None) -> Catalog:
    """The built-in templates, then those in ``extra_dirs`` (default: :func:`user_template_dir`).
    A file that cannot be read, or whose id is already taken, is listed in ``problems``."""
    dirs = [(builtin_dir(), True)] + [(d, False) for d in (
        extra_dirs if extra_dirs is not None else (user_template_dir(),))]
    out: list[Template] = []
    problems: list[str] = []
    for folder, builtin in dirs:
        try:
            files = sorted(folder.glob("*.json"))
        except OSError:
            continue
        for path in files:
            try:
                t = _cached_file(path, path.stat().st_mtime_ns, builtin) if builtin else \
                    load_template_file(path, builtin=False)
            except TemplateError as exc:
                problems.append(str(exc))
                continue
            except OSError as exc:
                from nanzhou_desktop.store.errors import os_reason

                problems.append(f"模板“{path.name}”无法读取：{os_reason(exc)}")
                continue
            taken = next((x for x in out if x.id == t.id), None)
            if taken is not None:
                problems.append(f"模板“{path.name}”的 id“{t.id}”与“{taken.path.name if taken.path else taken.id}”"
                                "重复，已忽略")
                continue
            out.append(t)
    return Catalog(out, problems)


@cache
def _cached_file(path: Path, _mtime: int, builtin: bool) -> Template:
    return load_template_file(path, builtin=builtin)


def load_template(template_id: str) -> Template:
    """A template by id (built-in first, then the user's); :class:`TemplateError` if none."""
    path = builtin_dir() / f"{template_id}.json"
    if path.exists():
        t = _cached_file(path, path.stat().st_mtime_ns, True)
        if t.id == template_id:
            return t
    found = catalog().get(template_id)
    if found is None:
        raise TemplateError(template_id, "", "不存在；用 templates 命令查看可用的模板")
    return found


def default_template() -> Template:
    return load_template(DEFAULT_TEMPLATE)


def available_templates() -> list[str]:
    """The ids of the templates that can be used."""
    return [t.id for t in catalog().templates]


# ------------------------------------------------------------------------- numbering
def renumber(sections: list[Section], template: ReportTemplate) -> list[tuple[Section, str]]:
    """The sections whose printed number is not the one their position and level give, with
    the right one: numbering restarts under each parent, in the style of each level."""
    counters: list[int] = []
    out: list[tuple[Section, str]] = []
    for s in sections:
        level = max(1, s.level)
        del counters[level:]
        while len(counters) < level:
            counters.append(0)
        counters[level - 1] += 1
        want = format_number(template.number_style(level), counters[level - 1])
        if s.number != want:
            out.append((s, want))
    return out
