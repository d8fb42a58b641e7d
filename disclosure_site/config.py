"""catalog.yaml: the bureau's identity, vocabularies, column tree and key areas."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import values as v
from .diagnostics import ADJUSTABLE_RULES, SEVERITY_NAMES, Report, Severity
from .entry_types import MODELS
from .inputs import MAX_CATALOG_BYTES, SourceFileError, read_limited, utf8_text
from .schema import FieldError, Issue, Vocabulary, build, key
from .yamlsource import YamlProblem, parse_yaml

CATALOG_FILE = "catalog.yaml"

ENTRY_TYPES = tuple(MODELS)
"""Content types a column can hold; the column's type decides the front-matter schema."""

FIXED_COLUMNS = {
    "organization": "organization", "documents": "document", "interpretations": "interpretation",
    "enforcement": "enforcement", "guides": "guide", "budgets": "budget", "news": "news",
}
"""First-level column ids every catalogue has (the seed's columns plus 政策解读), with their types."""

FRESHNESS_DAYS = {"news": 14, "notices": 183}
"""Inspection thresholds (检查指标): days after which a column of this kind counts as not updated."""

SEED_DEPARTMENTS = ("办公室", "法制科", "监察分局", "环保窗口", "信息中心")
"""Units the 2018 work plan assigns tasks to; the departments vocabulary must contain them."""

RESERVED_IDS = frozenset({"entries", "key-areas", "assets", "attachments", "files", "search", "pagefind", "data", "forms"})
"""Top-level output folders of the generator; a first-level column may not use them."""

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]|[0-9A-HJ-NPQRTUWXY]{18}")


def _org_code(value: Any, vocab: Vocabulary) -> str:
    if not isinstance(value, str):
        raise FieldError(
            f"必须加英文引号写成文字，例如 org_code: \"007170744\"；不加引号时 YAML 把它读成了 {value!r}，"
            "索引号前段码会因此改变")
    code = value.strip()
    if not _ORG_CODE.fullmatch(code):
        raise FieldError(f"值「{code}」不是 9 位组织机构代码或 18 位统一社会信用代码（大写字母和数字，不含「-」）")
    return code


def _base_url(value: Any, vocab: Vocabulary) -> str:
    url = v.text(value, vocab)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise FieldError(f"值「{url}」不是网站地址，应写成 https://域名/子路径/，例如 https://www.example.gov.cn/swhbj/")
    return url if url.endswith("/") else url + "/"


def _severity_overrides(value: Any, vocab: Vocabulary) -> dict[str, Severity | None]:
    if not isinstance(value, dict):
        raise FieldError("应为「规则代码: error|warning|notice|off」映射")
    overrides = {}
    for code, level in value.items():
        level = "off" if level is False else level  # YAML 1.1 reads a bare off as false
        if code not in ADJUSTABLE_RULES:
            raise FieldError(f"规则「{code}」不能调整级别；可调整的规则：{'、'.join(ADJUSTABLE_RULES)}", at=(str(code),))
        if level not in SEVERITY_NAMES:
            raise FieldError(f"级别「{level}」无效，应为 error、warning、notice 或 off", at=(str(code),))
        overrides[str(code)] = SEVERITY_NAMES[level]
    return overrides


def _column_id(value: Any, vocab: Vocabulary) -> str:
    ident = v.text(value, vocab)
    if not _ID.fullmatch(ident):
        raise FieldError(f"值「{ident}」只能包含小写英文字母、数字和「-」，它同时是 content/ 下的文件夹名")
    return ident


@dataclass(frozen=True, kw_only=True)
class Site:
    """The publishing body and the website's identity, shown in every page footer."""

    name: str = key(None, v.text, required=True)
    """发布机构/主办单位 full name; the default 发布机构 of every entry."""
    org_code: str = key(None, _org_code, required=True)
    """索引号前段码: 9-char 组织机构代码 or 18-char 统一社会信用代码."""
    base_url: str = key(None, _base_url, required=True)
    """Absolute address the site is published at, possibly with a sub-path; always ends with ``/``."""
    site_code: str | None = key(None, v.text)
    """政府网站标识码 (10 characters)."""
    icp: str | None = key(None, v.text)
    """ICP 备案编号, linked to the MIIT register."""
    police_record: str | None = key(None, v.text)
    """公安机关备案号, linked to the public-security register."""
    address: str | None = key(None, v.text)
    """办公地址."""
    postcode: str | None = key(None, v.text)
    """邮政编码."""
    phone: str | None = key(None, v.text)
    """联系电话."""
    fax: str | None = key(None, v.text)
    """传真号码."""
    office_hours: str | None = key(None, v.text)
    """办公时间."""
    email: str | None = key(None, v.text)
    """互联网联系方式 (e-mail)."""
    disclosure_office: str | None = key(None, v.text)
    """政府信息公开工作机构 that receives requests; the 公开指南 uses ``<name>办公室`` when unset."""
    supervisor: str | None = key(None, v.text)
    """政府信息公开工作主管部门 that takes complaints (条例 第五十一条), named in the 公开指南."""
    conac_id: str | None = key(None, v.text)
    """党政机关网站标识 certificate id; the footer mark links to its record when set."""
    demo: bool = key(None, v.boolean, default=False)
    """True when the content is sample data; every page then says so."""


