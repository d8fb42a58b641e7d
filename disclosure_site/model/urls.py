"""Where each page lives in the output tree, and links between pages.

Entry pages are named after the 索引号 后段码, so titles, file names and even the
column can change without breaking a link. Pages link to each other relatively,
so the site works under any sub-path of ``base_url`` and when opened from disk.
"""

from __future__ import annotations

import functools
from urllib.parse import quote, urlsplit

from .entry import Attachment, Entry
from .site import Column, KeyArea

HOME = "index.html"
CATALOGUE_TREE = "catalogue.html"
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_CSV = "catalogue.csv"
"""The same records as catalogue.json, as a spreadsheet (UTF-8 with BOM)."""
CATALOGUE_SCHEMA = "schema/catalogue.schema.json"
ENTRY_SCHEMA = "schema/entry.schema.json"
ONCE = "once.html"
"""一次办 list: guides needing at most one visit."""
SEARCH = "search.html"
SITEMAP_PAGE = "sitemap.html"
"""网站地图 for people; ``sitemap.xml`` is for crawlers."""
ACCESSIBILITY = "accessibility.html"
"""无障碍声明."""
NOT_FOUND = "404.html"
DISCLOSURE_GUIDE = "disclosure-guide.html"
"""政府信息公开指南 (条例 第十二条)."""
BASIC_CATALOGUE = "basic-catalogue.html"
"""主动公开基本目录: every column and key area with its content, 责任部门, 更新频率 and last update (条例 第二十条)."""
STATUTORY = "statutory.html"
"""法定主动公开内容: the columns holding each kind of information 条例 第二十条 requires."""
REQUEST = "request.html"
"""依申请公开: how to apply, with the application form."""
SEARCHABLE_PAGES = (DISCLOSURE_GUIDE, REQUEST, BASIC_CATALOGUE, STATUTORY, ONCE, ACCESSIBILITY)
"""Generated pages that answer questions people search for; the search index holds them beside the entries."""
LINKABLE_PAGES = (HOME, CATALOGUE_TREE, SITEMAP_PAGE, *SEARCHABLE_PAGES)
"""Generated pages a 推荐 search result (best bet) may point to."""
ATOM_FEED = "atom.xml"
RSS_FEED = "rss.xml"


def entry_page(entry: Entry) -> str:
    """``entries/2018-00001.html``."""
    return f"entries/{entry.serial}.html"


WECHAT_SUFFIX = ".wechat.html"
"""Ends the name of an entry's page for the WeChat 公众号 editor: a copy of the entry, not a page of the site."""


def wechat_page(entry: Entry) -> str:
    """``entries/2018-00001.wechat.html``: the entry restyled inline, to paste into the 公众号 editor."""
    return f"entries/{entry.serial}{WECHAT_SUFFIX}"


def entry_data(entry: Entry) -> str:
    """``entries/2018-00001.json``: the entry's open-data record beside its page."""
    return f"entries/{entry.serial}.json"


def list_csv(entry: Entry) -> str:
    """``entries/2018-00001.csv``: a list's rows as a CSV download beside its page (made only with the page)."""
    return f"entries/{entry.serial}.csv"


def column_data(column: Column, suffix: str) -> str:
    """``documents/normative/catalogue.json`` (or ``.csv``): the column's slice of the catalogue."""
    return f"{column.path_text}/catalogue.{suffix}"


def column_page(column: Column, page: int = 1) -> str:
    """``documents/normative/index.html``, then ``page-2.html`` and so on."""
    name = "index.html" if page == 1 else f"page-{page}.html"
    return f"{column.path_text}/{name}"


def feed_paths(column: Column | None) -> tuple[str, str]:
    """``(atom path, rss path)`` of a column's feeds, or of the site-wide feeds for ``None``."""
    if column is None:
        return ATOM_FEED, RSS_FEED
    return f"{column.path_text}/{ATOM_FEED}", f"{column.path_text}/{RSS_FEED}"


def key_area_page(area: KeyArea) -> str:
    """``key-areas/<id>.html``."""
    return f"key-areas/{area.id}.html"


def attachment_file(attachment: Attachment) -> str:
    """``files/<path under content/>``."""
    return f"files/{attachment.content_path}"


def asset_file(name: str) -> str:
    """``assets/<name>`` (names are already fingerprinted)."""
    return f"assets/{name}"


def relative(from_page: str, to_path: str) -> str:
    """A link from one output file to another, URL-quoted.

    Both are clean relative paths inside the output, so the link is ``../`` per folder the page
    sits in below their common folder; ``posixpath.relpath`` would resolve absolute paths on every
    one of the hundreds of thousands of links in a large build.
    """
    start = from_page.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    return _quoted("../" * (len(start) - common) + "/".join(target[common:]))


@functools.lru_cache(maxsize=65536)
def _quoted(path: str) -> str:
    return quote(path)


def rooted(base_url: str, path: str) -> str:
    """A link from the host root: ``/swhbj/entries/2018-00001.html`` for a sub-path ``base_url``."""
    return urlsplit(base_url).path + quote(path)


def absolute(base_url: str, path: str) -> str:
    """The public address of an output file."""
    return base_url + quote(path)
