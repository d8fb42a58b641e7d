"""``python build.py migrate --english-keys``: rewrite Chinese alias keys (``标题:``) as the English keys.

The form editor reads and writes only the English keys; a file written with aliases would open as an empty form
and, once saved, hold both spellings (DUPLICATE_ALIAS). Only the key text is replaced, at the spans the YAML
parser reports, so values, comments, quoting, order and the body stay byte for byte; nested keys (attachments,
media, leaders, data files and their columns…) are renamed by their own models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core import values as v
from ..core.diagnostics import Report
from ..core.schema import specs
from ..load.sources import discover
from ..model.site import SiteConfig
from ..model.types import MODELS


@dataclass
class Migration:
    """What ``english_keys`` did: files rewritten with their number of keys, and keys it left alone."""

    changed: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """``path:line: reason`` for keys not renamed (both spellings present, or the front matter unreadable)."""


def english_keys(root: Path, config: SiteConfig) -> Migration:
    """Rename alias keys in every entry file under content/ whose folder is a column."""
    result = Migration()
    for source in discover(root, Report()):
        column = config.by_path.get(source.folder)
        if column is None:
            continue
        try:
            text = source.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            result.skipped.append(f"{source.rel}:1: 无法读取，未改动")
            continue
        new, count, skipped = rename_keys(text, MODELS[column.type])
        result.skipped += [f"{source.rel}:{line}: {reason}" for line, reason in skipped]
        if count:
            temporary = source.path.with_name(f".{source.path.name}.migrate")
            temporary.write_bytes(new.encode("utf-8"))
            os.replace(temporary, source.path)
            result.changed.append((source.rel, count))
    return result


def rename_keys(text: str, model: type) -> tuple[str, int, list[tuple[int, str]]]:
    """``text`` with the alias keys of its front matter replaced; the count; (line, reason) of keys left alone."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, 0, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text, 0, []
    offset = len(lines[0]) + 1
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text, 0, [(1, "元数据不是有效的 YAML，未改动：请先运行 check 改正")]
    edits: list[tuple[int, int, str]] = []
    skipped: list[tuple[int, str]] = []
    _walk(node, model, edits, skipped)
    for start, stop, name in sorted(edits, reverse=True):
        text = text[: offset + start] + name + text[offset + stop :]
    return text, len(edits), [(line + 2, reason) for line, reason in skipped]


def _walk(node: yaml.Node | None, model: type, edits: list[tuple[int, int, str]],
          skipped: list[tuple[int, str]]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    by_alias = {spec.alias: spec for spec in specs(model) if spec.alias}
    by_name = {spec.name: spec for spec in specs(model)}
    written = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        spec = by_alias.get(key.value) or by_name.get(key.value)
        if spec is None:
            continue
        if key.value == spec.alias:
            if spec.name in written:
                skipped.append((key.start_mark.line, f"键 {key.value} 与 {spec.name} 同时存在，未改动：请删除其中一个"))
            else:
                edits.append((key.start_mark.index, key.end_mark.index, spec.name))
        shape = v.shape_of(spec.parse)
        if shape is None or shape.model is None:
            continue
        items = value.value if shape.kind == "records" and isinstance(value, yaml.SequenceNode) else [value]
        for item in items:
            _walk(item, shape.model, edits, skipped)
