"""公开审查: a policy document is withheld only after the 政务公开工作机构 has reviewed it (工作要点 二(一)1(1))."""

from __future__ import annotations

from conftest import CATALOG, entry
from leaks import leaks

OFFICE = "测试市环境保护局办公室"
"""The default 政务公开工作机构 of the test catalog: neither review_office nor disclosure_office is set."""
CANARY = "审查意见金丝雀QZX"


def withheld_policy(review: str | None = None, **keys: str) -> str:
    fields = {"title": "关于加强环境监管的通知", "serial": "2024-00001", "written": "2024-05-01", "department": "办公室",
              "policy": "true", "disclosure": "依申请公开", "withhold_reason": "涉及商业秘密"}
    fields.update(keys)
    text = entry(**fields)
    return text.replace("\n---\n正文", f"\n{review.strip()}\n---\n正文") if review else text


REVIEW = f"""
review:
  office: {OFFICE}
  date: 2024-04-28
  opinion: 同意依申请公开。{CANARY}
"""


def test_a_reviewed_withheld_policy_passes(make_site):
    assert make_site({"content/documents/p.md": withheld_policy(REVIEW)}).messages() == []


def test_the_chinese_keys_are_accepted(make_site):
    review = f"公开审查:\n  审查机构: {OFFICE}\n  审查日期: 2024-05-01\n  审查意见: 同意不予公开"
    assert make_site({"content/documents/p.md": withheld_policy(review)}).messages() == []


def test_a_withheld_policy_without_review(make_site):
    site = make_site({"content/documents/p.md": withheld_policy()})
    assert site.messages() == [
        "content/documents/p.md:5: 错误 [POLICY_WITHHOLD_UNREVIEWED] 政策性文件（policy: true）的 disclosure（公开属性）为 "
        f"依申请公开，但没有公开审查记录：拟不公开的政策性文件须先送政务公开工作机构「{OFFICE}」审查，请填写 "
        "review（公开审查），写明 office（审查机构）、date（审查日期）和 opinion（审查意见）"]


def test_a_withheld_document_that_is_no_policy_needs_no_review(make_site):
    assert make_site({"content/documents/p.md": withheld_policy(policy="false")}).messages() == []


def test_a_draft_withheld_policy_needs_the_review_too(make_site):
    site = make_site({"content/documents/p.md": withheld_policy(disclosure="不予公开", draft="true")})
    assert [m.split(" ")[2] for m in site.messages()] == ["[POLICY_WITHHOLD_UNREVIEWED]"]


def test_the_review_must_be_by_the_configured_office(make_site):
    site = make_site({"content/documents/p.md": withheld_policy(REVIEW.replace(OFFICE, "法制科"))})
    assert site.messages() == [
        "content/documents/p.md:11: 错误 [REVIEW_WRONG_OFFICE] review（公开审查）的 office（审查机构）「法制科」不是 "
        f"catalog.yaml 中 site.review_office（政务公开工作机构）「{OFFICE}」：拟不公开的政策性文件须由本单位政务公开工作机构审查"]


def test_the_office_is_configured_in_catalog_yaml(make_site):
    catalog = CATALOG.replace("  demo: true\n", "  demo: true\n  review_office: 办公室\n")
    site = make_site({"content/documents/p.md": withheld_policy(REVIEW.replace(OFFICE, "办公室"))}, catalog=catalog)
    assert site.messages() == []
    site.write("content/documents/p.md", withheld_policy(REVIEW))
    assert [m.split(" ")[2] for m in site.messages()] == ["[REVIEW_WRONG_OFFICE]"]
    assert "site.review_office（政务公开工作机构）「办公室」" in site.messages()[0]


def test_the_review_is_dated_on_or_before_written(make_site):
    site = make_site({"content/documents/p.md": withheld_policy(REVIEW.replace("2024-04-28", "2024-05-02"))})
    assert site.messages() == [
        "content/documents/p.md:12: 错误 [REVIEW_AFTER_WRITTEN] review（公开审查）的 date（审查日期）2024-05-02 晚于 "
        "written（成文日期）2024-05-01：公开属性应在报批前审查，审查日期不能晚于成文日期"]


