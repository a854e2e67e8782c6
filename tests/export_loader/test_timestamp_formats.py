"""Timestamp formats in the order a file uses them, and event times parsed once, by the loader."""

from datetime import date, datetime

import duckdb
import pytest

from export_loader.profiles import load_profiles
from export_loader.raw_exports import RAW_EXPORTS_BY_TABLE, parsed_column
from export_loader.raw_load import dbt_vars, load_export
from export_loader.timestamp_formats import exclusive, in_file_order
from tests.fixtures.one_lead import load_one_lead

ACTIVITIES = RAW_EXPORTS_BY_TABLE["ma_activities"]
DEFAULT_FORMATS = dbt_vars()["export_timestamp_formats"]


def test_the_default_formats_never_both_match_a_value():
    assert exclusive(DEFAULT_FORMATS)


@pytest.mark.parametrize(
    "formats",
    [
        ["%d/%m/%Y", "%m/%d/%Y"],  # "01/02/2026" is either day first or month first
        ["%Y/%m/%d", "%Y / %m / %d"],  # strptime skips whitespace: the same literals
        ["%Y-%m-%d", "%d %b %Y"],  # a month name is not digits
    ],
)
def test_formats_a_value_may_match_twice_are_not_exclusive(formats):
    assert not exclusive(formats)


def _values(con, values):
    con.execute("create or replace table t (a varchar, b varchar)")
    con.executemany("insert into t values (?, ?)", values)


def test_the_formats_a_sample_matches_go_first_ties_in_the_configured_order():
    formats = ["%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
    with duckdb.connect() as con:
        rows = [("2026-01-02 03:04:05", None), ("2026-01-03 00:00:00", "2026/01/04")]
        _values(con, [*rows, ("2026-01-04 00:00:00", "2026/01/05")])
        assert in_file_order(con, formats, "t", ["a", "b"]) == [
            "%Y-%m-%d %H:%M:%S",
            "%Y/%m/%d",
            "%Y/%m/%d %H:%M:%S",
            "%Y-%m-%d",
        ]


def test_formats_that_are_a_priority_keep_their_order():
    formats = ["%d/%m/%Y", "%m/%d/%Y"]
    with duckdb.connect() as con:
        _values(con, [("12/31/2026", None), ("11/30/2026", None)])
        assert in_file_order(con, formats, "t", ["a"]) == formats


def test_raw_holds_each_event_time_parsed_as_the_configured_order_parses_it(tmp_path):
    # Most rows use the third format, a few the first and the fifth: the loader tries the third first.
    times = ["2026-01-05 10:00:00"] * 8 + ["2026/01/06 11:30:00", "2026/01/07"]
    lines = ["Activity ID,Lead ID,Activity Type,Activity Date,Web Page URL"]
    lines += [f"X{number},L1,Visit Web Page,{when},https://example.jp/p" for number, when in enumerate(times)]
    (tmp_path / "ma_activities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with duckdb.connect() as con:
        load_one_lead(con, tmp_path)
        result = load_export(con, ACTIVITIES, tmp_path)
        parsed = con.sql(
            f"select activity_date, {parsed_column('activity_date')}, "
            "try_strptime(activity_date, $formats) from raw.ma_activities order by _line_number",
            params={"formats": DEFAULT_FORMATS},
        ).fetchall()
        [(lead_created,)] = con.sql(f"select {parsed_column('created_date')} from raw.crm_leads").fetchall()
    assert result.rows_loaded == 10
    assert [row[1] for row in parsed] == [row[2] for row in parsed]
    assert parsed[-2:] == [
        ("2026/01/06 11:30:00", datetime(2026, 1, 6, 11, 30), datetime(2026, 1, 6, 11, 30)),
        ("2026/01/07", datetime(2026, 1, 7), datetime(2026, 1, 7)),
    ]
    assert lead_created == datetime(2026, 1, 1, 9, 0)


def test_an_odd_export_keeps_every_line_parsed_in_raw_or_quarantined(tmp_path):
    # Shift-JIS with CRLF, Japanese headers through a profile, dates where times were expected, padding,
    # an ISO "T", full-width digits and an empty required time; no URL, session or dwell columns at all.
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "odd.yml").write_text(
        "source: odd\nexports:\n  - name: odd_activities\n    target: ma_activities\n"
        "    file_pattern: odd_activities*.csv\n"
        "    columns: {activity_id: 番号, lead_id: リードID, activity_type: 種別, activity_date: 日時}\n",
        encoding="utf-8",
    )
    times = ["2026/01/05 10:00", "2026-01-05T10:00:00", "２０２６/０１/０５", " 2026/01/06 ", "2026/01/07"]
    times.append("")
    lines = ["番号,リードID,種別,日時", *(f"X{n},L1,Visit Web Page,{when}" for n, when in enumerate(times))]
    (tmp_path / "odd_activities.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    with duckdb.connect() as con, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE", "0.9")
        load_one_lead(con, tmp_path)
        result = load_export(con, ACTIVITIES, tmp_path, load_profiles(profiles))
        loaded = con.sql(
            f"select activity_id, {parsed_column('activity_date')} from raw.ma_activities order by 1"
        ).fetchall()
        quarantined = con.sql(
            "select line_number, reason from raw._quarantine where table_name = 'ma_activities' order by 1"
        ).fetchall()
    assert [load.encoding for load in result.files] == ["cp932"]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 3, 3)
    assert loaded == [
        ("X0", datetime(2026, 1, 5, 10, 0)),
        ("X3", datetime(2026, 1, 6)),
        ("X4", datetime(2026, 1, 7)),
    ]
    assert quarantined == [
        (3, "activity_date: unparseable date"),
        (4, "activity_date: unparseable date"),
        (7, "activity_date: required value missing"),
    ]


