"""重点领域信息公开情况: the annual report's table of each key area's entries published in the report year.

The work plan (二(二)5(2)) has the body report its 重点领域信息公开 in the annual report. The table is counted
from the catalogue like table 二: for every key area in catalog.yaml, the published entries tagged with it whose
发布日期 falls in the year, split by first-level column (only columns with at least one such entry get a column).
Withheld, draft and scheduled entries are never counted: they are not in ``cat.published``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import urls
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.site import Column, KeyArea

TITLE = "重点领域信息公开情况"
AREA, TOTAL, ADDRESS = "重点领域", "合计", "页面地址"


@dataclass(frozen=True)
class AreaRow:
    """One key area: its entries published in the year, and how many fall in each counted column."""

    area: KeyArea
    counts: tuple[int, ...]
    """Per column of :attr:`KeyAreaTable.columns`, in order."""
    entries: tuple[Entry, ...]
    """The counted entries, newest first."""

    @property
    def total(self) -> int:
        """All the area's entries of the year (an entry sits in one column, so this is the sum of ``counts``)."""
        return len(self.entries)

    @property
    def page(self) -> str:
        """The key area's page, which lists all its entries."""
        return urls.key_area_page(self.area)


@dataclass(frozen=True)
class KeyAreaTable:
    """The table for one report year."""

    year: int
    columns: tuple[Column, ...]
    """First-level columns holding at least one counted entry, in catalog.yaml order."""
    rows: tuple[AreaRow, ...]
    """Every key area in catalog.yaml order, counted or not (a zero is reported too)."""

    def csv_rows(self, base_url: str) -> tuple[tuple[str, ...], ...]:
        """Header, then one row per key area with its counts, total and page address."""
        head = (AREA, *(column.title for column in self.columns), TOTAL, ADDRESS)
        return (head, *((row.area.title, *map(str, row.counts), str(row.total), urls.absolute(base_url, row.page))
                        for row in self.rows))


def key_area_table(cat: Catalogue, year: int) -> KeyAreaTable | None:
    """The table for ``year``, or None when catalog.yaml has no key areas."""
    if not cat.config.key_areas:
        return None
    found = {area.id: [e for e in cat.in_key_area(area.id) if e.meta.published.date.year == year]
             for area in cat.config.key_areas}
    used = {entry.column_path[0] for entries in found.values() for entry in entries}
    columns = tuple(column for column in cat.config.columns if column.id in used)
    rows = tuple(AreaRow(area, tuple(sum(e.column_path[0] == c.id for e in found[area.id]) for c in columns),
                         tuple(found[area.id]))
                 for area in cat.config.key_areas)
    return KeyAreaTable(year, columns, rows)


def csv_path(entry: Entry) -> str:
    """``entries/<serial>-key-areas.csv``, beside the report's page and its tables' CSVs."""
    return f"entries/{entry.serial}-key-areas.csv"
