"""What the site publishes for a copied content file: its bytes, size and SHA-256.

Read by the checks (sizes shown beside downloads), by the pages (checksums) and by the writer (the bytes),
so all three agree on one answer."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from .csvsafe import is_csv, neutralise_csv


@dataclass(frozen=True)
class Published:
    """What the site publishes for a copied source file: its SHA-256, its size and, when they differ from
    the file's own, its bytes."""

    sha256: str
    size: int
    data: bytes | None = None
    """The bytes to publish instead of the file's (a CSV with formula-like cells); None: copy the file as is."""


def published_bytes(source: str) -> bytes | None:
    """The one place that decides what a copied file becomes: a CSV with a cell a spreadsheet would run as a
    formula is published neutralised (see :mod:`csvsafe`); None means the file's own bytes, unchanged."""
    if not is_csv(source):
        return None
    with open(source, "rb") as handle:
        return neutralise_csv(handle.read())


def published_copy(source: str) -> Published:
    """Checksum and size of exactly the bytes :func:`published_bytes` lets out, and those bytes when rewritten."""
    data = published_bytes(source)
    if data is not None:
        return Published(hashlib.sha256(data).hexdigest(), len(data), data)
    with open(source, "rb") as handle:
        return Published(hashlib.file_digest(handle, "sha256").hexdigest(), os.fstat(handle.fileno()).st_size)


def published_size(source: str) -> int:
    """Size in bytes of the file published for ``source`` (shown beside each download)."""
    data = published_bytes(source)
    return len(data) if data is not None else os.stat(source).st_size


class FileDigests:
    """SHA-256 of copied files as published, each file hashed once per build (an attachment may belong to several
    entries); a rewritten file's bytes are made again when asked for rather than held for the whole build."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[Published, bool]] = {}

    def of(self, source: str) -> str:
        """Hex SHA-256 of what is published for the file at absolute path ``source``."""
        known = self._known.get(source)
        return known[0].sha256 if known is not None else self.published(source).sha256

    def published(self, source: str) -> Published:
        """:func:`published_copy` of ``source``, from memory unless its bytes are rewritten."""
        known = self._known.get(source)
        if known is not None and not known[1]:
            return known[0]
        fresh = published_copy(source)
        self._known[source] = (Published(fresh.sha256, fresh.size), fresh.data is not None)
        return fresh
