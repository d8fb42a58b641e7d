"""The 「政府信息公开」 group's generated pages: 法定主动公开内容 and the 主动公开基本目录.

Both are worked out from catalog.yaml and the published entries only: a draft, a future-dated or a withheld entry
never lends a column its department or its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import urls
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.site import (
    ARTICLE_20,
    DEFAULT_FREQUENCY,
    FRESHNESS_FREQUENCY,
    NUMERALS,
    Column,
    DisclosureGroup,
    KeyArea,
    SiteConfig,
)
from ..model.types import MODELS, TYPE_LABELS
from .templating import Renderer


@dataclass(frozen=True)
class CatalogueRow:
    """One line of the 主动公开基本目录: a column or a key area."""

    number: str
    """序号: ``2`` for a first-level column, ``2.1`` for its first sub-column."""
    trail: tuple[str, ...]
    """Titles of the parent columns."""
    title: str
    """公开类别及事项: the column's or key area's title."""
    page: str
    """Its page in the output."""
    types: tuple[str, ...]
    """信息类型: Chinese names of the content types it holds."""
    content: str | None
    """公开内容: its description."""
    departments: tuple[str, ...]
    """责任部门: configured, or those of its published entries in vocabulary order."""
    frequency: str
    """更新频率."""
    latest: dt.date | None
    """最近更新: the newest 发布日期 among its published entries."""
    count: int
    """How many published entries it lists."""


@dataclass(frozen=True)
class StatutoryItem:
    """One item of 条例 第二十条 and the columns that hold it."""

    numeral: str
    text: str
    columns: tuple[Column, ...]


def group_pages(renderer: Renderer, cat: Catalogue) -> list[OutputFile]:
    """法定主动公开内容 and 主动公开基本目录."""
    items, others = statutory_items(cat)
    return [
        renderer.page("statutory.html", urls.STATUTORY, items=items, others=others),
        renderer.page("basic_catalogue.html", urls.BASIC_CATALOGUE, column_rows=column_rows(cat),
                      area_rows=area_rows(cat)),
    ]


def column_rows(cat: Catalogue) -> list[CatalogueRow]:
    """Every column, depth first, numbered as a tree."""
    rows: list[CatalogueRow] = []

    def visit(columns: tuple[Column, ...], prefix: str, trail: tuple[str, ...]) -> None:
        for number, column in enumerate(columns, start=1):
            label = f"{prefix}{number}"
            entries = cat.in_column(column)
            rows.append(CatalogueRow(
                label, trail, column.title, urls.column_page(column), (TYPE_LABELS[column.type],), column.description,
                _departments(cat.config, column.department, entries), _frequency(column), _latest(entries),
                len(entries)))
            visit(column.children, f"{label}.", (*trail, column.title))

    visit(cat.config.columns, "", ())
    return rows


def area_rows(cat: Catalogue) -> list[CatalogueRow]:
    """Every key area, numbered on from nothing (the table of key areas is a table of its own)."""
    rows = []
    for number, area in enumerate(cat.config.key_areas, start=1):
        entries = cat.in_key_area(area.id)
        rows.append(CatalogueRow(
            str(number), (), area.title, urls.key_area_page(area), _types(entries), area.description,
            _departments(cat.config, area.department, entries), _area_frequency(area), _latest(entries),
            len(entries)))
    return rows


def statutory_items(cat: Catalogue) -> tuple[list[StatutoryItem], list[Column]]:
    """The items of 第二十条 some column holds, each with its columns, and the other columns that hold information.

    A sub-column counts as held by the items its parent names; a parent column that holds nothing of its own is left
    to its sub-columns; the group's 制度 and 年报 columns have places of their own beside the 法定主动公开内容.
    """
    config = cat.config
    roles = {path for path in (getattr(config.disclosure_group, name) for name in _ROLES) if path is not None}
    holding = {entry.column_path for entry in cat.published}
    held: dict[int, list[Column]] = {}
    others = []
    for column in config.all_columns():
        if any(column.path[:depth] in roles for depth in range(1, len(column.path) + 1)):
            continue
        for item in column.statutory:
            held.setdefault(item, []).append(column)
        covered = any(ancestor.statutory for ancestor in config.trail(column.path))
        if not covered and (column.path in holding or not column.children):
            others.append(column)
    items = [StatutoryItem(NUMERALS[n - 1], ARTICLE_20[n - 1], tuple(held[n])) for n in sorted(held)]
    return items, others


_ROLES = tuple(DisclosureGroup.__dataclass_fields__)


def _departments(config: SiteConfig, configured: str | None, entries: list[Entry]) -> tuple[str, ...]:
    if configured:
        return (configured,)
    named = {entry.meta.department for entry in entries}
    return tuple(name for name in config.departments if name in named)


def _types(entries: list[Entry]) -> tuple[str, ...]:
    held = {entry.type for entry in entries}
    return tuple(TYPE_LABELS[kind] for kind in MODELS if kind in held)


def _frequency(column: Column) -> str:
    if column.update_frequency:
        return column.update_frequency
    return FRESHNESS_FREQUENCY.get(column.freshness or "", DEFAULT_FREQUENCY)


def _area_frequency(area: KeyArea) -> str:
    return area.update_frequency or DEFAULT_FREQUENCY


def _latest(entries: list[Entry]) -> dt.date | None:
    """Entries come newest first."""
    return entries[0].meta.published.date if entries else None
