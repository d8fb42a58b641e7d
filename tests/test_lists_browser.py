"""公共清单 in a real browser at 375 px: the filter box hides rows that do not match and says how many are left;
without JavaScript there is no box and the whole table shows. Against the demo served by the real nginx."""

from __future__ import annotations

from typing import Any

from browser import SCREENSHOTS, describe, horizontal_overflow, run_axe
from playwright.sync_api import expect
from test_browser import open_page

CERTIFICATES = "entries/2019-00175.html"
"""The demo's 证照、证明材料清单: 8 rows, 3 of them for 排污许可证核发."""


def rows_shown(page: Any) -> list[str]:
    return [row.inner_text() for row in page.locator("#list-rows tbody tr").all() if row.is_visible()]


def test_the_filter_hides_rows_that_do_not_match_and_announces_the_count(browser, nginx_demo):
    page = open_page(browser, nginx_demo, CERTIFICATES, width=375)
    try:
        assert page.js_errors == []
        box = page.get_by_label("在本清单中筛选")
        status = page.get_by_role("status")
        assert box.is_visible() and status.inner_text() == "共 8 项"
        assert status.get_attribute("aria-live") == "polite"
        assert box.bounding_box()["width"] <= 375
        box.fill("排污许可")
        expect(status).to_have_text("显示 3 项，共 8 项")  # after typing pauses
        shown = rows_shown(page)
        assert len(shown) == 3 and all("排污许可证核发" in row for row in shown)
        box.fill("排污许可 营业执照")  # every word must be in the row
        expect(status).to_have_text("显示 1 项，共 8 项")
        assert len(rows_shown(page)) == 1
        assert horizontal_overflow(page) == 0, "the table scrolls inside its own frame, never the page"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "list-filter-phone.png"), full_page=True)
        violations = run_axe(page)
        assert violations == [], describe(violations)
        box.fill("没有这样的材料")
        expect(status).to_have_text("显示 0 项，共 8 项")
        assert rows_shown(page) == [] and page.get_by_text("没有含有这些文字的事项").is_visible()
        box.fill("")
        expect(status).to_have_text("共 8 项")
        assert len(rows_shown(page)) == 8 and not page.get_by_text("没有含有这些文字的事项").is_visible()
    finally:
        page.context.close()


def test_without_javascript_the_whole_table_shows_and_no_box(browser, nginx_demo):
    page = open_page(browser, nginx_demo, CERTIFICATES, width=375, javascript=False)
    try:
        assert len(rows_shown(page)) == 8
        assert not page.get_by_label("在本清单中筛选").is_visible()
        assert page.get_by_role("link", name="下载清单（CSV）").is_visible()
    finally:
        page.context.close()
