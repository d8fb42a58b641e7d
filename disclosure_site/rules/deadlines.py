"""Time limits counted in Chinese working days (holidays and 调休 included) or hours.

Each rule cites where its limit comes from: 条例 第二十六条 (20 working days), the seed's 同步解读
(at most 3 working days late), 五公开 feedback on consultations (15 working days), the 5-hour rule for
major incidents, the 市长信箱 5-working-day reply rule and the 1-working-day rule for changed guides.
"""

from __future__ import annotations

import datetime as dt

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue, Status, is_policy, status
from ..model.entry import DISCLOSURE_PUBLIC, Entry
from ..model.types import ConsultationMeta, GuideMeta, InterpretationMeta, MessageMeta, ResponseMeta

DISCLOSURE_LIMIT = 20
INTERPRETATION_LIMIT = 3
FEEDBACK_LIMIT = 15
REPLY_LIMIT = 5
GUIDE_CHANGE_LIMIT = 1
RESPONSE_HOURS = 5


def disclosed_in_time(cat: Catalogue, report: Report) -> None:
    """条例 第二十六条: proactive information is published within 20 working days of being formed."""
    for entry in cat.entries:
        written = entry.meta.written
        if entry.meta.disclosure != DISCLOSURE_PUBLIC or written is None:
            continue
        late = cat.calendar.workdays_after(written, entry.meta.published.date)
        if late > DISCLOSURE_LIMIT:
            report.warning(entry.rel, entry.line("published"), "LATE_DISCLOSURE",
                           f"published（发布日期）{entry.meta.published.text()} 距 written（成文日期）"
                           f"{written.isoformat()} 已 {late} 个工作日，超过条例第二十六条规定的"
                           f"{DISCLOSURE_LIMIT} 个工作日：应在形成之日起 {DISCLOSURE_LIMIT} 个工作日内公开")


def interpretations_in_time(cat: Catalogue, report: Report) -> None:
    """An interpretation follows its policy on the same day; more than 3 working days later is an error."""
    every = {e.meta.index_no: e for e in cat.entries}
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, InterpretationMeta):
            policy = every.get(meta.interprets)
            if policy is not None and is_policy(policy) and meta.published.date > policy.meta.published.date:
                _interpretation_lag(cat, entry, meta, policy, report)


def _interpretation_lag(cat: Catalogue, entry: Entry, meta: InterpretationMeta, policy: Entry,
                        report: Report) -> None:
    lag = cat.calendar.workdays_after(policy.meta.published.date, meta.published.date)
    where = (f"published（发布日期）{meta.published.text()} 晚于被解读文件的发布日期 "
             f"{policy.meta.published.text()}（相差 {lag} 个工作日）")
    if lag > INTERPRETATION_LIMIT:
        report.error(entry.rel, entry.line("published"), "INTERPRETATION_TOO_LATE",
                     f"{where}：解读最迟应在文件发布后 {INTERPRETATION_LIMIT} 个工作日内发布")
    else:
        report.warning(entry.rel, entry.line("published"), "INTERPRETATION_LATE", f"{where}：政策解读应与文件同步发布")


def consultation_feedback(cat: Catalogue, report: Report) -> None:
    """A closed consultation publishes what was adopted within 15 working days."""
    for entry in cat.published:
        meta = entry.meta
        if isinstance(meta, ConsultationMeta) and not meta.feedback:
            due = cat.calendar.add_workdays(meta.closes, FEEDBACK_LIMIT)
            if cat.today > due:
                report.warning(entry.rel, entry.line("closes"), "FEEDBACK_OVERDUE",
                               f"未公开意见采纳情况：征求意见已于 {meta.closes.isoformat()} 截止，超过 "
                               f"{FEEDBACK_LIMIT} 个工作日（{due.isoformat()}）仍未填写 feedback（意见采纳情况）")


def responses_in_time(cat: Catalogue, report: Report) -> None:
    """特别重大、重大 incidents: authoritative information within 5 hours (seed, 回应关切)."""
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, ResponseMeta) and meta.level != "一般" and meta.event_time.time is not None:
            _response_delay(entry, meta, report)


def _response_delay(entry: Entry, meta: ResponseMeta, report: Report) -> None:
    if meta.published.time is None:
        report.warning(entry.rel, entry.line("published"), "RESPONSE_TIME_UNKNOWN",
                       f"{meta.level}事件的回应须写明发布时刻：请把 published（发布日期）写成 YYYY-MM-DD HH:MM，"
                       f"以核对「最迟 {RESPONSE_HOURS} 小时内发布权威信息」的要求")
        return
    hours = (_as_datetime(meta.published.date, meta.published.time)
             - _as_datetime(meta.event_time.date, meta.event_time.time)).total_seconds() / 3600
    if hours > RESPONSE_HOURS:
        report.warning(entry.rel, entry.line("published"), "RESPONSE_LATE",
                       f"{meta.level}事件发生于 {meta.event_time.text()}，回应发布于 {meta.published.text()}，"
                       f"相隔 {hours:.1f} 小时：工作要点要求涉及特别重大、重大突发事件的政务舆情最迟在 "
                       f"{RESPONSE_HOURS} 小时内发布权威信息")


def _as_datetime(day: dt.date, time: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time.min)


def messages_answered_in_time(cat: Catalogue, report: Report) -> None:
    """网民留言: reply within 5 working days of receipt (seed, 市长信箱办理规程)."""
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, MessageMeta):
            due = cat.calendar.add_workdays(meta.received, REPLY_LIMIT)
            if meta.replied is not None and meta.replied > due:
                report.warning(entry.rel, entry.line("replied"), "REPLY_LATE",
                               f"replied（答复日期）{meta.replied.isoformat()} 晚于收到留言（{meta.received.isoformat()}）"
                               f"后 {REPLY_LIMIT} 个工作日（{due.isoformat()}）：留言应在 {REPLY_LIMIT} 个工作日内答复")
            elif meta.replied is None and status(entry, cat.today) is Status.PUBLISHED and cat.today > due:
                report.warning(entry.rel, entry.line("received"), "REPLY_OVERDUE",
                               f"留言收到于 {meta.received.isoformat()}，已超过 {REPLY_LIMIT} 个工作日"
                               f"（{due.isoformat()}）仍未答复：请填写 replied（答复日期）和 reply（答复内容）")


def guide_changes_in_time(cat: Catalogue, report: Report) -> None:
    """A changed 办事指南 is published within 1 working day of the change being approved (seed)."""
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, GuideMeta) and meta.changed is not None:
            due = cat.calendar.add_workdays(meta.changed, GUIDE_CHANGE_LIMIT)
            if meta.published.date > due:
                report.warning(entry.rel, entry.line("published"), "GUIDE_CHANGE_LATE",
                               f"办事条件于 {meta.changed.isoformat()} 变更，published（发布日期）"
                               f"{meta.published.text()} 晚于 {due.isoformat()}：变更后应在 "
                               f"{GUIDE_CHANGE_LIMIT} 个工作日内公开")
