"""catalog.yaml read once, checked and turned into the site configuration (:class:`model.site.SiteConfig`)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.diagnostics import Report
from ..core.inputs import MAX_CATALOG_BYTES, SourceFileError, read_limited, utf8_text
from ..core.schema import Issue, Vocabulary, build, specs
from ..core.yamlsource import YamlProblem, parse_yaml
from ..model.site import CATALOG_FILE, Column, DisclosureGroup, SiteConfig

RESERVED_IDS = frozenset({"entries", "key-areas", "assets", "attachments", "files", "search", "pagefind", "data", "forms"})
"""Top-level output folders of the generator; a first-level column may not use them."""


def load_catalog(root: Path, report: Report) -> SiteConfig | None:
    """Read and check ``catalog.yaml``; problems go to ``report``."""
    data = read_limited(root / CATALOG_FILE, CATALOG_FILE, MAX_CATALOG_BYTES, report)
    text = None if data is None else _catalog_text(data, report)
    if data is None or text is None:
        return None
    parsed = parse_yaml(text)
    if isinstance(parsed, YamlProblem):
        report.error(CATALOG_FILE, parsed.line, parsed.code, parsed.message)
        return None
    if not isinstance(parsed.data, dict):
        report.error(CATALOG_FILE, 1, "FRONT_MATTER_NOT_MAPPING", "catalog.yaml 必须是「键: 值」映射")
        return None
    config, issues = build(SiteConfig, parsed.data, Vocabulary(departments=_departments(parsed.data)))
    issues += _tree_issues(config) + _group_issues(config, parsed.data) if config else []
    for issue in issues:
        report.error(CATALOG_FILE, parsed.line_of(issue.at), issue.code, issue.message)
    if config is None or issues:
        return None
    report.overrides.update(config.severity)
    ids = [column.id for column in config.columns]
    for required in config.required_columns:
        if required.id not in ids:
            report.warning(CATALOG_FILE, parsed.line_of(("columns",)), "MISSING_COLUMN",
                           f"缺少一级栏目 {required.id}（type: {required.type}）：required_columns（必备栏目）要求设置该栏目")
    linked = _link_tree(dataclasses.replace(config, digest=hashlib.sha256(data).hexdigest()))
    linked.lines.update(_column_lines(linked.columns, ("columns",), parsed.line_of))
    linked.key_lines.update(parsed.lines)
    return linked


def _catalog_text(data: bytes, report: Report) -> str | None:
    try:
        # Newlines as read_text gave them before: the line numbers of messages count \n only.
        return utf8_text(data, CATALOG_FILE).replace("\r\n", "\n").replace("\r", "\n")
    except SourceFileError as exc:
        report.error(exc.rel, exc.line, exc.code, exc.message)
        return None


def _departments(data: dict[Any, Any]) -> tuple[str, ...]:
    """The departments list as written, so a column's or key area's ``department`` is checked against it while the
    file is read (a malformed list is reported by its own key)."""
    listed = data.get("departments")
    return tuple(d.strip() for d in listed if isinstance(d, str)) if isinstance(listed, list) else ()


def _group_issues(config: SiteConfig, data: dict[Any, Any]) -> list[Issue]:
    """Each role of the 政府信息公开 group names one existing column, and no column plays two roles."""
    top = "disclosure_group" if "disclosure_group" in data else "政府信息公开专栏"
    raw = data.get(top)
    if not isinstance(raw, dict):
        return []
    paths = _paths(config.columns, ())
    issues: list[Issue] = []
    taken: dict[str, str] = {}
    for spec in specs(DisclosureGroup):
        path = getattr(config.disclosure_group, spec.name)
        if path is None:
            continue
        at = (top, spec.name if spec.name in raw else str(spec.alias))
        text = "/".join(path)
        if text not in paths:
            issues.append(Issue(at, "DISCLOSURE_GROUP", f"disclosure_group（政府信息公开专栏）：{spec.label}「{text}」"
                                f"不是 columns 中的栏目；可选：{'、'.join(paths)}"))
        elif text in taken:
            issues.append(Issue(at, "DISCLOSURE_GROUP", f"disclosure_group（政府信息公开专栏）：{spec.label}「{text}」"
                                f"已是{taken[text]}栏目：每项各用一个栏目"))
        taken.setdefault(text, str(spec.alias))
    return issues


def _paths(columns: tuple[Column, ...], parent: tuple[str, ...]) -> list[str]:
    """Every column's id path, depth first (the tree gets its parent paths only once it is valid)."""
    found = []
    for column in columns:
        found.append("/".join((*parent, column.id)))
        found += _paths(column.children, (*parent, column.id))
    return found


def _column_lines(columns: tuple[Column, ...], at: tuple[str | int, ...],
                  line_of: Callable[[tuple[str | int, ...]], int]) -> dict[tuple[str, ...], int]:
    lines = {}
    for index, column in enumerate(columns):
        lines[column.path] = line_of((*at, index, "id"))
        lines.update(_column_lines(column.children, (*at, index, "children"), line_of))
    return lines


def _tree_issues(config: SiteConfig) -> list[Issue]:
    issues = []
    missing = [name for name in config.required_departments if name not in config.departments]
    if missing:
        issues.append(Issue(("departments",), "MISSING_DEPARTMENT",
                            f"departments 必须包含 required_departments（必备责任部门）中的部门：缺少 {'、'.join(missing)}"))
    types = {required.id: required.type for required in config.required_columns}
    for index, column in enumerate(config.columns):
        at = ("columns", index, "id")
        expected = types.get(column.id)
        if expected and column.type != expected:
            issues.append(Issue(at, "COLUMN_TYPE",
                                f"一级栏目 {column.id} 的 type 必须是 {expected}（required_columns 必备栏目的要求）"))
        if column.id in RESERVED_IDS:
            issues.append(Issue(at, "RESERVED_COLUMN_ID", f"栏目 id「{column.id}」是生成器保留的目录名，请换一个"))
    issues += _duplicate_ids(config)
    return issues


def _duplicate_ids(config: SiteConfig) -> list[Issue]:
    issues = []
    siblings: list[tuple[tuple[str | int, ...], tuple[Column, ...]]] = [(("columns",), config.columns)]
    while siblings:
        at, columns = siblings.pop()
        seen: set[str] = set()
        for index, column in enumerate(columns):
            if column.id in seen:
                issues.append(Issue((*at, index, "id"), "DUPLICATE_COLUMN_ID", f"同一层级的栏目 id「{column.id}」重复"))
            seen.add(column.id)
            siblings.append(((*at, index, "children"), column.children))
    area_ids = [area.id for area in config.key_areas]
    for index, area_id in enumerate(area_ids):
        if area_id in area_ids[:index]:
            issues.append(Issue(("key_areas", index, "id"), "DUPLICATE_KEY_AREA", f"重点领域 id「{area_id}」重复"))
    return issues


def _link_tree(config: SiteConfig) -> SiteConfig:
    """Give every column its parent path and index the tree."""
    def relink(column: Column, parent: tuple[str, ...]) -> Column:
        path = (*parent, column.id)
        kids = tuple(relink(child, path) for child in column.children)
        return dataclasses.replace(column, children=kids, parent=parent)

    columns = tuple(relink(column, ()) for column in config.columns)
    linked = dataclasses.replace(config, columns=columns, by_path={})
    linked.by_path.update({column.path: column for column in linked.all_columns()})
    return linked
