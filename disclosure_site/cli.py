"""Command line: build (default), check, new, serve, deploy, init; exit 0 ok, 1 content errors, 2 usage, 3 tool bug."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import signal
import sys
import threading
import traceback
from pathlib import Path

from . import pipeline
from .app import console, deploy
from .app.cliparser import ChineseParser
from .app.init_site import DEFAULT_DEPARTMENTS, InitError, init_site
from .cache.memo import memo_for
from .core.workdays import beijing_today
from .load.numbers import NumbersUnavailable, used_numbers
from .model.numbering import UsedNumbers
from .model.site import CATALOG_FILE
from .write.outfolder import OutputRefused, check_output, local_target_problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM
"""What a shell reports for a program ended by Ctrl+C (130) or SIGTERM (143); scripts and CI can tell them apart."""
BUG_REPORT = "请把以上信息和所用命令发给网站维护人员（或在项目仓库提交 issue）"


class UsageError(Exception):
    """A wrong command line; exit code 2."""


class Terminated(BaseException):
    """SIGTERM asked the tool to stop; raised like KeyboardInterrupt so every ``finally`` tidies up on the way out."""


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


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
    parser.add_argument("--jobs", type=_positive, default=default(None), metavar="N",
                        help="生成页面使用的进程数，默认用全部 CPU 核心")
    for flag, text in (("--strict", "警告也视为错误"), ("--quiet", "只输出问题，不输出统计和进度"),
                       ("--debug", "工具内部出错时显示完整的 Python 回溯"),
                       ("--no-cache", "不读取也不保存 .cache/ 中上次构建的结果（全部重新计算）")):
        parser.add_argument(flag, action="store_true", default=default(False), help=text)


def _positive(text: str) -> int:
    # isdigit() alone accepts ２ and ٢, which int() then reads as 2.
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数（半角数字）：{text}")
    return int(text)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"端口应为 0 到 65535 之间的整数（半角数字）：{text}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    # Usage lines name the command the editor typed: the console script, or build.py in a checkout.
    prog = "disclosure-site" if Path(sys.argv[0]).name == "disclosure-site" else "build.py"
    parser = ChineseParser(prog=prog, description="政府信息公开目录网站生成器")
    parser.add_argument("--version", action="version", version=f"disclosure-site {version()}", help="显示版本号并退出")
    _add_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")
    build = commands.add_parser("build", help="检查并生成网站（默认）", description="检查并生成网站")
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="不生成全文搜索索引（用于测量生成速度或快速试看；正式发布不要使用）")
    build.add_argument("--incremental", action="store_true",
                       help="只改写输出文件夹中有变化的文件（默认生成完整的新文件夹再整体替换）")
    check = commands.add_parser("check", help="只检查内容，不写任何文件", description="只检查内容，不写任何文件")
    check.add_argument("--format", choices=console.FORMATS, default="text", help="输出格式：text、json 或 github")
    check.add_argument("--report", action="store_true", help="另外输出自查报告（栏目更新、空白栏目、解读时效、隐私）")
    check.add_argument("--against", metavar="分支", default=None,
                       help="合并前与默认分支（如 origin/main）核对索引号：已被其他文件或已删除的条目用过的索引号报错；"
                            "空值表示不核对")
    new = commands.add_parser("new", help="新建一条信息", description="在栏目中新建一条信息，自动分配下一个索引号")
    new.add_argument("column", help="栏目 id 路径，如 documents/normative")
    new.add_argument("--title", required=True, help="标题")
    new.add_argument("--policy", action="store_true", help="政策性文件：同时新建与之关联的政策解读")
    serve = commands.add_parser("serve", help="本地预览，修改后自动重建并刷新浏览器", description="本地预览")
    serve.add_argument("--port", type=_port, default=8000, help="端口，默认 8000")
    deploy_parser = commands.add_parser("deploy", help="生成网站并发布到服务器（新版本文件夹，原子切换 current）",
                                        description="生成网站，上传为目标的 releases/<版本>/，再把 current 链接原子地切换过去")
    deploy_parser.add_argument("--to", required=True, metavar="目标", help="本机文件夹，或 用户@主机:/绝对路径（经 ssh）")
    deploy_parser.add_argument("--keep", type=_positive, default=deploy.DEFAULT_KEEP, metavar="N",
                               help="保留最近 N 个版本，默认 5（current 指向的版本总会保留）")
    deploy_parser.add_argument("--rollback", action="store_true", help="不生成、不上传，把 current 切换回上一个版本")
    deploy_parser.add_argument("--ssh", metavar="命令", default=None,
                               help='连接服务器的 ssh 命令，如 "ssh -p 2222 -i ~/.ssh/deploy"；默认取环境变量 DEPLOY_SSH，否则为 ssh')
    cms = commands.add_parser("cms", help="生成内容编辑后台（Decap CMS，部署在内网主机）",
                              description="生成内容编辑后台：index.html、config.yml 和 Decap CMS 程序，用 --out 指定文件夹")
    _add_backend_options(cms)
    edit = commands.add_parser("edit", help="本机编辑：同时打开预览和编辑后台（只监听 127.0.0.1）",
                               description="在本机同时运行预览和编辑后台（表单保存的文件只提交它写的那几个）")
    edit.add_argument("--port", type=_port, default=8000, help="预览端口，默认 8000；编辑后台用其后两个端口")
    migrate = commands.add_parser("migrate", help="改写旧文件：--english-keys 把中文别名键改为英文键（表单编辑前运行）",
                                  description="把 content/ 中用中文别名写的键（如 标题:）改为英文键，值、注释和正文不变")
    migrate.add_argument("--english-keys", action="store_true", help="把中文别名键改为英文键")
    for sub in (build, check, new, serve, deploy_parser, cms, edit, migrate):
        _add_options(sub, defaults=False)
    init = commands.add_parser("init", help="为一个单位新建站点文件夹", description="新建站点文件夹：catalog.yaml（标准栏目树）、"
                               "content/ 栏目文件夹、CI 配置、.gitignore 和编辑说明；生成后即可 build")
    init.add_argument("folder", type=Path, metavar="文件夹", help="新站点的文件夹，必须不存在或为空")
    init.add_argument("--name", required=True, metavar="单位全称", help="主办单位全称，如 汕尾市教育局")
    init.add_argument("--org-code", required=True, metavar="代码", help="索引号前段码：18 位统一社会信用代码")
    init.add_argument("--departments", default=",".join(DEFAULT_DEPARTMENTS), metavar="部门,部门",
                      help=f"责任部门，用逗号分隔，默认 {'、'.join(DEFAULT_DEPARTMENTS)}（之后可在 catalog.yaml 中增删）")
    init.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="不输出下一步的提示")
    return parser


def version() -> str:
    """The installed package's version (pyproject's ``version``)."""
    try:
        return importlib.metadata.version("disclosure-site")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+未安装"


def _add_backend_options(parser: argparse.ArgumentParser) -> None:
    from .app.cms_config import BACKENDS

    parser.add_argument("--backend", choices=BACKENDS, default="gitlab", help="代码托管平台：gitlab、github 或 gitea")
    parser.add_argument("--repo", default="OWNER/REPO", help="仓库，如 bureau/disclosure-site")
    parser.add_argument("--branch", default="main", help="分支，默认 main")
    parser.add_argument("--base-url", default="", help="自建 GitLab/Gitea 的地址；GitHub 时为 OAuth 网关地址")
    parser.add_argument("--app-id", default="REPLACE-WITH-OAUTH-APPLICATION-ID", help="OAuth 应用的 Application ID")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; never lets a traceback reach an editor unless ``--debug``."""
    args = make_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断（Ctrl+C）：原有输出未改动。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("已被终止（SIGTERM）：原有输出未改动。", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as exc:  # the last line of defence: a tool bug must not look like a crash to editors
        if args.debug:
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}\n{BUG_REPORT}（加 --debug 可看到详细回溯）", file=sys.stderr)
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":  # creates the site folder: needs none
        return _init(args)
    if args.command == "deploy" and args.rollback:  # only switches a link on the target: needs no site
        return deploy.run_rollback(_target(args, upload=False), quiet=args.quiet)
    root = args.root.resolve()
    if not (root / CATALOG_FILE).is_file():
        raise UsageError(f"{root} 中没有 {CATALOG_FILE}：请用 --root 指向站点文件夹")
    today = args.today or beijing_today()
    out = (args.out or root / "site").resolve()
    if args.command == "new":
        return _new(args, root, today)
    if args.command in ("cms", "edit", "migrate"):
        from .app.cms import CmsError
        from .app.cms_cli import run_cms

        try:
            return run_cms(args, root, today)
        except CmsError as exc:
            raise UsageError(str(exc)) from None
    if args.command == "serve":
        from .app.serve import serve

        _refuse_output(out, root)
        return serve(root, out, port=args.port, today=args.today, strict=args.strict, quiet=args.quiet,
                     cache=not args.no_cache)
    if args.command == "deploy":
        return _deploy(args, root, out, today)
    if args.command == "check":
        # check reads the cache but never writes it: it promises to write nothing.
        outcome = pipeline.check(root, today, memo_for(root, enabled=not args.no_cache, writable=False),
                                 against=_against(root, args.against))
        console.print_check(outcome, fmt=args.format, report=args.report, quiet=args.quiet)
        calendar = outcome.catalogue is not None and outcome.catalogue.config.calendar_fails_check
        return EXIT_CONTENT if outcome.report.fails(strict=args.strict, calendar=calendar) else EXIT_OK
    else:
        outcome = _build(args, root, out, today)
    return exit_code(outcome, strict=args.strict)


