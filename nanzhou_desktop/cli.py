"""The command line: ``nanzhou-desktop [subcommand]``.

With no subcommand it opens the window.  Each subcommand lives in its own module under
:mod:`nanzhou_desktop.commands` and provides ``register(subparsers)``; its handler returns
an exit code.  Any :class:`CliError`, report-file error or refused edit becomes one Chinese
sentence on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from nanzhou_desktop import __version__
from nanzhou_desktop.oscompat import safe_console
from nanzhou_desktop.store.errors import EditError, ReportFileError

EXIT_USAGE = 2
EXIT_FAILED = 3


class CliError(Exception):
    """A user-facing failure: the message is printed as is, with ``code`` as exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # argparse passes prefix="" when it builds a sub-command's prog from this usage
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def _format_action(self, action):  # type: ignore[no-untyped-def]
        # Under the "子命令" heading, list the subcommands themselves, without argparse's extra
        # line repeating the placeholder ("子命令") above them.
        if isinstance(action, argparse._SubParsersAction):
            return "".join(super(ChineseHelpFormatter, self)._format_action(a) for a in action._get_subactions())
        return super()._format_action(action)


# Placeholders shown in usage lines, by argument name, so help reads in Chinese throughout.
METAVARS = {
    "file": "报告文件", "files": "文件", "db": "汇总库", "document": "文档", "json_file": "JSON文件",
    "finding_key": "检查项编号", "text": "说明", "rest": "参数", "output": "输出", "reason": "原因",
    "unit": "单位全称", "short": "单位简称", "district": "所属区", "code": "单位编码", "year": "年度",
    "docx": "Word文件", "xlsx": "Excel文件", "csv": "CSV文件", "qr": "二维码内容", "max_mb": "兆字节",
    "field": "项目", "value": "内容",
}


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese (usage line, section titles, -h, errors)."""

    def add_argument(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        action = super().add_argument(*args, **kwargs)
        if "metavar" not in kwargs and action.nargs != 0 and action.dest in METAVARS:
            action.metavar = METAVARS[action.dest]
        return action

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_help(self) -> str:
        # Section headings end with a full-width colon, like 用法： (argparse adds an ASCII one).
        import re

        return re.sub(r"^(参数|选项|子命令):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> NoReturn:
        translated = (message.replace("the following arguments are required", "缺少参数")
                      .replace("unrecognized arguments", "无法识别的参数")
                      .replace("invalid choice", "无效的选项")
                      .replace("choose from", "应为以下之一：")
                      .replace("expected one argument", "需要一个参数")
                      .replace("argument", "参数"))
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}：参数错误：{translated}\n")
        sys.exit(EXIT_USAGE)


def year_argument(text: str) -> int:
    """argparse type for a fiscal year (年度), with the reason in Chinese."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{text}”不是数字") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"年度 {year} 不在 2000–2100 之间")
    return year


FORCE_HELP = "替换已存在的文件（先在旁边备份原文件；已定稿、已导出的报告从不替换）"


def replace_target(path: str | Path, force: bool, *, backup: bool = True) -> Path | None:
    """Before a command writes a new report file at ``path``: refuse an existing file unless
    ``force``, and even then a 已定稿/已导出 one or one in use; back up any other.  Returns the
    backup's path (None when nothing was backed up) and prints where it is.  ``backup=False``
    only checks: a command that may still fail checks first and backs up just before writing."""
    from nanzhou_desktop.store import replace

    path = Path(path)
    try:
        existing = replace.existing_file(path)
        if existing is None:
            return None
        if not force:
            raise CliError(f"文件“{path.name}”已存在（{existing.describe()}），没有替换；请换一个文件名"
                           f"（例如“{replace.free_name(path).name}”），或加 --force 替换（原文件会先备份）")
        if not backup:
            replace.check_replaceable(path)
            return None
        copy = replace.prepare_replace(path)
    except replace.ReplaceRefused as exc:
        raise CliError(f"{exc}；没有写入任何文件") from None
    if copy is not None:
        print(f"原文件已备份为 {copy}")
    return copy


def _command_modules() -> list[str]:
    import pkgutil

    import nanzhou_desktop.commands as pkg

    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))


