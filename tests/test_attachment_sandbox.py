"""Attachments a browser would run (pages, SVG, XML, scripts) reach the public sandboxed, never running on the site.

One tiny built site is served twice: by the real nginx with the shipped ``deploy/nginx.conf``, and by a real
``python build.py serve``, so editors see what the public sees. Its published entry attaches pages and an SVG that
write a marker into the site's localStorage if their script ever runs, and shows an SVG chart in its body.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

import pytest
from conftest import CATALOG, TODAY, Site, entry
from test_nginx import CSP, SANDBOX_CSP, SECURITY_HEADERS, fetch
from test_serve import running_preview
from webserver import DEPLOY_CONF, serve_site

from disclosure_site import pipeline
from disclosure_site.app.serve_app import SANDBOXED

MARKER = "localStorage.setItem('pwned', '{}')"
"""What every active file does if it runs: leave a mark in the localStorage of the site's origin."""
ALSO_JS = '<script src="evil.js"></script>'
"""The site's CSP already stops inline script; a same-origin script file is what gets past it."""
FILES = {
    "evil.html": f"<!DOCTYPE html><html><head><title>网页附件</title>{ALSO_JS}</head><body><script>{MARKER.format('html')};"
                 "document.title = 'PWNED';</script></body></html>",
    "Page.HTM": f"<html><head>{ALSO_JS}</head><body><script>{MARKER.format('htm')}</script></body></html>",
    "evil.svg": ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
                 f'onload="{MARKER.format("svg-onload")}"><script href="evil.js"/><script>{MARKER.format("svg")}</script>'
                 '<rect width="10" height="10" fill="red"/></svg>'),
    "evil.xml": ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><script src="evil.js"/></head><body>'
                 f"<script>{MARKER.format('xml')}</script></body></html>"),
    "evil.js": "localStorage.setItem('pwned', 'js from ' + location.pathname); window.pwned = 'js';",
    "chart.svg": ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">'
                  '<rect x="10" y="20" width="30" height="60" fill="#2a6"/></svg>'),
}
ACTIVE = ["evil.html", "Page.HTM", "evil.svg", "evil.xml", "evil.js"]
PDF = "方案.pdf"
ATTACHED = [*ACTIVE, PDF]
PAGE = "entries/2024-00001.html"
SANDBOX = {"X-Content-Type-Options": "nosniff", "Content-Disposition": "attachment"}


