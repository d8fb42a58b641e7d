"""执行公开: a 重点改革任务, 重大政策 or 重大项目 with its measures, steps, responsible department and progress.

The work plan (二(二)1) asks for the 具体措施、实施步骤、责任分工、监督方式 of key work to be public, and (4) for
how it is carried out to be followed closely: ``progress`` is that record, newest first on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import values as v
from ..core.frozen import remembered_repr
from ..core.schema import key
from .entry import EntryMeta

TASK_STATUSES = ("未启动", "推进中", "已完成", "已延期")
"""进展状态, in the order the status table lists them."""
TASK_DONE = "已完成"
STATUS_ANCHORS = {"未启动": "status-not-started", "推进中": "status-in-progress", "已完成": "status-done",
                  "已延期": "status-delayed"}
"""ASCII fragment of each status's section on a column page (the home page's counts link to them)."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class TaskStep:
    """One 实施步骤: by when, what."""

    date: dt.date = key("日期", v.date, required=True)
    """Planned date of the step, ``YYYY-MM-DD``; not before the task's 成文日期 (or 发布日期)."""
    content: str = key("内容", v.text, required=True)
    """What is to be done by then."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class ProgressNote:
    """One dated 进展情况 note."""

    date: dt.date = key("日期", v.date, required=True)
    """Day of the progress, ``YYYY-MM-DD``; not before the task's 成文日期 (or 发布日期) nor after the build date."""
    note: str = key("说明", v.text, required=True)
    """What was done, in words for the public."""


@dataclass(frozen=True, kw_only=True)
class TaskMeta(EntryMeta):
    """执行公开: one task and how it is carried out."""

    department: str = key("责任部门", v.vocabulary("departments"), required=True)
    """Responsible department (责任分工), required."""
    measures: str | None = key("工作措施", v.text)
    """工作措施: the concrete measures."""
    steps: tuple[TaskStep, ...] = key("实施步骤", v.records(TaskStep), default=())
    """实施步骤 list of ``{date, content}``."""
    supervision: str | None = key("监督方式", v.text)
    """监督方式: who supervises and how the public can follow."""
    status: str = key("进展状态", v.choice(TASK_STATUSES), required=True)
    """进展状态: 未启动 | 推进中 | 已完成 | 已延期."""
    progress: tuple[ProgressNote, ...] = key("进展情况", v.records(ProgressNote), default=())
    """进展情况 list of ``{date, note}``, shown newest first."""
    due: dt.date | None = key("计划完成时间", v.date)
    """计划完成时间; a task still not 已完成 after it is a 全站提醒 (TASK_OVERDUE)."""

    def start(self) -> dt.date:
        """The earliest day a step or a progress note may carry: the 成文日期, else the 发布日期."""
        return self.written or self.published.date

    def overdue(self, today: dt.date) -> bool:
        """Past its 计划完成时间 and not 已完成."""
        return self.due is not None and today > self.due and self.status != TASK_DONE

    def newest_progress(self) -> tuple[ProgressNote, ...]:
        """Progress notes newest first (a stable sort keeps same-day notes in the order written)."""
        return tuple(sorted(self.progress, key=lambda note: note.date, reverse=True))
