"""两微一端: every entry page says what apps show when it is shared, and every published entry has a page whose
dashed box pastes into the WeChat 公众号 editor with its look intact, plus a 微博 text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from browser import SCREENSHOTS
from conftest import ORG, entry

from disclosure_site.body.wechat import inline_styled
from disclosure_site.render.wechat import WEIBO_LENGTH, weibo_text

BASE = "https://www.example.gov.cn/test/"
UNSTYLED = {"br", "tr", "thead", "tbody", "tfoot"}
"""Elements whose look is their cells' or none: the only ones in the box that need no ``style``."""
BODY = """\
## 一、基本情况

正文第一段，见[生态环境部](https://www.mee.gov.cn/)和[另一条](2024-00002)。

| 项目 | 数量 |
| --- | --- |
| 审批 | 12 |

![示意图](images/map.png)
"""


class _Heads(HTMLParser):
    """The ``<meta property>`` values and the canonical link of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.props: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property"):
            self.props[str(values["property"])] = str(values.get("content"))
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = str(values.get("href"))


def heads(page: Path) -> _Heads:
    parser = _Heads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


class _Box(HTMLParser):
    """Every element inside ``#wechat-copy``: tag and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.elements.append((tag, dict(attrs)))
            if tag not in {"br", "img", "hr"}:
                self.depth += 1
        elif dict(attrs).get("id") == "wechat-copy":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def box(page: Path) -> _Box:
    parser = _Box()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def published_site(make_site, title: str = "测试动态", **keys: object):
    site = make_site({
        "content/news/a.md": entry(title=title, **keys).replace("正文。\n", BODY),
        "content/news/b.md": entry(title="另一条动态", serial="2024-00002"),
        "content/news/images/map.png": "not really a picture",
    })
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return site.root / "site"


def test_an_entry_page_says_what_apps_show_when_it_is_shared(make_site):
    title = """关于"测试"&<通知>的说明"""
    out = published_site(make_site, title=f"'{title}'", published='"2024-05-06 09:30"')
    raw = (out / "entries/2024-00001.html").read_text(encoding="utf-8")
    found = heads(out / "entries/2024-00001.html")
    assert found.canonical == found.props["og:url"] == BASE + "entries/2024-00001.html"
    assert found.props["og:type"] == "article"
    assert found.props["og:title"] == title
    assert '<meta property="og:title" content="关于&#34;测试&#34;&amp;&lt;通知&gt;的说明">' in raw
    assert found.props["og:site_name"] == "测试市环境保护局政府信息公开目录"
    assert found.props["og:locale"] == "zh_CN"
    assert found.props["article:published_time"] == "2024-05-06T09:30:00+08:00"
    # No 内容概述: the start of the body's text, plain.
    assert found.props["og:description"].startswith("一、基本情况 正文第一段，见生态环境部")
    assert "<" not in found.props["og:description"]


def test_a_long_summary_is_cut_to_120_characters(make_site):
    out = published_site(make_site, summary="长" * 300)
    described = heads(out / "entries/2024-00001.html").props["og:description"]
    assert len(described) == 120 and described.endswith("…")


def test_list_pages_are_shared_as_the_website(make_site):
    out = published_site(make_site)
    column = heads(out / "news/index.html")
    assert column.canonical == column.props["og:url"] == BASE + "news/index.html"
    assert column.props["og:type"] == "website"
    assert column.props["og:title"] == "工作动态 - 测试市环境保护局政府信息公开目录"
    assert heads(out / "index.html").props["og:url"] == BASE + "index.html"


