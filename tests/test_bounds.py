"""Hostile or broken input files get one clear message each: YAML aliases and deep nesting, huge files,
files that are not UTF-8 or cannot be read. Never a traceback, a hang or exit 3."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import CATALOG, REPO, entry

from disclosure_site import yamlsource


def run_check(site, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``build.py check`` as an editor runs it, but killed (and the test failed) if it hangs."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(site.root), "--no-cache"],
                          capture_output=True, text=True, cwd=site.root, timeout=timeout)


def with_front(extra: str, **keys: object) -> str:
    """A valid news entry with ``extra`` YAML lines appended to its front matter (from line 6 on)."""
    return entry(**keys).replace("\n---\n正文", "\n" + extra.rstrip("\n") + "\n---\n正文")


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines)


def test_alias_bomb_is_refused_at_its_first_anchor_without_expanding(make_site):
    site = make_site({"content/news/a.md": with_front(billion_laughs(9))})
    started = time.monotonic()
    result = run_check(site)
    assert time.monotonic() - started < 10
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "content/news/a.md:6: 错误 [YAML_ALIAS] 使用了 YAML 的锚点「&a0」：元数据和 catalog.yaml 不支持锚点（&）和别名（*），"
        "请把内容直接写出来；如果值本身以 & 或 * 开头，请给整个值加英文引号，例如 title: \"*重要*通知\"")


def test_alias_is_reported_on_its_own_line(make_site):
    site = make_site({"content/news/a.md": entry(summary="&s 摘要").replace("---\n正文", "keywords: [*s]\n---\n正文")})
    assert site.messages() == [
        "content/news/a.md:6: 错误 [YAML_ALIAS] 使用了 YAML 的锚点「&s」：元数据和 catalog.yaml 不支持锚点（&）和别名（*），"
        "请把内容直接写出来；如果值本身以 & 或 * 开头，请给整个值加英文引号，例如 title: \"*重要*通知\""]


def test_unquoted_value_starting_with_a_star_is_explained_as_an_alias(make_site):
    site = make_site({"content/news/a.md": entry(title="*重要*通知")})
    assert site.messages()[0].startswith("content/news/a.md:2: 错误 [YAML_ALIAS] 使用了 YAML 的别名「*…」")


def test_quoted_ampersands_and_stars_are_plain_text(make_site):
    site = make_site({"content/news/a.md": entry(title='"*重要*通知"', summary="R&D 与 a*b")})
    assert site.messages() == []


def test_alias_in_catalog_is_refused(make_site):
    catalog = CATALOG.replace("departments: [办公室", "departments: &d [办公室") + "topics_again: *d\n"
    assert make_site(catalog=catalog).messages()[0].startswith("catalog.yaml:11: 错误 [YAML_ALIAS] 使用了 YAML 的锚点「&d」")


TOO_DEEP = ("错误 [YAML_TOO_DEEP] YAML 嵌套超过 20 层（列表或映射套列表或映射）：元数据不需要这么深的结构，"
            "请检查缩进，以及方括号 [ ]、花括号 { } 是否配对")


@pytest.mark.parametrize("depth", [21, 250, 990, 5000])
def test_deeply_nested_front_matter_is_one_message(make_site, depth):
    site = make_site({"content/news/a.md": with_front("keywords: " + "[" * depth + "]" * depth)})
    result = run_check(site)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == f"content/news/a.md:6: {TOO_DEEP}"


def test_nesting_up_to_the_limit_is_accepted_by_the_parser():
    doc = yamlsource.parse_yaml("a: " + "[" * 19 + "]" * 19)
    assert isinstance(doc, yamlsource.YamlDoc)


def test_deeply_nested_block_lists_point_at_the_first_line_too_deep(make_site):
    nested = "keywords:\n" + "\n".join(" " * (2 * level) + "  -" for level in range(300)) + " 词"
    site = make_site({"content/news/a.md": with_front(nested)})
    assert site.messages()[0] == f"content/news/a.md:26: {TOO_DEEP}"


def test_catalog_with_columns_nested_250_deep_is_a_message_not_a_crash(make_site):
    column = "{id: c, title: 栏目, type: news, children: [%s]}"
    tree = "{id: c, title: 栏目, type: news}"
    for _ in range(250):
        tree = column % tree
    catalog = CATALOG.replace("  - {id: news, title: 工作动态, type: news}", "  - {id: news, title: 工作动态, type: news}\n  - " + tree)
    result = run_check(make_site(catalog=catalog))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == f"catalog.yaml:25: {TOO_DEEP}"


def test_a_list_used_as_a_key_is_a_syntax_error(make_site):
    site = make_site({"content/news/a.md": with_front("? [" * 300 + "]" * 300 + "\n: 1")})
    result = run_check(site)
    assert result.returncode == 1, result.stderr
    assert "content/news/a.md:6: 错误 [YAML_SYNTAX] YAML 格式错误（键是列表或映射）" in result.stdout
