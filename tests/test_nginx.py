"""The shipped ``deploy/nginx.conf`` on the real nginx: types, charset, caching, security headers, gzip, sub-path, 404."""

from __future__ import annotations

import gzip
import http.client
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from webserver import DEPLOY_CONF, SUB_PATH, serve_site, server_config

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SANDBOX_CSP = "sandbox; " + CSP
"""The policy of attachments a browser would run (files/*.html, *.svg, *.js …): the site's, in a sandbox."""
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def fetch(url: str, headers: dict[str, str] | None = None) -> Reply:
    """One GET, no redirects followed and no decompression, so the test sees exactly what nginx sent."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        resp = conn.getresponse()
        return Reply(resp.status, resp.msg, resp.read())
    finally:
        conn.close()


def origin(base: str) -> str:
    """``http://127.0.0.1:<port>`` of a base URL."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


class References(HTMLParser):
    """Every ``href``, ``src`` and form ``action`` of a page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name in ("href", "src") or (tag == "form" and name == "action")):
                self.refs.append(value)


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.refs


def local_urls(page_url: str, html: str) -> list[str]:
    """The page's links and sources that stay on this site (relative or root-relative), resolved, without fragments."""
    urls = []
    for ref in references(html):
        if not ref or ref.startswith(("#", "//")) or urlsplit(ref).scheme:
            continue
        url = urldefrag(urljoin(page_url, ref)).url
        if url not in urls:
            urls.append(url)
    return urls


def security_problems(reply: Reply) -> list[str]:
    """Missing or wrong security headers of one response."""
    problems = [f"{name}: {reply.header(name)!r}，应为 {value!r}"
                for name, value in SECURITY_HEADERS.items() if reply.header(name) != value]
    csp = reply.header("Content-Security-Policy") or ""
    problems += [f"CSP 含 {bad}" for bad in ("unsafe-inline", "unsafe-eval") if re.search(rf"'{bad}'", csp)]
    return problems


# ---- the demo site ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(nginx_demo: str) -> Reply:
    return fetch(nginx_demo)


def stylesheet_url(nginx_demo: str, home: Reply) -> str:
    hrefs = [ref for ref in references(home.body.decode("utf-8")) if re.search(r"\.[0-9a-f]{10}\.css$", ref)]
    assert hrefs, "首页没有引用带指纹的样式表 assets/site.<hash>.css"
    return urljoin(nginx_demo, hrefs[0])


def test_home_page_is_utf8_html_that_is_revalidated(home):
    assert home.status == 200
    assert home.header("Content-Type") == "text/html; charset=utf-8"
    assert home.header("Cache-Control") == NO_CACHE


def test_fingerprinted_stylesheet_is_cached_for_a_year(nginx_demo, home, demo_site):
    url = stylesheet_url(nginx_demo, home)
    css = fetch(url)
    assert css.status == 200, url
    assert css.header("Content-Type") == "text/css; charset=utf-8"
    assert css.header("Cache-Control") == IMMUTABLE
    assert css.body == (demo_site / urlsplit(url).path.removeprefix(SUB_PATH)).read_bytes()


def test_a_missing_fingerprinted_file_is_not_cached_for_a_year(nginx_demo):
    reply = fetch(nginx_demo + "assets/site.0000000000.css")
    assert reply.status == 404
    assert reply.header("Cache-Control") == NO_CACHE


@pytest.mark.parametrize("kind", ["home page", "stylesheet", "missing page", "redirect", "directory", "outside the sub-path"])
def test_security_headers_on_every_response(nginx_demo, home, kind):
    url = {
        "home page": nginx_demo,
        "stylesheet": stylesheet_url(nginx_demo, home),
        "missing page": nginx_demo + "no-such-page.html",
        "redirect": nginx_demo.rstrip("/"),
        "directory": nginx_demo + "assets/",
        "outside the sub-path": origin(nginx_demo) + "/no-such-site/",
    }[kind]
    reply = fetch(url)
    assert security_problems(reply) == [], f"{kind} {url} → {reply.status}"


