"""Page-weight budgets, from the built files: what a phone on a slow connection must download.

Sizes are gzip-compressed as nginx sends them (level 6, the nginx default is 1, so this is slightly
optimistic per byte but the budgets leave wide margins). The search page's Pagefind bundle is
measured in a real browser in test_browser_use.py.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

CONTENT_PAGE_BUDGET = 30 * 1024
CSS_BUDGET = 20 * 1024
CONTENT_JS_BUDGET = 10 * 1024
FINGERPRINTED = re.compile(r"^(site|search|gongwen)\.[0-9a-f]{10}\.(css|js)$")


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def linked_assets(page: Path, site: Path) -> list[Path]:
    """Stylesheets and scripts a page loads (relative links resolved from the page)."""
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<script[^>]* src="([^"]+)"', html)
    # the 404 page links from the host root, under the demo's sub-path
    return [site / ref.removeprefix("/swhbj/") if ref.startswith("/") else (page.parent / ref).resolve() for ref in refs]


def content_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.name != "search.html"]


def test_every_asset_name_carries_its_content_hash(demo_site):
    import hashlib

    for asset in (demo_site / "assets").iterdir():
        assert FINGERPRINTED.match(asset.name), asset.name
        assert hashlib.sha256(asset.read_bytes()).hexdigest()[:10] == asset.name.split(".")[1]


def test_stylesheet_is_within_budget(demo_site):
    [css] = (demo_site / "assets").glob("site.*.css")
    assert css.stat().st_size <= CSS_BUDGET


@pytest.mark.parametrize("kind", ["entries", "lists"])
def test_content_pages_stay_within_budget(demo_site, kind):
    pages = [p for p in content_pages(demo_site) if (p.parent.name == "entries") == (kind == "entries")]
    assert pages
    for page in pages:
        assets = linked_assets(page, demo_site)
        scripts = [a for a in assets if a.suffix == ".js"]
        assert sum(a.stat().st_size for a in scripts) <= CONTENT_JS_BUDGET, page
        total = gzipped(page.read_bytes()) + sum(gzipped(a.read_bytes()) for a in assets)
        assert total <= CONTENT_PAGE_BUDGET, f"{page.relative_to(demo_site)}: {total} bytes"


def test_search_script_loads_only_on_the_search_page(demo_site):
    for page in content_pages(demo_site):
        assert not any(a.name.startswith("search.") for a in linked_assets(page, demo_site)), page
