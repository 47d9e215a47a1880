"""What the lake knows about each dataset: its table, its columns per data version, their lake types.

Column lists live in `schemas/<table>_columns.csv` (our own tables, written from Microsoft's published export
schemas and the telemetry formats): one row per column with its lake type, whether a load needs it, and the data
versions that carry it.

Two kinds of dataset: Cost Management exports, described by a manifest (`exportConfig.type` names the dataset),
and token telemetry files, recognised by their path (see aoai_finops.telemetry).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from aoai_finops.errors import ExportValidationError

LAKE_TYPES = frozenset({"VARCHAR", "DOUBLE", "TIMESTAMP", "BOOLEAN", "BIGINT", "DATE"})

# Columns the loader adds to every lake row (see docs/architecture.md, "Lineage columns").
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("lake_run_id", "VARCHAR"),
    ("lake_loaded_at", "TIMESTAMP"),
    ("lake_export_name", "VARCHAR"),
    ("lake_export_scope", "VARCHAR"),
    ("lake_data_version", "VARCHAR"),
    ("lake_submitted_time", "TIMESTAMP"),
    ("lake_billing_month", "VARCHAR"),
    ("lake_source_file", "VARCHAR"),
    ("lake_extra_columns", "VARCHAR"),
)


@dataclass(frozen=True)
class Column:
    name: str
    lake_type: str
    required: bool
    data_versions: frozenset[str]


EXPORT = "export"
TELEMETRY = "telemetry"


@dataclass(frozen=True)
class Dataset:
    """A kind of export (FocusCost, ...) or telemetry file, and the lake table it lands in."""

    export_type: str
    table: str
    columns: tuple[Column, ...]
    # (lake column, ingestion log column): metric totals the log records for each run (reconciliation tests use them).
    total_columns: tuple[tuple[str, str], ...] = ()
    kind: str = EXPORT
    # The column naming each row's subscription: two export scopes of a month overlap when they share values.
    sub_account_column: str | None = None

    @property
    def data_versions(self) -> frozenset[str]:
        return frozenset().union(*(column.data_versions for column in self.columns))

    def columns_for(self, data_version: str) -> tuple[Column, ...]:
        """The columns an export of this data version carries, in registry order."""
        if data_version not in self.data_versions:
            known = ", ".join(sorted(self.data_versions))
            raise ExportValidationError(
                f"unknown {self.export_type} data version {data_version!r} (known: {known}); "
                "upgrade aoai-finops or add the version to the schema registry"
            )
        return tuple(column for column in self.columns if data_version in column.data_versions)

    def lake_schema(self) -> tuple[tuple[str, str], ...]:
        """(name, type) of every lake column: all known columns, then the lineage columns."""
        return tuple((column.name, column.lake_type) for column in self.columns) + LINEAGE_COLUMNS


def _read_columns(table: str) -> tuple[Column, ...]:
    text = resources.files("aoai_finops.schemas").joinpath(f"{table}_columns.csv").read_text(encoding="utf-8")
    columns = []
    for row in csv.DictReader(text.splitlines()):
        if row["lake_type"] not in LAKE_TYPES:
            raise ValueError(f"schemas/{table}_columns.csv: column {row['column_name']}: bad lake_type")
        columns.append(
            Column(
                name=row["column_name"],
                lake_type=row["lake_type"],
                required=row["required"] == "true",
                data_versions=frozenset(row["data_versions"].split()),
            )
        )
    return tuple(columns)


@cache
def registry() -> dict[str, Dataset]:
    """Datasets by export type (the manifest's `exportConfig.type`), matched case-insensitively."""
    datasets = [
        Dataset(
            "FocusCost",
            "focus_cost",
            _read_columns("focus_cost"),
            (("BilledCost", "billed_cost_total"), ("EffectiveCost", "effective_cost_total")),
            sub_account_column="SubAccountId",
        ),
        Dataset(
            "AzureMonitorMetrics",
            "telemetry_azure_monitor",
            _read_columns("telemetry_azure_monitor"),
            (("total", "value_total"),),
            kind=TELEMETRY,
        ),
        Dataset(
            "ApimTokenMetrics",
            "telemetry_apim",
            _read_columns("telemetry_apim"),
            (("value_sum", "value_total"),),
            kind=TELEMETRY,
        ),
    ]
    return {dataset.export_type.lower(): dataset for dataset in datasets}


def dataset_for(export_type: str) -> Dataset:
    """The export dataset a manifest's `exportConfig.type` names (telemetry datasets have no manifests)."""
    dataset = registry().get(export_type.lower())
    if dataset is None or dataset.kind != EXPORT:
        known = ", ".join(d.export_type for d in registry().values() if d.kind == EXPORT)
        raise ExportValidationError(
            f"unknown export dataset type {export_type!r} (known: {known}); "
            "export one of the known datasets or add it to aoai_finops.datasets"
        )
    return dataset


def telemetry_dataset(table: str) -> Dataset:
    """The telemetry dataset of a lake table (telemetry_azure_monitor, telemetry_apim)."""
    (dataset,) = (d for d in registry().values() if d.kind == TELEMETRY and d.table == table)
    return dataset
