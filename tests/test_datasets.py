"""数据开放: dataset entries with CSV files, their pages and every check of the files."""

from __future__ import annotations

import re

import pytest
from conftest import CATALOG, REPO, TODAY, entry

from disclosure_site import pipeline

DATASET_CATALOG = CATALOG.replace("key_areas:\n", "  - {id: open-data, title: 数据开放, type: dataset}\nkey_areas:\n")
ENTRY = "content/open-data/d.md"
CSV = "content/open-data/data/t.csv"
DATA = """\
data:
  - file: data/t.csv
    title: 测试统计表
    columns:
      - {name: 名称, type: 文本, description: 单位名称}
      - {name: 数量, type: 整数, unit: 件}
      - {name: 金额, type: 小数, unit: 万元}
      - {name: 日期, type: 日期}
"""
"""The ``data`` key starts on line 6 of the entry, its item on line 7 and ``columns`` on line 9."""
HEADER = "名称,数量,金额,日期\n"
ROWS = "".join(f"单位{n},{n},{n}.5,2025-01-{n:02d}\n" for n in range(1, 13))


def dataset(data: str = DATA, **keys: object) -> str:
    """A valid dataset entry whose front matter ends with ``data``."""
    return entry(title="测试数据集", **keys).replace("\n---\n正文", "\n" + data.rstrip("\n") + "\n---\n正文")


@pytest.fixture
def site(make_site):
    return make_site({ENTRY: dataset(), CSV: HEADER + ROWS}, catalog=DATASET_CATALOG)


def page(site) -> str:
    return (site.root / "site/entries/2024-00001.html").read_text()


def messages_with(site, csv: str | bytes) -> list[str]:
    path = site.root / CSV
    if isinstance(csv, bytes):
        path.write_bytes(csv)
    else:
        path.write_text(csv, encoding="utf-8")
    return site.messages()


def test_dataset_site_is_valid(site):
    assert site.messages() == []


def test_page_describes_the_columns(site):
    site.write(ENTRY, dataset(frequency="每月"))
    site.build()
    html = page(site)
    assert '<h2 id="dataset-1-title">测试统计表</h2>' in html
    assert "<caption>字段说明</caption>" in html
    assert '<tr><th scope="row">名称</th><td class="nowrap">文本</td><td>—</td><td>单位名称</td></tr>' in html
    assert '<tr><th scope="row">数量</th><td class="nowrap">整数</td><td>件</td><td>—</td></tr>' in html
    assert "<div><dt>更新频率</dt><dd>每月</dd></div>" in html


def test_page_previews_the_first_ten_rows_with_the_row_count(site):
    site.build()
    html = page(site)
    region = re.search(r'<div class="table-scroll" role="region" tabindex="0" aria-label="数据文件1预览：测试统计表（可左右滑动查看）"'
                       r' data-pagefind-ignore>(.*?)</div>', html, re.S)
    assert region
    preview = region[1]
    assert "<caption>数据预览：前 10 行，共 12 行</caption>" in preview
    assert '<th scope="col">数量（件）</th><th scope="col">金额（万元）</th><th scope="col">日期</th>' in preview
    assert preview.count("<tr><td>") == 10
    assert '<tr><td>单位1</td><td class="num">1</td><td class="num">1.5</td><td>2025-01-01</td></tr>' in preview
    assert "单位11" not in preview


def test_csv_is_published_with_a_download_link_and_its_size(site):
    site.build()
    size = (site.root / CSV).stat().st_size
    assert (site.root / "site/files/open-data/data/t.csv").read_bytes() == (site.root / CSV).read_bytes()
    assert (f'<a href="../files/open-data/data/t.csv" download>下载「测试统计表」</a> '
            f'<span class="file-meta">（CSV，{size} B，共 12 行、4 列）</span>') in page(site)


def test_short_file_shows_all_rows(site):
    messages_with(site, HEADER + "甲,1,2,2025-01-01\n")
    site.build()
    assert "<caption>数据预览：共 1 行</caption>" in page(site)


def test_chinese_keys_bom_crlf_quotes_and_blank_lines_are_accepted(make_site):
    data = """\
数据文件:
  - 文件: data/t.csv
    标题: 别名写法
    字段:
      - {名称: 名称, 类型: 文本, 说明: 含逗号}
      - {名称: 金额, 类型: 小数, 单位: 元}
"""
    csv = '\ufeff名称,金额\r\n"甲,乙",-1.25\r\n\r\n"说""明",\r\n\r\n'
    site = make_site({ENTRY: dataset(data), CSV: csv}, catalog=DATASET_CATALOG)
    assert site.messages() == []
    site.build()
    html = page(site)
    assert "<caption>数据预览：共 2 行</caption>" in html
    assert '<td>甲,乙</td><td class="num">-1.25</td>' in html and '<td>说&#34;明</td><td class="num"></td>' in html


