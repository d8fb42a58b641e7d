"""A loopback proxy in front of decap-server that commits exactly the files the form wrote.

decap-server's ``git`` mode runs ``git add .`` (committing any stray file of the working tree with the entry),
so it runs in ``fs`` mode, which only writes files; this proxy passes each request on and, once a save or a
delete succeeded, stages and commits those paths alone (``git add``/``commit -- <paths>`` with literal
pathspecs), with Decap's commit message and the local git identity. Outside a git repository it only passes on.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LOOPBACK_ORIGIN = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?$")
COMMITTING = ("persistEntry", "persistMedia", "deleteFile", "deleteFiles")
_GIT = threading.Lock()
"""One git command sequence at a time: Decap may save an entry and its media in parallel."""
MAX_BODY = 64 * 1024 * 1024
"""decap-server accepts 50 MB of JSON; an attachment is sent base64-encoded inside it."""


def written_paths(request: dict[str, Any]) -> list[str]:
    """The repository paths a successful request wrote or deleted."""
    params = request.get("params") or {}
    action = request.get("action")
    paths: list[str] = []
    if action == "persistEntry":
        for item in params.get("dataFiles") or [params.get("entry") or {}]:
            paths += [item[key] for key in ("path", "newPath") if item.get(key)]
        paths += [asset["path"] for asset in params.get("assets") or [] if asset.get("path")]
    elif action == "persistMedia":
        paths.append((params.get("asset") or {}).get("path", ""))
    elif action == "deleteFile":
        paths.append(params.get("path", ""))
    elif action == "deleteFiles":
        paths += params.get("paths") or []
    return [path for path in dict.fromkeys(paths) if isinstance(path, str) and path]


def commit(root: Path, paths: list[str], message: str) -> bool:
    """Stage and commit ``paths`` only; False when ``root`` is no git work tree or nothing changed."""
    git = ["git", "--literal-pathspecs", "-C", str(root)]
    with _GIT:
        inside = subprocess.run([*git, "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
        if inside.returncode != 0 or not paths:
            return False
        subprocess.run([*git, "add", "-A", "--", *paths], capture_output=True, check=False)
        done = subprocess.run([*git, "commit", "-q", "--no-verify", "-m", message or "内容编辑", "--", *paths],
                              capture_output=True, check=False)
        return done.returncode == 0


def committer(upstream: str, root: Path) -> type[BaseHTTPRequestHandler]:
    """The proxy's request handler, passing requests to decap-server at ``upstream`` (``http://…/api/v1``)."""
    return type("Committer", (_Committer,), {"upstream": upstream, "root": root})


def make_server(host: str, port: int, upstream: str, root: Path) -> ThreadingHTTPServer:
    """The proxy on ``host:port`` (not started)."""
    return ThreadingHTTPServer((host, port), committer(upstream, root))


class _Committer(BaseHTTPRequestHandler):
    upstream: str
    root: Path

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the preview's messages matter more."""

    def _cors(self) -> None:
        origin = self.headers.get("Origin", "")
        if LOOPBACK_ORIGIN.match(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Vary", "Origin")

    def _port(self) -> int:
        assert isinstance(self.server, ThreadingHTTPServer)
        return self.server.server_port

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_POST(self) -> None:
        refusal = _refusal(self.headers.get("Content-Type", ""), self.headers.get("Origin"),
                           self.headers.get("Host", ""), self._port())
        length = int(self.headers.get("Content-Length") or 0)
        if refusal or self.path != "/api/v1" or length > MAX_BODY:
            self.send_error(refusal or (404 if self.path != "/api/v1" else 413))
            return
        body = self.rfile.read(length)
        status, answer = _forward(self.upstream, body)
        if status == 200:
            _commit_request(self.root, body)
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def _refusal(content_type: str, origin: str | None, host: str, port: int) -> int | None:
    """Why a request must not reach decap-server: another web site's form or script in the editor's browser.

    A cross-site page may send a plain-text POST without asking first (CORS only hides the answer), so JSON is
    required, which makes the browser ask; a foreign Origin and a Host other than loopback (DNS rebinding)
    are refused outright.
    """
    if content_type.split(";")[0].strip().lower() != "application/json":
        return 415
    if origin is not None and not LOOPBACK_ORIGIN.match(origin):
        return 403
    if host not in (f"127.0.0.1:{port}", f"localhost:{port}"):
        return 403
    return None


def _forward(upstream: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(upstream, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read())
    except OSError:
        return 502, b'{"error":"decap-server is not answering"}'


def _commit_request(root: Path, body: bytes) -> None:
    try:
        request = json.loads(body)
    except ValueError:
        return
    if isinstance(request, dict) and request.get("action") in COMMITTING:
        options = (request.get("params") or {}).get("options") or {}
        commit(root, written_paths(request), str(options.get("commitMessage") or ""))
