"""Where ``deploy`` publishes: ``--to`` parsed like rsync, and the programs it needs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

SSH_ENV = "DEPLOY_SSH"
"""Environment variable with the ssh command (``ssh -p 2222 -i key``) when ``--ssh`` is not given."""
_HOST = re.compile(r"(?:[\w.-]+@)?[\w.-]+")


class TargetError(ValueError):
    """A malformed ``--to`` or a missing rsync/ssh program: a usage error (exit 2)."""


@dataclass(frozen=True)
class Target:
    """Where releases go: ``host`` is None for a folder on this machine."""

    text: str
    """As given in ``--to``; errors are reported against it."""
    path: str
    host: str | None = None
    ssh: tuple[str, ...] = ("ssh",)


def parse_target(text: str, ssh: str | None = None) -> Target:
    """``--to`` in rsync's syntax: a local folder, or ``[user@]host:/absolute/path`` (a colon before any slash)."""
    head, colon, tail = text.partition(":")
    if not text.strip():
        raise TargetError("--to 不能为空：请写本机文件夹，或 用户@主机:/绝对路径")
    if not colon or "/" in head:
        return Target(text, str(Path(text).expanduser().absolute()))
    if tail.startswith(":") or text.startswith("rsync://"):
        raise TargetError(f"不支持 rsync 守护进程地址「{text}」：请写 用户@主机:/绝对路径（经 ssh 连接）")
    if not _HOST.fullmatch(head) or not tail.startswith("/") or tail.rstrip("/") == "":
        raise TargetError(f"目标「{text}」格式不对：应写 用户@主机:/绝对路径，如 deploy@www.example.gov.cn:/srv/disclosure")
    return Target(text, tail.rstrip("/"), head, _ssh_command(ssh))


def _ssh_command(ssh: str | None) -> tuple[str, ...]:
    text = ssh or os.environ.get(SSH_ENV) or "ssh"
    try:
        words = tuple(shlex.split(text))
    except ValueError as exc:
        raise TargetError(f"ssh 命令「{text}」无法解析（{exc}）：请检查引号") from None
    if not words:
        raise TargetError(f"ssh 命令「{text}」是空的")
    return words


def check_programs(target: Target, *, upload: bool) -> None:
    """Fail before building when a needed program is missing (rsync to upload; ssh for a remote target)."""
    needed = (["rsync"] if upload else []) + ([target.ssh[0]] if target.host else [])
    for program in needed:
        if shutil.which(program) is None:
            package = "rsync" if program == "rsync" else "openssh-client"
            raise TargetError(f"找不到 {program} 命令：请先安装（Debian/Ubuntu：apt-get install {package}）")
