"""How wide text is on a terminal, where a Chinese character takes two columns (tables in the console and report)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Terminal columns taken by ``text``: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """Pad to ``columns`` terminal columns."""
    gap = " " * max(0, columns - width(text))
    return gap + text if right else text + gap
