"""The cache layer: the pipeline hands stages a :class:`CachedSteps` that keeps each step's results in the store.

Only this folder knows the store. Stages call ``steps.run(step, make, *inputs)`` (see :mod:`core.steps`); here
the key is taken from those inputs, a stored result is reused, and a new one is kept for the next build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..core.steps import Steps
from .keys import step_key, token
from .memo import Memo

T = TypeVar("T")
V = TypeVar("V")

FileStamp = tuple[str, int, int]
"""``(path, size, modification time in ns)`` of a file a result was made from."""


KEPT_STEPS = frozenset({"entry", "markdown", "personal-data", "record-json", "record-csv", "template-names"})
"""Steps whose results a long-running preview keeps as objects between builds: those that are costly to read back
from the store (unpickling an entry or a parsed body). Pages and data files are bytes, cheap to read back, and
too many to hold."""


_MISSING = object()
"""No stored result (a step's result may itself be None)."""


@dataclass(frozen=True)
class Slot:
    """A recurring step's run in the last build: what it received, its key and, for bytes, their SHA-256."""

    inputs: tuple[Any, ...]
    key: str
    """Empty for a step only recalled in memory."""
    digest: str | None
    result: Any = None
    """The result itself, for a step recalled in memory (:meth:`CachedSteps.recall`)."""


class Kept:
    """Results of the last build held in this process (``serve``), by key; a build replaces them with its own."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.slots: dict[tuple[str, str], Slot] = {}
        """Each recurring step's last run, by step and slot (see :meth:`CachedSteps.run_at`)."""
        self.settled: dict[str, Any] = {}
        """Values kept by name so that an equal value of a later build is this very object (:meth:`CachedSteps.settled`)."""


class CachedSteps(Steps):
    """Runs steps through the build cache ``memo`` and, in a preview, through the results ``kept`` in memory."""

    def __init__(self, memo: Memo, kept: Kept | None = None) -> None:
        self.memo = memo
        self.kept = kept
        self._now: dict[str, Any] = {}
        self._slots: dict[tuple[str, str], Slot] = {}

    def run(self, step: str, make: Callable[..., T], *inputs: Any) -> T:
        return self._run(step, step_key(step, inputs), make, inputs)

    def run_at(self, step: str, slot: str, make: Callable[..., T], *inputs: Any) -> T:
        """In a preview, inputs equal to the last build's at ``slot`` reuse that build's key: comparing values that
        are mostly the very objects kept from the last build is far cheaper than writing them out for a new key.
        (Equal values of the model write out the same: each is a frozen dataclass of plain values.)"""
        if self.kept is None:
            return self.run(step, make, *inputs)
        last = self._last(step, slot, inputs)
        key = last.key if last is not None else step_key(step, inputs)
        result = self._run(step, key, make, inputs)
        digest = hashlib.sha256(result).hexdigest() if isinstance(result, bytes) else None
        self._slots[(step, slot)] = Slot(inputs, key, digest)
        return result

    def recall(self, step: str, slot: str, make: Callable[..., T], *inputs: Any) -> T:
        if self.kept is None:
            return make(*inputs)
        last = self._last(step, slot, inputs)
        result = last.result if last is not None else make(*inputs)
        self._slots[(step, slot)] = Slot(inputs, "", None, result)
        return result

    def unchanged_at(self, step: str, slot: str, *inputs: Any) -> str | None:
        last = self._last(step, slot, inputs) if self.kept is not None else None
        if last is None or last.digest is None:
            return None
        self.memo.used.add(last.key)  # the store keeps the bytes for a later fresh process
        self._slots[(step, slot)] = last
        return last.digest

    def forget_slots(self) -> None:
        if self.kept is not None:
            self.kept.slots = {}
        self._slots = {}

    def _last(self, step: str, slot: str, inputs: tuple[Any, ...]) -> Slot | None:
        """The last build's run at ``slot`` if it received inputs equal to these."""
        assert self.kept is not None
        last = self.kept.slots.get((step, slot))
        return last if last is not None and last.inputs == inputs else None

    def settled(self, name: str, value: T) -> T:
        if self.kept is None:
            return value
        last = self.kept.settled.get(name, _MISSING)
        # Written out, not ==: fields left out of equality (catalog.yaml's line numbers, its digest) count here.
        if last is _MISSING or type(last) is not type(value) or token(last) != token(value):
            self.kept.settled[name] = last = value
        return last

    def _run(self, step: str, key: str, make: Callable[..., T], inputs: tuple[Any, ...]) -> T:
        found = self._known(key)
        if found is _MISSING:
            found = make(*inputs)
            self.memo.put(key, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
        return self._keep(step, key, found)  # type: ignore[no-any-return]

    def run_with_files(self, step: str, make: Callable[..., T], files: Callable[[T], Sequence[str] | None],
                       *inputs: Any) -> T:
        key = step_key(step, inputs)
        found = self._known(key)
        if found is not _MISSING and found[1] == _stamps(files(found[0]) or ()):
            return self._keep(step, key, found)[0]  # type: ignore[no-any-return]
        result = make(*inputs)
        named = files(result)
        if named is not None:
            made = (result, _stamps(named))
            self.memo.put(key, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
            self._keep(step, key, made)
        return result

    def _known(self, key: str) -> Any:
        """The result under ``key``: from memory in a preview, else from the store; :data:`_MISSING` if neither."""
        if self.kept is not None and key in self.kept.values:
            self.memo.used.add(key)  # still in use: the store keeps it for the next fresh process
            return self.kept.values[key]
        stored = self.memo.get(key)
        return _MISSING if stored is None else pickle.loads(stored)

    def _keep(self, step: str, key: str, value: V) -> V:
        if self.kept is not None and step in KEPT_STEPS:
            self._now[key] = value
        return value

    def done(self) -> None:
        """At the end of a build: what it used is what the next build may take from memory."""
        if self.kept is not None:
            self.kept.values = self._now
            self.kept.slots = self._slots

    def share(self) -> None:
        self.memo.flush()  # workers read the parent's results from the cache file instead of inheriting them

    def begin_worker(self) -> None:
        self.memo.begin_worker()

    def worker_results(self) -> object:
        self.memo.flush()  # written by the worker, so the results do not travel back through the pipe
        return self.memo.take_work()

    def absorb(self, work: object) -> None:
        assert isinstance(work, tuple)
        self.memo.absorb(work)


def _stamps(paths: Sequence[str]) -> list[FileStamp | None]:
    """Size and time of each file (None for a file now missing)."""
    return [_stamp(path) for path in paths]


def _stamp(path: str) -> FileStamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (path, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class Written:
    """What the last build wrote to an output folder."""

    hashes: dict[str, str]
    """Every file's path → SHA-256."""
    later: frozenset[str]
    """The files made after the pages (search index, data files, feeds), which a preview may leave for later."""
    published: frozenset[str]
    """The content files of the entries that build published."""


def written_manifest(memo: Memo, out: Path, sums_file: str) -> Written | None:
    """What the last build wrote to ``out``, if ``out`` still holds exactly that build.

    ``out/SHA256SUMS`` names every file, so its hash identifies the whole build: a folder built without the
    cache, or by another copy of the site, does not match and gets a full write instead.
    """
    stored = memo.get(_manifest_key(out))
    sums = out / sums_file
    if stored is None or not sums.is_file():
        return None
    written = pickle.loads(stored)
    if not isinstance(written, Written):  # kept by an older version of this tool
        return None
    return written if written.hashes.get(sums_file) == hashlib.sha256(sums.read_bytes()).hexdigest() else None


def remember_manifest(memo: Memo, out: Path, written: Written) -> None:
    """Record what ``out`` now holds, for the next incremental build."""
    memo.put(_manifest_key(out), pickle.dumps(written, protocol=pickle.HIGHEST_PROTOCOL))


def _manifest_key(out: Path) -> str:
    return step_key("written", (str(out.resolve()),))
