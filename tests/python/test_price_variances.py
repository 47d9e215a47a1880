"""End to end on the generated sample: fct_ai_price_variances flags the scenario's injected price change and
cached double billing and nothing else; a clean sample flags nothing; an unknown meter lands in the unclassified
bucket and the warn test with its cost kept in every total. Expectations come from sample_scenario.json."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aoai_finops.sample import SampleOptions
from pipeline import Pipeline, built_sample

pytestmark = pytest.mark.slow

UNKNOWN_METER = "Quantum Flux Capacitor"
UNKNOWN_METER_ID = "00000000-0000-4000-8000-00000000f1c5"
# The real meter whose rows become the unknown one (Azure OpenAI category, so the classifier knows it is AI).
RENAMED_METER = "Az-Text-Embedding-3-Small Tokens"


def scenario(pipeline: Pipeline) -> dict:
    return json.loads((pipeline.exports / "sample_scenario.json").read_text(encoding="utf-8"))


def findings(pipeline: Pipeline) -> set[tuple[str, str, str, str]]:
    rows = pipeline.query(
        "select variance_reason, cast(charge_date as varchar), lower(resource_name), meter_id "
        "from fct_ai_price_variances"
    )
    return {tuple(row) for row in rows}


def dbt_test_status(pipeline: Pipeline, test_name: str) -> str:
    """Status of a data test in the last dbt run: pass, warn, fail or error."""
    results = json.loads((pipeline.root / "target" / "run_results.json").read_text(encoding="utf-8"))
    (status,) = [result["status"] for result in results["results"] if result["unique_id"].split(".")[2] == test_name]
    return status


def test_the_sample_flags_the_injected_price_change_and_double_billing_and_nothing_else(
    default_sample: Pipeline,
) -> None:
    events = {event["kind"]: event for event in scenario(default_sample)["events"]}
    change, double = events["price_change"], events["cached_double_billing"]
    # every day the changed meter was billed from the change on, in every account that uses it
    change_days = default_sample.query(
        "select distinct cast(cast(ChargePeriodStart as date) as varchar), lower(ResourceName) from focus_costs "
        "where x_SkuMeterId = ? and cast(ChargePeriodStart as date) >= ?",
        [change["meter_id"], date.fromisoformat(change["from_date"])],
    )
    assert {account for _, account in change_days} == set(change["accounts"])
    expected = {("price_change_not_in_catalog", day, account, change["meter_id"]) for day, account in change_days}
    expected |= {
        ("cached_input_double_billed", day, double["account"], double["input_meter_id"]) for day in double["days"]
    }
    assert len(expected) > len(double["days"])
    assert findings(default_sample) == expected


def test_price_change_findings_show_the_billed_and_the_catalog_price(default_sample: Pipeline) -> None:
    (change,) = [event for event in scenario(default_sample)["events"] if event["kind"] == "price_change"]
    rows = default_sample.query(
        "select catalog_price_per_1m_tokens, list_price_per_1m_tokens, price_deviation_ratio, variance_amount, "
        "list_cost - expected_list_cost from fct_ai_price_variances "
        "where variance_reason = 'price_change_not_in_catalog'"
    )
    for catalog, billed, ratio, amount, difference in rows:
        assert catalog == pytest.approx(float(change["list_usd_per_1m"]))
        assert billed == pytest.approx(float(change["billed_usd_per_1m"]))
        assert ratio == pytest.approx(float(Decimal(change["factor"]) - 1))
        assert amount == pytest.approx(difference) and amount > 0


def test_double_billing_findings_price_the_cached_tokens_billed_again(default_sample: Pipeline) -> None:
    (double,) = [event for event in scenario(default_sample)["events"] if event["kind"] == "cached_double_billing"]
    rows = default_sample.query(
        "select cast(v.charge_date as varchar), v.cached_input_tokens, v.variance_amount, "
        "  v.effective_cost / v.tokens, "
        "  (select sum(f.ConsumedQuantity) from focus_costs as f where f.SkuMeter = ? "
        "     and lower(f.ResourceName) = lower(v.resource_name) "
        "     and cast(f.ChargePeriodStart as date) = v.charge_date) "
        "from fct_ai_price_variances as v where v.variance_reason = 'cached_input_double_billed'",
        [double["cached_meter"]],
    )
    assert sorted(row[0] for row in rows) == double["days"]
    for _, cached_tokens, amount, input_price, billed_cached_tokens in rows:
        assert cached_tokens == billed_cached_tokens > 0
        assert amount == pytest.approx(cached_tokens * input_price)


def test_a_clean_sample_flags_nothing_and_has_no_unclassified_meter(clean_sample: Pipeline) -> None:
    assert scenario(clean_sample)["events"] == []
    assert findings(clean_sample) == set()
    assert clean_sample.query("select count(*) from fct_ai_unclassified_meters") == [(0,)]
    assert dbt_test_status(clean_sample, "assert_no_unclassified_ai_meters") == "pass"


def rename_meter_in_newest_run(exports: Path) -> None:
    """Rewrite the last month's newest run so one meter's rows carry a meter nobody knows (manifest kept true)."""
    runs = json.loads((exports / "sample_scenario.json").read_text(encoding="utf-8"))["runs"]
    last_month = max(run["month"] for run in runs)
    newest = max((run for run in runs if run["month"] == last_month), key=lambda run: run["submitted_time"])
    manifest_path = exports / newest["manifest"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    renamed = 0
    for blob in manifest["blobs"]:
        path = exports / blob["blobName"]
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fieldnames, rows = reader.fieldnames, list(reader)
        for row in rows:
            if row["x_SkuMeterName"] == RENAMED_METER:
                row.update(x_SkuMeterName=UNKNOWN_METER, x_SkuMeterId=UNKNOWN_METER_ID, x_PricingUnitDescription="1")
                renamed += 1
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=fieldnames, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), mtime=0))
        blob["byteCount"] = path.stat().st_size
    assert renamed > 0
    manifest["byteCount"] = sum(blob["byteCount"] for blob in manifest["blobs"])
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def unknown_meter_sample(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return built_sample(tmp_path_factory.mktemp("unknown"), SampleOptions(clean=True), rename_meter_in_newest_run)


def test_an_unknown_meter_is_in_the_unclassified_bucket_and_trips_the_warn_test(unknown_meter_sample: Pipeline) -> None:
    pipeline = unknown_meter_sample
    ((raw_rows, raw_cost),) = pipeline.query(
        "select count(*), sum(EffectiveCost) from focus_costs where x_SkuMeterId = ?", [UNKNOWN_METER_ID]
    )
    assert raw_rows > 0 and raw_cost > 0
    assert pipeline.query("select meter_name, cost_row_count, effective_cost from fct_ai_unclassified_meters") == [
        (UNKNOWN_METER, raw_rows, pytest.approx(raw_cost, abs=0.005))
    ]
    assert dbt_test_status(pipeline, "assert_no_unclassified_ai_meters") == "warn"
    assert dbt_test_status(pipeline, "ai_meters_not_fully_classified") == "warn"


def test_the_unknown_meters_cost_is_kept_in_every_total(unknown_meter_sample: Pipeline) -> None:
    pipeline = unknown_meter_sample
    ((unknown_cost,),) = pipeline.query(
        "select sum(EffectiveCost) from focus_costs where x_SkuMeterId = ?", [UNKNOWN_METER_ID]
    )
    ((token_scope_cost,),) = pipeline.query(
        "select sum(EffectiveCost) from focus_costs "
        "where x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') = 'tokens'"
    )
    for mart, cost in (
        ("fct_ai_token_costs_daily", "effective_cost"),
        ("fct_ai_unit_economics_monthly", "effective_cost"),
    ):
        ((total, unclassified),) = pipeline.query(
            f"select sum({cost}), sum(case when model_name = 'unclassified' then {cost} end) from {mart}"
        )
        assert total == pytest.approx(token_scope_cost, abs=0.005), mart
        assert unclassified == pytest.approx(unknown_cost, abs=0.005), mart
    # the only findings are the unknown meter's days, which no catalog can price
    reasons = pipeline.query("select distinct variance_reason, meter_name, is_classified from fct_ai_price_variances")
    assert reasons == [("missing_catalog_entry", UNKNOWN_METER, False)]
