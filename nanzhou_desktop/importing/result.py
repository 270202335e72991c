"""The outcome of reading a document, before anything is written: the source blocks and
where each one goes (the mapping the preview shows and the user may change), the report
built from that mapping, the figures recognised in its text, and what could not be placed.

The report is always rebuilt from the blocks and their places, so moving a block in the
preview and accepting gives exactly the report the preview showed.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from nanzhou_desktop.importing.figures import (
    Figure,
    amount,
    figures_in,
    part_rows,
    project_name_before,
    rate_note,
)
from nanzhou_desktop.importing.mending import Dropped
from nanzhou_desktop.importing.outline import section_number
from nanzhou_desktop.importing.tables import BudgetRead
from nanzhou_desktop.importing.text import fold
from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    CoverField,
    FieldRef,
    Indicator,
    Project,
    Report,
    Section,
    SectionKind,
    SignOff,
    Task,
    TaskItem,
    Unit,
)
from nanzhou_desktop.money import format_money
from nanzhou_desktop.narrative import item_number, plain_text, task_number
from nanzhou_desktop.template import load_template


@dataclass(frozen=True)
class Place:
    """Where a paragraph's text goes: a section's text, a work task's text, or a sub-item's."""

    section_key: str
    task: int | None = None
    item: int | None = None


@dataclass
class SourceBlock:
    """One paragraph of the source document.

    ``role``: title | heading (一、/（一）) | task (1.) | item (（1）) | paragraph |
    preamble (before the first heading) | table (a table row) | signoff (落款: unit, date,
    联系人).  ``place`` is where its text (for a heading: the text after its full stop)
    goes; ``None`` means not placed.
    """

    index: int
    text: str
    role: str
    page: int = 0
    level: int = 0
    number: str = ""  # numbering as written in the source
    title: str = ""  # heading words (heading, task, item)
    body: str = ""  # a heading's text after its full stop, or the paragraph's text
    stop: str = ""  # the full stop between a heading and its text
    section_key: str = ""  # the section a heading opens (role heading)
    task: int | None = None  # the task a task/item heading opens
    item: int | None = None
    place: Place | None = None
    matched: str = ""  # for a heading: the template heading it was matched to ("" = its own section)
    how: str = ""  # how it was matched: 措辞 (wording) / 下级标题 (its sub-headings) / 位置 (position)
    read_into: str = ""  # an annex row whose content was read into the tables: 绩效指标 / 签章信息

    @property
    def placed(self) -> bool:
        return (self.role in ("title", "heading", "task", "item", "signoff", "mark", "empty") or self.place is not None
                or bool(self.read_into))

    @property
    def movable(self) -> bool:
        return self.role in ("paragraph", "preamble", "table", "annex", "preface", "cover", "mark")


@dataclass
class SectionSpec:
    key: str
    level: int
    heading: str
    kind: SectionKind = SectionKind.TEXT
    required: bool = False
    from_template: bool = False
    in_document: bool = True
    number: str = ""  # the document's own numbering ("" for a section the template added)
    annex: bool = False  # a part made for an attachment (附件二 自评表): left out when its rows were all read


PREFACE = "@前言"  # Place.section_key of the 前言 (the opening paragraph before 一、)
COVER = "@封面"  # … of the cover block (评价年度：2024 …)
_COVER_LINE = re.compile(r"^\s*([^:：。，,]{1,14}?)\s*[:：]\s*(.*?)\s*$")


@dataclass
class ImportResult:
    """Everything the preview shows and the writer needs.  Nothing here touches a file."""

    source_name: str
    source_kind: str  # txt | docx | pdf
    source_text: str  # the document's text as read, before any mending
    blocks: list[SourceBlock]
    outline: list[SectionSpec]
    template_id: str
    unit: Unit
    year: int | None
    title: str
    signoff: SignOff = field(default_factory=SignOff)
    drops: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table_indicators: list[Indicator] = field(default_factory=list)  # from the annex's 绩效指标 table (Word)
    unit_from: str = ""  # where the unit was found (封面“评价单位（公章）” / 标题 / 前言 / 文件名 …), "" = given
    year_from: str = ""
    cover: list[tuple[str, str]] = field(default_factory=list)  # the cover block as read: (label, value)
    numbering: tuple[str, ...] = ()  # the document's numbering style of each outline level
    template_how: str = ""  # why this template was used ("按章节标题对应 5 个、封面项目 3 个选定")
    raw: Any = field(default=None, repr=False)  # the document as read, to map it again onto another template
    table_budget: BudgetRead | None = None  # the 自评表's 预算执行情况 rows, when the document has them
    table_projects: list[tuple[str, Any, Any, str]] = field(default_factory=list)  # its 重点项目 rows
    report: Report = field(init=False)
    figures: list[Figure] = field(init=False)
    renumbered: list[tuple[str, str]] = field(init=False)
    report_uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))

    def __post_init__(self) -> None:
        self.rebuild()

    # ------------------------------------------------------------------ the mapping
    @property
    def not_placed(self) -> list[SourceBlock]:
        return [b for b in self.blocks if not b.placed]

    @property
    def unconfirmed(self) -> list[Figure]:
        """Table values filled from the text: shown as 来自正文 until the user confirms them."""
        return [f for f in self.figures if f.filled]

    def targets(self) -> list[tuple[str, Place | None]]:
        """Where a block can be moved: every section, task and sub-item, or 不放入."""
        out: list[tuple[str, Place | None]] = []
        for sec in self.report.sections:
            out.append((f"{sec.number}{sec.heading}", Place(sec.key)))
            if sec.kind == SectionKind.TASKS:
                for ti, task in enumerate(self.report.tasks):
                    out.append((f"    {task_number(ti)}{task.title}", Place(sec.key, ti)))
                    for ii, item in enumerate(task.items):
                        out.append((f"        {item_number(ii)}{item.title}", Place(sec.key, ti, ii)))
        out.insert(0, ("封面", Place(COVER)))
        out.insert(0, ("前言", Place(PREFACE)))
        out.append(("（不放入报告，列为未放置）", None))
        return out

    def move(self, block_index: int, place: Place | None) -> None:
        """Put a paragraph (or a not-placed block) somewhere else, and rebuild the report."""
        block = self.blocks[block_index]
        if not block.movable:
            raise ValueError(f"第 {block_index + 1} 段是标题或落款，不能移动；请移动它下面的段落")
        block.place = place
        self.rebuild()

    def set_identity(self, unit: Unit | None = None, year: int | None = None) -> None:
        """The unit and year the user gave (in the preview, or --unit/--year); 0 = still unknown."""
        if unit is not None:
            if unit.full_name != self.unit.full_name:
                self.unit_from = ""
            self.unit = unit
        if year is not None:
            if year != self.year:
                self.year_from = ""
            self.year = year or None
        self.rebuild()

    def missing_identity(self) -> list[str]:
        missing = []
        if not self.unit.full_name:
            missing.append("单位全称")
        if not self.year:
            missing.append("年度")
        return missing

    # ------------------------------------------------------------------ building
    def rebuild(self) -> None:
        bodies: dict[Place, list[str]] = {}
        for b in self.blocks:
            if b.place is None:
                continue
            text = b.body if b.role in ("heading", "task", "item") else b.text
            if text:
                bodies.setdefault(b.place, []).append(text)
        sections: list[Section] = []
        counters: dict[str, int] = {}
        for spec in self.outline:
            parent = spec.key.rpartition(".")[0] if spec.level > 1 else ""
            counters[parent] = counters.get(parent, 0) + 1
            number = own_number(spec.number) if spec.in_document else (
                section_number(min(spec.level, 2), counters[parent]) if spec.level <= 2 else "")
            sections.append(Section(
                key=spec.key, level=spec.level, number=number,
                heading=spec.heading, body="\n".join(bodies.get(Place(spec.key), [])),
                kind=spec.kind, required=spec.required))
        tasks: list[Task] = []
        for b in self.blocks:
            if b.role == "task" and b.task is not None:
                tasks.append(Task(b.title, "\n".join(bodies.get(Place(b.section_key, b.task), []))))
            elif b.role == "item" and b.task is not None and b.item is not None:
                tasks[b.task].items.append(
                    TaskItem(b.title, "\n".join(bodies.get(Place(b.section_key, b.task, b.item), []))))
        self.preface = "\n".join(bodies.get(Place(PREFACE), []))
        self.cover_entries = self._cover_entries()
        template = load_template(self.template_id)
        report = template.new_report(self.report_uuid, replace(self.unit), self.year or 0)
        report.title, report.sections, report.tasks = self.title, sections, tasks
        report.signoff = replace(self.signoff)
        # Only the rows the document has: the template's empty 其中 rows and preset indicators
        # would be errors the document never made.
        report.budget = _budget_rows(self.table_budget)
        report.indicators = [replace(i) for i in self.table_indicators]
        if report.template.scheme.indicators.score != "entered":
            for ind in report.indicators:  # a printed 得分 the scheme computes is not typed data
                ind.score = None
        report.projects = [Project(name, budget, executed, reason) for name, budget, executed, reason in self.table_projects]
        report.preface = self.preface
        report.cover = _cover_fields(report.cover, self.cover_entries)
        data = report.template
        if self.numbering:
            data = replace(data, numbering=self.numbering)  # renumbering after an edit keeps the document's style
        if self.preface and not data.preface.enabled:
            data = replace(data, preface=replace(data.preface, enabled=True))  # the document has one: it prints
        report.template = data
        self.report = report
        self.figures = _recognise_figures(report)
        self.renumbered = self._renumbered()

    def _cover_entries(self) -> list[tuple[str, str]]:
        """The cover block: each line placed in it, as (label, value)."""
        out: list[tuple[str, str]] = []
        for b in self.blocks:
            if b.place != Place(COVER):
                continue
            m = _COVER_LINE.match(b.text)
            out.append((m.group(1).strip(), m.group(2).strip()) if m else ("", b.text.strip()))
        return out

    def _renumbered(self) -> list[tuple[str, str]]:
        """Source numbering that differs from the numbering the report generates."""
        numbers = {s.key: s.number for s in self.report.sections}
        out = []
        for b in self.blocks:
            if b.role == "heading":
                generated = numbers.get(b.section_key, "")
            elif b.role == "task" and b.task is not None:
                generated = task_number(b.task)
            elif b.role == "item" and b.item is not None:
                generated = item_number(b.item)
            else:
                continue
            if fold(b.number) != fold(generated):
                out.append((b.number.strip(), generated))
        return out

    # ------------------------------------------------------------------ accounting
    def accounted_text(self) -> str:
        """Everything the import keeps or lists: the report's narrative, the sign-off lines,
        the annex rows read into the tables, the not-placed blocks, the dropped page numbers
        and headers, replaced numbering and the full stops that separated a heading from its text."""
        parts = [plain_text(self.report), self.preface]
        parts += [f"{label}：{value}" if label else value for label, value in self.cover_entries]
        parts += [b.text for b in self.blocks if b.role in ("signoff", "mark") or b.read_into or not b.placed]
        parts += [b.stop for b in self.blocks if b.role in ("heading", "task")]
        parts += [d.text for d in self.drops]
        parts += [src for src, _gen in self.renumbered]
        return "\n".join(parts)

    def lost_characters(self) -> Counter[str]:
        """Characters of the source found neither in the report nor in any list of the
        result (whitespace ignored; full-/half-width folded).  Empty when nothing is lost."""
        lost = Counter(fold(self.source_text)) - Counter(fold(self.accounted_text()))
        for mark in _CELL_MARKS:  # the "|" of a table copied as text marks cells; it is not text
            lost.pop(mark, None)
        return lost

    # ------------------------------------------------------------------ after writing
    def figure_refs(self) -> list[tuple[Figure, FieldRef]]:
        """Each filled figure with the FieldRef of the cell it filled (row ids are known once
        the report has been written)."""
        out = []
        for f in self.unconfirmed:
            rows = self.report.budget if f.table == "budget_rows" else self.report.projects
            row_id = rows[f.row].id if f.row is not None and f.row < len(rows) else None
            out.append((f, FieldRef(f.table, row_id, f.column, f.section_key)))
        return out

    def identity_lines(self) -> list[str]:
        """Unit and year with where they were found, or what to do when they were not."""
        r = self.report
        if r.unit.full_name:
            unit = f"单位：{r.unit.full_name}" + (f"（由{self.unit_from}识别，请核对）" if self.unit_from else "")
        else:
            unit = "单位：未识别（文档中没有写明单位名称；导入后请在“单位信息与签章”中填写，或用 --unit 指定）"
        if r.year:
            year = f"年度：{r.year}" + (f"（由{self.year_from}识别，请核对）" if self.year_from else "")
        else:
            year = "年度：未识别（文档中没有写明年度；导入后请在“单位信息与签章”中填写，或用 --year 指定）"
        return [unit, year]

    def summary_lines(self) -> list[str]:
        """What was placed where, what was kept unplaced (with its text), what was guessed and
        the figures read: in Chinese, for the CLI and the log."""
        r = self.report
        placed = [b for b in self.blocks if b.place is not None]
        lines = [f"来源：{self.source_name}（{_KIND_NAMES.get(self.source_kind, self.source_kind)}）",
                 f"报告：{r.display_title}", *self.identity_lines()]
        lines += [f"提示：{n}" for n in self.notes]
        own = [s for s in self.outline if s.in_document]
        matched = [s for s in own if s.from_template]
        lines.append(f"模板：{self.template_name}（{self.template_id}；{self.template_how or '由你选定'}），"
                     "用于检查、评分和自评表；可用 --template 换用其他模板")
        lines.append(f"提纲：按文档自身的 {len(own)} 个章节和编号导入；其中 {len(matched)} 节对应到模板的章节，"
                     "其余保留为文档自己的章节")
        added = [s for s in self.outline if not s.in_document]
        if added:
            lines.append("按你的选择补上的模板章节（空）：" + "、".join(s.heading for s in added))
        if self.cover_entries:
            lines.append("封面：" + "；".join(f"{label}：{value}" if label else value
                                            for label, value in self.cover_entries))
        if self.preface:
            lines.append(f"前言：{len(self.preface)} 字（{_clip(self.preface, 30)}）")
        marks = [b.text for b in self.blocks if b.role == "mark"]
        if marks:
            lines.append("附件标记：" + "、".join(marks))
        lines.append(f"已放入 {len(placed)} 段文字：")
        for s in r.sections:
            b = next((b for b in self.blocks if b.role == "heading" and b.section_key == s.key), None)
            how = ("文档中没有此节，按你的选择补上（空）" if b is None else
                   "文档自己的章节" if not b.matched else
                   f"按{b.how}对应提纲“{b.matched}”" if b.matched != s.heading else "对应提纲同名章节")
            size = len(s.body)
            lines.append(f"  {'  ' * (s.level - 1)}{s.number}{s.heading}：{size} 字（{how}）")
            if s.kind == SectionKind.TASKS and r.tasks:
                lines.append(f"    工作任务 {len(r.tasks)} 项，小项 {sum(len(t.items) for t in r.tasks)} 个")
        read = self._tables_read()
        if read:
            lines.append("从自评表读入（来自附表，待确认）：" + "；".join(read))
        signed = [b for b in self.blocks if b.read_into == "签章信息"]
        if signed:
            lines.append(f"从附表的签字栏读入签章信息（第 {signed[0].index + 1} 段，待确认）")
        if not r.indicators:
            lines.append("注意：文档中没有读到绩效指标表；请在“自评表 → 绩效指标”中填写")
        figures = [f for f in self.figures if f.note != "来自附表"]
        if figures:
            lines.append("识别到的数字（来自正文，待确认）：")
            for f in figures:
                state = "已填入表格" if f.filled else "未填表"
                lines.append(f"  {f.label}：{_show(f)}（{state}{'；' + f.note if f.note else ''}）")
        elif not read:
            lines.append("没有在正文中识别到预算或项目数字")
        nps = self.not_placed
        if nps:
            lines.append(f"未放置 {len(nps)} 段（未写入报告，已记入报告文件的修改记录，可在导入预览中放入）：")
            for b in nps:
                lines.append(f"  第 {b.index + 1} 段（{_ROLE_NAMES.get(b.role, b.role)}）：{_clip(b.text, 60)}")
        else:
            lines.append("没有未放置的文字")
        if self.drops:
            lines.append(f"已去掉页码和页眉页脚 {len(self.drops)} 行：" + "、".join(
                sorted({f"“{_clip(d.text, 20)}”（{d.reason}）" for d in self.drops})))
        if self.renumbered:
            lines.append("编号已按位置重新生成：" + "、".join(f"{a}→{b}" for a, b in self.renumbered))
        return lines

    def _tables_read(self) -> list[str]:
        r = self.report
        out = []
        budget_rows = [b for b in r.budget if any(f.table == "budget_rows" and f.row == i and f.note == "来自附表"
                                                  for f in self.figures for i in [r.budget.index(b)])]
        if budget_rows:
            out.append("预算执行情况 " + "、".join(
                f"{b.label}（预算 {format_money(b.budget_total)}、执行 {format_money(b.executed)}）" for b in budget_rows))
        if self.table_projects:
            out.append(f"重点项目 {len(self.table_projects)} 个")
        if self.table_indicators:
            out.append(f"绩效指标 {len(self.table_indicators)} 个")
        return out

    @property
    def template_name(self) -> str:
        try:
            return load_template(self.template_id).name
        except (OSError, ValueError, KeyError):
            return self.template_id

    def add_template_sections(self) -> None:
        """Add, empty, the template's sections the document lacks (only when the user asks in
        the preview), and rebuild."""
        self.outline = add_template_sections(self.outline, list(load_template(self.template_id).sections))
        self.rebuild()

    def remove_template_sections(self) -> None:
        self.outline = [s for s in self.outline if s.in_document]
        self.rebuild()


def add_template_sections(outline: list[SectionSpec], tsections: list[dict]) -> list[SectionSpec]:
    """The template's sections the document lacks, added empty: a missing sub-section at the
    end of its part, a missing part after the part before it.  The document's own sections
    keep their numbers."""
    present = {s.key for s in outline}
    out = list(outline)

    def after_block_of(key: str) -> int:
        idx = [j for j, s in enumerate(out) if s.key == key or s.key.startswith(key + ".")]
        return idx[-1] + 1 if idx else len(out)

    for n, t in enumerate(tsections):
        if t["key"] in present:
            continue
        parent = t["key"].rpartition(".")[0]
        if parent:
            at = after_block_of(parent)
        else:
            before = [u["key"] for u in tsections[:n] if u["level"] == 1]
            at = after_block_of(before[-1]) if before else 0
        out.insert(at, SectionSpec(t["key"], t["level"], t["heading"], SectionKind(t.get("kind", "text")),
                                   bool(t.get("required", True)), from_template=True, in_document=False))
        present.add(t["key"])
    return out


def _budget_rows(read: BudgetRead | None) -> list[BudgetRow]:
    """年度资金总额, and the 其中 rows the document's table has (none it does not have: an
    empty 其中 row would be an error the document never made)."""
    rows = [BudgetRow(BudgetKind.TOTAL, "年度资金总额")]
    if read is None:
        return rows
    label, initial, total, executed, reason = read.rows[0]
    rows[0].budget_initial, rows[0].budget_total, rows[0].executed, rows[0].reason = initial, total, executed, reason
    for label, initial, total, executed, reason in read.rows[1:]:
        name = re.sub(r"^其中\s*[:：]?\s*", "", fold(label)).strip()
        kind = (BudgetKind.BASIC if name.startswith("基本支出") else BudgetKind.PROJECT if name.startswith("项目支出")
                else BudgetKind.OTHER)
        rows.append(BudgetRow(kind, f"其中：{name}", initial, total, executed, reason))
    return rows


def own_number(number: str) -> str:
    """The document's numbering as printed: its own ordinal, the convention's full-width
    brackets and 、 ("(一)" → "（一）", "二." → "二、"); arabic numbering as written."""
    n = number.strip().replace("(", "（").replace(")", "）")
    return re.sub(r"^([一二三四五六七八九十]+)\s*[.．]$", r"\1、", n)


def _cover_fields(fields: list[CoverField], entries: list[tuple[str, str]]) -> list[CoverField]:
    """The template's cover fields filled from the document's cover block, matched by label
    (full-/half-width and （公章） alike); a line the template has no field for is kept as a
    field of its own, in the order it stood.  A field of the template's that the document's cover
    does not have stays, to fill in if wanted, but is not required: the document's format wins."""
    out = [replace(f, required=False) if not any(_label_key(label) == _label_key(f.label) for label, _v in entries)
           else replace(f) for f in fields]
    by_label = {_label_key(f.label): f for f in out}
    n = 0
    for label, value in entries:
        f = by_label.get(_label_key(label)) if label else None
        if f is not None and not f.value:
            f.value = _cover_value(f.kind, value)
            continue
        n += 1
        out.append(CoverField(f"imported.{n}", label, "text", False, value))
    return out


