"""Open-data records (可利用): what catalogue.json, the CSV exports and the per-entry JSON files hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import urls
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.entry import Entry
from ..model.history import Revisions
from ..model.output import OutputFile
from ..model.types import DocumentMeta, InterpretationMeta


@dataclass(frozen=True)
class RecordSource:
    """What an entry's open-data record shows: the entry, the site's address and its published interpretations."""

    entry: Entry
    base_url: str
    interpretations: tuple[str, ...]
    """索引号 of the published interpretations of this entry (a policy)."""
    implementations: tuple[str, ...] = ()
    """索引号 of the published 落实情况 of this entry (a policy or a task)."""


def record_source(cat: Catalogue, entry: Entry) -> RecordSource:
    """The parts of the catalogue that an entry's record shows."""
    interpretations = tuple(i.meta.index_no for i in cat.interpretations.get(entry.meta.index_no, []))
    implementations = tuple(i.meta.index_no for i in cat.implementations.get(entry.meta.index_no, []))
    return RecordSource(entry, cat.config.site.base_url, interpretations, implementations)


def entry_record(source: RecordSource) -> dict[str, Any]:
    """One published entry as the open-data record described in the README."""
    entry = source.entry
    meta = entry.meta
    path = urls.entry_page(entry)
    document = meta if isinstance(meta, DocumentMeta) else None
    return {
        "index_no": meta.index_no,
        "title": meta.title,
        "column": "/".join(entry.column_path),
        "type": entry.type,
        "published": meta.published.iso(),
        "written": meta.written.isoformat() if meta.written else None,
        "doc_no": document.doc_no if document else None,
        "publisher": meta.publisher,
        "department": meta.department,
        "topic": meta.topic,
        "keywords": list(meta.keywords),
        "key_areas": list(meta.key_areas),
        "summary": meta.summary,
        "validity": document.validity if document else None,
        "path": path,
        "url": urls.absolute(source.base_url, path),
        "interprets": meta.interprets if isinstance(meta, InterpretationMeta) else None,
        "interpretations": list(source.interpretations),
        "data_path": urls.entry_data(entry),
        "implements": meta.implements,
        "implementations": list(source.implementations),
    }


def entry_document(source: RecordSource, checksums: tuple[str, ...], revisions: Revisions) -> dict[str, Any]:
    """``entries/<serial>.json``: the record, the Markdown body, the attachments with their checksums, and
    the 更新记录 as the page shows it (可核查)."""
    entry = source.entry
    return {**entry_record(source), "body": entry.body,
            "attachments": attachment_records(entry, source.base_url, checksums), **revision_record(revisions)}


def revision_record(revisions: Revisions) -> dict[str, Any]:
    """``first_published`` (the 发布日期), ``last_updated`` and the editors' ``changes``, newest first."""
    return {
        "first_published": revisions.first_published.isoformat(),
        "last_updated": revisions.last_updated.isoformat(),
        "changes": [{"date": change.date.isoformat(), "note": change.note} for change in revisions.changes],
    }


def attachment_records(entry: Entry, base_url: str, checksums: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each attachment's title, paths, size in bytes, media type and SHA-256, in front-matter order."""
    return [{
        "title": attachment.title,
        "path": urls.attachment_file(attachment),
        "url": urls.absolute(base_url, urls.attachment_file(attachment)),
        "size": attachment.size,
        "media_type": attachment.media_type,
        "sha256": checksum,
    } for attachment, checksum in zip(entry.attachments, checksums, strict=True)]


def json_bytes(value: Any) -> bytes:
    """The one JSON layout of every data file: UTF-8, sorted keys, one space indent, final newline (deterministic)."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class RecordTexts:
    """Each published entry's record as UTF-8 text, in the JSON and CSV layouts, by source path.

    Made once per build and handed to every file that lists records, then dropped. Kept as bytes, not str:
    Chinese text takes half the memory, which matters at 100,000 entries.
    """

    json: dict[str, bytes]
    csv: dict[str, bytes]


def catalogue_json(cat: Catalogue, records: RecordTexts) -> list[OutputFile]:
    """``catalogue.json``: every published entry, newest first, then by 索引号."""
    return [OutputFile(urls.CATALOGUE_JSON, records_json(records, cat.published), origin="catalogue.json")]


def records_json(records: RecordTexts, entries: list[Entry]) -> bytes:
    """:func:`json_bytes` of the entries' records, assembled from each record's text."""
    items = [records.json[e.rel] for e in entries]
    return b"[\n" + b",\n".join(items) + b"\n]\n" if items else b"[]\n"


def record_texts(cat: Catalogue, form: str, make: Callable[[RecordSource], bytes]) -> dict[str, bytes]:
    """Each published entry's record in one form, by source path (each a step of what the record shows)."""
    return {e.rel: cat.steps.run(f"record-{form}", make, record_source(cat, e)) for e in cat.published}


def json_item(source: RecordSource) -> bytes:
    """The record as :func:`json_bytes` lays it out inside an array: every line one space further in."""
    text = json.dumps(entry_record(source), ensure_ascii=False, indent=1, sort_keys=True)
    return "\n".join(" " + line for line in text.split("\n")).encode("utf-8")


def document_json(edition: Edition, entry: Entry) -> bytes:
    """``entries/<serial>.json`` bytes, reused while the entry, its interpretations, attachments and revisions stay."""
    cat = edition.catalogue
    checksums = tuple(edition.digests.of(a.source) for a in entry.attachments)
    return cat.steps.run("document", _document_bytes, record_source(cat, entry), checksums, edition.revisions(entry))


def _document_bytes(source: RecordSource, checksums: tuple[str, ...], revisions: Revisions) -> bytes:
    return json_bytes(entry_document(source, checksums, revisions))
