"""The build, step by step: discover → parse → validate → rules → render + outputs → write.

``check`` is the first half of ``build``; ``serve`` calls ``build`` unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .body.links import resolve_all
from .cache.memo import CACHE_DIR, Memo, memo_for
from .cache.steps import CachedSteps, Kept, Written, remember_manifest, written_manifest
from .core.diagnostics import Report
from .core.inputs import SourceFileError
from .load.entries import load_entries
from .load.history import load_history
from .load.site import load_catalog
from .load.sources import outside_links
from .model.catalogue import Catalogue
from .model.edition import Edition
from .model.numbering import UsedNumbers
from .outputs.exports import all_record_texts, export_files
from .outputs.feeds import syndication_files
from .outputs.opendata import catalogue_json
from .outputs.search import exact_lookup_files
from .outputs.search_index import SearchIndexError, search_index_files
from .render.pages import render_site
from .render.parallel import default_jobs
from .render.templating import RenderError
from .rules.numbers import against_default
from .rules.publish import publish_set
from .rules.registry import apply_rules
from .write.checksums import SUMS_FILE, sums_file
from .write.outfolder import OutputRefused, check_output
from .write.writer import DiskError, OutputGone, Sink, StagedSink

Progress = Callable[[str, int, int], None]
"""Told ``(stage label, items done, items in all)`` while a long step runs."""


def _silent(_label: str, _done: int, _total: int) -> None:
    """The default progress: print nothing."""


@dataclass
class Outcome:
    """What a run found and, for a build, what it wrote."""

    report: Report
    catalogue: Catalogue | None = None
    files: int = 0
    """Number of files written (0 when nothing was written)."""
    later: frozenset[str] = frozenset()
    """Output files left as the last build wrote them (a preview's rebuild; see :func:`build`)."""


class Session:
    """What a long-running preview (``serve``) keeps between its builds: the last build's costly step results as
    objects in memory, reused for unchanged inputs without reading them back from the cache file."""

    def __init__(self) -> None:
        self.kept = Kept()


def check(root: Path, today: dt.date, memo: Memo | None = None, session: Session | None = None, *,
          against: UsedNumbers | None = None) -> Outcome:
    """Load and validate everything; write nothing (except to the cache, when one is given).

    ``against``, what the default branch holds (:func:`load.numbers.used_numbers`), also checks that this branch
    takes no 索引号 given meanwhile to another file, or once to a deleted one.
    """
    report = Report()
    steps = CachedSteps(memo or Memo(None), session.kept if session else None)
    outside_links(root, report)
    config = load_catalog(root, report)
    if config is None:
        return Outcome(report)
    config = steps.settled("catalog", config)  # pages then compare it with the last build's by identity
    loaded = Catalogue(config, today, tuple(load_entries(root, config, report, steps)), root, steps=steps)
    catalogue = dataclasses.replace(loaded, links=resolve_all(loaded, report))
    apply_rules(catalogue, report)
    if against is not None:
        against_default(catalogue, against, report)
    return Outcome(report, catalogue)


def build(root: Path, out: Path, today: dt.date, *, strict: bool = False, progress: Progress | None = None,
          search: bool = True, history: bool = True, jobs: int | None = None, cache: bool = True,
          incremental: bool = False, session: Session | None = None, later: bool = False) -> Outcome:
    """Check, then render every output and put it in ``out``; on any problem ``out`` is untouched.

    ``out`` must be new, empty or an earlier output of this tool (:func:`outfolder.check_output`), so a build
    never replaces something of the user's. ``search=False`` skips the full-text index (Pagefind), for tests that
    look at other outputs; ``history=False`` leaves out the git revision history, for sites whose history is not
    theirs (goldens); ``cache=False`` neither reads nor keeps results between builds; ``incremental`` rewrites only
    the files of ``out`` that changed since the last build instead of swapping in a whole new folder; a ``session``
    keeps step results in memory from one build to the next; ``later`` (with ``incremental``) renders the pages
    only and leaves the last build's search index, data files and feeds in place, when there are some
    (``Outcome.later`` names them): the preview's way to show an edit sooner.
    """
    try:
        check_output(out, root)
    except OutputRefused as exc:
        report = Report()
        report.error(shown_path(exc.path, root), 1, "OUTPUT_REFUSED", exc.message)
        return Outcome(report)
    memo = memo_for(root, enabled=cache)
    try:
        outcome = _build(root, out, today, memo, strict=strict, progress=progress or _silent, search=search,
                         history=history, jobs=jobs or default_jobs(), incremental=incremental, session=session,
                         later=later)
    finally:
        memo.close()
    if memo.problem:
        outcome.report.notice(CACHE_DIR, 1, "CACHE_UNUSABLE",
                              f"构建缓存无法使用，本次未使用缓存（结果不受影响，只是较慢）：{memo.problem}")
    return outcome


def _build(root: Path, out: Path, today: dt.date, memo: Memo, *, strict: bool, progress: Progress, search: bool,
           history: bool, jobs: int, incremental: bool, session: Session | None, later: bool) -> Outcome:
    outcome = check(root, today, memo, session)
    if outcome.catalogue is None or outcome.report.fails(strict=strict):
        return outcome
    edition = Edition(outcome.catalogue, load_history(root, outcome.report) if history else {})
    previous = written_manifest(memo, out, SUMS_FILE) if incremental else None
    carried = previous.later if later and previous is not None and _none_withdrawn(previous, edition) else None
    try:
        written = _write_again_if_gone(outcome.report, edition, root, out, previous, progress, strict=strict,
                                       search=search, carried=carried, jobs=jobs)
    except DiskError as exc:
        outcome.report.error(shown_path(Path(exc.path), root), 1, "OUTPUT_UNWRITABLE", exc.message)
        return outcome
    if written is not None:
        remember_manifest(memo, out, written)
        memo.save()
        edition.catalogue.steps.done()
        outcome.files = len(written.hashes)
        outcome.later = carried or frozenset()
    return outcome


def _write_again_if_gone(report: Report, edition: Edition, root: Path, out: Path, previous: Written | None,
                         progress: Progress, *, strict: bool, search: bool, carried: frozenset[str] | None,
                         jobs: int) -> Written | None:
    """:func:`_write`; if a page the session took as unchanged is no longer on disk, once more making every page."""
    found = len(report.items)

    def attempt() -> Written | None:
        return _write(report, edition, root, out, previous, progress, strict=strict, search=search, carried=carried,
                      jobs=jobs)

    try:
        return attempt()
    except OutputGone:
        del report.items[found:]  # what the first attempt said is said again
        edition.catalogue.steps.forget_slots()
        return attempt()


def _write(report: Report, edition: Edition, root: Path, out: Path, previous: Written | None, progress: Progress, *,
           strict: bool, search: bool, carried: frozenset[str] | None, jobs: int) -> Written | None:
    """Stage every output and put it in place; what ``out`` then holds, or None when a problem stopped the build."""
    sink = StagedSink(out, report, edition.digests.published, previous.hashes if previous else None,
                      allowed=publish_set(edition.catalogue).allows)
    try:
        made_later = produce(edition, root, report, progress, sink, search=search, jobs=jobs, carried=carried)
        if report.fails(strict=strict):
            return None
        sink.commit()
    finally:
        sink.discard()
    return Written(sink.hashes, made_later, _published(edition))


def _published(edition: Edition) -> frozenset[str]:
    return frozenset(entry.rel for entry in edition.catalogue.published)


def _none_withdrawn(previous: Written, edition: Edition) -> bool:
    """Whether every entry the last build published is still published: the data files, feeds and search index it
    left may be carried over only then, so that no output ever keeps an entry that has been withdrawn."""
    return previous.published <= _published(edition)


def shown_path(path: Path, root: Path) -> str:
    """A path for messages: relative to the site root when inside it."""
    real, site = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    return real.relative_to(site).as_posix() if real.is_relative_to(site) else str(real)


def produce(edition: Edition, root: Path, report: Report, progress: Progress, sink: Sink, *, search: bool = True,
            jobs: int = 1, carried: frozenset[str] | None = None) -> frozenset[str]:
    """Hand every output file to ``sink`` as soon as it is made; template and indexing errors become diagnostics.

    Returns the paths of the files made after the pages: the search index, data files and feeds. With ``carried``
    (a preview's rebuild) those files are not made again: ``sink`` keeps the last build's, and the pages' links
    to them still hold.
    """
    made: frozenset[str] = frozenset()
    try:
        sink.add_all(render_site(edition, root, progress, jobs, report))
        if carried is not None and sink.carry(carried):
            made = carried
        else:
            before = set(sink.hashes)
            _after_pages(edition, progress, sink, report, search=search)
            made = frozenset(sink.hashes.keys() - before)
        # Last, because SHA256SUMS lists every other output file.
        sink.add(sums_file(sink.hashes))
    except SourceFileError as exc:  # a template or asset that is not UTF-8 or cannot be read
        report.error(exc.rel, exc.line, exc.code, exc.message)
    except SearchIndexError as exc:
        report.error("pagefind", 1, "SEARCH_INDEX", f"生成全文搜索索引失败：{exc}")
    except jinja2.TemplateSyntaxError as exc:
        where = f"templates/{exc.name or exc.filename}"
        report.error(where, exc.lineno, "TEMPLATE_SYNTAX", f"模板语法错误：{exc.message}")
    except RenderError as exc:
        where, line = exc.location()
        source = f"（来自 {exc.origin}）" if exc.origin.startswith("content/") else " "
        report.error(where, line, "TEMPLATE_ERROR", f"生成 {exc.page}{source}时模板出错：{exc}")
    return made


def _after_pages(edition: Edition, progress: Progress, sink: Sink, report: Report, *, search: bool) -> None:
    """The search index, then the open data, exports, exact-lookup tables, feeds and sitemap."""
    catalogue = edition.catalogue
    # The index before the data exports: Pagefind's memory then adds to this process's before the
    # exports raise it (Python keeps what it once held), which keeps the peak of a large build lower.
    if search:
        progress("生成搜索索引", 0, 1)
        sink.add_all(search_index_files(catalogue, sink.read, sink.hashes, report))
    records = all_record_texts(catalogue)
    sink.add_all(catalogue_json(catalogue, records))
    sink.add_all(export_files(edition, records))
    del records  # every file that lists records is written
    sink.add_all(exact_lookup_files(catalogue))
    sink.add_all(syndication_files(edition, sink.listing()))
