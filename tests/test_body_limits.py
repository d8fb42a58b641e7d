"""Bodies Python-Markdown would recurse on past Python's limit, or take minutes to convert, are refused by
check with the body line; the limits leave every real page far below them and keep conversion near a second."""

from __future__ import annotations

import subprocess
import sys
import time  # process_time: CPU time of this test alone, so a busy machine does not fail a bound meant for runaway input

import pytest
from conftest import REPO, TODAY, entry

from disclosure_site import pipeline
from disclosure_site.body.markdown import BodyTooDeep, parse_markdown
from disclosure_site.core.bodylimits import body_problem

BODY_LINE = 7
"""``entry()`` ends its front matter on line 6, so the body starts on line 7."""


def with_body(body: str) -> str:
    return entry().replace("正文。\n", body)


def run_check(site) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(site.root), "--no-cache"],
                          capture_output=True, text=True, cwd=site.root, timeout=60)


DEEP = "正文的引用（>）和列表（-、*、1.）在本行嵌套超过 20 层：请减少嵌套层数，或检查行首的符号和缩进（每 4 个空格算一层）"
EMPHASIS = ("正文的这一段中「*」或「_」太多（连续超过 200 个，或共超过 1000 处），会被当作层层嵌套的强调：请删去多余的符号；"
            "要显示符号本身请在前面加 \\，分隔线请单独成行")
HTML_DEEP = "正文中的 HTML 标签嵌套超过 100 层：请检查从本行起的标签，每个 <div>、<span>、<b> 等都要有对应的结束标签"
BRACKETS = ("正文的这一段中方括号「[」太多、嵌套太深或没有配对，转换会非常慢：请删去多余的「[」，要显示方括号本身请写成 \\[")


@pytest.mark.parametrize(("body", "line", "code", "message"), [
    ("引言\n\n" + "> " * 1000 + "引用\n", 2, "BODY_TOO_DEEP", DEEP),
    ("".join("    " * level + "- 项\n" for level in range(500)), 20, "BODY_TOO_DEEP", DEEP),
    ("".join("  " * level + "- 项\n" for level in range(500)), 40, "BODY_TOO_DEEP", DEEP),
    ("- " * 500 + "项\n", 0, "BODY_TOO_DEEP", DEEP),
    ("*" * 2000 + "强调" + "*" * 2000 + "\n", 0, "BODY_TOO_DEEP", EMPHASIS),
    ("_" * 2000 + "强调" + "_" * 2000 + "\n", 0, "BODY_TOO_DEEP", EMPHASIS),
    ("*甲 **乙 " * 600 + "丙" + "** 丁*" * 600 + "\n", 0, "BODY_TOO_DEEP", EMPHASIS),
    ("[" * 10000 + "\n", 0, "BODY_TOO_COMPLEX", BRACKETS),
    ("[" * 5000 + "链接" + "]" * 5000 + "\n", 0, "BODY_TOO_COMPLEX", BRACKETS),
    ("段落\n\n" + "<div>\n" * 5000 + "内容\n" + "</div>\n" * 5000, 102, "BODY_TOO_DEEP", HTML_DEEP),
    ("<b>" * 20000 + "粗体\n", 0, "BODY_TOO_DEEP", HTML_DEEP),
], ids=["quotes", "lists-4", "lists-2", "list-markers", "stars", "underscores", "emphasis-nesting", "brackets",
        "nested-links", "nested-divs", "nested-b"])
def test_deep_bodies_are_refused_by_check_with_their_line(make_site, body, line, code, message):
    site = make_site({"content/news/a.md": with_body(body)})
    started = time.monotonic()
    result = run_check(site)
    assert time.monotonic() - started < 15
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == f"content/news/a.md:{BODY_LINE + line}: 错误 [{code}] {message}"


SLOW = {
    "unterminated-tags": "<a " * 20000,
    "unterminated-cdata": "<![CDATA[" * 3000,
    "unclosed-fences": "```a\n" * 20000,
    "many-fences": "```\n" * 200001,
    "code-spans": "`代码` " * 60000,
    "inline-html": "<b>字</b> " * 30000,
    "hard-breaks": "行  \n" * 60000,
    "headings-without-blank-lines": "## 标题\n" * 10000,
    "many-paragraphs": "段\n\n" * 200000,
    "dense-table": "| 甲 | 乙 |\n|---|---|\n" + "| **粗** [链](a.html) | `码` |\n" * 20000,
}


@pytest.mark.parametrize("body", SLOW.values(), ids=SLOW.keys())
def test_bodies_that_would_take_minutes_are_refused_quickly(body):
    started = time.process_time()
    problem = body_problem(body)
    assert time.process_time() - started < 1
    assert problem is not None
    assert problem.code == "BODY_TOO_COMPLEX"


