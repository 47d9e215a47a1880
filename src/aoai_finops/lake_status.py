"""What the lake holds, from the ingestion log: months present per table, their runs, rows and freshness.

Cost tables are listed per export scope (there are a few); telemetry tables per month, their scopes (accounts, APIM
services: there can be thousands) summarised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from aoai_finops.datasets import TELEMETRY, registry
from aoai_finops.ingestion_log import IngestionLog, LogEntry, Status
from aoai_finops.lake import Lake, Partition


@dataclass(frozen=True)
class MonthStatus:
    table: str
    billing_month: str
    scope: str  # the export scope's key (its lake folder), or "<n> scope(s)" for a telemetry month
    run: str  # the run id, or "<n> pulls"
    rows: int
    total: float | None  # BilledCost of a cost month, the values' sum of a telemetry month
    newest_run_time: datetime | None  # submitted time of the newest run (telemetry: newest pull)
    oldest_run_time: datetime | None  # telemetry: the oldest of the scopes' newest pulls (the stalest scope)
    loaded_at: datetime


@dataclass(frozen=True)
class LakeStatus:
    months: list[MonthStatus]
    rejected: list[LogEntry]  # runs whose latest decision is `rejected` or `failed` (not loaded since)
    unlogged: list[Partition]  # lake files the log does not know (an interrupted load; the next load recovers)
    missing: list[Partition]  # logged partitions without their file (deleted outside the loader)


def lake_status(lake: Lake) -> LakeStatus:
    entries = IngestionLog(lake).entries()
    current = IngestionLog.current_of(entries)
    telemetry_tables = {d.table for d in registry().values() if d.kind == TELEMETRY}
    months: list[MonthStatus] = []
    telemetry: dict[tuple[str, str], list[LogEntry]] = defaultdict(list)
    for partition, entry in sorted(current.items(), key=lambda item: str(item[0])):
        if partition.table in telemetry_tables:
            telemetry[(partition.table, partition.billing_month)].append(entry)
            continue
        months.append(
            MonthStatus(
                partition.table,
                partition.billing_month,
                partition.scope_key,
                entry.run_id or "-",
                entry.rows,
                entry.billed_cost_total,
                entry.submitted_time,
                entry.submitted_time,
                entry.logged_at,
            )
        )
    for (table, month), pulls in sorted(telemetry.items()):
        times = [pull.submitted_time for pull in pulls if pull.submitted_time]
        values = [pull.value_total for pull in pulls if pull.value_total is not None]
        months.append(
            MonthStatus(
                table,
                month,
                f"{len(pulls)} scope(s)",
                f"{len(pulls)} pull(s)",
                sum(pull.rows for pull in pulls),
                sum(values) if values else None,
                max(times, default=None),
                min(times, default=None),
                max(pull.logged_at for pull in pulls),
            )
        )
    # A failure stands until a later decision on its run or its manifest: a manifest rejected before its run id
    # could be read, then fixed and loaded, is not listed.
    latest: dict[str, LogEntry] = {}
    for entry in entries:
        for key in _keys(entry):
            latest[key] = entry
    rejected = [
        entry
        for entry in entries
        if Status(entry.status).is_failure and all(latest[key] is entry for key in _keys(entry))
    ]
    files = {partition for dataset in registry().values() for partition in lake.partitions(dataset.table)}
    return LakeStatus(
        months=months,
        rejected=rejected,
        unlogged=sorted(files - set(current), key=str),
        missing=sorted(set(current) - files, key=str),
    )


def _keys(entry: LogEntry) -> list[str]:
    """What a log entry decides on: its run and its manifest (the file of a telemetry pull)."""
    return [f"run:{entry.run_id}"] * bool(entry.run_id) + [f"path:{entry.manifest_path}"] * bool(entry.manifest_path)
