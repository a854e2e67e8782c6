"""Lines are the unit of the loader's accounting: one quarantine row per bad line, shares over lines,
rows read = loaded + quarantined + not selected for every file, refused ones included."""

import duckdb
import pytest

from export_loader.raw_exports import RAW_EXPORTS_BY_TABLE
from export_loader.raw_load import ExportError, load_export
from export_loader.refusals import REFUSED_FILES, REFUSED_LINES, load_log_for

LEADS = RAW_EXPORTS_BY_TABLE["crm_leads"]
ACTIVITIES = RAW_EXPORTS_BY_TABLE["ma_activities"]
HEADER = "Activity ID,Lead ID,Activity Type,Activity Date,Web Page URL"


def _activity(number: int, when: str = "2026/01/05 10:00", lead: str = "L1") -> str:
    return f"X{number},{lead},Visit Web Page,{when},https://example.jp/p"


def _load(con, folder, text: str, load_log=None):
    (folder / "crm_leads.csv").write_text(
        "Lead ID,Email,Created Date\nL1,a@b.co.jp,2026/01/01 09:00\n", encoding="utf-8"
    )
    load_export(con, LEADS, folder)
    (folder / "ma_activities.csv").write_text(text, encoding="utf-8")
    return load_export(con, ACTIVITIES, folder, load_log=load_log)


def _counts(con):
    return con.sql(
        "select rows_read, rows_loaded, rows_quarantined, rows_not_selected, status from raw._file_loads "
        "where table_name = 'ma_activities'"
    ).fetchall()


def test_two_percent_short_lines_load_with_exactly_those_lines_quarantined(tmp_path):
    # Data line n is file line n + 2; every 50th line lost its last three fields.
    lines = [f"X{n},L1" if n % 50 == 7 else _activity(n) for n in range(1000)]
    with duckdb.connect() as con:
        result = _load(con, tmp_path, "\n".join([HEADER, *lines]) + "\n")
        quarantined = con.sql(
            "select line_number, reason, original_text from raw._quarantine order by 1"
        ).fetchall()
        line_of = dict(con.sql("select activity_id, _line_number from raw.ma_activities").fetchall())
        assert _counts(con) == [(1000, 980, 20, 0, "loaded")]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1000, 980, 20)
    assert [row[0] for row in quarantined] == [n + 2 for n in range(1000) if n % 50 == 7]
    assert quarantined[0][1:] == (
        "malformed line: missing columns (Activity Date, Activity Type, Web Page URL)",
        "X7,L1",
    )
    # Rows after a malformed line keep the line number a text editor shows.
    assert line_of["X8"] == 10 and line_of["X999"] == 1001 and line_of["X6"] == 8


def test_a_truncated_last_line_is_one_quarantined_line(tmp_path):
    text = "\n".join([HEADER, *(_activity(n) for n in range(109)), "X109,L1,Visit Web"])  # no newline
    with duckdb.connect() as con:
        result = _load(con, tmp_path, text)
        [(line, reason)] = con.sql("select line_number, reason from raw._quarantine").fetchall()
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (110, 109, 1)
    assert line == 111 and reason.startswith("malformed line: missing columns")


def test_a_line_with_several_problems_is_one_quarantine_row(tmp_path):
    lines = [_activity(n) for n in range(100)]
    lines[4] = _activity(4, when="yesterday", lead="L404")
    with duckdb.connect() as con:
        result = _load(con, tmp_path, "\n".join([HEADER, *lines]) + "\n")
        rows = con.sql("select line_number, column_name, reason from raw._quarantine").fetchall()
    assert result.rows_quarantined == 1
    assert rows == [
        (
            6,
            "activity_date, lead_id",
            "activity_date: unparseable date; lead_id: unknown lead_id (not in raw.crm_leads)",
        )
    ]


def test_a_refused_file_reconciles_and_stays_explained_in_the_load_log(tmp_path):
    lines = [_activity(n, when="2099/01/01 00:00" if n % 10 == 0 else "2026/01/05 10:00") for n in range(500)]
    lines[3] = "X3,L1"
    text = "\n".join([HEADER, *lines]) + "\n"
    load_log = load_log_for(tmp_path / "warehouse.duckdb")
    for _ in range(2):  # dropped again, the file's refusal replaces the earlier one
        with duckdb.connect() as con:
            with pytest.raises(ExportError) as refused:
                _load(con, tmp_path, text, load_log=load_log)
            assert con.sql("select count(*) from raw.ma_activities").fetchall() == [(0,)]
    message = str(refused.value)
    assert "refused: 51 of 500 lines fail checks (10.2%)" in message
    assert "activity_date: date in the future: 50 lines (first: line 2)" in message
    assert "malformed line: missing columns (Activity Date, Activity Type, Web Page URL): 1 lines" in message
    assert f"{load_log} (tables {REFUSED_FILES} and {REFUSED_LINES})" in message
    assert "). ;" not in message and ". ." not in message
    with duckdb.connect(str(load_log), read_only=True) as log:
        [(read, loaded, quarantined, not_selected, reasons)] = log.sql(
            f"select rows_read, rows_loaded, rows_quarantined, rows_not_selected, reasons "
            f"from {REFUSED_FILES}"
        ).fetchall()
        by_reason = dict(
            log.sql(f"select split_part(reason, ':', 1), count(*) from {REFUSED_LINES} group by 1").fetchall()
        )
    assert read == loaded + quarantined + not_selected == 500 and loaded == 0
    assert by_reason == {"activity_date": 50, "malformed line": 1, "held back": 449}
    assert "date in the future" in reasons
