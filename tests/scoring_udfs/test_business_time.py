from datetime import date, datetime, timedelta

import pytest

from scoring_udfs.business_time import business_hours_between, is_japanese_business_day


def jst(text: str) -> datetime:
    """A Japan wall-clock time as the naive UTC the warehouse stores."""
    return datetime.fromisoformat(text) - timedelta(hours=9)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-10-16 18:00", "2026-10-19 10:00", 1.0),  # Friday evening -> Monday morning
        ("2026-04-28 17:00", "2026-04-30 10:00", 2.0),  # across Showa Day (Wednesday 04-29)
        ("2026-05-01 17:00", "2026-05-07 10:00", 2.0),  # across Golden Week (05-04..05-06)
        ("2026-06-08 10:00", "2026-06-11 11:00", 28.0),  # 8 + 9 + 9 + 2
        ("2026-06-08 07:00", "2026-06-08 08:30", 0.0),  # before opening
        ("2026-06-08 12:00", "2026-06-08 12:00", 0.0),
        ("2026-06-08 12:00", "2026-06-08 11:00", 0.0),  # end before start
    ],
)
def test_business_hours_between_nine_to_six(start, end, hours):
    assert business_hours_between(jst(start), jst(end), 9, 9, 18) == hours


def test_whole_day_clock_only_stops_on_weekends_and_holidays():
    # Friday 18:00 -> Monday 10:00 with 0-24 working days: 6 hours on Friday + 10 on Monday.
    assert business_hours_between(jst("2026-10-16 18:00"), jst("2026-10-19 10:00"), 9, 0, 24) == 16.0


def test_nulls_give_null():
    assert business_hours_between(None, jst("2026-10-19 10:00"), 9, 9, 18) is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), False),
        (date(2026, 11, 24), True),
        (date(2026, 11, 21), False),
        (date(2027, 1, 1), False),
    ],
)
def test_japanese_business_days(day, expected):
    assert is_japanese_business_day(day) is expected
