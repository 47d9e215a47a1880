"""Settings shared by the loader, the CLI and dbt (profiles.yml and dbt_project.yml read the same variables)."""

from __future__ import annotations

import os
from pathlib import Path

LAKE_ENV = "AOAI_FINOPS_LAKE"
DUCKDB_ENV = "AOAI_FINOPS_DUCKDB"
DEFAULT_LAKE = "data/lake"
DEFAULT_DUCKDB = "data/aoai_finops.duckdb"
EXPORT_ENV = "AOAI_FINOPS_EXPORT"
DEFAULT_EXPORT = "data/marts"


def lake_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The Parquet lake folder: the explicit value, else $AOAI_FINOPS_LAKE, else data/lake."""
    return Path(explicit or os.environ.get(LAKE_ENV) or DEFAULT_LAKE)


def duckdb_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB warehouse file: the explicit value, else $AOAI_FINOPS_DUCKDB, else data/aoai_finops.duckdb."""
    return Path(explicit or os.environ.get(DUCKDB_ENV) or DEFAULT_DUCKDB)


def export_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The Parquet export folder of the marts: the explicit value, else $AOAI_FINOPS_EXPORT, else data/marts."""
    return Path(explicit or os.environ.get(EXPORT_ENV) or DEFAULT_EXPORT)
