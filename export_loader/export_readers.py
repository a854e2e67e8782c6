"""Read one export file into a temporary DuckDB table of text, whatever its format and encoding.

CSV and TSV are read by DuckDB (fast at any size; BOM, CRLF, quoted newlines and a trailing delimiter
on every line handled); a file in another encoding (UTF-16, CP932 as Windows and Excel write it,
EUC-JP; detected by export_loader/encodings.py or declared in the profile) is transcoded first,
strictly: a byte that does not decode fails the load, naming the file and line, instead of turning
into mojibake. Malformed lines (a wrong number of fields) are kept aside by
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

from export_loader.encodings import EncodingError, detect_encoding
from export_loader.profiles import ExportSpec
from warehouse_core.sql_text import quote_identifier

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


class _Undecodable(Exception):
    def __init__(self, offset: int, line: int, data: bytes) -> None:
        super().__init__(offset, line, data)
        self.offset, self.line, self.data = offset, line, data


def _decode_stream(path: Path, encoding: str, sink=None) -> None:
    """Decode ``path`` strictly in blocks (memory stays flat), writing the text to ``sink`` if given;
    raises _Undecodable at the first byte that is not ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line, offset = 1, 0
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as error:
                start = max(error.start, 0)
                raise _Undecodable(
                    offset + start, line + block[:start].count(b"\n"), block[start : start + 4]
                ) from error
            line += block.count(b"\n")
            offset += len(block)
            if sink is not None:
                sink.write(text)
        text = decoder.decode(b"", final=True)
        if sink is not None:
            sink.write(text)


def _transcode(path: Path, encoding: str, folder: Path) -> Path:
    """A UTF-8 copy of ``path``, decoded strictly: a byte that is not ``encoding`` fails the load,
    naming the line, instead of turning into mojibake."""
    target = folder / (path.stem + ".utf8" + path.suffix)
    with target.open("w", encoding="utf-8", newline="") as sink:
        try:
            _decode_stream(path, encoding, sink)
        except _Undecodable as error:
            raise ExportReadError(
                f"{path.name} is not valid {encoding} (line {error.line}, bytes {error.data!r}): part of "
                "the file is in another encoding. Save it as UTF-8, or set `encoding:` (utf-8, cp932, "
                "euc_jp, utf-16) in its export profile."
            ) from error
    return target


# Profile encodings as Python names; "auto" is detected (export_loader/encodings.py).
_DECLARED = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp932": "cp932",
    "shift_jis": "cp932",
    "euc_jp": "euc_jp",
    "utf-16": "utf-16",
}


def _detected(path: Path, start: int = 0) -> str:
    try:
        return detect_encoding(path, start)
    except EncodingError as error:
        try:
            _decode_stream(path, "utf-8")
            where = ""
        except _Undecodable as first:
            where = f" The first byte that is not UTF-8 is on line {first.line} ({first.data!r})."
        raise ExportReadError(f"{error}{where}") from error


def _read_text_export(
    connection: duckdb.DuckDBPyConnection, path: Path, spec: ExportSpec, delimiter: str, folder: Path
) -> str:
    """Read a CSV/TSV into the staged table, decoded from its declared or detected encoding; returns
    the encoding. UTF-8 is read by DuckDB in place; other encodings through a strict UTF-8 copy."""
    declared = _DECLARED.get(spec.encoding)
    encoding = declared or _detected(path)
    source = path if encoding == "utf-8" else _transcode(path, encoding, folder)
    if not _read_csv(connection, source, spec, delimiter):
        return encoding
    if declared:
        _transcode(path, declared, folder)  # raises, naming the line
    # The sample read as UTF-8 but a later part is not: detect the encoding where that part starts.
    try:
        _decode_stream(path, "utf-8")
    except _Undecodable as error:
        with path.open("rb") as handle:
            handle.seek(max(0, error.offset - 65536))
            before = handle.read(error.offset - handle.tell())
        encoding = _detected(path, error.offset - len(before) + before.rfind(b"\n") + 1)
    source = _transcode(path, encoding, folder)
    if _read_csv(connection, source, spec, delimiter):
        raise ExportReadError(f"{path.name}: invalid characters after decoding as {encoding}.")
    return encoding


def _read_csv(connection: duckdb.DuckDBPyConnection, path: Path, spec: ExportSpec, delimiter: str) -> bool:
    """Read a UTF-8 CSV into the staged table; True if it turned out not to be UTF-8."""
    connection.execute(f"drop table if exists {REJECTS}")
    connection.execute(f"drop table if exists {REJECTS}_scan")
    try:
        connection.execute(
            f"create or replace temp table {STAGED} as select *, "
            "row_number() over () + $header_row as _line_number "
            "from read_csv($path, header = true, all_varchar = true, delim = $delim, quote = '\"', "
            f"escape = '\"', skip = $skip, store_rejects = true, rejects_table = '{REJECTS}', "
            f"rejects_scan = '{REJECTS}_scan', null_padding = false)",
            {
                "path": str(path),
                "delim": delimiter,
                "skip": spec.header_row - 1,
                "header_row": spec.header_row,
            },
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
            encoding = _read_text_export(connection, path, spec, delimiter, Path(folder))
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

    Rows were numbered from the line after the header in the order read (_read_csv), without the
    rejected lines: the r-th row read sits after every rejected line whose rank j and data position
    b satisfy b - j < r (b - j rows read come before it), so it moves down by that many lines."""
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
