"""Frozen values that write their text once.

Cache keys are the ``repr`` of what a step receives, and one entry, its front matter or a column is in the key of
every page, record and check that shows it: at 10,000 entries that was about 150,000 dataclass reprs per build. A
frozen value cannot change, so its text is made on first use and kept with it (never pickled with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

C = TypeVar("C", bound=type)

_TEXT = "_repr"


def remembered_repr(cls: C) -> C:
    """Make the frozen dataclass ``cls`` keep the text its generated ``__repr__`` writes."""
    generated: Callable[[object], str] = getattr(cls, "__repr__")  # noqa: B009 - the unbound function

    def __repr__(self: object) -> str:
        text: str | None = self.__dict__.get(_TEXT)
        if text is None:
            text = self.__dict__[_TEXT] = generated(self)
        return text

    setattr(cls, "__repr__", __repr__)  # noqa: B010 - assigning a method is what mypy rejects
    setattr(cls, "__getstate__", _state)  # noqa: B010
    return cls


def _state(self: object) -> dict[str, object]:
    return {name: value for name, value in self.__dict__.items() if name != _TEXT}
