"""The build, step by step: discover → parse → validate → rules → render + outputs → write.

``check`` is the first half of ``build``; ``serve`` calls ``build`` unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .catalogue import Catalogue
from .checksums import sums_file
from .config import load_catalog
from .diagnostics import Report
from .exports import export_files
from .history import load_history
from .opendata import catalogue_json
from .parallel import default_jobs
from .render import render_site
from .rules import apply_rules
from .search import exact_lookup_files
from .search_index import SearchIndexError, search_index_files
from .sources import discover, read_entry
from .syndication import syndication_files
from .templating import RenderError
from .validate import validate_entry
from .writer import OutputFile, check_plan, write_site

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


def check(root: Path, today: dt.date) -> Outcome:
    """Load and validate everything; write nothing."""
    report = Report()
    catalog = load_catalog(root, report)
    if catalog is None:
        return Outcome(report)
    raw_entries = [read_entry(source, report) for source in discover(root)]
    entries = [validate_entry(raw, catalog, root, report) for raw in raw_entries if raw is not None]
    catalogue = Catalogue(catalog, today, [entry for entry in entries if entry is not None], root)
    apply_rules(catalogue, report)
    return Outcome(report, catalogue)


def build(root: Path, out: Path, today: dt.date, *, strict: bool = False, progress: Progress | None = None,
          search: bool = True, history: bool = True, jobs: int | None = None) -> Outcome:
    """Check, then render every output and swap it into ``out``; on any problem ``out`` is untouched.

    ``search=False`` skips the full-text index (Pagefind), for tests that look at other outputs;
    ``history=False`` leaves out the git revision history, for sites whose history is not theirs (goldens).
    """
    outcome = check(root, today)
    if outcome.catalogue is None or outcome.report.fails(strict=strict):
        return outcome
    if history:
        outcome.catalogue.history = load_history(root, outcome.report)
    files = plan(outcome.catalogue, root, outcome.report, progress or _silent, search=search,
                 jobs=jobs or default_jobs())
    files = check_plan(files, outcome.report)
    if outcome.report.fails(strict=strict):
        return outcome
    write_site(files, out)
    outcome.files = len(files)
    return outcome


def plan(catalogue: Catalogue, root: Path, report: Report, progress: Progress, *, search: bool = True,
         jobs: int = 1) -> list[OutputFile]:
    """Every output file, in memory; template and indexing errors become diagnostics."""
    try:
        pages = [*render_site(catalogue, root, progress, jobs), *catalogue_json(catalogue), *export_files(catalogue),
                 *exact_lookup_files(catalogue)]
        outputs = [*pages, *syndication_files(catalogue, pages)]
        if search:
            progress("生成搜索索引", 0, 1)
            outputs += search_index_files(catalogue, pages)
        # Last, because SHA256SUMS lists every other output file.
        return [*outputs, sums_file(outputs, catalogue.digests)]
    except SearchIndexError as exc:
        report.error("pagefind", 1, "SEARCH_INDEX", f"生成全文搜索索引失败：{exc}")
    except jinja2.TemplateSyntaxError as exc:
        where = f"templates/{exc.name or exc.filename}"
        report.error(where, exc.lineno, "TEMPLATE_SYNTAX", f"模板语法错误：{exc.message}")
    except RenderError as exc:
        where, line = exc.location()
        source = f"（来自 {exc.origin}）" if exc.origin.startswith("content/") else " "
        report.error(where, line, "TEMPLATE_ERROR", f"生成 {exc.page}{source}时模板出错：{exc}")
    return []
