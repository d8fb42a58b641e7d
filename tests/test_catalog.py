"""catalog.yaml rules: strict keys, a site's own required departments and first-level columns."""

from __future__ import annotations

import builtins
import io

from conftest import CATALOG, ORG, entry


def catalog_messages(make_site, text):
    return make_site(catalog=text).messages()


def test_minimal_catalog_is_valid(make_site):
    assert make_site().messages() == []


def test_unknown_top_level_key(make_site):
    messages = catalog_messages(make_site, CATALOG + "colour: red\n")
    assert messages == ["catalog.yaml:29: 错误 [UNKNOWN_KEY] 未知的键 colour。可用的键：site、departments、topics、"
                        "columns、key_areas、disclosure_group（政府信息公开专栏）、severity、calendar_fails_check、search、"
                        "required_departments（必备责任部门）、required_columns（必备栏目）、required_head_briefing（主要负责同志年度解读）"]


def test_unknown_site_key(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("  demo: true", "  demo: true\n  logo: x.png"))
    assert len(messages) == 1
    assert messages[0].startswith("catalog.yaml:11: 错误 [UNKNOWN_KEY] site：未知的键 logo。可用的键：name、org_code、base_url")


def test_unquoted_org_code_is_an_error(make_site):
    messages = catalog_messages(make_site, CATALOG.replace(f'"{ORG}"', "007170744"))
    assert messages == [
        'catalog.yaml:3: 错误 [BAD_VALUE] site：org_code：必须加英文引号写成文字，例如 org_code: "007170744"；'
        "不加引号时 YAML 把它读成了 1896932，索引号前段码会因此改变"
    ]


def test_malformed_org_code(make_site):
    messages = catalog_messages(make_site, CATALOG.replace(f'"{ORG}"', '"00717074-4"'))
    assert messages == ["catalog.yaml:3: 错误 [BAD_VALUE] site：org_code：值「00717074-4」不是 9 位组织机构代码或 "
                        "18 位统一社会信用代码（大写字母和数字，不含「-」）"]


def test_base_url_must_be_a_web_address(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("https://www.example.gov.cn/test/", "www.example.gov.cn"))
    assert messages == ["catalog.yaml:4: 错误 [BAD_VALUE] site：base_url：值「www.example.gov.cn」不是网站地址，应写成 "
                        "https://域名/子路径/，例如 https://www.example.gov.cn/swhbj/"]


REQUIRED = """\
required_departments: [办公室, 法制科]
required_columns:
  - {id: documents, type: document}
  - {id: news, type: news}
"""


def test_departments_must_include_the_required_ones(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("办公室, 法制科, ", "") + REQUIRED)
    assert messages == ["catalog.yaml:11: 错误 [MISSING_DEPARTMENT] departments 必须包含 required_departments（必备责任部门）"
                        "中的部门：缺少 办公室、法制科"]


def test_required_first_level_column_missing(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("  - {id: news, title: 工作动态, type: news}\n", "") + REQUIRED)
    assert messages == ["catalog.yaml:13: 警告 [MISSING_COLUMN] 缺少一级栏目 news（type: news）：required_columns（必备栏目）要求设置该栏目"]


def test_required_first_level_column_with_wrong_type(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("{id: news, title: 工作动态, type: news}",
                                                           "{id: news, title: 工作动态, type: guide}") + REQUIRED)
    assert messages == ["catalog.yaml:24: 错误 [COLUMN_TYPE] 一级栏目 news 的 type 必须是 news（required_columns 必备栏目的要求）"]


def test_the_engine_requires_no_department_or_column(make_site):
    """Another bureau's catalogue with its own departments and columns is valid as it stands."""
    other = CATALOG.replace("[办公室, 法制科, 监察分局, 环保窗口, 信息中心]", "[综合科, 基础教育科]")
    other = other.replace("  - {id: news, title: 工作动态, type: news}\n", "").replace("id: documents", "id: wenjian")
    assert catalog_messages(make_site, other) == []


def test_required_column_type_must_be_a_content_type(make_site):
    messages = catalog_messages(make_site, CATALOG + "required_columns: [{id: news, type: blog}]\n")
    assert len(messages) == 1
    assert messages[0].startswith("catalog.yaml:29: 错误 [BAD_CHOICE] required_columns（必备栏目）：第 1 项 type：值「blog」无效")


def test_unknown_column_type(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("{id: normative, title: 规范性文件, type: document}",
                                                           "{id: normative, title: 规范性文件, type: law}"))
    assert messages == ["catalog.yaml:19: 错误 [BAD_CHOICE] columns：第 2 项 children：第 1 项 type：值「law」无效，"
                        "应为以下之一：organization、document、interpretation、enforcement、guide、budget、news、consultation、"
                        "response、proposal、reprint、message、power、dataset、annual_report、task、list"]


def test_column_id_must_be_a_folder_name(make_site):
    messages = catalog_messages(make_site, CATALOG.replace("id: normative", "id: 规范性文件"))
    assert messages == ["catalog.yaml:19: 错误 [BAD_VALUE] columns：第 2 项 children：第 1 项 id：值「规范性文件」"
                        "只能包含小写英文字母、数字和「-」，它同时是 content/ 下的文件夹名"]


def test_duplicate_sibling_column_ids(make_site):
    text = CATALOG.replace("      - {id: normative, title: 规范性文件, type: document}",
                           "      - {id: normative, title: 规范性文件, type: document}\n"
                           "      - {id: normative, title: 其他文件, type: document}")
    assert catalog_messages(make_site, text) == ["catalog.yaml:20: 错误 [DUPLICATE_COLUMN_ID] 同一层级的栏目 id「normative」重复"]


def test_extra_first_level_column_may_not_take_a_generator_folder(make_site):
    text = CATALOG.replace("  - {id: news, title: 工作动态, type: news}",
                           "  - {id: news, title: 工作动态, type: news}\n  - {id: assets, title: 资产, type: news}")
    assert catalog_messages(make_site, text) == [
        "catalog.yaml:25: 错误 [RESERVED_COLUMN_ID] 栏目 id「assets」是生成器保留的目录名，请换一个"]


def test_extra_first_level_columns_are_allowed(make_site):
    text = CATALOG.replace("  - {id: news, title: 工作动态, type: news}",
                           "  - {id: news, title: 工作动态, type: news}\n  - {id: notices, title: 通知公告, type: news}")
    assert catalog_messages(make_site, text) == []


def test_catalog_yaml_traps_are_reported_with_lines(make_site):
    text = CATALOG.replace("topics: [综合政务, 环境保护]", "topics: [综合政务, 环境保护]\ntopics: [重复]")
    assert catalog_messages(make_site, text) == [
        "catalog.yaml:13: 错误 [DUPLICATE_KEY] 键 topics 重复出现（第一次在第 12 行）：同一个键只能写一次，请删除其中一个"]


def test_catalog_yaml_is_read_once_per_check_and_build(make_site, monkeypatch):
    site = make_site({"content/news/a.md": entry()})
    opened: list[str] = []
    original = io.open

    def counting(file, *args, **kwargs):
        if str(file).endswith("catalog.yaml"):
            opened.append(str(file))
        return original(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(builtins, "open", counting)
    site.check()
    assert len(opened) == 1
    for _cold_then_cached in range(2):
        opened.clear()
        assert site.build().files > 0
        assert len(opened) == 1
