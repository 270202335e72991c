"""new / demo / show / dump / undump: creating and reading report files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nanzhou_desktop.cli import FORCE_HELP, CliError, replace_target, year_argument
from nanzhou_desktop.content import canonical_json, fingerprint, from_content, to_content
from nanzhou_desktop.example import write_example
from nanzhou_desktop.model import SectionKind, Unit
from nanzhou_desktop.money import format_money, format_rate, percent
from nanzhou_desktop.narrative import section_chars
from nanzhou_desktop.store.reportfile import create_report_file, new_report, open_report_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="新建一份空白报告文件")
    p.add_argument("--unit", required=True, help="单位全称，例如 广州市海珠区人民政府南洲街道办事处")
    p.add_argument("--short", default="", help="单位简称，例如 南洲街道")
    p.add_argument("--district", default="", help="所属区，例如 海珠区")
    p.add_argument("--code", default="", help="单位编码")
    p.add_argument("--year", required=True, type=year_argument, help="年度，例如 2023")
    p.add_argument("--template", default="", metavar="模板",
                   help="报告模板的 id（templates 命令列出）或模板文件路径；默认 guangzhou_street_2022")
    p.add_argument("file", help="要创建的报告文件（.sqlite）")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("demo", help="生成 2022 年度南洲街道示例报告的新副本")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("show", help="显示报告摘要")
    p.add_argument("file")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("dump", help="输出报告内容的规范 JSON（内容指纹据此计算）")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="写入文件而不是屏幕")
    p.set_defaults(handler=cmd_dump)

    from nanzhou_desktop.store.fields import FIELDS

    labels = "、".join(spec.label for spec in FIELDS["report"].values())
    p = sub.add_parser("set", help="填写单位信息或签章信息的一项（如 单位负责人、成文日期）",
                       description=f"可填写的项：{labels}（也可用英文列名，见 docs/file-format.md）")
    p.add_argument("file", metavar="报告文件")
    p.add_argument("field", metavar="项目", help="例如 单位负责人、财务负责人、填报人、联系电话（即办公电话）、联系电话（手机）、填报日期、成文日期")
    p.add_argument("value", metavar="内容")
    p.set_defaults(handler=cmd_set)

    p = sub.add_parser("undump", help="由 dump 输出的 JSON 重新生成报告文件")
    p.add_argument("json_file")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler=cmd_undump)


def cmd_new(args: argparse.Namespace) -> int:
    unit = Unit(args.unit.strip(), args.short.strip(), args.code.strip(), args.district.strip())
    if not unit.full_name:
        raise CliError("单位全称不能为空")
    from nanzhou_desktop.commands.templates import template_for
    from nanzhou_desktop.template import DEFAULT_TEMPLATE

    template = template_for(args.template or DEFAULT_TEMPLATE)  # a bad template leaves every file as it is
    replace_target(args.file, args.force)
    path = create_report_file(args.file, new_report(unit, args.year, template), overwrite=args.force)
    print(f"已创建 {path}：{args.year}年度 {unit.full_name}（模板：{template.name}，版本 {template.version}）")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    replace_target(args.file, args.force)
    path = write_example(args.file, overwrite=args.force)
    print(f"已生成示例报告 {path}（2022年度 广州市海珠区人民政府南洲街道办事处）")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_report_file(args.file, read_only=True) as rf:
        r = rf.report
        lines = [
            r.display_title,
            f"单位：{r.unit.full_name}（{r.unit.short_name or '未填简称'}） 所属区：{r.unit.district or '未填'}",
            f"年度：{r.year}  状态：{r.status}  修订号：{r.revision}",
            f"报告编号：{r.uuid}",
            f"报告模板：{r.template.name}（{r.template_id or '—'}，版本 {r.template.version}）",
            f"内容指纹：{fingerprint(r)}",
        ]
        if r.final_fingerprint and r.final_fingerprint != fingerprint(r):
            lines.append("警告：内容在定稿后被改动（当前内容指纹与定稿时记录的不一致）")
        total = r.budget_total_row
        if total:
            lines.append(
                f"全年预算数 {format_money(total.budget_total) or '未填'} 万元，全年执行数 "
                f"{format_money(total.executed) or '未填'} 万元，执行率 {format_rate(percent(total.executed, total.budget_total))}")
        for p in r.projects:
            lines.append(f"重点项目：{p.name} 预算数 {format_money(p.budget_total) or '未填'} 万元，"
                         f"执行数 {format_money(p.executed) or '未填'} 万元，执行率 {format_rate(percent(p.executed, p.budget_total))}")
        lines.append("章节：")
        for s in r.sections:
            indent = "  " * (s.level - 1)
            # the window's count (characters without spaces and line breaks) of all the text
            # printed under the heading: the work-task section's tasks and items included
            chars = section_chars(r, s)
            tasks = (f"，含工作任务 {len(r.tasks)} 项、小项 {sum(len(t.items) for t in r.tasks)} 个"
                     if s.kind == SectionKind.TASKS and r.tasks else "")
            lines.append(f"  {indent}{s.number}{s.heading}（{chars} 字{tasks}）")
        lines.append(f"工作任务 {len(r.tasks)} 项，小项 {sum(len(t.items) for t in r.tasks)} 个；"
                     f"绩效指标 {len(r.indicators)} 个；出错说明 {len(r.explanations)} 条")
    print("\n".join(lines))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from nanzhou_desktop.store.fields import FIELDS

    specs = FIELDS["report"]
    column = _report_column(args.field, specs)
    if column is None:
        raise CliError(f"没有名为“{args.field}”的项；可填写：{'、'.join(s.label for s in specs.values())}", 2)
    with open_report_file(args.file) as rf:
        if rf.read_only:
            raise CliError(f"文件“{Path(args.file).name}”只能以只读方式打开（{rf.notice.read_only_reason}），未作修改")
        stored = rf.set_field("report", None, column, args.value)
    spec = specs[column]
    if spec.kind == "date" and stored:  # shown as typed and printed (2023年3月15日), not ISO
        y, m, d = str(stored).split("-")
        stored = f"{int(y)}年{int(m)}月{int(d)}日"
    print(f"已保存：{spec.label} = {stored}")
    return 0


# What people call a field when they do not copy its label exactly: the findings and the
# printed 附注 say just 联系电话 for the office number.
_FIELD_ALIASES = {"联系电话": "phone_office", "电话": "phone_office", "办公电话": "phone_office",
                  "手机": "phone_mobile", "手机号码": "phone_mobile"}


def _report_column(name: str, specs: dict) -> str | None:
    """The report column a user means by ``name``: its column name, its label (brackets
    full- or half-width, spaces ignored) or a common alias."""
    import unicodedata

    def norm(text: str) -> str:
        return unicodedata.normalize("NFKC", text).replace(" ", "")

    if name in specs:
        return name
    wanted = norm(name)
    for column, spec in specs.items():
        if norm(spec.label) == wanted:
            return column
    return _FIELD_ALIASES.get(wanted)


def cmd_dump(args: argparse.Namespace) -> int:
    with open_report_file(args.file, read_only=True) as rf:
        text = canonical_json(to_content(rf.report))
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def cmd_undump(args: argparse.Namespace) -> int:
    from nanzhou_desktop.limits import JSON_FILE_BYTES
    from nanzhou_desktop.store.fields import report_problem

    source = Path(args.json_file)
    not_content = f"“{args.json_file}”不是有效的报告内容 JSON（应为 nanzhou-desktop dump 的输出）"
    try:
        if source.stat().st_size > JSON_FILE_BYTES:
            raise CliError(f"“{args.json_file}”过大（上限 {JSON_FILE_BYTES // 1048576} MB），不是 dump 输出的报告内容")
        data = json.loads(source.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise CliError(not_content)
        report = from_content(data)
    except FileNotFoundError:
        raise CliError(f"找不到文件“{args.json_file}”") from None
    except RecursionError:  # a crafted file of brackets nested thousands deep
        raise CliError(f"“{args.json_file}”嵌套层数过多，不是 dump 输出的报告内容") from None
    except (ValueError, KeyError, TypeError, ArithmeticError, AttributeError, IndexError):
        # (Decimal's InvalidOperation is an ArithmeticError; a list where an object belongs, an
        # AttributeError)
        raise CliError(not_content) from None
    except OSError as exc:
        from nanzhou_desktop.store.errors import os_reason

        raise CliError(f"无法读取“{args.json_file}”：{os_reason(exc)}") from None
    # What the app itself would refuse to type (1e400, control characters, a body that is not
    # text …) is refused here too, before anything is written or backed up.
    if problem := report_problem(report):
        raise CliError(f"“{args.json_file}”中{problem}；没有生成报告文件")
    replace_target(args.file, args.force)
    path = create_report_file(args.file, report, overwrite=args.force)
    print(f"已由 {args.json_file} 生成 {path}（内容指纹 {fingerprint(report)[:16]}…）")
    return 0
