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

MAX_DEPTH = 20
"""Deepest nesting of lists and mappings accepted. Real files nest at most 6 deep (a dataset's columns,
an annual report's table; catalog.yaml 2 per column level), while PyYAML's constructor and the checks after it
recurse once or more per level and Python stops at about 1000 frames."""
_TOO_DEEP = (f"YAML 嵌套超过 {MAX_DEPTH} 层（列表或映射套列表或映射）：元数据不需要这么深的结构，"
             "请检查缩进，以及方括号 [ ]、花括号 { } 是否配对")

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
    # An anchor or alias is written with & or *; most front matter has neither, so it is never scanned twice.
    alias = _find_alias(text, offset) if "&" in text or "*" in text else None
    if alias:
        return alias
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        lines: dict[Path, int] = {}
        problem = _walk(node, lines, offset)
        if problem:
            return problem
        return YamlDoc(loader.construct_document(node), lines)
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, offset)
    except yaml.YAMLError as exc:
        return YamlProblem(1, "YAML_SYNTAX", f"YAML 格式错误：{exc}")
    except RecursionError:  # only PyYAML's pure-Python parser (without libyaml) recurses while composing
        return YamlProblem(1 + offset, "YAML_TOO_DEEP", _TOO_DEEP)
    finally:
        loader.dispose()


_ALIAS = ("使用了 YAML 的{kind}「{mark}{name}」：元数据和 catalog.yaml 不支持锚点（&）和别名（*），请把内容直接写出来；"
          "如果值本身以 & 或 * 开头，请给整个值加英文引号，例如 title: \"*重要*通知\"")


def _find_alias(text: str, offset: int) -> YamlProblem | None:
    """The first anchor or alias, found from parser events before anything is composed or expanded.

    Editors never need them, and an alias repeated inside an alias ("billion laughs") expands
    exponentially in every walk of the tree.
    """
    loader = _Base(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                kind, mark = ("别名", "*") if isinstance(event, yaml.AliasEvent) else ("锚点", "&")
                line = event.start_mark.line + 1 + offset
                return YamlProblem(line, "YAML_ALIAS", _ALIAS.format(kind=kind, mark=mark, name=anchor))
    except yaml.MarkedYAMLError as exc:
        # libyaml refuses an alias or anchor name such as *重要通知: the value only needed quotes.
        if exc.context in ("while scanning an alias", "while scanning an anchor") and exc.context_mark:
            kind, mark = ("别名", "*") if "alias" in exc.context else ("锚点", "&")
            return YamlProblem(exc.context_mark.line + 1 + offset, "YAML_ALIAS", _ALIAS.format(kind=kind, mark=mark, name="…"))
    except yaml.YAMLError:
        pass  # reported with its line by the parse that follows
    finally:
        loader.dispose()
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, offset: int) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + offset if mark else 1
    if exc.problem and "nesting depth" in exc.problem:  # libyaml stops at 1000 levels, before our own limit is checked
        return YamlProblem(line, "YAML_TOO_DEEP", _TOO_DEEP)
    detail = exc.problem or "无法解析"
    return YamlProblem(line, "YAML_SYNTAX", f"YAML 格式错误（{detail}）：请检查本行的冒号、引号和缩进")


def _walk(root: yaml.Node, lines: dict[Path, int], offset: int) -> YamlProblem | None:
    """Record the line of every key and item; the first duplicate key, non-text key or too deep nesting.

    A loop, not recursion: a file nested hundreds deep must give a message, not a RecursionError.
    """
    stack: list[tuple[yaml.Node, Path, int]] = [(root, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1 + offset)
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            return YamlProblem(node.start_mark.line + 1 + offset, "YAML_TOO_DEEP", _TOO_DEEP)
        children: list[tuple[yaml.Node, Path]] | YamlProblem = []
        if isinstance(node, yaml.SequenceNode):
            children = [(item, (*path, index)) for index, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode):
            children = _keys(node, path, lines, offset)
        if isinstance(children, YamlProblem):
            return children
        stack.extend((child, child_path, depth + 1) for child, child_path in reversed(children))
    return None


def _keys(node: yaml.MappingNode, path: Path, lines: dict[Path, int],
          offset: int) -> list[tuple[yaml.Node, Path]] | YamlProblem:
    """The values of a mapping with their paths, after checking its keys."""
    seen: dict[str, int] = {}
    children: list[tuple[yaml.Node, Path]] = []
    for key_node, value in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):  # ``? [a, b]: …`` — never meant, and its text would be the whole list
            return YamlProblem(line, "YAML_SYNTAX", "YAML 格式错误（键是列表或映射）：键只能是一段文字，请检查本行的冒号和括号")
        key = str(key_node.value)
        if key in seen:
            message = f"键 {key} 重复出现（第一次在第 {seen[key]} 行）：同一个键只能写一次，请删除其中一个"
            return YamlProblem(line, "DUPLICATE_KEY", message)
        seen[key] = line
        lines[(*path, key)] = line
        children.append((value, (*path, key)))
    return children