def url_of(base: str, name: str) -> str:
    return base + "files/news/" + urllib.request.quote(name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site's sources: one published entry attaching every file, with the chart as an image in its body."""
    site = Site(tmp_path_factory.mktemp("sandbox") / "site-root")
    site.write("catalog.yaml", CATALOG)
    attachments = ", ".join(f"{{file: {name}, title: 附件{number}}}" for number, name in enumerate(ATTACHED, start=1))
    site.write("content/news/a.md", entry(attachments=f"[{attachments}]").replace("正文。", "正文。\n\n![统计图](chart.svg)"))
    for name, text in FILES.items():
        site.write(f"content/news/{name}", text)
    shutil.copy(DEPLOY_CONF.parent.parent / "content/documents/normative/attachments/shanhuan-2018-429.pdf",
                site.root / "content/news" / PDF)
    return site


@pytest.fixture(scope="module")
def public(site: Site) -> Path:
    """The built site nginx serves (a folder of its own: the preview rebuilds ``site/``)."""
    out = site.root.parent / "public"
    outcome = pipeline.build(site.root, out, TODAY, strict=False, search=False)
    assert not outcome.report.fails(strict=False), [d.format() for d in outcome.report]
    for name in ATTACHED:
        assert (out / "files/news" / name).is_file(), name
    # A page under a folder named files (a sub-column "files"), not the attachments folder: no sandbox.
    (out / "documents/files").mkdir(parents=True)
    (out / "documents/files/index.html").write_text("<html><head></head><body>栏目</body></html>", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def servers(site: Site, public: Path) -> Iterator[dict[str, str]]:
    """Base URLs of the site on nginx and on the preview."""
    with ExitStack() as stack:
        nginx = stack.enter_context(serve_site(public))
        preview = stack.enter_context(running_preview(site.root))
        yield {"nginx": nginx, "preview": f"http://127.0.0.1:{preview.port}/"}


def test_the_preview_sandboxes_the_same_suffixes_as_nginx():
    location = re.search(r'location ~\* "\^/swhbj/files/\.\+\\\.\(\?:([a-z|]+)\)\$"', DEPLOY_CONF.read_text(encoding="utf-8"))
    assert location is not None, "deploy/nginx.conf 中没有附件沙箱的 location"
    assert {f".{suffix}" for suffix in location[1].split("|")} == SANDBOXED


@pytest.mark.parametrize("name", ACTIVE)
def test_nginx_sends_active_attachments_sandboxed_with_every_security_header(servers, name):
    reply = fetch(url_of(servers["nginx"], name))
    assert reply.status == 200
    assert reply.headers.get_all("Content-Security-Policy") == [SANDBOX_CSP]
    for header, value in {**SECURITY_HEADERS, "Content-Security-Policy": SANDBOX_CSP, **SANDBOX}.items():
        assert reply.header(header) == value, header
    assert reply.header("Cache-Control") == "no-cache"
    svg = name.endswith(".svg")
    assert reply.header("Content-Type") == ("image/svg+xml; charset=utf-8" if svg else "application/octet-stream")
    assert reply.body == FILES[name].encode()


@pytest.mark.parametrize("name", ACTIVE)
def test_the_preview_sends_active_attachments_sandboxed(servers, name):
    with urllib.request.urlopen(url_of(servers["preview"], name), timeout=10) as reply:
        assert reply.status == 200
        assert reply.headers["Content-Security-Policy"] == "sandbox"
        assert {header: reply.headers[header] for header in SANDBOX} == SANDBOX
        svg = name.endswith(".svg")
        assert reply.headers["Content-Type"] == ("image/svg+xml; charset=utf-8" if svg else "application/octet-stream")
        assert reply.read() == FILES[name].encode(), "附件原样提供，不插入预览的脚本"


@pytest.mark.parametrize(("server", "path"), [
    ("nginx", f"files/news/{PDF}"), ("preview", f"files/news/{PDF}"), ("nginx", PAGE), ("preview", PAGE),
    ("nginx", "documents/files/index.html"),
])
def test_other_files_are_not_sandboxed(servers, server, path):
    with urllib.request.urlopen(servers[server] + urllib.request.quote(path), timeout=10) as reply:
        assert reply.status == 200
        assert reply.headers["Content-Disposition"] is None
        assert reply.headers["Content-Security-Policy"] == (CSP if server == "nginx" else None)
        if path.endswith(".pdf"):
            assert reply.headers["Content-Type"] == "application/pdf", "PDF 照常在浏览器中打开"


def download(page: Any, url: str) -> str:
    """Navigate to ``url``, which must turn into a download; the suggested file name."""
    from playwright.sync_api import Error

    with page.expect_download(timeout=10_000) as info, suppress(Error):  # goto fails with "Download is starting"
        page.goto(url)
    name: str = info.value.suggested_filename
    return name


@pytest.mark.parametrize("server", ["nginx", "preview"])
def test_in_the_browser_no_active_attachment_runs_on_the_site(browser, servers, server):
    base = servers[server]
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(base + PAGE)
        title = page.title()
        for name in ["evil.html", "Page.HTM", "evil.svg", "evil.xml"]:  # opened directly: a download, not a page
            assert download(page, url_of(base, name)) == name
            # The page stays; right after the download starts its title can read "" for a moment (seen on the preview).
            page.wait_for_function("title => document.title === title", arg=title, timeout=5000)
            assert page.url == base + PAGE and page.title() == title
        # Loaded as a script by a page of the site (as an injected <script src> would): refused.
        loaded = page.evaluate("""url => new Promise(done => {
            const script = document.createElement("script");
            script.src = url;
            script.onload = () => done("loaded");
            script.onerror = () => done("refused");
            document.head.append(script);
        })""", url_of(base, "evil.js"))
        assert loaded == "refused"
        page.goto(base + PAGE)
        assert page.evaluate("[localStorage.getItem('pwned'), window.pwned]") == [None, None]
    finally:
        context.close()


@pytest.mark.parametrize("server", ["nginx", "preview"])
def test_in_the_browser_an_svg_in_a_body_still_shows(browser, servers, server):
    page = browser.new_page()
    try:
        page.goto(servers[server] + PAGE)
        image = page.locator('img[src$="chart.svg"]')
        assert image.count() == 1
        image.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [120, 80]
    finally:
        page.close()
