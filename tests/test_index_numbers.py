"""索引号 that never collide: a number once used is never given again, not after its file is deleted, not on
another branch; ``check --against`` names the clash before merge; an unedited ``new`` stub fails ``--strict``."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ORG, Site, entry
from test_history import commit, git

from disclosure_site.model.numbering import NumbersExhausted, next_free_number, own_number

TODAY = "2026-11-26"
DAY = "2026-11-20T10:00:00+08:00"
FIRST = "content/news/2026-00001.md"
PLACEHOLDER = "<!-- 在此填写正文（Markdown） -->"


def new(site: Site, title: str, *extra: str, write: bool = True) -> list[str]:
    """The files ``new`` created, through the real command line; ``write`` fills in their bodies."""
    result = site.cli("new", *extra, "--title", title, "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    created = result.stdout.splitlines()
    for rel in created if write else ():
        path = site.root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, "正文。"), encoding="utf-8")
    return created


def serial(rel: str) -> str:
    return rel.rsplit("/", 1)[-1][:10]


def check(site: Site, *extra: str) -> subprocess.CompletedProcess[str]:
    return site.cli("check", "--today", TODAY, *extra)


@pytest.fixture
def repo(make_site, tmp_path, monkeypatch) -> Site:
    """A site in git: branch main with one entry, 2026-00001, committed."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({FIRST: entry(serial="2026-00001", published=TODAY)})
    git(site.root, "init", "-q", "-b", "main")
    commit(site.root, "第一条", DAY)
    return site


def test_a_deleted_entrys_number_is_not_given_again(repo):
    repo.write("content/news/2026-00002.md", entry(serial="2026-00002", published=TODAY))
    commit(repo.root, "第二条", DAY)
    (repo.root / "content/news/2026-00002.md").unlink()
    commit(repo.root, "删除第二条", DAY)
    assert [serial(rel) for rel in new(repo, "会议", "news")] == ["2026-00003"]


def test_a_policy_pair_skips_deleted_numbers_too(repo):
    for number in ("2026-00002", "2026-00003"):
        repo.write(f"content/news/{number}.md", entry(serial=number, published=TODAY))
    commit(repo.root, "两条", DAY)
    git(repo.root, "rm", "-q", "content/news/2026-00002.md", "content/news/2026-00003.md")
    commit(repo.root, "删除", DAY)
    pair = new(repo, "通知", "documents/normative", "--policy")
    assert [serial(rel) for rel in pair] == ["2026-00004", "2026-00005"]


def test_new_reads_the_default_branch_so_two_branches_do_not_take_one_number(repo):
    git(repo.root, "checkout", "-q", "-b", "editor-a")
    (first,) = new(repo, "甲的动态", "news")
    commit(repo.root, "甲", DAY)
    git(repo.root, "checkout", "-q", "main")
    git(repo.root, "merge", "-q", "--no-ff", "-m", "合并甲", "editor-a")
    git(repo.root, "checkout", "-q", "-b", "editor-b", "main~1")  # forked before 甲 was merged
    assert not (repo.root / first).exists()
    (second,) = new(repo, "乙的动态", "news")
    assert (serial(first), serial(second)) == ("2026-00002", "2026-00003")


def test_check_against_names_the_other_branchs_file_and_the_next_free_number(repo):
    git(repo.root, "checkout", "-q", "-b", "editor-b")  # 乙 forks and runs new while 甲's branch is unmerged
    (mine,) = new(repo, "乙的动态", "news")
    commit(repo.root, "乙", DAY)
    git(repo.root, "checkout", "-q", "-b", "editor-a", "main")
    (theirs,) = new(repo, "甲的动态", "news")
    assert serial(mine) == serial(theirs) == "2026-00002"
    commit(repo.root, "甲", DAY)
    git(repo.root, "checkout", "-q", "main")
    git(repo.root, "merge", "-q", "--no-ff", "-m", "合并甲", "editor-a")
    git(repo.root, "checkout", "-q", "editor-b")
    assert check(repo, "--strict").returncode == 0  # alone, the branch looks fine: only --against sees main
    result = check(repo, "--strict", "--against", "main")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{mine}:4: 错误 [INDEX_NO_TAKEN] index_no（索引号）「{ORG}/2026-00002」在 main 上已用于 {theirs}"
        f"（另一处先合并的条目）：合并前请改用下一个未使用的索引号「{ORG}/2026-00003」，文件名中的流水号也改为 2026-00003")


