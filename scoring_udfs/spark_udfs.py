"""The same UDFs for Apache Spark: each function of the registry (registry.py) registered in a Spark
session as a pandas UDF, through the same Arrow wrappers DuckDB uses (vectorize.py), so both engines
compute every value with one piece of Python.

Spark hands timestamps to Python in its session time zone: the session must use UTC
(``spark.sql.session.timeZone``), as every ``*_at`` column of the warehouse is UTC. ``person_key``
reads its salt from the environment of Spark's Python workers, which they inherit from the process
that started the session: set LEAD_WAREHOUSE_PII_SALT before starting it.
"""

import inspect

import pandas as pd
import pyarrow as pa

from scoring_udfs.registry import UDFS, UdfSpec

# Spark's SQL name of each result type the registry uses.
_SPARK_RESULT_TYPES = {pa.string(): "string", pa.int64(): "bigint", pa.float64(): "double"}


def _pandas_function(spec: UdfSpec):
    """Series in, Series out, with as many parameters as the UDF has (Spark counts them)."""
    apply = spec.arrow_function()

    def on_series(*columns: pd.Series) -> pd.Series:
        return apply(*(pa.Array.from_pandas(column) for column in columns)).to_pandas()

    # Spark reads the parameters and their Series type hints to choose a Series-to-Series UDF.
    names = [f"column_{number}" for number in range(len(spec.parameters))]
    on_series.__signature__ = inspect.Signature(
        [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=pd.Series)
            for name in names
        ],
        return_annotation=pd.Series,
    )
    on_series.__annotations__ = {**dict.fromkeys(names, pd.Series), "return": pd.Series}
    return on_series


def register_spark_udfs(spark) -> None:
    """Register every UDF of the registry in ``spark`` (a SparkSession), under its SQL name."""
    from pyspark.sql.functions import pandas_udf

    for spec in UDFS:
        spark.udf.register(
            spec.name, pandas_udf(_pandas_function(spec), _SPARK_RESULT_TYPES[spec.arrow_result])
        )
