"""A phone's first screen: every page type shows its heading without scrolling, the columns fold behind a real menu
button, and a document's own text comes within two screens.

Positions are measured from the layout in Debian's Chromium against the demo served by the real nginx, at the size
of a common phone (375×667) and of a desktop (1280×800); screenshots of each page's first screen are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import SCREENSHOTS
from test_browser import PAGE_NAMES, PAGES

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
HEADING_LIMIT = 300
"""CSS px from the top of the page within which a phone must show the page's ``<h1>`` (demo notice included)."""


def top_of(page: Any, selector: str) -> float:
    """Distance in CSS px from the top of the document to the first element matching ``selector``."""
    found: float = page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    return found


def bottom_of(page: Any, selector: str) -> float:
    """Distance in CSS px from the top of the document to the bottom of the first element matching ``selector``."""
    found: float = page.locator(selector).first.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
    return found


@pytest.fixture
def open_at(browser: Any, nginx_demo: str) -> Iterator[Any]:
    """Open a demo page in a fresh profile at a given window size, with or without JavaScript."""
    contexts: list[Any] = []

    def opener(name: str, size: dict[str, int], *, javascript: bool = True) -> Any:
        ctx = browser.new_context(viewport=size, locale="zh-CN", java_script_enabled=javascript)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(nginx_demo + PAGES[name])
        page.wait_for_load_state("networkidle")
        return page

    yield opener
    for ctx in contexts:
        ctx.close()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_phone_shows_the_pages_heading_on_its_first_screen(open_at, name):
    page = open_at(name, PHONE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"first-screen-{name}-phone.png"))
    top = top_of(page, "main h1")
    assert top <= HEADING_LIMIT, f"{name}: <h1> starts at {top:.0f} px"
    assert page.locator("main h1").first.is_visible()
    assert bottom_of(page, "main h1") <= PHONE["height"], f"{name}: the title ends below the first screen"


@pytest.mark.parametrize("name", ["home", "column", "policy", "search"])
def test_a_desktop_shows_the_navigation_and_the_heading_at_once(open_at, name):
    page = open_at(name, DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"first-screen-{name}-desktop.png"))
    assert page.locator("#site-nav").is_visible()
    assert not page.locator(".menu-toggle").is_visible() and not page.locator(".menu-link").is_visible()
    # On a wide screen the heading (a document's starts with its 公文版头) starts in the upper half, the title ends on it.
    assert top_of(page, "main .gw-head, main h1") <= DESKTOP["height"] / 2
    assert bottom_of(page, "main h1") <= DESKTOP["height"]


def test_on_a_phone_the_columns_open_and_close_behind_one_menu_button(open_at):
    page = open_at("policy", PHONE)
    menu = page.get_by_role("button", name="栏目")
    nav = page.locator("#site-nav")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert menu.get_attribute("aria-controls") == "site-nav" and not nav.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "first-screen-menu-open-phone.png"))
    first_column = nav.get_by_role("link").first
    assert first_column.is_visible() and top_of(page, "#site-nav a") < PHONE["height"]
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-nav"
    menu.press("Enter")
    assert nav.is_visible()
    menu.press("Enter")
    assert not nav.is_visible()


def test_without_javascript_a_phone_reaches_the_columns_through_the_catalogue_tree(open_at):
    page = open_at("policy", PHONE, javascript=False)
    assert not page.locator(".menu-toggle").is_visible()  # a button that could do nothing is never shown
    link = page.locator(".menu-link")
    assert link.is_visible() and link.get_attribute("href").endswith("catalogue.html")
    assert top_of(page, "main h1") <= HEADING_LIMIT
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").inner_text() == "政府信息公开目录树"
    wide = open_at("policy", DESKTOP, javascript=False)
    assert wide.locator("#site-nav").is_visible() and not wide.locator(".menu-link").is_visible()


def test_a_documents_own_text_starts_within_two_phone_screens_and_can_be_jumped_to(open_at):
    page = open_at("policy", PHONE)
    text = "main .body p"
    assert top_of(page, text) <= 2 * PHONE["height"], f"正文从 {top_of(page, text):.0f} px 开始"
    page.get_by_role("link", name="跳到正文").click()
    assert page.evaluate("document.querySelector('main .body').getBoundingClientRect().top") < 5


# ── reaching people: a phone number is a tap away ──

UNLINKED_PHONES = """(() => {
  const pattern = /0\\d{2,3}-\\d{7,8}|12345/g;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const holder = node.parentElement;
    if (holder.closest('a[href^="tel:"], .body, script, [hidden]')) continue;
    const label = holder.closest('dd') && holder.closest('dd').previousElementSibling;
    if (label && label.textContent.trim() === '传真') continue;
    for (const match of node.textContent.matchAll(pattern)) found.push(match[0]);
  }
  return found;
})()"""


@pytest.mark.parametrize("name", ["entry-guide", "entry-organization", "disclosure-guide", "accessibility", "home",
                                  "not-found"])
def test_every_contact_phone_number_is_a_tel_link_and_fax_stays_text(open_at, name):
    page = open_at(name, PHONE)
    assert page.evaluate(UNLINKED_PHONES) == []
    links = page.locator('a[href^="tel:"]')
    assert links.count() >= 1
    for href, text in zip(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"), links.all_inner_texts(),
                          strict=True):
        assert href == "tel:" + "".join(ch for ch in text if ch.isdigit() or ch == "+")
    fax = page.locator("dt", has_text="传真")
    if fax.count():
        assert fax.first.locator("xpath=following-sibling::dd[1]//a").count() == 0


# ── 高对比度: every status mark stays visible ──



def _repealed_document() -> str:
    from conftest import DEMO_TODAY, REPO

    from disclosure_site import pipeline
    from disclosure_site.model import urls

    cat = pipeline.check(REPO, DEMO_TODAY).catalogue
    assert cat is not None
    return next(urls.entry_page(e) for e in cat.published if getattr(e.meta, "validity", None) in ("失效", "废止"))


@pytest.mark.parametrize(("path", "selector"), [("documents/index.html", ".badge"), (None, ".notice"),
                                                  (PAGES["entry-consultation"], ".status strong")])
def test_in_high_contrast_every_status_mark_keeps_its_text_and_border(browser, nginx_demo, path, selector):
    from browser import mode_script

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    ctx.add_init_script(mode_script("contrast"))
    try:
        page = ctx.new_page()
        page.goto(nginx_demo + (path or _repealed_document()))
        colours = page.locator(selector).first.evaluate(
            "e => { const s = getComputedStyle(e); return [s.color, s.borderTopColor, parseFloat(s.borderTopWidth),"
            " getComputedStyle(document.body).backgroundColor]; }")
        text, border, width, background = colours
        assert text != background and border != background and width >= 1, colours
    finally:
        ctx.close()