def test_only_published_entries_get_a_wechat_page_and_none_is_in_the_sitemap(make_site):
    site = make_site({
        "content/news/a.md": entry(),
        "content/news/draft.md": entry(title="草稿", serial="2024-00002", draft="true"),
        "content/news/future.md": entry(title="未来", serial="2026-00003", published="2026-12-30"),
        "content/news/asked.md": entry(title="依申请", serial="2024-00004", disclosure="依申请公开",
                                       withhold_reason="仅依申请提供"),
    })
    assert site.build().files
    out = site.root / "site"
    assert sorted(p.name for p in out.rglob("*.wechat.html")) == ["2024-00001.wechat.html"]
    assert ".wechat.html" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    page = (out / "entries/2024-00001.wechat.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "data-pagefind-body" not in page


def test_the_copyable_box_carries_its_look_inline(make_site):
    out = published_site(make_site, summary="概述文字。")
    page = out / "entries/2024-00001.wechat.html"
    html = page.read_text(encoding="utf-8")
    assert "复制下方虚线框内的内容，粘贴到公众号编辑器" in html.split('id="wechat-copy"')[0]
    copy = box(page)
    tags = [tag for tag, _ in copy.elements]
    assert {"p", "table", "td", "th", "img", "strong"} <= set(tags)
    assert not {"a", "style", "script", "iframe", "link", "h2", "div"} & set(tags)
    assert [tag for tag, attrs in copy.elements if "class" in attrs or "id" in attrs] == []
    assert [tag for tag, attrs in copy.elements if tag not in UNSTYLED and not attrs.get("style")] == []
    cells = [attrs["style"] for tag, attrs in copy.elements if tag in ("td", "th")]
    assert cells and all("border:1px solid" in str(style) for style in cells)
    headings = [attrs["style"] for tag, attrs in copy.elements if tag == "p" and "font-weight:bold" in str(attrs["style"])]
    assert any("font-size:19px" in str(style) for style in headings)
    text = "".join(copy.text)
    assert "生态环境部（https://www.mee.gov.cn/）" in text
    assert f"另一条（{BASE}entries/2024-00002.html）" in text
    assert [attrs["src"] for tag, attrs in copy.elements if tag == "img"] == [BASE + "files/news/images/map.png"]
    assert f"发布机构：测试市环境保护局　发布日期：2024-05-06　索引号：{ORG}/2024-00001" in text
    assert text.rstrip().endswith(f"原文链接：{BASE}entries/2024-00001.html")


def test_attachments_are_listed_with_their_addresses(make_site):
    site = make_site({
        "content/news/a.md": entry(attachments="[{file: files/表.pdf, title: 统计表}]"),
        "content/news/files/表.pdf": "%PDF-1.4 test",
    })
    assert site.build().files
    text = "".join(box(site.root / "site/entries/2024-00001.wechat.html").text)
    assert re.search(r"1\. 统计表（PDF，[0-9.]+ B）：https://www\.example\.gov\.cn/test/files/news/files/%E8%A1%A8\.pdf",
                     text), text


def test_the_weibo_text_fits_140_characters_with_the_link():
    address = BASE + "entries/2024-00001.html"
    assert weibo_text("短标题", address) == f"短标题 原文链接：{address}"
    long = weibo_text("很长的标题" * 40, address)
    assert long.endswith(f"… 原文链接：{address}")
    assert len(long) - len(address) + 23 <= WEIBO_LENGTH  # Weibo counts any link as 23 characters


def test_inline_styling_resolves_addresses_and_keeps_only_what_the_editor_keeps():
    page = BASE + "entries/2024-00001.html"
    styled = inline_styled('<h3 id="x">标题</h3><p><a href="../files/a.pdf">下载</a> <a href="#x">上文</a> '
                           '<a href="mailto:a@b.cn">a@b.cn</a><em>强调</em></p><div class="table-scroll">'
                           '<table><tr><td colspan="2">1 &amp; 2</td></tr></table></div>', page)
    assert 'id=' not in styled and "class=" not in styled and "<a" not in styled
    assert f"下载</span><span style=\"font-size:14px;color:#888888;word-break:break-all;\">（{BASE}files/a.pdf）" in styled
    assert "上文</span> " in styled  # an anchor within the page has no address to show
    assert "a@b.cn</span><em" in styled  # the text already is the address
    assert '<td style="border:1px solid #999999;padding:6px 8px;vertical-align:top;text-align:left;" colspan="2">1 &amp; 2' in styled
    assert styled.startswith('<p style="margin:24px 0 12px;font-weight:bold;line-height:1.6;color:#222222;font-size:18px;">标题</p>')


def test_a_phone_shows_the_copyable_box_without_scrolling_sideways(make_site, browser):
    wide = "| " + " | ".join(f"列{n}" for n in range(12)) + " |\n|" + " --- |" * 12 + "\n| " + \
        " | ".join("2024-05-06" for _ in range(12)) + " |\n"
    site = make_site({"content/news/a.md": entry().replace("正文。\n", "见 https://www.example.gov.cn/" + "a" * 120 +
                                                            "\n\n" + wide)})
    assert site.build().files
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto((site.root / "site/entries/2024-00001.wechat.html").as_uri())
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "wechat-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        width = page.locator("#wechat-copy").evaluate("e => e.getBoundingClientRect().width")
        assert 300 <= width <= 375
        assert page.locator("#wechat-copy table").is_visible()
        assert "原文链接" in page.locator("#wechat-copy").inner_text()
    finally:
        context.close()
