"""The full-text search index: Pagefind (extended build, for Chinese word segmentation) over published pages.

Only entry pages are indexed, straight from the rendered files in memory, so what can be found is
exactly what is published. Attachments whose text can be read (PDF with a text layer, plain text,
CSV, Markdown) are added as records of their own, under the entry's filters.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import logging
import os
import re
import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

import cbor2

from ..core.diagnostics import Report
from ..model import urls
from ..model.catalogue import Catalogue
from ..model.entry import Attachment, Entry
from ..model.output import OutputFile

INDEX_FOLDER = "pagefind"
SHARD_FOLDER = "shards"
"""Under ``pagefind/``: the older shards' indexes, merged by the search page at query time."""
SHARD_PAGES = 3000
"""Most entries in one Pagefind index: Pagefind holds a whole index in memory, about 0.16 GB per 1,000 entry pages
(measured at 100,000 entries), so a shard costs about 0.5 GB however large the catalogue."""
TEXT_SUFFIXES = (".txt", ".csv", ".md")
"""Attachments read as text (UTF-8, else GB18030 as saved by Chinese Windows)."""
PDF_SUFFIX = ".pdf"
UNUSED_BUNDLE_FILES = re.compile(r"^pagefind-((component-|modular-)?ui\.(js|css)|highlight\.js)$")
"""Pagefind's ready-made interfaces: the search page has its own, lighter and fully Chinese one."""
ATTACHMENT_WEIGHT = 0.5
"""Pagefind weight of attachment text (body text is 1, the title 7): a page that says it ranks above one whose
attachment only mentions it."""
MAX_ATTACHMENT_TEXT = 20_000
"""Characters of an attachment kept for search; enough for any query, small enough for the index."""


class SearchIndexError(Exception):
    """Pagefind could not be started or failed; the build reports it instead of publishing without search."""


@dataclass(frozen=True)
class Shard:
    """One Pagefind index over the entries of consecutive publication years."""

    name: str
    """``2019`` or ``2019-2021``, with ``-2``, ``-3``… when one year needs several shards."""
    entries: tuple[Entry, ...]

    def folder(self, primary: bool) -> str:
        """The newest shard is the index the search page loads; the others are merged into it."""
        return INDEX_FOLDER if primary else f"{INDEX_FOLDER}/{SHARD_FOLDER}/{self.name}"


def shards(cat: Catalogue) -> list[Shard]:
    """Published entries split by year into indexes of at most :data:`SHARD_PAGES` entries, oldest first.

    A year always lands in the same shard while the years before it keep their counts, so an edit
    re-indexes one shard, and Pagefind's memory is bounded by the shard size, not by the catalogue.
    """
    by_year: dict[str, list[Entry]] = defaultdict(list)
    for entry in sorted(cat.published, key=lambda e: e.serial):
        by_year[entry.serial[:4]].append(entry)
    groups: list[list[tuple[str, list[Entry]]]] = [[]]
    for year in sorted(by_year):
        for part, start in enumerate(range(0, len(by_year[year]), SHARD_PAGES), start=1):
            piece = by_year[year][start:start + SHARD_PAGES]
            label = year if len(by_year[year]) <= SHARD_PAGES else f"{year}-{part}"
            if sum(len(p) for _, p in groups[-1]) + len(piece) > SHARD_PAGES:
                groups.append([])
            groups[-1].append((label, piece))
    return [Shard(_shard_name(group), tuple(e for _, piece in group for e in piece)) for group in groups if group]


def _shard_name(group: list[tuple[str, list[Entry]]]) -> str:
    first, last = group[0][0], group[-1][0]
    return first if first == last else f"{first}_{last}"


def merged_shard_folders(cat: Catalogue) -> list[str]:
    """Folders of the shards the search page merges into the newest one (empty for most sites)."""
    return [shard.folder(primary=False) for shard in shards(cat)[:-1]]


def search_index_files(cat: Catalogue, read: Callable[[str], bytes], hashes: dict[str, str],
                       report: Report | None = None) -> list[OutputFile]:
    """``pagefind/…``: the index of every published entry page with its readable attachments, one shard at a time.

    ``read`` gives a written page's bytes and ``hashes`` their SHA-256. The newest shard also holds the generated
    pages people search for (公开指南, 依申请公开 …). Each shard is indexed by a Pagefind process of its own and
    reused from the cache while its pages and attachments are unchanged. An attachment whose text cannot be read
    is still published; ``report`` is told it is not searchable.
    """
    planned = shards(cat) or [Shard(str(cat.today.year), ())]
    files = []
    for number, shard in enumerate(planned, start=1):
        primary = number == len(planned)
        entries = [IndexedPage(urls.entry_page(e), hashes[urls.entry_page(e)], attachment_sections(e, report))
                   for e in shard.entries]
        generated = [IndexedPage(path, hashes[path], "") for path in urls.SEARCHABLE_PAGES if primary and path in hashes]
        pages = WrittenPages((*entries, *generated), read)
        files += cat.steps.run("search-index", _index, pages, shard.folder(primary))
    return files


