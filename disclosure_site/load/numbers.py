"""Which 索引号 the default branch and its history hold, read from git without a ledger to keep.

The default branch's files are read with one ``git grep`` over its tree (only lines holding a number come back);
deleted files are found with one ``git log --diff-filter=D --name-only``, which compares trees and never file
texts, and their last text is read with one ``git cat-file --batch``. A site outside git simply has no history:
then only the working tree counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..core.inputs import CONTENT_DIR
from ..model.numbering import UsedNumbers, numbers_in, own_number
from .history import GitFailed, GitMissing, git_bytes
from .sources import ENTRY_SUFFIX

DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
"""Where ``new`` looks for the default branch, all that exist: reserving too many numbers is harmless."""
_PATHSPEC = f"{CONTENT_DIR}/*{ENTRY_SUFFIX}"
_GREP = ["grep", "-I", "-z", "--no-color", "-E", "-e", r"[0-9A-Za-z]+/[0-9]{4}-[0-9]{5}"]
_DELETED = ["log", "--no-renames", "--diff-filter=D", "--name-only", "-z", "--relative", "--format=%x1e%H"]
"""``--no-renames``: a moved file's old path counts as deleted too, which is harmless, since its number is still
held by the file at its new path; relying on rename detection would miss a move edited past its threshold."""


class NumbersUnavailable(Exception):
    """The branch to compare with does not exist, or git failed: no number can be called free."""


def reserved_numbers(root: Path) -> frozenset[str]:
    """Every 索引号 written in a content file of HEAD or of the default branch, or in one deleted from either.

    ``new`` adds the working tree's numbers; together they are every number ever used that this clone knows of.
    Without git, a site outside any repository has no history to read; inside one, no number is known to be free.
    """
    try:
        refs = _existing(root, ("HEAD", *DEFAULT_BRANCHES))
        found = {number for ref in refs for _path, text in _tree_texts(root, ref) for number in numbers_in(text)}
        found.update(number for _path, text in _deleted_texts(root, refs) for number in numbers_in(text))
    except GitMissing:
        if not _in_repository(root):
            return frozenset()
        raise NumbersUnavailable("站点在 git 仓库中，但无法运行 git，不能确定哪些索引号已经用过："
                                 "请安装 git，或确认它在 PATH 中") from None
    except GitFailed as exc:
        raise NumbersUnavailable(f"读取提交历史失败，无法确定哪些索引号已经用过：{exc}") from None
    return frozenset(found)


def _in_repository(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def used_numbers(root: Path, ref: str) -> UsedNumbers:
    """What ``ref`` (the default branch) holds that this branch's entries must not take again."""
    try:
        if not _existing(root, (ref,)):
            raise NumbersUnavailable(f"没有分支「{ref}」：--against 应为默认分支，如 origin/main"
                                     "（CI 中请先 git fetch 该分支）")
        tree = dict(_tree_texts(root, ref))
        base = _paths_at_fork(root, ref)
        gone = _deleted_texts(root, [ref])
    except GitFailed as exc:
        raise NumbersUnavailable(f"读取提交历史失败，无法与「{ref}」核对索引号：{exc}") from None
    owners = {path: own_number(text) for path, text in sorted(tree.items())}
    held: dict[str, str] = {}
    for path, number in owners.items():
        if number and not (path in base and not (root / path).exists()):  # else this branch moved or deleted it
            held.setdefault(number, path)
    deleted: dict[str, str] = {}
    for path, text in gone:  # newest deletion first: it names the file an editor most likely remembers
        number = own_number(text)
        if number and number not in owners.values():
            deleted.setdefault(number, path)
    mentioned = {n for text in (*tree.values(), *(text for _path, text in gone)) for n in numbers_in(text)}
    return UsedNumbers(ref, frozenset(mentioned), held, deleted, base | tree.keys(), base - tree.keys())


def _existing(root: Path, refs: Sequence[str]) -> list[str]:
    """The refs that name a commit, one per commit, in the order given; none outside git."""
    found: dict[str, str] = {}
    for ref in refs:
        commit = git_bytes(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", quiet_codes=(1,))
        if commit:
            found.setdefault(commit.decode().strip(), ref)
    return list(found.values())


def _tree_texts(root: Path, ref: str) -> Iterator[tuple[str, str]]:
    """``(path from the site root, the lines holding a number)`` per content file of ``ref``."""
    output = git_bytes(root, *_GREP, ref, "--", _PATHSPEC, quiet_codes=(1,)) or b""
    lines: dict[str, list[str]] = {}
    prefix = f"{ref}:"
    for record in output.decode("utf-8", errors="replace").split("\n"):
        name, _, line = record.partition("\0")
        if name.startswith(prefix):
            lines.setdefault(name[len(prefix):], []).append(line)
    for path, found in lines.items():
        yield path, "\n".join(found)


def _paths_at_fork(root: Path, ref: str) -> frozenset[str]:
    """The content paths of the commit where this branch left ``ref``; none without a common commit."""
    base = git_bytes(root, "merge-base", "HEAD", ref, quiet_codes=(1,))
    if not base:
        return frozenset()
    listing = git_bytes(root, "ls-tree", "-r", "--name-only", "-z", base.decode().strip(), "--", CONTENT_DIR) or b""
    return frozenset(path for path in listing.decode("utf-8", errors="replace").split("\0") if path)


def _deleted_texts(root: Path, refs: Sequence[str]) -> list[tuple[str, str]]:
    """``(path, last text)`` of every content file deleted in the history of ``refs``, newest deletion first."""
    if not refs:
        return []
    log = git_bytes(root, *_DELETED, *refs, "--", CONTENT_DIR) or b""
    wanted: list[tuple[str, str]] = []
    commit = ""
    for token in log.decode("utf-8", errors="replace").split("\0"):
        token = token.lstrip("\n")
        if token.startswith("\x1e"):
            commit = token[1:]
        elif token.endswith(ENTRY_SUFFIX) and commit and "\n" not in token:  # --batch reads one name a line
            wanted.append((token, f"{commit}^:./{token}"))
    if not wanted:
        return []
    output = git_bytes(root, "cat-file", "--batch", stdin="".join(f"{name}\n" for _p, name in wanted).encode()) or b""
    return [(path, text) for (path, _name), text in zip(wanted, _batch(output), strict=True)]


def _batch(output: bytes) -> Iterator[str]:
    """The texts of ``git cat-file --batch``'s answer, in order; empty for an object it calls missing."""
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if header[-1] == b"missing" or len(header) != 3:
            yield ""
            continue
        size = int(header[2])
        yield output[at:at + size].decode("utf-8", errors="replace")
        at += size + 1
