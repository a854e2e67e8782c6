"""The loader on hand-made export files: formats, encodings, quarantine, idempotence, hostile input."""

import os
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from export_loader.export_mapping import export_date
from export_loader.profiles import load_profiles
from export_loader.raw_exports import RAW_EXPORTS_BY_TABLE
from export_loader.raw_load import ExportError, column_name, load_export
from tests.fixtures.one_lead import LEAD_HEADER, load_one_lead
from tests.fixtures.profiles import write_profile
from warehouse_core.settings import REPOSITORY_ROOT

LEADS = RAW_EXPORTS_BY_TABLE["crm_leads"]
SPEND = RAW_EXPORTS_BY_TABLE["marketing_spend_monthly"]
ACTIVITIES = RAW_EXPORTS_BY_TABLE["ma_activities"]
PROFILES = REPOSITORY_ROOT / "export_profiles"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Lead ID", "lead_id"),
        ("Dwell Time (sec)", "dwell_time_sec"),
        ("Spend (JPY)", "spend_jpy"),
        (" Last Modified Date ", "last_modified_date"),
    ],
)
def test_column_name(header, expected):
    assert column_name(header) == expected


def _write_spend(folder, rows, name="marketing_spend_monthly.csv", encoding="utf-8", newline="\n"):
    lines = ["Month,Channel,Spend (JPY)", *rows]
    (folder / name).write_bytes((newline.join(lines) + newline).encode(encoding))


def _spend(con):
    return con.sql(
        "select month, channel, spend_jpy from raw.marketing_spend_monthly order by all"
    ).fetchall()


def test_loads_every_value_as_text_with_lineage(tmp_path):
    _write_spend(tmp_path, ['2026/01,展示会,"1,200,000"', "2026/01,紹介,50000"])
    with duckdb.connect() as con:
        result = load_export(con, SPEND, tmp_path)
        rows = con.sql(
            "select month, channel, spend_jpy, _source_file, _line_number from raw.marketing_spend_monthly "
            "order by _line_number"
        ).fetchall()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert rows == [
        ("2026/01", "展示会", "1,200,000", "marketing_spend_monthly.csv", 2),
        ("2026/01", "紹介", "50000", "marketing_spend_monthly.csv", 3),
    ]


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    _write_spend(tmp_path, ["2026/01,展示会,100"])
    with duckdb.connect() as con:
        first = load_export(con, SPEND, tmp_path)
        second = load_export(con, SPEND, tmp_path)
        assert con.sql("select count(*) from raw.marketing_spend_monthly").fetchall()[0][0] == 1
        assert con.sql("select count(*) from raw._file_loads").fetchall()[0][0] == 1
    assert not first.skipped and second.skipped


def test_a_new_file_appends_and_an_old_one_is_not_read_again(tmp_path):
    _write_spend(tmp_path, ["2026/01,展示会,100"], name="marketing_spend_monthly_2026-01.csv")
    with duckdb.connect() as con:
        load_export(con, SPEND, tmp_path)
        _write_spend(
            tmp_path, ["2026/01,展示会,100", "2026/02,展示会,200"], name="marketing_spend_monthly_full.csv"
        )
        result = load_export(con, SPEND, tmp_path)
        assert [f.skipped for f in result.files] == [True, False]
        assert _spend(con) == [
            ("2026/01", "展示会", "100"),
            ("2026/01", "展示会", "100"),
            ("2026/02", "展示会", "200"),
        ]


def test_missing_column_names_file_column_and_found_columns(tmp_path):
    (tmp_path / "crm_leads.csv").write_text("Lead ID,Email\nL1,a@b.jp\n", encoding="utf-8")
    with duckdb.connect() as con, pytest.raises(ExportError) as error:
        load_export(con, LEADS, tmp_path)
    message = str(error.value)
    assert "crm_leads.csv has no column created_date, which raw.crm_leads needs." in message
    assert 'accepts these headers for it — created_date: any header that reads "created_date"' in message
    assert "Columns found: Lead ID, Email." in message


def test_a_missing_column_names_the_headers_the_profile_accepts(tmp_path):
    (tmp_path / "hubspot-contacts.csv").write_text("Record ID,Email\n1,a@b.jp\n", encoding="utf-8")
    specs = [spec for spec in load_profiles(PROFILES) if spec.name == "hubspot_contacts"]
    with duckdb.connect() as con, pytest.raises(ExportError) as error:
        load_export(con, LEADS, tmp_path, specs)
    assert 'created_date: "Create Date"' in str(error.value)


