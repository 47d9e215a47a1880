"""Load export runs and telemetry pulls from a source into the lake, month by month, idempotently.

For each partition (table, billing month, export scope) the newest complete run replaces the month; older or
already seen runs change nothing; a run that disagrees with its manifest is rejected and the month keeps its
previous data until a newer run comes (or its files are fixed in place: `--retry-rejected`). A run that could not
be read this time (the source failed, a listed part is not there yet) is logged `failed` and tried again by the
next load. Every decision lands in the ingestion log.

Cost export runs (described by a manifest) are loaded one at a time; telemetry pulls (one small file each,
possibly thousands) are converted in batches. Both follow the same decisions (`_plan`).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Protocol, TypeVar

import duckdb

from aoai_finops import duck
from aoai_finops.checkpoints import checkpoint
from aoai_finops.convert import InputFile, StagedRun, explain_with_gzip, stage_run
from aoai_finops.convert_telemetry import RejectedPull, StagedPull, TelemetryInput, stage_telemetry
from aoai_finops.datasets import Dataset, dataset_for, registry, telemetry_dataset
from aoai_finops.errors import AoaiFinopsError, ExportValidationError, IncompleteRunError, RetryableError
from aoai_finops.ingestion_log import IngestionLog, LogEntry, Status, utc_now
from aoai_finops.lake import Lake, Partition
from aoai_finops.load_report import LoadReport, RunResult
from aoai_finops.manifest import ExportRun, ManifestBlob, is_manifest, parse_manifest
from aoai_finops.overlaps import ScopeCosts, find_overlaps
from aoai_finops.progress import LoadEvents, NullEvents
from aoai_finops.sources import ExportSource, SourceFile, safe_relative_path
from aoai_finops.telemetry import TelemetryFile, discover_telemetry

R = TypeVar("R")

# Telemetry pulls converted per DuckDB statement: bounded by count and by bytes, so a batch stays small in
# memory and a bad file costs a few splits of one batch, not a re-read of everything.
TELEMETRY_BATCH_FILES = 500
TELEMETRY_BATCH_BYTES = 256 * 1024 * 1024


class Run(Protocol):
    """What the loader's decisions need of a cost export run (ExportRun) or a telemetry pull (TelemetryFile)."""

    @property
    def run_id(self) -> str: ...
    @property
    def manifest_path(self) -> str: ...
    @property
    def export_name(self) -> str: ...
    @property
    def export_scope(self) -> str: ...
    @property
    def export_type(self) -> str: ...
    @property
    def data_version(self) -> str: ...
    @property
    def recency(self) -> tuple[datetime, str]: ...


