"""A catalogue indexed in several Pagefind shards (by year) searches as one, in a real browser through nginx."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_TODAY, REPO
from test_browser import SEED_TITLE
from test_browser_use import result_titles, search
from webserver import serve_site

from disclosure_site import pipeline
from disclosure_site.model.catalogue import Catalogue
from disclosure_site.outputs import search_index


def years_of(shard: search_index.Shard) -> set[str]:
    return {e.serial[:4] for e in shard.entries}


def test_shards_hold_whole_years_under_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_PAGES", 20)
    outcome = pipeline.check(REPO, DEMO_TODAY)
    assert isinstance(outcome.catalogue, Catalogue)
    shards = search_index.shards(outcome.catalogue)
    assert len(shards) > 2
    assert sum(len(s.entries) for s in shards) == len(outcome.catalogue.published)
    assert all(len(s.entries) <= 20 for s in shards)
    for older, newer in itertools.pairwise(shards):
        assert max(years_of(older)) <= min(years_of(newer))
        if max(years_of(older)) == min(years_of(newer)):  # only a year too big for one shard is split
            assert "-" in older.name and "-" in newer.name
    assert search_index.merged_shard_folders(outcome.catalogue) == [f"pagefind/shards/{s.name}" for s in shards[:-1]]


def test_one_shard_when_the_catalogue_is_small() -> None:
    outcome = pipeline.check(REPO, DEMO_TODAY)
    assert isinstance(outcome.catalogue, Catalogue)
    assert len(search_index.shards(outcome.catalogue)) == 1
    assert search_index.merged_shard_folders(outcome.catalogue) == []


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def sharded_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo built with at most 25 entries per shard, served by nginx."""
    limit = pytest.MonkeyPatch()
    limit.setattr(search_index, "SHARD_PAGES", 25)
    out = tmp_path_factory.mktemp("sharded") / "site"
    try:
        outcome = pipeline.build(REPO, out, DEMO_TODAY, history=False, cache=False)
    finally:
        limit.undo()
    assert outcome.files, [d.format() for d in outcome.report]
    assert len(list((out / "pagefind/shards").iterdir())) >= 2
    with serve_site(out) as base:
        yield base


def test_old_and_new_shards_are_searched_together(context: Any, sharded_demo: str) -> None:
    page = search(context, sharded_demo, "汕环〔2018〕429号 政务公开")
    assert SEED_TITLE in result_titles(page)  # 2018: in the oldest shard, merged at query time
    page = search(context, sharded_demo, "噪声")
    years = {d[:4] for d in page.locator("[data-search-results] time").all_inner_texts()}
    assert len(years) >= 2, years


def test_filters_apply_across_shards(context: Any, sharded_demo: str) -> None:
    page = search(context, sharded_demo, "", year="2018")
    dates = page.locator("[data-search-results] time").all_inner_texts()
    assert dates and all(d.startswith("2018-") for d in dates)
    page = search(context, sharded_demo, "环境", column="政策解读")
    lines = page.locator("[data-search-results] .result-meta").all_inner_texts()
    assert len(lines) >= 2 and all("栏目：政策解读" in line for line in lines)


def test_result_links_work_from_every_shard(context: Any, sharded_demo: str) -> None:
    hrefs = []
    for year in ("2018", "2022", "2026"):
        page = search(context, sharded_demo, "环境", year=year)
        links = page.locator("[data-search-results] h3 a")
        hrefs += [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert {Path(h).name[:4] for h in hrefs if "/entries/" in h} == {"2018", "2022", "2026"}, hrefs
    for href in hrefs:
        assert href.startswith(sharded_demo) and context.request.get(href).status == 200, href
