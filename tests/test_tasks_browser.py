"""执行公开 in Chromium: the status links filter a task column without any script, and the address can be shared."""

from __future__ import annotations

from typing import Any

from browser import SCREENSHOTS


def _visible_groups(page: Any) -> list[str]:
    groups: list[str] = page.evaluate(
        "[...document.querySelectorAll('.task-group')].filter((g) => g.offsetParent !== null)"
        ".map((g) => g.querySelector('h3').textContent.split('（')[0])")
    return groups


def test_a_status_link_shows_that_status_alone_and_all_shows_every_group(browser: Any, nginx_demo: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(nginx_demo + "execution/reforms/index.html")
    every = _visible_groups(page)
    assert len(every) >= 2, every
    page.get_by_role("navigation", name="按进展状态查看").get_by_role("link", name="已完成").click()
    assert _visible_groups(page) == ["已完成"]
    page.screenshot(path=str(SCREENSHOTS / "task-filter-done-phone.png"))
    page.get_by_role("navigation", name="按进展状态查看").get_by_role("link", name="全部").click()
    assert _visible_groups(page) == every
    page.goto(nginx_demo + "index.html")  # the home page's counts open the column filtered by that status
    page.locator(".status-links a", has_text="推进中").first.click()
    assert _visible_groups(page) == ["推进中"]
    context.close()
