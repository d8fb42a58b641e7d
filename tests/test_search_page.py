"""The search page as a citizen uses it, in Chromium against the demo served by nginx: where the first result sits on
a phone, the 筛选 disclosure and the sort order, 推荐 results, question-form queries, ranking, attachment matches and
the generated service pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from browser import SCREENSHOTS, horizontal_overflow
from test_browser import SEED_TITLE, wait_for_results

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    yield ctx
    ctx.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield ctx
    ctx.close()


def open_search(ctx: Any, base: str, query: str, **params: str) -> Any:
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    extra = "".join(f"&{name}={quote(value)}" for name, value in params.items())
    page.goto(f"{base}search.html?q={quote(query)}{extra}")
    page.wait_for_load_state("networkidle")
    wait_for_results(page)
    return page


def results(page: Any) -> list[dict[str, Any]]:
    """Each result as shown: title, address, 推荐 mark, date and 附件 lines."""
    found: list[dict[str, Any]] = page.evaluate("""() => [...document.querySelectorAll('[data-search-results] > li')]
      .map((li) => ({ title: li.querySelector('h3 a').textContent, url: li.querySelector('h3 a').href,
                      bet: Boolean(li.querySelector('.best-bet-mark')),
                      date: (li.querySelector('.result-meta time') || {}).textContent || '',
                      attachments: [...li.querySelectorAll('.result-attachments li')].map((a) => a.textContent) }))""")
    return found


def full_text(page: Any) -> list[dict[str, Any]]:
    """The results Pagefind ranked, without the 推荐 ones."""
    return [hit for hit in results(page) if not hit["bet"]]


@pytest.mark.parametrize("query", ["环境", "依申请公开", "政务公开工作要点"])
def test_on_a_phone_the_first_result_title_is_on_the_first_screen(phone, nginx_demo, query):
    page = open_search(phone, nginx_demo, query)
    first = page.locator("[data-search-results] > li h3").first.bounding_box()
    assert first is not None and first["y"] + first["height"] <= PHONE["height"], first
    status = page.locator("[data-search-status]").bounding_box()
    assert status is not None and status["y"] < first["y"], "the result count is above the results"
    assert "条结果" in page.locator("[data-search-status]").inner_text()
    assert horizontal_overflow(page) <= 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-results-phone-{len(query)}.png"))


def test_filters_fold_behind_a_disclosure_that_counts_the_active_ones(phone, nginx_demo):
    page = open_search(phone, nginx_demo, "环境", column="政策解读", year="2024")
    summary = page.locator("[data-search-filters] summary")
    assert summary.inner_text() == "筛选（已选 2 项）"
    assert page.locator("[data-search-filters]").get_attribute("open") is None
    assert not page.locator("#filter-column").is_visible(), "closed filters take no room"
    lines = page.locator("[data-search-results] .result-meta").all_inner_texts()
    assert lines and all("栏目：政策解读" in line and "2024-" in line for line in lines)
    summary.click()
    assert page.locator("#filter-column").is_visible() and page.locator("#filter-column").input_value() == "政策解读"
    page = open_search(phone, nginx_demo, "环境")
    assert page.locator("[data-search-filters] summary").inner_text() == "筛选"


def test_sort_order_is_chosen_on_the_page_and_kept_in_the_address(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "环境")
    sort = page.get_by_label("排序")
    assert sort.is_visible() and sort.input_value() == ""
    assert [o.strip() for o in sort.locator("option").all_inner_texts()] == ["相关度", "最新发布", "最早发布"]
    with page.expect_navigation():
        sort.select_option("newest")
    page.wait_for_load_state("networkidle")
    wait_for_results(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["环境"], "sort": ["newest"]}
    newest = [hit["date"] for hit in full_text(page)]
    assert len(newest) >= 5 and newest == sorted(newest, reverse=True)
    page = open_search(desktop, nginx_demo, "环境", sort="oldest")
    oldest = [hit["date"] for hit in full_text(page)]
    assert oldest == sorted(oldest) and oldest[0] < newest[0]
    assert page.get_by_label("排序").input_value() == "oldest"


def test_best_bets_come_first_marked_as_recommended(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "年报")
    first = results(page)[0]
    assert first["bet"] and first["title"] == "政府信息公开年报" and first["url"].endswith("/annual-reports/index.html")
    assert page.locator(".best-bet .best-bet-mark").first.inner_text() == "推荐"
    assert "推荐 1 项" in page.locator("[data-search-status]").inner_text()
    page = open_search(desktop, nginx_demo, "噪声")
    assert not [hit for hit in results(page) if hit["bet"]], "a query none of the words are in gets no 推荐"


def test_a_question_finds_the_words_in_it(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "怎么申请政府信息公开")
    hits = results(page)
    assert hits[0]["bet"] and hits[0]["url"].endswith("/request.html")
    titles = [hit["title"] for hit in full_text(page)]
    assert len(titles) >= 3 and any("申请" in title for title in titles[:3])
    page = open_search(desktop, nginx_demo, "在哪里下载申请表？")
    assert full_text(page), "question words and the question mark are not required on the page"


def test_the_policy_itself_ranks_first_for_its_own_title_words(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "政务公开工作要点")
    assert full_text(page)[0]["title"] == SEED_TITLE


def test_service_pages_are_found_without_best_bets(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "依申请公开")
    urls = [hit["url"] for hit in full_text(page)[:3]]
    assert any(url.endswith("/disclosure-guide.html") for url in urls), urls
    page = open_search(desktop, nginx_demo, "无障碍声明")
    assert full_text(page)[0]["url"].endswith("/accessibility.html")
    assert "栏目：网站说明" in page.locator("[data-search-results] .result-meta").first.inner_text()


def test_an_attachment_match_is_shown_under_its_entry(desktop, nginx_demo):
    page = open_search(desktop, nginx_demo, "报告书公开版本")
    hits = full_text(page)
    assert not [hit for hit in results(page) if "/files/" in hit["url"]], "no attachment is a result of its own"
    guide = next(hit for hit in hits if hit["title"] == "建设项目环境影响报告书审批办事指南")
    assert guide["attachments"] and guide["attachments"][0].startswith("附件：环境影响报告书审批申请材料清单")
    link = page.locator(".result-attachments a").first
    assert "/files/" in (link.get_attribute("href") or "")
    assert hits.index(guide) == 0
