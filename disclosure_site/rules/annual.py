"""Rules for 政府信息公开工作年度报告: the sums the national format requires, the sections, the year and the deadline.

Every report is checked, published or not; the deadline (条例 第四十九条: a department publishes last year's
report by 31 January) only looks at published ones.
"""

from __future__ import annotations

import datetime as dt

from ..body.links import parse
from ..core.diagnostics import Report
from ..core.inputs import SourceFileError
from ..model import annual_report as ar
from ..model.annual_report import AnnualReportMeta, Row, row_name
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.site import CATALOG_FILE, Column

SECTIONS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
"""Narrative sections written in the body, in this order; 二、三、四 are the generated tables."""
TABLE_SECTIONS = ("二、", "三、", "四、")
EARLIEST_YEAR = 2021
"""First year reported in the 2021 format (the model refuses earlier years)."""
TITLE = "政府信息公开工作年度报告"


def _reports(cat: Catalogue) -> list[tuple[Entry, AnnualReportMeta]]:
    return [(e, e.meta) for e in sorted(cat.entries, key=lambda e: e.rel) if isinstance(e.meta, AnnualReportMeta)]


def _row_line(entry: Entry, key_name: str, row: Row) -> int:
    """The line of a table row (nested front-matter lines are kept as ``key/label/label``)."""
    return entry.key_lines.get("/".join((key_name, *row)), entry.line(key_name))


def application_sums(cat: Catalogue, report: Report) -> None:
    """Table 三: 总计 = 自然人 + the five 法人或其他组织 columns; （七）总计 = the outcome rows; 一 + 二 = 三（七）+ 四."""
    for entry, meta in _reports(cat):
        table = meta.applications
        for row, numbers in zip(ar.APPLICATION_ROWS, table.rows, strict=True):
            if numbers[-1] != sum(numbers[:-1]):
                report.error(entry.rel, _row_line(entry, "applications", row), "REPORT_ROW_TOTAL",
                             f"applications（申请情况）行「{row_name(row)}」列「总计」为 {numbers[-1]}，"
                             f"但{'、'.join(ar.APPLICANT_COLUMNS[:-1])}之和为 {sum(numbers[:-1])}：总计应等于这六列之和")
        total = table.row((ar.RESULTS, ar.TOTAL), ar.APPLICATION_ROWS)
        for index, column in enumerate(ar.APPLICANT_COLUMNS):
            outcomes = sum(table.row(row, ar.APPLICATION_ROWS)[index] for row in ar.OUTCOME_ROWS)
            if total[index] != outcomes:
                report.error(entry.rel, _row_line(entry, "applications", (ar.RESULTS, ar.TOTAL)), "REPORT_OUTCOME_TOTAL",
                             f"applications（申请情况）行「{row_name((ar.RESULTS, ar.TOTAL))}」列「{column}」为 {total[index]}，"
                             f"但（一）（二）和（三）至（六）各小项之和为 {outcomes}：（七）总计应等于这些行之和")
            _balance(entry, meta, index, report)


def _balance(entry: Entry, meta: AnnualReportMeta, index: int, report: Report) -> None:
    new, carried_in, done, carried_over = (meta.applications.row(row, ar.APPLICATION_ROWS)[index]
                                           for row in ((ar.NEW,), (ar.CARRIED_IN,), (ar.RESULTS, ar.TOTAL), (ar.CARRIED_OVER,)))
    if new + carried_in != done + carried_over:
        report.error(entry.rel, entry.line("applications"), "REPORT_BALANCE",
                     f"applications（申请情况）列「{ar.APPLICANT_COLUMNS[index]}」不平衡：一（本年新收）{new} 加 "
                     f"二（上年结转）{carried_in} 为 {new + carried_in}，三（七）总计 {done} 加 "
                     f"四（结转下年度继续办理）{carried_over} 为 {done + carried_over}：第一项加第二项之和应等于第三项加第四项之和")


