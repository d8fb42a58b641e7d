"""The proxy in front of decap-server commits the files a save wrote and nothing else (never ``git add .``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from disclosure_site.app.cms_proxy import commit, written_paths


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_the_paths_of_a_save_are_the_entry_its_new_name_and_its_uploads() -> None:
    request = {"action": "persistEntry", "params": {
        "entry": {"path": "content/news/a.md", "raw": "---\n---\n", "newPath": "content/news/b.md"},
        "assets": [{"path": "content/news/attachments/x.pdf", "content": "", "encoding": "base64"}],
        "options": {"commitMessage": "Create"}}}
    assert written_paths(request) == ["content/news/a.md", "content/news/b.md", "content/news/attachments/x.pdf"]
    assert written_paths({"action": "deleteFiles", "params": {"paths": ["content/a.md"]}}) == ["content/a.md"]
    assert written_paths({"action": "getEntry", "params": {"path": "content/a.md"}}) == []


def test_only_the_written_files_are_committed(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.name", "编辑")
    _git(tmp_path, "config", "user.email", "e@example.invalid")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("a\n", encoding="utf-8")
    (tmp_path / "stray.txt").write_text("private notes\n", encoding="utf-8")
    (tmp_path / "content" / "[x].md").write_text("a pathspec-looking name\n", encoding="utf-8")
    assert commit(tmp_path, ["content/a.md"], "Create 工作动态")
    assert _git(tmp_path, "show", "--name-only", "--format=%s", "HEAD").split() == ["Create", "工作动态", "content/a.md"]
    assert "?? stray.txt" in _git(tmp_path, "status", "--short")
    assert not commit(tmp_path, ["content/a.md"], "nothing changed")


def test_outside_a_repository_nothing_is_committed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a\n", encoding="utf-8")
    assert not commit(tmp_path, ["a.md"], "Create")


def test_requests_from_other_sites_never_reach_decap_server(tmp_path: Path) -> None:
    import threading
    import urllib.error
    import urllib.request

    from disclosure_site.app.cms_proxy import make_server

    server = make_server("127.0.0.1", 0, "http://127.0.0.1:9/api/v1", tmp_path)  # nothing listens upstream
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def status(headers: dict[str, str]) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info"}', headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    try:
        assert status({"Content-Type": "text/plain"}) == 415  # a cross-site form's simple request
        assert status({"Content-Type": "application/json", "Origin": "http://evil.example"}) == 403
        assert status({"Content-Type": "application/json", "Host": "evil.example"}) == 403
        assert status({"Content-Type": "application/json", "Origin": "http://127.0.0.1:8001"}) == 502  # passed on
    finally:
        server.shutdown()


def test_a_busy_port_is_a_message_not_a_traceback() -> None:
    import socket
    from http.server import BaseHTTPRequestHandler

    from disclosure_site.app.cms import CmsError
    from disclosure_site.app.edit import _serving

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = f"端口 {port} 已被占用：编辑后台和代理使用预览端口之后的三个端口"
        with pytest.raises(CmsError, match=busy), _serving(port, BaseHTTPRequestHandler):
            pass
