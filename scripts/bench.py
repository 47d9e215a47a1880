"""Benchmark: load and `dbt build` on a large generated export, against a bare DuckDB floor measured in the same run.

    python scripts/bench.py [--scale 1000] [--work data/bench]

Each step runs in its own process; wall time comes from a monotonic clock and peak memory from the process's
own resource usage (wait4), so figures are comparable between steps. The floors are single DuckDB queries that
read the same files the step reads and aggregate them: what the hardware can do at best. Ratios, not seconds,
are the figures to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Step:
    name: str
    seconds: float
    peak_mb: float
    rows: int
    floor: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command to completion; return wall seconds, peak resident memory in MB and its output.

    Peak memory comes from GNU time's %M for the command alone: the rusage of a child forked from this (large)
    Python process would count our own memory, since a fork inherits the parent's high-water mark.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.monotonic()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        seconds = time.monotonic() - started
        peak_kb = float(report.read().strip().splitlines()[-1] or 0)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:])
        raise SystemExit(f"benchmark step failed: {' '.join(command)}")
    return seconds, peak_kb / 1024, result.stdout


_QUERY_SCRIPT = (
    "import duckdb, sys; c = duckdb.connect(); c.execute(\"set memory_limit = '4GB'\"); "
    "c.execute('set enable_progress_bar = false'); "
    "print(c.execute(sys.argv[1]).fetchall())"
)


def duckdb_floor(sql: str) -> tuple[float, float]:
    """Time one bare DuckDB query in a fresh process (same memory limit as the pipeline)."""
    seconds, peak, _ = run_measured([sys.executable, "-c", _QUERY_SCRIPT, sql])
    return seconds, peak


def newest_run_files(exports: Path) -> list[Path]:
    """The files of the newest run of every month: what the loader converts."""
    newest: dict[str, tuple[tuple[str, str], Path, dict]] = {}
    for manifest_path in exports.rglob("manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        month = manifest["runInfo"]["startDate"][:7]
        key = (manifest["runInfo"]["submittedTime"], manifest["runInfo"]["runId"])
        if month not in newest or key > newest[month][0]:
            newest[month] = (key, manifest_path, manifest)
    return [exports / blob["blobName"] for _, _, manifest in newest.values() for blob in manifest["blobs"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1000, help="generator scale (1000: about 5 million rows)")
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--work", default="data/bench", help="working folder, emptied first")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()

    work = (REPO_ROOT / args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    exports, lake, warehouse = work / "exports", work / "lake", work / "warehouse.duckdb"
    env = {"AOAI_FINOPS_LAKE": str(lake), "AOAI_FINOPS_DUCKDB": str(warehouse), "DBT_PROFILES_DIR": str(REPO_ROOT)}

    print(f"generating exports at scale {args.scale} into {exports} ...", flush=True)
    seconds, _, _ = run_measured(
        [
            str(BIN / "aoai-finops"),
            "generate-sample",
            "--out",
            str(exports),
            "--scale",
            str(args.scale),
            "--months",
            str(args.months),
            "--runs-per-month",
            "1",
            "--no-telemetry",
        ]
    )
    files = newest_run_files(exports)
    file_list = "[" + ", ".join(f"'{path}'" for path in files) + "]"
    csv_floor_sql = (
        f"select left(cast(ChargePeriodStart as varchar), 7), count(*), sum(BilledCost), sum(EffectiveCost) "
        f"from read_csv({file_list}, header = true) group by 1"
    )
    _, _, counted = run_measured([sys.executable, "-c", _QUERY_SCRIPT, f"select count(*) from read_csv({file_list})"])
    rows = int(counted.strip().splitlines()[-1].strip("[(,)]"))
    print(f"generated {rows:,} export rows in {len(files)} files ({seconds:.0f} s)", flush=True)

    steps: list[Step] = []
    floor_seconds, floor_peak = duckdb_floor(csv_floor_sql)
    steps.append(Step("floor: DuckDB reads the export CSVs", floor_seconds, floor_peak, rows))
    seconds, peak, _ = run_measured(
        [str(BIN / "aoai-finops"), "load", "--source", str(exports), "--lake", str(lake), "--quiet"], env
    )
    steps.append(Step("aoai-finops load", seconds, peak, rows, floor="csv"))

    parquet_floor_sql = (
        f"select lake_billing_month, count(*), sum(BilledCost), sum(EffectiveCost) "
        f"from read_parquet('{lake}/focus_cost/*/*/data.parquet') group by 1"
    )
    parquet_seconds, parquet_peak = duckdb_floor(parquet_floor_sql)
    steps.append(Step("floor: DuckDB reads the lake Parquet", parquet_seconds, parquet_peak, rows))
    seconds, peak, _ = run_measured([str(BIN / "dbt"), "build", "--quiet"], env)
    steps.append(Step("dbt build (models + tests)", seconds, peak, rows, floor="parquet"))

    floors = {"csv": floor_seconds, "parquet": parquet_seconds}
    total = sum(step.seconds for step in steps if step.floor)
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'step':42} {'wall s':>8} {'rows/s':>12} {'peak MB':>9} {'x floor':>8}")
    for step in steps:
        ratio = f"{step.seconds / floors[step.floor]:.2f}" if step.floor else "1.00"
        print(f"{step.name:42} {step.seconds:8.1f} {step.rows_per_second:12,.0f} {step.peak_mb:9.0f} {ratio:>8}")
    print(f"{'load + build':42} {total:8.1f} {rows / total:12,.0f} {'':9} {total / floor_seconds:8.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "steps": [asdict(step) for step in steps]}, indent=2))


if __name__ == "__main__":
    main()