def review_sums(cat: Catalogue, report: Report) -> None:
    """Table 四: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    for entry, meta in _reports(cat):
        for row, numbers in zip(ar.REVIEW_ROWS, meta.reviews.rows, strict=True):
            if numbers[-1] != sum(numbers[:-1]):
                report.error(entry.rel, _row_line(entry, "reviews", row), "REPORT_REVIEW_TOTAL",
                             f"reviews（复议诉讼）行「{row_name(row)}」列「总计」为 {numbers[-1]}，"
                             f"但{'、'.join(ar.REVIEW_COLUMNS[:-1])}之和为 {sum(numbers[:-1])}：总计应等于这四项之和")


def _headings(entry: Entry, cat: Catalogue) -> list[tuple[str, int]] | None:
    """``(text, file line)`` of each ``<h2>`` heading (``#``, ``##`` or underlined), from the body's one parse.

    None for a body that cannot be converted: check has said so already, and its sections are not read.
    """
    if not entry.convertible:
        return None
    try:
        body = parse(entry, cat.steps)
    except SourceFileError:
        return None  # too deep to convert: reported by the link pass, or by the build
    return [(heading.text, entry.body_line + heading.line) for heading in body.headings if heading.level == 2]


def report_sections(cat: Catalogue, report: Report) -> None:
    """The body holds sections 一、五、六 as headings, in order, and not the tables' sections 二–四."""
    for entry, _meta in _reports(cat):
        headings = _headings(entry, cat)
        if headings is None:
            continue
        titles = [title for title, _line in headings]
        for title, line in headings:
            if title.startswith(TABLE_SECTIONS):
                report.error(entry.rel, line, "REPORT_SECTION_TABLE",
                             f"正文中的「{title}」由生成器根据 year（年度）和表格数据生成：请删除这一节，"
                             "正文只写 一、五、六 三部分")
        missing = [title for title in SECTIONS if title not in titles]
        for title in missing:
            report.error(entry.rel, entry.body_line, "REPORT_SECTION_MISSING",
                         f"正文缺少「## {title}」一节：年度报告按国家规定的格式写 {'、'.join(SECTIONS)} 三部分")
        found = [titles.index(title) for title in SECTIONS if title in titles]
        if not missing and found != sorted(found):
            report.error(entry.rel, entry.body_line, "REPORT_SECTION_ORDER",
                         f"正文各节的顺序应为 {'、'.join(SECTIONS)}")


def report_years(cat: Catalogue, report: Report) -> None:
    """One report per year, for a year that has ended, with the year in its title."""
    first: dict[int, Entry] = {}
    for entry, meta in _reports(cat):
        line = entry.line("year")
        other = first.setdefault(meta.year, entry)
        if other is not entry:
            report.error(entry.rel, line, "REPORT_YEAR_DUPLICATE",
                         f"year（年度）{meta.year} 已有年度报告 {other.rel}:{other.line('year')}：每个年度只有一份年度报告，"
                         "请修改原报告")
        if meta.year > cat.today.year:
            report.error(entry.rel, line, "REPORT_YEAR_FUTURE",
                         f"year（年度）{meta.year} 晚于今天（{cat.today.isoformat()}）所在的年份：只能报告已经结束的年度")
        elif meta.year >= meta.published.date.year:
            report.error(entry.rel, entry.line("published"), "REPORT_YEAR_OPEN",
                         f"published（发布日期）{meta.published.text()} 早于 year（年度）{meta.year} 结束：年度报告统计"
                         f" {meta.year} 年 1 月 1 日至 12 月 31 日，应在 {meta.year + 1} 年 1 月 31 日前发布")
        if f"{meta.year}年" not in meta.title:
            report.warning(entry.rel, entry.line("title"), "REPORT_TITLE_YEAR",
                           f"title（标题）应写明年度「{meta.year}年」，例如 {cat.config.site.name}{meta.year}年{TITLE}")


def _due(year: int) -> dt.date:
    """条例 第四十九条: a department publishes the report on ``year`` by 31 January of the next year."""
    return dt.date(year + 1, 1, 31)


def report_deadline(cat: Catalogue, report: Report) -> None:
    """The latest report that is due must be published; a report published after its due date is late."""
    columns = [column for column in cat.config.all_columns() if column.type == "annual_report"]
    if not columns:
        _unchecked_reports(cat, report)
        return
    year = cat.today.year - 1 if cat.today > _due(cat.today.year - 1) else cat.today.year - 2
    published = {e.meta.year: e for e in cat.published if isinstance(e.meta, AnnualReportMeta)}
    if year >= EARLIEST_YEAR and year not in published:
        _missing(cat, columns[0], year, report)
    for entry in published.values():
        meta = entry.meta
        assert isinstance(meta, AnnualReportMeta)
        if meta.published.date > _due(meta.year):
            report.warning(entry.rel, entry.line("published"), "ANNUAL_REPORT_LATE",
                           f"{meta.year} 年度报告的 published（发布日期）{meta.published.text()} 晚于 "
                           f"{_due(meta.year).isoformat()}：条例第四十九条要求部门在每年 1 月 31 日前公布上一年度的年度报告")


def _missing(cat: Catalogue, column: Column, year: int, report: Report) -> None:
    report.error(CATALOG_FILE, cat.config.line_of_column(column), "ANNUAL_REPORT_MISSING",
                 f"栏目「{column.title}」（{column.path_text}）没有已发布的 {year} 年{TITLE}：条例第四十九条要求在 "
                 f"{_due(year).isoformat()} 前公布，请在 content/{column.path_text}/ 发布 year: {year} 的年度报告")


def _unchecked_reports(cat: Catalogue, report: Report) -> None:
    """Without an annual_report column nothing can be checked; say so where a report was filed as another type."""
    for entry in cat.published:
        if TITLE in entry.meta.title:
            report.notice(entry.rel, entry.line("title"), "ANNUAL_REPORT_NO_COLUMN",
                          f"本条目像是{TITLE}，但 catalog.yaml 没有 type: annual_report 的栏目：设立年度报告栏目后，"
                          "生成器才能核对表格的勾稽关系和第四十九条规定的公布时限")
