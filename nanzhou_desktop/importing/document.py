"""Import a report document: read it, mend it, split it into the outline, recognise its
figures.  Returns an :class:`ImportResult`; nothing is written until :func:`write_import`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from nanzhou_desktop.importing.frontmatter import (
    FrontMatter,
    is_attachment_mark,
    is_cover_line,
    is_title_line,
    read_front,
)
from nanzhou_desktop.importing.mending import Paragraph, is_value, looks_like_label, paragraphs
from nanzhou_desktop.importing.outline import MATCH_THRESHOLD, Heading, similarity
from nanzhou_desktop.importing.readers import MAX_DOCUMENT_BYTES, RawDocument, read_bytes, read_document
from nanzhou_desktop.importing.result import ImportResult, Place, SectionSpec, SourceBlock, parse_cn_date
from nanzhou_desktop.importing.tables import read_tables
from nanzhou_desktop.model import SectionKind, SignOff, Unit
from nanzhou_desktop.template import Template, default_template

_UNIT_LINE = re.compile(r"^\S{2,40}(?:办事处|街道|人民政府|局|委员会|中心|办公室|管理处|所|院|站)(?:（盖章）|\(盖章\))?$")
_CONTACT = re.compile(r"^[（(]\s*联系人[:：]\s*([^，,）)]*?)\s*[，,]\s*联系电话[:：]\s*([^）)]*?)\s*[）)]$")
_BLANK_DATE = re.compile(r"^[\s\u3000_＿]*年[\s\u3000_＿]*月[\s\u3000_＿]*日$")
# 附件说明 (GB/T 9704-2012 §7.3.4): "附件：2022年度部门整体支出绩效自评表" after the body, before the
# 署名; the annex itself begins at a "附件" line of its own (§7.3.7).
_ANNEX_NOTE = re.compile(r"^附\s*件\s*[:：]\s*(?:\d+[.．、]\s*)?\S.{0,60}$")
_ANNEX = re.compile(r"^(?:附\s*[件表]\s*\d*\s*[:：]?\s*|.{0,30}绩效自评表)$")
_BLANKS = "_＿ \u3000"


def import_document(path: str | Path, *, unit: Unit | None = None, year: int | None = None,
                    template: Template | None = None, max_bytes: int = MAX_DOCUMENT_BYTES) -> ImportResult:
    """Read the document at ``path`` (.txt / .docx / .pdf, decided by content) into an
    :class:`ImportResult`.  ``unit``/``year`` override what the title says.  Raises
    :class:`DocumentImportError` (a Chinese sentence) for anything that cannot be imported."""
    raw = read_document(path, max_bytes=max_bytes)
    return import_raw(raw, Path(path).name, unit=unit, year=year, template=template)


def import_bytes(data: bytes, name: str, **kwargs: object) -> ImportResult:
    return import_raw(read_bytes(data, name), name, **kwargs)  # type: ignore[arg-type]


def import_raw(raw: RawDocument, name: str, *, unit: Unit | None = None, year: int | None = None,
               template: Template | None = None) -> ImportResult:
    """Map the read document onto a report.  Never refuses for want of headings, a unit or a
    year: a document without headings (a 自评表 alone) imports its tables and keeps its text,
    and a missing unit or year is reported, not guessed silently.  Without ``template`` the
    installed template closest to the document is used (see :func:`pick_template`)."""
    paras, drops = paragraphs(raw)
    levels = outline_levels(paras)
    first = next((i for i, p in enumerate(paras) if _outline_heading(p, levels) is not None), None)
    if first is None:
        first = _front_end(paras)  # no headings: the front is the 附件 mark, the title and the cover
    front = read_front(paras, first, name)
    template_how = "由你选定"
    if template is None:
        template, template_how = pick_template(paras, levels, front)
    blocks, outline, stop = _split(paras, template, levels, front)
    tables = read_tables(paras)
    for i in tables.used:  # blocks are made one per paragraph, in order
        blocks[i].read_into, blocks[i].place = "自评表", None
    indicators = tables.indicators
    signoff = _signoff(blocks[:stop])
    _annex_note(blocks[:stop])
    _annex_signature(blocks, signoff)
    _annex_furniture(blocks)
    outline = _prune_annexes(blocks, outline)
    for spec in outline:  # a part the template keeps tasks in, written as text: text it stays
        if spec.kind == SectionKind.TASKS and not any(b.role == "task" and b.section_key == spec.key for b in blocks):
            spec.kind = SectionKind.TEXT
    found_unit = unit_of(front.unit)
    if unit is None:
        unit = found_unit
    elif not unit.full_name:
        unit = replace(unit, full_name=found_unit.full_name)  # the caller's Unit is not changed
    result = ImportResult(
        source_name=name, source_kind=raw.kind, source_text=raw.text, blocks=blocks, outline=outline,
        template_id=template.id, unit=unit, year=year or front.year, title=front.title, signoff=signoff,
        drops=drops, notes=list(raw.notes), table_indicators=indicators, table_budget=tables.budget,
        table_projects=tables.projects,
        unit_from="" if unit is not found_unit and unit.full_name != found_unit.full_name else front.unit_from,
        numbering=numbering_styles(paras, levels), template_how=template_how, raw=raw,
        year_from="" if year else front.year_from, cover=[(e.label, e.value) for e in front.cover])
    return result


def remap(result: ImportResult, template_id: str) -> ImportResult:
    """The same document mapped onto another template (the preview's choice); the unit and year
    as they stand in ``result`` are kept."""
    from nanzhou_desktop.template import load_template

    other = import_raw(result.raw, result.source_name, unit=result.unit, year=result.year,
                       template=load_template(template_id))
    other.unit_from, other.year_from = result.unit_from, result.year_from
    return other


def pick_template(paras: list[Paragraph], levels: dict[int, int], front: FrontMatter) -> tuple[Template, str]:
    """The installed template closest to the document, for its checks, scoring and 自评表, and
    why: its headings that match the document's (wording or the template's other wordings), its
    cover fields the document's cover has, a 前言 when both have one, and its 自评表 columns the
    document's tables head.  Ties keep the default template."""
    from nanzhou_desktop.importing.tables import header_words
    from nanzhou_desktop.template import catalog

    heads = [h.title for p in paras if (h := _outline_heading(p, levels)) is not None and h.level <= 2]
    cover = {_fold_label(e.label) for e in front.cover}
    has_preface = bool(front.indices("preface"))
    headers = header_words(paras)
    best: tuple[float, int, Template, str] | None = None
    templates = catalog().templates or [default_template()]
    for order, t in enumerate(templates):
        matched = sum(1 for title in heads if any(
            similarity(title, s["heading"], s.get("aliases", ())) >= MATCH_THRESHOLD for s in t.sections))
        covers = sum(1 for c in t.cover if _fold_label(c.label) in cover)
        preface = 1 if has_preface and t.data.preface.enabled else 0
        table = t.data.table
        columns = sum(1 for c in (*table.budget_columns, *table.indicator_columns) if _fold_label(c.header) in headers)
        score = matched + 2 * covers + preface + 0.5 * columns
        default_first = 0 if t.id == default_template().id else 1
        key = (score, -default_first - order / 100)
        if best is None or key > (best[0], best[1]):
            parts = [f"章节标题对应 {matched} 个"] + ([f"封面项目 {covers} 个"] if covers else []) + (
                ["都有前言"] if preface else []) + ([f"自评表表头 {columns} 列"] if columns else [])
            best = (key[0], key[1], t, "按" + "、".join(parts) + "选定")
    assert best is not None
    return best[2], best[3]


