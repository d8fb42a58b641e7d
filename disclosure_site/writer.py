"""The only code that touches the output folder: plans are checked, then swapped in at once."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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


def check_plan(files: Iterable[OutputFile], report: Report) -> list[OutputFile]:
    """Reject two different files at one path and paths escaping the output root."""
    planned: dict[str, OutputFile] = {}
    for item in files:
        pure = PurePosixPath(item.path)
        if pure.is_absolute() or ".." in pure.parts or not item.path:
            report.error(item.origin, 1, "OUTPUT_OUTSIDE", f"输出路径「{item.path}」不在输出文件夹内")
            continue
        earlier = planned.get(item.path)
        if earlier is not None and earlier != item:
            report.error(item.origin, 1, "OUTPUT_COLLISION",
                         f"与 {earlier.origin} 生成同一个输出文件 {item.path}：两个来源不能对应同一网址")
            continue
        planned[item.path] = item
    return [planned[path] for path in sorted(planned)]


def write_site(files: list[OutputFile], out: Path) -> None:
    """Write every file to a fresh folder beside ``out``, then swap it in; ``out`` is never half-written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for item in files:
            _write_one(staging, item)
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def write_changes(files: list[OutputFile], out: Path, hashes: dict[str, str], previous: dict[str, str]) -> None:
    """Bring ``out`` from the build described by ``previous`` (path → SHA-256) to ``files``, writing only what changed.

    Each file is replaced atomically (written beside its target, then renamed), so a reader sees the old or
    the new file, never half of one; files the new build no longer has are removed.
    """
    out = out.resolve()
    for item in files:
        if previous.get(item.path) != hashes[item.path] or not (out / item.path).is_file():
            _replace(out, item)
    planned = {item.path for item in files}
    for path in sorted(set(previous) - planned, reverse=True):
        target = out / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, out)


def _replace(out: Path, item: OutputFile) -> None:
    target = out / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    _write_one(partial.parent, OutputFile(partial.name, item.data, item.copy_from))
    os.replace(partial, target)


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
