"""End to end: costs in the marts equal the newest export run of each month, read straight from the raw files."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from aoai_finops.cli import main
from pipeline import Pipeline

pytestmark = pytest.mark.slow


def newest_run_totals(exports: Path) -> dict[str, tuple[int, float, float]]:
    """Per billing month: rows, BilledCost and EffectiveCost of the newest run, parsed with nothing but csv."""
    newest: dict[str, dict] = {}
    for manifest_path in exports.rglob("manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        month = manifest["runInfo"]["startDate"][:7]
        key = (manifest["runInfo"]["submittedTime"], manifest["runInfo"]["runId"])
        if month not in newest or key > newest[month]["key"]:
            newest[month] = {"key": key, "manifest": manifest}
    totals: dict[str, list] = defaultdict(lambda: [0, 0.0, 0.0])
    for month, run in newest.items():
        for blob in run["manifest"]["blobs"]:
            with gzip.open(exports / blob["blobName"], "rt", encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    totals[month][0] += 1
                    totals[month][1] += float(row["BilledCost"] or 0)
                    totals[month][2] += float(row["EffectiveCost"] or 0)
    return {month: (rows, billed, effective) for month, (rows, billed, effective) in totals.items()}


def test_focus_costs_equal_the_newest_raw_run_of_every_month_to_the_cent(default_sample: Pipeline) -> None:
    expected = newest_run_totals(default_sample.exports)
    actual = {
        month: (rows, billed, effective)
        for month, rows, billed, effective in default_sample.query(
            "select x_BillingMonth, count(*), sum(BilledCost), sum(EffectiveCost) from focus_costs group by 1"
        )
    }
    assert sorted(actual) == sorted(expected)
    for month, (rows, billed, effective) in expected.items():
        assert actual[month][0] == rows, month
        assert actual[month][1] == pytest.approx(billed, abs=0.005), month
        assert actual[month][2] == pytest.approx(effective, abs=0.005), month


def test_ai_marts_hold_only_ai_meters_and_focus_costs_keeps_the_rest(default_sample: Pipeline) -> None:
    ((non_ai_rows, non_ai_cost),) = default_sample.query(
        "select count(*), sum(EffectiveCost) from focus_costs where not x_AiIsAiMeter"
    )
    assert non_ai_rows > 0 and non_ai_cost > 0
    ((foreign,),) = default_sample.query(
        "select count(*) from fct_ai_token_costs_daily "
        "where resource_id not like '%/providers/microsoft.cognitiveservices/accounts/%'"
    )
    assert foreign == 0
    ((total,),) = default_sample.query("select sum(EffectiveCost) from focus_costs")
    ((token_cost,),) = default_sample.query("select sum(effective_cost) from fct_ai_token_costs_daily")
    ((other_ai,),) = default_sample.query(
        "select sum(EffectiveCost) from focus_costs where x_AiIsAiMeter and x_AiChargeKind <> 'tokens'"
    )
    assert token_cost + other_ai + non_ai_cost == pytest.approx(total, abs=0.005)


def test_loading_again_changes_nothing_and_the_marts_stay_equal(default_sample: Pipeline, tmp_path: Path) -> None:
    pipeline = Pipeline(tmp_path / "pipeline")  # a copy: default_sample is read only
    shutil.copytree(default_sample.root, pipeline.root)
    before = pipeline.query("select round(sum(BilledCost), 4), count(*) from focus_costs")
    report = pipeline.load()
    assert all(result.status is None for result in report.results)
    pipeline.dbt("run", "--select", "focus_costs")
    assert pipeline.query("select round(sum(BilledCost), 4), count(*) from focus_costs") == before


def test_the_summary_prints_a_table_per_billing_currency(default_sample: Pipeline, tmp_path: Path, capsys) -> None:
    """Two billing accounts billed in EUR and USD: each currency gets its own table and total, never a sum of both."""
    warehouse = tmp_path / "two-currencies.duckdb"
    shutil.copy(default_sample.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "update fct_ai_token_costs_daily set billing_currency = 'EUR' "
            "where sub_account_id = (select min(sub_account_id) from fct_ai_token_costs_daily)"
        )
        expected = dict(
            connection.execute(
                "select billing_currency, round(sum(effective_cost), 2) from fct_ai_token_costs_daily "
                "where date_trunc('month', charge_date) = "
                "(select max(date_trunc('month', charge_date)) from fct_ai_token_costs_daily) group by all"
            ).fetchall()
        )

    assert main(["summary", "--duckdb", str(warehouse)]) == 0

    output = capsys.readouterr().out
    titles = [line.strip() for line in output.splitlines() if line.startswith("Azure OpenAI token costs")]
    assert titles == ["Azure OpenAI token costs, October 2026 (EUR)", "Azure OpenAI token costs, October 2026 (USD)"]
    totals = [line.split("│")[3].strip() for line in output.splitlines() if line.startswith("│ total")]
    assert totals == [f"{expected['EUR']:,.2f}", f"{expected['USD']:,.2f}"]
