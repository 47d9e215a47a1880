"""Run the production anomaly detector, through dbt, over a folder of labelled series and measure it.

The series go into a throw-away lake (`<work>/lake`, made by the loader, plus the table `anomaly_eval_series`);
`dbt build --select tag:anomaly_eval --vars '{anomaly_eval: true, ...}'` runs the detector macro and the
z-score baseline over them into `<work>/anomaly_eval.duckdb`; the flags are scored here (scoring.py).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aoai_finops import duck
from aoai_finops.anomaly_eval.scoring import Score, score_series, total
from aoai_finops.anomaly_eval.series import LabelledSeries, read_series_folder, write_lake_table
from aoai_finops.errors import AoaiFinopsError
from aoai_finops.lake import Lake
from aoai_finops.loader import Loader
from aoai_finops.sources import LocalFolderSource

METHODS = ("detector", "zscore")
METHOD_TITLES = {"detector": "detector (median/MAD, weekly, 2 passes)", "zscore": "baseline (z-score > 3, 14 days)"}
# The harness measures the statistical detector: the minimum cost impact is a business filter on top of it
# (values here are not necessarily money), so it is off unless --vars sets it.
DEFAULT_VARS: dict[str, object] = {"anomaly_eval": True, "anomaly_min_cost_impact": 0}

_RESULTS_SQL = """
select
    d.series_name, d.series_date, d.series_value, d.is_labelled_anomaly,
    d.is_anomaly, d.expected_value, d.lower_bound, d.upper_bound, d.anomaly_score, d.anomaly_direction,
    z.zscore_is_anomaly, z.zscore_mean, z.zscore_stddev, z.zscore
from anomaly_eval_detector as d
inner join anomaly_eval_zscore as z on d.series_name = z.series_name and d.series_date = z.series_date
order by d.series_name, d.series_date
"""


class EvaluationError(AoaiFinopsError):
    """The evaluation could not run."""


@dataclass(frozen=True)
class SeriesResult:
    series: LabelledSeries
    scores: Mapping[str, Score]


@dataclass(frozen=True)
class Evaluation:
    series_dir: Path
    results: list[SeriesResult]
    flagged_csv: Path

    def overall(self, method: str) -> Score:
        return total(result.scores[method] for result in self.results if result.series.has_labels)

    def anomaly_free(self, method: str) -> Score:
        return total(result.scores[method] for result in self.results if result.series.is_anomaly_free)


def evaluate(
    series_dir: Path,
    work_dir: Path,
    flagged_csv: Path | None = None,
    extra_vars: Mapping[str, object] | None = None,
    project_dir: Path | None = None,
) -> Evaluation:
    """Validate the series, run both methods through dbt, score them and write the flagged points."""
    series = read_series_folder(series_dir)
    work_dir = work_dir.resolve()
    _reset(work_dir)
    lake_root = work_dir / "lake"
    empty_source = work_dir / "no-exports"
    empty_source.mkdir()
    Loader(LocalFolderSource(empty_source), Lake(lake_root)).run()  # an empty lake: the other sources resolve
    write_lake_table(series, lake_root)
    warehouse = work_dir / "anomaly_eval.duckdb"
    _run_dbt(project_dir or _project_dir(), work_dir, lake_root, warehouse, {**DEFAULT_VARS, **(extra_vars or {})})
    rows = _read_results(warehouse)
    flagged_csv = flagged_csv or work_dir / "flagged_points.csv"
    _write_flagged(rows, flagged_csv)
    by_series: dict[str, list[tuple]] = {}
    for row in rows:
        by_series.setdefault(row[0], []).append(row)
    results = []
    for item in series:
        own = by_series.get(item.name, [])
        if len(own) != len(item.dates):
            raise EvaluationError(f"{item.path}: dbt returned {len(own)} days for {len(item.dates)} in the file")
        scores = {
            "detector": score_series(item.dates, item.labels, [bool(row[4]) for row in own]),
            "zscore": score_series(item.dates, item.labels, [bool(row[10]) for row in own]),
        }
        results.append(SeriesResult(item, scores))
    return Evaluation(series_dir, results, flagged_csv)


def _project_dir() -> Path:
    """The dbt project: the working directory when it is one (`make` runs from the repository root)."""
    for candidate in (Path.cwd(), Path(__file__).resolve().parents[3]):
        if (candidate / "dbt_project.yml").exists():
            return candidate
    raise EvaluationError("cannot find dbt_project.yml; run the harness from the repository root")


def _reset(work_dir: Path) -> None:
    """Remove what an earlier evaluation wrote in `work_dir` (and only that)."""
    for name in ("lake", "no-exports", "target", "logs"):
        shutil.rmtree(work_dir / name, ignore_errors=True)
    for name in ("anomaly_eval.duckdb", "anomaly_eval.duckdb.wal"):
        (work_dir / name).unlink(missing_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)


def _run_dbt(project: Path, work_dir: Path, lake_root: Path, warehouse: Path, variables: Mapping[str, object]) -> None:
    dbt = Path(sys.executable).parent / "dbt"
    command = [
        str(dbt if dbt.exists() else "dbt"),
        "build",
        "--select",
        "tag:anomaly_eval",
        "--vars",
        json.dumps(dict(variables)),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    environment = {
        **os.environ,
        "AOAI_FINOPS_LAKE": str(lake_root),
        "AOAI_FINOPS_DUCKDB": str(warehouse),
        "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(project)),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    environment.pop("AOAI_FINOPS_TARGET", None)  # the harness reads its results from DuckDB
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise EvaluationError(
            f"dbt build of the evaluation models failed (logs in {work_dir / 'logs'}):\n{result.stdout[-4000:]}"
        )


def _read_results(warehouse: Path) -> list[tuple]:
    with duck.connect(warehouse, read_only=True) as connection:
        return connection.execute(_RESULTS_SQL).fetchall()


def _write_flagged(rows: list[tuple], path: Path) -> None:
    """Every flagged point of either method, with the bounds it broke."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "method",
                "series",
                "date",
                "value",
                "is_anomaly",
                "expected",
                "lower_bound",
                "upper_bound",
                "score",
                "direction",
            ]
        )
        for row in rows:
            name, day, value, label = row[0], row[1], row[2], int(bool(row[3]))
            if row[4]:
                writer.writerow(["detector", name, day, value, label, *_rounded(row[5:9]), row[9]])
            if row[10]:
                mean, stddev, score = row[11], row[12], row[13]
                bounds = (mean - 3 * stddev, mean + 3 * stddev)
                direction = "spike" if score > 0 else "drop"
                writer.writerow(["zscore", name, day, value, label, *_rounded((mean, *bounds, score)), direction])


