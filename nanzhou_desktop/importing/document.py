"""Import a report document: read it, mend it, split it into the outline, recognise its
figures.  Returns an :class:`ImportResult`; nothing is written until :func:`write_import`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from nanzhou_desktop.importing.errors import DocumentImportError
from nanzhou_desktop.importing.mending import Paragraph, paragraphs
from nanzhou_desktop.importing.outline import MATCH_THRESHOLD, similarity
from nanzhou_desktop.importing.readers import MAX_DOCUMENT_BYTES, RawDocument, read_bytes, read_document
from nanzhou_desktop.importing.result import ImportResult, Place, SectionSpec, SourceBlock, parse_cn_date
from nanzhou_desktop.importing.tables import read_indicator_table
from nanzhou_desktop.model import SectionKind, SignOff, Unit
from nanzhou_desktop.template import Template, default_template

_TITLE = re.compile(r"^(?:(\d{4})\s*年度?)?\s*(.*?)\s*(?:部门|单位)?(?:整体)?支出绩效自评报告$")
_TITLE_WORDS = ("报告", "自评")
_UNIT_LINE = re.compile(r"^\S{2,40}(?:办事处|街道|人民政府|局|委员会|中心|办公室|管理处|所|院|站)(?:（盖章）|\(盖章\))?$")
_CONTACT = re.compile(r"^[（(]\s*联系人[:：]\s*([^，,）)]*?)\s*[，,]\s*联系电话[:：]\s*([^）)]*?)\s*[）)]$")
_BLANK_DATE = re.compile(r"^[\s\u3000_＿]*年[\s\u3000_＿]*月[\s\u3000_＿]*日$")
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
    template = template or default_template()
    paras, drops = paragraphs(raw)
    blocks, outline = _split(paras, template)
    if not any(b.role == "heading" for b in blocks):
        raise DocumentImportError(
            f"在“{name}”中找不到可识别的章节标题（如“一、基本情况”“（一）部门概况”），无法按提纲导入；"
            "请确认这是部门整体支出绩效自评报告")
    title = "".join(b.text for b in blocks if b.role == "title")
    found_year, found_unit = _identity_from_title(title)
    indicators, indicator_rows = read_indicator_table(paras)
    for i in indicator_rows:  # blocks are made one per paragraph, in order
        blocks[i].read_into = "绩效指标"
    signoff = _signoff(blocks)
    _annex_signature(blocks, signoff)
    if unit is None:
        unit = found_unit
    elif not unit.full_name:
        unit = replace(unit, full_name=found_unit.full_name)  # the caller's Unit is not changed
    result = ImportResult(
        source_name=name, source_kind=raw.kind, source_text=raw.text, blocks=blocks, outline=outline,
        template_id=template.id, unit=unit, year=year or found_year, title=title, signoff=signoff,
        drops=drops, notes=list(raw.notes), table_indicators=indicators)
    return result


# ---------------------------------------------------------------------- identity
def _identity_from_title(title: str) -> tuple[int | None, Unit]:
    m = _TITLE.match(title)
    if not m:
        y = re.search(r"(20\d{2})\s*年", title)
        return (int(y.group(1)) if y else None), Unit()
    year = int(m.group(1)) if m.group(1) else None
    full = m.group(2).strip()
    district = re.search(r"市?([^市省]{1,4}区)", full)
    short = re.search(r"([^区府政民人]{2,4}?街道?)办事处$", full)
    short_name = short.group(1) if short else ""
    if short_name and not short_name.endswith("街道"):
        short_name = short_name.rstrip("街") + "街道"
    return year, Unit(full_name=full, short_name=short_name, district=district.group(1) if district else "")


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
        if b.role not in ("annex", "table") or b.read_into or "单位负责人" not in b.text:
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
        if found:
            b.read_into = "签章信息"
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


# ---------------------------------------------------------------------- splitting
def _annex_start(paras: list[Paragraph]) -> int:
    """Index of the 附件 mark (the self-evaluation table follows), or len(paras)."""
    seen_heading = False
    for i, p in enumerate(paras):
        if not p.table and seen_heading and _ANNEX.match(p.text):
            return i
        h = None if p.table else p.heading
        seen_heading = seen_heading or (h is not None and h.level <= 2)
    return len(paras)


def _assign(paras: list[Paragraph], tsections: list[dict], stop: int) -> dict[int, tuple[dict | None, str]]:
    """Which template section each 一、/（一） heading stands for, and how it was decided
    (措辞 by wording, 下级标题 by its sub-headings, 位置 by position in a part shaped like the
    template's).  Unmatched headings map to None and become sections of their own."""
    heads = [(i, p.heading) for i, p in enumerate(paras[:stop])
             if not p.table and p.heading is not None and p.heading.level <= 2]
    used: set[str] = set()
    out: dict[int, tuple[dict | None, str]] = {}

    def children(key: str | None) -> list[dict]:
        if key is None:
            return [t for t in tsections if t["level"] == 2]
        return [t for t in tsections if t["level"] == 2 and t["key"].rpartition(".")[0] == key]

    def by_wording(title: str, candidates: list[dict]) -> dict | None:
        scored = [(similarity(title, t["heading"]), n, t) for n, t in enumerate(candidates) if t["key"] not in used]
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
    groups: dict[int | None, list[tuple[int, object]]] = {}
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
                similarity(k.title, c["heading"]) >= MATCH_THRESHOLD for c in kids))  # type: ignore[attr-defined]
            if n > hits:
                best, hits = t, n
        if best is not None:
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
            t = by_wording(k.title, cands)  # type: ignore[attr-defined]
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


