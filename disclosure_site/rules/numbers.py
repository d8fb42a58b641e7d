"""索引号 that never collide: a branch's entries against the default branch and its history (``check --against``),
and stubs ``new`` created that nobody wrote yet."""

from __future__ import annotations

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.numbering import NumbersExhausted, UsedNumbers, next_free_number, serial_part


def against_default(cat: Catalogue, used: UsedNumbers, report: Report) -> None:
    """Before merge: a number the default branch gave another file meanwhile, or a deleted entry's, is refused.

    Each refusal proposes a number free both here and on the default branch; two refusals never propose the same.
    """
    known = {entry.meta.index_no for entry in cat.entries} | used.mentioned
    for entry in sorted(cat.entries, key=lambda e: e.rel):
        if entry.rel in used.left:
            continue
        number = entry.meta.index_no
        holder = used.held.get(number)
        if holder is not None and holder != entry.rel and entry.rel not in used.known:
            proposal = _proposal(cat, entry, known)
            report.error(entry.rel, entry.line("index_no"), "INDEX_NO_TAKEN",
                         f"index_no（索引号）「{number}」在 {used.ref} 上已用于 {holder}（另一处先合并的条目）："
                         f"合并前请改用下一个未使用的索引号{proposal}")
        elif (gone := used.deleted.get(number)) is not None:
            proposal = _proposal(cat, entry, known)
            report.error(entry.rel, entry.line("index_no"), "INDEX_NO_REUSED",
                         f"index_no（索引号）「{number}」曾用于已删除的 {gone}（见 {used.ref} 的提交历史）："
                         f"索引号一经使用不再分配，请改用下一个未使用的索引号{proposal}")


def _proposal(cat: Catalogue, entry: Entry, known: set[str]) -> str:
    try:
        number = next_free_number(cat.config.site.org_code, entry.meta.published.date.year, known)
    except NumbersExhausted as exc:
        return f"（{exc}）"
    known.add(number)
    return f"「{number}」，文件名中的流水号也改为 {serial_part(number)}"


def unedited_stubs(cat: Catalogue, report: Report) -> None:
    """A file ``new`` created whose body is still only the placeholder was never written: the page would be empty.

    A warning, so the preview still shows the new page; ``check --strict`` (CI) refuses it. Drafts are left alone.
    """
    for entry in cat.entries:
        if entry.stub_line is None or entry.meta.draft:
            continue
        report.warning(entry.rel, entry.stub_line, "STUB_UNEDITED",
                       "正文仍是新建时的占位注释，还没有填写：请在此写正文（Markdown）并删除这行注释；"
                       "暂不发布时可设 draft: true")
