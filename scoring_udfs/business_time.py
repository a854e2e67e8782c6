"""Business-hours clock for SLAs: hours between two instants that fall on Japanese working time.

Working time is weekdays that are not Japanese public holidays (from the ``holidays`` package,
which tracks the Cabinet Office's calendar), between ``day_start_hour`` and ``day_end_hour`` local
time. ``day_start_hour=0, day_end_hour=24`` gives a clock that only stops on weekends and holidays.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year)


def is_japanese_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _japanese_holidays(day.year)


def business_hours_between(
    start_utc: datetime | None,
    end_utc: datetime | None,
    utc_offset_hours: int | None,
    day_start_hour: int | None,
    day_end_hour: int | None,
) -> float | None:
    """Working hours from ``start_utc`` to ``end_utc`` (naive UTC); 0 when end is not after start.

    Friday 18:00 to Monday 10:00 Japan time with a 9-18 working day is 1.0 hour.
    """
    if None in (start_utc, end_utc, utc_offset_hours, day_start_hour, day_end_hour):
        return None
    if end_utc <= start_utc:
        return 0.0
    offset = timedelta(hours=utc_offset_hours)
    local_start, local_end = start_utc + offset, end_utc + offset
    seconds = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if is_japanese_business_day(day):
            midnight = datetime.combine(day, time())
            opens, closes = (
                midnight + timedelta(hours=day_start_hour),
                midnight + timedelta(hours=day_end_hour),
            )
            overlap = (min(local_end, closes) - max(local_start, opens)).total_seconds()
            seconds += max(overlap, 0.0)
        day += timedelta(days=1)
    return seconds / 3600
