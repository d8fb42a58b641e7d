"""``python build.py serve``: preview the site on 127.0.0.1, rebuilt and reloaded in the browser after every change.

How it fits together (livereload 2.7.1 on tornado):

* Every build is the same :func:`pipeline.build` as ``python build.py``, into the same ``out`` folder. The writer
  swaps that folder in whole, so there is never half a site on disk.
* Pages are served by :class:`~.serve_app.SiteApp`, a small WSGI app given to a :class:`~.serve_http.PreviewServer`
  (livereload's server, answering only requests addressed to 127.0.0.1, localhost or [::1]). The app runs on the
  IOLoop thread, the thread that also runs the watcher's rebuilds, so no request falls between the two renames of
  the swap.
* The app puts livereload's script (which loads ``/livereload.js?port=PORT`` and opens the ``/livereload``
  websocket) before ``</head>`` in every HTML page it serves. The error and 404 pages therefore have a ``<head>`` too:
  a browser showing them is reloaded after the next build and recovers by itself.
* While the last build failed, the app answers every request with the error page, status 500 (so a script
  cannot take it for a page), instead of files from the previous output: nothing stale, nothing half built.
* ``server.watch`` watches ``content/``, the site's ``templates/``, the default templates and ``catalog.yaml``
  (never ``out``: that would loop): the operating system reports a change, 50 ms of quiet end the burst, one poll
  confirms it and calls a :class:`Rebuilder`; livereload then tells the browsers to reload (see
  :class:`BatchWatcher`). Changes within one burst give one build.
* A rebuild reuses what the last build made (``pipeline.Session``) and leaves the search index, data files and
  feeds until they are asked for. Rebuilds render in this process; the first build renders in parallel (a cold
  start at 10,000 entries takes half the time), and :meth:`Rebuilder.learn` then goes over it once more in this
  process, so the first edit is as quick as the rest.
* Ctrl+C (SIGINT) and SIGTERM stop the preview at once, even in the middle of a build, and ``serve`` returns
  130 or 143 (see :func:`stopped_by_signal`).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from livereload.handlers import LiveReloadHandler  # type: ignore[import-untyped]
from livereload.watcher import Watcher  # type: ignore[import-untyped]
from tornado.ioloop import IOLoop, PeriodicCallback

from .. import pipeline
from ..core.diagnostics import Report
from ..core.workdays import beijing_today
from ..model.site import CATALOG_FILE
from ..render.templating import DEFAULT_TEMPLATES
from .serve_app import BuildStatus, Failure, SiteApp
from .serve_http import PreviewServer, live_script

HOST = "127.0.0.1"
"""Only this machine can see the preview; never 0.0.0.0."""
EXIT_OK, EXIT_USAGE = 0, 2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Ctrl+C and ``kill``: the preview stops and exits with 128 + the signal's number (130, 143), as a shell reports it."""


@dataclass
class Rebuilder:
    """Runs the build and records its result; livereload calls it (without arguments) after each change."""

    root: Path
    out: Path
    today: dt.date | None
    """Build date; None means the real date at each rebuild."""
    strict: bool
    quiet: bool
    cache: bool = True
    """Reuse results between builds (``--no-cache`` turns it off)."""
    status: BuildStatus = field(default_factory=BuildStatus)
    session: pipeline.Session = field(default_factory=pipeline.Session)
    """The last build's step results, kept in memory for the next rebuild."""

    def __post_init__(self) -> None:
        self.status.refresh = self.refresh

    def __call__(self) -> None:
        """Rebuild after a change; a tool bug is shown on the error page instead of stopping the preview."""
        try:
            self.build(first=False)
        except Exception as exc:  # the server must survive to show the problem and the fix
            problem = f"内部错误：{type(exc).__name__}: {exc}（请把此信息报告给网站维护人员）"
            print(problem, flush=True)
            self._record(Failure(1, [problem]))

    def build(self, *, first: bool, later: bool = True) -> None:
        """Build once and print the outcome: the problems, then a short status line.

        After the first build, only changed files are rewritten, and the search index, data files and feeds are
        left as they were until the search page or one of them is asked for (:meth:`refresh`): the edited page
        is on screen sooner.
        """
        outcome = pipeline.build(self.root, self.out, self.today or beijing_today(), strict=self.strict,
                                 cache=self.cache, incremental=not first, session=self.session,
                                 later=later and not first, jobs=None if first else 1)
        settle_memory()
        for diagnostic in outcome.report:
            print(diagnostic.format(), flush=True)
        if outcome.report.fails(strict=self.strict):
            self._record(failure_of(outcome.report, strict=self.strict))
        else:
            self.status.failure = None
            self.status.later = outcome.later
            self.say(f"已生成 {outcome.files} 个文件" if first else "已重新生成")

    def learn(self) -> None:
        """After the first build: the same build once more, in this process. It finds every file written already,
        but remembers each page's inputs, which the first build's page workers took with them when they ended:
        the first edit is then as quick as the rest. Its outcome is the first build's; nothing is printed."""
        if self.status.failure is None:
            pipeline.build(self.root, self.out, self.today or beijing_today(), strict=self.strict, cache=self.cache,
                           incremental=True, session=self.session, later=True, jobs=1)
            settle_memory()

    def refresh(self) -> None:
        """Bring the files left for later up to date now (one of them, or the search page, was asked for)."""
        self.say("正在更新站内搜索、数据下载和订阅……")
        self.build(first=False, later=False)

    def _record(self, failure: Failure) -> None:
        self.status.failure = failure
        self.say(f"构建失败：{failure.errors} 个错误（浏览器显示问题清单，改正后自动恢复）")

    def say(self, text: str) -> None:
        """Print a status line unless ``--quiet``."""
        if not self.quiet:
            print(text, flush=True)


