"""The benchmark harness runs end to end, and its corpus is valid, complete and deterministic (no timings asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

from benchmarks.corpus import COLUMNS, write_corpus
from benchmarks.edits import edit_body, edit_title


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_harness_runs_at_small_size_and_leaves_a_strictly_valid_corpus(tmp_path):
    work, figures_file = tmp_path / "work", tmp_path / "figures.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--entries", "60", "--runs", "1",
                             "--keep", str(work), "--json", str(figures_file)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "冷构建" in result.stdout and "每秒页数" in result.stdout
    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    assert {"cold", "warm", "entry", "template", "check", "search"} <= set(figures["ours"])
    assert figures["pages"]["ours"] > 60  # one page per published entry plus lists and service pages
    assert "hugo" not in figures
    # The harness edited an entry and a template override; the site must still pass the CI check.
    check = subprocess.run([sys.executable, "build.py", "check", "--root", str(work / "site-root"),
                            "--today", "2026-11-26", "--strict"], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 个错误，0 个警告" in check.stdout


def test_edit_scenarios_run_end_to_end_at_small_size(tmp_path):
    work, figures_file = tmp_path / "work", tmp_path / "figures.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--entries", "30", "--runs", "1", "--edits",
                             "--keep", str(work), "--json", str(figures_file)],
                            cwd=REPO, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "编辑到页面" in result.stdout and "serve：改一条正文" in result.stdout
    edits = json.loads(figures_file.read_text(encoding="utf-8"))["edits"]
    for scenario in ("serve_body", "serve_title", "edit_incremental"):
        assert edits[scenario]["runs"] == 1 and edits[scenario]["median_s"] > 0, scenario
    assert edits["warm_vs_hugo"] is None  # no --vs-hugo
    # Serve was stopped by SIGTERM and said so; what it showed is in its output.
    assert (work / "serve.log").read_text(encoding="utf-8").rstrip().endswith("已停止预览")
    assert "（改题1）" in (work / "serve-out" / "news" / "index.html").read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "build.py", "check", "--root", str(work / "site-root"),
                            "--today", "2026-11-26", "--strict"], cwd=REPO, capture_output=True, text=True)
    assert "0 个错误，0 个警告" in check.stdout, check.stdout + check.stderr


def test_each_edit_changes_the_entry_and_leaves_one_marker(tmp_path):
    write_corpus(tmp_path, 30)
    path = sorted((tmp_path / "content" / "news").glob("*.md"))[0]
    before = path.read_text(encoding="utf-8")
    texts = [edit_body(path, "甲"), edit_body(path, "乙")]
    after = path.read_text(encoding="utf-8")
    assert texts[1] in after and texts[0] not in after and after.count("编辑测试标记") == 1
    titles = [edit_title(path, "1"), edit_title(path, "2")]
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == titles[1] and titles[1].count("改题") == 1
    assert titles[1].removesuffix("（改题2）") in before


def test_corpus_has_the_requested_size_and_fills_every_column(tmp_path):
    write_corpus(tmp_path, 60)
    entries = list((tmp_path / "content").rglob("*.md"))
    assert len(entries) == 60
    folders = {p.parent.relative_to(tmp_path / "content").as_posix() for p in entries}
    assert {folder for folder, _kind, _weight in COLUMNS} | {"interpretations", "annual-reports"} <= folders


def test_policy_documents_have_a_same_day_interpretation(tmp_path):
    write_corpus(tmp_path, 300)
    def meta(path: Path) -> dict[str, object]:
        return dict(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]))
    documents = {m["index_no"]: m for m in map(meta, (tmp_path / "content" / "documents").rglob("*.md"))}
    interpretations = [meta(p) for p in (tmp_path / "content" / "interpretations").glob("*.md")]
    assert interpretations
    assert {i["interprets"] for i in interpretations} == {n for n, m in documents.items() if m["policy"]}
    assert all(i["published"] == documents[i["interprets"]]["published"] for i in interpretations)


def test_corpus_is_deterministic_for_a_seed(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        write_corpus(tmp_path / name, 80, seed=seed)
    first = files_of(tmp_path / "a")
    assert first == files_of(tmp_path / "b")
    assert first != files_of(tmp_path / "c")
