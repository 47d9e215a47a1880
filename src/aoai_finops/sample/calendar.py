"""Billing months and the export run schedule: which month-to-date snapshots exist and what each covers.

Cost Management writes a full month-to-date snapshot on every run, and re-exports the previous month during the
first days of the next one (late charges arrive up to 72 hours after month close). The schedule here mirrors
that: intermediate runs spread over the month, then a final run covering the whole month (or, for the last
month, everything up to the end date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aoai_finops.sample import rand

# Day of the next month on which the closed month is re-exported in full.
FINAL_RUN_DAY = 3


@dataclass(frozen=True)
class BillingMonth:
    index: int
    start: date
    # Last day with data: the month's last day, or the end date for the month that contains it.
    last_data_day: date

    @property
    def next_start(self) -> date:
        return (self.start.replace(day=28) + timedelta(days=4)).replace(day=1)

    @property
    def days_in_month(self) -> int:
        return (self.next_start - self.start).days

    @property
    def is_complete(self) -> bool:
        return self.last_data_day == self.next_start - timedelta(days=1)

    @property
    def key(self) -> str:
        """`YYYY-MM`, the lake's billing month."""
        return self.start.strftime("%Y-%m")

    @property
    def folder(self) -> str:
        """`YYYYMMDD-YYYYMMDD`: the whole month, as Cost Management names the folder even for month-to-date runs."""
        return f"{self.start:%Y%m%d}-{self.next_start - timedelta(days=1):%Y%m%d}"


@dataclass(frozen=True)
class Run:
    """One export run: a month-to-date snapshot of `month` with every day up to `data_through`."""

    month: BillingMonth
    data_through: date
    submitted: datetime
    # Seven fractional digits, as Cost Management writes them; `submitted` keeps microseconds only.
    submitted_text: str
    run_id: str
    is_final: bool

    @property
    def days(self) -> int:
        return (self.data_through - self.month.start).days + 1

    @property
    def stamp(self) -> str:
        """`YYYYMMDDTHHMMSSZ`, used in telemetry file names pulled at the same time as the run."""
        return self.submitted.strftime("%Y%m%dT%H%M%SZ")


def billing_months(end_date: date, months: int) -> list[BillingMonth]:
    """The `months` billing months ending with the one that contains `end_date` (month-to-date through it)."""
    starts = [end_date.replace(day=1)]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    starts.reverse()
    result = []
    for index, start in enumerate(starts):
        month = BillingMonth(index=index, start=start, last_data_day=start)
        last = end_date if index == len(starts) - 1 else month.next_start - timedelta(days=1)
        result.append(BillingMonth(index=index, start=start, last_data_day=last))
    return result


def _submitted(seed: int, day: date, *key: object) -> tuple[datetime, str]:
    # Scheduled exports run at a fixed hour of the day in the real service, but the exact second drifts.
    hour = rand.integer(seed, 2, 9, "submitted-hour", *key)
    seconds = rand.integer(seed, 0, 3599, "submitted-second", *key)
    ticks = rand.integer(seed, 0, 9_999_999, "submitted-ticks", *key)
    moment = datetime(day.year, day.month, day.day, hour) + timedelta(seconds=seconds)
    moment = moment.replace(microsecond=ticks // 10)
    return moment, f"{moment:%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"


def runs_for(month: BillingMonth, *, runs_per_month: int, is_last: bool, seed: int) -> list[Run]:
    """Intermediate month-to-date runs on evenly spread days, then the run that covers all of the month's data."""
    runs = []
    for i in range(1, runs_per_month):
        submitted_day = month.start + timedelta(days=round(28 * i / runs_per_month))
        data_through = submitted_day - timedelta(days=1)
        if data_through >= month.last_data_day:
            break
        runs.append(_run(month, submitted_day, data_through, seed, is_final=False))
    final_day = (
        month.last_data_day + timedelta(days=1) if is_last else month.next_start + timedelta(days=FINAL_RUN_DAY - 1)
    )
    runs.append(_run(month, final_day, month.last_data_day, seed, is_final=True))
    return runs


def _run(month: BillingMonth, submitted_day: date, data_through: date, seed: int, *, is_final: bool) -> Run:
    submitted, text = _submitted(seed, submitted_day, month.key, data_through)
    return Run(
        month=month,
        data_through=data_through,
        submitted=submitted,
        submitted_text=text,
        run_id=rand.stable_uuid(seed, "run", month.key, text),
        is_final=is_final,
    )


def schedule(end_date: date, months: int, runs_per_month: int, seed: int) -> list[Run]:
    """Every run of every billing month, in month order then submission order."""
    result: list[Run] = []
    all_months = billing_months(end_date, months)
    for month in all_months:
        result.extend(runs_for(month, runs_per_month=runs_per_month, is_last=month is all_months[-1], seed=seed))
    return result
