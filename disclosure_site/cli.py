"""Command line: ``build`` (default) and ``check``; exit 0 ok, 1 content errors, 2 usage, 3 tool bug."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
import unicodedata
from pathlib import Path

from . import pipeline
from .catalogue import Status
from .config import CATALOG_FILE
from .diagnostics import Report, Severity

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
BUG_REPORT = "请把以上信息和所用命令发给网站维护人员（或在项目仓库提交 issue）"


class UsageError(Exception):
    """A wrong command line; exit code 2."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{value}」无效，应写成 YYYY-MM-DD") from None


def _add_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """Options every command takes; sub-commands must not reset values given before them."""
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--root", type=Path, default=default(Path(".")),
                        help="站点文件夹（含 catalog.yaml 和 content/），默认当前目录")
    parser.add_argument("--out", type=Path, default=default(None), help="输出文件夹，默认 <root>/site")
    parser.add_argument("--today", type=_date, default=default(None), help="构建日期 YYYY-MM-DD，默认今天")
    for flag, text in (("--strict", "警告也视为错误"), ("--quiet", "只输出问题，不输出统计"),
                       ("--debug", "工具内部出错时显示完整的 Python 回溯")):
        parser.add_argument(flag, action="store_true", default=default(False), help=text)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="build.py", description="政府信息公开目录网站生成器")
    _add_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")
    for name, text in (("build", "检查并生成网站（默认）"), ("check", "只检查内容，不写任何文件")):
        _add_options(commands.add_parser(name, help=text, description=text), defaults=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; never lets a traceback reach an editor unless ``--debug``."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: a tool bug must not look like a crash to editors
        if args.debug:
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}\n{BUG_REPORT}（加 --debug 可看到详细回溯）", file=sys.stderr)
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / CATALOG_FILE).is_file():
        raise UsageError(f"{root} 中没有 {CATALOG_FILE}：请用 --root 指向站点文件夹")
    today = args.today or dt.date.today()
    if args.command == "check":
        outcome = pipeline.check(root, today)
    else:
        out = (args.out or root / "site").resolve()
        outcome = pipeline.build(root, out, today, strict=args.strict)
    _print_report(outcome.report)
    failed = outcome.report.fails(strict=args.strict)
    if not args.quiet:
        _print_summary(outcome, args.command or "build", failed, args.out or root / "site")
    return EXIT_CONTENT if failed else EXIT_OK


def _print_report(report: Report) -> None:
    for diagnostic in report:
        print(diagnostic.format())


def _print_summary(outcome: pipeline.Outcome, command: str, failed: bool, out: Path) -> None:
    report = outcome.report
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    if outcome.catalogue is not None:
        _print_status_table(outcome)
    print(f"共 {errors} 个错误，{warnings} 个警告。")
    if command == "build":
        done = f"已生成 {outcome.files} 个文件到 {out}（用浏览器打开 {out / 'index.html'}）"
        print("构建失败，原有输出未改动。" if failed else done)


def _width(text: str) -> int:
    """Terminal columns taken by ``text``: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _print_status_table(outcome: pipeline.Outcome) -> None:
    assert outcome.catalogue is not None
    counts = outcome.catalogue.status_counts()
    columns = list(outcome.catalogue.catalog.all_columns())
    names = [f"{column.path_text} {column.title}" for column in columns]
    first = max(_width(name) for name in names) + 2
    print(_pad("栏目", first) + "".join(_pad(s.value, 10, right=True) for s in Status))
    totals = dict.fromkeys(Status, 0)
    for name, column in zip(names, columns, strict=True):
        row = counts[column.path]
        for status in Status:
            totals[status] += row[status]
        print(_pad(name, first) + "".join(_pad(str(row[s]), 10, right=True) for s in Status))
    print(_pad("合计", first) + "".join(_pad(str(totals[s]), 10, right=True) for s in Status))
