"""更新记录 (可核查): first and last commit dates and every change of an entry's file, from one git log."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, entry

from disclosure_site import pipeline
from disclosure_site.load import history
from disclosure_site.load.history import Change, parse_log

ENTRY = "content/news/a.md"
PAGE = "site/entries/2024-00001.html"


def git(cwd: Path, *args: str, date: str = "2024-05-06T10:00:00+08:00") -> str:
    """Run git with a fixed identity and commit dates and without the user's own configuration."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "编辑",
           "GIT_AUTHOR_EMAIL": "editor@example.gov.cn", "GIT_COMMITTER_NAME": "编辑",
           "GIT_COMMITTER_EMAIL": "editor@example.gov.cn", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def commit(cwd: Path, subject: str, date: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", subject, date=date)


@pytest.fixture
def repo_site(make_site, tmp_path, monkeypatch):
    """A site whose entry was added, edited and renamed in three commits."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({ENTRY: entry()})
    git(site.root, "init", "-q", "-b", "main")
    commit(site.root, "新增：测试动态", "2024-05-06T10:00:00+08:00")
    site.write(ENTRY, entry(summary="补充概述。"))
    # 23:30 UTC is already the next day in Beijing: the page must show 2024-06-02.
    commit(site.root, "更正<b>错字</b> & 标点", "2024-06-01T23:30:00+00:00")
    site.root.joinpath(ENTRY).rename(site.root / "content/news/renamed.md")
    commit(site.root, "文件改名", "2024-07-01T09:00:00+08:00")
    return site


def history_block(html: str) -> str:
    match = re.search(r'<section class="history".*?</section>', html, re.S)
    assert match, "no 更新记录 block"
    return match[0]


def test_page_shows_first_and_last_commit_dates_and_every_change_newest_first(repo_site):
    repo_site.build()
    block = history_block((repo_site.root / PAGE).read_text())
    assert '<h2 id="history-title">更新记录</h2>' in block
    assert '<dt>首次发布（首次提交）</dt><dd><time datetime="2024-05-06">2024-05-06</time></dd>' in block
    assert '<dt>最近更新（最近提交）</dt><dd><time datetime="2024-07-01">2024-07-01</time></dd>' in block
    items = re.findall(r"<li>(.*?)</li>", block)
    assert items == [
        '<time datetime="2024-07-01">2024-07-01</time> 文件改名',
        '<time datetime="2024-06-02">2024-06-02</time> 更正&lt;b&gt;错字&lt;/b&gt; &amp; 标点',
        '<time datetime="2024-05-06">2024-05-06</time> 新增：测试动态',
    ]
    data = json.loads((repo_site.root / PAGE.replace(".html", ".json")).read_text(encoding="utf-8"))
    assert (data["first_published"], data["last_updated"]) == ("2024-05-06", "2024-07-01")


def test_history_is_deterministic_for_a_commit(repo_site, tmp_path):
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert pipeline.build(repo_site.root, out, TODAY, search=False).files
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert b"2024-06-02" in outputs[0]["entries/2024-00001.html"]


def test_site_outside_git_builds_without_the_block(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({ENTRY: entry()})
    outcome = site.build(strict=True)
    assert outcome.files and [d.format() for d in outcome.report] == []
    assert 'class="history"' not in (site.root / PAGE).read_text()


def test_without_git_installed_the_build_still_succeeds_and_says_why(repo_site, monkeypatch):
    monkeypatch.setenv("PATH", "")
    outcome = repo_site.build(strict=True)
    assert outcome.files
    assert [(d.code, d.severity.name) for d in outcome.report] == [("HISTORY_UNAVAILABLE", "NOTICE")]
    assert "无法运行 git" in outcome.report.sorted()[0].message
    assert 'class="history"' not in (repo_site.root / PAGE).read_text()


def test_a_broken_repository_is_told_apart_from_no_repository(repo_site):
    objects = repo_site.root / ".git" / "objects"
    for folder in [p for p in objects.iterdir() if len(p.name) == 2]:
        for item in folder.iterdir():
            item.chmod(0o644)
            item.write_bytes(b"damaged")
    outcome = repo_site.build()
    assert outcome.files
    assert [d.code for d in outcome.report] == ["HISTORY_UNAVAILABLE"]
    assert "git log 退出码" in outcome.report.sorted()[0].message


def test_a_repository_without_commits_simply_has_no_history(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({ENTRY: entry()})
    git(site.root, "init", "-q", "-b", "main")
    outcome = site.build(strict=True)
    assert outcome.files and [d.format() for d in outcome.report] == []


def test_uncommitted_file_has_no_block_while_committed_ones_do(repo_site):
    repo_site.write("content/news/new.md", entry(title="新条目", serial="2024-00002"))
    repo_site.build()
    assert 'class="history"' not in (repo_site.root / "site/entries/2024-00002.html").read_text()
    assert 'class="history"' in (repo_site.root / PAGE).read_text()


def test_site_in_a_subfolder_of_the_repository(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    site = make_site({ENTRY: entry(), "content/news/other.md": entry(title="另一条", serial="2024-00002")})
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "新增两条", "2024-05-06T10:00:00+08:00")
    site.write("content/news/other.md", entry(title="另一条（修改）", serial="2024-00002"))
    commit(tmp_path, "修改另一条", "2024-05-08T10:00:00+08:00")
    site.build()
    block = history_block((site.root / PAGE).read_text())
    assert re.findall(r"<li>(.*?)</li>", block) == ['<time datetime="2024-05-06">2024-05-06</time> 新增两条']


def test_withheld_entry_history_reaches_no_output(repo_site):
    repo_site.write("content/news/secret.md", entry(title="不公开条目", serial="2024-00003", disclosure="不予公开",
                                                   withhold_reason="内部事务信息"))
    commit(repo_site.root, "金丝雀CANARY-HISTORY", "2024-08-01T09:00:00+08:00")
    assert repo_site.build().files
    for path in (repo_site.root / "site").rglob("*"):
        if path.is_file():
            assert b"CANARY-HISTORY" not in path.read_bytes(), path


def test_personal_data_in_a_commit_subject_is_masked(repo_site):
    repo_site.write(ENTRY.replace("a.md", "renamed.md"), entry(summary="再改。"))
    commit(repo_site.root, "按来电13812345678要求更正", "2024-08-01T09:00:00+08:00")
    repo_site.build()
    html = (repo_site.root / PAGE).read_text()
    assert "按来电138****5678要求更正" in html and "13812345678" not in html


def test_shallow_clone_omits_history_with_a_notice(repo_site, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo_site.root.as_uri(), str(clone))
    outcome = pipeline.build(clone, clone / "site", TODAY, search=False, strict=True)
    assert [d.format() for d in outcome.report] == [
        "content:1: 提示 [HISTORY_SHALLOW] 仓库是浅克隆，提交历史不完整，本次生成的页面不显示更新记录："
        "请使用完整克隆（例如 actions/checkout 设置 fetch-depth: 0）"]
    assert outcome.files and 'class="history"' not in (clone / PAGE).read_text()


def test_history_false_skips_git(repo_site, tmp_path):
    out = tmp_path / "plain"
    pipeline.build(repo_site.root, out, TODAY, search=False, history=False)
    assert 'class="history"' not in (out / "entries/2024-00001.html").read_text()


def test_one_git_log_for_all_files(repo_site, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    repo_site.write("content/news/b.md", entry(title="第二条", serial="2024-00002"))
    repo_site.write("content/news/c.md", entry(title="第三条", serial="2024-00003"))
    commit(repo_site.root, "再加两条", "2024-08-01T09:00:00+08:00")
    monkeypatch.setattr(history.subprocess, "run", counting)
    repo_site.build()
    assert len([c for c in calls if "log" in c]) == 1
    assert len([c for c in calls if c[0] == "git"]) == 2  # the shallow-clone check and the log


def log(*commits: tuple[int, str, list[str]]) -> str:
    """``git log -z --name-status`` output in the format history reads."""
    parts = []
    for stamp, subject, files in commits:
        parts.append(f"\x1e{stamp}\x1f{subject}\0\n" + "".join(f"{field}\0" for field in files))
    return "".join(parts)


def test_parse_log_follows_renames_and_stops_at_the_add():
    day = 86400
    text = log(
        (20 * day, "再次改名", ["R100", "content/b.md", "content/c.md"]),
        (15 * day, "旧文件在原名处重建", ["A", "content/a.md"]),
        (10 * day, "改名", ["R090", "content/a.md", "content/b.md"]),
        (5 * day, "修改", ["M", "content/a.md"]),
        (2 * day, "新增", ["A", "content/a.md"]),
        (1 * day, "更早的同名文件", ["M", "content/a.md"]),
    )
    parsed = parse_log(text)
    assert [c.subject for c in parsed["content/c.md"]] == ["再次改名", "改名", "修改", "新增"]
    assert [c.subject for c in parsed["content/a.md"]] == ["旧文件在原名处重建"]
    assert parsed["content/c.md"][-1] == Change(history.dt.date(1970, 1, 3), "新增")


def test_parse_log_keeps_odd_file_names_and_subjects_intact():
    text = log((0, "主题\x1f含分隔符", ["M", "content/带 空格\t和换行\n.md"]))
    assert parse_log(text) == {"content/带 空格\t和换行\n.md": (Change(history.dt.date(1970, 1, 1), "主题\x1f含分隔符"),)}
