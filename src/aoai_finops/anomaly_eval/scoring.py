"""Event-based scoring of flagged days against labelled anomaly windows (docs/anomalies.md, "Evaluation").

- An event is a maximal run of consecutive days labelled 1. It is detected when at least one of its days is
  flagged; its delay is the days from its first day to the first flagged day inside it (0 = flagged on day one).
- An alarm is a maximal run of consecutive flagged days. It is true when it shares a day with an event, false
  otherwise. An alarm that starts inside an event and runs past it is still one true alarm.
- precision = true alarms / alarms, recall = detected events / events, F1 their harmonic mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

FALSE_ALARM_PERIOD_DAYS = 90


@dataclass(frozen=True)
class Run:
    first: date
    last: date

    def overlaps(self, other: Run) -> bool:
        return self.first <= other.last and other.first <= self.last


def runs(dates: Sequence[date], marks: Sequence[bool]) -> list[Run]:
    """Maximal runs of consecutive marked days."""
    found: list[Run] = []
    for day, marked in zip(dates, marks, strict=True):
        if not marked:
            continue
        if found and found[-1].last == day - timedelta(days=1):
            found[-1] = Run(found[-1].first, day)
        else:
            found.append(Run(day, day))
    return found


@dataclass
class Score:
    """Counts for one series, or summed over several."""

    series: int = 0
    days: int = 0
    events: int = 0
    detected: int = 0
    alarms: int = 0
    false_alarms: int = 0
    delays: list[int] = field(default_factory=list)

    @property
    def true_alarms(self) -> int:
        return self.alarms - self.false_alarms

    @property
    def precision(self) -> float | None:
        return self.true_alarms / self.alarms if self.alarms else None

    @property
    def recall(self) -> float | None:
        return self.detected / self.events if self.events else None

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision, self.recall
        if precision is None and recall is None:
            return None
        precision, recall = precision or 0.0, recall or 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def mean_delay(self) -> float | None:
        return sum(self.delays) / len(self.delays) if self.delays else None

    @property
    def median_delay(self) -> float | None:
        return float(median(self.delays)) if self.delays else None

    @property
    def false_alarms_per_90_days(self) -> float | None:
        return self.false_alarms / self.days * FALSE_ALARM_PERIOD_DAYS if self.days else None

    def __add__(self, other: Score) -> Score:
        return Score(
            self.series + other.series,
            self.days + other.days,
            self.events + other.events,
            self.detected + other.detected,
            self.alarms + other.alarms,
            self.false_alarms + other.false_alarms,
            self.delays + other.delays,
        )


def score_series(dates: Sequence[date], labels: Sequence[bool], flags: Sequence[bool]) -> Score:
    """Score one series' flagged days against its labelled events."""
    events = runs(dates, labels)
    alarms = runs(dates, flags)
    flagged_days = [day for day, flagged in zip(dates, flags, strict=True) if flagged]
    delays = []
    for event in events:
        inside = [day for day in flagged_days if event.first <= day <= event.last]
        if inside:
            delays.append((inside[0] - event.first).days)
    false_alarms = sum(1 for alarm in alarms if not any(alarm.overlaps(event) for event in events))
    return Score(1, len(dates), len(events), len(delays), len(alarms), false_alarms, delays)


def total(scores: Iterable[Score]) -> Score:
    return sum(scores, Score())