def test_two_files_get_their_own_sections(make_site):
    second = DATA + "  - {file: data/u.csv, title: 第二张表, columns: [{name: 年份, type: 整数}]}\n"
    site = make_site({ENTRY: dataset(second), CSV: HEADER + ROWS, "content/open-data/data/u.csv": "年份\n2025\n"},
                     catalog=DATASET_CATALOG)
    assert site.messages() == []
    site.build()
    html = page(site)
    assert '<h2 id="dataset-2-title">第二张表</h2>' in html and 'aria-label="数据文件2预览：第二张表（可左右滑动查看）"' in html
    assert (site.root / "site/files/open-data/data/u.csv").is_file()


def test_withheld_dataset_publishes_no_file(make_site):
    site = make_site({ENTRY: dataset(disclosure="不予公开", withhold_reason="内部事务信息"), CSV: HEADER + ROWS},
                     catalog=DATASET_CATALOG)
    assert site.build().files
    assert not (site.root / "site/files").exists()


def test_missing_file(site):
    (site.root / CSV).unlink()
    assert site.messages() == [
        "content/open-data/d.md:7: 错误 [DATA_MISSING] data（数据文件）：文件「data/t.csv」不存在（路径相对于本条目文件所在的文件夹）"]


def test_file_outside_content(site):
    site.write("outside.csv", HEADER + ROWS)
    site.write(ENTRY, dataset(DATA.replace("data/t.csv", "../../outside.csv")))
    assert site.messages() == [
        "content/open-data/d.md:7: 错误 [DATA_OUTSIDE] data（数据文件）：文件「../../outside.csv」在 content/ 之外，数据文件必须放在 content/ 文件夹内"]


def test_file_that_is_not_csv(site):
    site.write("content/open-data/data/t.xlsx", "PK")
    site.write(ENTRY, dataset(DATA.replace("data/t.csv", "data/t.xlsx")))
    assert site.messages() == [
        "content/open-data/d.md:7: 错误 [DATA_NOT_CSV] data（数据文件）：文件「data/t.xlsx」不是 CSV 文件：数据文件应另存为「CSV UTF-8（逗号分隔）」，扩展名为 .csv"]


def test_not_utf8_points_at_the_csv_line(site):
    csv = (HEADER + "甲,1,2,2025-01-01\n乙,2,3,2025-01-02\n").encode("gbk")
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:1: 错误 [DATA_NOT_UTF8] 数据文件不是 UTF-8 编码：请在 Excel 中「另存为」→「CSV UTF-8（逗号分隔）」，"
        "或在编辑器中以 UTF-8（不是 GBK/GB2312）重新保存"]
    ascii_first = b"a,b\n1,2\n" + "乙".encode("gbk") + b",3\n"
    assert messages_with(site, ascii_first)[0].startswith("content/open-data/data/t.csv:3: 错误 [DATA_NOT_UTF8]")


@pytest.mark.parametrize("csv", ["", "\n\n  \n"])
def test_empty_file(site, csv):
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:1: 错误 [DATA_EMPTY] 数据文件是空的：第 1 行应为表头（字段名称），其后每行一条记录"]


def test_header_without_rows(site):
    assert messages_with(site, HEADER) == [
        "content/open-data/data/t.csv:1: 错误 [DATA_EMPTY] 数据文件只有表头，没有数据行：请在表头之后每行写一条记录"]


def test_ragged_rows(site):
    csv = HEADER + "甲,1,2,2025-01-01\n乙,1,2\n丙,1,2,2025-01-01,多余\n"
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:3: 错误 [DATA_MALFORMED] 第 3 行有 3 列，表头有 4 列：请检查该行的逗号（值中含逗号时，整个值应用英文双引号括起）",
        "content/open-data/data/t.csv:4: 错误 [DATA_MALFORMED] 第 4 行有 5 列，表头有 4 列：请检查该行的逗号（值中含逗号时，整个值应用英文双引号括起）",
    ]


def test_unbalanced_quotes(site):
    csv = HEADER + '甲,1,2,2025-01-01\n"乙,1,2,2025-01-02\n丙,1,2,2025-01-03\n'
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:3: 错误 [DATA_MALFORMED] 第 3 行不是有效的 CSV：引号不配对或位置不对（值中含逗号、引号或换行时，"
        '整个值应用英文双引号括起，值中的双引号写成两个 ""）']


def test_header_not_matching_the_declared_columns(site):
    assert messages_with(site, "名称,金额,数量,日期\n甲,1,2,2025-01-01\n") == [
        "content/open-data/d.md:9: 错误 [DATA_HEADER] data（数据文件）：文件「data/t.csv」第 1 行的表头「名称、金额、数量、日期」"
        "与 columns（字段）声明的「名称、数量、金额、日期」不一致，名称和顺序必须相同"]