@dataclass(frozen=True)
class IndexedPage:
    """A page already written in this build, named by its SHA-256, and the attachment text indexed with it."""

    path: str
    """Output path."""
    digest: str
    """SHA-256 of the written page: what the cache key holds instead of its text."""
    attachments: str
    """HTML sections holding the text of the entry's readable attachments; empty for most pages."""


@dataclass(frozen=True)
class WrittenPages:
    """The pages one index is made from, read back from the build when indexed."""

    pages: tuple[IndexedPage, ...]
    """Every page of the shard."""
    read: Callable[[str], bytes] = field(repr=False, compare=False)
    """Gives a written page's bytes; the digests above name what it gives."""


def _index(pages: WrittenPages, folder: str) -> list[OutputFile]:
    with PagefindProcess() as pagefind:
        index_id = pagefind.request({"type": "NewIndex", "config": {"force_language": "zh-cn"}})["index_id"]
        for page in pages.pages:
            document = indexed_part(pages.read(page.path).decode("utf-8"), page.attachments)
            pagefind.request({"type": "AddFile", "index_id": index_id, "url": "/" + page.path,
                              "file_path": None, "file_contents": document})
        # The files come back in the reply rather than through the disk, so nothing is read before it is complete.
        reply = pagefind.request({"type": "GetFiles", "index_id": index_id})
        return canonical_filters(_collect(reply["files"], folder), folder)


def indexed_part(html: str, attachments: str = "") -> str:
    """Only the page's ``<article>`` (the part marked ``data-pagefind-body``), in a minimal document.

    Pagefind would parse the header, navigation and footer of every page only to ignore them;
    sending the article alone halves its work on a large catalogue. A page without an article
    (a customised template) is sent whole. ``attachments`` goes inside the article, so that a match in an
    attachment finds its entry rather than a file of its own.
    """
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < start:
        return html
    return f'<!DOCTYPE html><html lang="zh-CN"><body>{html[start:end]}{attachments}</article></body></html>'


class PagefindProcess:
    """The Pagefind indexer in service mode, spoken to one request at a time.

    The ``pagefind`` package's own client waits 0.1 s before reading each answer, which costs
    minutes on a large catalogue; the protocol itself (base64 JSON messages ended by a comma) is
    simple enough to speak directly and synchronously.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.message_id = 0

    def __enter__(self) -> PagefindProcess:
        try:
            from pagefind.service import get_executable
            binary = get_executable()
            if binary is None:
                raise SearchIndexError("找不到 Pagefind 程序（请安装 pagefind[extended]）")
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except (ImportError, OSError) as exc:
            raise SearchIndexError(f"无法启动 Pagefind：{exc}") from exc
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            if exc_type is not None:  # stopped (Ctrl+C, SIGTERM) or failed: its work is no longer wanted
                self.process.kill()
            self.process.stdin.close()
            self.process.wait(timeout=30)

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer; a Pagefind error becomes SearchIndexError."""
        assert self.process is not None and self.process.stdin is not None
        self.message_id += 1
        message = {"message_id": self.message_id, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self.process.stdin.flush()
            answer: dict[str, Any] = json.loads(base64.b64decode(self._read_message()))["payload"]
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"与 Pagefind 通信失败：{exc}") from exc
        if answer.get("type") == "Error":
            raise SearchIndexError(str(answer.get("message")))
        return answer

    def _read_message(self) -> bytes:
        assert self.process is not None and self.process.stdout is not None
        while b"," not in self.buffer:
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise OSError("Pagefind 意外退出")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
        return message


def _collect(files: list[dict[str, str]], folder: str) -> list[OutputFile]:
    found = [OutputFile(f"{folder}/{f['path']}", base64.b64decode(f["content"]), origin="search")
             for f in files if not UNUSED_BUNDLE_FILES.match(f["path"].rsplit("/", 1)[-1])]
    return sorted(found, key=lambda f: f.path)


