"""What the command line prints: problems as text, JSON or GitHub annotations, summaries and progress."""

from __future__ import annotations

import json
import sys
from itertools import groupby
from pathlib import Path

from ..core.diagnostics import Diagnostic, Report, Severity
from ..model.catalogue import Status
from ..pipeline import Outcome
from .inspection import render_report
from .textwidth import pad, width

FORMATS = ("text", "json", "github")
CALENDAR_HEADING = ("全站提醒（栏目更新、年度报告、办理时限等，反映整个网站的状况；不影响检查和生成的结果，"
                    "请尽快处理）：")
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


def print_check(outcome: Outcome, *, fmt: str, report: bool, quiet: bool) -> None:
    """Output of ``check``: problems in the chosen format, then the summary (and the self-inspection report)."""
    if fmt == "json":
        print(json.dumps(_as_json(outcome.report), ensure_ascii=False, indent=1))
        return
    if fmt == "github":
        for diagnostic in outcome.report:
            print(github_annotation(diagnostic))
    else:
        print_problems(outcome.report)
    if report and outcome.catalogue is not None:
        print(render_report(outcome))
    if not quiet:
        print(summary_line(outcome.report))


def print_build(outcome: Outcome, *, out: Path, strict: bool, quiet: bool) -> None:
    """Output of ``build``: problems, the per-column status table and where the site was written."""
    print_problems(outcome.report)
    if quiet:
        return
    if outcome.catalogue is not None:
        print_status_table(outcome)
    print(summary_line(outcome.report))
    failed = outcome.report.fails(strict=strict)
    print("构建失败，原有输出未改动。" if failed else f"已生成 {outcome.files} 个文件到 {out}（用浏览器打开 {out / 'index.html'}）")


def print_problems(report: Report) -> None:
    """One line per problem, sorted, files separated by a blank line; 全站提醒 follow under their own heading."""
    content = [d for d in report if not d.calendar]
    for index, (_path, group) in enumerate(groupby(content, key=lambda d: d.path)):
        if index:
            print()
        for diagnostic in group:
            print(diagnostic.format())
    calendar = [d for d in report if d.calendar]
    if calendar:
        print(("\n" if content else "") + CALENDAR_HEADING)
        for diagnostic in calendar:
            print(diagnostic.format())


def summary_line(report: Report) -> str:
    """``共 N 个错误，N 个警告，N 个提示。`` plus the number of 全站提醒, which never fail a build."""
    counts = [report.count(severity) for severity in Severity]
    line = "共 {} 个错误，{} 个警告，{} 个提示".format(*counts)
    calendar = sum(1 for d in report if d.calendar)
    return line + (f"；另有 {calendar} 条全站提醒（不影响发布）。" if calendar else "。")


def github_annotation(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the pull request."""
    message = f"[{diagnostic.code}] {diagnostic.message}".replace("%", "%25").replace("\n", "%0A")
    level = _GITHUB_LEVEL[diagnostic.severity]
    title = f"全站提醒 {diagnostic.code}" if diagnostic.calendar else diagnostic.code
    return f"::{level} file={diagnostic.path},line={diagnostic.line},title={title}::{message}"


def _as_json(report: Report) -> dict[str, object]:
    problems = [{"path": d.path, "line": d.line, "severity": d.severity.name.lower(), "code": d.code,
                 "message": d.message, "calendar": d.calendar} for d in report]
    counts: dict[str, int] = {severity.name.lower(): report.count(severity) for severity in Severity}
    counts["calendar"] = sum(1 for d in report if d.calendar)
    return {"problems": problems, "counts": counts}


class Progress:
    """A one-line progress counter on a terminal; silent when output is not a terminal or ``--quiet``."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.enabled and total:
            sys.stderr.write(f"\r{label} {done}/{total}")
            sys.stderr.flush()
            self.shown = True

    def done(self) -> None:
        """Clear the progress line."""
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def print_status_table(outcome: Outcome) -> None:
    """Per column folder: how many entries are published, withheld, drafts, scheduled."""
    assert outcome.catalogue is not None
    counts = outcome.catalogue.status_counts()
    columns = list(outcome.catalogue.config.all_columns())
    names = [f"{column.path_text} {column.title}" for column in columns]
    first = max(width(name) for name in names) + 2
    print(pad("栏目", first) + "".join(pad(s.value, 10, right=True) for s in Status))
    totals = dict.fromkeys(Status, 0)
    for name, column in zip(names, columns, strict=True):
        row = counts[column.path]
        for status in Status:
            totals[status] += row[status]
        print(pad(name, first) + "".join(pad(str(row[s]), 10, right=True) for s in Status))
    print(pad("合计", first) + "".join(pad(str(totals[s]), 10, right=True) for s in Status))
