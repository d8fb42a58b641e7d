"""Crawl the demo site under its sub-path, as served by the real nginx: 0 broken links, nothing escapes ``/swhbj/``.

The inspection indicators count every broken link (链接可用性). Starting from the home page (plus robots.txt,
which names the sitemap), the crawler requests every internal URL it finds: ``href``/``src``/``srcset`` in HTML
(and ``action`` of GET forms), ``url(…)`` in CSS, ``<loc>`` in sitemaps, ``<link>`` in Atom/RSS feeds, and the
addresses in the open data (``catalogue.json`` and the entry data files).
Absolute links to the production address (``base_url``, used by feeds, the sitemap and canonical links) are
internal: they are mapped onto the test server. Fragments must name an element of the page they point into.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree

import pytest
import yaml
from conftest import REPO

MAX_PAGES = 5000
"""A bound on the crawl: the demo has about 500 files; a link loop must not run forever."""
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class LinkParser(HTMLParser):
    """Links and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        """(how it was found, URL as written)."""
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        self.ids.update(values[name] for name in ("id", "name") if name in values and (name == "id" or tag == "a"))
        for name in ("href", "src"):
            if name in values:
                self.links.append((f"<{tag} {name}>", values[name]))
        if "srcset" in values:
            self.links += [(f"<{tag} srcset>", part.split()[0]) for part in values["srcset"].split(",") if part.strip()]
        if tag == "form" and values.get("method", "get").lower() == "get" and "action" in values:
            self.links.append(("<form action>", values["action"]))


def xml_links(body: bytes) -> list[tuple[str, str]]:
    """``<loc>`` of sitemaps, ``<link href>`` of Atom and ``<link>`` text of RSS."""
    links = []
    for element in ElementTree.fromstring(body).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "loc" and element.text:
            links.append(("<loc>", element.text.strip()))
        elif name == "link":
            target = element.get("href") or (element.text or "").strip()
            if target:
                links.append(("<link>", target))
    return links


def json_links(body: bytes, root: str) -> list[tuple[str, str]]:
    """Addresses in the open data: ``url`` and ``$id`` are absolute, ``path``/``data_path`` relative to the site root."""
    links: list[tuple[str, str]] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and key in ("url", "$id", "path", "data_path"):
                    links.append((f'"{key}"', item if key in ("url", "$id") else root + item))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(body))
    return links


