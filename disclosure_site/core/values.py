"""Parsers for front-matter and catalog.yaml values; each raises FieldError with a Chinese reason."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .schema import FieldError, Parser, Vocabulary, build


@dataclass(frozen=True)
class Shape:
    """What a parser accepts, for tools that build forms from the models (the CMS configuration).

    ``kind`` is one of text, date, moment, boolean, integer, amount, choice, vocabulary, text_list, record,
    records, table, rows (mappings keyed by the names the entry's own key ``vocabulary`` declares); a parser
    without a shape is left to the file: the form cannot hold it.
    """

    kind: str
    options: tuple[str, ...] = ()
    """The values of a ``choice``."""
    vocabulary: str = ""
    """The catalog.yaml list of a ``vocabulary`` (``departments``, ``topics`` or ``key_areas``); for ``rows``, the
    entry's key that names the columns."""
    many: bool = False
    """A list of vocabulary values rather than one."""
    model: type | None = None
    """The model of a ``record`` or each of ``records``."""
    low: int = 0
    high: int = 0
    """Bounds of an ``integer``."""
    rows: tuple[tuple[str, ...], ...] = ()
    """The rows of a ``table``, each as its labels from the top (a mapping nested along them holds its numbers)."""
    columns: tuple[str, ...] = ()
    """The number columns of a ``table``, in order: each row is a list of one number per column."""


_SHAPES: dict[Parser, Shape] = {}


def shaped(parse: Parser, shape: Shape) -> Parser:
    """Remember what ``parse`` accepts (see :func:`shape_of`) and return it."""
    _SHAPES[parse] = shape
    return parse


def shape_of(parse: Parser) -> Shape | None:
    """What ``parse`` accepts, when the parser said so through :func:`shaped`."""
    return _SHAPES.get(parse)


@dataclass(frozen=True, order=True)
class Moment:
    """A publication date with an optional time of day (``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``)."""

    date: dt.date
    time: dt.time | None = None

    def iso(self) -> str:
        """``2018-08-08`` or ``2018-08-08T09:30``, for machine-readable output."""
        if self.time is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()}T{self.time.strftime('%H:%M')}"

    def text(self) -> str:
        """``2018-08-08`` or ``2018-08-08 09:30``, as editors write it."""
        return self.iso().replace("T", " ")

    def earlier_than(self, other: Moment) -> bool:
        """Strictly earlier; when either has no time of day only the dates are compared."""
        if self.time is None or other.time is None:
            return self.date < other.date
        return self < other

    def sort_key(self) -> tuple[dt.date, dt.time]:
        """Orders dates without a time before those with one on the same day."""
        return (self.date, self.time or dt.time.min)


def _shown(value: Any) -> str:
    return f"「{value}」"


def half_width_note(value: object) -> str:
    """``；其中「２」（U+FF12 全角数字）不是半角字符…`` for the first digit or sign that only looks like ASCII, else "".

    Python's ``\\d``, ``int()`` and ``isdigit()`` accept every Unicode digit, so values are matched with [0-9]
    and a value refused for such a character says which one: it looks right on screen.
    """
    for char in value if isinstance(value, str) else "":
        if not char.isascii() and (char.isdigit() or "\uff01" <= char <= "\uff5e"):
            if "\uff10" <= char <= "\uff19":
                kind = "全角数字"
            elif char >= "\uff01":
                kind = "全角字符"
            else:
                kind = unicodedata.name(char, "非半角数字")
            return (f"；其中「{char}」（U+{ord(char):04X} {kind}）不是半角字符："
                    "请关闭输入法的全角模式，用半角数字 0–9 和半角符号重新输入")
    return ""


def text(value: Any, _vocab: Vocabulary) -> str:
    """A non-empty string; numbers must be quoted so YAML keeps leading zeros."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise FieldError(f"值{_shown(value)}应为文字；数字或日期形式的文字请加英文引号，例如 \"{value}\"")
    return value.strip()


def date(value: Any, _vocab: Vocabulary) -> dt.date:
    """A calendar date, bare (YAML date) or quoted ``YYYY-MM-DD``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError(f"值{_shown(value)}不是有效日期，应写成 YYYY-MM-DD，例如 2018-08-08{half_width_note(value)}", "BAD_DATE")


def moment(value: Any, vocab: Vocabulary) -> Moment:
    """A date, or a date with hours and minutes (``YYYY-MM-DD HH:MM``)."""
    if isinstance(value, dt.datetime):
        return Moment(value.date(), value.time().replace(second=0, microsecond=0, tzinfo=None))
    match = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}):([0-9]{2})", value.strip()) if isinstance(value, str) else None
    if match:
        try:
            return Moment(dt.date.fromisoformat(match[1]), dt.time(int(match[2]), int(match[3])))
        except ValueError:
            pass
    else:
        try:
            return Moment(date(value, vocab))
        except FieldError:
            pass
    raise FieldError(f"值{_shown(value)}不是有效日期，应写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2018-08-08 09:30"
                     f"{half_width_note(value)}", "BAD_DATE")


