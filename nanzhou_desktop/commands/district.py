"""export / district: 导出上报 from a working file, and the district's loading and summary.

``nanzhou-desktop export FILE -o DIR``
``nanzhou-desktop district`` or ``district DB``       opens the 区级汇总 window
``nanzhou-desktop district load DB FILES…``           loads received files (folders: their *.sqlite)
``nanzhou-desktop district summary DB [--year Y | --compare Y1 Y2] [--district D] [--xlsx OUT] [--csv OUT] [--parquet OUT]``
``nanzhou-desktop district merge DB OTHER.db…``      a city bureau merges district databases
``nanzhou-desktop district verify DB --qr TEXT``     confirms a report against its signed paper
``nanzhou-desktop district remove DB UNIT|ID [--year Y]``  takes one report (and its history) out
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nanzhou_desktop.cli import EXIT_FAILED, ChineseArgumentParser, CliError, year_argument
from nanzhou_desktop.district import expand_paths
from nanzhou_desktop.district.db import DistrictDbError, LoadResult, Outcome, open_district_db
from nanzhou_desktop.district.safe_open import DEFAULT_MAX_BYTES
from nanzhou_desktop.store.errors import os_reason

EXIT_SOME_REFUSED = 4
EXIT_CANCELLED = 130


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="导出上报：生成报送区财政局的报告文件和签字用 PDF（仅限已定稿的报告）")
    p.add_argument("file", help="工作中的报告文件（.sqlite）")
    p.add_argument("-o", "--output", required=True, help="导出到的文件夹")
    p.add_argument("--no-pdf", action="store_true", help="不生成签字用 PDF")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "district", help="区级汇总：district [汇总库] 打开窗口；district load 汇总库 文件…；district summary 汇总库；"
                         "district merge 汇总库 另一汇总库；district verify 汇总库 --qr 二维码内容；"
                         "district remove 汇总库 单位或编号",
        description="区级汇总。不带参数或只给汇总库时打开“区级汇总”窗口；"
                    "“district load 汇总库 文件…”装入收到的报告文件；"
                    "“district summary 汇总库 [--year 年度 | --compare 年度 年度] [--xlsx 输出] [--csv 输出] "
                    "[--parquet 输出]”显示并导出汇总表；"
                    "“district merge 汇总库 另一汇总库”把各区的汇总库合并（市级汇总）；"
                    "“district verify 汇总库 --qr 二维码内容”把报告与签字盖章的纸面核对；"
                    "“district remove 汇总库 单位或编号 [--year 年度]”从汇总库中移除一份报告。")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="load … / summary … / merge … / verify … / remove … / 汇总库文件")
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
        p.add_argument("--year", type=year_argument, help="只汇总这一年度")
        p.add_argument("--compare", type=year_argument, nargs=2, metavar=("年度一", "年度二"),
                       help="两个年度对比（同一单位的执行率、得分、等级和问题数并排）")
        p.add_argument("--district", help="只汇总这个区（所属区）")
        p.add_argument("--xlsx", help="导出为 Excel 文件（含合计、平均，各区各一页）")
        p.add_argument("--csv", help="导出为 CSV 文件")
        p.add_argument("--parquet", metavar="Parquet文件", help="导出为 Parquet 文件（供 DuckDB、pandas 分析；需要 pyarrow）")
        return _summary(p.parse_args(rest[1:]))
    if rest and rest[0] == "merge":
        p = _sub_parser("merge")
        p.add_argument("db", help="区级汇总库文件（不存在时新建）")
        p.add_argument("others", nargs="+", metavar="另一汇总库", help="要合并进来的汇总库（例如各区报来的汇总库）")
        return _merge(p.parse_args(rest[1:]))
    if rest and rest[0] == "verify":
        p = _sub_parser("verify")
        p.add_argument("db", help="区级汇总库文件")
        p.add_argument("--qr", required=True, help="纸面报告上二维码的内容（扫描或照抄）")
        return _verify(p.parse_args(rest[1:]))
    if rest and rest[0] == "remove":
        p = _sub_parser("remove")
        p.add_argument("db", help="区级汇总库文件")
        p.add_argument("which", metavar="单位或编号",
                       help="单位名称（全称或简称，如 南洲街道）或报告编号（拒收说明中的编号，前 8 位即可）")
        p.add_argument("--year", type=year_argument, help="年度（同一单位有几个年度的报告时）")
        return _remove(p.parse_args(rest[1:]))
    if len(rest) > 1:
        raise CliError("用法：nanzhou-desktop district [汇总库]，或 district load 汇总库 文件…，"
                       "或 district summary 汇总库，或 district merge 汇总库 另一汇总库，"
                       "或 district verify 汇总库 --qr 二维码内容，或 district remove 汇总库 单位或编号", 2)
    return _window(rest[0] if rest else None)


def _open(db: str, *, create: bool) -> object:
    try:
        return open_district_db(db, create=create)
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None


class _Progress:
    """``file n / N · 拒收 k`` on one terminal line (stderr), redrawn in place; each result line
    is printed above it.  Ctrl+C asks to stop after the file in hand, keeping what is loaded;
    a second Ctrl+C stops at once (the batch since the last commit is rolled back)."""

    def __init__(self, total: int, verb: str) -> None:
        self.total = total
        self.verb = verb
        self.tty = sys.stderr.isatty()
        self.done = self.refused = 0
        self.cancelled = False
        self._shown = False
        self._old_handler: Any = None

    def __enter__(self) -> _Progress:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGINT, self._interrupt)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        self._clear()
        if self._old_handler is not None:
            signal.signal(signal.SIGINT, self._old_handler)

    def _interrupt(self, signum: int, frame: Any) -> None:
        if self.cancelled:
            raise KeyboardInterrupt
        self.cancelled = True
        if self.tty:
            self._clear()
            sys.stderr.write("正在取消：当前文件处理完后停止，已装入的保留（再按一次 Ctrl+C 立即停止）\n")
            self._draw()

    def result(self, res: LoadResult) -> bool:
        """Print one result; False when the user asked to stop."""
        self.done += 1
        self.refused += res.outcome == Outcome.REFUSED
        self._clear()
        print(f"【{res.outcome}】{res.message}", flush=self.tty)
        self._draw()
        return not self.cancelled

    def _draw(self) -> None:
        if self.tty:
            sys.stderr.write(f"\r{self.verb} {self.done:,} / {self.total:,} · 拒收 {self.refused:,} · 按 Ctrl+C 取消")
            sys.stderr.flush()
            self._shown = True

    def _clear(self) -> None:
        if self.tty and self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False


def _load(args: argparse.Namespace) -> int:
    db = _open(args.db, create=True)
    try:
        paths = expand_paths(args.files)
        with _Progress(len(paths), "装入") as progress:
            db.load_files(paths, max_bytes=args.max_mb * 1024 * 1024,  # type: ignore[attr-defined]
                          progress=lambda _i, res: progress.result(res))
        units = db.count()  # type: ignore[attr-defined]
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()  # type: ignore[attr-defined]
    if progress.cancelled:
        print(f"已取消：处理了 {progress.done} / {len(paths)} 个文件（已装入的保留），拒收 {progress.refused} 个；"
              f"汇总库中现有 {units} 份报告。")
        return EXIT_CANCELLED
    print(f"共 {len(paths)} 个文件，拒收 {progress.refused} 个；汇总库中现有 {units} 份报告。")
    return EXIT_SOME_REFUSED if progress.refused else 0


def _merge(args: argparse.Namespace) -> int:
    from nanzhou_desktop.district.merge import merge_into

    db = _open(args.db, create=True)
    refused = 0
    try:
        for other in args.others:
            with _Progress(0, "合并") as progress:
                def each(_i: int, total: int, res: LoadResult, progress: _Progress = progress) -> bool:
                    progress.total = total
                    return progress.result(res)

                try:
                    merge_into(db, Path(other), progress=each)  # type: ignore[arg-type]
                except DistrictDbError as exc:
                    print(f"【拒收】{exc}")
                    refused += 1
                    continue
            refused += progress.refused
            print(f"“{Path(other).name}”：{progress.done} 份报告，拒收 {progress.refused} 份")
            if progress.cancelled:
                print("已取消：其余报告未合并（已合并的保留）。")
                return EXIT_CANCELLED
        units = db.count()  # type: ignore[attr-defined]
    except DistrictDbError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()  # type: ignore[attr-defined]
    print(f"合并完成；汇总库中现有 {units} 份报告。")
    return EXIT_SOME_REFUSED if refused else 0


def _check_output(out: str | None) -> None:
    if not out:
        return
    if Path(out).is_dir():
        raise CliError(f"“{out}”是一个文件夹，请给出汇总表的文件名")
    if not Path(out).parent.exists():
        raise CliError(f"文件夹“{Path(out).parent}”不存在，汇总表未导出")


def _summary(args: argparse.Namespace) -> int:
    from nanzhou_desktop.district.db import Filter
    from nanzhou_desktop.district.summary import (
        GROUP_HEADER,
        PARQUET_MISSING,
        by_district,
        by_kind,
        compare_header,
        compare_texts,
        group_texts,
        groups,
        parquet_available,
        summary_table,
        templates_note,
        write_compare_csv,
        write_csv,
        write_parquet,
        write_xlsx,
    )

    if not Path(args.db).exists():
        raise CliError(f"找不到汇总库“{args.db}”")
    if args.year is not None and args.compare:
        raise CliError("--year 与 --compare 只能用一个", 2)
    for out in (args.xlsx, args.csv, args.parquet):  # said before anything is printed
        _check_output(out)
    if args.parquet and not parquet_available():
        raise CliError(PARQUET_MISSING)
    db = _open(args.db, create=False)
    flt = Filter(year=args.year, district=args.district or "")
    try:
        if args.compare:
            year_a, year_b = args.compare
            pairs = db.compare(year_a, year_b, flt)  # type: ignore[attr-defined]
            rows = [r for pair in pairs for r in pair if r is not None]
        else:
            rows = db.units(flt)  # type: ignore[attr-defined]
    finally:
        db.close()  # type: ignore[attr-defined]
    if args.compare:
        print("\t".join(compare_header(year_a, year_b)))
        for a, b in pairs:
            print("\t".join(compare_texts(a, b)))
    else:
        for line in summary_table(rows):
            print("\t".join(line))
    if note := templates_note(rows):
        print(note)
    made = {"districts": groups(rows, by_district), "kinds": groups(rows, by_kind)}  # printed, and in the workbook
    for title, parts in (("按区汇总", made["districts"]), ("按单位类型汇总", made["kinds"])):
        if len(parts) > 1 or (parts and parts[0].name != "未注明"):
            print(f"\n{title}：")
            print("\t".join(GROUP_HEADER))
            for g in parts:
                print("\t".join(group_texts(g)))
    try:
        if args.xlsx:
            compare = (year_a, year_b, pairs) if args.compare else None
            print(f"已导出 Excel 汇总表：{write_xlsx(rows, args.xlsx, compare=compare, **made)}")
        if args.csv:
            out = write_compare_csv(pairs, year_a, year_b, args.csv) if args.compare else write_csv(rows, args.csv)
            print(f"已导出 CSV 汇总表：{out}")
        if args.parquet:
            print(f"已导出 Parquet 汇总表：{write_parquet(rows, args.parquet)}")
    except OSError as exc:
        raise CliError(f"无法写入汇总表（{os_reason(exc)}），未导出", EXIT_FAILED) from None
    return 0


def _verify(args: argparse.Namespace) -> int:
    from nanzhou_desktop.district.paper import confirm_paper

    if not Path(args.db).exists():
        raise CliError(f"找不到汇总库“{args.db}”")
    db = _open(args.db, create=False)
    try:
        row, differences = confirm_paper(db, args.qr)  # type: ignore[arg-type]
    except DistrictDbError as exc:
        raise CliError(str(exc), 2) from None
    finally:
        db.close()  # type: ignore[attr-defined]
    if differences:
        for d in differences:
            print(d)
        raise CliError(f"纸面与汇总库中 {row.unit} {row.year} 年度的报告不一致，未记为已核对。", 1)
    print(f"一致：纸面二维码与汇总库中 {row.unit} {row.year} 年度修订号 {row.revision} 的报告相同，已记为已与纸面核对。")
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
