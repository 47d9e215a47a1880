"""Load export runs from a source into the lake, month by month, idempotently.

For each partition (table, billing month, export scope) the newest complete run replaces the month; older or
already seen runs change nothing; a run that disagrees with its manifest is rejected and the month keeps its
previous data. Every decision lands in the ingestion log.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import duckdb

from aoai_finops import duck
from aoai_finops.convert import InputFile, StagedRun, stage_run, total_sums
from aoai_finops.datasets import Dataset, dataset_for, registry
from aoai_finops.errors import AoaiFinopsError, ExportValidationError
from aoai_finops.ingestion_log import IngestionLog, LogEntry, Status, utc_now
from aoai_finops.lake import Lake, Partition
from aoai_finops.manifest import ExportRun, is_manifest, parse_manifest
from aoai_finops.sources import ExportSource, SourceFile, safe_relative_path

Echo = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    manifest_path: str
    run_id: str | None
    partition: Partition | None
    status: Status | None  # None: seen in an earlier load, nothing to do
    rows: int = 0
    message: str | None = None


@dataclass
class LoadReport:
    results: list[RunResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(result.status is Status.REJECTED for result in self.results)

    def count(self, status: Status | None) -> int:
        return sum(1 for result in self.results if result.status is status)


class Loader:
    def __init__(
        self,
        source: ExportSource,
        lake: Lake,
        *,
        echo: Echo | None = None,
        wait_seconds: float = 0.0,
        retry_rejected: bool = False,
    ) -> None:
        self.source = source
        self.lake = lake
        self.log = IngestionLog(lake)
        self.echo = echo or (lambda _message: None)
        self.wait_seconds = wait_seconds
        self.retry_rejected = retry_rejected
        self.invocation_id = uuid.uuid4().hex
        self.report = LoadReport()

    def run(self) -> LoadReport:
        with self.lake.lock(self.wait_seconds):
            self._prepare_lake()
            listing = {file.path: file for file in self.source.list_files()}
            runs = self._discover(listing)
            by_partition: dict[Partition, list[ExportRun]] = defaultdict(list)
            for run in runs:
                by_partition[_partition_of(run)].append(run)
            current = self.log.current()
            seen = self._seen_runs()
            for partition in sorted(by_partition, key=str):
                candidates = sorted(by_partition[partition], key=lambda r: r.recency, reverse=True)
                self._load_partition(partition, candidates, current.get(partition), seen, listing)
        return self.report

    # -- preparation ---------------------------------------------------------------------------------------

    def _prepare_lake(self) -> None:
        self.lake.ensure_layout()
        self.lake.clear_staging()
        self.log.ensure_schema_file()
        with duck.connect() as connection:
            for dataset in registry().values():
                schema_file = self.lake.schema_file(dataset.table)
                if not schema_file.exists():
                    schema_file.parent.mkdir(parents=True, exist_ok=True)
                    duck.write_empty_parquet(connection, dataset.lake_schema(), schema_file)
        self._recover_unlogged_commits()

    def _recover_unlogged_commits(self) -> None:
        """Log partitions committed by a loader that was killed before writing its log entry."""
        current = self.log.current()
        recovered = []
        for dataset in registry().values():
            for partition in self.lake.partitions(dataset.table):
                path = self.lake.partition_file(partition)
                summary = _summarise_partition_file(path, dataset)
                logged = current.get(partition)
                if logged is None or logged.run_id != summary["lake_run_id"]:
                    recovered.append(
                        self._entry(
                            Status.RECOVERED,
                            manifest_path="",
                            partition=partition,
                            run_id=summary["lake_run_id"],
                            export_name=summary["lake_export_name"],
                            export_scope=summary["lake_export_scope"],
                            export_type=dataset.export_type,
                            data_version=summary["lake_data_version"],
                            submitted_time=summary["lake_submitted_time"],
                            rows=summary["rows"],
                            totals=summary["totals"],
                            message="committed by an interrupted load; logged on recovery",
                        )
                    )
        self.log.append(recovered)

    def _seen_runs(self) -> dict[str, LogEntry]:
        """Runs an earlier load already decided on, by run id (the latest decision wins)."""
        seen = {}
        for entry in self.log.entries():
            if entry.run_id and not (self.retry_rejected and entry.status == Status.REJECTED):
                seen[entry.run_id] = entry
        return seen

    def _discover(self, listing: dict[str, SourceFile]) -> list[ExportRun]:
        runs = []
        for path in sorted(p for p in listing if is_manifest(p)):
            try:
                runs.append(parse_manifest(self.source.read_bytes(path), path))
            except AoaiFinopsError as error:
                self._record(RunResult(path, None, None, Status.REJECTED, message=str(error)))
                self.log.append([self._entry(Status.REJECTED, manifest_path=path, message=str(error))])
        self.echo(f"found {len(runs)} export run(s) in {self.source.describe()}")
        return runs

    # -- one partition -------------------------------------------------------------------------------------

    def _load_partition(
        self,
        partition: Partition,
        candidates: list[ExportRun],
        committed: LogEntry | None,
        seen: dict[str, LogEntry],
        listing: dict[str, SourceFile],
    ) -> None:
        entries: list[LogEntry] = []
        decided_here: set[str] = set()
        for run in candidates:
            earlier = seen.get(run.run_id)
            if run.run_id in decided_here or (earlier is not None and earlier.manifest_path != run.manifest_path):
                message = f"run {run.run_id} appears again at {run.manifest_path}; ignoring the duplicate"
                if earlier is None or earlier.status != Status.SKIPPED_DUPLICATE:
                    self.report.warnings.append(message)
                    entries.append(self._run_entry(Status.SKIPPED_DUPLICATE, run, partition, message=message))
                self._record(RunResult(run.manifest_path, run.run_id, partition, Status.SKIPPED_DUPLICATE))
                continue
            if earlier is not None:
                self._record(RunResult(run.manifest_path, run.run_id, partition, None))
                decided_here.add(run.run_id)
                continue
            decided_here.add(run.run_id)
            if committed is not None and run.recency <= committed.recency:
                message = f"not newer than the loaded run {committed.run_id}"
                entries.append(self._run_entry(Status.SKIPPED_OLDER, run, partition, message=message))
                self._record(RunResult(run.manifest_path, run.run_id, partition, Status.SKIPPED_OLDER, 0, message))
                continue
            entry = self._load_run(run, partition, listing, replacing=committed is not None)
            entries.append(entry)
            if Status(entry.status).is_commit:
                committed = entry
                self.log.append(entries)
                entries = []
        self.log.append(entries)

    def _load_run(
        self, run: ExportRun, partition: Partition, listing: dict[str, SourceFile], *, replacing: bool
    ) -> LogEntry:
        self.echo(f"loading {partition} from run {run.run_id} ({run.manifest_path})")
        try:
            dataset = dataset_for(run.export_type)
            dataset.columns_for(run.data_version)
            if run.row_count == 0 or not run.blobs:
                message = "the run has 0 rows; the previous data for the month is kept"
                self._record(
                    RunResult(run.manifest_path, run.run_id, partition, Status.EMPTY_KEPT_PREVIOUS, 0, message)
                )
                return self._run_entry(Status.EMPTY_KEPT_PREVIOUS, run, partition, message=message)
            files = self._resolve_files(run, listing)
            with self.lake.staging_dir() as staging:
                staged = self._stage(run, dataset, files, staging)
                self._check_counts(run, staged)
                if staged.rows == 0:
                    return self._empty(run, partition)
                self.lake.commit(staged.path, partition)
        except AoaiFinopsError as error:
            message = f"{run.manifest_path}: {error}"
            self.echo(f"rejected {run.manifest_path}: {error}")
            self._record(RunResult(run.manifest_path, run.run_id, partition, Status.REJECTED, 0, message))
            return self._run_entry(Status.REJECTED, run, partition, message=message)
        status = Status.REPLACED if replacing else Status.LOADED
        message = "; ".join(staged.warnings) or None
        self.report.warnings.extend(staged.warnings)
        self._record(RunResult(run.manifest_path, run.run_id, partition, status, staged.rows, message))
        return self._run_entry(
            status,
            run,
            partition,
            files=len(files),
            rows=staged.rows,
            size=sum(f.local_path.stat().st_size for f in files),
            totals=staged.totals,
            message=message,
        )

    def _empty(self, run: ExportRun, partition: Partition) -> LogEntry:
        message = "the run has 0 rows; the previous data for the month is kept"
        self._record(RunResult(run.manifest_path, run.run_id, partition, Status.EMPTY_KEPT_PREVIOUS, 0, message))
        return self._run_entry(Status.EMPTY_KEPT_PREVIOUS, run, partition, message=message)

    def _resolve_files(self, run: ExportRun, listing: dict[str, SourceFile]) -> list[InputFile]:
        """Check the manifest's blobs against the source listing and return them as local files."""
        resolved: list[tuple[str, SourceFile]] = []
        for blob in run.blobs:
            safe_relative_path(blob.name, context=run.manifest_path)
            beside_manifest = (run.folder / PurePosixPath(blob.name).name).as_posix()
            found = listing.get(blob.name) or listing.get(beside_manifest)
            if found is None:
                raise ExportValidationError(
                    f"the manifest lists {blob.name}, which does not exist in {self.source.describe()}; "
                    "the run is incomplete: wait for the export to finish or re-run it"
                )
            if blob.byte_count is not None and found.size is not None and blob.byte_count != found.size:
                raise ExportValidationError(
                    f"{blob.name}: {found.size} bytes, the manifest says {blob.byte_count}; "
                    "the file is truncated or was replaced: re-run the export"
                )
            resolved.append((blob.name, found))
        listed = {found.path for _, found in resolved}
        for path in listing:
            in_run_folder = PurePosixPath(path).parent == run.folder
            if in_run_folder and not is_manifest(path) and path not in listed:
                self.report.warnings.append(f"{path}: not listed in {run.manifest_path}; ignored")
        return [InputFile(name, self._local_copy(found)) for name, found in resolved]

    def _local_copy(self, file: SourceFile) -> Path:
        local_path = getattr(self.source, "local_path", None)
        if local_path is None:
            raise ExportValidationError(f"{file.path}: this source cannot provide local files")
        return local_path(file.path)

    def _stage(self, run: ExportRun, dataset: Dataset, files: list[InputFile], staging: Path) -> StagedRun:
        return stage_run(run, dataset, files, staging / "data.parquet", utc_now(), staging)

    @staticmethod
    def _check_counts(run: ExportRun, staged: StagedRun) -> None:
        for blob in run.blobs:
            actual = staged.rows_by_file.get(blob.name, 0)
            if blob.row_count is not None and blob.row_count != actual:
                raise ExportValidationError(
                    f"{blob.name}: {actual} data rows, the manifest says {blob.row_count}; "
                    "the file is incomplete: re-run the export"
                )
        if run.row_count is not None and run.row_count != staged.rows:
            raise ExportValidationError(
                f"the run's files hold {staged.rows} data rows, the manifest says {run.row_count}; "
                "the run is incomplete: re-run the export"
            )

    # -- bookkeeping ---------------------------------------------------------------------------------------

    def _record(self, result: RunResult) -> None:
        self.report.results.append(result)

    def _run_entry(self, status: Status, run: ExportRun, partition: Partition, **values) -> LogEntry:
        return self._entry(
            status,
            manifest_path=run.manifest_path,
            partition=partition,
            run_id=run.run_id,
            export_name=run.export_name,
            export_scope=run.export_scope,
            export_type=run.export_type,
            data_version=run.data_version,
            submitted_time=run.recency[0],
            **values,
        )

    def _entry(
        self,
        status: Status,
        *,
        manifest_path: str,
        partition: Partition | None = None,
        run_id: str | None = None,
        export_name: str | None = None,
        export_scope: str | None = None,
        export_type: str | None = None,
        data_version: str | None = None,
        submitted_time=None,
        files: int = 0,
        rows: int = 0,
        size: int = 0,
        totals: dict[str, float | None] | None = None,
        message: str | None = None,
    ) -> LogEntry:
        totals = totals or {}
        return LogEntry(
            logged_at=utc_now(),
            invocation_id=self.invocation_id,
            source=self.source.describe(),
            manifest_path=manifest_path,
            run_id=run_id,
            export_name=export_name,
            export_scope=export_scope,
            export_type=export_type,
            data_version=data_version,
            table_name=partition.table if partition else None,
            billing_month=partition.billing_month if partition else None,
            scope_key=partition.scope_key if partition else None,
            submitted_time=submitted_time,
            status=status.value,
            files=files,
            rows=rows,
            bytes=size,
            billed_cost_total=totals.get("BilledCost"),
            effective_cost_total=totals.get("EffectiveCost"),
            message=message,
        )


def _partition_of(run: ExportRun) -> Partition:
    try:
        table = dataset_for(run.export_type).table
    except ExportValidationError:
        table = f"unknown_{run.export_type.lower()}"
    return Partition(table, run.billing_month, run.scope_key)


def _summarise_partition_file(path: Path, dataset: Dataset) -> dict:
    sums = total_sums(dataset)
    with duck.connect() as connection:
        try:
            row = connection.execute(
                "select any_value(lake_run_id), any_value(lake_export_name), any_value(lake_export_scope), "
                f"any_value(lake_data_version), any_value(lake_submitted_time), count(*){', ' + sums if sums else ''} "
                f"from read_parquet({duck.quote_literal(str(path))})"
            ).fetchone()
        except duckdb.Error as error:
            raise AoaiFinopsError(f"{path}: unreadable lake file ({error}); delete it and load again") from None
    run_id, name, scope, version, submitted, rows, *values = row
    return {
        "lake_run_id": run_id,
        "lake_export_name": name,
        "lake_export_scope": scope,
        "lake_data_version": version,
        "lake_submitted_time": submitted,
        "rows": rows,
        "totals": dict(zip((name for name, _ in dataset.totals), values, strict=True)),
    }
