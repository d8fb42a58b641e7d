"""When each content file's text last changed (可核查), from one ``git log`` over ``content/``.

One log gives every file at once, so a catalogue of 100 000 entries costs one subprocess, not one per file.
Renames (``-M``) are followed by walking the log from the newest commit back and carrying each file's current
path to its older names. Only commit dates are read, never a message: what readers see of a change is what the
editors wrote in ``changes``. Dates are in China Standard Time, so the same commit always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR
from ..model.history import History

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
"""Asia/Shanghai has had no daylight saving since 1991, long before any git commit, so a fixed offset is exact."""
_COMMIT = "\x1e"
_LOG = ["log", "--date-order", "-M", "--name-status", "-z", "--relative", "--no-color", f"--format={_COMMIT}%ct"]
"""``--date-order`` lists every commit before its parents, which the rename walk needs; ``--relative``
gives paths from the site root even when the site is a sub-folder of the repository; ``-z`` keeps any
file name intact. The format is the commit time alone: no message is ever read."""


def load_history(root: Path, report: Report) -> History:
    """When each committed file under ``content/`` last changed; empty when the site is not in a git work tree.

    A site outside git, or a repository without commits yet, simply has no history. Git missing or failing
    otherwise is told as a notice: 最近更新 then misses changes made without a note, for a reason the maintainer
    can fix.
    """
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository")
        if shallow is None:
            return {}
        if shallow.strip() == "true":
            report.notice(CONTENT_DIR, 1, "HISTORY_SHALLOW",
                          "仓库是浅克隆，提交历史不完整，本次生成的「最近更新」日期只按发布日期和修订说明计算：请使用完整克隆"
                          "（例如 actions/checkout 设置 fetch-depth: 0）")
            return {}
        log = _git(root, *_LOG, "--", CONTENT_DIR)
    except GitFailed as exc:
        report.notice(CONTENT_DIR, 1, "HISTORY_UNAVAILABLE",
                      f"读取提交历史失败，本次生成的「最近更新」日期只按发布日期和修订说明计算：{exc}")
        return {}
    return parse_log(log) if log else {}


class GitFailed(Exception):
    """git is missing or failed for a reason other than "not a repository" or "no commits yet"."""


class GitMissing(GitFailed):
    """git cannot be run at all (not installed, not on PATH)."""


_NO_HISTORY = ("not a git repository", "does not have any commits yet", "bad default revision")
"""What git says when a site simply has no history: outside a repository, or before the first commit."""


def _git(root: Path, *args: str) -> str | None:
    """Output of a read-only git command in ``root``; None outside a work tree or before any commit."""
    output = git_bytes(root, *args)
    return None if output is None else output.decode("utf-8", errors="replace")


def git_bytes(root: Path, *args: str, stdin: bytes | None = None, quiet_codes: tuple[int, ...] = ()) -> bytes | None:
    """:func:`_git`'s bytes, with ``stdin`` given to git; an exit code in ``quiet_codes`` (``git grep``'s 1, "no
    match") is no failure but empty output."""
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=false", *args]
    try:
        # Untranslated messages: "not a git repository" must be recognised whatever the editor's locale.
        result = subprocess.run(command, input=stdin, capture_output=True, check=False,
                                env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
    except OSError as exc:
        raise GitMissing(f"无法运行 git（{exc.strerror}）：请安装 git，或确认它在 PATH 中") from None
    if result.returncode in quiet_codes and not result.stderr.strip():
        return b""
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", errors="replace")
        if any(text in error for text in _NO_HISTORY):
            return None
        last = [line.strip() for line in error.splitlines() if line.strip()]
        raise GitFailed(f"git {args[0]} 退出码 {result.returncode}：{last[-1] if last else '没有错误输出'}")
    return result.stdout


_CLOSED = ""
"""Alias target of a path whose older history belongs to a file that no longer exists."""


def parse_log(log: str) -> History:
    """Date of the last text change per current path from ``git log -M --name-status -z`` in :data:`_LOG`'s format.

    The commit that adds a file is its first publication, not a change, and a rename that keeps every byte
    (``R100``) changes nothing a reader sees; every other commit on the file's path, under any older name, does.
    """
    changed: dict[str, dt.date] = {}
    current: dict[str, str] = {}
    """Older name → the path the file has now; :data:`_CLOSED` once the older name is another file."""
    for date, files in _commits(log):
        for status, paths in files:
            path = current.get(paths[-1], paths[-1])
            if path == _CLOSED:
                continue
            if _changes_text(status):
                changed[path] = max(date, changed.get(path, date))
            if status.startswith("R"):
                current[paths[0]] = path
                current[paths[1]] = _CLOSED
            elif status[0] in "AC":
                current[paths[-1]] = _CLOSED  # older commits on this path changed an earlier, deleted file
    return changed


def _changes_text(status: str) -> bool:
    """Whether a ``--name-status`` letter (with its similarity, ``R090``) changed an existing file's bytes."""
    return status[0] in "MT" or (status[0] == "R" and status != "R100")


def _commits(log: str) -> list[tuple[dt.date, list[tuple[str, tuple[str, ...]]]]]:
    """``(commit date, [(status, paths)])`` per commit, newest first."""
    commits: list[tuple[dt.date, list[tuple[str, tuple[str, ...]]]]] = []
    tokens = log.split("\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith(_COMMIT):
            commits.append((dt.datetime.fromtimestamp(int(token[1:]), CHINA_TIME).date(), []))
        elif token and commits:
            count = 2 if token[0] in "RC" else 1
            commits[-1][1].append((token, tuple(tokens[index : index + count])))
            index += count
    return commits
