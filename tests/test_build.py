"""Whole builds: what is published, what never leaks, atomic and deterministic output."""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ORG, entry

from disclosure_site.core.diagnostics import Report
from disclosure_site.model.output import OutputFile
from disclosure_site.write import writer

CANARIES = {
    "withheld_request": "金丝雀依申请甲",
    "withheld_never": "金丝雀不予公开乙",
    "draft": "金丝雀草稿丙",
    "scheduled": "金丝雀定时丁",
}


def canary_entry(serial, canary, **keys):
    text = entry(title=f"{canary}标题", serial=serial, summary=f"{canary}概述", keywords=f"[{canary}词]", **keys)
    text = text.replace("disclosure: ", f"attachments:\n  - {{file: {canary}.txt, title: {canary}附件}}\ndisclosure: ")
    return text.replace("正文。", f"{canary}正文。")


def leaky_site(make_site):
    files = {
        "content/news/public.md": entry(title="公开的动态"),
        "content/news/request.md": canary_entry("2024-00002", CANARIES["withheld_request"], disclosure="依申请公开",
                                                withhold_reason="涉及第三方商业秘密"),
        "content/news/never.md": canary_entry("2024-00003", CANARIES["withheld_never"], disclosure="不予公开",
                                              withhold_reason="内部事务信息"),
        "content/news/draft.md": canary_entry("2024-00004", CANARIES["draft"], draft="true"),
        "content/news/later.md": canary_entry("2026-00001", CANARIES["scheduled"], published="2026-12-01"),
    }
    for canary in CANARIES.values():
        files[f"content/news/{canary}.txt"] = f"{canary}附件内容"
    return make_site(files)


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_nothing_withheld_reaches_any_output_file(make_site):
    site = leaky_site(make_site)
    outcome = site.build()
    assert outcome.report.sorted() == []
    out = site.root / "site"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    search_text = b""
    for path in files:
        data = readable(path)
        if path.suffix.startswith(".pf_"):
            search_text += data
        for canary in CANARIES.values():
            assert canary.encode() not in data, f"{canary} leaked into {path}"
            assert canary not in unquote(path.as_posix()), f"{canary} leaked as a file name {path}"
        for serial in ("2024-00002", "2024-00003", "2024-00004", "2026-00001"):
            assert f"{ORG}/{serial}".encode() not in data
    assert "公开的动态".encode() in (out / "entries/2024-00001.html").read_bytes()
    assert "公开的动态".encode() in search_text, "the search index was read, so the canary check covers it"