def _label_key(label: str) -> str:
    return re.sub(r"[（(](?:公章|盖章)[）)]", "", fold(label)).replace("(", "").replace(")", "")


def _cover_value(kind: str, value: str) -> str:
    """A date as the file keeps it (ISO); a year as four digits; anything else as written (a
    value that does not parse stays as written, and the checks say so)."""
    if kind == "date":
        return parse_cn_date(value) or value
    if kind == "year":
        m = re.search(r"(20\d{2})", value)
        return m.group(1) if m else value
    return value


_KIND_NAMES = {"txt": "文本", "docx": "Word 文档", "pdf": "PDF"}
_CELL_MARKS = "|｜"
_ROLE_NAMES = {"preamble": "标题前的文字", "table": "表格", "paragraph": "正文", "annex": "附件", "preface": "前言",
               "cover": "封面", "mark": "附件标记"}


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _show(f: Figure) -> str:
    return f"{f.value}%" if f.unit == "%" else f"{format_money(f.value)} 万元"


# ---------------------------------------------------------------------- figures
def _table_figures(report: Report) -> list[Figure]:
    """The values read from the document's 自评表, listed (and audited) as 来自附表，待确认."""
    out: list[Figure] = []
    for r, row in enumerate(report.budget):
        for label, column in (("年初预算数", "budget_initial"), ("全年预算数", "budget_total"), ("全年执行数", "executed")):
            value = getattr(row, column)
            if value is not None:
                out.append(Figure(f"{row.label.removeprefix('其中：')}·{label}", value, "budget_rows", r, column, "",
                                  0, 0, "自评表“预算执行情况”", filled=True, note="来自附表"))
    for r, p in enumerate(report.projects):
        for label, column in (("预算数", "budget_total"), ("执行数", "executed")):
            value = getattr(p, column)
            if value is not None:
                out.append(Figure(f"{p.name}·{label}", value, "projects", r, column, "", 0, 0, "自评表“重点项目”",
                                  filled=True, note="来自附表"))
    return out


