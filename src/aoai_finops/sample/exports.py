"""Cost Management export runs on disk: `part_N_NNNN.csv.gz` files and the run's `manifest.json`.

Layout (container = the output folder):
`<rootFolderPath>/<exportName>/<YYYYMMDD-YYYYMMDD>/<runId>/part_<N>_0001.csv.gz` plus `manifest.json` beside them.
DuckDB writes each part as plain CSV into a pipe that Python gzips (mtime 0, so the bytes depend on the content
only). Parts are written concurrently, one DuckDB thread each (see `single_threaded_queries`): DuckDB's parallel
CSV writer spends about as much CPU re-ordering batches as formatting them, so parallelism across files is
cheaper, and zlib releases the GIL.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from aoai_finops.sample import focus, legacy
from aoai_finops.sample.calendar import Run
from aoai_finops.sample.cursors import ThreadCursors
from aoai_finops.sample.estate import Subscription
from aoai_finops.sample.flavours import BillingIdentity, Flavour
from aoai_finops.sample.focus import bind_dimensions, part_query

ROOT_FOLDER = "costexports"
MANIFEST_VERSION = "2024-04-01"
API_VERSION = "2023-07-01-preview"
# Level 1: several times faster than the default 6 for ~25% larger files; any gzip reader accepts it.
GZIP_LEVEL = 1
_CHUNK = 1 << 22


@dataclass(frozen=True)
class Part:
    flavour: Flavour
    run: Run
    index: int
    first_row: int
    end_row: int

    @property
    def rows(self) -> int:
        return self.end_row - self.first_row

    def blob_name(self) -> str:
        return f"{run_folder(self.flavour, self.run)}/part_{self.index}_0001.csv.gz"


@dataclass(frozen=True)
class WrittenRun:
    flavour: Flavour
    run: Run
    manifest_path: str  # relative to the output folder
    blobs: tuple[tuple[str, int, int], ...]  # blob name, bytes, rows

    @property
    def run_id(self) -> str:
        return self.flavour.run_id(self.run)

    @property
    def rows(self) -> int:
        return sum(rows for _, _, rows in self.blobs)

    @property
    def bytes(self) -> int:
        return sum(size for _, size, _ in self.blobs)


def run_folder(flavour: Flavour, run: Run) -> str:
    return f"{ROOT_FOLDER}/{flavour.export_name}/{run.month.folder}/{flavour.run_id(run)}"


def plan_parts(
    flavour: Flavour,
    runs: list[Run],
    rows_per_day: dict[int, dict[int, int]],
    day_of: Callable[[date], int],
    limit: int,
) -> list[Part]:
    """Split each run's rows (a prefix of its month's lines: every day up to `data_through`) into parts."""
    parts = []
    for run in runs:
        through = day_of(run.data_through)
        total = sum(count for day, count in rows_per_day.get(run.month.index, {}).items() if day <= through)
        starts = range(0, total, limit) if total else [0]
        for index, first in enumerate(starts):
            parts.append(Part(flavour, run, index, first, min(first + limit, total)))
    return parts


def select_list(flavour: Flavour, billing: BillingIdentity) -> str:
    """The export's columns as a SELECT list over `lines`."""
    if flavour.dataset == "focus-cost":
        return focus.projection(billing, flavour.focus_version)
    return legacy.projection(flavour, billing)


def _gzip_stream(source: Path, target: Path) -> None:
    """gzip with a fixed header (mtime 0, no file name): identical input gives identical bytes."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    # Target first: if it cannot be created, the pipe was never opened and the writer is released by the caller.
    with target.open("wb") as writer, source.open("rb") as reader:
        while chunk := reader.read(_CHUNK):
            writer.write(compressor.compress(chunk))
        writer.write(compressor.flush())


def copy_gzipped(cursor: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    """COPY a query to `target` as gzipped CSV with a header.

    DuckDB writes plain CSV into a named pipe while a thread gzips from it, so formatting and compression run
    side by side and the uncompressed CSV never touches the disk. Without named pipes, a temporary file is used.
    """
    if not hasattr(os, "mkfifo"):
        plain = target.with_name(f".{target.name}.tmp")
        try:
            cursor.execute(f"COPY ({query}) TO '{plain.as_posix()}' (FORMAT csv, HEADER true)")
            _gzip_stream(plain, target)
        finally:
            plain.unlink(missing_ok=True)
        return
    fifo = target.with_name(f".{target.name}.fifo")
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    failures: list[BaseException] = []

    def compress() -> None:
        try:
            _gzip_stream(fifo, target)
        except BaseException as error:  # re-raised in the caller's thread
            failures.append(error)
            # A writer still waiting in open() wakes up, then fails writing to a pipe without a reader.
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=compress, name=f"gzip {target.name}", daemon=True)
    thread.start()
    try:
        cursor.execute(f"COPY ({query}) TO '{fifo.as_posix()}' (FORMAT csv, HEADER true)")
    except BaseException as error:
        _release_reader(fifo, thread)
        thread.join()
        target.unlink(missing_ok=True)
        if failures:
            raise failures[0] from error
        raise
    finally:
        thread.join()
        fifo.unlink(missing_ok=True)
    if failures:
        raise failures[0]


def _release_reader(fifo: Path, thread: threading.Thread) -> None:
    """After a failed COPY, open and close the pipe's write end so a reader still waiting in open() gets EOF."""
    while thread.is_alive():
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            thread.join(0.01)  # no reader yet (ENXIO) or already gone: retry until the thread ends
        else:
            return


