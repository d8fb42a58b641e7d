"""``python build.py edit``: the live preview and the CMS side by side, on 127.0.0.1 only.

decap-server runs in its ``fs`` mode (it writes the files the form saves and nothing else: its ``git`` mode
would run ``git add .``); :mod:`cms_proxy` in front of it commits exactly those files. Everything listens on
127.0.0.1 only (``BIND_HOST`` for decap-server): the proxy has no login, so no other machine may reach it.
Ports: the preview on ``port``, the admin on ``port + 1``, the committing proxy on ``port + 2`` and
decap-server itself on ``port + 3``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core.workdays import beijing_today
from .cms import ENGINE, CmsError, load_config, next_index_no, write_admin
from .cms_config import Backend
from .cms_proxy import committer
from .serve import HOST, serve

PROXY = ENGINE / "node_modules" / "decap-server" / "dist" / "index.js"


PROPOSAL = "next-index-no"
"""The admin's address (relative to it) answering the next free 索引号 as plain text, asked by a new form."""


class _AdminHandler(SimpleHTTPRequestHandler):
    """The admin's files, plus the next free 索引号 worked out afresh for each new form."""

    root: Path
    today: dt.date | None

    def log_message(self, format: str, *args: object) -> None:
        """One line per request would bury the preview's messages."""

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/" + PROPOSAL:
            super().do_GET()
            return
        try:
            number = next_index_no(self.root, load_config(self.root), self.today or beijing_today())
        except CmsError:
            self.send_error(503)  # catalog.yaml broken mid-session: the editor types the number, check judges it
            return
        answer = number.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def edit(root: Path, out: Path, *, port: int, today: dt.date | None, quiet: bool) -> int:
    """Write the admin to a temporary folder, serve it and the proxy, then run the preview until stopped."""
    node = shutil.which("node")
    if node is None or not PROXY.is_file():
        raise CmsError(f"找不到 node 或 decap-server（{PROXY}）：请安装 Node.js 并在 {ENGINE} 运行 npm ci")
    admin_port, proxy_port, server_port = port + 1, port + 2, port + 3
    with tempfile.TemporaryDirectory(prefix="cms-admin-") as folder, contextlib.ExitStack() as running:
        backend = Backend(local_port=proxy_port, workflow=False, proposal_url=PROPOSAL)
        write_admin(root, Path(folder), backend, today or beijing_today())
        handler = type("Handler", (_AdminHandler,), {"root": root, "today": today})
        running.enter_context(_serving(admin_port, functools.partial(handler, directory=folder)))
        running.enter_context(_decap_server(node, root, server_port))
        running.enter_context(_serving(proxy_port, committer(f"http://{HOST}:{server_port}/api/v1", root)))
        if not quiet:
            print(f"编辑后台：http://{HOST}:{admin_port}/ （点「登录」即可，保存即写入 content/ 并只提交表单写入的文件）\n"
                  f"推送前请运行 python build.py check --strict", flush=True)
        return serve(root, out, port=port, today=today, strict=False, quiet=quiet)


@contextlib.contextmanager
def _serving(port: int, handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[None]:
    """An HTTP server on 127.0.0.1:``port`` in a thread, for as long as the preview runs."""
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError:
        raise CmsError(f"端口 {port} 已被占用：编辑后台和代理使用预览端口之后的三个端口，请用 --port 换一个") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _decap_server(node: str, root: Path, port: int) -> Iterator[None]:
    """decap-server writing into ``root``: fs mode writes files only (git mode runs ``git add .``), and BIND_HOST
    keeps it off the network."""
    env = os.environ | dict(MODE="fs", GIT_REPO_DIRECTORY=str(root), BIND_HOST=HOST, PORT=str(port), LOG_LEVEL="warn")
    process = subprocess.Popen([node, str(PROXY)], env=env, cwd=root)
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        sys.stdout.flush()
