"""Files an entry's front matter names (attachments, an interpretation's media): found inside content/ or reported.

One function resolves every such file, so each key that brings a file to the site gets the same sandbox: the
path is relative to the entry, symlinks are followed and the file must end up inside content/, exist and be
readable. What becomes of it afterwards (the publish set, withheld-file conflicts, copying to ``files/``) works
on the :class:`Attachment` and so is the same for all of them too.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import NamedTuple

from ..core.diagnostics import Report
from ..core.inputs import NO_READ_PERMISSION, content_folder, is_file, real_path
from ..core.published import published_size
from ..model.entry import Attachment
from .sources import RawEntry


def written_key(data: object, name: str, alias: str) -> str:
    """The spelling of a key the editor used (the Chinese alias or the English name), for finding its line."""
    return alias if isinstance(data, dict) and alias in data else name


class Reference(NamedTuple):
    """Where the front matter names a file."""

    named_by: str
    """The key naming it: ``attachments`` or ``media``."""
    line: int
    """Line of the reference in the entry file."""
    label: str
    """The key as messages show it, e.g. ``attachments（附件）``."""


def resolve_file(raw: RawEntry, root: Path, path: str, title: str, ref: Reference, report: Report) -> Attachment | None:
    """The file ``path`` (relative to the entry) as an attachment, or None after reporting why it cannot be one."""
    named_by, line, label = ref
    content = content_folder(root)
    target = real_path(raw.source.path.parent / path)
    if not target.is_relative_to(content):
        report.error(raw.source.rel, line, "ATTACHMENT_OUTSIDE",
                     f"{label}：文件「{path}」在 content/ 之外，附件必须放在 content/ 文件夹内")
    elif not is_file(target):
        report.error(raw.source.rel, line, "ATTACHMENT_MISSING",
                     f"{label}：文件「{path}」不存在（路径相对于本条目文件所在的文件夹）")
    elif not os.access(target, os.R_OK):  # found now, not when the build copies it and stops as a tool bug
        report.error(raw.source.rel, line, "FILE_UNREADABLE", f"{label}：文件「{path}」{NO_READ_PERMISSION}")
    else:
        media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Attachment(title, str(target), target.relative_to(content).as_posix(), published_size(str(target)),
                          media_type, named_by, line)
    return None