def readable(path: Path) -> bytes:
    """File content as stored, or unpacked for Pagefind's gzip-compressed index files."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_scheduled_entry_appears_once_its_date_arrives(make_site):
    site = leaky_site(make_site)
    import datetime as dt
    site.build(today=dt.date(2026, 12, 1))
    assert CANARIES["scheduled"] in (site.root / "site/entries/2026-00001.html").read_text()


def test_build_summary_counts_each_status_per_column(make_site):
    site = leaky_site(make_site)
    result = site.cli("--today", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"news 工作动态\s+1\s+2\s+1\s+1", result.stdout), result.stdout
    assert re.search(r"合计\s+1\s+2\s+1\s+1", result.stdout)


def test_same_input_and_date_give_byte_identical_output(make_site, tmp_path):
    site = leaky_site(make_site)
    import datetime as dt

    from disclosure_site import pipeline
    pipeline.build(site.root, tmp_path / "one", dt.date(2026, 11, 26))
    pipeline.build(site.root, tmp_path / "two", dt.date(2026, 11, 26))
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_failed_build_leaves_previous_output_untouched(make_site):
    site = make_site({"content/news/a.md": entry()})
    assert site.build().files
    before = tree_digest(site.root / "site")
    site.write("content/news/b.md", entry(title="新动态", serial="2024-00002", published="2024-99-01"))
    outcome = site.build()
    assert outcome.files == 0 and outcome.report.sorted()
    assert tree_digest(site.root / "site") == before


def test_crash_while_writing_leaves_previous_output_and_no_debris(make_site, monkeypatch):
    site = make_site({"content/news/a.md": entry()})
    site.build()
    before = tree_digest(site.root / "site")
    site.write("content/news/b.md", entry(title="新动态", serial="2024-00002"))
    calls = []

    def failing_write(staging, item, folders):
        calls.append(item.path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(staging / item.path))
        original(staging, item, folders)

    original = writer._write_one
    monkeypatch.setattr(writer, "_write_one", failing_write)
    outcome = site.build()
    assert [d.code for d in outcome.report.sorted()] == ["OUTPUT_UNWRITABLE"]
    assert "磁盘空间不足" in outcome.report.sorted()[0].message
    assert tree_digest(site.root / "site") == before
    assert sorted(p.name for p in site.root.iterdir() if p.name != ".cache") == ["catalog.yaml", "content", "site"]


def test_output_collision_is_an_error():
    report = Report()
    files = [OutputFile("entries/a.html", b"1", origin="content/news/a.md"),
             OutputFile("entries/a.html", b"2", origin="content/news/b.md")]
    assert [f.path for f in writer.check_plan(files, report)] == ["entries/a.html"]
    assert [d.format() for d in report] == [
        "content/news/b.md:1: 错误 [OUTPUT_COLLISION] 与 content/news/a.md 生成同一个输出文件 entries/a.html："
        "两个来源不能对应同一网址"]


def test_same_attachment_shared_by_two_entries_is_not_a_collision(make_site):
    shared = "attachments:\n  - {file: shared.pdf, title: 共用附件}\ndisclosure: "
    site = make_site({
        "content/news/a.md": entry().replace("disclosure: ", shared),
        "content/news/b.md": entry(serial="2024-00002").replace("disclosure: ", shared),
        "content/news/shared.pdf": "%PDF-1.4",
    })
    # The stand-in PDF has no text layer, so each entry is told it is not searchable.
    codes = [d.code for d in site.build().report.sorted()]
    assert codes == ["ATTACHMENT_NOT_INDEXED"] * 2
    assert (site.root / "site/files/news/shared.pdf").read_bytes() == b"%PDF-1.4"


def test_entry_url_survives_title_change_and_file_rename(make_site):
    site = make_site({"content/news/a.md": entry()})
    site.build()
    (site.root / "content/news/a.md").rename(site.root / "content/news/renamed.md")
    site.write("content/news/renamed.md", entry(title="改过的标题"))
    site.build()
    assert "改过的标题" in (site.root / "site/entries/2024-00001.html").read_text()


def test_markdown_body_is_sanitised(make_site):
    body = ('<script>alert("x")</script><img src=x onerror="alert(1)" alt="图">'
            '[点我](javascript:alert(1)) <a href="data:text/html,hi">d</a> <p style="display:none">藏</p>\n\n'
            "| 项目 | 金额 |\n|---|---|\n| 办公费 | 12.5 |\n")
    site = make_site({"content/news/a.md": entry().replace("正文。", body)})
    # The unquoted src=x is an address like any other: it names a file that does not exist.
    assert [(d.code, d.line) for d in site.check()] == [("LINK_MISSING", 7)]
    site.write("content/news/x", "图")
    site.build()
    html = (site.root / "site/entries/2024-00001.html").read_text()
    article = html.split('<div class="body"', 1)[1].split('>', 1)[1].split("</div>")[0]
    for bad in ("<script", "alert(", "onerror", "javascript:", "data:text", "style="):
        assert bad not in article
    assert "<td>办公费</td>" in article and 'alt="图"' in article and 'src="../files/news/x"' in article


def test_catalogue_json_records_every_published_entry(make_site):
    site = leaky_site(make_site)
    site.write("content/news/b.md", entry(title="较新的动态", serial="2024-00005", published="2024-06-01 08:30",
                                          keywords="环境、监测"))
    site.build()
    records = json.loads((site.root / "site/catalogue.json").read_text())
    assert [r["index_no"] for r in records] == [f"{ORG}/2024-00005", f"{ORG}/2024-00001"]
    newest = records[0]
    assert newest == {
        "column": "news", "data_path": "entries/2024-00005.json", "department": None, "doc_no": None,
        "index_no": f"{ORG}/2024-00005",
        "interpretations": [], "interprets": None, "key_areas": [], "keywords": ["环境", "监测"],
        "implements": None, "implementations": [],
        "path": "entries/2024-00005.html", "published": "2024-06-01T08:30", "publisher": "测试市环境保护局",
        "summary": None, "title": "较新的动态", "topic": None, "type": "news",
        "url": "https://www.example.gov.cn/test/entries/2024-00005.html", "validity": None, "written": None,
    }


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_internal_link_resolves_inside_the_output(make_site):
    files = {f"content/news/n{i}.md": entry(title=f"动态{i}", serial=f"2024-{i:05d}", published=f"2024-05-{i % 28 + 1:02d}")
             for i in range(1, 46)}
    site = make_site(files)
    site.build()
    out = site.root / "site"
    checked = 0
    for page in out.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text())
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            if link.startswith("/"):  # the 404 page links from the host root, under base_url's path
                assert page.name == "404.html" and link.startswith("/test/"), link
                target = (out / unquote(parts.path).removeprefix("/test/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)} → {link}"
            assert target.is_relative_to(out.resolve())
            checked += 1
    assert checked > 500


def test_column_lists_are_paginated_newest_first(make_site):
    files = {f"content/news/n{i}.md": entry(title=f"动态{i}", serial=f"2024-{i:05d}", published=f"2024-03-{i % 28 + 1:02d}")
             for i in range(1, 46)}
    site = make_site(files)
    site.build()
    news = site.root / "site/news"
    assert sorted(p.name for p in news.glob("*.html")) == ["index.html", "page-2.html", "page-3.html"]
    first = (news / "index.html").read_text()
    dates = re.findall(r'<time datetime="([\d-]+)">', first)
    assert len(dates) == 20 and dates == sorted(dates, reverse=True)
    assert "共 45 条" in first and 'rel="next"' in first
