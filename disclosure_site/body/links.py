"""Links inside bodies: to other entries by 索引号, and to files kept beside the entry.

Syntax (documented for editors in docs/editing.md):

* ``[[1144150000717074X7/2018-00215]]`` or ``[[2018-00215]]`` — a link whose text is the target's title;
* ``[文字](1144150000717074X7/2018-00215)`` or ``[文字](2018-00215)`` — the same with your own text;
* ``[文字](../normative/plan.md)`` — another entry by its file, relative to this file;
* ``[文字](attachments/表格.pdf)`` / ``![说明](images/图.png)`` — a file under content/, relative to this file.

Every such link must resolve to a published page or an existing file; web addresses are left alone.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR, NO_READ_PERMISSION, SourceFileError, content_folder, is_file, real_path
from ..core.steps import Steps
from ..core.values import half_width_note
from ..model.body import Body, BodyLinks, Broken, Heading, LinkTable, Resolved, Target
from ..model.catalogue import Catalogue, status
from ..model.entry import Entry
from ..model.types import DocumentMeta
from ..model.urls import entry_page, relative
from .markdown import BodyTooDeep, is_ours, parse_markdown

_INDEX_NO = re.compile(r"(?:(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})/)?(?P<serial>[0-9]{4}-[0-9]{5})")


def resolve(target: str, entry: Entry, cat: Catalogue, root: Path) -> Resolved | Broken | None:
    """Resolve one link target; None when it is not ours to check (web address, anchor, e-mail)."""
    if not is_ours(target):
        return None
    target = target.strip()
    parts = urlsplit(target)
    index = _INDEX_NO.fullmatch(parts.path)
    if index:
        return _entry_by_index(index, target, entry, cat)
    if half_width_note(parts.path) and _INDEX_NO.fullmatch(_half_width(parts.path)):
        return Broken("LINK_UNKNOWN", f"链接「{target}」：索引号只能用半角数字{half_width_note(parts.path)}")
    if parts.path.startswith("/"):
        return Broken("LINK_ABSOLUTE", f"链接「{target}」以 / 开头，网站部署在子路径下时会失效：请写相对于本文件的路径")
    return _file(unquote(parts.path), target, entry, cat, root)


def _half_width(text: str) -> str:
    """Every Unicode digit as its ASCII digit and full-width signs as ASCII: what the editor meant to type."""
    digits = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
    return unicodedata.normalize("NFKC", digits)


def _entry_by_index(match: re.Match[str], target: str, entry: Entry, cat: Catalogue) -> Resolved | Broken:
    org = match["org"] or cat.config.site.org_code
    wanted = f"{org}/{match['serial']}"
    linked = cat.every.get(wanted)
    if linked is None:
        return Broken("LINK_UNKNOWN", f"链接「{target}」：没有索引号为 {wanted} 的条目")
    return _published_page(linked, target, entry, cat)


def _published_page(linked: Entry, target: str, entry: Entry, cat: Catalogue) -> Resolved | Broken:
    if cat.links_to_withheld(entry, linked):
        return Broken("LINK_WITHHELD", f"链接「{target}」指向未公开的条目（{status(linked, cat.today).value}）：公开页面不能链接它")
    return Resolved(entry_page(linked))


def _file(path: str, target: str, entry: Entry, cat: Catalogue, root: Path) -> Resolved | Broken:
    content = content_folder(root)
    resolved = real_path((root / entry.rel).parent / path)
    if not resolved.is_relative_to(content) or not is_file(resolved):
        return Broken("LINK_MISSING", f"链接「{target}」指向的文件不存在（路径相对于本条目文件，且须在 content/ 内）")
    rel = resolved.relative_to(content).as_posix()
    if rel.endswith(".md"):
        linked = cat.by_rel.get(f"{CONTENT_DIR}/{rel}")
        if linked is None:
            return Broken("LINK_MISSING", f"链接「{target}」指向的 {rel} 不是有效的条目")
        return _published_page(linked, target, entry, cat)
    if not os.access(resolved, os.R_OK):  # found by check, not when the build copies it
        return Broken("FILE_UNREADABLE", f"链接「{target}」指向的文件 {rel} {NO_READ_PERMISSION}")
    return Resolved(f"files/{rel}", copy_from=str(resolved))


def parse(entry: Entry, steps: Steps) -> Body:
    """The body parsed once: its HTML with slots and its links; kept in the cache by the body's text and whether it
    is a document's (laid out as a 公文)."""
    try:
        return steps.run_at("markdown", entry.rel, parse_markdown, entry.body, isinstance(entry.meta, DocumentMeta))
    except BodyTooDeep:
        raise SourceFileError(entry.rel, entry.body_line, "BODY_TOO_DEEP",
                              "正文嵌套太深（列表、引用、强调或链接套了几百层），无法转换：请减少嵌套层数") from None


