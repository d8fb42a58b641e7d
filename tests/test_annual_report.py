"""政府信息公开工作年度报告: the editors' template, every table rule, table 二 from the catalogue, the deadline, CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from conftest import CATALOG, ORG, REPO, TODAY, entry

from disclosure_site import pipeline
from disclosure_site.model.annual_report import AnnualReportMeta
from disclosure_site.render.annual_tables import proactive_blocks

EDITING = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
TEMPLATE = re.search(r"```yaml\n(year: 2025\n.*?)```", EDITING, re.S)[1]
"""The template editors copy from the guide; every test report starts from it."""

COLUMN = "  - {id: annual-reports, title: 政府信息公开年报, type: annual_report}\n"
ANNUAL_CATALOG = CATALOG.replace("key_areas:\n", COLUMN + "key_areas:\n")
COLUMN_LINE = ANNUAL_CATALOG.splitlines().index(COLUMN.rstrip()) + 1
TITLE = "测试市环境保护局2025年政府信息公开工作年度报告"
BODY = """\
本报告为示例数据。

## 一、总体情况

全年依法公开。

## 五、存在的主要问题及改进情况

继续改进。

## 六、其他需要报告的事项

未收取信息处理费。
"""
VALID_ROWS = {
    "一、本年新收政府信息公开申请数量": [3, 1, 0, 0, 0, 0, 4],
    "二、上年结转政府信息公开申请数量": [1, 0, 0, 0, 0, 0, 1],
    "（一）予以公开": [2, 1, 0, 0, 0, 0, 3],
    "4.保护第三方合法权益": [1, 0, 0, 0, 0, 0, 1],
    "（七）总计": [3, 1, 0, 0, 0, 0, 4],
    "四、结转下年度继续办理": [1, 0, 0, 0, 0, 0, 1],
    "行政复议": [1, 0, 0, 0, 1],
}
PATH = "content/annual-reports/r.md"


def set_row(text: str, label: str, values: object) -> str:
    """Replace the numbers of one row of the template (labels are unique)."""
    shown = "[" + ", ".join(map(str, values)) + "]" if isinstance(values, list) else str(values)
    new, count = re.subn(rf"^(\s*{re.escape(label)}): \[[^\]]*\]$", lambda m: f"{m[1]}: {shown}", text, flags=re.M)
    assert count == 1, label
    return new


def report(year: int = 2025, serial: str = "2026-00001", published: str = "2026-01-20", title: str = TITLE,
           body: str = BODY, rows: dict[str, object] | None = None, extra: str = "") -> str:
    """A report file: common keys, then the guide's template with ``rows`` filled in."""
    data = TEMPLATE.replace("year: 2025", f"year: {year}")
    for label, values in {**VALID_ROWS, **(rows or {})}.items():
        data = set_row(data, label, values)
    head = f'title: {title}\nindex_no: "{ORG}/{serial}"\npublished: {published}\ndisclosure: 主动公开\n{extra}'
    return f"---\n{head}{data}---\n{body}"


@pytest.fixture
def annual_site(make_site):
    def make(files: dict[str, str], catalog: str = ANNUAL_CATALOG):
        return make_site(files, catalog=catalog)
    return make


# A report the model refuses is no report, so the deadline would fire too; tests of refused values switch it off.
UNPARSED = ANNUAL_CATALOG.replace('severity: {EMPTY_COLUMN: "off"}',
                                  'severity: {EMPTY_COLUMN: "off", ANNUAL_REPORT_MISSING: "off"}')


def messages_for(annual_site, catalog=ANNUAL_CATALOG, **keys):
    return annual_site({PATH: report(**keys)}, catalog).messages()


def test_the_guides_template_filled_in_consistently_is_valid(annual_site):
    assert messages_for(annual_site) == []


def test_a_negative_cell_names_its_row_and_column(annual_site):
    rows = {"一、本年新收政府信息公开申请数量": [3, -1, 0, 0, 0, 0, 4]}
    assert messages_for(annual_site, UNPARSED, rows=rows) == [
        f"{PATH}:10: 错误 [REPORT_CELL] applications（申请情况）：行「一、本年新收政府信息公开申请数量」列「商业企业」："
        "值「-1」应为非负整数（没有时填 0）"]