def _fold_label(label: str) -> str:
    from nanzhou_desktop.importing.text import fold

    return re.sub(r"[（(][^）)]{0,8}[）)]", "", fold(label)).rstrip(":：")


def _front_end(paras: list[Paragraph]) -> int:
    """Where the body of a document without headings starts: after its 附件 marks, title lines
    and cover lines ("label: value" with a cover's label)."""
    for i, p in enumerate(paras):
        text = p.text if not p.table or len(p.cells) == 1 else "-"
        if text and not (is_attachment_mark(text) or is_title_line(text) or is_cover_line(text)):
            return i
    return len(paras)


def outline_levels(paras: list[Paragraph]) -> dict[int, int]:
    """The document's own outline: each numbering style gets the next level the first time a
    heading of that style appears (一、 → 1, （一） → 2, 1. → 3 … in most reports; "1. 单位基本情况"
    above "（一）" → 1 and 2 in 前山镇's).  A document with no 一、 or （一） heading at all has
    no outline: its "1、" lines are rows of a form (衡山县贯塘乡's 自评表)."""
    styles = [p.heading.level for p in paras if not p.table and p.heading is not None]
    if not any(s in (1, 2) for s in styles):
        return {}
    out: dict[int, int] = {}
    for s in styles:
        if s not in out:
            out[s] = len(out) + 1
    return out


