"""A document's page reads like the paper 公文 (GB/T 9704—2012).

The 版头 (organ mark, 文号, red rule, title) is made from the metadata; the body's 主送, 落款, 成文日期, 附件说明 and
版记 are recognised in its one parse and laid out by class, for documents only; a body that types the header again
gets a notice. The layout is measured in Chromium at phone and desktop widths and printed to an A4 PDF.
"""

from __future__ import annotations

import io
import itertools
import re

import pytest
from conftest import ORG, entry

from disclosure_site.body.markdown import parse_markdown

TITLE = "关于印发甲方案的通知"
BODY = """局机关各科（室）、直属各单位：

为做好工作，现将《甲方案》印发给你们，请认真贯彻执行。

## 一、总体要求

### （一）工作目标

附件：1. 甲方案
2. 乙表

测试市环境保护局

2024年5月6日

（此件公开发布）

公开方式：主动公开

测试市环境保护局办公室

2024年5月6日印发
"""


def document(body: str = BODY, **keys: object) -> str:
    fields: dict[str, object] = {"written": "2024-05-06", "department": "办公室", "doc_no": "测环〔2024〕1号"}
    return entry(title=TITLE, **(fields | keys)).replace("正文。\n", body)


def built(make_site, files: dict[str, str]) -> dict[str, str]:
    site = make_site(files)
    assert site.messages() == []
    site.build()
    return {serial: (site.root / f"site/entries/{serial}.html").read_text(encoding="utf-8")
            for serial in ("2024-00001", "2024-00002") if (site.root / f"site/entries/{serial}.html").exists()}


def head_of(page: str) -> str:
    return page.split('<header class="gw-head">')[1].split("</header>")[0]


def body_of(page: str) -> str:
    return page.split('<div class="body" id="body" tabindex="-1">')[1].split("</article>")[0]


# ── the page ──

def test_a_documents_header_comes_from_its_metadata_above_the_body(make_site):
    page = built(make_site, {"content/documents/a.md": document()})["2024-00001"]
    head = head_of(page)
    assert '<p class="gw-organ" data-pagefind-ignore>测试市环境保护局文件</p>' in head
    assert '<p class="gw-doc-no">测环〔2024〕1号</p>' in head
    assert f'<h1 class="gw-heading" data-pagefind-meta="title">{TITLE}</h1>' in head
    assert page.count("<h1") == 1 and page.index("gw-head") < page.index('class="metadata"') < page.index('id="body"')
    assert '<body class="gongwen">' in page
    assert f'<p class="print-source" data-pagefind-ignore>索引号：{ORG}/2024-00001　网址：' in page


def test_the_body_marks_the_parts_of_the_paper_document(make_site):
    body = body_of(built(make_site, {"content/documents/a.md": document()})["2024-00001"])
    assert '<p class="gw-to">局机关各科（室）、直属各单位：</p>' in body
    assert "<p>为做好工作" in body
    assert '<h2 class="gw-l1" id=' in body and '<h3 class="gw-l2" id=' in body
    assert '<p class="gw-attach">附件：1. 甲方案\n2. 乙表</p>' in body
    assert ('<div class="gw-closing">\n<p class="gw-sign">测试市环境保护局</p>\n<p class="gw-date">2024年5月6日</p>\n'
            "</div>") in body
    assert "<p>（此件公开发布）</p>" in body and '<p class="gw-note">公开方式：主动公开</p>' in body
    assert ('<div class="gw-imprint">\n<p>测试市环境保护局办公室</p>\n<p>2024年5月6日印发</p>\n</div>') in body


