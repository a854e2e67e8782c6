"""The UDFs exposed to SQL: name, Python function, argument and result types.

Adding a UDF means writing a pure function in a topic module and one ``UdfSpec`` line here; the dbt
plugin and the tests read this list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from duckdb import sqltypes

from scoring_udfs import business_time, japanese_text, privacy
from scoring_udfs.vectorize import over_arrays, over_rows, over_unique_values


@dataclass(frozen=True)
class UdfSpec:
    """A UDF: one-argument functions run once per distinct value, others once per row, or once per
    chunk when ``columnwise`` gives their numpy form over whole columns."""

    name: str
    function: Callable[..., Any]
    parameters: tuple[sqltypes.DuckDBPyType, ...]
    result: sqltypes.DuckDBPyType
    arrow_result: pa.DataType
    columnwise: Callable[..., Any] | None = None

    def arrow_function(self) -> Callable[..., pa.Array]:
        """The function DuckDB and Spark call: Arrow columns in, an Arrow column out."""
        if self.columnwise:
            return over_arrays(self.columnwise, self.function, self.arrow_result)
        return (over_unique_values if len(self.parameters) == 1 else over_rows)(
            self.function, self.arrow_result
        )


UDFS: tuple[UdfSpec, ...] = (
    UdfSpec(
        "normalize_text", japanese_text.normalize_text, (sqltypes.VARCHAR,), sqltypes.VARCHAR, pa.string()
    ),
    UdfSpec(
        "normalize_company_name",
        japanese_text.normalize_company_name,
        (sqltypes.VARCHAR,),
        sqltypes.VARCHAR,
        pa.string(),
    ),
    UdfSpec(
        "normalize_prefecture",
        japanese_text.normalize_prefecture,
        (sqltypes.VARCHAR,),
        sqltypes.VARCHAR,
        pa.string(),
    ),
    UdfSpec(
        "parse_japanese_number",
        japanese_text.parse_japanese_number,
        (sqltypes.VARCHAR,),
        sqltypes.BIGINT,
        pa.int64(),
    ),
    UdfSpec("person_key", privacy.person_key, (sqltypes.VARCHAR,), sqltypes.VARCHAR, pa.string()),
    UdfSpec(
        "business_hours_between",
        business_time.business_hours_between,
        (sqltypes.TIMESTAMP, sqltypes.TIMESTAMP, sqltypes.INTEGER, sqltypes.INTEGER, sqltypes.INTEGER),
        sqltypes.DOUBLE,
        pa.float64(),
        business_time.business_hours_between_many,
    ),
)