def canonical_filters(files: list[OutputFile], folder: str = INDEX_FOLDER) -> list[OutputFile]:
    """Filter files with their values sorted, renamed and referenced by a hash of their content.

    Pagefind writes each filter's values in hash-map order, which changes from run to run, and the
    index's metadata file names those files; sorting them makes the index byte-identical for the
    same content, as the rest of the site is.
    """
    renamed: dict[str, str] = {}
    kept = []
    for item in files:
        if item.path.startswith(f"{folder}/filter/"):
            name, values = _unpack(item.data)
            data = _pack([name, sorted(values, key=lambda v: str(v[0]))])
            old = PurePosixPath(item.path).stem
            renamed[old] = _hashed_name(old, data, 7)
            kept.append(OutputFile(f"{folder}/filter/{renamed[old]}.pf_filter", data, origin="search"))
        else:
            kept.append(item)
    return _rename_meta(kept, renamed, folder)


def _rename_meta(files: list[OutputFile], filters: dict[str, str], folder: str) -> list[OutputFile]:
    out, entry = [], None
    new_meta: dict[str, str] = {}
    for item in files:
        if item.path.endswith(".pf_meta"):
            meta = _unpack(item.data)
            meta[3] = sorted([[name, filters.get(h, h)] for name, h in meta[3]])
            data = _pack(meta)
            old = PurePosixPath(item.path).name.removeprefix("pagefind.").removesuffix(".pf_meta")
            new_meta[old] = _hashed_name(old, data, 13)
            out.append(OutputFile(f"{folder}/pagefind.{new_meta[old]}.pf_meta", data, origin="search"))
        elif item.path == f"{folder}/pagefind-entry.json":
            entry = item
        else:
            out.append(item)
    if entry is not None:
        text = entry.data.decode("utf-8")
        for old, new in new_meta.items():
            text = text.replace(f'"{old}"', f'"{new}"')
        out.append(OutputFile(entry.path, text.encode("utf-8"), origin="search"))
    return sorted(out, key=lambda f: f.path)


_MAGIC = b"pagefind_dcd"


def _unpack(data: bytes) -> Any:
    return cbor2.loads(gzip.decompress(data)[len(_MAGIC):])


def _pack(value: Any) -> bytes:
    return gzip.compress(_MAGIC + cbor2.dumps(value), mtime=0)


def _hashed_name(old: str, data: bytes, digits: int) -> str:
    language = old.rsplit("_", 1)[0]
    return f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"


ATTACHMENT_ANCHOR = "attachment-"
"""Id prefix of an attachment's section in the indexed document; search.js shows such a match as 「附件：…」."""


def attachment_sections(entry: Entry, report: Report | None = None) -> str:
    """The text of the entry's readable attachments as low-weight sections of its indexed document.

    Each section's heading carries an id, so Pagefind reports a match there as a sub-result of the entry, and a
    meta value gives the file's address for the search page's 「附件：…」 line.
    """
    sections = []
    for number, attachment in enumerate(entry.attachments, start=1):
        try:
            text = attachment_text(attachment)
        except NotIndexed as exc:
            if report is not None:
                report.notice(entry.rel, attachment.line, "ATTACHMENT_NOT_INDEXED",
                              f"附件「{attachment.title}」（{attachment.content_path}）照常发布，但读不出其中的文字（{exc}），"
                              "不能被站内搜索找到：如需检索，请换成可复制文字的 PDF")
            continue
        if text:
            anchor, address = f"{ATTACHMENT_ANCHOR}{number}", escape(urls.attachment_file(attachment))
            sections.append(
                f'<section data-pagefind-weight="{ATTACHMENT_WEIGHT}">'
                f'<div data-pagefind-ignore><span data-pagefind-meta="{anchor}">{address}</span></div>'
                f'<h2 id="{anchor}" data-pagefind-weight="{ATTACHMENT_WEIGHT}">附件：{escape(attachment.title)}</h2>'
                f"<p>{escape(text)}</p></section>")
    return "".join(sections)


def attachment_text(attachment: Attachment) -> str:
    """The readable text of an attachment, or "" (scans, office files, images)."""
    source = Path(attachment.source)
    suffix = source.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _decode(source.read_bytes())
    elif suffix == PDF_SUFFIX:
        text = _pdf_text(source.read_bytes())
    else:
        return ""
    return " ".join(text.split())[:MAX_ATTACHMENT_TEXT]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


class NotIndexed(Exception):
    """An attachment whose text could not be read (a damaged or encrypted PDF): published, but not searchable."""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise NotIndexed(f"PDF 已损坏或加密：{type(exc).__name__}") from None
