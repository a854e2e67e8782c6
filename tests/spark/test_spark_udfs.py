"""The UDFs on Apache Spark: registered from the same Python functions as on DuckDB, they return the
same value for every input, hostile ones included, and the documented values for a few."""

import os
import sys

import duckdb
import pandas as pd
import pytest

from scoring_udfs.dbt_plugin import register_udfs
from scoring_udfs.spark_udfs import register_spark_udfs

TEXTS = [
    "(株)ＡＢＣ",
    "ＡＢＣ株式会社",
    "㈱山田精機",
    "（株）さくら　商事",
    "ABC Co., Ltd.",
    "ｻｸﾗﾃｯｸ株式会社",
    "株式会社",
    "東京",
    "Tokyo",
    "TOKYO-TO",
    "Osaka-fu",
    "東京都千代田区丸の内1-1",
    "　福岡　",
    "火星",
    "　ＡＢＣ　ｶﾀｶﾅ  部長 ",
    "   ",
    "",
    None,
]
NUMBERS = [
    "10億円",
    "5,000万円",
    "1億2,000万円",
    "3.5億円",
    "１０億円",
    "￥12,000,000",
    "約1,200名",
    "3千人",
    "100〜499名",
    "1兆円",
    "非公開",
    "10億円くらい",
    "-5000000",
    "",
    None,
]
# Handoff and first contact (UTC): a weekend, Showa Day, Golden Week, a missing start.
CLOCK = [
    ("2026-10-16 09:00:00", "2026-10-19 01:00:00"),
    ("2026-04-28 08:00:00", "2026-04-30 01:00:00"),
    ("2026-05-01 08:00:00", "2026-05-07 01:00:00"),
    ("2026-06-08 01:00:00", "2026-06-11 02:00:00"),
    (None, "2026-06-11 02:00:00"),
]
TEXT_SQL = (
    "select value, normalize_text(value) as text, normalize_company_name(value) as company, "
    "normalize_prefecture(value) as prefecture, person_key(value) as person from texts order by position"
)
NUMBER_SQL = "select value, parse_japanese_number(value) as number from numbers order by position"
CLOCK_SQL = (
    "select business_hours_between(handed_at, contacted_at, 9, 9, 18) as business, "
    "business_hours_between(handed_at, contacted_at, 9, 0, 24) as paused from clock order by position"
)


def _inputs() -> dict[str, pd.DataFrame]:
    clock = pd.DataFrame(CLOCK, columns=["handed_at", "contacted_at"]).apply(pd.to_datetime)
    return {
        "texts": pd.DataFrame({"position": range(len(TEXTS)), "value": pd.Series(TEXTS, dtype=object)}),
        "numbers": pd.DataFrame({"position": range(len(NUMBERS)), "value": pd.Series(NUMBERS, dtype=object)}),
        "clock": clock.assign(position=range(len(CLOCK))),
    }


@pytest.fixture(scope="module")
def spark(java):
    from pyspark.sql import SparkSession

    # Spark's Python workers start with this environment: our interpreter, and person_key's salt.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("LEAD_WAREHOUSE_PII_SALT", "spark-test-salt")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("lead-warehouse-udf-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    register_spark_udfs(session)
    for name, frame in _inputs().items():
        session.createDataFrame(frame).createOrReplaceTempView(name)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def duck():
    connection = duckdb.connect()
    register_udfs(connection)
    for name, frame in _inputs().items():
        connection.register(name, frame)
    yield connection
    connection.close()


def _spark_rows(spark, sql: str) -> list[tuple]:
    return [tuple(row) for row in spark.sql(sql).collect()]


@pytest.mark.parametrize("sql", [TEXT_SQL, NUMBER_SQL, CLOCK_SQL], ids=["text", "numbers", "clock"])
def test_spark_and_duckdb_give_the_same_value_for_every_input(spark, duck, sql):
    assert _spark_rows(spark, sql) == duck.execute(sql).fetchall()


def test_spark_gives_the_documented_values(spark):
    texts = {row[0]: row[1:4] for row in _spark_rows(spark, TEXT_SQL)}
    assert texts["（株）さくら　商事"][1] == "さくら 商事"
    assert texts["TOKYO-TO"][2] == "東京都"
    assert texts["   "] == (None, None, None)
    numbers = dict(_spark_rows(spark, NUMBER_SQL))
    assert (numbers["1億2,000万円"], numbers["3千人"], numbers["非公開"]) == (120_000_000, 3_000, None)
    # Friday 18:00 JST to Monday 10:00: 1 working hour, 16 hours on the paused clock; no start, no hours.
    assert _spark_rows(spark, CLOCK_SQL)[0] == (1.0, 16.0)
    assert _spark_rows(spark, CLOCK_SQL)[-1] == (None, None)
