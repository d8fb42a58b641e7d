"""The self-inspection report (``check --report``): the catalogue measured against the inspection indicators.

The 检查指标 veto a site with 5 or more blank columns, or 5 or more columns not updated in time
(动态/要闻 within 2 weeks, 通知公告/政策文件 within 6 months); policies need interpretations within
3 working days; personal data must be de-identified. The report shows where the site stands.
"""

from __future__ import annotations

from ..core.diagnostics import Report, Severity
from ..model.catalogue import Catalogue, is_policy
from ..model.entry import Entry
from ..model.site import FRESHNESS_DAYS, Column
from ..model.types import InterpretationMeta
from ..pipeline import Outcome
from ..rules.briefings import head_briefings
from ..rules.deadlines import INTERPRETATION_LIMIT
from .textwidth import pad, width

VETO_COLUMNS = 5
"""检查指标: this many blank (or not updated) columns fail the inspection outright."""


def render_report(outcome: Outcome) -> str:
    """The whole report as text."""
    cat = outcome.catalogue
    assert cat is not None
    parts = [f"== 自查报告（构建日期 {cat.today.isoformat()}）==", _columns(cat), _policies(cat),
             _privacy(outcome.report), _calendar(outcome.report), _head_briefings(cat)]
    return "\n\n".join(parts)


def _columns(cat: Catalogue) -> str:
    rows: list[tuple[str, ...]] = [("栏目", "已发布", "最近更新", "更新要求", "状态")]
    blank = stale = 0
    for column in cat.config.all_columns():
        row, state = _column_row(cat, column)
        blank += state == "空白栏目"
        stale += state.startswith("超期")
        rows.append(row)
    lines = ["一、栏目更新情况", *_table(rows)]
    lines.append(f"空白栏目 {blank} 个，未按时更新栏目 {stale} 个（检查指标：任一类达到 {VETO_COLUMNS} 个即单项否决）。")
    return "\n".join(lines)


def _column_row(cat: Catalogue, column: Column) -> tuple[tuple[str, ...], str]:
    entries = cat.in_column(column)
    newest = entries[0].meta.published.date if entries else None
    limit = FRESHNESS_DAYS.get(column.freshness or "")
    if newest is None:
        state = "空白栏目"
    elif limit is not None and (cat.today - newest).days > limit:
        state = f"超期 {(cat.today - newest).days - limit} 天"
    else:
        state = "正常"
    requirement = f"{limit} 天内" if limit else "—"
    name = f"{column.path_text} {column.title}"
    return (name, str(len(entries)), newest.isoformat() if newest else "—", requirement, state), state


def _policies(cat: Catalogue) -> str:
    rows: list[tuple[str, ...]] = [("政策文件", "文号", "发布日期", "解读发布日期", "相差工作日", "状态")]
    for policy in (e for e in cat.published if is_policy(e)):
        interpretations = cat.interpretations.get(policy.meta.index_no, [])
        doc_no = getattr(policy.meta, "doc_no", None) or "—"
        if not interpretations:
            rows.append((policy.meta.title, doc_no, policy.meta.published.text(), "—", "—", "缺少解读"))
            continue
        first = min(interpretations, key=lambda e: e.meta.published.sort_key())
        lag = cat.calendar.workdays_after(policy.meta.published.date, first.meta.published.date)
        state = "同步" if lag == 0 else ("滞后" if lag <= INTERPRETATION_LIMIT else "超期")
        rows.append((policy.meta.title, doc_no, policy.meta.published.text(), first.meta.published.text(),
                     str(lag), state))
    return "\n".join(["二、政策文件与解读（同步发布，最迟 3 个工作日）", *_table(rows)])


def _privacy(report: Report) -> str:
    hits = [d for d in report if d.code == "PERSONAL_DATA"]
    errors = sum(d.severity is Severity.ERROR for d in hits)
    exempt = sum(d.severity is Severity.NOTICE for d in hits)
    lines = ["三、个人信息去标识化", f"未去标识化 {errors} 处，按惩戒公示、强制性信息披露豁免公开 {exempt} 处。"]
    lines += [f"  {d.path}:{d.line}" for d in hits if d.severity is Severity.ERROR]
    return "\n".join(lines)


def _calendar(report: Report) -> str:
    """Every 全站提醒, so the CI summary shows them even when the build went through."""
    found = [d for d in report if d.calendar]
    lines = ["四、全站提醒（栏目更新、年度报告、办理时限；不影响发布，但检查时会被扣分或否决，请尽快处理）",
             f"共 {len(found)} 条。"]
    lines += [f"  {d.format()}" for d in found]
    return "\n".join(lines)


def _head_briefings(cat: Catalogue) -> str:
    """Per year, whether the 主要负责同志 interpreted a policy in person (工作要点: 每年不少于一次)."""
    rows: list[tuple[str, ...]] = [("年度", "主要负责同志解读", "解读人", "状态")]
    for year, given in head_briefings(cat):
        speakers = "、".join(dict.fromkeys(_speaker(e) for e in given)) or "—"
        state = "已完成" if given else "尚无（年底前完成）" if year == cat.today.year else "未完成"
        rows.append((str(year), f"{len(given)} 次", speakers, state))
    return "\n".join(["五、主要负责同志带头解读政策（每年不少于一次；只计已发布、标明 speaker_is_head 的解读）", *_table(rows)])


def _speaker(entry: Entry) -> str:
    meta = entry.meta
    assert isinstance(meta, InterpretationMeta)
    return f"{meta.speaker}（{meta.speaker_role}）" if meta.speaker_role else str(meta.speaker)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) + 2 for i in range(len(rows[0]))]
    return ["".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
