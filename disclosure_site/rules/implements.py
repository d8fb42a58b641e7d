"""落实情况: an entry's ``implements`` names the policy or task it reports on, and a published report never points
at a target that is not public (the same rule as an interpretation of a withheld policy)."""

from __future__ import annotations

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue, is_implementable, status
from ..model.entry import Entry

IMPLEMENTS = "implements（落实对象）"


def withheld_target(cat: Catalogue, entry: Entry, target: Entry, where: tuple[str, int], code: str,
                    advice: str, report: Report) -> bool:
    """Report a published entry naming an unpublished one by 索引号; True when it did.

    Shared by every key that names another entry (``interprets``, ``implements``): the message gives the number
    the editor typed and the target's status, never its title, which is not public.
    """
    if not cat.links_to_withheld(entry, target):
        return False
    label, line = where
    report.error(entry.rel, line, code,
                 f"{label}「{target.meta.index_no}」尚未公开（{status(target, cat.today).value}），{advice}")
    return True


def implementations_match_targets(cat: Catalogue, report: Report) -> None:
    """``implements`` names an existing policy document or task, not the entry itself, public when the report is."""
    for entry in cat.entries:
        wanted = entry.meta.implements
        if wanted is not None:
            _check_target(cat, entry, wanted, report)


def _check_target(cat: Catalogue, entry: Entry, wanted: str, report: Report) -> None:
    line = entry.line("implements")
    target = cat.every.get(wanted)
    if wanted == entry.meta.index_no:
        report.error(entry.rel, line, "IMPLEMENTS_SELF",
                     f"{IMPLEMENTS}不能是本条目自己的索引号：请填写所落实的政策性文件或任务的索引号")
    elif target is None:
        report.error(entry.rel, line, "IMPLEMENTS_UNKNOWN",
                     f"{IMPLEMENTS}「{wanted}」不是任何条目的索引号：请填写所落实的政策性文件或任务的索引号")
    elif not is_implementable(target):
        report.error(entry.rel, line, "IMPLEMENTS_NOT_TARGET",
                     f"{IMPLEMENTS}「{wanted}」指向的 {target.rel} 既不是政策性文件（policy: true），也不是执行公开任务"
                     "（type: task 栏目中的条目）：落实情况只能对应政策性文件或任务")
    else:
        withheld_target(cat, entry, target, (IMPLEMENTS, line), "IMPLEMENTS_WITHHELD",
                        "落实情况不能先于所落实的对象公开：请与之同步发布，或将本条目也设为草稿", report)
