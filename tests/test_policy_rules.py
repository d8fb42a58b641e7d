"""A policy is published together with its interpretation, and each links to the other."""

from __future__ import annotations

from conftest import ORG, entry

POLICY = f"{ORG}/2024-00001"


def policy(**keys):
    fields = {"title": "关于加强环境监管的通知", "serial": "2024-00001", "written": "2024-05-01", "department": "办公室",
              "policy": "true", "doc_no": "测环〔2024〕1号"}
    fields.update(keys)
    return entry(**fields)


def interpretation(**keys):
    fields = {"title": "《关于加强环境监管的通知》解读", "serial": "2024-00002", "department": "办公室",
              "interprets": f'"{POLICY}"', "form": "文字解读"}
    fields.update(keys)
    return entry(**fields)


def test_policy_and_interpretation_published_together_pass(make_site):
    site = make_site({"content/documents/p.md": policy(), "content/interpretations/i.md": interpretation()})
    assert site.messages() == []


def test_policy_without_interpretation(make_site):
    site = make_site({"content/documents/p.md": policy()})
    assert site.messages() == [
        "content/documents/p.md:8: 错误 [POLICY_WITHOUT_INTERPRETATION] 政策性文件（policy: true）没有已发布的政策解读："
        f"请在 content/interpretations/ 新建解读，以 interprets: \"{POLICY}\" 指向本文件，并与本文件同日发布"
    ]


def test_draft_interpretation_does_not_count(make_site):
    site = make_site({"content/documents/p.md": policy(), "content/interpretations/i.md": interpretation(draft="true")})
    assert [m.split(" ")[2] for m in site.messages()] == ["[POLICY_WITHOUT_INTERPRETATION]"]


def test_withheld_policy_needs_no_interpretation(make_site):
    review = "review: {office: 测试市环境保护局办公室, date: 2024-04-30, opinion: 同意依申请公开}"
    text = policy(disclosure="依申请公开", withhold_reason="涉及商业秘密").replace("\n---\n正文", f"\n{review}\n---\n正文")
    assert make_site({"content/documents/p.md": text}).messages() == []


def test_interpretation_of_unknown_document(make_site):
    site = make_site({"content/interpretations/i.md": interpretation()})
    assert site.messages() == [
        f"content/interpretations/i.md:7: 错误 [INTERPRETS_UNKNOWN] interprets（解读对象）「{POLICY}」不是任何文件的索引号："
        "请填写被解读文件的索引号"
    ]


def test_interpretation_of_a_document_that_is_not_a_policy(make_site):
    site = make_site({"content/documents/p.md": policy(policy="false"), "content/interpretations/i.md": interpretation()})
    assert site.messages() == [
        f"content/interpretations/i.md:7: 错误 [INTERPRETS_NOT_POLICY] interprets（解读对象）「{POLICY}」指向的 "
        "content/documents/p.md 不是政策性文件：被解读的文件须在 documents 栏目中并标注 policy: true"
    ]


def test_interpretation_of_a_news_item_is_not_a_policy(make_site):
    site = make_site({"content/news/n.md": entry(), "content/interpretations/i.md": interpretation()})
    assert "[INTERPRETS_NOT_POLICY]" in site.messages()[0]


def test_interpretation_published_before_its_policy(make_site):
    site = make_site({"content/documents/p.md": policy(published="2024-05-07"),
                      "content/interpretations/i.md": interpretation()})
    assert site.messages() == [
        "content/interpretations/i.md:4: 错误 [INTERPRETATION_BEFORE_POLICY] published（发布日期）2024-05-06 早于"
        "被解读文件的发布日期 2024-05-07：解读不能先于文件发布",
    ]


def test_interpretation_hours_before_its_policy_on_the_same_day(make_site):
    site = make_site({"content/documents/p.md": policy(published="2024-05-06 15:00"),
                      "content/interpretations/i.md": interpretation(published="2024-05-06 09:00")})
    assert "[INTERPRETATION_BEFORE_POLICY]" in site.messages()[-1]


def test_interpretation_published_later_is_a_warning(make_site):
    site = make_site({"content/documents/p.md": policy(),
                      "content/interpretations/i.md": interpretation(published="2024-05-08")})
    assert site.messages() == [
        "content/interpretations/i.md:4: 警告 [INTERPRETATION_LATE] published（发布日期）2024-05-08 晚于被解读文件的"
        "发布日期 2024-05-06（相差 2 个工作日）：政策解读应与文件同步发布"
    ]
    # Lateness is a 全站提醒: publishing the late interpretation is the fix, so it never holds the build back.
    assert not site.check().fails(strict=True)
    assert site.check().fails(strict=True, calendar=True)


def test_interpretation_by_another_department_is_a_warning(make_site):
    site = make_site({"content/documents/p.md": policy(),
                      "content/interpretations/i.md": interpretation(department="法制科")})
    assert site.messages() == [
        "content/interpretations/i.md:6: 警告 [INTERPRETATION_DEPARTMENT] department（责任部门）「法制科」与被解读文件的"
        "责任部门「办公室」不同：按「谁起草、谁解读」应由起草部门解读"
    ]


def test_published_interpretation_of_a_withheld_policy(make_site):
    site = make_site({"content/documents/p.md": policy(draft="true"),
                      "content/interpretations/i.md": interpretation()})
    assert site.messages() == [
        f"content/interpretations/i.md:7: 错误 [INTERPRETS_WITHHELD] interprets（解读对象）「{POLICY}」尚未公开（草稿），"
        "解读不能单独发布：请与文件同步发布，或将解读也设为草稿"
    ]


def test_pages_link_policy_and_interpretation_both_ways(make_site):
    site = make_site({"content/documents/p.md": policy(), "content/interpretations/i.md": interpretation()})
    site.build()
    policy_page = (site.root / "site/entries/2024-00001.html").read_text()
    interpretation_page = (site.root / "site/entries/2024-00002.html").read_text()
    assert '<h2 id="related-title">相关解读</h2>' in policy_page
    assert '<a href="2024-00002.html">《关于加强环境监管的通知》解读</a>' in policy_page
    assert '<h2 id="related-title">解读对象</h2>' in interpretation_page
    assert '<a href="2024-00001.html">关于加强环境监管的通知</a>（测环〔2024〕1号）' in interpretation_page