def numbering_styles(paras: list[Paragraph], levels: dict[int, int]) -> tuple[str, ...]:
    """The numbering style of each level of the document's outline, as the template format
    names them (一、 （一） 1. 1、 （1） ①): the report keeps them, so a section added or moved
    later is numbered the way the document numbers."""
    styles: dict[int, str] = {}
    for p in paras:
        h = None if p.table else p.heading
        if h is None or h.level not in levels or levels[h.level] in styles:
            continue
        style = h.style
        if style == "1." and "、" in h.number:
            style = "1、"
        styles[levels[h.level]] = style
    return tuple(styles[k] for k in sorted(styles)) if styles and sorted(styles) == list(
        range(1, len(styles) + 1)) else ()


def _outline_heading(p: Paragraph, levels: dict[int, int]) -> Heading | None:
    h = None if p.table else p.heading
    if h is None or h.level not in levels:
        return None
    return replace(h, level=levels[h.level])


def unit_of(full_name: str) -> Unit:
    """The short name and district that a full name gives (广州市海珠区人民政府南洲街道办事处 →
    南洲街道, 海珠区)."""
    full = full_name.strip()
    if not full:
        return Unit()
    district = re.search(r"市?([^市省]{1,4}[区县])", full)
    short = re.search(r"([^区府政民人县市]{2,4}?街道?)办事处$", full)
    short_name = short.group(1) if short else ""
    if short_name and not short_name.endswith("街道"):
        short_name = short_name.rstrip("街") + "街道"
    if not short_name:
        town = re.search(r"([^区县市]{2,4}?[镇乡])(?:人民政府|政府)?$", full)
        short_name = town.group(1) if town else ""
    return Unit(full_name=full, short_name=short_name, district=district.group(1) if district else "")


# The annex's signature row, as this app prints it and as the usual forms have it:
# 单位负责人：张三  财务负责人：李四  填报人：王五  联系电话：…  填报日期：2023年3月10日
_SIGNATURE_FIELDS = (("单位负责人", "head"), ("财务负责人", "finance_head"), ("填报人", "preparer"),
                     ("联系电话", "phone_office"), ("填报日期", "fill_date"))
_SIGNATURE_LABEL = re.compile("(" + "|".join(label for label, _ in _SIGNATURE_FIELDS) + r")\s*[:：]")


def _set_phones(signoff: SignOff, text: str) -> None:
    """联系电话 as printed: the office number, then the mobile one after a space (or 、，/)."""
    numbers = [n for n in re.split(r"[\s\u3000、，,/；;]+", text.strip(_BLANKS)) if n]
    if numbers:
        signoff.phone_office = numbers[0]
    if len(numbers) > 1 and not signoff.phone_mobile:
        signoff.phone_mobile = numbers[1]


