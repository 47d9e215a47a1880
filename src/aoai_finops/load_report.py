"""What a load did: one result per run or telemetry pull the loader looked at, and the warnings it gave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aoai_finops.ingestion_log import Status
from aoai_finops.lake import Partition


@dataclass(frozen=True)
class RunResult:
    manifest_path: str
    run_id: str | None
    partition: Partition | None
    status: Status | None  # None: seen in an earlier load, nothing to do
    rows: int = 0
    message: str | None = None

    @property
    def is_failure(self) -> bool:
        return self.status is not None and self.status.is_failure

    @property
    def table(self) -> str:
        return self.partition.table if self.partition else "-"


@dataclass
class LoadReport:
    results: list[RunResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    downloads: int = 0  # files read from the source (manifests included); 0 for a folder read in place
    downloaded_bytes: int = 0

    @property
    def failed(self) -> bool:
        return any(result.is_failure for result in self.results)

    def count(self, status: Status | None) -> int:
        return sum(1 for result in self.results if result.status is status)

    def counts(self) -> Counter[str]:
        """Results by status value ("already loaded" for runs an earlier load decided)."""
        return Counter(result.status.value if result.status else "already loaded" for result in self.results)
