"""export / district: 导出上报 from a working file, and the district's loading and summary.

``nanzhou-desktop export FILE -o DIR``
``nanzhou-desktop district`` or ``district DB``       opens the 区级汇总 window
``nanzhou-desktop district load DB FILES…``           loads received files (folders: their *.sqlite)
``nanzhou-desktop district summary DB [--xlsx OUT] [--csv OUT]``
``nanzhou-desktop district remove DB UNIT|ID [--year Y]``  takes one report (and its history) out
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nanzhou_desktop.cli import EXIT_FAILED, ChineseArgumentParser, CliError, year_argument
from nanzhou_desktop.district import expand_paths
from nanzhou_desktop.district.db import DistrictDbError, Outcome, open_district_db
from nanzhou_desktop.district.safe_open import DEFAULT_MAX_BYTES
from nanzhou_desktop.store.errors import os_reason

EXIT_SOME_REFUSED = 4


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="导出上报：生成报送区财政局的报告文件和签字用 PDF（仅限已定稿的报告）")
    p.add_argument("file", help="工作中的报告文件（.sqlite）")
    p.add_argument("-o", "--output", required=True, help="导出到的文件夹")
    p.add_argument("--no-pdf", action="store_true", help="不生成签字用 PDF")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "district", help="区级汇总：district [汇总库] 打开窗口；district load 汇总库 文件…；district summary 汇总库；"
                         "district remove 汇总库 单位或编号",
        description="区级汇总。不带参数或只给汇总库时打开“区级汇总”窗口；"
                    "“district load 汇总库 文件…”装入收到的报告文件；"
                    "“district summary 汇总库 [--xlsx 输出] [--csv 输出]”显示并导出汇总表；"
                    "“district remove 汇总库 单位或编号 [--year 年度]”从汇总库中移除一份报告。")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="load … / summary … / remove … / 汇总库文件")
    p.set_defaults(handler=cmd_district)


def cmd_export(args: argparse.Namespace) -> int:
    from nanzhou_desktop.exchange.export import export_report
    from nanzhou_desktop.store.reportfile import open_report_file

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise CliError(f"“{out}”不是文件夹，请给出导出用的文件夹")
    rf = open_report_file(args.file)
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"无法创建文件夹“{out}”：{os_reason(exc)}") from None
        if rf.read_only:
            raise CliError(f"文件“{Path(args.file).name}”只能以只读方式打开（{rf.notice.read_only_reason}），无法导出上报")
        result = export_report(rf, args.output, with_pdf=not args.no_pdf)
    finally:
        rf.close()
    print(result.message)
    print(f"SHA-256：{result.sha256}")
    return 0


def _sub_parser(name: str) -> ChineseArgumentParser:
    return ChineseArgumentParser(prog=f"nanzhou-desktop district {name}")


def cmd_district(args: argparse.Namespace) -> int:
    rest: list[str] = list(args.rest)
    if rest and rest[0] == "load":
        p = _sub_parser("load")
        p.add_argument("db", help="区级汇总库文件（不存在时新建）")
        p.add_argument("files", nargs="+", help="收到的报告文件或存放它们的文件夹")
        p.add_argument("--max-mb", type=int, default=DEFAULT_MAX_BYTES // (1024 * 1024), help="单个文件大小上限（MB）")
        return _load(p.parse_args(rest[1:]))
    if rest and rest[0] == "summary":
        p = _sub_parser("summary")
        p.add_argument("db", help="区级汇总库文件")
        p.add_argument("--xlsx", help="导出为 Excel 文件")
        p.add_argument("--csv", help="导出为 CSV 文件")
        return _summary(p.parse_args(rest[1:]))
    if rest and rest[0] == "remove":
        p = _sub_parser("remove")
        p.add_argument("db", help="区级汇总库文件")
        p.add_argument("which", metavar="单位或编号",
                       help="单位名称（全称或简称，如 南洲街道）或报告编号（拒收说明中的编号，前 8 位即可）")
        p.add_argument("--year", type=year_argument, help="年度（同一单位有几个年度的报告时）")
        return _remove(p.parse_args(rest[1:]))
    if len(rest) > 1:
        raise CliError("用法：nanzhou-desktop district [汇总库]，或 district load 汇总库 文件…，"
                       "或 district summary 汇总库，或 district remove 汇总库 单位或编号", 2)
    return _window(rest[0] if rest else None)


def _open(db: str, *, create: bool) -> object:
    try:
        return open_district_db(db, create=create)
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None


def _load(args: argparse.Namespace) -> int:
    db = _open(args.db, create=True)
    refused = 0
    try:
        paths = expand_paths(args.files)
        for res in db.load_files(paths, max_bytes=args.max_mb * 1024 * 1024):  # type: ignore[attr-defined]
            refused += res.outcome == Outcome.REFUSED
            print(f"【{res.outcome}】{res.message}")
        units = len(db.units())  # type: ignore[attr-defined]
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()  # type: ignore[attr-defined]
    print(f"共 {len(paths)} 个文件，拒收 {refused} 个；汇总库中现有 {units} 个单位的报告。")
    return EXIT_SOME_REFUSED if refused else 0


def _summary(args: argparse.Namespace) -> int:
    from nanzhou_desktop.district.summary import summary_table, templates_note, write_csv, write_xlsx

    if not Path(args.db).exists():
        raise CliError(f"找不到汇总库“{args.db}”")
    for out in (args.xlsx, args.csv):  # said before anything is printed
        if out and not Path(out).parent.exists():
            raise CliError(f"文件夹“{Path(out).parent}”不存在，汇总表未导出")
        if out and Path(out).is_dir():
            raise CliError(f"“{out}”是一个文件夹，请给出汇总表的文件名")
    db = _open(args.db, create=False)
    try:
        rows = db.units()  # type: ignore[attr-defined]
    finally:
        db.close()  # type: ignore[attr-defined]
    for line in summary_table(rows):
        print("\t".join(line))
    if note := templates_note(rows):
        print(note)
    try:
        if args.xlsx:
            print(f"已导出 Excel 汇总表：{write_xlsx(rows, args.xlsx)}")
        if args.csv:
            print(f"已导出 CSV 汇总表：{write_csv(rows, args.csv)}")
    except OSError as exc:
        raise CliError(f"无法写入汇总表（{os_reason(exc)}）", EXIT_FAILED) from None
    return 0


def _remove(args: argparse.Namespace) -> int:
    """Take one report (and its history) out of the district database: for a unit that sent a
    second report for the same year, once it is clear which one counts."""
    if not Path(args.db).exists():
        raise CliError(f"找不到汇总库“{args.db}”")
    db = _open(args.db, create=False)
    try:
        wanted = args.which.strip()
        units = [u for u in db.units() if args.year is None or u.year == args.year]  # type: ignore[attr-defined]
        matches = [u for u in units if wanted in (u.unit, u.short_name)]
        if not matches and len(wanted) >= 4:
            matches = [u for u in units if u.uuid.lower().startswith(wanted.lower())]
        if not matches:
            raise CliError(f"汇总库中没有“{args.which}”的报告（写单位全称或简称，或拒收说明中的报告编号；"
                           "district summary 列出已装入的单位）")
        if len(matches) > 1:
            listed = "；".join(f"{u.unit} {u.year} 年度（编号 {u.uuid[:8]}）" for u in matches)
            raise CliError(f"“{args.which}”对应 {len(matches)} 份报告：{listed}。请加 --year 年度，或写报告编号")
        (unit,) = matches
        db.remove(unit.uuid)  # type: ignore[attr-defined]
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()  # type: ignore[attr-defined]
    print(f"已从汇总库移除 {unit.unit} {unit.year} 年度的报告（编号 {unit.uuid[:8]}…，修订号 {unit.revision}），"
          "连同其历史修订和审核记录；收到的原文件不受影响。")
    return 0


def default_db_path() -> Path:
    """The per-user district database, in the same data folder the office window uses."""
    try:
        from nanzhou_desktop.gui.app import user_dirs  # honours NANZHOU_HOME like the office window

        return user_dirs()[1] / "区级汇总.sqlite"
    except ImportError:
        from platformdirs import user_data_dir

        return Path(user_data_dir("nanzhou-desktop", "nanzhou")) / "区级汇总.sqlite"


def _window(db: str | None) -> int:
    from nanzhou_desktop.cli import no_display_message

    if message := no_display_message():
        raise CliError(message)
    try:
        from nanzhou_desktop.gui.district_window import run_district
    except ImportError as exc:
        sys.stderr.write(f"无法启动窗口界面（{exc}）；请确认已安装 PySide6。\n")
        return EXIT_FAILED
    path = Path(db) if db else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return run_district(path)
