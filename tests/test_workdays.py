"""Working days with statutory holidays and 调休, checked against dates verified in chinese_calendar 1.11.0."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from disclosure_site.core.workdays import WorkCalendar

D = dt.date


def test_spring_festival_2024_holidays_are_off_and_make_up_sundays_are_on():
    # 国务院办公厅 2024 arrangement (also in chinese_calendar): 2024-02-10..17 off,
    # Sundays 2024-02-04 and 2024-02-18 are 调休 working days.
    cal = WorkCalendar()
    assert [cal.is_workday(D(2024, 2, day)) for day in range(10, 18)] == [False] * 8
    assert cal.is_workday(D(2024, 2, 4)) and cal.is_workday(D(2024, 2, 18))
    assert not cal.is_workday(D(2024, 2, 3))  # the Saturday before stays an ordinary weekend day


def test_counts_working_days_across_spring_festival():
    # After Thu 2024-02-08: Fri 02-09, 调休 Sun 02-18, Mon 02-19 — 3 days (a Mon–Fri count would say 7).
    assert WorkCalendar().workdays_after(D(2024, 2, 8), D(2024, 2, 19)) == 3


def test_adds_working_days_across_spring_festival():
    # Same three days as above, so the 1st/2nd/3rd working day after 02-08 is 02-09, 02-18, 02-19.
    cal = WorkCalendar()
    assert [cal.add_workdays(D(2024, 2, 8), n) for n in (1, 2, 3)] == [D(2024, 2, 9), D(2024, 2, 18), D(2024, 2, 19)]


def test_make_up_weekend_days_count_as_working_days():
    # 2023 劳动节: Sun 2023-04-23 and Sat 2023-05-06 are 调休 working days, 04-29..05-03 are off.
    cal = WorkCalendar()
    assert D(2023, 4, 23).weekday() == 6 and D(2023, 5, 6).weekday() == 5
    assert cal.is_workday(D(2023, 4, 23)) and cal.is_workday(D(2023, 5, 6))
    assert chinese_calendar.is_workday(D(2023, 5, 6))  # the library agrees
    # After Fri 05-05: Sat 05-06 (调休) and Mon 05-08; Sun 05-07 is off.
    assert cal.workdays_after(D(2023, 5, 5), D(2023, 5, 8)) == 2
    assert cal.add_workdays(D(2023, 5, 5), 1) == D(2023, 5, 6)


def test_twenty_working_days_from_before_national_day_2024():
    # Written Fri 2024-09-20. Working days: 09-23..27 (5), 调休 Sun 09-29 and 09-30 (7), 10-01..07 off,
    # 10-08..11 (11), 调休 Sat 10-12 (12), 10-14..18 (17), 10-21..23 (20). Mon–Fri alone would give 10-18,
    # holidays without 调休 would give 10-25.
    cal = WorkCalendar()
    assert cal.add_workdays(D(2024, 9, 20), 20) == D(2024, 10, 23)
    assert cal.workdays_after(D(2024, 9, 20), D(2024, 10, 23)) == 20
    assert cal.workdays_after(D(2024, 9, 20), D(2024, 10, 22)) == 19


def test_end_on_or_before_start_counts_zero():
    cal = WorkCalendar()
    assert cal.workdays_after(D(2024, 5, 6), D(2024, 5, 6)) == 0
    assert cal.workdays_after(D(2024, 5, 6), D(2024, 5, 1)) == 0


def test_adding_zero_working_days_returns_the_start_even_on_a_holiday():
    cal = WorkCalendar()
    assert cal.add_workdays(D(2024, 5, 6), 0) == D(2024, 5, 6)
    assert cal.add_workdays(D(2024, 10, 1), 0) == D(2024, 10, 1)


def test_rejects_a_negative_count():
    with pytest.raises(ValueError):
        WorkCalendar().add_workdays(D(2024, 5, 6), -1)


def test_covered_years_come_from_the_library():
    first, last = WorkCalendar().covered_years
    assert first <= 2004 and last >= 2026  # chinesecalendar 1.11.0 covers 2004–2026
    chinese_calendar.is_workday(D(first, 1, 1))
    chinese_calendar.is_workday(D(last, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(last + 1, 1, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(first - 1, 12, 31))


def test_years_after_the_holiday_data_fall_back_to_monday_to_friday():
    cal = WorkCalendar()
    year = cal.covered_years[1] + 1
    week = [D(year, 1, 1) + dt.timedelta(days=n) for n in range(14)]
    # 1 January is a real holiday, but without data only the weekday can be used.
    assert [cal.is_workday(day) for day in week] == [day.weekday() < 5 for day in week]
    assert cal.workdays_after(week[0], week[-1]) == sum(day.weekday() < 5 for day in week[1:])
    assert cal.fallback_years == (year,)


def test_years_before_the_holiday_data_fall_back_too_and_are_listed_sorted():
    cal = WorkCalendar()
    first, last = cal.covered_years
    assert cal.is_workday(D(last + 2, 3, 1)) == (D(last + 2, 3, 1).weekday() < 5)
    assert cal.is_workday(D(first - 1, 3, 1)) == (D(first - 1, 3, 1).weekday() < 5)
    assert cal.fallback_years == (first - 1, last + 2)


def test_counting_across_the_end_of_the_data_records_only_the_uncovered_year():
    cal = WorkCalendar()
    last = cal.covered_years[1]
    cal.add_workdays(D(last, 12, 20), 20)
    assert cal.fallback_years == (last + 1,)


def test_covered_years_do_not_fall_back():
    cal = WorkCalendar()
    cal.workdays_after(D(2023, 1, 1), D(2024, 12, 31))
    assert cal.fallback_years == ()


def test_fallback_years_belong_to_one_calendar():
    used = WorkCalendar()
    used.is_workday(D(used.covered_years[1] + 1, 1, 4))
    assert WorkCalendar().fallback_years == ()


def test_repeated_questions_ask_the_library_once_per_day(monkeypatch):
    asked: list[dt.date] = []
    real = chinese_calendar.is_workday

    def counting(day: dt.date) -> bool:
        asked.append(day)
        return bool(real(day))

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    cal = WorkCalendar()
    days = [D(2023, 1, 1) + dt.timedelta(days=n % 1000) for n in range(10_000)]
    answers = [cal.is_workday(day) for day in days]
    assert answers == [real(day) for day in days]
    assert len(asked) == len(set(days)) == 1000


def test_covered_years_are_read_once_per_calendar(monkeypatch):
    cal = WorkCalendar()
    before = cal.covered_years
    # Emptying the library's table afterwards must not matter: the range was read at construction.
    monkeypatch.setattr(chinese_calendar, "holidays", {})
    assert cal.covered_years == before
    assert cal.covered_years is cal.covered_years
    assert cal.is_workday(D(2024, 2, 18))
