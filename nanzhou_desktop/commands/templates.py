"""templates / outline: the report templates, and a report's own outline."""

from __future__ import annotations

import argparse
import json
import sys

from nanzhou_desktop.cli import ChineseHelpFormatter, CliError


class _RawChineseHelp(argparse.RawDescriptionHelpFormatter, ChineseHelpFormatter):
    """The outline's description keeps its line breaks; the usage line still reads 用法：."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="列出可用的报告模板（提纲、自评表与评分办法）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（对象列表，含 id、name、source 等）")
    p.set_defaults(handler=cmd_templates)
    register_outline(sub)


def cmd_templates(args: argparse.Namespace) -> int:
    from nanzhou_desktop.template import catalog, user_template_dir

    cat = catalog()
    if args.json:
        sys.stdout.write(json.dumps([t.describe() for t in cat.templates], ensure_ascii=False, indent=1) + "\n")
        for problem in cat.problems:
            sys.stderr.write(problem + "\n")
        return 0
    lines = []
    for t in cat.templates:
        d = t.data
        s = d.scheme
        where = "、".join(x for x in (d.region, d.applies_to) if x) or "不限"
        lines.append(f"{t.id}  （版本 {d.version}{'' if t.builtin else '，自备'}）")
        lines.append(f"  {d.name}")
        lines.append(f"  适用：{where}；{d.years_text}")
        budget = (f"预算执行率 {s.budget.points.normalize():f} 分 + " if s.budget.formula != "none" else "")
        lines.append(f"  评分：{budget}绩效指标 {s.indicators.points.normalize():f} 分"
                     + ("（" + " / ".join(f"{k} {v.normalize():f}" for k, v in s.indicators.level1) + "）"
                        if s.indicators.level1 else ""))
        for src in d.sources:
            lines.append(f"  来源：{src.title}" + (f"  {src.url}" if src.url else ""))
    lines.append(f"（自备模板放在：{user_template_dir()}）")
    print("\n".join(lines))
    for problem in cat.problems:
        sys.stderr.write(f"未能读取：{problem}\n")
    return 0


def template_for(name: str):  # noqa: ANN201 - a Template
    """A template by id, or from a template file's path."""
    from pathlib import Path

    from nanzhou_desktop.template import load_template, load_template_file
    from nanzhou_desktop.template_data import TemplateError

    try:
        if name.lower().endswith(".json") or "/" in name or "\\" in name:
            return load_template_file(Path(name))
        return load_template(name)
    except TemplateError as exc:
        raise CliError(str(exc)) from None


OUTLINE_ACTIONS = ("add", "rename", "move", "remove", "optional", "required")


def register_outline(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "outline", help="显示或修改报告的提纲（章节）：outline 报告文件；outline 报告文件 add|rename|move|remove|optional|required …",
        description="不带操作时显示提纲树（编号、标题、章节键、类型、必填与字数）。操作：\n"
                    "  add 上级章节键 标题 [--at 位置]   （上级章节键写 top 表示新增一级章节）\n"
                    "  rename 章节键 新标题\n"
                    "  move 章节键 (--up | --down | --under 上级章节键 [--at 位置] | --top [--at 位置])\n"
                    "  remove 章节键 [--force]          （有正文的章节须加 --force 确认）\n"
                    "  optional 章节键 / required 章节键\n"
                    "每处修改都记入文件的修改记录；编号随位置自动重排。",
        formatter_class=_RawChineseHelp)
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("action", nargs="?", default="", metavar="操作",
                   help="add、rename、move、remove、optional、required 之一；不写则只显示提纲")
    p.add_argument("args", nargs="*", metavar="参数", help="章节键、标题等，见上")
    p.add_argument("--at", type=int, default=None, metavar="位置", help="在同级章节中的位置，从 1 起")
    p.add_argument("--under", default=None, metavar="上级章节键", help="移到该章节之下，作为它的下级章节")
    p.add_argument("--top", action="store_true", help="移为一级章节")
    p.add_argument("--up", action="store_true", help="上移一位")
    p.add_argument("--down", action="store_true", help="下移一位")
    p.add_argument("--force", action="store_true", help="删除有正文的章节时确认")
    p.set_defaults(handler=cmd_outline)


