"""``python build.py serve``: preview the site on 127.0.0.1, rebuilt and reloaded in the browser after every change.

How it fits together (livereload 2.7.1 on tornado):

* Every build is the same :func:`pipeline.build` as ``python build.py``, into the same ``out`` folder. The writer
  swaps that folder in whole, so there is never half a site on disk.
* Pages are served by :class:`SiteApp`, a small WSGI app given to ``livereload.Server(app=...)``. Livereload calls it
  on its IOLoop thread, the thread that also runs the watcher's rebuilds, so no request falls between the two renames
  of the swap.
* Livereload's ``LiveScriptContainer`` puts its script (which loads ``/livereload.js?port=PORT`` and opens the
  ``/livereload`` websocket) before ``</head>`` in every response of the app. The error and 404 pages therefore have a
  ``<head>`` too: a browser showing them is reloaded after the next build and recovers by itself.
* While the last build failed, :class:`SiteApp` answers every request with the error page, status 500 (so a script
  cannot take it for a page), instead of files from the previous output: nothing stale, nothing half built.
* ``server.watch`` polls ``content/``, the site's ``templates/``, the default templates and ``catalog.yaml`` every
  0.8 s (never ``out``: that would loop) and calls a :class:`Rebuilder`; livereload then tells the browsers to reload.
  The poll interval is the debounce: changes within one poll give one build (see :class:`BatchWatcher`).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import mimetypes
import os
import socket
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote
from wsgiref.types import StartResponse, WSGIEnvironment

from livereload import Server  # type: ignore[import-untyped]
from livereload.handlers import LiveReloadHandler  # type: ignore[import-untyped]
from livereload.watcher import Watcher  # type: ignore[import-untyped]

from . import pipeline
from .config import CATALOG_FILE
from .diagnostics import Report
from .templating import DEFAULT_TEMPLATES
from .workdays import beijing_today

HOST = "127.0.0.1"
"""Only this machine can see the preview; never 0.0.0.0."""
EXIT_OK, EXIT_USAGE = 0, 2
TEXT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".json": "application/json", ".js": "text/javascript",
    ".xml": "application/xml", ".txt": "text/plain", ".csv": "text/csv", ".svg": "image/svg+xml",
}
"""Content types served with ``charset=utf-8``; other files get :func:`mimetypes.guess_type`."""

PAGE = string.Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>$title · 网站预览</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.6; }
h1 { color: #b00; }
li { margin: .5em 0; }
code { white-space: pre-wrap; word-break: break-all; }
</style>
</head>
<body>
<h1>$title</h1>
$body
</body>
</html>
""")
"""The preview's own pages (error, not found); self-contained, with a ``</head>`` for livereload's script."""


@dataclass(frozen=True)
class Failure:
    """Why the last build wrote nothing."""

    errors: int
    """How many problems stopped the build (errors, and warnings under ``--strict``)."""
    lines: list[str]
    """Every problem as ``path:line: 错误 [CODE] message``, sorted."""


@dataclass
class BuildStatus:
    """The result of the last build, shared by the rebuilder (writes) and the web app (reads)."""

    failure: Failure | None = None
    """None while ``out`` holds the current site."""


@dataclass(frozen=True)
class Response:
    """What :class:`SiteApp` answers to one request."""

    status: str
    content_type: str
    body: bytes
    location: str | None = None
    """Redirect target, for folder URLs without a trailing slash."""

    def headers(self) -> list[tuple[str, str]]:
        """HTTP headers; nothing is cached, so a reload always shows the current build."""
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body))),
                   ("Cache-Control", "no-store")]
        return [*headers, ("Location", self.location)] if self.location else headers


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

    def __call__(self) -> None:
        """Rebuild after a change; a tool bug is shown on the error page instead of stopping the preview."""
        try:
            self.build(first=False)
        except Exception as exc:  # the server must survive to show the problem and the fix
            problem = f"内部错误：{type(exc).__name__}: {exc}（请把此信息报告给网站维护人员）"
            print(problem, flush=True)
            self._record(Failure(1, [problem]))

    def build(self, *, first: bool) -> None:
        """Build once and print the outcome: the problems, then a short status line."""
        # After the first build, only changed files are rewritten: the browser reloads sooner.
        outcome = pipeline.build(self.root, self.out, self.today or beijing_today(), strict=self.strict,
                                 cache=self.cache, incremental=not first)
        for diagnostic in outcome.report:
            print(diagnostic.format(), flush=True)
        if outcome.report.fails(strict=self.strict):
            self._record(failure_of(outcome.report, strict=self.strict))
        else:
            self.status.failure = None
            self.say(f"已生成 {outcome.files} 个文件" if first else "已重新生成")

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


