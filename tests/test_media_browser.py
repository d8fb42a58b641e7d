"""The demo's 图解 in Debian's Chromium on a phone, served by the real nginx with the shipped config: the image loads
(an SVG goes through the attachment sandbox and must still show), fits a 375 px screen at its own proportions, and
the page has no axe violations."""

from __future__ import annotations

from browser import SCREENSHOTS, describe, horizontal_overflow, run_axe
from conftest import DEMO_TODAY, REPO

from disclosure_site import pipeline
from disclosure_site.model import urls

PHONE = {"width": 375, "height": 667}


def graphic_page() -> tuple[str, tuple[int, int]]:
    """The address of the demo's published 图解 and the image's own size."""
    cat = pipeline.check(REPO, DEMO_TODAY).catalogue
    assert cat is not None
    entry = next(e for e in cat.published if e.media is not None and e.media.kind == "image")
    assert entry.media is not None and entry.media.size is not None
    return urls.entry_page(entry), entry.media.size


def test_the_graphic_is_shown_and_fits_a_phone_screen(browser, nginx_demo):
    path, (width, height) = graphic_page()
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(nginx_demo + path)
        page.wait_for_load_state("networkidle")
        image = page.locator(".media-figure img")
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") == width, "the image did not load"
        assert len(image.get_attribute("alt") or "") > 20
        box = image.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert abs(box["height"] / box["width"] - height / width) < 0.01, "the image is distorted"
        assert horizontal_overflow(page) <= 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "interpretation-graphic-phone.png"), full_page=True)
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
