"""A body's headings as the one parse makes them: level, text, id, where they are written and where the HTML has them.

Python-Markdown makes a heading from a ``#`` line or a setext underline (``===``, ``---``), never from a line inside
code or raw HTML. Its two block processors are replaced here by subclasses that remember the line each heading was
made from, so the heading can be looked for in the text in document order, as a link is (:mod:`.lines`). Once the
table of contents has given every heading its id, a mark is put in front of that id: where the sanitiser writes the
mark is where the heading's tag is in the finished HTML, and the mark is then taken out again.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Protocol

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import HashHeaderProcessor, SetextHeaderProcessor
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor

from .lines import Needles

_TAGS = frozenset(f"h{level}" for level in range(1, 7))


class Headings:
    """The headings one conversion makes; ``marker`` is the character the body does not contain."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.written: dict[etree.Element, Needles] = {}
        """What each heading element was made from, as it may be found in the text."""
        self.made: list[tuple[int, str, str]] = []
        """``(level, text, id)`` of each heading, in document order; ``h<n>`` marks heading ``n``."""
        self.needles: dict[str, Needles] = {}
        """What to look for in the text, by mark."""

    def mark(self, root: etree.Element, md: markdown.Markdown) -> None:
        """Note every heading of the finished tree and put a mark in front of its id."""
        for element in root.iter():
            if element.tag not in _TAGS:
                continue
            key = f"h{len(self.made)}"
            ident = element.get("id", "")
            self.made.append((int(element.tag[1]), self._text(element, md), ident))
            self.needles[key] = self.written.get(element, ("",))
            element.set("id", f"{self.marker}{key}{self.marker}{ident}")

    def _text(self, element: etree.Element, md: markdown.Markdown) -> str:
        """The heading as plain text, as the table of contents names it; a short link's title is only known per
        build and is left out."""
        text = html.unescape(strip_tags(render_inner_html(element, md)))
        return " ".join(re.sub(f"{self.marker}[0-9]+{self.marker}", "", text).split())

    def unmark(self, marked: str) -> tuple[str, dict[str, int]]:
        """The HTML without heading marks, and where each heading's tag starts in it, by mark.

        A heading the sanitiser dropped (text after an unclosed ``<textarea>``) is not on the page and has no place.
        """
        found: dict[str, int] = {}
        parts = re.split(f"{self.marker}(h[0-9]+){self.marker}", marked)
        length = 0
        for before, key in zip(parts[0:-1:2], parts[1::2], strict=True):  # a mark follows its tag's <h2 id="
            length += len(before)
            found.setdefault(key, length - len(before) + before.rfind("<"))
        return "".join(parts[0::2]), found


class Owner(Protocol):
    """What the processors below belong to: the extension, which holds the conversion under way."""

    headings: Headings


class HashHeadings(HashHeaderProcessor):
    """``#`` headings, remembering the line each was made from."""

    def __init__(self, parser: BlockParser, owner: Owner) -> None:
        super().__init__(parser)
        self.owner = owner

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = self.RE.search(blocks[0])
        super().run(parent, blocks)
        if match:
            _remember(self.owner, parent, (match[0].strip("\n"),))


class SetextHeadings(SetextHeaderProcessor):
    """Headings underlined with ``===`` or ``---``, remembering the lines each was made from."""

    def __init__(self, parser: BlockParser, owner: Owner) -> None:
        super().__init__(parser)
        self.owner = owner

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        title = blocks[0][:blocks[0].find("\n") + 1]  # with its line end: not a text ending a line of prose
        super().run(parent, blocks)
        _remember(self.owner, parent, (title,))


def _remember(owner: Owner, parent: etree.Element, needles: Needles) -> None:
    """The heading just made is the parent's last child: upstream parses the lines before it first."""
    if len(parent) and parent[-1].tag in _TAGS:
        owner.headings.written[parent[-1]] = needles


class MarkHeadings(Treeprocessor):
    """After the table of contents has given the ids: note each heading and mark its id."""

    def __init__(self, md: markdown.Markdown, owner: Owner) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        self.owner.headings.mark(root, self.md)


def register(md: markdown.Markdown, owner: Owner) -> None:
    """Replace upstream's heading processors (same names and priorities), and mark headings after the table of
    contents (priority 5) has given their ids."""
    md.parser.blockprocessors.register(HashHeadings(md.parser, owner), "hashheader", 70)
    md.parser.blockprocessors.register(SetextHeadings(md.parser, owner), "setextheader", 60)
    md.treeprocessors.register(MarkHeadings(md, owner), "mark_headings", 4)
