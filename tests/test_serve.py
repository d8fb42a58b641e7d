"""``python build.py serve`` for real (a server on a free port, edits, the error page, recovery) and its web app."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO, TODAY, entry
from tornado.websocket import WebSocketClientConnection, websocket_connect

from disclosure_site import pipeline
from disclosure_site.app.serve import BatchWatcher, Rebuilder, serve, watched_paths
from disclosure_site.app.serve_app import BuildStatus, Failure, SiteApp, content_type, request_path
from disclosure_site.render.templating import DEFAULT_TEMPLATES

PAGE = "entries/2024-00001.html"
BAD_DATE = "content/news/a.md:4: 错误 [BAD_DATE] published（发布日期）：值「昨天」不是有效日期"
LIVERELOAD_SCRIPT = '"/livereload.js?port=" + port'
"""What livereload injects before ``</head>``: a script loading ``/livereload.js?port=PORT`` from the preview."""


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"等待超时：{what}"
        time.sleep(0.1)


@dataclass
class Preview:
    """A running ``python build.py serve`` and its output log."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def get(self, path: str = "") -> tuple[int, str]:
        """Status and text of ``http://127.0.0.1:PORT/<path>``; status 0 when nothing answers."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            return 0, ""

    def shows(self, path: str, status: int, text: str) -> bool:
        """Whether ``path`` answers with this status and contains ``text``."""
        got_status, got_text = self.get(path)
        return got_status == status and text in got_text

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8")


@contextmanager
def running_preview(root: Path) -> Iterator[Preview]:
    """Start ``build.py serve`` on a free port, wait until it answers, and always stop it afterwards."""
    port = free_port()
    log = root.parent / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                                    "--root", str(root)], stdout=sink, stderr=subprocess.STDOUT, cwd=root)
    preview = Preview(process, port, log)
    try:
        wait_until(lambda: process.poll() is not None or preview.get()[0] != 0, "预览服务器启动", timeout=20)
        assert process.poll() is None, preview.output()
        yield preview
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_shows_edits_then_the_error_page_then_recovers(make_site):
    site = make_site({"content/news/a.md": entry(title="第一版标题")})
    with running_preview(site.root) as preview:
        status, page = preview.get(PAGE)
        assert status == 200, page
        assert "<title>第一版标题 - " in page
        assert LIVERELOAD_SCRIPT in page
        assert f"预览地址：http://127.0.0.1:{preview.port}/" in preview.output()

        site.write("content/news/a.md", entry(title="第二版标题"))
        wait_until(lambda: preview.shows(PAGE, 200, "<title>第二版标题 - "), "页面显示修改后的标题")

        site.write("content/news/a.md", entry(title="第二版标题", published="昨天"))
        wait_until(lambda: preview.shows(PAGE, 500, "<title>构建失败"), "浏览器显示问题清单")
        for path in (PAGE, "", "index.html", "no-such-page.html"):  # no stale page anywhere
            status, page = preview.get(path)
            assert status == 500 and BAD_DATE in page and LIVERELOAD_SCRIPT in page, (path, page)
            assert "改正之前，预览不显示任何页面" in page
        wait_until(lambda: "构建失败：1 个错误" in preview.output(), "终端提示构建失败")

        site.write("content/news/a.md", entry(title="第三版标题"))
        wait_until(lambda: preview.shows(PAGE, 200, "<title>第三版标题 - "), "改正后自动恢复")
        assert preview.shows("", 200, "第三版标题")
        assert "已重新生成" in preview.output()


def test_browser_on_the_error_page_is_reloaded_after_a_quick_fix(make_site):
    site = make_site({"content/news/a.md": entry(title="第一版标题")})
    # Its own thread: the session's Playwright browser keeps an event loop running in the main thread.
    with running_preview(site.root) as preview, concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _break_and_fix_while_connected(site, preview)).result()


async def _break_and_fix_while_connected(site, preview: Preview) -> None:
    """Act as livereload.js: handshake, then expect a reload after the break and another after the fix."""
    socket_url = f"ws://127.0.0.1:{preview.port}/livereload"
    browser = await websocket_connect(socket_url)
    await browser.write_message(json.dumps({"command": "hello", "protocols": []}))
    assert json.loads(await asyncio.wait_for(browser.read_message(), timeout=10))["command"] == "hello"
    await browser.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{preview.port}/{PAGE}"}))

    site.write("content/news/a.md", entry(published="昨天"))
    await _reload_until(browser, lambda: preview.shows(PAGE, 500, BAD_DATE))
    # Fixed within a second of that reload: livereload's default 3-second window would swallow the next one.
    site.write("content/news/a.md", entry(title="改正后的标题"))
    await _reload_until(browser, lambda: preview.shows(PAGE, 200, "<title>改正后的标题 - "))
    browser.close()


async def _reload_until(browser: WebSocketClientConnection, shown: Callable[[], bool]) -> None:
    """Read reload commands (10 s at most each) until, after one, the page shows what the browser should see."""
    while True:
        message = await asyncio.wait_for(browser.read_message(), timeout=10)
        assert isinstance(message, str) and json.loads(message)["command"] == "reload", message
        if shown():
            return


# The web app and the rebuilder, in process.

def make_output(tmp_path: Path) -> Path:
    """A small built site, plus a secret beside it that must never be served."""
    out = tmp_path / "site"
    for rel, text in {"index.html": "<html><head></head><body>首页</body></html>", "news/index.html": "动态",
                      "assets/site.0123abcd.css": "body {}", "catalogue.json": "{}", "files/通知.pdf": "%PDF"}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text("secret", encoding="utf-8")
    return out


def call(app: SiteApp, path_info: str) -> tuple[str, dict[str, str], bytes]:
    """Run the WSGI app as a server would, with ``PATH_INFO`` in WSGI's latin-1 form."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": path_info},
               lambda status, headers, exc_info=None: started.append((status, headers)) or (lambda _data: None))
    status, headers = started[0]
    return status, dict(headers), b"".join(body)


