"""Rules on the catalogue as a whole: no blank columns (空白栏目), columns updated on time (检查指标), search settings."""

from __future__ import annotations

import datetime as dt

from ..core.diagnostics import Report
from ..model.bestbets import recommendations
from ..model.catalogue import Catalogue
from ..model.site import CATALOG_FILE, FRESHNESS_DAYS, Column

FRESHNESS_LABELS = {"news": "动态、要闻类栏目", "notices": "通知公告、政策文件类栏目"}


def no_blank_columns(cat: Catalogue, report: Report) -> None:
    """Every column shows at least one published entry; the inspection indicators count blank columns."""
    for column in cat.config.all_columns():
        if not cat.in_column(column):
            report.error(CATALOG_FILE, cat.config.line_of_column(column), "EMPTY_COLUMN",
                         f"栏目「{column.title}」（{column.path_text}）没有已发布的信息，属于空白栏目："
                         f"请在 content/{column.path_text}/ 发布信息，或从 catalog.yaml 删除该栏目")


def columns_updated(cat: Catalogue, report: Report) -> None:
    """Columns declaring ``freshness`` are updated within 14 days (news) or 6 months (notices)."""
    for column in cat.config.all_columns():
        entries = cat.in_column(column)
        if column.freshness and entries:
            newest = entries[0].meta.published.date
            limit = FRESHNESS_DAYS[column.freshness]
            if (cat.today - newest).days > limit:
                _stale(cat, column, newest, limit, report)


def _stale(cat: Catalogue, column: Column, newest: dt.date, limit: int, report: Report) -> None:
    assert column.freshness is not None
    report.warning(CATALOG_FILE, cat.config.line_of_column(column), "STALE_COLUMN",
                   f"栏目「{column.title}」（{column.path_text}）最近一次更新是 {newest.isoformat()}，"
                   f"距 {cat.today.isoformat()} 已 {(cat.today - newest).days} 天："
                   f"{FRESHNESS_LABELS[column.freshness]}应在 {limit} 天内更新（检查指标）")


def best_bets_exist(cat: Catalogue, report: Report) -> None:
    """Every 推荐 search result points to a page this build publishes."""
    for problem in recommendations(cat)[1]:
        line = cat.config.line_at(("search", "best_bets", problem.index, "target"))
        report.error(CATALOG_FILE, line, "BEST_BET_TARGET", problem.message)
