"""The UDFs as SQL sees them: registered by the dbt plugin, vectorised, null-safe."""

import duckdb
import pyarrow as pa
import pytest

from scoring_udfs.dbt_plugin import Plugin, register_udfs
from scoring_udfs.registry import UDFS
from scoring_udfs.vectorize import over_unique_values


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        register_udfs(con)
        yield con


def test_every_registered_udf_is_callable_from_sql(connection):
    for spec in UDFS:
        nulls = ", ".join("null" for _ in spec.parameters)
        assert connection.sql(f"select {spec.name}({nulls})").fetchall() == [(None,)]


def test_udfs_give_exact_values_in_sql(connection):
    rows = connection.sql(
        "select normalize_company_name(name), normalize_prefecture(pref), parse_japanese_number(revenue) "
        "from (values ('(株)ＡＢＣ', '東京', '10億円'), ('㈱X', 'Tokyo', '5,000万円'), (null, null, null)) "
        "as t(name, pref, revenue)"
    ).fetchall()
    assert rows == [("ABC", "東京都", 1_000_000_000), ("X", "東京都", 50_000_000), (None, None, None)]


def test_udfs_keep_row_order_across_many_chunks(connection):
    # 10,000 rows span several 2,048-row chunks; repeated values are computed once per chunk.
    rows = connection.sql(
        "select i, parse_japanese_number(cast(i % 7 as varchar) || '万円') from range(10000) t(i) order by i"
    ).fetchall()
    assert all(value == (i % 7) * 10_000 for i, value in rows)


def test_registering_twice_replaces_instead_of_failing(connection):
    register_udfs(connection)
    assert connection.sql("select normalize_prefecture('大阪')").fetchall() == [("大阪府",)]


def test_plugin_configures_each_connection():
    plugin = Plugin(name="scoring_udfs", plugin_config={})
    with duckdb.connect() as con:
        plugin.configure_connection(con)
        assert con.sql("select normalize_text('ＡＢＣ')").fetchall() == [("ABC",)]


def test_over_unique_values_calls_once_per_distinct_value():
    calls = []

    def shout(value):
        calls.append(value)
        return None if value is None else value.upper()

    result = over_unique_values(shout, pa.string())(pa.array(["a", "b", "a", None, "a"]))
    assert result.to_pylist() == ["A", "B", "A", None, "A"]
    assert sorted(calls) == ["a", "b"]
