"""Chunked export writers: one file per export, appended chunk by chunk, so memory stays flat."""

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

FORMATS = ("csv", "parquet")


class ExportWriter:
    """Writes Arrow tables with the same schema to ``<directory>/<name>.<format>``, one chunk at a time.

    All columns are strings, as exports are: numbers and dates are already formatted the way the
    exporting tool formats them.
    """

    def __init__(self, directory: Path, name: str, columns: list[str], file_format: str) -> None:
        if file_format not in FORMATS:
            raise ValueError(f"unknown format {file_format!r}; choose one of {', '.join(FORMATS)}")
        self.path = directory / f"{name}.{file_format}"
        self.schema = pa.schema([(column, pa.string()) for column in columns])
        self.rows = 0
        if file_format == "csv":
            options = pa_csv.WriteOptions(quoting_style="needed")
            self._writer = pa_csv.CSVWriter(self.path, self.schema, write_options=options)
        else:
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")

    def write(self, columns: dict[str, list | pa.Array]) -> None:
        table = pa.table({name: columns[name] for name in self.schema.names}, schema=self.schema)
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()