def settle_memory() -> None:
    """Free this build's garbage, then exempt everything still alive from later garbage collections.

    What a preview keeps between builds (entries, parsed bodies, the pages' inputs) is millions of objects; each
    full collection during a rebuild walked all of them, about a quarter of a 10,000-entry rebuild. They are frozen
    data that no longer form garbage cycles, and an object that dies is still freed at once by its reference count.
    """
    gc.collect()
    gc.freeze()


def failure_of(report: Report, *, strict: bool) -> Failure:
    """The error page's content for a failed build."""
    return Failure(len(report.blocking(strict=strict)), [diagnostic.format() for diagnostic in report])


def watched_paths(root: Path) -> list[Path]:
    """What a rebuild depends on: content, the site's and the default templates, catalog.yaml (never the output)."""
    paths = [root / "content", root / "templates", DEFAULT_TEMPLATES, root / CATALOG_FILE]
    unique: list[Path] = []
    for path in (p.resolve() for p in paths):
        if path not in unique:
            unique.append(path)
    return unique


class BatchWatcher(Watcher):  # type: ignore[misc]
    """Livereload's polling watcher, told at once of a change by the operating system, and noting every changed
    file of a folder in one poll.

    Livereload polls every 0.8 s, so a save waited 0.4 s on average (and a poll of 10,000 files costs 80 ms of
    CPU). Here a thread runs ``watchfiles`` (inotify, FSEvents or ReadDirectoryChangesW underneath) and, 50 ms after
    the last change of a burst, asks the IOLoop to poll once: the poll confirms what changed and runs the rebuild on
    the IOLoop thread, as before. Without ``watchfiles`` (or if it cannot watch), livereload's timed poll remains.

    Livereload stops at the first changed file, so a change to many files (a search and replace, a ``git checkout``)
    would give one build and one browser reload per file, 0.8 s apart; here it gives one.
    """

    QUIET_MS = 50
    """A burst of changes counts as over after this long without another (an editor's save is several events)."""
    RUST_TIMEOUT_MS = 500
    """How often the watching thread looks at its stop event: stopping the preview waits at most about this long."""
    SAFETY_POLL_MS = 3000
    """Polling still runs, this much slower, for changes the operating system does not report (network folders)."""

    def __init__(self) -> None:
        super().__init__()
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def stop(self) -> None:
        """End the watching thread before the interpreter does: a thread still inside watchfiles when Python exits
        is killed on its way back, and the process aborts ("FATAL: exception not rethrown") instead of exiting."""
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=2 * self.RUST_TIMEOUT_MS / 1000)

    def start(self, callback: Callable[[], None]) -> bool:
        """Watch the folders in a thread and poll on each burst of changes; False to keep livereload's timed poll."""
        try:
            import watchfiles
        except ImportError:
            return False
        self._prime()
        loop = IOLoop.current()
        paths = [path for path in self._tasks if os.path.exists(path)]
        self.thread = threading.Thread(target=self._notify, args=(watchfiles, paths, loop, callback),
                                       name="serve-watcher", daemon=True)
        self.thread.start()
        loop.add_callback(callback)  # livereload's own start-up message to browsers open before a restart
        # A shared network folder may change without telling this machine: a slow timed poll catches that too.
        PeriodicCallback(callback, self.SAFETY_POLL_MS).start()
        return True

    def _prime(self) -> None:
        """Note every watched file's time now, rebuilding if any changed during the first build.

        Livereload's first poll notes them too, but names one of them as changed whatever happened, which reloads
        every browser then connected: a page would reload under its reader a few seconds after the preview started.
        """
        for path, task in self._tasks.items():
            self._task_mtimes = task["mtimes"]
            if self.is_changed(path, task["ignore"]) and task["func"]:
                task["func"]()
        self.filepath = None

    def _notify(self, watchfiles: Any, paths: list[str], loop: IOLoop, callback: Callable[[], None]) -> None:
        try:
            for _changes in watchfiles.watch(*paths, debounce=1000, step=self.QUIET_MS, stop_event=self.stop_event,
                                             rust_timeout=self.RUST_TIMEOUT_MS, raise_interrupt=False):
                loop.add_callback(callback)
        except Exception as exc:  # e.g. no inotify watches left: the safety poll carries on alone
            print(f"文件监视出错（{exc}），改为每 {self.SAFETY_POLL_MS // 1000} 秒检查一次修改", flush=True)

    def is_folder_changed(self, path: str, ignore: Callable[[str], bool] | None = None) -> bool:
        """Whether any file under ``path`` was added or modified since the last poll."""
        changed = False
        for folder, dirs, files in os.walk(path, followlinks=True):
            dirs[:] = [name for name in dirs if name not in self.ignored_dirs]
            for name in files:
                changed = self.is_file_changed(os.path.join(folder, name), ignore) or changed
        return changed


