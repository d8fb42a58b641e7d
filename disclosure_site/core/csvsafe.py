"""CSV formula injection (OWASP): no published CSV cell makes a spreadsheet run a formula.

Excel, WPS and LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide such a start; a formula can fetch addresses or start programs
(``=cmd|' /C calc'!A0``) on the reader's computer. Such a cell gets a leading ``'``, so spreadsheets
read it as text.

Two kinds of cell start with those characters yet cannot run anything, and are left alone so numeric
data stays numeric: a plain number (``-5``, ``+3.2``, ``-.5``, ``-1.5E-3``, ``-12%``; trailing spaces
allowed) and a lone ``-`` (the usual 「无」 placeholder). ``-2+3+cmd|' /C calc'!A0`` is not a plain number.

JSON and HTML keep the exact text: only CSV cells change.
"""

from __future__ import annotations

import functools
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""
_HARMLESS = re.compile(r"[+-](?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%? *|-")
"""A signed plain number, or a lone ``-``: they start like a formula but cannot call anything."""
_GUARD = "'"
_BOM = b"\xef\xbb\xbf"
_UTF16 = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SEP_LINE = re.compile(r'sep=([^"\r\n])(?:\r\n|\r|\n|\Z)', re.I)
"""Excel's ``sep=;`` first line, which chooses the delimiter whatever the reader's locale."""


def is_formula(text: str) -> bool:
    """True when a spreadsheet could run the cell ``text`` as a formula (see the module docstring)."""
    return text.startswith(FORMULA_STARTS) and not _HARMLESS.fullmatch(text)


def safe_cell(text: str) -> str:
    """The cell text a generated CSV writes: ``text``, with a leading ``'`` when it looks like a formula."""
    return _GUARD + text if is_formula(text) else text


def is_csv(name: str) -> bool:
    """Whether a copied file is published as CSV (spreadsheets open it as one), by its name."""
    return name.lower().endswith(".csv")


def neutralise_csv(data: bytes) -> bytes | None:
    """``data`` with a ``'`` inserted at the start of every formula-like cell, or None when no cell needs it.

    Works on bytes (read as latin-1, one character per byte) so a GBK or GB18030 file keeps every byte but
    the inserted ones: the characters that separate, quote and start cells are ASCII, and a multi-byte
    character's lead byte is never ASCII, so no cell starts inside one. A UTF-16 file (it starts with its
    byte-order mark) is read as text instead, with tabs separating cells too, as spreadsheets save it.
    """
    for bom, codec in _UTF16:
        if data.startswith(bom):
            return _neutralise_utf16(data, bom, codec)
    text = data.decode("latin-1")
    start, delimiters = _layout(text)
    points = [start + offset for offset in _guard_points(text[start:], delimiters)]
    return _insert(text, points).encode("latin-1") if points else None


def _neutralise_utf16(data: bytes, bom: bytes, codec: str) -> bytes | None:
    try:
        text = data[len(bom):].decode(codec)
    except UnicodeDecodeError:  # not really UTF-16: no spreadsheet reads it as such either
        return None
    points = _guard_points(text, ",\t")
    return bom + _insert(text, points).encode(codec) if points else None


def _insert(text: str, points: list[int]) -> str:
    pieces, last = [], 0
    for point in points:
        pieces += [text[last:point], _GUARD]
        last = point
    return "".join(pieces) + text[last:]


def _layout(text: str) -> tuple[int, str]:
    """Where the first cell starts (after a byte-order mark and a ``sep=`` line) and what separates cells."""
    start = len(_BOM) if text.startswith(_BOM.decode("latin-1")) else 0
    sep = _SEP_LINE.match(text, start)
    if sep is None:
        return start, ","
    # Excel honours the line; other programs read the file with commas, so both separate cells here.
    return sep.end(), "," + sep[1]


def _guard_points(body: str, delimiters: str) -> list[int]:
    """Offsets in ``body`` at which a ``'`` goes: the first character of each formula-like cell's text."""
    quick, cells = _patterns(delimiters)
    if not quick.search(body):  # most files: no cell can start with a trigger, so no cell is looked at
        return []
    points = []
    for match in cells.finditer(body):
        if match["plain"] is not None:
            if is_formula(match["plain"]):
                points.append(match.start())
        elif is_formula(match["inner"].replace('""', '"') + match["rest"]):
            points.append(match.start() + 1)  # inside the opening quote
    return points


@functools.cache
def _patterns(delimiters: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A quick test for any cell that could start with a trigger, and one match per cell.

    Cells are read as RFC 4180 and spreadsheets read them: a quote opens quoting only at a cell's
    start and ``""`` inside is a quote; text after the closing quote still belongs to the cell; a quote
    never closed runs to the end of the file; a lone CR ends a line.
    """
    ends = re.escape(delimiters) + r"\r\n"
    quick = re.compile(rf'(?:\A|[{ends}])(?:[=+\-@\t]|"+[=+\-@\t\r])')
    quoted = rf'"(?P<inner>[^"]*(?:""[^"]*)*)"?(?P<rest>[^{ends}]*)'
    cell = re.compile(rf'(?:\A|(?<=[{ends}]))(?:{quoted}|(?P<plain>[^{ends}"][^{ends}]*))')
    return quick, cell
