"""Revision history (可核查): when each content file was first committed and every change since.

One ``git log`` over ``content/`` gives the history of every file at once, so a catalogue of
100 000 entries costs one subprocess, not one per file. Renames (``-M``) are followed by walking
the log from the newest commit back and carrying each file's current path to its older names.
Dates are commit dates in China Standard Time, so the same commit always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR
from ..core.privacy import find_personal_data
from ..model.history import Change, History

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
"""Asia/Shanghai has had no daylight saving since 1991, long before any git commit, so a fixed offset is exact."""
_COMMIT = "\x1e"
_FIELD = "\x1f"
_LOG = ["log", "--date-order", "-M", "--name-status", "-z", "--relative", "--no-color", "--encoding=UTF-8",
        f"--format={_COMMIT}%ct{_FIELD}%s"]
"""``--date-order`` lists every commit before its parents, which the rename walk needs; ``--relative``
gives paths from the site root even when the site is a sub-folder of the repository; ``-z`` keeps any
file name intact."""


def load_history(root: Path, report: Report) -> History:
    """The history of every committed file under ``content/``; empty when the site is not in a git work tree.

    A site outside git, or a repository without commits yet, simply has no history. Git missing or failing
    otherwise is told as a notice: the pages then lack their 更新记录 for a reason the maintainer can fix.
    """
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository")
        if shallow is None:
            return {}
        if shallow.strip() == "true":
            report.notice(CONTENT_DIR, 1, "HISTORY_SHALLOW",
                          "仓库是浅克隆，提交历史不完整，本次生成的页面不显示更新记录：请使用完整克隆"
                          "（例如 actions/checkout 设置 fetch-depth: 0）")
            return {}
        log = _git(root, *_LOG, "--", CONTENT_DIR)
    except GitFailed as exc:
        report.notice(CONTENT_DIR, 1, "HISTORY_UNAVAILABLE", f"读取提交历史失败，本次生成的页面不显示更新记录：{exc}")
        return {}
    return parse_log(log) if log else {}


class GitFailed(Exception):
    """git is missing or failed for a reason other than "not a repository" or "no commits yet"."""


_NO_HISTORY = ("not a git repository", "does not have any commits yet", "bad default revision")
"""What git says when a site simply has no history: outside a repository, or before the first commit."""


def _git(root: Path, *args: str) -> str | None:
    """Output of a read-only git command in ``root``; None outside a work tree or before any commit."""
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=false", *args]
    try:
        # Untranslated messages: "not a git repository" must be recognised whatever the editor's locale.
        result = subprocess.run(command, capture_output=True, check=False, env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
    except OSError as exc:
        raise GitFailed(f"无法运行 git（{exc.strerror}）：请安装 git，或确认它在 PATH 中") from None
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", errors="replace")
        if any(text in error for text in _NO_HISTORY):
            return None
        last = [line.strip() for line in error.splitlines() if line.strip()]
        raise GitFailed(f"git {args[0]} 退出码 {result.returncode}：{last[-1] if last else '没有错误输出'}")
    return result.stdout.decode("utf-8", errors="replace")


_CLOSED = ""
"""Alias target of a path whose older history belongs to a file that no longer exists."""


def parse_log(log: str) -> History:
    """Changes per current path from ``git log -M --name-status -z`` output in the format of :data:`_LOG`."""
    changes: dict[str, list[Change]] = {}
    current: dict[str, str] = {}
    """Older name → the path the file has now; :data:`_CLOSED` once the older name is another file."""
    for change, files in _commits(log):
        for status, paths in files:
            path = current.get(paths[-1], paths[-1])
            if path == _CLOSED:
                continue
            changes.setdefault(path, []).append(change)
            if status == "R":
                current[paths[0]] = path
                current[paths[1]] = _CLOSED
            elif status in "AC":
                current[paths[-1]] = _CLOSED  # older commits on this path changed an earlier, deleted file
    return {path: tuple(found) for path, found in changes.items()}


def _commits(log: str) -> list[tuple[Change, list[tuple[str, tuple[str, ...]]]]]:
    """``(change, [(status letter, paths)])`` per commit, newest first."""
    commits: list[tuple[Change, list[tuple[str, tuple[str, ...]]]]] = []
    tokens = log.split("\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith(_COMMIT):
            stamp, _, subject = token[1:].partition(_FIELD)
            date = dt.datetime.fromtimestamp(int(stamp), CHINA_TIME).date()
            commits.append((Change(date, _deidentified(subject)), []))
        elif token and commits:
            status = token[0]
            count = 2 if status in "RC" else 1
            commits[-1][1].append((status, tuple(tokens[index : index + count])))
            index += count
    return commits


def _deidentified(subject: str) -> str:
    """A commit subject is published as written, so unmasked ID, mobile or card numbers in it are masked here:
    unlike a content file, a commit cannot be corrected after the fact."""
    for finding in reversed(find_personal_data(subject)):
        subject = subject[: finding.start] + finding.masked + subject[finding.end :]
    return subject


def history_record(changes: tuple[Change, ...]) -> dict[str, Any]:
    """``first_published`` and ``last_updated`` (``YYYY-MM-DD``, None without history) for an entry's data export."""
    return {
        "first_published": changes[-1].date.isoformat() if changes else None,
        "last_updated": changes[0].date.isoformat() if changes else None,
    }
