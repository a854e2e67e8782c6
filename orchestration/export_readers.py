"""Read one export file into a temporary DuckDB table of text, whatever its format and encoding.

CSV and TSV are read by DuckDB (fast at any size; BOM, CRLF, quoted newlines and a trailing delimiter
on every line handled); a file that is not UTF-8 is transcoded from CP932 (Shift_JIS as Windows and
Excel write it) first, strictly: a byte that is neither fails the load, naming the file and line,
instead of turning into mojibake. Malformed lines (a wrong number of fields) are kept aside by
DuckDB with their line number and text, for the quarantine. Excel .xlsx is read by pandas/openpyxl,
Parquet by DuckDB. Every table gets ``_line_number``: the row as a spreadsheet shows it.
"""

import codecs
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.profiles import ExportSpec
from orchestration.sql_text import quote_identifier

STAGED = "_staged_export"
REJECTS = "_staged_rejects"
_AUTO_NAMED = re.compile(r"^column\d+$")
_NOT_UTF8 = "not utf-8 encoded"


class ExportReadError(Exception):
    """The file cannot be read as declared; the message names it and says what to do."""


@dataclass(frozen=True)
class MalformedLine:
    line_number: int
    reason: str
    text: str


@dataclass(frozen=True)
class StagedExport:
    headers: list[str]
    rows: int
    malformed: list[MalformedLine]
    encoding: str


