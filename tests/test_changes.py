"""修订说明 (``changes``): editors' notes to readers, checked for their dates and personal data, on the page and in
the entry's data file; 首次发布 and 最近更新 never before the 发布日期."""

from __future__ import annotations

import datetime as dt
import json
import re

from conftest import TODAY, entry

from disclosure_site.model.entry import ChangeNote, EntryMeta
from disclosure_site.model.history import revisions

ENTRY = "content/news/a.md"
PAGE = "site/entries/2024-00001.html"


def with_changes(changes: str, published: str = "2024-05-06", body: str = "正文。\n") -> str:
    """A news entry whose front matter ends with the given ``changes`` block (its first line is line 6)."""
    return (f'---\ntitle: 测试动态\nindex_no: "1144150000717074X7/2024-00001"\npublished: {published}\n'
            f"disclosure: 主动公开\n{changes}---\n{body}")


def test_notes_are_shown_newest_first_under_update_record(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - date: 2024-05-10\n    note: 更正联系电话\n"
                                          "  - date: 2024-09-01\n    note: 更新办理流程图\n")})
    outcome = site.build(strict=True)
    assert outcome.files and [d.format() for d in outcome.report] == []
    block = re.search(r'<section class="history".*?</section>', (site.root / PAGE).read_text(), re.S)
    assert block
    assert re.findall(r"<dt>(.*?)</dt><dd><time[^>]*>(.*?)</time>", block[0]) == [
        ("首次发布", "2024-05-06"), ("最近更新", "2024-09-01")]
    assert re.findall(r"<li><time[^>]*>(.*?)</time> (.*?)</li>", block[0]) == [
        ("2024-09-01", "更新办理流程图"), ("2024-05-10", "更正联系电话")]


def test_chinese_keys_are_accepted(make_site):
    site = make_site({ENTRY: with_changes("修订说明:\n  - 日期: 2024-05-10\n    说明: 更正联系电话\n")})
    site.build(strict=True)
    assert "更正联系电话" in (site.root / PAGE).read_text()


def test_a_change_before_the_publication_is_an_error_at_its_date(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - date: 2024-05-10\n    note: 更正联系电话\n"
                                          "  - note: 补充说明\n    date: 2024-05-01\n")})
    assert site.messages() == [
        "content/news/a.md:10: 错误 [CHANGE_BEFORE_PUBLISHED] changes（修订说明）第 2 项的日期 2024-05-01 早于 "
        "published（发布日期）2024-05-06：修订说明只记录发布以后的修改，请检查日期"]


def test_a_change_after_the_build_date_is_an_error_at_its_date(make_site):
    site = make_site({ENTRY: with_changes("修订说明:\n  - 说明: 将要修改的内容\n    日期: 2026-11-27\n")})
    assert site.messages() == [
        "content/news/a.md:8: 错误 [CHANGE_IN_FUTURE] changes（修订说明）第 1 项的日期 2026-11-27 晚于构建日期 "
        "2026-11-26：修订说明只记录已经做出的修改，请在修改生效当天或之后再写入"]
    assert site.messages(dt.date(2026, 11, 27)) == []
    assert not site.build().files


def test_a_repeated_note_is_a_warning_and_shown_once(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - {date: 2024-05-10, note: 更正联系电话}\n"
                                          "  - {date: 2024-05-10, note: 更正错别字}\n"
                                          "  - {date: 2024-05-10, note: 更正联系电话}\n")})
    assert site.messages() == [
        "content/news/a.md:9: 警告 [CHANGE_DUPLICATE] changes（修订说明）第 3 项与第 1 项的日期和说明完全相同，"
        "页面只显示一次：请删除重复的一项"]
    site.build()
    html = (site.root / PAGE).read_text()
    assert html.count("更正联系电话") == 1
    # Notes of one day keep the order they were written in.
    assert html.index("更正联系电话") < html.index("更正错别字")


def test_a_note_without_a_date_is_refused(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - note: 更正联系电话\n")})
    assert [(m.split(" ")[0], m.split(" ")[2]) for m in site.messages()] == [("content/news/a.md:7:", "[MISSING_KEY]")]


def test_personal_data_in_a_note_is_reported_at_the_note(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - date: 2024-05-10\n    note: 应来电人13812345678要求更正\n")})
    assert site.messages() == [
        "content/news/a.md:8: 错误 [PERSONAL_DATA] changes（修订说明）含未去标识化的手机号码，公开前应改写为"
        "「138****5678」（工作要点：除惩戒公示、强制性信息披露外，涉及个人隐私的信息须去标识化）"]


def test_the_data_file_carries_publication_last_update_and_notes(make_site):
    site = make_site({ENTRY: with_changes("changes:\n  - {date: 2024-05-10, note: 更正联系电话}\n", "2024-05-06 09:30"),
                      "content/news/b.md": entry(title="未修改", serial="2024-00002")})
    site.build(strict=True)
    data = json.loads((site.root / "site/entries/2024-00001.json").read_text(encoding="utf-8"))
    assert (data["published"], data["first_published"], data["last_updated"]) == ("2024-05-06T09:30", "2024-05-06",
                                                                                 "2024-05-10")
    assert data["changes"] == [{"date": "2024-05-10", "note": "更正联系电话"}]
    plain = json.loads((site.root / "site/entries/2024-00002.json").read_text(encoding="utf-8"))
    assert (plain["first_published"], plain["last_updated"], plain["changes"]) == ("2024-05-06", "2024-05-06", [])
    atom = (site.root / "site/atom.xml").read_text(encoding="utf-8")
    assert "<published>2024-05-06T09:30:00+08:00</published>\n    <updated>2024-05-10T00:00:00+08:00</updated>" in atom


def meta(published: dt.date, *changes: tuple[dt.date, str]) -> EntryMeta:
    from disclosure_site.core.values import Moment

    return EntryMeta(title="t", index_no="x", published=Moment(published), disclosure="主动公开",
                     changes=tuple(ChangeNote(date=date, note=note) for date, note in changes))


def test_revisions_never_date_anything_before_the_publication_nor_after_the_build():
    day = dt.date(2024, 5, 6)
    assert revisions(meta(day), dt.date(2024, 1, 1), TODAY).last_updated == day
    assert not revisions(meta(day), dt.date(2024, 1, 1), TODAY).shown
    assert revisions(meta(day), dt.date(2030, 1, 1), TODAY).last_updated == TODAY
    later = revisions(meta(day, (dt.date(2024, 6, 1), "a"), (dt.date(2024, 7, 1), "b")), dt.date(2024, 6, 15), TODAY)
    assert (later.first_published, later.last_updated, [c.note for c in later.changes]) == (day, dt.date(2024, 7, 1),
                                                                                            ["b", "a"])
