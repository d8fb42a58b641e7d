"""Editors' comments in Markdown bodies, removed once as each file is read so no output can carry them.

Two forms are comments (documented for editors in docs/editing.md):

* HTML comments, ended as a browser ends them: ``-->``, the malformed ``--!>``, the abrupt ``<!-->`` and
  ``<!--->``; they may span lines. An unclosed ``<!--`` is the error ``UNCLOSED_COMMENT``: a browser would
  hide the rest of the body, which is almost always a forgotten ``-->``, so the editor is told where it
  starts rather than the page silently losing its end.
* Link reference definitions whose destination is ``#``, ``<>`` or ``<#>`` — the Markdown comment idioms
  ``[//]: # (…)``, ``[//]: # "…"``, ``[comment]: <> (…)`` — with a title on the same or the next line.
  Markdown hides them from the page, but the body text (entry JSON, search) would otherwise keep them.
  A definition line followed by unquoted text (``[//]: # 备注``) is a comment too: that is what the editor meant.

Both are removed wherever they appear, code blocks included: ``<!--`` never reaches the public.
Every removed line break is kept, so later diagnostics still point at the right file lines.
"""

from __future__ import annotations

import re

from .diagnostics import Report

_HTML = re.compile(r"<!--(?:(?P<abrupt>-?>)|[\s\S]*?(?P<closer>--!?>)|[\s\S]*)")
_LEAD = r"^(?P<lead>[ \t]*(?:>[ \t]*)*)(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?"
"""Blockquote markers before a definition stay, so the quote holds; a list marker goes with it, since a
marker left alone under a paragraph would make that paragraph a heading."""
_NEXT = r"\n(?![ \t>]*\n)[ \t>]*"
"""A line break into a line that is not blank: a title may continue there, or start there."""
_TITLE = rf"""(?:"(?:[^"\n]|{_NEXT})*"|'(?:[^'\n]|{_NEXT})*'|\((?:[^\n]|{_NEXT})*?\))"""
_REFERENCE = re.compile(
    rf"{_LEAD}\[[^\[\]\n]*\]:[ \t]*(?:#|<>|<#>)(?=[ \t\"'(]|$)"
    rf"(?:[ \t]*(?:{_NEXT})?{_TITLE}[ \t]*$|[ \t]+[^\n]*$|[ \t]*$)",
    re.M,
)
"""A definition with a ``#``/``<>`` destination, its title (same or next line, may span lines) or other text."""


def without_comments(rel: str, body: str, first_line: int, report: Report) -> str:
    """``body`` (which starts on file line ``first_line`` of ``rel``) without editors' comments."""
    text, unclosed = strip_comments(body)
    if unclosed is not None:
        report.error(rel, first_line + unclosed, "UNCLOSED_COMMENT",
                     "注释「<!--」没有结束标记「-->」：浏览器会把此后的全部正文当作注释隐藏。"
                     "请在注释末尾加上「-->」；如果要显示「<!--」本身，请写成「&lt;!--」")
    return text


def strip_comments(body: str) -> tuple[str, int | None]:
    """The body without comments, each removed line break kept; and the 0-based line of an unclosed ``<!--``."""
    unclosed: list[int] = []

    def html(match: re.Match[str]) -> str:
        if match["abrupt"] is None and match["closer"] is None:
            unclosed.append(body.count("\n", 0, match.start()))
        return _line_breaks(match.group())

    text = _HTML.sub(html, body)
    text = _REFERENCE.sub(lambda match: match["lead"].rstrip() + _line_breaks(match.group()), text)
    return text, unclosed[0] if unclosed else None


def _line_breaks(removed: str) -> str:
    return "\n" * removed.count("\n")
