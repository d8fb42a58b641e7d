"""Edit-to-page scenarios (``--edits``): how long an editor waits between saving a file and seeing the result.

* ``serve_body``: ``build.py serve`` runs as a subprocess; one word of one entry's Markdown body is changed and the
  clock runs from the save until that entry's page in serve's output contains the new word.
* ``serve_title``: the ``title:`` of an entry listed on its column's first page is changed; the clock runs until
  both the entry page and that list page show the new title.
* ``edit_incremental``: one word of one entry's body is changed, then ``build --incremental --no-search`` is timed
  as a whole process, with a warm cache.

The serve figures include the time serve takes to hear of the save (the operating system's report, 50 ms of quiet
and one poll of the watched folders: see ``BatchWatcher`` in ``disclosure_site/app/serve.py``) and this harness's
poll of the output (every ``OUTPUT_POLL``). Every run edits another entry
with a word of its own, so no run is a no-op and none can be answered from the cache. Serve's HTTP server runs on
the thread that runs its rebuilds, so a page it answers means it is idle again: that is how the harness knows the
first build is done and that one rebuild has finished before the next edit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Protocol

import yaml

from .corpus import BENCH_TODAY
from .measure import MeasureError, Sample, measure


class SampleList(Protocol):
    """Where one scenario's samples go."""

    samples: list[Sample]


class Bench(Protocol):
    """What the edit scenarios need of the benchmark run (``run.Bench``), named here so neither module imports the other."""

    args: argparse.Namespace
    work: Path
    root: Path
    env: dict[str, str]

    def ours_build(self, *extra: str, out: Path | None = None) -> list[str | Path]: ...

    def edit_series(self, scenario: str) -> SampleList: ...


OUTPUT_POLL = 0.01
"""Seconds between two reads of the watched output file."""
READY_TIMEOUT = 1800.0
"""Seconds allowed for serve's first build (cold search index at 100,000 entries takes minutes)."""
EDIT_TIMEOUT = 600.0
"""Seconds allowed from a save until the page shows it."""
STOP_TIMEOUT = 30.0
"""Seconds serve gets to exit after SIGTERM before it is killed."""
COLUMN = "news"
"""The column whose entries are edited: the largest one, whose first list page shows the newest 20."""
MARK = re.compile(r"\n编辑测试标记：[^\n]*。\n$")
TITLE_MARK = re.compile(r"（改题[^）]*）$")
REPO = Path(__file__).resolve().parent.parent
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Asks serve itself, whatever proxy the environment names."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def edit_body(path: Path, word: str) -> str:
    """Change the marker word at the end of an entry's body (added the first time); returns the text to look for."""
    text = path.read_text(encoding="utf-8")
    line = f"编辑测试标记：{word}。"
    path.write_text(MARK.sub("", text) + f"\n{line}\n", encoding="utf-8")
    return line


def edit_title(path: Path, word: str) -> str:
    """Give an entry a new title (its old title plus ``（改题<word>）``); returns the new title."""
    _start, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    lines = front.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    old = str(yaml.safe_load(lines[number])["title"])
    title = TITLE_MARK.sub("", old) + f"（改题{word}）"
    lines[number] = f"title: {json.dumps(title, ensure_ascii=False)}\n"  # a JSON string is a YAML scalar
    path.write_text(f"---\n{''.join(lines)}---\n{body}", encoding="utf-8")
    return title


def wait_for(pages: list[Path], text: str, process: subprocess.Popen[bytes] | None, log: Path) -> None:
    """Return once every page contains ``text`` (read every ``OUTPUT_POLL``); raise if serve exits or time runs out."""
    needle, deadline = text.encode(), time.perf_counter() + EDIT_TIMEOUT
    waiting = list(pages)
    while waiting:
        waiting = [page for page in waiting if needle not in _read(page)]
        if not waiting:
            return
        if process is not None and process.poll() is not None:
            raise MeasureError(f"serve 意外退出（退出码 {process.returncode}）\n{_tail(log)}")
        if time.perf_counter() > deadline:
            raise MeasureError(f"{EDIT_TIMEOUT:.0f} 秒内 {waiting[0]} 没有出现「{text}」\n{_tail(log)}")
        time.sleep(OUTPUT_POLL)


def _read(page: Path) -> bytes:
    try:
        return page.read_bytes()
    except FileNotFoundError:  # not written yet
        return b""


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""


