"""What the search page knows: facets on each entry page, filter choices, and the exact-lookup table.

Pagefind segments Chinese text into words, so a 文号 such as 汕环〔2018〕429号 or a 索引号 is
split apart and a quoted phrase can miss. People searching a catalogue often paste exactly
such an identifier, so the build also publishes a small table from every 索引号, 后段码, 文号
and 标题 to its page. The table is cut into buckets by a hash of the normalised key, so a
query downloads one small file however large the catalogue grows.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from typing import Any

from ..model import urls
from ..model.bestbets import recommendations
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.output import OutputFile
from ..model.site import SiteConfig
from ..model.types import DocumentMeta

FILTERS = (("column", "栏目"), ("year", "年份"), ("topic", "主题分类"), ("publisher", "发布机构"), ("area", "重点领域"))
"""Query-string name and Pagefind filter name of each search filter, in the order the form shows them."""
EXACT_FOLDER = "search/exact"
KEYS_PER_BUCKET = 256
"""Aim for buckets of a few kilobytes: small enough for one quick request on a phone."""

_BRACKETS = str.maketrans({"[": "〔", "［": "〔", "【": "〔", "(": "〔", "（": "〔", "〖": "〔",
                           "]": "〕", "］": "〕", "】": "〕", ")": "〕", "）": "〕", "〗": "〕"})


def normalise(text: str) -> str:
    """The lookup form of an identifier: width-folded, lower case, no spaces, one bracket style.

    Editors and the public type 〔2018〕, [2018], （2018） or 【2018】 for the same 文号.
    ``templates/assets/search.js`` applies exactly the same steps to the query.
    """
    folded = unicodedata.normalize("NFKC", text).lower().translate(_BRACKETS)
    return "".join(ch for ch in folded if not ch.isspace())


def bucket_of(key: str, buckets: int) -> int:
    """32-bit FNV-1a of the UTF-8 key, modulo the bucket count (mirrored in search.js)."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def bucket_count(cat: Catalogue) -> int:
    """A power of two, so the count changes rarely as the catalogue grows."""
    keys = 4 * len(cat.published)
    return 1 << max(0, math.ceil(math.log2(max(1, keys / KEYS_PER_BUCKET))))


def exact_keys(entry: Entry) -> list[str]:
    """Everything someone may paste to find this entry."""
    meta = entry.meta
    keys = [meta.index_no, entry.serial, meta.title]
    if isinstance(meta, DocumentMeta) and meta.doc_no:
        keys.append(meta.doc_no)
    return sorted({normalise(k) for k in keys})


def exact_lookup_files(cat: Catalogue) -> list[OutputFile]:
    """``search/exact/<n>.json``: normalised key → ``[[path, title, date, column], …]``."""
    buckets = bucket_count(cat)
    table: dict[int, dict[str, list[list[str]]]] = defaultdict(lambda: defaultdict(list))
    for entry in cat.published:
        hit = [urls.entry_page(entry), entry.meta.title, entry.meta.published.date.isoformat(), column_label(cat.config, entry)]
        for key in exact_keys(entry):
            table[bucket_of(key, buckets)][key].append(hit)
    return [_bucket_file(n, table.get(n, {})) for n in range(buckets)]


def _bucket_file(number: int, keys: dict[str, list[list[str]]]) -> OutputFile:
    text = json.dumps(keys, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return OutputFile(f"{EXACT_FOLDER}/{number}.json", text.encode("utf-8"), origin="search")


def search_facets(config: SiteConfig, entry: Entry) -> list[tuple[str, str, str]]:
    """``(meta|filter|sort, name, value)`` triples an entry page carries for Pagefind."""
    return [("meta", "date", entry.meta.published.date.isoformat()),
            ("sort", "date", entry.meta.published.date.isoformat()),
            ("meta", "column", column_label(config, entry)),
            *(("filter", name, value) for name, values in facet_values(config, entry).items() for value in values)]


def best_bets(cat: Catalogue) -> list[dict[str, Any]]:
    """The search page's 推荐 results: words in lookup form (as the page folds the query), page, title and note."""
    return [{"words": sorted({normalise(word) for word in bet.words}), "path": bet.path, "title": bet.title,
             "note": bet.note} for bet in recommendations(cat)[0]]


def column_label(config: SiteConfig, entry: Entry) -> str:
    """``文件 / 规范性文件``: the column path as readers see it."""
    return " / ".join(c.title for c in config.trail(entry.column_path))


def facet_values(config: SiteConfig, entry: Entry) -> dict[str, list[str]]:
    """The entry's value(s) for each search filter, by Pagefind filter name."""
    meta = entry.meta
    areas = {area.id: area.title for area in config.key_areas}
    return {
        "栏目": [config.by_path[entry.column_path[:1]].title],
        "年份": [str(meta.published.date.year)],
        "主题分类": [meta.topic] if meta.topic else [],
        "发布机构": [meta.publisher or config.site.name],
        "重点领域": [areas[a] for a in meta.key_areas if a in areas],
    }


def filter_choices(cat: Catalogue) -> list[tuple[str, str, list[str]]]:
    """``(query name, label, choices)`` for the search form, from published entries only."""
    seen: dict[str, set[str]] = defaultdict(set)
    for entry in cat.published:
        for name, values in facet_values(cat.config, entry).items():
            seen[name].update(values)
    order = {"栏目": [c.title for c in cat.config.columns], "重点领域": [a.title for a in cat.config.key_areas]}
    return [(query, label, _ordered(seen[label], order.get(label), newest_first=label == "年份"))
            for query, label in FILTERS]


def _ordered(values: set[str], preferred: list[str] | None, newest_first: bool) -> list[str]:
    if preferred is not None:
        return [v for v in preferred if v in values]
    return sorted(values, reverse=newest_first)
