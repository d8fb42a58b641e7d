"""HTML pages from the published catalogue, through strict Jinja templates."""

from __future__ import annotations

import hashlib
import math
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import urls
from .catalogue import Catalogue
from .config import Column
from .markup import render_markdown
from .models import DocumentMeta, Entry
from .writer import OutputFile

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The shipped templates; a site's own ``templates/`` folder overrides them file by file."""
PAGE_SIZE = 20
"""Entries per list page."""
ASSETS = ("site.css",)
"""Files from ``templates/assets/`` published with a content hash in their names."""


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


def template_dirs(root: Path) -> list[Path]:
    """The site's templates first, then the defaults."""
    own = root / "templates"
    return [own, DEFAULT_TEMPLATES] if own.resolve() != DEFAULT_TEMPLATES else [DEFAULT_TEMPLATES]


def make_environment(root: Path) -> jinja2.Environment:
    """A strict, autoescaping environment: a typo in a template fails the build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root)]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(rel=_relative_link, absolute=_absolute_link, filesize=_filesize, or_dash=_or_dash,
                       digits=_digits)
    env.globals.update(entry_page=urls.entry_page, column_page=urls.column_page,
                       key_area_page=urls.key_area_page, attachment_file=urls.attachment_file)
    return env


@jinja2.pass_context
def _relative_link(context: jinja2.runtime.Context, target: str) -> str:
    return urls.relative(context["page_path"], target)


@jinja2.pass_context
def _absolute_link(context: jinja2.runtime.Context, target: str) -> str:
    return urls.absolute(context["site"].base_url, target)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _or_dash(value: object) -> object:
    return "—" if value is None or value == "" or value == () else value


def render_site(cat: Catalogue, root: Path) -> list[OutputFile]:
    """Every page and copied file of the site."""
    env = make_environment(root)
    assets = _assets(root)
    shared = _shared_context(cat, {name: f.path for name, f in assets.items()})
    renderer = _Renderer(env, shared)
    files = list(assets.values())
    files.append(renderer.page("home.html", urls.HOME, latest=cat.published[:10]))
    files.append(renderer.page("catalogue.html", urls.CATALOGUE_TREE))
    for column in cat.catalog.all_columns():
        files.extend(_column_pages(renderer, cat, column))
    for area in cat.catalog.key_areas:
        files.append(renderer.page("key_area.html", urls.key_area_page(area), area=area,
                                   entries=cat.in_key_area(area.id)))
    for entry in cat.published:
        files.append(_entry_page(renderer, cat, entry))
        files.extend(OutputFile(urls.attachment_file(a), copy_from=a.source, origin=entry.rel)
                     for a in entry.attachments)
    return files


class _Renderer:
    """Renders templates with the context every page shares."""

    def __init__(self, env: jinja2.Environment, shared: dict[str, Any]) -> None:
        self.env = env
        self.shared = shared

    def page(self, template: str, path: str, origin: str = "", **context: Any) -> OutputFile:
        try:
            html = self.env.get_template(template).render(**self.shared, page_path=path, **context)
        except jinja2.TemplateSyntaxError:
            raise
        except jinja2.TemplateError as exc:
            raise RenderError(path, origin, exc, self.env.loader) from exc
        return OutputFile(path, html.encode("utf-8"), origin=origin or template)


class RenderError(Exception):
    """A template failed while rendering one page; says which page and where in which template."""

    def __init__(self, page: str, origin: str, cause: jinja2.TemplateError, loader: jinja2.BaseLoader | None) -> None:
        super().__init__(str(cause))
        self.page = page
        self.origin = origin
        self.cause = cause
        self.folders = [Path(p) for p in getattr(loader, "searchpath", [])]

    def location(self) -> tuple[str, int]:
        """The innermost template frame of the failure, as ``templates/<name>`` and a line."""
        for frame in reversed(traceback.extract_tb(self.cause.__traceback__)):
            for folder in self.folders:
                if frame.filename.startswith(str(folder) + os.sep):
                    return "templates/" + Path(frame.filename).relative_to(folder).as_posix(), frame.lineno or 1
        return "templates", 1



def _shared_context(cat: Catalogue, assets: dict[str, str]) -> dict[str, Any]:
    counts = {column.path: len(cat.in_column(column)) for column in cat.catalog.all_columns()}
    area_counts = {area.id: len(cat.in_key_area(area.id)) for area in cat.catalog.key_areas}
    return {"site": cat.catalog.site, "catalog": cat.catalog, "counts": counts,
            "area_counts": area_counts, "assets": assets, "today": cat.today}


def _assets(root: Path) -> dict[str, OutputFile]:
    files = {}
    for name in ASSETS:
        source = next(d / "assets" / name for d in template_dirs(root) if (d / "assets" / name).is_file())
        data = source.read_bytes()
        stem, suffix = name.rsplit(".", 1)
        fingerprint = hashlib.sha256(data).hexdigest()[:10]
        files[name] = OutputFile(urls.asset_file(f"{stem}.{fingerprint}.{suffix}"), data, origin=name)
    return files


def _column_pages(renderer: _Renderer, cat: Catalogue, column: Column) -> Iterator[OutputFile]:
    entries = cat.in_column(column)
    count = max(1, math.ceil(len(entries) / PAGE_SIZE))
    paths = tuple(urls.column_page(column, n) for n in range(1, count + 1))
    trail = _trail(cat, column.path[:-1])
    for number, path in enumerate(paths, start=1):
        chunk = entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        yield renderer.page("column.html", path, column=column, trail=trail, entries=chunk,
                            total=len(entries), pagination=Pagination(number, count, paths))


def _trail(cat: Catalogue, path: tuple[str, ...]) -> list[Column]:
    """Columns from the top down to ``path``, for breadcrumbs."""
    return [cat.catalog.by_path[path[:depth]] for depth in range(1, len(path) + 1)]


def _entry_page(renderer: _Renderer, cat: Catalogue, entry: Entry) -> OutputFile:
    column = cat.catalog.by_path[entry.column_path]
    policy_interpretations = cat.interpretations.get(entry.meta.index_no, [])
    return renderer.page(
        "entry.html", urls.entry_page(entry), origin=entry.rel, entry=entry, meta=entry.meta, column=column,
        trail=_trail(cat, entry.column_path), body_html=markupsafe.Markup(render_markdown(entry.body)),
        metadata=metadata_rows(entry, column), interpretations=policy_interpretations,
        policy=cat.interpreted_policy(entry),
    )


def metadata_rows(entry: Entry, column: Column) -> list[tuple[str, str]]:
    """The standard metadata block, in the order the Guangdong platform shows it."""
    meta = entry.meta
    doc_no = meta.doc_no if isinstance(meta, DocumentMeta) else None
    rows = [
        ("索引号", meta.index_no),
        ("分类", meta.topic or column.title),
        ("发布机构", meta.publisher or "—"),
        ("成文日期", meta.written.isoformat() if meta.written else "—"),
        ("名称", meta.title),
        ("文号", doc_no or "—"),
        ("发布日期", meta.published.text()),
        ("主题词", "、".join(meta.keywords) or "—"),
    ]
    if isinstance(meta, DocumentMeta) and meta.validity:
        rows.append(("有效性", meta.validity))
    return rows
