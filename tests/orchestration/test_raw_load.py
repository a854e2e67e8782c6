import duckdb
import pytest

from orchestration.raw_exports import RAW_EXPORTS
from orchestration.raw_load import ExportError, column_name, load_export

LEADS = next(export for export in RAW_EXPORTS if export.table == "crm_leads")
SPEND = next(export for export in RAW_EXPORTS if export.table == "marketing_spend_monthly")


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


def _write_spend(folder, rows):
    lines = ["Month,Channel,Spend (JPY)", *rows]
    (folder / "marketing_spend_monthly.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_loads_every_value_as_text_with_lineage(tmp_path):
    _write_spend(tmp_path, ['2026/01,展示会,"1,200,000"', "2026/01,紹介,50000"])
    with duckdb.connect() as con:
        result = load_export(con, SPEND, tmp_path)
        rows = con.sql(
            "select month, channel, spend_jpy, _source_file from raw.marketing_spend_monthly order by channel"
        ).fetchall()
    assert result.rows == 2 and not result.skipped
    assert rows == [
        ("2026/01", "展示会", "1,200,000", "marketing_spend_monthly.csv"),
        ("2026/01", "紹介", "50000", "marketing_spend_monthly.csv"),
    ]


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    _write_spend(tmp_path, ["2026/01,展示会,100"])
    with duckdb.connect() as con:
        first = load_export(con, SPEND, tmp_path)
        second = load_export(con, SPEND, tmp_path)
        rows = con.sql("select count(*) from raw.marketing_spend_monthly").fetchall()[0][0]
        loads = con.sql("select count(*) from raw._load_log").fetchall()[0][0]
    assert second.skipped and second.rows == first.rows == rows == 1
    assert loads == 1


def test_a_changed_file_replaces_the_table(tmp_path):
    _write_spend(tmp_path, ["2026/01,展示会,100"])
    with duckdb.connect() as con:
        load_export(con, SPEND, tmp_path)
        _write_spend(tmp_path, ["2026/01,展示会,100", "2026/02,展示会,200"])
        result = load_export(con, SPEND, tmp_path)
        rows = con.sql("select count(*) from raw.marketing_spend_monthly").fetchall()[0][0]
    assert not result.skipped and result.rows == rows == 2


def test_missing_column_names_file_column_and_found_columns(tmp_path):
    (tmp_path / "crm_leads.csv").write_text("Lead ID,Email\nL1,a@b.jp\n", encoding="utf-8")
    with duckdb.connect() as con, pytest.raises(ExportError) as error:
        load_export(con, LEADS, tmp_path)
    message = str(error.value)
    assert (
        "crm_leads.csv" in message and "account_id" in message and "Columns found: Lead ID, Email" in message
    )


def test_missing_file_says_what_to_do(tmp_path):
    with (
        duckdb.connect() as con,
        pytest.raises(ExportError, match=r"expected crm_leads\.csv or crm_leads\.parquet.*make generate"),
    ):
        load_export(con, LEADS, tmp_path)


def test_failed_load_keeps_the_previous_table(tmp_path):
    _write_spend(tmp_path, ["2026/01,展示会,100"])
    with duckdb.connect() as con:
        load_export(con, SPEND, tmp_path)
        (tmp_path / "marketing_spend_monthly.csv").write_text(
            "Month,Channel\n2026/02,紹介\n", encoding="utf-8"
        )
        with pytest.raises(ExportError, match="spend_jpy"):
            load_export(con, SPEND, tmp_path)
        assert con.sql("select spend_jpy from raw.marketing_spend_monthly").fetchall() == [("100",)]


def test_header_that_looks_like_sql_is_only_a_name(tmp_path):
    (tmp_path / "marketing_spend_monthly.csv").write_text(
        'Month,Channel,Spend (JPY),"x"" from t; drop table raw._load_log; --"\n2026/01,紹介,1,evil\n',
        encoding="utf-8",
    )
    with duckdb.connect() as con:
        load_export(con, SPEND, tmp_path)
        columns = [row[0] for row in con.sql("describe raw.marketing_spend_monthly").fetchall()]
        assert "x_from_t_drop_table_raw_load_log" in columns
        assert con.sql("select count(*) from raw._load_log").fetchall()[0][0] == 1
