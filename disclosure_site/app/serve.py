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
* ``server.watch`` polls ``content/``, the site's ``templates/``, the default templates and ``catalog.yaml`` every
  0.8 s (never ``out``: that would loop) and calls a :class:`Rebuilder`; livereload then tells the browsers to reload.
  The poll interval is the debounce: changes within one poll give one build (see :class:`BatchWatcher`).
* Ctrl+C (SIGINT) and SIGTERM stop the preview at once, even in the middle of a build, and ``serve`` returns
  130 or 143 (see :func:`stopped_by_signal`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from livereload.handlers import LiveReloadHandler  # type: ignore[import-untyped]
from livereload.watcher import Watcher  # type: ignore[import-untyped]

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
                                 later=later and not first)
        for diagnostic in outcome.report:
            print(diagnostic.format(), flush=True)
        if outcome.report.fails(strict=self.strict):
            self._record(failure_of(outcome.report, strict=self.strict))
        else:
            self.status.failure = None
            self.status.later = outcome.later
            self.say(f"已生成 {outcome.files} 个文件" if first else "已重新生成")

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
    """Livereload's polling watcher, but a poll notes every changed file of a folder, not just the first.

    Livereload stops at the first changed file, so a change to many files (a search and replace, a ``git checkout``)
    would give one build and one browser reload per file, 0.8 s apart; here it gives one.
    """

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
    server.serve(port=port, host=HOST, debug=False, live_css=False)  # returns on a signal
