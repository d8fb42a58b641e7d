"""数据开放: dataset entries whose front matter names CSV files and declares their columns.

Each problem is reported where the editor fixes it: problems in a CSV's own text (encoding, empty
file, rows, cell values) point at that CSV file and its line; problems in how the entry names or
describes the file (missing, outside content/, not CSV, header not matching ``columns``) point at
the entry file, on the line of that ``data`` item.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core import values as v
from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR, MAX_CSV_BYTES, content_folder, is_file, read_limited, real_path
from ..core.privacy import find_personal_data
from ..core.published import published_size
from ..core.schema import FieldError, Vocabulary
from ..model.entry import Attachment, DataColumn, DataFile, EntryMeta
from ..model.types import DataFileRef, DatasetMeta
from .sources import RawEntry

PREVIEW_ROWS = 10
"""Rows shown in each file's preview table."""
MAX_BAD_CELLS = 5
"""Bad cells listed one by one per file; one more line counts the rest, so a wrong type is not 10 000 lines."""


@dataclass(frozen=True)
class _Place:
    """Where one ``data`` item's diagnostics go."""

    rel: str
    """The entry file."""
    item_line: int
    """Line of the ``data`` item in the entry."""
    columns_line: int
    """Line of the item's ``columns`` key."""
    csv_rel: str
    """The CSV file, relative to the site root."""


def check_datasets(raw: RawEntry, meta: EntryMeta, root: Path, report: Report) -> tuple[DataFile, ...]:
    """Every valid CSV of a dataset entry; each problem is reported and its file left out."""
    if not isinstance(meta, DatasetMeta):
        return ()
    content = content_folder(root)
    written = "数据文件" if "数据文件" in raw.front.data else "data"
    found = []
    for index, ref in enumerate(meta.data):
        item = raw.front.data[written][index]
        columns_key = "字段" if "字段" in item else "columns"
        target = real_path(raw.source.path.parent / ref.file)
        csv_rel = f"{CONTENT_DIR}/{target.relative_to(content).as_posix()}" if target.is_relative_to(content) else ""
        place = _Place(raw.source.rel, raw.front.line_of((written, index)),
                       raw.front.line_of((written, index, columns_key)), csv_rel)
        if _file_usable(ref, target, place, report):
            data_file = _read(ref, target, place, report)
            if data_file is not None:
                found.append(data_file)
    return tuple(found)


def _file_usable(ref: DataFileRef, target: Path, place: _Place, report: Report) -> bool:
    problem = None
    if not place.csv_rel:
        problem = "DATA_OUTSIDE", "在 content/ 之外，数据文件必须放在 content/ 文件夹内"
    elif not is_file(target):
        problem = "DATA_MISSING", "不存在（路径相对于本条目文件所在的文件夹）"
    elif target.suffix.lower() != ".csv":
        problem = "DATA_NOT_CSV", "不是 CSV 文件：数据文件应另存为「CSV UTF-8（逗号分隔）」，扩展名为 .csv"
    if problem is None:
        return True
    report.error(place.rel, place.item_line, problem[0], f"data（数据文件）：文件「{ref.file}」{problem[1]}")
    return False


def _read(ref: DataFileRef, target: Path, place: _Place, report: Report) -> DataFile | None:
    data = read_limited(target, place.csv_rel, MAX_CSV_BYTES, report)
    if data is None:
        return None
    text = _decode(data, place, report)
    records = None if text is None else _records(text, place, report)
    if text is None or records is None or not _header_matches(records, ref, place, report):
        return None
    rows = records[1:]
    if not rows:
        report.error(place.csv_rel, 1, "DATA_EMPTY", "数据文件只有表头，没有数据行：请在表头之后每行写一条记录")
        return None
    if not _values_match(rows, ref.columns, place, report):
        return None
    size = published_size(str(target))  # as published: formula-like cells gain a ' (see csvsafe)
    media = Attachment(ref.title, str(target), place.csv_rel.removeprefix(f"{CONTENT_DIR}/"), size, "text/csv",
                       "data", place.item_line)
    preview = tuple(tuple(row) for _, row in rows[:PREVIEW_ROWS])
    # One scan of the whole text; commas and line ends already separate the numbers of different cells.
    personal = tuple((text.count("\n", 0, found.start) + 1, found) for found in find_personal_data(text))
    return DataFile(ref.title, ref.columns, media, len(rows), preview, place.csv_rel, personal)


