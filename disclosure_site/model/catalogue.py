"""The published catalogue: which entries are public on the build date, sorted and indexed."""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..core.steps import Steps
from ..core.workdays import WorkCalendar
from .body import LinkTable
from .entry import DISCLOSURE_PUBLIC, Entry
from .lists import ListMeta
from .site import Column, SiteConfig
from .task import TaskMeta
from .types import DocumentMeta, InterpretationMeta


class Status(enum.Enum):
    """Why an entry is or is not on the site."""

    PUBLISHED = "已发布"
    WITHHELD = "不公开"
    DRAFT = "草稿"
    SCHEDULED = "定时发布"


def status(entry: Entry, today: dt.date) -> Status:
    """Only 主动公开, non-draft entries dated on or before ``today`` are published."""
    if entry.meta.disclosure != DISCLOSURE_PUBLIC:
        return Status.WITHHELD
    if entry.meta.draft:
        return Status.DRAFT
    if entry.meta.published.date > today:
        return Status.SCHEDULED
    return Status.PUBLISHED


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Sort by 发布日期 descending, then 索引号 ascending (the catalogue's list order)."""
    by_index = sorted(entries, key=lambda e: e.meta.index_no)
    return sorted(by_index, key=lambda e: e.meta.published.sort_key(), reverse=True)


def is_policy(entry: Entry) -> bool:
    """A document flagged ``policy: true``."""
    return isinstance(entry.meta, DocumentMeta) and entry.meta.policy


def is_implementable(entry: Entry) -> bool:
    """What ``implements`` may name: a policy document or a task (执行公开)."""
    return is_policy(entry) or isinstance(entry.meta, TaskMeta)


@dataclass(frozen=True)
class Catalogue:
    """Validated entries split by publication status, with the indexes pages need; what the rules see.

    Nothing is assigned after construction: the indexes are worked out from the entries when first asked for.
    What a build learns after the rules (history, checksums) is kept beside it in an ``Edition``.
    """

    config: SiteConfig
    today: dt.date
    entries: tuple[Entry, ...]
    """Every valid entry, published or not (rules look at all of them)."""
    root: Path
    """The site folder (content/ and templates/ are inside it)."""
    links: LinkTable = field(default_factory=LinkTable)
    """Every body's links as they resolve in this build (see ``body.links.resolve_all``)."""
    calendar: WorkCalendar = field(default_factory=WorkCalendar, compare=False)
    """Working days for the deadline rules (holidays and 调休 included)."""
    steps: Steps = field(default_factory=Steps, compare=False)
    """How stages run their pure steps: the pipeline hands a runner that keeps results between builds."""

    @cached_property
    def published(self) -> list[Entry]:
        """Entries that reach the site, newest first."""
        return newest_first([e for e in self.entries if status(e, self.today) is Status.PUBLISHED])

    @cached_property
    def by_index(self) -> dict[str, Entry]:
        """Published entries by 索引号."""
        return {e.meta.index_no: e for e in self.published}

    @cached_property
    def every(self) -> dict[str, Entry]:
        """Every entry, published or not, by 索引号 (the first file wins when duplicated)."""
        found: dict[str, Entry] = {}
        for entry in sorted(self.entries, key=lambda e: e.rel):
            found.setdefault(entry.meta.index_no, entry)
        return found

    @cached_property
    def by_rel(self) -> dict[str, Entry]:
        """Every entry by its source path."""
        return {e.rel: e for e in self.entries}

    @cached_property
    def interpretations(self) -> dict[str, list[Entry]]:
        """Published interpretations of each policy, by the policy's 索引号."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.published:
            if isinstance(entry.meta, InterpretationMeta):
                found[entry.meta.interprets].append(entry)
        return found

    def in_column(self, column: Column) -> list[Entry]:
        """Published entries of a column and all its sub-columns, newest first."""
        return self._by_column.get(column.path, [])

    @cached_property
    def _by_column(self) -> dict[tuple[str, ...], list[Entry]]:
        # One pass over the catalogue instead of one per column (lists, counts, exports and feeds all ask).
        listed: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for entry in self.published:
            for depth in range(1, len(entry.column_path) + 1):
                listed[entry.column_path[:depth]].append(entry)
        return listed

    @cached_property
    def replaced(self) -> dict[str, list[Entry]]:
        """Published documents by the 索引号 of the document that replaces them (``superseded_by``)."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.published:
            if isinstance(entry.meta, DocumentMeta) and entry.meta.superseded_by:
                found[entry.meta.superseded_by].append(entry)
        return found

    @cached_property
    def list_successors(self) -> dict[str, list[Entry]]:
        """Published lists by the 索引号 of the list they replace (``replaces``), in source-path order."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in sorted(self.published, key=lambda e: e.rel):
            if isinstance(entry.meta, ListMeta) and entry.meta.replaces:
                found[entry.meta.replaces].append(entry)
        return found

    def links_to_withheld(self, source: Entry, target: Entry) -> bool:
        """A published entry pointing at one that is not published would expose or break a link."""
        return status(source, self.today) is Status.PUBLISHED and status(target, self.today) is not Status.PUBLISHED

    def in_key_area(self, area_id: str) -> list[Entry]:
        """Published entries tagged with a key area, newest first."""
        return self._by_key_area.get(area_id, [])

    @cached_property
    def _by_key_area(self) -> dict[str, list[Entry]]:
        tagged: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.published:
            for area in dict.fromkeys(entry.meta.key_areas):
                tagged[area].append(entry)
        return tagged

    def interpreted_policy(self, entry: Entry) -> Entry | None:
        """The published policy an interpretation explains."""
        if isinstance(entry.meta, InterpretationMeta):
            return self.by_index.get(entry.meta.interprets)
        return None

    @cached_property
    def implementations(self) -> dict[str, list[Entry]]:
        """Published 落实情况 of each policy or task, by its 索引号, newest first."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.published:
            if entry.meta.implements:
                found[entry.meta.implements].append(entry)
        return found

    def implemented(self, entry: Entry) -> Entry | None:
        """The published policy or task an entry reports the carrying out of."""
        return self.by_index.get(entry.meta.implements) if entry.meta.implements else None

    def status_counts(self) -> dict[tuple[str, ...], dict[Status, int]]:
        """Per column folder, how many entries have each status (for the build summary)."""
        counts: dict[tuple[str, ...], dict[Status, int]] = {
            column.path: dict.fromkeys(Status, 0) for column in self.config.all_columns()
        }
        for entry in self.entries:
            counts[entry.column_path][status(entry, self.today)] += 1
        return counts
