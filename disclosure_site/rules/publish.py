"""The publish set: which files under content/ reach the site, decided in one place.

A file is published only because a published entry attaches it, names it as its media or dataset file or links to
it from its body. A file that an unpublished entry (依申请公开, 不予公开, draft, scheduled) attaches, names or links to is
private, and so is every entry file itself: when a published entry also refers to one, that is an error naming
both files, never a silent choice. Files are compared by what they are on disk (device and inode), so a symlink
or a hard link to a private file is that private file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.diagnostics import Report
from ..core.inputs import real_path
from ..model.body import Resolved
from ..model.catalogue import Catalogue, Status, status
from ..model.entry import Entry

Identity = tuple[int, int]
"""``(device, inode)`` of a file: every name of one file on disk has the same identity."""

_KINDS = {"attachments": "附件", "data": "数据文件", "media": "解读媒体文件", "link": "正文链接的文件", "list": "清单文件"}
_WITHHELD_CODES = {"link": "LINK_WITHHELD"}
"""The code for a file both a published and an unpublished entry refer to, by how the published one does."""
_ENTRY_CODES = {"link": "LINK_IS_ENTRY"}


@dataclass(frozen=True)
class FileUse:
    """One entry referring to one file under content/."""

    entry: Entry
    """The entry that refers to the file."""
    source: str
    """Absolute path of the file, symlinks resolved."""
    kind: str
    """``attachments``, ``media`` (an interpretation's media), ``data`` (a dataset's CSV) or ``link`` (a body link)."""
    line: int
    """Line of the reference in the entry's file."""


def identity(path: str) -> Identity | None:
    """The file's identity, or None when it cannot be read (reported elsewhere as missing)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def file_uses(cat: Catalogue, entry: Entry) -> Iterator[FileUse]:
    """Every file the entry attaches (an interpretation's media included), names as dataset file or links to."""
    for attachment in entry.attachments:
        yield FileUse(entry, attachment.source, attachment.named_by, attachment.line)
    for data in entry.datasets:
        yield FileUse(entry, data.file.source, "data", data.file.line)
    if entry.table and entry.table.source:  # never copied (the page's CSV is made from the rows), still private
        yield FileUse(entry, entry.table.source, "list", entry.line("file"))
    linked = cat.links.of(entry.rel)
    for link, result in zip(linked.links, linked.targets, strict=True):
        if isinstance(result, Resolved) and result.copy_from is not None:
            yield FileUse(entry, result.copy_from, "link", entry.body_line + link.line)


@dataclass(frozen=True)
class PublishSet:
    """The files of content/ that published entries bring to the site, by identity."""

    files: frozenset[Identity]

    def allows(self, source: str) -> bool:
        """Whether a file may be copied to the site (a last check in the writer, after the rules)."""
        found = identity(source)
        return found is not None and found in self.files


def publish_set(cat: Catalogue) -> PublishSet:
    """Every file a published entry refers to."""
    found = (identity(use.source) for entry in cat.published for use in file_uses(cat, entry))
    return PublishSet(frozenset(item for item in found if item is not None))


def closed_publish_set(cat: Catalogue, report: Report) -> None:
    """No entry file is ever attached or linked as a file, and no published entry refers to a private file."""
    root = str(cat.root)
    entry_files = {found: entry for entry in cat.entries if (found := identity(os.path.join(root, entry.rel)))}
    private: dict[Identity, FileUse] = {}
    uses = [use for entry in sorted(cat.entries, key=lambda e: e.rel) for use in file_uses(cat, entry)]
    for use in uses:
        found = identity(use.source)
        if found is not None and status(use.entry, cat.today) is not Status.PUBLISHED:
            private.setdefault(found, use)
    for use in uses:
        found = identity(use.source)
        if found is None:
            continue
        if found in entry_files:
            _entry_file(use, entry_files[found], report)
        elif found in private and status(use.entry, cat.today) is Status.PUBLISHED:
            _withheld_file(use, private[found], cat, report)


def _shown(use: FileUse, root: Path) -> str:
    path, site = Path(use.source), real_path(root)
    return path.relative_to(site).as_posix() if path.is_relative_to(site) else path.name


def _entry_file(use: FileUse, owner: Entry, report: Report) -> None:
    report.error(use.entry.rel, use.line, _ENTRY_CODES.get(use.kind, "ATTACHMENT_IS_ENTRY"),
                 f"{_KINDS[use.kind]}是条目文件 {owner.rel}：条目文件（含元数据和编辑注释）不能作为文件发布；"
                 "要引用该条目，请用索引号链接，如 [[索引号]]")


def _withheld_file(use: FileUse, other: FileUse, cat: Catalogue, report: Report) -> None:
    state = status(other.entry, cat.today).value
    report.error(use.entry.rel, use.line, _WITHHELD_CODES.get(use.kind, "ATTACHMENT_WITHHELD"),
                 f"{_KINDS[use.kind]}「{_shown(use, cat.root)}」也是未公开条目 {other.entry.rel}:{other.line}（{state}）"
                 f"的{_KINDS[other.kind]}：未公开条目引用的文件不随公开条目发布。确认可以公开时，请为本条目另存一份文件；"
                 f"否则删除本条目中的引用")
