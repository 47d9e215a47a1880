"""scripts/refresh_price_catalog.py: saved Azure price lists -> effective-dated catalog rows, offline."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prices"


def _load_script(repo_root: Path) -> ModuleType:
    path = repo_root / "scripts" / "refresh_price_catalog.py"
    spec = importlib.util.spec_from_file_location("refresh_price_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def script(repo_root: Path) -> ModuleType:
    return _load_script(repo_root)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "ai_price_catalog.csv"
    shutil.copy(FIXTURES / "catalog_before.csv", path)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _find(rows: list[dict[str, str]], **where: str) -> list[dict[str, str]]:
    return [row for row in rows if all(row[key] == value for key, value in where.items())]


PAGES = [FIXTURES / "retail_prices_page1.json", FIXTURES / "retail_prices_page2.json"]


def test_retail_pages_close_changed_ranges_and_append_new_prices(
    script: ModuleType, catalog: Path, repo_root: Path, no_network: None
) -> None:
    report = script.refresh(PAGES, catalog, repo_root / "seeds", region="eastus", as_of=date(2026, 11, 29))
    rows = _rows(catalog)

    # unchanged: gpt-4.1 input (0.002 per 1K = 2 per 1M) and the PTU hourly price
    assert report.unchanged == 2
    assert _find(rows, model_id="gpt-4.1", token_type="input") == [next(iter(_rows(FIXTURES / "catalog_before.csv")))]
    # changed: gpt-4.1 output 8 -> 7.5 from the item's effective date; the old range is closed that day
    output = _find(rows, model_id="gpt-4.1", token_type="output")
    assert [(r["unit_price_usd"], r["effective_from"], r["effective_to"]) for r in output] == [
        ("8", "2024-01-01", "2026-10-01"),
        ("7.5", "2026-10-01", ""),
    ]
    assert output[1]["confidence"] == "high"
    assert "gpt 4.1 Outp glbl Tokens" in output[1]["note"]
    # added: a 1M-unit priority meter and a 1-year PTU reservation
    (priority,) = _find(rows, model_id="gpt-5-mini")
    assert (priority["deployment_type"], priority["token_type"], priority["is_priority"], priority["is_batch"]) == (
        "global",
        "input",
        "true",
        "false",
    )
    assert (priority["unit_price_usd"], priority["effective_from"]) == ("0.4375", "2025-08-07")
    (reservation,) = _find(rows, pricing_model="reservation_1_year")
    assert (reservation["deployment_type"], reservation["unit_price_usd"], reservation["price_unit"]) == (
        "provisioned_global",
        "2652",
        "PTU-year",
    )
    # kept: a key the input does not mention
    assert _find(rows, model_id="gpt-4o-mini")[0]["note"] == "not in the input: kept as is"
    assert len(rows) == 4 + 1 + 2
    assert len(report.changed) == 1 and len(report.added) == 2
    skipped = {reason: sorted(set(items)) for reason, items in report.skipped.items()}
    assert skipped["currency EUR, the catalog is USD"] == ["gpt 4.1 Inp glbl Tokens"]
    assert skipped["region other than eastus"] == ["gpt 4.1 Inp glbl Tokens"]
    assert skipped["not an AI model meter"] == ["Hot LRS Data Stored"]
    assert skipped["price type DevTestConsumption"] == ["gpt 4.1 Inp glbl Tokens"]
    assert "Quantum Flux Capacitor" in next(v for k, v in skipped.items() if k.startswith("AI meter the rules"))


def test_a_second_run_with_the_same_input_changes_nothing(
    script: ModuleType, catalog: Path, repo_root: Path, no_network: None
) -> None:
    script.refresh(PAGES, catalog, repo_root / "seeds", region="eastus", as_of=date(2026, 11, 29))
    first = catalog.read_text(encoding="utf-8")
    report = script.refresh(PAGES, catalog, repo_root / "seeds", region="eastus", as_of=date(2026, 11, 30))
    assert catalog.read_text(encoding="utf-8") == first
    assert (report.unchanged, report.changed, report.added) == (5, [], [])


def test_a_price_sheet_uses_the_list_price_and_the_same_rules(
    script: ModuleType, catalog: Path, repo_root: Path, no_network: None
) -> None:
    report = script.refresh([FIXTURES / "price_sheet.csv"], catalog, repo_root / "seeds", as_of=date(2026, 11, 29))
    rows = _rows(catalog)
    (batch,) = _find(rows, model_id="gpt-4o-mini", is_batch="true")
    assert (batch["model_version"], batch["deployment_type"], batch["token_type"]) == (
        "2024-07-18",
        "data_zone",
        "output",
    )
    assert (batch["unit_price_usd"], batch["effective_from"]) == ("0.33", "2024-10-22")  # marketPrice, not unitPrice
    (realtime,) = _find(rows, model_id="gpt-4o-realtime-preview")
    assert (realtime["token_type"], realtime["token_modality"], realtime["unit_price_usd"]) == (
        "cached_input",
        "text",
        "2.75",
    )
    assert report.skipped == {"not an AI model meter": ["D2s v5"]}


def test_prices_of_several_regions_for_one_key_need_a_region(
    script: ModuleType, catalog: Path, repo_root: Path
) -> None:
    with pytest.raises(script.PriceCatalogError, match="--region"):
        script.refresh(PAGES, catalog, repo_root / "seeds", as_of=date(2026, 11, 29))
    assert catalog.read_text(encoding="utf-8") == (FIXTURES / "catalog_before.csv").read_text(encoding="utf-8")


def test_a_change_without_a_later_effective_date_uses_as_of(
    script: ModuleType, catalog: Path, repo_root: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.json"
    page.write_text(
        '{"Items": [{"currencyCode": "USD", "retailPrice": 0.009, "meterName": "gpt 4.1 Outp glbl Tokens", '
        '"productName": "Azure OpenAI", "serviceName": "Foundry Models", "unitOfMeasure": "1K", '
        '"effectiveStartDate": "2023-05-01T00:00:00Z", "type": "Consumption"}], "NextPageLink": null}',
        encoding="utf-8",
    )
    script.refresh([page], catalog, repo_root / "seeds", as_of=date(2026, 12, 1))
    output = _find(_rows(catalog), model_id="gpt-4.1", token_type="output")
    assert [(r["unit_price_usd"], r["effective_from"], r["effective_to"]) for r in output] == [
        ("8", "2024-01-01", "2026-12-01"),
        ("9", "2026-12-01", ""),
    ]
    with pytest.raises(script.PriceCatalogError, match="--as-of"):
        page.write_text(page.read_text(encoding="utf-8").replace("0.009", "0.01"), encoding="utf-8")
        script.refresh([page], catalog, repo_root / "seeds", as_of=date(2026, 12, 1))


def test_a_reservation_meter_billed_per_month_prices_ptu_capacity(
    script: ModuleType, catalog: Path, repo_root: Path, tmp_path: Path, no_network: None
) -> None:
    # the meter of a PTU reservation purchase has the unit 1/Month (classified ptu_reservation); its price is the
    # catalog's ptu_hours reservation price, like a 1/Hour reservation quote
    page = tmp_path / "page.json"
    page.write_text(
        '{"Items": [{"currencyCode": "USD", "retailPrice": 286.0, "meterName": "Provisioned Managed Data Zone Unit", '
        '"productName": "Azure OpenAI", "serviceName": "Foundry Models", "unitOfMeasure": "1/Month", '
        '"effectiveStartDate": "2025-01-01T00:00:00Z", "type": "Reservation", "reservationTerm": "1 Month"}], '
        '"NextPageLink": null}',
        encoding="utf-8",
    )
    report = script.refresh([page], catalog, repo_root / "seeds", as_of=date(2026, 12, 1))
    (reservation,) = _find(_rows(catalog), pricing_model="reservation_1_month")
    assert (reservation["charge_kind"], reservation["deployment_type"], reservation["price_unit"]) == (
        "ptu_hours",
        "provisioned_data_zone",
        "PTU-month",
    )
    assert (reservation["unit_price_usd"], report.skipped) == ("286", {})


def test_dry_run_reports_without_writing(script: ModuleType, catalog: Path, repo_root: Path) -> None:
    report = script.refresh(PAGES, catalog, repo_root / "seeds", region="eastus", dry_run=True)
    assert len(report.added) == 2
    assert catalog.read_text(encoding="utf-8") == (FIXTURES / "catalog_before.csv").read_text(encoding="utf-8")


def test_the_command_line(
    script: ModuleType, catalog: Path, repo_root: Path, capsys: pytest.CaptureFixture[str], no_network: None
) -> None:
    args = ["--catalog", str(catalog), "--region", "eastus", "--as-of", "2026-11-29", "--input", *map(str, PAGES)]
    assert script.main(args) == 0
    assert "changed: 1, added: 2" in capsys.readouterr().out
    assert script.main(["--catalog", str(catalog), "--input", str(FIXTURES / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_the_real_catalog_has_the_columns_the_script_writes(script: ModuleType, repo_root: Path) -> None:
    rows = script.read_catalog(repo_root / "seeds" / "ai_price_catalog.csv")
    assert rows and set(rows[0]) == set(script.CATALOG_COLUMNS)
