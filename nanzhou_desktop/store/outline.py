"""The report's own outline (报告提纲): add, rename, move, delete a section or sub-section, mark
it optional — the core operations the window and ``outline`` command share.

Each operation is one transaction on the report file: checked, written, audited, committed,
and only then the in-memory report follows.  After a structural change the printed numbering
of every section is renumbered from its position in the style the report's template gives
each level (一、（一）1.（1）①).  A section keeps its key wherever it goes (findings and 出错说明
are stored under it); a new section gets a key no section or 出错说明 has used.

Each operation returns what undoes it (:class:`Undo`), which the window's undo stack keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from nanzhou_desktop.model import Section, SectionKind
from nanzhou_desktop.store.errors import EditError
from nanzhou_desktop.store.fields import clean_text
from nanzhou_desktop.template import MAX_DEPTH, renumber

MAX_HEADING = 100
_KIND_WORDS = {SectionKind.BUDGET: "预算执行情况", SectionKind.PROJECTS: "重点项目", SectionKind.TASKS: "工作任务"}


@dataclass(frozen=True)
class Place:
    """Where a section stands: under ``parent`` ('' for a top-level part), ``index``-th among
    its siblings."""

    parent: str
    index: int


@dataclass(frozen=True)
class Undo:
    """What undoes an outline operation: ``action`` one of remove / restore / move / required,
    with what it needs."""

    action: str
    key: str
    place: Place | None = None
    sections: tuple[Section, ...] = ()
    required: bool = False


def _name(s: Section) -> str:
    return f"{s.number}{s.heading}"


def _section(rf: Any, key: str) -> Section:
    sec = rf.report.section(key)
    if sec is None:
        raise EditError(f"提纲中没有编号为“{key}”的章节（可能已被删除）")
    return sec


def _heading(value: Any) -> str:
    text = " ".join(clean_text(value, "标题").split())
    if not text:
        raise EditError("章节标题不能为空")
    if len(text) > MAX_HEADING:
        raise EditError(f"章节标题过长（{len(text)} 字），最多 {MAX_HEADING} 字")
    return text


def place_of(report: Any, key: str) -> Place:
    parent = report.parent(key)
    siblings = report.children(parent.key) if parent else report.top_sections()
    return Place(parent.key if parent else "", next(i for i, s in enumerate(siblings) if s.key == key))


def has_text(report: Any, key: str) -> int:
    """Characters of text the section and its sub-sections hold (the work tasks for a task
    section), what deleting it would take away."""
    from nanzhou_desktop.narrative import section_chars

    return sum(section_chars(report, s) for s in report.subtree(key))


def _new_key(report: Any, parent: str) -> str:
    used = {s.key for s in report.sections}
    noted = " ".join(report.explanations)  # a key an 出错说明 was stored under is not given again
    n = 1
    while True:
        key = f"{parent}.{n}" if parent else str(n)
        if key not in used and f"section:{key}" not in noted and f"sections:{key}" not in noted:
            return key
        n += 1


def _insert_at(sections: list[Section], parent: Section | None, index: int, report: Any) -> int:
    """The position in the flat list where a section goes as the ``index``-th child of ``parent``."""
    siblings = report.children(parent.key) if parent else report.top_sections()
    if index < len(siblings):
        return sections.index(siblings[index])
    if parent is None:
        return len(sections)
    tree = report.subtree(parent.key)
    return sections.index(tree[-1]) + 1


def _write_order(rf: Any, order: list[Section], levels: dict[str, int] | None = None) -> dict[str, tuple[int, str]]:
    """Positions, levels (``levels``: section key → its new level, for a moved subtree) and the
    renumbered numbers of ``order`` into the file (inside a transaction).  Returns key → (level,
    number) for the model to take after the commit; the model is not touched here."""
    levels = levels or {}
    shadow = [replace(s, level=levels.get(s.key, s.level)) for s in order]
    numbers = {s.key: n for s, n in renumber(shadow, rf.report.template)}
    rf.conn.executemany("UPDATE sections SET position = ?, level = ?, number = ? WHERE id = ?",
                        [(pos, s.level, numbers.get(s.key, s.number), s.id) for pos, s in enumerate(shadow)])
    return {s.key: (s.level, numbers.get(s.key, s.number)) for s in shadow}


def _follow(report: Any, order: list[Section], written: dict[str, tuple[int, str]]) -> None:
    """The model takes the committed order, levels and numbers."""
    for s in order:
        s.level, s.number = written[s.key]
    report.sections[:] = order


def _levels_ok(sections: list[Section], top_level: int) -> None:
    deepest = top_level + max(s.level for s in sections) - sections[0].level
    if deepest > MAX_DEPTH:
        raise EditError(f"提纲最多 {MAX_DEPTH} 级，这样会有第 {deepest} 级")


def add_section(rf: Any, parent_key: str, heading: str, *, index: int | None = None) -> tuple[Section, Undo]:
    """A new (optional, text) section, the ``index``-th (default: last) under ``parent_key``
    ('' for a new part at the top)."""
    rf._check_editable()
    rf._check_room("sections")  # past the limit no reader would accept the file
    report = rf.report
    parent = _section(rf, parent_key) if parent_key else None
    if parent is not None and parent.kind == SectionKind.TASKS:
        raise EditError(f"“{_name(parent)}”下面是各项工作任务，不能再添加章节；工作任务请在该节中添加")
    level = parent.level + 1 if parent else 1
    if level > MAX_DEPTH:
        raise EditError(f"提纲最多 {MAX_DEPTH} 级，不能在第 {parent.level if parent else 0} 级章节下再添加")
    siblings = report.children(parent.key) if parent else report.top_sections()
    index = len(siblings) if index is None else max(0, min(index, len(siblings)))
    sec = Section(key=_new_key(report, parent.key if parent else ""), level=level, number="",
                  heading=_heading(heading), required=False)
    order = list(report.sections)
    order.insert(_insert_at(order, parent, index, report), sec)
    with rf._transaction():
        cur = rf.conn.execute(
            "INSERT INTO sections (key, position, level, number, heading, body, kind, required) "
            "VALUES (?, 0, ?, '', ?, '', 'text', 0)", (sec.key, sec.level, sec.heading))
        sec.id = int(cur.lastrowid or 0)
        written = _write_order(rf, order)
        rf._audit("add", f"sections#{sec.id}", None, sec.heading,
                  f"提纲：在“{_name(parent)}”下添加" if parent else "提纲：添加一级章节")
    _follow(report, order, written)
    return sec, Undo("remove", sec.key)


def remove_section(rf: Any, key: str) -> Undo:
    """Delete a section and everything under it.  Refused for a section the template requires
    (mark it optional first), for the budget section, and for the task or project section while
    the report holds tasks or projects.  The caller asks first when it has text (:func:`has_text`)."""
    rf._check_editable()
    report = rf.report
    sec = _section(rf, key)
    tree = report.subtree(key)
    for s in tree:
        if s.required:
            what = "" if s is sec else f"其下的“{_name(s)}”"
            raise EditError(f"“{_name(sec)}”{what}是本报告格式规定的必填章节，不能直接删除；"
                            "如本单位的报告确实没有这一节，请先把它标记为“可选”再删除")
        if s.kind == SectionKind.BUDGET:
            raise EditError(f"“{_name(s)}”承载预算执行情况（自评表中的预算数和执行数、预算执行率得分都与它对应），不能删除")
        if s.kind == SectionKind.TASKS and report.tasks:
            raise EditError(f"“{_name(s)}”中还有 {len(report.tasks)} 项工作任务，请先删除这些任务再删除该章节")
        if s.kind == SectionKind.PROJECTS and report.projects:
            raise EditError(f"“{_name(s)}”对应自评表中的 {len(report.projects)} 个重点项目，请先在自评表中删除这些项目")
    place = place_of(report, key)
    snapshot = tuple(replace(s) for s in tree)
    order = [s for s in report.sections if s not in tree]
    with rf._transaction():
        rf.conn.executemany("DELETE FROM sections WHERE id = ?", [(s.id,) for s in tree])
        written = _write_order(rf, order)
        for s in tree:
            rf._audit("delete", f"sections#{s.id}", s.heading, None,
                      f"提纲：删除“{_name(sec)}”" + ("" if s is sec else "（其下级章节）"))
    _follow(report, order, written)
    return Undo("restore", key, place, snapshot)


def restore_sections(rf: Any, sections: tuple[Section, ...], place: Place) -> Undo:
    """Put back deleted sections (a section and its sub-sections, with their text) under their
    old ids and keys at ``place``: what 撤销 of a deletion does."""
    rf._check_editable()
    report = rf.report
    if not sections:
        raise EditError("没有要恢复的章节")
    if any(report.section(s.key) is not None for s in sections):
        raise EditError("要恢复的章节已经存在")
    from nanzhou_desktop.limits import ROWS_MAX

    if len(report.sections) + len(sections) > ROWS_MAX["sections"]:
        raise EditError(f"章节将超过上限 {ROWS_MAX['sections']:,} 个，不能恢复")
    parent = _section(rf, place.parent) if place.parent else None
    shift = (parent.level + 1 if parent else 1) - sections[0].level
    _levels_ok(list(sections), sections[0].level + shift)
    restored = [replace(s, level=s.level + shift) for s in sections]
    order = list(report.sections)
    at = _insert_at(order, parent, place.index, report)
    order[at:at] = restored
    with rf._transaction():
        for s in restored:
            rf.conn.execute(
                "INSERT INTO sections (id, key, position, level, number, heading, body, kind, required) "
                "VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)",
                (s.id, s.key, s.level, s.number, s.heading, s.body, str(s.kind), int(s.required)))
            rf._audit("restore", f"sections#{s.id}", None, s.heading, "提纲：恢复删除的章节")
        written = _write_order(rf, order)
    _follow(report, order, written)
    return Undo("remove", sections[0].key)


def move_section(rf: Any, key: str, parent_key: str, index: int) -> Undo:
    """Move a section (with everything under it) to be the ``index``-th under ``parent_key``
    ('' for the top level); its level, and its sub-sections', follow."""
    rf._check_editable()
    report = rf.report
    sec = _section(rf, key)
    old = place_of(report, key)
    tree = report.subtree(key)
    parent = _section(rf, parent_key) if parent_key else None
    if parent is not None and parent in tree:
        raise EditError(f"不能把“{_name(sec)}”移到它自己的下级章节里")
    if parent is not None and parent.kind == SectionKind.TASKS:
        raise EditError(f"“{_name(parent)}”下面是各项工作任务，不能放入章节")
    new_level = parent.level + 1 if parent else 1
    _levels_ok(tree, new_level)
    shift = new_level - sec.level
    rest = [s for s in report.sections if s not in tree]
    # the siblings as they will be without the moved section
    siblings = [s for s in (report.children(parent.key) if parent else report.top_sections()) if s is not sec]
    index = max(0, min(index, len(siblings)))
    if old == Place(parent.key if parent else "", index):
        return Undo("move", key, old)  # nothing to do
    if index < len(siblings):
        at = rest.index(siblings[index])
    elif parent is None:
        at = len(rest)
    else:
        ptree = [s for s in report.subtree(parent.key) if s not in tree]
        at = rest.index(ptree[-1]) + 1
    order = rest[:at] + tree + rest[at:]
    with rf._transaction():
        written = _write_order(rf, order, {s.key: s.level + shift for s in tree})
        target = f"“{_name(parent)}”下" if parent else "一级章节"
        rf._audit("move", f"sections#{sec.id}", f"{old.parent or '顶层'}/{old.index + 1}",
                  f"{parent.key if parent else '顶层'}/{index + 1}", f"提纲：移动“{_name(sec)}”到{target}第 {index + 1} 位")
    _follow(report, order, written)
    return Undo("move", key, old)


