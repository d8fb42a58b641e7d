"""One entry's page: metadata block, body with resolved links, attachments and related entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import markupsafe

from ..body.links import finish, linked_files, parse
from ..cache.memo import fingerprint
from ..model import urls
from ..model.catalogue import Catalogue, stamps
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.site import Column
from ..model.types import ConsultationMeta, DocumentMeta
from ..outputs.search import search_facets
from .annual_tables import report_csv_files, report_page
from .templating import Renderer


def entry_files(renderer: Renderer, cat: Catalogue, entry: Entry) -> list[OutputFile]:
    """The entry's page, its attachments and the files its body links to."""
    page = urls.entry_page(entry)
    if entry.type == "annual_report":  # its tables are counted from the whole catalogue: never reused
        html, linked = _page(renderer, cat, entry, page)
    else:
        key = fingerprint(renderer.key, "entry", page, page_inputs(cat, entry))
        html, linked = cat.memo.value(key, _page, renderer, cat, entry, page)
    files = [OutputFile(page, html, origin=entry.rel), *report_csv_files(cat, entry)]
    files += [OutputFile(urls.attachment_file(a), copy_from=a.source, origin=entry.rel) for a in entry.attachments]
    files += [OutputFile(urls.attachment_file(d.file), copy_from=d.file.source, origin=entry.rel) for d in entry.datasets]
    files += [OutputFile(path, copy_from=source, origin=entry.rel) for path, source in sorted(linked.items())]
    return files


def page_inputs(cat: Catalogue, entry: Entry) -> tuple[object, ...]:
    """Everything an entry page shows besides the site-wide parts: the entry, the entries it names or that
    name it, its body links as they resolve now, its attachments' checksums and its revision history."""
    shown = related(cat, entry)
    named = [v for v in shown.values() if isinstance(v, Entry)]
    named += [e for v in shown.values() if isinstance(v, list) for e in v]
    links = cat.links.of(entry.rel)  # the body's text is in the digest: what its links point at and are called
    return (entry.rel, entry.digest, stamps(named), repr((links.targets, links.titles)), shown["consultation_status"],
            tuple(cat.digests.of(a.source) for a in entry.attachments), repr(cat.history.get(entry.rel, ())))


def _page(renderer: Renderer, cat: Catalogue, entry: Entry, page: str) -> tuple[bytes, dict[str, str]]:
    """The page's HTML and the files its body links to (output path → source)."""
    links = cat.links.of(entry.rel)
    body = finish(parse(entry, cat.memo), links, page)
    body, report_context = report_page(cat, entry, body)  # an annual report's tables sit between its sections
    column = cat.config.by_path[entry.column_path]
    html = renderer.page(
        "entry.html", page, origin=entry.rel, entry=entry, meta=entry.meta, column=column,
        trail=cat.trail(entry.column_path), body_html=markupsafe.Markup(body),
        metadata=metadata_rows(entry, column), search_facets=search_facets(cat, entry), **related(cat, entry),
        attachment_sha256={a.content_path: cat.digests.of(a.source) for a in entry.attachments},
        history=cat.history.get(entry.rel, ()), **report_context,
    )
    return html.data, linked_files(links)


def related(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    """Entries the page links to besides its body: interpretations, the policy, replacing and replaced documents."""
    meta = entry.meta
    successor = None
    if isinstance(meta, DocumentMeta) and meta.superseded_by:
        successor = cat.by_index.get(meta.superseded_by)
    replaces = cat.replaced.get(meta.index_no, [])
    return {
        "interpretations": cat.interpretations.get(meta.index_no, []),
        "policy": cat.interpreted_policy(entry),
        "successor": successor,
        "replaces": replaces,
        "consultation_status": consultation_status(meta, cat.today) if isinstance(meta, ConsultationMeta) else None,
    }


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