def _decode(data: bytes, place: _Place, report: Report) -> str | None:
    try:
        # Excel's 「CSV UTF-8」 starts with a byte-order mark; utf-8-sig accepts files with or without it.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(place.csv_rel, data[: exc.start].count(b"\n") + 1, "DATA_NOT_UTF8",
                     "数据文件不是 UTF-8 编码：请在 Excel 中「另存为」→「CSV UTF-8（逗号分隔）」，"
                     "或在编辑器中以 UTF-8（不是 GBK/GB2312）重新保存")
        return None


def _header_matches(records: list[tuple[int, list[str]]], ref: DataFileRef, place: _Place, report: Report) -> bool:
    if not records:
        report.error(place.csv_rel, 1, "DATA_EMPTY", "数据文件是空的：第 1 行应为表头（字段名称），其后每行一条记录")
        return False
    line, names = records[0]
    header = [name.strip() for name in names]
    declared = [column.name for column in ref.columns]
    if header != declared:
        report.error(place.rel, place.columns_line, "DATA_HEADER",
                     f"data（数据文件）：文件「{ref.file}」第 {line} 行的表头「{'、'.join(header)}」与 columns（字段）"
                     f"声明的「{'、'.join(declared)}」不一致，名称和顺序必须相同")
    return header == declared


def _records(text: str, place: _Place, report: Report) -> list[tuple[int, list[str]]] | None:
    """``(first line, cells)`` of every non-blank record; None after reporting a malformed one."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append((start, row))
            start = reader.line_num + 1
    except csv.Error:
        report.error(place.csv_rel, start, "DATA_MALFORMED",
                     f"第 {start} 行不是有效的 CSV：引号不配对或位置不对（值中含逗号、引号或换行时，"
                     "整个值应用英文双引号括起，值中的双引号写成两个 \"\"）")
        return None
    width = len(records[0][1]) if records else 0
    ragged = [(line, len(row)) for line, row in records if len(row) != width]
    for line, count in ragged:
        report.error(place.csv_rel, line, "DATA_MALFORMED",
                     f"第 {line} 行有 {count} 列，表头有 {width} 列：请检查该行的逗号（值中含逗号时，整个值应用英文双引号括起）")
    return None if ragged else records


_CHECKS = {
    "整数": (re.compile(r"[+-]?[0-9]+"), "整数（如 12、-3；不写千分位逗号和单位）"),
    "小数": (re.compile(r"[+-]?[0-9]+(\.[0-9]+)?"), "数字（如 3.14、12；不写千分位逗号和单位）"),
    "日期": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "有效日期，应写成 YYYY-MM-DD（如 2025-01-31）"),
}


def _values_match(rows: list[tuple[int, list[str]]], columns: tuple[DataColumn, ...], place: _Place,
                  report: Report) -> bool:
    """Every non-empty cell fits its column's type; the first few misfits are listed, the rest counted."""
    bad = list(_bad_cells(rows, columns))
    for line, column, value in bad[:MAX_BAD_CELLS]:
        report.error(place.csv_rel, line, "DATA_TYPE",
                     f"第 {line} 行「{column.name}」列的值「{value}」不是{_CHECKS[column.type][1]}{v.half_width_note(value)}")
    if len(bad) > MAX_BAD_CELLS:
        report.error(place.csv_rel, bad[MAX_BAD_CELLS][0], "DATA_TYPE",
                     f"另有 {len(bad) - MAX_BAD_CELLS} 个值与声明的类型不符，未逐一列出：请检查同一列的其他行")
    return not bad


def _bad_cells(rows: list[tuple[int, list[str]]], columns: tuple[DataColumn, ...]) -> Iterator[tuple[int, DataColumn, str]]:
    for line, row in rows:
        for column, cell in zip(columns, row, strict=True):
            value = cell.strip()
            if value and column.type in _CHECKS and not _fits(column.type, value):
                yield line, column, value


def _fits(kind: str, value: str) -> bool:
    if not _CHECKS[kind][0].fullmatch(value):
        return False
    if kind == "日期":
        try:
            v.date(value, Vocabulary())
        except FieldError:  # 2025-02-30 has the right shape but is no date
            return False
    return True


