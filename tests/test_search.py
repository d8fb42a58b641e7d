"""The search outputs without a browser: exact-lookup table, facets, attachment text and indexing errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CATALOG, ORG, REPO, entry

from disclosure_site.model.entry import Attachment
from disclosure_site.outputs import search, search_index

DOCUMENT = {"department": "办公室", "written": "2024-05-01"}


def lookup(site_out: Path, query: str) -> list[list[str]]:
    """What search.js does with a query: normalise, hash to a bucket, read that bucket."""
    buckets = len(list((site_out / "search/exact").glob("*.json")))
    key = search.normalise(query)
    table = json.loads((site_out / f"search/exact/{search.bucket_of(key, buckets)}.json").read_text(encoding="utf-8"))
    hits: list[list[str]] = table.get(key, [])
    return hits


def test_normalise_folds_width_case_spaces_and_bracket_styles():
    assert search.normalise("汕环〔2018〕429号") == "汕环〔2018〕429号"
    for variant in ("汕环[2018]429号", "汕环【2018】429号", "汕环（2018）429号", " 汕环 (2018) 429号", "汕环［２０１８］４２９号"):
        assert search.normalise(variant) == "汕环〔2018〕429号", variant
    assert search.normalise("1144150000717074x7/2018-00215") == search.normalise("1144150000717074X7/2018-00215")


def test_fnv_hash_matches_the_published_reference_values():
    # FNV-1a 32-bit reference values: "" → 0x811c9dc5, "a" → 0xe40c292c
    assert search.bucket_of("", 1 << 32) == 0x811C9DC5
    assert search.bucket_of("a", 1 << 32) == 0xE40C292C


def test_exact_lookup_finds_index_number_serial_doc_number_and_title(make_site):
    site = make_site({
        "content/documents/a.md": entry(title="关于印发某方案的通知", serial="2024-00007", doc_no="测环〔2024〕12号", **DOCUMENT),
        "content/news/b.md": entry(title="其他动态", serial="2024-00008"),
    })
    site.build()
    out = site.root / "site"
    for query in (f"{ORG}/2024-00007", "2024-00007", "测环[2024]12号", "关于印发某方案的通知"):
        hits = lookup(out, query)
        assert [h[:2] for h in hits] == [["entries/2024-00007.html", "关于印发某方案的通知"]], query
        assert hits[0][2] == "2024-05-06" and hits[0][3] == "文件"
    assert lookup(out, "不存在的文号") == []


def test_withheld_entries_are_not_in_the_lookup_or_the_filter_choices(make_site):
    site = make_site({
        "content/news/a.md": entry(title="公开动态", topic="综合政务"),
        "content/news/b.md": entry(title="依申请的", serial="2019-00002", disclosure="依申请公开",
                                   withhold_reason="涉及第三方商业秘密", topic="环境保护", published="2019-01-01"),
    })
    site.build()
    out = site.root / "site"
    assert lookup(out, f"{ORG}/2019-00002") == [] and lookup(out, "依申请的") == []
    page = (out / "search.html").read_text(encoding="utf-8")
    assert "<option>综合政务</option>" in page and "环境保护</option>" not in page
    assert "<option>2024</option>" in page and "<option>2019</option>" not in page


def test_entry_pages_carry_search_facets_outside_the_indexed_text(make_site):
    site = make_site({"content/documents/a.md": entry(title="某文件", topic="环境保护", key_areas="[eia]", **DOCUMENT)})
    site.build()
    html = (site.root / "site/entries/2024-00001.html").read_text(encoding="utf-8")
    for facet in ('data-pagefind-filter="栏目">文件<', 'data-pagefind-filter="年份">2024<',
                  'data-pagefind-filter="主题分类">环境保护<', 'data-pagefind-filter="发布机构">测试市环境保护局<',
                  'data-pagefind-filter="重点领域">环评审批<', 'data-pagefind-meta="date">2024-05-06<',
                  'data-pagefind-sort="date">2024-05-06<'):
        assert facet in html, facet
    assert '<section class="metadata" aria-labelledby="metadata-title" data-pagefind-ignore>' in html


def test_readable_attachments_give_their_text(tmp_path):
    def attachment(name: str, data: bytes) -> Attachment:
        path = tmp_path / name
        path.write_bytes(data)
        return Attachment(title=name, source=str(path), content_path=f"news/{name}", size=len(data), media_type="")

    assert search_index.attachment_text(attachment("a.txt", "第一行\n第二行".encode())) == "第一行 第二行"
    assert search_index.attachment_text(attachment("b.csv", "名称,数量\n某单位,3".encode("gb18030"))) == "名称,数量 某单位,3"
    with pytest.raises(search_index.NotIndexed):
        search_index.attachment_text(attachment("c.pdf", b"%PDF-1.4 broken"))
    assert search_index.attachment_text(attachment("d.docx", b"PK\x03\x04")) == ""
    pdf = REPO / "content/documents/normative/attachments/shanhuan-2018-429.pdf"
    assert "Shanhuan" in search_index.attachment_text(attachment("e.pdf", pdf.read_bytes()))


def test_an_attachment_that_cannot_be_read_is_published_and_said_to_be_unsearchable(make_site):
    text = entry().replace("disclosure: ", "attachments:\n  - {file: scan.pdf, title: 扫描件}\ndisclosure: ")
    site = make_site({"content/news/a.md": text, "content/news/scan.pdf": "%PDF-1.4 damaged"})
    outcome = site.build()
    assert outcome.files and (site.root / "site/files/news/scan.pdf").is_file()
    assert [(d.path, d.code, d.severity.name) for d in outcome.report] == [
        ("content/news/a.md", "ATTACHMENT_NOT_INDEXED", "NOTICE")]
    assert "扫描件" in outcome.report.sorted()[0].message


def test_missing_pagefind_is_a_build_error_that_keeps_the_previous_site(make_site, monkeypatch):
    site = make_site({"content/news/a.md": entry()})
    assert site.build().files
    before = sorted(p.name for p in (site.root / "site").iterdir())
    monkeypatch.setattr("pagefind.service.get_executable", lambda: None)
    site.write("content/news/b.md", entry(title="新的动态", serial="2024-00002"))  # the cached index no longer fits
    outcome = site.build()
    assert [d.format() for d in outcome.report] == [
        "pagefind:1: 错误 [SEARCH_INDEX] 生成全文搜索索引失败：找不到 Pagefind 程序（请安装 pagefind[extended]）"]
    assert sorted(p.name for p in (site.root / "site").iterdir()) == before


def test_search_bundle_ships_only_what_the_search_page_uses(demo_site):
    names = {p.name for p in (demo_site / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "pagefind-worker.js", "fragment", "index", "filter"} <= names
    assert not [n for n in names if "-ui." in n or n == "pagefind-highlight.js"]


BETS = CATALOG + """\
search:
  best_bets:
    - words: [怎么申请, "申请 公开"]
      target: request.html
      title: 怎样申请政府信息公开
      note: 申请方式和申请表
    - {words: [动态], target: news, title: 工作动态}
    - {words: [某文件], target: "ORG/2024-00001", title: 某文件}
