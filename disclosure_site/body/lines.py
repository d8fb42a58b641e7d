"""Where in a body's text each of its links is written.

Python-Markdown keeps no source positions, so each link is looked for in the text, in document order: the finished
HTML gives the links and the text of every code element in the order they appear, and a cursor moves through the
text past each one (no link is ever taken from this scan: the parser has found them all already). A link whose
target was also written earlier inside code is therefore found after that code, on its own line. A reference
link's address is on its definition line, as the editor wrote it.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Iterator


def link_lines(marked: str, marker: str, links: dict[int, str], text: str) -> list[int]:
    """The 0-based line of each link, in document order.

    ``marked`` is the sanitised HTML, in which mark ``n`` (``n`` between two ``marker`` characters) stands for the
    address ``links[n]``; marks not in ``links`` (short-link titles) are passed over.
    """
    return _walk(list(_events(marked, marker, links)), text)


def _events(marked: str, marker: str, links: dict[int, str]) -> Iterator[tuple[bool, str]]:
    """``(True, code text)`` and ``(False, link target)`` in document order.

    The sanitiser writes every ``<code>`` bare and escapes only ``&``, ``<``, ``>`` and no-break spaces in text,
    so its own output is read with one linear pattern.
    """
    pattern = re.compile(f"<code>(.*?)</code>|{re.escape(marker)}([0-9]+){re.escape(marker)}", re.S)
    for match in pattern.finditer(marked):
        if match[1] is not None:
            yield True, html.unescape(match[1])
        elif int(match[2]) in links:
            yield False, links[int(match[2])]


def _walk(events: list[tuple[bool, str]], text: str) -> list[int]:
    starts = list(itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    finder = _Finder(text)
    found, after, line = [], 0, 0
    for is_code, needle in events:
        at = finder.find(needle, after, wrap=not is_code) if needle else None
        if at is not None:
            after = at + (len(needle) if is_code else 1)
            line = line if is_code else bisect.bisect_right(starts, at) - 1
        if not is_code:
            found.append(line)
    return found


class _Finder:
    """Looks for texts in a body within a budget linear in its length.

    A target written with escapes (``a\\_b``) is not found as the HTML has it; thousands of those must not cost
    thousands of passes over the body. Past the budget a link takes the line of the link before it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.budget = 16 * len(text) + 65536

    def find(self, target: str, start: int, *, wrap: bool) -> int | None:
        """Where ``target`` is written from ``start`` on (else, with ``wrap``, from the top), as is or with
        character references (``&amp;`` for ``&``)."""
        needles = dict.fromkeys((target, html.escape(target, quote=False), html.escape(target)))
        spans = ((start, len(self.text)), (0, start + len(target) * 6)) if wrap else ((start, len(self.text)),)
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
