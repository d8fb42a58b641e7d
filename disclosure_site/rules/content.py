"""Rules on what entries say: personal data (去标识化), 文号 format, validity chains (替代文件), 修订说明 and a
document's body repeating the header its page shows."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from ..body.links import parse
from ..core.diagnostics import Diagnostic, Report
from ..core.inputs import SourceFileError
from ..core.privacy import find_personal_data
from ..core.values import half_width_note
from ..model.body import Broken
from ..model.catalogue import Catalogue
from ..model.entry import DISCLOSURE_PUBLIC, ChangeNote, Entry
from ..model.types import DocumentMeta, EnforcementMeta, GuideMeta, OrganizationMeta

UNPUBLISHED_KEYS = frozenset({"review"})
"""Front-matter keys no output ever shows (the 公开审查 is internal): not scanned as published text."""
_DOC_NO = re.compile(r"(?P<agency>.+?)〔(?P<year>[0-9]{4})〕(?P<number>[0-9]+)号")
_BRACKETS = re.compile(r"[\[(（【﹝〔]\s*([0-9]{4})\s*[\])）】﹞〕]")


def personal_data(cat: Catalogue, report: Report) -> None:
    """Published text must not carry unmasked ID, mobile or bank-card numbers unless exempt (惩戒公示 etc.)."""
    allowed = tuple(sorted(_bureau_numbers(cat)))
    for entry in cat.published:
        report.extend(cat.steps.run_at("personal-data", entry.rel, _personal_data_in, entry, allowed))


def _personal_data_in(entry: Entry, bureau_numbers: tuple[str, ...]) -> list[Diagnostic]:
    """One entry's findings; they depend on nothing but the entry and the bureau's own numbers."""
    allowed = set(bureau_numbers)
    found = Report()
    exempt = entry.meta.privacy_exempt
    for where, line, text in _texts(entry):
        for finding in find_personal_data(text, allowed=allowed):
            offset = text.count("\n", 0, finding.start)
            message = (f"{where}含未去标识化的{finding.kind}，公开前应改写为「{finding.masked}」"
                       "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）")
            if exempt:
                found.notice(entry.rel, line + offset, "PERSONAL_DATA",
                             f"{where}含{finding.kind}「{finding.masked}」，已按 privacy_exempt（{exempt}）公开")
            else:
                found.error(entry.rel, line + offset, "PERSONAL_DATA", message)
    return found.items


def _bureau_numbers(cat: Catalogue) -> set[str]:
    """The bureau's own published contact numbers are never personal data."""
    site = cat.config.site
    numbers = {n for n in (site.phone, site.fax) if n}
    for entry in cat.published:
        if isinstance(entry.meta, GuideMeta) and entry.meta.phone:
            numbers.add(entry.meta.phone)
        if isinstance(entry.meta, OrganizationMeta):
            numbers.update(unit.phone for unit in entry.meta.units if unit.phone)
    return numbers


def _texts(entry: Entry) -> Iterator[tuple[str, int, str]]:
    """Every published text of an entry: ``(where, first line, text)``; a list item's text at its own line."""
    yield "正文", entry.body_line, entry.body
    for item in dataclasses.fields(entry.meta):
        if item.name in UNPUBLISHED_KEYS:
            continue
        value = getattr(entry.meta, item.name)
        where = f"{item.name}（{item.metadata.get('alias') or item.name}）"
        if isinstance(value, tuple) and value and all(_is_record(one) for one in value):
            for index, record in enumerate(value):
                for part in dataclasses.fields(record):
                    line = entry.item_line(item.name, index, part.name, part.metadata.get("alias") or part.name)
                    for text in _strings(getattr(record, part.name)):
                        yield where, line, text
            continue
        for text in _strings(value):
            yield where, entry.line(item.name), text


def _is_record(value: object) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)
    elif _is_record(value):
        for item in dataclasses.fields(value):  # type: ignore[arg-type]
            yield from _strings(getattr(value, item.name))