""".replace("ORG", ORG)


def test_best_bets_reach_the_search_page_in_the_form_the_query_is_folded_to(make_site):
    site = make_site({"content/documents/a.md": entry(title="某文件", **DOCUMENT)}, catalog=BETS)
    assert site.messages() == []
    site.build()
    page = (site.root / "site/search.html").read_text(encoding="utf-8")
    table = json.loads(page.split('<script type="application/json" id="best-bets">')[1].split("</script>")[0])
    assert table == [
        {"words": ["怎么申请", "申请公开"], "path": "request.html", "title": "怎样申请政府信息公开", "note": "申请方式和申请表"},
        {"words": ["动态"], "path": "news/index.html", "title": "工作动态", "note": ""},
        {"words": ["某文件"], "path": "entries/2024-00001.html", "title": "某文件", "note": ""}]


def test_check_refuses_a_best_bet_that_points_nowhere_or_at_a_withheld_entry(make_site):
    catalog = BETS.replace("target: news,", "target: no-such-column,")
    withheld = entry(title="内部请示稿", disclosure="不予公开", withhold_reason="内部事务信息", **DOCUMENT)
    site = make_site({"content/documents/a.md": withheld}, catalog=catalog)
    lines = {line: n for n, line in enumerate(catalog.splitlines(), start=1)}
    column_line = next(n for line, n in lines.items() if "no-such-column" in line)
    entry_line = next(n for line, n in lines.items() if "/2024-00001" in line)
    report = site.check()
    assert [(d.line, d.code) for d in report] == [(column_line, "BEST_BET_TARGET"), (entry_line, "BEST_BET_TARGET")]
    assert "不是已发布的信息" in report.sorted()[1].message and "内部请示稿" not in report.sorted()[1].message
    assert not site.build().files


def test_a_best_bet_without_words_or_with_an_unknown_key_is_an_error(make_site):
    catalog = CATALOG + "search:\n  best_bets:\n    - {words: [], target: request.html, title: 申请}\n"
    assert [d.code for d in make_site(catalog=catalog).check()] and "至少写一个词" in make_site(catalog=catalog).messages()[0]
    catalog = CATALOG + "search:\n  best_bets:\n    - {words: [申请], target: request.html, title: 申请, url: x}\n"
    message = make_site(catalog=catalog).messages()[0]
    assert "url" in message and "target" in message


def pagefind_fragments(out: Path) -> list[dict[str, Any]]:
    """Every page record of the built search index, as the search page reads it."""
    return [json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
            for path in sorted((out / "pagefind/fragment").iterdir())]


def test_attachment_text_is_searched_as_part_of_its_entry_and_service_pages_are_indexed(make_site):
    text = entry(title="某通知").replace("disclosure: ", "attachments:\n  - {file: list.txt, title: 材料清单}\ndisclosure: ")
    site = make_site({"content/news/a.md": text, "content/news/list.txt": "甲乙丙丁罕见词"})
    site.build()
    fragments = {f["url"]: f for f in pagefind_fragments(site.root / "site")}
    assert sorted(fragments) == ["/accessibility.html", "/basic-catalogue.html", "/disclosure-guide.html",
                                 "/entries/2024-00001.html", "/once.html", "/request.html", "/statutory.html"], \
        "no attachment file is a record of its own"
    record = fragments["/entries/2024-00001.html"]
    assert "甲乙丙丁罕见词" in record["content"].replace("\u200b", "") and record["meta"]["attachment-1"] == "files/news/list.txt"
    assert [a["text"] for a in record["anchors"] if a["id"] == "attachment-1"] == ["附件：材料清单"]
    assert fragments["/request.html"]["meta"] == {"title": "依申请公开", "column": "政府信息公开"}
    published = (site.root / "site/entries/2024-00001.html").read_text(encoding="utf-8")
    assert "甲乙丙丁罕见词" not in published, "the attachment text is indexed, not added to the page"
