"""The command line as editors and CI use it: output lines, exit codes, nothing written by check."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, entry

from disclosure_site import cli, pipeline


def test_build_succeeds_with_exit_0_and_says_where_to_open(make_site):
    site = make_site({"content/news/a.md": entry()})
    result = site.cli("build", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共 0 个错误，0 个警告，0 个提示。" in result.stdout
    assert f"用浏览器打开 {site.root / 'site' / 'index.html'}" in result.stdout
    assert (site.root / "site/index.html").is_file()


def test_build_is_the_default_command(make_site):
    site = make_site({"content/news/a.md": entry()})
    assert site.cli("--today", "2026-11-26").returncode == 0
    assert (site.root / "site/entries/2024-00001.html").is_file()


def test_content_errors_exit_1_with_one_line_each(make_site):
    site = make_site({"content/news/a.md": entry(published="昨天"), "content/news/b.md": ""})
    result = site.cli("check")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "[" in line]
    assert lines == [
        "content/news/a.md:4: 错误 [BAD_DATE] published（发布日期）：值「昨天」不是有效日期，应写成 YYYY-MM-DD 或 "
        "YYYY-MM-DD HH:MM，例如 2018-08-08 09:30",
        "content/news/b.md:1: 错误 [EMPTY_FILE] 文件是空的：请填写元数据和正文，或删除该文件",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_warnings_pass_unless_strict(make_site):
    policy = entry(title="通知", serial="2024-00001", written="2024-05-01", department="办公室", policy="true")
    other = entry(title="解读", serial="2024-00002", department="法制科",
                  interprets='"1144150000717074X7/2024-00001"')
    site = make_site({"content/documents/p.md": policy, "content/interpretations/i.md": other})
    assert site.cli("check").returncode == 0
    strict = site.cli("build", "--strict")
    assert strict.returncode == 1
    assert "警告 [INTERPRETATION_DEPARTMENT]" in strict.stdout
    assert not (site.root / "site").exists()


def test_check_writes_nothing(make_site):
    site = make_site({"content/news/a.md": entry()})
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    assert site.cli("check").returncode == 0
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before


def test_out_and_today_options(make_site, tmp_path):
    site = make_site({"content/news/a.md": entry(published="2026-12-01", serial="2026-00001")})
    out = tmp_path / "elsewhere"
    assert site.cli("--out", str(out), "--today", "2026-11-30").returncode == 0
    assert not (out / "entries/2026-00001.html").exists()
    assert site.cli("--out", str(out), "--today", "2026-12-01").returncode == 0
    assert (out / "entries/2026-00001.html").exists()


def test_options_before_the_command_are_kept(make_site, tmp_path):
    site = make_site({"content/news/a.md": entry()})
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(site.root), "--today",
                             "2026-11-26", "build"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_today_is_a_usage_error(make_site):
    result = make_site().cli("--today", "2026-13-01")
    assert result.returncode == 2
    assert "日期「2026-13-01」无效，应写成 YYYY-MM-DD" in result.stderr


def test_root_without_catalog_is_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert f"用法错误：{tmp_path} 中没有 catalog.yaml：请用 --root 指向站点文件夹" in result.stderr


def test_unknown_command_is_a_usage_error(make_site):
    assert make_site().cli("publish").returncode == 2


def test_tool_bug_exits_3_without_traceback(make_site, monkeypatch, capsys):
    site = make_site({"content/news/a.md": entry()})

    def broken(*args, **kwargs):
        raise RuntimeError("模拟的内部错误")

    monkeypatch.setattr(pipeline, "check", broken)
    assert cli.main(["check", "--root", str(site.root)]) == 3
    captured = capsys.readouterr()
    assert "内部错误：RuntimeError: 模拟的内部错误" in captured.err
    assert "Traceback" not in captured.err
    assert cli.main(["check", "--root", str(site.root), "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_progress_is_shown_on_a_terminal_only(monkeypatch, capsys):
    from disclosure_site.app import console

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    progress = console.Progress(enabled=True)
    progress("生成条目页", 200, 400)
    progress.done()
    assert capsys.readouterr().err == "\r生成条目页 200/400\r\x1b[K"
    quiet = console.Progress(enabled=False)
    quiet("生成条目页", 200, 400)
    assert capsys.readouterr().err == ""