def test_a_merge_preview_as_a_pull_request_check_sees_it_still_names_the_taken_number(repo):
    git(repo.root, "checkout", "-q", "-b", "editor-b")
    (mine,) = new(repo, "乙的动态", "news")
    commit(repo.root, "乙", DAY)
    git(repo.root, "checkout", "-q", "main")
    (theirs,) = new(repo, "甲的动态", "news")
    commit(repo.root, "甲", DAY)
    git(repo.root, "checkout", "-q", "--detach", "editor-b")
    git(repo.root, "merge", "-q", "--no-ff", "-m", "预合并", "main")  # what GitHub checks out for a pull request
    result = check(repo, "--against", "main")
    assert f"{mine}:4: 错误 [INDEX_NO_TAKEN] index_no（索引号）「{ORG}/2026-00002」在 main 上已用于 {theirs}" \
        in result.stdout
    assert f"{theirs}:4: 错误 [INDEX_NO_TAKEN]" not in result.stdout


def test_an_empty_against_compares_with_nothing(repo):
    assert check(repo, "--strict", "--against", "").returncode == 0


def test_check_against_refuses_a_deleted_entrys_number(repo):
    repo.write("content/news/old.md", entry(serial="2026-00002", published=TODAY))
    commit(repo.root, "旧条目", DAY)
    git(repo.root, "rm", "-q", "content/news/old.md")
    commit(repo.root, "删除旧条目", DAY)
    git(repo.root, "checkout", "-q", "-b", "editor")
    repo.write("content/news/hand.md", entry(serial="2026-00002", published=TODAY))  # typed by hand, not by new
    result = check(repo, "--against", "main")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"content/news/hand.md:3: 错误 [INDEX_NO_REUSED] index_no（索引号）「{ORG}/2026-00002」曾用于已删除的 "
        f"content/news/old.md（见 main 的提交历史）：索引号一经使用不再分配，请改用下一个未使用的索引号"
        f"「{ORG}/2026-00003」，文件名中的流水号也改为 2026-00003")


def test_moving_or_deleting_an_entry_on_a_branch_or_on_main_is_no_clash(repo):
    repo.write("content/news/b.md", entry(serial="2026-00002", published=TODAY))
    repo.write("content/news/c.md", entry(serial="2026-00003", published=TODAY))
    commit(repo.root, "第二、三条", DAY)
    git(repo.root, "checkout", "-q", "-b", "editor")
    (repo.root / "content/documents").mkdir()
    git(repo.root, "mv", FIRST, "content/documents/moved.md")
    repo.write("content/documents/moved.md", entry(serial="2026-00001", published=TODAY, written=TODAY,
                                                   department="办公室"))
    commit(repo.root, "移到文件栏目", DAY)
    git(repo.root, "checkout", "-q", "main")
    git(repo.root, "mv", "content/news/b.md", "content/news/renamed.md")
    git(repo.root, "rm", "-q", "content/news/c.md")  # the branch still has it: merging deletes it there too
    commit(repo.root, "改名、删除", DAY)
    git(repo.root, "checkout", "-q", "editor")
    result = check(repo, "--strict", "--against", "main")
    assert result.returncode == 0, result.stdout


def test_a_clone_reads_origin_and_its_history(repo, tmp_path):
    clone = Site(tmp_path / "clone")
    git(tmp_path, "clone", "-q", str(repo.root), str(clone.root))
    git(clone.root, "checkout", "-q", "-b", "editor")
    repo.write("content/news/2026-00002.md", entry(serial="2026-00002", published=TODAY))
    commit(repo.root, "另一位编辑的条目", DAY)
    (repo.root / "content/news/2026-00002.md").unlink()
    repo.write("content/news/2026-00003.md", entry(serial="2026-00003", published=TODAY))
    commit(repo.root, "删一条、加一条", DAY)
    git(clone.root, "fetch", "-q", "origin")
    assert [serial(rel) for rel in new(clone, "会议", "news")] == ["2026-00004"]


