"""Front-matter rules: one failing example per rule, with the exact message."""

from __future__ import annotations

from conftest import ORG, entry

NEWS_KEYS = ("title（标题）、index_no（索引号）、published（发布日期）、written（成文日期）、publisher（发布机构）、"
             "department（责任部门）、topic（主题分类）、keywords（主题词）、summary（内容概述）、disclosure（公开属性）、"
             "withhold_reason（不公开理由）、draft（草稿）、key_areas（重点领域）、attachments（附件）、"
             "changes（修订说明）、privacy_exempt（隐私豁免）、exempt_reason（豁免理由）、implements（落实对象）")


def one(site, path="content/news/a.md"):
    messages = site.messages()
    assert len(messages) == 1, messages
    return messages[0].removeprefix(path + ":")


def test_unknown_key_lists_valid_keys(make_site):
    site = make_site({"content/news/a.md": entry(publication_dat="2024-05-06")})
    assert one(site) == f"6: 错误 [UNKNOWN_KEY] 未知的键 publication_dat。可用的键：{NEWS_KEYS}"


def test_unknown_key_lists_the_type_specific_keys(make_site):
    site = make_site({"content/budgets/a.md": entry(amount=3)})
    message = one(site, "content/budgets/a.md")
    assert message.endswith("exempt_reason（豁免理由）、implements（落实对象）、year（年度）、kind（类别）")


def test_key_and_its_chinese_alias_together(make_site):
    site = make_site({"content/news/a.md": entry(标题="另一个标题")})
    assert one(site) == "6: 错误 [DUPLICATE_ALIAS] 键 标题 与 title 是同一个键（title（标题）），只能写其中一个"


def test_missing_required_key_points_at_opening_line(make_site):
    site = make_site({"content/news/a.md": entry(title=None)})
    assert one(site) == "1: 错误 [MISSING_KEY] 缺少必填键 title（标题）"


def test_empty_title(make_site):
    site = make_site({"content/news/a.md": entry(title='""')})
    assert one(site) == "2: 错误 [EMPTY_VALUE] 必填键 title（标题） 没有填写值"


def test_bad_date(make_site):
    site = make_site({"content/news/a.md": entry(published="2024/05/06")})
    assert one(site) == ("4: 错误 [BAD_DATE] published（发布日期）：值「2024/05/06」不是有效日期，"
                         "应写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2018-08-08 09:30")


def test_impossible_bare_date_is_reported_not_raised(make_site):
    site = make_site({"content/news/a.md": entry(published="2024-02-30")})
    assert "[BAD_DATE] published（发布日期）：值「2024-02-30」不是有效日期" in one(site)


def test_published_with_time_and_quoted_dates_are_accepted(make_site):
    site = make_site({
        "content/news/a.md": entry(published="2024-05-06 09:30"),
        "content/news/b.md": entry(serial="2024-00002", published='"2024-05-06"', written='"2024-05-01"'),
    })
    assert site.messages() == []


def test_bad_written_date(make_site):
    site = make_site({"content/news/a.md": entry(written="去年")})
    assert one(site) == ("6: 错误 [BAD_DATE] written（成文日期）：值「去年」不是有效日期，应写成 YYYY-MM-DD，"
                         "例如 2018-08-08")


def test_bad_disclosure(make_site):
    site = make_site({"content/news/a.md": entry(disclosure="公开")})
    assert one(site) == "5: 错误 [BAD_DISCLOSURE] disclosure（公开属性）：值「公开」无效，应为以下之一：主动公开、依申请公开、不予公开"


def test_withheld_entry_needs_a_reason(make_site):
    site = make_site({"content/news/a.md": entry(disclosure="依申请公开")})
    assert one(site) == ("5: 错误 [MISSING_WITHHOLD_REASON] 公开属性为 依申请公开 的条目必须填写 "
                         "withhold_reason（不公开理由），说明依据条例哪一条不主动公开")


def test_bu_gongkai_is_accepted_as_buyu_gongkai(make_site):
    site = make_site({"content/news/a.md": entry(disclosure="不公开", withhold_reason="内部事务信息")})
    assert site.messages() == []
    assert site.check() is not None


def test_withheld_entries_are_validated_in_full(make_site):
    site = make_site({"content/news/a.md": entry(disclosure="不予公开", withhold_reason="内部事务", draft="maybe")})
    assert one(site) == "7: 错误 [BAD_VALUE] draft（草稿）：值「maybe」应为 true 或 false"


def test_malformed_index_no(make_site):
    site = make_site({"content/news/a.md": entry(index_no='"2024-1"')})
    assert one(site) == ("3: 错误 [BAD_INDEX_NO] index_no（索引号）：值「2024-1」格式不正确，"
                         f"应为「前段码/年份-五位流水号」，例如 {ORG}/2024-00001")


def test_index_no_with_another_organisation(make_site):
    site = make_site({"content/news/a.md": entry(index_no='"007170744/2024-00001"')})
    assert one(site) == (f"3: 错误 [INDEX_NO_ORG] index_no（索引号）：前段码「007170744」与 catalog.yaml 的 "
                         f"site.org_code「{ORG}」不一致")


