"""Atom and RSS feeds, sitemap.xml and robots.txt: valid, absolute, stable and free of anything unpublished."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
import xmlschema
from conftest import DEMO_TODAY, ORG, REPO, TODAY, entry

from disclosure_site import pipeline
from disclosure_site.outputs import feeds as syndication
from disclosure_site.outputs.feeds import feed_paths

SITEMAP_SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "sitemap.xsd")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DEMO_BASE = "https://www.shanwei.gov.cn/swhbj/"
TEST_BASE = "https://www.example.gov.cn/test/"
SPECIAL_TITLE = "关于A&B <测试> 汕环〔2024〕1号的通知"


@pytest.fixture(scope="module")
def demo_catalogue():
    catalogue = pipeline.check(REPO, DEMO_TODAY).catalogue
    assert catalogue is not None
    return catalogue


def feed_targets(catalogue):
    """(path pair, expected entries) for the site-wide feed and every column's."""
    yield feed_paths(None), catalogue.published[:50]
    for column in catalogue.config.all_columns():
        yield feed_paths(column), catalogue.in_column(column)[:50]


def parse(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def out_file(out: Path, url: str, base: str) -> Path:
    assert url.startswith(base), url
    return out / unquote(url[len(base):])


def syndication_digest(out: Path) -> dict[str, str]:
    names = [p for p in out.rglob("*") if p.name in ("atom.xml", "rss.xml", "robots.txt") or re.fullmatch(r"sitemap(-\d+)?\.xml", p.name)]
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(names)}


# ── the demo site: every feed ─────────────────────────────────────────────────


def test_every_demo_feed_parses_and_lists_the_newest_published_entries(demo_site, demo_catalogue):
    checked = 0
    for (atom_path, rss_path), expected in feed_targets(demo_catalogue):
        atom, rss = parse(demo_site / atom_path), parse(demo_site / rss_path)
        assert atom.version == "atom10" and rss.version == "rss20"
        titles = [e.meta.title for e in expected]
        assert [item.title for item in atom.entries] == titles, atom_path
        assert [item.title for item in rss.entries] == titles, rss_path
        for feed in (atom, rss):
            for item, source in zip(feed.entries, expected, strict=True):
                assert out_file(demo_site, item.link, DEMO_BASE) == demo_site / f"entries/{source.serial}.html"
                assert out_file(demo_site, item.link, DEMO_BASE).is_file()
                assert item.id == f"tag:www.shanwei.gov.cn,{source.serial[:4]}:{source.meta.index_no}"
        checked += 1
    assert checked == 1 + len(list(demo_catalogue.config.all_columns()))
    assert len(parse(demo_site / "atom.xml").entries) == min(50, len(demo_catalogue.published)) > 20


def test_demo_feeds_describe_themselves(demo_site, demo_catalogue):
    column = demo_catalogue.config.by_path[("documents",)]
    atom = parse(demo_site / "documents/atom.xml")
    rss = parse(demo_site / "documents/rss.xml")
    assert atom.feed.title == rss.feed.title == "汕尾市环境保护局政府信息公开目录 - 文件"
    assert atom.feed.language == rss.feed.language == "zh-CN"
    assert {link.rel: link.href for link in atom.feed.links} == {
        "self": DEMO_BASE + "documents/atom.xml", "alternate": DEMO_BASE + "documents/index.html"}
    assert [link.href for link in rss.feed.links if link.rel == "self"] == [DEMO_BASE + "documents/rss.xml"]
    assert atom.feed.id == "tag:www.shanwei.gov.cn,2018:/swhbj/documents/atom.xml"
    newest = demo_catalogue.in_column(column)[0]
    # The feed is as new as its most recently changed entry, each entry dated like its page's 最近更新.
    assert atom.feed.updated == max(item.updated for item in atom.entries) and atom.feed.updated.endswith("+08:00")
    for item, source in zip(atom.entries, demo_catalogue.in_column(column), strict=False):
        data = json.loads((demo_site / f"entries/{source.serial}.json").read_text(encoding="utf-8"))
        expected = item.published if data["last_updated"] == data["first_published"] else f"{data['last_updated']}T00:00:00+08:00"
        assert item.updated == expected
    first = atom.entries[0]
    assert first.author == newest.meta.publisher
    assert first.tags[0].term == demo_catalogue.config.by_path[newest.column_path].title
    assert rss.entries[0].author == newest.meta.publisher