def test_an_empty_opinion(make_site):
    site = make_site({"content/documents/p.md": withheld_policy(REVIEW.replace(f"同意依申请公开。{CANARY}", ""))})
    assert site.messages() == [
        "content/documents/p.md:13: 错误 [REVIEW_OPINION_EMPTY] review（公开审查）没有填写 opinion（审查意见）："
        "请写明政务公开工作机构的审查意见，例如「同意依申请公开」"]


def test_missing_office_and_date_point_at_the_review(make_site):
    site = make_site({"content/documents/p.md": withheld_policy("review:\n  opinion: 同意")})
    assert site.messages() == [
        "content/documents/p.md:10: 错误 [REVIEW_INCOMPLETE] review（公开审查）缺少 date（审查日期）：请写明审查的日期 YYYY-MM-DD",
        f"content/documents/p.md:10: 错误 [REVIEW_INCOMPLETE] review（公开审查）缺少 office（审查机构）：请写明审查的政务公开工作机构「{OFFICE}」"]


def test_an_empty_review_is_no_review(make_site):
    site = make_site({"content/documents/p.md": withheld_policy("review:")})
    assert [m.split(" ")[2] for m in site.messages()] == ["[POLICY_WITHHOLD_UNREVIEWED]"]


def test_the_review_opinion_reaches_no_output(make_site):
    # withheld: nothing of it is published; public (reviewed, then published after all): the review stays internal
    public = withheld_policy(REVIEW.replace(CANARY, CANARY + "公开"), serial="2024-00003", disclosure="主动公开",
                             withhold_reason=None, title="公开的政策性文件")
    interpretation = entry(title="解读", serial="2024-00004", department="办公室", interprets='"1144150000717074X7/2024-00003"')
    site = make_site({"content/documents/p.md": withheld_policy(REVIEW), "content/documents/q.md": public,
                      "content/interpretations/i.md": interpretation})
    outcome = site.build()
    assert outcome.files and [d.format() for d in outcome.report] == []
    assert "公开的政策性文件" in (site.root / "site/entries/2024-00003.html").read_text(encoding="utf-8")
    assert leaks(site.root / "site", [CANARY, "同意依申请公开", "2024-04-28"]) == []


def test_an_emptied_form_review_counts_as_none(make_site):
    # the form writes the object's keys back empty when an editor leaves it alone
    empty = 'review: {office: "", date: "", opinion: ""}'
    assert make_site({"content/documents/p.md": withheld_policy(empty, policy="false")}).messages() == []
    site = make_site({"content/documents/p.md": withheld_policy(empty)})
    assert [m.split(" ")[2] for m in site.messages()] == ["[POLICY_WITHHOLD_UNREVIEWED]"]


def test_the_demo_withholds_a_reviewed_policy():
    from conftest import DEMO_TODAY, REPO

    from disclosure_site import pipeline
    from disclosure_site.model.catalogue import is_policy

    outcome = pipeline.check(REPO, DEMO_TODAY)
    withheld = [e for e in outcome.catalogue.entries if is_policy(e) and e.meta.disclosure != "主动公开"]
    assert withheld and all(e.meta.review and e.meta.review.office == outcome.catalogue.config.site.reviewing_office
                            for e in withheld)
    assert not [d for d in outcome.report if d.code.startswith(("REVIEW_", "POLICY_WITHHOLD"))]


def test_the_review_is_not_scanned_as_published_text(make_site):
    # the opinion may quote a contact's number: it is never published, so it is no PERSONAL_DATA finding
    opinion = REVIEW.replace(f"同意依申请公开。{CANARY}", "同意；经办人手机13812345678")
    site = make_site({"content/documents/p.md": withheld_policy(opinion, disclosure="主动公开", withhold_reason=None,
                                                                   policy="false")})
    assert site.messages() == []
