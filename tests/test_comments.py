"""Editors' comments are removed as the file is read: no page, data file, feed or search index carries them."""

from __future__ import annotations

import gzip

import pytest
from conftest import entry

from disclosure_site.core.comments import strip_comments

FORMS = {
    "html": "<!-- {secret} -->",
    "html-bang-closer": "<!-- {secret} --!>",
    "html-multi-line": "<!--\n{secret}\n第二行 -->",
    "html-inline": "行内<!-- {secret} -->文字",
    "html-in-code": "```\n<!-- {secret} -->\n```",
    "slashes-parens": "[//]: # ({secret})",
    "slashes-double-quotes": '[//]: # "{secret}"',
    "slashes-single-quotes": "[//]: # '{secret}'",
    "slashes-title-next-line": '[//]: #\n"{secret}"',
    "slashes-no-space": "[//]: #({secret})",
    "slashes-bare-text": "[//]: # 备注{secret}",
    "comment-angle": "[comment]: <> ({secret})",
    "comment-hash": "[comment]: # ({secret})",
    "in-blockquote": "> 引文\n> [//]: # ({secret})\n> 引文续",
    "in-list": "- 一\n- [//]: # ({secret})\n- 二",
}


def secret(name: str) -> str:
    return f"注释金丝雀{list(FORMS).index(name):02d}"


def body() -> str:
    parts = [form.format(secret=secret(name)) for name, form in FORMS.items()]
    return "正文开头。\n\n" + "\n\n".join(parts) + "\n\n正文结尾。\n"


def all_output_bytes(out) -> dict[str, bytes]:
    """Every output file's content, gzip members (Pagefind's index) decompressed."""
    found = {}
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            found[path.relative_to(out).as_posix()] = data
    return found


def test_no_comment_form_reaches_any_output_file(make_site):
    site = make_site({"content/news/a.md": entry().replace("正文。\n", body())})
    assert site.build().report.sorted() == []
    files = all_output_bytes(site.root / "site")
    assert {"entries/2024-00001.json", "entries/2024-00001.html", "catalogue.json", "catalogue.csv", "atom.xml"} <= set(files)
    assert any(path.startswith("pagefind/") for path in files)
    leaks = [(name, path) for name in FORMS for path, data in files.items() if secret(name).encode() in data]
    assert leaks == []
    page = files["entries/2024-00001.html"].decode()
    assert "正文开头。" in page and "正文结尾。" in page and "行内文字" in page and "引文续" in page
    assert "正文结尾。" in files["entries/2024-00001.json"].decode()


def test_an_angle_bracket_comment_is_not_a_missing_link(make_site):
    # A reference link that is used is checked (on its definition's line); the comment is not a link at all.
    text = entry().replace("正文。\n", "正文。\n\n[comment]: <> (内部备注)\n\n见[附表][x]。\n\n[x]: 不存在.pdf\n")
    assert make_site({"content/news/a.md": text}).messages() == [
        "content/news/a.md:13: 错误 [LINK_MISSING] 链接「不存在.pdf」指向的文件不存在（路径相对于本条目文件，且须在 content/ 内）"]


def test_later_problems_keep_their_line_numbers(make_site):
    text = entry().replace("正文。\n", "正文。<!-- 一\n二\n三 -->尾\n[//]: # (四\n五)\n\n[坏](不存在.pdf)\n")
    assert text.split("\n").index("[坏](不存在.pdf)") + 1 == 13
    assert make_site({"content/news/a.md": text}).messages() == [
        "content/news/a.md:13: 错误 [LINK_MISSING] 链接「不存在.pdf」指向的文件不存在（路径相对于本条目文件，且须在 content/ 内）"]


def test_an_unclosed_comment_is_an_error_on_its_line_and_nothing_is_written(make_site):
    text = entry().replace("正文。\n", "正文。\n\n第三段 <!-- 忘了结束\n\n后面的正文\n")
    site = make_site({"content/news/a.md": text})
    outcome = site.build()
    assert [d.format() for d in outcome.report] == [
        "content/news/a.md:9: 错误 [UNCLOSED_COMMENT] 注释「<!--」没有结束标记「-->」：浏览器会把此后的全部正文当作注释隐藏。"
        "请在注释末尾加上「-->」；如果要显示「<!--」本身，请写成「&lt;!--」"]
    assert not (site.root / "site").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("a<!-- x -->b", "ab"),
    ("a<!-- x --!>b", "ab"),  # the malformed closer browsers honour
    ("a<!-->b", "ab"),  # abrupt: an empty comment, the text after it shows
    ("a<!--->b", "ab"),
    ("a<!---->b", "ab"),
    ("a<!-- x --!y -->b", "ab"),
    ("a<!-- <!-- x -->b-->", "ab-->"),  # comments do not nest
    ("<!--\nx\n-->\ny", "\n\n\ny"),
    ("[//]: # (x)\ny", "\ny"),
    ("[//]: #\ny", "\ny"),
    ("[//]: # \"x\ny\"\nz", "\n\nz"),  # a title may span lines
    ("[//]: #\n(x)\nz", "\n\nz"),  # or start on the next line
    ("[//]: #\n\n(x)", "\n\n(x)"),  # but not after a blank line
    ("[//]: # (a (b) c)", ""),
    ("[comment]: <#> (x)", ""),
    ("   [//]: # (x)", ""),
    ("> a\n> [//]: # (x)\n> b", "> a\n>\n> b"),
    ("1. a\n2. [//]: # (x)", "1. a\n"),
])
def test_comment_forms_are_removed_and_line_breaks_kept(text, expected):
    assert strip_comments(text) == (expected, None)


@pytest.mark.parametrize("text", [
    "[top]: #top", "[x]: https://www.gov.cn/", "[x]: <https://www.gov.cn/> (标题)", "a <!- x -> b", "[//]:\n# 标题",
    "<!-", "# 标题",
])
def test_text_that_is_not_a_comment_stays(text):
    assert strip_comments(text) == (text, None)


def test_an_unclosed_comment_hides_the_rest_and_names_its_line():
    assert strip_comments("a\nb <!-- c\nd") == ("a\nb \n", 1)