def _annex_signature(blocks: list[SourceBlock], signoff: SignOff) -> None:
    """Fill empty sign-off fields from the annex's signature row (待确认, like every value
    read from a document); the row then counts as read, not as left out."""
    for b in blocks:
        if b.role not in ("annex", "table", "heading") or b.read_into or "单位负责人" not in b.text:
            continue
        found = 0
        marks = list(_SIGNATURE_LABEL.finditer(b.text))
        for m, nxt in zip(marks, [*marks[1:], None], strict=True):
            value = b.text[m.end():nxt.start() if nxt else len(b.text)]
            value = re.sub(r"单位[（(]盖章[）)]", "", value).strip(_BLANKS + "\t")
            attr = dict(_SIGNATURE_FIELDS)[m.group(1)]
            if attr == "phone_office":
                if not signoff.phone_office:
                    _set_phones(signoff, value)
                    found += bool(signoff.phone_office)
                continue
            if attr == "fill_date":
                value = parse_cn_date(value) or ""
            if value and not getattr(signoff, attr):
                setattr(signoff, attr, value)
                found += 1
        if found or len(marks) >= 3:  # the row as printed, filled or blank, is read
            b.read_into, b.place = "签章信息", None
        return


def _signoff(blocks: list[SourceBlock]) -> SignOff:
    """The 落款 at the end (unit name, date, （联系人：…，联系电话：…）): recognised and
    kept in the sign-off, not appended to the last section's text."""
    signoff = SignOff()
    for b in reversed(blocks):
        if b.role not in ("paragraph",):
            if b.role in ("table", "annex"):
                continue
            break
        text = b.text.strip()
        date = parse_cn_date(text)
        contact = _CONTACT.match(text)
        if date:
            signoff.issue_date = date
        elif contact:
            signoff.preparer = contact.group(1).strip(_BLANKS)
            _set_phones(signoff, contact.group(2))
        elif _BLANK_DATE.match(text) or (_UNIT_LINE.match(text) and "。" not in text):
            pass
        else:
            break
        b.role, b.place = "signoff", None
    return signoff


# The lines a 自评表 prints around its tables: "单位名称（盖章）：…　金额单位：万元", "总分 … 自评等级：优"
# (the score is the program's to compute from the rows read).
_FURNITURE = re.compile(r"^(?:(?:预算)?(?:单位|部门)名称.{0,60}(?:金额)?单位[:：]?\s*万元|总分\b.{0,60}(?:自评等级|等级)[:：]?.{0,4})$")


# What this app prints beside its own 自评表 (render/pdf.py): the budget chart (drawn from the
# table's rows: "预算执行情况对比（万元）", its axis and legend) and the 报告核对码 block under the
# QR code (单位 / 年度 · 修订号 / 内容指纹 in two halves).  Derived from the report, so read with it.
_CHART_TITLE = "预算执行情况对比（万元）"
_CHECK_BLOCK = re.compile(r"^(?:(?:年\s*月\s*日)?\s*单位[:：].{2,60}|年度[:：]\s*\d{4}\s*修订号[:：]\s*\d+|"
                          r"内容指纹（SHA-256）[:：]?|[0-9a-f]{16,64})$")


def _annex_note(blocks: list[SourceBlock]) -> None:
    """The 附件说明 just before the 署名 (or at the end of the body): listed with the marks; the
    report prints its own from its 自评表."""
    for b in reversed(blocks):
        if b.role == "signoff":
            continue
        if b.role == "paragraph" and _ANNEX_NOTE.match(b.text.strip()):
            b.role, b.place = "mark", None
        return


def _annex_furniture(blocks: list[SourceBlock]) -> None:
    """Once the annex's tables were read, its 附件 mark, its title and the lines around the
    tables count as read too."""
    annex = [b for b in blocks if b.role == "annex"]
    if not any(b.read_into for b in annex):
        return
    in_chart = in_check = False
    for b in annex:
        text = b.text.replace("\u3000", " ").strip()
        if text == _CHART_TITLE:
            in_chart = True
        elif "\t" in b.text:
            in_chart = False
        if text.startswith("报告核对码"):
            in_check = True  # the QR code's caption, to the end: 单位 / 年度 · 修订号 / 内容指纹, however wrapped
        if b.read_into:
            continue
        if (in_chart or in_check or _FURNITURE.match(text) or _CHECK_BLOCK.match(text) or is_attachment_mark(text)
                or is_title_line(text)):
            b.read_into, b.place = "自评表", None


