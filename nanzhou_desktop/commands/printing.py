"""print / verify: the printed report and the check that ties paper to file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nanzhou_desktop.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="按 GB/T 9704 版式生成报告 PDF（附自评表），可同时生成 Word、Excel 副本")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("-o", "--output", required=True, help="要写入的 PDF 文件（给出文件夹时，以报告文件名命名）")
    p.add_argument("--docx", help="同时写入 Word 副本（.docx）")
    p.add_argument("--xlsx", help="同时写入自评表 Excel 副本（.xlsx）")
    p.add_argument("--fonts", action="store_true", help="列出所用字体")
    p.set_defaults(handler=cmd_print, exit_at_once=True)  # all written: see cli._exit_at_once

    p = sub.add_parser("verify", help="显示报告的内容指纹与二维码内容；--qr 核对纸面二维码与文件是否一致")
    p.add_argument("file", help="报告文件（.sqlite）")
    p.add_argument("--qr", help="从纸面二维码读出的内容")
    p.set_defaults(handler=cmd_verify)


def _check_output(path: str, suffix: str, what: str, report: str) -> Path:
    out = Path(path)
    if out.is_dir():  # a folder: the file goes in it, named after the report file
        out = out / (Path(report).stem + suffix)
    if out.suffix.lower() != suffix:
        raise CliError(f"{what}文件名应以 {suffix} 结尾：{path}")
    if not out.parent.exists():
        raise CliError(f"文件夹“{out.parent}”不存在")
    return out


def font_notes(info) -> list[str]:
    """The 提示 about characters printed in a substitute face and the 注意 about characters no
    font has, one line each (empty when every character printed in its role's face)."""
    from nanzhou_desktop.render.fonts import substitution_note

    out = []
    note = substitution_note(info.substituted)
    if note:
        out.append(f"提示：{note}")
    if info.missing_chars:
        chars = "".join(sorted(info.missing_chars))
        out.append(f"注意：以下字符在所有可用字体中都没有，打印出来会是方框：{chars}；请安装包含这些字的字体，或改用常用字。")
    return out


def cmd_print(args: argparse.Namespace) -> int:
    from nanzhou_desktop.render.fonts import FontError
    from nanzhou_desktop.render.pdf import RenderError, render_pdf
    from nanzhou_desktop.store.reportfile import open_report_file

    pdf_out = _check_output(args.output, ".pdf", "PDF ", args.file)
    docx_out = _check_output(args.docx, ".docx", "Word ", args.file) if args.docx else None
    xlsx_out = _check_output(args.xlsx, ".xlsx", "Excel ", args.file) if args.xlsx else None
    with open_report_file(args.file, read_only=True) as rf:
        report = rf.report
        if rf.changed_after_final():  # a changed file must not come out looking 定稿 (issue 16 F11)
            from nanzhou_desktop.rules.integrity import describe

            raise CliError(f"不能打印：{describe(report)}。", 1)
    from nanzhou_desktop.rules import check

    result = check(report)
    try:
        from nanzhou_desktop.render.fonts import find_fonts, pending_conversions

        pending = pending_conversions(find_fonts())
        if pending:  # the first print with the free fonts: say why it takes longer
            names = "、".join(src.stem for src, _ in pending)
            sys.stderr.write(f"首次使用替代字体：正在把 {names} 转换为可嵌入 PDF 的 TrueType 字体，只需一次，约需半分钟……\n")
            sys.stderr.flush()
        info = render_pdf(report, pdf_out, result=result)
    except (FontError, RenderError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:  # pragma: no cover - render_pdf says it as a RenderError/OutputError
        from nanzhou_desktop.store.errors import os_reason

        raise CliError(f"无法写入 PDF 文件“{pdf_out}”：{os_reason(exc)}") from None
    print(f"已生成 {info.path}（{info.pages} 页，内容指纹 {info.fingerprint[:16]}…）")
    if args.fonts:
        for line in find_fonts().describe():
            print(f"  {line}")
    sys.stdout.flush()  # the notes after the line above, also when both go to one file
    for line in font_notes(info):
        sys.stderr.write(line + "\n")
    from nanzhou_desktop.render.output import OutputError

    try:  # a full disk or a read-only folder is said in Chinese, like the PDF's (issue 16 F9)
        if docx_out:
            from nanzhou_desktop.render.docx import write_docx

            write_docx(report, docx_out, result=result)
            print(f"已生成 Word 副本 {docx_out}")
        if xlsx_out:
            from nanzhou_desktop.render.xlsx import write_xlsx

            write_xlsx(report, xlsx_out, result=result)
            print(f"已生成 Excel 副本 {xlsx_out}")
    except OutputError as exc:
        raise CliError(f"{exc}；已生成的文件不受影响") from None
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from nanzhou_desktop.content import fingerprint
    from nanzhou_desktop.render.stamp import QrPayloadError, compare_payload, qr_payload
    from nanzhou_desktop.store.reportfile import open_report_file

    with open_report_file(args.file, read_only=True) as rf:
        report = rf.report
    fp = fingerprint(report)
    tampered = bool(report.final_fingerprint) and report.final_fingerprint != fp
    if args.qr is None:
        print(f"单位：{report.unit.full_name}")
        print(f"年度：{report.year}  修订号：{report.revision}  状态：{report.status}")
        print(f"内容指纹：{fp}")
        if report.final_fingerprint:
            print(f"定稿时指纹：{report.final_fingerprint}")
        print(f"二维码内容：{qr_payload(report, fp)}")
        if tampered:
            raise CliError("内容在定稿后被改动：当前内容指纹与定稿时记录的不一致，请向报送单位核实。", 1)
        return 0
    if tampered:
        print("注意：内容在定稿后被改动（当前内容指纹与定稿时记录的不一致）。")
    try:
        diffs = compare_payload(report, args.qr)
    except QrPayloadError as exc:
        raise CliError(str(exc), 2) from None
    if diffs:
        for d in diffs:
            print(d)
        raise CliError("纸面与报告文件不一致。", 1)
    print(f"一致：纸面二维码与报告文件相同（内容指纹 {fp}）。")
    return 0
