"""Giving out 索引号: the next free number, and the numbers another branch or the history already holds.

Pure functions over plain strings, so ``new`` and a later web form propose numbers the same way; reading the
numbers from git is :mod:`load.numbers`' work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_SERIAL = 99999
STUB_BODY = "<!-- 在此填写正文（Markdown） -->\n"
"""The whole body ``new`` writes: a file whose body is still only this was never written (STUB_UNEDITED)."""

_NUMBER = re.compile(r"([0-9A-Za-z]+)/(\d{4})-(\d{5})")
"""Any 索引号-shaped text. ``\\d`` on purpose: a number typed with full-width digits is refused by check, but once
retyped it is this number, so it stays reserved (``int()`` reads ０００９９ as 99)."""
_OWN_NUMBER = re.compile(r"""^\s*["']?(?:index_no|索引号)["']?\s*:\s*["']?([^"'#\s]+)""")
"""The front-matter line that gives a file its own 索引号 (others only mention one: interprets, links)."""


class NumbersExhausted(ValueError):
    """Every serial of the year is used."""


@dataclass(frozen=True)
class UsedNumbers:
    """What the default branch and its history say about 索引号, as read by :func:`load.numbers.used_numbers`."""

    ref: str = ""
    """The branch compared with (``origin/main``); empty outside git."""
    mentioned: frozenset[str] = frozenset()
    """Every 索引号 written anywhere in a content file of the default branch or of a file deleted from it."""
    held: Mapping[str, str] = field(default_factory=dict)
    """索引号 → the default branch's file holding it, unless this branch moved or deleted that file."""
    deleted: Mapping[str, str] = field(default_factory=dict)
    """索引号 → the deleted file that held it, for numbers no file on the default branch holds any more."""
    known: frozenset[str] = frozenset()
    """Files that are not new on this branch: on the default branch, or here when the branch forked."""
    left: frozenset[str] = frozenset()
    """Files this branch had when it forked that the default branch has moved or deleted since: merging carries
    that out, so their numbers are theirs, not taken again."""


def numbers_in(text: str) -> list[str]:
    """Every 索引号 written in ``text``, its own or mentioned (reserving too many is harmless; reusing is not)."""
    return [match[0] for match in _NUMBER.finditer(text)]


def own_number(text: str) -> str | None:
    """The 索引号 a content file's text gives itself, read from its ``index_no:`` line, or None."""
    for line in text.splitlines():
        if match := _OWN_NUMBER.match(line):
            return match[1]
    return None


def serial_of(index_no: str, org: str, year: int) -> int | None:
    """The serial of ``index_no`` when it is ``org``'s number of ``year`` (org compared case-blind), else None."""
    match = _NUMBER.fullmatch(index_no)
    if match is None or match[1].upper() != org.upper() or int(match[2]) != year:
        return None
    return int(match[3])


def next_free_number(org: str, year: int, used: Iterable[str]) -> str:
    """``org/year-NNNNN`` one past the highest serial of that org and year in ``used``.

    Gaps are never filled: a gap may be a deleted entry's number, and a number once given is never given again.
    ``used`` holds every number known: the working tree's, the default branch's and the history's.
    """
    serials = (serial_of(number, org, year) for number in used)
    serial = max((s for s in serials if s is not None), default=0) + 1
    if serial > MAX_SERIAL:
        raise NumbersExhausted(f"{year} 年的流水号已用到 {MAX_SERIAL}，无法再分配索引号")
    return f"{org}/{year}-{serial:05d}"


def serial_part(index_no: str) -> str:
    """``YYYY-NNNNN``, the 后段码 that names the page and the file."""
    return index_no.rsplit("/", 1)[-1]
