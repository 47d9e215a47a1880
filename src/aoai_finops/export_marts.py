"""Copy the marts of the DuckDB warehouse to Parquet, so Power BI, Fabric and notebooks read them without DuckDB.

Layout of the export folder (docs/incremental.md, "Parquet outputs"):

    <out>/<mart>/billing_month=<YYYY-MM>/data_0.parquet   marts with a billing month column (hive partitions)
    <out>/<mart>/data.parquet                             the other marts, one file
    <out>/_manifest.json, <out>/README.md                 every mart: path, partitioning, rows, columns, totals

Every mart is first written to a hidden temporary folder beside its target; only when all are written are they
swapped in, each with two renames, and the manifest written. A failed or killed export leaves the previous one
(and hidden `.tmp-*` / `.old-*` folders, which the next export removes); a reader of a mart sees its previous
export or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError
from aoai_finops.ingestion_log import utc_now

# Marts, by dbt Labs' naming: the FOCUS tables, facts and dimensions.
MART_FILTER = (
    "table_name in ('focus_costs', 'focus_costs_allocated') "
    "or table_name like 'fct!_%' escape '!' or table_name like 'dim!_%' escape '!'"
)
# The billing month column a mart is partitioned by (the first one it has).
PARTITION_COLUMNS = ("billing_month", "x_BillingMonth")
# Cost columns summed in the manifest, so a reader can check a copy against the warehouse.
TOTAL_COLUMNS = (
    "BilledCost",
    "EffectiveCost",
    "billed_cost",
    "effective_cost",
    "allocated_billed_cost",
    "allocated_effective_cost",
)


class ExportError(AoaiFinopsError):
    """The warehouse cannot be read or the export folder cannot be written."""


@dataclass(frozen=True)
class MartExport:
    name: str
    path: str
    partitioned_by: str | None
    rows: int
    totals: dict[str, float]
    columns: list[dict[str, str]] = field(default_factory=list)


def export_marts(warehouse: Path, out: Path, schema: str = "main") -> list[MartExport]:
    """Write every mart table of `warehouse` under `out`, then swap them all in and write the manifest."""
    if not warehouse.exists():
        raise ExportError(f"{warehouse}: no such warehouse; run `dbt build` first (or pass --duckdb)")
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    try:
        connection = duck.connect(warehouse, read_only=True)
    except duckdb.Error as error:
        message = f"{warehouse}: cannot open the warehouse read-only ({error}); is dbt still running?"
        raise ExportError(message) from None
    with connection:
        marts = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                f"where table_schema = ? and table_type = 'BASE TABLE' and ({MART_FILTER}) order by table_name",
                [schema],
            ).fetchall()
        ]
        if not marts:
            raise ExportError(f"{warehouse}: no marts (focus_costs, fct_*, dim_*) in schema {schema}; run `dbt build`")
        try:
            written = [_write_mart(connection, schema, name, out) for name in marts]
        except BaseException:
            _remove_leftovers(out)  # the marts written so far: the previous export stays whole
            raise
    for export, temporary in written:
        _swap(temporary, out / export.path)
    exports = [export for export, _ in written]
    _write_manifest(out, warehouse, exports)
    return exports


def _write_mart(connection: duckdb.DuckDBPyConnection, schema: str, name: str, out: Path) -> tuple[MartExport, Path]:
    """The mart written to a hidden temporary folder in `out`, and what the manifest says of it."""
    relation = f"{duck.quote_identifier(schema)}.{duck.quote_identifier(name)}"
    columns = [
        {"name": column, "type": kind}
        for column, kind in connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]
    names = [column["name"] for column in columns]
    partition = next((column for column in PARTITION_COLUMNS if column in names), None)
    totals = [column for column in TOTAL_COLUMNS if column in names]
    sums = "".join(f", sum({duck.quote_identifier(column)})" for column in totals)
    rows, *values = connection.execute(f"select count(*){sums} from {relation}").fetchone()

    temporary = out / f".tmp-{name}-{uuid.uuid4().hex}"
    temporary.mkdir()
    if partition:
        target = duck.quote_literal(str(temporary))
        options = f"format parquet, partition_by ({duck.quote_identifier(partition)}), compression zstd"
    else:
        target = duck.quote_literal(str(temporary / "data.parquet"))
        options = "format parquet, compression zstd"
    connection.execute(f"copy (select * from {relation}) to {target} ({options})")
    export = MartExport(
        name=name,
        path=name,
        partitioned_by=partition,
        rows=int(rows),
        totals={column: float(value or 0.0) for column, value in zip(totals, values, strict=True)},
        columns=columns,
    )
    return export, temporary


def _swap(temporary: Path, target: Path) -> None:
    """Put `temporary` in the place of `target`: the old folder is renamed away first, then removed."""
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex}")
    if target.exists():
        target.rename(old)
    temporary.rename(target)
    if old.exists():
        shutil.rmtree(old)


def _remove_leftovers(out: Path) -> None:
    for leftover in [*out.glob(".tmp-*"), *out.glob(".old-*")]:
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


def _write_manifest(out: Path, warehouse: Path, exports: list[MartExport]) -> None:
    manifest = {
        "exported_at": utc_now().isoformat(),
        "warehouse": str(warehouse),
        "layout": "one folder per mart; marts with a billing month column are hive-partitioned by it "
        "(<mart>/<column>=<YYYY-MM>/*.parquet; the column is in the folder name, not in the files)",
        "marts": [asdict(export) for export in exports],
    }
    _write_atomically(out / "_manifest.json", json.dumps(manifest, indent=2) + "\n")
    lines = [
        "# aoai-finops marts as Parquet",
        "",
        f"Exported {manifest['exported_at']} from `{warehouse}` by `aoai-finops export-marts`; `_manifest.json` has",
        "every column and type. Read a partitioned mart as a whole folder with hive partitioning on (DuckDB",
        "`read_parquet('<mart>/**/*.parquet', hive_partitioning = true)`, Spark/Fabric `spark.read.parquet('<mart>')`,",
        "pandas `pd.read_parquet('<mart>')`, Power BI: the Parquet files of the folder).",
        "",
        "| mart | partitioned by | rows | columns | totals |",
        "|---|---|---:|---:|---|",
    ]
    for export in exports:
        totals = ", ".join(f"{column} {value:,.2f}" for column, value in export.totals.items())
        partition = f"`{export.partitioned_by}`" if export.partitioned_by else ""
        lines.append(f"| `{export.path}/` | {partition} | {export.rows:,} | {len(export.columns)} | {totals} |")
    _write_atomically(out / "README.md", "\n".join(lines) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
