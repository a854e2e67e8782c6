"""Run a pure per-value function over an Arrow column, once per distinct value.

DuckDB hands an Arrow UDF 2,048-row chunks. CRM columns repeat a lot (prefectures, industries, job
titles), so computing each distinct value once and broadcasting with ``take`` keeps Python calls to
the number of distinct values instead of the number of rows. A function of several columns runs row
by row, or, when it has a column-wise numpy form, once per chunk (over_arrays).
"""

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def over_unique_values(fn: Callable[[Any], Any], result_type: pa.DataType) -> Callable[[pa.Array], pa.Array]:
    """Wrap ``fn`` (value -> value, ``None``-safe) as an Arrow-in, Arrow-out function."""

    def apply(values: pa.Array | pa.ChunkedArray) -> pa.Array:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        encoded = pc.dictionary_encode(values)
        mapped = pa.array([fn(value) for value in encoded.dictionary.to_pylist()], type=result_type)
        # Null rows have null indices, and take() keeps them null.
        return mapped.take(encoded.indices)

    apply.__name__ = fn.__name__
    apply.__doc__ = fn.__doc__
    return apply


def over_rows(fn: Callable[..., Any], result_type: pa.DataType) -> Callable[..., pa.Array]:
    """Wrap ``fn`` (several values -> value) as an Arrow function applied row by row.

    For functions of several columns whose combinations rarely repeat (timestamps); use them on
    lead-sized data only.
    """

    def apply(*columns: pa.Array | pa.ChunkedArray) -> pa.Array:
        values = [column.to_pylist() for column in columns]
        return pa.array([fn(*row) for row in zip(*values, strict=True)], type=result_type)

    apply.__name__ = fn.__name__
    apply.__doc__ = fn.__doc__
    # DuckDB checks the number of parameters against the declared argument types.
    apply.__signature__ = inspect.signature(fn)
    return apply


def over_arrays(
    many: Callable[..., np.ndarray], fn: Callable[..., Any], result_type: pa.DataType
) -> Callable[..., pa.Array]:
    """Wrap ``many``, the column-wise numpy form of ``fn``, as an Arrow function: timestamps reach it as
    datetime64[us] (NaT for null), numbers as float64 (NaN for null); NaN in its result is null."""

    def apply(*columns: pa.Array | pa.ChunkedArray) -> pa.Array:
        arrays = []
        for column in columns:
            if pa.types.is_timestamp(column.type):
                arrays.append(pc.cast(column, pa.timestamp("us")).to_numpy(zero_copy_only=False))
            else:
                arrays.append(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False))
        values = many(*arrays)
        return pa.array(values, mask=np.isnan(values), type=result_type)

    apply.__name__ = fn.__name__
    apply.__doc__ = fn.__doc__
    apply.__signature__ = inspect.signature(fn)
    return apply
