"""One Markdown parse per body: links, headings and short-link titles come from the parser, never from a scan."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import ORG, TODAY, entry

from disclosure_site import pipeline
from disclosure_site.body import links
from disclosure_site.model.body import Body

MISSING = "指向的文件不存在（路径相对于本条目文件，且须在 content/ 内）"


def page(site, serial: str = "2024-00001") -> str:
    """The body part of an entry page."""
    html = (site.root / f"site/entries/{serial}.html").read_text(encoding="utf-8")
    return html.split('<div class="body"', 1)[1].split('>', 1)[1].split("<footer")[0]


def test_links_inside_code_are_neither_checked_nor_rewritten(make_site):
    body = ("行内 `[坏](不存在.pdf)` 和 `<a href=\"b.md\">`\n\n"
            "```\n[坏](不存在.pdf) [[2024-00009]]\n```\n\n"
            "~~~\n<img src=\"不存在.png\"> [另一条](b.md)\n~~~\n\n"
            "    [缩进](不存在.pdf)\n\n"
            "[真链接](b.md)\n")
    site = make_site({"content/news/a.md": entry().replace("正文。\n", body),
                      "content/news/b.md": entry(title="另一条", serial="2024-00002")})
    assert site.messages() == []
    site.build()
    body_html = page(site)
    assert "<code>[坏](不存在.pdf)</code>" in body_html and '<code>&lt;a href="b.md"&gt;</code>' in body_html
    assert "[坏](不存在.pdf) [[2024-00009]]" in body_html
    assert '&lt;img src="不存在.png"&gt; [另一条](b.md)' in body_html
    assert '<a href="2024-00002.html" rel="noopener noreferrer">真链接</a>' in body_html


def test_a_tilde_fence_keeps_its_hash_lines(make_site):
    body = "~~~\n# 这是代码里的注释\n~~~\n\n```\n# 这也是\n```\n"
    site = make_site({"content/news/a.md": entry().replace("正文。\n", body)})
    site.build()
    assert "<pre><code># 这是代码里的注释\n</code></pre>" in page(site)
    assert "<pre><code># 这也是\n</code></pre>" in page(site)


@pytest.mark.parametrize("body", ["#工作要点\n", "工作要点\n====\n", "# 工作要点\n", "> # 工作要点\n"],
                         ids=["no-space", "setext", "atx", "in-quote"])
def test_every_first_level_heading_becomes_a_second_level_one(make_site, body):
    site = make_site({"content/news/a.md": entry().replace("正文。\n", body)})
    site.build()
    assert 'id="gong-zuo-yao-dian">工作要点</h2>' in page(site)
    assert "<h1" not in page(site).split("</h1>", 1)[-1]


def test_an_unquoted_image_source_is_checked(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。\n", "正文。\n\n<img src=不存在.png alt=图>\n")})
    assert site.messages() == [f"content/news/a.md:9: 错误 [LINK_MISSING] 链接「不存在.png」{MISSING}"]


def test_a_short_link_shows_its_targets_title_as_written(make_site):
    title = "关于*星号*和[括号]及 &amp; 的通知"
    site = make_site({"content/news/a.md": entry(published="2024-05-07").replace("正文。", "见[[2024-00002]]。"),
                      "content/news/b.md": entry(title=f'"{title}"', serial="2024-00002")})
    assert site.messages() == []
    site.build()
    shown = "关于*星号*和[括号]及 &amp;amp; 的通知"
    assert f'<a href="2024-00002.html" rel="noopener noreferrer">{shown}</a>' in page(site)
    feed = (site.root / "site/atom.xml").read_text(encoding="utf-8")
    assert f"见{shown}。" in feed


def test_each_body_is_parsed_once_per_build(make_site, monkeypatch):
    shared = f"同样的正文，见[[{ORG}/2024-00001]]。\n"
    site = make_site({
        "content/news/a.md": entry().replace("正文。", "[附件](files/表.csv)，**粗**"),
        "content/news/b.md": entry(serial="2024-00002").replace("正文。\n", shared),
        "content/news/c.md": entry(serial="2024-00003").replace("正文。\n", shared),
        "content/news/d.md": entry(serial="2024-00004", draft="true").replace("正文。", "草稿[链接](files/草稿.csv)"),
        "content/news/e.md": entry(serial="2024-00005").replace("正文。", "没有链接的正文"),
        "content/news/files/表.csv": "a\n1\n",
        "content/news/files/草稿.csv": "a\n2\n",
    })
    parsed: list[str] = []
    real = links.parse_markdown

    def counted(text: str, document: bool = False) -> Body:
        parsed.append(text)
        return real(text, document)

    monkeypatch.setattr(links, "parse_markdown", counted)
    outcome = pipeline.build(site.root, site.root / "site", TODAY, search=False, history=False, jobs=1, cache=False)
    assert outcome.files and not outcome.report.fails(strict=False)
    # Four distinct bodies (b and c share one, the draft's is parsed for its links), each parsed once.
    assert Counter(parsed) == dict.fromkeys(
        ["[附件](files/表.csv)，**粗**\n", shared, "草稿[链接](files/草稿.csv)\n", "没有链接的正文\n"], 1)


def test_a_cached_page_shows_the_new_title_of_the_entry_it_short_links_to(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。", "见[[2024-00002]]。"),
                      "content/news/b.md": entry(title="旧标题", serial="2024-00002")})
    site.build()
    assert ">旧标题</a>" in page(site)
    site.write("content/news/b.md", entry(title="新标题", serial="2024-00002"))
    site.build()
    assert ">新标题</a>" in page(site)


def test_a_cached_page_follows_a_link_whose_target_moved(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。", "见[另一条](b.md)。"),
                      "content/news/b.md": entry(serial="2024-00002")})
    site.build()
    assert 'href="2024-00002.html"' in page(site)
    site.write("content/news/b.md", entry(serial="2024-00003"))
    site.build()
    assert 'href="2024-00003.html"' in page(site)


def test_a_private_use_character_in_the_text_is_not_taken_for_a_slot():
    from disclosure_site.body.markdown import parse_markdown

    body = parse_markdown("\ue000 &#xE001; [表](表.csv)\n")
    assert body.html == ("<p>\ue000 \ue001 <a href=\"", "\" rel=\"noopener noreferrer\">表</a></p>")
    assert [(link.target, link.line) for link in body.links] == [("表.csv", 0)]


def test_links_keep_the_line_they_are_written_on(make_site):
    body = "第一行 [甲](缺一.pdf)\n\n`[甲](缺二.pdf)` 在代码中\n\n[乙](缺二.pdf) 和 [[缺三.pdf]]\n\n[引用][r]\n\n[r]: 缺四.pdf\n"
    site = make_site({"content/news/a.md": entry().replace("正文。\n", body)})
    assert sorted((d.line, d.message.split("」")[0]) for d in site.check()) == [
        (7, "链接「缺一.pdf"), (11, "链接「缺三.pdf"), (11, "链接「缺二.pdf"), (15, "链接「缺四.pdf")]


def test_headings_come_from_the_parse_with_their_lines_and_places():
    from disclosure_site.body.markdown import parse_markdown

    text = ("# 一、总体情况\n\n```\n# 五、代码里的注释\n## 五、存在的问题\n```\n\n    # 缩进的代码\n\n"
            "#五、存在的问题\n\n六、下划线\n===\n\n> 引用里的\n> ---\n\n### 三级 **粗** [链](a.pdf)\n\n###### 六级\n")
    body = parse_markdown(text)
    assert [(h.level, h.text, h.line) for h in body.headings] == [
        (2, "一、总体情况", 0), (2, "五、存在的问题", 9), (2, "六、下划线", 11), (2, "引用里的", 14),
        (3, "三级 粗 链", 17), (6, "六级", 19)]
    assert [h.id for h in body.headings] == ["yi-zong-ti-qing-kuang", "wu-cun-zai-de-wen-ti", "liu-xia-hua-xian",
                                             "yin-yong-li-de", "san-ji-cu-lian", "liu-ji"]
    for heading in body.headings:
        assert body.html[heading.part][heading.offset:].startswith(f'<h{heading.level} id="{heading.id}">')
    assert [link.line for link in body.links] == [17]


def test_a_heading_the_page_does_not_show_is_not_a_heading_of_the_body():
    from disclosure_site.body.markdown import parse_markdown

    body = parse_markdown("## 一、总体情况\n\n<textarea>\n\n## 五、被吞掉的\n")
    assert [h.text for h in body.headings] == ["一、总体情况"]


def test_a_link_after_tab_indented_code_keeps_its_line():
    from disclosure_site.body.markdown import parse_markdown

    body = parse_markdown("```\n\t[甲](缺.pdf)\n```\n\n[甲](缺.pdf)\n")
    assert [link.line for link in body.links] == [4]


def test_a_body_cut_at_a_heading_is_the_whole_body_in_two():
    from disclosure_site.body.markdown import parse_markdown
    from disclosure_site.model.body import BodyLinks

    body = parse_markdown("[甲](a.pdf)\n\n## 一、[[2024-00002]]\n\n[乙](b.pdf)\n\n## 五、改进\n\n[[2024-00003]]\n")
    linked = BodyLinks(body.links, (None,) * len(body.links), ("标题二", "标题三"))
    whole = links.finish(body, linked, "entries/2024-00001.html")
    for heading in body.headings:
        before, after = links.finish_around(body, linked, "entries/2024-00001.html", heading)
        assert before + after == whole
        assert after.startswith(f'<h2 id="{heading.id}">')
