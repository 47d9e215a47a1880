"""Build small Cost Management export runs by hand, for loader tests that need exact control of every byte."""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aoai_finops.datasets import dataset_for

SCOPE = "/providers/Microsoft.Billing/billingAccounts/1234567"


@dataclass
class RunSpec:
    run_id: str
    month: str  # YYYY-MM
    submitted: str  # ISO timestamp
    rows: list[dict[str, str]]
    export_name: str = "focus-daily"
    data_version: str = "1.0r2"
    export_type: str = "FocusCost"
    scope: str = SCOPE
    parts: int = 1
    # The header, in file order; default: every column of the FocusCost data version.
    columns: list[str] | None = None
    file_format: str = "csv.gz"  # csv, csv.gz, parquet or snappy.parquet
    legacy_manifest: bool = False  # `_manifest.json` (2021-01-01, with contentMD5) instead of `manifest.json`
    subfolder: str = ""  # extra folder levels between the month folder and the run id (e.g. a timestamp)


def cost_row(day: str, cost: float, meter: str = "gpt 4o 0513 Input global Tokens", **overrides: str) -> dict[str, str]:
    """A FocusCost row with the columns the loader and models care about; the rest stay empty."""
    row = {
        "BilledCost": f"{cost}",
        "EffectiveCost": f"{cost}",
        "ListCost": f"{cost}",
        "ContractedCost": f"{cost}",
        "BillingAccountId": "/providers/Microsoft.Billing/billingAccounts/1234567",
        "BillingAccountName": "Contoso",
        "BillingCurrency": "USD",
        "BillingPeriodStart": f"{day[:7]}-01T00:00:00Z",
        "BillingPeriodEnd": f"{day[:7]}-28T00:00:00Z",
        "ChargeCategory": "Usage",
        "ChargeFrequency": "Usage-Based",
        "ChargePeriodStart": f"{day}T00:00:00Z",
        "ChargePeriodEnd": f"{day}T23:59:59Z",
        "PricingQuantity": "1",
        "ConsumedQuantity": "1",
        "ResourceId": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1",
        "SubAccountId": "/subscriptions/s1",
        "x_SkuMeterName": meter,
        "x_PricingUnitDescription": "1K",
        "x_PricingBlockSize": "1000",
    }
    row.update(overrides)
    return row


def write_run(root: Path, spec: RunSpec) -> Path:
    """Write the run's parts and manifest like Cost Management does; returns the run folder."""
    columns = spec.columns or [column.name for column in dataset_for(spec.export_type).columns_for(spec.data_version)]
    chunks = [spec.rows[index :: spec.parts] for index in range(spec.parts)]
    return write_raw_run(root, spec, [(csv_bytes(columns, chunk), len(chunk)) for chunk in chunks])


def write_raw_run(root: Path, spec: RunSpec, parts: list[tuple[bytes, int]]) -> Path:
    """Write parts given as (CSV bytes, data rows) in the spec's file format, and the run's manifest."""
    year, month = spec.month.split("-")
    folder = root / "exports" / spec.export_name / f"{year}{month}01-{year}{month}28"
    if spec.subfolder:
        folder = folder / spec.subfolder
    folder = folder / spec.run_id
    folder.mkdir(parents=True, exist_ok=True)
    blobs = []
    for index, (data, rows) in enumerate(parts, start=1):
        name = f"part_0_{index:04d}.{spec.file_format}"
        content = encode_part(data, spec.file_format, folder / name)
        (folder / name).write_bytes(content)
        blob = {"blobName": (folder / name).relative_to(root).as_posix(), "byteCount": len(content)}
        blob["dataRowCount"] = rows
        if spec.legacy_manifest:
            blob["headerRowCount"] = 0 if "parquet" in spec.file_format else 1
            blob["contentMD5"] = base64.b64encode(hashlib.md5(content, usedforsecurity=False).digest()).decode()
        blobs.append(blob)
    parquet = "parquet" in spec.file_format
    compression = {"csv": "None", "csv.gz": "gzip", "parquet": "None", "snappy.parquet": "snappy"}[spec.file_format]
    manifest = {
        "manifestVersion": "2021-01-01" if spec.legacy_manifest else "2024-04-01",
        "byteCount": sum(blob["byteCount"] for blob in blobs),
        "blobCount": len(blobs),
        "dataRowCount": sum(rows for _, rows in parts),
        "exportConfig": {
            "exportName": spec.export_name,
            "resourceId": f"{spec.scope}/providers/Microsoft.CostManagement/exports/{spec.export_name}",
            "dataVersion": spec.data_version,
            "apiVersion": "2023-07-01-preview",
            "type": spec.export_type,
            "timeFrame": "MonthToDate",
            "granularity": "Daily",
        },
        "deliveryConfig": {
            "partitionData": True,
            "dataOverwriteBehavior": "OverwritePreviousReport",
            "fileFormat": "Parquet" if parquet else "Csv",
            "compressionMode": compression,
            "containerUri": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/exports",
            "rootFolderPath": "exports",
        },
        "runInfo": {
            "executionType": "Scheduled",
            "submittedTime": spec.submitted,
            "runId": spec.run_id,
            "startDate": f"{spec.month}-01T00:00:00",
            "endDate": f"{spec.month}-28T00:00:00Z",
        },
        "blobs": blobs,
    }
    if spec.legacy_manifest:
        manifest["dataFormat"] = "Parquet" if parquet else "Csv"
    name = "_manifest.json" if spec.legacy_manifest else "manifest.json"
    (folder / name).write_text(json.dumps(manifest, indent=2))
    return folder


def csv_bytes(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


def encode_part(data: bytes, file_format: str, scratch: Path) -> bytes:
    """One part file's bytes from its CSV text: as is, gzip-compressed for csv.gz, or Parquet written by DuckDB."""
    if file_format == "csv":
        return data
    if file_format == "csv.gz":
        return gzip.compress(data, mtime=0)
    # Parquet as an export writes it: every column a string (Cost Management writes typed columns too; the
    # loader casts either way).
    source = scratch.with_suffix(".source.csv")
    source.write_bytes(data)
    codec = "snappy" if file_format == "snappy.parquet" else "uncompressed"
    duckdb.sql(
        f"copy (select * from read_csv('{source}', header = true, all_varchar = true)) "
        f"to '{scratch}' (format parquet, compression {codec})"
    )
    source.unlink()
    content = scratch.read_bytes()
    scratch.unlink()
    return content
