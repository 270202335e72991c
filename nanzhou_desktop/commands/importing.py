"""import / next-year: start a report from a document the office already has, or from last
year's report file."""

from __future__ import annotations

import argparse
from pathlib import Path

from nanzhou_desktop.cli import FORCE_HELP, CliError, replace_target, year_argument
from nanzhou_desktop.importing import DocumentImportError, import_document, write_import
from nanzhou_desktop.importing.document import unit_of
from nanzhou_desktop.next_year import next_year
from nanzhou_desktop.store.reportfile import create_report_file, open_report_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="由已有的报告文档（Word、PDF 或文本）导入，生成报告文件")
    p.add_argument("document", help="报告文档（.docx、.pdf 或由 PDF 提取的 .txt）")
    p.add_argument("-o", "--output", required=True, help="要创建的报告文件（.sqlite）")
    p.add_argument("--unit", default=None, help="单位全称（文档标题中识别不到或需要更正时指定）")
    p.add_argument("--year", default=None, type=year_argument, help="年度（文档标题中识别不到或需要更正时指定）")
    p.add_argument("--template", default=None, metavar="ID",
                   help="检查、评分和自评表所用的模板（默认选与文档最接近的模板；可用的见 templates 命令）")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("next-year", help="由本年度报告新建下一年度报告（沿用提纲、工作任务和绩效指标，本年数字转为上年数）")
    p.add_argument("file", help="本年度报告文件")
    p.add_argument("-o", "--output", required=True, help="要创建的下一年度报告文件")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler=cmd_next_year)


def cmd_import(args: argparse.Namespace) -> int:
    out = Path(args.output)
    replace_target(out, args.force, backup=False)  # refuse before the document is read
    unit = unit_of(args.unit) if args.unit and args.unit.strip() else None
    template = None
    if args.template:
        from nanzhou_desktop.template import TemplateError, load_template

        try:
            template = load_template(args.template)
        except TemplateError as exc:
            raise CliError(f"{exc}；可用的模板见 nanzhou-desktop templates") from None
    try:
        result = import_document(args.document, unit=unit, year=args.year, template=template)
        print("\n".join(result.summary_lines()))
        replace_target(out, args.force)
        path = write_import(result, out, overwrite=args.force)
    except DocumentImportError as exc:
        raise CliError(f"{exc}") from None
    r = result.report
    print(f"已创建 {path}：{r.year or '（年度未识别）'}年度 {r.unit.full_name or '（单位未识别）'}；"
          f"读入的 {len(result.unconfirmed) + len(r.indicators)} 个表格数字来自正文或附表，请在窗口中逐一确认")
    for missing, field, example in (("单位全称", "单位全称", "某某街道办事处"), ("年度", "年度", "2023")):
        if missing in result.missing_identity():
            print(f"注意：{missing}未识别，检查结果会列为错误；请用 nanzhou-desktop set {path.name} {field} {example} "
                  "或在窗口的“单位信息与签章”中填写")
    return 0


def cmd_next_year(args: argparse.Namespace) -> int:
    out = Path(args.output)
    with open_report_file(args.file, read_only=True) as rf:
        new = next_year(rf.report)
    replace_target(out, args.force)
    path = create_report_file(out, new, overwrite=args.force)
    print(f"已创建 {path}：{new.year}年度 {new.unit.full_name}（由 {new.year - 1} 年度报告新建）；"
          f"沿用 {len(new.sections)} 个章节、{len(new.tasks)} 项工作任务、{len(new.indicators)} 个绩效指标，"
          "本年数字已转为上年数，正文待填写")
    return 0
