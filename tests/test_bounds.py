"""Hostile or broken input files get one clear message each: YAML aliases and deep nesting, huge files,
files that are not UTF-8 or cannot be read. Never a traceback, a hang or exit 3."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from conftest import CATALOG, REPO, entry

from disclosure_site.core import yamlsource


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


def test_entry_file_over_the_size_limit_is_refused_before_it_is_read(make_site):
    site = make_site({"content/news/a.md": entry() + "正文。" * (2 * 1024 * 1024 // 9 + 1)})
    assert site.messages() == [
        "content/news/a.md:1: 错误 [FILE_TOO_LARGE] 文件有 2.1 MB，超过了这类文件的上限 2 MB：请删去多余内容，"
        "或把它拆成几个文件（正文中的长表格可作为附件或数据集发布）"]


def test_entry_file_just_under_the_limit_is_read(make_site):
    text = entry()
    site = make_site({"content/news/a.md": text + "x" * (2 * 1024 * 1024 - len(text.encode()))})
    assert site.messages() == []


def test_catalog_over_the_size_limit_is_refused(make_site):
    result = run_check(make_site(catalog=CATALOG + "# " + "x" * 1024 * 1024 + "\n"))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith("catalog.yaml:1: 错误 [FILE_TOO_LARGE] 文件有 1.1 MB，超过了这类文件的上限 1 MB")


def test_dataset_csv_over_the_size_limit_is_refused(make_site):
    from test_datasets import CSV, DATASET_CATALOG, ENTRY, HEADER, dataset

    row = "单位,1,1.5,2025-01-01\n"
    site = make_site({ENTRY: dataset(), CSV: HEADER + row * (20 * 1024 * 1024 // len(row.encode()) + 1)},
                     catalog=DATASET_CATALOG)
    assert site.messages() == [
        f"{CSV}:1: 错误 [FILE_TOO_LARGE] 文件有 20.1 MB，超过了这类文件的上限 20 MB：请删去多余内容，"
        "或把它拆成几个文件（正文中的长表格可作为附件或数据集发布）"]


NOT_UTF8 = "错误 [NOT_UTF8] 文件不是 UTF-8 编码：请在编辑器中以「UTF-8」（不是 GBK/GB2312）重新保存"


@pytest.mark.parametrize(("data", "line"), [
    (CATALOG.encode("gbk"), 2),
    (CATALOG.encode().replace("测试市测试路1号".encode(), "Straße 1".encode("latin-1")), 8),
], ids=["gbk", "one-latin-1-line"])
def test_catalog_not_in_utf8_is_a_content_error(make_site, data, line):
    site = make_site()
    (site.root / "catalog.yaml").write_bytes(data)
    result = run_check(site)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [f"catalog.yaml:{line}: {NOT_UTF8}", "共 1 个错误，0 个警告，0 个提示。"]


def build(site) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(site.root), "--no-cache",
                           "--quiet"], capture_output=True, text=True, cwd=site.root, timeout=120)


def test_template_not_in_utf8_is_named_with_its_line(make_site):
    site = make_site({"content/news/a.md": entry()})
    base = (REPO / "templates/partials/footer.html").read_text(encoding="utf-8")
    (site.root / "templates/partials").mkdir(parents=True)
    (site.root / "templates/partials/footer.html").write_bytes(base.encode("gbk"))
    first_chinese = next(n for n, line in enumerate(base.splitlines(), 1) if not line.isascii())
    result = build(site)
    assert (result.returncode, result.stderr) == (1, "")
    assert f"templates/partials/footer.html:{first_chinese}: {NOT_UTF8}" in result.stdout.splitlines()
    assert not (site.root / "site").exists()


def test_asset_not_in_utf8_is_named(make_site):
    site = make_site({"content/news/a.md": entry(),
                      "templates/assets/site.css": "/* 样式 */\nbody { color: black; }\n"})
    (site.root / "templates/assets/site.css").write_bytes("/* 样式 */\n".encode("gbk"))
    result = build(site)
    assert (result.returncode, result.stderr) == (1, "")
    assert f"templates/assets/site.css:1: {NOT_UTF8}" in result.stdout.splitlines()




def _without_root_file_access() -> None:
    """In the child before exec: give up root's right to read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH),
    so file permissions apply to it as to an editor's account."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def shared_site(make_site, tmp_path):
    """A site and a runner of the real CLI that is refused what file permissions refuse, even as root."""
    site = make_site()
    as_user: dict[str, Any] = {"preexec_fn": _without_root_file_access} if os.geteuid() == 0 else {}
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        denied = subprocess.run(["cat", str(probe)], capture_output=True, **as_user).returncode != 0
    except (OSError, subprocess.SubprocessError):
        denied = False
    if not denied:
        pytest.skip("this account reads files whatever their permissions (cannot drop CAP_DAC_OVERRIDE)")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(site.root), "--no-cache"],
                              capture_output=True, text=True, cwd=site.root, timeout=120, **as_user)

    yield site, run
    for path in site.root.rglob("*"):  # let pytest remove the folder later
        path.chmod(0o755 if path.is_dir() else 0o644)


