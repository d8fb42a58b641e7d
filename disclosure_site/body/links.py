"""Links inside bodies: to other entries by 索引号, and to files kept beside the entry.

Syntax (documented for editors in docs/editing.md):

* ``[[1144150000717074X7/2018-00215]]`` or ``[[2018-00215]]`` — a link whose text is the target's title;
* ``[文字](1144150000717074X7/2018-00215)`` or ``[文字](2018-00215)`` — the same with your own text;
* ``[文字](../normative/plan.md)`` — another entry by its file, relative to this file;
* ``[文字](attachments/表格.pdf)`` / ``![说明](images/图.png)`` — a file under content/, relative to this file.

Every such link must resolve to a published page or an existing file; web addresses are left alone.
"""

from __future__ import annotations

import functools
import html
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.inputs import CONTENT_DIR, NO_READ_PERMISSION, SourceFileError, content_folder, is_file, real_path
from ..core.values import half_width_note
from ..model.catalogue import Catalogue, status
from ..model.entry import Entry
from ..model.urls import entry_page, relative
from .markdown import BodyTooDeep, render_markdown

SHORT_LINK = re.compile(r"\[\[\s*([^\[\]\s](?:[^\[\]\n]*[^\[\]\s])?)\s*\]\]")
"""The target starts and ends with a visible character, so the spaces around it have one reading: the lazy
``\\s*(.+?)\\s*`` this replaces took minutes on a line of ``[[`` and spaces."""
_INDEX_NO = re.compile(r"(?:(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})/)?(?P<serial>[0-9]{4}-[0-9]{5})")
_SOURCE_TARGETS = (
    # Neither target nor title runs into the next "](": from every "](" the old pattern rescanned the whole line.
    re.compile(r"\]\(\s*<?((?:(?!\]\()[^)\s>])+)>?(?:\s+[\"'(](?:(?!\]\()[^)])*)?\)"),
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M),
    re.compile(r"(?:href|src)\s*=\s*[\"']([^\"']+)[\"']"),
)
_HTML_TARGET = re.compile(r'(?P<attr>href|src)="(?P<url>[^"]*)"')


@dataclass(frozen=True)
class Resolved:
    """Where a body link points in the output tree."""

    path: str
    """Output path of the target page or file."""
    copy_from: str | None = None
    """Source file to publish at ``path`` (a file linked from a body)."""


@dataclass(frozen=True)
class Broken:
    """Why a body link cannot be published."""

    code: str
    message: str


@functools.lru_cache(maxsize=1 << 17)
def targets_in_source(body: str) -> tuple[tuple[str, int], ...]:
    """Every link target written in a Markdown body, with its 0-based line within the body.

    Both the link rules and the page cache keys ask for them, so each body is scanned once.
    """
    found = []
    for number, line in enumerate(body.split("\n")):
        found += [(match.group(1), number) for match in SHORT_LINK.finditer(line)]
        for pattern in _SOURCE_TARGETS:
            found += [(match.group(1), number) for match in pattern.finditer(line)]
    return tuple(found)


def resolve(target: str, entry: Entry, cat: Catalogue, root: Path) -> Resolved | Broken | None:
    """Resolve one link target; None when it is not ours to check (web address, anchor, e-mail)."""
    target = html.unescape(target.strip())
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("#") or not parts.path:
        return None
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


def body_html(entry: Entry, cat: Catalogue) -> str:
    """The body as safe HTML with short links expanded (links not yet relative to a page); kept in the cache."""
    source = expand_short_links(entry.body, entry, cat, cat.root)
    try:
        return cat.steps.run("markdown", render_markdown, source)
    except BodyTooDeep:
        raise SourceFileError(entry.rel, entry.body_line, "BODY_TOO_DEEP",
                              "正文嵌套太深（列表、引用、强调或链接套了几百层），无法转换：请减少嵌套层数") from None


def expand_short_links(body: str, entry: Entry, cat: Catalogue, root: Path) -> str:
    """Turn ``[[索引号]]`` into a Markdown link titled with the target's title."""
    def replace(match: re.Match[str]) -> str:
        result = resolve(match.group(1), entry, cat, root)
        if not isinstance(result, Resolved):
            return match.group(0)
        title = title_of(match.group(1), cat) or match.group(1)
        return "[" + re.sub(r"([\[\]])", r"\\\1", title) + "](" + match.group(1) + ")"
    return SHORT_LINK.sub(replace, body)


def title_of(target: str, cat: Catalogue) -> str | None:
    match = _INDEX_NO.fullmatch(target.strip())
    if not match:
        return None
    wanted = f"{match['org'] or cat.config.site.org_code}/{match['serial']}"
    linked = cat.by_index.get(wanted)
    return linked.meta.title if linked else None


def rewrite_html(body_html: str, page: str, entry: Entry, cat: Catalogue, root: Path,
                 files: dict[str, str]) -> str:
    """Point body links at output paths relative to ``page``; record linked files to publish in ``files``."""
    def replace(match: re.Match[str]) -> str:
        result = resolve(match["url"], entry, cat, root)
        if not isinstance(result, Resolved):
            return match.group(0)
        if result.copy_from:
            files[result.path] = result.copy_from
        fragment = urlsplit(html.unescape(match["url"])).fragment
        url = relative(page, result.path) + (f"#{fragment}" if fragment else "")
        return f'{match["attr"]}="{html.escape(url)}"'
    return _HTML_TARGET.sub(replace, body_html)
