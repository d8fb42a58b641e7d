"""Discover, parse and validate every content file, reusing the result for files that have not changed.

Checking one file is a step of its bytes, the site configuration and the site folder; the files it reads
besides itself (attachments, an interpretation's media, dataset CSVs) must be unchanged too, so the cache layer records their size and
modification time. Files with any diagnostic are never kept, so a problem is always reported afresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic, Report
from ..core.inputs import MAX_ENTRY_BYTES, read_limited
from ..core.steps import Steps
from ..model.entry import Entry
from ..model.site import SiteConfig
from .sources import SourceFile, discover, read_entry
from .validate import validate_entry


def load_entries(root: Path, config: SiteConfig, report: Report, steps: Steps) -> list[Entry]:
    """Every valid entry under ``content/``, in discovery order."""
    entries = []
    for source in discover(root, report):
        data = read_limited(source.path, source.rel, MAX_ENTRY_BYTES, report)
        if data is None:
            continue
        text = SourceBytes(source, hashlib.sha256(data).hexdigest(), data)
        loaded = steps.run_with_files("entry", _validated, _kept_files, text, config, str(root))
        report.extend(loaded.found)
        if loaded.entry is not None:
            entries.append(loaded.entry)
    return entries


@dataclass(frozen=True)
class SourceBytes:
    """A content file's bytes as read once for this build."""

    source: SourceFile
    digest: str
    """SHA-256 of ``data``: what names the bytes in a cache key."""
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Loaded:
    """A content file's entry (None when it is not valid) and what checking it found."""

    entry: Entry | None
    found: list[Diagnostic]


def _validated(text: SourceBytes, config: SiteConfig, root: str) -> Loaded:
    found = Report()
    raw = read_entry(text.source, found, text.data)
    entry = validate_entry(raw, config, Path(root), found) if raw is not None else None
    return Loaded(entry, list(found.items))


def _kept_files(loaded: Loaded) -> list[str] | None:
    """The files besides itself an entry was checked against; None keeps a file with any problem out of the
    cache (it may name a file that is missing now and appears later), so problems are always found afresh."""
    if loaded.entry is None or loaded.found:
        return None
    entry = loaded.entry
    listed = [entry.table.source] if entry.table and entry.table.source else []
    return [a.source for a in entry.attachments] + [d.file.source for d in entry.datasets] + listed
