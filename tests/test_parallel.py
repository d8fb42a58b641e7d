"""Entry pages rendered by several processes give exactly the single-process site, errors included."""

from __future__ import annotations

import hashlib

from conftest import REPO, entry

from disclosure_site.render import parallel

ENTRIES = 2 * parallel.MIN_ENTRIES_PER_WORKER + 10


def big_site(make_site):
    files = {f"content/news/n{i}.md": entry(title=f"动态{i}", serial=f"2024-{i:05d}", published=f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}")
             for i in range(1, ENTRIES + 1)}
    return make_site(files)


def digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


FORKED_BUILD = """
import datetime as dt, sys
from pathlib import Path
from disclosure_site import pipeline
from disclosure_site.render import parallel
def no_serial_fallback(*_args):
    raise SystemExit("with two jobs the entries must be rendered by the workers")
parallel._serial = no_serial_fallback
parallel.CHUNK, parallel.CHUNKS_PER_WORKER = 10, 2  # many chunks, so workers are replaced by fresh forks
outcome = pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2026, 11, 26), jobs=2, search=False,
                         cache=False)
print(outcome.files)
"""


def test_two_processes_build_the_same_bytes_as_one(make_site):
    # In a fresh interpreter: this test process may run other threads (the browser tests' driver),
    # and then the build rightly refuses to fork.
    site = big_site(make_site)
    import datetime as dt
    import subprocess
    import sys

    from disclosure_site import pipeline
    one = pipeline.build(site.root, site.root / "one", dt.date(2026, 11, 26), jobs=1, search=False)
    two = subprocess.run([sys.executable, "-c", FORKED_BUILD, str(site.root), str(site.root / "two")],
                         capture_output=True, text=True, cwd=REPO)
    assert two.returncode == 0, two.stderr
    assert int(two.stdout) == one.files > ENTRIES
    assert digest(site.root / "one") == digest(site.root / "two")


def test_a_template_error_in_a_worker_is_reported_as_in_a_serial_build(make_site):
    site = big_site(make_site)
    site.write("templates/entry.html", "{% extends 'base.html' %}{% block content %}{{ meta.no_such_key }}{% endblock %}\n")
    import datetime as dt

    from disclosure_site import pipeline
    serial = pipeline.build(site.root, site.root / "a", dt.date(2026, 11, 26), jobs=1, search=False)
    forked = pipeline.build(site.root, site.root / "b", dt.date(2026, 11, 26), jobs=2, search=False)
    assert [d.format() for d in forked.report] == [d.format() for d in serial.report]
    assert serial.report.sorted()[0].code == "TEMPLATE_ERROR"


def test_jobs_and_no_search_options(make_site):
    site = make_site({"content/news/a.md": entry()})
    result = site.cli("build", "--jobs", "2", "--no-search", "--quiet", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site.root / "site/entries/2024-00001.html").is_file() and not (site.root / "site/pagefind").exists()
    bad = site.cli("--jobs", "0", "build")
    assert bad.returncode == 2 and "应为正整数（半角数字）：0" in bad.stderr


def test_a_worker_stopped_right_after_fork_really_stops():
    """The CLI handles SIGTERM in Python; a page worker that receives the pool's SIGTERM before its own code runs
    must still end (a swallowed signal once left a build waiting for ever on a worker the pool could not stop)."""
    import os
    import signal
    import time

    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: None)  # like the CLI's handler
    parallel._FORKING[0] = True
    try:
        for _ in range(20):
            pid = os.fork()
            if pid == 0:  # the worker: if the signal is lost it lives on and exits normally
                time.sleep(3)
                os._exit(0)
            os.kill(pid, signal.SIGTERM)
            _pid, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
    finally:
        parallel._FORKING[0] = False
        signal.signal(signal.SIGTERM, previous)


CLOSED_POOL_BUILD = FORKED_BUILD.replace("outcome = pipeline.build", """
import multiprocessing.pool
terminated = []
original = multiprocessing.pool.Pool.terminate
def recording(pool):
    terminated.append(len([p for p in pool._pool if p.exitcode is None]))
    original(pool)
multiprocessing.pool.Pool.terminate = recording
outcome = pipeline.build""").replace("print(outcome.files)", "print(outcome.files, terminated)")


def forked_build(script: str, make_site) -> tuple[str, str]:
    """Run ``script`` (a two-job build that prints its file count and one more value) in a fresh interpreter on a
    site big enough to fork workers; its two printed values."""
    import subprocess
    import sys

    site = big_site(make_site)
    result = subprocess.run([sys.executable, "-c", script, str(site.root), str(site.root / "out")],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    files, printed = result.stdout.split(" ", 1)
    return files, printed


def test_parallel_builds_finish_without_stopping_workers_by_signal(make_site):
    """A finished pool is closed and joined: no live worker is left for a SIGTERM that could race a replacement."""
    files, terminated = forked_build(CLOSED_POOL_BUILD, make_site)
    assert int(files) > ENTRIES and terminated.strip() == "[0]"


FAILING_WORKER_BUILD = FORKED_BUILD.replace("parallel._serial = no_serial_fallback\n", """
import os
parent = os.getpid()
real_entry_files = parallel.entry_files
def entry_files_failing_in_workers(renderer, edition, entry):
    if os.getpid() != parent:
        raise MemoryError("worker ran out of memory")
    return real_entry_files(renderer, edition, entry)
parallel.entry_files = entry_files_failing_in_workers
""").replace("print(outcome.files)", "print(outcome.files, [(d.code, d.severity.name, d.message) for d in outcome.report])")


def test_a_failing_worker_is_reported_before_the_serial_rerun(make_site):
    """A worker error that does not recur in this process (memory, a crash) used to vanish without a word."""
    files, problems = forked_build(FAILING_WORKER_BUILD, make_site)
    assert int(files) > ENTRIES
    assert "('WORKER_FAILED', 'NOTICE', " in problems and "MemoryError: worker ran out of memory" in problems
