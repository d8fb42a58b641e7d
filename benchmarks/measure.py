"""Run one command and measure it: wall-clock seconds and peak RSS of its whole process tree.

Peak RSS is sampled, not exact: every ``POLL`` seconds a thread sums ``VmRSS`` from ``/proc/<pid>/status``
over the child and all its descendants (found through the ``PPid`` of every process, since this kernel has
no ``/proc/<pid>/task/*/children``) and keeps the largest sum. A spike shorter than the poll interval can be
missed, so the figure is raised to the child's own ``ru_maxrss`` from ``wait4`` (exact, but only the single
largest process of the tree). Pages shared between processes (forked workers) count once per process, so
the RSS sum overstates a tree of forks. The same poll also sums ``Pss`` from ``/proc/<pid>/smaps_rollup``,
which divides each shared page among the processes sharing it: the tree's actual memory.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.02
"""Seconds between RSS samples: 20 ms keeps the sampler's own cost under 1 % of one core."""


class MeasureError(Exception):
    """A measured command failed; the message ends with the tail of its output."""


@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    rss_kb: int
    pss_kb: int = 0
    """Peak of the summed proportional set size (shared pages divided among their sharers)."""


@dataclass
class _Sampler:
    """Polls the RSS of a process tree on a thread until stopped."""

    pid: int
    peak_kb: int = 0
    peak_pss_kb: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Sample until told to stop; a process that has just exited simply drops out of the sum."""
        while not self.stop.is_set():
            members = tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_status_kb(m, "VmRSS:") for m in members))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(m) for m in members))
            self.stop.wait(POLL)


def tree(pid: int) -> set[int]:
    """``pid`` and every descendant alive now."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # The command name may contain spaces and brackets: fields restart after its last ')'.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    members, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent and child not in members]
        members.update(children)
        frontier.extend(children)
    return members


def _status_kb(pid: int, field_name: str) -> int:
    """One kB field of ``/proc/<pid>/status``; 0 for a process that has gone or is a zombie."""
    return _field_kb(Path(f"/proc/{pid}/status"), field_name)


def _pss_kb(pid: int) -> int:
    return _field_kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")


def _field_kb(path: Path, field_name: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field_name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: Sequence[str | Path], log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` to completion with its output in ``log``; raise :class:`MeasureError` unless it exits 0."""
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen([str(part) for part in command], stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = _Sampler(process.pid)
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        # wait4 rather than Popen.wait: it returns the child's own rusage (ru_maxrss) at the exact moment it exits.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        thread.join()
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise MeasureError(f"命令失败（退出码 {process.returncode}）：{' '.join(map(str, command))}\n{tail}")
    return Sample(seconds, max(sampler.peak_kb, usage.ru_maxrss), sampler.peak_pss_kb)