UNREADABLE = "错误 [FILE_UNREADABLE] 无法读取该{}，没有读取权限：请让管理员给运行生成器的账户开放读取权限（如 chmod a+r）"


def test_unreadable_entry_file_is_named(shared_site):
    site, run = shared_site
    site.write("content/news/a.md", entry())
    (site.root / "content/news/a.md").chmod(0)
    result = run("check")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == "content/news/a.md:1: " + UNREADABLE.format("文件")


def test_unlistable_content_folder_is_named_not_silently_skipped(shared_site):
    site, run = shared_site
    site.write("content/news/a.md", entry())
    assert run("check").returncode == 0
    (site.root / "content/news").chmod(0)
    result = run("check")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == "content/news:1: " + UNREADABLE.format("文件夹")


def test_unreadable_attachment_is_found_by_check(shared_site):
    site, run = shared_site
    site.write("content/news/a.md", entry().replace("---\n正文", "attachments:\n  - {title: 表格, file: 表格.pdf}\n---\n正文"))
    site.write("content/news/表格.pdf", "%PDF-1.4\n")
    (site.root / "content/news/表格.pdf").chmod(0)
    result = run("check")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == (
        "content/news/a.md:7: 错误 [FILE_UNREADABLE] attachments（附件）：文件「表格.pdf」没有读取权限："
        "请让管理员给运行生成器的账户开放读取权限（如 chmod a+r）")


def test_unreadable_template_is_named(shared_site):
    site, run = shared_site
    site.write("content/news/a.md", entry())
    site.write("templates/partials/footer.html", (REPO / "templates/partials/footer.html").read_text(encoding="utf-8"))
    (site.root / "templates/partials/footer.html").chmod(0)
    result = run("build", "--quiet")
    assert (result.returncode, result.stderr) == (1, "")
    assert "templates/partials/footer.html:1: " + UNREADABLE.format("文件") in result.stdout.splitlines()


def test_unreadable_catalog_is_named(shared_site):
    site, run = shared_site
    (site.root / "catalog.yaml").chmod(0)
    result = run("check")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == "catalog.yaml:1: " + UNREADABLE.format("文件")


def test_unreadable_file_linked_from_a_body_is_found_by_check(shared_site):
    site, run = shared_site
    site.write("content/news/a.md", entry().replace("正文。", "见[统计表](表格.pdf)。"))
    site.write("content/news/表格.pdf", "%PDF-1.4\n")
    (site.root / "content/news/表格.pdf").chmod(0)
    result = run("check")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == (
        "content/news/a.md:7: 错误 [FILE_UNREADABLE] 链接「表格.pdf」指向的文件 news/表格.pdf 没有读取权限："
        "请让管理员给运行生成器的账户开放读取权限（如 chmod a+r）")
