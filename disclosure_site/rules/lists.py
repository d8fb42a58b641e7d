"""Rules on 公共清单 versions: ``replaces`` names an earlier list, never itself, a cycle or a withheld one."""

from __future__ import annotations

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue, status
from ..model.entry import Entry
from ..model.lists import ListMeta


def list_versions(cat: Catalogue, report: Report) -> None:
    """Each ``replaces`` names another list; a published list never names a withheld one (its page would link
    to it), and no list is replaced by two published ones."""
    lists = {e.meta.index_no: e for e in sorted(cat.entries, key=lambda e: e.rel) if isinstance(e.meta, ListMeta)}
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, ListMeta) and meta.replaces:
            _check_replaces(cat, entry, meta.replaces, lists, report)
    for old, newer in cat.list_successors.items():
        for entry in newer[1:]:
            report.error(entry.rel, entry.line("replaces"), "LIST_REPLACED_TWICE",
                         f"replaces（替代版本）「{old}」已被 {newer[0].rel} 替代：一份清单只能被一个新版本替代，"
                         "请改为替代最近的版本")


def _check_replaces(cat: Catalogue, entry: Entry, target: str, lists: dict[str, Entry], report: Report) -> None:
    line = entry.line("replaces")
    if target == entry.meta.index_no:
        report.error(entry.rel, line, "LIST_REPLACES_SELF", "replaces（替代版本）不能是本清单自己的索引号")
    elif target not in lists:
        report.error(entry.rel, line, "LIST_REPLACES_UNKNOWN",
                     f"replaces（替代版本）「{target}」不是任何清单（list 类型栏目）的索引号：请填写被替代的上一版清单的索引号")
    elif entry.meta.index_no in _chain(target, lists):
        report.error(entry.rel, line, "LIST_REPLACES_CYCLE",
                     f"replaces（替代版本）形成循环：{' → '.join([entry.meta.index_no, *_chain(target, lists)])}")
    elif cat.links_to_withheld(entry, lists[target]):
        report.error(entry.rel, line, "LIST_REPLACES_WITHHELD",
                     f"replaces（替代版本）「{target}」尚未公开（{status(lists[target], cat.today).value}），"
                     "已公开的清单不能指向它：请先公开上一版，或删除本键")


def _chain(start: str, lists: dict[str, Entry]) -> list[str]:
    """Index numbers from ``start`` back along ``replaces``, stopping at the first repeat or unknown one."""
    seen = [start]
    while True:
        meta = lists[seen[-1]].meta
        earlier = meta.replaces if isinstance(meta, ListMeta) else None
        if earlier is None or earlier not in lists or earlier in seen:
            return seen
        seen.append(earlier)