class SiteApp:
    """WSGI app: the files of ``out`` while the last build succeeded, the error page for every URL while it failed."""

    def __init__(self, out: Path, status: BuildStatus) -> None:
        self.out = out.resolve()
        self.status = status

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        """Answer one request (HEAD gets the headers only)."""
        response = self.respond(request_path(environ))
        start_response(response.status, response.headers())
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else response.body]

    def respond(self, url_path: str) -> Response:
        """The response for a decoded URL path such as ``/entries/2024-00001.html``."""
        if self.status.failure is not None:
            return Response("500 Internal Server Error", "text/html; charset=utf-8", error_page(self.status.failure))
        target = resolve(self.out, url_path)
        if target is not None and target.is_dir():
            if not url_path.endswith("/"):  # relative links in index.html need the slash
                return Response("301 Moved Permanently", "text/plain; charset=utf-8", b"", quote(url_path) + "/")
            target = target / "index.html"
        if target is None or not target.is_file():
            return Response("404 Not Found", "text/html; charset=utf-8", not_found_page(url_path))
        return Response("200 OK", content_type(target), target.read_bytes())


def request_path(environ: WSGIEnvironment) -> str:
    """``PATH_INFO`` decoded as UTF-8 (WSGI hands it over as latin-1 text)."""
    path = str(environ.get("PATH_INFO") or "/")
    try:
        return path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path


def resolve(out: Path, url_path: str) -> Path | None:
    """The existing file or folder of ``out`` a URL path names; None for anything outside ``out``."""
    parts = [part for part in url_path.split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    root = out.resolve()
    target = root.joinpath(*parts).resolve()
    return target if target.is_relative_to(root) and target.exists() else None


def content_type(path: Path) -> str:
    """The Content-Type of a served file; text types carry ``charset=utf-8``."""
    text_type = TEXT_TYPES.get(path.suffix.lower())
    if text_type is not None:
        return f"{text_type}; charset=utf-8"
    guessed, _encoding = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def error_page(failure: Failure) -> bytes:
    """The page shown for every URL while the last build failed."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in failure.lines)
    body = (f"<p>网站没有重新生成：有 {failure.errors} 个错误需要改正。改正之前，预览不显示任何页面，"
            f"以免看到过时或不完整的网站；保存改正后的文件，本页会自动刷新。</p>\n<ol>\n{items}\n</ol>")
    return PAGE.substitute(title="构建失败", body=body).encode("utf-8")


def not_found_page(url_path: str) -> bytes:
    """The page for a URL that names no file of the site."""
    body = f'<p>网站中没有 <code>{html.escape(url_path)}</code> 这个网址。</p>\n<p><a href="/">返回首页</a></p>'
    return PAGE.substitute(title="找不到页面", body=body).encode("utf-8")


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


def serve(root: Path, out: Path, *, port: int, today: dt.date | None, strict: bool, quiet: bool,
          cache: bool = True) -> int:
    """Build, serve the site on 127.0.0.1:port with live reload, rebuild on changes; returns an exit code."""
    problem = _usage_problem(root, out, port)
    if problem is not None:
        print(f"用法错误：{problem}", file=sys.stderr)
        return EXIT_USAGE
    rebuild = Rebuilder(root, out, today, strict, quiet, cache)
    # The watcher is made before the first build, so that changes during it are seen.
    server = Server(app=SiteApp(out, rebuild.status), watcher=BatchWatcher())
    rebuild.build(first=True)
    for path in watched_paths(root):
        server.watch(str(path), rebuild)
    # No float ``delay``: livereload would then drop any reload within 1-3 s of the previous one, and a browser
    # showing the error page would miss the reload after a quick fix. The same reason for a reload window of 0.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    _quiet_logging()
    if not quiet:
        print(f"预览地址：http://{HOST}:{port}/\n按 Ctrl+C 停止预览", flush=True)
    # debug=False: tornado's autoreload would restart the process whenever a Python file changes.
    # live_css=False: the stylesheet's name carries a content hash, so a CSS-only refresh would ask for the old name.
    server.serve(port=port, host=HOST, debug=False, live_css=False)  # returns on Ctrl+C
    rebuild.say("已停止预览")
    return EXIT_OK
