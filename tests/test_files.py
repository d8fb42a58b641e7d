"""File-level problems and YAML traps: each is one clear line, never a traceback."""

from __future__ import annotations

from conftest import ORG, entry


def test_valid_minimal_entry_has_no_problems(make_site):
    site = make_site({"content/news/a.md": entry()})
    assert site.messages() == []


def test_errors_on_file_not_utf8(make_site):
    site = make_site()
    site.write("content/news/a.md", "")
    (site.root / "content/news/a.md").write_bytes("---\ntitle: 测试\n---\n".encode("gbk"))
    assert site.messages() == [
        "content/news/a.md:2: 错误 [NOT_UTF8] 文件不是 UTF-8 编码：请在编辑器中以「UTF-8」（不是 GBK/GB2312）重新保存"
    ]


def test_errors_on_empty_file(make_site):
    site = make_site({"content/news/a.md": "  \n"})
    assert site.messages() == ["content/news/a.md:1: 错误 [EMPTY_FILE] 文件是空的：请填写元数据和正文，或删除该文件"]


def test_errors_on_missing_front_matter(make_site):
    site = make_site({"content/news/a.md": "只有正文\n"})
    assert site.messages() == [
        "content/news/a.md:1: 错误 [NO_FRONT_MATTER] 文件必须以一行 --- 开头，后接 YAML 元数据，再以一行 --- 结束"
    ]


def test_errors_on_unclosed_front_matter(make_site):
    site = make_site({"content/news/a.md": "---\ntitle: 测试\n"})
    assert site.messages() == [
        "content/news/a.md:1: 错误 [NO_FRONT_MATTER] 元数据缺少结束行 ---：请在元数据之后单独写一行 ---"
    ]


def test_errors_on_front_matter_that_is_not_a_mapping(make_site):
    site = make_site({"content/news/a.md": "---\n- 一\n- 二\n---\n正文\n"})
    assert site.messages() == [
        "content/news/a.md:1: 错误 [FRONT_MATTER_NOT_MAPPING] "
        "元数据必须是「键: 值」形式的映射（每行一个键），现在不是：请检查 --- 之间的内容"
    ]


def test_errors_on_key_written_twice(make_site):
    text = entry().replace("disclosure: 主动公开", "disclosure: 主动公开\ntitle: 又一个标题")
    site = make_site({"content/news/a.md": text})
    assert site.messages() == [
        "content/news/a.md:6: 错误 [DUPLICATE_KEY] 键 title 重复出现（第一次在第 2 行）：同一个键只能写一次，请删除其中一个"
    ]


def test_errors_on_full_width_colon(make_site):
    text = entry().replace("title: 测试动态", "标题：测试动态")
    site = make_site({"content/news/a.md": text})
    assert site.messages() == [
        "content/news/a.md:2: 错误 [FULLWIDTH_COLON] 键 标题 后使用了全角冒号「：」，YAML 只认半角冒号："
        "请写成「标题: 」（半角冒号后加一个空格）"
    ]


def test_full_width_colon_inside_a_value_is_fine(make_site):
    site = make_site({"content/news/a.md": entry(summary="说明：这是概述")})
    assert site.messages() == []


def test_errors_on_tab_indentation(make_site):
    text = entry(keywords="").replace("keywords: ", "keywords:\n\t- 环境")
    site = make_site({"content/news/a.md": text})
    assert site.messages() == [
        "content/news/a.md:7: 错误 [TAB_INDENT] 缩进使用了制表符（Tab），YAML 只接受空格：请把 Tab 换成两个空格"
    ]


def test_errors_on_yaml_syntax_with_line(make_site):
    text = entry(summary='"没有结束的引号')
    site = make_site({"content/news/a.md": text})
    [message] = site.messages()
    assert message.startswith("content/news/a.md:")
    assert "错误 [YAML_SYNTAX] YAML 格式错误" in message


def test_errors_on_file_outside_any_column(make_site):
    site = make_site({"content/elsewhere/a.md": entry()})
    assert site.messages() == [
        "content/elsewhere/a.md:1: 错误 [UNKNOWN_COLUMN] 文件夹 content/elsewhere 不是 catalog.yaml 中的栏目，"
        "条目文件只能放在栏目文件夹中：organization、documents、documents/normative、interpretations、"
        "enforcement、guides、budgets、news"
    ]


def test_all_problems_of_all_files_are_reported_in_one_run(make_site):
    site = make_site({
        "content/news/a.md": "",
        "content/news/b.md": entry(published="2024-02-30"),
        "content/news/c.md": entry(serial="2024-00002", draft="maybe"),
    })
    codes = [m.split("[")[1].split("]")[0] for m in site.messages()]
    assert codes == ["EMPTY_FILE", "BAD_DATE", "BAD_VALUE"]


def test_byte_order_mark_and_windows_line_ends_are_accepted(make_site):
    site = make_site()
    (site.root / "content/news").mkdir(parents=True)
    (site.root / "content/news/a.md").write_bytes("\ufeff".encode() + entry().replace("\n", "\r\n").encode())
    assert site.messages() == []


def test_chinese_index_no_alias(make_site):
    text = f"---\n标题: 测试\n索引号: \"{ORG}/2024-00001\"\n发布日期: 2024-05-06\n公开属性: 主动公开\n---\n正文\n"
    site = make_site({"content/news/a.md": text})
    assert site.messages() == []
