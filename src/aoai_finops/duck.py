"""DuckDB connections configured the same way for every Python caller (loader, generator, CLI)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import duckdb


def connect(database: str | Path = ":memory:", *, read_only: bool = False, temp_dir: Path | None = None):
    """A DuckDB connection in UTC whose memory use is bounded (spills to `temp_dir` when given)."""
    connection = duckdb.connect(str(database), read_only=read_only)
    connection.execute("set TimeZone = 'UTC'")
    connection.execute("set enable_progress_bar = false")  # the CLI draws its own progress
    connection.execute(f"set memory_limit = '{os.environ.get('AOAI_FINOPS_MEMORY_LIMIT', '4GB')}'")
    # Every reader orders what it needs (the lake's row order means nothing): keeping the insertion order made a
    # month's conversion twice as slow, as it serialises the parallel CSV reading.
    connection.execute("set preserve_insertion_order = false")
    if temp_dir is not None:
        connection.execute(f"set temp_directory = {quote_literal(str(temp_dir))}")
    return connection


def quote_literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_empty_parquet(connection, schema: tuple[tuple[str, str], ...], path: Path) -> None:
    """A zero-row Parquet file with the given (name, type) columns."""
    columns = ", ".join(f"cast(null as {kind}) as {quote_identifier(name)}" for name, kind in schema)
    connection.execute(f"copy (select {columns} limit 0) to {quote_literal(str(path))} (format parquet)")


def total_sums(totals: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """`, sum(coalesce(a, b)), ...` of a dataset's totals (log column, lake columns whose first non-null counts),
    to append to a select list."""
    return "".join(
        f", sum(coalesce({', '.join(quote_identifier(column) for column in columns)}))" for _, columns in totals
    )


def string_list(values) -> str:
    """`['a', 'b']`: a DuckDB list of string literals (file lists for read_csv / read_json / read_parquet)."""
    return "[" + ", ".join(quote_literal(str(value)) for value in values) + "]"


def string_struct(pairs: dict[str, str]) -> str:
    """`{'a': 'x', 'b': 'y'}`: a DuckDB struct of string literals (the `columns` argument of the readers)."""
    return "{" + ", ".join(f"{quote_literal(key)}: {quote_literal(value)}" for key, value in pairs.items()) + "}"


def literal(value: object) -> str:
    """A Python value as a SQL literal (None, str, bool, int, float, date, datetime) that converts back exactly."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"cast({quote_literal(repr(value))} as double)"  # repr round-trips; 'inf' and 'nan' parse too
    if isinstance(value, datetime | date):
        return quote_literal(value.isoformat())
    return quote_literal(str(value))


def insert_rows(connection, table: str, rows: Iterable[Sequence[object]], *, chunk: int = 1000) -> None:
    """Insert rows into an existing table with VALUES literals.

    DuckDB's `executemany` converts each parameter through Python's import machinery (it probes for numpy and
    pandas on every value): thousands of rows take seconds. Literals take milliseconds.
    """
    batch: list[str] = []
    for row in rows:
        batch.append("(" + ", ".join(literal(value) for value in row) + ")")
        if len(batch) >= chunk:
            connection.execute(f"insert into {table} values {', '.join(batch)}")
            batch = []
    if batch:
        connection.execute(f"insert into {table} values {', '.join(batch)}")