class Serve:
    """``build.py serve`` as a subprocess; a context manager that always stops it (SIGTERM, then SIGKILL)."""

    def __init__(self, command: list[str | Path], port: int, log: Path, env: dict[str, str]) -> None:
        self.command, self.port, self.log, self.env = command, port, log, env
        self.process: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None

    def __enter__(self) -> Serve:
        self._out = self.log.open("wb")
        # Its own session: the fallback SIGKILL reaches the build workers it may have forked, and nothing else.
        self.process = subprocess.Popen([str(part) for part in self.command], stdout=self._out,
                                        stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def idle(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until serve answers a page: its first build is done, or the rebuild under way has finished."""
        deadline = time.perf_counter() + timeout
        while True:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise MeasureError(f"serve 意外退出（退出码 {code}）\n{_tail(self.log)}")
            try:
                with DIRECT.open(f"http://127.0.0.1:{self.port}/", timeout=timeout) as response:
                    response.read()
                return
            except urllib.error.HTTPError as exc:  # the error page: the build failed
                raise MeasureError(f"serve 的构建失败（HTTP {exc.code}）\n{_tail(self.log)}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() > deadline:
                    raise MeasureError(f"serve 在 {timeout:.0f} 秒内没有应答\n{_tail(self.log)}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM, and SIGKILL to its whole session if it has not exited within ``STOP_TIMEOUT``."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self._out is not None:
            self._out.close()
            self._out = None


def run_edits(bench: Bench) -> None:
    """The three edit scenarios, ``--runs`` times each, into ``bench.edits``."""
    runs = bench.args.runs
    print("编辑场景：build --incremental --no-search……", file=sys.stderr, flush=True)
    _incremental(bench, runs)
    print("编辑场景：serve……", file=sys.stderr, flush=True)
    _serve(bench, runs)


def _incremental(bench: Bench, runs: int) -> None:
    """After a warm-up full build into its own folder: change a word, time ``build --incremental --no-search``."""
    out, log = bench.work / "edits-out", bench.work / "last-run.log"
    measure(bench.ours_build("--no-search", out=out), log, bench.env)  # warm cache, output in the no-search state
    entries = _published(bench.root, out)
    series = bench.edit_series("edit_incremental")
    for number in range(1, runs + 1):
        edit_body(bench.root / "content" / entries[(number - 1) % len(entries)], f"增量{number}")
        series.samples.append(measure(bench.ours_build("--incremental", "--no-search", out=out), log, bench.env))


def _serve(bench: Bench, runs: int) -> None:
    """Start serve, then time ``runs`` body edits and ``runs`` title edits against its output."""
    out, port = bench.work / "serve-out", free_port()
    command: list[str | Path] = [sys.executable, REPO / "build.py", "serve", "--root", bench.root, "--out", out,
                                 "--port", str(port), "--today", BENCH_TODAY.isoformat(), "--strict"]
    if bench.args.jobs:
        command += ["--jobs", str(bench.args.jobs)]
    with Serve(command, port, bench.work / "serve.log", bench.env) as serve:
        serve.idle()
        body, listed = _published(bench.root, out), _listed(bench.root, out)
        for number in range(1, runs + 1):
            rel = body[(number - 1) % len(body)]
            start = time.perf_counter()
            text = edit_body(bench.root / "content" / rel, f"预览{number}")
            wait_for([_page(out, rel)], text, serve.process, serve.log)
            bench.edit_series("serve_body").samples.append(Sample(time.perf_counter() - start, 0))
            serve.idle()
        for number in range(1, runs + 1):
            rel = listed[(number - 1) % len(listed)]
            start = time.perf_counter()
            title = edit_title(bench.root / "content" / rel, f"{number}")
            wait_for([_page(out, rel), out / COLUMN / "index.html"], title, serve.process, serve.log)
            bench.edit_series("serve_title").samples.append(Sample(time.perf_counter() - start, 0))
            serve.idle()


def _page(out: Path, rel: Path) -> Path:
    """An entry's page: ``entries/<serial>.html``, the serial being the file's name (the 索引号's tail)."""
    return out / "entries" / f"{rel.stem}.html"


def _published(root: Path, out: Path) -> list[Path]:
    """The entries of ``COLUMN`` (not its sub-columns) that have a page in ``out``, relative to ``content/``."""
    found = [path.relative_to(root / "content") for path in sorted((root / "content" / COLUMN).glob("*.md"))]
    found = [rel for rel in found if _page(out, rel).exists()]
    if not found:
        raise MeasureError(f"语料中没有已发布的「{COLUMN}」条目，无法测量编辑场景")
    return found


def _listed(root: Path, out: Path) -> list[Path]:
    """Those of :func:`_published` that the column's first list page links to: a new title must show there."""
    first = (out / COLUMN / "index.html").read_text(encoding="utf-8")
    found = [rel for rel in _published(root, out) if f"entries/{rel.stem}.html" in first]
    if not found:
        raise MeasureError(f"「{COLUMN}」第一页没有列出本栏目自己的条目，无法测量改标题")
    return found
