"""``python build.py deploy``: upload the built site as a new release and switch the served site to it atomically.

Layout on the target, a local folder or ``user@host:/path`` reached over ssh::

    <target>/releases/20261126T083000Z-1a2b3c4d/        one folder per release, never changed once complete
    <target>/current -> releases/20261126T083000Z-1a2b3c4d   what nginx serves (deploy/nginx.conf: alias …/current/)

Why this shape:

* A release is uploaded into ``releases/<id>.partial/`` and renamed only after rsync has finished, so a folder
  without the suffix is always complete. An interrupted upload leaves ``current`` and its files untouched; the
  next deploy removes the leftover.
* ``current`` is switched by renaming a new symlink over it: ``rename(2)`` is atomic, so every request is served
  wholly from the old release or wholly from the new one. A rollback is the same switch to an older folder.
* Unchanged files become hard links to the current release (``--link-dest``), so a release costs only the changed
  files, and they keep their inode and mtime: nginx's ETag and Last-Modified stay the same and browsers get 304s.
* Release names start with a UTC timestamp, so name order is deploy order (see :func:`release_id`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..write.checksums import SUMS_FILE
from ..write.outfolder import DEPLOY_STAMP, foreign_target
from .deploy_target import SSH_ENV as SSH_ENV
from .deploy_target import Target as Target
from .deploy_target import TargetError as TargetError
from .deploy_target import check_programs as check_programs
from .deploy_target import parse_target as parse_target

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
DEFAULT_KEEP = 5
RELEASE = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")
PARTIAL = ".partial"
STAMP = "%Y%m%dT%H%M%SZ"
RSYNC_OPTIONS = ("-a", "--no-times", "--checksum", "--delete", "--chmod=D755,F644")
"""``-a`` without times, comparing by checksum: every build writes every file anew, so mtimes always differ and
``--link-dest`` would link nothing. ``--chmod``: the build's output folder is private (0700) and the web server's
user must be able to read the release."""


class DeployError(Exception):
    """A deploy or rollback that could not be completed; ``current`` still points where it pointed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Survey:
    """What the target holds now."""

    current: str | None
    """The release ``current`` points to; None before the first deploy."""
    names: tuple[str, ...]
    """Everything in ``releases/``."""

    @property
    def releases(self) -> list[str]:
        """Complete releases, oldest first."""
        return sorted(name for name in self.names if RELEASE.fullmatch(name))

    @property
    def partials(self) -> list[str]:
        """Leftovers of interrupted uploads."""
        return sorted(name for name in self.names if name.endswith(PARTIAL) and RELEASE.fullmatch(name[:-len(PARTIAL)]))


def _current(kind: str, link: str) -> str | None:
    """The release name from what ``current`` is (``link``, ``none`` or ``other``) and where it points."""
    if kind == "none":
        return None
    name = link.removeprefix("releases/").rstrip("/")
    if kind != "link" or not link.startswith("releases/") or not RELEASE.fullmatch(name):
        shown = f"指向「{link}」" if kind == "link" else "不是符号链接"
        raise DeployError("DEPLOY_TARGET", f"current {shown}，不是本工具发布的版本：请人工检查目标文件夹（可改名备份后重新发布）")
    return name


class Side(Protocol):
    """The operations a deploy needs on the target; every step that changes what is served is one rename."""

    def survey(self) -> Survey:
        """Create ``releases/`` when missing and report what is there."""

    def remove(self, names: Sequence[str]) -> None:
        """Delete these folders under ``releases/``."""

    def rename(self, old: str, new: str) -> None:
        """Rename a folder under ``releases/``."""

    def switch(self, name: str) -> None:
        """Point ``current`` at ``releases/<name>`` atomically."""

    def destination(self, name: str) -> str:
        """rsync's destination argument for the folder ``releases/<name>/``."""


_OS_ERRORS = {errno.EACCES: "没有权限", errno.EPERM: "不允许的操作", errno.ENOTDIR: "路径中有一项不是文件夹",
              errno.ENOSPC: "磁盘空间不足", errno.EROFS: "只读文件系统", errno.EISDIR: "是文件夹"}


@contextmanager
def _target_errors() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror)
        raise DeployError("DEPLOY_TARGET", f"无法读写目标文件夹：{reason}（{exc.filename}）") from None