def test_a_text_cell_in_a_nested_row_is_reported_on_its_line(annual_site):
    rows = {"2.重复申请": '[0, 0, 0, 0, 0, "两", 0]'}
    assert messages_for(annual_site, UNPARSED, rows=rows) == [
        f"{PATH}:30: 错误 [REPORT_CELL] applications（申请情况）：行「三、本年度办理结果 / （五）不予处理 / 2.重复申请」"
        "列「其他」：值「两」应为非负整数（没有时填 0）"]


def test_a_row_with_too_few_numbers(annual_site):
    assert messages_for(annual_site, UNPARSED, rows={"行政复议": [1, 0, 0, 1]}) == [
        f"{PATH}:42: 错误 [REPORT_TABLE_SHAPE] reviews（复议诉讼）：行「行政复议」应为 5 个数的列表，"
        "依次为 结果维持、结果纠正、其他结果、尚未审结、总计；现在有 4 个"]


def test_an_unknown_row_label_lists_the_official_ones(annual_site):
    text = report().replace("    复议后起诉:", "    复议后诉讼:")
    assert annual_site({PATH: text}, UNPARSED).messages() == [
        f"{PATH}:45: 错误 [REPORT_TABLE_SHAPE] reviews（复议诉讼）：「行政诉讼」下未知的行「复议后诉讼」："
        "应为 未经复议直接起诉、复议后起诉（按格式原文填写）"]


def test_a_missing_row_is_named(annual_site):
    text = report().replace("  二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0, 1]\n", "")
    assert annual_site({PATH: text}, UNPARSED).messages() == [
        f"{PATH}:9: 错误 [REPORT_TABLE_SHAPE] applications（申请情况）：缺少行「二、上年结转政府信息公开申请数量」："
        "没有数据的行也要填 0"]


def test_row_total_must_be_the_sum_of_the_applicant_columns(annual_site):
    rows = {"（一）予以公开": [2, 1, 0, 0, 0, 0, 4]}
    assert messages_for(annual_site, rows=rows) == [
        f"{PATH}:13: 错误 [REPORT_ROW_TOTAL] applications（申请情况）行「三、本年度办理结果 / （一）予以公开」列「总计」"
        "为 4，但自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之和为 3：总计应等于这六列之和",
        f"{PATH}:38: 错误 [REPORT_OUTCOME_TOTAL] applications（申请情况）行「三、本年度办理结果 / （七）总计」列「总计」"
        "为 4，但（一）（二）和（三）至（六）各小项之和为 5：（七）总计应等于这些行之和"]


def test_outcome_total_counts_numbered_rows_not_headings(annual_site):
    rows = {"3.补正后申请内容仍不明确": [1, 0, 0, 0, 0, 0, 1]}
    assert messages_for(annual_site, rows=rows) == [
        f"{PATH}:38: 错误 [REPORT_OUTCOME_TOTAL] applications（申请情况）行「三、本年度办理结果 / （七）总计」"
        f"列「{column}」为 {total}，但（一）（二）和（三）至（六）各小项之和为 {total + 1}：（七）总计应等于这些行之和"
        for column, total in (("总计", 4), ("自然人", 3))]


def test_received_plus_carried_in_must_equal_handled_plus_carried_over(annual_site):
    rows = {"二、上年结转政府信息公开申请数量": [2, 0, 0, 0, 0, 0, 2]}
    assert messages_for(annual_site, rows=rows) == [
        f"{PATH}:9: 错误 [REPORT_BALANCE] applications（申请情况）列「{column}」不平衡：一（本年新收）{new} 加 "
        f"二（上年结转）2 为 {new + 2}，三（七）总计 {new} 加 四（结转下年度继续办理）1 为 {new + 1}："
        "第一项加第二项之和应等于第三项加第四项之和"
        for column, new in (("总计", 4), ("自然人", 3))]


def test_review_totals_are_checked_per_group(annual_site):
    rows = {"行政复议": [1, 1, 0, 0, 1], "复议后起诉": [0, 0, 0, 1, 0]}
    assert messages_for(annual_site, rows=rows) == [
        f"{PATH}:42: 错误 [REPORT_REVIEW_TOTAL] reviews（复议诉讼）行「行政复议」列「总计」为 1，"
        "但结果维持、结果纠正、其他结果、尚未审结之和为 2：总计应等于这四项之和",
        f"{PATH}:45: 错误 [REPORT_REVIEW_TOTAL] reviews（复议诉讼）行「行政诉讼 / 复议后起诉」列「总计」为 0，"
        "但结果维持、结果纠正、其他结果、尚未审结之和为 1：总计应等于这四项之和"]


