"""Business-hours clock for SLAs: hours between two instants that fall on Japanese working time.

Working time is weekdays that are not Japanese public holidays (from the ``holidays`` package,
which tracks the Cabinet Office's calendar), between ``day_start_hour`` and ``day_end_hour`` local
time. ``day_start_hour=0, day_end_hour=24`` gives a clock that only stops on weekends and holidays.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
import numpy as np


@lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year)


@lru_cache(maxsize=64)
def _holiday_array(first_year: int, last_year: int) -> np.ndarray:
    days = [day for year in range(first_year, last_year + 1) for day in _japanese_holidays(year)]
    return np.array(sorted(days), dtype="datetime64[D]")


def is_japanese_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _japanese_holidays(day.year)


def _business_days_between(first: date, last: date) -> int:
    """Business days in [first, last): numpy counts weekdays that are not holidays without a loop."""
    if last <= first:
        return 0
    return int(np.busday_count(first, last, holidays=_holiday_array(first.year, last.year)))


def business_hours_between(
    start_utc: datetime | None,
    end_utc: datetime | None,
    utc_offset_hours: int | None,
    day_start_hour: int | None,
    day_end_hour: int | None,
) -> float | None:
    """Working hours from ``start_utc`` to ``end_utc`` (naive UTC); 0 when end is not after start.

    Friday 18:00 to Monday 10:00 Japan time with a 9-18 working day is 1.0 hour. The first and last
    days count their overlap with working time; the days between count whole working days, so the
    cost does not grow with the span (a lead waiting a year costs what a lead waiting a day does).
    """
    if None in (start_utc, end_utc, utc_offset_hours, day_start_hour, day_end_hour):
        return None
    if end_utc <= start_utc:
        return 0.0
    offset = timedelta(hours=utc_offset_hours)
    local_start, local_end = start_utc + offset, end_utc + offset
    first_day, last_day = local_start.date(), local_end.date()

    def overlap(day: date) -> float:
        if not is_japanese_business_day(day):
            return 0.0
        midnight = datetime.combine(day, time())
        opens, closes = midnight + timedelta(hours=day_start_hour), midnight + timedelta(hours=day_end_hour)
        return max((min(local_end, closes) - max(local_start, opens)).total_seconds(), 0.0)

    seconds = overlap(first_day)
    if last_day > first_day:
        seconds += overlap(last_day)
        whole_days = _business_days_between(first_day + timedelta(days=1), last_day)
        seconds += whole_days * (day_end_hour - day_start_hour) * 3600.0
    return seconds / 3600
