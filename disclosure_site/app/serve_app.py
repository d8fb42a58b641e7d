"""The preview's WSGI app: the files of the output folder, or the error page while the last build failed.

Every request either names a file inside the output folder or gets the preview's 404 page: paths too long for the
file system, NUL bytes, bytes that are not UTF-8, ``..``, backslashes, hidden files and symlinks leading outside are
all "no such page", never a 500 with a traceback on the editor's terminal.

Attachments that a browser would run as a page or a script (:data:`SANDBOXED`) get the same headers as on the
public server (``deploy/nginx.conf``), so an editor sees what the public sees: downloaded, never run on the site.
"""

from __future__ import annotations

import html
import mimetypes
import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote
from wsgiref.types import StartResponse, WSGIEnvironment

TEXT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".json": "application/json", ".js": "text/javascript",
    ".xml": "application/xml", ".txt": "text/plain", ".csv": "text/csv", ".svg": "image/svg+xml", ".vtt": "text/vtt",
}
"""Content types served with ``charset=utf-8``; other files get :func:`mimetypes.guess_type`."""
ATTACHMENTS = "files"
"""The output folder of attachments and files linked from bodies (``files/<path under content/>``)."""
SANDBOXED = frozenset({
    ".html", ".htm", ".shtml", ".xhtml", ".xht", ".mht", ".mhtml", ".htc",  # pages
    ".svg", ".svgz",  # images that may carry script
    ".xml", ".xsl", ".xslt", ".rss", ".atom", ".rdf", ".kml", ".xspf", ".mml", ".wml",  # XML a browser renders
    ".js", ".mjs",  # scripts: a page with an injected <script src> must not be able to load them
})
"""Suffixes of attachments served sandboxed; the same list as the ``files/`` location of ``deploy/nginx.conf``."""
SANDBOX_HEADERS = [("Content-Security-Policy", "sandbox"), ("Content-Disposition", "attachment")]
"""CSP ``sandbox`` gives the file an origin of its own with scripts off; ``attachment`` makes navigation a download."""
SANDBOXED_IMAGES = frozenset({".svg", ".svgz"})
"""Sandboxed files that keep their type, so that ``<img src=...svg>`` still shows; the others are octet-stream."""

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
HEAD_END = b"</head>"
BODY_END = b"</body>"
LATER_NOTE = ('<p role="status" style="position:sticky;bottom:0;margin:0;padding:.5em 1em;'
              'background:#fff3cd;color:#000;border-top:2px solid #8a6d00;font-size:1rem">预览提示：站内搜索、'
              '数据下载和订阅还没有包含刚才的修改，打开搜索页或这些文件时自动更新。</p>').encode()
"""Shown at the foot of every preview page while those files wait (never in the built site); sticky, so it
stays in view while reading yet covers nothing at the end of the page."""
HTML = "text/html; charset=utf-8"


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
    later: frozenset[str] = frozenset()
    """Output files the last rebuild left as they were (search index, data files, feeds): pages say so until
    the search page or one of these files is asked for."""
    refresh: Callable[[], None] | None = None
    """Brings those files up to date (set by the rebuilder)."""


@dataclass(frozen=True)
class Response:
    """What :class:`SiteApp` answers to one request."""

    status: str
    content_type: str
    body: bytes
    location: str | None = None
    """Redirect target, for folder URLs without a trailing slash."""
    extra: tuple[tuple[str, str], ...] = ()
    """Further headers (the sandbox of active attachments)."""

    def headers(self) -> list[tuple[str, str]]:
        """HTTP headers; nothing is cached, so a reload always shows the current build."""
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body))),
                   ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), *self.extra]
        return [*headers, ("Location", self.location)] if self.location else headers


