"""Looking for private bytes anywhere in a built site: every file and file name, unpacked and normalised."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
"""Pagefind separates the words of Chinese text with zero-width characters; a canary must be found across them."""


def unpacked(data: bytes) -> bytes:
    """File content as stored, plus its unpacked form for gzip or zlib streams (Pagefind's index files)."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data
    if data[:1] == b"\x78":
        try:
            return zlib.decompress(data)
        except zlib.error:
            return data
    return data


def normalised(data: bytes) -> str:
    return ZERO_WIDTH.sub("", unpacked(data).decode("utf-8", errors="replace")).lower()


def leaks(out: Path, canaries: Iterable[str]) -> list[tuple[str, str]]:
    """``(output path, canary)`` for every canary found in a file's name or content under ``out``."""
    wanted = [canary.lower() for canary in canaries]
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = unquote(path.relative_to(out).as_posix()).lower()
        text = normalised(path.read_bytes())
        found += [(rel, canary) for canary in wanted if canary in rel or canary in text]
    return found
