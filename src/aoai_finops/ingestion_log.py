"""The ingestion log: an append-only record of every decision the loader took, kept in the lake.

One Parquet file per committed batch of entries under `<lake>/_ingestion_log/`, written atomically. dbt reads it
(`source('lake', 'ingestion_log')`) to reconcile the marts with the runs that are loaded; `aoai-finops status`
prints it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum

from aoai_finops import duck
from aoai_finops.lake import Lake, Partition


class Status(StrEnum):
    LOADED = "loaded"  # first data for the partition
    REPLACED = "replaced"  # a newer run replaced the partition's data
    SKIPPED_OLDER = "skipped_older"  # not newer than the loaded run: ignored
    SKIPPED_DUPLICATE = "skipped_duplicate"  # the same run id seen again under another manifest
    EMPTY_KEPT_PREVIOUS = "empty_kept_previous"  # a run with 0 rows: the previous data stays
    REJECTED = "rejected"  # failed validation: the previous data stays; tried again only with --retry-rejected
    FAILED = "failed"  # could not be read this time (source error, a listed part not there yet): the next load retries
    RECOVERED = "recovered"  # data committed by a loader killed before it could log it
    SKIPPED_OVERLAP = "skipped_overlap"  # its costs are all in a broader export scope's partition: not loaded
    RETIRED_OVERLAP = "retired_overlap"  # partition moved to _retired/: a broader export scope holds its costs

    @property
    def is_commit(self) -> bool:
        return self in (Status.LOADED, Status.REPLACED, Status.RECOVERED)

    @property
    def is_failure(self) -> bool:
        """Not loaded, and the month keeps its previous data: the load exits with code 1."""
        return self in (Status.REJECTED, Status.FAILED)


@dataclass(frozen=True)
class LogEntry:
    logged_at: datetime
    invocation_id: str
    source: str
    manifest_path: str
    run_id: str | None
    export_name: str | None
    export_scope: str | None
    export_type: str | None
    data_version: str | None
    table_name: str | None
    billing_month: str | None
    scope_key: str | None
    submitted_time: datetime | None
    status: str
    files: int
    rows: int
    bytes: int
    billed_cost_total: float | None
    effective_cost_total: float | None
    message: str | None
    value_total: float | None = None  # telemetry: sum of the run's values (Azure Monitor total, APIM valueSum)

    @property
    def recency(self) -> tuple[datetime, str]:
        return (self.submitted_time or datetime.min, self.run_id or "")

    @property
    def partition(self) -> Partition | None:
        if self.table_name and self.billing_month and self.scope_key:
            return Partition(self.table_name, self.billing_month, self.scope_key)
        return None


_SQL_TYPES = {
    "logged_at": "TIMESTAMP",
    "submitted_time": "TIMESTAMP",
    "files": "BIGINT",
    "rows": "BIGINT",
    "bytes": "BIGINT",
    "billed_cost_total": "DOUBLE",
    "effective_cost_total": "DOUBLE",
    "value_total": "DOUBLE",
}
SCHEMA: tuple[tuple[str, str], ...] = tuple((f.name, _SQL_TYPES.get(f.name, "VARCHAR")) for f in fields(LogEntry))


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class IngestionLog:
    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def ensure_schema_file(self) -> None:
        """A zero-row file with every log column, so readers see columns added since older log files were written."""
        path = self.lake.log_dir / "0000-schema-only.parquet"
        self.lake.log_dir.mkdir(parents=True, exist_ok=True)
        with duck.connect() as connection:
            if path.exists():
                described = connection.execute(
                    f"describe select * from read_parquet({duck.quote_literal(str(path))})"
                ).fetchall()
                if [(row[0], row[1]) for row in described] == list(SCHEMA):
                    return
            temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            duck.write_empty_parquet(connection, SCHEMA, temporary)
        os.replace(temporary, path)

    def append(self, entries: list[LogEntry]) -> None:
        if not entries:
            return
        self.lake.log_dir.mkdir(parents=True, exist_ok=True)
        name = f"{utc_now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.parquet"
        temporary = self.lake.log_dir / f".{name}.tmp"
        columns = ", ".join(f"{duck.quote_identifier(name)} {kind}" for name, kind in SCHEMA)
        with duck.connect() as connection:
            connection.execute(f"create table entries ({columns})")
            duck.insert_rows(connection, "entries", (astuple(entry) for entry in entries))
            connection.execute(f"copy entries to {duck.quote_literal(str(temporary))} (format parquet)")
        os.replace(temporary, self.lake.log_dir / name)

    def entries(self) -> list[LogEntry]:
        """Every entry, oldest first."""
        files = sorted(self.lake.log_dir.glob("*.parquet"))
        if not files:
            return []
        names = ", ".join(duck.quote_identifier(name) for name, _ in SCHEMA)
        paths = "[" + ", ".join(duck.quote_literal(str(path)) for path in files) + "]"
        with duck.connect() as connection:
            rows = connection.execute(
                f"select {names} from read_parquet({paths}, union_by_name = true) order by logged_at"
            ).fetchall()
        return [LogEntry(*row) for row in rows]

    def current(self) -> dict[Partition, LogEntry]:
        """The committed run of each partition in the lake: its most recent loaded/replaced/recovered entry."""
        return self.current_of(self.entries())

    @staticmethod
    def current_of(entries: list[LogEntry]) -> dict[Partition, LogEntry]:
        """`current()` of entries already read (oldest first)."""
        state: dict[Partition, LogEntry] = {}
        for entry in entries:
            if entry.partition is None:
                continue
            if Status(entry.status).is_commit:
                state[entry.partition] = entry
            elif entry.status == Status.RETIRED_OVERLAP:
                state.pop(entry.partition, None)
        return state
