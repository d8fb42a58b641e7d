"""Chinese working days for the deadline rules (20, 15, 5, 3 and 1 working day limits)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar  # type: ignore[import-untyped]

_ONE_DAY = dt.timedelta(days=1)
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
"""China Standard Time: UTC+8 all year (no daylight saving since 1991), so no time-zone database is needed."""


def beijing_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Beijing, whatever the machine's time zone (a CI runner is usually on UTC)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(BEIJING).date()


def _library_years() -> tuple[int, int]:
    """The first and last year ``chinese_calendar`` has holiday data for."""
    # The library validates dates against the span of its holiday table, so read the same table.
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


class WorkCalendar:
    """Chinese working days: statutory holidays off, 调休 make-up weekend days on.

    Outside the years the holiday data covers, Monday–Friday are working days and the year is
    recorded in ``fallback_years``.
    """

    def __init__(self) -> None:
        self._covered = _library_years()
        self._answers: dict[dt.date, bool] = {}
        self._fallback: set[int] = set()

    @property
    def covered_years(self) -> tuple[int, int]:
        """First and last year the installed holiday data covers."""
        return self._covered

    @property
    def fallback_years(self) -> tuple[int, ...]:
        """Sorted years that were counted Monday–Friday because the holiday data does not cover them."""
        return tuple(sorted(self._fallback))

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (调休 weekend days are, statutory holidays are not)."""
        answer = self._answers.get(day)
        if answer is None:
            answer = self._answers[day] = self._lookup(day)
        return answer

    def workdays_after(self, start: dt.date, end: dt.date) -> int:
        """The number of working days ``d`` with ``start < d <= end``; 0 when ``end <= start``."""
        span = (end - start).days
        return sum(1 for offset in range(1, span + 1) if self.is_workday(start + dt.timedelta(days=offset)))

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start``; ``start`` itself when ``count`` is 0."""
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        day = start
        while count:
            day += _ONE_DAY
            if self.is_workday(day):
                count -= 1
        return day

    def _lookup(self, day: dt.date) -> bool:
        first, last = self._covered
        if first <= day.year <= last:
            return bool(chinese_calendar.is_workday(day))
        # Without holiday data a plain Monday–Friday count is the best available answer; the rules
        # module tells editors which years were affected, so remember them.
        self._fallback.add(day.year)
        return day.weekday() < 5
