"""Entry pages rendered in worker processes, one chunk of entries per task.

Workers are forked, so they start with the catalogue and the template environment already in memory
and only the finished files travel back. Results come back in catalogue order, so the output is the
same as a single-process build. Where forking is unavailable or unsafe (other threads running), or the site is small enough that
starting workers costs more than it saves, the entries are rendered in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue
from ..model.edition import Edition
from ..model.output import OutputFile
from .entry_page import entry_files
from .templating import Renderer, RenderError

MIN_ENTRIES_PER_WORKER = 250
"""Below this many entries per worker, forking costs more than it saves."""
CHUNK = 100
"""Entries per task: big enough to amortise the round trip, small enough to keep both cores busy."""
CHUNKS_PER_WORKER = 10
"""A worker is replaced by a fresh fork after this many chunks. Reading entries writes their reference
counts, so a long-lived worker slowly copies the whole catalogue it shares with the parent (at 100,000
entries each worker grew to over 1 GB of its own); a fresh fork starts sharing again."""

_STATE: dict[str, Any] = {}
"""What forked workers inherit: the renderer and the edition (set just before the pool starts)."""


def default_jobs() -> int:
    """Every core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def render_entries(renderer: Renderer, edition: Edition, jobs: int, progress: Callable[[str, int, int], None],
                   report: Report | None = None) -> Iterator[OutputFile]:
    """Every published entry's page, attachments and linked files, in catalogue order, a chunk at a time.

    When a worker fails, ``report`` is told why before every entry is rendered again in this process.
    """
    cat = edition.catalogue
    total = len(cat.published)
    workers = min(jobs, total // MIN_ENTRIES_PER_WORKER)
    # Forking copies only the calling thread; a process running other threads (a browser driver, a
    # file watcher) could hand its workers a lock held forever, so such a process renders by itself.
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from _serial(renderer, edition, progress)
        return
    _STATE.update(renderer=renderer, edition=edition)
    cat.steps.share()
    # Objects made so far are never collected in the workers, so the pages holding them stay shared.
    gc.freeze()
    _FORKING[0] = True
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_begin_worker,
                                                    maxtasksperchild=CHUNKS_PER_WORKER)
    try:
        for done, result in enumerate(pool.imap(_render_chunk, range(0, total, CHUNK)), start=1):
            if isinstance(result, str):
                _worker_failed(cat, done, result, report)
                break
            chunk, work = result
            cat.steps.absorb(work)
            yield from chunk
            progress("生成条目页", min(done * CHUNK, total), total)
        else:
            # Let the workers finish by themselves: no signal, no replacement worker forked at the last moment.
            pool.close()
            pool.join()
            return
    finally:
        pool.terminate()
        _FORKING[0] = False
        _STATE.clear()
        gc.unfreeze()
    # A worker failed (a template error): render here, where the error is raised with its full context.
    yield from _serial(renderer, edition, progress)


def _serial(renderer: Renderer, edition: Edition, progress: Callable[[str, int, int], None]) -> Iterator[OutputFile]:
    published = edition.catalogue.published
    for number, entry in enumerate(published, start=1):
        yield from entry_files(renderer, edition, entry)
        if number % 200 == 0 or number == len(published):
            progress("生成条目页", number, len(published))


def _begin_worker() -> None:
    _STATE["edition"].catalogue.steps.begin_worker()


_FORKING = [False]
"""True while a pool may fork page workers; the fork hooks below act only then."""
_HELD = {signal.SIGINT, signal.SIGTERM}


def _before_fork() -> None:
    # A SIGTERM that reaches a worker between fork() and its first Python code would be swallowed by the parent's
    # Python handler (the child drops its pending flags), leaving a worker the pool can never stop. Held here, it
    # waits until the child has the default action back, and then ends it.
    if _FORKING[0]:
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _after_fork_in_child() -> None:
    if _FORKING[0]:
        # Ctrl+C reaches the whole process group: the parent stops the pool and tidies up, so a worker neither
        # prints its own traceback nor runs the parent's SIGTERM handler; the pool's SIGTERM simply ends it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


def _after_fork_in_parent() -> None:
    if _FORKING[0]:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child, after_in_parent=_after_fork_in_parent)


def _render_chunk(start: int) -> tuple[list[OutputFile], object] | str:
    """One chunk's files and cache work, or why rendering failed (a template error does not survive pickling)."""
    renderer: Renderer = _STATE["renderer"]
    edition: Edition = _STATE["edition"]
    cat = edition.catalogue
    try:
        files = [f for entry in cat.published[start:start + CHUNK] for f in entry_files(renderer, edition, entry)]
    except (RenderError, jinja2.TemplateError):
        return ""  # raised again, with its template and line, when this process renders the entries itself
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return files, cat.steps.worker_results()


def _worker_failed(cat: Catalogue, chunk: int, reason: str, report: Report | None) -> None:
    """Say what stopped a worker: the serial re-run shows a template error again, but nothing else that failed."""
    if report is not None and reason:
        first = cat.published[(chunk - 1) * CHUNK]
        report.notice(first.rel, 1, "WORKER_FAILED",
                      f"并行生成从本条目开始的一批条目页时工作进程出错（{reason}），已改为在主进程中逐条重新生成全部条目页")
