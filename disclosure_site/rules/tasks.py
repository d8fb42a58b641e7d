"""执行公开 tasks: their dates hang together, and a task past its 计划完成时间 is told (全站提醒).

实施步骤 are a plan, so they may lie ahead; 进展情况 records what was done, so it lies between the task's start
(成文日期, else 发布日期) and the build date, like 修订说明.
"""

from __future__ import annotations

import datetime as dt

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.task import TaskMeta


def task_dates(cat: Catalogue, report: Report) -> None:
    """Steps and progress not before the task starts, progress not after the build date, due not before the start."""
    for entry in cat.entries:
        if isinstance(entry.meta, TaskMeta):
            _steps(entry, entry.meta, report)
            _progress(entry, entry.meta, cat.today, report)


def _start_label(meta: TaskMeta) -> str:
    if meta.written:
        return f"written（成文日期）{meta.written.isoformat()}"
    return f"published（发布日期）{meta.published.date.isoformat()}"


def _steps(entry: Entry, meta: TaskMeta, report: Report) -> None:
    start = meta.start()
    if meta.due is not None and meta.due < start:
        report.error(entry.rel, entry.line("due"), "TASK_DUE_BEFORE_START",
                     f"due（计划完成时间）{meta.due.isoformat()} 早于 {_start_label(meta)}：请检查日期")
    for index, step in enumerate(meta.steps):
        line = entry.item_line("steps", index, "date", "日期")
        label = f"steps（实施步骤）第 {index + 1} 项的日期 {step.date.isoformat()}"
        if step.date < start:
            report.error(entry.rel, line, "TASK_STEP_BEFORE_START",
                         f"{label} 早于 {_start_label(meta)}：实施步骤从任务部署之日起安排，请检查日期")
        elif meta.due is not None and step.date > meta.due:
            report.warning(entry.rel, line, "TASK_STEP_AFTER_DUE",
                           f"{label} 晚于 due（计划完成时间）{meta.due.isoformat()}：任务调整后请同时修改计划完成时间，"
                           "或把 status（进展状态）改为 已延期 并说明原因")


def _progress(entry: Entry, meta: TaskMeta, today: dt.date, report: Report) -> None:
    start = meta.start()
    for index, note in enumerate(meta.progress):
        line = entry.item_line("progress", index, "date", "日期")
        label = f"progress（进展情况）第 {index + 1} 项的日期 {note.date.isoformat()}"
        if note.date > today:
            report.error(entry.rel, line, "TASK_PROGRESS_IN_FUTURE",
                         f"{label} 晚于构建日期 {today.isoformat()}：进展情况只记录已经做到的，请在当天或之后再写入")
        elif note.date < start:
            report.error(entry.rel, line, "TASK_PROGRESS_BEFORE_START",
                         f"{label} 早于 {_start_label(meta)}：进展情况记录任务部署以后的进展，请检查日期")


def tasks_on_time(cat: Catalogue, report: Report) -> None:
    """A published task past its 计划完成时间 and not 已完成 is a 全站提醒: it never holds the site back."""
    for entry in cat.published:
        meta = entry.meta
        if isinstance(meta, TaskMeta) and meta.overdue(cat.today):
            assert meta.due is not None
            report.warning(entry.rel, entry.line("due"), "TASK_OVERDUE",
                           f"任务的 due（计划完成时间）{meta.due.isoformat()} 已过（构建日期 {cat.today.isoformat()}），"
                           f"status（进展状态）仍为「{meta.status}」：完成后请改为 已完成 并在 progress（进展情况）中说明；"
                           "未能按期完成的请改为 已延期，写明原因和新的计划完成时间")