def test_a_table_no_profile_targets_says_so_plainly(tmp_path):
    with duckdb.connect() as con:
        others = [spec for spec in load_profiles(PROFILES) if spec.target != "crm_leads"]
        result = load_export(con, LEADS, tmp_path, specs=others)
    assert result.note.startswith("No export profile targets raw.crm_leads, so it stays empty.")


def test_a_missing_export_leaves_an_empty_table_and_says_what_would_fill_it(tmp_path):
    with duckdb.connect() as con:
        result = load_export(con, LEADS, tmp_path)
        assert con.sql("select count(*) from raw.crm_leads").fetchall() == [(0,)]
    assert not result.files and "a file matching crm_leads*" in result.note and "make generate" in result.note


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8-sig"])
def test_japanese_encodings_and_bom_are_read_without_mojibake(tmp_path, encoding):
    _write_spend(
        tmp_path, ["2026/01,展示会・セミナー,100", "2026/01,ﾃﾚｱﾎﾟ,200"], encoding=encoding, newline="\r\n"
    )
    with duckdb.connect() as con:
        result = load_export(con, SPEND, tmp_path)
        columns = [row[0] for row in con.sql("describe raw.marketing_spend_monthly").fetchall()]
        assert _spend(con) == [("2026/01", "展示会・セミナー", "100"), ("2026/01", "ﾃﾚｱﾎﾟ", "200")]
    assert "month" in columns  # the BOM is not part of the first header
    assert result.files[0].encoding == ("utf-8" if encoding == "utf-8-sig" else "cp932")


def test_a_file_in_neither_utf8_nor_cp932_fails_naming_the_line(tmp_path):
    (tmp_path / "marketing_spend_monthly.csv").write_bytes(
        b"Month,Channel,Spend (JPY)\n2026/01,ok,1\n" + b"2026/02,\x82\xff\xfe,2\n"
    )
    with duckdb.connect() as con, pytest.raises(ExportError, match=r"EUC-JP text .*not UTF-8 is on line 3"):
        load_export(con, SPEND, tmp_path)


def test_quoted_newlines_crlf_and_a_trailing_delimiter(tmp_path):
    text = (
        f"{LEAD_HEADER},Department,\r\n"
        'L1,A1,a@b.co.jp,"部長\r\n(兼務)",Web,U1,2026/01/05 10:00,2026/01/05 10:00,営業部,\r\n'
        "L2,A1,c@d.co.jp,課長,Web,U1,2026/01/06 10:00,2026/01/06 10:00,,\r\n"
    )
    (tmp_path / "crm_leads.csv").write_text(text, encoding="utf-8", newline="")
    with duckdb.connect() as con:
        load_export(con, LEADS, tmp_path)
        rows = con.sql("select lead_id, title, department from raw.crm_leads order by 1").fetchall()
        columns = [row[0] for row in con.sql("describe raw.crm_leads").fetchall()]
    assert rows == [("L1", "部長\r\n(兼務)", "営業部"), ("L2", "課長", None)]
    assert not [c for c in columns if c.startswith("column")]


SPEND_PROFILE = """
source: test
exports:
  - name: spend_sheet
    target: marketing_spend_monthly
    file_pattern: "spend*"
    {extra}
    columns: {{month: [年月, Month], channel: [チャネル], spend_jpy: [費用]}}
    null_values: ["", "-", "なし", "N/A", "Select"]
"""


@pytest.mark.parametrize("file_format", ["tsv", "xlsx", "parquet"])
def test_tsv_excel_and_parquet_exports_load_through_awrite_profile(tmp_path, file_format, monkeypatch):
    monkeypatch.setenv("LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE", "0.6")  # one bad row of two is the point here
    frame = pd.DataFrame(
        {"年月": ["2026/01", "2026/02"], "チャネル": ["展示会", "紹介"], "費用": ["100", "なし"]}
    )
    landing = tmp_path / "landing"
    landing.mkdir()
    path = landing / f"spend.{file_format}"
    if file_format == "tsv":
        frame.to_csv(path, sep="\t", index=False)
    elif file_format == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path)
    specs = write_profile(tmp_path, SPEND_PROFILE.format(extra=""))
    with duckdb.connect() as con:
        result = load_export(con, SPEND, landing, specs)
        rows = con.sql(
            "select month, channel, spend_jpy, _line_number from raw.marketing_spend_monthly order by 1"
        ).fetchall()
        problems = con.sql("select line_number, column_name, reason from raw._quarantine").fetchall()
    # "なし" is a placeholder for empty: spend is required, so that row is quarantined, with its line.
    assert rows == [("2026/01", "展示会", "100", 2)]
    assert problems == [(3, "spend_jpy", "spend_jpy: required value missing")]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)