def _recognise_figures(report: Report) -> list[Figure]:
    """Fill the budget and project tables from the first sentence that states them (the
    budget section first, then the projects section, then the rest), and list every other
    statement of the same figures with whether it agrees."""
    order = sorted(report.sections, key=lambda s: (s.kind != SectionKind.BUDGET, s.kind != SectionKind.PROJECTS))
    figures: list[Figure] = _table_figures(report)
    total = report.budget[0]
    filled_total = False
    for sec in order:
        for kind, m in figures_in(sec.body, sec.key):
            initial, budget, executed, rate = m.initial, m.total, m.executed, m.rate
            sentence = m.text
            span = dict(section_key=sec.key, offset=m.start, length=m.end - m.start, sentence=sentence)
            if kind == "budget":
                if not filled_total and total.budget_total is None and total.executed is None:
                    filled_total = True
                    total.budget_initial, total.budget_total, total.executed = initial, budget, executed
                    for label, value, column in (("年初预算数", initial, "budget_initial"),
                                                 ("全年预算数", budget, "budget_total"), ("全年执行数", executed, "executed")):
                        if value is not None:
                            figures.append(Figure(f"年度资金总额·{label}", value, "budget_rows", 0, column,
                                                  filled=True, **span))
                else:
                    same = (budget, executed) == (total.budget_total, total.executed)
                    figures.append(Figure("年度资金总额（再次出现）", budget if budget is not None else executed,
                                          "", None, "", note=(
                        "与表中数值一致" if same else
                        f"与表中数值（预算 {format_money(total.budget_total)}、执行 {format_money(total.executed)}）不一致，请核对"),
                        **span))
                    if rate is None:
                        continue
                if rate is not None:
                    figures.append(Figure("完成预算的百分比（正文所述）", rate, "", None, "", unit="%",
                                          note=rate_note(rate, executed, budget), **span))
            else:
                name = project_name_before(sec.body, m.start)
                existing = next((i for i, p in enumerate(report.projects) if p.name == name), None)
                if existing is None:
                    report.projects.append(Project(name, budget, executed))
                    row = len(report.projects) - 1
                    if budget is not None:
                        figures.append(Figure(f"{name}·预算数", budget, "projects", row, "budget_total", filled=True,
                                              **span))
                    figures.append(Figure(f"{name}·执行数", executed, "projects", row, "executed", filled=True, **span))
                else:
                    p = report.projects[existing]
                    same = (budget, executed) == (p.budget_total, p.executed)
                    figures.append(Figure(f"{name}（再次出现）", budget if budget is not None else executed, "", None, "",
                                          note="与表中数值一致" if same else "与表中数值不一致，请核对", **span))
                if rate is not None:
                    figures.append(Figure(f"{name}·完成预算的百分比（正文所述）", rate, "", None, "", unit="%",
                                          note=rate_note(rate, executed, budget), **span))
        if sec.kind == SectionKind.BUDGET:
            for m in part_rows(sec.body):
                kind_ = BudgetKind.BASIC if m.group(1) == "基本支出" else BudgetKind.PROJECT
                row_index = next((i for i, r in enumerate(report.budget) if r.kind == kind_), None)
                if row_index is None:
                    report.budget.append(BudgetRow(kind_, f"其中：{m.group(1)}"))
                    row_index = len(report.budget) - 1
                value = amount(m.group(2))
                if value is None or report.budget[row_index].budget_total is not None:
                    continue
                report.budget[row_index].budget_total = value
                figures.append(Figure(f"{report.budget[row_index].label.removeprefix('其中：')}·全年预算数", value,
                                      "budget_rows", row_index, "budget_total", sec.key, m.start(),
                                      m.end() - m.start(), m.group(0), filled=True))
    return figures


_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def parse_cn_date(text: str) -> str:
    """2023年3月15日 → 2023-03-15 ("" when the text is not such a date)."""
    m = _DATE.match(text.strip())
    if not m:
        return ""
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


