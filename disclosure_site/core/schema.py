"""Declarative keys for YAML mappings: canonical English names, Chinese aliases, parsers.

Models are frozen dataclasses whose fields are declared with :func:`key`; :func:`build`
turns a raw mapping into an instance or into a list of :class:`Issue` values with the
exact key path, so callers can point at the line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .yamlsource import Path

T = TypeVar("T")


@dataclass(frozen=True)
class Vocabulary:
    """Site-wide values that front matter is checked against."""

    org_code: str = ""
    departments: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    key_areas: tuple[str, ...] = ()


Parser = Callable[[Any, Vocabulary], Any]
"""Turns a raw YAML value into a typed value or raises :class:`FieldError`."""


class FieldError(Exception):
    """A value that cannot be accepted; ``message`` is the Chinese explanation after the key label."""

    def __init__(self, message: str, code: str = "BAD_VALUE", at: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.at = at


@dataclass(frozen=True)
class Issue:
    """A problem with one key of a mapping."""

    at: Path
    code: str
    message: str


@dataclass(frozen=True)
class KeySpec:
    """How one key is read: its canonical name, Chinese alias, parser and whether it must be present."""

    name: str
    alias: str | None
    parse: Parser
    required: bool

    @property
    def label(self) -> str:
        """``name（alias）`` as shown in messages."""
        return f"{self.name}（{self.alias}）" if self.alias else self.name


def key(alias: str | None, parse: Parser, *, required: bool = False, default: Any = None) -> Any:
    """Declare a dataclass field read from YAML key ``name`` or its Chinese ``alias``."""
    meta = {"alias": alias, "parse": parse, "required": required}
    if required:
        return field(metadata=meta)
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta)
    if isinstance(default, list | set):
        raise TypeError("list defaults are not allowed; use tuples")
    return field(default=default, metadata=meta)


def specs(cls: type) -> list[KeySpec]:
    """The key specifications of a model class, in declaration order."""
    return [
        KeySpec(f.name, f.metadata["alias"], f.metadata["parse"], f.metadata["required"])
        for f in dataclasses.fields(cls)
        if "parse" in f.metadata
    ]


def valid_keys_text(cls: type) -> str:
    """The list of accepted keys, for the unknown-key message."""
    return "、".join(spec.label for spec in specs(cls))


def build(cls: type[T], raw: Mapping[Any, Any], vocab: Vocabulary, *, at: Path = (),
          **extra: Any) -> tuple[T | None, list[Issue]]:
    """Validate ``raw`` against ``cls``; return the instance (or None) and every issue found."""
    all_specs = specs(cls)
    values, issues = _canonical_keys(cls, all_specs, raw, at)
    parsed: dict[str, Any] = {}
    for spec in all_specs:
        if spec.name not in values:
            if spec.required:
                issues.append(Issue(at, "MISSING_KEY", f"缺少必填键 {spec.label}"))
            continue
        raw_key, value = values[spec.name]
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                issues.append(Issue((*at, raw_key), "EMPTY_VALUE", f"必填键 {spec.label} 没有填写值"))
            continue
        try:
            parsed[spec.name] = spec.parse(value, vocab)
        except FieldError as exc:
            message = f"{spec.label}：{exc.message}"
            issues.append(Issue((*at, raw_key, *exc.at), exc.code, message))
    if issues:
        return None, issues
    return cls(**parsed, **extra), []


def _canonical_keys(cls: type, all_specs: list[KeySpec], raw: Mapping[Any, Any],
                    at: Path) -> tuple[dict[str, tuple[str, Any]], list[Issue]]:
    by_name = {spec.name: spec for spec in all_specs}
    by_name.update({spec.alias: spec for spec in all_specs if spec.alias})
    values: dict[str, tuple[str, Any]] = {}
    issues = []
    for raw_key, value in raw.items():
        spec = by_name.get(str(raw_key))
        if spec is None:
            issues.append(Issue((*at, str(raw_key)), "UNKNOWN_KEY",
                                f"未知的键 {raw_key}。可用的键：{valid_keys_text(cls)}"))
        elif spec.name in values:
            other = values[spec.name][0]
            issues.append(Issue((*at, str(raw_key)), "DUPLICATE_ALIAS",
                                f"键 {raw_key} 与 {other} 是同一个键（{spec.label}），只能写其中一个"))
        else:
            values[spec.name] = (str(raw_key), value)
    return values, issues
