"""Token telemetry files in a source: which lake partition each belongs to, and which pull it is.

Telemetry has no manifest: the path says everything (docs/loading.md, "Telemetry"):

- Azure Monitor metrics, as the Metrics REST API returns them, one file per Azure OpenAI account and pull:
  `.../azure-monitor/<subscriptionId>/<resourceGroup>/<account>/<YYYY-MM>/metrics_<YYYYMMDDTHHMMSSZ>.json`
- API Management token metrics exported from Application Insights `customMetrics`, one file per APIM service and
  pull: `.../apim/<apimService>/<YYYY-MM>/customMetrics_<YYYYMMDDTHHMMSSZ>.csv`

Each pull is a month-to-date snapshot, like a cost export run: a file is a "run" of the partition (table, month,
scope), the timestamp in its name orders the runs, and the newest replaces the month.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import PurePosixPath

from aoai_finops.datasets import Dataset, telemetry_dataset
from aoai_finops.lake import Partition
from aoai_finops.manifest import scope_key
from aoai_finops.sources import SourceFile

AZURE_MONITOR_TABLE = "telemetry_azure_monitor"
APIM_TABLE = "telemetry_apim"
AZURE_MONITOR_FORMAT = "metrics-rest-json"
APIM_FORMAT = "customMetrics-csv"
# Run ids are derived from the partition and the pull time, so the same pull has the same id whatever folder
# or container it is read from (a copy of the files is recognised as a duplicate, as for cost runs).
_RUN_ID_NAMESPACE = uuid.UUID("5d8f0a3c-6a57-4b8e-9a0e-2b1f4c1e7a10")

_MONTH = r"(?P<month>\d{4}-(?:0[1-9]|1[0-2]))"
_STAMP = r"(?P<stamp>\d{8}T\d{6}Z)"
_AZURE_MONITOR_PATH = re.compile(
    rf"(?:^|/)azure-monitor/(?P<subscription>[^/]+)/(?P<group>[^/]+)/(?P<account>[^/]+)/{_MONTH}/metrics_{_STAMP}\.json$"
)
_APIM_PATH = re.compile(rf"(?:^|/)apim/(?P<service>[^/]+)/{_MONTH}/customMetrics_{_STAMP}\.csv$")
# Folders whose files are all expected to match one of the patterns above: anything else in them is reported.
_TELEMETRY_FOLDER = re.compile(r"(?:^|/)(?:azure-monitor|apim)/")


@dataclass(frozen=True)
class TelemetryFile:
    """One telemetry pull: a file in the source, and the lake partition it replaces."""

    path: str  # source-relative, as listed
    table: str
    billing_month: str  # YYYY-MM, from the folder
    export_scope: str  # Azure Monitor: the account's resource id, lower-cased; APIM: the service name
    pulled_at: datetime  # naive UTC, from the file name
    size: int | None = None

    @cached_property
    def dataset(self) -> Dataset:
        return telemetry_dataset(self.table)

    @cached_property
    def run_id(self) -> str:
        key = f"{self.table}|{self.export_scope}|{self.billing_month}|{self.pulled_at:%Y%m%dT%H%M%SZ}"
        return str(uuid.uuid5(_RUN_ID_NAMESPACE, key))

    @property
    def manifest_path(self) -> str:
        """The file itself: telemetry has no manifest, the file is what the ingestion log names."""
        return self.path

    @property
    def export_name(self) -> str:
        return "azure-monitor" if self.table == AZURE_MONITOR_TABLE else "apim"

    @property
    def export_type(self) -> str:
        return self.dataset.export_type

    @property
    def data_version(self) -> str:
        return AZURE_MONITOR_FORMAT if self.table == AZURE_MONITOR_TABLE else APIM_FORMAT

    @property
    def submitted_time(self) -> datetime:
        return self.pulled_at

    @property
    def partition(self) -> Partition:
        return Partition(self.table, self.billing_month, scope_key(self.export_scope))

    @property
    def recency(self) -> tuple[datetime, str]:
        return (self.pulled_at, self.run_id)


def account_resource_id(subscription: str, resource_group: str, account: str) -> str:
    """The Azure OpenAI account's resource id, lower-cased as focus_costs.ResourceId is."""
    return (
        f"/subscriptions/{subscription}/resourcegroups/{resource_group}"
        f"/providers/microsoft.cognitiveservices/accounts/{account}"
    ).lower()


def telemetry_file(file: SourceFile) -> TelemetryFile | None:
    """The telemetry pull a source file is, or None when its path is not one."""
    if match := _AZURE_MONITOR_PATH.search(file.path):
        table = AZURE_MONITOR_TABLE
        scope = account_resource_id(match["subscription"], match["group"], match["account"])
    elif match := _APIM_PATH.search(file.path):
        table = APIM_TABLE
        scope = match["service"].lower()
    else:
        return None
    pulled_at = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ")
    return TelemetryFile(file.path, table, match["month"], scope, pulled_at, file.size)


def discover_telemetry(files: Iterable[SourceFile]) -> tuple[list[TelemetryFile], list[str]]:
    """Telemetry pulls among the source's files, and a warning for each unrecognised file in a telemetry folder."""
    found, warnings = [], []
    for file in files:
        pull = telemetry_file(file)
        if pull is not None:
            found.append(pull)
        elif _TELEMETRY_FOLDER.search(file.path) and not PurePosixPath(file.path).name.startswith("."):
            warnings.append(
                f"{file.path}: in a telemetry folder but not named like a telemetry pull "
                "(azure-monitor/<subscription>/<group>/<account>/<YYYY-MM>/metrics_<YYYYMMDDTHHMMSSZ>.json or "
                "apim/<service>/<YYYY-MM>/customMetrics_<YYYYMMDDTHHMMSSZ>.csv); ignored"
            )
    return found, warnings
