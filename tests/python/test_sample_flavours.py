"""Sample export flavours: every FocusCost data version and the legacy ActualCost / AmortizedCost datasets (EA and
MCA) are written from the same lines, so they describe the same costs, in each export's own columns and formats."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from aoai_finops.datasets import dataset_for
from aoai_finops.sample import SampleError, SampleOptions, SampleReport, generate_sample
from aoai_finops.sample.legacy import EA_COLUMNS, EMPTY_GUID, MCA_COLUMNS

SMALL = {"months": 2, "runs_per_month": 1, "accounts": 2, "telemetry": False}
ALL_DATASETS = ("focus-cost", "actual-cost", "amortized-cost")


def final_rows(report: SampleReport, dataset: str) -> list[dict[str, str]]:
    document = json.loads(report.scenario_path.read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    for run in document["runs"]:
        if run["dataset"] == dataset and run["final"]:
            for blob in run["blobs"]:
                with gzip.open(report.out / blob, "rt", encoding="utf-8", newline="") as handle:
                    rows.extend(csv.DictReader(handle))
    return rows


def header(report: SampleReport, dataset: str) -> list[str]:
    document = json.loads(report.scenario_path.read_text(encoding="utf-8"))
    blob = next(run["blobs"][0] for run in document["runs"] if run["dataset"] == dataset)
    with gzip.open(report.out / blob, "rt", encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def total(rows: list[dict[str, str]], column: str) -> float:
    return sum(float(row[column] or 0) for row in rows)


@pytest.fixture(scope="module")
def ea(tmp_path_factory: pytest.TempPathFactory) -> SampleReport:
    return generate_sample(tmp_path_factory.mktemp("ea"), SampleOptions(**SMALL, datasets=ALL_DATASETS))


@pytest.fixture(scope="module")
def mca(tmp_path_factory: pytest.TempPathFactory) -> SampleReport:
    options = SampleOptions(**SMALL, datasets=ALL_DATASETS, focus_version="1.2", agreement="mca")
    return generate_sample(tmp_path_factory.mktemp("mca"), options)


@pytest.mark.parametrize("agreement", ["ea", "mca"])
def test_actual_and_amortized_describe_the_same_costs_as_focus_cost(
    agreement: str, ea: SampleReport, mca: SampleReport
) -> None:
    report = ea if agreement == "ea" else mca
    cost = "Cost" if agreement == "ea" else "costInBillingCurrency"
    focus = final_rows(report, "focus-cost")
    actual = final_rows(report, "actual-cost")
    amortized = final_rows(report, "amortized-cost")
    purchases = [row for row in focus if row["ChargeCategory"] == "Purchase"]

    assert purchases, "the sample has a reservation purchase"
    assert len(actual) == len(focus)
    assert len(amortized) == len(focus) - len(purchases)  # amortized cost details have no purchase rows
    assert total(actual, cost) == pytest.approx(total(focus, "BilledCost"), abs=0.005)
    assert total(amortized, cost) == pytest.approx(total(focus, "EffectiveCost"), abs=0.005)


def test_every_focus_version_writes_its_own_columns_and_the_same_costs(tmp_path: Path, ea: SampleReport) -> None:
    reference = final_rows(ea, "focus-cost")
    for version in ("1.0-preview(v1)", "1.0", "1.2-preview", "1.2"):
        report = generate_sample(tmp_path / version, SampleOptions(**SMALL, focus_version=version))
        rows = final_rows(report, "focus-cost")
        expected = [column.name for column in dataset_for("FocusCost").columns_for(version)]

        assert header(report, "focus-cost") == expected, version
        assert len(rows) == len(reference), version
        assert total(rows, "BilledCost") == pytest.approx(total(reference, "BilledCost"), abs=0.005), version
        assert total(rows, "EffectiveCost") == pytest.approx(total(reference, "EffectiveCost"), abs=0.005), version
        if version in ("1.0-preview(v1)", "1.0"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", rows[0]["ChargePeriodStart"]), version
        if version == "1.0-preview(v1)":
            assert {row["PricingCategory"] for row in rows} == {"On-Demand", "Commitment-Based"}
        if version == "1.2":
            token = next(row for row in rows if row["x_PricingUnitDescription"] == "1K")
            # 1.2 multiplies the consumed quantity out; PricingQuantity stays in blocks of 1,000 tokens
            assert float(token["ConsumedQuantity"]) == pytest.approx(float(token["PricingQuantity"]) * 1000)


def test_ea_cost_details_have_ea_columns_month_first_dates_and_tags_without_braces(ea: SampleReport) -> None:
    rows = final_rows(ea, "actual-cost")
    tagged = next(row for row in rows if row["Tags"])

    assert header(ea, "actual-cost") == list(EA_COLUMNS)
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", rows[0]["Date"])
    assert not tagged["Tags"].startswith("{")
    assert json.loads("{" + tagged["Tags"] + "}")
    assert {row["MeterId"] for row in rows if row["ChargeType"] == "Purchase"} == {EMPTY_GUID}
    assert {row["PayGPrice"] for row in rows if row["MeterCategory"] == "Foundry Models"} == {"0.0"}


def test_mca_cost_details_have_camel_case_columns_iso_dates_and_invoices_for_closed_months(mca: SampleReport) -> None:
    rows = final_rows(mca, "amortized-cost")
    invoices = defaultdict(set)
    for row in rows:
        invoices[row["date"][:7]].add(row["invoiceId"])

    assert header(mca, "amortized-cost") == list(MCA_COLUMNS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", rows[0]["date"])
    assert json.loads(next(row["tags"] for row in rows if row["tags"]))
    closed, open_month = sorted(invoices)
    assert len(invoices[closed]) == 1 and next(iter(invoices[closed])).startswith("G")
    assert invoices[open_month] == {""}


def test_each_flavour_is_its_own_export_with_its_own_run_ids(ea: SampleReport) -> None:
    document = json.loads(ea.scenario_path.read_text(encoding="utf-8"))
    runs = document["runs"]

    assert {export["type"] for export in document["exports"]} == {"FocusCost", "ActualCost", "AmortizedCost"}
    assert len({run["run_id"] for run in runs}) == len(runs)
    for run in runs:
        manifest = json.loads((ea.out / run["manifest"]).read_text(encoding="utf-8"))
        assert manifest["exportConfig"]["type"] == run["export_type"]
        assert manifest["runInfo"]["runId"] == run["run_id"]


def test_unknown_datasets_versions_and_agreements_are_refused() -> None:
    with pytest.raises(SampleError, match="--dataset must be one or more of"):
        SampleOptions(datasets=("price-sheet",))
    with pytest.raises(SampleError, match="--focus-version must be one of"):
        SampleOptions(focus_version="1.1")
    with pytest.raises(SampleError, match="--agreement must be one of"):
        SampleOptions(agreement="csp")
