"""templates / outline: the report templates, and a report's own outline."""

from __future__ import annotations

import argparse
import json
import sys

from nanzhou_desktop.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="列出可用的报告模板（提纲、自评表与评分办法）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（对象列表，含 id、name、source 等）")
    p.set_defaults(handler=cmd_templates)


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