def outline_lines(report) -> list[str]:  # noqa: ANN001 - a Report
    """The outline as a tree: numbering, heading, key, kind, required, characters."""
    from nanzhou_desktop.narrative import section_chars

    kinds = {"budget": "预算执行情况", "projects": "重点项目", "tasks": "工作任务"}
    lines = [f"{report.display_title}", f"（模板：{report.template.name}，版本 {report.template.version}）"]
    if report.preface or report.template.preface.enabled:
        lines.append(f"前言（{len(''.join(report.preface.split()))} 字）")
    for s in report.sections:
        extra = [f"键 {s.key}", "必填" if s.required else "可选"]
        if str(s.kind) in kinds:
            extra.append(kinds[str(s.kind)])
        lines.append(f"{'  ' * (s.level - 1)}{s.number}{s.heading}（{section_chars(report, s)} 字；{'，'.join(extra)}）")
    return lines


def cmd_outline(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nanzhou_desktop.store import outline as ops
    from nanzhou_desktop.store.reportfile import open_report_file

    if args.action and args.action not in OUTLINE_ACTIONS:
        raise CliError(f"没有“{args.action}”这个操作；操作应为 {'、'.join(OUTLINE_ACTIONS)} 之一（不写操作则只显示提纲）",
                       2)
    read_only = not args.action
    with open_report_file(args.file, read_only=read_only) as rf:
        if not read_only and rf.read_only:
            raise CliError(f"文件“{Path(args.file).name}”只能以只读方式打开（{rf.notice.read_only_reason}），未作修改")
        report = rf.report
        a = args.args
        at = None if args.at is None else args.at - 1

        def need(n: int, usage: str) -> None:
            if len(a) != n:
                raise CliError(f"用法：outline 报告文件 {usage}", 2)

        def key_of(k: str) -> str:
            if report.section(k) is None:
                raise CliError(f"提纲中没有章节键为“{k}”的章节（outline 报告文件 可查看各章节的键）")
            return k

        if args.action == "add":
            need(2, "add 上级章节键|top 标题 [--at 位置]")
            parent = "" if a[0] == "top" else key_of(a[0])
            sec, _ = ops.add_section(rf, parent, a[1], index=at)
            done = f"已添加“{sec.number}{sec.heading}”（键 {sec.key}）"
        elif args.action == "rename":
            need(2, "rename 章节键 新标题")
            sec = report.section(key_of(a[0]))
            old = f"{sec.number}{sec.heading}"
            rf.set_field("sections", sec.id, "heading", ops._heading(a[1]))
            done = f"已把“{old}”改为“{sec.number}{sec.heading}”"
        elif args.action == "move":
            need(1, "move 章节键 (--up | --down | --under 上级章节键 [--at 位置] | --top [--at 位置])")
            key = key_of(a[0])
            if args.up or args.down:
                if ops.step_section(rf, key, -1 if args.up else 1) is None:
                    raise CliError("已在同级章节的" + ("最前" if args.up else "最后") + "，未移动")
            elif args.under is not None or args.top:
                parent = "" if args.top else key_of(args.under)
                count = len(report.children(parent) if parent else report.top_sections())
                ops.move_section(rf, key, parent, count if at is None else at)
            else:
                raise CliError("请说明移到哪里：--up、--down、--under 上级章节键 或 --top", 2)
            sec = report.section(key)
            done = f"已移动，现为“{sec.number}{sec.heading}”"
        elif args.action == "remove":
            need(1, "remove 章节键 [--force]")
            key = key_of(a[0])
            sec = report.section(key)
            name = f"{sec.number}{sec.heading}"
            chars = ops.has_text(report, key)
            if chars and not args.force:
                raise CliError(f"“{name}”及其下级章节共有 {chars} 字正文，删除后正文一并删除；确认删除请加 --force")
            ops.remove_section(rf, key)
            done = f"已删除“{name}”" + (f"（连同 {chars} 字正文）" if chars else "")
        elif args.action in ("optional", "required"):
            need(1, f"{args.action} 章节键")
            sec = report.section(key_of(a[0]))
            ops.set_required(rf, sec.key, args.action == "required")
            done = f"“{sec.number}{sec.heading}”已设为{'必填' if sec.required else '可选'}"
        else:
            done = ""
        lines = outline_lines(report)
    if done:
        print(done)
    print("\n".join(lines))
    return 0
