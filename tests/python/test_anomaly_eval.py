"""The evaluation harness: labelled series files, event-based scoring, the committed benchmark and its targets."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from aoai_finops.anomaly_eval import SeriesFileError, evaluate, read_series_folder, score_series
from aoai_finops.anomaly_eval.scoring import runs, total

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCHMARK = REPO_ROOT / "benchmarks" / "anomalies"


def days(count: int, start: date = date(2026, 1, 1)) -> list[date]:
    return [start + timedelta(days=offset) for offset in range(count)]


def marks(count: int, *on: int) -> list[bool]:
    return [index in on for index in range(count)]


# --- scoring ---------------------------------------------------------------------------------------------------


def test_runs_are_maximal_sequences_of_consecutive_marked_days() -> None:
    found = runs(days(8), marks(8, 1, 2, 3, 5, 7))
    assert [(run.first.day, run.last.day) for run in found] == [(2, 4), (6, 6), (8, 8)]


def test_an_event_is_detected_when_any_of_its_days_is_flagged_and_delay_counts_from_its_first_day() -> None:
    score = score_series(days(10), labels=marks(10, 3, 4, 5), flags=marks(10, 5))
    assert (score.events, score.detected, score.delays) == (1, 1, [2])
    assert (score.alarms, score.false_alarms, score.precision, score.recall, score.f1) == (1, 0, 1.0, 1.0, 1.0)


def test_an_alarm_outside_every_event_is_false_and_one_running_past_its_event_is_one_true_alarm() -> None:
    score = score_series(days(12), labels=marks(12, 2, 3), flags=marks(12, 3, 4, 5, 9))
    assert (score.alarms, score.false_alarms, score.detected) == (2, 1, 1)
    assert score.precision == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)


def test_a_missed_event_costs_recall_and_no_alarm_leaves_precision_undefined() -> None:
    score = score_series(days(6), labels=marks(6, 2), flags=marks(6))
    assert (score.recall, score.precision, score.f1) == (0.0, None, 0.0)


def test_totals_are_micro_averaged_and_false_alarms_are_counted_per_90_days() -> None:
    quiet = score_series(days(180), labels=marks(180), flags=marks(180, 10, 100))
    busy = score_series(days(30), labels=marks(30, 5), flags=marks(30, 5))
    combined = total([quiet, busy])
    assert (combined.alarms, combined.false_alarms, combined.events, combined.detected) == (3, 2, 1, 1)
    assert quiet.false_alarms_per_90_days == pytest.approx(1.0)


# --- series files ----------------------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_a_folder_of_series_is_read_in_name_order_with_optional_labels(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", "date,value,is_anomaly\n2026-01-01,1.5,0\n2026-01-02,9,1\n")
    write(tmp_path, "a.csv", "date,value\n2026-01-01,0\n")
    series = read_series_folder(tmp_path)
    assert [item.name for item in series] == ["a", "b"]
    assert (series[0].has_labels, series[0].labels) == (False, (False,))
    assert series[1].labels == (False, True)
    assert series[1].values == (1.5, 9.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("day,value\n2026-01-01,1\n", "missing column(s) date"),
        ("date,value\n2026-01-01,1\n2026-01-03,1\n", "line 3: date 2026-01-03 does not follow 2026-01-01"),
        ("date,value\n2026-01-02,1\n2026-01-01,1\n", "line 3: date 2026-01-01 does not follow 2026-01-02"),
        ("date,value\n01/02/2026,1\n", "line 2: date '01/02/2026' is not a date as YYYY-MM-DD"),
        ("date,value\n2026-01-01,\n", "line 2: value '' is not a number (write 0 for a day without cost)"),
        ("date,value\n2026-01-01,nan\n", "line 2: value 'nan' is not a finite number"),
        ("date,value,is_anomaly\n2026-01-01,1,yes\n", "line 2: is_anomaly 'yes' must be 0 or 1"),
        ("date,value\n", "no rows below the header"),
    ],
)
def test_a_bad_series_file_is_refused_with_the_file_line_and_what_to_do(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(SeriesFileError) as error:
        read_series_folder(tmp_path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_a_folder_without_csv_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SeriesFileError, match=r"no \*\.csv files"):
        read_series_folder(tmp_path)
    with pytest.raises(SeriesFileError, match="not a folder"):
        read_series_folder(tmp_path / "missing")


def test_a_bad_file_stops_the_harness_before_dbt_runs(tmp_path: Path) -> None:
    write(tmp_path / "series", "bad.csv", "date,value\n2026-01-01,x\n")
    with pytest.raises(SeriesFileError):
        evaluate(tmp_path / "series", tmp_path / "work")
    assert not (tmp_path / "work").exists()


# --- the committed benchmark -----------------------------------------------------------------------------------


def test_the_committed_benchmark_is_what_the_committed_generator_writes(tmp_path: Path) -> None:
    script = REPO_ROOT / "scripts" / "generate_anomaly_benchmark.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for split in ("tune", "holdout"):
        committed = sorted(path.name for path in (BENCHMARK / split).glob("*.csv"))
        assert committed == sorted(path.name for path in (tmp_path / split).glob("*.csv"))
        _, mismatch, errors = filecmp.cmpfiles(BENCHMARK / split, tmp_path / split, committed, shallow=False)
        assert (mismatch, errors) == ([], []), split


def test_the_benchmark_has_every_event_kind_and_at_least_a_year_without_anomalies() -> None:
    for split in ("tune", "holdout"):
        series = read_series_folder(BENCHMARK / split)
        names = {item.name for item in series}
        for kind in ("spikes", "weekend_burst", "level_shift", "ramp", "outage", "price_change", "cold_start"):
            assert any(name.startswith(kind) for name in names), (split, kind)
        quiet_days = sum(len(item.dates) for item in series if item.is_anomaly_free)
        assert quiet_days >= 365, split


@pytest.mark.slow
@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_the_detector_meets_its_targets_on_the_benchmark(tmp_path: Path, split: str) -> None:
    """The issue's targets: F1 >= 0.9, >= 0.15 above the z-score baseline, <= 1 false alarm per 90 days."""
    evaluation = evaluate(BENCHMARK / split, tmp_path / "work")
    detector, baseline = evaluation.overall("detector"), evaluation.overall("zscore")
    assert detector.f1 >= 0.9, (detector.precision, detector.recall)
    assert detector.f1 - baseline.f1 >= 0.15
    assert evaluation.anomaly_free("detector").false_alarms_per_90_days <= 1.0
    flagged = (tmp_path / "work" / "flagged_points.csv").read_text().splitlines()
    assert flagged[0].startswith("method,series,date,value,is_anomaly")
    assert sum(line.startswith("detector,") for line in flagged) >= detector.alarms
