"""The sample generator: layout, determinism, FocusCost content, scenario events and telemetry consistency.

Everything a test needs to know about a sample (runs, events, gaps, deployments) comes from its
sample_scenario.json, never from hard-coded dates or names.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import statistics
import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from aoai_finops.cli import main
from aoai_finops.datasets import dataset_for
from aoai_finops.sample import SampleError, SampleOptions, SampleReport, generate_sample
from aoai_finops.sample.focus import EMPTY_COLUMNS
from aoai_finops.sample.meters import ai_meters

FOCUS_COLUMNS = [column.name for column in dataset_for("FocusCost").columns_for("1.0r2")]
TOKEN_METERS = {meter.meter_name: meter for meter in ai_meters() if meter.token_type}

# ---------------------------------------------------------------------------------------------- fixtures / helpers


@pytest.fixture(scope="module")
def default_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleReport:
    return generate_sample(tmp_path_factory.mktemp("default"), SampleOptions())


@pytest.fixture(scope="module")
def clean_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleReport:
    return generate_sample(tmp_path_factory.mktemp("clean"), SampleOptions(clean=True, months=2))


def scenario(report: SampleReport) -> dict:
    return json.loads(report.scenario_path.read_text(encoding="utf-8"))


def read_part(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def run_rows(report: SampleReport, run: dict) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for blob in run["blobs"]:
        rows.extend(read_part(report.out / blob)[1])
    return rows


def final_runs(report: SampleReport) -> dict[str, dict]:
    return {run["month"]: run for run in scenario(report)["runs"] if run["final"]}


def final_rows(report: SampleReport) -> list[dict[str, str]]:
    return [row for run in final_runs(report).values() for row in run_rows(report, run)]


def account_of(row: dict[str, str]) -> str:
    return row["ResourceId"].lower().rsplit("/", 1)[1]


def day_of(row: dict[str, str]) -> str:
    return row["ChargePeriodStart"][:10]


def tokens_of(row: dict[str, str]) -> int:
    return round(float(row["PricingQuantity"]) * float(row["x_PricingBlockSize"]))


def billed_tokens(rows: list[dict[str, str]]) -> dict[tuple[str, str, str, str], int]:
    """Tokens per (account, model, day, direction) from token meter rows; direction 'prompt' or 'generated'."""
    result: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for row in rows:
        meter = TOKEN_METERS.get(row["x_SkuMeterName"])
        if meter is None:
            continue
        direction = "generated" if meter.token_type == "output" else "prompt"
        result[(account_of(row), meter.model_id, day_of(row), direction)] += tokens_of(row)
    return result


def latest_monitor_files(report: SampleReport) -> list[Path]:
    """The newest Azure Monitor pull per account and month (each pull is a month-to-date snapshot)."""
    newest: dict[Path, Path] = {}
    for path in sorted((report.out / "telemetry" / "azure-monitor").rglob("metrics_*.json")):
        newest[path.parent] = path  # names sort by pull time
    return list(newest.values())


def monitor_tokens(report: SampleReport, *, billing: str | None = "payg") -> dict[tuple[str, str, str, str], int]:
    """Azure Monitor tokens per (account, model, day, direction), for deployments of the given billing model."""
    deployments = {(d["account"], d["name"]): d for d in scenario(report)["deployments"]}
    names = {"ProcessedPromptTokens": "prompt", "GeneratedTokens": "generated"}
    result: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for path in latest_monitor_files(report):
        account = path.parts[-3]
        document = json.loads(path.read_text(encoding="utf-8"))
        for metric in document["value"]:
            direction = names.get(metric["name"]["value"])
            if direction is None:
                continue
            for series in metric["timeseries"]:
                dims = {item["name"]["value"]: item["value"] for item in series["metadatavalues"]}
                deployment = deployments[(account, dims["ModelDeploymentName"])]
                if billing is not None and deployment["billing"] != billing:
                    continue
                for point in series["data"]:
                    if point.get("total"):
                        key = (account, dims["ModelName"], point["timeStamp"][:10], direction)
                        result[key] += round(point["total"])
    return result


def event(report: SampleReport, kind: str) -> dict:
    return next(e for e in scenario(report)["events"] if e["kind"] == kind)


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# ---------------------------------------------------------------------------------------------- layout


def test_same_options_give_byte_identical_files(default_sample: SampleReport, tmp_path: Path) -> None:
    again = generate_sample(tmp_path / "again", SampleOptions())
    first, second = sha256_tree(default_sample.out), sha256_tree(again.out)
    assert len(first) > 50
    assert first == second


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    options = {"months": 1, "runs_per_month": 1, "telemetry": False}
    a = generate_sample(tmp_path / "a", SampleOptions(seed=1, **options))
    b = generate_sample(tmp_path / "b", SampleOptions(seed=2, **options))
    parts_a = {digest for name, digest in sha256_tree(a.out).items() if name.endswith(".csv.gz")}
    parts_b = {digest for name, digest in sha256_tree(b.out).items() if name.endswith(".csv.gz")}
    assert parts_a and not parts_a & parts_b


def test_gzip_header_has_no_timestamp(default_sample: SampleReport) -> None:
    blob = scenario(default_sample)["runs"][0]["blobs"][0]
    header = (default_sample.out / blob).read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[4:8] == b"\x00\x00\x00\x00"  # mtime 0


def test_layout_and_manifests_match_the_files(default_sample: SampleReport) -> None:
    out = default_sample.out
    document = scenario(default_sample)
    manifests = sorted(out.joinpath("costexports").rglob("manifest.json"))
    assert len(manifests) == default_sample.runs == len(document["runs"])
    billing_account = document["billing_account"]["id"]
    for path in manifests:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        run_folder = path.parent
        root, export, month_range, run_id = run_folder.relative_to(out).parts
        assert manifest["manifestVersion"] == "2024-04-01"
        config = manifest["exportConfig"]
        assert config["exportName"] == export
        assert config["resourceId"] == (
            f"/providers/Microsoft.Billing/billingAccounts/{billing_account}"
            f"/providers/Microsoft.CostManagement/exports/{export}"
        )
        assert (config["dataVersion"], config["type"], config["granularity"]) == ("1.0r2", "FocusCost", "Daily")
        assert config["timeFrame"] == "MonthToDate"
        assert manifest["deliveryConfig"]["rootFolderPath"] == root
        assert manifest["deliveryConfig"]["compressionMode"] == "gzip"
        info = manifest["runInfo"]
        assert info["runId"] == run_id and str(uuid.UUID(run_id)) == run_id
        assert info["executionType"] == "Scheduled"
        start = date.fromisoformat(info["startDate"][:10])
        assert month_range == f"{start:%Y%m%d}-{(start + timedelta(days=31)).replace(day=1) - timedelta(days=1):%Y%m%d}"
        assert info["submittedTime"].endswith("Z") and len(info["submittedTime"].split(".")[1]) == 8
        blobs = manifest["blobs"]
        assert manifest["blobCount"] == len(blobs)
        on_disk = sorted(p.name for p in run_folder.iterdir() if p.name != "manifest.json")
        assert on_disk == sorted(Path(blob["blobName"]).name for blob in blobs)
        for blob in blobs:
            file = out / blob["blobName"]
            assert file.parent == run_folder
            assert blob["byteCount"] == file.stat().st_size
            assert blob["dataRowCount"] == len(read_part(file)[1])
        assert manifest["byteCount"] == sum(blob["byteCount"] for blob in blobs)
        assert manifest["dataRowCount"] == sum(blob["dataRowCount"] for blob in blobs)
    assert max(json.loads(p.read_text())["blobCount"] for p in manifests) > 1, "no multi-part run in the sample"
    assert default_sample.cost_rows == sum(run["rows"] for run in document["runs"])


def test_every_part_has_the_96_columns_in_order(default_sample: SampleReport) -> None:
    assert len(FOCUS_COLUMNS) == 96
    for blob in (blob for run in scenario(default_sample)["runs"] for blob in run["blobs"]):
        with gzip.open(default_sample.out / blob, "rt", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == FOCUS_COLUMNS


def test_month_to_date_runs_repeat_earlier_days_identically(default_sample: SampleReport) -> None:
    by_month: dict[str, list[dict]] = defaultdict(list)
    for run in scenario(default_sample)["runs"]:
        by_month[run["month"]].append(run)
    for runs in by_month.values():
        runs.sort(key=lambda run: run["data_through"])
        assert len(runs) > 1
        contents = [run_rows(default_sample, run) for run in runs]
        for earlier, later, run in zip(contents, contents[1:], runs, strict=False):
            assert later[: len(earlier)] == earlier
            assert len(later) > len(earlier)
            assert max(day_of(row) for row in earlier) == run["data_through"]


def test_final_run_covers_the_whole_month(default_sample: SampleReport) -> None:
    months = {month["month"]: month for month in scenario(default_sample)["billing_months"]}
    for key, run in final_runs(default_sample).items():
        month = months[key]
        start = date.fromisoformat(month["start"])
        last = date.fromisoformat(month["last_data_day"])
        if month["complete"]:
            assert last == (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        expected = {(start + timedelta(days=i)).isoformat() for i in range((last - start).days + 1)}
        assert {day_of(row) for row in run_rows(default_sample, run)} == expected
    assert scenario(default_sample)["billing_months"][-1]["last_data_day"] == "2026-10-20"
    assert [m["month"] for m in scenario(default_sample)["billing_months"]] == ["2026-08", "2026-09", "2026-10"]


def test_existing_sample_is_only_replaced_with_overwrite(tmp_path: Path) -> None:
    options = {"months": 1, "runs_per_month": 1, "telemetry": False}
    generate_sample(tmp_path, SampleOptions(**options))
    with pytest.raises(SampleError, match="--overwrite"):
        generate_sample(tmp_path, SampleOptions(**options))
    generate_sample(tmp_path, SampleOptions(overwrite=True, **options))


def test_bad_options_are_refused_with_a_clear_message() -> None:
    with pytest.raises(SampleError, match="--months"):
        SampleOptions(months=0)
    with pytest.raises(SampleError, match="--runs-per-month"):
        SampleOptions(runs_per_month=0)
    with pytest.raises(SampleError, match="--clean"):
        generate_sample(Path("/nonexistent-never-written"), SampleOptions(end_date=date(2026, 10, 2)))


def test_cli_writes_a_sample_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    args = ["generate-sample", "--out", str(out), "--months", "1", "--runs-per-month", "2", "--no-telemetry"]
    assert main([*args, "--end-date", "2026-10-20"]) == 0
    summary = capsys.readouterr().out
    assert "cost rows/s" in summary and "runaway usage" in summary
    assert main(args) == 2  # already there, no --overwrite
    assert "--overwrite" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- FocusCost content


def test_columns_are_filled_except_the_ones_an_ea_export_leaves_empty(default_sample: SampleReport) -> None:
    rows = final_rows(default_sample)
    filled = {column for row in rows for column, value in row.items() if value != ""}
    assert filled == set(FOCUS_COLUMNS) - set(EMPTY_COLUMNS)


def test_rows_look_like_azure_openai_in_a_focus_export(default_sample: SampleReport) -> None:
    rows = final_rows(default_sample)
    ai = [row for row in rows if row["x_SkuMeterName"] in TOKEN_METERS]
    assert {TOKEN_METERS[row["x_SkuMeterName"]].model_id for row in ai} >= {
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "o4-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "text-embedding-3-large",
    }
    assert {row["x_PricingUnitDescription"] for row in ai} == {"1K", "1M"}
    assert {row["x_PricingBlockSize"] for row in ai} == {"1000", "1000000"}
    assert {row["x_SkuMeterCategory"] for row in ai} == {"Cognitive Services", "Foundry Models"}
    assert {row["ServiceName"] for row in ai} == {"Azure AI Services"}
    assert {row["ServiceCategory"] for row in ai} == {"AI and Machine Learning"}
    assert {row["x_ResourceType"] for row in ai} == {"microsoft.cognitiveservices/accounts"}
    for row in ai:
        # FinOps toolkit #727: both quantities in pricing blocks; cost is quantity x per-block price, unrounded.
        assert row["ConsumedQuantity"] == row["PricingQuantity"]
        assert row["PricingUnit"] == row["ConsumedUnit"] == "Units"
        assert float(row["BilledCost"]) == float(row["PricingQuantity"]) * float(row["x_BilledUnitPrice"])
        assert row["ChargePeriodStart"].endswith("T00:00:00Z") and len(row["ChargePeriodStart"]) == 20
    # ResourceId casing varies between rows of the same account.
    spellings = {row["ResourceId"] for row in ai if account_of(row) == "aoai-contoso-prod-eus2"}
    assert len(spellings) == 3
    assert any(row["ChargeDescription"] for row in ai)
    # Non-Azure-OpenAI rows are there too (focus_costs keeps them, the AI marts must not).
    assert {"microsoft.compute/virtualmachines", "microsoft.storage/storageaccounts"} <= {
        row["x_ResourceType"] for row in rows
    }


def test_tags_use_different_spellings_and_some_resources_have_none(default_sample: SampleReport) -> None:
    rows = final_rows(default_sample)
    keys = {key for row in rows if row["Tags"] for key in json.loads(row["Tags"])}
    assert {"cost-center", "CostCenter", "costcenter", "cost_center"} <= keys
    assert {"app", "application", "Application", "env", "environment", "Environment"} <= keys
    untagged = {account_of(row) for row in rows if not row["Tags"] and row["x_SkuMeterName"] in TOKEN_METERS}
    assert untagged == set(
        next(g for g in scenario(default_sample)["gaps"] if g["kind"] == "untagged_accounts")["accounts"]
    )
    assert untagged


def test_ptu_effective_cost_of_a_fully_used_month_equals_the_purchase(default_sample: SampleReport) -> None:
    reservation = scenario(default_sample)["reservations"][0]
    complete = {m["month"] for m in scenario(default_sample)["billing_months"] if m["complete"]}
    for month, run in final_runs(default_sample).items():
        rows = [
            r
            for r in run_rows(default_sample, run)
            if r["CommitmentDiscountId"] == reservation["commitment_discount_id"]
        ]
        purchases = [r for r in rows if r["ChargeCategory"] == "Purchase"]
        assert len(purchases) == 1
        purchase = purchases[0]
        assert float(purchase["BilledCost"]) == reservation["reserved_ptu"] * 260
        assert float(purchase["EffectiveCost"]) == 0
        assert (purchase["CommitmentDiscountType"], purchase["CommitmentDiscountCategory"]) == ("Reservation", "Usage")
        used = [r for r in rows if r["ChargeCategory"] == "Usage"]
        assert {(r["PricingCategory"], r["CommitmentDiscountStatus"], float(r["BilledCost"])) for r in used} == {
            ("Committed", "Used", 0.0)
        }
        if month in complete:
            assert abs(sum(float(r["EffectiveCost"]) for r in used) - float(purchase["BilledCost"])) < 0.005
    # ServiceName is left empty on some purchase rows, as real exports do.
    purchases = [r for r in final_rows(default_sample) if r["ChargeCategory"] == "Purchase"]
    assert {r["ServiceName"] for r in purchases} == {"", "Azure AI Services"}


def test_ptu_above_the_reservation_is_billed_on_demand(default_sample: SampleReport) -> None:
    reservation = scenario(default_sample)["reservations"][0]
    rows = final_rows(default_sample)
    on_demand = [
        r
        for r in rows
        if r["x_SkuMeterName"] == "Provisioned Managed Global Unit" and r["PricingCategory"] == "Standard"
    ]
    assert sorted(day_of(r) for r in on_demand) == reservation["scaled_days"]
    excess = (reservation["scaled_ptu"] - reservation["reserved_ptu"]) * 24
    assert {
        (float(r["PricingQuantity"]), float(r["BilledCost"]), r["x_PricingUnitDescription"]) for r in on_demand
    } == {(excess, excess * 1.0, "1/Hour")}


def test_meters_csv_follows_the_list_price_rules() -> None:
    meters = [m for m in ai_meters() if m.token_type]
    assert len({m.meter_name for m in meters}) == len(meters)
    for meter in ai_meters():
        assert meter.meter_id == str(
            uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "https://aoai-finops.dev/sample/meters"), meter.meter_name)
        )
    by_key = {(m.model_id, m.model_version, m.deployment_type, m.token_type, m.priority): m for m in meters}
    global_list = {  # USD per 1M tokens, Global Standard: input, cached input, output
        "gpt-4o": ("2.50", "1.25", "10"),
        "gpt-4o-mini": ("0.15", "0.075", "0.60"),
        "gpt-4.1": ("2.00", "0.50", "8.00"),
        "gpt-4.1-mini": ("0.40", "0.10", "1.60"),
        "gpt-4.1-nano": ("0.10", "0.025", "0.40"),
        "o4-mini": ("1.10", "0.275", "4.40"),
        "gpt-5": ("1.25", "0.125", "10"),
        "gpt-5-mini": ("0.25", "0.025", "2"),
        "gpt-5-nano": ("0.05", "0.005", "0.40"),
        "text-embedding-3-large": ("0.13", None, None),
        "text-embedding-3-small": ("0.02", None, None),
    }
    tokens = ("input", "cached_input", "output")
    for meter in meters:
        assert meter.usd_per_1m is not None
        assert meter.usd_per_unit == meter.usd_per_1m * meter.block_size / 1_000_000
        assert meter.block_size == (1_000_000 if meter.model_id.startswith("gpt-5") else 1000)
        base_type = {"GlobalBatch": "GlobalStandard", "DataZoneBatch": "DataZoneStandard"}.get(
            meter.deployment_type, meter.deployment_type
        )
        expected = Decimal(global_list[meter.model_id][tokens.index(meter.token_type)])
        if base_type in ("DataZoneStandard", "Standard"):
            expected *= Decimal("1.1")
            standard = by_key.get((meter.model_id, meter.model_version, base_type, meter.token_type, meter.priority))
            if standard is not None and base_type != meter.deployment_type:
                assert meter.usd_per_1m == standard.usd_per_1m / 2
        if base_type != meter.deployment_type:
            expected /= 2
        if meter.priority:
            expected *= Decimal("1.75")
        assert meter.usd_per_1m == expected, meter.meter_name
    ptu = {m.price_type: m for m in ai_meters() if m.deployment_type == "GlobalProvisionedManaged"}
    assert (ptu["Consumption"].usd_per_unit, ptu["Consumption"].unit_of_measure) == (Decimal("1.00"), "1/Hour")
    assert (ptu["Reservation"].usd_per_unit, ptu["Reservation"].unit_of_measure) == (Decimal("260"), "1/Month")


# ---------------------------------------------------------------------------------------------- scenario events


def test_events_are_in_the_last_month_and_listed(default_sample: SampleReport) -> None:
    document = scenario(default_sample)
    assert {e["kind"] for e in document["events"]} == {"runaway_usage", "price_change", "cached_double_billing"}
    last = document["billing_months"][-1]
    days = [d for e in document["events"] for d in e.get("days", [])] + [
        event(default_sample, "price_change")["from_date"]
    ]
    assert all(last["start"] <= day <= last["last_data_day"] for day in days)
    assert len(default_sample.events) == 3


def test_only_the_price_change_deviates_from_list_prices(default_sample: SampleReport) -> None:
    change = event(default_sample, "price_change")
    for row in final_rows(default_sample):
        meter = TOKEN_METERS.get(row["x_SkuMeterName"])
        if meter is None:
            continue
        changed = row["x_SkuMeterName"] == change["meter"] and day_of(row) >= change["from_date"]
        price = Decimal(change["billed_usd_per_unit"]) if changed else meter.usd_per_unit
        for column in ("ListUnitPrice", "ContractedUnitPrice", "x_BilledUnitPrice", "x_EffectiveUnitPrice"):
            assert Decimal(row[column]) == price, (row["x_SkuMeterName"], day_of(row), column)
    assert Decimal(change["billed_usd_per_1m"]) == Decimal(change["list_usd_per_1m"]) * Decimal("1.125")


def test_runaway_output_is_twenty_times_the_usual_and_billed(default_sample: SampleReport) -> None:
    runaway = event(default_sample, "runaway_usage")
    generated = monitor_tokens(default_sample)
    daily = {
        key[2]: value
        for key, value in generated.items()
        if key[0] == runaway["account"] and key[1] == runaway["model"] and key[3] == "generated"
    }
    weekdays = [v for d, v in daily.items() if d not in runaway["days"] and date.fromisoformat(d).weekday() < 5]
    for day in runaway["days"]:
        assert daily[day] > 10 * statistics.median(weekdays)
    billed = billed_tokens(final_rows(default_sample))
    for day in runaway["days"]:
        assert billed[(runaway["account"], runaway["model"], day, "generated")] == daily[day]


def test_cached_input_billed_twice_on_the_event_days_only(default_sample: SampleReport) -> None:
    double = event(default_sample, "cached_double_billing")
    rows = final_rows(default_sample)
    cached: dict[str, int] = defaultdict(int)
    full_input: dict[str, int] = defaultdict(int)
    for row in rows:
        if account_of(row) != double["account"]:
            continue
        if row["x_SkuMeterName"] == double["cached_meter"]:
            cached[day_of(row)] += tokens_of(row)
        elif row["x_SkuMeterName"] == double["input_meter"]:
            full_input[day_of(row)] += tokens_of(row)
    prompt = monitor_tokens(default_sample)
    for day in sorted(full_input):
        telemetry = prompt[(double["account"], double["model"], day, "prompt")]
        extra = full_input[day] + cached[day] - telemetry
        assert extra == (cached[day] if day in double["days"] else 0), day
    assert all(cached[day] > 0 for day in double["days"])


def test_clean_sample_has_no_events(clean_sample: SampleReport) -> None:
    document = scenario(clean_sample)
    assert document["events"] == []
    assert clean_sample.events == ()
    for row in final_rows(clean_sample):
        meter = TOKEN_METERS.get(row["x_SkuMeterName"])
        if meter is not None:
            assert Decimal(row["x_BilledUnitPrice"]) == meter.usd_per_unit
    gap = next(g for g in document["gaps"] if g["kind"] == "azure_monitor_missing_days")
    excluded = {(gap["account"], gap["model"], day) for day in gap["days"]}
    billed = {k: v for k, v in billed_tokens(final_rows(clean_sample)).items() if k[:3] not in excluded}
    observed = {k: v for k, v in monitor_tokens(clean_sample).items() if v and k[:3] not in excluded}
    assert billed == observed


# ---------------------------------------------------------------------------------------------- telemetry


def test_telemetry_tokens_equal_billed_tokens_for_pay_as_you_go(default_sample: SampleReport) -> None:
    document = scenario(default_sample)
    gap = next(g for g in document["gaps"] if g["kind"] == "azure_monitor_missing_days")
    double = event(default_sample, "cached_double_billing")
    excluded = {(gap["account"], gap["model"], day) for day in gap["days"]}
    excluded |= {(double["account"], double["model"], day) for day in double["days"]}
    billed = {k: v for k, v in billed_tokens(final_rows(default_sample)).items() if k[:3] not in excluded}
    observed = {k: v for k, v in monitor_tokens(default_sample).items() if v and k[:3] not in excluded}
    assert billed == observed
    assert len(billed) > 1000


def test_azure_monitor_shape_gap_and_ptu_deployment(default_sample: SampleReport) -> None:
    document = scenario(default_sample)
    gap = next(g for g in document["gaps"] if g["kind"] == "azure_monitor_missing_days")
    ptu = next(d for d in document["deployments"] if d["billing"] == "ptu")
    seen_gap = seen_ptu = False
    for path in latest_monitor_files(default_sample):
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert payload["interval"] == "P1D"
        assert payload["namespace"] == "Microsoft.CognitiveServices/accounts"
        assert {m["name"]["value"] for m in payload["value"]} == {
            "ProcessedPromptTokens",
            "GeneratedTokens",
            "TokenTransaction",
            "AzureOpenAIRequests",
        }
        for metric in payload["value"]:
            assert metric["unit"] == "Count"
            for series in metric["timeseries"]:
                dims = {d["name"]["value"]: d["value"] for d in series["metadatavalues"]}
                assert set(dims) == {"ModelDeploymentName", "ModelName", "ModelVersion"}
                missing = [p["timeStamp"][:10] for p in series["data"] if "total" not in p]
                if (path.parts[-3], dims["ModelDeploymentName"]) == (gap["account"], gap["deployment"]):
                    if set(gap["days"]) & {p["timeStamp"][:10] for p in series["data"]}:
                        assert missing == gap["days"]
                        seen_gap = True
                else:
                    assert missing == []
                if dims["ModelDeploymentName"] == ptu["name"] and path.parts[-3] == ptu["account"]:
                    seen_ptu = seen_ptu or any(p.get("total") for p in series["data"])
    assert seen_gap and seen_ptu


def test_apim_sees_only_the_applications_routed_through_it(default_sample: SampleReport) -> None:
    document = scenario(default_sample)
    apps = {a["name"]: a for a in document["applications"]}
    assert any(a["apim_service"] is None for a in apps.values())
    ptu = next(d for d in document["deployments"] if d["billing"] == "ptu")
    assert sum(1 for a in ptu["applications"] if apps[a["name"]]["apim_service"]) >= 2
    newest: dict[Path, Path] = {}
    for path in sorted((default_sample.out / "telemetry" / "apim").rglob("customMetrics_*.csv")):
        newest[path.parent] = path
    apim: dict[tuple[str, str, str], int] = defaultdict(int)
    seen_apps = set()
    for path in newest.values():
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == ["timestamp", "name", "value", "valueSum", "valueCount", "customDimensions"]
            for row in reader:
                dims = json.loads(row["customDimensions"])
                assert {
                    "Subscription ID",
                    "Product ID",
                    "User ID",
                    "API ID",
                    "Deployment",
                    "Team",
                    "Application",
                } <= set(dims)
                seen_apps.add(dims["Application"])
                if row["name"] == "Prompt Tokens":
                    apim[(dims["Backend ID"], dims["Deployment"], row["timestamp"][:10])] += int(row["valueSum"])
    assert seen_apps == {name for name, a in apps.items() if a["apim_service"]}
    # Per deployment and day: APIM equals Azure Monitor when every application of the deployment goes through
    # APIM, and is below it when some do not.
    monitor: dict[tuple[str, str, str], int] = defaultdict(int)
    for path in latest_monitor_files(default_sample):
        payload = json.loads(path.read_text(encoding="utf-8"))
        prompt = next(m for m in payload["value"] if m["name"]["value"] == "ProcessedPromptTokens")
        for series in prompt["timeseries"]:
            name = series["metadatavalues"][0]["value"]
            for point in series["data"]:
                monitor[(path.parts[-3], name, point["timeStamp"][:10])] += round(point.get("total", 0))
    gap = next(g for g in document["gaps"] if g["kind"] == "azure_monitor_missing_days")
    equal = partial = 0
    for deployment in document["deployments"]:
        routed = [apps[a["name"]]["apim_service"] is not None for a in deployment["applications"]]
        if not any(routed):
            continue
        for (account, name, day), tokens in apim.items():
            if (account, name) != (deployment["account"], deployment["name"]):
                continue
            if (account, name) == (gap["account"], gap["deployment"]) and day in gap["days"]:
                continue
            if all(routed):
                assert tokens == monitor[(account, name, day)]
                equal += 1
            else:
                assert tokens < monitor[(account, name, day)]
                partial += 1
    assert equal and partial


# ---------------------------------------------------------------------------------------------- scale


def test_scale_multiplies_the_rows(tmp_path: Path) -> None:
    options = {"months": 1, "runs_per_month": 1, "telemetry": False}
    base = generate_sample(tmp_path / "x1", SampleOptions(**options))
    scaled = generate_sample(tmp_path / "x100", SampleOptions(scale=100, **options))
    assert 80 <= scaled.cost_rows / base.cost_rows <= 120
    assert scaled.openai_accounts == 100 * base.openai_accounts
    assert scaled.cost_files > 1
    assert scaled.rows_per_second > 0  # reported for benchmarks; timings are never asserted


def test_report_describes_the_sample(default_sample: SampleReport) -> None:
    text = default_sample.describe()
    for fragment in (
        "2026-08, 2026-09, 2026-10",
        "4 Azure OpenAI accounts",
        "runaway usage",
        "price change",
        "cached double billing",
        "sample_scenario.json",
        "cost rows/s",
    ):
        assert fragment in text
    assert default_sample.openai_accounts == 4
    assert default_sample.months == ("2026-08", "2026-09", "2026-10")
    assert default_sample.azure_monitor_files > 0 and default_sample.apim_files > 0
    assert text.count("\n") < 25
