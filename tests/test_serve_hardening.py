"""The preview is for this machine only, never crashes on a URL, and exits like a program stopped by a signal.

Against a real ``python build.py serve``: raw socket requests with forged ``Host`` and ``Origin`` headers (DNS
rebinding, other sites' pages), odd paths, SIGINT and SIGTERM. In process: the WSGI app's answers, one by one.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import CATALOG, TODAY, Site, entry
from test_serve import PAGE, Preview, call, make_output, running_preview

from disclosure_site.app.serve import serve, stopped_by_signal
from disclosure_site.app.serve_app import BuildStatus, SiteApp
from disclosure_site.app.serve_http import host_allowed, live_script

SECRET = "机密内容"
"""In a file beside the output folder: no URL may ever show it."""
WEBSOCKET = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")


@dataclass
class Answer:
    status: int
    body: str


def raw(port: int, path: str, host: str | None, extra: str = "") -> Answer:
    """One request written byte for byte (no client normalises the path or the Host)."""
    head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + extra + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = b"" if response.status == 101 else response.read()
    return Answer(response.status, body.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    site = Site(tmp_path_factory.mktemp("hardening") / "site-root")
    site.write("catalog.yaml", CATALOG)
    site.write("content/news/a.md", entry(title="预览中的条目"))
    site.write("secret.txt", SECRET)
    with running_preview(site.root) as running:
        # Made after the build, as a careless hand might: links leading out of the output folder.
        (site.root / "site/escape").symlink_to(site.root)
        (site.root / "site/secret.html").symlink_to(site.root / "secret.txt")
        yield running


@pytest.mark.parametrize("path", ["/", f"/{PAGE}", "/livereload.js", "/no-such-page.html"])
@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
                                  "localhost.:{port}", "127.0.0.1:{other}"])
def test_a_request_for_another_host_is_refused(preview, path, host):
    """DNS rebinding: evil.example resolving to 127.0.0.1 is still evil.example in the Host header."""
    forged = host.format(port=preview.port, other=preview.port + 1)
    answer = raw(preview.port, path, forged)
    assert answer.status == 403, (forged, answer)
    assert "<title>拒绝访问 · 网站预览</title>" in answer.body
    assert f"http://127.0.0.1:{preview.port}/" in answer.body
    assert "预览中的条目" not in answer.body and "livereload" not in answer.body


@pytest.mark.parametrize("host", ["localhost:{port}, evil.example", "localhost:{port}\r\nHost: evil.example", None])
def test_a_malformed_or_missing_host_is_not_served(preview, host):
    """Tornado itself rejects these (400) before the preview sees them."""
    answer = raw(preview.port, f"/{PAGE}", None if host is None else host.format(port=preview.port))
    assert answer.status in (400, 403) and "预览中的条目" not in answer.body


def test_the_livereload_websocket_is_refused_for_another_host(preview):
    assert raw(preview.port, "/livereload", f"evil.example:{preview.port}", WEBSOCKET).status == 403
    assert raw(preview.port, "/livereload", f"127.0.0.1:{preview.port}", WEBSOCKET).status == 101


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:{other}", "http://localhost:{port}", "null"])
def test_the_livereload_websocket_is_refused_to_pages_of_other_sites(preview, origin):
    """Its messages name the files being edited: only the preview's own pages may listen."""
    origin = origin.format(port=preview.port, other=preview.port + 1)
    answer = raw(preview.port, "/livereload", f"127.0.0.1:{preview.port}", WEBSOCKET + f"Origin: {origin}\r\n")
    assert answer.status == 403, origin
    same = raw(preview.port, "/livereload", f"127.0.0.1:{preview.port}", WEBSOCKET + f"Origin: http://127.0.0.1:{preview.port}\r\n")
    assert same.status == 101


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_in_the_browser_the_preview_still_connects_to_livereload(browser, preview, name):
    """The host and origin checks let the preview's own pages through, under either name."""
    page = browser.new_page()
    try:
        with page.expect_websocket(timeout=10_000) as opened:
            page.goto(f"http://{name}:{preview.port}/{PAGE}")
        socket_ = opened.value
        hello = socket_.wait_for_event("framereceived", timeout=10_000)
        assert socket_.url == f"ws://{name}:{preview.port}/livereload"
        assert '"command": "hello"' in str(hello)
    finally:
        page.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}", "localhost"])
