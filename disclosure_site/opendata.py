"""Machine-readable outputs: catalogue.json (可利用)."""

from __future__ import annotations

import json
from typing import Any

from . import urls
from .catalogue import Catalogue
from .entry_types import DocumentMeta, InterpretationMeta
from .models import Entry
from .writer import OutputFile


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
        "url": urls.absolute(cat.catalog.site.base_url, path),
        "interprets": meta.interprets if isinstance(meta, InterpretationMeta) else None,
        "interpretations": [i.meta.index_no for i in cat.interpretations.get(meta.index_no, [])],
    }


def catalogue_json(cat: Catalogue) -> list[OutputFile]:
    """``catalogue.json``: every published entry, newest first, then by 索引号."""
    records = [entry_record(cat, entry) for entry in cat.published]
    text = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return [OutputFile(urls.CATALOGUE_JSON, text.encode("utf-8"), origin="catalogue.json")]
