"""Markdown bodies to safe HTML.

Editors paste tables from word processors, so safe HTML is kept; everything that
could run script, hide text or load from elsewhere is removed by an allowlist.
"""

from __future__ import annotations

import functools
import itertools
import re

import markdown
import nh3
from slugify import slugify

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


def _heading_id(value: str, separator: str) -> str:
    return slugify(value, separator=separator) or "section"


@functools.cache
def _converter() -> markdown.Markdown:
    # Building a converter costs as much as converting a page; one per process, reset before each use.
    return markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", "attr_list"],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-4"}},
        output_format="html",
    )


def render_markdown(text: str) -> str:
    """Convert a body to HTML and strip anything unsafe; ``#`` headings become ``<h2>``.

    Raises :class:`BodyTooDeep` where Python-Markdown recursed past Python's limit (check refuses the
    nesting it knows of; this catches any it does not).
    """
    try:
        html = _converter().reset().convert(_demote_top_headings(text))
    except RecursionError:
        _converter.cache_clear()  # a conversion stopped half-way may leave state behind
        raise BodyTooDeep from None
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                      link_rel="noopener noreferrer", strip_comments=True)
    return _scrollable_tables(clean)


class BodyTooDeep(Exception):
    """A body nested too deeply for Python-Markdown to convert."""


def _scrollable_tables(html: str) -> str:
    """Wide pasted tables scroll inside a labelled, focusable box instead of widening the page on phones.

    Keyboard users can only scroll a box they can focus, and each box needs its own name.
    """
    counter = itertools.count(1)
    html = re.sub(r"<table>", lambda _m: f'<div class="table-scroll" role="region" tabindex="0" '
                  f'aria-label="表格{next(counter)}（可左右滑动查看）"><table>', html)
    return html.replace("</table>", "</table></div>")


def _demote_top_headings(text: str) -> str:
    """The page title is the only ``<h1>``; a body ``# 标题`` becomes a second-level heading."""
    lines = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("# "):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines)
