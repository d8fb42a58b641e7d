"""Discover content files and split each into front matter and Markdown body."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.comments import without_comments
from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR, NOT_UTF8_MESSAGE, bad_utf8_line, real_path, unreadable_message
from ..core.yamlsource import YamlDoc, YamlProblem, parse_yaml
from ..model.numbering import STUB_BODY

ENTRY_SUFFIX = ".md"


@dataclass(frozen=True)
class SourceFile:
    """A content file found on disk."""

    path: Path
    """Absolute path of the file."""
    rel: str
    """Path relative to the site root, forward slashes, e.g. ``content/news/a.md``."""
    folder: tuple[str, ...]
    """Folders between ``content/`` and the file: the column id path it sits in."""


@dataclass(frozen=True)
class RawEntry:
    """A content file's front matter (with key lines) and body, not yet validated."""

    source: SourceFile
    front: YamlDoc
    """The front-matter mapping; its line numbers are already file line numbers."""
    body: str
    """Markdown text after the closing ``---``."""
    body_line: int
    """File line on which the body starts."""
    digest: str = ""
    """SHA-256 of the file's bytes."""
    stub_line: int | None = None
    """Line of ``new``'s placeholder when the body is nothing else: a file nobody wrote yet."""


def discover(root: Path, report: Report | None = None) -> list[SourceFile]:
    """Every ``*.md`` file under ``content/``, in a stable order; other files are attachments.

    Hidden files and folders (an editor's swap files, ``.git``) are skipped, and so is a symlink that leads out
    of the site folder (:func:`outside_links` reports it): its target is never read. A folder that cannot be
    listed is reported: its entries would otherwise vanish from the site without a word.
    """
    content = root / CONTENT_DIR

    def unlisted(exc: OSError) -> None:
        # A missing content/ is an empty site, and a folder removed while walking is gone for good.
        if report is not None and not isinstance(exc, FileNotFoundError) and exc.filename:
            rel = "/".join((CONTENT_DIR, *Path(exc.filename).relative_to(content).parts))
            report.error(rel, 1, "FILE_UNREADABLE", unreadable_message(exc, "文件夹"))

    found: list[SourceFile] = []
    folders: list[tuple[str, tuple[str, ...]]] = [(str(content), ())]
    while folders:
        folder, parts = folders.pop()
        try:
            # scandir says from the listing itself whether a name is a folder, a file or a link: at 10,000 entries
            # that saves two system calls per file, a third of discovery.
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError as exc:
            unlisted(exc)
            continue
        for item in items:
            if item.name.startswith("."):
                continue
            if _real_folder(item):
                folders.append((item.path, (*parts, item.name)))
            elif item.name.endswith(ENTRY_SUFFIX) and _entry_file(item, root):
                found.append(SourceFile(Path(item.path), "/".join((CONTENT_DIR, *parts, item.name)), parts))
    # By folder names, then file name: the order of the paths' parts, the same on every machine.
    return sorted(found, key=lambda source: (*source.folder, source.path.name))


def _real_folder(item: os.DirEntry[str]) -> bool:
    """A folder to look into: a symlink to a folder is not followed (as ``os.walk`` does not)."""
    try:
        return item.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _entry_file(item: os.DirEntry[str], root: Path) -> bool:
    """A regular file, or a symlink to one inside the site folder (a link leading out is never read)."""
    try:
        if item.is_symlink() and not real_path(Path(item.path)).is_relative_to(real_path(root)):
            return False
        return item.is_file()
    except OSError:
        return False


LINKED_FOLDERS = (CONTENT_DIR, "templates")
"""Folders whose symlinks must stay inside the site: content (and attachments) and the site's templates and assets."""


def outside_links(root: Path, report: Report) -> None:
    """A symlink in content/ or templates/ (or catalog.yaml itself) whose target lies outside the site folder is an
    error naming the link; a link inside the folder is simply its target (a broken one names no file)."""
    site = real_path(root)
    for link in _symlinks(root):
        rel = link.relative_to(root).as_posix()
        if not real_path(link).is_relative_to(site):
            report.error(rel, 1, "SYMLINK_OUTSIDE",
                         f"符号链接指向站点文件夹以外的「{os.readlink(link)}」：站点只能使用站点文件夹内的文件，"
                         "请把文件复制进来，或删除该链接")


def _symlinks(root: Path) -> list[Path]:
    found = [root / name for name in ("catalog.yaml", *LINKED_FOLDERS) if (root / name).is_symlink()]
    folders = [str(root / top) for top in LINKED_FOLDERS]
    while folders:
        try:
            # scandir knows from the directory listing whether a name is a link: no extra system call per file.
            with os.scandir(folders.pop()) as listing:
                for item in listing:
                    if item.is_symlink():
                        found.append(Path(item.path))
                    elif item.is_dir():
                        folders.append(item.path)
        except OSError:
            continue  # a folder that cannot be listed is reported by discover()
    return sorted(found)


def read_entry(source: SourceFile, report: Report, data: bytes | None = None) -> RawEntry | None:
    """Read (unless ``data`` is given) and split one file; record file-level problems and return None when unusable."""
    data = source.path.read_bytes() if data is None else data
    text = _decode(source, data, report)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.error(source.rel, 1, "NO_FRONT_MATTER", "文件必须以一行 --- 开头，后接 YAML 元数据，再以一行 --- 结束")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        report.error(source.rel, 1, "NO_FRONT_MATTER", "元数据缺少结束行 ---：请在元数据之后单独写一行 ---")
        return None
    parsed = parse_yaml("\n".join(lines[1:end]), offset=1)
    if isinstance(parsed, YamlProblem):
        report.error(source.rel, parsed.line, parsed.code, parsed.message)
        return None
    if not isinstance(parsed.data, dict):
        report.error(source.rel, 1, "FRONT_MATTER_NOT_MAPPING",
                     "元数据必须是「键: 值」形式的映射（每行一个键），现在不是：请检查 --- 之间的内容")
        return None
    written = "\n".join(lines[end + 1 :])
    body = without_comments(source.rel, written, end + 2, report)  # so no rule, page or data file sees them
    return RawEntry(source, parsed, body, end + 2, hashlib.sha256(data).hexdigest(), _stub_line(written, body, end + 2))


def _stub_line(written: str, body: str, first_line: int) -> int | None:
    """The placeholder's line when the body ``new`` wrote is all there still is; only comments tell, and check
    strips them before any rule runs."""
    at = written.find(STUB_BODY.strip())
    return first_line + written.count("\n", 0, at) if at >= 0 and not body.strip() else None


def _decode(source: SourceFile, data: bytes, report: Report) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.error(source.rel, bad_utf8_line(data, exc), "NOT_UTF8", NOT_UTF8_MESSAGE)
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        report.error(source.rel, 1, "EMPTY_FILE", "文件是空的：请填写元数据和正文，或删除该文件")
        return None
    return text
