"""`aoai-finops alerts` over a small hand-made warehouse: episodes, severities, --since, formats, exit codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from aoai_finops.alerts import AlertsError, collect_alerts, format_text
from aoai_finops.cli import main

ANOMALY_COLUMNS = (
    "series_id varchar, anomaly_date date, first_anomaly_date date, scope_level varchar, scope_id varchar, "
    "scope_name varchar, metric varchar, direction varchar, cost_impact double, billing_currency varchar, "
    "anomaly_score double, is_ongoing boolean, severity varchar, likely_cause varchar, actual_value double, "
    "expected_value double, root_cause varchar, root_cause_share double, root_cause_ai_account varchar, "
    "root_cause_model varchar, root_cause_token_type varchar, root_cause_deployment_type varchar, "
    "root_cause_application varchar"
)
BUDGET_COLUMNS = (
    "budget_month varchar, month_end date, scope_level varchar, scope_id varchar, scope_name varchar, "
    "billing_currency varchar, budget_amount double, month_to_date_cost double, forecast_month_end_cost double, "
    "over_budget_date date, forecast_over_budget_date date, budget_status varchar, alert_severity varchar"
)


def anomaly(series: str, day: str, first: str, severity: str, impact: float, ongoing: bool = False) -> tuple:
    return (
        series, date.fromisoformat(day), date.fromisoformat(first), "model", series, series, "effective_cost",
        "spike" if impact > 0 else "drop", impact, "USD", 9.5, ongoing, severity, "usage", 500.0, 100.0,
        f"acct / {series} / output / global", 0.97, "acct", series, "output", "global", None,
    )  # fmt: skip


def make_warehouse(path: Path, anomalies: list[tuple], budgets: list[tuple], last_day: str = "2026-10-20") -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table focus_costs (ChargePeriodStart timestamp, x_AiIsAiMeter boolean)")
        connection.execute("insert into focus_costs values (?, true), ('2026-08-01', true)", [last_day])
        connection.execute(f"create table fct_cost_anomalies ({ANOMALY_COLUMNS})")
        if anomalies:
            connection.executemany(f"insert into fct_cost_anomalies values ({', '.join(['?'] * 23)})", anomalies)
        connection.execute(f"create table fct_budget_burn_rate ({BUDGET_COLUMNS})")
        if budgets:
            connection.executemany(f"insert into fct_budget_burn_rate values ({', '.join(['?'] * 13)})", budgets)
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(
        tmp_path / "warehouse.duckdb",
        anomalies=[
            anomaly("gpt-4.1", "2026-10-12", "2026-10-12", "high", 400.0),
            anomaly("gpt-4.1", "2026-10-13", "2026-10-12", "medium", 200.0),
            anomaly("o4-mini", "2026-10-19", "2026-10-19", "low", 3.0, ongoing=True),
            anomaly("gpt-5", "2026-09-20", "2026-09-20", "critical", -1500.0),
        ],
        budgets=[
            ("2026-10", date(2026, 10, 31), "model", "gpt-4.1", "gpt-4.1", "USD", 3000.0, 2400.0, 3300.0, None,
             date(2026, 10, 27), "forecast_over_budget", "medium"),
            ("2026-09", date(2026, 9, 30), "model", "gpt-5", "gpt-5", "USD", 900.0, 950.0, 950.0,
             date(2026, 9, 29), date(2026, 9, 29), "over_budget", "high"),
        ],
    )  # fmt: skip


def test_an_episode_is_one_alert_with_its_worst_severity_and_total_impact(warehouse: Path) -> None:
    report = collect_alerts(warehouse)
    assert report.since == date(2026, 10, 1)  # the month of the last day of data
    assert report.data_through == date(2026, 10, 20)
    assert [(a.scope_id, a.severity, a.days, a.cost_impact) for a in report.anomalies] == [
        ("gpt-4.1", "high", 2, 600.0)
    ]
    alert = report.anomalies[0]
    assert (alert.first_date, alert.last_date, alert.root_cause_model, alert.root_cause_token_type) == (
        date(2026, 10, 12),
        date(2026, 10, 13),
        "gpt-4.1",
        "output",
    )
    assert [(b.scope_id, b.severity) for b in report.budgets] == [("gpt-4.1", "medium")]


def test_min_severity_and_since_select_what_is_reported(warehouse: Path) -> None:
    everything = collect_alerts(warehouse, since=date(2026, 9, 1), min_severity="low")
    assert {a.scope_id for a in everything.anomalies} == {"gpt-4.1", "o4-mini", "gpt-5"}
    assert {b.scope_id for b in everything.budgets} == {"gpt-4.1", "gpt-5"}
    recent = collect_alerts(warehouse, since=date(2026, 10, 13), min_severity="low")
    # An episode still flagged on or after --since is reported again, with its first day.
    assert {(a.scope_id, a.first_date) for a in recent.anomalies} == {
        ("gpt-4.1", date(2026, 10, 12)),
        ("o4-mini", date(2026, 10, 19)),
    }
    assert not collect_alerts(warehouse, min_severity="critical").has_alerts


def test_text_names_scope_impact_and_root_cause(warehouse: Path) -> None:
    text = format_text(collect_alerts(warehouse))
    assert "ANOMALY high" in text and "model gpt-4.1: effective_cost spike (usage)" in text
    assert "+600.00 USD cost impact" in text and "root cause acct / gpt-4.1 / output / global (97%" in text
    assert "BUDGET  medium   2026-10 model gpt-4.1: forecast over budget on 2026-10-27" in text


def test_the_cli_exits_1_when_there_are_alerts_and_0_when_there_are_none(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["alerts", "--duckdb", str(warehouse), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["since"] == "2026-10-01" and payload["anomalies"][0]["root_cause_model"] == "gpt-4.1"
    quiet = make_warehouse(tmp_path / "quiet.duckdb", anomalies=[], budgets=[])
    assert main(["alerts", "--duckdb", str(quiet)]) == 0
    assert "0 anomaly episode(s), 0 budget alert(s)" in capsys.readouterr().out


def test_a_missing_warehouse_or_mart_is_an_error_that_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AOAI_FINOPS_DUCKDB", str(tmp_path / "nowhere.duckdb"))
    assert main(["alerts"]) == 2
    assert "nowhere.duckdb: no warehouse yet; run `dbt build` first" in capsys.readouterr().err
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(AlertsError, match="cannot read fct_cost_anomalies"):
        collect_alerts(empty)
