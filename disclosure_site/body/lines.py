"""Where in a body's text each of its links and headings is written.

Python-Markdown keeps no source positions, so each link and heading is looked for in the text, in document order:
the finished HTML gives the links, the headings and the text of every code element in the order they appear, and a
cursor moves through the text past each one (nothing is ever taken from this scan: the parser has found them all
already, and a heading is looked for as the line it was made from). A link or heading also written earlier inside
code is therefore found after that code, on its own line. A reference link's address is on its definition line, as
the editor wrote it.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Iterator

TAB_LENGTH = 4
"""Python-Markdown's: it reads every tab as spaces up to the next multiple of 4, in code too."""
Needles = tuple[str, ...]
"""Ways one thing may be written in the text, looked for together: the earliest found counts."""


def written(target: str) -> Needles:
    """An address or a code text as it may be written: as is, or with character references (``&amp;`` for ``&``)."""
    return tuple(dict.fromkeys((target, html.escape(target, quote=False), html.escape(target))))


def source_lines(marked: str, marker: str, wanted: dict[str, Needles], text: str) -> dict[str, int]:
    """The 0-based line of each mark in ``wanted`` that the HTML holds.

    ``marked`` is the sanitised HTML, in which ``key`` between two ``marker`` characters stands for something written
    as ``wanted[key]``: a link's address (key ``n``) or a heading's line (key ``h<n>``); marks not in ``wanted``
    (short-link titles) are passed over.
    """
    return _walk(list(_events(marked, marker, wanted)), text)


def _events(marked: str, marker: str, wanted: dict[str, Needles]) -> Iterator[tuple[str | None, Needles]]:
    """``(None, code text)`` and ``(mark, what it stands for)`` in document order.

    The sanitiser writes every ``<code>`` bare and escapes only ``&``, ``<``, ``>`` and no-break spaces in text,
    so its own output is read with one linear pattern.
    """
    pattern = re.compile(f"<code>(.*?)</code>|{re.escape(marker)}(h?[0-9]+){re.escape(marker)}", re.S)
    for match in pattern.finditer(marked):
        if match[1] is not None:
            yield None, written(html.unescape(match[1]))
        elif match[2] in wanted:
            yield match[2], wanted[match[2]]


def _walk(events: list[tuple[str | None, Needles]], text: str) -> dict[str, int]:
    text = text.expandtabs(TAB_LENGTH)  # as the converter reads it; the lines stay where they are
    starts = list(itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    finder = _Finder(text)
    found: dict[str, int] = {}
    after, line = 0, 0
    for key, needles in events:
        is_code = key is None
        at = finder.find(needles, after, wrap=not is_code) if needles[0] else None
        if at is not None:
            after = at + (len(needles[0]) if is_code else 1)
            line = line if is_code else bisect.bisect_right(starts, at) - 1
        if key is not None:
            found.setdefault(key, line)
    return found


class _Finder:
    """Looks for texts in a body within a budget linear in its length.

    A target written with escapes (``a\\_b``) is not found as the HTML has it; thousands of those must not cost
    thousands of passes over the body. Past the budget a link or heading takes the line of the one before it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.budget = 16 * len(text) + 65536

    def find(self, needles: Needles, start: int, *, wrap: bool) -> int | None:
        """Where one of ``needles`` is first written from ``start`` on (else, with ``wrap``, from the top)."""
        spans = ((start, len(self.text)), (0, start + len(needles[0]) * 6)) if wrap else ((start, len(self.text)),)
        for begin, end in spans:
            if found := [at for needle in needles if (at := self._find(needle, begin, end)) is not None]:
                return min(found)
        return None

    def _find(self, needle: str, begin: int, end: int) -> int | None:
        if self.budget <= 0:
            return None
        at = self.text.find(needle, begin, end)
        self.budget -= (at if at >= 0 else end) - begin
        return at if at >= 0 else None