def test_app_serves_index_html_for_folder_urls_and_redirects_without_slash(tmp_path):
    app = SiteApp(make_output(tmp_path), BuildStatus())
    status, headers, body = call(app, "/")
    assert (status, headers["Content-Type"], body) == ("200 OK", "text/html; charset=utf-8",
                                                      "<html><head></head><body>首页</body></html>".encode())
    assert headers["Cache-Control"] == "no-store"
    assert call(app, "/news/")[2] == "动态".encode()
    status, headers, _body = call(app, "/news")
    assert (status, headers["Location"]) == ("301 Moved Permanently", "/news/")


def test_app_gives_content_types_with_utf8_charset_for_text(tmp_path):
    app = SiteApp(make_output(tmp_path), BuildStatus())
    assert call(app, "/assets/site.0123abcd.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert call(app, "/catalogue.json")[1]["Content-Type"] == "application/json; charset=utf-8"
    status, headers, body = call(app, "/files/通知.pdf".encode().decode("latin-1"))
    assert (status, headers["Content-Type"], body) == ("200 OK", "application/pdf", b"%PDF")
    assert content_type(Path("a.HTML")) == "text/html; charset=utf-8"
    assert content_type(Path("a.unknown-kind")) == "application/octet-stream"


def test_app_never_serves_files_outside_the_output_folder(tmp_path):
    out = make_output(tmp_path)
    (out / "escape").symlink_to(tmp_path)
    app = SiteApp(out, BuildStatus())
    for path in ("/../catalog.yaml", "/news/../../catalog.yaml", "/escape/catalog.yaml", "/..\\catalog.yaml",
                 "/missing.html"):
        status, _headers, body = call(app, path)
        assert status == "404 Not Found", path
        assert b"secret" not in body
        assert "找不到页面" in body.decode() and "</head>" in body.decode()


def test_app_answers_every_url_with_the_escaped_error_page_while_the_build_failed(tmp_path):
    failure = Failure(1, ["content/news/a.md:4: 错误 [BAD_DATE] 值「<b>」不是有效日期"])
    app = SiteApp(make_output(tmp_path), BuildStatus(failure))
    for path in ("/", "/news/", "/assets/site.0123abcd.css", "/missing.html"):
        status, headers, body = call(app, path)
        assert (status, headers["Content-Type"]) == ("500 Internal Server Error", "text/html; charset=utf-8")
        page = body.decode()
        assert "<title>构建失败" in page and "</head>" in page
        assert "content/news/a.md:4: 错误 [BAD_DATE] 值「&lt;b&gt;」不是有效日期" in page
        assert "有 1 个错误需要改正" in page


def test_request_path_decodes_wsgi_latin1_as_utf8():
    assert request_path({"PATH_INFO": "/files/通知.pdf".encode().decode("latin-1")}) == "/files/通知.pdf"
    assert request_path({}) == "/"


def test_rebuilder_records_failure_and_recovery_and_says_so(make_site, capsys):
    site = make_site({"content/news/a.md": entry(published="昨天")})
    rebuild = Rebuilder(site.root, site.root / "site", TODAY, strict=False, quiet=False)
    rebuild.build(first=True)
    assert rebuild.status.failure is not None and rebuild.status.failure.errors == 1
    assert rebuild.status.failure.lines[0].startswith(BAD_DATE)
    assert not (site.root / "site").exists()
    site.write("content/news/a.md", entry())
    rebuild()
    assert rebuild.status.failure is None
    assert (site.root / "site" / PAGE).is_file()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(BAD_DATE)
    assert printed[1:] == ["构建失败：1 个错误（浏览器显示问题清单，改正后自动恢复）", "已重新生成"]


def test_rebuilder_shows_a_tool_bug_on_the_error_page_and_keeps_serving(make_site, monkeypatch, capsys):
    site = make_site({"content/news/a.md": entry()})
    rebuild = Rebuilder(site.root, site.root / "site", None, strict=False, quiet=False)

    def broken_build(*_args: object, **_options: object) -> None:
        raise ValueError("模板引擎坏了")

    monkeypatch.setattr("disclosure_site.pipeline.build", broken_build)
    rebuild()
    assert rebuild.status.failure == Failure(1, ["内部错误：ValueError: 模板引擎坏了（请把此信息报告给网站维护人员）"])
    assert capsys.readouterr().out.startswith("内部错误：ValueError: 模板引擎坏了")


def test_rebuilder_is_silent_when_quiet_but_still_lists_problems(make_site, capsys):
    site = make_site({"content/news/a.md": entry(published="昨天")})
    Rebuilder(site.root, site.root / "site", TODAY, strict=False, quiet=True).build(first=True)
    assert [line[:len(BAD_DATE)] for line in capsys.readouterr().out.splitlines()] == [BAD_DATE]


def test_watches_content_templates_and_catalog_but_not_the_output(make_site):
    site = make_site()
    root = site.root.resolve()
    assert watched_paths(site.root) == [root / "content", root / "templates", DEFAULT_TEMPLATES,
                                        root / "catalog.yaml"]
    assert watched_paths(REPO) == [REPO / "content", DEFAULT_TEMPLATES, REPO / "catalog.yaml"]


def test_a_change_to_many_files_gives_one_build(tmp_path):
    files = [tmp_path / f"{name}.md" for name in "abc"]
    for path in files:
        path.write_text("旧", encoding="utf-8")
    builds: list[int] = []
    watcher = BatchWatcher()
    watcher.watch(str(tmp_path), lambda: builds.append(1))
    watcher.examine()
    assert builds == []
    for path in files:  # as a search and replace over content/ does
        path.write_text("新", encoding="utf-8")
        os.utime(path, (time.time() + 5, time.time() + 5))
    watcher.examine()
    watcher.examine()
    assert builds == [1]


def test_the_watcher_hears_of_a_save_from_the_system_without_waiting_for_a_poll(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    watcher = BatchWatcher()
    watcher.SAFETY_POLL_MS = 3_600_000  # so only the system's report can call back within the test
    watcher.watch(str(folder), lambda: None)
    calls: list[float] = []

    async def scenario() -> tuple[bool, int, int]:
        started = watcher.start(lambda: calls.append(time.monotonic()))
        await asyncio.sleep(0.5)  # the poll it makes at once, for changes made during the first build
        before = len(calls)
        (folder / "a.md").write_text("新", encoding="utf-8")
        deadline = time.monotonic() + 10
        while len(calls) == before and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        watcher.stop_event.set()
        return started, before, len(calls)

    # In a thread of its own: Playwright's browser tests may leave an event loop running on this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        started, before, after = pool.submit(asyncio.run, scenario()).result()
    assert started and before == 1 and after == 2


def test_a_started_watcher_names_no_file_as_changed_until_one_is(tmp_path):
    """Livereload's first poll named some file as changed whatever happened, and so reloaded every open browser a
    few seconds after the preview started (a page reloading under a reader, or under a test)."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("旧", encoding="utf-8")
    watcher = BatchWatcher()
    watcher.SAFETY_POLL_MS = 3_600_000
    builds: list[int] = []
    watcher.watch(str(folder), lambda: builds.append(1))

    async def scenario() -> tuple[object, object]:
        watcher.start(lambda: None)
        quiet = watcher.examine()
        os.utime(folder / "a.md", (time.time() + 5, time.time() + 5))
        saved = watcher.examine()
        watcher.stop_event.set()
        return quiet, saved

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        quiet, saved = pool.submit(asyncio.run, scenario()).result()
    assert quiet == (None, None)
    assert saved == (str(folder / "a.md"), None) and builds == [1]


def test_refuses_a_busy_port_or_an_output_folder_that_is_watched(make_site, capsys):
    site = make_site({"content/news/a.md": entry()})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert serve(site.root, site.root / "site", port=port, today=TODAY, strict=False, quiet=False) == 2
    assert f"端口 {port} 已被占用" in capsys.readouterr().err
    assert serve(site.root, site.root / "content/x", port=free_port(), today=TODAY, strict=False, quiet=False) == 2
    assert "请用 --out 指定别的文件夹" in capsys.readouterr().err
    assert not (site.root / "site").exists()


def test_pages_say_what_waits_and_asking_for_it_brings_it_up_to_date(tmp_path):
    out = make_output(tmp_path)
    (out / "search.html").write_text("<html><head></head><body>搜索</body></html>", encoding="utf-8")
    (out / "data").mkdir()
    (out / "data/entries.csv").write_text("a,b\n", encoding="utf-8")
    refreshed: list[int] = []
    status = BuildStatus(later=frozenset({"data/entries.csv", "pagefind/pagefind-entry.json"}))

    def refresh() -> None:
        refreshed.append(1)
        status.later = frozenset()

    status.refresh = refresh
    app = SiteApp(out, status)
    assert "站内搜索、数据下载和订阅还没有包含刚才的修改".encode() in call(app, "/")[2]
    assert call(app, "/catalogue.json")[2] == b"{}"  # not left for later: served as it is
    assert refreshed == []
    assert call(app, "/data/entries.csv")[2] == b"a,b\n"
    assert refreshed == [1]
    status.later = frozenset({"pagefind/pagefind-entry.json"})
    body = call(app, "/search.html")[2]
    assert refreshed == [1, 1] and body == "<html><head></head><body>搜索</body></html>".encode()
    assert "还没有包含刚才的修改".encode() not in call(app, "/")[2]


def test_a_rebuild_leaves_search_and_data_until_asked_for(make_site, monkeypatch):
    site = make_site({"content/news/a.md": entry()})
    calls: list[bool] = []
    real_build = pipeline.build

    def recording(*args, **kwargs):
        calls.append(kwargs["later"])
        return real_build(*args, **{**kwargs, "search": False})

    monkeypatch.setattr(pipeline, "build", recording)
    rebuild = Rebuilder(site.root, site.root / "site", TODAY, strict=False, quiet=True)
    rebuild.build(first=True)
    rebuild()
    assert calls == [False, True]
    assert rebuild.status.refresh is not None
    rebuild.status.later = frozenset({"catalogue.json"})
    rebuild.status.refresh()
    assert calls == [False, True, False] and rebuild.status.later == frozenset()


def test_what_a_preview_keeps_is_left_out_of_later_garbage_collections(make_site):
    import gc

    site = make_site({"content/news/a.md": entry()})
    gc.unfreeze()
    try:
        Rebuilder(site.root, site.root / "site", TODAY, strict=False, quiet=True).build(first=True)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_after_a_parallel_first_build_serve_learns_every_page_so_the_first_edit_redoes_only_its_own(
        make_site, monkeypatch):
    from disclosure_site.cache import steps
    from disclosure_site.render import parallel

    monkeypatch.setattr(parallel, "MIN_ENTRIES_PER_WORKER", 1)  # four entries, two page workers
    site = make_site({f"content/news/{n}.md": entry(title=f"动态{n}", serial=f"2024-0000{n}") for n in range(1, 5)})
    rebuild = Rebuilder(site.root, site.root / "site", TODAY, strict=False, quiet=True)
    rebuild.build(first=True)
    rebuild.learn()
    keyed: list[str] = []
    real_key = steps.step_key

    def spying_key(step: str, inputs: tuple) -> str:
        if step == "page":
            keyed.append(inputs[0].path)
        return real_key(step, inputs)

    monkeypatch.setattr(steps, "step_key", spying_key)
    site.write("content/news/1.md", entry(title="动态1", serial="2024-00001").replace("正文。", "新的正文。"))
    rebuild()
    # The entry's page and its 公众号 copy page, made from the same body; nothing of the other three entries.
    assert [path for path in keyed if path.startswith("entries/")] == ["entries/2024-00001.html",
                                                                         "entries/2024-00001.wechat.html"]
    assert "新的正文" in (site.root / "site/entries/2024-00001.html").read_text(encoding="utf-8")
