"""更新记录 (可核查): the 发布日期, the editors' 修订说明 and the day of the last change, which one git log may move
later; no commit message ever reaches an output."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, entry
from leaks import leaks

from disclosure_site import pipeline
from disclosure_site.load import history
from disclosure_site.load.history import parse_log

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


def facts(block: str) -> dict[str, str]:
    return dict(re.findall(r'<dt>(.*?)</dt><dd><time datetime="[0-9-]+">([0-9-]+)</time></dd>', block))


def data_file(site, page: str = PAGE) -> dict:
    return json.loads((site.root / page.replace(".html", ".json")).read_text(encoding="utf-8"))


def test_a_later_commit_moves_the_last_update_and_no_commit_message_is_shown(repo_site):
    repo_site.build()
    block = history_block((repo_site.root / PAGE).read_text())
    assert '<h2 id="history-title">更新记录</h2>' in block
    # The edit of 2024-06-02 (Beijing time) counts; adding the file is its publication; a rename keeping every
    # byte changes nothing a reader sees.
    assert facts(block) == {"首次发布": "2024-05-06", "最近更新": "2024-06-02"}
    assert "<li>" not in block and "「最近更新」是本条目内容最近一次修改的日期" in block
    for subject in ("新增：测试动态", "错字", "文件改名", "提交"):
        assert subject not in block
    data = data_file(repo_site)
    assert (data["first_published"], data["last_updated"], data["changes"]) == ("2024-05-06", "2024-06-02", [])


def test_editors_notes_are_the_only_text_newest_first(repo_site):
    repo_site.write("content/news/renamed.md", entry(changes="[{date: 2024-05-10, note: 更正<b>错字</b> & 标点}, "
                                                             "{date: 2024-06-20, note: 补充活动照片}]"))
    commit(repo_site.root, "Fix typo per ticket #42 (internal)", "2024-06-21T09:00:00+08:00")
    repo_site.build()
    block = history_block((repo_site.root / PAGE).read_text())
    assert facts(block) == {"首次发布": "2024-05-06", "最近更新": "2024-06-21"}
    assert re.findall(r"<li>(.*?)</li>", block) == [
        '<time datetime="2024-06-20">2024-06-20</time> 补充活动照片',
        '<time datetime="2024-05-10">2024-05-10</time> 更正&lt;b&gt;错字&lt;/b&gt; &amp; 标点',
    ]
    assert "ticket" not in (repo_site.root / PAGE).read_text()
    assert data_file(repo_site)["changes"] == [{"date": "2024-06-20", "note": "补充活动照片"},
                                               {"date": "2024-05-10", "note": "更正<b>错字</b> & 标点"}]


def test_no_commit_message_reaches_any_page_feed_data_file_or_search_index(repo_site):
    repo_site.write("content/news/renamed.md", entry(summary="改过的概述。", changes="[{date: 2024-08-01, note: 更新概述}]"))
    repo_site.write("content/news/b.md", entry(title="第二条", serial="2024-00002"))
    commit(repo_site.root, "CANARY-SUBJECT 金丝雀提交说明", "2024-08-01T09:00:00+08:00")
    repo_site.write("content/news/b.md", entry(title="第二条（改）", serial="2024-00002"))
    commit(repo_site.root, "CANARY-SECOND second subject", "2024-08-02T09:00:00+08:00")
    outcome = repo_site.build()
    assert outcome.files and not outcome.report.blocking(strict=True)
    out = repo_site.root / "site"
    assert (out / "pagefind").is_dir() and (out / "catalogue.csv").is_file() and (out / "atom.xml").is_file()
    assert "更新概述" in (repo_site.root / PAGE).read_text()
    assert leaks(out, ["CANARY-SUBJECT", "金丝雀提交说明", "CANARY-SECOND", "文件改名", "新增：测试动态"]) == []


def test_first_and_last_dates_never_come_before_the_publication(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({ENTRY: entry(published="2024-06-15")})
    git(site.root, "init", "-q", "-b", "main")
    commit(site.root, "定时发布的条目", "2024-05-06T10:00:00+08:00")
    site.write(ENTRY, entry(published="2024-06-15", summary="发布前改好。"))
    commit(site.root, "发布前修改", "2024-06-01T10:00:00+08:00")
    site.build()
    assert 'class="history"' not in (site.root / PAGE).read_text()
    data = data_file(site)
    assert (data["first_published"], data["last_updated"]) == ("2024-06-15", "2024-06-15")
    atom = (site.root / "site/atom.xml").read_text()
    assert "<updated>2024-06-15T00:00:00+08:00</updated>" in atom and "2024-06-01" not in atom


def test_feeds_and_sitemap_date_an_entry_by_its_last_change(repo_site):
    repo_site.build()
    atom = (repo_site.root / "site/news/atom.xml").read_text()
    assert "<published>2024-05-06T00:00:00+08:00</published>" in atom
    assert atom.count("<updated>2024-06-02T00:00:00+08:00</updated>") == 2  # the feed's and the entry's
    sitemap = (repo_site.root / "site/sitemap.xml").read_text()
    assert re.search(r"entries/2024-00001\.html</loc>\s*<lastmod>2024-06-02</lastmod>", sitemap)


def test_history_is_deterministic_for_a_commit(repo_site, tmp_path):
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert pipeline.build(repo_site.root, out, TODAY, search=False).files
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert b"2024-06-02" in outputs[0]["entries/2024-00001.html"]


def test_site_outside_git_shows_the_block_only_for_notes(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = make_site({ENTRY: entry(), "content/news/b.md": entry(title="第二条", serial="2024-00002",
                                                                 changes="[{date: 2024-05-20, note: 更正发布机构}]")})
    outcome = site.build(strict=True)
    assert outcome.files and [d.format() for d in outcome.report] == []
    assert 'class="history"' not in (site.root / PAGE).read_text()
    block = history_block((site.root / "site/entries/2024-00002.html").read_text())
    assert facts(block) == {"首次发布": "2024-05-06", "最近更新": "2024-05-20"}
    assert re.findall(r"<li>(.*?)</li>", block) == ['<time datetime="2024-05-20">2024-05-20</time> 更正发布机构']
    assert data_file(site)["last_updated"] == "2024-05-06"


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


def test_an_uncommitted_or_only_added_file_has_no_block_while_a_changed_one_does(repo_site):
    repo_site.write("content/news/added.md", entry(title="新增后未改", serial="2024-00003"))
    commit(repo_site.root, "新增", "2024-08-01T09:00:00+08:00")
    repo_site.write("content/news/new.md", entry(title="新条目", serial="2024-00002"))
    repo_site.build()
    assert 'class="history"' not in (repo_site.root / "site/entries/2024-00002.html").read_text()
    assert 'class="history"' not in (repo_site.root / "site/entries/2024-00003.html").read_text()
    assert 'class="history"' in (repo_site.root / PAGE).read_text()


def test_site_in_a_subfolder_of_the_repository(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    site = make_site({ENTRY: entry(), "content/news/other.md": entry(title="另一条", serial="2024-00002")})
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "新增两条", "2024-05-06T10:00:00+08:00")
    site.write("content/news/other.md", entry(title="另一条（修改）", serial="2024-00002"))
    commit(tmp_path, "修改另一条", "2024-05-08T10:00:00+08:00")
    site.build()
    assert 'class="history"' not in (site.root / PAGE).read_text()
    block = history_block((site.root / "site/entries/2024-00002.html").read_text())
    assert facts(block) == {"首次发布": "2024-05-06", "最近更新": "2024-05-08"}


def test_withheld_entry_history_reaches_no_output(repo_site):
    repo_site.write("content/news/secret.md", entry(title="不公开条目", serial="2024-00003", disclosure="不予公开",
                                                   withhold_reason="内部事务信息"))
    commit(repo_site.root, "金丝雀CANARY-HISTORY", "2024-08-01T09:00:00+08:00")
    assert repo_site.build().files
    for path in (repo_site.root / "site").rglob("*"):
        if path.is_file():
            assert b"CANARY-HISTORY" not in path.read_bytes(), path


def test_a_commit_dated_after_the_build_date_shows_the_build_date(repo_site):
    repo_site.build(today=dt.date(2024, 5, 20))
    assert facts(history_block((repo_site.root / PAGE).read_text())) == {"首次发布": "2024-05-06", "最近更新": "2024-05-20"}


def test_shallow_clone_omits_history_with_a_notice(repo_site, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo_site.root.as_uri(), str(clone))
    outcome = pipeline.build(clone, clone / "site", TODAY, search=False, strict=True)
    assert [d.format() for d in outcome.report] == [
        "content:1: 提示 [HISTORY_SHALLOW] 仓库是浅克隆，提交历史不完整，本次生成的「最近更新」日期只按发布日期和修订说明计算："
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


def log(*commits: tuple[int, list[str]]) -> str:
    """``git log -z --name-status`` output in the format history reads: the commit time alone."""
    return "".join(f"\x1e{stamp}\0\n" + "".join(f"{field}\0" for field in files) for stamp, files in commits)


def test_parse_log_follows_renames_and_stops_at_the_add():
    day = 86400
    text = log(
        (20 * day, ["R100", "content/b.md", "content/c.md"]),  # renamed again, every byte kept
        (15 * day, ["A", "content/a.md"]),  # a new file where the old one was
        (10 * day, ["R090", "content/a.md", "content/b.md"]),  # renamed and edited
        (5 * day, ["M", "content/a.md"]),
        (2 * day, ["A", "content/a.md"]),
        (1 * day, ["M", "content/a.md"]),  # an earlier, deleted file of the same name
    )
    assert parse_log(text) == {"content/c.md": dt.date(1970, 1, 11)}
    assert parse_log(log((0, ["A", "content/x.md"]), (86400, ["M", "content/y.md"]))) == {"content/y.md": dt.date(1970, 1, 2)}


def test_parse_log_takes_the_latest_change_and_keeps_odd_file_names_intact():
    name = "content/带 空格\t和换行\n.md"
    text = log((3 * 86400, ["T", name]), (5 * 86400, ["M", name]), (0, ["A", name]))
    assert parse_log(text) == {name: dt.date(1970, 1, 6)}


def test_the_git_log_reads_no_commit_message():
    assert [part for part in history._LOG if part.startswith("--format")] == ["--format=\x1e%ct"]