def _prune_annexes(blocks: list[SourceBlock], outline: list[SectionSpec]) -> list[SectionSpec]:
    """An attachment's part whose rows were all read into the tables is left out (its title
    and mark count as read): the 自评表 is the report's own tables."""
    kept: list[SectionSpec] = []
    for spec in outline:
        if spec.annex and not any(b.place == Place(spec.key) for b in blocks):
            for b in blocks:
                if b.section_key == spec.key and b.role in ("heading", "mark"):
                    b.read_into = "自评表"
            continue
        kept.append(spec)
    return kept


# ---------------------------------------------------------------------- splitting
def _annex_start(paras: list[Paragraph], levels: dict[int, int]) -> int:
    """Index of the 附件 mark after the report's headings (the self-evaluation table
    follows), or len(paras)."""
    seen_heading = False
    for i, p in enumerate(paras):
        if not p.table and seen_heading and _ANNEX.match(p.text) and not _ANNEX_NOTE.match(p.text):
            return i
        h = _outline_heading(p, levels)
        seen_heading = seen_heading or (h is not None and h.level <= 2)
    return len(paras)


def _assign(heads: list[tuple[int, Heading]], tsections: list[dict]) -> dict[int, tuple[dict | None, str]]:
    """Which template section each part (level 1) and sub-part (level 2) heading stands for,
    and how it was decided (措辞 by wording, 下级标题 by its sub-headings, 位置 by position in a
    part shaped like the template's).  Unmatched headings map to None and stay sections of
    their own, where they are, with their own numbers."""
    used: set[str] = set()
    out: dict[int, tuple[dict | None, str]] = {}

    def children(key: str | None) -> list[dict]:
        if key is None:
            return [t for t in tsections if t["level"] == 2]
        return [t for t in tsections if t["level"] == 2 and t["key"].rpartition(".")[0] == key]

    def by_wording(title: str, candidates: list[dict]) -> dict | None:
        scored = [(similarity(title, t["heading"], t.get("aliases", ())), n, t) for n, t in enumerate(candidates)
                  if t["key"] not in used]
        scored = [x for x in scored if x[0] >= MATCH_THRESHOLD]
        if not scored:
            return None
        return max(scored, key=lambda x: (x[0], -x[1]))[2]

    parts = [(i, h) for i, h in heads if h.level == 1]
    for i, h in parts:
        t = by_wording(h.title, [t for t in tsections if t["level"] == 1])
        if t is not None:
            used.add(t["key"])
        out[i] = (t, "措辞" if t else "")
    groups: dict[int | None, list[tuple[int, Heading]]] = {}
    parent: int | None = None
    for i, h in heads:
        if h.level == 1:
            parent = i
            groups.setdefault(i, [])
        else:
            groups.setdefault(parent, []).append((i, h))
    for i, _h in parts:  # a part worded unlike any template part: judge it by its sub-headings
        if out[i][0] is not None:
            continue
        best, hits = None, 0
        for t in tsections:
            if t["level"] != 1 or t["key"] in used:
                continue
            kids = children(t["key"])
            n = sum(1 for _j, k in groups.get(i, []) if any(
                similarity(k.title, c["heading"], c.get("aliases", ())) >= MATCH_THRESHOLD for c in kids))
            if n > hits:
                best, hits = t, n
        if best is not None and hits >= 1:
            used.add(best["key"])
            out[i] = (best, "下级标题")
    for parent_index, kids in groups.items():
        if parent_index is None:
            pkey = None
        else:
            pt = out[parent_index][0]
            if pt is None:
                for j, _k in kids:
                    out[j] = (None, "")
                continue
            pkey = pt["key"]
        cands = children(pkey)
        for j, k in kids:
            t = by_wording(k.title, cands)
            if t is not None:
                used.add(t["key"])
            out[j] = (t, "措辞" if t else "")
        # A part with as many sub-headings as the template's: an unmatched one at a position
        # whose template section is unused is that section, reworded.
        if pkey is not None and len(kids) == len(cands):
            for (j, _k), t in zip(kids, cands, strict=True):
                if out[j][0] is None and t["key"] not in used:
                    used.add(t["key"])
                    out[j] = (t, "位置")
    return out