def exit_code(outcome: pipeline.Outcome, *, strict: bool) -> int:
    """0 when the build went through; 2 when the machine stopped it (output folder, disk); 1 for the content."""
    if outcome.report.environmental():
        return EXIT_USAGE
    return EXIT_CONTENT if outcome.report.fails(strict=strict) else EXIT_OK


def _build(args: argparse.Namespace, root: Path, out: Path, today: dt.date) -> pipeline.Outcome:
    progress = console.Progress(enabled=not args.quiet)
    outcome = pipeline.build(root, out, today, strict=args.strict, progress=progress, jobs=args.jobs,
                             search=getattr(args, "search", True), cache=not args.no_cache,
                             incremental=getattr(args, "incremental", False))
    progress.done()
    console.print_build(outcome, out=out, strict=args.strict, quiet=args.quiet)
    return outcome


def _refuse_output(out: Path, root: Path) -> None:
    try:
        check_output(out, root)
    except OutputRefused as exc:
        raise UsageError(exc.message) from None


def _target(args: argparse.Namespace, *, upload: bool) -> deploy.Target:
    """Check ``--to`` and the programs before building, so a typo wastes no build."""
    try:
        target = deploy.parse_target(args.to, args.ssh)
        deploy.check_programs(target, upload=upload)
    except deploy.TargetError as exc:
        raise UsageError(str(exc)) from None
    return target


