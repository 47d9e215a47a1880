"""What the caller can choose about a sample, and the checks that reject choices no sample can satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoai_finops.errors import AoaiFinopsError
from aoai_finops.sample.flavours import AGREEMENTS, DATASETS, DEFAULT_FOCUS_VERSION, FOCUS_VERSIONS

# The default must not depend on today's date: the same command gives the same files on any day.
DEFAULT_END_DATE = date(2026, 10, 20)
# Azure splits export files by size (< 1 GB uncompressed, roughly 400k-500k rows); 250k keeps parts moderate.
MAX_ROWS_PER_PART = 250_000
# Small samples still get several parts per run, so loaders are tested on multi-part runs by default.
ROWS_PER_PART_PER_SCALE = 1_000
MAX_ACCOUNTS = 99
MAX_MONTHS = 36
MAX_RUNS_PER_MONTH = 28


class SampleError(AoaiFinopsError):
    """Sample options that cannot produce a sample, or an output folder the generator will not write into."""


@dataclass(frozen=True)
class SampleOptions:
    months: int = 3
    accounts: int = 4
    seed: int = 42
    scale: int = 1
    end_date: date = DEFAULT_END_DATE
    runs_per_month: int = 4
    clean: bool = False
    rows_per_part: int | None = None
    telemetry: bool = True
    overwrite: bool = False
    # Exports of the bill to write (see aoai_finops.sample.flavours); the default is one FocusCost 1.0r2 export.
    datasets: tuple[str, ...] = ("focus-cost",)
    focus_version: str = DEFAULT_FOCUS_VERSION
    agreement: str = "ea"

    def __post_init__(self) -> None:
        checks = (
            (1 <= self.months <= MAX_MONTHS, f"--months must be between 1 and {MAX_MONTHS}, got {self.months}"),
            (
                1 <= self.accounts <= MAX_ACCOUNTS,
                f"--accounts must be between 1 and {MAX_ACCOUNTS}, got {self.accounts}",
            ),
            (self.scale >= 1, f"--scale must be 1 or more, got {self.scale}"),
            (
                1 <= self.runs_per_month <= MAX_RUNS_PER_MONTH,
                f"--runs-per-month must be between 1 and {MAX_RUNS_PER_MONTH}, got {self.runs_per_month}",
            ),
            (
                self.rows_per_part is None or self.rows_per_part >= 1,
                f"--rows-per-part must be 1 or more, got {self.rows_per_part}",
            ),
            (self.seed >= 0, f"--seed must be 0 or more, got {self.seed}"),
            (
                bool(self.datasets) and set(self.datasets) <= set(DATASETS),
                f"--dataset must be one or more of {', '.join(DATASETS)}, got {', '.join(self.datasets) or 'none'}",
            ),
            (len(set(self.datasets)) == len(self.datasets), f"--dataset lists a dataset twice: {self.datasets}"),
            (
                self.focus_version in FOCUS_VERSIONS,
                f"--focus-version must be one of {', '.join(FOCUS_VERSIONS)}, got {self.focus_version!r}",
            ),
            (
                self.agreement in AGREEMENTS,
                f"--agreement must be one of {', '.join(AGREEMENTS)}, got {self.agreement!r}",
            ),
        )
        for ok, message in checks:
            if not ok:
                raise SampleError(message)

    @property
    def part_row_limit(self) -> int:
        """Rows per export file: explicit, else a budget that grows with the scale up to Azure-like sizes."""
        if self.rows_per_part is not None:
            return self.rows_per_part
        return min(MAX_ROWS_PER_PART, ROWS_PER_PART_PER_SCALE * self.scale)