class SiteApp:
    """WSGI app: the files of ``out`` while the last build succeeded, the error page for every URL while it failed."""

    def __init__(self, out: Path, status: BuildStatus, script: bytes = b"") -> None:
        self.out = out.resolve()
        self.status = status
        self.script = script
        """Livereload's script, put before ``</head>`` of every HTML page served (never into attachments)."""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        """Answer one request (HEAD gets the headers only); a bug gives a short 500 page, never a traceback."""
        try:
            response = self.respond(request_path(environ))
        except Exception as exc:  # a preview must keep serving; the editor reports the one line
            print(f"内部错误：{type(exc).__name__}: {exc}（请把此信息报告给网站维护人员）", flush=True)
            response = Response("500 Internal Server Error", HTML, internal_error_page())
        if response.content_type == HTML and self.status.later:
            response = replace(response, body=response.body.replace(BODY_END, LATER_NOTE + BODY_END, 1))
        if response.content_type == HTML and self.script:
            response = replace(response, body=response.body.replace(HEAD_END, self.script + HEAD_END, 1))
        start_response(response.status, response.headers())
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else response.body]

    def respond(self, url_path: str) -> Response:
        """The response for a decoded URL path such as ``/entries/2024-00001.html``."""
        if self.status.later and self.status.refresh and _waits(url_path, self.status.later):
            self.status.refresh()
        if self.status.failure is not None:
            return Response("500 Internal Server Error", HTML, error_page(self.status.failure))
        parts = url_parts(url_path)
        target = None if parts is None else resolve(self.out, parts)
        if parts is not None and target is not None and target.is_dir():
            if not url_path.endswith("/"):  # relative links in index.html need the slash
                # Built from the parts: a path "//host/x" would otherwise redirect to another site.
                return Response("301 Moved Permanently", "text/plain; charset=utf-8", b"", quote("/".join(["", *parts, ""])))
            parts = [*parts, "index.html"]
            target = resolve(self.out, parts)  # index.html may itself be a symlink leading outside
        body = None if target is None else read(target)
        if parts is None or target is None or body is None:
            return Response("404 Not Found", HTML, not_found_page(url_path))
        return Response("200 OK", content_type(target, parts), body, extra=sandbox_headers(parts))


def _waits(url_path: str, later: frozenset[str]) -> bool:
    """Whether the request is for a file left for later, or for the search page that loads such files."""
    path = "/".join(part for part in url_path.split("/") if part)
    return path in later or path.rsplit("/", 1)[-1] == "search.html"


def request_path(environ: WSGIEnvironment) -> str:
    """``PATH_INFO`` decoded as UTF-8 (WSGI hands it over as latin-1 text); bytes that are not UTF-8 stay
    as lone surrogates, which :func:`url_parts` refuses."""
    path = str(environ.get("PATH_INFO") or "/")
    return path.encode("latin-1").decode("utf-8", "surrogateescape")


def url_parts(url_path: str) -> list[str] | None:
    """The path's segments, or None when no file of the output can have that name."""
    parts = [part for part in url_path.split("/") if part]
    # A leading dot covers "." and ".." and hidden files (nginx refuses those too).
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    try:
        "".join(parts).encode("utf-8")
    except UnicodeEncodeError:  # not UTF-8 in the request: no file the build writes has such a name
        return None
    return parts


def resolve(out: Path, parts: list[str]) -> Path | None:
    """The existing file or folder of ``out`` the path segments name; None for anything outside ``out`` or unreadable."""
    try:
        target = out.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, name too long, symlink loop
        return None
    return target if target.is_relative_to(out) else None


def read(path: Path) -> bytes | None:
    """The file's bytes; None when it is not a readable regular file (a folder without index.html, no permission)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def is_sandboxed(parts: list[str]) -> bool:
    """Whether the file is an attachment a browser would run as a page or a script."""
    return len(parts) > 1 and parts[0] == ATTACHMENTS and Path(parts[-1]).suffix.lower() in SANDBOXED


def sandbox_headers(parts: list[str]) -> tuple[tuple[str, str], ...]:
    """The sandbox headers for an active attachment, nothing for other files."""
    return tuple(SANDBOX_HEADERS) if is_sandboxed(parts) else ()


def content_type(path: Path, parts: list[str] | None = None) -> str:
    """The Content-Type of a served file; text types carry ``charset=utf-8``.

    Active attachments other than images are octet-stream, as on the public server: with ``nosniff`` a browser
    then refuses them as a page, a script or a stylesheet.
    """
    suffix = path.suffix.lower()
    if parts is not None and is_sandboxed(parts) and suffix not in SANDBOXED_IMAGES:
        return "application/octet-stream"
    if suffix == ".svgz":
        return "image/svg+xml; charset=utf-8"
    text_type = TEXT_TYPES.get(suffix)
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
    shown = html.escape(url_path.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    body = f'<p>网站中没有 <code>{shown}</code> 这个网址。</p>\n<p><a href="/">返回首页</a></p>'
    return PAGE.substitute(title="找不到页面", body=body).encode("utf-8")


def internal_error_page() -> bytes:
    """The page for a request the preview itself failed on (its terminal shows the one-line reason)."""
    body = "<p>预览程序处理这个网址时出错，终端窗口中有一行说明，请把它报告给网站维护人员。</p>\n<p><a href=\"/\">返回首页</a></p>"
    return PAGE.substitute(title="预览出错", body=body).encode("utf-8")
