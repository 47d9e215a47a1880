"""Benchmark at scale: a full build and an incremental build, against a bare DuckDB floor measured in the same run.

    python scripts/bench.py                          # 20 million export rows (default)
    python scripts/bench.py --sizes 1M,5M,20M        # growth table
    python scripts/bench.py --sizes 1M --work data/bench-small

For every size: generate a year of FocusCost exports (12 billing months, one run a month, the last one month to
date through 2026-10-20) with `aoai-finops generate-sample --scale`, then measure

- floor: one DuckDB query in a fresh process that reads the same export CSVs the loader converts and writes
  every row and column to one Parquet file: the least work any pipeline must do (read + parse + write once);
- full build: `aoai-finops load` (exports -> lake) + `dbt build --threads 1 --exclude-resource-type unit_test`
  (seeds, models, data tests) into an empty warehouse: a production run. Unit tests check the SQL on fixed
  inputs, so they run where the SQL changes (`make test`, CI), not on every load;
- incremental build: the next month-to-date run of the current month (one more day, through 2026-10-21) is
  generated, loaded into the same lake, and `dbt build` runs again on the same warehouse, its data tests on the
  month loaded (var test_billing_months, as a daily run would; --test-every-month: on every month); its floor is
  the same CSV -> Parquet query on that run's files. --days N: N such daily builds, one day more each (their
  shares of the full build show how much the machine's speed varies from one build to the next).

Each step runs in its own process: wall time from a monotonic clock, peak resident memory from GNU time's %M
(the step alone), and for `dbt build` each node's peak (NodePeakMemory). Ratios against the floor of the same
run, not seconds, are the figures to compare: the machines these run on are shared and noisy. Results:
reports/bench.json, reports/bench.md (and printed).
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
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

MONTHS = 12
END_DATE = "2026-10-20"
# FocusCost rows per unit of --scale for 12 months through END_DATE, one run a month (measured: scale 240 gives
# 5,003,280 rows). Used only to pick a scale for a requested row count; the report counts the real rows.
ROWS_PER_SCALE = 20_847

TARGET_FLOOR_RATIO = 3.0
TARGET_INCREMENTAL_SHARE = 0.15
TARGET_PEAK_MB = 6 * 1024


@dataclass
class Step:
    name: str
    seconds: float
    peak_mb: float


@dataclass
class Build:
    """One build (full or incremental): its steps, its floor, its figures."""

    kind: str  # full, or incremental through <date>
    rows: int
    floor_seconds: float
    floor_peak_mb: float
    steps: list[Step] = field(default_factory=list)
    slowest_nodes: list[tuple[str, float]] = field(default_factory=list)
    largest_nodes: list[tuple[str, float]] = field(default_factory=list)
    tested_months: list[str] | None = None  # the billing months its data tests read; None: every month

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    @property
    def peak_mb(self) -> float:
        return max((step.peak_mb for step in self.steps), default=0.0)

    @property
    def floor_ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class SizeResult:
    label: str
    scale: int
    rows: int
    generate_seconds: float
    full: Build
    incrementals: list[Build]  # the daily builds after the full one, in order

    def share(self, build: Build) -> float:
        return build.seconds / self.full.seconds

    @property
    def builds(self) -> list[Build]:
        return [self.full, *self.incrementals]


def run_measured(
    command: list[str], env: dict[str, str] | None = None, on_line: Callable[[int, str], None] | None = None
) -> tuple[float, float, str]:
    """Run a command to completion; return wall seconds, peak resident memory in MB and its output.

    Peak memory comes from GNU time's %M for the command alone: the rusage of a child forked from this (large)
    Python process would count our own memory, since a fork inherits the parent's high-water mark.
    `on_line(pid, line)` sees each output line as it comes, with the pid of the command (GNU time's child).
    """
    tail: deque[str] = deque(maxlen=400)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.monotonic()
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        for line in process.stdout:
            tail.append(line)
            if on_line is not None:
                on_line(process.pid, line)
        returncode = process.wait()
        seconds = time.monotonic() - started
        timed = report.read().strip().splitlines()
    output = "".join(tail)
    if returncode != 0 or not timed:
        sys.stderr.write("".join(map(_readable, tail))[-6000:])
        raise SystemExit(f"benchmark step failed (exit {returncode}): {' '.join(command)}")
    return seconds, float(timed[-1]) / 1024, output


def _readable(line: str) -> str:
    """A line of output as a person reads it: the message of a dbt JSON log line, other lines as they are."""
    try:
        return json.loads(line)["info"]["msg"] + "\n"
    except (ValueError, KeyError, TypeError):
        return line


class NodePeakMemory:
    """Peak resident memory of each dbt node, from dbt's JSON log and the dbt process's high-water mark.

    With one thread, nodes run one after another: as a node starts, its process's high-water mark (VmHWM) is
    reset (`clear_refs` 5, Linux), and as it ends the mark is that node's peak. What DuckDB holds beyond its
    `memory_limit` shows up here, node by node. The reset also resets what GNU time reports, so the process's
    peak is kept here too: the mark is read before every reset.
    """

    def __init__(self) -> None:
        self.peaks_mb: dict[str, float] = {}
        self.process_peak_mb = 0.0
        self._running: str | None = None

    def __call__(self, time_pid: int, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return
        node = (event.get("data") or {}).get("node_info") or {} if isinstance(event, dict) else {}
        name, status = node.get("unique_id"), node.get("node_status")
        proc = _command_proc(time_pid) if name else None
        if proc is None:
            return
        if status == "started":
            self._running = name
            self._high_water_mb(proc)
            (proc / "clear_refs").write_text("5")
        elif name == self._running:
            self._running = None
            self.peaks_mb[name.split(".", 2)[-1]] = self._high_water_mb(proc)

    def _high_water_mb(self, proc: Path) -> float:
        line = next(x for x in (proc / "status").read_text().splitlines() if x.startswith("VmHWM:"))
        mb = int(line.split()[1]) / 1024
        self.process_peak_mb = max(self.process_peak_mb, mb)
        return mb

    def largest(self, count: int = 8) -> list[tuple[str, float]]:
        peaks = sorted(self.peaks_mb.items(), key=lambda item: -item[1])
        return [(name, round(mb)) for name, mb in peaks[:count]]


def _command_proc(time_pid: int) -> Path | None:
    """/proc/<pid> of the command GNU time runs (its only child), or None once it has ended."""
    try:
        children = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()
    except OSError:
        return None
    return Path(f"/proc/{children[0]}") if children else None


# The floor runs with the warehouse's memory limit (profiles.yml default) and the same DuckDB settings.
_QUERY_SCRIPT = (
    "import duckdb, sys; c = duckdb.connect(); c.execute(\"set memory_limit = '4GB'\"); "
    "c.execute('set preserve_insertion_order = false'); c.execute('set enable_progress_bar = false'); "
    "print(c.execute(sys.argv[1]).fetchall())"
)


def duckdb_query(sql: str) -> tuple[float, float, str]:
    return run_measured([sys.executable, "-c", _QUERY_SCRIPT, sql])


def newest_run_files(exports: Path) -> list[Path]:
    """The files of the newest run of every month: what the loader converts."""
    newest: dict[str, tuple[tuple[str, str], dict]] = {}
    for manifest_path in exports.rglob("manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        month = manifest["runInfo"]["startDate"][:7]
        key = (manifest["runInfo"]["submittedTime"], manifest["runInfo"]["runId"])
        if month not in newest or key > newest[month][0]:
            newest[month] = (key, manifest)
    return [exports / blob["blobName"] for _, manifest in newest.values() for blob in manifest["blobs"]]


def csv_floor(files: list[Path], out: Path) -> tuple[int, float, float]:
    """Row count, seconds and peak MB of DuckDB converting `files` (every column) to one Parquet file."""
    file_list = "[" + ", ".join(f"'{path}'" for path in files) + "]"
    sql = f"copy (select * from read_csv({file_list}, header = true, union_by_name = true)) to '{out}'"
    seconds, peak, _ = duckdb_query(sql)
    _, _, counted = duckdb_query(f"select count(*) from read_parquet('{out}')")
    out.unlink()
    return int(counted.strip().splitlines()[-1].strip("[(,)]")), seconds, peak


def generate(out: Path, scale: int, *, months: int, end_date: str) -> float:
    """Generate the sample exports unless `out` already holds exactly these (kept between benchmark runs)."""
    options = {"scale": scale, "months": months, "end_date": end_date}
    marker = out / ".bench-options.json"
    if marker.exists() and json.loads(marker.read_text()) == options:
        print(f"  reusing exports in {out}", flush=True)
        return 0.0
    shutil.rmtree(out, ignore_errors=True)
    command = [str(BIN / "aoai-finops"), "generate-sample", "--out", str(out), "--scale", str(scale)]
    command += ["--months", str(months), "--end-date", end_date, "--runs-per-month", "1", "--no-telemetry"]
    seconds, _, _ = run_measured(command)
    marker.write_text(json.dumps(options))
    return seconds


def slowest_nodes(target: Path, count: int = 8) -> list[tuple[str, float]]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    timed = sorted(((r["unique_id"].split(".", 2)[-1], r["execution_time"]) for r in results), key=lambda x: -x[1])
    return [(name, round(seconds, 1)) for name, seconds in timed[:count]]


def dbt_build(env: dict[str, str], target: Path, tested_months: list[str] | None = None) -> tuple[Step, NodePeakMemory]:
    # One model at a time: DuckDB already runs each query on every core, and its memory limit is shared by the
    # queries of one process; two large models side by side ran out of memory at 20M rows.
    flags = ["--threads", "1", "--exclude-resource-type", "unit_test"]
    flags += ["--warn-error-options", '{"silence": ["NoNodesForSelectionCriteria"]}']
    flags += ["--target-path", str(target), "--log-format", "json"]
    if tested_months is not None:
        flags += ["--vars", json.dumps({"test_billing_months": tested_months})]
    node_peaks = NodePeakMemory()
    seconds, peak, _ = run_measured([str(BIN / "dbt"), "build", *flags], env, on_line=node_peaks)
    return Step("dbt build", seconds, max(peak, node_peaks.process_peak_mb)), node_peaks


def bench_size(label: str, scale: int, work: Path, *, days: int, test_every_month: bool) -> SizeResult:
    exports = work / f"exports-s{scale}"
    run = work / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    lake, warehouse, target = run / "lake", run / "warehouse.duckdb", run / "target"
    env = {"AOAI_FINOPS_LAKE": str(lake), "AOAI_FINOPS_DUCKDB": str(warehouse), "DBT_PROFILES_DIR": str(REPO_ROOT)}
    load = [str(BIN / "aoai-finops"), "load", "--lake", str(lake), "--quiet", "--source"]

    print(f"[{label}] generating exports at scale {scale} ...", flush=True)
    generate_seconds = generate(exports, scale, months=MONTHS, end_date=END_DATE)
    rows, floor_seconds, floor_peak = csv_floor(newest_run_files(exports), run / "floor.parquet")
    print(f"[{label}] {rows:,} rows; floor {floor_seconds:.1f} s; full build ...", flush=True)
    full = Build("full", rows, floor_seconds, floor_peak)
    full.steps.append(Step("load", *run_measured([*load, str(exports)], env)[:2]))
    step, node_peaks = dbt_build(env, target)
    full.steps.append(step)
    full.slowest_nodes, full.largest_nodes = slowest_nodes(target), node_peaks.largest()
    print(f"[{label}] full build {full.seconds:.1f} s ({full.floor_ratio:.2f}x floor)", flush=True)

    incrementals = []
    for day in range(1, days + 1):
        end_date = (date.fromisoformat(END_DATE) + timedelta(days=day)).isoformat()
        print(f"[{label}] incremental: the month-to-date run of {end_date[:7]} through {end_date} ...", flush=True)
        next_exports = work / f"exports-s{scale}-{end_date}"
        generate(next_exports, scale, months=1, end_date=end_date)
        new_rows, new_floor_seconds, new_floor_peak = csv_floor(newest_run_files(next_exports), run / "floor.parquet")
        tested_months = None if test_every_month else [end_date[:7]]
        build = Build(
            f"incremental through {end_date}", new_rows, new_floor_seconds, new_floor_peak, tested_months=tested_months
        )
        build.steps.append(Step("load", *run_measured([*load, str(next_exports)], env)[:2]))
        step, node_peaks = dbt_build(env, target, tested_months)
        build.steps.append(step)
        build.slowest_nodes, build.largest_nodes = slowest_nodes(target), node_peaks.largest()
        print(f"[{label}] {build.kind}: {build.seconds:.1f} s", flush=True)
        incrementals.append(build)
    return SizeResult(label, scale, rows, generate_seconds, full, incrementals)


def parse_size(text: str) -> tuple[str, int]:
    """`20M` -> ('20M', scale); `s960` -> an explicit scale."""
    text = text.strip()
    if text.startswith("s"):
        return text, int(text[1:])
    multiplier = {"k": 1_000, "K": 1_000, "M": 1_000_000}.get(text[-1], 1)
    rows = float(text.rstrip("kKM")) * multiplier
    return text, max(1, round(rows / ROWS_PER_SCALE))


def machine() -> dict[str, object]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory_gb = int(meminfo.read_text().split()[1]) / 1024 / 1024
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def markdown(results: list[SizeResult], info: dict[str, object]) -> str:
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB RAM (shared); "
        f"load average at start {', '.join(f'{x:.1f}' for x in info['load_average_at_start'])}.",  # type: ignore[union-attr]
        "",
        "| rows | build | wall s | rows/s | peak MB | floor s | x floor | share of full |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for build in result.builds:
            share = f"{result.share(build):.1%}" if build is not result.full else ""
            lines.append(
                f"| {result.rows:,} | {build.kind} | {build.seconds:.0f} | {build.rows_per_second:,.0f} | "
                f"{build.peak_mb:,.0f} | {build.floor_seconds:.0f} | {build.floor_ratio:.2f} | {share} |"
            )
    lines += ["", "Steps (wall s / peak MB):", ""]
    for result in results:
        for build in result.builds:
            steps = ", ".join(f"{step.name} {step.seconds:.0f} s / {step.peak_mb:,.0f} MB" for step in build.steps)
            tested = f"data tests of {', '.join(build.tested_months)}" if build.tested_months else "every month tested"
            lines.append(f"- {result.label} {build.kind}: {steps}; {tested}")
    largest = max(results, key=lambda r: r.rows)
    lines += ["", f"Targets at {largest.rows:,} rows:", ""]
    lines.append(
        f"- full build within {TARGET_FLOOR_RATIO:.0f}x the floor: {largest.full.floor_ratio:.2f}x, "
        f"{verdict(largest.full.floor_ratio <= TARGET_FLOOR_RATIO)}"
    )
    if largest.incrementals:
        shares = [largest.share(build) for build in largest.incrementals]
        lines.append(
            f"- incremental build under {TARGET_INCREMENTAL_SHARE:.0%} of the full build: "
            f"{', '.join(f'{share:.1%}' for share in shares)}, "
            f"{verdict(max(shares) < TARGET_INCREMENTAL_SHARE)}"
        )
    peak = max(build.peak_mb for result in results for build in result.builds)
    lines.append(f"- peak memory under 6 GB: {peak:,.0f} MB, {verdict(peak < TARGET_PEAK_MB)}")
    lines += ["", "Slowest dbt nodes of the largest full build (s):", ""]
    lines += [f"- {name}: {seconds}" for name, seconds in largest.full.slowest_nodes]
    lines += ["", "dbt nodes of the largest full build with the highest peak resident memory (MB):", ""]
    lines += [f"- {name}: {mb:,}" for name, mb in largest.full.largest_nodes]
    return "\n".join(lines) + "\n"


def build_report(build: Build) -> dict[str, object]:
    return {
        **asdict(build),
        "seconds": build.seconds,
        "rows_per_second": build.rows_per_second,
        "peak_mb": build.peak_mb,
        "floor_ratio": build.floor_ratio,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default="20M",
        help="comma-separated export row counts (1M, 5M, 20M) or scales (s960); default 20M",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=1,
        help="daily incremental builds after the full one, one more day of the month each (0: the full build only)",
    )
    parser.add_argument(
        "--test-every-month",
        action="store_true",
        help="run the incremental build's data tests on every month, not only on the month loaded",
    )
    parser.add_argument("--work", default="data/bench", help="working folder (generated exports are kept here)")
    parser.add_argument("--out", default="reports", help="folder for bench.json and bench.md")
    args = parser.parse_args()

    work = (REPO_ROOT / args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    results = [
        bench_size(label, scale, work, days=args.days, test_every_month=args.test_every_month)
        for label, scale in (parse_size(size) for size in args.sizes.split(","))
    ]

    out = REPO_ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": info,
        "months": MONTHS,
        "sizes": [
            {
                **{k: v for k, v in asdict(result).items() if k not in ("full", "incrementals")},
                "full": build_report(result.full),
                "incrementals": [
                    {**build_report(build), "share_of_full": result.share(build)} for build in result.incrementals
                ],
            }
            for result in results
        ],
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(results, info)
    (out / "bench.md").write_text(table)
    print()
    print(table)
    print(f"written: {out / 'bench.json'}, {out / 'bench.md'}")


if __name__ == "__main__":
    main()