def step_section(rf: Any, key: str, delta: int) -> Undo | None:
    """Move a section up (-1) or down (+1) among its siblings; None at the end of its row."""
    place = place_of(rf.report, key)
    parent = rf.report.section(place.parent) if place.parent else None
    count = len(rf.report.children(parent.key) if parent else rf.report.top_sections())
    to = place.index + delta
    if not 0 <= to < count:
        return None
    return move_section(rf, key, place.parent, to)


def set_required(rf: Any, key: str, required: bool) -> Undo:
    """Mark a section required (its text must be written before 定稿) or optional."""
    rf._check_editable()
    sec = _section(rf, key)
    old = sec.required
    if old == required:
        return Undo("required", key, required=old)
    with rf._transaction():
        rf.conn.execute("UPDATE sections SET required = ? WHERE id = ?", (int(required), sec.id))
        rf._audit("edit", f"sections.required#{sec.id}", "必填" if old else "可选", "必填" if required else "可选",
                  f"提纲：“{_name(sec)}”")
    sec.required = required
    return Undo("required", key, required=old)


def undo(rf: Any, step: Undo) -> Undo:
    """Apply an :class:`Undo`; returns what redoes it."""
    if step.action == "remove":
        return remove_section(rf, step.key)
    if step.action == "restore":
        assert step.place is not None
        return restore_sections(rf, step.sections, step.place)
    if step.action == "move":
        assert step.place is not None
        return move_section(rf, step.key, step.place.parent, step.place.index)
    if step.action == "required":
        return set_required(rf, step.key, step.required)
    raise ValueError(step.action)
