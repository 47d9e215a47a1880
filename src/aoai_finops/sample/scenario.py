"""Where the sample deliberately departs from steady, list-priced, fully observed usage.

Scenario events (off with `--clean`) sit in the last billing month, so month-to-date runs show them arriving:
runaway output tokens, an unannounced price change, cached input billed twice. Deliberate gaps and the PTU
scale-up are part of normal operations and exist in every sample. Tests find all of them in
`sample_scenario.json` rather than hard-coding dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from aoai_finops.sample.calendar import BillingMonth
from aoai_finops.sample.estate import Deployment, Estate, Resource
from aoai_finops.sample.meters import Meter
from aoai_finops.sample.options import SampleError

RUNAWAY_MULTIPLIER = 20
PRICE_CHANGE_FACTOR = Decimal("1.125")
CACHED_DOUBLE_BILLING_DAYS = 3
MIN_EVENT_DAYS = 3


@dataclass(frozen=True)
class RunawayUsage:
    """A pay-as-you-go deployment's output tokens x20 for two consecutive days (real usage: telemetry shows it)."""

    deployment: Deployment
    days: tuple[date, ...]
    multiplier: int = RUNAWAY_MULTIPLIER

    @property
    def meter(self) -> Meter:
        return self.deployment.meters()["output"]


@dataclass(frozen=True)
class PriceChange:
    """One meter billed above its list price from a day on, in every account that uses it."""

    meter: Meter
    from_date: date
    factor: Decimal = PRICE_CHANGE_FACTOR

    @property
    def usd_per_unit(self) -> Decimal:
        return self.meter.usd_per_unit * self.factor

    @property
    def usd_per_1m(self) -> Decimal:
        assert self.meter.usd_per_1m is not None
        return self.meter.usd_per_1m * self.factor


@dataclass(frozen=True)
class CachedDoubleBilling:
    """Cached input tokens of one account and model also billed on the full-price input meter (billing bug)."""

    deployment: Deployment
    days: tuple[date, ...]

    @property
    def account(self) -> Resource:
        return self.deployment.account

    @property
    def input_meter(self) -> Meter:
        return self.deployment.meters()["input"]

    @property
    def cached_meter(self) -> Meter:
        return self.deployment.meters()["cached_input"]


@dataclass(frozen=True)
class TelemetryGap:
    """Days on which Azure Monitor has no data for a deployment although it was used and billed."""

    deployment: Deployment
    days: tuple[date, ...]


@dataclass(frozen=True)
class Scenario:
    runaway: RunawayUsage | None
    price_change: PriceChange | None
    cached_double_billing: CachedDoubleBilling | None
    telemetry_gap: TelemetryGap | None
    ptu_scaled_days: tuple[date, ...]

    @property
    def has_events(self) -> bool:
        return any((self.runaway, self.price_change, self.cached_double_billing))


def _days(month: BillingMonth, first_day: int, count: int) -> tuple[date, ...]:
    """`count` consecutive days from `first_day`, moved earlier if the month's data ends before them."""
    available = month.last_data_day.day
    count = min(count, available)
    start = max(1, min(first_day, available - count + 1))
    return tuple(month.start + timedelta(days=start - 1 + offset) for offset in range(count))


def _first(deployments: list[Deployment], *tests: Callable[[Deployment], bool]) -> Deployment | None:
    """The first deployment passing the earliest test that any deployment passes (preference, then fallbacks)."""
    for test in tests:
        for deployment in deployments:
            if test(deployment):
                return deployment
    return None


def _chat_payg(deployment: Deployment) -> bool:
    return deployment.billing == "payg" and "Batch" not in deployment.deployment_type and deployment.output_ratio > 0


def build_scenario(estate: Estate, months: list[BillingMonth], *, events: bool) -> Scenario:
    base = [deployment for deployment in estate.deployments if deployment.account.copy == 0]
    last, first = months[-1], months[0]
    runaway = price_change = cached = None
    if events:
        end_day = last.last_data_day.day
        if end_day < MIN_EVENT_DAYS:
            raise SampleError(
                f"the last billing month has only {end_day} day(s) of data up to the end date {last.last_data_day}; "
                f"scenario events need at least {MIN_EVENT_DAYS}: pick a later --end-date or pass --clean"
            )
        runaway_target = _first(
            base,
            lambda d: _chat_payg(d) and d.model_id == "gpt-4.1" and d.deployment_type == "GlobalStandard",
            _chat_payg,
        )
        if runaway_target is not None:
            runaway = RunawayUsage(runaway_target, _days(last, round(end_day * 0.6), 2))
        price_target = _first(
            base,
            lambda d: _chat_payg(d) and d.model_id == "gpt-4.1-mini" and d.deployment_type == "GlobalStandard",
            lambda d: _chat_payg(d) and d is not runaway_target,
            _chat_payg,
        )
        if price_target is not None:
            price_change = PriceChange(price_target.meters()["output"], _days(last, round(end_day * 0.4), 1)[0])
        cached_target = _first(
            base,
            lambda d: _chat_payg(d) and d.model_id == "gpt-5" and d.cached_share > 0 and not d.priority,
            lambda d: _chat_payg(d) and d.cached_share > 0 and d is not runaway_target and d is not price_target,
            lambda d: _chat_payg(d) and d.cached_share > 0,
        )
        if cached_target is not None:
            cached = CachedDoubleBilling(cached_target, _days(last, round(end_day * 0.25), CACHED_DOUBLE_BILLING_DAYS))
    event_deployments = {event.deployment.key for event in (runaway, cached) if event is not None}
    gap_target = _first(
        base,
        lambda d: d.billing == "payg" and d.model_id == "gpt-4.1-nano" and d.key not in event_deployments,
        lambda d: d.billing == "payg" and d.key not in event_deployments,
    )
    gap = None if gap_target is None else TelemetryGap(gap_target, _days(first, 10, 3))
    scaled_month = months[-2] if len(months) > 1 else last
    return Scenario(
        runaway=runaway,
        price_change=price_change,
        cached_double_billing=cached,
        telemetry_gap=gap,
        ptu_scaled_days=_days(scaled_month, 15, 3) if estate.reservations else (),
    )
