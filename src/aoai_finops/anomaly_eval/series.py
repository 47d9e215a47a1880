"""Labelled series for the evaluation harness: read and validate `date,value[,is_anomaly]` CSV files."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError

LAKE_FOLDER = "anomaly_eval_series"
REQUIRED_COLUMNS = ("date", "value")
LABEL_COLUMN = "is_anomaly"


class SeriesFileError(AoaiFinopsError):
    """A labelled series file that cannot be evaluated."""


@dataclass(frozen=True)
class LabelledSeries:
    name: str
    path: Path
    dates: tuple[date, ...]
    values: tuple[float, ...]
    labels: tuple[bool, ...]
    has_labels: bool

    @property
    def is_anomaly_free(self) -> bool:
        """A labelled series without a single anomalous day: where false alarms per 90 days are counted."""
        return self.has_labels and not any(self.labels)


def read_series_folder(folder: Path) -> list[LabelledSeries]:
    """Every `*.csv` directly in `folder`, validated, sorted by name."""
    if not folder.is_dir():
        raise SeriesFileError(f"{folder}: not a folder; pass SERIES_DIR=<folder of date,value[,is_anomaly] CSVs>")
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise SeriesFileError(f"{folder}: no *.csv files; each file is one series with columns date,value[,is_anomaly]")
    return [read_series_file(path) for path in paths]


def read_series_file(path: Path) -> LabelledSeries:
    """One series: consecutive days (no gaps, no repeats) with a finite value; `is_anomaly` 0/1 when present."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise SeriesFileError(
                f"{path}: missing column(s) {', '.join(missing)} in the header {header}; "
                "expected date,value and optionally is_anomaly"
            )
        reader.fieldnames = header
        has_labels = LABEL_COLUMN in header
        dates: list[date] = []
        values: list[float] = []
        labels: list[bool] = []
        for line, row in enumerate(reader, start=2):
            day = _parse_date(path, line, row["date"])
            if dates and day != dates[-1] + timedelta(days=1):
                raise SeriesFileError(
                    f"{path}, line {line}: date {day} does not follow {dates[-1]}; a series needs one row per day "
                    "in ascending order with no gaps (write 0 for a day without cost)"
                )
            dates.append(day)
            values.append(_parse_value(path, line, row["value"]))
            labels.append(_parse_label(path, line, row[LABEL_COLUMN]) if has_labels else False)
    if not dates:
        raise SeriesFileError(f"{path}: no rows below the header")
    return LabelledSeries(path.stem, path, tuple(dates), tuple(values), tuple(labels), has_labels)


def _parse_date(path: Path, line: int, text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise SeriesFileError(f"{path}, line {line}: date {text!r} is not a date as YYYY-MM-DD") from None


def _parse_value(path: Path, line: int, text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        raise SeriesFileError(
            f"{path}, line {line}: value {text!r} is not a number (write 0 for a day without cost)"
        ) from None
    if not math.isfinite(value):
        raise SeriesFileError(f"{path}, line {line}: value {text!r} is not a finite number")
    return value


def _parse_label(path: Path, line: int, text: str | None) -> bool:
    cleaned = (text or "").strip()
    if cleaned not in ("0", "1"):
        raise SeriesFileError(f"{path}, line {line}: is_anomaly {text!r} must be 0 or 1")
    return cleaned == "1"


def write_lake_table(series: list[LabelledSeries], lake_root: Path) -> Path:
    """The series as the lake table the dbt source `anomaly_eval.labelled_series` reads (one Parquet file)."""
    folder = lake_root / LAKE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "data.parquet"
    rows = [
        (item.name, day, value, label)
        for item in series
        for day, value, label in zip(item.dates, item.values, item.labels, strict=True)
    ]
    with duck.connect() as connection:
        connection.execute(
            "create table labelled_series (series_name varchar, series_date date, series_value double, "
            "is_labelled_anomaly boolean)"
        )
        connection.executemany("insert into labelled_series values (?, ?, ?, ?)", rows)
        connection.execute(f"copy labelled_series to {duck.quote_literal(str(target))} (format parquet)")
    return target