def document_numbers(cat: Catalogue, report: Report) -> None:
    """文号 are written 机关代字〔YYYY〕N号 with the hexagonal brackets 〔〕."""
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, DocumentMeta) and meta.doc_no:
            _check_number(entry, "doc_no", "文号", meta.doc_no, report)
        if isinstance(meta, EnforcementMeta) and meta.decision_no:
            _check_number(entry, "decision_no", "决定文号", meta.decision_no, report)


def _check_number(entry: Entry, key_name: str, alias: str, number: str, report: Report) -> None:
    if _DOC_NO.fullmatch(number):
        return
    fixed = _BRACKETS.sub(r"〔\1〕", number)
    if fixed != number and _DOC_NO.fullmatch(fixed):
        report.warning(entry.rel, entry.line(key_name), "DOC_NO_BRACKETS",
                       f"{key_name}（{alias}）「{number}」的年份应使用六角括号〔〕：请改为「{fixed}」")
    else:
        report.warning(entry.rel, entry.line(key_name), "DOC_NO_FORMAT",
                       f"{key_name}（{alias}）「{number}」不符合「机关代字〔年份〕序号号」格式，例如 汕环〔2018〕429号"
                       f"{half_width_note(number)}")


def validity_chains(cat: Catalogue, report: Report) -> None:
    """``superseded_by`` names an existing document, never itself or a cycle; the replaced one is 失效/废止."""
    documents = {e.meta.index_no: e for e in cat.entries if isinstance(e.meta, DocumentMeta)}
    for entry in cat.entries:
        meta = entry.meta
        if isinstance(meta, DocumentMeta) and meta.superseded_by:
            _check_successor(cat, entry, meta, documents, report)


def _check_successor(cat: Catalogue, entry: Entry, meta: DocumentMeta, documents: dict[str, Entry],
                     report: Report) -> None:
    line = entry.line("superseded_by")
    target = meta.superseded_by
    assert target is not None
    if target == meta.index_no:
        report.error(entry.rel, line, "SUPERSEDED_BY_SELF", "superseded_by（替代文件）不能是本文件自己的索引号")
    elif target not in documents:
        report.error(entry.rel, line, "SUPERSEDED_BY_UNKNOWN",
                     f"superseded_by（替代文件）「{target}」不是任何文件（documents 栏目）的索引号")
    elif _in_cycle(meta.index_no, documents):
        report.error(entry.rel, line, "SUPERSEDED_CYCLE",
                     f"superseded_by（替代文件）形成循环：{' → '.join(_chain(meta.index_no, documents))}")
    elif cat.links_to_withheld(entry, documents[target]):
        report.error(entry.rel, line, "SUPERSEDED_BY_WITHHELD",
                     f"superseded_by（替代文件）「{target}」尚未公开，已公开的文件不能指向它")
    elif meta.validity not in ("失效", "废止"):
        report.warning(entry.rel, entry.line("validity"), "SUPERSEDED_BUT_VALID",
                       "已被替代的文件 validity（有效性）应为 失效 或 废止")


def _chain(start: str, documents: dict[str, Entry]) -> list[str]:
    """Index numbers along the superseded_by chain from ``start``, stopping at the first repeat."""
    seen = [start]
    current = start
    while True:
        meta = documents[current].meta
        nxt = meta.superseded_by if isinstance(meta, DocumentMeta) else None
        if nxt is None or nxt not in documents:
            return seen
        seen.append(nxt)
        if nxt in seen[:-1]:
            return seen
        current = nxt


def _in_cycle(start: str, documents: dict[str, Entry]) -> bool:
    chain = _chain(start, documents)
    return chain[-1] == start and len(chain) > 1


def body_links(cat: Catalogue, report: Report) -> None:
    """Links in bodies reach a published entry or an existing file under content/."""
    for entry in cat.entries:
        linked = cat.links.of(entry.rel)
        for link, result in zip(linked.links, linked.targets, strict=True):
            if isinstance(result, Broken):
                report.error(entry.rel, entry.body_line + link.line, result.code, result.message)