# Subcommand → the module under nanzhou_desktop.commands that registers it.  Running one
# subcommand imports only its module: importing all of them (the importer, the district
# database, the rules' narrative checks …) cost ~65 ms on every `print`.  --help and the
# window still build the full parser; tests/cli/test_cli_paths.py checks this table
# against what the modules register.
COMMANDS = {
    "check": "check", "explain": "check", "finalize": "check", "unlock": "check",
    "export": "district", "district": "district",
    "import": "importing", "next-year": "importing",
    "print": "printing", "verify": "printing",
    "new": "report_files", "demo": "report_files", "show": "report_files", "dump": "report_files",
    "set": "report_files", "undump": "report_files",
    "templates": "templates", "outline": "templates",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only`` (a subcommand), just the module that registers it."""
    parser = ChineseArgumentParser(
        prog="nanzhou-desktop",
        description="街道办事处部门整体支出绩效自评报告：填写、检查、打印与报送。"
        "不带子命令时打开窗口；“nanzhou-desktop 报告.sqlite”在窗口中打开该文件。",
    )
    parser.add_argument("--version", action="version", version=f"nanzhou-desktop {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令", parser_class=ChineseArgumentParser)
    names = [COMMANDS[only]] if only in COMMANDS else _command_modules()
    for name in names:
        module = importlib.import_module(f"nanzhou_desktop.commands.{name}")
        module.register(sub)
    # --help lists them in the order of the year's work, not of the modules.
    sub._choices_actions.sort(key=lambda a: HELP_ORDER.index(a.dest) if a.dest in HELP_ORDER else len(HELP_ORDER))
    return parser


HELP_ORDER = ("templates", "new", "demo", "import", "outline", "show", "set", "check", "explain", "finalize", "unlock", "print", "verify",
              "export", "next-year", "district", "dump", "undump")


def _subcommand_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    # A GBK console (Chinese Windows, output redirected) cannot write every character a
    # report may hold: print ? for those rather than end with UnicodeEncodeError.
    safe_console(sys.stdout)
    safe_console(sys.stderr)
    args_list = list(sys.argv[1:] if argv is None else argv)
    # "nanzhou-desktop REPORT.sqlite" opens the window on that file; argparse would take the
    # path for an unknown subcommand, so route it before parsing.
    commands = set(COMMANDS)
    if args_list and not args_list[0].startswith("-") and args_list[0] not in commands:
        first = args_list[0]
        looks_like_file = first.lower().endswith((".sqlite", ".db", ".sqlite3")) or "/" in first or "\\" in first
        if not looks_like_file:
            sys.stderr.write(f"“{first}”不是子命令，也不是报告文件；可用的子命令：{'、'.join(sorted(commands))}"
                             "（nanzhou-desktop --help 查看说明）\n")
            return EXIT_USAGE
        if not Path(first).is_file():
            sys.stderr.write(f"找不到报告文件“{first}”\n")
            return EXIT_FAILED
        return _open_window(first)
    if argv is None and args_list[:1] == ["print"]:
        # A short run that ends with _exit_at_once: the cyclic garbage collector would only
        # walk the ~300,000 objects of reportlab and the report again and again (~5 ms).
        import gc

        gc.disable()
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    if not getattr(args, "command", None):
        return _open_window(None)
    try:
        code = int(args.handler(args) or 0)
        if argv is None and code == 0 and getattr(args, "exit_at_once", False):
            _exit_at_once(code)
        return code
    except CliError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.code
    except (ReportFileError, EditError) as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return 130
    except BrokenPipeError:
        # Whoever read our output stopped (``… | head -1``): the command itself has run.  Say
        # nothing more, as a Unix tool killed by SIGPIPE would, and keep Python from
        # complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one sentence, no traceback
        sys.stderr.write(f"出现了意外错误（{type(exc).__name__}：{exc}）。报告文件不会因此损坏：每处修改要么完整保存，"
                         "要么完全没有保存。请把这句话告诉技术支持。\n")
        return EXIT_FAILED


def _exit_at_once(code: int) -> NoReturn:
    """End the process without tearing the interpreter down.  For a command that has done
    all its work (files written and closed, nothing left to commit), freeing every module
    and object one by one only makes the user wait: 15-25 ms after printing a report.
    Only when run as the program (``argv`` None), never for a caller in the same process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None in a windowed Windows program
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def no_display_message() -> str:
    """Why a window cannot open here ('' when it can): Qt would abort with English xcb errors."""
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and not os.environ.get("QT_QPA_PLATFORM")):
        return ("没有图形显示（DISPLAY 未设置），无法打开窗口；请在桌面环境中运行，"
                "或使用子命令（nanzhou-desktop --help），或设置 QT_QPA_PLATFORM=offscreen。")
    return ""


def _open_window(path: str | None) -> int:
    if message := no_display_message():
        sys.stderr.write(message + "\n")
        return EXIT_FAILED
    try:
        from nanzhou_desktop.gui.main_window import run
    except ImportError as exc:
        sys.stderr.write(f"无法启动窗口界面（{exc}）；请确认已安装 PySide6。\n")
        return EXIT_FAILED
    return run(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
