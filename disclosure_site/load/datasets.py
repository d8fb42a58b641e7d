"""数据开放: dataset entries whose front matter names CSV files and declares their columns.

Reading and checking each file is :mod:`load.tables` (shared with lists); this keeps what a dataset adds:
its ``data`` items, the published file and the preview rows.
"""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR
from ..core.published import published_size
from ..model.entry import Attachment, DataFile, EntryMeta
from ..model.types import DataFileRef, DatasetMeta
from .sources import RawEntry
from .tables import TablePlace, csv_place, file_usable, personal_lines, read_table

PREVIEW_ROWS = 10
"""Rows shown in each file's preview table."""


def check_datasets(raw: RawEntry, meta: EntryMeta, root: Path, report: Report) -> tuple[DataFile, ...]:
    """Every valid CSV of a dataset entry; each problem is reported and its file left out."""
    if not isinstance(meta, DatasetMeta):
        return ()
    written = "数据文件" if "数据文件" in raw.front.data else "data"
    found = []
    for index, ref in enumerate(meta.data):
        item = raw.front.data[written][index]
        columns_key = "字段" if "字段" in item else "columns"
        target, csv_rel = csv_place(raw, root, ref.file)
        place = TablePlace(raw.source.rel, raw.front.line_of((written, index)),
                           raw.front.line_of((written, index, columns_key)), csv_rel)
        if file_usable(ref.file, target, place, report):
            data_file = _read(ref, target, place, report)
            if data_file is not None:
                found.append(data_file)
    return tuple(found)


def _read(ref: DataFileRef, target: Path, place: TablePlace, report: Report) -> DataFile | None:
    table = read_table(ref.file, ref.columns, target, place, report)
    if table is None:
        return None
    text, rows = table
    size = published_size(str(target))  # as published: formula-like cells gain a ' (see csvsafe)
    media = Attachment(ref.title, str(target), place.csv_rel.removeprefix(f"{CONTENT_DIR}/"), size, "text/csv",
                       "data", place.item_line)
    preview = tuple(tuple(row) for _, row in rows[:PREVIEW_ROWS])
    return DataFile(ref.title, ref.columns, media, len(rows), preview, place.csv_rel, personal_lines(text))