def _children(value: Any, vocab: Vocabulary) -> Any:
    return v.records(Column)(value, vocab)


@dataclass(frozen=True, kw_only=True)
class Column:
    """One node of the catalogue tree (栏目); its folder under content/ is its id path."""

    id: str = key(None, _column_id, required=True)
    """Folder name and URL segment."""
    title: str = key(None, v.text, required=True)
    """栏目名称 shown to the public."""
    type: str = key(None, v.choice(ENTRY_TYPES), required=True)
    """Content type of the entries in this column; decides their schema."""
    description: str | None = key(None, v.text)
    """One-sentence explanation shown on the column page."""
    freshness: str | None = key(None, v.choice(tuple(FRESHNESS_DAYS)))
    """How often the column must be updated: ``news`` (动态/要闻, 14 days) or ``notices`` (通知公告/政策文件, 6 months)."""
    children: tuple[Column, ...] = key(None, _children, default=())
    """Sub-columns."""
    parent: tuple[str, ...] = ()
    """Id path of the parent column (filled in after loading)."""

    @property
    def path(self) -> tuple[str, ...]:
        """Id path from the top, e.g. ``("documents", "normative")``."""
        return (*self.parent, self.id)

    @property
    def path_text(self) -> str:
        """Id path joined with ``/``, as used in catalogue.json."""
        return "/".join(self.path)

    def walk(self) -> Iterator[Column]:
        """This column and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, kw_only=True)
class KeyArea:
    """重点领域 section collecting entries from any column."""

    id: str = key(None, _column_id, required=True)
    """URL segment and the value entries list in ``key_areas``."""
    title: str = key(None, v.text, required=True)
    """Section title."""
    description: str | None = key(None, v.text)
    """What the section covers."""


@dataclass(frozen=True, kw_only=True)
class Catalog:
    """Everything catalog.yaml declares."""

    site: Site = key(None, lambda raw, voc: _nested(Site, raw, voc), required=True)
    """Identity of the bureau and the website."""
    departments: tuple[str, ...] = key(None, v.text_list, required=True)
    """责任部门 vocabulary."""
    topics: tuple[str, ...] = key(None, v.text_list, default=())
    """主题分类 vocabulary."""
    columns: tuple[Column, ...] = key(None, v.records(Column), required=True)
    """The column tree."""
    key_areas: tuple[KeyArea, ...] = key(None, v.records(KeyArea), default=())
    """重点领域 sections."""
    severity: dict[str, Severity | None] = key(None, _severity_overrides, default={})
    """Changed severity of adjustable rules, e.g. ``{INTERPRETATION_DEPARTMENT: error}``; ``off`` disables."""
    calendar_fails_check: bool = key(None, v.boolean, default=False)
    """``check`` (never ``build`` or ``deploy``) also fails on 全站提醒 (stale or empty columns, late items), for a
    site's own review pipeline."""
    by_path: dict[tuple[str, ...], Column] = field(default_factory=dict, compare=False)
    """Every column by its id path (filled in after loading)."""
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)
    """catalog.yaml line of each column's ``id``, for messages about columns."""

    def line_of_column(self, column: Column) -> int:
        """Where a column is declared in catalog.yaml."""
        return self.lines.get(column.path, 1)

    def vocabulary(self) -> Vocabulary:
        """The values front matter is checked against."""
        return Vocabulary(self.site.org_code, self.departments, self.topics, tuple(a.id for a in self.key_areas))

    def all_columns(self) -> Iterator[Column]:
        """Every column, depth first in catalog order."""
        for column in self.columns:
            yield from column.walk()


def _nested(cls: type, raw: Any, vocab: Vocabulary) -> Any:
    if not isinstance(raw, dict):
        raise FieldError("应为「键: 值」映射")
    instance, issues = build(cls, raw, vocab)
    if issues:
        first = issues[0]
        raise FieldError(first.message, first.code, first.at)
    return instance


