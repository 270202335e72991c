"""新建下一年度: next year's report from this year's.

The report's template (its numbering, 自评表 and 评分办法), its own outline as edited, the cover
fields, the work-task headings and the indicators carry over (targets kept, actuals and typed
得分 emptied; a cover field of kind 年度 moves to the new year, a date is emptied); this year's figures move to the 上年 columns beside next year's empty ones, so the
window and the 与上年数据核对 rule can compare.  The narrative starts empty: last year's
text describes last year.
"""

from __future__ import annotations

import re
import uuid as uuidlib

from nanzhou_desktop.model import (
    BudgetRow,
    CoverField,
    Indicator,
    Project,
    Report,
    Section,
    SignOff,
    Status,
    Task,
    TaskItem,
    Unit,
)


def next_year(report: Report) -> Report:
    """A new draft for ``report.year + 1`` (new identity, revision 1; ``report`` is not changed)."""
    year = report.year + 1
    u = report.unit
    return Report(
        uuid=str(uuidlib.uuid4()),
        year=year,
        unit=Unit(u.full_name, u.short_name, u.code, u.district),
        title=_next_title(report.title, report.year),
        template_id=report.template_id,
        sections=[Section(s.key, s.level, s.number, s.heading, "", s.kind, s.required) for s in report.sections],
        tasks=[Task(t.title, "", [TaskItem(i.title, "") for i in t.items]) for t in report.tasks],
        budget=[BudgetRow(b.kind, b.label, prior_budget_total=b.budget_total, prior_executed=b.executed)
                for b in report.budget],
        projects=[Project(p.name, prior_budget_total=p.budget_total, prior_executed=p.executed)
                  for p in report.projects],
        indicators=[Indicator(i.level1, i.level2, i.level3, i.direction, i.target, i.unit, actual="",
                              points=i.points, not_applicable=i.not_applicable, prior_actual=i.actual,
                              target_initial=i.target_initial)
                    for i in report.indicators],
        template=report.template,
        preface="",  # last year's opening cites last year's notice
        cover=[CoverField(c.key, c.label, c.kind, c.required, _next_cover_value(c, year)) for c in report.cover],
        # The people usually stay; the dates belong to the year's own report.
        signoff=SignOff(report.signoff.head, report.signoff.finance_head, report.signoff.preparer,
                        report.signoff.phone_office, report.signoff.phone_mobile),
        explanations={},
        status=Status.DRAFT,
        revision=1,
        final_fingerprint="",
    )


def _next_cover_value(c: CoverField, year: int) -> str:
    """评价年度 moves to the new year; a date (报告日期) is the new report's to fill; names and
    codes (评价单位, 预算编码) stay."""
    if c.kind == "year":
        return str(year) if c.value else ""
    if c.kind == "date":
        return ""
    return c.value


def _next_title(title: str, year: int) -> str:
    """2022年度…报告 → 2023年度…报告; a title without the year is left for the default."""
    if not title:
        return ""
    new, n = re.subn(rf"{year}(\s*年)", rf"{year + 1}\1", title, count=1)
    return new if n else ""
