"""两微一端: each published entry's page for the bureau's WeChat 公众号 and Weibo, and its share metadata.

The 公众号 page (``entries/<后段码>.wechat.html``) holds the entry restyled inline (:mod:`..body.wechat`), ready to
copy and paste into the 公众号 editor, and a short text for 微博. It is the published content and nothing more, made
with the entry's page from the same finished body, so it exists exactly while the entry is published; it is kept out
of the sitemap and the search index and asks search engines not to index it.
"""

from __future__ import annotations

from typing import Any

import markupsafe

from ..body.wechat import inline_styled
from ..model import urls
from ..model.entry import Entry
from ..model.site import SiteConfig
from ..outputs.feeds import SUMMARY_LENGTH, china_time, plain_text, shorten
from .templating import PageSpec

WEIBO_LENGTH = 140
"""Characters a 微博 may hold; its text is the title, cut to fit, and the page's address."""
_LINK_LENGTH = 23
"""What Weibo counts a link as, whatever its length (it shortens every link to a t.cn address)."""


def share_context(entry: Entry, html: str) -> dict[str, Any]:
    """What the entry page's share metadata says: its plain description and when it was published."""
    return {"share_description": share_description(entry, html),
            "published_time": china_time(entry.meta.published).isoformat()}


def share_description(entry: Entry, html: str) -> str:
    """内容概述, or the start of the body's text, or the title: plain text of at most 120 characters."""
    text = " ".join((entry.meta.summary or plain_text(html) or entry.meta.title).split())
    return shorten(text, SUMMARY_LENGTH - 1)  # the ellipsis of a cut text counts too


def wechat_spec(entry: Entry, html: str, config: SiteConfig) -> PageSpec:
    """The entry's 公众号 page from the finished body ``html`` of its page (the two pages share a folder, so the
    body's relative addresses hold for both)."""
    page = urls.wechat_page(entry)
    address = urls.absolute(config.site.base_url, urls.entry_page(entry))
    context = {"entry": entry, "meta": entry.meta, "original_url": address,
               "wechat_body": markupsafe.Markup(inline_styled(html, address)),
               "weibo_text": weibo_text(entry.meta.title, address)}
    return PageSpec("wechat.html", page, context, origin=entry.rel)


def weibo_text(title: str, address: str) -> str:
    """「title 原文链接：address」 within :data:`WEIBO_LENGTH`, the title cut with an ellipsis when too long."""
    tail = " 原文链接："
    room = WEIBO_LENGTH - len(tail) - _LINK_LENGTH
    return f"{shorten(title, room - 1)}{tail}{address}"