def _usage_problem(root: Path, out: Path, port: int) -> str | None:
    """Why the preview cannot start, in Chinese; None when it can."""
    inside = [path for path in watched_paths(root) if out.resolve().is_relative_to(path)]
    if inside:
        return f"输出文件夹 {out} 在 {inside[0]} 中：每次生成都会触发新的生成，请用 --out 指定别的文件夹"
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does when it listens
        try:
            probe.bind((HOST, port))
        except (OSError, OverflowError):
            return f"端口 {port} 已被占用或无效，请用 --port 换一个，例如 --port 8001"
    return None


def _quiet_logging() -> None:
    """Keep livereload's English progress and tornado's access log off the editor's terminal; warnings stay."""
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    logging.getLogger("tornado.access").disabled = True


@contextmanager
def stopped_by_signal() -> Iterator[list[int]]:
    """While inside, SIGINT and SIGTERM stop the preview at once (a KeyboardInterrupt, as Ctrl+C always did); the
    list receives the signal's number, for the exit code."""
    owner = os.getpid()
    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        if os.getpid() != owner:
            # A build worker forked meanwhile inherits this handler. It must die as it would without it: the pool
            # stops its workers with SIGTERM, and a KeyboardInterrupt there prints a traceback.
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        received.append(signum)
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def serve(root: Path, out: Path, *, port: int, today: dt.date | None, strict: bool, quiet: bool,
          cache: bool = True) -> int:
    """Build, serve the site on 127.0.0.1:port with live reload, rebuild on changes; returns an exit code
    (130 after Ctrl+C, 143 after SIGTERM)."""
    problem = _usage_problem(root, out, port)
    if problem is not None:
        print(f"用法错误：{problem}", file=sys.stderr)
        return EXIT_USAGE
    rebuild = Rebuilder(root, out, today, strict, quiet, cache)
    # Livereload catches the KeyboardInterrupt of a signal while serving; this one is for the first build.
    with stopped_by_signal() as received, suppress(KeyboardInterrupt):
        _serve(rebuild, port)
    rebuild.say("已停止预览")
    return 128 + received[0] if received else EXIT_OK


def _serve(rebuild: Rebuilder, port: int) -> None:
    """The first build, then serve and rebuild until a signal stops the server."""
    # The watcher is made before the first build, so that changes during it are seen.
    server = PreviewServer(app=SiteApp(rebuild.out, rebuild.status, live_script(port)), watcher=BatchWatcher())
    rebuild.build(first=True)
    rebuild.learn()
    for path in watched_paths(rebuild.root):
        server.watch(str(path), rebuild)
    # No float ``delay``: livereload would then drop any reload within 1-3 s of the previous one, and a browser
    # showing the error page would miss the reload after a quick fix. The same reason for a reload window of 0.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    _quiet_logging()
    if not rebuild.quiet:
        print(f"预览地址：http://{HOST}:{port}/\n按 Ctrl+C 停止预览", flush=True)
    # debug=False: tornado's autoreload would restart the process whenever a Python file changes.
    # live_css=False: the stylesheet's name carries a content hash, so a CSS-only refresh would ask for the old name.
    try:
        server.serve(port=port, host=HOST, debug=False, live_css=False)  # returns on a signal
    finally:
        server.watcher.stop()
