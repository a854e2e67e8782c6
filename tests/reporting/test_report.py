"""The weekly report renders from a built warehouse: three audiences, charts, and the band table."""

import re
import warnings

import duckdb

from reporting import report_charts
from reporting.report import write_report


def test_weekly_report_has_sections_charts_and_tables(built_warehouse, tmp_path):
    path = write_report(built_warehouse, tmp_path / "report.html")
    content = path.read_text(encoding="utf-8")
    for heading in ("Executives / 経営層", "Marketing / マーケティング", "Sales / 営業"):
        assert heading in content
    charts = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]{1000,})"', content)
    assert [alt for alt, _ in charts] == [
        "KPI trend",
        "Funnel",
        "SLA compliance",
        "Score band conversion",
        "Response by rep",
    ]
    # The article's band table, with its recommended actions.
    for action in ("維持・強化", "基準の見直し", "ナーチャリング強化", "アプローチ変更"):
        assert action in content
    # The two MQLs are named apart: handed off by the CRM, qualified by score.
    for column in ("handed_off_below_score", "score_qualified_not_handed_off", "mqls_handed_off"):
        assert f"<th>{column}</th>" in content


def test_the_report_renders_when_no_lead_has_an_owner(scratch_warehouse, tmp_path):
    with duckdb.connect(str(scratch_warehouse)) as connection:
        for table, column in connection.sql(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and column_name in ('owner_user_id', 'owner_name')"
        ).fetchall():
            connection.execute(f'update marts."{table}" set "{column}" = null')
    content = write_report(scratch_warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'alt="Response by rep"' in content


def test_the_charts_draw_japanese_text_with_a_font_that_has_it(built_warehouse):
    """matplotlib warns for every character its font lacks: with the IPAex font none may be missing."""
    with (
        duckdb.connect(str(built_warehouse), read_only=True) as connection,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        for chart in (report_charts.kpi_trend, report_charts.funnel, report_charts.response_by_rep):
            assert chart(connection).startswith(b"\x89PNG")
    missing = [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]
    assert missing == []
