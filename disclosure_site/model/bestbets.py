"""推荐 search results (best bets): the pages catalog.yaml's ``search.best_bets`` point to, found in this catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from . import urls
from .catalogue import Catalogue
from .site import BestBet


@dataclass(frozen=True)
class Recommendation:
    """A best bet whose target exists: what the search page shows first."""

    words: tuple[str, ...]
    """The words as written; the search page matches them inside the query."""
    path: str
    """Output path of the page."""
    title: str
    """Link text."""
    note: str
    """Line under the title; may be empty."""


@dataclass(frozen=True)
class Unresolved:
    """A best bet whose target is not a page of this build."""

    index: int
    """Position in ``search.best_bets``."""
    message: str
    """Why, in Chinese, for the editor."""


def target_path(cat: Catalogue, target: str) -> str | None:
    """The output path a target names: a generated page, a column id path, a key area id or a published 索引号."""
    if target in urls.LINKABLE_PAGES:
        return target
    column = cat.config.by_path.get(tuple(target.strip("/").split("/")))
    if column is not None:
        return urls.column_page(column)
    area = next((a for a in cat.config.key_areas if a.id == target), None)
    if area is not None:
        return urls.key_area_page(area)
    entry = cat.by_index.get(target)
    return urls.entry_page(entry) if entry is not None else None


def recommendations(cat: Catalogue) -> tuple[list[Recommendation], list[Unresolved]]:
    """Every best bet resolved against the published catalogue, and those that point nowhere."""
    found, missing = [], []
    for index, bet in enumerate(cat.config.search.best_bets):
        path = target_path(cat, bet.target)
        if path is None:
            missing.append(Unresolved(index, _why(cat, bet)))
        else:
            found.append(Recommendation(bet.words, path, bet.title, bet.note or ""))
    return found, missing


def _why(cat: Catalogue, bet: BestBet) -> str:
    # A withheld entry's title must not reach the search page, so an unpublished target is refused by name only.
    if bet.target in cat.every:
        return f"推荐结果的目标「{bet.target}」不是已发布的信息（依申请公开、不予公开、草稿或定时发布的信息不能推荐）"
    pages = "、".join(urls.LINKABLE_PAGES)
    return (f"推荐结果的目标「{bet.target}」不存在：应写生成的页面（{pages}）、栏目 id（如 documents/normative）、"
            "重点领域 id 或已发布信息的索引号")
