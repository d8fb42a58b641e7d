"""HTML pages from the published catalogue: home, columns, key areas, the catalogue tree and entries."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.diagnostics import Report
from ..model import urls
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.site import Column
from ..model.task import STATUS_ANCHORS, TASK_STATUSES, TaskMeta
from ..model.types import DocumentMeta, GuideMeta
from ..outputs import search
from ..outputs.search_index import merged_shard_folders
from .disclosure_group import group_pages
from .parallel import render_entries
from .request_form import request_form
from .templating import Renderer, assets, make_environment, templates_digest

PAGE_SIZE = 20
"""Entries per list page."""


@dataclass(frozen=True)
class Pagination:
    """Where one list page sits among its siblings."""

    number: int
    count: int
    paths: tuple[str, ...]

    @property
    def previous(self) -> str | None:
        """Path of the previous page, if any."""
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        """Path of the next page, if any."""
        return self.paths[self.number] if self.number < self.count else None


def render_site(edition: Edition, root: Path, progress: Callable[[str, int, int], None],
                jobs: int = 1, report: Report | None = None) -> Iterator[OutputFile]:
    """Every page and copied file of the site; entry pages in ``jobs`` processes."""
    cat = edition.catalogue
    env = make_environment(root)
    stylesheets = assets(root)
    shared = _shared_context(cat, {name: f.path for name, f in stylesheets.items()})
    renderer = Renderer(env, shared, cat.steps, templates_digest(root))
    files = list(stylesheets.values())
    latest = cat.published[:10]
    files.append(renderer.page("home.html", urls.HOME, latest=latest, task_columns=task_columns(cat)))
    files.append(renderer.page("catalogue.html", urls.CATALOGUE_TREE))
    for column in cat.config.all_columns():
        files.extend(_column_pages(renderer, cat, column))
    for area in cat.config.key_areas:
        entries = cat.in_key_area(area.id)
        files.append(renderer.page("key_area.html", urls.key_area_page(area), area=area, entries=entries))
    files.append(renderer.page("once.html", urls.ONCE, guides=once_guides(cat)))
    files.extend(_service_pages(renderer, cat))
    yield from files
    yield from render_entries(renderer, edition, jobs, progress, report)


TaskGroups = list[tuple[str, str, list[Entry]]]
"""Tasks by 进展状态: ``(status, anchor, tasks)`` for every status in vocabulary order, empty ones too."""


def task_groups(entries: list[Entry]) -> TaskGroups:
    """The tasks among ``entries`` grouped by status, each group in the list's order (newest first)."""
    by_status: dict[str, list[Entry]] = {state: [] for state in TASK_STATUSES}
    for entry in entries:
        if isinstance(entry.meta, TaskMeta):
            by_status[entry.meta.status].append(entry)
    return [(state, STATUS_ANCHORS[state], by_status[state]) for state in TASK_STATUSES]


def task_columns(cat: Catalogue) -> list[tuple[Column, TaskGroups]]:
    """Top-level columns holding published tasks, for the home page's counts per status."""
    found = ((column, task_groups(cat.in_column(column))) for column in cat.config.columns)
    return [(column, groups) for column, groups in found if any(tasks for _, _, tasks in groups)]


def once_guides(cat: Catalogue) -> list[Entry]:
    """Published 办事指南 needing at most one visit in person (一次办), by title."""
    guides = [e for e in cat.published if isinstance(e.meta, GuideMeta) and e.meta.visits is not None
              and e.meta.visits <= 1]
    return sorted(guides, key=lambda e: (e.meta.title, e.meta.index_no))


def _service_pages(renderer: Renderer, cat: Catalogue) -> list[OutputFile]:
    """Search, 网站地图, 无障碍声明, 404, 公开指南, 法定主动公开内容, 主动公开基本目录, 依申请公开 and its
    application form."""
    form = request_form(cat.config.site)
    doc_nos = [e.meta.doc_no for e in cat.published if isinstance(e.meta, DocumentMeta) and e.meta.doc_no]
    return [
        renderer.page("search.html", urls.SEARCH, filter_choices=search.filter_choices(cat),
                      exact_buckets=search.bucket_count(cat), example_doc_no=doc_nos[-1] if doc_nos else None,
                      search_shards=merged_shard_folders(cat), best_bets=search.best_bets(cat)),
        renderer.page("sitemap.html", urls.SITEMAP_PAGE),
        renderer.page("accessibility.html", urls.ACCESSIBILITY),
        renderer.page("404.html", urls.NOT_FOUND, rooted_links=True),
        renderer.page("disclosure_guide.html", urls.DISCLOSURE_GUIDE),
        *group_pages(renderer, cat),
        renderer.page("request.html", urls.REQUEST, form_path=form.path, form_size=len(form.data)),
        form,
    ]


def _shared_context(cat: Catalogue, assets: dict[str, str]) -> dict[str, Any]:
    counts = {column.path: len(cat.in_column(column)) for column in cat.config.all_columns()}
    area_counts = {area.id: len(cat.in_key_area(area.id)) for area in cat.config.key_areas}
    return {"site": cat.config.site, "catalog": cat.config, "counts": counts,
            "area_counts": area_counts, "assets": assets, "today": cat.today}


def _column_pages(renderer: Renderer, cat: Catalogue, column: Column) -> Iterator[OutputFile]:
    entries = cat.in_column(column)
    count = max(1, math.ceil(len(entries) / PAGE_SIZE))
    paths = tuple(urls.column_page(column, n) for n in range(1, count + 1))
    trail = cat.config.trail(column.path[:-1])
    groups = task_groups(entries)
    has_tasks = any(tasks for _, _, tasks in groups)
    for number, path in enumerate(paths, start=1):
        chunk = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        yield renderer.page("column.html", path, column=column, trail=trail, entries=chunk, total=len(entries),
                            pagination=Pagination(number, count, paths),
                            task_groups=groups if has_tasks and number == 1 else [])