def boolean(value: Any, _vocab: Vocabulary) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise FieldError(f"值{_shown(value)}应为 true 或 false")
    return value


def integer(low: int, high: int) -> Parser:
    """A whole number between ``low`` and ``high``."""
    def parse(value: Any, _vocab: Vocabulary) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FieldError(f"值{_shown(value)}应为 {low} 到 {high} 之间的整数{half_width_note(value)}")
        return value
    return shaped(parse, Shape("integer", low=low, high=high))


def choice(options: Iterable[str], code: str = "BAD_CHOICE", synonyms: dict[str, str] | None = None) -> Parser:
    """One of a fixed list of values (``synonyms`` maps accepted variants to the canonical value)."""
    allowed = tuple(options)
    variants = synonyms or {}

    def parse(value: Any, vocab: Vocabulary) -> str:
        raw = text(value, vocab)
        raw = variants.get(raw, raw)
        if raw not in allowed:
            raise FieldError(f"值{_shown(raw)}无效，应为以下之一：{'、'.join(allowed)}", code)
        return raw
    return shaped(parse, Shape("choice", options=allowed))


def vocabulary(kind: str) -> Parser:
    """A value from a catalog.yaml list (``departments``, ``topics`` or ``key_areas``)."""
    def parse(value: Any, vocab: Vocabulary) -> str:
        raw = text(value, vocab)
        allowed: tuple[str, ...] = getattr(vocab, kind)
        if raw not in allowed:
            raise FieldError(f"值{_shown(raw)}不在 catalog.yaml 的 {kind} 中；可选：{'、'.join(allowed)}",
                             "NOT_IN_VOCABULARY")
        return raw
    return shaped(parse, Shape("vocabulary", vocabulary=kind))


def vocabulary_list(kind: str) -> Parser:
    """A list of catalog.yaml vocabulary values."""
    item = vocabulary(kind)

    def parse(value: Any, vocab: Vocabulary) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        parsed = []
        for index, one in enumerate(items):
            try:
                parsed.append(item(one, vocab))
            except FieldError as exc:
                raise FieldError(exc.message, exc.code, (index,) if isinstance(value, list) else ()) from None
        return tuple(dict.fromkeys(parsed))
    return shaped(parse, Shape("vocabulary", vocabulary=kind, many=True))


_KEYWORD_SEPARATORS = re.compile(r"[、，,；;\s]+")


def keywords(value: Any, vocab: Vocabulary) -> tuple[str, ...]:
    """A list of words; one string is split on 、，,; and spaces."""
    if isinstance(value, str):
        return tuple(word for word in _KEYWORD_SEPARATORS.split(value) if word)
    return text_list(value, vocab)


def text_list(value: Any, vocab: Vocabulary) -> tuple[str, ...]:
    """A YAML list of strings."""
    if not isinstance(value, list):
        raise FieldError("应为列表，每项一行，以「- 」开头")
    items = []
    for index, item in enumerate(value):
        try:
            items.append(text(item, vocab))
        except FieldError as exc:
            raise FieldError(exc.message, exc.code, (index,)) from None
    return tuple(items)


def record(cls: type) -> Parser:
    """One mapping validated as ``cls``; a problem points at the nested key."""
    def parse(value: Any, vocab: Vocabulary) -> Any:
        if not isinstance(value, dict):
            raise FieldError("应为「键: 值」映射，每个键另起一行并缩进")
        instance, issues = build(cls, value, vocab)
        if issues:
            first = issues[0]
            raise FieldError(first.message, first.code, first.at)
        return instance
    return shaped(parse, Shape("record", model=cls))


def records(cls: type) -> Parser:
    """A list of mappings, each validated as ``cls``."""
    def parse(value: Any, vocab: Vocabulary) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise FieldError("应为列表，每项以「- 」开头并包含若干「键: 值」")
        built: list[Any] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise FieldError(f"第 {index + 1} 项应为「键: 值」映射", at=(index,))
            instance, issues = build(cls, item, vocab)
            if issues:
                first = issues[0]
                raise FieldError(f"第 {index + 1} 项 {first.message}", first.code, (index, *first.at))
            built.append(instance)
        return tuple(built)
    return shaped(parse, Shape("records", model=cls))


for _parse, _kind in ((text, "text"), (date, "date"), (moment, "moment"), (boolean, "boolean"),
                      (keywords, "text_list"), (text_list, "text_list")):
    shaped(_parse, Shape(_kind))
