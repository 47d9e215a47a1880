"""Build small Cost Management export runs by hand, for loader tests that need exact control of every byte."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path

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


def write_run(root: Path, spec: RunSpec, *, gzip_parts: bool = True) -> Path:
    """Write the run's parts and manifest.json like Cost Management does; returns the run folder."""
    columns = spec.columns or [column.name for column in dataset_for(spec.export_type).columns_for(spec.data_version)]
    chunks = [spec.rows[index :: spec.parts] for index in range(spec.parts)]
    contents = []
    for chunk in chunks:
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(chunk)
        contents.append((text.getvalue().encode(), len(chunk)))
    return write_raw_run(root, spec, contents, gzip_parts=gzip_parts)


def write_raw_run(root: Path, spec: RunSpec, parts: list[tuple[bytes, int]], *, gzip_parts: bool = True) -> Path:
    """Write parts given as (CSV bytes, data rows) and the run's manifest.json; returns the run folder."""
    year, month = spec.month.split("-")
    folder = root / "exports" / spec.export_name / f"{year}{month}01-{year}{month}28" / spec.run_id
    folder.mkdir(parents=True, exist_ok=True)
    blobs = []
    for index, (data, rows) in enumerate(parts, start=1):
        name = f"part_0_{index:04d}.csv" + (".gz" if gzip_parts else "")
        content = gzip.compress(data, mtime=0) if gzip_parts else data
        (folder / name).write_bytes(content)
        blobs.append(
            {
                "blobName": (folder / name).relative_to(root).as_posix(),
                "byteCount": len(content),
                "dataRowCount": rows,
            }
        )
    manifest = {
        "manifestVersion": "2024-04-01",
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
            "fileFormat": "Csv",
            "compressionMode": "gzip" if gzip_parts else "None",
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
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder
