"""The DuckDB file of a Spark build: views over each Spark table's Parquet folder replace what an
earlier build left (DuckDB's own tables or older views), the evaluation's tables stay, and the
folders of older builds go once neither Spark nor the published file reads them. No Spark needed:
the "Spark tables" here are Parquet folders DuckDB writes."""

import duckdb
import pytest

from spark_engine.serving_catalog import folders_in_use, remove_unused_runs, write_catalog


def _parquet_table(folder, rows: int):
    folder.mkdir(parents=True)
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select range as lead_id, range * 1.5 as total_score from range({rows})) "
            f"to '{folder / 'part-0.parquet'}' (format parquet)"
        )


def _table(schema, name, location, columns=(("lead_id", "bigint"), ("total_score", "double"))):
    return {"schema": schema, "name": name, "location": f"file:{location}", "columns": list(columns)}


@pytest.fixture
def warehouse(tmp_path):
    """A file as a DuckDB build and the evaluation left it, and two Spark builds' folders."""
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.fct_lead_scores as select 1 as lead_id, 9.0 as total_score")
        connection.execute("create table marts.fct_lead_predictions as select 1 as lead_id, 0.3 as chance")
    runs = tmp_path / "spark" / "runs"
    _parquet_table(runs / "old" / "mart_dropped", 2)
    _parquet_table(runs / "new" / "fct_lead_scores", 5)
    return database, runs


def test_views_replace_tables_and_old_views_and_leave_the_evaluation_tables(warehouse):
    database, runs = warehouse
    write_catalog(database, [_table("marts", "mart_dropped", runs / "old" / "mart_dropped")])
    empty = runs / "new" / "mart_empty"
    empty.mkdir()
    tables = [
        _table("marts", "fct_lead_scores", runs / "new" / "fct_lead_scores"),
        _table("marts", "mart_empty", empty, columns=[("owner_id", "string"), ("amount", "decimal(12,2)")]),
    ]
    assert write_catalog(database, tables) == 2
    with duckdb.connect(str(database), read_only=True) as connection:
        kinds = dict(
            connection.execute(
                "select table_name, table_type from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        )
        assert kinds == {
            "fct_lead_scores": "VIEW",
            "mart_empty": "VIEW",
            "fct_lead_predictions": "BASE TABLE",
        }
        [(total,)] = connection.execute("select sum(total_score) from marts.fct_lead_scores").fetchall()
        assert total == 15.0
        # An empty Spark table without any Parquet file is a typed empty view.
        assert connection.execute("describe marts.mart_empty").fetchall()[1][1] == "DECIMAL(12,2)"
        assert connection.execute("select count(*) from marts.mart_empty").fetchall() == [(0,)]


def test_only_folders_nothing_reads_are_removed(warehouse, tmp_path):
    database, runs = warehouse
    _parquet_table(runs / "published" / "fct_lead_scores", 1)
    _parquet_table(runs / "history" / "fct_lead_scores_daily", 1)
    published = tmp_path / "published.duckdb"
    write_catalog(published, [_table("marts", "fct_lead_scores", runs / "published" / "fct_lead_scores")])
    # Spark's tables: this build's and an incremental table created by an earlier build.
    spark_now = [
        _table("marts", "fct_lead_scores", runs / "new" / "fct_lead_scores"),
        _table("marts", "fct_lead_scores_daily", runs / "history" / "fct_lead_scores_daily"),
    ]
    in_use = folders_in_use(spark_now, published)
    assert in_use == {"new", "history", "published"}
    assert remove_unused_runs(runs.parent, in_use, current="new") == ["old"]
    assert sorted(path.name for path in runs.iterdir()) == ["history", "new", "published"]
