"""``python build.py cms`` and ``python build.py edit``: the command-line side of the editors' admin."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..core.inputs import CONTENT_DIR
from .cms import CmsError, load_config, write_admin
from .cms_config import Backend
from .edit import edit
from .migrate import english_keys


def run_cms(args: argparse.Namespace, root: Path, today: dt.date) -> int:
    """``build.py cms``, ``build.py edit`` and ``build.py migrate``."""
    if args.command == "migrate":
        return _migrate(args, root)
    if args.command == "edit":
        return edit(root, (args.out or root / "site").resolve(), port=args.port, today=args.today, quiet=args.quiet)
    if args.out is None:
        raise CmsError("请用 --out 指定编辑后台的输出文件夹（部署到内网主机，不要放进公开网站）")
    out = args.out.resolve()
    public = (root / "site").resolve()
    if out in (root, public, *public.parents) or public in out.parents or \
            (root / CONTENT_DIR).resolve() in (out, *out.parents):
        raise CmsError(f"不能把编辑后台写到 {out}：它必须在公开网站输出文件夹和 content/ 之外（见 docs/cms.md）")
    backend = Backend(args.backend, args.repo, args.branch, args.base_url, args.app_id)
    written = write_admin(root, out, backend, today)
    if not args.quiet:
        print(f"已生成编辑后台（{len(written)} 个文件）：{out}")
    return 0


def _migrate(args: argparse.Namespace, root: Path) -> int:
    if not args.english_keys:
        raise CmsError("请指定要做的改写，例如 python build.py migrate --english-keys")
    done = english_keys(root, load_config(root))
    for line in done.skipped:
        print(line)
    for rel, count in done.changed:
        print(f"{rel}：改写 {count} 个键")
    if not args.quiet:
        total = sum(count for _, count in done.changed)
        print(f"共改写 {len(done.changed)} 个文件、{total} 个键；请运行 python build.py check --strict 后提交")
    return 1 if done.skipped else 0
