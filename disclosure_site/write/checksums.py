"""SHA-256 checksums: of attachments (shown on pages and in the data exports) and of the whole site (SHA256SUMS).

Anyone who downloads a file or mirrors the site can check it against the published
values with the standard ``sha256sum`` tool, without trusting the transport.
"""

from __future__ import annotations

from ..model.output import OutputFile

SUMS_FILE = "SHA256SUMS"
"""Site-root file listing every other output file in ``sha256sum`` format."""


def sums_file(hashes: dict[str, str]) -> OutputFile:
    """``SHA256SUMS`` over every planned file, sorted by path, so ``sha256sum -c SHA256SUMS`` verifies the site."""
    lines = [_sums_line(digest, path) for path, digest in sorted(hashes.items()) if path != SUMS_FILE]
    return OutputFile(SUMS_FILE, "".join(lines).encode("utf-8"), origin=SUMS_FILE)


def _sums_line(digest: str, path: str) -> str:
    """One line as GNU ``sha256sum`` writes it: a name with ``\\`` or a line break is escaped and the line starts with ``\\``."""
    if not any(ch in path for ch in "\\\n\r"):
        return f"{digest}  {path}\n"
    escaped = path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return f"\\{digest}  {escaped}\n"
