"""政府信息公开工作年度报告: the content model and the official layout of its tables.

Labels are verbatim from the national format (国办公开办函〔2021〕30号). The office types tables 三 and 四
as YAML blocks keyed by those labels; table 二 is computed from the catalogue (:mod:`annual_tables`), and
the sums the format requires are checked by :mod:`annual_rules`, which can report every broken row at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core import values as v
from ..core.schema import FieldError, Parser, Vocabulary, key
from .entry import EntryMeta

Row = tuple[str, ...]
"""A row of a typed table as the path of labels from the top, e.g. ``("三、本年度办理结果", "（一）予以公开")``."""
Tree = tuple[tuple[str, "Tree"], ...]
"""Rows of a table as nested labels; a label with no children holds a list of numbers."""

APPLICANT_GROUP = "申请人情况"
LEGAL_GROUP = "法人或其他组织"
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
"""Table 三's seven number columns in the official order; the middle five sit under 法人或其他组织."""
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
TOTAL = "（七）总计"
CARRIED_OVER = "四、结转下年度继续办理"

_OUTCOMES: Tree = (
    ("（一）予以公开", ()),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("（三）不予公开", tuple((label, ()) for label in (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"))),
    ("（四）无法提供", tuple((label, ()) for label in (
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"))),
    ("（五）不予处理", tuple((label, ()) for label in (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息"))),
    ("（六）其他处理", tuple((label, ()) for label in (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"))),
)
APPLICATION_TREE: Tree = ((NEW, ()), (CARRIED_IN, ()), (RESULTS, (*_OUTCOMES, (TOTAL, ()))), (CARRIED_OVER, ()))
"""Table 三 (收到和处理政府信息公开申请情况): (三)–(六) are headings over their numbered rows, not subtotals."""

LITIGATION = "行政诉讼"
REVIEW_TREE: Tree = (("行政复议", ()), (LITIGATION, (("未经复议直接起诉", ()), ("复议后起诉", ()))))
"""Table 四 (政府信息公开行政复议、行政诉讼情况): three groups of five cells."""
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def leaves(tree: Tree, above: Row = ()) -> tuple[Row, ...]:
    """The rows that hold numbers, top to bottom."""
    found: list[Row] = []
    for label, children in tree:
        found += leaves(children, (*above, label)) if children else [(*above, label)]
    return tuple(found)


APPLICATION_ROWS = leaves(APPLICATION_TREE)
"""Table 三's 25 rows of numbers."""
OUTCOME_ROWS = tuple(row for row in APPLICATION_ROWS if row[0] == RESULTS and row[-1] != TOTAL)
"""Rows whose sum is （七）总计: （一）, （二） and every numbered row under （三）–（六）."""
REVIEW_ROWS = leaves(REVIEW_TREE)


def row_name(row: Row) -> str:
    """How messages name a row: its labels from the top, e.g. 「三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密」."""
    return " / ".join(row)


@dataclass(frozen=True)
class Table:
    """Numbers typed into one official table, one tuple per row in the official order."""

    rows: tuple[tuple[int, ...], ...]

    def row(self, row: Row, order: tuple[Row, ...]) -> tuple[int, ...]:
        """The numbers of ``row`` (a member of ``order``)."""
        return self.rows[order.index(row)]


def _table_parser(tree: Tree, columns: tuple[str, ...]) -> Parser:
    """A YAML mapping shaped like ``tree`` whose rows are lists of ``len(columns)`` non-negative integers."""
    def parse(value: Any, _vocab: Vocabulary) -> Table:
        cells: dict[Row, tuple[int, ...]] = {}
        _read_level(value, tree, columns, (), cells)
        return Table(tuple(cells[row] for row in leaves(tree)))
    return v.shaped(parse, v.Shape("table", rows=leaves(tree), columns=columns))


def _read_level(value: Any, tree: Tree, columns: tuple[str, ...], above: Row, cells: dict[Row, tuple[int, ...]]) -> None:
    labels = [label for label, _ in tree]
    where = f"「{row_name(above)}」下" if above else ""
    if not isinstance(value, dict):
        raise FieldError(f"{where}应为「行名: 数值」的映射，行名为：{'、'.join(labels)}；请复制编辑手册中的年度报告模板",
                         "REPORT_TABLE_SHAPE", above)
    for raw_key in value:
        if str(raw_key) not in labels:
            raise FieldError(f"{where}未知的行「{raw_key}」：应为 {'、'.join(labels)}（按格式原文填写）",
                             "REPORT_TABLE_SHAPE", (*above, str(raw_key)))
    for label, children in tree:
        row = (*above, label)
        if label not in value:
            raise FieldError(f"缺少行「{row_name(row)}」：没有数据的行也要填 0", "REPORT_TABLE_SHAPE", above)
        if children:
            _read_level(value[label], children, columns, row, cells)
        else:
            cells[row] = _read_row(value[label], row, columns)


def _read_row(value: Any, row: Row, columns: tuple[str, ...]) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != len(columns):
        count = f"现在有 {len(value)} 个" if isinstance(value, list) else "现在不是列表"
        raise FieldError(f"行「{row_name(row)}」应为 {len(columns)} 个数的列表，依次为 {'、'.join(columns)}；{count}",
                         "REPORT_TABLE_SHAPE", row)
    for index, cell in enumerate(value):
        if isinstance(cell, bool) or not isinstance(cell, int) or cell < 0:
            raise FieldError(f"行「{row_name(row)}」列「{columns[index]}」：值「{cell}」应为非负整数（没有时填 0）"
                             f"{v.half_width_note(cell)}",
                             "REPORT_CELL", (*row, index))
    return tuple(value)


_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,4})?")


def amount(value: Any, _vocab: Vocabulary) -> Decimal:
    """A non-negative amount in 万元 with at most 4 decimals (1 元); quoted text keeps trailing zeros as written."""
    text = repr(value) if isinstance(value, float) else value if isinstance(value, str) else str(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str) or not _AMOUNT.fullmatch(text.strip()):
        raise FieldError(f"值「{value}」应为以万元为单位的非负金额，最多 4 位小数，例如 0 或 1.25{v.half_width_note(value)}")
    return Decimal(text.strip())


v.shaped(amount, v.Shape("amount"))


@dataclass(frozen=True, kw_only=True)
class AnnualReportMeta(EntryMeta):
    """政府信息公开工作年度报告 for one calendar year (条例 第四十九条、第五十条).

    The body holds the narrative sections 一、五、六; tables 二–四 are rendered from the data below.
    """

    year: int = key("年度", v.integer(2021, 2100), required=True)
    """Year reported on (1 January – 31 December); the 2021 format applies from the 2021 report on."""
    fees: Decimal = key("行政事业性收费", amount, default=Decimal(0))
    """本年收费金额 in 万元 for table 二's 行政事业性收费 row, as declared by the office."""
    applications: Table = key("申请情况", _table_parser(APPLICATION_TREE, APPLICANT_COLUMNS), required=True)
    """Table 三: each of its 25 rows → 7 numbers (自然人, five kinds of 法人或其他组织, 总计)."""
    reviews: Table = key("复议诉讼", _table_parser(REVIEW_TREE, REVIEW_COLUMNS), required=True)
    """Table 四: 行政复议 and the two 行政诉讼 groups → 5 numbers each (结果维持 … 总计)."""