def test_loopback_names_are_served(preview, host):
    answer = raw(preview.port, f"/{PAGE}", host.format(port=preview.port))
    assert answer.status == 200 and "<title>预览中的条目 - " in answer.body
    assert raw(preview.port, "/livereload.js", host.format(port=preview.port)).status == 200


ODD_PATHS = [
    "/" + "a" * 300, "/" + "a" * 5000, "/" + "a/" * 2500, f"/entries/{'%E4%B8%AD' * 100}.html",  # too long
    "/%00", "/a%00b.html", f"/{PAGE}%00.txt",  # NUL
    "/%FF%FE", "/%C0%AE%C0%AE/secret.txt", "/%zz", "/%", "/%E4%B8",  # not UTF-8, not percent-encoding
    "/../secret.txt", "/%2e%2e/secret.txt", "/news/%2E%2E/%2E%2E/secret.txt", "/..%5Csecret.txt", "/news\\..\\..\\secret.txt",
    "/escape/secret.txt", "/secret.html", "/escape/content/news/a.md",  # symlinks leading outside the output
    "/.hidden", "/news/.index.html.swp",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_an_odd_path_gets_the_404_page(preview, path):
    answer = raw(preview.port, path, f"127.0.0.1:{preview.port}")
    assert answer.status == 404, answer
    assert "<title>找不到页面 · 网站预览</title>" in answer.body and SECRET not in answer.body
    assert '"/livereload.js?port=" + port' in answer.body, "404 页在下次生成后也会自动刷新"


def test_no_odd_path_puts_a_traceback_on_the_terminal(preview):
    for path in ODD_PATHS:
        raw(preview.port, path, f"127.0.0.1:{preview.port}")
    assert raw(preview.port, "/", f"127.0.0.1:{preview.port}").status == 200, "预览仍在运行"
    assert "Traceback" not in preview.output() and "内部错误" not in preview.output() and "Error" not in preview.output()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_preview_with_128_plus_its_number(make_site, signum, code):
    site = make_site({"content/news/a.md": entry()})
    with running_preview(site.root) as running:
        running.process.send_signal(signum)
        assert running.process.wait(timeout=10) == code, running.output()
        assert "Traceback" not in running.output()
        assert running.output().endswith("已停止预览\n")


def test_a_signal_during_the_first_build_stops_too(make_site, monkeypatch, capsys):
    site = make_site({"content/news/a.md": entry()})

    def interrupted_build(*_args: object, **_options: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives during this, as during a long build
        raise AssertionError("信号没有中断生成")

    monkeypatch.setattr("disclosure_site.pipeline.build", interrupted_build)
    before = signal.getsignal(signal.SIGTERM)
    assert serve(site.root, site.root / "site", port=_free_port(), today=TODAY, strict=False, quiet=False) == 143
    assert capsys.readouterr().out == "已停止预览\n"
    assert signal.getsignal(signal.SIGTERM) == before, "停止后恢复原来的信号处理"


def test_a_build_worker_forked_meanwhile_dies_by_sigterm_without_a_traceback(capfd):
    """The build's process pool stops its workers with SIGTERM; the preview's handler must not turn that into an error."""
    with stopped_by_signal() as received:
        worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
        worker.start()
        time.sleep(0.2)
        worker.terminate()
        worker.join(timeout=10)
    assert worker.exitcode == -signal.SIGTERM
    assert received == []
    assert "Traceback" not in capfd.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The web app in process.

def test_host_allowed_only_for_loopback_names_with_the_serving_port_or_none():
    allowed = ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "Localhost:8000", "127.0.0.1", "localhost", "[::1]"]
    refused = ["evil.example:8000", "127.0.0.1:8001", "localhost:80", "::1:8000", "127.0.0.2:8000", "", None,
               "localhost:8000 ", "127.0.0.1:8000@evil.example", "localhost.:8000", "0.0.0.0:8000"]
    assert [host for host in allowed if not host_allowed(host, 8000)] == []
    assert [host for host in refused if host_allowed(host, 8000)] == []


def test_app_gives_its_404_page_for_paths_no_file_can_have(tmp_path):
    out = make_output(tmp_path)
    (out / "leak").mkdir()
    (out / "leak/index.html").symlink_to(tmp_path / "catalog.yaml")
    (out / "catalog.html").symlink_to(tmp_path / "catalog.yaml")
    (out / ".env").write_text("secret", encoding="utf-8")
    app = SiteApp(out, BuildStatus())
    for path in ["/" + "a" * 300, ("/" + "長" * 200).encode().decode("latin-1"), "/a/" * 3000, "/\0", "/news/\0index.html", "/\xff\xfe", "/\xc0\xae",
                 "/leak/", "/catalog.html", "/.env", "/news/..", "/news/.", "/news\\index.html"]:
        status, headers, body = call(app, path)
        assert status == "404 Not Found", path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "找不到页面" in body.decode() and b"secret" not in body


def test_app_redirects_a_folder_only_to_itself(tmp_path):
    app = SiteApp(make_output(tmp_path), BuildStatus())
    for path in ["//news", "/news", "///news"]:  # "//news/" would send the browser to a host named news
        status, headers, _body = call(app, path)
        assert (status, headers["Location"]) == ("301 Moved Permanently", "/news/"), path


def test_app_sandboxes_active_files_under_files_only(tmp_path):
    out = make_output(tmp_path)
    for rel in ["files/news/a.html", "files/news/chart.SVG", "files/x.js", "news/files/a.html", "a.svg"]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("<html><head></head></html>", encoding="utf-8")
    app = SiteApp(out, BuildStatus(), live_script(8000))
    expected = {
        "/files/news/a.html": "application/octet-stream", "/files/news/chart.SVG": "image/svg+xml; charset=utf-8",
        "/files/x.js": "application/octet-stream",
    }
    for path, content_type in expected.items():
        status, headers, body = call(app, path)
        assert (status, headers["Content-Type"]) == ("200 OK", content_type), path
        assert (headers["Content-Security-Policy"], headers["Content-Disposition"]) == ("sandbox", "attachment"), path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert body == b"<html><head></head></html>", "附件原样提供，不插入预览的脚本"
    for path in ["/news/files/a.html", "/a.svg", "/files/通知.pdf".encode().decode("latin-1"), "/"]:
        status, headers, _body = call(app, path)
        assert status == "200 OK" and "Content-Disposition" not in headers and "Content-Security-Policy" not in headers, path


def test_app_puts_the_livereload_script_into_html_pages_only(tmp_path):
    out = make_output(tmp_path)
    (out / "notes.txt").write_text("</head>", encoding="utf-8")
    app = SiteApp(out, BuildStatus(), live_script(8000))
    script = live_script(8000)
    assert call(app, "/")[2] == b"<html><head>" + script + b"</head><body>\xe9\xa6\x96\xe9\xa1\xb5</body></html>"
    assert script + b"</head>" in call(app, "/missing.html")[2]
    assert call(app, "/notes.txt")[2] == b"</head>"
    assert int(call(app, "/")[1]["Content-Length"]) == len(call(app, "/")[2])


def test_app_answers_its_own_bug_with_a_short_page_and_one_line(tmp_path, monkeypatch, capsys):
    app = SiteApp(make_output(tmp_path), BuildStatus())

    def broken(*_args: object) -> None:
        raise PermissionError("坏了")

    monkeypatch.setattr("disclosure_site.app.serve_app.resolve", broken)
    status, _headers, body = call(app, "/")
    assert status == "500 Internal Server Error" and "<title>预览出错 · 网站预览</title>" in body.decode()
    assert capsys.readouterr().out == "内部错误：PermissionError: 坏了（请把此信息报告给网站维护人员）\n"

