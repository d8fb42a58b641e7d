"""Publishing never waits on the calendar: 全站提醒 are reported loudly but never stop check, build or deploy,
and the build date is Beijing's, whatever the machine's time zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from conftest import CATALOG, REPO, entry

from disclosure_site.core.workdays import beijing_today

STALE_CATALOG = CATALOG.replace(
    "{id: news, title: 工作动态, type: news}",
    "{id: news, title: 工作动态, type: news, freshness: news}\n"
    "  - {id: annual-reports, title: 政府信息公开年报, type: annual_report}",
).replace('severity: {EMPTY_COLUMN: "off"}', "")
"""News must be fresh, an annual report is due, and empty columns are reported."""


def test_demo_publishes_strictly_months_after_its_newest_entry(tmp_path):
    """40+ days after the newest entry and after 31 January: stale columns and a missing annual report are
    reported, yet ``build --strict`` publishes."""
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--strict", "--no-search", "--no-cache",
                             "--quiet", "--today", "2027-03-15", "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[ANNUAL_REPORT_MISSING]" in result.stdout and "[STALE_COLUMN]" in result.stdout
    assert "全站提醒" in result.stdout
    assert (out / "index.html").is_file()


def test_an_urgent_notice_is_published_although_another_column_is_stale(make_site):
    """A 突发环境事件 notice written today goes out with --strict while news is stale and columns are empty."""
    site = make_site({
        "content/news/old.md": entry(title="旧动态", serial="2026-00001", published="2026-01-05"),
        "content/documents/urgent.md": entry(title="关于某河段突发水污染事件的通报", serial="2026-00002",
                                             published="2026-11-26", written="2026-11-26", department="办公室"),
    }, catalog=STALE_CATALOG)
    result = site.cli("build", "--strict", "--no-search", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    for code in ("STALE_COLUMN", "EMPTY_COLUMN", "ANNUAL_REPORT_MISSING"):
        assert f"[{code}]" in result.stdout
    assert (site.root / "site/entries/2026-00002.html").is_file()
    check = site.cli("check", "--strict", "--today", "2026-11-26")
    assert check.returncode == 0 and "[STALE_COLUMN]" in check.stdout


def test_calendar_findings_appear_in_the_self_inspection_report(make_site):
    site = make_site({"content/news/old.md": entry(serial="2026-00001", published="2026-01-05")},
                     catalog=STALE_CATALOG)
    result = site.cli("check", "--report", "--today", "2026-11-26")
    report = result.stdout.split("== 自查报告")[1]
    assert "四、全站提醒" in report and "[STALE_COLUMN]" in report and "[ANNUAL_REPORT_MISSING]" in report


def test_beijing_today_from_utc():
    assert beijing_today(dt.datetime(2026, 12, 5, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 5)
    assert beijing_today(dt.datetime(2026, 12, 5, 16, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 6)
    los_angeles = dt.timezone(dt.timedelta(hours=-8))
    assert beijing_today(dt.datetime(2026, 12, 5, 9, 0, tzinfo=los_angeles)) == dt.date(2026, 12, 6)


def test_default_build_date_is_beijing_whatever_the_machine_zone(make_site):
    """Run with a machine zone whose date differs from Beijing's right now: the entry dated Beijing's today is
    published, the one dated Beijing's tomorrow is not."""
    beijing = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    hour = dt.datetime.now(dt.UTC).hour
    zone = "Etc/GMT-14" if 12 <= hour < 16 else "Etc/GMT+12"  # POSIX signs: Etc/GMT-14 is UTC+14
    tomorrow = beijing + dt.timedelta(days=1)
    site = make_site({
        "content/news/today.md": entry(serial=f"{beijing.year}-00001", published=beijing.isoformat()),
        "content/news/tomorrow.md": entry(serial=f"{tomorrow.year}-00002", published=tomorrow.isoformat()),
    })
    env = {**os.environ, "TZ": zone}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--root", str(site.root)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site.root / f"site/entries/{beijing.year}-00001.html").is_file()
    assert not (site.root / f"site/entries/{tomorrow.year}-00002.html").exists()