def may_link(entry: Entry) -> bool:
    """Every link is written with ``[`` or ``<``; a body with neither need not be parsed to know it has none.

    Nor is a body that check refused as too deep or too tangled: converting it could take minutes or fail.
    """
    return entry.convertible and ("[" in entry.body or "<" in entry.body)


def resolve_all(cat: Catalogue, report: Report) -> LinkTable:
    """Every entry's body links, resolved once for the build; a body that cannot be converted is an error."""
    found = {}
    for entry in cat.entries:
        if not may_link(entry):
            continue
        try:
            body = parse(entry, cat.steps)
        except SourceFileError as exc:
            report.error(exc.rel, exc.line, exc.code, exc.message)
            continue
        if body.links or body.shorts:
            found[entry.rel] = _resolved(body, entry, cat)
    return LinkTable(found)


def _resolved(body: Body, entry: Entry, cat: Catalogue) -> BodyLinks:
    targets = tuple(resolve(link.target, entry, cat, cat.root) for link in body.links)
    titles = tuple(title_of(target, cat) or target for target in body.shorts)
    return BodyLinks(body.links, targets, titles)


def title_of(target: str, cat: Catalogue) -> str | None:
    """The title of the published entry a 索引号 names."""
    match = _INDEX_NO.fullmatch(target.strip())
    if not match:
        return None
    wanted = f"{match['org'] or cat.config.site.org_code}/{match['serial']}"
    linked = cat.by_index.get(wanted)
    return linked.meta.title if linked else None


def finish(body: Body, linked: BodyLinks, page: str) -> str:
    """The body's HTML on ``page``: addresses relative to it, each short link showing its target's title."""
    return "".join(_pieces(body, linked, page))


def finish_around(body: Body, linked: BodyLinks, page: str, heading: Heading) -> tuple[str, str]:
    """:func:`finish`, cut where ``heading`` (one of ``body.headings``) starts: the HTML before it, and from it on."""
    pieces = _pieces(body, linked, page)
    at = 2 * heading.part  # the pieces are html[0], slot 0, html[1], …
    return ("".join(pieces[:at]) + pieces[at][:heading.offset],
            pieces[at][heading.offset:] + "".join(pieces[at + 1:]))


def _pieces(body: Body, linked: BodyLinks, page: str) -> list[str]:
    if linked.links != body.links:
        raise ValueError("body links were not resolved for this body")
    pieces = [body.html[0]]
    for slot, after in zip(body.slots, body.html[1:], strict=True):
        pieces += [_text(linked.titles[slot.index]) if slot.title
                   else _address(body.links[slot.index].target, linked.targets[slot.index], page), after]
    return pieces


def _text(title: str) -> str:
    """A title as HTML text, escaped as the sanitiser writes text: never read as Markdown or HTML."""
    return html.escape(title, quote=False).replace("\xa0", "&nbsp;")


def _address(target: str, result: Target, page: str) -> str:
    """A link's ``href`` or ``src``, escaped for the attribute: relative to ``page`` when it resolves."""
    if not isinstance(result, Resolved):
        return html.escape(target)
    fragment = urlsplit(target).fragment
    return html.escape(relative(page, result.path) + (f"#{fragment}" if fragment else ""))


def linked_files(linked: BodyLinks) -> dict[str, str]:
    """Files the body links to, to publish beside the page: output path → source."""
    return {result.path: result.copy_from for result in linked.targets
            if isinstance(result, Resolved) and result.copy_from is not None}