@dataclass
class Crawl:
    """What the crawler found; URLs are absolute on the test server, without fragments."""

    base: str
    """``http://127.0.0.1:<port>/swhbj/``."""
    production: str
    """``base_url`` from catalog.yaml."""
    status: dict[str, int] = field(default_factory=dict)
    referrers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    escapes: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    """(page, fragment, where the link was)."""
    queue: list[str] = field(default_factory=list)

    def follow(self, page: str, how: str, written: str) -> None:
        """Queue an internal link; links to the production host count as internal whatever their scheme."""
        target, fragment = urldefrag(urljoin(page, written.strip()))
        parts, base = urlsplit(target), urlsplit(self.base)
        where = f"{page} 中的 {how}「{written}」"
        if parts.scheme not in ("http", "https"):  # mailto:, tel:
            return
        if parts.netloc not in (base.netloc, urlsplit(self.production).netloc):
            self.external.add(target)
            return
        if not parts.path.startswith(base.path):
            self.escapes.append(f"{where} → {target}")
            return
        url = urlunsplit((base.scheme, base.netloc, parts.path, "", ""))  # nginx serves files: a query selects nothing
        if fragment:
            self.fragments.append((url, fragment, where))
        if url not in self.status and url not in self.referrers:
            self.queue.append(url)
        self.referrers[url].append(where)

    def fetch(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                self.status[url] = response.status
                final, kind, body = response.url, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            self.status[url] = error.code
            return
        if not urlsplit(final).path.startswith(urlsplit(self.base).path):
            self.escapes.append(f"{url} 跳转到子路径以外：{final}")
        for how, written in self.links_in(final, kind, body):
            self.follow(final, how, written)

    def links_in(self, url: str, kind: str, body: bytes) -> list[tuple[str, str]]:
        if kind == "text/html":
            parser = LinkParser()
            parser.feed(body.decode("utf-8"))
            self.ids[url] = parser.ids
            return parser.links
        if kind == "text/css":
            return [("url()", match) for match in CSS_URL.findall(body.decode("utf-8"))]
        if kind == "application/json":
            return json_links(body, self.base)
        if url.endswith(".xml"):
            return xml_links(body)
        if url.endswith("/robots.txt"):
            return [("Sitemap:", line.split(":", 1)[1]) for line in body.decode("utf-8").splitlines()
                    if line.startswith("Sitemap:")]
        return []

    def run(self, *seeds: str) -> None:
        self.queue += seeds
        while self.queue:
            url = self.queue.pop()
            if url not in self.status:
                assert len(self.status) < MAX_PAGES, f"抓取超过 {MAX_PAGES} 个地址，可能有链接循环"
                self.fetch(url)


@pytest.fixture(scope="module")
def crawl(nginx_demo: str) -> Crawl:
    production = yaml.safe_load((REPO / "catalog.yaml").read_text(encoding="utf-8"))["site"]["base_url"]
    assert urlsplit(production).path == urlsplit(nginx_demo).path, "演示站点的 base_url 子路径应与 nginx 配置一致"
    result = Crawl(nginx_demo, production)
    # 404.html is reached through nginx's error_page, not a link; its links are written from the site root.
    result.run(nginx_demo, nginx_demo + "robots.txt", nginx_demo + "404.html")
    return result


def report(crawl: Crawl, urls: list[str]) -> str:
    lines = []
    for url in urls:
        lines.append(f"  {crawl.status.get(url)} {url}")
        lines += [f"      ← {where}" for where in crawl.referrers.get(url, [])[:3]]
    return "\n".join(lines)


def test_no_broken_links(crawl):
    broken = sorted(url for url, status in crawl.status.items() if status != 200)
    assert broken == [], f"{len(broken)} 个失效链接（共检查 {len(crawl.status)} 个地址）：\n{report(crawl, broken)}"


def test_no_link_leaves_the_sub_path(crawl):
    assert crawl.escapes == [], "链接越出 /swhbj/：\n" + "\n".join(crawl.escapes[:50])


def test_fragments_name_an_element_of_the_target_page(crawl):
    missing = sorted({f"{page}#{fragment}（{where}）" for page, fragment, where in crawl.fragments
                      if page in crawl.ids and fragment not in crawl.ids[page]})
    assert missing == [], "锚点不存在：\n" + "\n".join(missing[:50])


def test_every_published_entry_is_linked_from_a_page(crawl, demo_site):
    """Reachable by following links on pages, as a visitor would; catalogue.json alone does not count."""
    catalogue = json.loads((demo_site / "catalogue.json").read_text(encoding="utf-8"))
    assert len(catalogue) > 50
    pages = {crawl.base + record["path"] for record in catalogue}
    unlinked = sorted(url for url in pages if not any(" 中的 <a href>" in where for where in crawl.referrers.get(url, [])))
    assert unlinked == [], f"{len(unlinked)} 个已发布条目没有从首页经页面链接到达：\n" + "\n".join(unlinked)
    unreached = sorted({crawl.base + record["data_path"] for record in catalogue} - crawl.status.keys())
    assert unreached == [], "条目数据文件未被请求：\n" + "\n".join(unreached)
    for kind in ("sitemap.xml", "atom.xml", "rss.xml", "catalogue.json", "catalogue.csv"):
        assert crawl.base + kind in crawl.status, f"没有链接到 {kind}"


def test_the_crawl_saw_every_kind_of_link(crawl):
    """Guards the crawler itself: a parser that found nothing would pass every test above."""
    files = [url for url in crawl.status if "/files/" in url]
    assets = [url for url in crawl.status if "/assets/" in url]
    assert files and assets and crawl.external, (files[:3], assets[:3], sorted(crawl.external)[:3])
    assert any("<link>" in where for wheres in crawl.referrers.values() for where in wheres)
    assert any("<loc>" in where for wheres in crawl.referrers.values() for where in wheres)
