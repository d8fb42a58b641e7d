"""Data exports beside catalogue.json: the CSV, each column's slice, one JSON file per entry, and the schemas.

Every file holds published entries only (it is built from ``cat.published``) and is laid out
deterministically, so two builds of the same content on the same date are byte-identical.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from ..core.csvsafe import safe_cell
from ..model import urls
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.entry import Entry
from ..model.output import OutputFile
from .dataschema import schema_files
from .opendata import RecordSource, RecordTexts, document_json, entry_record, json_item, record_texts, records_json

CSV_COLUMNS = (
    "index_no", "title", "column", "type", "published", "written", "doc_no", "publisher", "department", "topic",
    "keywords", "key_areas", "summary", "validity", "interprets", "interpretations", "path", "data_path", "url",
    "implements", "implementations",
)
"""Column order of every catalogue.csv (documented in the README); one per key of a catalogue record."""
LIST_SEPARATOR = "；"
"""Joins list values (主题词, 重点领域, 解读) inside one CSV cell."""


def all_record_texts(cat: Catalogue) -> RecordTexts:
    """Every published entry's record in both layouts, for :func:`catalogue_json` and :func:`export_files`."""
    return RecordTexts(record_texts(cat, "json", json_item), record_texts(cat, "csv", _csv_row))


def export_files(edition: Edition, records: RecordTexts) -> Iterator[OutputFile]:
    """``catalogue.csv``, each column's ``catalogue.json`` / ``.csv``, ``entries/<serial>.json`` and ``schema/``.

    Made one at a time, so a large catalogue's files are written as they come instead of all held at once.
    """
    cat = edition.catalogue
    yield OutputFile(urls.CATALOGUE_CSV, records_csv(records, cat.published), origin="catalogue.csv")
    for column in cat.config.all_columns():
        # Like the column's HTML list, a parent column's files include its sub-columns' entries.
        entries = cat.in_column(column)
        origin = f"栏目 {column.path_text}"
        yield OutputFile(urls.column_data(column, "json"), records_json(records, entries), origin=origin)
        yield OutputFile(urls.column_data(column, "csv"), records_csv(records, entries), origin=origin)
    for entry in cat.published:
        yield entry_file(edition, entry)
    yield from schema_files(cat.config.site.base_url)


def entry_file(edition: Edition, entry: Entry) -> OutputFile:
    """``entries/<serial>.json`` beside the entry's page."""
    return OutputFile(urls.entry_data(entry), document_json(edition, entry), origin=entry.rel)


def records_csv(records: RecordTexts, entries: list[Entry]) -> bytes:
    """:func:`csv_bytes` of the entries' records, assembled from each record's row."""
    rows = [records.csv[e.rel] for e in entries]
    return ("\ufeff" + _csv_line(list(CSV_COLUMNS))).encode("utf-8") + b"".join(rows)


def _csv_row(source: RecordSource) -> bytes:
    record = entry_record(source)
    return _csv_line([csv_cell(record[name]) for name in CSV_COLUMNS]).encode("utf-8")


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def csv_bytes(records: Iterable[dict[str, Any]]) -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting) in UTF-8 with a BOM, so Excel and WPS read the Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([csv_cell(record[name]) for name in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def csv_cell(value: object) -> str:
    """A value as the text of a generated CSV cell: ``null`` is empty, a list is joined with ``；``, and text a
    spreadsheet would run as a formula gets a leading ``'`` (:func:`csvsafe.safe_cell`). Every CSV the site
    generates writes its cells through here."""
    if value is None:
        return ""
    if isinstance(value, list):
        return safe_cell(LIST_SEPARATOR.join(str(item) for item in value))
    return safe_cell(str(value))