def test_index_no_year_must_be_the_year_published(make_site):
    site = make_site({"content/news/a.md": entry(serial="2023-00001")})
    assert one(site) == ("3: 错误 [INDEX_NO_YEAR] index_no（索引号）：年份 2023 与 published（发布日期）的年份 2024 "
                         "不一致，索引号的年份按发布日期确定")


def test_index_no_must_be_unique_even_for_withheld_entries(make_site):
    site = make_site({
        "content/news/a.md": entry(),
        "content/news/b.md": entry(title="内部", disclosure="不予公开", withhold_reason="内部事务信息"),
    })
    assert one(site, "content/news/b.md") == (
        f"3: 错误 [DUPLICATE_INDEX_NO] index_no（索引号）「{ORG}/2024-00001」重复，已用于 content/news/a.md:3；"
        "请改用本年度下一个未使用的流水号")


def test_two_entries_mapping_to_one_url(make_site):
    site = make_site({
        "content/news/a.md": entry(),
        "content/news/b.md": entry(title="另一条", index_no='"007170744/2024-00001"'),
    })
    assert site.messages() == [
        f"content/news/b.md:3: 错误 [INDEX_NO_ORG] index_no（索引号）：前段码「007170744」与 catalog.yaml 的 site.org_code「{ORG}」不一致",
        f"content/news/b.md:3: 错误 [URL_COLLISION] index_no（索引号）「007170744/2024-00001」与 content/news/a.md 的"
        f"「{ORG}/2024-00001」对应同一网址 entries/2024-00001.html：请改用未使用的流水号",
    ]


def test_department_outside_vocabulary(make_site):
    site = make_site({"content/news/a.md": entry(department="宣传科")})
    assert one(site) == ("6: 错误 [NOT_IN_VOCABULARY] department（责任部门）：值「宣传科」不在 catalog.yaml 的 "
                         "departments 中；可选：办公室、法制科、监察分局、环保窗口、信息中心")


def test_topic_outside_vocabulary(make_site):
    site = make_site({"content/news/a.md": entry(topic="体育")})
    assert "[NOT_IN_VOCABULARY] topic（主题分类）：值「体育」不在 catalog.yaml 的 topics 中" in one(site)


def test_key_area_outside_vocabulary_points_at_the_item(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\nkey_areas:\n  - eia\n  - nowhere")
    site = make_site({"content/news/a.md": text})
    assert one(site) == ("8: 错误 [NOT_IN_VOCABULARY] key_areas（重点领域）：值「nowhere」不在 catalog.yaml 的 "
                         "key_areas 中；可选：eia")


def test_bad_choice_for_validity(make_site):
    site = make_site({"content/documents/a.md": entry(written="2024-05-01", department="办公室", validity="有用")})
    assert one(site, "content/documents/a.md") == (
        "8: 错误 [BAD_CHOICE] validity（有效性）：值「有用」无效，应为以下之一：有效、失效、废止")


def test_document_requires_written_and_department(make_site):
    site = make_site({"content/documents/a.md": entry()})
    assert site.messages() == [
        "content/documents/a.md:1: 错误 [MISSING_KEY] 缺少必填键 department（责任部门）",
        "content/documents/a.md:1: 错误 [MISSING_KEY] 缺少必填键 written（成文日期）",
    ]


def test_keywords_as_one_string_are_split(make_site):
    site = make_site({"content/news/a.md": entry(主题词="环境保护、政务公开，信息公开 年报")})
    outcome = site.build()
    [published] = outcome.catalogue.published
    assert published.meta.keywords == ("环境保护", "政务公开", "信息公开", "年报")


def test_number_where_text_is_expected_must_be_quoted(make_site):
    site = make_site({"content/guides/a.md": entry(phone=33812345)})
    assert one(site, "content/guides/a.md") == (
        '6: 错误 [BAD_VALUE] phone（咨询电话）：值「33812345」应为文字；数字或日期形式的文字请加英文引号，例如 "33812345"')


def test_nested_list_item_problem_points_at_the_item(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\nleaders:\n  - name: 张某\n  - post: 局长")
    site = make_site({"content/organization/a.md": text})
    assert one(site, "content/organization/a.md") == (
        "8: 错误 [MISSING_KEY] leaders（领导）：第 2 项 缺少必填键 name（姓名）")


def test_missing_attachment(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\nattachments:\n  - {file: a.pdf, title: 附件一}")
    site = make_site({"content/news/a.md": text})
    assert one(site) == ("7: 错误 [ATTACHMENT_MISSING] attachments（附件）：文件「a.pdf」不存在"
                         "（路径相对于本条目文件所在的文件夹）")


def test_attachment_outside_content(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\n附件:\n  - {file: ../../catalog.yaml, title: 配置}")
    site = make_site({"content/news/a.md": text})
    assert one(site) == ("7: 错误 [ATTACHMENT_OUTSIDE] attachments（附件）：文件「../../catalog.yaml」在 content/ 之外，"
                         "附件必须放在 content/ 文件夹内")


def test_existing_attachment_is_measured(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\nattachments:\n  - {file: files/a.pdf, title: 附件一}")
    site = make_site({"content/news/a.md": text, "content/news/files/a.pdf": "%PDF-1.4 test"})
    [published] = site.build().catalogue.published
    [attachment] = published.attachments
    assert (attachment.content_path, attachment.size, attachment.media_type) == ("news/files/a.pdf", 13, "application/pdf")
