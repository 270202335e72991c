"""填报完成度: every required section and sign-off field filled, per top-level section and overall.

Groups of :class:`Completion.per_section`: the top-level section keys ("1" … "4"; the budget
block counts under the section holding it, tasks and key projects under theirs, a required 前言
under the first part), plus ``"indicators"`` (绩效指标表) and ``"signoff"`` (单位与签章信息, with
the cover fields).  What an indicator needs follows the report's 评分办法: 分值 when they are
typed, 年度指标值 and 实际完成值 when 得分 are computed, the 得分 when they are typed.
"""

from __future__ import annotations

from nanzhou_desktop.model import BudgetKind, FieldRef, Report, SectionKind
from nanzhou_desktop.rules.base import ERROR, Collector
from nanzhou_desktop.rules.budget import budget_target, row_label
from nanzhou_desktop.rules.findings import Completion
from nanzhou_desktop.rules.scoring import indicator_name

SIGNOFF_LABELS = {
    "head": "单位负责人",
    "finance_head": "财务负责人",
    "preparer": "填报人",
    "phone": "联系电话",
    "fill_date": "填报日期",
    "issue_date": "成文日期",
}


class _Tally:
    """Filled / required counts per group (a group is created when first counted into)."""

    def __init__(self) -> None:
        self.groups: dict[str, list[int]] = {}

    def group(self, group: str) -> list[int]:
        return self.groups.setdefault(group, [0, 0])

    def item(self, group: str, filled: bool) -> bool:
        g = self.groups.setdefault(group, [0, 0])
        g[1] += 1
        if filled:
            g[0] += 1
        return filled

    def completion(self) -> Completion:
        filled = sum(g[0] for g in self.groups.values())
        required = sum(g[1] for g in self.groups.values())
        return Completion(filled, required, {k: (v[0], v[1]) for k, v in self.groups.items()})


