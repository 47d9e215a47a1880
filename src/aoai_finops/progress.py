"""What a running load tells its operator: progress bars on a terminal, plain lines in a log, or JSON events.

The loader calls a `LoadEvents`; `events_for(...)` picks the implementation the CLI flags and the terminal ask for:

- `RichEvents`: a progress bar per run or telemetry batch (files, bytes, rows) on stderr, for a terminal.
- `PlainEvents`: one timestamped line per step, for cron and CI logs (stderr not a terminal).
- `JsonEvents`: one JSON object per event on stderr (`--json-log`), for log collectors.
- `NullEvents`: nothing (`--quiet`, and library use).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from typing import IO, Protocol

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from aoai_finops.load_report import LoadReport, RunResult


class LoadEvents(Protocol):
    def discovered(self, source: str, runs: int, pulls: int) -> None:
        """The source was listed: new export runs and telemetry files found."""

    def run_started(self, key: str, label: str, files: int, size: int) -> None:
        """A run (or a batch of telemetry pulls) starts loading: its files and their bytes."""

    def advanced(self, key: str, size: int, file_name: str | None = None) -> None:
        """Bytes of a run's files were downloaded (or a whole local file was reached)."""

    def converting(self, key: str) -> None:
        """The run's files are all local; DuckDB converts them now."""

    def run_finished(self, key: str, results: list[RunResult]) -> None:
        """The run's (or batch's) decisions."""

    def decided(self, result: RunResult) -> None:
        """A decision taken without loading anything (older, duplicate, already loaded)."""

    def warned(self, message: str) -> None: ...

    def finished(self, report: LoadReport) -> None: ...


class NullEvents:
    def discovered(self, source: str, runs: int, pulls: int) -> None:
        pass

    def run_started(self, key: str, label: str, files: int, size: int) -> None:
        pass

    def advanced(self, key: str, size: int, file_name: str | None = None) -> None:
        pass

    def converting(self, key: str) -> None:
        pass

    def run_finished(self, key: str, results: list[RunResult]) -> None:
        pass

    def decided(self, result: RunResult) -> None:
        pass

    def warned(self, message: str) -> None:
        pass

    def finished(self, report: LoadReport) -> None:
        pass


def _is_telemetry(result: RunResult) -> bool:
    return result.table.startswith("telemetry_")


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} B"


def _result_line(result: RunResult) -> str:
    status = result.status.value if result.status else "already loaded"
    where = f" {result.partition}" if result.partition else ""
    rows = f" ({result.rows:,} rows)" if result.rows else ""
    detail = (
        f": {result.message}" if result.message and result.status is not None and not result.status.is_commit else ""
    )
    return f"{status}{where} run {result.run_id or '-'}{rows} [{result.manifest_path}]{detail}"


def _batch_line(results: list[RunResult]) -> str:
    counts = Counter(result.status.value for result in results if result.status)
    rows = sum(result.rows for result in results)
    table = results[0].table if results else "telemetry"
    return (
        f"{table}: {len(results)} file(s): "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + (f" ({rows:,} rows)" if rows else "")
    )


