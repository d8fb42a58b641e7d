"""Results of pure build steps kept between builds, keyed by a hash of everything the step reads.

A key is the SHA-256 of the code version and the step's inputs, so a cached value can only be
reused when it would come out the same: editing a file, a template, ``catalog.yaml`` or the
generator itself changes the key. Values live in one SQLite file under ``<root>/.cache/``
(git-ignored); ``--no-cache`` keeps them in memory for the one build only.

New values are written to the file in batches as the build goes, so a large site's pages are not
all held in memory; forked page workers write through connections of their own.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CACHE_DIR = ".cache"
"""Folder under the site root that holds the cache (git-ignored)."""
CACHE_FILE = "build-cache.sqlite"
PACKAGE = Path(__file__).resolve().parents[1]
"""The generator's own source: every module in every folder of the package."""
FLUSH_BYTES = 32 * 1024 * 1024
"""New values are written to the cache file once they add up to this much."""
STALE_FACTOR = 3
"""The cache is pruned to what the last build read when it holds this many times more."""


@cache
def code_version() -> str:
    """Hash of the generator's own source, so a new version never reuses an old version's results."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Memo:
    """A key-value store of step results; reads see this build's new values before they are saved."""

    def __init__(self, folder: Path | None, *, writable: bool = True) -> None:
        """``folder`` holds the SQLite file; None keeps everything in memory (``--no-cache``).

        A read-only memo (for ``check``, which writes nothing) reads the file and keeps new values in memory.
        """
        self.path = folder / CACHE_FILE if folder is not None else None
        self.writable = writable
        self.fresh: dict[str, bytes] = {}
        """Values computed in this build (in this process), not yet saved."""
        self.used: set[str] = set()
        self.inherited: dict[str, bytes] = {}
        """A forked worker's copy of its parent's new values: read, never handed back."""
        self._fresh_bytes = 0
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self.problem: str | None = None
        """Why the cache file stopped being used in this build (read-only, full or damaged); results stay correct."""

    def get(self, key: str) -> bytes | None:
        """The stored value, or None."""
        self.used.add(key)
        value = self.fresh.get(key) or self.inherited.get(key)
        if value is not None or self.path is None or not self.path.exists():
            return value
        try:
            row = self._db().execute("SELECT value FROM memo WHERE key = ?", (key,)).fetchone()
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
            return None
        return None if row is None else bytes(row[0])

    def put(self, key: str, value: bytes) -> None:
        """Remember ``value`` under ``key``; new values go to the file in batches, so memory stays bounded."""
        self.used.add(key)
        self.fresh[key] = value
        self._fresh_bytes += len(value)
        if self._fresh_bytes > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the new values to the file now (a no-op without a file: they stay in memory)."""
        if self.path is None or not self.writable or not self.fresh:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_folder(self.path.parent)
            db = self._db()
            with db:
                db.executemany("INSERT OR REPLACE INTO memo(key, value) VALUES (?, ?)", self.fresh.items())
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
            return
        self.fresh = {}
        self._fresh_bytes = 0

    def _give_up(self, exc: Exception) -> None:
        """Carry on without the file: a cache that cannot be read or written only makes the build slower."""
        self.problem = f"{self.path}：{exc}"
        self.close()
        self.path = None

    def value(self, key: str, make: Callable[..., T], *args: Any) -> T:
        """The pickled value under ``key``, or ``make(*args)``'s result, remembered."""
        stored = self.get(key)
        if stored is not None:
            result: T = pickle.loads(stored)
            return result
        result = make(*args)
        self.put(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        return result

    def begin_worker(self) -> None:
        """In a freshly forked worker: keep the parent's new values for reading only."""
        self.inherited, self.fresh, self.used = {**self.inherited, **self.fresh}, {}, set()

    def take_work(self) -> tuple[dict[str, bytes], set[str]]:
        """Hand over this process's new values and the keys it read (a worker returns them to the parent)."""
        work = (self.fresh, self.used)
        self.fresh, self.used = {}, set()
        return work

    def absorb(self, work: tuple[dict[str, bytes], set[str]]) -> None:
        """Accept a worker's new values and the keys it read."""
        fresh, used = work
        self.fresh.update(fresh)
        self.used.update(used)

    def save(self) -> None:
        """Write this build's new values.

        Values this build did not read are dropped once they outnumber the ones it did by
        :data:`STALE_FACTOR`: the file stays a few builds' worth, while results a cached page no longer
        needed to read (its Markdown) survive for the next template edit.
        """
        if self.path is None or not self.writable:
            return
        self.flush()
        try:
            self._prune()
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
        self.used = set()

    def _prune(self) -> None:
        if self.path is None:
            return
        db = self._db()
        with db:
            (rows,) = db.execute("SELECT count(*) FROM memo").fetchone()
            if rows > STALE_FACTOR * len(self.used) + 1000:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used(key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM used")
                db.executemany("INSERT OR IGNORE INTO used(key) VALUES (?)", ((k,) for k in self.used))
                db.execute("DELETE FROM memo WHERE key NOT IN (SELECT key FROM used)")

    def close(self) -> None:
        """Close this process's connection."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def _db(self) -> sqlite3.Connection:
        # A connection must not cross a fork: each worker opens its own.
        if self._connection is None or self._pid != os.getpid():
            assert self.path is not None
            self._pid = os.getpid()
            if not self.writable:
                # immutable: no lock or shared-memory file is created beside it (check writes nothing).
                self._connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
                return self._connection
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # WAL and a generous timeout: page workers write their results while the parent reads.
            self._connection = sqlite3.connect(self.path, timeout=60)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("CREATE TABLE IF NOT EXISTS memo(key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        return self._connection


def memo_for(root: Path, *, enabled: bool, writable: bool = True) -> Memo:
    """The cache of the site at ``root``, or an in-memory one when caching is off."""
    return Memo(root / CACHE_DIR if enabled else None, writable=writable)


def _ignore_folder(folder: Path) -> None:
    """Keep the cache out of version control even where the site's .gitignore does not mention it."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")