def test_values_not_matching_their_types(site):
    csv = HEADER + "甲,十二,2,2025-01-01\n乙,1,3.5万,2025/01/02\n丙,\"1,200\",1,2025-02-30\n丁,,,\n"
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:2: 错误 [DATA_TYPE] 第 2 行「数量」列的值「十二」不是整数（如 12、-3；不写千分位逗号和单位）",
        "content/open-data/data/t.csv:3: 错误 [DATA_TYPE] 第 3 行「日期」列的值「2025/01/02」不是有效日期，应写成 YYYY-MM-DD（如 2025-01-31）",
        "content/open-data/data/t.csv:3: 错误 [DATA_TYPE] 第 3 行「金额」列的值「3.5万」不是数字（如 3.14、12；不写千分位逗号和单位）",
        "content/open-data/data/t.csv:4: 错误 [DATA_TYPE] 第 4 行「数量」列的值「1,200」不是整数（如 12、-3；不写千分位逗号和单位）",
        "content/open-data/data/t.csv:4: 错误 [DATA_TYPE] 第 4 行「日期」列的值「2025-02-30」不是有效日期，应写成 YYYY-MM-DD（如 2025-01-31）",
    ]


def test_only_the_first_bad_values_are_listed(site):
    csv = HEADER + "".join(f"单位{n},x{n},1,2025-01-01\n" for n in range(1, 9))
    found = messages_with(site, csv)
    assert len(found) == 6
    assert found[-1] == ("content/open-data/data/t.csv:7: 错误 [DATA_TYPE] 另有 3 个值与声明的类型不符，未逐一列出："
                         "请检查同一列的其他行")


def test_multiline_quoted_value_reports_the_line_where_its_row_starts(site):
    csv = HEADER + '"第一行\n第二行",1,2,2025-01-01\n乙,x,2,2025-01-01\n'
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:4: 错误 [DATA_TYPE] 第 4 行「数量」列的值「x」不是整数（如 12、-3；不写千分位逗号和单位）"]


def test_personal_data_in_a_published_csv(site):
    csv = HEADER + "甲,1,2,2025-01-01\n联系人 13812345678,2,3,2025-01-02\n"
    assert messages_with(site, csv) == [
        "content/open-data/data/t.csv:3: 错误 [PERSONAL_DATA] 数据文件含未去标识化的手机号码，公开前应改写为「138****5678」"
        "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）"]
    site.write(ENTRY, dataset(privacy_exempt="惩戒公示", exempt_reason="依据《环境保护法》第六十八条公开"))
    assert site.messages() == [
        "content/open-data/data/t.csv:3: 提示 [PERSONAL_DATA] 数据文件含手机号码「138****5678」，已按 privacy_exempt（惩戒公示）公开"]
    site.write(ENTRY, dataset(draft="true"))
    assert site.messages() == []


@pytest.mark.parametrize(("data", "expected"), [
    ("data: []\n", "content/open-data/d.md:6: 错误 [BAD_VALUE] data（数据文件）：至少要列出一项"),
    (DATA.replace("type: 整数", "type: 数字"),
     "content/open-data/d.md:11: 错误 [BAD_CHOICE] data（数据文件）：第 1 项 columns（字段）：第 2 项 type（类型）："
     "值「数字」无效，应为以下之一：文本、整数、小数、日期"),
    ("data:\n  - {file: data/t.csv, title: 表, columns: []}\n",
     "content/open-data/d.md:7: 错误 [BAD_VALUE] data（数据文件）：第 1 项 columns（字段）：至少要列出一项"),
])
def test_front_matter_errors(site, data, expected):
    site.write(ENTRY, dataset(data))
    assert site.messages() == [expected]


def test_dataset_without_data_key(site):
    site.write(ENTRY, entry(title="测试数据集"))
    assert site.messages() == ["content/open-data/d.md:1: 错误 [MISSING_KEY] 缺少必填键 data（数据文件）"]


def test_demo_open_data_column_has_realistic_datasets():
    outcome = pipeline.check(REPO, TODAY)
    datasets = [e for e in outcome.catalogue.published if e.type == "dataset"]
    assert len(datasets) >= 3
    assert all("示例数据" in (e.meta.summary or "") for e in datasets)
    counts = {d.title: d.rows for e in datasets for d in e.datasets}
    assert counts["2025年汕尾市重点排污单位名录"] == 15
    assert counts["2026年汕尾市区环境空气质量月报"] == 10


def test_required_columns_must_be_filled(site):
    site.write(ENTRY, dataset(DATA.replace("{name: 名称, type: 文本, description: 单位名称}",
                                           "{name: 名称, type: 文本, description: 单位名称, required: true}")))
    assert messages_with(site, HEADER + "甲,1,2,2025-01-01\n,2,3,2025-01-02\n") == [
        "content/open-data/data/t.csv:3: 错误 [DATA_REQUIRED] 第 3 行「名称」列为空：该列在 columns（字段）中声明为必填"
        "（required），每行都要填写"]
    found = messages_with(site, HEADER + "".join(f",{n},1,2025-01-01\n" for n in range(1, 9)))
    assert len(found) == 6 and found[-1] == (
        "content/open-data/data/t.csv:7: 错误 [DATA_REQUIRED] 另有 3 个必填的值为空，未逐一列出：请检查同一列的其他行")
