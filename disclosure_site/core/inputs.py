"""Reading the files editors and site maintainers write: bounded in size, UTF-8 only, and a file that
cannot be read is a message naming it, never a traceback."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .diagnostics import Report

MIB = 1024 * 1024
MAX_ENTRY_BYTES = 2 * MIB
"""An entry file (front matter and body). The whole Civil Code, 1,260 articles, is about 0.35 MB of UTF-8,
and long tables belong in attachments or datasets; Python-Markdown converts about 0.5 MB a second, so this
keeps one file to a few seconds and a few tens of MB of memory."""
MAX_CATALOG_BYTES = 1 * MIB
"""catalog.yaml. A bureau's catalogue with a few hundred columns is 20–50 KB."""
MAX_CSV_BYTES = 20 * MIB
"""A dataset CSV: a year of hourly readings from ten monitoring stations is about 7 MB. Checking a file takes
about 16 times its size in memory (a 20 MB file ~320 MB), so larger tables are split, e.g. one file a year."""

NO_READ_PERMISSION = "没有读取权限：请让管理员给运行生成器的账户开放读取权限（如 chmod a+r）"
NOT_UTF8_MESSAGE = "文件不是 UTF-8 编码：请在编辑器中以「UTF-8」（不是 GBK/GB2312）重新保存"


class SourceFileError(Exception):
    """A source file found unusable while generating pages (template, asset, entry body): reported, not a crash."""

    def __init__(self, rel: str, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.rel = rel
        self.line = line
        self.code = code
        self.message = message


def read_limited(path: Path, rel: str, limit: int, report: Report) -> bytes | None:
    """The bytes of ``path``, or None after reporting a file over ``limit`` or one that cannot be read.

    Never reads more than ``limit`` + 1 bytes, so a huge file costs no memory before it is refused.
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # Ask for what the file holds (one byte more shows growth): reading limit + 1 bytes outright would
            # allocate the whole limit for every small file. A size of 0 may be a device or pipe: read to the limit.
            data = handle.read(min(size, limit) + 1 if size else limit + 1)
            size = max(size, len(data))
    except OSError as exc:
        report.error(rel, 1, "FILE_UNREADABLE", unreadable_message(exc))
        return None
    if len(data) > limit:
        report.error(rel, 1, "FILE_TOO_LARGE",
                     f"文件有 {megabytes(size)}，超过了这类文件的上限 {megabytes(limit)}：请删去多余内容，"
                     "或把它拆成几个文件（正文中的长表格可作为附件或数据集发布）")
        return None
    return data


def read_source(path: Path, rel: str) -> bytes:
    """The bytes of a template or asset; raises :class:`SourceFileError` when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceFileError(rel, 1, "FILE_UNREADABLE", unreadable_message(exc)) from None


def utf8_text(data: bytes, rel: str) -> str:
    """``data`` decoded (a byte-order mark is dropped); raises :class:`SourceFileError` naming the first bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(rel, bad_utf8_line(data, exc), "NOT_UTF8", NOT_UTF8_MESSAGE) from None


def bad_utf8_line(data: bytes, exc: UnicodeDecodeError) -> int:
    """The 1-based line holding the first byte that is not UTF-8."""
    return data[: exc.start].count(b"\n") + 1


def unreadable_message(exc: OSError, what: str = "文件") -> str:
    """Why a file (or folder) could not be read, in words an editor can act on."""
    if isinstance(exc, PermissionError):
        reason = NO_READ_PERMISSION
    elif isinstance(exc, IsADirectoryError):
        reason = "这里应是一个文件，现在是一个文件夹：请改名或移走该文件夹"
    elif isinstance(exc, FileNotFoundError):
        reason = "文件在读取时已不存在（可能正被移动或删除）：请确认后重新运行"
    else:
        reason = f"{exc.strerror or exc}：请检查该文件"
    return f"无法读取该{what}，{reason}"


def megabytes(size: int) -> str:
    """``2 MB``, ``2.1 MB``: tenths rounded up, so a file just over a limit never reads as equal to it."""
    tenths = -(-size * 10 // MIB)
    return f"{tenths // 10}.{tenths % 10} MB" if tenths % 10 else f"{tenths // 10} MB"


CONTENT_DIR = "content"
"""The folder of a site that holds its entries and their files."""


def real_path(path: Path) -> Path:
    """The file ``path`` names, symlinks followed; never raises: a loop, an over-long or odd name names no file."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path


@functools.lru_cache(maxsize=16)
def content_folder(root: Path) -> Path:
    """``content/`` of the site at ``root``, symlinks followed (asked once per attachment, link and dataset)."""
    return real_path(root / CONTENT_DIR)


def is_file(path: Path) -> bool:
    """``path.is_file()`` that answers False instead of raising for over-long names or NUL bytes."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
