"""Syndication outputs: Atom and RSS 2.0 feeds, sitemap.xml and robots.txt.

Everything here is built from ``Catalogue.published`` alone, so withheld, draft and
scheduled entries cannot leak into a feed or the sitemap. Dates come from the content,
the commits' dates and ``--today`` only, never from the clock, so equal inputs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from ..body.links import finish, parse
from ..core.values import Moment
from ..model import urls
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.site import Column
from ..model.urls import feed_paths

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND_PAGE = "404.html"
"""Error page: served for missing addresses, so it must not be offered to crawlers."""

FEED_SIZE = 50
"""Most recent entries per feed."""
SITEMAP_LIMIT = 50_000
"""URLs per sitemap file allowed by the sitemaps.org protocol; beyond it sitemap.xml becomes an index."""
SUMMARY_LENGTH = 120
"""Characters of body text used as the summary when an entry has no 内容概述."""
CHINA = dt.timezone(dt.timedelta(hours=8))
"""Editors write dates in Beijing time; a date without a time means 00:00 there."""
FEED_TAG_DATE = "2018"
"""Date part of feed-level tag URIs. Fixed, because a feed's id must never change; 2018 is the year
of the work plan that set up this catalogue, when the bureau already held its domain (RFC 4151)."""

# RSS mixes namespaces; without registered prefixes ElementTree would write ns0:/ns1:.
ET.register_namespace("atom", ATOM_NS)
ET.register_namespace("dc", DC_NS)

Row = tuple[str, dt.date | None]
"""A sitemap line: absolute address and last modification date."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "td", "th", "tr", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "pre", "dt", "dd", "figcaption", "caption", "hr"})


def syndication_files(edition: Edition, pages: Sequence[OutputFile]) -> list[OutputFile]:
    """Feeds for the site and every column, the sitemap of ``pages`` and robots.txt."""
    cat = edition.catalogue
    context = _Context(edition)
    files: list[OutputFile] = []
    for feed in _feeds(cat):
        atom_path, rss_path = feed_paths(feed.column)
        files.append(OutputFile(atom_path, _atom_feed(context, feed), origin="Atom 订阅"))
        files.append(OutputFile(rss_path, _rss_feed(context, feed), origin="RSS 订阅"))
    files += sitemap_files(edition, pages)
    files.append(robots_file(cat))
    return files


@dataclass(frozen=True)
class Feed:
    """One feed: its title, the column it follows (None for the whole site) and its entries, newest first."""

    title: str
    column: Column | None
    entries: list[Entry]

    @property
    def page(self) -> str:
        """The HTML page listing the same entries."""
        return urls.column_page(self.column) if self.column else urls.HOME

    @property
    def description(self) -> str:
        """What the feed carries, for readers that show a subtitle."""
        if self.column and self.column.description:
            return self.column.description
        return self.title


def _feeds(cat: Catalogue) -> Iterator[Feed]:
    base = f"{cat.config.site.name}政府信息公开目录"
    yield Feed(base, None, cat.published[:FEED_SIZE])
    # Empty columns get a feed too: a subscriber may follow a column before its first entry.
    for column in cat.config.all_columns():
        yield Feed(f"{base} - {column.title}", column, cat.in_column(column)[:FEED_SIZE])


