"""The canonical serialisation of a report's content, and its fingerprint (内容指纹).

``to_content`` gives plain JSON-able data in a fixed order with decimals as strings; the
fingerprint is SHA-256 over its canonical JSON.

What report-file version 3 added (the template's data, the template version, 前言, the cover
fields, an indicator's 年初目标值 and typed 得分) is written only when it differs from what a
version-2 report meant (the v2 template, no 前言, no cover, empty columns): a report made or
finalised before version 3 keeps its content, and so the fingerprint printed on its paper
copy, after the file is upgraded.  Status, revision, timestamps and the audit
are not content: a report hashes the same before and after 定稿, on any machine, after
VACUUM or copying.  ``from_content`` rebuilds a report from the same data, so
file → dump → file → dump is the identity.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from nanzhou_desktop.model import (
    BudgetKind,
    BudgetRow,
    CoverField,
    Direction,
    Explanation,
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
from nanzhou_desktop.money import canonical
from nanzhou_desktop.template_data import parse_report_template, template_to_data, v2_template

CONTENT_FORMAT = 1


def _dec(value: Decimal | None) -> str | None:
    return canonical(value)


def _undec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _indicator(i: Indicator) -> dict[str, Any]:
    out = {
        "level1": i.level1,
        "level2": i.level2,
        "level3": i.level3,
        "direction": str(i.direction),
        "target": i.target,
        "unit": i.unit,
        "actual": i.actual,
        "points": _dec(i.points),
        "reason": i.reason,
        "not_applicable": i.not_applicable,
        "qual_share": _dec(i.qual_share),
        "note": i.note,
        "prior_actual": i.prior_actual,
    }
    if i.target_initial:  # version 3 columns: absent when empty, as in a version-2 report
        out["target_initial"] = i.target_initial
    if i.score is not None:
        out["score"] = _dec(i.score)
    return out


def to_content(report: Report) -> dict[str, Any]:
    out = {
        "format": CONTENT_FORMAT,
        "uuid": report.uuid,
        "year": report.year,
        "title": report.title,
        "template_id": report.template_id,
        "unit": {
            "full_name": report.unit.full_name,
            "short_name": report.unit.short_name,
            "code": report.unit.code,
            "district": report.unit.district,
        },
        "sections": [
            {
                "key": s.key,
                "level": s.level,
                "number": s.number,
                "heading": s.heading,
                "body": s.body,
                "kind": str(s.kind),
                "required": s.required,
            }
            for s in report.sections
        ],
        "tasks": [
            {
                "title": t.title,
                "body": t.body,
                "items": [{"title": i.title, "body": i.body} for i in t.items],
            }
            for t in report.tasks
        ],
        "budget": [
            {
                "kind": str(b.kind),
                "label": b.label,
                "budget_initial": _dec(b.budget_initial),
                "budget_total": _dec(b.budget_total),
                "executed": _dec(b.executed),
                "reason": b.reason,
                "prior_budget_total": _dec(b.prior_budget_total),
                "prior_executed": _dec(b.prior_executed),
            }
            for b in report.budget
        ],
        "projects": [
            {
                "name": p.name,
                "budget_total": _dec(p.budget_total),
                "executed": _dec(p.executed),
                "reason": p.reason,
                "prior_budget_total": _dec(p.prior_budget_total),
                "prior_executed": _dec(p.prior_executed),
            }
            for p in report.projects
        ],
        "indicators": [_indicator(i) for i in report.indicators],
        "signoff": {
            "head": report.signoff.head,
            "finance_head": report.signoff.finance_head,
            "preparer": report.signoff.preparer,
            "phone_office": report.signoff.phone_office,
            "phone_mobile": report.signoff.phone_mobile,
            "fill_date": report.signoff.fill_date,
            "issue_date": report.signoff.issue_date,
        },
        "explanations": [
            {"finding_key": e.finding_key, "text": e.text, "author": e.author}
            for e in sorted(report.explanations.values(), key=lambda e: e.finding_key)
        ],
    }
    # version 3: only what a version-2 report did not have (see the module docstring)
    if report.template is not v2_template() and report.template != v2_template():
        out["template"] = template_to_data(report.template)
    if report.preface:
        out["preface"] = report.preface
    if report.cover:
        out["cover"] = [{"key": c.key, "label": c.label, "kind": c.kind, "required": c.required, "value": c.value}
                        for c in report.cover]
    return out


def from_content(data: dict[str, Any]) -> Report:
    """Rebuild a report (ids unset) from :func:`to_content` data.  Raises ``KeyError``/
    ``ValueError`` on malformed data; callers turn that into a Chinese message."""
    if data.get("format") != CONTENT_FORMAT:
        raise ValueError(f"不支持的内容格式版本：{data.get('format')!r}")
    unit = data["unit"]
    s = data["signoff"]
    return Report(
        uuid=str(data["uuid"]),
        year=int(data["year"]),
        title=data.get("title", ""),
        template_id=data.get("template_id", ""),
        unit=Unit(unit["full_name"], unit["short_name"], unit["code"], unit["district"]),
        sections=[
            Section(
                key=x["key"], level=int(x["level"]), number=x["number"], heading=x["heading"],
                body=x["body"], kind=SectionKind(x["kind"]), required=bool(x["required"]),
            )
            for x in data["sections"]
        ],
        tasks=[
            Task(t["title"], t["body"], [TaskItem(i["title"], i["body"]) for i in t["items"]])
            for t in data["tasks"]
        ],
        budget=[
            BudgetRow(
                kind=BudgetKind(b["kind"]), label=b["label"],
                budget_initial=_undec(b["budget_initial"]), budget_total=_undec(b["budget_total"]),
                executed=_undec(b["executed"]), reason=b["reason"],
                prior_budget_total=_undec(b.get("prior_budget_total")),
                prior_executed=_undec(b.get("prior_executed")),
            )
            for b in data["budget"]
        ],
        projects=[
            Project(
                name=p["name"], budget_total=_undec(p["budget_total"]), executed=_undec(p["executed"]),
                reason=p["reason"], prior_budget_total=_undec(p.get("prior_budget_total")),
                prior_executed=_undec(p.get("prior_executed")),
            )
            for p in data["projects"]
        ],
        indicators=[
            Indicator(
                level1=i["level1"], level2=i["level2"], level3=i["level3"],
                direction=Direction(i["direction"]), target=i["target"], unit=i["unit"],
                actual=i["actual"], points=_undec(i["points"]), reason=i["reason"],
                not_applicable=bool(i["not_applicable"]), qual_share=_undec(i["qual_share"]),
                note=i.get("note", ""), prior_actual=i.get("prior_actual", ""),
                target_initial=i.get("target_initial", ""), score=_undec(i.get("score")),
            )
            for i in data["indicators"]
        ],
        signoff=SignOff(**{k: s[k] for k in (
            "head", "finance_head", "preparer", "phone_office", "phone_mobile", "fill_date", "issue_date")}),
        explanations={
            e["finding_key"]: Explanation(e["finding_key"], e["text"], e.get("author", ""))
            for e in data["explanations"]
        },
        template=(parse_report_template(data["template"], "报告内容", place="template") if "template" in data
                  else v2_template()),
        preface=str(data.get("preface", "")),
        cover=[CoverField(str(c["key"]), str(c["label"]), str(c["kind"]), bool(c["required"]), str(c["value"]))
               for c in data.get("cover", [])],
    )


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no insignificant spaces, NFC text: the same bytes on every machine.

    The whole JSON text is NFC-normalised at once, which equals normalising each string:
    keys and JSON syntax are ASCII starters, so no composition or reordering crosses a
    string's quotes (and it is several times faster than walking the structure).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fingerprint(report: Report) -> str:
    """内容指纹: hex SHA-256 of the canonical content."""
    import hashlib  # here, not at the top: loading OpenSSL costs the window's start ~2.5 ms

    return hashlib.sha256(canonical_json(to_content(report)).encode("utf-8")).hexdigest()
