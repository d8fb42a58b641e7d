"""One entry's page: metadata block, body with resolved links, attachments and related entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import markupsafe

from ..body.links import finish, linked_files, parse
from ..model import urls
from ..model.annual_report import AnnualReportMeta
from ..model.body import Body, BodyLinks
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.entry import Entry
from ..model.lists import ListMeta
from ..model.output import OutputFile
from ..model.site import Column, SiteConfig
from ..model.task import TaskMeta
from ..model.types import ConsultationMeta, DocumentMeta
from ..outputs.search import search_facets
from .annual_tables import csv_bytes, report_csv_files, report_page
from .templating import PageSpec, Renderer
from .wechat import share_context, wechat_spec


def entry_files(renderer: Renderer, edition: Edition, entry: Entry) -> list[OutputFile]:
    """The entry's page, its 公众号 page, its attachments and the files its body links to."""
    cat = edition.catalogue
    spec, linked = entry_spec(edition, entry)
    wechat = cat.steps.recall("wechat-spec", entry.rel, wechat_spec, entry, str(spec.context["body_html"]), cat.config)
    files = [renderer.render(spec), renderer.render(wechat), *report_csv_files(cat, entry), *list_csv_files(entry)]
    files += [OutputFile(urls.attachment_file(a), copy_from=a.source, origin=entry.rel) for a in entry.attachments]
    files += [OutputFile(urls.attachment_file(d.file), copy_from=d.file.source, origin=entry.rel) for d in entry.datasets]
    files += [OutputFile(path, copy_from=source, origin=entry.rel) for path, source in sorted(linked.items())]
    return files


def list_csv_files(entry: Entry) -> list[OutputFile]:
    """A published list's rows as CSV, made from the checked rows (never a copy of the editor's file), every cell
    through :func:`csvsafe.safe_cell`; nothing for other entries."""
    table = entry.table
    if table is None:
        return []
    header = tuple(c.name + (f"（{c.unit}）" if c.unit else "") for c in table.columns)
    return [OutputFile(urls.list_csv(entry), csv_bytes([header, *table.rows]), origin=entry.rel)]


def entry_spec(edition: Edition, entry: Entry) -> tuple[PageSpec, dict[str, str]]:
    """Everything the entry's page shows, and the files its body links to (output path → source).

    An annual report's tables count the whole catalogue; any other page is made from its entry and the few values
    looked up for it here, so a preview that finds them all equal to the last build's takes that build's spec.
    """
    cat = edition.catalogue
    body, links = parse(entry, cat.steps), cat.links.of(entry.rel)
    if isinstance(entry.meta, AnnualReportMeta):
        page = urls.entry_page(entry)
        html, report_context = report_page(cat, entry, body, links, page)
        return _spec(entry, page, html, cat.config, related(cat, entry), _lookups(edition, entry), report_context), \
            linked_files(links)
    return cat.steps.recall("entry-spec", entry.rel, _plain_spec, entry, body, links, cat.config,
                            related(cat, entry), _lookups(edition, entry))


def _lookups(edition: Edition, entry: Entry) -> dict[str, Any]:
    """What the page shows from outside the catalogue: attachment digests and the 更新记录."""
    return {"attachment_sha256": {a.content_path: edition.digests.of(a.source) for a in entry.attachments},
            "revisions": edition.revisions(entry)}


def _plain_spec(entry: Entry, body: Body, links: BodyLinks, config: SiteConfig, relations: dict[str, Any],
                lookups: dict[str, Any]) -> tuple[PageSpec, dict[str, str]]:
    page = urls.entry_page(entry)
    return _spec(entry, page, finish(body, links, page), config, relations, lookups, {}), linked_files(links)


def _spec(entry: Entry, page: str, html: str, config: SiteConfig, relations: dict[str, Any], lookups: dict[str, Any],
          report_context: dict[str, Any]) -> PageSpec:
    column = config.by_path[entry.column_path]
    context = {
        "entry": entry, "meta": entry.meta, "column": column, "trail": config.trail(entry.column_path),
        "body_html": markupsafe.Markup(html), "metadata": metadata_rows(entry, column),
        "search_facets": search_facets(config, entry), **share_context(entry, html), **relations, **lookups, **report_context,
    }
    return PageSpec("entry.html", page, context, origin=entry.rel)


DERIVED_TITLE_WEIGHT = 3
"""Pagefind weight of the title of an interpretation or a 落实情况 (other titles weigh Pagefind's 7): they name the
policy in their own titles, and someone searching those words is looking for the policy first."""


def related(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    """Entries the page links to besides its body: interpretations, the policy, replacing and replaced documents,
    落实情况 and what a report carries out; and what the page says from the build date (a task being overdue)."""
    meta = entry.meta
    successor = None
    if isinstance(meta, DocumentMeta) and meta.superseded_by:
        successor = cat.by_index.get(meta.superseded_by)
    replaces = cat.replaced.get(meta.index_no, [])
    policy, implemented = cat.interpreted_policy(entry), cat.implemented(entry)
    return {
        "interpretations": cat.interpretations.get(meta.index_no, []),
        "policy": policy,
        "successor": successor,
        "replaces": replaces,
        "consultation_status": consultation_status(meta, cat.today) if isinstance(meta, ConsultationMeta) else None,
        "implementations": cat.implementations.get(meta.index_no, []),
        "implemented": implemented,
        "task_overdue": meta.overdue(cat.today) if isinstance(meta, TaskMeta) else False,
        "title_weight": DERIVED_TITLE_WEIGHT if policy or implemented else None,
        **list_versions(cat, entry),
    }


def list_versions(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    """A list's published newer version (``list_successor``) and the published one it replaces (``list_previous``);
    an unpublished one is never named, whichever side it is on."""
    meta = entry.meta
    if not isinstance(meta, ListMeta):
        return {}
    newer = cat.list_successors.get(meta.index_no, [])
    return {"list_successor": newer[0] if newer else None,
            "list_previous": cat.by_index.get(meta.replaces) if meta.replaces else None}


def consultation_status(meta: ConsultationMeta, today: dt.date) -> str:
    """征求中 while comments are accepted, 已结束 after ``closes``, 已反馈 once the adoption summary is out."""
    if meta.feedback:
        return "已反馈"
    if today < meta.opens:
        return "未开始"
    return "征求中" if today <= meta.closes else "已结束"


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