class _Context:
    """The site's addresses and each entry's summary, worked out once for all feeds."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.cat = edition.catalogue
        self.site = self.cat.config.site
        self.host = urlsplit(self.site.base_url).hostname or ""
        self._summaries: dict[str, str] = {}

    def url(self, path: str) -> str:
        """Absolute address of an output file."""
        return urls.absolute(self.site.base_url, path)

    def entry_id(self, entry: Entry) -> str:
        """Tag URI from the 索引号 and its year, which never change, so readers keep the item when its
        title, column or even a corrected 发布日期 changes."""
        return f"tag:{self.host},{entry.serial[:4]}:{entry.meta.index_no}"

    def feed_id(self, path: str) -> str:
        """Tag URI of a feed, from its address."""
        return f"tag:{self.host},{FEED_TAG_DATE}:{urlsplit(self.url(path)).path}"

    def updated(self, entry: Entry) -> dt.datetime:
        """When the entry last changed (its 更新记录's 最近更新): the publication moment until a later day."""
        return last_change(entry, self.edition.revisions(entry).last_updated)

    def publisher(self, entry: Entry) -> str:
        """发布机构, defaulting to the site's name as on the entry page."""
        return entry.meta.publisher or self.site.name

    def column_title(self, entry: Entry) -> str:
        """Title of the column the entry sits in."""
        return self.cat.config.by_path[entry.column_path].title

    def summary(self, entry: Entry) -> str:
        """内容概述, or the start of the body's text; an entry in several feeds is rendered once."""
        if entry.meta.summary:
            return entry.meta.summary
        if entry.meta.index_no not in self._summaries:
            self._summaries[entry.meta.index_no] = self._body_start(entry)
        return self._summaries[entry.meta.index_no]

    def _body_start(self, entry: Entry) -> str:
        # Short links show the linked title, not a bare 索引号.
        body = finish(parse(entry, self.cat.steps), self.cat.links.of(entry.rel), urls.entry_page(entry))
        return shorten(plain_text(body), SUMMARY_LENGTH)


class _TextOnly(HTMLParser):
    """Collects the text of sanitised body HTML, with a space where a block ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Chinese has no spaces between words, so only block boundaries become spaces.
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment with whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def shorten(text: str, length: int) -> str:
    """At most ``length`` characters, with an ellipsis when cut."""
    return text if len(text) <= length else text[:length].rstrip() + "…"


def china_time(moment: Moment) -> dt.datetime:
    """A publication moment in Beijing time; a bare date means 00:00."""
    return dt.datetime.combine(moment.date, moment.time or dt.time.min, tzinfo=CHINA)


def last_change(entry: Entry, last_updated: dt.date) -> dt.datetime:
    """The publication moment while nothing changed on a later day, else 00:00 Beijing time of that day."""
    if last_updated > entry.meta.published.date:
        return china_time(Moment(last_updated))
    return china_time(entry.meta.published)


def _updated(context: _Context, feed: Feed) -> dt.datetime:
    # The entries, not the clock, date the feed: rebuilding unchanged content changes nothing.
    if feed.entries:
        return max(context.updated(entry) for entry in feed.entries)
    return china_time(Moment(context.cat.today))


def _add(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    """A child element with text; characters XML 1.0 forbids are dropped so the feed always parses."""
    child = ET.SubElement(parent, tag, attrs)
    child.text = _NOT_XML.sub("", text)
    return child


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _atom_feed(context: _Context, feed: Feed) -> bytes:
    """An Atom 1.0 document (RFC 4287) of the feed."""
    path = feed_paths(feed.column)[0]
    # A literal xmlns keeps the Atom elements unprefixed; ElementTree cannot do that with unprefixed attributes.
    root = ET.Element("feed", {"xmlns": ATOM_NS, "{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _add(root, "title", feed.title)
    _add(root, "subtitle", feed.description)
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=context.url(path))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=context.url(feed.page))
    _add(root, "id", context.feed_id(path))
    _add(root, "updated", _updated(context, feed).isoformat())
    _add(ET.SubElement(root, "author"), "name", context.site.name)
    for entry in feed.entries:
        _atom_entry(context, root, entry)
    return _xml(root)


def _atom_entry(context: _Context, root: ET.Element, entry: Entry) -> None:
    node = ET.SubElement(root, "entry")
    _add(node, "title", entry.meta.title, type="text")
    ET.SubElement(node, "link", rel="alternate", type="text/html", href=context.url(urls.entry_page(entry)))
    _add(node, "id", context.entry_id(entry))
    _add(node, "published", china_time(entry.meta.published).isoformat())
    # The same last change as the page's 最近更新 and the data file's last_updated.
    _add(node, "updated", context.updated(entry).isoformat())
    _add(ET.SubElement(node, "author"), "name", context.publisher(entry))
    ET.SubElement(node, "category", term=context.column_title(entry))
    summary = context.summary(entry)
    if summary:
        _add(node, "summary", summary, type="text")


def _rss_feed(context: _Context, feed: Feed) -> bytes:
    """An RSS 2.0 document of the feed, with the atom:link self reference the RSS Advisory Board recommends."""
    path = feed_paths(feed.column)[1]
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    _add(channel, "title", feed.title)
    _add(channel, "link", context.url(feed.page))
    _add(channel, "description", feed.description)
    _add(channel, "language", "zh-CN")
    _add(channel, "lastBuildDate", email.utils.format_datetime(_updated(context, feed)))
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", rel="self", type="application/rss+xml", href=context.url(path))
    for entry in feed.entries:
        _rss_item(context, channel, entry)
    return _xml(root)


def _rss_item(context: _Context, channel: ET.Element, entry: Entry) -> None:
    item = ET.SubElement(channel, "item")
    _add(item, "title", entry.meta.title)
    _add(item, "link", context.url(urls.entry_page(entry)))
    summary = context.summary(entry)
    if summary:
        # RSS readers render <description> as HTML, so plain text is escaped to show as written.
        _add(item, "description", html.escape(summary, quote=False))
    # RSS <author> must be an e-mail address; the publisher's name goes in dc:creator instead.
    _add(item, f"{{{DC_NS}}}creator", context.publisher(entry))
    _add(item, "category", context.column_title(entry))
    _add(item, "guid", context.entry_id(entry), isPermaLink="false")
    _add(item, "pubDate", email.utils.format_datetime(china_time(entry.meta.published)))


def sitemap_pages(pages: Sequence[OutputFile]) -> list[str]:
    """Paths of the generated HTML pages a crawler should index (copied files are not pages, and an entry's
    公众号 page is a copy of its page for editors to paste)."""
    return [p.path for p in pages if p.path.endswith(".html") and p.copy_from is None and p.path != NOT_FOUND_PAGE
            and not p.path.endswith(urls.WECHAT_SUFFIX)]


def page_dates(edition: Edition) -> Callable[[str], dt.date | None]:
    """When each page last changed: an entry page on its 最近更新, a column's pages with the column's
    newest entry, every other list page with the site's newest entry."""
    cat = edition.catalogue
    newest = cat.published[0].meta.published.date if cat.published else None
    entries = {urls.entry_page(e): edition.revisions(e).last_updated for e in cat.published}
    columns: dict[str, dt.date | None] = {}
    for column in cat.config.all_columns():
        listed = cat.in_column(column)
        columns[column.path_text] = listed[0].meta.published.date if listed else newest

    def lastmod(path: str) -> dt.date | None:
        if path in entries:
            return entries[path]
        return columns.get(posixpath.dirname(path), newest)
    return lastmod


def sitemap_files(edition: Edition, pages: Sequence[OutputFile]) -> list[OutputFile]:
    """sitemap.xml, or when there are too many pages an index at sitemap.xml over sitemap-1.xml…"""
    cat = edition.catalogue
    base = cat.config.site.base_url
    lastmod = page_dates(edition)
    rows = sorted((urls.absolute(base, path), lastmod(path)) for path in sitemap_pages(pages))
    if len(rows) <= SITEMAP_LIMIT:
        return [OutputFile(SITEMAP, _urlset(rows), origin="sitemap")]
    chunks = [rows[start:start + SITEMAP_LIMIT] for start in range(0, len(rows), SITEMAP_LIMIT)]
    files = [OutputFile(f"sitemap-{number}.xml", _urlset(chunk), origin="sitemap")
             for number, chunk in enumerate(chunks, start=1)]
    index = [(urls.absolute(base, f.path), _newest(chunk)) for f, chunk in zip(files, chunks, strict=True)]
    return [OutputFile(SITEMAP, _sitemap_index(index), origin="sitemap"), *files]


def _newest(rows: list[Row]) -> dt.date | None:
    dates = [date for _, date in rows if date is not None]
    return max(dates) if dates else None


def _urlset(rows: list[Row]) -> bytes:
    return _sitemap_xml("urlset", "url", rows)


def _sitemap_index(rows: list[Row]) -> bytes:
    return _sitemap_xml("sitemapindex", "sitemap", rows)


def _sitemap_xml(root_tag: str, row_tag: str, rows: list[Row]) -> bytes:
    root = ET.Element(root_tag, xmlns=SITEMAP_NS)
    for loc, date in rows:
        row = ET.SubElement(root, row_tag)
        _add(row, "loc", loc)
        if date is not None:
            _add(row, "lastmod", date.isoformat())
    return _xml(root)


def robots_file(cat: Catalogue) -> OutputFile:
    """robots.txt allowing everything and naming the sitemap."""
    base = cat.config.site.base_url
    parts = urlsplit(base)
    lines = [
        f"# 搜索引擎只读取网站根目录的 robots.txt（{parts.scheme}://{parts.netloc}/robots.txt）。"
        "本站部署在子路径下时，本文件不会被读取，请把下面的 Sitemap 行加到门户网站根目录的 robots.txt 中。",
        "User-agent: *",
        "Allow: /",
        f"Sitemap: {urls.absolute(base, SITEMAP)}",
    ]
    return OutputFile(ROBOTS, ("\n".join(lines) + "\n").encode("utf-8"), origin="robots.txt")
