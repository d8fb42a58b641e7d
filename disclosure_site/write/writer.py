"""The only code that touches the output folder: files are checked as they come, staged, then put in place at once.

A :class:`StagedSink` writes each file to a staging folder as soon as it is made, so a build holds
only paths and hashes in memory however large the site; nothing reaches ``out`` until
:meth:`StagedSink.commit`, and a failed build leaves ``out`` as it was.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..core.diagnostics import Report
from ..core.published import FileDigests, Published
from ..model.output import OutputFile
from .outfolder import Claim, remove_leftovers, stamp


class Sink:
    """Receives output files; refuses paths outside the output folder and two different files at one path."""

    def __init__(self, report: Report, published: Callable[[str], Published],
                 allowed: Callable[[str], bool] | None = None) -> None:
        """``published`` tells what is published for a copied source file (:meth:`FileDigests.published`);
        ``allowed`` says whether a source file may be copied to the site at all (the publish set)."""
        self.report = report
        self.published = published
        self.allowed = allowed
        self.hashes: dict[str, str] = {}
        """SHA-256 of every accepted file, by path."""
        self._first: dict[str, OutputFile] = {}

    def add(self, item: OutputFile) -> None:
        """Check one file and keep it (a file planned twice with the same content is kept once)."""
        if not item.path or item.path.startswith("/") or ".." in item.path.split("/"):
            self.report.error(item.origin, 1, "OUTPUT_OUTSIDE", f"输出路径「{item.path}」不在输出文件夹内")
            return
        if item.copy_from is not None and self.allowed is not None and not self.allowed(item.copy_from):
            # The rules keep private files out; this is the last lock on the door should a new output forget them.
            self.report.error(item.origin, 1, "FILE_NOT_PUBLISHED",
                              f"文件 {item.path} 不属于任何已发布条目，不能复制到网站（生成器的保护性检查，请报告维护人员）")
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
        if item.unchanged is not None:
            return item, item.unchanged
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


    def carry(self, paths: frozenset[str]) -> bool:
        """Keep the last build's files at ``paths`` instead of making them again; False when this sink has no
        last build to keep them from (they must then be made)."""
        return False

class MemorySink(Sink):
    """Keeps every file in memory: for tests and tools that look at a plan without writing it."""

    def __init__(self, report: Report, published: Callable[[str], Published] | None = None) -> None:
        super().__init__(report, published or FileDigests().published)
        self.files: dict[str, OutputFile] = {}

    def keep(self, item: OutputFile) -> None:
        if item.unchanged is not None:
            raise OutputGone(item.path)
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
                 previous: dict[str, str] | None = None, allowed: Callable[[str], bool] | None = None) -> None:
        super().__init__(report, published, allowed)
        self.out = Path(os.path.realpath(out))
        self.previous = previous
        with disk_errors(self.out.parent):
            self.out.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(self.out)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
            # Held until discard(): a later build never removes a staging folder whose build is still running.
            self.claim = Claim(self.staging)
            # mkdtemp makes the folder private (0700); the site it becomes must be readable by the web server.
            self.staging.chmod(0o755)
            stamp(self.staging)
        self.staged: set[str] = set()
        self.folders: set[str] = set()
        """Folders of the staging folder made so far."""

    def carry(self, paths: frozenset[str]) -> bool:
        """Leave these files of ``out`` as the last build wrote them: their hashes come from ``previous``, so
        SHA256SUMS still lists them, and they are not removed as files this build no longer makes."""
        if self.previous is None:
            return False
        for path in sorted(paths & self.previous.keys()):
            self.hashes[path] = self.previous[path]
        return True

    def keep(self, item: OutputFile) -> None:
        # os.path, not pathlib: this runs for every file of the site, and a Path per file cost a quarter second.
        if self.previous is None or self.previous.get(item.path) != self.hashes[item.path] \
                or not os.path.isfile(os.path.join(self.out, item.path)):
            if item.unchanged is not None:
                raise OutputGone(item.path)
            with disk_errors(self.staging / item.path, item.copy_from):
                _write_one(self.staging, item, self.folders)
            self.staged.add(item.path)

    def read(self, path: str) -> bytes:
        return (self.staging if path in self.staged or self.previous is None else self.out).joinpath(path).read_bytes()

    def commit(self) -> None:
        """Put the staged files in place."""
        with disk_errors(self.out):
            if self.previous is None:
                _swap(self.staging, self.out)
                return
            self._replace_changed()
        self.discard()

    def _replace_changed(self) -> None:
        for path in sorted(self.staged):
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / path, target)
        gone = sorted(set(self.previous or ()) - set(self.hashes), reverse=True)
        for path in gone:
            (self.out / path).unlink(missing_ok=True)
        # Each folder once, deepest first (listing a folder per removed file took seconds for a dropped index).
        for folder in sorted({(self.out / path).parent for path in gone}, key=lambda f: len(f.parts), reverse=True):
            _remove_empty_parents(folder, self.out)
        stamp(self.out)  # a folder from before the stamp existed gets one now

    def discard(self) -> None:
        """Remove the staging folder (after a commit, or instead of one when the build failed or was stopped)."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.claim.release()


class OutputGone(Exception):
    """A file handed over as unchanged since the last build is not in the output folder as that build wrote it
    (removed or replaced meanwhile, or the folder rebuilt by another run): its content must be made again."""


class DiskError(Exception):
    """Reading a source or writing the output failed for a reason outside the content: exit code 2."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message


_REASONS = {errno.EACCES: "没有权限", errno.EPERM: "不允许的操作", errno.ENOSPC: "磁盘空间不足",
            errno.EDQUOT: "超出磁盘配额", errno.EROFS: "只读文件系统", errno.EBUSY: "正被占用（可能是挂载点）",
            errno.EXDEV: "跨文件系统", errno.EIO: "读写错误", errno.ENAMETOOLONG: "文件名过长"}


@contextlib.contextmanager
def disk_errors(path: Path, source: str | None = None) -> Iterator[None]:
    """Turn an OSError into a :class:`DiskError` naming the file, in Chinese."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or path
        reading = source is not None and str(where) == source
        reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise DiskError(where, f"无法{'读取' if reading else '写入'} {where}：{reason}（原有输出未改动）") from None


def check_plan(files: Iterable[OutputFile], report: Report) -> list[OutputFile]:
    """The files that pass :meth:`Sink.add`'s checks, by path."""
    sink = MemorySink(report)
    sink.add_all(files)
    return sink.planned()


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write_one(staging: Path, item: OutputFile, folders: set[str]) -> None:
    """Write one file under ``staging``; ``folders`` are those made already (a full build writes 30,000 files at
    10,000 entries, and a Path, a mkdir and a write_bytes per file cost a second of it)."""
    target = os.path.join(staging, item.path)
    folder = os.path.dirname(target)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    if item.copy_from is not None:
        shutil.copyfile(item.copy_from, target)
        return
    with open(target, "wb") as handle:
        handle.write(item.data)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    claim = Claim(retired)
    try:
        # Between the two renames there is no output at all: Ctrl+C or SIGTERM must wait until both are done.
        with _signals_held():
            os.rename(out, retired / "site")
            try:
                os.rename(staging, out)
            except OSError:
                os.rename(retired / "site", out)
                raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
        claim.release()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Note Ctrl+C and SIGTERM instead of acting on them while the block runs, then act on the first one noted."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread, which is then not the one swapping
        return
    noted: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: noted.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if noted:
            signal.raise_signal(noted[0])
