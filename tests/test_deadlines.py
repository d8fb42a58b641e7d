"""Deadline rules in working days (holidays and 调休 counted) and hours, with exact messages."""

from __future__ import annotations

import datetime as dt

from conftest import ORG, entry

POLICY = f"{ORG}/2024-00001"


def codes(site, today=dt.date(2026, 11, 26)):
    return [d.code for d in site.check(today)]


def test_published_within_20_working_days_passes(make_site):
    # 2024-09-20 + 20 working days is 10-23: 国庆 10-01..07 is off, the 调休 Sunday 09-29 and Saturday 10-12 count.
    site = make_site({"content/news/a.md": entry(written="2024-09-20", published="2024-10-23")})
    assert site.messages() == []


def test_published_after_20_working_days_is_a_warning(make_site):
    site = make_site({"content/news/a.md": entry(written="2024-09-20", published="2024-10-24")})
    assert site.messages() == [
        "content/news/a.md:4: 警告 [LATE_DISCLOSURE] published（发布日期）2024-10-24 距 written（成文日期）2024-09-20 "
        "已 21 个工作日，超过条例第二十六条规定的20 个工作日：应在形成之日起 20 个工作日内公开"]


def test_withheld_entries_have_no_disclosure_deadline(make_site):
    site = make_site({"content/news/a.md": entry(written="2023-01-03", disclosure="依申请公开", withhold_reason="商业秘密")})
    assert site.messages() == []


def policy_and_interpretation(make_site, published):
    return make_site({
        "content/documents/p.md": entry(title="通知", written="2024-02-05", department="办公室", policy="true",
                                        published="2024-02-08"),
        "content/interpretations/i.md": entry(title="解读", serial="2024-00002", department="办公室",
                                              interprets=f'"{POLICY}"', published=published),
    })


def test_interpretation_within_3_working_days_across_spring_festival_is_a_warning(make_site):
    # 2024-02-08 → 02-19 is 3 working days: 02-09 (除夕, a Friday) is worked, the Spring Festival 02-10..17 is
    # off, and 02-18 (Sunday) is a 调休 working day.
    site = policy_and_interpretation(make_site, "2024-02-19")
    assert site.messages() == [
        "content/interpretations/i.md:4: 警告 [INTERPRETATION_LATE] published（发布日期）2024-02-19 晚于被解读文件的"
        "发布日期 2024-02-08（相差 3 个工作日）：政策解读应与文件同步发布"]


def test_interpretation_more_than_3_working_days_late_is_an_error(make_site):
    site = policy_and_interpretation(make_site, "2024-02-20")
    assert site.messages() == [
        "content/interpretations/i.md:4: 错误 [INTERPRETATION_TOO_LATE] published（发布日期）2024-02-20 晚于被解读文件的"
        "发布日期 2024-02-08（相差 4 个工作日）：解读最迟应在文件发布后 3 个工作日内发布"]


def consultation(**keys):
    fields = {"opens": "2024-04-01", "closes": "2024-04-30"}
    fields.update(keys)
    return entry(title="征求意见稿", published="2024-04-01", **fields)


CONSULTATION_CATALOG_LINE = "  - {id: consultations, title: 征求意见, type: consultation}\n"


def with_column(make_site, files, line):
    from conftest import CATALOG
    return make_site(files, catalog=CATALOG.replace("key_areas:\n", line + "key_areas:\n"))


def test_consultation_without_feedback_after_15_working_days(make_site):
    # 2024-04-30 + 15 working days is 05-23: 05-01..05 are the 劳动节 holiday, 05-11 (Saturday) is a 调休 working day.
    site = with_column(make_site, {"content/consultations/c.md": consultation()}, CONSULTATION_CATALOG_LINE)
    assert site.messages(dt.date(2024, 5, 23)) == []
    assert site.messages(dt.date(2024, 5, 24)) == [
        "content/consultations/c.md:7: 警告 [FEEDBACK_OVERDUE] 未公开意见采纳情况：征求意见已于 2024-04-30 截止，"
        "超过 15 个工作日（2024-05-23）仍未填写 feedback（意见采纳情况）"]


def test_consultation_with_feedback_passes(make_site):
    site = with_column(make_site, {"content/consultations/c.md": consultation(feedback="收到意见3条，采纳2条。")},
                       CONSULTATION_CATALOG_LINE)
    assert site.messages(dt.date(2025, 1, 1)) == []


def test_consultation_closing_before_it_opens(make_site):
    site = with_column(make_site, {"content/consultations/c.md": consultation(closes="2024-03-01")},
                       CONSULTATION_CATALOG_LINE)
    assert "content/consultations/c.md:7: 错误 [BAD_PERIOD] closes（征求截止日期）2024-03-01 早于 opens（征求开始日期）2024-04-01，请检查日期" in site.messages(dt.date(2024, 4, 2))


