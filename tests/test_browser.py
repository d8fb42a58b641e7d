"""The demo site in a real browser (Chromium), served by the real nginx with the shipped config.

Every page type is checked with axe-core in the three reading modes at desktop and phone widths,
screenshotted to tests/artifacts/screenshots/, and checked for horizontal scrolling at 320 px.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest
from browser import MODES, SCREENSHOTS, WIDTHS, describe, horizontal_overflow, mode_script, run_axe

SEED_DOC_NO = "汕环〔2018〕429号"
SEED_TITLE = "关于印发《汕尾市环境保护局2018年政务公开工作要点分工方案》的通知"


def _demo_pages() -> dict[str, str]:
    """One address per page type: fixed pages, one entry of every content type, the seed policy."""
    from conftest import DEMO_TODAY, REPO

    from disclosure_site import pipeline
    from disclosure_site.model import urls

    outcome = pipeline.check(REPO, DEMO_TODAY)
    cat = outcome.catalogue
    assert cat is not None
    pages = {"home": "index.html", "column": "documents/index.html", "child-column": "documents/normative/index.html",
             "catalogue": "catalogue.html", "key-area": urls.key_area_page(cat.config.key_areas[0]),
             "search": "search.html?q=" + quote("环境"), "sitemap": "sitemap.html", "accessibility": "accessibility.html",
             "once": "once.html", "not-found": "no-such-page.html", "disclosure-guide": "disclosure-guide.html",
             "request": "request.html", "basic-catalogue": "basic-catalogue.html", "statutory": "statutory.html"}
    # 执行公开: the column page with every task's status (task overview and its per-status tables)
    pages["task-column"] = next(urls.column_page(c) for c in cat.config.all_columns() if c.type == "task")
    for entry in cat.published:
        pages.setdefault(f"entry-{entry.type}", urls.entry_page(entry))
        if getattr(entry.meta, "doc_no", None) == SEED_DOC_NO:
            pages["policy"] = urls.entry_page(entry)
    return pages


PAGES = _demo_pages()
PAGE_NAMES = sorted(PAGES)


def open_page(browser: Any, base: str, path: str, *, width: int, mode: str = "normal", javascript: bool = True) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", java_script_enabled=javascript)
    context.add_init_script(mode_script(mode))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.js_errors = errors
    page.status = response.status if response else 0
    return page


def wait_for_results(page: Any, timeout: float = 15.0) -> None:
    """Until the search page has shown results or said there are none.

    Polled from Python: Playwright's ``wait_for_function`` evaluates a string, which the site's
    Content-Security-Policy (no ``unsafe-eval``) rightly refuses.
    """
    deadline = time.monotonic() + timeout
    done = ("(() => { const s = document.querySelector('[data-search-status]').textContent;"
            " return !s.includes('正在搜索') && (document.querySelectorAll('[data-search-results] li').length > 0"
            " || s.includes('没有找到') || s.includes('暂时无法使用')); })()")
    while not page.evaluate(done):
        assert time.monotonic() < deadline, page.locator("[data-search-status]").inner_text()
        time.sleep(0.05)


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_axe_violations(browser, nginx_demo, demo_site, name, mode, width_name):
    path = PAGES[name]
    page = open_page(browser, nginx_demo, path, width=WIDTHS[width_name], mode=mode)
    try:
        if name == "search":
            wait_for_results(page)
        assert page.status == (404 if name == "not-found" else 200)
        assert page.js_errors == []
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        modes = [name for name in page.evaluate("document.documentElement.className").split() if name.startswith("mode-")]
        assert modes == ([] if mode == "normal" else [f"mode-{mode}"])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}-{width_name}.png"), full_page=True)
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_horizontal_scrolling_at_320px(browser, nginx_demo, demo_site, name, mode):
    page = open_page(browser, nginx_demo, PAGES[name], width=320, mode=mode)
    try:
        if name == "search":
            wait_for_results(page)
        assert horizontal_overflow(page) <= 0
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", ["normal", "xlarge"])
def test_the_annual_reports_key_area_table_scrolls_inside_its_region_on_a_phone(browser, nginx_demo, demo_site, mode):
    page = open_page(browser, nginx_demo, PAGES["entry-annual_report"], width=375, mode=mode)
    try:
        page.set_viewport_size({"width": 375, "height": 667})
        table = page.locator(".report-key-areas table")
        assert table.locator("caption").inner_text().startswith("重点领域信息公开情况（")
        assert set(table.locator("thead th").evaluate_all("cells => cells.map(c => c.scope)")) == {"col"}
        assert set(table.locator("tbody th").evaluate_all("cells => cells.map(c => c.scope)")) == {"row"}
        region = page.locator(".report-key-areas .table-scroll")
        assert (region.get_attribute("role"), region.get_attribute("tabindex")) == ("region", "0")
        scroll_width, client_width, right = region.evaluate(
            "e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]")
        assert right <= 375 and horizontal_overflow(page) <= 0, "the table never widens the page"
        # column names stay on one line, so on a phone the table is wider than the screen and scrolls in its own box
        assert scroll_width > client_width
        assert table.locator("thead th").evaluate_all("cells => cells.every(c => c.getClientRects().length === 1"
                                                      " && c.offsetHeight < 2.5 * parseFloat(getComputedStyle(c).lineHeight))")
        region.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        assert region.evaluate("e => e.scrollLeft") > 0, "the keyboard scrolls the focused table"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        region.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"annual-report-key-areas-{mode}-375.png"))
    finally:
        page.context.close()