def test_organ_mark_overrides_the_default_and_a_document_without_doc_no_has_none(make_site):
    pages = built(make_site, {
        "content/documents/a.md": document(organ_mark="测试市环境保护局", genre="函"),
        "content/documents/b.md": document(doc_no=None, serial="2024-00002"),
    })
    assert '<p class="gw-organ" data-pagefind-ignore>测试市环境保护局</p>' in head_of(pages["2024-00001"])
    bare = head_of(pages["2024-00002"])
    assert "gw-banner" not in bare and "gw-organ" not in bare and "gw-doc-no" not in bare
    assert f'<h1 class="gw-heading" data-pagefind-meta="title">{TITLE}</h1>' in bare


def test_other_types_keep_their_plain_page_and_body(make_site):
    news = entry(serial="2024-00002").replace("正文。\n", BODY + '\n<p class="gw-to">贴入</p>\n')
    page = built(make_site, {"content/documents/a.md": document(), "content/news/b.md": news})["2024-00002"]
    assert "gw-" not in page and "gongwen" not in page and "print-source" not in page
    assert '<h1 data-pagefind-meta="title">测试动态</h1>' in page
    body = body_of(page)
    assert "<p>局机关各科（室）、直属各单位：</p>" in body and "<p>2024年5月6日</p>" in body
    assert "<p>贴入</p>" in body  # a pasted class is dropped outside documents, as every class always was


def test_the_parse_is_unchanged_for_other_types():
    plain, laid_out = parse_markdown(BODY), parse_markdown(BODY, True)
    assert plain.html != laid_out.html
    assert "class=" not in "".join(plain.html) and plain.opening == ()
    assert laid_out.opening == () and [h.text for h in laid_out.headings] == [h.text for h in plain.headings]


# ── what the parse recognises ──

def classes(body: str) -> list[tuple[str, str]]:
    """``(class, text)`` of each marked element of a document's body."""
    html = "".join(parse_markdown(body, True).html)
    return re.findall(r'<(?:p|h[2-6]|div) class="([^"]+)"[^>]*>([^<]*)', html)


def test_a_colon_line_after_a_heading_or_a_sentence_is_not_the_recipients():
    assert classes("## 一、要求\n\n各部门要做到：\n") == [("gw-l1", "一、要求")]
    assert classes("正文一句。\n\n各部门要做到：\n") == []
    assert classes("> 本文件已废止。\n\n各科室：\n\n正文。\n") == [("gw-to", "各科室：")]


def test_dates_in_chinese_numerals_and_the_signature_rules():
    assert classes("正文。\n\n测试市环境保护局\n\n二〇二四年十二月三十一日\n") == [
        ("gw-closing", "\n"), ("gw-sign", "测试市环境保护局"), ("gw-date", "二〇二四年十二月三十一日")]
    # a sentence or a list line before the date is no signature
    assert classes("正文，到此为止。\n\n2024年5月6日\n") == [("gw-closing", "\n"), ("gw-date", "2024年5月6日")]
    assert classes("甲、乙\n\n2024年5月6日\n")[-1] == ("gw-date", "2024年5月6日")
    assert ("gw-sign", "甲、乙") not in classes("甲、乙\n\n2024年5月6日\n")
    # a date inside a sentence, or pasted HTML before a date, is left alone
    assert classes("2024年5月6日召开会议。\n") == []
    assert ("gw-sign", "") not in classes("<div>测试市环境保护局</div>\n\n2024年5月6日\n")


def test_the_opening_lines_before_the_recipients_are_noted():
    body = parse_markdown(f"**测试市环境保护局文件**\n\n测环〔2024〕1号\n\n# {TITLE}\n\n各科室：\n\n正文。\n", True)
    assert body.opening == ("测试市环境保护局文件", "测环〔2024〕1号", TITLE)
    assert "gw-to" not in "".join(body.html)  # a heading came first: only a clean body gets its 主送 marked


# ── check ──