def test_raw_holds_each_month_parsed_to_its_first_day_and_quarantines_what_does_not_parse(tmp_path):
    # A month as the month formats write it, as a date, as a timestamp; "不明" means not known;
    # "13月" is no month.
    months = ["2026年4月", "2026/05", "2026-06-15", "2026/07/31 23:59:00", "不明", "2026年13月"]
    lines = ["Month,Channel,Spend (JPY)", *(f"{month},展示会,{n}00" for n, month in enumerate(months, 1))]
    (tmp_path / "marketing_spend_monthly.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with duckdb.connect() as con, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE", "0.5")
        load_export(con, RAW_EXPORTS_BY_TABLE["marketing_spend_monthly"], tmp_path)
        loaded = con.sql(
            f"select month, {parsed_column('month')} from raw.marketing_spend_monthly order by _line_number"
        ).fetchall()
        quarantined = con.sql("select line_number, reason from raw._quarantine").fetchall()
    assert loaded == [
        ("2026年4月", date(2026, 4, 1)),
        ("2026/05", date(2026, 5, 1)),
        ("2026-06-15", date(2026, 6, 1)),
        ("2026/07/31 23:59:00", date(2026, 7, 1)),
        ("不明", None),
    ]
    assert quarantined == [(7, "month: unparseable month")]


def test_raw_holds_each_close_date_parsed_keeping_the_date_of_a_timestamp(tmp_path):
    lines = [
        "Opportunity ID,Lead ID,Opportunity Name,Stage,Amount,Created Date,Close Date",
        "O1,L1,案件1,Closed Won,100,2026/01/02 10:00:00,2026/02/26",
        "O2,L1,案件2,Closed Won,100,2026/01/02 10:00:00,2018-02-26 09:26:00",
        "O3,L1,案件3,Prospecting,100,2026/01/02 10:00:00,",
    ]
    (tmp_path / "crm_opportunities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with duckdb.connect() as con:
        load_one_lead(con, tmp_path)
        result = load_export(con, RAW_EXPORTS_BY_TABLE["crm_opportunities"], tmp_path)
        loaded = con.sql(
            f"select opportunity_id, {parsed_column('close_date')} from raw.crm_opportunities order by 1"
        ).fetchall()
    assert result.rows_quarantined == 0
    assert loaded == [("O1", date(2026, 2, 26)), ("O2", date(2018, 2, 26)), ("O3", None)]
