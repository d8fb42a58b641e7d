"""``check`` output formats (text, json, github) and the self-inspection report."""

from __future__ import annotations

import json

from conftest import CATALOG, ORG, entry


def broken_site(make_site):
    return make_site({
        "content/news/a.md": entry(published="昨天"),
        "content/news/b.md": entry(serial="2024-00002", written="2024-01-02", published="2024-05-06"),
    })


def test_text_output_groups_files_and_ends_with_counts(make_site):
    result = broken_site(make_site).cli("check", "--today", "2026-11-26")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/news/a.md:4: 错误 [BAD_DATE] published（发布日期）：值「昨天」不是有效日期，应写成 YYYY-MM-DD 或 "
        "YYYY-MM-DD HH:MM，例如 2018-08-08 09:30",
        "",
        "全站提醒（栏目更新、年度报告、办理时限等，反映整个网站的状况；不影响检查和生成的结果，请尽快处理）：",
        "content/news/b.md:4: 警告 [LATE_DISCLOSURE] published（发布日期）2024-05-06 距 written（成文日期）2024-01-02 "
        "已 83 个工作日，超过条例第二十六条规定的20 个工作日：应在形成之日起 20 个工作日内公开",
        "共 1 个错误，0 个警告，0 个提示；另有 1 条全站提醒（不影响发布）。",
    ]


def test_json_output(make_site):
    result = broken_site(make_site).cli("check", "--format", "json")
    data = json.loads(result.stdout)
    assert data["counts"] == {"error": 1, "warning": 0, "notice": 0, "calendar": 1}
    assert data["problems"][0] == {
        "path": "content/news/a.md", "line": 4, "severity": "error", "code": "BAD_DATE",
        "message": "published（发布日期）：值「昨天」不是有效日期，应写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2018-08-08 09:30",
        "calendar": False}
    assert data["problems"][1]["code"] == "LATE_DISCLOSURE" and data["problems"][1]["calendar"] is True
    assert result.returncode == 1


def test_github_annotations(make_site):
    result = broken_site(make_site).cli("check", "--format", "github", "--quiet")
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=content/news/a.md,line=4,title=BAD_DATE::[BAD_DATE] published（发布日期）："
                        "值「昨天」不是有效日期，应写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2018-08-08 09:30")
    assert lines[1].startswith("::warning file=content/news/b.md,line=4,title=全站提醒 LATE_DISCLOSURE::")
    assert len(lines) == 2


def test_strict_check_fails_on_content_warnings(make_site):
    site = make_site({"content/documents/d.md": entry(title="通知", written="2024-05-06", department="办公室",
                                                      doc_no="测环[2024]1号")})
    assert site.cli("check").returncode == 0
    result = site.cli("check", "--strict")
    assert result.returncode == 1 and "[DOC_NO_BRACKETS]" in result.stdout


def test_calendar_findings_never_fail_check_build_or_strict(make_site):
    site = make_site({"content/news/b.md": entry(written="2024-01-02", published="2024-05-06")})
    for command in (("check",), ("check", "--strict"), ("build", "--strict", "--no-search")):
        result = site.cli(*command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert "[LATE_DISCLOSURE]" in result.stdout and "全站提醒" in result.stdout


def test_a_site_may_opt_in_to_failing_check_but_never_build(make_site):
    site = make_site({"content/news/b.md": entry(written="2024-01-02", published="2024-05-06")},
                     catalog=CATALOG + "calendar_fails_check: true\n")
    assert site.cli("check").returncode == 0  # a warning, as always, fails only under --strict
    assert site.cli("check", "--strict").returncode == 1
    assert site.cli("build", "--strict", "--no-search").returncode == 0


def test_self_inspection_report(make_site):
    catalog = CATALOG.replace("{id: news, title: 工作动态, type: news}",
                              "{id: news, title: 工作动态, type: news, freshness: news}")
    site = make_site({
        "content/documents/p.md": entry(title="关于印发办法的通知", written="2024-02-05", department="办公室",
                                        policy="true", published="2024-02-08", doc_no="测环〔2024〕1号"),
        "content/interpretations/i.md": entry(title="解读", serial="2024-00002", department="办公室",
                                              interprets=f'"{ORG}/2024-00001"', published="2024-02-19"),
        "content/news/n.md": entry(serial="2026-00001", published="2026-11-01").replace("正文。", "手机13812345678"),
    }, catalog=catalog)
    result = site.cli("check", "--report", "--today", "2026-11-26")
    out = result.stdout
    assert "== 自查报告（构建日期 2026-11-26）==" in out
    assert "news 工作动态" in out and "2026-11-01" in out and "14 天内" in out and "超期 11 天" in out
    assert "空白栏目 5 个，未按时更新栏目 1 个" in out
    assert "关于印发办法的通知" in out and "测环〔2024〕1号" in out and "滞后" in out
    assert "未去标识化 1 处" in out and "  content/news/n.md:7" in out
