"""Alerts from the warehouse: anomaly episodes (fct_cost_anomalies) and budget breaches (fct_budget_burn_rate).

An anomaly alert is an episode (consecutive anomalous days of one series) with at least one day on or after
`since`, so a daily job reports a new episode and keeps reporting it while it goes on. A budget alert is a budget
of a month that ends on or after `since` which is over budget (high) or forecast to end over it (medium).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import duckdb

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError

SEVERITIES = ("low", "medium", "high", "critical")
DEFAULT_MIN_SEVERITY = "medium"

_LAST_DAY_SQL = "select cast(max(ChargePeriodStart) as date) from focus_costs where x_AiIsAiMeter"

_EPISODES_SQL = """
with episodes as (
    select
        series_id,
        first_anomaly_date,
        max(anomaly_date) as last_anomaly_date,
        count(*) as anomaly_days,
        sum(cost_impact) as cost_impact,
        max(abs(anomaly_score)) as max_abs_score,
        bool_or(is_ongoing) as is_ongoing,
        max(case severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end) as severity_rank
    from fct_cost_anomalies
    group by series_id, first_anomaly_date
    having max(anomaly_date) >= ?
)
select
    episodes.first_anomaly_date, episodes.last_anomaly_date, episodes.anomaly_days, episodes.severity_rank,
    first_day.scope_level, first_day.scope_id, first_day.scope_name, first_day.metric, first_day.direction,
    episodes.cost_impact, first_day.billing_currency, episodes.max_abs_score, episodes.is_ongoing,
    first_day.likely_cause, first_day.actual_value, first_day.expected_value, first_day.root_cause,
    first_day.root_cause_share, first_day.root_cause_ai_account, first_day.root_cause_model,
    first_day.root_cause_token_type, first_day.root_cause_deployment_type, first_day.root_cause_application
from episodes
inner join fct_cost_anomalies as first_day
    on episodes.series_id = first_day.series_id and episodes.first_anomaly_date = first_day.anomaly_date
where episodes.severity_rank >= ?
order by episodes.severity_rank desc, abs(episodes.cost_impact) desc, first_day.scope_level, first_day.scope_id,
    first_day.metric
"""

_BUDGETS_SQL = """
select
    budget_month, scope_level, scope_id, scope_name, billing_currency, budget_amount, month_to_date_cost,
    forecast_month_end_cost, over_budget_date, forecast_over_budget_date, budget_status, alert_severity
from fct_budget_burn_rate
where alert_severity is not null and month_end >= ?
    and case alert_severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end >= ?
