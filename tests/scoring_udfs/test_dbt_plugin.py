"""The UDFs as SQL sees them: registered by the dbt plugin, vectorised, null-safe."""

import duckdb
import pyarrow as pa
import pytest

from scoring_udfs.business_time import business_hours_between
from scoring_udfs.dbt_plugin import Plugin, apply_resource_limits, register_udfs
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


def test_resource_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LEAD_WAREHOUSE_DUCKDB_THREADS", "1")
    monkeypatch.setenv("LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT", "512MB")
    with duckdb.connect() as con:
        apply_resource_limits(con)
        threads, memory = con.sql(
            "select current_setting('threads'), current_setting('memory_limit')"
        ).fetchall()[0]
    assert threads == 1
    assert memory.startswith("488") and "MiB" in memory  # 512 MB shown in MiB


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEAD_WAREHOUSE_DUCKDB_THREADS", "two"),
        ("LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT", "4GB'; drop table x; --"),
    ],
)
def test_malformed_resource_limits_are_refused(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with duckdb.connect() as con, pytest.raises(ValueError, match=variable):
        apply_resource_limits(con)


def test_business_hours_in_sql_equal_the_row_function_to_the_bit(connection):
    # 20,000 random spans of up to two years (across Golden Week, New Year, year ends), ends before
    # starts, nulls in every argument, and both clocks: SQL runs the column-wise form chunk by chunk,
    # through Arrow; the row function runs it on one row at a time.
    rows = connection.sql(
        """
        select
            case when i % 97 = 0 then null else timestamp '2025-12-20' + to_microseconds(s) end,
            case when i % 89 = 0 then null else timestamp '2025-12-20' + to_microseconds(s + d) end,
            case when i % 83 = 0 then null else 9 end,
            case when i % 2 = 0 then 9 else 0 end,
            case when i % 79 = 0 then null when i % 2 = 0 then 18 else 24 end
        from (
            select i, cast(hash(i) % 40000000000000 as bigint) as s,
                cast(hash(i + 1) % 60000000000000 as bigint) - 1000000000000 as d
            from range(20000) t(i)
        )
        order by i
        """
    ).fetchall()
    columns = ["started", "ended", "offset_hours", "opens", "closes"]
    given = pa.table({name: [row[n] for row in rows] for n, name in enumerate(columns)})
    connection.register("given", given)
    arguments = ", ".join([*columns[:2], *(f"cast({name} as integer)" for name in columns[2:])])
    in_sql = connection.sql(f"select business_hours_between({arguments}) from given").fetchall()
    expected = [business_hours_between(*row) for row in rows]
    assert [value for (value,) in in_sql] == expected
    assert sum(value is None for value in expected) > 700
    assert len({value for value in expected if value}) > 10000