def _activities(count, bad_every=None, bad="2026/13/45 25:00"):
    lines = ["Activity ID,Lead ID,Activity Type,Activity Date,Web Page URL"]
    for number in range(count):
        when = bad if bad_every and number % bad_every == 0 else "2026/01/05 10:00"
        lines.append(f"X{number},L1,Visit Web Page,{when},https://example.jp/p")
    return "\n".join(lines) + "\n"


def test_two_percent_junk_loads_with_the_bad_rows_in_quarantine(tmp_path):
    (tmp_path / "ma_activities.csv").write_text(_activities(500, bad_every=50), encoding="utf-8")
    with duckdb.connect() as con:
        load_one_lead(con, tmp_path)
        result = load_export(con, ACTIVITIES, tmp_path)
        loaded = con.sql("select count(*) from raw.ma_activities").fetchall()[0][0]
        quarantined = con.sql(
            "select line_number, column_name, reason, original_text from raw._quarantine order by 1"
        ).fetchall()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (500, 490, 10)
    assert loaded == 490 and len(quarantined) == 10
    assert quarantined[0][:3] == (2, "activity_date", "activity_date: unparseable date")
    assert '"Activity Date":"2026/13/45 25:00"' in quarantined[0][3]


def test_rows_of_unknown_leads_and_bad_emails_are_quarantined(tmp_path):
    text = _activities(40).replace("X7,L1,", "X7,L999,")
    (tmp_path / "ma_activities.csv").write_text(text, encoding="utf-8")
    with duckdb.connect() as con:
        load_one_lead(con, tmp_path)
        load_export(con, ACTIVITIES, tmp_path)
        (tmp_path / "crm_leads_2.csv").write_text(
            f"{LEAD_HEADER}\nL2,A1,not-an-email,部長,Web,U1,2026/01/01 09:00,\n", encoding="utf-8"
        )
        with pytest.raises(ExportError, match="not an email address"):
            load_export(con, LEADS, tmp_path)  # 1 bad row of 1 is over 5%
        problems = con.sql("select column_name, reason from raw._quarantine order by all").fetchall()
    assert problems == [
        ("email", "email: not an email address"),
        ("lead_id", "lead_id: unknown lead_id (not in raw.crm_leads)"),
    ]


def test_hostile_headers_and_values_are_only_data(tmp_path):
    evil = '"x"" from t; drop table raw._file_loads; --"'
    binary = "ab\x01\x02cd"
    (tmp_path / "marketing_spend_monthly.csv").write_text(
        f"Month,Channel,Spend (JPY),{evil}\n"
        + "".join(f"2026/01,ch{n},1,'; drop table raw.marketing_spend_monthly; --\n" for n in range(40))
        + f'2026/01,"{"長" * 20_000}",1,x\n2026/01,{binary},1,x\n',
        encoding="utf-8",
    )
    with duckdb.connect() as con:
        result = load_export(con, SPEND, tmp_path)
        columns = [row[0] for row in con.sql("describe raw.marketing_spend_monthly").fetchall()]
        reasons = {row[0] for row in con.sql("select reason from raw._quarantine").fetchall()}
        assert con.sql("select count(*) from raw._file_loads").fetchall()[0][0] == 1
    assert "x_from_t_drop_table_raw_file_loads" in columns
    assert (result.rows_loaded, result.rows_quarantined) == (40, 2)
    assert reasons == {"channel: longer than 10,000 characters", "channel: control characters (binary data?)"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "source: x\nexports:\n  - {name: a, target: crm_lead, file_pattern: a*, columns: snake_case}",
            "unknown target 'crm_lead'",
        ),
        (
            "source: x\nexports:\n  - {name: a, target: crm_leads, file_pattern: a*, columns: {lead_id: ID}}",
            "required column(s) of raw.crm_leads not mapped: created_date",
        ),
        (
            "source: x\nexports:\n  - {name: a, target: crm_users, file_pattern: a*, columns: snake_case, "
            "encodng: cp932}",
            "exports.0.encodng: Extra inputs are not permitted",
        ),
        (
            "source: x\nexports:\n  - {name: a, target: crm_users, file_pattern: a*, columns: snake_case, "
            "encoding: latin-9}",
            "exports.0.encoding",
        ),
        (
            "source: x\nexports:\n  - {name: a, target: crm_users, file_pattern: a*, columns: snake_case, "
            "known: {team: after_contact}}",
            "known: team not among this export's custom_attributes",
        ),
        (
            "source: x\nexports:\n  - {name: a, target: crm_leads, file_pattern: a*, columns: snake_case, "
            "custom_attributes: {grade: Grade}, known: {grade: later}}",
            "exports.0.known.grade",
        ),
    ],
)
def test_a_wrong_profile_is_refused_with_the_place_and_the_reason(tmp_path, body, message):
    from export_loader.profiles import ProfileError

    with pytest.raises(ProfileError) as error:
        write_profile(tmp_path, body)
    assert message in str(error.value) and "custom.yml" in str(error.value)


