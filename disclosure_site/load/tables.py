"""Declared tables: a CSV file, or rows written in front matter, checked against declared columns.

Datasets (数据开放) and lists (公共清单) share this: the same file sandbox, reading, header check and
cell checks, so a CSV accepted in one is accepted in the other and every message is the same. Problems in a
CSV's own text (encoding, empty file, rows, cell values) point at that CSV file and its line; problems in how
the entry names or describes the file point at the entry file, on the line of the key that names it.
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
from ..core.privacy import Finding, find_personal_data
from ..core.schema import FieldError, Vocabulary
from ..model.entry import DataColumn
from .sources import RawEntry

MAX_BAD_CELLS = 5
"""Bad cells listed one by one per file and problem; one more line counts the rest, so a wrong type is not
10 000 lines."""

Row = tuple[int, list[str]]
"""A record: the line it starts on and its cells."""


@dataclass(frozen=True)
class TablePlace:
    """Where one table's diagnostics go."""

    rel: str
    """The entry file."""
    item_line: int
    """Line of the key (or list item) that names the CSV."""
    columns_line: int
    """Line of the ``columns`` key the header must match."""
    csv_rel: str
    """The CSV file, relative to the site root; empty when it lies outside content/."""
    label: str = "data（数据文件）"
    """The naming key as messages show it."""


def csv_place(raw: RawEntry, root: Path, file: str) -> tuple[Path, str]:
    """The CSV ``file`` (relative to the entry) with symlinks resolved, and its path from the site root
    (empty when outside content/)."""
    content = content_folder(root)
    target = real_path(raw.source.path.parent / file)
    csv_rel = f"{CONTENT_DIR}/{target.relative_to(content).as_posix()}" if target.is_relative_to(content) else ""
    return target, csv_rel


def file_usable(file: str, target: Path, place: TablePlace, report: Report) -> bool:
    """The file lies inside content/, exists and is named .csv; otherwise reported at the naming key."""
    problem = None
    if not place.csv_rel:
        problem = "DATA_OUTSIDE", "在 content/ 之外，数据文件必须放在 content/ 文件夹内"
    elif not is_file(target):
        problem = "DATA_MISSING", "不存在（路径相对于本条目文件所在的文件夹）"
    elif target.suffix.lower() != ".csv":
        problem = "DATA_NOT_CSV", "不是 CSV 文件：数据文件应另存为「CSV UTF-8（逗号分隔）」，扩展名为 .csv"
    if problem is None:
        return True
    report.error(place.rel, place.item_line, problem[0], f"{place.label}：文件「{file}」{problem[1]}")
    return False


def read_table(file: str, columns: tuple[DataColumn, ...], target: Path, place: TablePlace,
               report: Report) -> tuple[str, list[Row]] | None:
    """The CSV's text and data rows when it is readable, matches ``columns`` and every cell fits; else None."""
    data = read_limited(target, place.csv_rel, MAX_CSV_BYTES, report)
    if data is None:
        return None
    text = _decode(data, place, report)
    records = None if text is None else _records(text, place, report)
    if text is None or records is None or not _header_matches(records, file, columns, place, report):
        return None
    rows = records[1:]
    if not rows:
        report.error(place.csv_rel, 1, "DATA_EMPTY", "数据文件只有表头，没有数据行：请在表头之后每行写一条记录")
        return None
    return (text, rows) if cells_fit(rows, columns, place.csv_rel, report) else None


def _decode(data: bytes, place: TablePlace, report: Report) -> str | None:
    try:
        # Excel's 「CSV UTF-8」 starts with a byte-order mark; utf-8-sig accepts files with or without it.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(place.csv_rel, data[: exc.start].count(b"\n") + 1, "DATA_NOT_UTF8",
                     "数据文件不是 UTF-8 编码：请在 Excel 中「另存为」→「CSV UTF-8（逗号分隔）」，"
                     "或在编辑器中以 UTF-8（不是 GBK/GB2312）重新保存")
        return None


def _header_matches(records: list[Row], file: str, columns: tuple[DataColumn, ...], place: TablePlace,
                    report: Report) -> bool:
    if not records:
        report.error(place.csv_rel, 1, "DATA_EMPTY", "数据文件是空的：第 1 行应为表头（字段名称），其后每行一条记录")
        return False
    line, names = records[0]
    header = [name.strip() for name in names]
    declared = [column.name for column in columns]
    if header != declared:
        report.error(place.rel, place.columns_line, "DATA_HEADER",
                     f"{place.label}：文件「{file}」第 {line} 行的表头「{'、'.join(header)}」与 columns（字段）"
                     f"声明的「{'、'.join(declared)}」不一致，名称和顺序必须相同")
    return header == declared


def _records(text: str, place: TablePlace, report: Report) -> list[Row] | None:
    """``(first line, cells)`` of every non-blank record; None after reporting a malformed one."""
    records: list[Row] = []
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


def cells_fit(rows: list[Row], columns: tuple[DataColumn, ...], rel: str, report: Report) -> bool:
    """Every non-empty cell fits its column's type and no required cell is empty; the first few misfits of each
    kind are listed at their rows' lines in ``rel``, the rest counted."""
    bad = list(_bad_cells(rows, columns))
    for line, column, value in bad[:MAX_BAD_CELLS]:
        report.error(rel, line, "DATA_TYPE",
                     f"第 {line} 行「{column.name}」列的值「{value}」不是{_CHECKS[column.type][1]}{v.half_width_note(value)}")
    _count_rest([line for line, _, _ in bad], rel, "DATA_TYPE", "个值与声明的类型不符", report)
    empty = [(line, column) for line, row in rows for column, cell in zip(columns, row, strict=True)
             if column.required and not cell.strip()]
    for line, column in empty[:MAX_BAD_CELLS]:
        report.error(rel, line, "DATA_REQUIRED",
                     f"第 {line} 行「{column.name}」列为空：该列在 columns（字段）中声明为必填（required），每行都要填写")
    _count_rest([line for line, _ in empty], rel, "DATA_REQUIRED", "个必填的值为空", report)
    return not bad and not empty


def _count_rest(lines: list[int], rel: str, code: str, what: str, report: Report) -> None:
    """One line for the problems beyond the first :data:`MAX_BAD_CELLS`, at the first of them."""
    if len(lines) > MAX_BAD_CELLS:
        report.error(rel, lines[MAX_BAD_CELLS], code,
                     f"另有 {len(lines) - MAX_BAD_CELLS} {what}，未逐一列出：请检查同一列的其他行")


def _bad_cells(rows: list[Row], columns: tuple[DataColumn, ...]) -> Iterator[tuple[int, DataColumn, str]]:
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


def personal_lines(text: str) -> tuple[tuple[int, Finding], ...]:
    """Unmasked personal numbers in a CSV's text with their lines (one scan: commas and line ends already
    separate the numbers of different cells)."""
    return tuple((text.count("\n", 0, found.start) + 1, found) for found in find_personal_data(text))