def test_demo_sitemap_is_valid_and_lists_exactly_the_built_pages(demo_site, demo_catalogue):
    SITEMAP_SCHEMA.validate(str(demo_site / "sitemap.xml"))
    root = ET.parse(demo_site / "sitemap.xml").getroot()
    rows = {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")}
    assert list(rows) == sorted(rows)
    listed = {out_file(demo_site, loc, DEMO_BASE) for loc in rows}
    assert all(path.is_file() for path in listed)
    built = {p for p in demo_site.rglob("*.html") if p.name != "404.html" and p.relative_to(demo_site).parts[0] != "files"
             and not p.name.endswith(".wechat.html")}
    assert listed == built
    for published in demo_catalogue.published:
        data = json.loads((demo_site / f"entries/{published.serial}.json").read_text(encoding="utf-8"))
        assert rows[f"{DEMO_BASE}entries/{published.serial}.html"] == data["last_updated"]
    newest = demo_catalogue.published[0].meta.published.date.isoformat()
    assert rows[DEMO_BASE + "index.html"] == newest


def test_robots_txt_points_at_the_absolute_sitemap(demo_site):
    lines = (demo_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert f"Sitemap: {DEMO_BASE}sitemap.xml" in lines
    comments = [line for line in lines if line.startswith("#")]
    assert comments and "https://www.shanwei.gov.cn/robots.txt" in comments[0]


# ── small sites ───────────────────────────────────────────────────────────────


def feed_entries(out: Path, path: str):
    return parse(out / path).entries


def test_ids_stay_the_same_across_builds_title_and_date_changes(make_site):
    site = make_site({"content/news/a.md": entry(title="原来的标题"), "content/news/b.md": entry(serial="2024-00002")})
    site.build()
    out = site.root / "site"
    before = [(item.id, item.title) for item in feed_entries(out, "atom.xml")]
    site.build()
    assert [(item.id, item.title) for item in feed_entries(out, "atom.xml")] == before
    site.write("content/news/a.md", entry(title="改过的标题", published="2024-05-07"))
    site.build()
    after = {item.id: item.title for item in feed_entries(out, "atom.xml")}
    assert after[f"tag:www.example.gov.cn,2024:{ORG}/2024-00001"] == "改过的标题"
    assert set(after) == {item_id for item_id, _ in before}
    assert {item.id for item in feed_entries(out, "rss.xml")} == set(after)


def test_title_with_markup_characters_round_trips(make_site):
    body_text = "甲&乙 <b>加粗</b> &lt;script&gt; 〔2024〕"
    site = make_site({"content/news/a.md": entry(title=f'"{SPECIAL_TITLE}"').replace("正文。", body_text)})
    assert site.build().report.sorted() == []
    out = site.root / "site"
    for path in ("atom.xml", "rss.xml", "news/atom.xml", "news/rss.xml"):
        assert [item.title for item in feed_entries(out, path)] == [SPECIAL_TITLE], path
    atom_summary = feed_entries(out, "atom.xml")[0].summary
    assert atom_summary == "甲&乙 加粗 <script> 〔2024〕"
    assert html.unescape(feed_entries(out, "rss.xml")[0].summary) == atom_summary
    rss_title = ET.parse(out / "rss.xml").getroot().findtext("channel/item/title")
    assert rss_title == SPECIAL_TITLE


def test_summary_is_the_abstract_or_the_start_of_the_body(make_site):
    long_body = "# 标题\n\n" + "很长的正文" * 40 + "\n\n<script>alert(1)</script>\n"
    site = make_site({
        "content/news/a.md": entry(summary="编辑写的概述"),
        "content/news/b.md": entry(serial="2024-00002").replace("正文。", long_body),
    })
    site.build()
    summaries = {item.id.rsplit("/", 1)[1]: item.summary for item in feed_entries(site.root / "site", "atom.xml")}
    assert summaries["2024-00001"] == "编辑写的概述"
    cut = summaries["2024-00002"]
    assert cut.startswith("标题 很长的正文很长") and cut.endswith("…") and len(cut) == syndication.SUMMARY_LENGTH + 1
    assert "alert" not in cut


def test_dates_are_china_time(make_site):
    site = make_site({"content/news/a.md": entry(published="2024-05-06 09:30"),
                      "content/news/b.md": entry(serial="2024-00002", published="2024-05-01")})
    site.build()
    atom = (site.root / "site/atom.xml").read_text(encoding="utf-8")
    rss = (site.root / "site/rss.xml").read_text(encoding="utf-8")
    assert "<published>2024-05-06T09:30:00+08:00</published>" in atom
    assert "<published>2024-05-01T00:00:00+08:00</published>" in atom
    assert "<updated>2024-05-06T09:30:00+08:00</updated>\n  <author>" in atom
    assert "<pubDate>Mon, 06 May 2024 09:30:00 +0800</pubDate>" in rss
    assert "<pubDate>Wed, 01 May 2024 00:00:00 +0800</pubDate>" in rss


def test_empty_column_has_a_valid_empty_feed(make_site):
    site = make_site({"content/news/a.md": entry()})
    site.build()
    out = site.root / "site"
    for path in ("documents/normative/atom.xml", "documents/normative/rss.xml", "budgets/atom.xml"):
        parsed = parse(out / path)
        assert parsed.entries == [] and parsed.feed.title.endswith(("规范性文件", "财政预决算"))
    updated = parse(out / "documents/normative/atom.xml").feed.updated
    assert updated == f"{TODAY.isoformat()}T00:00:00+08:00"


def test_feeds_keep_the_newest_fifty(make_site, monkeypatch):
    assert syndication.FEED_SIZE == 50
    monkeypatch.setattr(syndication, "FEED_SIZE", 3)
    files = {f"content/news/n{i}.md": entry(title=f"动态{i}", serial=f"2024-{i:05d}", published=f"2024-05-{i:02d}")
             for i in range(1, 6)}
    site = make_site(files)
    site.build()
    for path in ("atom.xml", "rss.xml", "news/atom.xml", "news/rss.xml"):
        assert [item.title for item in feed_entries(site.root / "site", path)] == ["动态5", "动态4", "动态3"]


def test_feed_paths_name_files_that_are_built(make_site):
    site = make_site({"content/news/a.md": entry()})
    outcome = site.build()
    assert feed_paths(None) == ("atom.xml", "rss.xml")
    normative = outcome.catalogue.config.by_path[("documents", "normative")]
    assert feed_paths(normative) == ("documents/normative/atom.xml", "documents/normative/rss.xml")
    for column in [None, *outcome.catalogue.config.all_columns()]:
        assert all((site.root / "site" / path).is_file() for path in feed_paths(column))


def test_large_site_gets_a_sitemap_index(make_site, monkeypatch):
    monkeypatch.setattr(syndication, "SITEMAP_LIMIT", 4)
    site = make_site({f"content/news/n{i}.md": entry(serial=f"2024-{i:05d}") for i in range(1, 4)})
    site.build()
    out = site.root / "site"
    SITEMAP_SCHEMA.validate(str(out / "sitemap.xml"))
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [out_file(out, loc.text, TEST_BASE) for loc in index.iter(f"{SM}loc")]
    assert [p.name for p in parts] == [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)] and len(parts) > 2
    listed = []
    for part in parts:
        SITEMAP_SCHEMA.validate(str(part))
        locs = [loc.text for loc in ET.parse(part).getroot().iter(f"{SM}loc")]
        assert 0 < len(locs) <= 4
        listed += locs
    assert listed == sorted(listed)
    assert {out_file(out, loc, TEST_BASE) for loc in listed} == {p for p in out.rglob("*.html") if p.name != "404.html"
                                                                 and not p.name.endswith(".wechat.html")}
    assert [lastmod.text for lastmod in index.iter(f"{SM}lastmod")] == ["2024-05-06"] * len(parts)


def test_sitemap_schema_rejects_what_the_protocol_forbids():
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    good = "<loc>https://www.example.gov.cn/test/a.html</loc>"
    assert SITEMAP_SCHEMA.is_valid(f"<urlset {ns}><url>{good}<lastmod>2024-05-06</lastmod></url></urlset>")
    for bad in ("<loc>entries/a.html</loc>", f"{good}<lastmod>06/05/2024</lastmod>",
                f"{good}<priority>1.5</priority>", f"{good}<changefreq>often</changefreq>",
                f"<loc>https://www.example.gov.cn/{'a' * 2048}</loc>"):
        assert not SITEMAP_SCHEMA.is_valid(f"<urlset {ns}><url>{bad}</url></urlset>"), bad


# ── nothing unpublished, and the same bytes every time ───────────────────────

CANARIES = {"2024-00002": "金丝雀订阅依申请", "2024-00003": "金丝雀订阅草稿", "2026-00001": "金丝雀订阅定时"}


def canary_site(make_site):
    return make_site({
        "content/news/public.md": entry(title="公开的动态"),
        "content/news/request.md": entry(title=CANARIES["2024-00002"], serial="2024-00002", disclosure="依申请公开",
                                         withhold_reason="涉及第三方商业秘密"),
        "content/news/draft.md": entry(title=CANARIES["2024-00003"], serial="2024-00003", draft="true"),
        "content/news/later.md": entry(title=CANARIES["2026-00001"], serial="2026-00001", published="2026-12-01"),
    })


def syndication_outputs(out: Path) -> list[Path]:
    return [out / path for path in syndication_digest(out)]


def test_unpublished_entries_never_reach_feeds_or_sitemap(make_site):
    site = canary_site(make_site)
    assert site.build().report.sorted() == []
    out = site.root / "site"
    outputs = syndication_outputs(out)
    assert len(outputs) == 2 * 9 + 2
    for path in outputs:
        data = path.read_bytes()
        for serial, canary in CANARIES.items():
            assert canary.encode() not in data, f"{canary} leaked into {path}"
            assert serial.encode() not in data, f"{serial} leaked into {path}"
    for path in ("atom.xml", "rss.xml", "news/atom.xml", "news/rss.xml"):
        assert [item.title for item in feed_entries(out, path)] == ["公开的动态"]


def test_scheduled_entry_joins_the_feeds_on_its_date(make_site):
    site = canary_site(make_site)
    site.build(today=dt.date(2026, 12, 1))
    out = site.root / "site"
    assert [item.title for item in feed_entries(out, "news/atom.xml")] == [CANARIES["2026-00001"], "公开的动态"]
    assert b"entries/2026-00001.html" in (out / "sitemap.xml").read_bytes()


def test_same_content_and_date_give_identical_feeds_and_sitemap(make_site, tmp_path):
    site = canary_site(make_site)
    pipeline.build(site.root, tmp_path / "one", TODAY)
    pipeline.build(site.root, tmp_path / "two", TODAY)
    first = syndication_digest(tmp_path / "one")
    assert first == syndication_digest(tmp_path / "two")
    assert {"atom.xml", "rss.xml", "sitemap.xml", "robots.txt", "news/atom.xml"} <= set(first)


def test_pages_announce_the_site_feeds_and_column_pages_their_own(demo_site):
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="汕尾市环境保护局政府信息公开目录（Atom）" href="atom.xml"' in home
    column = (demo_site / "documents/normative/index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="规范性文件（Atom）" href="atom.xml"' in column
    assert 'type="application/rss+xml" title="规范性文件（RSS）" href="rss.xml"' in column
    assert (demo_site / "documents/normative/rss.xml").is_file()