_FRONT_ROLES = {"附件": "mark", "title": "title", "unit": "cover", "cover": "cover", "preface": "preface",
                "other": "cover"}
PREFACE = "@前言"  # Place.section_key of the 前言
COVER = "@封面"  # … of the cover block


def _split(paras: list[Paragraph], template: Template, levels: dict[int, int],
           front: FrontMatter) -> tuple[list[SourceBlock], list[SectionSpec], int]:
    tsections = list(template.sections)
    stop = _annex_start(paras, levels)
    heads = [(i, h) for i, p in enumerate(paras[:stop]) if (h := _outline_heading(p, levels)) is not None
             and h.level <= 2]
    assigned = _assign(heads, tsections)
    outline: list[SectionSpec] = []
    keys: set[str] = {t["key"] for t in tsections}
    blocks: list[SourceBlock] = []
    l1: SectionSpec | None = None
    current: SectionSpec | None = None
    task = item = None
    n_tasks = n_items = 0
    pending_mark = False
    tasks_sec: SectionSpec | None = None

    def new_key(parent: str) -> str:
        n = 1
        while (f"{parent}.{n}" if parent else str(n)) in keys:
            n += 1
        return f"{parent}.{n}" if parent else str(n)

    def own_section(title: str, number: str = "", annex: bool = False) -> SectionSpec:
        spec = SectionSpec(new_key(""), 1, title, number=number, annex=annex)
        keys.add(spec.key)
        outline.append(spec)
        return spec

    for i, p in enumerate(paras):
        block = SourceBlock(index=i, text=p.text, role="paragraph", page=p.page)
        blocks.append(block)
        if not p.text.strip() and not any(c.strip() for c in p.cells):
            block.role = "empty"  # an empty cell of a copied table: nothing to keep
            continue
        role = front.roles.get(i)
        if role is not None:
            block.role = _FRONT_ROLES[role]
            if block.role == "preface":
                block.place = Place(PREFACE)
            elif block.role == "cover":
                block.place = Place(COVER)
            continue
        if i >= stop:
            # 附件 after the report (the 自评表): never mixed into the last section; what the
            # table readers do not read is listed as not placed.
            block.role = "annex"
            continue
        h = _outline_heading(p, levels)
        text = p.text if not p.table or len(p.cells) == 1 else ""
        if h is None and text and (is_attachment_mark(text) or (is_title_line(text) and (current is None or pending_mark))):
            # An attachment (附件二 / 2023年度部门整体支出绩效自评表) is a part of its own: the rows
            # the tables do not read stay in it, in order.
            if is_attachment_mark(text):
                current = own_section(text, annex=True)
                pending_mark = True
                block.role, block.section_key = "heading", current.key
                block.title, block.number = text, ""
            else:
                if pending_mark and current is not None:
                    current.heading = text
                    block.role, block.section_key, block.title = "heading", current.key, text
                    # the mark's block heads the same section: it shows as its number
                    mark_block = next(b for b in reversed(blocks[:-1]) if b.section_key == current.key)
                    mark_block.role = "mark"
                    current.number = mark_block.text
                else:
                    current = own_section(text, annex=True)
                    block.role, block.section_key, block.title = "heading", current.key, text
                pending_mark = False
            l1, task, item = current, None, None
            continue
        pending_mark = False
        if tasks_sec is not None and h is not None and h.level > tasks_sec.level:
            # Under the work-task section: its tasks one level down (1. under （二）, （一） under
            # a 一、 part), their items one further; deeper numbered lines stay text.
            if h.level == tasks_sec.level + 1:
                task, item, n_items = n_tasks, None, 0
                n_tasks += 1
                block.role, block.level, block.number, block.title = "task", 3, h.number, h.title
                block.body, block.stop, block.section_key, block.task = h.body, h.stop, tasks_sec.key, task
                if h.body:
                    block.place = Place(tasks_sec.key, task)
                continue
            if h.level == tasks_sec.level + 2 and task is not None:
                item = n_items
                n_items += 1
                block.role, block.level, block.number, block.title = "item", 4, h.number, h.title
                # The item's full stop is printed again by the narrative (（1）标题。正文).
                block.body, block.stop, block.section_key = h.body, "", tasks_sec.key
                block.task, block.item = task, item
                block.place = Place(tasks_sec.key, task, item)
                continue
        if h is not None and h.level <= 2:
            t, how = assigned.get(i, (None, ""))
            number = p.text[: len(h.number)].strip()
            if t is not None:
                spec = SectionSpec(t["key"], h.level, h.title, SectionKind(t.get("kind", "text")),
                                   bool(t.get("required", True)), from_template=True, number=number)
            else:
                spec = SectionSpec(new_key("" if h.level == 1 or l1 is None else l1.key), h.level if l1 else 1,
                                   h.title, number=number)
            keys.add(spec.key)
            outline.append(spec)
            if spec.level == 1:
                l1 = spec
            current, task, item = spec, None, None
            tasks_sec = spec if spec.kind == SectionKind.TASKS else None
            block.role, block.level, block.number, block.title = "heading", spec.level, h.number, h.title
            block.body, block.stop, block.section_key = h.body, h.stop, spec.key
            block.matched, block.how = (t["heading"] if t else ""), how
            if h.body:
                block.place = Place(spec.key)
            continue
        if (h is not None and h.level >= 3 and not h.body and not h.stop and current is not None
                and tasks_sec is None and not _in_list(paras, i, levels)):
            # A numbered line standing alone under a section ("1.项目立项背景"): a sub-section of
            # the document's own outline, under the nearest section one level up.
            level = min(h.level, outline[-1].level + 1)
            parent = next(s for s in reversed(outline) if s.level < level)
            spec = SectionSpec(new_key(parent.key), level, h.title, number=p.text[: len(h.number)].strip())
            keys.add(spec.key)
            outline.append(spec)
            current, task, item = spec, None, None
            block.role, block.level, block.number, block.title = "heading", level, h.number, h.title
            block.section_key = spec.key
            continue
        if p.table:
            block.role = "table"
            block.text = row_text(p.cells) or p.text
        if current is None:
            # Text after the front matter and before any heading (a 自评表 alone, its 附件 title
            # above it): a section of its own, named by the title nearest above it.
            current = own_section(_nearest_title(paras, i, front) or "正文")
            l1 = current
        block.place = Place(current.key, task, item) if task is not None else Place(current.key)
    return blocks, outline, stop


