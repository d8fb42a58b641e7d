"""Markdown bodies to safe HTML, in one parse that also finds the body's links and headings.

Editors paste tables from word processors, so safe HTML is kept; everything that
could run script, hide text or load from elsewhere is removed by an allowlist.
The sanitiser sees every ``href`` and ``src`` of the finished HTML (Markdown links,
images, reference links, pasted HTML), so nothing written inside code is a link.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from slugify import slugify

from ..model.body import Body, Heading, Link, Slot
from . import headings as heading_marks
from .gongwen import CLASSES, Layout, MarkLayout
from .headings import Headings
from .lines import source_lines, written

_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup",
    "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "abbr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "span", "div",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}

SHORT_LINK = r"\[\[\s*([^\[\]\s](?:[^\[\]\n]*[^\[\]\s])?)\s*\]\]"
"""``[[target]]``. The target starts and ends with a visible character, so the spaces around it have one reading:
a lazy ``\\s*(.+?)\\s*`` took minutes on a line of ``[[`` and spaces."""
_MARKERS = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))
"""Private-use characters: a slot is marked with one that the body does not contain."""


def is_ours(target: str) -> bool:
    """Whether an address is one we check and rewrite: not a web address, e-mail, anchor or empty."""
    target = target.strip()
    try:
        parts = urlsplit(target)
    except ValueError:  # "http://[" and the like: a broken web address, not a path of ours
        return False
    return not (parts.scheme or parts.netloc or target.startswith("#") or not parts.path)


class _Slots:
    """The slots one conversion makes, numbered in the order they are made."""

    def __init__(self, text: str) -> None:
        written = text + html.unescape(text) if "&" in text else text  # "&#xE000;" is that character too
        self.marker = next(chr(code) for code in itertools.chain(*_MARKERS) if chr(code) not in written)
        self.made: list[Slot] = []
        self.links: list[str] = []
        self.marks: dict[int, str] = {}
        """The target of each link's mark, by the mark's number."""
        self.shorts: list[str] = []

    def title(self, target: str) -> str:
        """A mark for the title of a short link's target."""
        self.shorts.append(target)
        return self._mark(Slot(title=True, index=len(self.shorts) - 1))

    def address(self, element: str, attribute: str, value: str) -> str | None:
        """nh3's ``attribute_filter``: each address of ours becomes a mark; everything else stays as it is."""
        if attribute not in ("href", "src") or not is_ours(value):
            return value
        self.links.append(value)
        self.marks[len(self.made)] = value
        return self._mark(Slot(title=False, index=len(self.links) - 1))

    def _mark(self, slot: Slot) -> str:
        self.made.append(slot)
        return f"{self.marker}{len(self.made) - 1}{self.marker}"

    def body(self, marked: str, text: str, found: Headings, layout: Layout | None) -> Body:
        """The finished HTML cut at the marks, with the links, headings and a document's opening lines found on the
        way."""
        wanted = {str(number): written(target) for number, target in self.marks.items()} | found.needles
        lines = source_lines(marked, self.marker, wanted, text) if wanted else {}
        marked, places = found.unmark(marked)
        pattern = re.compile(f"{self.marker}([0-9]+){self.marker}")
        cut = pattern.split(marked)
        slots = tuple(self.made[int(number)] for number in cut[1::2])
        links = tuple(Link(target, lines[str(number)]) for number, target in self.marks.items())
        marks = [match.span() for match in pattern.finditer(marked)]
        opening = tuple(layout.opening) if layout else ()
        return Body(tuple(cut[0::2]), slots, links, tuple(self.shorts), _headings(found, places, lines, marks), opening)


def _headings(found: Headings, places: dict[str, int], lines: dict[str, int], marks: list[tuple[int, int]]
              ) -> tuple[Heading, ...]:
    """Each heading the HTML holds, with where its tag starts: ``(part, offset)`` between the slot ``marks``."""
    starts = [start for start, _end in marks]
    headings = []
    for number, (level, text, ident) in enumerate(found.made):
        at = places.get(key := f"h{number}")
        if at is not None:
            part = bisect.bisect_right(starts, at)
            headings.append(Heading(level, text, ident, lines[key], part, at - (marks[part - 1][1] if part else 0)))
    return tuple(headings)


class _ShortLinks(InlineProcessor):
    """``[[target]]`` → ``<a href="target">`` with a slot for the target's title, shown as plain text."""

    def __init__(self, owner: _BodyExtension) -> None:
        super().__init__(SHORT_LINK)
        self.owner = owner

    def handleMatch(  # type: ignore[override]  # the stubs' Pattern and InlineProcessor disagree
            self, m: re.Match[str], data: str) -> tuple[etree.Element | str | None, int | None, int | None]:
        target = m.group(1)
        if not is_ours(target):  # a web address in [[ ]] stays text, as it always has
            return None, None, None
        link = etree.Element("a", {"href": target})
        link.text = AtomicString(self.owner.slots.title(target))
        return link, m.start(0), m.end(0)


class _DemoteTitles(Treeprocessor):
    """The page title is the only ``<h1>``: every heading of the first level in a body becomes ``<h2>``."""

    def run(self, root: etree.Element) -> None:
        for heading in root.iter("h1"):
            heading.tag = "h2"


class _AttrLists(AttrListTreeprocessor):
    """``{: …}`` at the end of a heading or table cell, found in linear time: upstream's pattern starts at each
    space of a run in turn, which is quadratic in a long run. Starting only where a run starts finds the same match."""

    HEADER_RE = re.compile(r"(?<![ ])[ ]+" + AttrListTreeprocessor.BASE_RE + r"[ ]*$")  # type: ignore[misc]


class _BodyExtension(Extension):
    """Short links, heading levels, headings and a document's layout; ``slots``, ``headings`` and ``layout`` are
    replaced before each conversion."""

    def __init__(self) -> None:
        super().__init__()
        self.slots = _Slots("")
        self.headings = Headings(self.slots.marker)
        self.layout: Layout | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After code spans (190) and backslash escapes (180), before reference and inline links (170, 160).
        md.inlinePatterns.register(_ShortLinks(self), "short_link", 175)
        # Before the table of contents (5) gives each heading its id.
        md.treeprocessors.register(_DemoteTitles(md), "demote_titles", 25)
        md.treeprocessors.register(_AttrLists(md), "attr_list", 8)
        # After inline Markdown (20), so a paragraph's text is what the page shows.
        md.treeprocessors.register(MarkLayout(md, self), "gongwen_layout", 7)
        heading_marks.register(md, self)


def _heading_id(value: str, separator: str) -> str:
    return slugify(value, separator=separator) or "section"


@functools.cache
def _converter() -> tuple[markdown.Markdown, _BodyExtension]:
    # Building a converter costs as much as converting a page; one per process, reset before each use.
    ours = _BodyExtension()
    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", "attr_list", ours],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-4"}},
        output_format="html",
    )
    return converter, ours


