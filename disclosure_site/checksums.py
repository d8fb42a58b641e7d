"""SHA-256 checksums: of attachments (shown on pages and in the data exports) and of the whole site (SHA256SUMS).

Anyone who downloads a file or mirrors the site can check it against the published
values with the standard ``sha256sum`` tool, without trusting the transport.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .writer import OutputFile

SUMS_FILE = "SHA256SUMS"
"""Site-root file listing every other output file in ``sha256sum`` format."""


class FileDigests:
    """SHA-256 of source files, each read once per build (an attachment may belong to several entries)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def of(self, source: str) -> str:
        """Hex SHA-256 of the file at absolute path ``source``."""
        digest = self._known.get(source)
        if digest is None:
            with open(source, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            self._known[source] = digest
        return digest


def sums_file(files: Iterable[OutputFile], digests: FileDigests) -> OutputFile:
    """``SHA256SUMS`` over every planned file, sorted by path, so ``sha256sum -c SHA256SUMS`` verifies the site."""
    first: dict[str, OutputFile] = {}
    for item in files:
        # The same attachment may be planned once per entry; the writer keeps one copy, so list it once.
        first.setdefault(item.path, item)
    first.pop(SUMS_FILE, None)
    lines = [_sums_line(_digest(item, digests), path) for path, item in sorted(first.items())]
    return OutputFile(SUMS_FILE, "".join(lines).encode("utf-8"), origin=SUMS_FILE)


def _digest(item: OutputFile, digests: FileDigests) -> str:
    if item.copy_from is not None:
        return digests.of(item.copy_from)
    return hashlib.sha256(item.data).hexdigest()


def _sums_line(digest: str, path: str) -> str:
    """One line as GNU ``sha256sum`` writes it: a name with ``\\`` or a line break is escaped and the line starts with ``\\``."""
    if not any(ch in path for ch in "\\\n\r"):
        return f"{digest}  {path}\n"
    escaped = path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return f"\\{digest}  {escaped}\n"
