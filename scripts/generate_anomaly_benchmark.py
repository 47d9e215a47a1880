"""Generate the labelled anomaly benchmark: daily cost series with known anomalies, as `date,value,is_anomaly` CSVs.

    python scripts/generate_anomaly_benchmark.py [--out benchmarks/anomalies] [--seed 7]

Two splits drawn from the same recipe with different seeds: `tune/` (the detector's defaults were chosen on it)
and `holdout/` (only ever evaluated). Same seed, same bytes. docs/anomalies.md describes the series and how an
event counts as detected.

Normal behaviour: a level (dollars a day, or dollars per 1M tokens for unit cost series), a weekday profile
(weekends at 30% to 100% of weekdays, or zero), a slow trend, a slow random walk of the level and multiplicative
log-normal noise of 2% to 15%. Events are labelled on the days an alert is wanted:
spikes (the spike days), weekend bursts (a weekday-sized load on a weekend), level shifts and price changes (the
first 7 days of the new level), ramps (the ramp days), outages (the low days). Event sizes are at least six noise
standard deviations and at least 50% (8% for prices) away from normal: smaller changes cannot be told from noise
a day at a time, by any detector.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELLED_SHIFT_DAYS = 7


@dataclass
class Series:
    """One benchmark series: its normal shape, then events applied day by day."""

    name: str
    start: date
    days: int
    level: float
    noise: float
    weekend_factor: float = 0.5
    trend_per_year: float = 0.0
    drift: float = 0.004
    decimals: int = 2
    zero_probability: float = 0.0
    multipliers: list[float] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    weekday_profile_days: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.multipliers = [1.0] * self.days
        self.labels = [0] * self.days

    def weekday(self, day: int) -> int:
        return (self.start + timedelta(days=day)).isoweekday()

    def label(self, first: int, count: int) -> None:
        for day in range(first, min(first + count, self.days)):
            self.labels[day] = 1

    def scale(self, first: int, count: int, factor: float) -> None:
        for day in range(first, min(first + count, self.days)):
            self.multipliers[day] *= factor


def event_size(rng: random.Random, series: Series, smallest: float, largest: float) -> float:
    """A relative change (e.g. 1.8 = +80%) at least six noise standard deviations and `smallest` away from 1."""
    low = max(smallest, 6 * series.noise)
    return 1 + math.exp(rng.uniform(math.log(low), math.log(largest)))


def weekday_start(rng: random.Random, series: Series, low: int, high: int) -> int:
    """A day between low and high that is a weekday (spikes on weekends are their own event kind)."""
    while True:
        day = rng.randint(low, high)
        if series.weekday(day) <= 5:
            return day


def spike(rng: random.Random, series: Series, day: int) -> None:
    length = rng.choice([1, 1, 2, 3])
    series.scale(day, length, event_size(rng, series, 0.5, 19.0))
    series.label(day, length)


def weekend_burst(rng: random.Random, series: Series, day: int) -> None:
    """A weekday-sized load on a weekend (a batch job run on a Sunday): normal on Monday, anomalous on Sunday."""
    while series.weekday(day) < 6:
        day += 1
    weekday_size = rng.uniform(1.0, 1.6)
    if series.weekend_factor > 0:
        series.scale(day, 1, max(weekday_size / series.weekend_factor, 1 + max(0.5, 6 * series.noise)))
    else:
        series.weekday_profile_days.add(day)
        series.scale(day, 1, weekday_size)
    series.label(day, 1)


def level_shift(rng: random.Random, series: Series, day: int, up: bool) -> None:
    size = event_size(rng, series, 0.5, 2.0)
    series.scale(day, series.days - day, size if up else 1 / size)
    series.label(day, LABELLED_SHIFT_DAYS)


def price_change(rng: random.Random, series: Series, day: int, up: bool) -> None:
    size = event_size(rng, series, 0.08, 0.3)
    series.scale(day, series.days - day, size if up else 1 / size)
    series.label(day, LABELLED_SHIFT_DAYS)


def ramp(rng: random.Random, series: Series, day: int) -> None:
    length = rng.randint(5, 12)
    top = event_size(rng, series, 1.0, 3.0)
    for step in range(length):
        series.scale(day + step, 1, 1 + (top - 1) * (step + 1) / length)
    series.scale(day + length, series.days - day - length, top)
    series.label(day, length)


def outage(rng: random.Random, series: Series, day: int) -> None:
    length = rng.choice([1, 2, 3])
    series.scale(day, length, rng.uniform(0.0, 0.25))
    series.label(day, length)


def draw_values(rng: random.Random, series: Series) -> list[float]:
    values = []
    walk = 0.0
    for day in range(series.days):
        walk += rng.gauss(0, series.drift)
        walk *= 0.98  # the walk wanders but does not run away
        weekday = series.weekday(day)
        season = 1.0 if weekday <= 5 or day in series.weekday_profile_days else series.weekend_factor
        multiplier = series.multipliers[day]
        trend = 1 + series.trend_per_year * day / 365
        noise = math.exp(rng.gauss(0, series.noise) - series.noise**2 / 2)
        value = series.level * season * trend * math.exp(walk) * noise * multiplier
        if series.zero_probability and not series.labels[day] and rng.random() < series.zero_probability:
            value = 0.0
        values.append(round(value, series.decimals))
    return values


def write(series: Series, values: list[float], folder: Path) -> None:
    with open(folder / f"{series.name}.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "value", "is_anomaly"])
        for day, value in enumerate(values):
            writer.writerow(
                [(series.start + timedelta(days=day)).isoformat(), f"{value:.{series.decimals}f}", series.labels[day]]
            )


def leaf_cost(rng: random.Random, name: str, days: int = 182) -> Series:
    """A model / token type / account series: tens to thousands of dollars a day, noisy, weekly."""
    return Series(
        name=name,
        start=date(2025, 1, 6) + timedelta(days=rng.randint(0, 300)),
        days=days,
        level=math.exp(rng.uniform(math.log(20), math.log(3000))),
        noise=rng.uniform(0.04, 0.15),
        weekend_factor=rng.uniform(0.3, 1.0),
        trend_per_year=rng.uniform(-0.2, 0.8),
    )


def aggregate_cost(rng: random.Random, name: str, days: int = 182) -> Series:
    """A billing account / subscription series: large, smooth, strongly weekly."""
    series = leaf_cost(rng, name, days)
    series.level = math.exp(rng.uniform(math.log(2000), math.log(50000)))
    series.noise = rng.uniform(0.02, 0.05)
    series.weekend_factor = rng.uniform(0.4, 0.8)
    series.drift = 0.002
    return series


def unit_cost(rng: random.Random, name: str, days: int = 182) -> Series:
    """Cost per 1M tokens of one price point: flat but for the mix of rounding and small discounts."""
    series = leaf_cost(rng, name, days)
    series.level = rng.choice([0.15, 0.4, 1.1, 1.6, 2.5, 4.4, 8.0, 10.0, 15.0])
    series.noise = rng.uniform(0.002, 0.01)
    series.weekend_factor = 1.0
    series.trend_per_year = 0.0
    series.drift = 0.0005
    series.decimals = 4
    return series


def build_split(rng: random.Random) -> list[Series]:
    """The series of one split: every event kind, twice or more, and five series without any anomaly."""
    out: list[Series] = []

    for index in range(2):
        series = leaf_cost(rng, f"spikes_{index + 1}")
        for day in sorted(rng.sample(range(40, series.days - 5, 9), 3)):
            spike(rng, series, weekday_start(rng, series, day, day + 6))
        out.append(series)

    series = aggregate_cost(rng, "spikes_aggregate")
    for day in (60, 120):
        spike(rng, series, weekday_start(rng, series, day, day + 10))
    out.append(series)

    series = leaf_cost(rng, "weekend_burst")
    series.weekend_factor = rng.uniform(0.25, 0.45)
    for day in (50, 110, 150):
        weekend_burst(rng, series, day)
    out.append(series)

    for up in (True, False):
        series = leaf_cost(rng, f"level_shift_{'up' if up else 'down'}")
        shift_day = rng.randint(70, 100)
        level_shift(rng, series, shift_day, up)
        spike(rng, series, weekday_start(rng, series, shift_day + 35, shift_day + 45))
        out.append(series)

    for index in range(2):
        series = (leaf_cost if index == 0 else aggregate_cost)(rng, f"ramp_{index + 1}")
        ramp(rng, series, weekday_start(rng, series, 60, 120))
        out.append(series)

    for index in range(2):
        series = (leaf_cost if index == 0 else aggregate_cost)(rng, f"outage_{index + 1}")
        for day in (55, 125):
            outage(rng, series, weekday_start(rng, series, day, day + 10))
        out.append(series)

    for up in (True, False):
        series = unit_cost(rng, f"price_change_{'up' if up else 'down'}")
        price_change(rng, series, rng.randint(60, 120), up)
        out.append(series)

    series = leaf_cost(rng, "zero_weekends")
    series.weekend_factor = 0.0
    spike(rng, series, weekday_start(rng, series, 60, 70))
    weekend_burst(rng, series, 100)
    outage(rng, series, weekday_start(rng, series, 140, 150))
    out.append(series)

    for index in range(2):
        series = leaf_cost(rng, f"cold_start_{index + 1}", days=49)
        spike(rng, series, weekday_start(rng, series, 17, 26))
        out.append(series)

    series = leaf_cost(rng, "mixed_year", days=365)
    spike(rng, series, weekday_start(rng, series, 45, 55))
    outage(rng, series, weekday_start(rng, series, 100, 110))
    level_shift(rng, series, rng.randint(150, 170), up=True)
    ramp(rng, series, weekday_start(rng, series, 230, 250))
    weekend_burst(rng, series, 300)
    out.append(series)

    quiet: list[Series] = [
        aggregate_cost(rng, "no_anomaly_aggregate", days=365),
        leaf_cost(rng, "no_anomaly_leaf", days=365),
        leaf_cost(rng, "no_anomaly_zero_weekends", days=365),
        leaf_cost(rng, "no_anomaly_sparse", days=365),
        unit_cost(rng, "no_anomaly_unit_cost", days=365),
    ]
    quiet[1].noise = 0.15
    quiet[2].weekend_factor = 0.0
    quiet[3].zero_probability = 0.2
    quiet[3].noise = 0.12
    out.extend(quiet)
    return out


def generate(out: Path, seed: int) -> dict[str, int]:
    """Write both splits under `out`; return the number of CSV files per split."""
    written = {}
    for offset, split in enumerate(("tune", "holdout")):
        rng = random.Random(seed * 1000 + offset)
        folder = out / split
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.csv"):
            stale.unlink()
        series_list = build_split(rng)
        for series in series_list:
            write(series, draw_values(rng, series), folder)
        written[split] = len(series_list)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO_ROOT / "benchmarks" / "anomalies"), help="output folder")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    written = generate(Path(args.out), args.seed)
    for split, count in written.items():
        print(f"{Path(args.out) / split}: {count} series")


if __name__ == "__main__":
    main()