class Loader:
    def __init__(
        self,
        source: ExportSource,
        lake: Lake,
        *,
        events: LoadEvents | None = None,
        wait_seconds: float = 0.0,
        retry_rejected: bool = False,
    ) -> None:
        self.source = source
        self.lake = lake
        self.log = IngestionLog(lake)
        self.events: LoadEvents = events or NullEvents()
        self._captured: list[RunResult] | None = None  # results of the run in progress, reported together
        self.wait_seconds = wait_seconds
        self.retry_rejected = retry_rejected
        self.invocation_id = uuid.uuid4().hex
        self.report = LoadReport()

    def run(self) -> LoadReport:
        try:
            with self.lake.lock(self.wait_seconds):
                try:
                    self._load()
                finally:
                    self.lake.clear_staging()
        finally:
            self.report.downloads = getattr(self.source, "downloads", 0)
            self.report.downloaded_bytes = getattr(self.source, "downloaded_bytes", 0)
            self.events.finished(self.report)
        return self.report

    def _load(self) -> None:
        self._prepare_lake()
        listing = {file.path: file for file in self.source.list_files()}
        history = self.log.entries()
        current = IngestionLog.current_of(history)
        seen = self._seen_runs(history)
        runs = self._discover_exports(listing, history)
        pulls = self._discover_telemetry(listing, runs)
        self.events.discovered(self.source.describe(), len(runs), len(pulls))
        for partition, candidates in _by_partition(runs, _export_partition).items():
            self._load_export_partition(partition, candidates, current.get(partition), seen, listing)
        self._load_telemetry(_by_partition(pulls, lambda pull: pull.partition), current, seen, listing)
        self._resolve_overlaps()

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
            for partition, summary in _summarise_partitions(self.lake, dataset):
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

    def _seen_runs(self, history: list[LogEntry]) -> dict[str, LogEntry]:
        """Runs an earlier load already decided on, by run id (the latest decision wins), but those to try again."""
        latest = {entry.run_id: entry for entry in history if entry.run_id}
        return {run_id: entry for run_id, entry in latest.items() if not self._retries(entry)}

    def _retries(self, entry: LogEntry) -> bool:
        """Whether this load tries a run again whose latest decision is `entry`."""
        return entry.status == Status.FAILED or (self.retry_rejected and entry.status == Status.REJECTED)

    def _discover_exports(self, listing: dict[str, SourceFile], history: list[LogEntry]) -> list[ExportRun]:
        """Parse the manifests no earlier load decided on; a manifest already decided is not even downloaded."""
        decided = {entry.manifest_path: entry for entry in history if entry.manifest_path}
        runs = []
        for path in sorted(p for p in listing if is_manifest(p)):
            earlier = decided.get(path)
            if earlier is not None and not self._reconsider(earlier, listing[path]):
                self._record(RunResult(path, earlier.run_id, earlier.partition, None))
                continue
            try:
                runs.append(parse_manifest(self.source.read_bytes(path), path))
            except AoaiFinopsError as error:
                status = _failure_status(error)
                self._record(RunResult(path, None, None, status, message=str(error)))
                self.log.append([self._entry(status, manifest_path=path, message=str(error))])
        return runs

    def _reconsider(self, earlier: LogEntry, file: SourceFile) -> bool:
        """Read a manifest again: its run is to be tried again, or the manifest changed since it was decided."""
        if self._retries(earlier):
            return True
        modified = file.last_modified
        return modified is not None and modified.replace(tzinfo=None) > earlier.logged_at

    def _discover_telemetry(self, listing: dict[str, SourceFile], runs: list[ExportRun]) -> list[TelemetryFile]:
        run_folders = {PurePosixPath(path).parent for path in listing if is_manifest(path)}
        outside_runs = (file for path, file in listing.items() if PurePosixPath(path).parent not in run_folders)
        pulls, warnings = discover_telemetry(outside_runs)
        for warning in warnings:
            self._warn(warning)
        return pulls

    # -- decisions shared by export runs and telemetry pulls -----------------------------------------------

    def _plan(
        self, partition: Partition, candidates: list[Run], committed: LogEntry | None, seen: dict[str, LogEntry]
    ) -> tuple[list[LogEntry], list[Run]]:
        """Decide what needs no loading (duplicates, seen, older than the committed run); the rest, newest first."""
        entries: list[LogEntry] = []
        pending: list[Run] = []
        decided_here: set[str] = set()
        for run in sorted(candidates, key=lambda r: r.recency, reverse=True):
            earlier = seen.get(run.run_id)
            # A recovered entry has no manifest path (the lake file does not know it): the same run, not a copy.
            elsewhere = earlier is not None and earlier.manifest_path not in ("", run.manifest_path)
            if run.run_id in decided_here or elsewhere:
                message = f"run {run.run_id} appears again at {run.manifest_path}; ignoring the duplicate"
                if earlier is None or earlier.status != Status.SKIPPED_DUPLICATE:
                    self._warn(message)
                    entries.append(self._run_entry(Status.SKIPPED_DUPLICATE, run, partition, message=message))
                self._record(RunResult(run.manifest_path, run.run_id, partition, Status.SKIPPED_DUPLICATE))
                continue
            decided_here.add(run.run_id)
            if earlier is not None:
                self._record(RunResult(run.manifest_path, run.run_id, partition, None))
            elif committed is not None and run.recency <= committed.recency:
                entries.append(self._skipped_older(run, partition, committed.run_id))
            else:
                pending.append(run)
        return entries, pending

    def _skipped_older(self, run: Run, partition: Partition, newer_run_id: str | None) -> LogEntry:
        message = f"not newer than the loaded run {newer_run_id}"
        self._record(RunResult(run.manifest_path, run.run_id, partition, Status.SKIPPED_OLDER, 0, message))
        return self._run_entry(Status.SKIPPED_OLDER, run, partition, message=message)

    # -- cost export runs, one at a time -------------------------------------------------------------------

    def _load_export_partition(
        self,
        partition: Partition,
        candidates: list[ExportRun],
        committed: LogEntry | None,
        seen: dict[str, LogEntry],
        listing: dict[str, SourceFile],
    ) -> None:
        entries, pending = self._plan(partition, candidates, committed, seen)
        for index, run in enumerate(pending):
            entry = self._load_run(run, partition, listing, replacing=committed is not None)
            entries.append(entry)
            if Status(entry.status).is_commit:
                self.log.append(entries)
                entries = [self._skipped_older(older, partition, run.run_id) for older in pending[index + 1 :]]
                break
        self.log.append(entries)

    def _load_run(
        self, run: ExportRun, partition: Partition, listing: dict[str, SourceFile], *, replacing: bool
    ) -> LogEntry:
        try:
            dataset = dataset_for(run.export_type)
            dataset.columns_for(run.data_version)
            if run.row_count == 0 or not run.blobs:
                return self._empty(run, partition)
            blobs = self._resolve_blobs(run, listing)
        except AoaiFinopsError as error:
            return self._rejected(run, partition, error)
        size = sum(found.size or 0 for _, found in blobs)
        with self._reported(run.run_id, f"{partition} run {run.run_id}", len(blobs), size):
            return self._load_files(run, partition, dataset, blobs, replacing=replacing)

    def _load_files(
        self,
        run: ExportRun,
        partition: Partition,
        dataset: Dataset,
        blobs: list[tuple[ManifestBlob, SourceFile]],
        *,
        replacing: bool,
    ) -> LogEntry:
        try:
            with self.lake.staging_dir() as staging:
                files = [self._input_file(blob, found, staging, run.run_id) for blob, found in blobs]
                self.events.converting(run.run_id)
                staged = self._stage(run, dataset, files, staging)
                try:
                    self._check_counts(run, staged)
                except ExportValidationError:
                    explain_with_gzip(files)
                    raise
                if staged.rows == 0:
                    return self._empty(run, partition)
                covering = self._covering_scope(dataset, partition, staged.path)
                if covering is not None:
                    return self._skipped_overlap(run, partition, covering)
                size = sum(f.local_path.stat().st_size for f in files)
                checkpoint("staged")
                self.lake.commit(staged.path, partition)
                checkpoint("committed")
        except AoaiFinopsError as error:
            return self._rejected(run, partition, error)
        status = Status.REPLACED if replacing else Status.LOADED
        message = "; ".join(staged.warnings) or None
        for warning in staged.warnings:
            self._warn(warning)
        self._record(RunResult(run.manifest_path, run.run_id, partition, status, staged.rows, message))
        return self._run_entry(
            status, run, partition, files=len(files), rows=staged.rows, size=size, totals=staged.totals, message=message
        )

    def _rejected(self, run: ExportRun, partition: Partition, error: AoaiFinopsError) -> LogEntry:
        message = f"{run.manifest_path}: {error}"
        status = _failure_status(error)
        self._record(RunResult(run.manifest_path, run.run_id, partition, status, 0, message))
        return self._run_entry(status, run, partition, message=message)

    def _empty(self, run: Run, partition: Partition) -> LogEntry:
        message = "the run has 0 rows; the previous data for the month is kept"
        self._record(RunResult(run.manifest_path, run.run_id, partition, Status.EMPTY_KEPT_PREVIOUS, 0, message))
        return self._run_entry(Status.EMPTY_KEPT_PREVIOUS, run, partition, message=message)

    # -- overlapping export scopes (aoai_finops.overlaps) -----------------------------------------------------

    def _covering_scope(self, dataset: Dataset, partition: Partition, staged: Path) -> str | None:
        """The export scope of another partition of the month that already holds all of this run's costs."""
        if dataset.sub_account_column is None:
            return None
        others = [p for p in self.lake.partitions(dataset.table) if p.billing_month == partition.billing_month]
        files = {p.scope_key: self.lake.partition_file(p) for p in others if p != partition}
        if not files:
            return None
        costs = _scope_costs(dataset, {**files, partition.scope_key: staged})
        covering = find_overlaps(costs).covered.get(partition.scope_key)
        return costs[covering].export_scope if covering else None

    def _skipped_overlap(self, run: ExportRun, partition: Partition, covering: str) -> LogEntry:
        message = (
            f"all costs of {run.export_scope} for {partition.billing_month} are already in the export of "
            f"{covering}; the broader scope is kept and this run is not loaded, so nothing is counted twice "
            "(docs/loading.md, overlapping export scopes)"
        )
        self._warn(message)
        self._record(RunResult(run.manifest_path, run.run_id, partition, Status.SKIPPED_OVERLAP, 0, message))
        return self._run_entry(Status.SKIPPED_OVERLAP, run, partition, message=message)

    def _resolve_overlaps(self) -> None:
        """Retire partitions a broader export scope covers; warn about scopes that share only some subscriptions."""
        current = self.log.current()
        for dataset in registry().values():
            if dataset.sub_account_column is None:
                continue
            by_month: dict[str, list[Partition]] = defaultdict(list)
            for partition in self.lake.partitions(dataset.table):
                by_month[partition.billing_month].append(partition)
            for month, partitions in sorted(by_month.items()):
                if len(partitions) < 2:
                    continue
                costs = _scope_costs(dataset, {p.scope_key: self.lake.partition_file(p) for p in partitions})
                overlaps = find_overlaps(costs)
                for key, by in sorted(overlaps.covered.items()):
                    self._retire(Partition(dataset.table, month, key), costs[key], costs[by], current)
                for first, second, shared in overlaps.partial:
                    self._warn(
                        f"{dataset.table} {month}: the exports of {costs[first].export_scope} and "
                        f"{costs[second].export_scope} both hold the costs of {len(shared)} subscription(s) "
                        f"({', '.join(sorted(shared)[:3])}{', ...' if len(shared) > 3 else ''}), which are counted "
                        "twice in the marts; keep one export per set of subscriptions"
                    )

    def _retire(
        self, partition: Partition, costs: ScopeCosts, covering: ScopeCosts, current: dict[Partition, LogEntry]
    ) -> None:
        message = (
            f"all costs of {costs.export_scope} for {partition.billing_month} are in the export of "
            f"{covering.export_scope}; the broader scope is kept and this partition moved to _retired/, so "
            "nothing is counted twice (docs/loading.md, overlapping export scopes)"
        )
        committed = current.get(partition)
        run_id = costs.run_id
        # Logged first: if the move never happens, the next load finds the file unlogged, recovers it, and
        # retires it again.
        self.log.append(
            [
                self._entry(
                    Status.RETIRED_OVERLAP,
                    manifest_path=committed.manifest_path if committed else "",
                    partition=partition,
                    run_id=run_id,
                    export_name=committed.export_name if committed else None,
                    export_scope=costs.export_scope,
                    export_type=committed.export_type if committed else None,
                    data_version=committed.data_version if committed else None,
                    submitted_time=committed.submitted_time if committed else None,
                    message=message,
                )
            ]
        )
        self.lake.retire(partition, run_id)
        self._warn(message)
        self._record(RunResult(committed.manifest_path if committed else "", run_id, partition, Status.RETIRED_OVERLAP))

    def _resolve_blobs(self, run: ExportRun, listing: dict[str, SourceFile]) -> list[tuple[ManifestBlob, SourceFile]]:
        """Check the manifest's blobs against the source listing, before anything is downloaded."""
        resolved: list[tuple[ManifestBlob, SourceFile]] = []
        for blob in run.blobs:
            safe_relative_path(blob.name, context=run.manifest_path)
            beside_manifest = (run.folder / PurePosixPath(blob.name).name).as_posix()
            found = listing.get(blob.name) or listing.get(beside_manifest)
            if found is None:
                raise IncompleteRunError(
                    f"the manifest lists {blob.name}, which does not exist in {self.source.describe()}; "
                    "the run is incomplete: the next load tries it again (if the part never comes, re-run the export)"
                )
            if blob.byte_count is not None and found.size is not None and blob.byte_count != found.size:
                raise ExportValidationError(
                    f"{blob.name}: {found.size} bytes, the manifest says {blob.byte_count}; "
                    "the file is truncated or was replaced: re-run the export"
                )
            resolved.append((blob, found))
        listed = {found.path for _, found in resolved}
        for path in listing:
            in_run_folder = PurePosixPath(path).parent == run.folder
            if in_run_folder and not is_manifest(path) and path not in listed:
                self._warn(f"{path}: not listed in {run.manifest_path}; ignored")
        return resolved

    def _input_file(self, blob: ManifestBlob, file: SourceFile, staging: Path, key: str) -> InputFile:
        local = self._fetch(file, staging, key)
        if blob.content_md5 is not None:
            _check_md5(local, blob.content_md5, blob.name)
        return InputFile(blob.name, local)

    def _fetch(self, file: SourceFile, staging: Path, key: str) -> Path:
        """The file on local disk: read in place from a local source, else streamed into the staging folder."""
        name = PurePosixPath(file.path).name
        local_path = getattr(self.source, "local_path", None)
        if local_path is not None:
            self.events.advanced(key, file.size or 0, name)
            return local_path(file.path)
        downloads = staging / "downloads"
        downloads.mkdir(exist_ok=True)
        destination = downloads / f"{uuid.uuid4().hex[:8]}-{name}"
        self.source.download(file.path, destination, progress=lambda size: self.events.advanced(key, size))
        self.events.advanced(key, 0, name)
        return destination

    def _stage(self, run: ExportRun, dataset: Dataset, files: list[InputFile], staging: Path) -> StagedRun:
        # A truncated part is caught by the manifest's byte or row count; without both, decompress it to its end.
        unguarded = frozenset(blob.name for blob in run.blobs if blob.byte_count is None and blob.row_count is None)
        return stage_run(run, dataset, files, staging / "data.parquet", utc_now(), staging, verify_gzip_of=unguarded)

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

    # -- telemetry pulls, in batches -----------------------------------------------------------------------

    def _load_telemetry(
        self,
        partitions: dict[Partition, list[TelemetryFile]],
        current: dict[Partition, LogEntry],
        seen: dict[str, LogEntry],
        listing: dict[str, SourceFile],
    ) -> None:
        """Load the newest new pull of every partition; where one is rejected or empty, try the next newest."""
        pending: dict[Partition, list[TelemetryFile]] = {}
        planned: list[LogEntry] = []
        for partition, candidates in partitions.items():
            entries, to_load = self._plan(partition, candidates, current.get(partition), seen)
            planned.extend(entries)
            if to_load:
                pending[partition] = to_load  # type: ignore[assignment]
        self.log.append(planned)
        while pending:
            round_ = [(partition, pulls[0]) for partition, pulls in pending.items()]
            for batch in _telemetry_batches(round_):
                entries, committed = self._load_pull_batch(batch, current, listing)
                for partition, pull in batch:
                    remaining = pending.pop(partition)[1:]
                    if partition in committed:
                        entries.extend(self._skipped_older(older, partition, pull.run_id) for older in remaining)
                    elif remaining:
                        pending[partition] = remaining
                self.log.append(entries)

    def _load_pull_batch(
        self,
        batch: list[tuple[Partition, TelemetryFile]],
        current: dict[Partition, LogEntry],
        listing: dict[str, SourceFile],
    ) -> tuple[list[LogEntry], set[Partition]]:
        """Convert and commit one batch of pulls (one table); returns their log entries and the partitions committed."""
        table = batch[0][1].table
        dataset = telemetry_dataset(table)
        partition_of = {pull.run_id: partition for partition, pull in batch}
        entries: list[LogEntry] = []
        committed: set[Partition] = set()
        key = f"{table}:{batch[0][1].run_id}"
        size = sum(pull.size or 0 for _, pull in batch)
        with self._reported(key, table, len(batch), size):
            with self.lake.staging_dir() as staging:
                inputs = []
                for partition, pull in batch:
                    try:
                        inputs.append(TelemetryInput(pull, self._fetch(listing[pull.path], staging, key)))
                    except AoaiFinopsError as error:
                        entries.append(self._rejected_pull(pull, partition, str(error), _failure_status(error)))
                self.events.converting(key)
                staged = self._stage_pulls(inputs, dataset, staging, partition_of, entries)
                self.lake.commit_many([(result.path, partition) for result, partition in staged if result.path])
                checkpoint("telemetry_committed")
            for result, partition in staged:
                entries.append(self._committed_pull(result, partition, replacing=partition in current))
                committed.add(partition)
        return entries, committed

    def _stage_pulls(
        self,
        inputs: list[TelemetryInput],
        dataset: Dataset,
        staging: Path,
        partition_of: dict[str, Partition],
        entries: list[LogEntry],
    ) -> list[tuple[StagedPull, Partition]]:
        """Convert a batch; rejected and empty pulls go straight to `entries`, the rest are returned to commit."""
        staged: list[tuple[StagedPull, Partition]] = []
        for result in stage_telemetry(inputs, dataset, staging / "converted", utc_now()):
            partition = partition_of[result.pull.run_id]
            if isinstance(result, RejectedPull):
                entries.append(self._rejected_pull(result.pull, partition, result.message, Status.REJECTED))
            elif result.path is None:
                entries.append(self._empty(result.pull, partition))
            else:
                staged.append((result, partition))
        return staged

    def _committed_pull(self, staged: StagedPull, partition: Partition, *, replacing: bool) -> LogEntry:
        status = Status.REPLACED if replacing else Status.LOADED
        message = "; ".join(staged.warnings) or None
        for warning in staged.warnings:
            self._warn(warning)
        pull = staged.pull
        self._record(RunResult(pull.manifest_path, pull.run_id, partition, status, staged.rows, message))
        return self._run_entry(
            status,
            pull,
            partition,
            files=1,
            rows=staged.rows,
            size=pull.size or 0,
            totals=staged.totals,
            message=message,
        )

    def _rejected_pull(self, pull: TelemetryFile, partition: Partition, message: str, status: Status) -> LogEntry:
        self._record(RunResult(pull.manifest_path, pull.run_id, partition, status, 0, message))
        return self._run_entry(status, pull, partition, message=message)

    # -- bookkeeping ---------------------------------------------------------------------------------------

    def _record(self, result: RunResult) -> None:
        self.report.results.append(result)
        if self._captured is not None:
            self._captured.append(result)
        else:
            self.events.decided(result)

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.events.warned(message)

    @contextmanager
    def _reported(self, key: str, label: str, files: int, size: int) -> Iterator[None]:
        """Report a run (or a batch of pulls) as one: started, its bytes and files, then all its decisions."""
        self.events.run_started(key, label, files, size)
        self._captured = captured = []
        try:
            yield
        finally:
            self._captured = None
            self.events.run_finished(key, captured)

    def _run_entry(self, status: Status, run: Run, partition: Partition, **values) -> LogEntry:
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
            billed_cost_total=totals.get("billed_cost_total"),
            effective_cost_total=totals.get("effective_cost_total"),
            message=message,
            value_total=totals.get("value_total"),
        )