def test_a_body_that_repeats_the_header_gets_a_notice_per_line(make_site):
    body = f"**测试市环境保护局文件**\n\n测环〔2024〕1号\n\n{TITLE}\n\n各科室：\n\n正文。\n"
    site = make_site({"content/documents/a.md": document(body)})
    rel = "content/documents/a.md"
    tail = "，页面已按元数据在正文上方的公文版头中显示，正文再写一次就显示两次：请删除这一行，正文从主送机关（如「各科室：」）或第一段写起"
    assert site.messages() == [
        f"{rel}:10: 提示 [BODY_REPEATS_HEADER] 正文开头的「测试市环境保护局文件」是发文机关标志（organ_mark）{tail}",
        f"{rel}:12: 提示 [BODY_REPEATS_HEADER] 正文开头的「测环〔2024〕1号」是文号（doc_no）{tail}",
        f"{rel}:14: 提示 [BODY_REPEATS_HEADER] 正文开头的「{TITLE}」是标题（title）{tail}",
    ]
    assert not site.check().fails(strict=True)


def test_a_draft_is_told_and_a_withheld_document_or_a_news_body_is_not(make_site):
    repeats = f"{TITLE}\n\n各科室：\n\n正文。\n"
    site = make_site({
        "content/news/a.md": entry(title=TITLE).replace("正文。\n", repeats),
        "content/documents/b.md": document("测试市环境保护局办公室\n\n各科室：\n\n正文。\n", serial="2024-00002"),
        "content/documents/c.md": document(repeats, serial="2024-00003", disclosure="依申请公开",
                                           withhold_reason="涉及商业秘密"),
        "content/documents/d.md": document(repeats, serial="2024-00004", draft="true"),
    })
    assert [m.split(" 提示 ")[0] + " " + m.split("「")[1].split("」")[0] for m in site.messages()] == [
        f"content/documents/d.md:11: {TITLE}"]


# ── in a real browser: the demo's seed policy (主送, 落款, 版记) and its 2026 procedure (附件说明) ──

CENTRED = """e => {
  const box = e.getBoundingClientRect(), range = document.createRange();
  range.selectNodeContents(e);
  return [...range.getClientRects()].map(line => [line.left - box.left, box.right - line.right]);
}"""
FIRST_CHARACTER = """e => {
  const text = document.createTreeWalker(e, NodeFilter.SHOW_TEXT).nextNode(), range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  return [range.getBoundingClientRect().left - e.getBoundingClientRect().left, parseFloat(getComputedStyle(e).fontSize)];
}"""
EDGES = """e => { const r = e.getBoundingClientRect(), body = document.querySelector('.body').getBoundingClientRect();
  return [r.left - body.left, body.right - r.right, (r.left + r.right) / 2, parseFloat(getComputedStyle(e).fontSize)]; }"""
ATTACHMENT_LINES = """e => {
  const text = e.firstChild, at = n => { const r = document.createRange(); r.setStart(text, n); r.setEnd(text, n + 1);
    return r.getBoundingClientRect().left; };
  return [at(text.data.indexOf('1.')), at(text.data.indexOf('2.'))];
}"""


def _pages() -> tuple[str, str]:
    from test_browser import PAGES

    policy = PAGES["policy"]
    return policy, policy.rsplit("/", 1)[0] + "/2026-00093.html"


