"""A finished body's HTML restyled for the WeChat 公众号 editor: every element carries its look in ``style``.

The 公众号 editor keeps inline styles on paste but drops stylesheets, classes, ids and scripts, and it strips links to
other sites. So each element of the sanitised body (:mod:`.markdown`) is written again as one the editor keeps
(``section``, ``p``, ``span``, ``strong``, ``img``, ``table`` …) with its font size in px, line height, colour and
margins inline; a link becomes its text followed by its address, and every address is absolute. The body is walked
as the parser reads it, element by element: nothing but tags the sanitiser lets through can reach here.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .gongwen import CLOSING, DATE, IMPRINT, SIGNATURE, TITLE

TEXT = "font-size:16px;line-height:1.75;color:#333333;overflow-wrap:break-word;"
"""Body text as the 公众号 shows it best on a phone."""
_BLOCK = "margin:0 0 16px;"
_HEADING = "margin:24px 0 12px;font-weight:bold;line-height:1.6;color:#222222;"
_CELL = "border:1px solid #999999;padding:6px 8px;vertical-align:top;text-align:left;"

STYLES: dict[str, tuple[str, str]] = {
    "p": ("p", _BLOCK + TEXT),
    "h2": ("p", _HEADING + "font-size:19px;"),
    "h3": ("p", _HEADING + "font-size:18px;"),
    "h4": ("p", _HEADING + "font-size:17px;"),
    "h5": ("p", _HEADING + "font-size:16px;"),
    "h6": ("p", _HEADING + "font-size:16px;"),
    "div": ("section", "margin:0;overflow-x:auto;"),
    "blockquote": ("section", _BLOCK + "padding:8px 12px;border-left:3px solid #cccccc;color:#555555;"),
    "figure": ("section", _BLOCK + "text-align:center;"),
    "figcaption": ("p", "margin:4px 0 0;font-size:14px;line-height:1.6;color:#888888;text-align:center;"),
    "pre": ("section", _BLOCK + "padding:8px;background-color:#f6f6f6;font-family:monospace;font-size:14px;"
            "line-height:1.6;white-space:pre-wrap;word-break:break-all;"),
    "ul": ("ul", _BLOCK + TEXT + "padding-left:2em;"),
    "ol": ("ol", _BLOCK + TEXT + "padding-left:2em;"),
    "li": ("li", "margin:0 0 4px;"),
    "dl": ("section", _BLOCK + TEXT),
    "dt": ("p", "margin:0;font-weight:bold;"),
    "dd": ("p", "margin:0 0 8px 2em;"),
    "hr": ("hr", "border:0;border-top:1px solid #dddddd;margin:16px 0;"),
    "strong": ("strong", "font-weight:bold;"),
    "b": ("strong", "font-weight:bold;"),
    "em": ("em", "font-style:italic;"),
    "i": ("em", "font-style:italic;"),
    "u": ("span", "text-decoration:underline;"),
    "ins": ("span", "text-decoration:underline;"),
    "s": ("span", "text-decoration:line-through;"),
    "del": ("span", "text-decoration:line-through;"),
    "sub": ("sub", "font-size:12px;"),
    "sup": ("sup", "font-size:12px;"),
    "code": ("span", "font-family:monospace;font-size:14px;background-color:#f6f6f6;"),
    "table": ("table", _BLOCK + "width:100%;border-collapse:collapse;font-size:14px;line-height:1.6;color:#333333;"),
    "caption": ("caption", "margin:0 0 8px;font-size:14px;font-weight:bold;text-align:center;"),
    "th": ("th", _CELL + "font-weight:bold;background-color:#f5f5f5;"),
    "td": ("td", _CELL),
    "img": ("img", "display:block;max-width:100%;height:auto;margin:0 auto 16px;"),
}
"""Each tag of the sanitised body → the tag the 公众号 keeps and its inline style."""
PLAIN = frozenset({"thead", "tbody", "tfoot", "tr", "br"})
"""Tags kept as they are: their look is their cells' or none."""
DROPPED = frozenset({"span", "abbr", "a"})
"""Tags whose text stays and the tag goes (a link's address is written after its text instead)."""
_CLASS_STYLES = {CLOSING: "text-align:right;", IMPRINT: "text-align:right;", SIGNATURE: "text-align:right;",
                 DATE: "text-align:right;", TITLE: "text-align:center;"}
"""A 公文's parts the page's stylesheet places, placed inline instead."""
_KEPT_ATTRIBUTES = {"img": ("alt", "width", "height"), "td": ("colspan", "rowspan"), "th": ("colspan", "rowspan"),
                    "ol": ("start",)}
_LINK = "color:#576b95;"
_ADDRESS = "font-size:14px;color:#888888;word-break:break-all;"
_VOID = frozenset({"br", "hr", "img"})


def inline_styled(fragment: str, page_url: str) -> str:
    """``fragment`` (a finished body, its addresses relative to ``page_url``) with its look inline and absolute
    addresses, for pasting into the 公众号 editor."""
    writer = _InlineWriter(page_url)
    writer.feed(fragment)
    writer.close()
    return "".join(writer.out)


def link_note(text: str, href: str, page_url: str) -> str:
    """What follows a link's text: its absolute address in brackets, unless the text already says it (or the link
    only leads within the page)."""
    if href.startswith("#") or not href.strip():
        return ""
    address = urljoin(page_url, href.strip())
    scheme = urlsplit(address).scheme
    shown = address.split(":", 1)[1] if scheme in ("mailto", "tel") else address
    return "" if shown in text or address in text else f"（{shown}）"


class _InlineWriter(HTMLParser):
    """Writes each element again as its :data:`STYLES` entry says; text is escaped as it was read."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.out: list[str] = []
        self.open: list[str | None] = []
        """The tag written for each open element (None: the element's tag was dropped)."""
        self.links: list[tuple[str, int]] = []
        """Each open link's address and where its text starts in :attr:`out`."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a":
            self.links.append((values.get("href", ""), len(self.out)))
            self.out.append(f'<span style="{_LINK}">')
            self.open.append("span")
            return
        written = self._start(tag, values)
        if tag not in _VOID:
            self.open.append(written)

    def _start(self, tag: str, values: dict[str, str]) -> str | None:
        if tag in PLAIN:
            self.out.append(f"<{tag}>")
            return tag
        if tag in DROPPED or tag not in STYLES:
            return None
        name, style = STYLES[tag]
        style += "".join(_CLASS_STYLES.get(word, "") for word in values.get("class", "").split())
        attributes = "".join(f' {key}="{html.escape(values[key])}"' for key in _KEPT_ATTRIBUTES.get(tag, ())
                             if key in values)
        if tag == "img":
            source = urljoin(self.page_url, values.get("src", ""))
            attributes = f' src="{html.escape(source)}"' + attributes
        self.out.append(f'<{name} style="{style}"{attributes}>')
        return name

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.open:
            return
        written = self.open.pop()
        if tag == "a" and self.links:
            href, start = self.links.pop()
            note = link_note(html.unescape("".join(self.out[start:])), href, self.page_url)
            self.out.append("</span>")
            if note:
                self.out.append(f'<span style="{_ADDRESS}">{html.escape(note, quote=False)}</span>')
            return
        if written is not None:
            self.out.append(f"</{written}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))