def load_catalog(root: Path, report: Report) -> Catalog | None:
    """Read and check ``catalog.yaml``; problems go to ``report``."""
    text = _catalog_text(root, report)
    if text is None:
        return None
    parsed = parse_yaml(text)
    if isinstance(parsed, YamlProblem):
        report.error(CATALOG_FILE, parsed.line, parsed.code, parsed.message)
        return None
    if not isinstance(parsed.data, dict):
        report.error(CATALOG_FILE, 1, "FRONT_MATTER_NOT_MAPPING", "catalog.yaml 必须是「键: 值」映射")
        return None
    catalog, issues = build(Catalog, parsed.data, Vocabulary())
    issues += _tree_issues(catalog) if catalog else []
    for issue in issues:
        report.error(CATALOG_FILE, parsed.line_of(issue.at), issue.code, issue.message)
    if catalog is None or issues:
        return None
    report.overrides.update(catalog.severity)
    ids = [column.id for column in catalog.columns]
    for fixed, kind in FIXED_COLUMNS.items():
        if fixed not in ids:
            report.warning(CATALOG_FILE, parsed.line_of(("columns",)), "MISSING_COLUMN",
                           f"缺少一级栏目 {fixed}（type: {kind}）：工作要点要求按规定公开该栏目信息")
    linked = _link_tree(catalog)
    linked.lines.update(_column_lines(linked.columns, ("columns",), parsed.line_of))
    return linked


def _catalog_text(root: Path, report: Report) -> str | None:
    data = read_limited(root / CATALOG_FILE, CATALOG_FILE, MAX_CATALOG_BYTES, report)
    if data is None:
        return None
    try:
        # Newlines as read_text gave them before: the line numbers of messages count \n only.
        return utf8_text(data, CATALOG_FILE).replace("\r\n", "\n").replace("\r", "\n")
    except SourceFileError as exc:
        report.error(exc.rel, exc.line, exc.code, exc.message)
        return None


def _column_lines(columns: tuple[Column, ...], at: tuple[str | int, ...],
                  line_of: Callable[[tuple[str | int, ...]], int]) -> dict[tuple[str, ...], int]:
    lines = {}
    for index, column in enumerate(columns):
        lines[column.path] = line_of((*at, index, "id"))
        lines.update(_column_lines(column.children, (*at, index, "children"), line_of))
    return lines


def _tree_issues(catalog: Catalog) -> list[Issue]:
    issues = []
    missing = [name for name in SEED_DEPARTMENTS if name not in catalog.departments]
    if missing:
        issues.append(Issue(("departments",), "MISSING_DEPARTMENT",
                            f"departments 必须包含工作要点中的责任部门：缺少 {'、'.join(missing)}"))
    for index, column in enumerate(catalog.columns):
        at = ("columns", index, "id")
        expected = FIXED_COLUMNS.get(column.id)
        if expected and column.type != expected:
            issues.append(Issue(at, "COLUMN_TYPE", f"一级栏目 {column.id} 的 type 必须是 {expected}"))
        if column.id in RESERVED_IDS:
            issues.append(Issue(at, "RESERVED_COLUMN_ID", f"栏目 id「{column.id}」是生成器保留的目录名，请换一个"))
    issues += _duplicate_ids(catalog)
    return issues


def _duplicate_ids(catalog: Catalog) -> list[Issue]:
    issues = []
    siblings: list[tuple[tuple[str | int, ...], tuple[Column, ...]]] = [(("columns",), catalog.columns)]
    while siblings:
        at, columns = siblings.pop()
        seen: set[str] = set()
        for index, column in enumerate(columns):
            if column.id in seen:
                issues.append(Issue((*at, index, "id"), "DUPLICATE_COLUMN_ID", f"同一层级的栏目 id「{column.id}」重复"))
            seen.add(column.id)
            siblings.append(((*at, index, "children"), column.children))
    area_ids = [area.id for area in catalog.key_areas]
    for index, area_id in enumerate(area_ids):
        if area_id in area_ids[:index]:
            issues.append(Issue(("key_areas", index, "id"), "DUPLICATE_KEY_AREA", f"重点领域 id「{area_id}」重复"))
    return issues


def _link_tree(catalog: Catalog) -> Catalog:
    """Give every column its parent path and index the tree."""
    def relink(column: Column, parent: tuple[str, ...]) -> Column:
        path = (*parent, column.id)
        kids = tuple(relink(child, path) for child in column.children)
        return dataclasses.replace(column, children=kids, parent=parent)

    columns = tuple(relink(column, ()) for column in catalog.columns)
    linked = dataclasses.replace(catalog, columns=columns, by_path={})
    linked.by_path.update({column.path: column for column in linked.all_columns()})
    return linked
