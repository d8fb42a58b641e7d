"""An image's width and height in pixels, read from its first bytes.

A page that gives ``<img>`` its ``width`` and ``height`` keeps the image's space while it loads, so the text
below does not jump. Only the header is read; a format not known here, or a header that does not say, gives
None and the page leaves the attributes out (the image still shows).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable

HEADER_BYTES = 256 * 1024
"""How much of a file is read; a JPEG's size comes after its metadata, which is rarely longer than this."""
MAX_SIDE = 100_000
"""A side longer than this is a damaged header, not an image."""

Size = tuple[int, int]


def image_size(path: str) -> Size | None:
    """``(width, height)`` of the image at ``path``, or None."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEADER_BYTES)
    except OSError:
        return None
    for reader in _READERS:
        size = reader(data)
        if size is not None:
            return size if all(0 < side <= MAX_SIDE for side in size) else None
    return None


def _png(data: bytes) -> Size | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _gif(data: bytes) -> Size | None:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return width, height


def _webp(data: bytes) -> Size | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (the others in this range are tables)."""


def _jpeg(data: bytes) -> Size | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
        elif marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        else:
            at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_NUMBER = r"\s*([0-9]+(?:\.[0-9]+)?)\s*"


def _svg_attribute(tag: str, name: str, pattern: str) -> re.Match[str] | None:
    return re.search(rf"\s{name}\s*=\s*[\"']{pattern}[\"']", tag)


def _svg(data: bytes) -> Size | None:
    found = _SVG_TAG.search(data)
    if found is None:
        return None
    tag = found.group().decode("utf-8", errors="replace")
    width = _svg_attribute(tag, "width", _NUMBER + "(?:px)?\\s*")
    height = _svg_attribute(tag, "height", _NUMBER + "(?:px)?\\s*")
    if width and height:
        return round(float(width[1])), round(float(height[1]))
    box = _svg_attribute(tag, "viewBox", rf"\s*-?[0-9.]+[\s,]+-?[0-9.]+[\s,]+{_NUMBER}[\s,]+{_NUMBER}")
    if box:
        return round(float(box[1])), round(float(box[2]))
    return None


_READERS: tuple[Callable[[bytes], Size | None], ...] = (_png, _gif, _webp, _jpeg, _svg)