def _failure_status(error: AoaiFinopsError) -> Status:
    """`failed` (tried again by the next load) when reading the run failed, `rejected` when the run is bad."""
    return Status.FAILED if isinstance(error, RetryableError) else Status.REJECTED


def _export_partition(run: ExportRun) -> Partition:
    try:
        table = dataset_for(run.export_type).table
    except ExportValidationError:
        table = f"unknown_{run.export_type.lower()}"
    return Partition(table, run.billing_month, run.scope_key)


def _by_partition(runs: Iterable[R], partition_of: Callable[[R], Partition]) -> dict[Partition, list[R]]:
    grouped: dict[Partition, list[R]] = defaultdict(list)
    for run in runs:
        grouped[partition_of(run)].append(run)
    return dict(sorted(grouped.items(), key=lambda item: str(item[0])))


def _telemetry_batches(
    round_: list[tuple[Partition, TelemetryFile]],
) -> Iterator[list[tuple[Partition, TelemetryFile]]]:
    """Pulls of one table at a time, at most TELEMETRY_BATCH_FILES files or TELEMETRY_BATCH_BYTES bytes a batch."""
    by_table: dict[str, list[tuple[Partition, TelemetryFile]]] = defaultdict(list)
    for partition, pull in round_:
        by_table[pull.table].append((partition, pull))
    for table in sorted(by_table):
        batch: list[tuple[Partition, TelemetryFile]] = []
        size = 0
        for item in by_table[table]:
            if batch and (len(batch) >= TELEMETRY_BATCH_FILES or size + (item[1].size or 0) > TELEMETRY_BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append(item)
            size += item[1].size or 0
        if batch:
            yield batch


def _check_md5(path: Path, expected_base64: str, name: str) -> None:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    actual = base64.b64encode(digest.digest()).decode()
    if actual != expected_base64:
        raise ExportValidationError(
            f"{name}: content MD5 {actual}, the manifest says {expected_base64}; the file is damaged or was "
            "replaced: re-run the export"
        )


def _summarise_partitions(lake: Lake, dataset: Dataset) -> Iterator[tuple[Partition, dict]]:
    """Lineage and totals of every data file of a table, read with one query (the lake may hold thousands)."""
    partitions = list(lake.partitions(dataset.table))
    if not partitions:
        return
    by_file = {str(lake.partition_file(partition)): partition for partition in partitions}
    paths = duck.string_list(by_file)
    with duck.connect() as connection:
        try:
            rows = connection.execute(
                "select filename, any_value(lake_run_id), any_value(lake_export_name), any_value(lake_export_scope), "
                f"any_value(lake_data_version), any_value(lake_submitted_time), count(*)"
                f"{duck.total_sums(dataset.totals)} "
                f"from read_parquet({paths}, filename = true, union_by_name = true) group by filename"
            ).fetchall()
        except duckdb.Error as error:
            raise AoaiFinopsError(
                f"{lake.root / dataset.table}: unreadable lake file ({error}); delete it and load again"
            ) from None
    for filename, run_id, name, scope, version, submitted, count, *values in rows:
        yield (
            by_file[filename],
            {
                "lake_run_id": run_id,
                "lake_export_name": name,
                "lake_export_scope": scope,
                "lake_data_version": version,
                "lake_submitted_time": submitted,
                "rows": count,
                "totals": {log: value for (log, _), value in zip(dataset.totals, values, strict=True)},
            },
        )


def _scope_costs(dataset: Dataset, files: dict[str, Path]) -> dict[str, ScopeCosts]:
    """Export scope, run and distinct sub-accounts of each partition file (by partition key), in one query."""
    assert dataset.sub_account_column is not None
    by_file = {str(path): key for key, path in files.items()}
    column = duck.quote_identifier(dataset.sub_account_column)
    with duck.connect() as connection:
        rows = connection.execute(
            f"select filename, any_value(lake_export_scope), any_value(lake_run_id), "
            f"list(distinct lower({column})) filter (where {column} is not null) "
            f"from read_parquet({duck.string_list(by_file)}, filename = true, union_by_name = true) group by filename"
        ).fetchall()
    return {
        by_file[filename]: ScopeCosts(scope, frozenset(sub_accounts or ()), run_id)
        for filename, scope, run_id, sub_accounts in rows
    }
