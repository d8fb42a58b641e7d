"""The only code that touches the output folder: files are checked as they come, staged, then put in place at once.

A :class:`StagedSink` writes each file to a staging folder as soon as it is made, so a build holds
only paths and hashes in memory however large the site; nothing reaches ``out`` until
:meth:`StagedSink.commit`, and a failed build leaves ``out`` as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .csvsafe import is_csv, neutralise_csv
from .diagnostics import Report


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site, held in memory (or copied from ``copy_from``)."""

    path: str
    """Path relative to the output root, forward slashes."""
    data: bytes = b""
    """File content when generated."""
    copy_from: str | None = None
    """Absolute source path when the file is copied as is (attachments)."""
    origin: str = field(default="生成器", compare=False)
    """What produced the file, for collision messages (a content path or a page kind)."""


@dataclass(frozen=True)
class Published:
    """What the site publishes for a copied source file: its SHA-256, its size and, when they differ from
    the file's own, its bytes."""

    sha256: str
    size: int
    data: bytes | None = None
    """The bytes to publish instead of the file's (a CSV with formula-like cells); None: copy the file as is."""


def published_bytes(source: str) -> bytes | None:
    """The one place that decides what a copied file becomes: a CSV with a cell a spreadsheet would run as a
    formula is published neutralised (see :mod:`csvsafe`); None means the file's own bytes, unchanged."""
    if not is_csv(source):
        return None
    with open(source, "rb") as handle:
        return neutralise_csv(handle.read())


def published_copy(source: str) -> Published:
    """Checksum and size of exactly the bytes :func:`published_bytes` lets out, and those bytes when rewritten."""
    data = published_bytes(source)
    if data is not None:
        return Published(hashlib.sha256(data).hexdigest(), len(data), data)
    with open(source, "rb") as handle:
        return Published(hashlib.file_digest(handle, "sha256").hexdigest(), os.fstat(handle.fileno()).st_size)


def published_size(source: str) -> int:
    """Size in bytes of the file published for ``source`` (shown beside each download)."""
    data = published_bytes(source)
    return len(data) if data is not None else os.stat(source).st_size