def test_withheld_and_draft_reports_are_checked_too(annual_site):
    broken = report(rows={"行政复议": [1, 0, 0, 0, 0]}, extra="draft: true\n")
    assert [m.split(" [")[1].split("]")[0] for m in annual_site({PATH: broken}, UNPARSED).messages()] == [
        "REPORT_REVIEW_TOTAL"]


def test_missing_narrative_section(annual_site):
    body = BODY.replace("## 五、存在的主要问题及改进情况\n\n继续改进。\n\n", "")
    assert messages_for(annual_site, body=body) == [
        f"{PATH}:47: 错误 [REPORT_SECTION_MISSING] 正文缺少「## 五、存在的主要问题及改进情况」一节：年度报告按国家规定的格式写 "
        "一、总体情况、五、存在的主要问题及改进情况、六、其他需要报告的事项 三部分"]


def test_sections_in_the_wrong_order(annual_site):
    body = "## 六、其他需要报告的事项\n\n无。\n\n## 一、总体情况\n\n好。\n\n## 五、存在的主要问题及改进情况\n\n无。\n"
    assert messages_for(annual_site, body=body) == [
        f"{PATH}:47: 错误 [REPORT_SECTION_ORDER] 正文各节的顺序应为 一、总体情况、五、存在的主要问题及改进情况、六、其他需要报告的事项"]


def test_table_sections_do_not_belong_in_the_body(annual_site):
    body = BODY.replace("## 五、", "## 二、主动公开政府信息情况\n\n| 信息内容 | 本年制发件数 |\n\n## 五、")
    assert messages_for(annual_site, body=body) == [
        f"{PATH}:53: 错误 [REPORT_SECTION_TABLE] 正文中的「二、主动公开政府信息情况」由生成器根据 year（年度）和表格数据生成："
        "请删除这一节，正文只写 一、五、六 三部分"]


FIVE = "## 五、存在的主要问题及改进情况\n"
MISSING_FIVE = (f"{PATH}:47: 错误 [REPORT_SECTION_MISSING] 正文缺少「## 五、存在的主要问题及改进情况」一节：年度报告按国家规定的格式写 "
                "一、总体情况、五、存在的主要问题及改进情况、六、其他需要报告的事项 三部分")


def test_a_heading_line_inside_a_code_block_is_no_section(annual_site):
    fenced = "```markdown\n# 五、存在的主要问题及改进情况\n## 二、主动公开政府信息情况\n```\n"
    assert messages_for(annual_site, body=BODY.replace(FIVE, fenced)) == [MISSING_FIVE]


@pytest.mark.parametrize("five", ["#五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n===\n",
                                  "五、存在的主要问题及改进情况\n---\n", "## **五、存在的主要问题及改进情况**\n"],
                         ids=["no-space", "setext-1", "setext-2", "emphasis"])
def test_every_markdown_heading_counts_as_a_section(annual_site, five):
    assert messages_for(annual_site, body=BODY.replace(FIVE, five)) == []


def test_a_table_section_is_reported_on_its_own_line_not_on_code_that_repeats_it(annual_site):
    two = "```\n## 二、主动公开政府信息情况\n```\n\n二、主动公开政府信息情况\n---\n\n"
    assert messages_for(annual_site, body=BODY.replace(FIVE, two + FIVE)) == [
        f"{PATH}:57: 错误 [REPORT_SECTION_TABLE] 正文中的「二、主动公开政府信息情况」由生成器根据 year（年度）和表格数据生成："
        "请删除这一节，正文只写 一、五、六 三部分"]