JUST_UNDER = {
    "brackets": "[" * 1990,
    "nested-links": "[" * 1400 + "链接" + "]" * 1400,
    "inline-html": "<b>字</b> " * 5000,
    "headings-in-one-block": "## 标题\n" * 2200,
    "paragraphs": "段\n\n" * 19999,
    "closed-fences": "```\n```\n" * 7800,
    "open-tags-and-end-tags": "<table>\n" + "<tr>" * 7000 + "</td>" * 7000 + "\n</table>\n",
    "table": "| 甲 | 乙 |\n|---|---|\n" + "| **粗** [链](a.html) | `码` |\n" * 7000,
    "long-line": "字" * 700_000,
    "html-100-deep": "<div>\n" * 100 + "内容\n" + "</div>\n" * 100,
}


@pytest.mark.parametrize("body", JUST_UNDER.values(), ids=JUST_UNDER.keys())
def test_bodies_just_under_the_limits_are_accepted_and_convert_in_about_a_second(body):
    assert body_problem(body) is None
    started = time.process_time()
    parse_markdown(body)
    assert time.process_time() - started < 5


def test_demo_bodies_are_far_from_every_limit():
    for path in (REPO / "content").rglob("*.md"):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert body_problem(body * 20) is None, path


def test_a_separator_line_and_form_blanks_are_not_emphasis():
    assert body_problem("- - - - - - - - - - - - - - - - - - - - - - - - -\n\n姓名：" + "_" * 60 + "\n") is None


def test_recursion_in_the_converter_is_an_exception_and_the_converter_still_works():
    with pytest.raises(BodyTooDeep):
        parse_markdown("- " * 600 + "项\n")
    assert parse_markdown("**粗**").html == ("<p><strong>粗</strong></p>",)


def test_recursion_missed_by_check_is_reported_by_build_not_a_crash(make_site, monkeypatch):
    site = make_site({"content/news/a.md": with_body("- " * 600 + "项\n")})
    monkeypatch.setattr("disclosure_site.load.validate.body_problem", lambda body: None)
    outcome = pipeline.build(site.root, site.root / "site", TODAY, search=False, history=False, jobs=1, cache=False)
    assert [d.format() for d in outcome.report] == [
        f"content/news/a.md:{BODY_LINE}: 错误 [BODY_TOO_DEEP] 正文嵌套太深（列表、引用、强调或链接套了几百层），无法转换：请减少嵌套层数"]
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("line", [
    "](" * 100_000,
    "](甲 '" * 50_000,
    "[[" + " " * 20_000,
    "[[甲" + " " * 20_000 + "乙",
], ids=["link-openers", "link-titles", "short-link-spaces", "short-link-inner-spaces"])
def test_link_scanning_stays_linear(make_site, line):
    site = make_site({"content/news/a.md": with_body(line + "\n")})
    started = time.monotonic()
    result = run_check(site)
    assert time.monotonic() - started < 15
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


def test_short_links_keep_their_meaning():
    body = parse_markdown("[[2018-00001]] [[ 2018-00002 ]] [[甲 乙]] [[ ]] [[a]]")
    assert body.shorts == (
        "2018-00001", "2018-00002", "甲 乙", "a")


def test_annual_report_headings_are_read_in_linear_time():
    # A heading with a long run of spaces: upstream attr_list looked for {: …} from each space in turn (minutes).
    body = "## 一、总体情况 ##\n\n# " + "甲" + " " * 200_000 + "乙\n" + "\n## 五、存在的主要问题及改进情况\n" * 3
    assert body_problem(body) is None
    started = time.process_time()
    headings = parse_markdown(body).headings
    assert time.process_time() - started < 1
    assert [(h.text, h.line) for h in headings] == [("一、总体情况", 0), ("甲 乙", 2)] + [
        ("五、存在的主要问题及改进情况", line) for line in (4, 6, 8)]


@pytest.mark.parametrize(("body", "first", "every"), [
    ("#\t标题\n\n" * 15000, 0, 2),
    ("> 标题\n> ---\n\n" * 10000, 0, 3),
    ("```\n## 标题\n```\n\n## 标题\n\n" * 4000, 4, 6),
], ids=["tabs", "quoted-underlines", "same-line-in-code"])
def test_thousands_of_heading_lines_are_found_in_linear_time(body, first, every):
    assert body_problem(body) is None
    started = time.process_time()
    headings = parse_markdown(body).headings
    # About 1.5 s of CPU here; a search that starts again from each heading would take minutes.
    assert time.process_time() - started < 10
    assert [heading.line for heading in headings] == list(range(first, body.count("\n"), every))


def test_a_table_cell_with_a_long_run_of_spaces_converts_in_linear_time():
    started = time.process_time()
    parse_markdown("| 甲 | 乙" + " " * 200_000 + "丙 |\n|---|---|\n")
    assert time.process_time() - started < 1


def test_comments_are_dropped_from_bodies_in_linear_time():
    from disclosure_site.core.comments import without_comments
    from disclosure_site.core.diagnostics import Report

    report = Report()
    assert without_comments("content/news/a.md", "甲<!-- 注 -->乙<!--\n多行\n-->丙", 5, report) == "甲乙\n\n丙"
    assert report.sorted() == []
    started = time.process_time()
    without_comments("content/news/a.md", "<!-- >" * 200_000, 5, report)
    assert time.process_time() - started < 1
    assert [d.code for d in report.sorted()] == ["UNCLOSED_COMMENT"]
