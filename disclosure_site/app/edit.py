"""``python build.py edit``: the live preview and the CMS side by side, on 127.0.0.1 only.

decap-server runs in its ``fs`` mode (it writes the files the form saves and nothing else: its ``git`` mode
would run ``git add .``); :mod:`cms_proxy` in front of it commits exactly those files. Everything listens on
127.0.0.1 only (``BIND_HOST`` for decap-server): the proxy has no login, so no other machine may reach it.
Ports: the preview on ``port``, the admin on ``port + 1``, the committing proxy on ``port + 2`` and
decap-server itself on ``port + 3``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core.workdays import beijing_today
from .cms import ENGINE, CmsError, load_config, next_index_no, write_admin
from .cms_config import Backend
from .cms_proxy import make_server
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
    with tempfile.TemporaryDirectory(prefix="cms-admin-") as folder:
        backend = Backend(local_port=proxy_port, workflow=False, proposal_url=PROPOSAL)
        write_admin(root, Path(folder), backend, today or beijing_today())
        handler = functools.partial(type("Handler", (_AdminHandler,), {"root": root, "today": today}),
                                    directory=folder)
        admin = ThreadingHTTPServer((HOST, admin_port), handler)
        threading.Thread(target=admin.serve_forever, daemon=True).start()
        # fs mode: write files only (git mode runs ``git add .``); BIND_HOST keeps it off the network.
        env = os.environ | dict(MODE="fs", GIT_REPO_DIRECTORY=str(root), BIND_HOST=HOST, PORT=str(server_port),
                                LOG_LEVEL="warn")
        proxy = subprocess.Popen([node, str(PROXY)], env=env, cwd=root)
        committer = make_server(HOST, proxy_port, f"http://{HOST}:{server_port}/api/v1", root)
        threading.Thread(target=committer.serve_forever, daemon=True).start()
        try:
            if not quiet:
                print(f"编辑后台：http://{HOST}:{admin_port}/ （点「登录」即可，保存即写入 content/ 并只提交表单写入的文件）\n"
                      f"推送前请运行 python build.py check --strict",
                      flush=True)
            return serve(root, out, port=port, today=today, strict=False, quiet=quiet)
        finally:
            proxy.terminate()
            try:
                proxy.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proxy.kill()
            admin.shutdown()
            committer.shutdown()
            sys.stdout.flush()