def personal_data_in_data(cat: Catalogue, report: Report) -> None:
    """Published CSV files, like published text, carry no unmasked personal numbers unless the entry is exempt."""
    for entry in cat.published:
        exempt = entry.meta.privacy_exempt
        tables = [(data.csv_rel, data.personal) for data in entry.datasets]
        if entry.table and entry.table.csv_rel:  # a list's CSV (rows in front matter are checked as text)
            tables.append((entry.table.csv_rel, entry.table.personal))
        for csv_rel, personal in tables:
            for line, found in personal:
                if exempt:
                    report.notice(csv_rel, line, "PERSONAL_DATA",
                                  f"数据文件含{found.kind}「{found.masked}」，已按 privacy_exempt（{exempt}）公开")
                else:
                    report.error(csv_rel, line, "PERSONAL_DATA",
                                 f"数据文件含未去标识化的{found.kind}，公开前应改写为「{found.masked}」"
                                 "（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）")


def change_notes(cat: Catalogue, report: Report) -> None:
    """修订说明 tell readers of changes already made to what was published: dated from the 发布日期 to the build date."""
    for entry in cat.entries:
        published = entry.meta.published.date
        seen: dict[ChangeNote, int] = {}
        for index, change in enumerate(entry.meta.changes):
            line = entry.item_line("changes", index, "date", "日期")
            label = f"changes（修订说明）第 {index + 1} 项的日期 {change.date.isoformat()}"
            if change.date < published:
                report.error(entry.rel, line, "CHANGE_BEFORE_PUBLISHED",
                             f"{label} 早于 published（发布日期）{published.isoformat()}：修订说明只记录发布以后的修改，"
                             "请检查日期")
            elif change.date > cat.today:
                report.error(entry.rel, line, "CHANGE_IN_FUTURE",
                             f"{label} 晚于构建日期 {cat.today.isoformat()}：修订说明只记录已经做出的修改，"
                             "请在修改生效当天或之后再写入")
            if change in seen:
                report.warning(entry.rel, entry.item_line("changes", index), "CHANGE_DUPLICATE",
                               f"changes（修订说明）第 {index + 1} 项与第 {seen[change] + 1} 项的日期和说明完全相同，"
                               "页面只显示一次：请删除重复的一项")
            seen.setdefault(change, index)


def header_in_body(cat: Catalogue, report: Report) -> None:
    """A document's page shows its 发文机关标志, 文号 and title above the body (公文版头): a body that types them
    again shows them twice. A notice, as the page is still right; found among the body's opening lines by its one
    parse. Drafts and scheduled documents are told too, before their page is out."""
    for entry in cat.entries:
        meta = entry.meta
        if meta.disclosure != DISCLOSURE_PUBLIC:
            continue
        if not isinstance(meta, DocumentMeta) or not entry.convertible:
            continue
        try:
            opening = parse(entry, cat.steps).opening
        except SourceFileError:
            continue  # too deep to convert: the link pass or the build says so
        shown = {_squeezed(text): name for name, text in
                 (("标题（title）", meta.title), ("文号（doc_no）", meta.doc_no),
                  ("发文机关标志（organ_mark）", meta.organ_line())) if text}
        for text in opening:
            if text in shown:
                report.notice(entry.rel, _line_of(entry, text), "BODY_REPEATS_HEADER",
                              f"正文开头的「{text}」是{shown[text]}，页面已按元数据在正文上方的公文版头中显示，"
                              "正文再写一次就显示两次：请删除这一行，正文从主送机关（如「各科室：」）或第一段写起")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _line_of(entry: Entry, text: str) -> int:
    """The file line of the first body line that holds ``text`` (spaces aside); the body's first line otherwise."""
    for number, line in enumerate(entry.body.split("\n")):
        if text in _squeezed(line):
            return entry.body_line + number
    return entry.body_line
