"""The order the loader tries timestamp formats in: the ones a file's event times use first.

DuckDB's try_strptime with a list of formats tries them in order, and a format that fails costs about
ten times one that matches (a 2.2M-row column: 1.22 s when the matching format is third of six, 0.14 s
when it is first). Exports use one format throughout, so putting the one a sample of the file matches
first makes the parse of an event-sized file that much cheaper. Reordering must not change a result:
it is done only when no value can match two of the formats (see ``exclusive``); otherwise the
configured order, which is then a priority, stands.
"""

import re

import duckdb

from warehouse_core.sql_text import quote_identifier

SAMPLE_ROWS = 1000
# Specifiers that read digits only: a value's other characters must then be the format's literals.
_DIGIT_SPECIFIERS = set("YmdHMS")
_SPECIFIER = re.compile(r"%(.)")


def _literal_shape(format_: str) -> str | None:
    """The characters a value must hold besides digits (whitespace ignored: strptime skips runs of
    it), or None when the format has a specifier that may read something other than digits."""
    if any(specifier not in _DIGIT_SPECIFIERS for specifier in _SPECIFIER.findall(format_)):
        return None
    return "".join(_SPECIFIER.sub("", format_).split())


def exclusive(formats: list[str]) -> bool:
    """True when no value can match two of ``formats``: each reads digits only between literals, and
    no two have the same literals (``%d/%m/%Y`` and ``%m/%d/%Y`` do: "01/02/2026" matches both)."""
    shapes = [_literal_shape(format_) for format_ in formats]
    return None not in shapes and len(set(shapes)) == len(shapes)


def in_file_order(
    connection: duckdb.DuckDBPyConnection, formats: list[str], table: str, columns: list[str]
) -> list[str]:
    """``formats`` with those that most of a sample of ``columns`` (text columns of ``table``) match
    first, when that cannot change what a value parses to; else ``formats`` as they are."""
    if len(formats) < 2 or not columns or not exclusive(formats):
        return formats
    sample = " union all ".join(
        f"(select trim({quote_identifier(column)}) as value from {table} "
        f"where {quote_identifier(column)} is not null limit {SAMPLE_ROWS})"
        for column in columns
    )
    counts = connection.execute(
        f"select {', '.join(f'count(try_strptime(value, $f{index}))' for index in range(len(formats)))} "
        f"from ({sample})",
        {f"f{index}": format_ for index, format_ in enumerate(formats)},
    ).fetchall()[0]
    # Most matches first; ties keep the configured order (sorted is stable).
    return [format_ for _, format_ in sorted(zip(counts, formats, strict=True), key=lambda pair: -pair[0])]
