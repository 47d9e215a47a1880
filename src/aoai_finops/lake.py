"""The Parquet lake on disk: its layout, the writer lock, staging and the atomic swap of a partition.

One file per partition (`<table>/<YYYY-MM>/<scope_key>/data.parquet`), replaced with a single `os.replace`:
readers see the previous file or the new one, never a mix, and a killed loader leaves only an orphan in
`_staging/`, which the next loader removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aoai_finops.errors import LakeLockedError

LAYOUT_VERSION = 1
PARTITION_FILE = "data.parquet"
SCHEMA_ONLY_MONTH = "0000-00"
SCHEMA_ONLY_SCOPE = "schema-only"


@dataclass(frozen=True)
class Partition:
    table: str
    billing_month: str
    scope_key: str

    def __str__(self) -> str:
        return f"{self.table} {self.billing_month} {self.scope_key}"


class Lake:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @property
    def staging_root(self) -> Path:
        return self.root / "_staging"

    @property
    def log_dir(self) -> Path:
        return self.root / "_ingestion_log"

    def partition_file(self, partition: Partition) -> Path:
        return self.root / partition.table / partition.billing_month / partition.scope_key / PARTITION_FILE

    def schema_file(self, table: str) -> Path:
        return self.partition_file(Partition(table, SCHEMA_ONLY_MONTH, SCHEMA_ONLY_SCOPE))

    def partitions(self, table: str) -> Iterator[Partition]:
        """Partitions holding data (the schema-only file excluded)."""
        for path in sorted((self.root / table).glob(f"*/*/{PARTITION_FILE}")):
            month, scope = path.parent.parent.name, path.parent.name
            if month != SCHEMA_ONLY_MONTH:
                yield Partition(table, month, scope)

    def ensure_layout(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        marker = self.root / "_lake.json"
        if not marker.exists():
            _write_atomically(marker, json.dumps({"layout_version": LAYOUT_VERSION}, indent=2).encode())

    @contextmanager
    def lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Hold the lake's writer lock; another loader gets LakeLockedError after `wait_seconds`."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "_lock", "a+") as handle:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LakeLockedError(
                            f"another aoai-finops load is writing to {self.root}; wait for it to finish "
                            "or pass --wait SECONDS to queue behind it"
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def clear_staging(self) -> None:
        """Remove what an interrupted loader left behind. Call only while holding the lock."""
        shutil.rmtree(self.staging_root, ignore_errors=True)

    @contextmanager
    def staging_dir(self) -> Iterator[Path]:
        path = self.staging_root / uuid.uuid4().hex
        path.mkdir(parents=True)
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def commit(self, staged_file: Path, partition: Partition) -> None:
        """Swap a staged file in as the partition's data, atomically."""
        target = self.partition_file(partition)
        target.parent.mkdir(parents=True, exist_ok=True)
        _fsync(staged_file)
        os.replace(staged_file, target)
        _fsync_dir(target.parent)

    def retire(self, partition: Partition, run_id: str) -> Path:
        """Move a partition's data out of its table (readers no longer see it), kept under `_retired/`."""
        source = self.partition_file(partition)
        target = self.root / "_retired" / partition.table / partition.billing_month / partition.scope_key
        target.mkdir(parents=True, exist_ok=True)
        target = target / f"{run_id}.parquet"
        os.replace(source, target)
        _fsync_dir(target.parent)
        _fsync_dir(source.parent)
        with contextlib.suppress(OSError):
            source.parent.rmdir()
        return target

    def commit_many(self, staged: list[tuple[Path, Partition]]) -> None:
        """Swap in many staged files (telemetry batches), each atomically, with one filesystem sync for all."""
        _sync_all([path for path, _ in staged])
        parents = []
        for path, partition in staged:
            target = self.partition_file(partition)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            parents.append(target.parent)
        _sync_all(parents)


def _sync_all(paths: list[Path]) -> None:
    """Make files or folders durable: Linux syncfs(2) once for the whole filesystem, else an fsync each.

    An fsync per file costs milliseconds; a telemetry load commits thousands of small files.
    """
    if not paths:
        return
    syncfs = _syncfs()
    if syncfs is not None:
        descriptor = os.open(paths[0], os.O_RDONLY)
        try:
            if syncfs(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    for path in paths:
        if path.is_dir():
            _fsync_dir(path)
        else:
            _fsync(path)


@cache
def _syncfs():
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def _write_atomically(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(content)
    _fsync(temporary)
    os.replace(temporary, path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
