"""Per-file validation: RawEntry → Entry, with every problem recorded."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..core.bodylimits import body_problem
from ..core.diagnostics import Report
from ..core.schema import build, specs
from ..core.values import half_width_note
from ..model.entry import DISCLOSURE_PUBLIC, Attachment, Entry, EntryMeta
from ..model.site import SiteConfig
from ..model.types import MODELS, ConsultationMeta, MessageMeta, ResponseMeta
from .datasets import check_datasets
from .files import Reference, resolve_file, written_key
from .lists import check_list
from .media import check_media
from .sources import RawEntry

_INDEX_NO = re.compile(r"(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5})")


def validate_entry(raw: RawEntry, config: SiteConfig, root: Path, report: Report) -> Entry | None:
    """Check one file against its column's schema and the site rules that need only this file."""
    rel = raw.source.rel
    problem = body_problem(raw.body)
    if problem:
        report.error(rel, raw.body_line + problem.line, problem.code, problem.message)
    column = config.by_path.get(raw.source.folder)
    if column is None:
        folders = "、".join(c.path_text for c in config.all_columns())
        report.error(rel, 1, "UNKNOWN_COLUMN",
                     f"文件夹 content/{'/'.join(raw.source.folder)} 不是 catalog.yaml 中的栏目，"
                     f"条目文件只能放在栏目文件夹中：{folders}")
        return None
    model = MODELS[column.type]
    meta, issues = build(model, raw.front.data, config.vocabulary())
    for issue in issues:
        line = 1 if issue.code == "MISSING_KEY" and not issue.at else raw.front.line_of(issue.at)
        report.error(rel, line, issue.code, issue.message)
    if meta is None:
        return None
    if meta.publisher is None:
        meta = dataclasses.replace(meta, publisher=config.site.name)
    key_lines = _key_lines(raw, model)
    media = check_media(raw, meta, root, report)
    attachments = (media.files if media else ()) + _attachments(raw, meta, root, report)
    entry = Entry(rel, column.path, column.type, meta, raw.body, raw.body_line, key_lines, attachments,
                  datasets=check_datasets(raw, meta, root, report), digest=raw.digest, convertible=problem is None,
                  media=media, stub_line=raw.stub_line, table=check_list(raw, meta, root, report))
    _check_withholding(entry, report)
    _check_index_no(entry, config, report)
    _check_periods(entry, report)
    return entry


def _key_lines(raw: RawEntry, model: type[EntryMeta]) -> dict[str, int]:
    """Line of each key by canonical name; nested keys as ``key/label/…`` so rules can point at a table row."""
    canonical = {written: spec.name for spec in specs(model) for written in (spec.name, spec.alias) if written}
    lines = {}
    for path, line in raw.front.lines.items():
        if path and str(path[0]) in canonical:
            lines["/".join((canonical[str(path[0])], *map(str, path[1:])))] = line
    return lines


def _check_withholding(entry: Entry, report: Report) -> None:
    meta = entry.meta
    if meta.disclosure != DISCLOSURE_PUBLIC and not meta.withhold_reason:
        report.error(entry.rel, entry.line("disclosure"), "MISSING_WITHHOLD_REASON",
                     f"公开属性为 {meta.disclosure} 的条目必须填写 withhold_reason（不公开理由），"
                     "说明依据条例哪一条不主动公开")


def _check_periods(entry: Entry, report: Report) -> None:
    """Dates within one entry that must come in order, and an exemption that must give its reason."""
    meta = entry.meta
    if meta.privacy_exempt and not meta.exempt_reason:
        report.error(entry.rel, entry.line("privacy_exempt"), "EXEMPT_WITHOUT_REASON",
                     f"privacy_exempt（隐私豁免）为 {meta.privacy_exempt} 时必须填写 exempt_reason（豁免理由），"
                     "写明依据的法律法规条款")
    for later, earlier in _ordered_dates(meta):
        report.error(entry.rel, entry.line(later[0]), "BAD_PERIOD", f"{later[1]} 早于 {earlier[1]}，请检查日期")


def _ordered_dates(meta: EntryMeta) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pairs of ``(key, shown text)`` whose dates are reversed: the first should not be earlier."""
    reversed_pairs = []
    if isinstance(meta, ConsultationMeta) and meta.closes < meta.opens:
        reversed_pairs.append((("closes", f"closes（征求截止日期）{meta.closes}"),
                               ("opens", f"opens（征求开始日期）{meta.opens}")))
    if isinstance(meta, MessageMeta) and meta.replied and meta.replied < meta.received:
        reversed_pairs.append((("replied", f"replied（答复日期）{meta.replied}"),
                               ("received", f"received（收到日期）{meta.received}")))
    if isinstance(meta, ResponseMeta) and meta.published.earlier_than(meta.event_time):
        reversed_pairs.append((("published", f"published（发布日期）{meta.published.text()}"),
                               ("event_time", f"event_time（事件发生时间）{meta.event_time.text()}")))
    return reversed_pairs


def _check_index_no(entry: Entry, config: SiteConfig, report: Report) -> None:
    index_no = entry.meta.index_no
    line = entry.line("index_no")
    match = _INDEX_NO.fullmatch(index_no)
    org = config.site.org_code
    if match is None or match["serial"] == "00000":
        report.error(entry.rel, line, "BAD_INDEX_NO",
                     f"index_no（索引号）：值「{index_no}」格式不正确，应为「前段码/年份-五位流水号」，"
                     f"例如 {org}/{entry.meta.published.date.year}-00001{half_width_note(index_no)}")
        return
    if match["org"] != org:
        report.error(entry.rel, line, "INDEX_NO_ORG",
                     f"index_no（索引号）：前段码「{match['org']}」与 catalog.yaml 的 site.org_code「{org}」不一致")
    year = entry.meta.published.date.year
    if int(match["year"]) != year:
        report.error(entry.rel, line, "INDEX_NO_YEAR",
                     f"index_no（索引号）：年份 {match['year']} 与 published（发布日期）的年份 {year} 不一致，"
                     "索引号的年份按发布日期确定")


def _attachments(raw: RawEntry, meta: EntryMeta, root: Path, report: Report) -> tuple[Attachment, ...]:
    written = written_key(raw.front.data, "attachments", "附件")
    found = (resolve_file(raw, root, ref.file, ref.title,
                          Reference("attachments", raw.front.line_of((written, index)), "attachments（附件）"), report)
             for index, ref in enumerate(meta.attachments))
    return tuple(attachment for attachment in found if attachment is not None)
