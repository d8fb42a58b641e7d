"""Cache keys taken from what a step receives.

A key is the SHA-256 of the generator's own code, the step's name and the step's inputs written out by
:func:`token`; each step name belongs to one function, and the code's hash covers what it does. The inputs are
the model's frozen values (entries, columns, rendered bodies), plain containers and scalars; their ``repr`` is
fixed by the language and by the dataclasses, so it serves as the encoding. A field declared ``repr=False`` is
named by another field beside it (bytes by their digest). Anything else, a live object or a function, has no
stable text and is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
from typing import Any

from . import memo

_PLAIN = (str, bytes, int, float, bool, type(None), dt.date, decimal.Decimal, enum.Enum)


def token(value: object) -> str:
    """``value`` written out as stable text; a TypeError for anything that has none."""
    _check(value)
    return repr(value)


_LEAVES = frozenset({str, bytes, int, float, bool, type(None), dt.date, dt.datetime, decimal.Decimal})
"""Types checked by a set lookup: a page's key walks thousands of strings, and a call for each cost seconds."""


def _check(value: object) -> None:
    kind = type(value)
    if kind in _LEAVES:
        return
    if kind is tuple or kind is list:  # not sets: their order changes from run to run
        for item in value:  # type: ignore[attr-defined]
            if type(item) not in _LEAVES:
                _check(item)
        return
    if kind is dict:
        for pair in value.items():  # type: ignore[attr-defined]
            _check(pair)
        return
    if isinstance(value, _PLAIN) or hasattr(kind, "__dataclass_fields__"):
        # A dataclass of the model holds only such values; its generated repr writes every field.
        return
    raise TypeError(f"no stable cache key for a {kind.__name__}")


def step_key(step: str, inputs: tuple[Any, ...]) -> str:
    """The key of running ``step`` on ``inputs``."""
    text = f"{memo.code_version()}\0{step}\0{token(inputs)}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
