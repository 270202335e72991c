"""check / explain / finalize / unlock: the rules and the report's states from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import Any

from nanzhou_desktop.model import Report
from nanzhou_desktop.money import format_rate, round_half_up
from nanzhou_desktop.rules import check
from nanzhou_desktop.rules.findings import CheckResult, Finding, Severity
from nanzhou_desktop.rules.integrity import with_integrity
from nanzhou_desktop.rules.narrative import section_names
from nanzhou_desktop.store.reportfile import open_report_file
from nanzhou_desktop.workflow import explain, finalise, unlock

EXIT_HAS_ERRORS = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="检查报告：列出错误、警告和提示，给出自评得分、等级和填报完成度")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，供其他程序读取")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("explain", help="为一个警告填写出错说明（错误必须改正，不能说明）")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("finding_key", metavar="问题编号", help="check 输出中的问题编号")
    p.add_argument("text", metavar="说明", help="出错说明的内容")
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser("finalize", help="定稿：没有错误且每个警告都有出错说明时才能定稿")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.set_defaults(handler=cmd_finalize)

    p = sub.add_parser("unlock", help="解除定稿，回到草稿（修订号加一，必须写明原因）")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("--reason", required=True, help="解除定稿的原因")
    p.set_defaults(handler=cmd_unlock)


# -- check ------------------------------------------------------------------------------------
def _group_of(f: Finding) -> str:
    if f.where.section_key:
        return f.where.section_key.split(".", 1)[0]
    return {"indicators": "indicators", "report": "report"}.get(f.where.table, "other")


def _group_title(group: str, report: Report, names: dict[str, str]) -> str:
    sec = report.section(group)
    if sec is not None:
        return f"{names.get(group, group)}、{sec.heading}"
    return {"indicators": "绩效指标表", "report": "单位与签章信息", "other": "其他"}.get(group, group)


def _grouped(result: CheckResult, report: Report) -> list[tuple[str, list[Finding]]]:
    order = [s.key for s in report.top_sections()] + ["indicators", "report", "other"]
    groups: dict[str, list[Finding]] = {}
    for f in result.findings:
        groups.setdefault(_group_of(f), []).append(f)
    keys = [k for k in order if k in groups] + [k for k in groups if k not in order]
    return [(k, sorted(groups[k], key=lambda f: f.severity.rank)) for k in keys]


def _d2(value: Decimal) -> str:
    return str(round_half_up(value, 2))


def _pts(value: Decimal) -> str:
    """分值 as written on forms: 10, 90, 6.25."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _summary_lines(result: CheckResult) -> list[str]:
    sc, comp = result.score, result.completion
    explained = sum(1 for f in result.findings if f.severity == Severity.WARNING and f.explained)
    return [
        f"自评得分 {_d2(sc.total)} 分，等级“{sc.grade}”："
        f"预算执行率 {_d2(sc.budget_score)}/{_pts(sc.budget_points)} 分（执行率 {format_rate(sc.budget_rate)}），"
        f"绩效指标 {_d2(sc.indicator_score)}/{_pts(sc.indicator_points)} 分",
        f"填报完成度 {format_rate(comp.share * 100)}（{comp.filled}/{comp.required} 项）",
        f"错误 {result.count(Severity.ERROR)} 个，警告 {result.count(Severity.WARNING)} 个"
        f"（{explained} 个已有出错说明），提示 {result.count(Severity.INFO)} 个",
    ]


def _finding_dict(f: Finding) -> dict[str, Any]:
    w = f.where
    return {
        "key": f.key,
        "rule": f.rule,
        "severity": str(f.severity),
        "message": f.message,
        "seen": f.seen,
        "expected": f.expected,
        "suggestion": f.suggestion,
        "where": {"table": w.table, "row": w.row, "column": w.column, "section_key": w.section_key,
                  "offset": w.offset, "length": w.length},
        "explanation": None if f.explanation is None else {
            "text": f.explanation.text, "author": f.explanation.author, "at": f.explanation.at},
        "blocks_finalising": f.blocks_finalising,
    }


def result_dict(result: CheckResult, report: Report) -> dict[str, Any]:
    """The check result as JSON-able data (exact decimals as strings, plus display values)."""
    sc, comp = result.score, result.completion
    return {
        "title": report.display_title,
        "status": str(report.status),
        "revision": report.revision,
        # the template whose scheme gave the score
        "template": {"id": report.template_id, "version": report.template.version, "name": report.template.name},
        "score": {
            "budget_rate": None if sc.budget_rate is None else str(sc.budget_rate),
            "budget_rate_display": format_rate(sc.budget_rate),
            "budget_points": str(sc.budget_points),
            "budget_score": str(sc.budget_score),
            "budget_score_display": _d2(sc.budget_score),
            "indicator_points": str(sc.indicator_points),
            "indicator_score": str(sc.indicator_score),
            "indicator_score_display": _d2(sc.indicator_score),
            "total": str(sc.total),
            "total_display": _d2(sc.total),
            "grade": sc.grade,
            "indicators": [{"name": i.name, "points": str(i.points),
                            "score": None if i.score is None else str(i.score)} for i in sc.indicators],
        },
        "completion": {
            "filled": comp.filled, "required": comp.required, "share": str(comp.share),
            "per_section": {k: {"filled": v[0], "required": v[1]} for k, v in comp.per_section.items()},
        },
        "counts": {str(s): result.count(s) for s in Severity},
        "findings": [_finding_dict(f) for f in result.findings],
    }


def cmd_check(args: argparse.Namespace) -> int:
    with open_report_file(args.file, read_only=True) as rf:
        report = rf.report
        result = with_integrity(check(report), report, rf.changed_after_final())
        if args.json:
            sys.stdout.write(json.dumps(result_dict(result, report), ensure_ascii=False, indent=2) + "\n")
        else:
            names = section_names(report)
            lines = [report.display_title, f"状态：{report.status}  修订号：{report.revision}", *_summary_lines(result)]
            for group, findings in _grouped(result, report):
                lines.append("")
                lines.append(f"【{_group_title(group, report, names)}】")
                for f in findings:
                    lines.append(f"  [{f.severity}] {f.message}")
                    lines.append(f"      编号：{f.key}")
                    if f.suggestion:
                        lines.append(f"      建议：{f.suggestion}")
                    if f.explanation is not None:
                        who = f"（{f.explanation.author}，{f.explanation.at}）" if f.explanation.author else ""
                        lines.append(f"      出错说明：{f.explanation.text}{who}")
            if not result.findings:
                lines.append("")
                lines.append("没有发现问题。")
            sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_HAS_ERRORS if result.count(Severity.ERROR) else 0


def cmd_explain(args: argparse.Namespace) -> int:
    with open_report_file(args.file) as rf:
        exp = explain(rf, args.finding_key, args.text)
    print(f"已保存出错说明（{exp.finding_key}）：{exp.text}")
    return 0


def cmd_finalize(args: argparse.Namespace) -> int:
    with open_report_file(args.file) as rf:
        result = finalise(rf)
        print(f"已定稿：{rf.report.display_title}（修订号 {rf.report.revision}）")
        print(f"内容指纹：{rf.report.final_fingerprint}")
        print("\n".join(_summary_lines(result)))
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    with open_report_file(args.file) as rf:
        unlock(rf, args.reason)
        print(f"已解除定稿，回到草稿（修订号 {rf.report.revision}）；原因：{args.reason.strip()}")
    return 0
