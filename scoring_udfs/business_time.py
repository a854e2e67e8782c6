"""Business-hours clock for SLAs: hours between two instants that fall on Japanese working time.

Working time is weekdays that are not Japanese public holidays (from the ``holidays`` package,
which tracks the Cabinet Office's calendar), between ``day_start_hour`` and ``day_end_hour`` local
time. ``day_start_hour=0, day_end_hour=24`` gives a clock that only stops on weekends and holidays.
"""

from datetime import date, datetime
from functools import lru_cache

import holidays
import numpy as np


# The holidays as plain sets and one numpy calendar per year range, not the holidays package per call.
@lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Japan(years=year))


@lru_cache(maxsize=64)
def _business_calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    days = [day for year in range(first_year, last_year + 1) for day in _japanese_holidays(year)]
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


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

    Friday 18:00 to Monday 10:00 Japan time with a 9-18 working day is 1.0 hour. The first and last
    days count their overlap with working time; the days between count whole working days, so the
    cost does not grow with the span (a lead waiting a year costs what a lead waiting a day does).
    One row of business_hours_between_many, the form SQL runs.
    """
    hours = business_hours_between_many(
        np.array([start_utc], dtype="datetime64[us]"),
        np.array([end_utc], dtype="datetime64[us]"),
        *(np.array([value], dtype=float) for value in (utc_offset_hours, day_start_hour, day_end_hour)),
    )[0]
    return None if np.isnan(hours) else float(hours)


def business_hours_between_many(
    start_utc: np.ndarray,
    end_utc: np.ndarray,
    utc_offset_hours: np.ndarray,
    day_start_hour: np.ndarray,
    day_end_hour: np.ndarray,
) -> np.ndarray:
    """business_hours_between over whole columns, as the UDF runs (once per chunk): datetime64[us]
    instants (NaT for null) and float hours (NaN for null) in, hours out (NaN where an argument is
    null)."""
    valid = ~(np.isnat(start_utc) | np.isnat(end_utc))
    for hours in (utc_offset_hours, day_start_hour, day_end_hour):
        valid &= ~np.isnan(hours)
    result = np.full(len(start_utc), np.nan)
    if not valid.any():
        return result
    start, end = start_utc[valid], end_utc[valid]
    offset, opens_at, closes_at = (hours[valid] for hours in (utc_offset_hours, day_start_hour, day_end_hour))
    local_start, local_end = start + _hours(offset), end + _hours(offset)
    first_day, last_day = local_start.astype("datetime64[D]"), local_end.astype("datetime64[D]")
    years = np.concatenate([first_day, last_day]).astype("datetime64[Y]").astype(int) + 1970
    calendar = _business_calendar(int(years.min()), int(years.max()))

    def overlap(day: np.ndarray) -> np.ndarray:
        midnight = day.astype("datetime64[us]")
        opens, closes = midnight + _hours(opens_at), midnight + _hours(closes_at)
        seconds = (np.minimum(local_end, closes) - np.maximum(local_start, opens)) / np.timedelta64(1, "s")
        return np.where(np.is_busday(day, busdaycal=calendar), np.maximum(seconds, 0.0), 0.0)

    seconds = overlap(first_day)
    later = last_day > first_day
    whole_days = np.where(
        later, np.busday_count(first_day + 1, np.maximum(last_day, first_day + 1), busdaycal=calendar), 0
    )
    seconds = np.where(later, seconds + overlap(last_day), seconds)
    seconds = np.where(later, seconds + whole_days * (closes_at - opens_at) * 3600.0, seconds)
    result[valid] = np.where(end <= start, 0.0, seconds / 3600)
    return result


def _hours(hours: np.ndarray) -> np.ndarray:
    """Whole hours as microsecond durations."""
    return (hours * 3600 * 10**6).astype("int64").astype("timedelta64[us]")
