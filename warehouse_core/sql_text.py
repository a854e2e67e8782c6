"""Names and texts from files, profiles and settings, made safe to place in SQL: the one place that
quotes them (values themselves are always bound parameters)."""


def quote_identifier(name: str) -> str:
    """A column or table name as a DuckDB identifier: "x"" from t" stays a name."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A text known to our code (a column name, a reason) as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
