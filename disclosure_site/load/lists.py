"""公共清单: a list entry's rows, from its CSV file or its front matter, checked against its declared columns.

The CSV is read and checked exactly as a dataset's (:mod:`load.tables`); rows written in front matter get the
same cell checks, at the lines of the entry file. On top of that every row must name its legal basis.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..core.diagnostics import Report
from ..model.entry import DataColumn, EntryMeta, ListTable
from ..model.lists import BASIS_WORD, ListMeta
from .files import written_key
from .sources import RawEntry
from .tables import MAX_BAD_CELLS, Row, TablePlace, cells_fit, csv_place, file_usable, personal_lines, read_table


def check_list(raw: RawEntry, meta: EntryMeta, root: Path, report: Report) -> ListTable | None:
    """The list's rows when every one is valid; each problem is reported and the table left out."""
    if not isinstance(meta, ListMeta):
        return None
    rel, front = raw.source.rel, raw.front
    names = [column.name for column in meta.columns]
    basis_name = meta.basis_name()
    if basis_name not in names:
        _no_basis(raw, meta, names, report)
        return None
    basis = names.index(basis_name)
    if (meta.file is None) == (not meta.rows):
        say = "同时写了 file（清单文件）和 rows（清单行），只能用其一" if meta.file else \
            "缺少清单内容：请用 file（清单文件）指向 CSV 文件，或在 rows（清单行）中逐行填写"
        report.error(rel, front.line_of((written_key(front.data, "rows", "清单行"),)) if meta.file else 1,
                     "LIST_NO_ROWS" if meta.file is None else "LIST_TWO_SOURCES", say)
        return None
    if meta.file is not None:
        return _from_file(raw, meta, basis, root, report)
    rows = _front_rows(raw, meta, basis, report)
    if rows is None or not _filled(rows, meta, basis, rel, report):
        return None
    return ListTable(meta.columns, tuple(tuple(row) for _, row in rows), basis)


def _from_file(raw: RawEntry, meta: ListMeta, basis: int, root: Path, report: Report) -> ListTable | None:
    assert meta.file is not None
    front = raw.front
    target, csv_rel = csv_place(raw, root, meta.file)
    place = TablePlace(raw.source.rel, front.line_of((written_key(front.data, "file", "清单文件"),)),
                       front.line_of((written_key(front.data, "columns", "字段"),)), csv_rel, "file（清单文件）")
    if not file_usable(meta.file, target, place, report):
        return None
    table = read_table(meta.file, _without_required(meta.columns, basis), target, place, report)
    if table is None:
        return None
    text, rows = table
    if not _filled(rows, meta, basis, csv_rel, report):
        return None
    return ListTable(meta.columns, tuple(tuple(cell.strip() for cell in row) for _, row in rows), basis,
                     str(target), csv_rel, personal_lines(text))


def _no_basis(raw: RawEntry, meta: ListMeta, names: list[str], report: Report) -> None:
    front = raw.front
    if meta.basis_column is not None:
        report.error(raw.source.rel, front.line_of((written_key(front.data, "basis_column", "依据字段"),)),
                     "LIST_BASIS_COLUMN", f"basis_column（依据字段）「{meta.basis_column}」不是 columns（字段）中的名称："
                     f"应为其中写设定依据的一列（{'、'.join(names)}）")
        return
    named = [name for name in names if BASIS_WORD in name]
    report.error(raw.source.rel, front.line_of((written_key(front.data, "columns", "字段"),)), "LIST_BASIS_COLUMN",
                 (f"有 {len(named)} 列的名称含「{BASIS_WORD}」（{'、'.join(named)}）" if named else
                  f"columns（字段）中没有名称含「{BASIS_WORD}」的列")
                 + "：清单的每一项都要写明设定依据，请用 basis_column（依据字段）写明是哪一列")


def _without_required(columns: tuple[DataColumn, ...], basis: int) -> tuple[DataColumn, ...]:
    """The columns with the basis column's own emptiness left to :func:`_filled` (LIST_BASIS_EMPTY, said once)."""
    return tuple(dataclasses.replace(c, required=False) if i == basis else c for i, c in enumerate(columns))


def _front_rows(raw: RawEntry, meta: ListMeta, basis: int, report: Report) -> list[Row] | None:
    """``rows`` as cells in column order with each row's line; a cell under no declared column is an error."""
    front = raw.front
    written = written_key(front.data, "rows", "清单行")
    names = [column.name for column in meta.columns]
    rows: list[Row] = []
    unknown = False
    for index, row in enumerate(meta.rows):
        cells = dict(row)
        for name in cells:
            if name not in names:
                unknown = True
                report.error(raw.source.rel, front.line_of((written, index, name)), "LIST_ROW_KEY",
                             f"rows（清单行）第 {index + 1} 行的「{name}」不是 columns（字段）中的名称："
                             f"应为 {'、'.join(names)} 之一")
        rows.append((front.line_of((written, index)), [cells.get(name, "") for name in names]))
    if unknown or not cells_fit(rows, _without_required(meta.columns, basis),
                                raw.source.rel, report):
        return None
    return rows


def _filled(rows: list[Row], meta: ListMeta, basis: int, rel: str, report: Report) -> bool:
    """Every row names its legal basis; the first few empty ones are listed at their lines, the rest counted."""
    empty = [line for line, row in rows if not row[basis].strip()]
    name = meta.columns[basis].name
    for line in empty[:MAX_BAD_CELLS]:
        report.error(rel, line, "LIST_BASIS_EMPTY",
                     f"第 {line} 行「{name}」列为空：清单的每一项都要写明设定依据"
                     "（法律、法规、规章或国务院决定的名称和条款）")
    if len(empty) > MAX_BAD_CELLS:
        report.error(rel, empty[MAX_BAD_CELLS], "LIST_BASIS_EMPTY",
                     f"另有 {len(empty) - MAX_BAD_CELLS} 行「{name}」列为空，未逐一列出：请检查同一列的其他行")
    return not empty