def _split(paras: list[Paragraph], template: Template) -> tuple[list[SourceBlock], list[SectionSpec]]:
    tsections = list(template.sections)
    stop = _annex_start(paras)
    assigned = _assign(paras, tsections, stop)
    outline: list[SectionSpec] = []
    keys: set[str] = {t["key"] for t in tsections}
    blocks: list[SourceBlock] = []
    l1: SectionSpec | None = None
    current: SectionSpec | None = None
    task = item = None
    n_tasks = n_items = 0
    seen_heading = False

    def new_key(parent: str) -> str:
        n = 1
        while (f"{parent}.{n}" if parent else str(n)) in keys:
            n += 1
        return f"{parent}.{n}" if parent else str(n)

    for i, p in enumerate(paras):
        block = SourceBlock(index=i, text=p.text, role="paragraph", page=p.page)
        blocks.append(block)
        if i >= stop:
            block.role = "annex"  # 附件 (the self-evaluation table): listed, never mixed into the last section
            continue
        if p.table:
            block.role = "table"
            continue
        h = p.heading
        if h is not None and h.level <= 2:
            seen_heading = True
            t, how = assigned.get(i, (None, ""))
            if t is not None:
                spec = SectionSpec(t["key"], h.level, h.title, SectionKind(t.get("kind", "text")),
                                   bool(t.get("required", True)), from_template=True)
            else:
                spec = SectionSpec(new_key("" if h.level == 1 else (l1.key if l1 else "0")), h.level, h.title)
            keys.add(spec.key)
            outline.append(spec)
            if h.level == 1:
                l1 = spec
            current, task, item = spec, None, None
            block.role, block.level, block.number, block.title = "heading", h.level, h.number, h.title
            block.body, block.stop, block.section_key = h.body, h.stop, spec.key
            block.matched, block.how = (t["heading"] if t else ""), how
            if h.body:
                block.place = Place(spec.key)
            continue
        if current is not None and current.kind == SectionKind.TASKS and h is not None:
            if h.level == 3:
                task, item, n_items = n_tasks, None, 0
                n_tasks += 1
                block.role, block.level, block.number, block.title = "task", 3, h.number, h.title
                block.body, block.stop, block.section_key, block.task = h.body, h.stop, current.key, task
                if h.body:
                    block.place = Place(current.key, task)
                continue
            if h.level == 4 and task is not None:
                item = n_items
                n_items += 1
                block.role, block.level, block.number, block.title = "item", 4, h.number, h.title
                # The item's full stop is printed again by the narrative (（1）标题。正文).
                block.body, block.stop, block.section_key = h.body, "", current.key
                block.task, block.item = task, item
                block.place = Place(current.key, task, item)
                continue
        if current is None:
            if not seen_heading and not any(b.role == "title" for b in blocks) and (
                    any(w in p.text for w in _TITLE_WORDS) and "。" not in p.text):
                block.role = "title"
                # A title wrapped onto two centred lines (a PDF) arrives as two paragraphs.
                prev = blocks[-2] if len(blocks) > 1 else None
                if (prev is not None and prev.role == "preamble" and "。" not in prev.text and len(prev.text) <= 40
                        and prev.page == block.page and not re.match(r"^\d{4}\s*年", p.text)):
                    prev.role = "title"
            else:
                block.role = "preamble"
            continue
        block.place = Place(current.key, task, item) if task is not None else Place(current.key)
    return blocks, _complete_outline(outline, tsections)


def _complete_outline(outline: list[SectionSpec], tsections: list[dict]) -> list[SectionSpec]:
    """Add the template's sections the document lacks (empty), so the report keeps the
    sections its tables and checks need: a missing sub-section at the end of its part (the
    document's own sections keep their numbers), a missing part after the part before it."""
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
