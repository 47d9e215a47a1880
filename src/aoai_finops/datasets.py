"""What the lake knows about each dataset: its table, its columns per data version, their lake types.

Column lists live in `schemas/<name>_columns.csv` (our own tables, written from Microsoft's published export
schemas and the telemetry formats): one row per column with its lake type, whether a load needs it, and the data
versions that carry it.

Two kinds of dataset: Cost Management exports, described by a manifest (`exportConfig.type` names the dataset),
and token telemetry files, recognised by their path (see aoai_finops.telemetry).

`required` is `true`, `false` or `any:<group>`: a run needs at least one column of each group (the legacy cost
details call the cost `Cost` in EA files and `CostInBillingCurrency` in MCA files). A column with no data
version is known to the lake but expected in no particular version: the legacy ActualCost / AmortizedCost
tables hold the superset of the EA and MCA columns, and a file of one agreement lacks the other's columns
without a warning. Export headers are matched to these names case-insensitively (MCA files spell them
camelCase, EA files PascalCase).
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
    # A run needs at least one column of the group (see the module docstring); None for ordinary columns.
    required_group: str | None = None


EXPORT = "export"
TELEMETRY = "telemetry"


@dataclass(frozen=True)
class Dataset:
    """A kind of export (FocusCost, ...) or telemetry file, and the lake table it lands in."""

    export_type: str
    table: str
    columns: tuple[Column, ...]
    # The totals the ingestion log records for each run (reconciliation tests use them): log column -> the lake
    # columns holding it, the first non-null per row counting.
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
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

    def required_groups(self) -> dict[str, tuple[str, ...]]:
        """Columns of which a run needs at least one, by group name."""
        groups: dict[str, list[str]] = {}
        for column in self.columns:
            if column.required_group:
                groups.setdefault(column.required_group, []).append(column.name)
        return {group: tuple(names) for group, names in groups.items()}

    def lake_schema(self) -> tuple[tuple[str, str], ...]:
        """(name, type) of every lake column: all known columns, then the lineage columns."""
        return tuple((column.name, column.lake_type) for column in self.columns) + LINEAGE_COLUMNS


def _read_columns(name: str) -> tuple[Column, ...]:
    text = resources.files("aoai_finops.schemas").joinpath(f"{name}_columns.csv").read_text(encoding="utf-8")
    columns = []
    for row in csv.DictReader(text.splitlines()):
        if row["lake_type"] not in LAKE_TYPES:
            raise ValueError(f"schemas/{name}_columns.csv: column {row['column_name']}: bad lake_type")
        required = row["required"]
        if required not in ("true", "false") and not required.startswith("any:"):
            raise ValueError(f"schemas/{name}_columns.csv: column {row['column_name']}: bad required {required!r}")
        columns.append(
            Column(
                name=row["column_name"],
                lake_type=row["lake_type"],
                required=required == "true",
                data_versions=frozenset(row["data_versions"].split()),
                required_group=required.removeprefix("any:") if required.startswith("any:") else None,
            )
        )
    return tuple(columns)


@cache
def registry() -> dict[str, Dataset]:
    """Datasets by export type (the manifest's `exportConfig.type`), matched case-insensitively."""
    legacy_cost = ("CostInBillingCurrency", "Cost")
    datasets = [
        Dataset(
            "FocusCost",
            "focus_cost",
            _read_columns("focus_cost"),
            (("billed_cost_total", ("BilledCost",)), ("effective_cost_total", ("EffectiveCost",))),
            sub_account_column="SubAccountId",
        ),
        # Legacy cost details: the actual cost is what is billed, the amortized cost is the effective cost.
        Dataset(
            "ActualCost",
            "actual_cost",
            _read_columns("cost_details"),
            (("billed_cost_total", legacy_cost),),
            sub_account_column="SubscriptionId",
        ),
        Dataset(
            "AmortizedCost",
            "amortized_cost",
            _read_columns("cost_details"),
            (("effective_cost_total", legacy_cost),),
            sub_account_column="SubscriptionId",
        ),
        # The price sheet of an EA enrollment or MCA billing profile: the negotiated price of every meter.
        Dataset("PriceSheet", "price_sheet", _read_columns("price_sheet")),
        Dataset(
            "AzureMonitorMetrics",
            "telemetry_azure_monitor",
            _read_columns("telemetry_azure_monitor"),
            (("value_total", ("total",)),),
            kind=TELEMETRY,
        ),
        Dataset(
            "ApimTokenMetrics",
            "telemetry_apim",
            _read_columns("telemetry_apim"),
            (("value_total", ("value_sum",)),),
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
