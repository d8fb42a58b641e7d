"""Which folders a build may replace, and the debris a killed build leaves behind.

A build replaces its output folder whole, so ``--out`` must never name something of the user's. It may name a
folder that does not exist, an empty folder, or one this tool produced before — recognised by the stamp file every
build writes into it, never by guessing from its contents. Anything else (a non-empty foreign folder, the site
root or its content/ and templates/, an ancestor of the root, a regular file, a mount point) is refused with a
message naming it, and nothing changes.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from pathlib import Path

STAMP = ".disclosure-site"
"""Written into every output folder (and staging folder) this tool makes; hidden, so web servers do not serve it."""
STAMP_TEXT = "本文件夹由政府信息公开目录网站生成器生成，每次生成都会整体替换；请不要在其中存放其他文件。\n".encode()
SUMS_FILE = "SHA256SUMS"
PROTECTED = ("content", "templates", ".git", "catalog.yaml")
"""Parts of the site folder that are the user's own work."""
LEFTOVER_AGE = 60
"""Seconds after which an unlocked staging folder without a stamp counts as debris (a fresh one gets its stamp
within microseconds of being made)."""


class OutputRefused(Exception):
    """``--out`` (or a deploy target) names something the tool must not replace; exit code 2."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def check_output(out: Path, root: Path) -> None:
    """Raise :class:`OutputRefused` unless ``out`` may be replaced by a build of the site at ``root``."""
    out, root = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    protected = _protected_reason(out, root)
    if protected:
        raise OutputRefused(out, f"输出文件夹 {out} {protected}：生成网站会整体替换输出文件夹，请用 --out 指定别的文件夹")
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise OutputRefused(out, f"输出位置 {out} 是一个文件，不是文件夹：为免覆盖它，拒绝生成；请用 --out 指定一个文件夹")
    if os.path.ismount(out):
        raise OutputRefused(out, f"输出文件夹 {out} 是挂载点，不能整体替换：请用 --out 指定其中的一个子文件夹")
    if not made_here(out):
        raise OutputRefused(out, f"输出文件夹 {out} 不是空的，也不是本工具生成的网站（没有 {STAMP} 标记文件）："
                                 "为免删除其中的文件，拒绝生成；请用 --out 指定一个不存在的或空的文件夹")


def _protected_reason(out: Path, root: Path) -> str | None:
    if out == root:
        return "就是站点文件夹"
    if root.is_relative_to(out):
        return f"包含站点文件夹 {root}"
    for name in PROTECTED:
        if out.is_relative_to(root / name):
            return f"是站点的 {name}" if out == root / name else f"在站点的 {name} 中"
    return None


def made_here(folder: Path) -> bool:
    """Empty, stamped by this tool, or an older build of it (every file listed in its SHA256SUMS, nothing else)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return not names or STAMP in names or _listed_by_sums(folder)


def _listed_by_sums(folder: Path) -> bool:
    """Builds before the stamp existed wrote SHA256SUMS naming every file; such a folder is exactly its listing."""
    try:
        listed = {line.split("  ", 1)[1] for line in (folder / SUMS_FILE).read_text(encoding="utf-8").splitlines()
                  if "  " in line}
    except (OSError, UnicodeDecodeError):
        return False
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    return bool(listed) and present == listed | {SUMS_FILE}


def stamp(folder: Path) -> None:
    """Mark ``folder`` as made by this tool."""
    (folder / STAMP).write_bytes(STAMP_TEXT)


class Claim:
    """An exclusive lock on a folder held for as long as this process works in it (released when it dies)."""

    def __init__(self, folder: Path) -> None:
        self.fd: int | None = os.open(folder, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        """Let go of the folder (once; later calls do nothing)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def remove_leftovers(out: Path) -> None:
    """Delete staging and retired folders of ``out`` that a killed build left behind (never a live build's)."""
    try:
        candidates = [p for p in out.parent.iterdir() if _is_ours_by_name(p.name, out.name) and p.is_dir()]
    except OSError:
        return
    for folder in candidates:
        _remove_if_abandoned(folder)


def _is_ours_by_name(name: str, out_name: str) -> bool:
    return name.startswith((f".{out_name}.new-", f".{out_name}.old-"))


def _remove_if_abandoned(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if _stamped(folder) or _old_and_empty(folder):
            shutil.rmtree(folder, ignore_errors=True)
    except OSError as exc:
        if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
            raise
    finally:
        os.close(fd)


def _stamped(folder: Path) -> bool:
    """A staging folder carries the stamp; a retired one holds the previous output in ``site/``."""
    return (folder / STAMP).is_file() or made_here(folder / "site")


def _old_and_empty(folder: Path) -> bool:
    return not any(folder.iterdir()) and time.time() - folder.stat().st_mtime > LEFTOVER_AGE


DEPLOY_STAMP = ".disclosure-site-deploy"
"""Written into a deploy target the first time this tool publishes there."""
DEPLOY_NAMES = frozenset({"releases", "current", "current.new", DEPLOY_STAMP})
"""Everything ``deploy`` itself puts at the top of a target."""


def local_target_problem(target: Path, root: Path, out: Path | None) -> str | None:
    """Why a folder on this machine must not become a deploy target (it would mix releases into the user's files)."""
    target, root = Path(os.path.realpath(target)), Path(os.path.realpath(root))
    protected = _protected_reason(target, root)
    if protected:
        return f"发布目标 {target} {protected}：请指定服务器上专用于发布的文件夹"
    if out is not None and target.is_relative_to(Path(os.path.realpath(out))):
        return f"发布目标 {target} 在输出文件夹中：下次生成会把它整体替换"
    return None


def foreign_target(kind: str, names: list[str], current: str | None) -> str | None:
    """Why an existing deploy target is not this tool's, from what is there: ``kind`` is ``missing``, ``file`` or
    ``dir``, ``names`` its top-level entries, ``current`` where its ``current`` link points (None if not a link)."""
    if kind == "file":
        return "是一个文件，不是文件夹：为免覆盖它，拒绝发布"
    if kind == "missing" or not names or DEPLOY_STAMP in names:
        return None
    # Targets first published before the stamp existed hold exactly what deploy makes, current linking a release.
    if set(names) <= DEPLOY_NAMES and current is not None and current.startswith("releases/"):
        return None
    return (f"不是空文件夹，也不是本工具发布过的目标（没有 {DEPLOY_STAMP} 标记文件）：为免删除或混入其中的文件，"
            "拒绝发布；请指定一个不存在的或空的文件夹")