class PlainEvents(NullEvents):
    """Timestamped lines: the cost runs one by one, telemetry batches summarised, every problem in full."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started: dict[str, float] = {}

    def _line(self, text: str) -> None:
        print(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {text}", file=self.stream, flush=True)

    def discovered(self, source: str, runs: int, pulls: int) -> None:
        self._line(f"found {runs} new export run(s) and {pulls} telemetry file(s) in {source}")

    def run_started(self, key: str, label: str, files: int, size: int) -> None:
        self.started[key] = time.monotonic()
        self._line(f"loading {label}: {files} file(s), {_size(size)}")

    def run_finished(self, key: str, results: list[RunResult]) -> None:
        seconds = time.monotonic() - self.started.pop(key, time.monotonic())
        if results and all(_is_telemetry(result) for result in results):
            self._line(f"{_batch_line(results)} in {seconds:.1f} s")
            for result in results:
                if result.is_failure:
                    self._line(_result_line(result))
            return
        for result in results:
            self._line(f"{_result_line(result)} in {seconds:.1f} s")

    def decided(self, result: RunResult) -> None:
        if result.status is not None and not _is_telemetry(result):
            self._line(_result_line(result))

    def warned(self, message: str) -> None:
        self._line(f"warning: {message}")


class JsonEvents(NullEvents):
    """One JSON object per event (and per decision, already-loaded runs excepted) on one line each."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr

    def _event(self, event: str, **fields: object) -> None:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        print(json.dumps(record, default=str), file=self.stream, flush=True)

    def discovered(self, source: str, runs: int, pulls: int) -> None:
        self._event("discovered", source=source, export_runs=runs, telemetry_files=pulls)

    def run_started(self, key: str, label: str, files: int, size: int) -> None:
        self._event("run_started", key=key, label=label, files=files, bytes=size)

    def run_finished(self, key: str, results: list[RunResult]) -> None:
        for result in results:
            self._decision(result, key)

    def decided(self, result: RunResult) -> None:
        if result.status is not None:
            self._decision(result, None)

    def _decision(self, result: RunResult, key: str | None) -> None:
        partition = result.partition
        self._event(
            "run_finished",
            key=key,
            status=result.status.value if result.status else None,
            table=partition.table if partition else None,
            billing_month=partition.billing_month if partition else None,
            scope_key=partition.scope_key if partition else None,
            run_id=result.run_id,
            path=result.manifest_path,
            rows=result.rows,
            message=result.message,
        )

    def warned(self, message: str) -> None:
        self._event("warning", message=message)

    def finished(self, report: LoadReport) -> None:
        self._event(
            "load_finished",
            counts=dict(report.counts()),
            warnings=len(set(report.warnings)),
            downloads=report.downloads,
            downloaded_bytes=report.downloaded_bytes,
            failed=report.failed,
        )


class RichEvents(NullEvents):
    """A bar per run or telemetry batch (bytes downloaded, files, rows), finished runs printed above the bars."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[files]}"),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}
        self.files: dict[str, tuple[int, int]] = {}  # key -> (files reached, files)
        self.progress.start()

    def discovered(self, source: str, runs: int, pulls: int) -> None:
        self.console.print(Text(f"found {runs} new export run(s) and {pulls} telemetry file(s) in {source}"))

    def run_started(self, key: str, label: str, files: int, size: int) -> None:
        self.files[key] = (0, files)
        self.tasks[key] = self.progress.add_task(label, total=size or None, files=f"0/{files} files")

    def advanced(self, key: str, size: int, file_name: str | None = None) -> None:
        if key not in self.tasks:
            return
        reached, total = self.files[key]
        if file_name is not None:
            reached += 1
            self.files[key] = (reached, total)
        # A finished file is drawn at once: the 10 Hz refresh would skip the counts of runs faster than a tick.
        files = f"{reached}/{total} files"
        self.progress.update(self.tasks[key], advance=size, files=files, refresh=file_name is not None)

    def converting(self, key: str) -> None:
        if key in self.tasks:
            task = self.tasks[key]
            _, total = self.files[key]
            self.progress.update(task, files=f"{total}/{total} files, converting", refresh=True)

    def run_finished(self, key: str, results: list[RunResult]) -> None:
        task = self.tasks.pop(key, None)
        if task is not None:
            self.progress.remove_task(task)
        self.files.pop(key, None)
        if results and all(_is_telemetry(result) for result in results):
            self.console.print(Text(_batch_line(results)))
            results = [result for result in results if result.is_failure]
        for result in results:
            committed = result.status is not None and result.status.is_commit
            style = "red" if result.is_failure else "green" if committed else "yellow"
            self.console.print(Text(_result_line(result), style=style))

    def decided(self, result: RunResult) -> None:
        if result.status is not None and not _is_telemetry(result):
            self.console.print(Text(_result_line(result)))

    def warned(self, message: str) -> None:
        self.console.print(Text.assemble(("warning: ", "yellow"), message))

    def finished(self, report: LoadReport) -> None:
        self.progress.stop()


def events_for(*, quiet: bool, json_log: bool, stream: IO[str] | None = None) -> LoadEvents:
    """JSON lines with --json-log, nothing with --quiet, bars on a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    if json_log:
        return JsonEvents(stream)
    if quiet:
        return NullEvents()
    if stream.isatty():
        return RichEvents(Console(file=stream, highlight=False))
    return PlainEvents(stream)
