"""What a generation produced: counts for tests and a short human summary for the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aoai_finops.sample.options import SampleOptions


@dataclass(frozen=True)
class SampleReport:
    out: Path
    options: SampleOptions
    months: tuple[str, ...]
    last_data_day: str
    openai_accounts: int
    deployments: int
    reservations: int
    other_resources: int
    exports: tuple[str, ...]  # one description per export flavour, e.g. "FocusCost 1.0r2 (EA)"
    runs: int
    cost_files: int
    cost_rows: int
    cost_bytes: int
    azure_monitor_files: int
    apim_files: int
    telemetry_bytes: int
    events: tuple[str, ...]
    gaps: tuple[str, ...]
    manifests: tuple[str, ...]  # relative to `out`
    scenario_path: Path
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.cost_rows / self.seconds if self.seconds > 0 else 0.0

    def describe(self) -> str:
        options = self.options
        lines = [
            f"Sample exports written to {self.out} (seed {options.seed}, scale {options.scale}, "
            f"end date {options.end_date.isoformat()})",
            f"  billing months: {', '.join(self.months)} (last one month-to-date through {self.last_data_day})",
            f"  estate: {self.openai_accounts} Azure OpenAI accounts, {self.deployments} deployments, "
            f"{self.reservations} PTU reservation(s), {self.other_resources} other resources",
            f"  cost exports: {self.runs} runs, {self.cost_files} files, {self.cost_rows:,} rows, "
            f"{_size(self.cost_bytes)} ({', '.join(self.exports)}, csv.gz)",
            f"  telemetry: {self.azure_monitor_files} Azure Monitor files, {self.apim_files} APIM files, "
            f"{_size(self.telemetry_bytes)}",
        ]
        lines.append("  scenario events:" if self.events else "  scenario events: none (--clean)")
        lines += [f"    - {event}" for event in self.events]
        lines.append("  deliberate gaps:")
        lines += [f"    - {gap}" for gap in self.gaps]
        lines.append(f"  details: {self.scenario_path}")
        lines.append(f"  took {self.seconds:.1f} s ({self.rows_per_second:,.0f} cost rows/s)")
        return "\n".join(lines)


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.1f} {unit}" if unit != "B" else f"{count} B"
        value /= 1024
    raise AssertionError("unreachable")
