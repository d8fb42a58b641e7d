"""Open-data records (可利用): what catalogue.json, the CSV exports and the per-entry JSON files hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..cache.memo import fingerprint
from ..load.history import history_record
from ..model import urls
from ..model.catalogue import Catalogue, stamps
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.types import DocumentMeta, InterpretationMeta


def entry_record(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    """One published entry as the open-data record described in the README."""
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
        "url": urls.absolute(cat.config.site.base_url, path),
        "interprets": meta.interprets if isinstance(meta, InterpretationMeta) else None,
        "interpretations": [i.meta.index_no for i in cat.interpretations.get(meta.index_no, [])],
        "data_path": urls.entry_data(entry),
    }


def entry_document(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    """``entries/<serial>.json``: the record, the Markdown body, the attachments with their checksums, and
    the first and latest commit dates when the content lives in git (可核查)."""
    return {**entry_record(cat, entry), "body": entry.body, "attachments": attachment_records(cat, entry),
            **history_record(cat.history.get(entry.rel, ()))}


def attachment_records(cat: Catalogue, entry: Entry) -> list[dict[str, Any]]:
    """Each attachment's title, paths, size in bytes, media type and SHA-256, in front-matter order."""
    base_url = cat.config.site.base_url
    return [{
        "title": attachment.title,
        "path": urls.attachment_file(attachment),
        "url": urls.absolute(base_url, urls.attachment_file(attachment)),
        "size": attachment.size,
        "media_type": attachment.media_type,
        "sha256": cat.digests.of(attachment.source),
    } for attachment in entry.attachments]


def json_bytes(value: Any) -> bytes:
    """The one JSON layout of every data file: UTF-8, sorted keys, one space indent, final newline (deterministic)."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def catalogue_json(cat: Catalogue) -> list[OutputFile]:
    """``catalogue.json``: every published entry, newest first, then by 索引号."""
    return [OutputFile(urls.CATALOGUE_JSON, records_json(cat, cat.published), origin="catalogue.json")]


def records_json(cat: Catalogue, entries: list[Entry]) -> bytes:
    """:func:`json_bytes` of the entries' records, assembled from each record's cached text."""
    texts = record_texts(cat, "json", _array_item)
    items = [texts[e.rel] for e in entries]
    return b"[\n" + b",\n".join(items) + b"\n]\n" if items else b"[]\n"


def record_texts(cat: Catalogue, form: str, make: Callable[[Catalogue, Entry], bytes]) -> dict[str, bytes]:
    """Each published entry's record as UTF-8 text in one form, by source path: made (or fetched) once per build.

    Kept as bytes, not str: Chinese text takes half the memory, which matters at 100,000 entries.
    """
    texts: dict[str, bytes] | None = cat.derived.get(f"record-{form}")
    if texts is None:
        texts = {e.rel: cat.memo.value(record_key(cat, e, form), make, cat, e) for e in cat.published}
        cat.derived[f"record-{form}"] = texts
    return texts


def record_key(cat: Catalogue, entry: Entry, form: str) -> str:
    """Cache key of an entry's record in one form: it shows the entry and the 索引号 of its interpretations."""
    return fingerprint("record", form, cat.data_key, entry.rel, entry.digest,
                       stamps(cat.interpretations.get(entry.meta.index_no, [])))


def _array_item(cat: Catalogue, entry: Entry) -> bytes:
    """The record as :func:`json_bytes` lays it out inside an array: every line one space further in."""
    text = json.dumps(entry_record(cat, entry), ensure_ascii=False, indent=1, sort_keys=True)
    return "\n".join(" " + line for line in text.split("\n")).encode("utf-8")


def document_json(cat: Catalogue, entry: Entry) -> bytes:
    """``entries/<serial>.json`` bytes, reused while the entry, its interpretations, attachments and history stay."""
    key = fingerprint("document", record_key(cat, entry, "document"),
                      tuple(cat.digests.of(a.source) for a in entry.attachments), repr(cat.history.get(entry.rel, ())))
    return cat.memo.value(key, lambda: json_bytes(entry_document(cat, entry)))