RESPONSE_LINE = "  - {id: responses, title: 回应关切, type: response}\n"


def test_major_incident_answered_within_5_hours(make_site):
    site = with_column(make_site, {"content/responses/r.md": entry(
        published='"2024-05-06 14:00"', event_time='"2024-05-06 09:00"', level="重大")}, RESPONSE_LINE)
    assert site.messages() == []


def test_major_incident_answered_after_5_hours(make_site):
    site = with_column(make_site, {"content/responses/r.md": entry(
        published='"2024-05-06 14:30"', event_time='"2024-05-06 09:00"', level="特别重大")}, RESPONSE_LINE)
    assert site.messages() == [
        "content/responses/r.md:4: 警告 [RESPONSE_LATE] 特别重大事件发生于 2024-05-06 09:00，回应发布于 2024-05-06 14:30，"
        "相隔 5.5 小时：工作要点要求涉及特别重大、重大突发事件的政务舆情最迟在 5 小时内发布权威信息"]


def test_ordinary_incident_has_no_hour_limit(make_site):
    site = with_column(make_site, {"content/responses/r.md": entry(
        published='"2024-05-08 14:30"', event_time='"2024-05-06 09:00"', level="一般")}, RESPONSE_LINE)
    assert site.messages() == []


def test_major_incident_response_needs_a_time_of_day(make_site):
    site = with_column(make_site, {"content/responses/r.md": entry(
        published="2024-05-06", event_time='"2024-05-06 09:00"', level="重大")}, RESPONSE_LINE)
    assert codes(site) == ["RESPONSE_TIME_UNKNOWN"]


MESSAGE_LINE = "  - {id: messages, title: 网民留言, type: message}\n"


def message(**keys):
    fields = {"received": "2024-09-27", "question": "请问噪声投诉如何处理？"}
    fields.update(keys)
    return entry(published="2024-10-10", **fields)


def test_reply_within_5_working_days_over_national_day(make_site):
    # 2024-09-27 (Fri) + 5 working days is 10-10: 09-29 (Sunday, 调休) counts and 10-01..07 are off.
    site = with_column(make_site, {"content/messages/m.md": message(replied="2024-10-10", reply="已转执法人员处理。")},
                       MESSAGE_LINE)
    assert site.messages() == []


def test_reply_after_5_working_days_is_a_warning(make_site):
    site = with_column(make_site, {"content/messages/m.md": message(replied="2024-10-11", reply="已处理。")},
                       MESSAGE_LINE)
    assert site.messages() == [
        "content/messages/m.md:8: 警告 [REPLY_LATE] replied（答复日期）2024-10-11 晚于收到留言（2024-09-27）后 5 个工作日"
        "（2024-10-10）：留言应在 5 个工作日内答复"]


def test_unanswered_published_message_past_its_deadline(make_site):
    site = with_column(make_site, {"content/messages/m.md": message()}, MESSAGE_LINE)
    assert codes(site) == ["REPLY_OVERDUE"]


GUIDE_CHANGE = {"changed": "2024-05-10"}


def test_changed_guide_published_next_working_day(make_site):
    # 2024-05-10 is a Friday and 2024-05-11 a 调休 Saturday, so the next working day is the Saturday.
    site = make_site({"content/guides/g.md": entry(published="2024-05-11", **GUIDE_CHANGE)})
    assert site.messages() == []


def test_changed_guide_published_later_is_a_warning(make_site):
    site = make_site({"content/guides/g.md": entry(published="2024-05-13", **GUIDE_CHANGE)})
    assert site.messages() == [
        "content/guides/g.md:4: 警告 [GUIDE_CHANGE_LATE] 办事条件于 2024-05-10 变更，published（发布日期）2024-05-13 "
        "晚于 2024-05-11：变更后应在 1 个工作日内公开"]


def test_years_outside_the_holiday_calendar_fall_back_to_weekdays_once(make_site):
    from disclosure_site.core.workdays import WorkCalendar
    last = WorkCalendar().covered_years[1]
    site = make_site({
        "content/news/a.md": entry(serial=f"{last + 1}-00001", written=f"{last + 1}-01-04", published=f"{last + 1}-01-05"),
        "content/news/b.md": entry(serial=f"{last + 1}-00002", written=f"{last + 1}-02-04", published=f"{last + 1}-02-05"),
    })
    messages = site.messages(dt.date(last + 1, 3, 1))
    assert [m for m in messages if "WORKDAY_FALLBACK" in m] == [
        f"catalog.yaml:1: 提示 [WORKDAY_FALLBACK] 节假日数据只覆盖 {WorkCalendar().covered_years[0]}—{last} 年，"
        f"{last + 1} 年按周一至周五计算工作日，法定节假日和调休未计入：请升级 chinesecalendar 后重新检查"]
