"""Write small telemetry pulls by hand (Azure Monitor metrics JSON, APIM customMetrics CSV) for loader tests."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

SUBSCRIPTION = "00000000-1111-2222-3333-444444444444"
GROUP = "rg-ai"
ACCOUNT = "aoai-test"
ACCOUNT_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.CognitiveServices/accounts/{ACCOUNT}"
)
SERVICE = "apim-test"


@dataclass
class Series:
    deployment: str
    points: list[tuple[str, float | None]]  # (timeStamp, total); None: the point has no value
    model: str = "gpt-4.1"
    version: str = "2025-04-14"
    dimension_names: tuple[str, str, str] = ("ModelDeploymentName", "ModelName", "ModelVersion")


@dataclass
class MonitorPull:
    month: str  # YYYY-MM
    stamp: str  # YYYYMMDDTHHMMSSZ
    metrics: dict[str, list[Series]] = field(default_factory=dict)
    account: str = ACCOUNT
    resource_id: str = ACCOUNT_ID
    group: str = GROUP

    @property
    def path(self) -> str:
        return (
            f"telemetry/azure-monitor/{SUBSCRIPTION}/{self.group}/{self.account}/{self.month}/metrics_{self.stamp}.json"
        )

    def document(self) -> dict:
        value = []
        for name, series in self.metrics.items():
            value.append(
                {
                    "id": f"{self.resource_id}/providers/Microsoft.Insights/metrics/{name}",
                    "type": "Microsoft.Insights/metrics",
                    "name": {"value": name, "localizedValue": name},
                    "unit": "Count",
                    "timeseries": [
                        {
                            "metadatavalues": [
                                {"name": {"value": dimension, "localizedValue": dimension}, "value": value}
                                for dimension, value in zip(
                                    one.dimension_names, (one.deployment, one.model, one.version), strict=True
                                )
                            ],
                            "data": [
                                {"timeStamp": stamp} | ({} if total is None else {"total": total})
                                for stamp, total in one.points
                            ],
                        }
                        for one in series
                    ],
                    "errorCode": "Success",
                }
            )
        return {
            "cost": 0,
            "timespan": f"{self.month}-01T00:00:00Z/{self.month}-28T00:00:00Z",
            "interval": "P1D",
            "value": value,
            "namespace": "Microsoft.CognitiveServices/accounts",
            "resourceregion": "eastus2",
        }

    def write(self, root: Path, *, indent: int | None = None) -> Path:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.document(), indent=indent), encoding="utf-8")
        return target


def daily(month: str, totals: list[float | None]) -> list[tuple[str, float | None]]:
    return [(f"{month}-{day:02d}T00:00:00Z", total) for day, total in enumerate(totals, start=1)]


def apim_row(
    timestamp: str, name: str, value: float, count: int = 1, **dimensions: str
) -> dict[str, str | float | int]:
    custom = {
        "API ID": "azure-openai",
        "Operation ID": "ChatCompletions_Create",
        "Product ID": "chat",
        "Subscription ID": "sub-1",
        "User ID": "app@contoso.com",
        "Backend ID": ACCOUNT,
        "Deployment": "gpt-41",
        "Team": "search",
        "Application": "chatbot",
    }
    custom.update(dimensions)
    custom = {key: value for key, value in custom.items() if value != ""}
    return {
        "timestamp": timestamp,
        "name": name,
        "value": value,
        "valueSum": value,
        "valueCount": count,
        "customDimensions": json.dumps(custom, separators=(",", ":")),
    }


@dataclass
class ApimPull:
    month: str
    stamp: str
    rows: list[dict]
    service: str = SERVICE

    @property
    def path(self) -> str:
        return f"telemetry/apim/{self.service}/{self.month}/customMetrics_{self.stamp}.csv"

    def content(self) -> bytes:
        columns = list(self.rows[0]) if self.rows else ["timestamp", "name", "value", "valueSum", "customDimensions"]
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return text.getvalue().encode("utf-8")

    def write(self, root: Path) -> Path:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.content())
        return target