def _open(browser, url: str, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return ctx, page


@pytest.mark.parametrize("width", [375, 1280])
def test_the_document_is_laid_out_as_on_paper(browser, nginx_demo, width):
    from browser import SCREENSHOTS

    policy, procedure = _pages()
    ctx, page = _open(browser, nginx_demo + policy, width)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"gongwen-{width}.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": 2000})
        for selector in ("main h1", ".gw-organ", ".gw-doc-no"):
            for left, right in page.locator(selector).evaluate(CENTRED):
                assert abs(left - right) <= 3, (selector, left, right)
        red = page.locator(".gw-banner").evaluate("e => getComputedStyle(e).borderBottomColor")
        assert red == page.locator(".gw-organ").evaluate("e => getComputedStyle(e).color") == "rgb(192, 0, 0)"
        indent, size = page.locator(".body > p:not([class])").first.evaluate(FIRST_CHARACTER)
        assert abs(indent - 2 * size) <= 1, indent
        assert page.locator(".body > p.gw-to").evaluate(FIRST_CHARACTER)[0] <= 1
        date_left, date_right, date_centre, size = page.locator(".gw-date").first.evaluate(EDGES)
        expected = (2 if width < 640 else 4) * size  # 右空四字 (two on a phone)
        assert abs(date_right - expected) <= 2 and date_left > date_right, (date_left, date_right)
        sign_left, sign_right, sign_centre, _ = page.locator(".gw-sign").first.evaluate(EDGES)
        assert abs(sign_centre - date_centre) <= 2 and sign_left > sign_right
        office, printed = page.locator(".gw-imprint p").evaluate_all(
            "ps => ps.map(p => p.getBoundingClientRect()).map(r => [r.left, r.right])")
        assert office[0] < printed[0] and printed[1] > office[1]
        page.goto(nginx_demo + procedure)
        first, second = page.locator(".gw-attach").evaluate(ATTACHMENT_LINES)
        assert abs(first - second) <= 1, (first, second)  # the attachments line up after 「附件：」
    finally:
        ctx.close()


def test_a_document_prints_on_a4_as_gb_t_9704_sets_it(browser, nginx_demo):
    from browser import SCREENSHOTS
    from pypdf import PdfReader

    policy, _ = _pages()
    ctx, page = _open(browser, nginx_demo + policy, 590)  # 590 CSS px = the 156 mm 版心
    try:
        page.emulate_media(media="print")
        for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".summary", ".skip-to-body"):
            assert not page.locator(hidden).first.is_visible(), hidden
        for shown in (".gw-head", ".body", ".metadata", ".print-source"):
            assert page.locator(shown).is_visible(), shown
        after_text = page.evaluate("""document.querySelector('.metadata').getBoundingClientRect().top >
                                      document.querySelector('.body').getBoundingClientRect().bottom""")
        assert after_text, "the 信息索引 is printed after the document, not inside its 版头"
        page.screenshot(path=str(SCREENSHOTS / "gongwen-print.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 590, "height": 1700})
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        ctx.close()
    artifacts = SCREENSHOTS.parent
    (artifacts / "gongwen-print.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4
    for number, sheet in enumerate(reader.pages[:3], start=1):
        glyphs = _glyphs(sheet)
        text = [(x, y) for x, y, char in glyphs if y > 35]  # above the 35 mm bottom margin: the 版心
        folio = "".join(char for _x, y, char in glyphs if y <= 35).replace(" ", "")
        assert folio == f"—{number}—", folio  # the page number sits below the 版心 …
        folio_x = min(x for x, y, _char in glyphs if y <= 35)
        assert folio_x > 105 if number % 2 else folio_x < 105  # … outside: right on odd pages, left on even ones
        assert abs(min(x for x, _y in text) - 28) < 1  # 订口 28 mm
        assert max(x for x, _y in text) + 5.6 <= 184.5  # 版心 156 mm wide: 26 mm on the right
        assert max(y for _x, y in text) <= 297 - 37  # 天头 37 mm
    lines = sorted({y for _x, y, _char in _glyphs(reader.pages[2]) if y > 35}, reverse=True)
    assert len(lines) == 22  # 22 lines of 3号 a page, 28.95 pt apart
    assert all(9.9 <= above - below <= 10.5 for above, below in itertools.pairwise(lines))


def _glyphs(sheet) -> list[tuple[float, float, str]]:
    """``(x, y, text)`` of every piece of text on a PDF page, in mm from its bottom left corner."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found.append(((tm[4] * cm[0] + cm[4]) / 72 * 25.4, (tm[5] * cm[3] + cm[5]) / 72 * 25.4, text))

    sheet.extract_text(visitor_text=visit)
    return found
