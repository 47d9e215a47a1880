"""End to end on the sample: the runaway is flagged on its first day with the right root cause, the price change is
told apart as a unit price anomaly, and `aoai-finops alerts` exits 1 on the default sample and 0 on a clean one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Pipeline

pytestmark = pytest.mark.slow


def scenario_event(pipeline: Pipeline, kind: str) -> dict:
    scenario = json.loads((pipeline.exports / "sample_scenario.json").read_text())
    (event,) = [event for event in scenario["events"] if event["kind"] == kind]
    return event


def alerts(pipeline: Pipeline, *args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "aoai-finops"), "alerts", *args]
    environment = {**os.environ, "AOAI_FINOPS_DUCKDB": str(pipeline.warehouse)}
    return subprocess.run(command, env=environment, capture_output=True, text=True)


def test_the_runaway_is_flagged_on_its_first_day_with_its_model_and_token_type_as_root_cause(
    default_sample: Pipeline,
) -> None:
    runaway = scenario_event(default_sample, "runaway_usage")
    first_day = runaway["days"][0]
    rows = default_sample.query(
        "select scope_level, first_anomaly_date, root_cause_model, root_cause_token_type, root_cause_ai_account, "
        "root_cause_model_share, root_cause_token_type_share, severity, likely_cause "
        "from fct_cost_anomalies where metric = 'effective_cost' and anomaly_date = ? "
        "and scope_level in ('billing_account', 'subscription', 'ai_account', 'model', 'model_token_type')",
        [first_day],
    )
    assert {row[0] for row in rows} == {"billing_account", "subscription", "ai_account", "model", "model_token_type"}
    for level, first, model, token_type, account, model_share, token_share, severity, cause in rows:
        assert str(first) == first_day, level
        assert (model, token_type, account) == (runaway["model"], runaway["token_type"], runaway["account"]), level
        assert model_share > 0.8 and token_share > 0.8, level
        assert severity in ("high", "critical") and cause == "usage", level
    ((earlier,),) = default_sample.query(
        "select count(*) from fct_cost_anomalies where scope_level = 'model_token_type' and model_name = ? "
        "and token_type = ? and anomaly_date < ?",
        [runaway["model"], runaway["token_type"], first_day],
    )
    assert earlier == 0


def test_the_runaway_is_flagged_at_the_cost_center_and_application_it_is_allocated_to(default_sample: Pipeline) -> None:
    """Allocation levels (var anomaly_allocation_levels, on in dbt_project.yml): the runaway shows on its first day at
    the cost center and application the allocation mart gives most of the runaway meter's cost that day."""
    runaway = scenario_event(default_sample, "runaway_usage")
    first_day = runaway["days"][0]
    ((cost_center, application),) = default_sample.query(
        "select cost_center, application from fct_cost_allocation_daily where charge_date = ? and model_name = ? "
        "and token_type = ? and lower(resource_id) = lower(?) group by cost_center, application "
        "order by sum(allocated_effective_cost) desc limit 1",
        [first_day, runaway["model"], runaway["token_type"], runaway["account_resource_id"]],
    )
    rows = default_sample.query(
        "select scope_level, scope_id, first_anomaly_date, root_cause_model, root_cause_token_type, "
        "root_cause_application, severity from fct_cost_anomalies where metric = 'effective_cost' "
        "and anomaly_date = ? and scope_level in ('cost_center', 'application', 'model')",
        [first_day],
    )
    flagged = {(level, scope): row for (level, scope, *row) in rows}
    expected = {("cost_center", cost_center), ("application", application), ("model", runaway["model"])}
    assert expected <= flagged.keys(), rows
    for key in expected:
        first, model, token_type, root_application, severity = flagged[key]
        assert str(first) == first_day, key
        assert (model, token_type, root_application) == (runaway["model"], runaway["token_type"], application), key
        assert severity in ("high", "critical"), key


def test_the_price_change_is_a_unit_price_anomaly_of_its_meter_and_not_a_usage_one(default_sample: Pipeline) -> None:
    change = scenario_event(default_sample, "price_change")
    rows = default_sample.query(
        "select metric, likely_cause, scope_id, round(actual_value, 4), round(expected_value, 4) "
        "from fct_cost_anomalies where anomaly_date = ? and model_name = 'gpt-4.1-mini' and token_type = 'output'",
        [change["from_date"]],
    )
    assert [row[:2] for row in rows] == [("cost_per_1m_tokens", "unit_price")]
    assert rows[0][3:] == (float(change["billed_usd_per_1m"]), float(change["list_usd_per_1m"]))


def test_alerts_exit_1_on_the_default_sample_and_name_the_runaway(default_sample: Pipeline) -> None:
    result = alerts(default_sample)
    assert result.returncode == 1, result.stderr
    runaway = scenario_event(default_sample, "runaway_usage")
    assert f"{runaway['account']} / {runaway['model']} / {runaway['token_type']}" in result.stdout


def test_alerts_exit_0_on_a_clean_sample(clean_sample: Pipeline) -> None:
    result = alerts(clean_sample)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 anomaly episode(s), 0 budget alert(s)" in result.stdout
    ((anomalies_this_month,),) = clean_sample.query(
        "select count(*) from fct_cost_anomalies where anomaly_date >= '2026-10-01'"
    )
    assert anomalies_this_month == 0
