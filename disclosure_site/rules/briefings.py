"""主要负责同志带头宣讲政策: who gives an interpretation, and whether the head of the body gave one each year.

The work plan (二(一)3(3)) wants the body's 主要负责同志 to interpret policy in person at least once a year. An
interpretation says so with ``speaker_is_head``; a year without a published one is a 全站提醒 when catalog.yaml asks
for it (``required_head_briefing``), and the self-inspection report always shows the years.
"""

from __future__ import annotations

from ..core.diagnostics import Report
from ..model.catalogue import Catalogue
from ..model.entry import Entry
from ..model.site import CATALOG_FILE
from ..model.types import InterpretationMeta


def speakers_named(cat: Catalogue, report: Report) -> None:
    """A post or the 主要负责同志 mark says who spoke only with the speaker's name beside it."""
    for entry in sorted(cat.entries, key=lambda e: e.rel):
        meta = entry.meta
        if not isinstance(meta, InterpretationMeta) or meta.speaker:
            continue
        for name, alias, given in (("speaker_role", "职务", meta.speaker_role),
                                   ("speaker_is_head", "主要负责同志", meta.speaker_is_head)):
            if given:
                report.error(entry.rel, entry.line(name), "SPEAKER_MISSING",
                             f"写了 {name}（{alias}），但没有 speaker（解读人）：请填写解读人的姓名，页面显示为"
                             "「解读人：姓名（职务）」")


def head_briefings(cat: Catalogue) -> list[tuple[int, list[Entry]]]:
    """Each year from the first published entry's to the build date's, with the published interpretations
    given by the 主要负责同志 that year (oldest first)."""
    if not cat.published:
        return []
    first = min(e.meta.published.date.year for e in cat.published)
    given = [e for e in reversed(cat.published)
             if isinstance(e.meta, InterpretationMeta) and e.meta.speaker_is_head]
    return [(year, [e for e in given if e.meta.published.date.year == year])
            for year in range(first, cat.today.year + 1)]


def head_briefing_each_year(cat: Catalogue, report: Report) -> None:
    """A 全站提醒 for each year in which the 主要负责同志 interpreted no policy, when the site requires it."""
    if not cat.config.required_head_briefing:
        return
    line = cat.config.line_at(("required_head_briefing",))
    for year, given in head_briefings(cat):
        if given:
            continue
        when = (f"{year} 年至今（{cat.today.isoformat()}）还没有" if year == cat.today.year else f"{year} 年没有")
        report.notice(CATALOG_FILE, line, "HEAD_BRIEFING_MISSING",
                      f"{when}本单位主要负责同志的政策解读（speaker_is_head: true 且已发布）：required_head_briefing"
                      "（主要负责同志年度解读）要求主要负责同志每年至少带头解读政策一次")
