"""A file of the built site, as the render and output steps hand it to the writer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site, held in memory (or copied from ``copy_from``)."""

    path: str
    """Path relative to the output root, forward slashes."""
    data: bytes = b""
    """File content when generated."""
    copy_from: str | None = None
    """Absolute source path when the file is copied as is (attachments)."""
    origin: str = field(default="生成器", compare=False)
    """What produced the file, for collision messages (a content path or a page kind)."""
    unchanged: str | None = None
    """The SHA-256 of the file the last build wrote at ``path``, when this file is known to be that one (a preview's
    rebuild); ``data`` is then empty and the writer keeps the file already in the output folder."""
