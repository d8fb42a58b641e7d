"""Discover, parse and validate every content file, reusing the result for files that have not changed.

A file's validated entry is cached under the hash of its bytes and of ``catalog.yaml``; the files it
reads besides itself (attachments, dataset CSVs) are recorded with their size and modification time
and must be unchanged too. Files with any diagnostic are never cached, so a problem is always
reported afresh.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..cache.memo import Memo, fingerprint
from ..core.diagnostics import Report
from ..core.inputs import MAX_ENTRY_BYTES, read_limited
from ..model.entry import Entry
from ..model.site import SiteConfig
from .sources import SourceFile, discover, read_entry
from .validate import validate_entry

FileStamp = tuple[str, int, int]
"""``(absolute path, size, modification time in ns)`` of a file an entry depends on."""


def load_entries(root: Path, config: SiteConfig, report: Report, memo: Memo) -> list[Entry]:
    """Every valid entry under ``content/``, in discovery order."""
    context = fingerprint("entry", config.digest, str(root))
    entries = []
    for source in discover(root, report):
        entry = _load(source, config, root, report, memo, context)
        if entry is not None:
            entries.append(entry)
    return entries


def _load(source: SourceFile, config: SiteConfig, root: Path, report: Report, memo: Memo, context: str) -> Entry | None:
    data = read_limited(source.path, source.rel, MAX_ENTRY_BYTES, report)
    if data is None:
        return None
    key = fingerprint(context, source.rel, hashlib.sha256(data).hexdigest())
    stored = memo.get(key)
    if stored is not None:
        cached: tuple[Entry, list[FileStamp | None]] = pickle.loads(stored)
        if cached[1] == _stamps(cached[0]):
            return cached[0]
    found = Report()
    raw = read_entry(source, found, data)
    entry = validate_entry(raw, config, root, found) if raw is not None else None
    report.extend(found.items)
    if entry is not None and not found.items:
        memo.put(key, pickle.dumps((entry, _stamps(entry)), protocol=pickle.HIGHEST_PROTOCOL))
    return entry


def _stamps(entry: Entry) -> list[FileStamp | None]:
    """Size and time of every file the entry was validated against (None for a file now missing)."""
    paths = [a.source for a in entry.attachments] + [d.file.source for d in entry.datasets]
    return [_stamp(path) for path in paths]


def _stamp(path: str) -> FileStamp | None:
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return (path, info.st_size, info.st_mtime_ns)