def _filled(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


# The rows (work tasks, key projects, indicators) are counted a whole row at a time when all of
# it is filled, the usual case: a large report has about a thousand items and this runs on every
# keystroke.  Only a row with a gap is looked at item by item, to report the gap.

def _written(r: Report) -> dict[str, bool]:
    """Section key → it or a section under it has text (a part whose text is all in its
    sub-sections is written: （一）概况 with 1.主要职能职责 and 2.基本情况 under it, as 田心乡's)."""
    out: dict[str, bool] = {}
    stack: list[tuple[int, str]] = []
    for sec in r.sections:
        while stack and stack[-1][0] >= sec.level:
            stack.pop()
        has = bool(sec.body.strip())
        out[sec.key] = has
        if has:
            for _level, key in stack:
                out[key] = True
        stack.append((sec.level, sec.key))
    return out


def check_completeness(c: Collector) -> Completion:
    r: Report = c.report
    s = c.settings
    tally = _Tally()
    tops = r.top_keys()

    def _top(key: str) -> str:
        return tops.get(key, key)

    if r.template.preface.required and r.sections:
        if not tally.item(_top(r.sections[0].key), bool(r.preface.strip())):
            c.add("completeness.preface", ERROR, "前言未填写，本报告格式要求在“一、”之前写一段前言",
                  FieldRef("report", None, "preface", r.sections[0].key), "report:preface", seen="（空）",
                  expected="填写前言")

    written = _written(r)
    for sec in r.sections:
        g = tally.group(_top(sec.key))
        if sec.required:
            g[1] += 1
            if written[sec.key]:
                g[0] += 1
            else:
                c.add("completeness.section", ERROR, f"{sec.number}{sec.heading}的正文未填写，这是必填部分",
                      FieldRef("sections", sec.id, "body", sec.key), f"section:{sec.key}", seen="（空）",
                      expected="填写正文")

    tasks_sec = r.section_of_kind(SectionKind.TASKS)
    if tasks_sec is not None:
        _tasks(c, tally.group(_top(tasks_sec.key)), tasks_sec.key, f"{tasks_sec.number}{tasks_sec.heading}")

    budget_sec = r.section_of_kind(SectionKind.BUDGET)
    bkey = budget_sec.key if budget_sec else ""
    bgroup = _top(bkey) if bkey else "table"  # no section holds it: the 自评表 tab
    total = r.budget_total_row
    for col, label in (("budget_total", "全年预算数"), ("executed", "全年执行数")):
        value = getattr(total, col) if total is not None else None
        if not tally.item(bgroup, value is not None):
            c.add("completeness.budget", ERROR, f"预算执行情况“年度资金总额”的{label}未填写",
                  FieldRef("budget_rows", total.id if total else None, col, bkey), f"budget:total/{col}",
                  seen="（空）", expected=f"填写{label}（万元）")
    # A 其中 row once added is part of the printed table: a blank one prints as an empty line.
    for row in r.budget:
        if row.kind == BudgetKind.TOTAL:
            continue
        for col, label in (("budget_total", "全年预算数"), ("executed", "全年执行数")):
            if not tally.item(bgroup, getattr(row, col) is not None):
                c.add("completeness.budget", ERROR,
                      f"预算执行情况“{row_label(row)}”的{label}未填写（不需要这一行请删除）",
                      FieldRef("budget_rows", row.id, col, bkey), f"{budget_target(row)}/{col}",
                      seen="（空）", expected=f"填写{label}（万元）")

    if r.projects:  # the group exists only once a project is counted into it
        proj_sec = r.section_of_kind(SectionKind.PROJECTS)
        pkey = proj_sec.key if proj_sec else ""
        _projects(c, tally.group(_top(pkey) if pkey else "table"), pkey)

    _indicators(c, tally.group("indicators"))

    for cf in r.cover:
        if cf.required and not tally.item("signoff", bool(cf.value.strip())):
            c.add("completeness.cover", ERROR, f"封面项目“{cf.label}”未填写，定稿前必须填写",
                  FieldRef("cover_fields", cf.id, "value"), f"cover:{cf.key}", seen="（空）", expected=f"填写{cf.label}")

    so = r.signoff
    # An imported document that names no year makes a report with year 0 (never a guessed one);
    # only then is the year an item to fill in.
    if not 2000 <= r.year <= 2100 and not tally.item("signoff", False):
        c.add("completeness.year", ERROR, "报告的年度未填写（导入的文档中没有识别到年度）",
              FieldRef("report", None, "fiscal_year"), "report:fiscal_year", seen="（空）",
              expected="填写年度，如 2023", suggestion="在“单位信息与签章”中填写年度")
    if not tally.item("signoff", bool(r.unit.full_name.strip())):
        c.add("completeness.unit", ERROR, "单位全称未填写", FieldRef("report", None, "unit_full_name"),
              "report:unit_full_name", seen="（空）", expected="填写单位全称")
    if s.require_unit_code and not tally.item("signoff", bool(r.unit.code.strip())):
        c.add("completeness.unit", ERROR, "单位编码未填写", FieldRef("report", None, "unit_code"),
              "report:unit_code", seen="（空）", expected="填写单位编码")
    for name in s.required_signoff:
        if name == "phone":
            filled = bool(so.phone_office.strip() or so.phone_mobile.strip())
            column = "phone_office"
        else:
            filled = bool(str(getattr(so, name, "")).strip())
            column = name
        if not tally.item("signoff", filled):
            label = SIGNOFF_LABELS.get(name, name)
            c.add("completeness.signoff", ERROR, f"签章信息中的“{label}”未填写，定稿前必须填写",
                  FieldRef("report", None, column), f"signoff:{name}", seen="（空）", expected=f"填写{label}")
    return tally.completion()


def _tasks(c: Collector, g: list[int], skey: str, heading: str) -> None:
    """The work tasks: at least one; each with a title, and a text or sub-items with text."""
    tasks = c.report.tasks
    required, filled = 1 + len(tasks), 0
    if tasks:
        filled += 1
    else:
        c.add("completeness.tasks", ERROR, f"{heading}还没有任何工作任务，请至少填写一项",
              FieldRef("tasks", None, "title", skey), f"section:{skey}", seen="0 项", expected="至少 1 项")
    for ti, task in enumerate(tasks, 1):
        if task.title.strip():
            filled += 1
        else:
            c.add("completeness.task", ERROR, f"第 {ti} 项工作任务的标题未填写",
                  FieldRef("tasks", task.id, "title", skey), f"task:{ti}", seen="（空）", expected="填写标题")
        items = task.items
        if not items:
            required += 1
            if task.body.strip():
                filled += 1
            else:
                c.add("completeness.task", ERROR, f"工作任务“{task.title}”既没有正文也没有小项，请填写完成情况",
                      FieldRef("tasks", task.id, "body", skey), f"task:{task.title}/body",
                      seen="（空）", expected="填写正文或小项")
            continue
        required += len(items)
        for n, item in enumerate(items, 1):
            if item.body.strip():
                filled += 1
                continue
            # An item without a title yet is named by its number (not “”), and keyed by it too.
            name, key = (f"小项“{item.title}”", item.title) if item.title.strip() else (f"第 {n} 个小项", f"#{n}")
            c.add("completeness.task_item", ERROR, f"工作任务“{task.title}”的{name}正文未填写",
                  FieldRef("task_items", item.id, "body", skey), f"task:{task.title}/{key}",
                  seen="（空）", expected="填写正文")
    g[0] += filled
    g[1] += required


def _projects(c: Collector, g: list[int], pkey: str) -> None:
    """Each key project: 项目名称, 预算数, 执行数."""
    for pi, p in enumerate(c.report.projects, 1):
        g[1] += 3
        name = p.name.strip()
        if name and p.budget_total is not None and p.executed is not None:
            g[0] += 3
            continue
        if name:
            g[0] += 1
        else:
            name = f"第 {pi} 个重点项目"
            c.add("completeness.project", ERROR, f"第 {pi} 个重点项目的项目名称未填写",
                  FieldRef("projects", p.id, "name", pkey), f"project:{pi}/name", seen="（空）", expected="填写项目名称")
        for col, label in (("budget_total", "预算数"), ("executed", "执行数")):
            if getattr(p, col) is not None:
                g[0] += 1
            else:
                c.add("completeness.project", ERROR, f"重点项目“{name}”的{label}未填写",
                      FieldRef("projects", p.id, col, pkey), f"project:{name}/{col}", seen="（空）",
                      expected=f"填写{label}（万元）")


_LEVEL_LABELS = {1: "一级指标", 2: "二级指标", 3: "三级指标"}
_COLUMN_CACHE: dict[tuple, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {}


def _required_columns(r: Report) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(columns every indicator needs, those an applicable one needs besides), by the report's
    table and scheme: 一级指标 and the naming level always; 分值 when they are typed;
    年度指标值 and 实际完成值 when 得分 are computed, else the typed 得分."""
    t = r.template
    key = (t.table.indicator_levels, t.scheme.indicators.weighting, t.scheme.indicators.score)
    found = _COLUMN_CACHE.get(key)
    if found is None:
        name_level = t.table.name_level
        base: list[tuple[str, str]] = [("level1", "一级指标")]
        if name_level > 1:
            base.append((f"level{name_level}", _LEVEL_LABELS[name_level]))
        if t.scheme.indicators.weighting == "indicator":
            base.append(("points", "分值"))
        extra = ((("score", "得分"),) if t.scheme.indicators.score == "entered"
                 else (("target", "年度指标值"), ("actual", "实际完成值")))
        found = _COLUMN_CACHE[key] = (tuple(base), tuple(base) + extra)
    return found


_FAST_BASE = (("level1", "一级指标"), ("level3", "三级指标"), ("points", "分值"))
_FAST_MEASURED = _FAST_BASE + (("target", "年度指标值"), ("actual", "实际完成值"))


def _indicators(c: Collector, g: list[int]) -> None:
    """At least one indicator; each with what :func:`_required_columns` names."""
    indicators = c.report.indicators
    na_cols, measured_cols = _required_columns(c.report)
    fast = na_cols == _FAST_BASE and measured_cols == _FAST_MEASURED
    g[1] += 1
    if indicators:
        g[0] += 1
    else:
        c.add("completeness.indicators", ERROR, "绩效指标表还没有任何指标，请至少填写一项",
              FieldRef("indicators", None, "level3"), "indicators", seen="0 项", expected="至少 1 项")
    for ii, ind in enumerate(indicators, 1):
        cols = na_cols if ind.not_applicable else measured_cols
        n = len(cols)
        g[1] += n
        if fast:
            try:  # the text columns hold str; anything else takes the item-by-item path below
                complete = bool(ind.level1.strip() and ind.level3.strip() and ind.points is not None
                                and not isinstance(ind.points, str)
                                and (ind.not_applicable or (ind.target.strip() and ind.actual.strip())))
            except AttributeError:
                complete = False
        else:
            complete = all(_filled(getattr(ind, col, None)) for col, _ in cols)
        if complete:
            g[0] += n
            continue
        name = indicator_name(ind) or f"第 {ii} 项指标"
        for col, label in cols:
            if _filled(getattr(ind, col)):
                g[0] += 1
                continue
            target = f"indicator:{ii}/{col}" if col == f"level{c.report.template.table.name_level}" and col != "level1" \
                else f"indicator:{name}/{col}"
            c.add("completeness.indicator", ERROR, f"绩效指标“{name}”的{label}未填写",
                  FieldRef("indicators", ind.id, col), target, seen="（空）", expected=f"填写{label}")
