"""主要负责同志带头宣讲政策 (工作要点 二(一)3(3)): who interprets a policy, and a head's briefing every year."""

from __future__ import annotations

from conftest import CATALOG, ORG, TODAY, entry

from disclosure_site import pipeline
from disclosure_site.app.inspection import render_report
from disclosure_site.core.diagnostics import Severity

REQUIRED = CATALOG + "required_head_briefing: true\n"
LINE = REQUIRED.splitlines().index("required_head_briefing: true") + 1


def policy(serial: str, published: str) -> str:
    return entry(title=f"文件{serial}", serial=serial, published=published, written=published, department="办公室",
                 policy="true")


def interpretation(serial: str, published: str, policy_serial: str, **keys: str) -> str:
    return entry(title=f"解读{serial}", serial=serial, published=published, department="办公室",
                 interprets=f'"{ORG}/{policy_serial}"', **keys)


HEAD = {"speaker": "张某某", "speaker_role": "局长", "speaker_is_head": "true"}


def files(**head_keys: str) -> dict[str, str]:
    """Policies in 2024 and 2026, each with an interpretation; the 2024 one given by the head."""
    return {
        "content/documents/p1.md": policy("2024-00001", "2024-03-01"),
        "content/interpretations/i1.md": interpretation("2024-00002", "2024-03-01", "2024-00001", **(head_keys or HEAD)),
        "content/documents/p2.md": policy("2026-00001", "2026-03-02"),
        "content/interpretations/i2.md": interpretation("2026-00002", "2026-03-02", "2026-00001",
                                                         speaker="李某某", speaker_role="办公室主任"),
    }


def test_the_interpretation_page_names_the_speaker(make_site):
    site = make_site(files())
    assert site.build().files
    head = (site.root / "site/entries/2024-00002.html").read_text(encoding="utf-8")
    assert '<p class="facts">解读人：张某某（局长，主要负责同志）</p>' in head
    other = (site.root / "site/entries/2026-00002.html").read_text(encoding="utf-8")
    assert '<p class="facts">解读人：李某某（办公室主任）</p>' in other
    assert "主要负责同志" not in other
    plain = files(speaker="王某某")
    site.write("content/interpretations/i1.md", plain["content/interpretations/i1.md"])
    assert site.build().files
    assert '<p class="facts">解读人：王某某</p>' in (site.root / "site/entries/2024-00002.html").read_text(encoding="utf-8")


def test_a_role_or_the_head_mark_needs_the_speakers_name(make_site):
    site = make_site(files(speaker_role="局长", speaker_is_head="true"))
    assert site.messages() == [
        "content/interpretations/i1.md:8: 错误 [SPEAKER_MISSING] 写了 speaker_role（职务），但没有 speaker（解读人）："
        "请填写解读人的姓名，页面显示为「解读人：姓名（职务）」",
        "content/interpretations/i1.md:9: 错误 [SPEAKER_MISSING] 写了 speaker_is_head（主要负责同志），但没有 speaker（解读人）："
        "请填写解读人的姓名，页面显示为「解读人：姓名（职务）」"]


def test_the_chinese_keys_are_accepted(make_site):
    site = make_site(files(**{"解读人": "张某某", "职务": "局长", "主要负责同志": "true"}))
    assert site.messages() == []


def test_without_the_setting_no_year_is_flagged(make_site):
    assert make_site(files()).messages() == []


def test_each_year_without_a_head_briefing_is_a_calendar_notice(make_site):
    site = make_site(files(), catalog=REQUIRED)
    assert site.messages() == [
        f"catalog.yaml:{LINE}: 提示 [HEAD_BRIEFING_MISSING] 2025 年没有本单位主要负责同志的政策解读（speaker_is_head: true 且已发布）："
        "required_head_briefing（主要负责同志年度解读）要求主要负责同志每年至少带头解读政策一次",
        f"catalog.yaml:{LINE}: 提示 [HEAD_BRIEFING_MISSING] 2026 年至今（2026-11-26）还没有本单位主要负责同志的政策解读"
        "（speaker_is_head: true 且已发布）：required_head_briefing（主要负责同志年度解读）要求主要负责同志每年至少带头解读政策一次"]
    report = site.check()
    assert all(d.calendar and d.severity is Severity.NOTICE for d in report)
    assert not report.fails(strict=True, calendar=True), "a finding, never blocking"


def test_a_withheld_or_draft_head_briefing_does_not_count(make_site):
    for published, keys in (("2026-03-02", {"draft": "true"}), ("2026-12-01", {}),
                            ("2026-03-02", {"disclosure": "依申请公开", "withhold_reason": "内部事务"})):
        withheld = files()
        withheld["content/interpretations/i3.md"] = interpretation("2026-00003", published, "2026-00001", **HEAD, **keys)
        found = [m.split(" ")[3] for m in make_site(withheld, catalog=REQUIRED).messages() if "HEAD_BRIEFING" in m]
        assert found == ["2025", "2026"], keys


def test_the_self_inspection_report_shows_every_year(make_site):
    site = make_site(files())
    outcome = pipeline.check(site.root, TODAY)
    section = render_report(outcome).split("五、主要负责同志带头解读政策")[1]
    rows = [line.split() for line in section.splitlines()[2:]]
    assert rows == [["2024", "1", "次", "张某某（局长）", "已完成"], ["2025", "0", "次", "—", "未完成"],
                    ["2026", "0", "次", "—", "尚无（年底前完成）"]]


def test_check_prints_the_finding_under_the_calendar_heading_and_passes(make_site):
    site = make_site(files(), catalog=REQUIRED)
    result = site.cli("check", "--strict", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout
    calendar = result.stdout.split("全站提醒（")[1]
    assert calendar.count("[HEAD_BRIEFING_MISSING]") == 2


def test_the_demo_has_a_briefing_by_the_head():
    from conftest import DEMO_TODAY, REPO

    cat = pipeline.check(REPO, DEMO_TODAY).catalogue
    heads = [e.meta for e in cat.published if getattr(e.meta, "speaker_is_head", False)]
    assert heads and all(meta.speaker and meta.speaker_role for meta in heads)
