"""文号 format, validity chains, personal data in published text, and body links: exact messages."""

from __future__ import annotations

import pytest
from conftest import ORG, entry


def doc(serial="2024-00001", **keys):
    fields = {"title": "文件", "serial": serial, "written": "2024-05-01", "department": "办公室"}
    fields.update(keys)
    return entry(**fields)


@pytest.mark.parametrize("written", ["汕环[2018]429号", "汕环(2018)429号", "汕环（2018）429号", "汕环【2018】429号",
                                     "汕环﹝2018﹞429号"])
def test_doc_no_with_wrong_brackets_gets_the_corrected_text(make_site, written):
    site = make_site({"content/documents/a.md": doc(doc_no=written)})
    assert site.messages() == [
        f"content/documents/a.md:8: 警告 [DOC_NO_BRACKETS] doc_no（文号）「{written}」的年份应使用六角括号〔〕："
        "请改为「汕环〔2018〕429号」"]


def test_doc_no_with_hexagonal_brackets_passes(make_site):
    assert make_site({"content/documents/a.md": doc(doc_no="汕环〔2018〕429号")}).messages() == []


def test_doc_no_in_another_shape(make_site):
    site = make_site({"content/documents/a.md": doc(doc_no="第429号")})
    assert site.messages() == [
        "content/documents/a.md:8: 警告 [DOC_NO_FORMAT] doc_no（文号）「第429号」不符合「机关代字〔年份〕序号号」格式，"
        "例如 汕环〔2018〕429号"]


def test_decision_number_is_checked_too(make_site):
    site = make_site({"content/enforcement/a.md": entry(decision_no="汕环罚[2024]5号")})
    assert [d.code for d in site.check()] == ["DOC_NO_BRACKETS"]


def test_superseded_document_names_its_successor_both_ways(make_site):
    site = make_site({
        "content/documents/old.md": doc(title="旧办法", validity="废止", superseded_by=f'"{ORG}/2024-00002"'),
        "content/documents/new.md": doc(title="新办法", serial="2024-00002", validity="有效"),
    })
    assert site.messages() == []
    site.build()
    old = (site.root / "site/entries/2024-00001.html").read_text()
    new = (site.root / "site/entries/2024-00002.html").read_text()
    assert "本文件已废止，仅供查阅。" in old
    assert '本文件已被《<a href="2024-00002.html">新办法</a>》替代' in old
    assert '本文件替代：《<a href="2024-00001.html">旧办法</a>》' in new
    listing = (site.root / "site/documents/index.html").read_text()
    assert '<a href="../entries/2024-00001.html">旧办法</a> <span class="badge">已废止</span>' in listing


def test_superseded_by_itself(make_site):
    site = make_site({"content/documents/a.md": doc(validity="失效", superseded_by=f'"{ORG}/2024-00001"')})
    assert site.messages() == [
        "content/documents/a.md:9: 错误 [SUPERSEDED_BY_SELF] superseded_by（替代文件）不能是本文件自己的索引号"]


def test_superseded_by_unknown_document(make_site):
    site = make_site({"content/documents/a.md": doc(validity="失效", superseded_by=f'"{ORG}/2024-00009"')})
    assert site.messages() == [
        f"content/documents/a.md:9: 错误 [SUPERSEDED_BY_UNKNOWN] superseded_by（替代文件）「{ORG}/2024-00009」"
        "不是任何文件（documents 栏目）的索引号"]


def test_superseded_in_a_cycle(make_site):
    site = make_site({
        "content/documents/a.md": doc(validity="失效", superseded_by=f'"{ORG}/2024-00002"'),
        "content/documents/b.md": doc(serial="2024-00002", validity="失效", superseded_by=f'"{ORG}/2024-00001"'),
    })
    assert site.messages() == [
        f"content/documents/a.md:9: 错误 [SUPERSEDED_CYCLE] superseded_by（替代文件）形成循环：{ORG}/2024-00001 → "
        f"{ORG}/2024-00002 → {ORG}/2024-00001",
        f"content/documents/b.md:9: 错误 [SUPERSEDED_CYCLE] superseded_by（替代文件）形成循环：{ORG}/2024-00002 → "
        f"{ORG}/2024-00001 → {ORG}/2024-00002",
    ]


def test_superseded_but_still_marked_valid(make_site):
    site = make_site({
        "content/documents/a.md": doc(superseded_by=f'"{ORG}/2024-00002"'),
        "content/documents/b.md": doc(serial="2024-00002"),
    })
    assert site.messages() == [
        "content/documents/a.md:1: 警告 [SUPERSEDED_BUT_VALID] 已被替代的文件 validity（有效性）应为 失效 或 废止"]


ID_NUMBER = "44010219900101123X"


def test_unmasked_id_number_in_a_body_is_an_error_with_the_masked_form(make_site):
    text = entry().replace("正文。", f"第一行。\n当事人身份证号{ID_NUMBER}。")
    site = make_site({"content/news/a.md": text})
    assert site.messages() == [
        "content/news/a.md:8: 错误 [PERSONAL_DATA] 正文含未去标识化的身份证号，公开前应改写为「440102********123X」"
        "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）"]


def test_unmasked_mobile_in_a_field(make_site):
    site = make_site({"content/enforcement/a.md": entry(party="张某（13812345678）")})
    assert site.messages() == [
        "content/enforcement/a.md:6: 错误 [PERSONAL_DATA] party（当事人）含未去标识化的手机号码，公开前应改写为「138****5678」"
        "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）"]


def test_masked_forms_and_bureau_numbers_pass(make_site):
    body = ("身份证号 440102********123X，手机 138****5678。索引号 1144150000717074X7/2018-00215，"
            "文号 汕环〔2018〕429号，日期 2018-08-08，电话 0660-0000000，金额 13812345678.00 元。\n\n"
            "| 项目 | 金额（元） |\n|---|---|\n| 办公费 | 1,234,567.89 |\n")
    site = make_site({"content/news/a.md": entry().replace("正文。", body)})
    assert site.messages() == []


def test_privacy_exempt_entry_gets_a_notice_only(make_site):
    text = entry(privacy_exempt="惩戒公示", exempt_reason="依据《环境保护法》第六十八条公开失信信息").replace(
        "正文。", "联系人手机13812345678。")
    site = make_site({"content/news/a.md": text})
    assert site.messages() == [
        "content/news/a.md:9: 提示 [PERSONAL_DATA] 正文含手机号码「138****5678」，已按 privacy_exempt（惩戒公示）公开"]
    assert not site.check().fails(strict=True)


def test_privacy_exemption_needs_a_reason(make_site):
    site = make_site({"content/news/a.md": entry(privacy_exempt="惩戒公示")})
    assert site.messages() == [
        "content/news/a.md:6: 错误 [EXEMPT_WITHOUT_REASON] privacy_exempt（隐私豁免）为 惩戒公示 时必须填写 "
        "exempt_reason（豁免理由），写明依据的法律法规条款"]


def test_withheld_entries_are_not_scanned_for_personal_data(make_site):
    text = entry(disclosure="不予公开", withhold_reason="个人隐私").replace("正文。", f"身份证号{ID_NUMBER}")
    assert make_site({"content/news/a.md": text}).messages() == []
