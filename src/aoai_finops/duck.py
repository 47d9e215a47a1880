"""DuckDB connections configured the same way for every Python caller (loader, generator, CLI)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb


def connect(database: str | Path = ":memory:", *, read_only: bool = False, temp_dir: Path | None = None):
    """A DuckDB connection in UTC whose memory use is bounded (spills to `temp_dir` when given)."""
    connection = duckdb.connect(str(database), read_only=read_only)
    connection.execute("set TimeZone = 'UTC'")
    connection.execute(f"set memory_limit = '{os.environ.get('AOAI_FINOPS_MEMORY_LIMIT', '4GB')}'")
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
