"""公共清单: list entries with declared columns, a legal-basis column, rows in a CSV or in front matter, versions."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import CATALOG, ORG, REPO, TODAY, entry

from disclosure_site import pipeline

LIST_CATALOG = CATALOG.replace("key_areas:\n", "  - {id: lists, title: 公共清单, type: list}\nkey_areas:\n")
ENTRY = "content/lists/a.md"
CSV = "content/lists/a.csv"
COLUMNS = """\
version: 2018年版
columns:
  - {name: 事项名称, type: 文本, required: true}
  - {name: 设定依据, type: 文本}
  - {name: 时限, type: 整数, unit: 工作日}
basis_column: 设定依据
"""
"""``version`` is on line 6 of the entry, ``columns`` on 7, ``basis_column`` on 11."""
FILE = COLUMNS + "file: a.csv\n"
"""``file`` is on line 12."""
HEADER = "事项名称,设定依据,时限\n"
ROWS = ("环境影响评价文件编制,《中华人民共和国环境影响评价法》第十九条,20\n"
        "排污许可证申请材料技术评估,《排污许可管理条例》第十条,15\n"
        "=HYPERLINK(\"http://evil.example/\"),《某条例》第一条,\n")


def a_list(keys: str = FILE, **more: object) -> str:
    """A list entry whose front matter ends with ``keys``."""
    return entry(title="测试清单", **more).replace("\n---\n正文", "\n" + keys.rstrip("\n") + "\n---\n正文")


@pytest.fixture
def site(make_site):
    return make_site({ENTRY: a_list(), CSV: HEADER + ROWS}, catalog=LIST_CATALOG)


def page(site, serial: str = "2024-00001") -> str:
    return (site.root / f"site/entries/{serial}.html").read_text()


def test_list_site_is_valid(site):
    assert site.messages() == []


def test_page_shows_every_row_with_a_filter_box_that_js_reveals(site):
    site.build()
    html = page(site)
    assert "<div><dt>版本</dt><dd>2018年版</dd></div>" in html
    assert "<div><dt>事项数</dt><dd>3 项</dd></div>" in html
    assert "<caption>测试清单（2018年版），共 3 项</caption>" in html
    assert '<th scope="col">时限（工作日）</th>' in html
    assert ('<tr><td class="num">2</td><td>排污许可证申请材料技术评估</td><td>《排污许可管理条例》第十条</td>'
            '<td class="num">15</td></tr>') in html
    assert '<div class="list-filter" data-list-filter hidden data-pagefind-ignore>' in html
    assert '<label for="list-filter-input">在本清单中筛选</label>' in html
    assert '<p class="list-count" role="status" aria-live="polite" data-list-count></p>' in html


def test_csv_download_is_made_from_the_rows_and_is_injection_safe(site):
    site.build()
    assert '<a href="2024-00001.csv" download>下载清单（CSV）</a>' in page(site)
    data = (site.root / "site/entries/2024-00001.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["事项名称", "设定依据", "时限（工作日）"]
    assert rows[1] == ["环境影响评价文件编制", "《中华人民共和国环境影响评价法》第十九条", "20"]
    assert rows[3][0] == "'=HYPERLINK(\"http://evil.example/\")"
    assert not (site.root / "site/files").exists(), "the editor's CSV itself is never copied"


def messages_with(site, csv_text: str) -> list[str]:
    site.write(CSV, csv_text)
    return site.messages()


def test_every_row_needs_its_legal_basis(site):
    csv_text = HEADER + "甲,依据一,1\n乙,,2\n丙,  ,3\n"
    assert messages_with(site, csv_text) == [
        "content/lists/a.csv:3: 错误 [LIST_BASIS_EMPTY] 第 3 行「设定依据」列为空：清单的每一项都要写明设定依据"
        "（法律、法规、规章或国务院决定的名称和条款）",
        "content/lists/a.csv:4: 错误 [LIST_BASIS_EMPTY] 第 4 行「设定依据」列为空：清单的每一项都要写明设定依据"
        "（法律、法规、规章或国务院决定的名称和条款）",
    ]


def test_many_empty_bases_are_counted(site):
    found = messages_with(site, HEADER + "".join(f"事项{n},,1\n" for n in range(1, 9)))
    assert len(found) == 6
    assert found[-1] == ("content/lists/a.csv:7: 错误 [LIST_BASIS_EMPTY] 另有 3 行「设定依据」列为空，未逐一列出："
                         "请检查同一列的其他行")


def test_rows_are_checked_like_dataset_rows(site):
    csv_text = HEADER + "甲,依据,十\n,依据,2\n"
    assert messages_with(site, csv_text) == [
        "content/lists/a.csv:2: 错误 [DATA_TYPE] 第 2 行「时限」列的值「十」不是整数（如 12、-3；不写千分位逗号和单位）",
        "content/lists/a.csv:3: 错误 [DATA_REQUIRED] 第 3 行「事项名称」列为空：该列在 columns（字段）中声明为必填"
        "（required），每行都要填写",
    ]


def test_csv_problems_use_the_dataset_codes_with_the_list_key(site):
    assert messages_with(site, "名称,设定依据,时限\n甲,依据,1\n") == [
        "content/lists/a.md:7: 错误 [DATA_HEADER] file（清单文件）：文件「a.csv」第 1 行的表头「名称、设定依据、时限」"
        "与 columns（字段）声明的「事项名称、设定依据、时限」不一致，名称和顺序必须相同"]
    assert messages_with(site, HEADER + "甲,依据\n") == [
        "content/lists/a.csv:2: 错误 [DATA_MALFORMED] 第 2 行有 2 列，表头有 3 列：请检查该行的逗号（值中含逗号时，整个值应用英文双引号括起）"]
    (site.root / CSV).unlink()
    assert site.messages() == [
        "content/lists/a.md:12: 错误 [DATA_MISSING] file（清单文件）：文件「a.csv」不存在（路径相对于本条目文件所在的文件夹）"]


def test_basis_column_must_be_a_declared_column(site):
    site.write(ENTRY, a_list(FILE.replace("basis_column: 设定依据", "basis_column: 依据")))
    assert site.messages() == [
        "content/lists/a.md:11: 错误 [LIST_BASIS_COLUMN] basis_column（依据字段）「依据」不是 columns（字段）中的名称："
        "应为其中写设定依据的一列（事项名称、设定依据、时限）"]


def test_rows_come_from_exactly_one_place(site):
    site.write(ENTRY, a_list(COLUMNS))
    assert site.messages() == [
        "content/lists/a.md:1: 错误 [LIST_NO_ROWS] 缺少清单内容：请用 file（清单文件）指向 CSV 文件，或在 rows（清单行）中逐行填写"]
    site.write(ENTRY, a_list(FILE + "rows:\n  - {事项名称: 甲, 设定依据: 依据}\n"))
    assert site.messages() == [
        "content/lists/a.md:13: 错误 [LIST_TWO_SOURCES] 同时写了 file（清单文件）和 rows（清单行），只能用其一"]


FRONT_ROWS = COLUMNS + """\
rows:
  - 事项名称: 建设项目环境影响报告书审批
    设定依据: 《中华人民共和国环境影响评价法》第二十二条
    时限: 20
  - {事项名称: 排污许可, 设定依据: 《排污许可管理条例》}
