"""Reaching people who read with difficulty: the three text sizes, tables on a phone, and 高对比度's marks, in Chromium
against the demo served by nginx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import SCREENSHOTS, horizontal_overflow, mode_script
from test_browser import PAGES

TABLE_PAGES = ("entry-annual_report", "entry-dataset", "entry-budget", "basic-catalogue")

NUMBER_CELLS = """() => [...document.querySelectorAll('main td, main th')]
  .filter((cell) => /^[0-9][0-9,.:%\\-]*[0-9%]$/.test(cell.textContent.trim()))
  .map((cell) => { const range = document.createRange(); range.selectNodeContents(cell);
                   const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                   return [cell.textContent.trim(), lines.size]; })"""

WIDE_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter((table) => table.scrollWidth > document.documentElement.clientWidth - 8)
  .map((table) => { const box = table.closest('.table-scroll');
                    return [table.querySelector('caption, th') ? table.querySelector('caption, th').textContent.trim() : '',
                            Boolean(box && box.getAttribute('role') === 'region' && box.tabIndex === 0 &&
                                    (box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')))]; })"""


def new_page(browser: Any, width: int, mode: str | None = None) -> Iterator[Any]:
    """A page in a fresh profile; with ``mode`` every page starts in that reading mode, as if chosen before."""
    ctx = browser.new_context(viewport={"width": width, "height": 667}, locale="zh-CN")
    if mode is not None:
        ctx.add_init_script(mode_script(mode))
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from new_page(browser, 375)


def size_buttons(page: Any) -> dict[str, str | None]:
    group = page.get_by_role("group", name="字号")
    return {name: group.get_by_role("button", name=name).get_attribute("aria-pressed")
            for name in ("标准", "大字版", "特大")}


def root_font_size(page: Any) -> float:
    size: str = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    return float(size.removesuffix("px"))


def test_text_size_has_three_steps_one_pressed_at_a_time_and_remembered(phone, nginx_demo):
    page = phone
    page.goto(nginx_demo + PAGES["policy"])
    assert size_buttons(page) == {"标准": "true", "大字版": "false", "特大": "false"}
    standard = root_font_size(page)
    group = page.get_by_role("group", name="字号")
    group.get_by_role("button", name="大字版").click()
    large = root_font_size(page)
    group.get_by_role("button", name="特大").click()
    assert size_buttons(page) == {"标准": "false", "大字版": "false", "特大": "true"}
    xlarge = root_font_size(page)
    assert large >= 1.3 * standard and xlarge >= 1.3 * large, (standard, large, xlarge)
    assert page.evaluate("document.documentElement.className").split().count("mode-xlarge") == 1
    assert "mode-large" not in page.evaluate("document.documentElement.className")
    page.goto(nginx_demo + "index.html")
    assert size_buttons(page)["特大"] == "true" and root_font_size(page) == xlarge
    page.get_by_role("group", name="字号").get_by_role("button", name="标准").click()
    assert size_buttons(page) == {"标准": "true", "大字版": "false", "特大": "false"}
    assert root_font_size(page) == standard
    page.reload()
    assert root_font_size(page) == standard


@pytest.mark.parametrize("mode", ["normal", "xlarge"])
@pytest.mark.parametrize("name", TABLE_PAGES)
def test_tables_scroll_in_their_own_named_box_and_figures_never_break(browser, nginx_demo, name, mode):
    for page in new_page(browser, 375, mode):
        page.goto(nginx_demo + PAGES[name])
        page.wait_for_load_state("networkidle")
        assert horizontal_overflow(page) <= 0
        wide = page.evaluate(WIDE_TABLES)
        assert all(boxed for _caption, boxed in wide), wide
        numbers = page.evaluate(NUMBER_CELLS)
        assert numbers, "the page has figures in its tables"
        broken = [text for text, lines in numbers if lines > 1]
        assert broken == [], f"figures split over lines on {name}: {broken}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"tables-{name}-{mode}-phone.png"), full_page=True)


def test_high_contrast_keeps_status_banners_and_focus_outlines_visible(browser, nginx_demo, demo_site):
    repealed = next(path for path in sorted((demo_site / "entries").glob("*.html"))
                    if '<p class="notice">本文件已' in path.read_text(encoding="utf-8"))
    for page in new_page(browser, 1280, "contrast"):
        page.goto(nginx_demo + f"entries/{repealed.name}")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        notice = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.notice'));
            return [s.borderTopColor, s.borderTopWidth, s.color]; })()""")
        assert notice[0] != background and float(notice[1].removesuffix("px")) >= 1 and notice[2] != background
        page.keyboard.press("Tab")
        outline = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()""")
        assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2 and outline[2] != background


def test_on_a_phone_the_larger_steps_leave_the_header_about_its_standard_height(browser, nginx_demo):
    """大字版 and 特大 enlarge what is read; the header keeps about its size, so the title still starts near the top."""
    heights = {}
    for mode in ("normal", "large", "xlarge"):
        for page in new_page(browser, 375, mode):
            page.goto(nginx_demo + PAGES["policy"])
            heights[mode] = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert heights["large"] <= 1.3 * heights["normal"] and heights["xlarge"] <= 1.3 * heights["normal"], heights