@dataclass(frozen=True)
class LocalSide:
    """A folder on this machine (also a mounted share)."""

    root: Path

    def survey(self) -> Survey:
        current = self.root / "current"
        with _target_errors():
            _refuse_foreign(*self._probe())
            (self.root / "releases").mkdir(parents=True, exist_ok=True)
            (self.root / DEPLOY_STAMP).touch()
            names = tuple(path.name for path in (self.root / "releases").iterdir())
            if current.is_symlink():
                return Survey(_current("link", os.readlink(current)), names)
        return Survey(_current("other" if os.path.lexists(current) else "none", ""), names)

    def _probe(self) -> tuple[str, list[str], str | None]:
        if not os.path.lexists(self.root):
            return "missing", [], None
        if not self.root.is_dir():
            return "file", [], None
        current = self.root / "current"
        return "dir", os.listdir(self.root), os.readlink(current) if current.is_symlink() else None

    def remove(self, names: Sequence[str]) -> None:
        with _target_errors():
            for name in names:
                shutil.rmtree(self.root / "releases" / name)

    def rename(self, old: str, new: str) -> None:
        with _target_errors():
            (self.root / "releases" / old).rename(self.root / "releases" / new)

    def switch(self, name: str) -> None:
        link = self.root / "current.new"
        with _target_errors():
            if os.path.lexists(link):  # left by a switch that was interrupted
                link.unlink()
            os.symlink(f"releases/{name}", link)
            os.replace(link, self.root / "current")

    def destination(self, name: str) -> str:
        return f"{self.root / 'releases' / name}/"


@dataclass(frozen=True)
class RemoteSide:
    """A folder on a server, changed with shell commands over ssh (the server needs rsync and a POSIX shell)."""

    target: Target

    def _run(self, script: str, *, inside: bool = True) -> str:
        """Run ``script`` on the server, in the target folder (made first) unless ``inside`` is False."""
        assert self.target.host is not None
        folder = shlex.quote(self.target.path)
        if inside:
            script = f"mkdir -p -- {folder}/releases && cd -- {folder} && {script}"
        command = [*self.target.ssh, self.target.host, script]
        try:
            result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise DeployError("DEPLOY_TARGET", f"无法运行 {command[0]}：{exc.strerror}") from None
        if result.returncode != 0:
            reason = f"{_exit(result.returncode, command[0])}）：{_last_line(result.stderr)}"
            raise DeployError("DEPLOY_TARGET", f"服务器上的命令失败（{reason}")
        return result.stdout

    def survey(self) -> Survey:
        _refuse_foreign(*self._probe())
        out = self._run(f'[ -e {DEPLOY_STAMP} ] || : > {DEPLOY_STAMP}; '
                        'if [ -L current ]; then printf "link %s\\n" "$(readlink current)"; '
                        'elif [ -e current ]; then echo other; else echo none; fi; ls -1A releases')
        first, *names = out.splitlines()
        kind, _, link = first.partition(" ")
        return Survey(_current(kind, link), tuple(names))

    def _probe(self) -> tuple[str, list[str], str | None]:
        folder = shlex.quote(self.target.path)
        out = self._run(f'if [ ! -e {folder} ] && [ ! -L {folder} ]; then echo missing; elif [ ! -d {folder} ]; then '
                        f'echo file; else echo dir; readlink {folder}/current || echo; ls -1A {folder}; fi', inside=False)
        kind, *rest = out.splitlines() or ["missing"]
        if kind != "dir":
            return kind, [], None
        link, *names = rest
        return kind, names, link or None

    def remove(self, names: Sequence[str]) -> None:
        if names:
            self._run("cd releases && rm -rf -- " + shlex.join(names))

    def rename(self, old: str, new: str) -> None:
        self._run(f"cd releases && mv -T -- {shlex.quote(old)} {shlex.quote(new)}")

    def switch(self, name: str) -> None:
        self._run(f"ln -sfn -- {shlex.quote('releases/' + name)} current.new && mv -T -- current.new current")

    def destination(self, name: str) -> str:
        assert self.target.host is not None
        return f"{self.target.host}:{self.target.path}/releases/{name}/"


def _refuse_foreign(kind: str, names: list[str], current: str | None) -> None:
    problem = foreign_target(kind, names, current)
    if problem is not None:
        raise DeployError("DEPLOY_REFUSED", f"发布目标{problem}")


def side_for(target: Target) -> Side:
    """The local or remote implementation for ``target``."""
    return RemoteSide(target) if target.host else LocalSide(Path(target.path))


def release_id(sums: bytes, now: dt.datetime, existing: Sequence[str]) -> str:
    """``YYYYMMDDTHHMMSSZ-<first 8 hex of SHA-256(SHA256SUMS)>``, later than every existing release.

    Rollback picks the previous release by name, so names must sort in deploy order even when two deploys fall
    in the same second or the clock went back: the timestamp is then moved one second past the newest release.
    """
    stamp = now.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
    latest = max((dt.datetime.strptime(name[:16], STAMP) for name in existing), default=None)
    if latest is not None and stamp <= latest:
        stamp = latest + dt.timedelta(seconds=1)
    return f"{stamp.strftime(STAMP)}-{hashlib.sha256(sums).hexdigest()[:8]}"


