"""The annual report's tables: table 二 counted from the catalogue, tables 二–四 laid out for the page and as CSV.

Table 二 (主动公开政府信息情况) for year Y counts only entries published on the build date:

* 规章 (documents with ``genre: 规章``) and 行政规范性文件 (documents with ``normative: true``):
  本年制发件数 — ``written`` (成文日期, required for documents) falls in Y;
  本年废止件数 — ``repealed`` (废止日期) falls in Y;
  现行有效件数 — written by 31 December Y and not repealed by then; without a ``repealed`` date a
  document marked 失效 or 废止 is left out, since when it lapsed is unknown.
* 行政许可 / 行政处罚 / 行政强制: enforcement entries with that ``action`` whose ``decided`` date
  (else the publication date) falls in Y.
* 行政事业性收费: the report's own ``fees`` (万元), as the office declared it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import markupsafe

from ..body.links import finish, finish_around
from ..model import annual_report as ar
from ..model.annual_report import AnnualReportMeta, Row
from ..model.body import Body, BodyLinks, Heading
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.types import DocumentMeta, EnforcementMeta
from ..outputs.exports import csv_cell
from .key_area_report import KeyAreaTable, key_area_table
from .key_area_report import csv_path as key_area_csv

ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
DECISIONS = "本年处理决定数量"
FEE_AMOUNT = "本年收费金额（单位：万元）"
CONTENT = "信息内容"


@dataclass(frozen=True)
class Figure:
    """One number of table 二 and, when it is counted, the published entries it counts."""

    label: str
    """Row label, e.g. 行政规范性文件."""
    measure: str
    """Column label, e.g. 本年制发件数."""
    value: str
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Block:
    """One 第二十条 item of table 二: its column labels and rows of figures."""

    clause: str
    measures: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]


def proactive_blocks(published: Iterable[Entry], year: int, fees: Decimal) -> tuple[Block, ...]:
    """Table 二 for ``year`` from published entries (see the module docstring for what counts)."""
    entries = list(published)
    documents = [e for e in entries if isinstance(e.meta, DocumentMeta)]
    rules = [e for e in documents if isinstance(e.meta, DocumentMeta) and e.meta.genre == "规章"]
    normative = [e for e in documents if isinstance(e.meta, DocumentMeta) and e.meta.normative]
    decided = [e for e in entries if isinstance(e.meta, EnforcementMeta)
               and (e.meta.decided or e.meta.published.date).year == year]
    return (
        Block("第二十条第（一）项", (ISSUED, REPEALED, IN_FORCE),
              (("规章", _document_figures("规章", rules, year)),
               ("行政规范性文件", _document_figures("行政规范性文件", normative, year)))),
        Block("第二十条第（五）项", (DECISIONS,), (_decisions(decided, "行政许可"),)),
        Block("第二十条第（六）项", (DECISIONS,), (_decisions(decided, "行政处罚"), _decisions(decided, "行政强制"))),
        Block("第二十条第（八）项", (FEE_AMOUNT,), (("行政事业性收费", (Figure("行政事业性收费", FEE_AMOUNT, str(fees)),)),)),
    )


def _document_figures(label: str, documents: list[Entry], year: int) -> tuple[Figure, ...]:
    issued = [e for e in documents if _document(e).written.year == year]
    repealed = [e for e in documents if (day := _document(e).repealed) is not None and day.year == year]
    in_force = [e for e in documents if _in_force(_document(e), year)]
    return tuple(Figure(label, measure, str(len(found)), tuple(found))
                 for measure, found in ((ISSUED, issued), (REPEALED, repealed), (IN_FORCE, in_force)))


def _document(entry: Entry) -> DocumentMeta:
    assert isinstance(entry.meta, DocumentMeta)
    return entry.meta


def _in_force(meta: DocumentMeta, year: int) -> bool:
    """In force on 31 December of ``year``."""
    if meta.written.year > year:
        return False
    if meta.repealed is not None:
        return meta.repealed.year > year
    return meta.validity not in ("失效", "废止")


def _decisions(decided: list[Entry], action: str) -> tuple[str, tuple[Figure, ...]]:
    """The year's decisions (``decided``: enforcement entries decided in the report's year) of one kind."""
    found = [e for e in decided if isinstance(e.meta, EnforcementMeta) and e.meta.action == action]
    return action, (Figure(action, DECISIONS, str(len(found)), tuple(found)),)


@dataclass(frozen=True)
class Cell:
    """One cell of a rendered table; ``attrs`` are written as given (id, headers, scope, spans)."""

    tag: str
    text: str
    attrs: tuple[tuple[str, str], ...] = ()


CellRow = tuple[Cell, ...]


@dataclass(frozen=True)
class TableView:
    """A table ready for the page (header rows, body groups) and for its CSV download."""

    number: int
    title: str
    head: tuple[CellRow, ...]
    groups: tuple[tuple[CellRow, ...], ...]
    csv_rows: tuple[tuple[str, ...], ...]
    note: str = ""

    @property
    def numeral(self) -> str:
        """二, 三 or 四."""
        return "一二三四五六"[self.number - 1]

    @property
    def heading(self) -> str:
        """The section heading of the official format, e.g. 二、主动公开政府信息情况."""
        return f"{self.numeral}、{self.title}"


def _th(text: str, ident: str, headers: Iterable[str] = (), **spans: int | str) -> Cell:
    attrs = [("id", ident)]
    attrs += [("headers", " ".join(headers))] if headers else []
    attrs += [(name, str(value)) for name, value in spans.items()]
    return Cell("th", text, tuple(attrs))


def _td(text: str, headers: Iterable[str], **spans: int) -> Cell:
    return Cell("td", text, (("headers", " ".join(headers)), *((n, str(v)) for n, v in spans.items())))


def table_two(blocks: tuple[Block, ...]) -> TableView:
    """Table 二: each 第二十条 item is a body group with its own header rows, tied to cells by ``headers``."""
    groups = []
    csv_rows: list[tuple[str, ...]] = [("条款", CONTENT, "统计项", "数值")]
    for number, block in enumerate(blocks, start=1):
        item = f"t2-b{number}"
        span = {"colspan": 3} if len(block.measures) == 1 else {}  # one measure fills the three number columns
        rows: list[CellRow] = [(_th(block.clause, item, colspan=4),)]
        rows.append((_th(CONTENT, f"{item}-c0", [item], scope="col"),
                     *(_th(m, f"{item}-c{i}", [item], scope="col", **span)
                       for i, m in enumerate(block.measures, start=1))))
        for index, (label, figures) in enumerate(block.rows, start=1):
            row_id = f"{item}-r{index}"
            rows.append((_th(label, row_id, [item, f"{item}-c0"], scope="row"),
                         *(_td(f.value, [item, f"{item}-c{i}", row_id], **span)
                           for i, f in enumerate(figures, start=1))))
            csv_rows += [(block.clause, label, f.measure, f.value) for f in figures]
        groups.append(tuple(rows))
    return TableView(2, "主动公开政府信息情况", (), tuple(groups), tuple(csv_rows))


def table_three(meta: AnnualReportMeta) -> TableView:
    """Table 三: three label columns (项目, 办理结果, 具体情形) and the seven applicant columns."""
    column_ids = [f"t3-c{i}" for i in range(len(ar.APPLICANT_COLUMNS))]
    legal = ["t3-applicant", "t3-legal"]
    head = (
        (Cell("td", "", (("rowspan", "3"), ("colspan", "3"))), _th(ar.APPLICANT_GROUP, "t3-applicant", colspan=7)),
        (_th(ar.APPLICANT_COLUMNS[0], column_ids[0], ["t3-applicant"], scope="col", rowspan=2),
         _th(ar.LEGAL_GROUP, "t3-legal", ["t3-applicant"], colspan=5),
         _th(ar.APPLICANT_COLUMNS[6], column_ids[6], ["t3-applicant"], scope="col", rowspan=2)),
        tuple(_th(ar.APPLICANT_COLUMNS[i], column_ids[i], legal, scope="col") for i in range(1, 6)),
    )
    column_headers = [["t3-applicant", column_ids[0]], *([*legal, column_ids[i]] for i in range(1, 6)),
                      ["t3-applicant", column_ids[6]]]
    rows = []
    csv_rows: list[tuple[str, ...]] = [("项目", "办理结果", "具体情形", ar.APPLICANT_COLUMNS[0],
                                        *(f"{ar.LEGAL_GROUP}（{c}）" for c in ar.APPLICANT_COLUMNS[1:6]), ar.APPLICANT_COLUMNS[6])]
    for index, row in enumerate(ar.APPLICATION_ROWS):
        labels, row_headers = _row_labels(row, index)
        numbers = meta.applications.rows[index]
        rows.append((*labels, *(_td(str(n), [*column_headers[i], *row_headers]) for i, n in enumerate(numbers))))
        csv_rows.append((*row, *("",) * (3 - len(row)), *map(str, numbers)))
    return TableView(3, "收到和处理政府信息公开申请情况", head, (tuple(rows),), tuple(csv_rows), ar.BALANCE_NOTE)


def _row_labels(row: Row, index: int) -> tuple[tuple[Cell, ...], list[str]]:
    """Header cells that start on this row and the ids of every header of the row.

    A heading (三、本年度办理结果, （三）不予公开 …) is written once and spans the rows under it.
    """
    ids: list[str] = []
    cells: list[Cell] = []
    for depth in range(1, len(row)):
        prefix = row[:depth]
        group = f"t3-g{_first_index(prefix)}"
        if _first_index(prefix) == index:
            cells.append(_th(prefix[-1], group, ids, rowspan=_count_under(prefix)))
        ids = [*ids, group]
    own = f"t3-r{index}"
    spans = {"colspan": 4 - len(row)} if len(row) < 3 else {}
    cells.append(_th(row[-1], own, ids, scope="row", **spans))
    return tuple(cells), [*ids, own]


def _first_index(prefix: Row) -> int:
    return next(i for i, row in enumerate(ar.APPLICATION_ROWS) if row[: len(prefix)] == prefix)


def _count_under(prefix: Row) -> int:
    return sum(1 for row in ar.APPLICATION_ROWS if row[: len(prefix)] == prefix)


def table_four(meta: AnnualReportMeta) -> TableView:
    """Table 四: 行政复议 and the two 行政诉讼 groups, five cells each, in one row."""
    groups = [f"t4-g{i}" for i in range(len(ar.REVIEW_ROWS))]
    top = (_th(ar.REVIEW_TREE[0][0], groups[0], colspan=5), _th(ar.LITIGATION, "t4-lit", colspan=10))
    second = (*(_th(c, f"{groups[0]}-c{i}", [groups[0]], scope="col", rowspan=2) for i, c in enumerate(ar.REVIEW_COLUMNS)),
              *(_th(row[-1], groups[g], ["t4-lit"], colspan=5) for g, row in enumerate(ar.REVIEW_ROWS) if g))
    third = tuple(_th(c, f"{groups[g]}-c{i}", ["t4-lit", groups[g]], scope="col")
                  for g in (1, 2) for i, c in enumerate(ar.REVIEW_COLUMNS))
    cells = tuple(_td(str(n), [*(["t4-lit"] if g else []), groups[g], f"{groups[g]}-c{i}"])
                  for g, numbers in enumerate(meta.reviews.rows) for i, n in enumerate(numbers))
    csv_rows: list[tuple[str, ...]] = [("类别", "情形", *ar.REVIEW_COLUMNS)]
    csv_rows += [(row[0], row[1] if len(row) > 1 else "", *map(str, meta.reviews.rows[g]))
                 for g, row in enumerate(ar.REVIEW_ROWS)]
    return TableView(4, "政府信息公开行政复议、行政诉讼情况", (top, second, third), ((cells,),), tuple(csv_rows))


def report_tables(cat: Catalogue, meta: AnnualReportMeta) -> tuple[tuple[Block, ...], tuple[TableView, ...]]:
    """Table 二's figures, and tables 二, 三 and 四 laid out."""
    blocks = proactive_blocks(cat.published, meta.year, meta.fees)
    return blocks, (table_two(blocks), table_three(meta), table_four(meta))


