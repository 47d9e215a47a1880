"""End to end on the generated sample: every allocation path runs, and the allocation adds up to the bill.

Names and dates come from the sample's own sample_scenario.json; the allocation seeds in seeds/allocation/ are
written for the sample estate (docs/allocation.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline import Pipeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scenario(default_sample: Pipeline) -> dict[str, Any]:
    return json.loads((default_sample.exports / "sample_scenario.json").read_text(encoding="utf-8"))


def test_every_allocation_method_runs_and_unallocated_cost_has_a_reason(default_sample: Pipeline) -> None:
    methods = dict(
        default_sample.query(
            "select allocation_method, sum(abs(allocated_effective_cost) + abs(allocated_billed_cost)) "
            "from fct_cost_allocation_daily group by 1"
        )
    )
    for method in ("telemetry", "tags", "even", "fixed", "commitment_usage", "unallocated"):
        assert methods.get(method, 0) > 0, f"no cost allocated by {method}: {methods}"
    ((without_reason,),) = default_sample.query(
        "select count(*) from fct_cost_allocation_daily where not is_allocated and unallocated_reason is null"
    )
    assert without_reason == 0


def test_the_ptu_deployment_is_split_across_its_applications(
    default_sample: Pipeline, scenario: dict[str, Any]
) -> None:
    reservation = scenario["reservations"][0]
    deployment = next(
        item
        for item in scenario["deployments"]
        if item["account"] == reservation["account"] and item["name"] == reservation["deployment"]
    )
    expected = {application["name"] for application in deployment["applications"]}
    rows = default_sample.query(
        "select application, sum(allocated_effective_cost), sum(allocated_tokens) from fct_cost_allocation_daily "
        "where charge_kind = 'ptu_hours' and deployment_name = ? and allocation_method = 'telemetry' group by 1",
        [reservation["deployment"]],
    )
    assert len(expected) >= 2
    assert {application for application, _, _ in rows} == expected
    assert all(cost > 0 and tokens > 0 for _, cost, tokens in rows)
    # The monthly purchase follows the usage it covered: billed cost on the same applications.
    purchase = dict(
        default_sample.query(
            "select application, sum(allocated_billed_cost) from fct_cost_allocation_daily "
            "where allocation_method = 'commitment_usage' group by 1"
        )
    )
    assert set(purchase) == expected


def test_a_telemetry_gap_falls_back_to_the_next_rule(default_sample: Pipeline, scenario: dict[str, Any]) -> None:
    gap = next(item for item in scenario["gaps"] if item["kind"] == "azure_monitor_missing_days")
    account = next(item for item in scenario["accounts"] if item["name"] == gap["account"])
    rows = default_sample.query(
        "select cast(charge_date as varchar), allocation_method, fallback_reasons from fct_cost_allocation_daily "
        "where resource_id = lower(?) and model_name = ? group by 1, 2, 3",
        [account["resource_id"], gap["model"]],
    )
    on_gap_days = {(method, reasons) for day, method, reasons in rows if day in gap["days"]}
    other_days = {method for day, method, _ in rows if day not in gap["days"]}
    assert on_gap_days == {("even", "telemetry:telemetry_gap")}
    assert other_days == {"telemetry"}


def test_the_untagged_account_stays_visible_as_unallocated(default_sample: Pipeline, scenario: dict[str, Any]) -> None:
    untagged = next(item for item in scenario["gaps"] if item["kind"] == "untagged_accounts")["accounts"][0]
    account = next(item for item in scenario["accounts"] if item["name"] == untagged)
    rows = dict(
        default_sample.query(
            "select coalesce(unallocated_reason, allocation_method), sum(allocated_effective_cost) "
            "from fct_cost_allocation_daily where resource_id = lower(?) group by 1",
            [account["resource_id"]],
        )
    )
    assert rows.get("untagged_resource", 0) > 0
    assert rows.get("fixed", 0) > 0  # its shared gpt-4o-mini deployment has a fixed split in the seeds


def test_allocated_cost_adds_up_to_the_ai_cost_of_the_bill(default_sample: Pipeline) -> None:
    ((billed, effective),) = default_sample.query(
        "select sum(BilledCost), sum(EffectiveCost) from focus_costs where x_AiIsAiMeter"
    )
    ((allocated_billed, allocated_effective),) = default_sample.query(
        "select sum(allocated_billed_cost), sum(allocated_effective_cost) from fct_cost_allocation_daily"
    )
    ((showback_billed, showback_effective),) = default_sample.query(
        "select sum(billed_cost), sum(effective_cost) from fct_showback_monthly"
    )
    # Each account-day is rounded to the cent: the totals may differ by half a cent per account-day at most.
    ((account_days,),) = default_sample.query(
        "select count(*) from (select distinct charge_date, resource_id from fct_cost_allocation_daily) as d"
    )
    assert allocated_billed == pytest.approx(billed, abs=0.005 * account_days)
    assert allocated_effective == pytest.approx(effective, abs=0.005 * account_days)
    assert showback_billed == pytest.approx(allocated_billed, abs=0.005)
    assert showback_effective == pytest.approx(allocated_effective, abs=0.005)