"""
"""``rows`` is on line 12, its first row on 13 and the second on 16."""


def test_rows_in_front_matter(site):
    (site.root / CSV).unlink()
    site.write(ENTRY, a_list(FRONT_ROWS))
    assert site.messages() == []
    site.build()
    html = page(site)
    assert ('<tr><td class="num">1</td><td>建设项目环境影响报告书审批</td><td>《中华人民共和国环境影响评价法》第二十二条</td>'
            '<td class="num">20</td></tr>') in html
    assert '<tr><td class="num">2</td><td>排污许可</td><td>《排污许可管理条例》</td><td class="num">—</td></tr>' in html
    rows = list(csv.reader(io.StringIO((site.root / "site/entries/2024-00001.csv").read_text("utf-8-sig"))))
    assert rows[2] == ["排污许可", "《排污许可管理条例》", ""]


def test_front_matter_rows_report_at_their_lines(site):
    (site.root / CSV).unlink()
    rows = FRONT_ROWS.replace("时限: 20", "时限: 二十").replace("{事项名称: 排污许可, 设定依据: 《排污许可管理条例》}",
                                                           "{事项名称: 排污许可, 依据: 《排污许可管理条例》}")
    site.write(ENTRY, a_list(rows))
    assert site.messages() == [
        "content/lists/a.md:16: 错误 [LIST_ROW_KEY] rows（清单行）第 2 行的「依据」不是 columns（字段）中的名称："
        "应为 事项名称、设定依据、时限 之一"]
    site.write(ENTRY, a_list(rows.replace("依据: 《排污", "设定依据: 《排污")))
    assert site.messages() == [
        "content/lists/a.md:13: 错误 [DATA_TYPE] 第 13 行「时限」列的值「二十」不是整数（如 12、-3；不写千分位逗号和单位）"]
    site.write(ENTRY, a_list(FRONT_ROWS.replace(", 设定依据: 《排污许可管理条例》", "")))
    assert site.messages() == [
        "content/lists/a.md:16: 错误 [LIST_BASIS_EMPTY] 第 16 行「设定依据」列为空：清单的每一项都要写明设定依据"
        "（法律、法规、规章或国务院决定的名称和条款）"]


def test_required_keys(site):
    site.write(ENTRY, a_list("file: a.csv\n"))
    assert site.messages() == [
        "content/lists/a.md:1: 错误 [MISSING_KEY] 缺少必填键 columns（字段）",
        "content/lists/a.md:1: 错误 [MISSING_KEY] 缺少必填键 version（版本）",
    ]


def test_chinese_keys(make_site):
    keys = ("版本: 第2版\n调整日期: 2018-12-01\n清单类别: 市场准入负面清单\n字段:\n  - {名称: 事项, 类型: 文本, 必填: true}\n"
            "  - {名称: 依据, 类型: 文本}\n依据字段: 依据\n清单行:\n  - {事项: 甲, 依据: 乙}\n")
    site = make_site({ENTRY: a_list(keys)}, catalog=LIST_CATALOG)
    assert site.messages() == []
    site.build()
    html = page(site)
    assert "<div><dt>清单类别</dt><dd>市场准入负面清单</dd></div>" in html
    assert "<div><dt>调整日期</dt><dd>2018-12-01</dd></div>" in html


def second(serial: str = "2024-00002", keys: str = "", **more: object) -> str:
    """Another list, in ``content/lists/b.md`` with its rows in front matter; extra YAML lines in ``keys``."""
    rows = COLUMNS.replace("2018年版", "2019年版") + keys + "rows:\n  - {事项名称: 新事项, 设定依据: 新依据}\n"
    return entry(title="测试清单新版", serial=serial, **more).replace("\n---\n正文", "\n" + rows.rstrip("\n") + "\n---\n正文")


OLD = f"{ORG}/2024-00001"


def test_a_new_version_and_the_one_it_replaces_link_to_each_other(site):
    site.write("content/lists/b.md", second(keys=f'replaces: "{OLD}"\nadjusted: 2019-03-01\n'))
    assert site.messages() == []
    site.build()
    assert ('<p class="notice" data-pagefind-ignore>本清单已被新版本替代：《<a href="2024-00002.html">测试清单新版</a>》'
            '（2019年版），本页仅供查阅。</p>') in page(site)
    assert ('<p class="related-top" data-pagefind-ignore>本清单替代上一版：《<a href="2024-00001.html">测试清单</a>》'
            '（2018年版）</p>') in page(site, "2024-00002")
    assert "已被新版本替代" not in page(site, "2024-00002")


@pytest.mark.parametrize(("state", "found"), [
    ({"draft": "true"}, []),
    ({"published": "2026-12-30"}, []),
])
def test_an_unpublished_new_version_is_not_named_on_the_old_page(site, state, found):
    serial = "2026-00002" if "published" in state else "2024-00002"
    site.write("content/lists/b.md", second(serial, f'replaces: "{OLD}"\n', **state))
    assert site.messages() == found
    site.build()
    assert "已被新版本替代" not in page(site) and "测试清单新版" not in page(site)


def test_replaces_errors(site):
    cases = {
        OLD.replace("00001", "00002"): "[LIST_REPLACES_SELF] replaces（替代版本）不能是本清单自己的索引号",
        f"{ORG}/2024-00009": f"[LIST_REPLACES_UNKNOWN] replaces（替代版本）「{ORG}/2024-00009」不是任何清单（list 类型栏目）"
                             "的索引号：请填写被替代的上一版清单的索引号",
    }
    for target, message in cases.items():
        site.write("content/lists/b.md", second(keys=f'replaces: "{target}"\n'))
        assert site.messages() == [f"content/lists/b.md:12: 错误 {message}"]


def test_replaces_cycle_and_twice(site):
    site.write(ENTRY, a_list(FILE + f'replaces: "{ORG}/2024-00002"\n'))
    site.write("content/lists/b.md", second(keys=f'replaces: "{OLD}"\n'))
    assert site.messages() == [
        f"content/lists/a.md:13: 错误 [LIST_REPLACES_CYCLE] replaces（替代版本）形成循环：{OLD} → {ORG}/2024-00002 → {OLD}",
        f"content/lists/b.md:12: 错误 [LIST_REPLACES_CYCLE] replaces（替代版本）形成循环：{ORG}/2024-00002 → {OLD} → "
        f"{ORG}/2024-00002",
    ]
    site.write(ENTRY, a_list())
    site.write("content/lists/c.md", second("2024-00003", f'replaces: "{OLD}"\n').replace("测试清单新版", "第三版"))
    assert site.messages() == [
        f"content/lists/c.md:12: 错误 [LIST_REPLACED_TWICE] replaces（替代版本）「{OLD}」已被 content/lists/b.md 替代："
        "一份清单只能被一个新版本替代，请改为替代最近的版本"]


def test_a_published_list_cannot_replace_a_withheld_one(site):
    site.write(ENTRY, a_list(disclosure="不予公开", withhold_reason="内部事务信息"))
    site.write("content/lists/b.md", second(keys=f'replaces: "{OLD}"\n'))
    assert site.messages() == [
        f"content/lists/b.md:12: 错误 [LIST_REPLACES_WITHHELD] replaces（替代版本）「{OLD}」尚未公开（不公开），"
        "已公开的清单不能指向它：请先公开上一版，或删除本键"]


def test_personal_data_in_the_csv_of_a_published_list(site):
    assert messages_with(site, HEADER + "联系人 13812345678,依据,1\n") == [
        "content/lists/a.csv:2: 错误 [PERSONAL_DATA] 数据文件含未去标识化的手机号码，公开前应改写为「138****5678」"
        "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）"]
    site.write(ENTRY, a_list(draft="true"))
    assert site.messages() == []


SECRET = "zqcanarylistq"
WITHHELD_STATES = {
    "依申请公开": {"disclosure": "依申请公开", "withhold_reason": "涉及第三方商业秘密"},
    "不予公开": {"disclosure": "不予公开", "withhold_reason": "内部事务信息"},
    "草稿": {"draft": "true"},
    "定时发布": {"published": "2026-12-30"},
}


@pytest.mark.parametrize("state", WITHHELD_STATES.values(), ids=WITHHELD_STATES.keys())
def test_a_withheld_list_reaches_no_output(make_site, state):
    from leaks import leaks

    year = "2026" if "published" in state else "2024"
    secret_csv = a_list(FILE.replace("a.csv", f"{SECRET}.csv") + f'replaces: "{OLD}"\n', serial=f"{year}-00002",
                        **state).replace("测试清单", f"清单{SECRET}")
    secret_rows = second(f"{year}-00003", **state).replace("新事项", f"事项{SECRET}")
    site = make_site({ENTRY: a_list(), CSV: HEADER + ROWS.replace("环境影响评价文件编制", "公开事项zqpublicq"),
                      "content/lists/s.md": secret_csv, f"content/lists/{SECRET}.csv": HEADER + f"甲{SECRET},依据{SECRET},1\n",
                      "content/lists/t.md": secret_rows}, catalog=LIST_CATALOG)
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    out = site.root / "site"
    assert leaks(out, [SECRET]) == []
    assert {path.split("/")[0] for path, _ in leaks(out, ["zqpublicq"])} >= {"entries", "pagefind"}, "the canary is findable"
    assert "已被新版本替代" not in page(site)


def test_migrating_to_english_keys_leaves_the_row_keys_alone():
    from disclosure_site.app.migrate import rename_keys
    from disclosure_site.model.lists import ListMeta

    text = ("---\n标题: 清单\n版本: 第1版\n字段:\n  - {名称: 名称, 类型: 文本}\n  - {名称: 标题, 类型: 文本}\n依据字段: 标题\n"
            "清单行:\n  - {名称: 甲, 标题: 依据甲}\n---\n正文。\n")
    new, _, _ = rename_keys(text, ListMeta)
    assert new == ("---\ntitle: 清单\nversion: 第1版\ncolumns:\n  - {name: 名称, type: 文本}\n  - {name: 标题, type: 文本}\n"
                   "basis_column: 标题\nrows:\n  - {名称: 甲, 标题: 依据甲}\n---\n正文。\n")


def test_demo_has_one_list_of_each_kind_marked_as_example():
    cat = pipeline.check(REPO, TODAY).catalogue
    lists = [e for e in cat.published if e.type == "list"]
    assert {e.meta.kind for e in lists} == {"市场准入负面清单", "行政许可中介服务事项清单", "证照证明材料清单"}
    assert all("示例" in e.meta.title and e.table and e.table.rows for e in lists)
    assert {e.rel for e in lists if e.table and e.table.source is None} == {"content/lists/intermediary-services.md"}
    [(old, [new])] = cat.list_successors.items()
    assert cat.by_index[old].meta.version == "2018年试点版" and new.meta.version == "2021年版"


def test_personal_data_in_front_matter_rows(site):
    (site.root / CSV).unlink()
    site.write(ENTRY, a_list(FRONT_ROWS.replace("{事项名称: 排污许可,", "{事项名称: 联系人13812345678,")))
    assert [m.split("：")[0] for m in site.messages()] == ["content/lists/a.md:12: 错误 [PERSONAL_DATA] rows（清单行）含未去标识化的手机号码，公开前应改写为「138****5678」（工作要点"]


def test_a_withheld_lists_csv_cannot_be_linked_from_a_published_entry(site):
    site.write(ENTRY, a_list(draft="true"))
    site.write("content/news/n.md", entry(serial="2024-00002").replace("正文。", "见[清单](../lists/a.csv)。"))
    [message] = site.messages()
    assert message.startswith("content/news/n.md:7: 错误 [LINK_WITHHELD] 正文链接的文件「content/lists/a.csv」也是未公开条目 "
                              "content/lists/a.md:13（草稿）的清单文件")


def test_wechat_version_gives_the_csv_address(site):
    site.build()
    wechat = (site.root / "site/entries/2024-00001.wechat.html").read_text()
    assert "清单全文（2018年版，共 3 项，CSV）：https://www.example.gov.cn/test/entries/2024-00001.csv</p>" in wechat


def test_without_basis_column_the_column_named_with_yiju_is_the_basis(site):
    """设定依据 need not be named twice: the one column whose name has 依据 in it is the legal basis."""
    site.write(ENTRY, a_list(FRONT_ROWS.replace("basis_column: 设定依据\n", "")))
    assert site.messages() == []
    site.write(ENTRY, a_list(FRONT_ROWS.replace("basis_column: 设定依据\n", "").replace(", 设定依据: 《排污许可管理条例》", "")))
    assert site.messages() == [
        "content/lists/a.md:15: 错误 [LIST_BASIS_EMPTY] 第 15 行「设定依据」列为空：清单的每一项都要写明设定依据"
        "（法律、法规、规章或国务院决定的名称和条款）"]


def test_without_basis_column_none_or_two_columns_named_with_yiju_is_an_error(site):
    no_basis = FRONT_ROWS.replace("basis_column: 设定依据\n", "")
    site.write(ENTRY, a_list(no_basis.replace("设定依据", "法规")))
    assert site.messages() == [
        "content/lists/a.md:7: 错误 [LIST_BASIS_COLUMN] columns（字段）中没有名称含「依据」的列："
        "清单的每一项都要写明设定依据，请用 basis_column（依据字段）写明是哪一列"]
    site.write(ENTRY, a_list(no_basis.replace("时限", "实施依据")))
    assert site.messages() == [
        "content/lists/a.md:7: 错误 [LIST_BASIS_COLUMN] 有 2 列的名称含「依据」（设定依据、实施依据）："
        "清单的每一项都要写明设定依据，请用 basis_column（依据字段）写明是哪一列"]
