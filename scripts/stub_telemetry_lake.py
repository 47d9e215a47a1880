"""TEMPORARY STUB (allocation branch): telemetry lake tables until the loader ingests telemetry.

The loader engineer's `aoai-finops load` will write the lake tables `telemetry_azure_monitor` and `telemetry_apim`
(branch `azure`). Until it lands, this script writes the same two folders from the sample's telemetry files so the
allocation models can run end to end. Its rows already have the columns of the agreed staging interface
(`stg_telemetry__azure_monitor_metrics`, `stg_telemetry__apim_token_metrics`), so the stub staging models in
models/staging/telemetry/ only select them. The lead deletes this script, its two calls (Makefile `sample_lake`,
tests/python/pipeline.py) and the stub staging models when the loader's telemetry ingestion is merged.

    python scripts/stub_telemetry_lake.py --source data/demo/exports --lake data/demo/lake

Partition = (table, month, scope); the newest file of a partition (by the timestamp in its name) replaces it.
A zero-row `0000-00/schema-only/data.parquet` gives each table its schema even without telemetry.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import tempfile
from pathlib import Path

import duckdb

AZURE_MONITOR_TABLE = "telemetry_azure_monitor"
APIM_TABLE = "telemetry_apim"

AZURE_MONITOR_COLUMNS = (
    ("metric_timestamp", "TIMESTAMP"),
    ("time_grain", "VARCHAR"),
    ("metric_name", "VARCHAR"),
    ("metric_unit", "VARCHAR"),
    ("resource_id", "VARCHAR"),
    ("resource_name", "VARCHAR"),
    ("region", "VARCHAR"),
    ("deployment_name", "VARCHAR"),
    ("model_name", "VARCHAR"),
    ("model_version", "VARCHAR"),
    ("dimensions_json", "VARCHAR"),
    ("total", "DOUBLE"),
    ("average", "DOUBLE"),
    ("minimum", "DOUBLE"),
    ("maximum", "DOUBLE"),
    ("sample_count", "DOUBLE"),
    ("source_file", "VARCHAR"),
    ("run_id", "VARCHAR"),
    ("lake_billing_month", "VARCHAR"),
)
APIM_COLUMNS = (
    ("metric_timestamp", "TIMESTAMP"),
    ("metric_name", "VARCHAR"),
    ("value_sum", "DOUBLE"),
    ("value_count", "BIGINT"),
    ("apim_service", "VARCHAR"),
    ("apim_subscription_id", "VARCHAR"),
    ("apim_product_id", "VARCHAR"),
    ("apim_user_id", "VARCHAR"),
    ("apim_api_id", "VARCHAR"),
    ("deployment_name", "VARCHAR"),
    ("backend_id", "VARCHAR"),
    ("team", "VARCHAR"),
    ("application", "VARCHAR"),
    ("custom_dimensions_json", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("run_id", "VARCHAR"),
    ("lake_billing_month", "VARCHAR"),
)
_STAMP = re.compile(r"_(\d{8}T\d{6}Z)\.(json|csv)$")


def newest_per_partition(files: list[Path]) -> list[Path]:
    """The newest file (by the timestamp in its name) of each folder: a folder is one (scope, month) partition."""
    newest: dict[Path, Path] = {}
    for path in files:
        match = _STAMP.search(path.name)
        if match is None:
            raise SystemExit(f"{path}: telemetry file name without a <YYYYMMDDTHHMMSSZ> timestamp")
        current = newest.get(path.parent)
        if current is None or _STAMP.search(current.name).group(1) < match.group(1):  # type: ignore[union-attr]
            newest[path.parent] = path
    return sorted(newest.values())


def azure_monitor_rows(path: Path, month: str) -> list[tuple]:
    document = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for metric in document.get("value", []):
        metric_id = metric["id"]
        resource_id = metric_id.split("/providers/Microsoft.Insights/")[0].lower()
        for series in metric.get("timeseries", []):
            dimensions = {item["name"]["value"]: item["value"] for item in series.get("metadatavalues", [])}
            for point in series.get("data", []):
                rows.append(
                    (
                        point["timeStamp"].replace("T", " ").rstrip("Z"),
                        document.get("interval"),
                        metric["name"]["value"],
                        metric.get("unit"),
                        resource_id,
                        resource_id.rsplit("/", 1)[-1],
                        document.get("resourceregion"),
                        dimensions.get("ModelDeploymentName"),
                        dimensions.get("ModelName"),
                        dimensions.get("ModelVersion"),
                        json.dumps(dimensions, separators=(",", ":")),
                        point.get("total"),
                        point.get("average"),
                        point.get("minimum"),
                        point.get("maximum"),
                        point.get("count"),
                        str(path),
                        path.stem,
                        month,
                    )
                )
    return rows


def apim_rows(path: Path, service: str, month: str) -> list[tuple]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            dimensions = json.loads(record["customDimensions"] or "{}")
            rows.append(
                (
                    record["timestamp"].replace("T", " ").rstrip("Z"),
                    record["name"],
                    float(record["valueSum"]),
                    int(float(record["valueCount"])),
                    service,
                    dimensions.get("Subscription ID"),
                    dimensions.get("Product ID"),
                    dimensions.get("User ID"),
                    dimensions.get("API ID"),
                    dimensions.get("Deployment"),
                    dimensions.get("Backend ID"),
                    dimensions.get("Team"),
                    dimensions.get("Application"),
                    record["customDimensions"],
                    str(path),
                    path.stem,
                    month,
                )
            )
    return rows


def write_table(lake: Path, table: str, columns: tuple[tuple[str, str], ...], partitions: dict[str, list]) -> int:
    folder = lake / table
    shutil.rmtree(folder, ignore_errors=True)
    partitions = {"0000-00/schema-only": [], **partitions}
    written = 0
    types = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns) + "}"
    with tempfile.TemporaryDirectory() as scratch, duckdb.connect() as connection:
        for key, rows in partitions.items():
            staged = Path(scratch) / "rows.csv"
            with staged.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(rows)
            target = folder / key / "data.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            empty = ", ".join(f"cast(null as {kind}) as {name}" for name, kind in columns)
            query = (
                f"select {empty} limit 0"
                if not rows
                else f"select * from read_csv('{staged}', header = false, delim = ',', columns = {types}, "
                "quote = '\"', escape = '\"', nullstr = '')"
            )
            connection.execute(f"copy ({query}) to '{target}' (format parquet)")
            written += len(rows)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the sample's export folder (holds telemetry/)")
    parser.add_argument("--lake", type=Path, required=True)
    arguments = parser.parse_args()
    telemetry = arguments.source / "telemetry"

    monitor: dict[str, list] = {}
    for path in newest_per_partition(list(telemetry.glob("azure-monitor/*/*/*/*/metrics_*.json"))):
        month, account = path.parent.name, path.parent.parent.name
        monitor[f"{month}/{account.lower()}"] = azure_monitor_rows(path, month)
    apim: dict[str, list] = {}
    for path in newest_per_partition(list(telemetry.glob("apim/*/*/customMetrics_*.csv"))):
        month, service = path.parent.name, path.parent.parent.name
        apim[f"{month}/{service.lower()}"] = apim_rows(path, service, month)

    monitor_rows = write_table(arguments.lake, AZURE_MONITOR_TABLE, AZURE_MONITOR_COLUMNS, monitor)
    apim_count = write_table(arguments.lake, APIM_TABLE, APIM_COLUMNS, apim)
    print(f"stub telemetry lake: {monitor_rows} Azure Monitor points, {apim_count} APIM rows -> {arguments.lake}")


if __name__ == "__main__":
    main()