def row_text(cells: tuple[str, ...]) -> str:
    """A table row placed as text: its cells apart, a form's label and value joined as one
    ("人员编制：128　实有人数：185", the 岳阳 form as a Word table)."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) >= 2 and len(filled) % 2 == 0 and all(
            looks_like_label(filled[k]) and not filled[k].endswith((":", "：")) for k in range(0, len(filled), 2)) \
            and all(is_value(filled[k]) for k in range(1, len(filled), 2)):
        return "\u3000".join(f"{filled[k]}：{filled[k + 1]}" for k in range(0, len(filled), 2))
    return "\u3000".join(filled)


def _in_list(paras: list[Paragraph], i: int, levels: dict[int, int]) -> bool:
    """A numbered line next to another of its style with no text between them: an item of a
    list ("(1)田心乡人民政府" / "(2)田心乡人大" …), which stays text, not a section."""
    h = _outline_heading(paras[i], levels)
    for j in (i - 1, i + 1):
        if 0 <= j < len(paras) and not paras[j].table:
            other = _outline_heading(paras[j], levels)
            if other is not None and h is not None and other.level == h.level:
                return True
    return False


def _nearest_title(paras: list[Paragraph], i: int, front: FrontMatter) -> str:
    for j in range(i - 1, -1, -1):
        if front.roles.get(j) == "title":
            return paras[j].text
    return ""
