"""YAML with line numbers and with the traps editors fall into turned into clear errors.

PyYAML silently keeps the last of two equal keys and gives English errors; editors
write Chinese punctuation and tabs. This module composes the node tree itself so
every key keeps its line, and checks the raw text for the common slips first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[str | int, ...]
"""Where a value sits inside a YAML document: keys and list indexes from the top."""


@dataclass(frozen=True)
class YamlProblem:
    """A problem found while reading YAML text, with its 1-based line in that text."""

    line: int
    code: str
    message: str


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML mapping and the 1-based line of every key and list item in it."""

    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path, default: int = 1) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it: several times faster on large catalogues."""


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader that keeps an impossible date such as 2018-13-01 as text, so it is reported, not raised."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

_FULLWIDTH_KEY = re.compile(r"^[^\s#\-'\"：:][^:]*?：")


def find_traps(text: str, offset: int = 0) -> list[YamlProblem]:
    """Slips YAML would misread or reject with an obscure message: tabs and full-width colons."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1 + offset):
        indent = line[: len(line) - len(line.lstrip())]
        if "\t" in indent:
            problems.append(YamlProblem(number, "TAB_INDENT",
                                        "缩进使用了制表符（Tab），YAML 只接受空格：请把 Tab 换成两个空格"))
        elif _FULLWIDTH_KEY.match(line) and ": " not in line and not line.rstrip().endswith(":"):
            key = line.split("：", 1)[0]
            problems.append(YamlProblem(
                number, "FULLWIDTH_COLON",
                f"键 {key} 后使用了全角冒号「：」，YAML 只认半角冒号：请写成「{key}: 」（半角冒号后加一个空格）",
            ))
    return problems


def parse_yaml(text: str, offset: int = 0) -> YamlDoc | YamlProblem:
    """Parse ``text``, which starts ``offset`` lines into its file; lines reported are file lines."""
    traps = find_traps(text, offset)
    if traps:
        return traps[0]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        duplicate = _find_duplicate_key(node, offset)
        if duplicate:
            return duplicate
        lines: dict[Path, int] = {}
        _record_lines(node, (), lines, offset)
        return YamlDoc(loader.construct_document(node), lines)
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, offset)
    except yaml.YAMLError as exc:
        return YamlProblem(1, "YAML_SYNTAX", f"YAML 格式错误：{exc}")
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, offset: int) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + offset if mark else 1
    detail = exc.problem or "无法解析"
    return YamlProblem(line, "YAML_SYNTAX", f"YAML 格式错误（{detail}）：请检查本行的冒号、引号和缩进")


def _find_duplicate_key(node: yaml.Node, offset: int) -> YamlProblem | None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                message = f"键 {key} 重复出现（第一次在第 {seen[key]} 行）：同一个键只能写一次，请删除其中一个"
                return YamlProblem(line, "DUPLICATE_KEY", message)
            seen[key] = line
    children = _child_nodes(node)
    for child in children:
        problem = _find_duplicate_key(child, offset)
        if problem:
            return problem
    return None


def _child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [value for _key, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _record_lines(node: yaml.Node, path: Path, lines: dict[Path, int], offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, offset)
