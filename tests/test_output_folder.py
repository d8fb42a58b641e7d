"""The output folder is never a weapon: what ``--out`` may name, what a stopped or killed build leaves behind, and
problems of the machine (full or read-only disk, a mount point, a broken cache) as messages with exit code 2."""

from __future__ import annotations

import contextlib
import hashlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, entry

from disclosure_site.write import outfolder


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--root", str(root), *args],
                          capture_output=True, text=True)


@pytest.fixture
def site(make_site):
    return make_site({"content/news/a.md": entry()})


def test_a_foreign_folder_is_refused_and_left_as_it_was(site, tmp_path):
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "报告.docx").write_bytes(b"mine")
    result = build_cli(site.root, "--out", str(mine))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{mine}:1: 错误 [OUTPUT_REFUSED] 输出文件夹 {mine} 不是空的，也不是本工具生成的网站" in result.stdout
    assert tree(mine) == {"报告.docx": hashlib.sha256(b"mine").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site-root", "我的文件"]


@pytest.mark.parametrize("where", [".", "content", "templates", "content/news", "..", "../..", "catalog.yaml"])
def test_the_site_itself_and_its_ancestors_are_refused(site, where):
    (site.root / "templates").mkdir(exist_ok=True)
    out = (site.root / where).resolve()
    before = tree(site.root)
    result = build_cli(site.root, "--out", str(out))
    assert result.returncode == 2 and "[OUTPUT_REFUSED]" in result.stdout, result.stdout + result.stderr
    assert tree(site.root) == before


def test_a_regular_file_is_refused(site, tmp_path):
    target = tmp_path / "site.txt"
    target.write_bytes(b"notes")
    result = build_cli(site.root, "--out", str(target))
    assert result.returncode == 2 and "是一个文件" in result.stdout
    assert target.read_bytes() == b"notes"


def test_new_empty_and_own_folders_are_accepted(site, tmp_path):
    assert build_cli(site.root, "--out", str(tmp_path / "new" / "site")).returncode == 0
    (tmp_path / "empty").mkdir()
    assert build_cli(site.root, "--out", str(tmp_path / "empty")).returncode == 0
    assert (tmp_path / "empty" / outfolder.STAMP).is_file()
    site.write("content/news/b.md", entry(title="第二条", serial="2024-00002"))
    assert build_cli(site.root, "--out", str(tmp_path / "empty")).returncode == 0  # its own output: replaced
    assert (tmp_path / "empty/entries/2024-00002.html").is_file()


def test_an_output_built_before_the_stamp_existed_is_still_recognised(site, tmp_path):
    out = tmp_path / "old"
    assert build_cli(site.root, "--out", str(out)).returncode == 0
    (out / outfolder.STAMP).unlink()
    assert outfolder.made_here(out)
    (out / "extra.txt").write_text("added by hand", encoding="utf-8")
    assert not outfolder.made_here(out), "a file SHA256SUMS does not list makes it foreign again"
    assert build_cli(site.root, "--out", str(out)).returncode == 2


def test_serve_refuses_a_foreign_output_folder_before_starting(site, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("x", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--root", str(site.root),
                             "--out", str(mine), "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "用法错误：输出文件夹" in result.stderr
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "x"


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(site, tmp_path):
    out = tmp_path / "out"
    assert build_cli(site.root, "--out", str(out)).returncode == 0
    debris = tmp_path / ".out.new-abc123"
    (debris / "entries").mkdir(parents=True)
    outfolder.stamp(debris)
    retired = tmp_path / ".out.old-def456" / "site"
    retired.mkdir(parents=True)
    outfolder.stamp(retired)
    foreign = tmp_path / ".out.new-not-ours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    assert build_cli(site.root, "--out", str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new-not-ours", "out", "site-root"]


def test_a_running_builds_staging_folder_is_never_removed(site, tmp_path):
    live = tmp_path / ".out.new-live"
    live.mkdir()
    outfolder.stamp(live)
    claim = outfolder.Claim(live)  # held as a running build holds it
    try:
        outfolder.remove_leftovers(tmp_path / "out")
        assert live.is_dir()
    finally:
        claim.release()
    outfolder.remove_leftovers(tmp_path / "out")
    assert not live.exists()


def start_demo_build(out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--no-cache", "--quiet", "--jobs", "1",
                             "--today", "2026-11-26", "--out", str(out), "--root", str(REPO)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_staging(out: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not list(out.parent.glob(f".{out.name}.new-*/entries")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("signals") / "out"
    process = start_demo_build(out)
    assert process.wait(timeout=300) == 0, process.communicate()
    return out


@pytest.mark.parametrize(("signum", "code", "message"), [(signal.SIGINT, 130, "已中断（Ctrl+C）"),
                                                         (signal.SIGTERM, 143, "已被终止（SIGTERM）")])
def test_a_stopped_build_keeps_the_previous_output_and_removes_its_staging(demo_output, signum, code, message):
    before = tree(demo_output)
    process = start_demo_build(demo_output)
    wait_for_staging(demo_output, process)
    process.send_signal(signum)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert message in err and "Traceback" not in err
    assert tree(demo_output) == before
    assert [p.name for p in demo_output.parent.iterdir()] == ["out"]


def test_after_sigkill_the_next_build_cleans_up(demo_output):
    before = tree(demo_output)
    process = start_demo_build(demo_output)
    wait_for_staging(demo_output, process)
    process.kill()
    process.wait(timeout=30)
    assert tree(demo_output) == before
    assert len(list(demo_output.parent.glob(".out.new-*"))) == 1
    assert start_demo_build(demo_output).wait(timeout=300) == 0
    assert [p.name for p in demo_output.parent.iterdir()] == ["out"]


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_a_message_naming_the_file(site, tmp_path):
    site.write("content/news/big.txt", "大" * 200_000)
    site.write("content/news/a.md", entry().replace("disclosure: ", "attachments:\n  - {file: big.txt, title: 大}\n"
                                                                   "disclosure: "))
    with tmpfs(tmp_path / "disk", "size=256k") as disk:
        result = build_cli(site.root, "--out", str(disk / "site"))
        assert result.returncode == 2, result.stdout + result.stderr
        assert "[OUTPUT_UNWRITABLE]" in result.stdout and "磁盘空间不足" in result.stdout
        assert "Traceback" not in result.stderr
        assert list(disk.iterdir()) == []


def test_a_read_only_disk_is_a_message_naming_the_folder(site, tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=64k") as disk:
        result = build_cli(site.root, "--out", str(disk / "site"))
        assert result.returncode == 2, result.stdout + result.stderr
        assert "[OUTPUT_UNWRITABLE]" in result.stdout and "只读文件系统" in result.stdout


def test_a_mount_point_is_refused_as_output(site, tmp_path):
    with tmpfs(tmp_path / "mnt", "size=1m") as disk:
        result = build_cli(site.root, "--out", str(disk))
        assert result.returncode == 2 and "是挂载点" in result.stdout


def test_a_damaged_cache_only_makes_the_build_slower(site):
    cache = site.root / ".cache"
    cache.mkdir()
    (cache / "build-cache.sqlite").write_bytes(b"this is not a database" * 100)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--root", str(site.root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[CACHE_UNUSABLE]" in result.stdout
    assert (site.root / "site/entries/2024-00001.html").is_file()


def test_exit_codes_are_signal_codes():
    from disclosure_site import cli

    assert (cli.EXIT_INTERRUPTED, cli.EXIT_TERMINATED) == (130, 143)
