"""公开审查: a policy document is withheld only after the 政务公开工作机构 has reviewed it (工作要点 二(一)1(1)).

Every document is checked, published or not: the review matters precisely for the ones that never reach the site.
"""

from __future__ import annotations

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue
from ..model.entry import DISCLOSURE_PUBLIC, Entry
from ..model.review import PolicyReview
from ..model.types import DocumentMeta

LABEL = "review（公开审查）"


def withheld_policies_reviewed(cat: Catalogue, report: Report) -> None:
    """A policy document not 主动公开 needs a review by the configured office, dated by its 成文日期, with an opinion;
    any review written is checked the same way."""
    office = cat.config.site.reviewing_office
    for entry in sorted(cat.entries, key=lambda e: e.rel):
        meta = entry.meta
        if not isinstance(meta, DocumentMeta):
            continue
        review = meta.review
        if review is not None and (review.office or review.date or review.opinion):
            _check_review(entry, meta, review, office, report)
        elif meta.policy and meta.disclosure != DISCLOSURE_PUBLIC:
            report.error(entry.rel, entry.line("disclosure"), "POLICY_WITHHOLD_UNREVIEWED",
                         f"政策性文件（policy: true）的 disclosure（公开属性）为 {meta.disclosure}，但没有公开审查记录："
                         f"拟不公开的政策性文件须先送政务公开工作机构「{office}」审查，请填写 {LABEL}，"
                         "写明 office（审查机构）、date（审查日期）和 opinion（审查意见）")


def _check_review(entry: Entry, meta: DocumentMeta, review: PolicyReview, office: str, report: Report) -> None:
    if review.office is None:
        report.error(entry.rel, entry.line("review"), "REVIEW_INCOMPLETE",
                     f"{LABEL}缺少 office（审查机构）：请写明审查的政务公开工作机构「{office}」")
    elif review.office != office:
        report.error(entry.rel, _line(entry, "office", "审查机构"), "REVIEW_WRONG_OFFICE",
                     f"{LABEL}的 office（审查机构）「{review.office}」不是 catalog.yaml 中 site.review_office"
                     f"（政务公开工作机构）「{office}」：拟不公开的政策性文件须由本单位政务公开工作机构审查")
    if review.date is None:
        report.error(entry.rel, entry.line("review"), "REVIEW_INCOMPLETE",
                     f"{LABEL}缺少 date（审查日期）：请写明审查的日期 YYYY-MM-DD")
    elif review.date > meta.written:
        report.error(entry.rel, _line(entry, "date", "审查日期"), "REVIEW_AFTER_WRITTEN",
                     f"{LABEL}的 date（审查日期）{review.date.isoformat()} 晚于 written（成文日期）"
                     f"{meta.written.isoformat()}：公开属性应在报批前审查，审查日期不能晚于成文日期")
    if review.opinion is None:
        report.error(entry.rel, _line(entry, "opinion", "审查意见"), "REVIEW_OPINION_EMPTY",
                     f"{LABEL}没有填写 opinion（审查意见）：请写明政务公开工作机构的审查意见，例如「同意依申请公开」")


def _line(entry: Entry, name: str, alias: str) -> int:
    """Line of a key inside ``review`` as written (English or Chinese), else of ``review`` itself."""
    for written in (name, alias):
        if f"review/{written}" in entry.key_lines:
            return entry.key_lines[f"review/{written}"]
    return entry.line("review")
