"""The real nginx serving a built site with the shipped ``deploy/nginx.conf`` on a free loopback port.

Only the lines a bureau is told to change are rewritten (``listen``, ``server_name`` and the site folder
in ``alias``), each exactly once, so the tests exercise the very file that is shipped. Everything nginx
writes (pid, logs, temp files) stays in a temporary folder; ``daemon off`` keeps the master process a
child of the test so it can be stopped for sure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY_CONF = REPO / "deploy" / "nginx.conf"
SUB_PATH = "/swhbj/"
"""The sub-path the shipped file serves the site under (the demo ``base_url`` path)."""
MIME_TYPES = Path("/etc/nginx/mime.types")
START_TIMEOUT = 15.0

SUBSTITUTIONS = {
    "listen": re.compile(r"^(?P<indent>[ \t]*)listen[ \t]+[^;#\n]+;", re.MULTILINE),
    "server_name": re.compile(r"^(?P<indent>[ \t]*)server_name[ \t]+[^;#\n]+;", re.MULTILINE),
    "site folder": re.compile(r"^(?P<indent>[ \t]*)alias[ \t]+/srv/disclosure/current/;", re.MULTILINE),
}
"""The only lines of the shipped file the tests change: what a bureau is told to edit (besides the sub-path)."""


def nginx_binary() -> str:
    """The nginx executable, or a failure that says how to get it (CI installs it; a skip would hide a broken deploy)."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
    if found is None or not MIME_TYPES.is_file():
        raise RuntimeError("nginx 未安装（需要 /usr/sbin/nginx 和 /etc/nginx/mime.types）：请运行 .ci/run，"
                           "或执行 apt-get install nginx-light")
    return found


def server_config(shipped: str, port: int, site: Path, server_name: str = "localhost") -> str:
    """``deploy/nginx.conf`` with only its listen, server_name and site folder lines replaced (each must occur once)."""
    replacements = {
        "listen": f"listen 127.0.0.1:{port};",
        "server_name": f"server_name {server_name};",
        "site folder": f'alias "{site.resolve()}/";',
    }
    text = shipped
    for name, pattern in SUBSTITUTIONS.items():
        text, count = pattern.subn(lambda m, name=name: m["indent"] + replacements[name], text)
        assert count == 1, f"deploy/nginx.conf 中应恰有 1 处 {name} 配置行，实际 {count} 处"
    return text


def main_config(work: Path, server_file: Path) -> str:
    """A minimal main nginx.conf whose every writable path is inside ``work``."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 temp folders
    temp_paths = "\n".join(f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\n"
            "worker_processes 1;\n"
            f"pid {work / 'nginx.pid'};\n"
            f"error_log {work / 'error.log'} warn;\n"
            "events {\n    worker_connections 64;\n}\n"
            "http {\n"
            f"    include {MIME_TYPES};\n"
            "    default_type application/octet-stream;\n"
            f"    access_log {work / 'access.log'};\n"
            f"{temp_paths}\n"
            f"    include {server_file};\n"
            "}\n")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _log(work: Path) -> str:
    path = work / "error.log"
    return path.read_text(errors="replace") if path.exists() else ""


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Graceful shutdown (SIGQUIT lets workers finish), then terminate, then kill."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGQUIT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def serve_site(site: Path, config: Path = DEPLOY_CONF) -> Iterator[str]:
    """Serve the built ``site`` folder with nginx and ``config``; yields ``http://127.0.0.1:<port>/swhbj/``."""
    nginx = nginx_binary()
    assert (site / "index.html").is_file(), f"{site} 不是生成的网站（没有 index.html）"
    shipped = config.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="nginx-test-") as tmp:
        work = Path(tmp)
        for attempt in range(3):  # the free port can be taken between choosing and binding it
            port = free_port()
            server_file = work / "disclosure-site.conf"
            server_file.write_text(server_config(shipped, port, site), encoding="utf-8")
            main = work / "nginx.conf"
            main.write_text(main_config(work, server_file), encoding="utf-8")
            with (work / "stderr.log").open("wb") as stderr_file:  # a file, not a pipe that could fill up
                proc = subprocess.Popen([nginx, "-c", str(main), "-p", str(work)], stdout=subprocess.DEVNULL, stderr=stderr_file)
            deadline = time.monotonic() + START_TIMEOUT
            while proc.poll() is None and not answers(port) and time.monotonic() < deadline:
                time.sleep(0.05)
            if proc.poll() is None and answers(port):
                break
            _stop(proc)
            stderr = (work / "stderr.log").read_text(errors="replace")
            if "Address already in use" in stderr + _log(work) and attempt < 2:
                continue
            raise RuntimeError(f"nginx 未能启动（{nginx} -c {main}）：\n{stderr}\n{_log(work)}")
        try:
            yield f"http://127.0.0.1:{port}{SUB_PATH}"
        finally:
            _stop(proc)
