"""The preview's HTTP server: livereload's, answering only requests addressed to this machine by name.

DNS rebinding is the threat: a page on ``evil.example`` whose name an attacker then points at 127.0.0.1 is, for the
browser, the same origin as ``evil.example``, so it could read the preview (drafts, scheduled entries) and send it
away. Such a request still carries ``Host: evil.example:PORT``, so every request whose ``Host`` is not a loopback name
is refused before any handler runs: the site's pages, ``/livereload.js`` and the ``/livereload`` websocket alike.

Accepted: ``127.0.0.1``, ``localhost`` and ``[::1]``, with the serving port or without a port (a browser leaves the
port out only for port 80; the name, not the port, is what an attacker controls). Refused with 403: a refusal by
policy, which browsers show as it is and never retry (421 invites a retry on another connection; 400 says the
request is malformed, which it is not).

The hook: livereload 2.7 builds its tornado ``Application`` inside ``Server.application`` and keeps no reference to
it, so :class:`PreviewServer` overrides that one method and builds its own :class:`LoopbackApplication`, with
livereload's handlers for its script and websocket. Livereload's ``LiveScriptContainer`` is not used: it puts its
script into every response that contains ``</head>``, attachments included; :class:`~.serve_app.SiteApp` puts it
into HTML pages only.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

from livereload import Server  # type: ignore[import-untyped]
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler  # type: ignore[import-untyped]
from tornado import httputil, web
from tornado.concurrent import dummy_executor
from tornado.wsgi import WSGIContainer

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def live_script(port: int) -> bytes:
    """Livereload's own snippet: loads ``/livereload.js?port=PORT`` from the host the page came from."""
    return ('<script type="text/javascript">(function(){var s=document.createElement("script");'
            f'var port={port};s.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
            "document.head.appendChild(s);})();</script>").encode()


def host_allowed(host: str | None, port: int) -> bool:
    """Whether a ``Host`` header names this machine (a loopback name, with the serving port or none)."""
    if host is None:
        return False
    allowed = {*LOOPBACK_NAMES, *(f"{name}:{port}" for name in LOOPBACK_NAMES)}
    return host.lower() in allowed


def refused_page(host: str | None, port: int) -> bytes:
    """The short page for a refused ``Host``; no ``</head>``, so no livereload script is ever put into it."""
    shown = html.escape(host or "（空）")
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<meta charset="utf-8">\n<title>拒绝访问 · 网站预览</title>\n'
            f"<h1>拒绝访问</h1>\n<p>网站预览只接受本机地址的访问（主机名「{shown}」不是本机地址），"
            f"以免其他网站借助域名解析读取预览内容。请在浏览器中打开 "
            f'<a href="http://127.0.0.1:{port}/">http://127.0.0.1:{port}/</a>。</p>\n').encode()


class RefusedHost(web.RequestHandler):
    """Answers every request that names another host: 403 and :func:`refused_page`."""

    def initialize(self, port: int) -> None:
        self.port = port

    def prepare(self) -> None:
        """Refuse before any method handler (or websocket handshake) runs."""
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(refused_page(self.request.headers.get("Host"), self.port))


class LoopbackApplication(web.Application):
    """Livereload's tornado application, but a request whose ``Host`` is not this machine reaches no handler."""

    def __init__(self, handlers: list[Any], port: int) -> None:
        super().__init__(handlers)
        self.port = port

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> web._HandlerDelegate:
        """Every request is routed here first, websocket upgrades included."""
        if not host_allowed(request.headers.get("Host"), self.port):
            return self.get_handler_delegate(request, RefusedHost, {"port": self.port})
        return super().find_handler(request, **kwargs)


class SameOriginLiveReload(LiveReloadHandler):  # type: ignore[misc]
    """Livereload's websocket, refusing pages of other sites (livereload 2.7 accepts every origin).

    Its messages name the files being edited; a page on another site, even on another port of this machine,
    must not be able to listen.
    """

    def check_origin(self, origin: str) -> bool:
        """Only a page of the preview itself, whose origin is the (already checked) ``Host``."""
        return urlsplit(origin).netloc.lower() == str(self.request.headers.get("Host", "")).lower()


class PreviewServer(Server):  # type: ignore[misc]
    """``livereload.Server`` whose HTTP application is a :class:`LoopbackApplication` serving a WSGI app."""

    def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None,
                    live_css: bool = True) -> None:
        """What ``Server.serve`` calls to listen; the same handlers as livereload 2.7.1's, minus ``/forcereload``
        (which lets any web page make the preview reload); ``debug`` (tornado's autoreload) is never turned on, and
        ``liveport`` (a second port) is not supported: one port, behind one check of the Host."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        # dummy_executor: the app runs on the IOLoop thread, the thread of the rebuilds (see serve.py).
        site = WSGIContainer(self.app, executor=dummy_executor)
        handlers = [(r"/livereload", SameOriginLiveReload), (r"/livereload.js", LiveReloadJSHandler),
                    (r".*", web.FallbackHandler, {"fallback": site})]
        LoopbackApplication(handlers, port).listen(port, address=host)