def expired(releases: Sequence[str], current: str, keep: int) -> list[str]:
    """Releases beyond the newest ``keep``, never the one ``current`` points to."""
    newest = set(sorted(releases)[-keep:])
    return [name for name in sorted(releases) if name not in newest and name != current]


def previous(survey: Survey) -> str:
    """The release just before the current one, by name."""
    if survey.current is None:
        raise DeployError("DEPLOY_NO_PREVIOUS", "没有可回退的版本：目标文件夹中还没有 current 链接（尚未发布过）")
    earlier = [name for name in survey.releases if name < survey.current]
    if not earlier:
        raise DeployError("DEPLOY_NO_PREVIOUS", f"没有可回退的版本：current 指向的 releases/{survey.current} 之前没有更早的版本")
    return earlier[-1]


@dataclass(frozen=True)
class Published:
    """What a deploy did."""

    release: str
    replaced: str | None
    removed: list[str]


def publish(site: Path, target: Target, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Published:
    """Upload ``site`` as a new release, switch ``current`` to it and remove expired releases."""
    side = side_for(target)
    survey = side.survey()
    side.remove(survey.partials)
    try:
        sums = (site / SUMS_FILE).read_bytes()
    except OSError:
        raise DeployError("DEPLOY_SITE", f"{site} 中没有 {SUMS_FILE}：请先成功生成网站") from None
    name = release_id(sums, now or dt.datetime.now(dt.UTC), survey.releases)
    upload(site, side.destination(name + PARTIAL), target, link_dest=survey.current)
    side.rename(name + PARTIAL, name)
    side.switch(name)
    removed = expired([*survey.releases, name], name, keep)
    side.remove(removed)
    return Published(name, survey.current, removed)


def upload(site: Path, destination: str, target: Target, *, link_dest: str | None) -> None:
    """rsync the site into ``destination``; unchanged files become hard links into ``releases/<link_dest>``."""
    command = ["rsync", *RSYNC_OPTIONS]
    if link_dest is not None:
        command.append(f"--link-dest=../{link_dest}")  # relative to the destination folder, on either side
    if target.host is not None:
        command += ["-e", shlex.join(target.ssh)]
    command += [f"{site}/", destination]
    try:
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise _upload_error(f"无法运行 rsync：{exc.strerror}", link_dest) from None
    if result.returncode != 0:
        raise _upload_error(f"{_exit(result.returncode, 'rsync')}：{_last_line(result.stderr)}", link_dest)


def _upload_error(reason: str, current: str | None) -> DeployError:
    served = f"current 仍指向 releases/{current}，网站未受影响" if current else "current 尚未创建，网站未受影响"
    return DeployError("DEPLOY_UPLOAD", f"上传失败（{reason}）；{served}；"
                                        "未完成的 .partial 文件夹会在下次发布时删除，请排除原因后重新发布")


def _exit(code: int, program: str) -> str:
    return f"{program} 被信号 {-code} 终止" if code < 0 else f"{program} 退出码 {code}"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "没有错误输出"


def rollback(target: Target) -> tuple[str, str]:
    """Point ``current`` at the release before it; returns (from, to)."""
    side = side_for(target)
    survey = side.survey()
    earlier = previous(survey)
    side.switch(earlier)
    assert survey.current is not None
    return survey.current, earlier


def run_publish(site: Path, target: Target, *, keep: int, quiet: bool) -> int:
    """The command line's deploy after a successful build: prints the result or one error line."""
    try:
        done = publish(site, target, keep=keep)
    except DeployError as exc:
        return _failed(target, exc)
    if not quiet:
        print(f"已发布：{target.text} 的 current → releases/{done.release}" +
              (f"（上一版本 releases/{done.replaced}，可用 --rollback 回退）" if done.replaced else ""))
        if done.removed:
            print("已删除旧版本：" + "、".join(f"releases/{name}" for name in done.removed))
    return EXIT_OK


def run_rollback(target: Target, *, quiet: bool) -> int:
    """The command line's ``deploy --rollback``."""
    try:
        old, new = rollback(target)
    except DeployError as exc:
        return _failed(target, exc)
    if not quiet:
        print(f"已回退：{target.text} 的 current → releases/{new}（原为 releases/{old}）")
    return EXIT_OK


def _failed(target: Target, error: DeployError) -> int:
    print(f"{target.text}: 错误 [{error.code}] {error.message}", file=sys.stderr)
    return EXIT_REFUSED if error.code == "DEPLOY_REFUSED" else EXIT_FAILED