@pytest.mark.parametrize("what", ["stylesheet", "home page"])
def test_gzip_when_the_client_accepts_it(nginx_demo, home, demo_site, what):
    url = stylesheet_url(nginx_demo, home) if what == "stylesheet" else nginx_demo + "index.html"
    reply = fetch(url, {"Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in (reply.header("Vary") or "")
    assert gzip.decompress(reply.body) == (demo_site / urlsplit(url).path.removeprefix(SUB_PATH)).read_bytes()
    assert fetch(url).header("Content-Encoding") is None, "不支持 gzip 的客户端也应能取得原文"


def test_sub_path_without_slash_redirects(nginx_demo):
    reply = fetch(nginx_demo.rstrip("/"))
    assert reply.status == 301
    assert urljoin(nginx_demo, reply.header("Location") or "") == nginx_demo


def test_directory_without_slash_redirects_to_its_index(nginx_demo):
    reply = fetch(nginx_demo + "news")
    assert reply.status == 301
    target = urljoin(nginx_demo, reply.header("Location") or "")
    assert target == nginx_demo + "news/"
    assert fetch(target).status == 200


@pytest.mark.parametrize("path", [f"{SUB_PATH}no-such-page.html", f"{SUB_PATH}news/no/such/page", "/", "/other-site/x.html"])
def test_missing_page_gets_the_sites_404_page(nginx_demo, demo_site, path):
    page = demo_site / "404.html"
    assert page.is_file(), "生成结果中没有 404.html（nginx 配置的 error_page 404 指向它）"
    reply = fetch(origin(nginx_demo) + path, {"Accept-Encoding": "identity"})
    assert reply.status == 404
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert reply.header("Cache-Control") == NO_CACHE
    assert reply.body == page.read_bytes()


def test_the_404_page_links_work_at_any_depth(nginx_demo, demo_site):
    """404.html is shown under any address, so its own links must not be page-relative."""
    page_url = nginx_demo + "news/no/such/page.html"
    html = fetch(page_url).body.decode("utf-8")
    urls = local_urls(page_url, html)
    assert urls
    broken = [f"{url} → {status}" for url in urls if (status := fetch(url).status) != 200]
    assert broken == []


def test_no_directory_listing(nginx_demo):
    reply = fetch(nginx_demo + "assets/")
    assert reply.status in (403, 404)
    assert b"Index of" not in reply.body


def test_every_local_link_and_source_on_the_home_page_resolves(nginx_demo, home):
    """Relative references work under the sub-path: stylesheets, scripts, feeds, columns, entries, the search form."""
    urls = local_urls(nginx_demo, home.body.decode("utf-8"))
    assert len(urls) > 10
    broken = [f"{url} → {status}" for url in urls if (status := fetch(url).status) != 200]
    assert broken == []


def test_the_output_stamp_is_not_served(nginx_demo):
    """The build's hidden stamp file marks the folder for the tool; the public never sees it."""
    assert fetch(nginx_demo + ".disclosure-site").status == 403


def test_every_kind_of_published_file_has_a_real_content_type(nginx_demo, demo_site):
    """One file per suffix: nothing the build writes falls back to application/octet-stream (a download prompt)."""
    samples: dict[str, Path] = {}
    for path in sorted(demo_site.rglob("*")):
        if path.is_file() and "pagefind" not in path.relative_to(demo_site).parts and not path.name.startswith("."):
            samples.setdefault(path.suffix.lower(), path)
    problems = []
    for suffix, path in samples.items():
        reply = fetch(nginx_demo + path.relative_to(demo_site).as_posix())
        ctype = reply.header("Content-Type") or ""
        if reply.status != 200 or ctype.startswith("application/octet-stream"):
            problems.append(f"{suffix}: {path.relative_to(demo_site)} → {reply.status} {ctype}")
    assert problems == []


# ---- a made-up site with every kind of file the rules treat differently -----------------------------

SAMPLE_FILES = {
    # path: (Content-Type, Cache-Control)
    "index.html": ("text/html; charset=utf-8", NO_CACHE),
    "news/index.html": ("text/html; charset=utf-8", NO_CACHE),
    "assets/site.0123456789.css": ("text/css; charset=utf-8", IMMUTABLE),
    "assets/site.abcdef0123.js": ("application/javascript; charset=utf-8", IMMUTABLE),
    "assets/search.9876543210.js": ("application/javascript; charset=utf-8", IMMUTABLE),
    "assets/plain.css": ("text/css; charset=utf-8", NO_CACHE),
    "assets/site.0123456789abcdef.css": ("text/css; charset=utf-8", NO_CACHE),
    "assets/site.ABCDEF0123.css": ("text/css; charset=utf-8", NO_CACHE),
    "pagefind/pagefind.js": ("application/javascript; charset=utf-8", NO_CACHE),
    "pagefind/pagefind-worker.js": ("application/javascript; charset=utf-8", NO_CACHE),
    "pagefind/pagefind-ui.css": ("text/css; charset=utf-8", NO_CACHE),
    "pagefind/pagefind-entry.json": ("application/json; charset=utf-8", NO_CACHE),
    "pagefind/wasm.zh-cn.pagefind": ("application/octet-stream", NO_CACHE),
    "pagefind/pagefind.zh-cn_1a2b3c4.pf_meta": ("application/octet-stream", IMMUTABLE),
    "pagefind/fragment/zh-cn_65b83ce.pf_fragment": ("application/octet-stream", IMMUTABLE),
    "pagefind/index/zh-cn_5546f38.pf_index": ("application/octet-stream", IMMUTABLE),
    "pagefind/filter/zh-cn_27f9928.pf_filter": ("application/octet-stream", IMMUTABLE),
    "search/exact/2024-00001.json": ("application/json; charset=utf-8", NO_CACHE),
    "atom.xml": ("application/atom+xml; charset=utf-8", NO_CACHE),
    "rss.xml": ("application/rss+xml; charset=utf-8", NO_CACHE),
    "news/atom.xml": ("application/atom+xml; charset=utf-8", NO_CACHE),
    "news/rss.xml": ("application/rss+xml; charset=utf-8", NO_CACHE),
    "sitemap.xml": ("application/xml; charset=utf-8", NO_CACHE),
    "catalogue.json": ("application/json; charset=utf-8", NO_CACHE),
    "files/news/attachments/data.csv": ("text/csv; charset=utf-8", NO_CACHE),
    "files/news/attachments/DATA.CSV": ("text/csv; charset=utf-8", NO_CACHE),
    "files/news/attachments/report.pdf": ("application/pdf", NO_CACHE),
    "files/news/attachments/notes.txt": ("text/plain; charset=utf-8", NO_CACHE),
    "files/interpretations/talk.vtt": ("text/vtt; charset=utf-8", NO_CACHE),
    "search/engine.wasm": ("application/wasm", NO_CACHE),
    "robots.txt": ("text/plain; charset=utf-8", NO_CACHE),
    "404.html": ("text/html; charset=utf-8", NO_CACHE),
}
HIDDEN_FILES = [".env", ".git/config", "files/news/.DS_Store", "assets/.site.css.swp"]


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = tmp_path_factory.mktemp("nginx-sample") / "site"
    for rel in [*SAMPLE_FILES, *HIDDEN_FILES]:
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"<!-- {rel} -->\n".encode() + b"x" * 600)
    with serve_site(site) as base:
        yield base, site


@pytest.mark.parametrize("rel", list(SAMPLE_FILES))
def test_content_type_and_cache_of_each_kind_of_file(sample_server, rel):
    base, _ = sample_server
    reply = fetch(base + rel)
    assert reply.status == 200
    assert (reply.header("Content-Type"), reply.header("Cache-Control")) == SAMPLE_FILES[rel]
    assert security_problems(reply) == []


@pytest.mark.parametrize("rel", ["catalogue.json", "sitemap.xml", "atom.xml", "files/news/attachments/data.csv", "search/engine.wasm"])
def test_data_files_are_gzipped(sample_server, rel):
    base, site = sample_server
    reply = fetch(base + rel, {"Accept-Encoding": "gzip"})
    assert reply.header("Content-Encoding") == "gzip"
    assert gzip.decompress(reply.body) == (site / rel).read_bytes()


@pytest.mark.parametrize("rel", HIDDEN_FILES)
def test_hidden_files_are_denied(sample_server, rel):
    base, _ = sample_server
    reply = fetch(base + rel)
    assert reply.status in (403, 404)
    assert security_problems(reply) == []


# ---- the shipped file itself ------------------------------------------------------------------------


@dataclass
class Block:
    """One ``name args { ... }`` block of an nginx config: its own directives and nested blocks."""

    head: list[str]
    directives: list[list[str]]
    children: list[Block]

    def walk(self) -> Iterator[Block]:
        yield self
        for child in self.children:
            yield from child.walk()


def parse_nginx(text: str) -> Block:
    """A small parser for nginx syntax: comments, quoted strings, ``;`` and ``{ }`` (enough for deploy/nginx.conf)."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[{};]|[^\s{};"\']+', re.sub(r"(?m)(^|\s)#.*$", r"\1", text))
    root = Block(["main"], [], [])
    stack, words = [root], []
    for token in tokens:
        if token == ";":
            stack[-1].directives.append(words)
            words = []
        elif token == "{":
            block = Block(words, [], [])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"未结束的配置项 {words}"
            stack.pop()
        else:
            words.append(token[1:-1] if token[0] in "\"'" else token)
    assert len(stack) == 1 and not words, "花括号不配对"
    return root


def sandbox_location(config: Block) -> Block:
    """The one location that serves active attachments sandboxed."""
    found = [b for b in config.walk() if b.head[:2] == ["location", "~*"] and "files/" in b.head[2]]
    assert len(found) == 1, [b.head for b in found]
    return found[0]


def test_every_block_with_add_header_has_all_security_headers_with_always():
    """nginx drops inherited add_header in a block with its own: every such block must repeat all of them."""
    config = parse_nginx(DEPLOY_CONF.read_text(encoding="utf-8"))
    servers = [b for b in config.walk() if b.head == ["server"]]
    assert len(servers) == 1
    blocks = [b for b in config.walk() if any(d[0] == "add_header" for d in b.directives)]
    assert blocks == [servers[0], sandbox_location(config)]
    for block in blocks:
        headers = [d[1:] for d in block.directives if d[0] == "add_header"]
        expected = {**SECURITY_HEADERS, "Cache-Control": "$disclosure_cache_control"}
        if block is not servers[0]:
            expected["Content-Security-Policy"] = SANDBOX_CSP
        for name, value in expected.items():
            found = [h for h in headers if h[0].lower() == name.lower()]
            assert found == [[name, value, "always"]], f"{' '.join(block.head)}: {name} 应恰好出现一次且带 always，实际 {found}"


def test_the_tests_change_only_the_lines_a_bureau_changes():
    shipped = DEPLOY_CONF.read_text(encoding="utf-8")
    served = server_config(shipped, 8080, Path("/tmp/site"))
    changed = [(a, b) for a, b in zip(shipped.splitlines(), served.splitlines(), strict=True) if a != b]
    assert [b.strip() for _, b in changed] == ["listen 127.0.0.1:8080;", "server_name localhost;", 'alias "/tmp/site/";']


def test_the_sub_path_lines_match_the_demo_base_url():
    """The four sub-path lines a bureau edits are consistent with each other (and with the demo base_url)."""
    config = parse_nginx(DEPLOY_CONF.read_text(encoding="utf-8"))
    server = next(b for b in config.walk() if b.head == ["server"])
    locations = [b.head[1:] for b in server.children if b.head[0] == "location"]
    assert ["=", SUB_PATH.rstrip("/")] in locations and [SUB_PATH] in locations
    assert ["error_page", "404", f"{SUB_PATH}404.html"] in server.directives
    assert sandbox_location(config).head[2].startswith(f"^{SUB_PATH}files/")
    redirect = next(b for b in server.children if b.head == ["location", "=", SUB_PATH.rstrip("/")])
    assert redirect.directives == [["return", "301", SUB_PATH]]
    catalog = yaml.safe_load((DEPLOY_CONF.parent.parent / "catalog.yaml").read_text(encoding="utf-8"))
    assert urlsplit(catalog["site"]["base_url"]).path == SUB_PATH