def _write_part(cursors: ThreadCursors, billing: BillingIdentity, part: Part, out: Path) -> int:
    target = out / part.blob_name()
    query = part_query(
        select_list(part.flavour, billing),
        part.flavour.row_number_column,
        part.run.month.index,
        part.first_row,
        part.end_row,
    )
    copy_gzipped(cursors.get(), query, target)
    return target.stat().st_size


def write_runs(
    con: duckdb.DuckDBPyConnection,
    *,
    out: Path,
    parts: list[Part],
    billing: BillingIdentity,
    storage_subscription: Subscription,
    workers: int,
) -> list[WrittenRun]:
    """Write every part (concurrently), then each run's manifest.json listing its blobs."""
    for part in parts:
        (out / run_folder(part.flavour, part.run)).mkdir(parents=True, exist_ok=True)
    with ThreadCursors(con, setup=bind_dimensions) as cursors, ThreadPoolExecutor(max_workers=workers) as pool:
        sizes = list(pool.map(lambda part: _write_part(cursors, billing, part, out), parts))
    by_run: dict[tuple[str, str], list[tuple[Part, int]]] = {}
    for part, size in zip(parts, sizes, strict=True):
        by_run.setdefault((part.flavour.dataset, part.run.run_id), []).append((part, size))
    written = []
    for entries in by_run.values():
        flavour, run = entries[0][0].flavour, entries[0][0].run
        blobs = tuple((part.blob_name(), size, part.rows) for part, size in entries)
        manifest = manifest_for(flavour, run, blobs, billing, storage_subscription)
        path = f"{run_folder(flavour, run)}/manifest.json"
        (out / path).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        written.append(WrittenRun(flavour=flavour, run=run, manifest_path=path, blobs=blobs))
    return written


def manifest_for(
    flavour: Flavour,
    run: Run,
    blobs: tuple[tuple[str, int, int], ...],
    billing: BillingIdentity,
    storage_subscription: Subscription,
) -> dict[str, object]:
    """manifest.json (manifestVersion 2024-04-01) with the fields Cost Management writes."""
    return {
        "manifestVersion": MANIFEST_VERSION,
        "byteCount": sum(size for _, size, _ in blobs),
        "blobCount": len(blobs),
        "dataRowCount": sum(rows for _, _, rows in blobs),
        "exportConfig": {
            "exportName": flavour.export_name,
            "resourceId": f"{billing.scope}/providers/Microsoft.CostManagement/exports/{flavour.export_name}",
            "dataVersion": flavour.data_version,
            "apiVersion": API_VERSION,
            "type": flavour.export_type,
            "timeFrame": "MonthToDate",
            "granularity": "Daily",
        },
        "deliveryConfig": {
            "partitionData": True,
            # Every run keeps its own folder (the sample needs the history to test month replacement).
            "dataOverwriteBehavior": "CreateNewReport",
            "fileFormat": "Csv",
            "compressionMode": "gzip",
            "containerUri": f"/subscriptions/{storage_subscription.id}/resourceGroups/rg-finops"
            "/providers/Microsoft.Storage/storageAccounts/stcontosofinops",
            "rootFolderPath": ROOT_FOLDER,
        },
        "runInfo": {
            "executionType": "Scheduled",
            "submittedTime": run.submitted_text,
            "runId": flavour.run_id(run),
            # As Cost Management writes them: startDate without a zone designator, endDate with one.
            "startDate": f"{run.month.start:%Y-%m-%d}T00:00:00",
            "endDate": f"{run.data_through:%Y-%m-%d}T00:00:00Z",
        },
        "blobs": [{"blobName": name, "byteCount": size, "dataRowCount": rows} for name, size, rows in blobs],
    }


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


@contextmanager
def single_threaded_queries(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run each query on its calling thread only, while the caller runs several queries side by side."""
    (threads,) = con.execute("SELECT current_setting('threads')").fetchone()
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")
