"""Rules across entries: unique 索引号, policies with their interpretations, and the registry of all rules."""

from __future__ import annotations

from collections.abc import Callable

from ..core.diagnostics import Report
from ..model import urls
from ..model.catalogue import Catalogue, is_policy
from ..model.entry import Entry
from ..model.site import CATALOG_FILE
from ..model.types import InterpretationMeta
from . import annual as annual_rules
from . import briefings as briefing_rules
from . import content as content_rules
from . import deadlines, implements, lists, numbers, publish, tasks
from . import review as review_rules
from . import site as site_rules
from .implements import withheld_target

Rule = Callable[[Catalogue, Report], None]


def unique_index_numbers(cat: Catalogue, report: Report) -> None:
    """索引号 identify one entry for ever: no two files, published or not, may share one."""
    first: dict[str, Entry] = {}
    for entry in sorted(cat.entries, key=lambda e: e.rel):
        index_no = entry.meta.index_no
        if index_no in first:
            other = first[index_no]
            report.error(entry.rel, entry.line("index_no"), "DUPLICATE_INDEX_NO",
                         f"index_no（索引号）「{index_no}」重复，已用于 {other.rel}:{other.line('index_no')}；"
                         "请改用本年度下一个未使用的流水号")
        else:
            first[index_no] = entry


def unique_entry_urls(cat: Catalogue, report: Report) -> None:
    """Pages are named after the 索引号 后段码, so two different 索引号 must not share one."""
    first: dict[str, Entry] = {}
    for entry in sorted(cat.entries, key=lambda e: e.rel):
        page = urls.entry_page(entry)
        other = first.setdefault(page, entry)
        if other.meta.index_no != entry.meta.index_no:
            report.error(entry.rel, entry.line("index_no"), "URL_COLLISION",
                         f"index_no（索引号）「{entry.meta.index_no}」与 {other.rel} 的「{other.meta.index_no}」"
                         f"对应同一网址 {page}：请改用未使用的流水号")


def interpretations_match_policies(cat: Catalogue, report: Report) -> None:
    """Each interpretation names an existing policy document, published no later than it."""
    for entry in cat.entries:
        if isinstance(entry.meta, InterpretationMeta):
            _check_interpretation(entry, entry.meta, cat.every.get(entry.meta.interprets), cat, report)


def _check_interpretation(entry: Entry, meta: InterpretationMeta, policy: Entry | None,
                          cat: Catalogue, report: Report) -> None:
    line = entry.line("interprets")
    if policy is None:
        report.error(entry.rel, line, "INTERPRETS_UNKNOWN",
                     f"interprets（解读对象）「{meta.interprets}」不是任何文件的索引号：请填写被解读文件的索引号")
        return
    if not is_policy(policy):
        report.error(entry.rel, line, "INTERPRETS_NOT_POLICY",
                     f"interprets（解读对象）「{meta.interprets}」指向的 {policy.rel} 不是政策性文件："
                     "被解读的文件须在 documents 栏目中并标注 policy: true")
        return
    if entry.meta.published.earlier_than(policy.meta.published):
        report.error(entry.rel, entry.line("published"), "INTERPRETATION_BEFORE_POLICY",
                     f"published（发布日期）{meta.published.text()} 早于被解读文件的发布日期 "
                     f"{policy.meta.published.text()}：解读不能先于文件发布")
        return
    _check_pairing(entry, meta, policy, cat, report)


def _check_pairing(entry: Entry, meta: InterpretationMeta, policy: Entry, cat: Catalogue, report: Report) -> None:
    if withheld_target(cat, entry, policy, ("interprets（解读对象）", entry.line("interprets")), "INTERPRETS_WITHHELD",
                       "解读不能单独发布：请与文件同步发布，或将解读也设为草稿", report):
        return
    if meta.department != policy.meta.department:
        report.warning(entry.rel, entry.line("department"), "INTERPRETATION_DEPARTMENT",
                       f"department（责任部门）「{meta.department}」与被解读文件的责任部门"
                       f"「{policy.meta.department}」不同：按「谁起草、谁解读」应由起草部门解读")


def policies_have_interpretations(cat: Catalogue, report: Report) -> None:
    """A published policy document needs at least one published 政策解读 (同步发布)."""
    for entry in cat.published:
        if is_policy(entry) and not cat.interpretations.get(entry.meta.index_no):
            report.error(entry.rel, entry.line("policy"), "POLICY_WITHOUT_INTERPRETATION",
                         "政策性文件（policy: true）没有已发布的政策解读：请在 content/interpretations/ 新建解读，"
                         f"以 interprets: \"{entry.meta.index_no}\" 指向本文件，并与本文件同日发布")


RULES: tuple[Rule, ...] = (
    unique_index_numbers, unique_entry_urls, interpretations_match_policies, policies_have_interpretations,
    deadlines.interpretations_in_time, deadlines.disclosed_in_time, deadlines.consultation_feedback,
    deadlines.responses_in_time, deadlines.messages_answered_in_time, deadlines.guide_changes_in_time,
    content_rules.personal_data, content_rules.document_numbers, content_rules.validity_chains,
    content_rules.change_notes, content_rules.body_links, content_rules.header_in_body, publish.closed_publish_set,
    numbers.unedited_stubs,
    site_rules.no_blank_columns, site_rules.columns_updated, site_rules.best_bets_exist, content_rules.personal_data_in_data,
    annual_rules.application_sums, annual_rules.review_sums, annual_rules.report_sections, annual_rules.report_years,
    annual_rules.report_deadline, lists.list_versions,
    tasks.task_dates, tasks.tasks_on_time, implements.implementations_match_targets,
    review_rules.withheld_policies_reviewed, briefing_rules.speakers_named, briefing_rules.head_briefing_each_year,
)
"""Every cross-entry rule, run in this order by ``check`` and ``build``."""


def apply_rules(cat: Catalogue, report: Report) -> None:
    """Run every rule over the catalogue; say once when working days had to be guessed."""
    for rule in RULES:
        rule(cat, report)
    fallback = cat.calendar.fallback_years
    if fallback:
        first, last = cat.calendar.covered_years
        years = "、".join(str(year) for year in fallback)
        report.notice(CATALOG_FILE, 1, "WORKDAY_FALLBACK",
                      f"节假日数据只覆盖 {first}—{last} 年，{years} 年按周一至周五计算工作日，"
                      "法定节假日和调休未计入：请升级 chinesecalendar 后重新检查")
