"""Using the demo site as people do: keyboard, 大字版 / 高对比度, printing, no JavaScript, Chinese search.

All against the real nginx serving the shipped config, in Debian's Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from browser import horizontal_overflow
from test_browser import PAGES, SEED_DOC_NO, SEED_TITLE, wait_for_results

SEED_INDEX_NO = "1144150000717074X7/2018-00215"
CHINESE_FAMILIES = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Source Han Sans SC", "Noto Sans CJK SC")


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (empty localStorage) at desktop width; popups and dialogs fail the test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    surprises: list[str] = []
    ctx.on("page", lambda page: page.on("dialog", lambda d: surprises.append(f"dialog {d.message}")))
    yield ctx
    pages = len(ctx.pages)
    ctx.close()
    assert surprises == [] and pages <= 1, "pop-ups are not allowed (适老化)"


def goto(ctx: Any, url: str) -> Any:
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def search(ctx: Any, base: str, query: str, **filters: str) -> Any:
    extra = "".join(f"&{name}={quote(value)}" for name, value in filters.items())
    page = goto(ctx, f"{base}search.html?q={quote(query)}{extra}")
    wait_for_results(page)
    return page


def result_titles(page: Any) -> list[str]:
    titles: list[str] = page.locator("[data-search-results] h3").all_inner_texts()
    return titles


# ── keyboard ──

def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(context, nginx_demo):
    page = goto(context, nginx_demo + PAGES["policy"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.height]; })()")
    assert box[0] >= 0 and box[1] > 0, "the skip link must become visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_control_is_reached_by_tab_with_a_visible_focus_indicator(context, nginx_demo):
    page = goto(context, nginx_demo + PAGES["policy"])
    page.evaluate("""window.__controls = Array.from(document.querySelectorAll('a[href], button, input, select, [tabindex="0"]'))
        .filter(e => e.offsetParent !== null && !e.closest('[hidden]'))""")
    count = page.evaluate("window.__controls.length")
    reached, unstyled = set(), []
    for _ in range(count + 3):
        page.keyboard.press("Tab")
        index, visible = page.evaluate("""(() => { const e = document.activeElement, s = getComputedStyle(e);
            return [window.__controls.indexOf(e),
                    s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none'] })()""")
        reached.add(index)
        if index >= 0 and not visible:
            unstyled.append(index)
    assert reached - {-1} == set(range(count))
    assert unstyled == []


# ── 大字版 and 高对比度 ──

@pytest.mark.parametrize(("label", "css_class"), [("大字版", "mode-large"), ("高对比度", "mode-contrast")])
def test_reading_mode_button_toggles_and_is_remembered_across_pages(context, nginx_demo, label, css_class):
    page = goto(context, nginx_demo + PAGES["policy"])
    button = page.get_by_role("button", name=label)
    assert button.get_attribute("aria-pressed") == "false"
    before = page.evaluate("[getComputedStyle(document.body).fontSize, getComputedStyle(document.body).backgroundColor]")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert css_class in page.evaluate("document.documentElement.className")
    after = page.evaluate("[getComputedStyle(document.body).fontSize, getComputedStyle(document.body).backgroundColor]")
    if css_class == "mode-large":
        assert float(after[0].removesuffix("px")) >= 1.3 * float(before[0].removesuffix("px"))
    else:
        assert after[1] == "rgb(0, 0, 0)"
    page.get_by_role("link", name="首页").first.click()
    page.wait_for_load_state("networkidle")
    assert css_class in page.evaluate("document.documentElement.className")
    assert page.get_by_role("button", name=label).get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name=label).click()
    page.reload()
    assert css_class not in page.evaluate("document.documentElement.className")


def test_large_text_and_zoom_together_do_not_scroll_sideways(browser, nginx_demo):
    # 400 % browser zoom of a 1280 px window lays the page out at 320 CSS px, here with 大字版 on top.
    ctx = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=4, locale="zh-CN")
    try:
        page = goto(ctx, nginx_demo + PAGES["policy"])
        page.get_by_role("button", name="大字版").click()
        assert horizontal_overflow(page) <= 0
    finally:
        ctx.close()


# ── printing and pages without JavaScript ──

def test_print_button_prints_and_print_stylesheet_drops_navigation(context, nginx_demo):
    context.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page = goto(context, nginx_demo + PAGES["policy"])
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    for selector in (".main-nav", ".reading-tools", ".site-search", ".breadcrumbs"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator("h1").is_visible() and page.locator(".metadata").is_visible()


def test_without_javascript_tools_stay_hidden_and_search_explains_how_to_browse(browser, nginx_demo):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = goto(ctx, nginx_demo + PAGES["policy"])
        for name in ("大字版", "高对比度", "打印本页"):
            assert page.get_by_role("button", name=name).count() == 0, name
        page = goto(ctx, nginx_demo + "search.html?q=" + quote("环境"))
        notice = page.locator("noscript").inner_text() if page.locator("noscript").count() else ""
        assert "目录树" in page.locator("main").inner_text() and "JavaScript" in page.locator("main").inner_text(), notice
        assert page.get_by_role("link", name="目录树").count() >= 1
    finally:
        ctx.close()


# ── CJK typography ──

def test_body_text_uses_chinese_system_fonts_at_reading_size(context, nginx_demo):
    fonts: list[str] = []
    context.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    page = goto(context, nginx_demo + PAGES["policy"])
    style = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.body p'));"
                          " return [s.fontFamily, s.fontSize, s.lineHeight]; })()")
    first_family = style[0].split(",")[0].strip().strip('"')
    assert first_family in CHINESE_FAMILIES
    size, line = float(style[1].removesuffix("px")), float(style[2].removesuffix("px"))
    assert 17.5 <= size <= 19.5 and line / size >= 1.7
    assert fonts == [], "no webfonts"


# ── search ──

def test_chinese_word_finds_pages_with_highlighted_excerpts(context, nginx_demo):
    page = search(context, nginx_demo, "噪声")
    assert len(result_titles(page)) >= 2
    marks = page.locator("[data-search-results] mark").all_inner_texts()
    assert marks and all("噪" in m or "声" in m for m in marks)
    first = page.locator("[data-search-results] li").first.inner_text()
    assert re.search(r"发布日期：\d{4}-\d{2}-\d{2}", first) and "栏目：" in first
    assert "索引号" not in page.locator(".excerpt").first.inner_text(), "the metadata block stays out of excerpts"


@pytest.mark.parametrize("query", [SEED_DOC_NO, "汕环[2018]429号", SEED_INDEX_NO, SEED_INDEX_NO.split("/")[1], SEED_TITLE])
def test_document_number_index_number_and_title_find_the_seed_policy_first(context, nginx_demo, query):
    page = search(context, nginx_demo, query)
    assert result_titles(page)[0] == SEED_TITLE
    page.locator("[data-search-results] h3 a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == SEED_TITLE


def test_filters_narrow_results_to_the_chosen_column_and_year(context, nginx_demo):
    page = search(context, nginx_demo, "环境", column="政策解读")
    lines = page.locator("[data-search-results] .result-meta").all_inner_texts()
    assert lines and all("栏目：政策解读" in line for line in lines)
    assert page.locator("#filter-column").input_value() == "政策解读"
    page = search(context, nginx_demo, "", year="2018")
    dates = page.locator("[data-search-results] time").all_inner_texts()
    assert dates and all(d.startswith("2018-") for d in dates)


def test_header_search_box_leads_to_results_on_a_phone(browser, nginx_demo):
    ctx = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN", has_touch=True, is_mobile=True)
    try:
        page = goto(ctx, nginx_demo + "index.html")
        page.get_by_label("站内搜索").fill("环境影响")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        wait_for_results(page)
        assert len(result_titles(page)) >= 3
        assert horizontal_overflow(page) <= 0
    finally:
        ctx.close()


def test_a_query_with_no_match_says_so_and_suggests_browsing(context, nginx_demo):
    page = search(context, nginx_demo, "量子计算机")
    assert "没有找到" in page.locator("[data-search-status]").inner_text()


def test_first_search_transfers_at_most_250_kb(browser, nginx_demo):
    ctx = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Encoding": "gzip"})
    sizes: list[int] = []
    ctx.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
    try:
        page = ctx.new_page()
        page.goto(nginx_demo + "search.html?q=" + quote("环境保护"))
        wait_for_results(page)
        page.wait_for_load_state("networkidle")
        assert len(sizes) > 5
        assert sum(sizes) <= 250 * 1024, f"{sum(sizes)} bytes in {len(sizes)} requests"
    finally:
        ctx.close()
