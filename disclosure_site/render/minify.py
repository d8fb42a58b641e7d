"""Stylesheets as published: comments and indentation are for the people editing them, not for phones.

Only comments and the blank space at line starts are removed, so a rule reads exactly as written; quoted strings
(``content: "/*"``) are kept whole.
"""

from __future__ import annotations

import re

_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/', re.S)
_BLANK = re.compile(r"^[ \t]+|[ \t]+$", re.M)


def compact_css(text: str) -> str:
    """``text`` without comments, indentation, trailing blanks or empty lines."""
    stripped = _TOKENS.sub(lambda match: "" if match.group().startswith("/*") else match.group(), text)
    lines = _BLANK.sub("", stripped).split("\n")
    return "\n".join(line for line in lines if line) + "\n"