def parse_markdown(text: str, document: bool = False) -> Body:
    """Convert a body to safe HTML with a slot for each link of ours; ``#`` headings become ``<h2>``.

    A ``document``'s body is laid out as a 公文 too (:mod:`.gongwen`): its 主送, 落款 and the like get their class.

    Raises :class:`BodyTooDeep` where Python-Markdown recursed past Python's limit (check refuses the
    nesting it knows of; this catches any it does not).
    """
    converter, ours = _converter()
    ours.slots = slots = _Slots(text)
    ours.headings = found = Headings(slots.marker)
    ours.layout = layout = Layout(slots.marker) if document else None
    try:
        converted = converter.reset().convert(text)
    except RecursionError:
        _converter.cache_clear()  # a conversion stopped half-way may leave state behind
        raise BodyTooDeep from None
    clean = nh3.clean(converted, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                      link_rel="noopener noreferrer", strip_comments=True, attribute_filter=slots.address,
                      allowed_classes=CLASSES if document else None)
    return slots.body(_scrollable_tables(clean), text, found, layout)


class BodyTooDeep(Exception):
    """A body nested too deeply for Python-Markdown to convert."""


_FIGURE_CELL = re.compile(r"<td>([-+]?[0-9][0-9,.:/%\-]*[0-9%])</td>")
"""A cell holding one figure (an amount, a date, a percentage); the sanitiser leaves cells without attributes."""


def _scrollable_tables(fragment: str) -> str:
    """Wide pasted tables scroll inside a labelled, focusable box instead of widening the page on phones.

    Keyboard users can only scroll a box they can focus, and each box needs its own name. Inside the box a cell
    holding a figure is marked, so the figure is never broken over two lines (a browser may break 2024-05-06).
    """
    counter = itertools.count(1)
    fragment = re.sub(r"<table>", lambda _m: f'<div class="table-scroll" role="region" tabindex="0" '
                      f'aria-label="表格{next(counter)}（可左右滑动查看）"><table>', fragment)
    fragment = _FIGURE_CELL.sub(r'<td class="num">\1</td>', fragment)
    return fragment.replace("</table>", "</table></div>")