def report_html(annual_site, body: str) -> str:
    """The annual report's page, built from ``body``."""
    site = annual_site({PATH: report(body=body)})
    outcome = pipeline.build(site.root, site.root / "site", TODAY, search=False, history=False, jobs=1, cache=False)
    assert outcome.files, [d.format() for d in outcome.report]
    return (site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("five", [FIVE, "五、存在的主要问题及改进情况\n---\n", "## **五、存在的主要问题及改进情况**\n"],
                         ids=["atx", "setext", "emphasis"])
def test_the_tables_go_before_section_five_not_before_a_code_line_that_looks_like_it(annual_site, five):
    fenced = "```markdown\n# 五、存在的主要问题及改进情况\n```\n\n"
    html = report_html(annual_site, BODY.replace(FIVE, fenced + five))
    code, table, section = (html.index("<code># 五、存在"), html.index("表二 主动公开政府信息情况"),
                            html.index('id="wu-cun-zai-de-zhu-yao-wen-ti-ji-gai-jin-qing-kuang">'))
    assert code < table < section


def test_an_annual_report_is_parsed_once_for_its_sections_and_its_page(annual_site, monkeypatch):
    from disclosure_site.body import links

    parsed: list[str] = []
    real = links.parse_markdown
    monkeypatch.setattr(links, "parse_markdown", lambda text, *kind: parsed.append(text) or real(text, *kind))
    report_html(annual_site, BODY)
    assert parsed == [BODY]


def test_one_report_per_year(annual_site):
    site = annual_site({PATH: report(), "content/annual-reports/s.md": report(serial="2026-00002")})
    assert site.messages() == [
        "content/annual-reports/s.md:6: 错误 [REPORT_YEAR_DUPLICATE] year（年度）2025 已有年度报告 "
        f"{PATH}:6：每个年度只有一份年度报告，请修改原报告"]


def test_a_future_year_is_an_error(annual_site):
    files = {PATH: report(), "content/annual-reports/s.md": report(
        year=2027, serial="2028-00001", published="2028-01-10", title="测试市环境保护局2027年政府信息公开工作年度报告")}
    assert annual_site(files).messages() == [
        "content/annual-reports/s.md:6: 错误 [REPORT_YEAR_FUTURE] year（年度）2027 晚于今天（2026-11-26）所在的年份："
        "只能报告已经结束的年度"]


def test_a_report_published_before_its_year_ends(annual_site):
    text = report(year=2024, serial="2024-00001", published="2024-12-30",
                  title="测试市环境保护局2024年政府信息公开工作年度报告")
    assert annual_site({PATH: report(), "content/annual-reports/s.md": text}).messages() == [
        "content/annual-reports/s.md:4: 错误 [REPORT_YEAR_OPEN] published（发布日期）2024-12-30 早于 year（年度）2024 结束："
        "年度报告统计 2024 年 1 月 1 日至 12 月 31 日，应在 2025 年 1 月 31 日前发布"]


def test_the_title_names_the_year(annual_site):
    assert messages_for(annual_site, title="测试市环境保护局政府信息公开工作年度报告") == [
        f"{PATH}:2: 警告 [REPORT_TITLE_YEAR] title（标题）应写明年度「2025年」，"
        "例如 测试市环境保护局2025年政府信息公开工作年度报告"]


def test_reports_before_the_2021_format_are_refused(annual_site):
    assert messages_for(annual_site, UNPARSED, year=2020, title="测试市环境保护局2020年政府信息公开工作年度报告") == [
        f"{PATH}:6: 错误 [BAD_VALUE] year（年度）：值「2020」应为 2021 到 2100 之间的整数"]


def test_fees_must_be_a_non_negative_amount(annual_site):
    text = report().replace("fees: 0", "fees: -1.5")
    assert annual_site({PATH: text}, UNPARSED).messages() == [
        f"{PATH}:7: 错误 [BAD_VALUE] fees（行政事业性收费）：值「-1.5」应为以万元为单位的非负金额，最多 4 位小数，例如 0 或 1.25"]


# ── 第四十九条: the report on last year is due by 31 January ──

REPORT_2024 = report(year=2024, serial="2025-00001", published="2025-01-20",
                     title="测试市环境保护局2024年政府信息公开工作年度报告")


def test_no_report_is_due_until_31_january(annual_site):
    site = annual_site({"content/annual-reports/a.md": REPORT_2024})
    assert site.messages(dt.date(2026, 1, 31)) == []


def test_a_missing_report_is_an_error_after_31_january(annual_site):
    draft_2025 = report(serial="2026-00001", extra="draft: true\n")  # a draft is not published
    site = annual_site({"content/annual-reports/a.md": REPORT_2024, "content/annual-reports/b.md": draft_2025})
    assert site.messages(dt.date(2026, 2, 1)) == [
        f"catalog.yaml:{COLUMN_LINE}: 错误 [ANNUAL_REPORT_MISSING] 栏目「政府信息公开年报」（annual-reports）没有已发布的 "
        "2025 年政府信息公开工作年度报告：条例第四十九条要求在 2026-01-31 前公布，请在 content/annual-reports/ 发布 "
        "year: 2025 的年度报告"]


def test_before_31_january_the_year_before_last_is_checked(annual_site):
    site = annual_site({"content/annual-reports/a.md": REPORT_2024})  # published 2025-01-20
    assert [d.format().split("没有已发布的 ")[1][:4] for d in site.check(dt.date(2025, 1, 15))] == ["2023"]


def test_a_late_report_is_a_warning(annual_site):
    late = REPORT_2024.replace("published: 2025-01-20", "published: 2025-02-05")
    site = annual_site({"content/annual-reports/a.md": late, PATH: report()})
    assert site.messages() == [
        "content/annual-reports/a.md:4: 警告 [ANNUAL_REPORT_LATE] 2024 年度报告的 published（发布日期）2025-02-05 晚于 "
        "2025-01-31：条例第四十九条要求部门在每年 1 月 31 日前公布上一年度的年度报告"]


def test_the_deadline_severity_can_be_adjusted(annual_site):
    catalog = ANNUAL_CATALOG.replace('severity: {EMPTY_COLUMN: "off"}',
                                     'severity: {EMPTY_COLUMN: "off", ANNUAL_REPORT_MISSING: warning}')
    site = annual_site({}, catalog=catalog)
    assert [(d.code, d.severity.value) for d in site.check()] == [("ANNUAL_REPORT_MISSING", "警告")]


def test_without_a_report_column_only_reports_filed_elsewhere_get_a_notice(make_site):
    assert make_site({"content/news/a.md": entry()}).messages() == []
    document = entry(title="测试市环境保护局2025年政府信息公开工作年度报告", serial="2026-00001",
                     published="2026-01-20", written="2026-01-20", department="办公室")
    assert make_site({"content/documents/a.md": document}).messages() == [
        "content/documents/a.md:2: 提示 [ANNUAL_REPORT_NO_COLUMN] 本条目像是政府信息公开工作年度报告，但 catalog.yaml "
        "没有 type: annual_report 的栏目：设立年度报告栏目后，生成器才能核对表格的勾稽关系和第四十九条规定的公布时限"]


# ── Table 二 from the catalogue ──

def document(serial, written, **keys):
    return entry(title=f"文件{serial}", serial=serial, published=f"{serial[:4]}-06-01", written=written,
                 department="办公室", **keys)


def enforcement(serial, action, published=None, **keys):
    return entry(title=f"决定{serial}", serial=serial, published=published or f"{serial[:4]}-06-01", action=action,
                 **keys)


CATALOGUE_FILES = {
    # 行政规范性文件: one issued in 2025, one repealed in 2025, one in force since 2023, one marked 失效 without a date
    "content/documents/n1.md": document("2025-00001", "2025-03-01", normative="true"),
    "content/documents/n2.md": document("2023-00001", "2023-02-01", normative="true", repealed="2025-07-01",
                                        validity="废止"),
    "content/documents/n3.md": document("2023-00002", "2023-04-01", normative="true"),
    "content/documents/n4.md": document("2022-00001", "2022-04-01", normative="true", validity="失效"),
    "content/documents/n5.md": document("2025-00002", "2024-12-20", normative="true"),  # written 2024, published 2025
    "content/documents/n6.md": document("2026-00002", "2026-02-01", normative="true"),  # issued after 2025
    "content/documents/plain.md": document("2025-00003", "2025-03-01"),  # not flagged
    "content/documents/rule.md": document("2025-00004", "2025-05-01", genre="规章"),
    # withheld, draft and scheduled entries never count
    "content/documents/w.md": document("2025-00005", "2025-03-01", normative="true", disclosure="依申请公开",
                                       withhold_reason="内部事务"),
    "content/enforcement/d.md": enforcement("2025-00006", "行政处罚", decided="2025-05-01", draft="true"),
    "content/enforcement/s.md": enforcement("2026-00003", "行政许可", decided="2025-12-30", published="2026-12-01"),
    # decisions: by decided date, else the publication date
    "content/enforcement/p1.md": enforcement("2025-00007", "行政许可", decided="2025-02-01"),
    "content/enforcement/p2.md": enforcement("2026-00004", "行政许可", decided="2025-12-29"),
    "content/enforcement/p3.md": enforcement("2025-00008", "行政许可", decided="2024-12-30"),
    "content/enforcement/x1.md": enforcement("2025-00009", "行政处罚"),
    "content/enforcement/c1.md": enforcement("2025-00010", "行政强制", decided="2025-08-08"),
    "content/enforcement/i1.md": enforcement("2025-00011", "双随机抽查", decided="2025-08-08"),
}
EXPECTED_TABLE_TWO = [
    ["条款", "信息内容", "统计项", "数值"],
    ["第二十条第（一）项", "规章", "本年制发件数", "1"],
    ["第二十条第（一）项", "规章", "本年废止件数", "0"],
    ["第二十条第（一）项", "规章", "现行有效件数", "1"],
    ["第二十条第（一）项", "行政规范性文件", "本年制发件数", "1"],
    ["第二十条第（一）项", "行政规范性文件", "本年废止件数", "1"],
    ["第二十条第（一）项", "行政规范性文件", "现行有效件数", "3"],
    ["第二十条第（五）项", "行政许可", "本年处理决定数量", "2"],
    ["第二十条第（六）项", "行政处罚", "本年处理决定数量", "1"],
    ["第二十条第（六）项", "行政强制", "本年处理决定数量", "1"],
    ["第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）", "1.50"],
]


def read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def catalogue_site(annual_site):
    files = {**CATALOGUE_FILES, PATH: report().replace("fees: 0", 'fees: "1.50"')}
    site = annual_site(files)
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return site


def test_table_two_is_counted_from_published_entries(catalogue_site):
    assert read_csv(catalogue_site.root / "site/entries/2026-00001-table2.csv") == EXPECTED_TABLE_TWO


def test_the_page_lists_the_entries_behind_each_figure(catalogue_site):
    html = (catalogue_site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    evidence = html.split('<details class="report-evidence"')[1].split("</details>")[0]
    assert re.findall(r'<li>(.+?)（', evidence) == [
        "规章·本年制发件数", "规章·现行有效件数", "行政规范性文件·本年制发件数", "行政规范性文件·本年废止件数",
        "行政规范性文件·现行有效件数", "行政许可·本年处理决定数量", "行政处罚·本年处理决定数量", "行政强制·本年处理决定数量"]
    assert re.findall(r'href="([^"]+)"', evidence.split("行政规范性文件·现行有效件数")[1].split("</li>")[0]) == [
        "2025-00001.html", "2025-00002.html", "2023-00002.html"]
    assert "2025-00005" not in html and "2025-00006" not in html and "2026-00003" not in html


def test_tables_three_and_four_download_as_csv(catalogue_site):
    three = read_csv(catalogue_site.root / "site/entries/2026-00001-table3.csv")
    assert three[0] == ["项目", "办理结果", "具体情形", "自然人", "法人或其他组织（商业企业）", "法人或其他组织（科研机构）",
                        "法人或其他组织（社会公益组织）", "法人或其他组织（法律服务机构）", "法人或其他组织（其他）", "总计"]
    assert len(three) == 26 and all(len(row) == 10 for row in three)
    assert three[1] == ["一、本年新收政府信息公开申请数量", "", "", "3", "1", "0", "0", "0", "0", "4"]
    assert three[8] == ["三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", "1", "0", "0", "0", "0", "0", "1"]
    assert three[25][0] == "四、结转下年度继续办理"
    four = read_csv(catalogue_site.root / "site/entries/2026-00001-table4.csv")
    assert four == [["类别", "情形", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                    ["行政复议", "", "1", "0", "0", "0", "1"],
                    ["行政诉讼", "未经复议直接起诉", "0", "0", "0", "0", "0"],
                    ["行政诉讼", "复议后起诉", "0", "0", "0", "0", "0"]]


class _Tables(HTMLParser):
    """Per table: header ids, every ``headers`` reference, scopes and the caption; the page's h2 texts and CSV links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list[str]]] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self._text_of = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._text_of = tag if tag in ("h2", "caption") else ""
        if tag == "table":
            self.tables.append({"ids": [], "refs": [], "scopes": [], "caption": []})
        elif tag in ("th", "td"):
            table = self.tables[-1]
            table["ids"] += [a["id"]] if tag == "th" else []
            table["scopes"] += [a["scope"]] if "scope" in a else []
            # every data cell names its headers; only the empty corner cell of table 三 has none
            table["refs"] += (a.get("headers") or ("MISSING" if tag == "td" and "rowspan" not in a else "")).split()
        elif tag == "caption":
            self.tables[-1]["caption"].append("")
        elif tag == "a" and a.get("href", "").endswith(".csv"):
            self.links.append(a["href"])

    def handle_data(self, data):
        if self._text_of == "h2" and data.strip():
            self.headings.append(data.strip())
        elif self._text_of == "caption":
            self.tables[-1]["caption"][-1] += data

    def handle_endtag(self, tag):
        self._text_of = ""


def test_report_page_shows_sections_and_accessible_tables_in_the_official_order(catalogue_site):
    parser = _Tables()
    parser.feed((catalogue_site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8"))
    sections = [h for h in parser.headings if h[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert sections == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [t["caption"][0] for t in parser.tables] == [
        "表二 主动公开政府信息情况（2025年）", "重点领域信息公开情况（2025年，单位：条）",
        "表三 收到和处理政府信息公开申请情况（2025年）", "表四 政府信息公开行政复议、行政诉讼情况（2025年）"]
    for table in parser.tables:
        assert set(table["refs"]) <= set(table["ids"]), "every headers= names a header of the same table"
        assert set(table["ids"]) <= set(table["refs"]), "every header cell heads some cell"
        assert "col" in table["scopes"]
    assert ["row" in table["scopes"] for table in parser.tables] == [True, True, True, False]
    assert [link for link in parser.links if "-table" in link] == ["2026-00001-table2.csv", "2026-00001-table3.csv", "2026-00001-table4.csv"]


def test_tiny_reports_keep_their_labels_in_the_html(catalogue_site):
    html = (catalogue_site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    for label in ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "法人或其他组织",
                  "3.危及“三安全一稳定”", "未经复议直接起诉", "本年收费金额（单位：万元）", "第二十条第（八）项"):
        assert label in html, label
    assert 'aria-label="表三 收到和处理政府信息公开申请情况（可左右滑动查看）"' in html


# ── The demo: the 2025 report's table 二, checked by hand against the catalogue ──

DEMO_TABLE_TWO_2025 = {
    # 规章: the bureau makes none (a city department cannot).
    ("规章", "本年制发件数"): [], ("规章", "本年废止件数"): [], ("规章", "现行有效件数"): [],
    # 举报奖励办法 (汕环〔2025〕126号, written 2025-10-20) is the only normative document issued in 2025; nothing was
    # repealed in 2025 (the 2019 EIA measures went on 2024-06-01); in force on 31 Dec: 2020 裁量标准, 2021 双随机细则,
    # 2024 修订分级审批办法 and the 2025 办法.
    ("行政规范性文件", "本年制发件数"): ["2025-00112"],
    ("行政规范性文件", "本年废止件数"): [],
    ("行政规范性文件", "现行有效件数"): ["2025-00112", "2024-00047", "2021-00074", "2020-00066"],
    # decided in 2025: 码头扩建 (2025-03-14) and 改性塑料 (2025-09-05) permits; 暗管排污 penalty; 电镀设施查封.
    ("行政许可", "本年处理决定数量"): ["2025-00101", "2025-00027"],
    ("行政处罚", "本年处理决定数量"): ["2025-00098"],
    ("行政强制", "本年处理决定数量"): ["2025-00058"],
}


def test_demo_2025_report_reproduces_the_hand_checked_table_two(demo_site):
    cat = pipeline.check(REPO, dt.date(2026, 11, 26)).catalogue
    [meta] = [e.meta for e in cat.published if isinstance(e.meta, AnnualReportMeta) and e.meta.year == 2025]
    figures = {(f.label, f.measure): [e.serial for e in f.entries]
               for block in proactive_blocks(cat.published, 2025, meta.fees)[:3] for _label, row in block.rows
               for f in row}
    assert figures == DEMO_TABLE_TWO_2025
    values = [row[1:] for row in read_csv(demo_site / "entries/2026-00033-table2.csv")[1:]]
    assert values == [["规章", "本年制发件数", "0"], ["规章", "本年废止件数", "0"], ["规章", "现行有效件数", "0"],
                      ["行政规范性文件", "本年制发件数", "1"], ["行政规范性文件", "本年废止件数", "0"],
                      ["行政规范性文件", "现行有效件数", "4"], ["行政许可", "本年处理决定数量", "2"],
                      ["行政处罚", "本年处理决定数量", "1"], ["行政强制", "本年处理决定数量", "1"],
                      ["行政事业性收费", "本年收费金额（单位：万元）", "0"]]


def test_demo_reports_cover_the_last_two_years_on_time(demo_site):
    cat = pipeline.check(REPO, dt.date(2026, 11, 26)).catalogue
    reports = {e.meta.year: e.meta.published.date for e in cat.published if isinstance(e.meta, AnnualReportMeta)}
    assert {2024, 2025} <= set(reports)
    assert all(published <= dt.date(year + 1, 1, 31) for year, published in reports.items())


# ── 重点领域信息公开情况: each key area's entries published in the year, by first-level column ──

KEY_AREA_CANARY = "重点领域金丝雀KAQ"
KEY_AREA_FILES = {
    "content/documents/normative/k1.md": document("2025-00001", "2025-03-01", key_areas="[eia]"),
    "content/enforcement/k2.md": enforcement("2025-00002", "行政许可", key_areas="[eia]"),
    "content/enforcement/k3.md": enforcement("2025-00003", "行政许可", published="2025-12-31 18:00", key_areas="[eia]"),
    "content/enforcement/other-year.md": enforcement("2024-00001", "行政许可", key_areas="[eia]"),
    "content/enforcement/untagged.md": enforcement("2025-00004", "行政许可"),
    # never counted: withheld, draft, scheduled (published after the build date, in the report year of 2026)
    "content/documents/kw.md": document("2025-00005", "2025-03-01", key_areas="[eia]", disclosure="依申请公开",
                                        withhold_reason="内部事务", summary=KEY_AREA_CANARY),
    "content/news/kd.md": entry(title=KEY_AREA_CANARY + "草稿", serial="2025-00006", published="2025-05-01",
                                key_areas="[eia]", draft="true"),
}


@pytest.fixture
def key_area_site(annual_site):
    site = annual_site({**KEY_AREA_FILES, PATH: report()})
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return site


def test_key_areas_are_counted_by_column_from_published_entries(key_area_site):
    assert read_csv(key_area_site.root / "site/entries/2026-00001-key-areas.csv") == [
        ["重点领域", "文件", "行政执法", "合计", "页面地址"],
        ["环评审批", "1", "2", "3", "https://www.example.gov.cn/test/key-areas/eia.html"]]


def test_the_key_area_table_sits_in_section_two_and_links_each_area(key_area_site):
    html = (key_area_site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    two = html.split('<h2 id="report-table-2">')[1].split('<h2 id="report-table-3">')[0]
    table = two.split('<section class="report-key-areas"')[1]
    assert '<h3 id="report-key-areas">重点领域信息公开情况</h3>' in table
    assert '<th id="ka-r1" headers="ka-area" scope="row"><a href="../key-areas/eia.html">环评审批</a></th>' in table
    assert re.findall(r"<td [^>]*>(\d+)</td>", table) == ["1", "2", "3"]
    assert 'href="2026-00001-key-areas.csv"' in table


def test_withheld_and_draft_key_area_entries_are_not_counted(key_area_site):
    from leaks import leaks

    assert leaks(key_area_site.root / "site", [KEY_AREA_CANARY]) == []
    assert not (key_area_site.root / "site/entries/2025-00005.html").exists()


def test_every_key_area_is_reported_even_with_nothing_that_year(annual_site):
    catalog = ANNUAL_CATALOG.replace("  - {id: eia, title: 环评审批, description: 建设项目环评审批信息}\n",
                                     "  - {id: eia, title: 环评审批, description: 建设项目环评审批信息}\n"
                                     "  - {id: quiet, title: 安静领域}\n")
    site = annual_site({PATH: report()}, catalog=catalog)
    assert site.build().files
    assert read_csv(site.root / "site/entries/2026-00001-key-areas.csv") == [
        ["重点领域", "合计", "页面地址"], ["环评审批", "0", "https://www.example.gov.cn/test/key-areas/eia.html"],
        ["安静领域", "0", "https://www.example.gov.cn/test/key-areas/quiet.html"]]


def test_without_key_areas_there_is_no_key_area_table(annual_site):
    catalog = ANNUAL_CATALOG.replace("key_areas:\n  - {id: eia, title: 环评审批, description: 建设项目环评审批信息}\n", "")
    site = annual_site({PATH: report()}, catalog=catalog)
    assert site.build().files
    assert not (site.root / "site/entries/2026-00001-key-areas.csv").exists()
    assert "重点领域信息公开情况" not in (site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")


def test_the_demo_report_shows_its_key_areas(demo_site):
    rows = read_csv(demo_site / "entries/2026-00033-key-areas.csv")
    assert [row[0] for row in rows[1:]] == ["重大建设项目批准和实施", "重大环境污染和生态破坏事件调查处理",
                                           "“双随机、一公开”监管", "财政预决算"]
    assert sum(int(row[-2]) for row in rows[1:]) > 0
    assert "重点领域信息公开情况（2025年" in (demo_site / "entries/2026-00033.html").read_text(encoding="utf-8")
