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
    REJECTED = "rejected"  # failed validation: the previous data stays
    RECOVERED = "recovered"  # data committed by a loader killed before it could log it

    @property
    def is_commit(self) -> bool:
        return self in (Status.LOADED, Status.REPLACED, Status.RECOVERED)


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
}
SCHEMA: tuple[tuple[str, str], ...] = tuple((f.name, _SQL_TYPES.get(f.name, "VARCHAR")) for f in fields(LogEntry))


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class IngestionLog:
    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def ensure_schema_file(self) -> None:
        path = self.lake.log_dir / "0000-schema-only.parquet"
        if not path.exists():
            self.lake.log_dir.mkdir(parents=True, exist_ok=True)
            with duck.connect() as connection:
                duck.write_empty_parquet(connection, SCHEMA, path)

    def append(self, entries: list[LogEntry]) -> None:
        if not entries:
            return
        self.lake.log_dir.mkdir(parents=True, exist_ok=True)
        name = f"{utc_now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.parquet"
        temporary = self.lake.log_dir / f".{name}.tmp"
        columns = ", ".join(f"{duck.quote_identifier(name)} {kind}" for name, kind in SCHEMA)
        with duck.connect() as connection:
            connection.execute(f"create table entries ({columns})")
            placeholders = ", ".join("?" for _ in SCHEMA)
            connection.executemany(f"insert into entries values ({placeholders})", [astuple(e) for e in entries])
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
        """The committed run of each partition: its most recent loaded/replaced/recovered entry."""
        state: dict[Partition, LogEntry] = {}
        for entry in self.entries():
            if Status(entry.status).is_commit and entry.partition is not None:
                state[entry.partition] = entry
        return state