def csv_path(entry: Entry, number: int) -> str:
    """``entries/<serial>-table<n>.csv``, beside the report's page."""
    return f"entries/{entry.serial}-table{number}.csv"


def csv_bytes(rows: Iterable[tuple[str, ...]]) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, so spreadsheet programs open Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def report_csv_files(cat: Catalogue, entry: Entry) -> list[OutputFile]:
    """The CSV downloads of a published annual report: tables 二–四 and the key areas (nothing for other entries)."""
    if not isinstance(entry.meta, AnnualReportMeta):
        return []
    files = [OutputFile(csv_path(entry, table.number), csv_bytes(table.csv_rows), origin=entry.rel)
             for table in report_tables(cat, entry.meta)[1]]
    areas = key_area_table(cat, entry.meta.year)
    if areas is not None:
        rows = areas.csv_rows(cat.config.site.base_url)
        files.append(OutputFile(key_area_csv(entry), csv_bytes(rows), origin=entry.rel))
    return files


@dataclass(frozen=True)
class ReportPage:
    """What ``types/annual_report.html`` shows after the body's section 一."""

    tables: tuple[TableView, ...]
    csv: tuple[str, ...]
    """Output path of each table's CSV, in table order."""
    evidence: tuple[Figure, ...]
    """Table 二's counted figures, with the entries behind each."""
    closing_html: markupsafe.Markup
    """Sections 五 and 六 of the body."""
    key_areas: KeyAreaTable | None = None
    """重点领域信息公开情况, shown in section 二 after table 二; None without key areas in catalog.yaml."""
    key_areas_csv: str = ""
    """Output path of its CSV."""


def report_page(cat: Catalogue, entry: Entry, body: Body, linked: BodyLinks, page: str
                ) -> tuple[str, dict[str, ReportPage]]:
    """The body's HTML on ``page`` and, for an annual report, only up to section 五, with the ``report`` context."""
    meta = entry.meta
    if not isinstance(meta, AnnualReportMeta):
        return finish(body, linked, page), {}
    closing = _closing(body)
    opening, rest = finish_around(body, linked, page, closing) if closing else (finish(body, linked, page), "")
    blocks, tables = report_tables(cat, meta)
    evidence = tuple(f for block in blocks[:3] for _label, figures in block.rows for f in figures if f.entries)
    report = ReportPage(tables, tuple(csv_path(entry, t.number) for t in tables), evidence, markupsafe.Markup(rest),
                        key_area_table(cat, meta.year), key_area_csv(entry))
    return opening, {"report": report}


def _closing(body: Body) -> Heading | None:
    """The heading of section 五 (五、存在的主要问题及改进情况), where the generated tables go before."""
    return next((heading for heading in body.headings if heading.level == 2 and heading.text.startswith("五、")), None)
