"""Blank and stale columns, severity overrides, links in bodies."""

from __future__ import annotations

import datetime as dt

from conftest import CATALOG, FULL_CATALOG, ORG, entry


def test_every_blank_column_is_an_error_at_its_catalog_line(make_site):
    site = make_site({"content/news/a.md": entry()}, catalog=FULL_CATALOG)
    messages = site.messages()
    assert messages[0] == ("catalog.yaml:14: 错误 [EMPTY_COLUMN] 栏目「组织机构」（organization）没有已发布的信息，"
                           "属于空白栏目：请在 content/organization/ 发布信息，或从 catalog.yaml 删除该栏目")
    blank = [m.split("（")[1].split("）")[0] for m in messages]
    assert blank == ["organization", "documents", "documents/normative", "interpretations", "enforcement",
                     "guides", "budgets"]


def test_column_with_only_withheld_or_draft_entries_is_blank(make_site):
    files = {"content/news/a.md": entry(draft="true")}
    site = make_site(files, catalog=FULL_CATALOG)
    assert any("（news）没有已发布的信息" in m for m in site.messages())


def test_parent_column_is_not_blank_when_a_child_has_entries(make_site):
    site = make_site({"content/documents/normative/a.md": entry(written="2024-05-01", department="办公室")},
                     catalog=FULL_CATALOG)
    assert not any("（documents）" in m or "（documents/normative）" in m for m in site.messages())


def fresh_catalog(kind):
    return CATALOG.replace("{id: news, title: 工作动态, type: news}",
                           f"{{id: news, title: 工作动态, type: news, freshness: {kind}}}")


def test_news_column_older_than_14_days_is_stale(make_site):
    site = make_site({"content/news/a.md": entry(published="2026-11-11", serial="2026-00001")},
                     catalog=fresh_catalog("news"))
    assert site.messages(dt.date(2026, 11, 25)) == []
    assert site.messages(dt.date(2026, 11, 26)) == [
        "catalog.yaml:24: 警告 [STALE_COLUMN] 栏目「工作动态」（news）最近一次更新是 2026-11-11，距 2026-11-26 已 15 天："
        "动态、要闻类栏目应在 14 天内更新（检查指标）"]


def test_notices_column_older_than_six_months_is_stale(make_site):
    site = make_site({"content/news/a.md": entry(published="2026-05-01", serial="2026-00001")},
                     catalog=fresh_catalog("notices"))
    assert site.messages(dt.date(2026, 10, 31)) == []
    assert [d.code for d in site.check(dt.date(2026, 11, 1))] == ["STALE_COLUMN"]


def test_severity_can_be_changed_or_switched_off_in_catalog(make_site):
    files = {"content/news/a.md": entry(published="2026-01-01", serial="2026-00001")}
    raised = make_site(files, catalog=fresh_catalog("news") + "  STALE_COLUMN: error\n")
    assert [d.severity.value for d in raised.check()] == ["错误"]


def test_unknown_rule_in_severity_is_an_error(make_site):
    site = make_site(catalog=CATALOG.replace('severity: {EMPTY_COLUMN: "off"}', 'severity: {BAD_DATE: warning}'))
    [message] = site.messages()
    assert message.startswith("catalog.yaml:28: 错误 [BAD_VALUE] severity：规则「BAD_DATE」不能调整级别；可调整的规则：EMPTY_COLUMN、")


def test_links_by_index_number_resolve_to_pages(make_site):
    body = (f"见[[{ORG}/2024-00002]]和[[2024-00002]]，以及[通知原文]({ORG}/2024-00002)、[简写](2024-00002#part)。")
    site = make_site({
        "content/news/a.md": entry().replace("正文。", body),
        "content/news/b.md": entry(title="被链接的通知", serial="2024-00002"),
    })
    assert site.messages() == []
    site.build()
    html = (site.root / "site/entries/2024-00001.html").read_text()
    assert html.count('<a href="2024-00002.html" rel="noopener noreferrer">被链接的通知</a>') == 2
    assert '<a href="2024-00002.html" rel="noopener noreferrer">通知原文</a>' in html
    assert '<a href="2024-00002.html#part" rel="noopener noreferrer">简写</a>' in html


def test_link_to_missing_entry(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。", "第一行\n见[[2024-00009]]")})
    assert site.messages() == [
        f"content/news/a.md:8: 错误 [LINK_UNKNOWN] 链接「2024-00009」：没有索引号为 {ORG}/2024-00009 的条目"]


def test_link_to_withheld_entry(make_site):
    site = make_site({
        "content/news/a.md": entry().replace("正文。", f"见[内部通知]({ORG}/2024-00002)"),
        "content/news/b.md": entry(serial="2024-00002", disclosure="不予公开", withhold_reason="内部事务"),
    })
    assert site.messages() == [
        f"content/news/a.md:7: 错误 [LINK_WITHHELD] 链接「{ORG}/2024-00002」指向未公开的条目（不公开）：公开页面不能链接它"]


def test_relative_links_to_files_and_entries(make_site):
    body = "[表格](files/表格.csv) ![图](files/图.png) [另一条](b.md) [网站](https://www.gov.cn/)"
    site = make_site({
        "content/news/a.md": entry().replace("正文。", body),
        "content/news/b.md": entry(title="另一条", serial="2024-00002"),
        "content/news/files/表格.csv": "a,b\n",
        "content/news/files/图.png": "png",
    })
    assert site.messages() == []
    site.build()
    html = (site.root / "site/entries/2024-00001.html").read_text()
    assert 'href="../files/news/files/%E8%A1%A8%E6%A0%BC.csv"' in html
    assert 'src="../files/news/files/%E5%9B%BE.png"' in html
    assert 'href="2024-00002.html"' in html and 'href="https://www.gov.cn/"' in html
    assert (site.root / "site/files/news/files/表格.csv").read_text() == "a,b\n"


def test_relative_link_to_missing_file(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。", "[附件](files/nothing.pdf)")})
    assert site.messages() == [
        "content/news/a.md:7: 错误 [LINK_MISSING] 链接「files/nothing.pdf」指向的文件不存在（路径相对于本条目文件，且须在 content/ 内）"]


def test_absolute_site_path_breaks_under_a_sub_path(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。", "[首页](/index.html)")})
    assert [d.code for d in site.check()] == ["LINK_ABSOLUTE"]
