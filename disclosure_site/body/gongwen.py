"""A document's body laid out as a 公文 (GB/T 9704—2012): its 主送, 落款, 成文日期, 附件说明 and 版记 recognised.

Editors write the parts of a paper document as plain paragraphs and numbered headings (docs/editing.md says how).
Inside the one parse, after inline Markdown, the top-level blocks of a document's body are looked at in order and
the ones that are such parts get a class the stylesheet lays out: the 主送 flush left, the 落款 and date on the right,
the 版记 between two rules, each level of heading (一、（一）1.（1）) in its own face. Nothing else of the HTML
changes but those classes and the two boxes (落款 with its date, the 版记); bodies of other types are never looked at.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Protocol

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX

TO = "gw-to"
"""主送机关: the first line ending with a colon, before any sentence or heading of the text."""
SIGNATURE = "gw-sign"
"""发文机关署名 (落款): the short line right before the date."""
DATE = "gw-date"
"""成文日期: a line that is a date and nothing else."""
CLOSING = "gw-closing"
"""The 落款 and the date together, the name centred over the date (GB/T 9704 7.3.5.1)."""
ATTACHMENTS = "gw-attach"
"""附件说明: 附件：1. … (further attachments on the following lines of the same paragraph)."""
ANNEX = "gw-annex"
"""The label 附件 / 附件1 that opens an attachment's own text."""
NOTE = "gw-note"
"""公开方式 and 抄送 lines, flush left."""
IMPRINT = "gw-imprint"
"""版记: the printing office and the 印发 date, together between two rules."""
TITLE = "gw-title"
"""A heading without a number: the title of an attachment's text, centred."""
LEVELS = (("gw-l1", re.compile(r"[一二三四五六七八九十]+、")), ("gw-l2", re.compile(r"[（(][一二三四五六七八九十]+[）)]")),
          ("gw-l3", re.compile(r"[0-9]+[.．]")), ("gw-l4", re.compile(r"[（(][0-9]+[）)]")))
"""The four levels of 结构层次序数 and how a heading of each starts."""

CLASSES: dict[str, set[str]] = {
    "p": {TO, SIGNATURE, DATE, ATTACHMENTS, ANNEX, NOTE}, "div": {CLOSING, IMPRINT},
    **{f"h{level}": {TITLE, *(name for name, _start in LEVELS)} for level in range(2, 7)},
}
"""The classes the sanitiser keeps in a document's body (and only there)."""

_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_NUMERAL = "[0-9〇零一二三四五六七八九十]"
_DAY = f"{_NUMERAL}{{4}}年{_NUMERAL}{{1,3}}月{_NUMERAL}{{1,3}}日"
_DATE = re.compile(_DAY)
_PRINTED = re.compile(f"{_DAY}印发")
_ANNEX = re.compile(f"附件{_NUMERAL}*")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_LIST_MARKS = re.compile(r"[：:，,、]")
_SPACES = re.compile(r"\s+")  # full-width spaces too
_SIGNATURE_LENGTH = 40
"""Longer than any organ's name, shorter than a sentence."""


def plain(element: etree.Element, marker: str) -> str:
    """An element's text without spaces, with the marks of short links and links left out."""
    return re.sub(f"{marker}[0-9]+{marker}", "", _SPACES.sub("", "".join(element.itertext())))


class Layout:
    """What one document's parse found: the text of the lines that open the body, before its 主送 or first sentence."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.opening: list[str] = []

    def mark(self, root: etree.Element) -> None:
        """Give each recognised top-level block its class; note the opening lines."""
        blocks = list(root)
        texts = [_text(block, self.marker) for block in blocks]
        self._opening(blocks, texts)
        for block, text in zip(blocks, texts, strict=True):
            if block.get("class") is None:
                _classify(block, text or plain(block, self.marker))
        for at, block in reversed(list(enumerate(blocks))):
            box = CLOSING if block.get("class") == DATE else IMPRINT if _PRINTED.fullmatch(texts[at]) else None
            if box is None:
                continue
            signed = _signature(blocks, texts, at)
            if signed and box == CLOSING:
                blocks[at - 1].set("class", SIGNATURE)
            _wrap(root, blocks[at - 1:at + 1] if signed else [block], box)

    def _opening(self, blocks: list[etree.Element], texts: list[str]) -> None:
        """The title-like lines at the top, quoted notes aside; the first of them ending with a colon, if no heading
        came before, is the 主送 (lines before it are a header the page shows already)."""
        headed = False
        for block, text in zip(blocks, texts, strict=True):
            if block.tag == "blockquote":  # an editor's note above the document (「本文件已废止……」)
                continue
            if block.tag in _HEADINGS:
                headed = True
                self.opening.append(plain(block, self.marker))
                continue
            if not text or _SENTENCE_END.search(text):
                return
            if text.endswith(("：", ":")):
                if not headed:
                    block.set("class", TO)
                return
            self.opening.append(text)


def _text(block: etree.Element, marker: str) -> str:
    """A paragraph's text; empty for anything else, and for a paragraph that only holds pasted HTML (its class would
    stop Python-Markdown from putting the HTML back in its place)."""
    text = plain(block, marker) if block.tag == "p" else ""
    return "" if STX in text else text


def _classify(block: etree.Element, text: str) -> None:
    if block.tag in _HEADINGS:
        block.set("class", next((name for name, start in LEVELS if start.match(text)), TITLE))
    elif not text:
        return
    elif _DATE.fullmatch(text):
        block.set("class", DATE)
    elif text.startswith(("附件：", "附件:")):
        block.set("class", ATTACHMENTS)
    elif _ANNEX.fullmatch(text):
        block.set("class", ANNEX)
    elif text.startswith(("公开方式：", "公开方式:", "抄送：", "抄送:")):
        block.set("class", NOTE)


def _signature(blocks: list[etree.Element], texts: list[str], at: int) -> bool:
    """Whether the block before ``at`` is a short line without punctuation that ends a sentence or a list item: the
    organ signing (before a date), or the printing office (before a 印发 date)."""
    if not at or blocks[at - 1].get("class") is not None:
        return False
    text = texts[at - 1]
    return 0 < len(text) <= _SIGNATURE_LENGTH and not _SENTENCE_END.search(text) and not _LIST_MARKS.search(text)


def _wrap(root: etree.Element, blocks: list[etree.Element], name: str) -> None:
    """Put ``blocks``, neighbours at the top level, in one ``<div>`` of class ``name``."""
    box = etree.Element("div", {"class": name})
    box.text, box.tail = "\n", "\n"
    root.insert(list(root).index(blocks[0]), box)
    for block in blocks:
        root.remove(block)
        block.tail = "\n"
        box.append(block)


class Owner(Protocol):
    """What :class:`MarkLayout` belongs to: the extension, which holds the conversion under way."""

    layout: Layout | None
    """None for a body that is not a document's."""


class MarkLayout(Treeprocessor):
    """After inline Markdown (priority 20), before the table of contents: mark a document's parts."""

    def __init__(self, md: markdown.Markdown, owner: Owner) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        layout = self.owner.layout
        if layout is not None:
            layout.mark(root)