def _rounded(values) -> list[str]:
    return ["" if value is None else f"{value:.6g}" for value in values]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_report(evaluation: Evaluation) -> str:
    """Per file and overall precision, recall, F1 and detection delay of both methods, side by side."""
    lines = [f"anomaly evaluation of {evaluation.series_dir} ({len(evaluation.results)} series)", ""]
    header = f"{'series':<28} {'days':>5} {'events':>6} | " + " | ".join(
        f"{'found':>5} {'alarms':>6} {'false':>5} {'P':>5} {'R':>5} {'F1':>5} {'delay':>5}" for _ in METHODS
    )
    lines.append(f"{'':<48}| " + " | ".join(f"{method:<43}" for method in METHODS))
    lines.append(header)
    lines.append("-" * len(header))

    def cells(score: Score) -> str:
        return (
            f"{score.detected:>5} {score.alarms:>6} {score.false_alarms:>5} {_fmt(score.precision):>5} "
            f"{_fmt(score.recall):>5} {_fmt(score.f1):>5} {_fmt(score.mean_delay, 1):>5}"
        )

    for result in evaluation.results:
        first = result.scores[METHODS[0]]
        row = f"{result.series.name[:28]:<28} {first.days:>5} {first.events:>6} | "
        lines.append(row + " | ".join(cells(result.scores[method]) for method in METHODS))
    lines.append("-" * len(header))
    overall = {method: evaluation.overall(method) for method in METHODS}
    first = overall[METHODS[0]]
    totals = " | ".join(cells(overall[method]) for method in METHODS)
    lines.append(f"{'overall':<28} {first.days:>5} {first.events:>6} | {totals}")
    lines.append("")
    for method in METHODS:
        score, quiet = overall[method], evaluation.anomaly_free(method)
        lines.append(
            f"{METHOD_TITLES[method]}: precision {_fmt(score.precision)}, recall {_fmt(score.recall)}, "
            f"F1 {_fmt(score.f1)}, detection delay mean {_fmt(score.mean_delay, 1)} / median "
            f"{_fmt(score.median_delay, 1)} days; anomaly-free series: {quiet.false_alarms} false alarm(s) in "
            f"{quiet.days} days = {_fmt(quiet.false_alarms_per_90_days)} per 90 days"
        )
    gain = (overall["detector"].f1 or 0.0) - (overall["zscore"].f1 or 0.0)
    lines.append(f"F1 gain of the detector over the baseline: {gain:+.2f}")
    lines.append(f"flagged points: {evaluation.flagged_csv}")
    return "\n".join(lines)