class FileDigests:
    """SHA-256 of copied files as published, each file hashed once per build (an attachment may belong to several
    entries); a rewritten file's bytes are made again when asked for rather than held for the whole build."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[Published, bool]] = {}

    def of(self, source: str) -> str:
        """Hex SHA-256 of what is published for the file at absolute path ``source``."""
        known = self._known.get(source)
        return known[0].sha256 if known is not None else self.published(source).sha256

    def published(self, source: str) -> Published:
        """:func:`published_copy` of ``source``, from memory unless its bytes are rewritten."""
        known = self._known.get(source)
        if known is not None and not known[1]:
            return known[0]
        fresh = published_copy(source)
        self._known[source] = (Published(fresh.sha256, fresh.size), fresh.data is not None)
        return fresh


class Sink:
    """Receives output files; refuses paths outside the output folder and two different files at one path."""

    def __init__(self, report: Report, published: Callable[[str], Published]) -> None:
        """``published`` tells what is published for a copied source file (:meth:`FileDigests.published`)."""
        self.report = report
        self.published = published
        self.hashes: dict[str, str] = {}
        """SHA-256 of every accepted file, by path."""
        self._first: dict[str, OutputFile] = {}

    def add(self, item: OutputFile) -> None:
        """Check one file and keep it (a file planned twice with the same content is kept once)."""
        pure = PurePosixPath(item.path)
        if pure.is_absolute() or ".." in pure.parts or not item.path:
            self.report.error(item.origin, 1, "OUTPUT_OUTSIDE", f"输出路径「{item.path}」不在输出文件夹内")
            return
        item, digest = self._as_published(item)
        earlier = self._first.get(item.path)
        if earlier is not None:
            if self.hashes[item.path] != digest or earlier.copy_from != item.copy_from:
                self.report.error(item.origin, 1, "OUTPUT_COLLISION",
                                  f"与 {earlier.origin} 生成同一个输出文件 {item.path}：两个来源不能对应同一网址")
            return
        self.hashes[item.path] = digest
        self._first[item.path] = OutputFile(item.path, copy_from=item.copy_from, origin=item.origin)
        self.keep(item)

    def _as_published(self, item: OutputFile) -> tuple[OutputFile, str]:
        """The file as it will be published, and its SHA-256: a copy whose bytes are rewritten carries them."""
        if item.copy_from is None:
            return item, hashlib.sha256(item.data).hexdigest()
        published = self.published(item.copy_from)
        if published.data is None:
            return item, published.sha256
        return OutputFile(item.path, published.data, origin=item.origin), published.sha256

    def add_all(self, items: Iterable[OutputFile]) -> None:
        for item in items:
            self.add(item)

    def listing(self) -> list[OutputFile]:
        """Every accepted file without its content (path, copy source, origin), by path."""
        return [self._first[path] for path in sorted(self._first)]

    def keep(self, item: OutputFile) -> None:
        """Store an accepted file."""
        raise NotImplementedError

    def read(self, path: str) -> bytes:
        """The content of an accepted file."""
        raise NotImplementedError


class MemorySink(Sink):
    """Keeps every file in memory: for tests and tools that look at a plan without writing it."""

    def __init__(self, report: Report, published: Callable[[str], Published] | None = None) -> None:
        super().__init__(report, published or FileDigests().published)
        self.files: dict[str, OutputFile] = {}

    def keep(self, item: OutputFile) -> None:
        self.files[item.path] = item

    def read(self, path: str) -> bytes:
        item = self.files[path]
        return Path(item.copy_from).read_bytes() if item.copy_from is not None else item.data

    def planned(self) -> list[OutputFile]:
        """The accepted files with their content, by path."""
        return [self.files[path] for path in sorted(self.files)]


class StagedSink(Sink):
    """Writes files to a staging folder beside ``out`` as they come.

    A full build stages every file and swaps the whole folder in. An incremental build (``previous`` is
    what ``out`` holds, path → SHA-256) stages only new and changed files, then moves each into place
    atomically and removes files the build no longer makes.
    """

    def __init__(self, out: Path, report: Report, published: Callable[[str], Published],
                 previous: dict[str, str] | None = None) -> None:
        super().__init__(report, published)
        self.out = out.resolve()
        self.previous = previous
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        # mkdtemp makes the folder private (0700); the site it becomes must be readable by the web server.
        self.staging.chmod(0o755)
        self.staged: set[str] = set()

    def keep(self, item: OutputFile) -> None:
        if self.previous is None or self.previous.get(item.path) != self.hashes[item.path] \
                or not (self.out / item.path).is_file():
            _write_one(self.staging, item)
            self.staged.add(item.path)

    def read(self, path: str) -> bytes:
        return (self.staging if path in self.staged or self.previous is None else self.out).joinpath(path).read_bytes()

    def commit(self) -> None:
        """Put the staged files in place."""
        if self.previous is None:
            _swap(self.staging, self.out)
            return
        for path in sorted(self.staged):
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / path, target)
        for path in sorted(set(self.previous) - set(self.hashes), reverse=True):
            (self.out / path).unlink(missing_ok=True)
            _remove_empty_parents((self.out / path).parent, self.out)
        self.discard()

    def discard(self) -> None:
        """Remove the staging folder (after a commit, or instead of one when the build failed)."""
        shutil.rmtree(self.staging, ignore_errors=True)


def check_plan(files: Iterable[OutputFile], report: Report) -> list[OutputFile]:
    """The files that pass :meth:`Sink.add`'s checks, by path."""
    sink = MemorySink(report)
    sink.add_all(files)
    return sink.planned()


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write_one(staging: Path, item: OutputFile) -> None:
    target = staging / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if item.copy_from is not None:
        shutil.copyfile(item.copy_from, target)
    else:
        target.write_bytes(item.data)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, retired / "site")
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(retired / "site", out)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