_SPEND_REPORT_TITLE = "月次費用レポート\n出力日: 2026/07/01\n年月,チャネル,費用,区分\n"


def _load_spend_report(tmp_path, data_lines: str):
    """A spend report with two title lines above its header (line 3), filtered to two channels."""
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "spend_report.csv").write_text(_SPEND_REPORT_TITLE + data_lines, encoding="utf-8")
    specs = write_profile(
        tmp_path,
        """
source: test
exports:
  - name: spend_report
    target: marketing_spend_monthly
    file_pattern: "spend_report*"
    header_row: 3
    columns: {month: 年月, channel: チャネル, spend_jpy: 費用, }
    rows_where: {channel: [展示会, 紹介]}
""",
    )
    con = duckdb.connect()
    return con, load_export(con, SPEND, landing, specs)


def test_a_header_below_title_rows_and_a_row_filter(tmp_path):
    con, result = _load_spend_report(
        tmp_path, "2026/05,展示会,100,対象\n2026/05,社内,999,対象外\n2026/06,紹介,200,対象\n"
    )
    with con:
        rows = con.sql(
            "select month, channel, spend_jpy, _line_number from raw.marketing_spend_monthly order by 4"
        ).fetchall()
    assert rows == [("2026/05", "展示会", "100", 4), ("2026/06", "紹介", "200", 6)]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_not_selected) == (
        3,
        2,
        0,
        1,
    )


def test_below_title_rows_a_malformed_line_keeps_the_line_numbers_an_editor_shows(tmp_path):
    con, result = _load_spend_report(
        tmp_path,
        "2026/05,展示会,100,対象\n2026/05,展示会\n"
        + "".join(f"2026/06,紹介,{n},対象\n" for n in range(30))
        + "2026/05,社内,999,対象外\n2026/07,紹介,200,対象\n",
    )
    with con:
        line_of = dict(con.sql("select spend_jpy, _line_number from raw.marketing_spend_monthly").fetchall())
        quarantined = con.sql("select line_number, original_text from raw._quarantine").fetchall()
    # The header is line 3; the malformed line 5 shifts nothing after it; line 36 is not selected.
    assert quarantined == [(5, "2026/05,展示会")]
    assert (line_of["100"], line_of["0"], line_of["29"], line_of["200"]) == (4, 6, 35, 37)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_not_selected) == (
        34,
        32,
        1,
        1,
    )


def test_the_export_date_is_the_date_in_the_name_else_the_day_of_the_file_in_japan(tmp_path):
    named, unnamed = tmp_path / "lead_list_20260630.csv", tmp_path / "lead_list.csv"
    for path in (named, unnamed):
        path.write_text("x\n", encoding="utf-8")
    late_evening_utc = datetime(2026, 1, 2, 23, 30, tzinfo=UTC).timestamp()  # 08:30 on Jan 3 in Japan
    os.utime(unnamed, (late_evening_utc, late_evening_utc))
    assert export_date(named) == "2026-06-30" and export_date(unnamed) == "2026-01-03"


def test_when_a_column_is_filled_reaches_dbt_as_two_lists(tmp_path):
    from export_loader.raw_load import AFTER_CONTACT_VAR, BEFORE_DECISION_VAR, refresh_dbt_vars

    specs = write_profile(
        tmp_path,
        "source: x\nexports:\n  - {name: a, target: crm_leads, file_pattern: a*, columns: snake_case, "
        "custom_attributes: {lead_grade: Grade, region_code: Region}, known: {lead_grade: after_contact, "
        "region_code: at_creation}}",
    )
    dbt_vars = refresh_dbt_vars(specs)
    assert dbt_vars[AFTER_CONTACT_VAR] == ["lead_grade"]
    assert dbt_vars[BEFORE_DECISION_VAR] == ["region_code"]
    assert {"lead_grade", "region_code"} <= set(dbt_vars["custom_lead_attributes"])