def _transcode(path: Path, encoding: str, folder: Path) -> Path:
    """A UTF-8 copy of ``path``, decoded strictly, streamed (memory stays flat)."""
    target = folder / (path.stem + ".utf8" + path.suffix)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        for block in iter(lambda: source.read(1 << 20), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as error:
                bad_line = line + block[: error.start].count(b"\n")
                bad_bytes = error.object[error.start : error.end]
                raise ExportReadError(
                    f"{path.name} is not valid {encoding} (line {bad_line}, bytes {bad_bytes!r}). "
                    "Save it as UTF-8 or CP932 (Shift_JIS), or set `encoding:` in its export profile."
                ) from error
            line += block.count(b"\n")
            sink.write(text)
        sink.write(decoder.decode(b"", final=True))
    return target


def _read_csv(connection: duckdb.DuckDBPyConnection, path: Path, spec: ExportSpec, delimiter: str) -> bool:
    """Read a UTF-8 CSV into the staged table; True if it turned out not to be UTF-8."""
    connection.execute(f"drop table if exists {REJECTS}")
    connection.execute(f"drop table if exists {REJECTS}_scan")
    try:
        connection.execute(
            f"create or replace temp table {STAGED} as select *, row_number() over () as _line_number "
            "from read_csv($path, header = true, all_varchar = true, delim = $delim, quote = '\"', "
            f"escape = '\"', skip = $skip, store_rejects = true, rejects_table = '{REJECTS}', "
            f"rejects_scan = '{REJECTS}_scan', null_padding = false)",
            {"path": str(path), "delim": delimiter, "skip": spec.header_row - 1},
        )
    except duckdb.InvalidInputException as error:
        if _NOT_UTF8 in str(error):
            return True
        raise ExportReadError(f"Cannot read {path.name} as a delimited text file: {error}") from error
    return bool(
        connection.execute(
            f"select count(*) from {REJECTS} where error_type = 'INVALID ENCODING'"
        ).fetchall()[0][0]
    )


def stage_export(connection: duckdb.DuckDBPyConnection, path: Path, spec: ExportSpec) -> StagedExport:
    """Read ``path`` into the temp table ``_staged_export`` (every column text, plus _line_number)."""
    file_format = spec.file_format(path)
    encoding = "utf-8"
    malformed: list[MalformedLine] = []
    with tempfile.TemporaryDirectory() as folder:
        if file_format in ("csv", "tsv"):
            delimiter = "\t" if file_format == "tsv" else (spec.delimiter or ",")
            source = path
            if spec.encoding in ("cp932", "shift_jis"):
                source, encoding = _transcode(path, "cp932", Path(folder)), "cp932"
            if _read_csv(connection, source, spec, delimiter):
                if spec.encoding != "auto":
                    _transcode(
                        path, "utf-8" if encoding == "utf-8" else "cp932", Path(folder)
                    )  # raises, with the line
                source, encoding = _transcode(path, "cp932", Path(folder)), "cp932"
                if _read_csv(connection, source, spec, delimiter):
                    raise ExportReadError(f"{path.name}: invalid characters after decoding as CP932.")
            malformed = _malformed_lines(connection)
        elif file_format == "xlsx":
            try:
                frame = pd.read_excel(path, sheet_name=spec.sheet or 0, header=spec.header_row - 1, dtype=str)
            except Exception as error:  # openpyxl raises many kinds for a broken workbook
                raise ExportReadError(f"Cannot read {path.name} as an Excel workbook: {error}") from error
            frame.columns = [str(column) for column in frame.columns]
            frame["_line_number"] = range(spec.header_row + 1, spec.header_row + 1 + len(frame))
            connection.register("_excel_frame", frame.astype(object).where(frame.notna(), None))
            connection.execute(
                f"create or replace temp table {STAGED} as select * replace "
                "(cast(_line_number as bigint) as _line_number) from _excel_frame"
            )
            connection.unregister("_excel_frame")
        elif file_format == "parquet":
            try:
                columns = [
                    row[0]
                    for row in connection.execute(
                        "describe select * from read_parquet($path)", {"path": str(path)}
                    ).fetchall()
                ]
            except duckdb.Error as error:
                raise ExportReadError(f"Cannot read {path.name} as Parquet: {error}") from error
            casts = ", ".join(
                f"cast({quote_identifier(c)} as varchar) as {quote_identifier(c)}" for c in columns
            )
            connection.execute(
                f"create or replace temp table {STAGED} as select {casts}, "
                "row_number() over () + 1 as _line_number from read_parquet($path)",
                {"path": str(path)},
            )
        else:
            raise ExportReadError(
                f"{path.name}: unsupported format {file_format!r}; use csv, tsv, xlsx or parquet."
            )
    if file_format in ("csv", "tsv"):
        _number_csv_lines(connection, spec.header_row, malformed)
    _drop_empty_unnamed_columns(connection)
    headers = [
        row[0] for row in connection.execute(f"describe {STAGED}").fetchall() if row[0] != "_line_number"
    ]
    rows = connection.execute(f"select count(*) from {STAGED}").fetchall()[0][0]
    return StagedExport(headers, rows, malformed, encoding)


def _malformed_lines(connection: duckdb.DuckDBPyConnection) -> list[MalformedLine]:
    """One entry per rejected line (DuckDB reports one row per problem: per missing column, say),
    with all of that line's problems in the reason."""
    lines = connection.execute(
        f"select line, list(distinct lower(cast(error_type as varchar))), "
        f"list(distinct column_name) filter (where column_name is not null), any_value(csv_line) "
        f"from {REJECTS} group by line order by line"
    ).fetchall()
    malformed = []
    for line, kinds, columns, text in lines:
        problems = sorted(kinds)
        if "missing columns" in problems and columns:
            problems[problems.index("missing columns")] = f"missing columns ({', '.join(sorted(columns))})"
        malformed.append(MalformedLine(int(line), "malformed line: " + "; ".join(problems), text or ""))
    return malformed


def _number_csv_lines(
    connection: duckdb.DuckDBPyConnection, header_row: int, malformed: list[MalformedLine]
) -> None:
    """Make _line_number the file line of each row (DuckDB numbers the rejected lines that way).

    Rows were numbered 1.. in the order read, without the rejected lines: the r-th row read sits
    after every rejected line whose rank j and data position b satisfy b - j < r (b - j rows read
    come before it), so it moves down by that many lines."""
    connection.execute(f"update {STAGED} set _line_number = _line_number + {int(header_row)}")
    if not malformed:
        return
    positions = [line.line_number - header_row - rank for rank, line in enumerate(malformed, start=1)]
    connection.execute(
        f"update {STAGED} set _line_number = _line_number + (select count(*) from "
        f"(select unnest($positions) as rows_before) where rows_before < {STAGED}._line_number - $header)",
        {"positions": positions, "header": int(header_row)},
    )


def _drop_empty_unnamed_columns(connection: duckdb.DuckDBPyConnection) -> None:
    """A trailing delimiter on every line makes a nameless, empty last column: drop such columns."""
    for (name,) in connection.execute(f"select column_name from (describe {STAGED})").fetchall():
        if _AUTO_NAMED.match(name) or name.startswith("Unnamed: "):
            quoted = quote_identifier(name)
            filled = connection.execute(f"select count({quoted}) from {STAGED}").fetchall()[0][0]
            if filled == 0:
                connection.execute(f"alter table {STAGED} drop column {quoted}")