def test_without_git_the_working_tree_decides_and_against_is_a_usage_error(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({FIRST: entry(serial="2026-00001", published=TODAY),
                      "content/news/c.md": entry(serial="2026-00003", published=TODAY)})
    assert [serial(rel) for rel in new(site, "会议", "news")] == ["2026-00004"]
    result = check(site, "--against", "main")
    assert result.returncode == 2
    assert result.stderr == ("用法错误：没有分支「main」：--against 应为默认分支，如 origin/main"
                             "（CI 中请先 git fetch 该分支）\n")


def test_without_the_git_program_new_works_outside_a_repository_and_refuses_inside_one(make_site, tmp_path,
                                                                                    monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({FIRST: entry(serial="2026-00001", published=TODAY)})
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no git to run
    assert [serial(rel) for rel in new(site, "会议", "news")] == ["2026-00002"]
    (site.root / ".git").mkdir()
    result = site.cli("new", "news", "--title", "又一条", "--today", TODAY)
    assert result.returncode == 2
    assert result.stderr == ("用法错误：站点在 git 仓库中，但无法运行 git，不能确定哪些索引号已经用过："
                             "请安装 git，或确认它在 PATH 中\n")


def test_an_unedited_policy_pair_fails_strict_and_passes_once_written(make_site):
    site = make_site({FIRST: entry(serial="2026-00001", published=TODAY)})
    pair = new(site, "关于加强环境监管的通知", "documents/normative", "--policy", write=False)
    assert check(site).returncode == 0  # a warning: the preview still shows the new pages
    result = check(site, "--strict")
    assert result.returncode == 1
    lines = {rel: len((site.root / rel).read_text(encoding="utf-8").splitlines()) for rel in pair}
    assert [line for line in result.stdout.splitlines() if "STUB_UNEDITED" in line] == [
        f"{rel}:{line}: 警告 [STUB_UNEDITED] 正文仍是新建时的占位注释，还没有填写：请在此写正文（Markdown）"
        "并删除这行注释；暂不发布时可设 draft: true" for rel, line in sorted(lines.items())]
    for rel in pair:
        path = site.root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, "正文。"), encoding="utf-8")
    result = check(site, "--strict")
    assert result.returncode == 0, result.stdout


def test_a_stub_with_text_under_the_placeholder_or_a_draft_is_not_unedited(make_site):
    stub = entry(serial="2026-00001", published=TODAY).replace("正文。", PLACEHOLDER)
    draft = entry(serial="2026-00002", published=TODAY, draft="true").replace("正文。", PLACEHOLDER)
    site = make_site({"content/news/a.md": stub + "正文已写。\n", "content/news/b.md": draft})
    assert [d.code for d in site.check() if d.code == "STUB_UNEDITED"] == []
    site.write("content/news/a.md", stub)
    assert [(d.code, d.line) for d in site.check() if d.code == "STUB_UNEDITED"] == [("STUB_UNEDITED", 7)]


def test_next_free_number_never_fills_a_gap_and_reads_any_number():
    used = [f"{ORG}/2026-00001", f"{ORG.lower()}/2026-00007", f"{ORG}/2025-00090", "OTHER0000/2026-00050"]
    assert next_free_number(ORG, 2026, used) == f"{ORG}/2026-00008"
    assert next_free_number(ORG, 2027, used) == f"{ORG}/2027-00001"
    with pytest.raises(NumbersExhausted):
        next_free_number(ORG, 2026, [f"{ORG}/2026-99999"])
    assert own_number(f'title: x\ninterprets: "{ORG}/2026-00001"\n索引号: "{ORG}/2026-00002"\n') == f"{ORG}/2026-00002"
