"""公共清单: the front matter of a list entry (its rows are checked by :mod:`load.lists`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core import values as v
from ..core.schema import FieldError, Vocabulary, key
from .entry import DataColumn, EntryMeta, at_least_one

LIST_KINDS = ("市场准入负面清单", "行政许可中介服务事项清单", "证照证明材料清单", "其他清单")
"""Kinds of 公共清单 the 工作要点 asks for (二(二)2(3), 3(2), 6(3)); 权责清单 items are ``power`` entries."""


def _cell(value: Any) -> str:
    """One cell of a row written in front matter: text, a whole number or a date as YAML reads them."""
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(f"值{value!r}应为文字；小数、是否等请加英文引号，例如 \"{value}\"")
    return value.strip()


def _rows(value: Any, _vocab: Vocabulary) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Rows written in front matter: a list of ``{字段名称: 值}`` mappings (checked against ``columns`` later)."""
    if not isinstance(value, list):
        raise FieldError("应为列表，每行以「- 」开头并写成「字段名称: 值」")
    rows = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise FieldError(f"第 {index + 1} 行应为「字段名称: 值」映射", at=(index,))
        cells = []
        for name, cell in item.items():
            try:
                cells.append((str(name).strip(), _cell(cell)))
            except FieldError as exc:
                raise FieldError(f"第 {index + 1} 行「{name}」：{exc.message}", at=(index, name)) from None
        rows.append(tuple(cells))
    return tuple(rows)


v.shaped(_rows, v.Shape("rows", vocabulary="columns"))


BASIS_WORD = "依据"
"""What a column's name says when it is the legal basis and ``basis_column`` does not name it."""


@dataclass(frozen=True, kw_only=True)
class ListMeta(EntryMeta):
    """公共清单: a table of items with declared columns, one of which is the legal basis (设定依据); rows in a CSV
    file or in front matter; versions link to each other."""

    kind: str | None = key("清单类别", v.choice(LIST_KINDS))
    """清单类别: 市场准入负面清单 | 行政许可中介服务事项清单 | 证照证明材料清单 | 其他清单."""
    version: str = key("版本", v.text, required=True)
    """版本, e.g. 2018年版 or 第2版."""
    adjusted: dt.date | None = key("调整日期", v.date)
    """Day this version was adopted (调整日期)."""
    replaces: str | None = key("替代版本", v.text)
    """索引号 of the list this version replaces; that list's page then says it has been replaced."""
    columns: tuple[DataColumn, ...] = key("字段", at_least_one(v.records(DataColumn)), required=True)
    """The columns, in order: ``{name, type, unit, description, required}`` as for a dataset's file."""
    basis_column: str | None = key("依据字段", v.text)
    """Name of the column that holds each row's legal basis (设定依据); no row may leave it empty. Without it, the one
    column whose name has 依据 in it (设定依据, 法律依据 …) is that column."""
    file: str | None = key("清单文件", v.text)
    """CSV file with the rows (header = the column names), relative to the entry; or write ``rows`` instead."""
    rows: tuple[tuple[tuple[str, str], ...], ...] = key("清单行", _rows, default=())
    """Rows written in front matter, each ``{字段名称: 值}``; for short lists instead of ``file``."""

    def basis_name(self) -> str | None:
        """The legal-basis column's name: ``basis_column``, else the only column named with 依据, else None."""
        if self.basis_column is not None:
            return self.basis_column
        named = [column.name for column in self.columns if BASIS_WORD in column.name]
        return named[0] if len(named) == 1 else None