def _deploy(args: argparse.Namespace, root: Path, out: Path, today: dt.date) -> int:
    target = _target(args, upload=True)
    problem = None if target.host else local_target_problem(Path(target.path), root, out)
    if problem:
        raise UsageError(problem)
    built = exit_code(_build(args, root, out, today), strict=args.strict)
    if built != EXIT_OK:
        return built
    return deploy.run_publish(out, target, keep=args.keep, quiet=args.quiet)


def _against(root: Path, ref: str | None) -> UsedNumbers | None:
    if not ref:  # CI passes an empty value outside merge requests: one command line for every pipeline
        return None
    try:
        return used_numbers(root, ref)
    except NumbersUnavailable as exc:
        raise UsageError(str(exc)) from None


def _new(args: argparse.Namespace, root: Path, today: dt.date) -> int:
    from .app.scaffold import ScaffoldError, new_entry

    try:
        created = new_entry(root, args.column, args.title, today, policy=args.policy)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    for path in created:
        print(path.relative_to(root).as_posix())
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    try:
        created = init_site(args.folder, args.name, args.org_code,
                            tuple(args.departments.replace("，", ",").split(",")), version())
    except InitError as exc:
        raise UsageError(str(exc)) from None
    if not args.quiet:
        print(f"已在 {args.folder} 中新建站点（{len(created)} 个文件）。下一步：\n"
              f"  cd {args.folder}\n  disclosure-site new news --title \"标题\"\n  disclosure-site build")
    return EXIT_OK