order by budget_month, scope_level, scope_id
"""


class AlertsError(AoaiFinopsError):
    """The warehouse cannot be read for alerts."""


@dataclass(frozen=True)
class AnomalyAlert:
    severity: str
    first_date: date
    last_date: date
    days: int
    is_ongoing: bool
    scope_level: str
    scope_id: str
    scope_name: str | None
    metric: str
    direction: str
    likely_cause: str
    cost_impact: float
    currency: str | None
    max_score: float
    first_day_actual: float
    first_day_expected: float
    root_cause: str | None
    root_cause_share: float | None
    root_cause_ai_account: str | None
    root_cause_model: str | None
    root_cause_token_type: str | None
    root_cause_deployment_type: str | None
    root_cause_application: str | None


@dataclass(frozen=True)
class BudgetAlert:
    severity: str
    budget_month: str
    scope_level: str
    scope_id: str
    scope_name: str | None
    currency: str | None
    budget_amount: float
    month_to_date_cost: float
    forecast_month_end_cost: float
    over_budget_date: date | None
    forecast_over_budget_date: date | None
    status: str


@dataclass(frozen=True)
class AlertReport:
    warehouse: Path
    since: date
    data_through: date | None
    min_severity: str
    anomalies: list[AnomalyAlert]
    budgets: list[BudgetAlert]

    @property
    def has_alerts(self) -> bool:
        return bool(self.anomalies or self.budgets)


def severity_rank(severity: str) -> int:
    if severity not in SEVERITIES:
        raise AlertsError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    return SEVERITIES.index(severity) + 1


def collect_alerts(warehouse: Path, since: date | None = None, min_severity: str = DEFAULT_MIN_SEVERITY) -> AlertReport:
    """Anomaly episodes and budget breaches at or above `min_severity`; `since` defaults to the first day of the
    month of the last day of data."""
    minimum = severity_rank(min_severity)
    if not warehouse.exists():
        raise AlertsError(f"{warehouse}: no warehouse yet; run `dbt build` first (or set AOAI_FINOPS_DUCKDB)")
    try:
        with duck.connect(warehouse, read_only=True) as connection:
            data_through = connection.execute(_LAST_DAY_SQL).fetchone()[0]
            if since is None:
                since = (data_through or date.today()).replace(day=1)
            episodes = connection.execute(_EPISODES_SQL, [since, minimum]).fetchall()
            budgets = connection.execute(_BUDGETS_SQL, [since, minimum]).fetchall()
    except duckdb.Error as error:
        raise AlertsError(
            f"{warehouse}: cannot read fct_cost_anomalies / fct_budget_burn_rate ({error}); run `dbt build` first"
        ) from None
    return AlertReport(
        warehouse=warehouse,
        since=since,
        data_through=data_through,
        min_severity=min_severity,
        anomalies=[_anomaly(row) for row in episodes],
        budgets=[_budget(row) for row in budgets],
    )


def _anomaly(row: tuple) -> AnomalyAlert:
    (first, last, days, rank, level, scope_id, name, metric, direction, impact, currency, score, ongoing, cause,
     actual, expected, root, root_share, account, model, token_type, deployment, application) = row  # fmt: skip
    return AnomalyAlert(
        SEVERITIES[rank - 1], first, last, days, bool(ongoing), level, scope_id, name, metric, direction, cause,
        impact, currency, score, actual, expected, root, root_share, account, model, token_type, deployment,
        application,
    )  # fmt: skip


def _budget(row: tuple) -> BudgetAlert:
    (month, level, scope_id, name, currency, amount, to_date, forecast, over, forecast_over, status,
     severity) = row  # fmt: skip
    return BudgetAlert(
        severity, month, level, scope_id, name, currency, amount, to_date, forecast, over, forecast_over, status
    )


def format_text(report: AlertReport) -> str:
    through = report.data_through.isoformat() if report.data_through else "no data"
    lines = [
        f"aoai-finops alerts since {report.since} (data through {through}), severity {report.min_severity} and up: "
        f"{len(report.anomalies)} anomaly episode(s), {len(report.budgets)} budget alert(s)"
    ]
    for alert in report.anomalies:
        span = str(alert.first_date) if alert.days == 1 else f"{alert.first_date}..{alert.last_date}"
        ongoing = ", ongoing" if alert.is_ongoing else ""
        cause = f"; root cause {alert.root_cause}" if alert.root_cause else ""
        if alert.root_cause and alert.root_cause_share is not None:
            cause += f" ({alert.root_cause_share:.0%} of the change)"
        lines.append(
            f"ANOMALY {alert.severity:<8} {span} ({alert.days} day(s){ongoing}) {alert.scope_level} "
            f"{alert.scope_name or alert.scope_id}: {alert.metric} {alert.direction} ({alert.likely_cause}), "
            f"{_money(alert.cost_impact, alert.currency, signed=True)} cost impact, first day "
            f"{_number(alert.first_day_actual)} vs {_number(alert.first_day_expected)} expected{cause}"
        )
    for alert in report.budgets:
        when = (
            f"over budget since {alert.over_budget_date}"
            if alert.over_budget_date
            else f"forecast over budget on {alert.forecast_over_budget_date}"
        )
        scope = alert.scope_name or alert.scope_id
        lines.append(
            f"BUDGET  {alert.severity:<8} {alert.budget_month} {alert.scope_level} {scope}: {when}; "
            f"month to date {_money(alert.month_to_date_cost, alert.currency)}, forecast "
            f"{_money(alert.forecast_month_end_cost, alert.currency)} for a budget of "
            f"{_money(alert.budget_amount, alert.currency)}"
        )
    return "\n".join(lines)


def format_json(report: AlertReport) -> str:
    payload = {
        "since": report.since,
        "data_through": report.data_through,
        "min_severity": report.min_severity,
        "anomalies": [asdict(alert) for alert in report.anomalies],
        "budgets": [asdict(alert) for alert in report.budgets],
    }
    return json.dumps(payload, indent=2, default=str)


def _money(amount: float, currency: str | None, signed: bool = False) -> str:
    text = f"{amount:+,.2f}" if signed else f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.2f}" if abs(value) < 1_000_000 else f"{value:,.0f}"
