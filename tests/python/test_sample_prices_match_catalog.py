"""The sample generator bills at the price catalog's list prices, so the sample and the catalog cannot drift apart.

Every meter the generator bills (src/aoai_finops/sample/meters.csv) is classified with the project's rules and
priced from seeds/ai_price_catalog.csv as resolve_ai_list_price does (exact model version first, then the
any-version row, effective on the day); the two prices must be equal. The scenario's deliberate price change is
applied on top of these list prices and is not in either file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aoai_finops.meter_rules import Meter, MeterRules
from aoai_finops.sample.options import DEFAULT_END_DATE, SampleOptions


def _first_day_of_sample(options: SampleOptions) -> date:
    month_index = DEFAULT_END_DATE.year * 12 + DEFAULT_END_DATE.month - 1 - (options.months - 1)
    return date(month_index // 12, month_index % 12 + 1, 1)


# The default sample's first and last day: prices are checked on both.
SAMPLE_DAYS = (_first_day_of_sample(SampleOptions()), DEFAULT_END_DATE)
DEPLOYMENT_TYPES = {
    "GlobalStandard": "global",
    "GlobalBatch": "global",
    "DataZoneStandard": "data_zone",
    "DataZoneBatch": "data_zone",
    "Standard": "regional",
    "GlobalProvisionedManaged": "provisioned_global",
    "DataZoneProvisionedManaged": "provisioned_data_zone",
    "ProvisionedManaged": "provisioned_regional",
}
PRICING_MODELS = {"Consumption": "on_demand", "Reservation": "reservation_1_month"}


@dataclass(frozen=True)
class CatalogPrice:
    key: tuple[str, ...]
    model_version: str
    usd_per_unit: Decimal
    effective_from: date
    effective_to: date | None


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _catalog(repo_root: Path) -> list[CatalogPrice]:
    key_columns = (
        "charge_kind",
        "pricing_model",
        "model_id",
        "deployment_type",
        "token_type",
        "token_modality",
        "long_context_tier",
        "is_batch",
        "is_priority",
    )
    return [
        CatalogPrice(
            key=tuple(row[column] for column in key_columns),
            model_version=row["model_version"],
            usd_per_unit=Decimal(row["unit_price_usd"]) / Decimal(row["price_unit_size"]),
            effective_from=date.fromisoformat(row["effective_from"]),
            effective_to=date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
        )
        for row in _read(repo_root / "seeds" / "ai_price_catalog.csv")
    ]


def _resolve(catalog: list[CatalogPrice], key: tuple[str, ...], model_version: str, day: date) -> Decimal | None:
    """The catalog price of `key` on `day`: the row for the exact model version wins over the any-version row."""
    in_force = [
        price
        for price in catalog
        if price.key == key and price.effective_from <= day and (price.effective_to is None or day < price.effective_to)
    ]
    exact = [price.usd_per_unit for price in in_force if model_version and price.model_version == model_version]
    any_version = [price.usd_per_unit for price in in_force if price.model_version == ""]
    chosen = exact or any_version
    assert len(chosen) <= 1, f"{key} {model_version!r}: {len(chosen)} catalog rows in force on {day}"
    return chosen[0] if chosen else None


def _billed_meters(repo_root: Path) -> list[dict[str, str]]:
    return _read(repo_root / "src" / "aoai_finops" / "sample" / "meters.csv")


def test_every_meter_the_generator_bills_is_classified_as_the_generator_means_it(repo_root: Path) -> None:
    rules = MeterRules.from_seeds(repo_root / "seeds")
    problems = []
    for meter in _billed_meters(repo_root):
        c = rules.classify(
            Meter(
                meter["meter_name"],
                meter["meter_category"],
                meter["meter_subcategory"],
                meter["unit_of_measure"],
                "microsoft.cognitiveservices/accounts",
            )
        )
        expected_kind = "ptu_reservation" if meter["price_type"] == "Reservation" else None
        got = {
            "fully classified": c.is_fully_classified,
            "model_id": c.model_id or "",
            "token_type": c.token_type or "",
            "deployment_type": c.deployment_type,
            "is_batch": c.is_batch,
            "is_priority": c.is_priority,
            "unit_block_size": c.unit_block_size,
        }
        wanted = {
            "fully classified": True,
            "model_id": meter["model_id"],
            "token_type": meter["token_type"],
            "deployment_type": DEPLOYMENT_TYPES[meter["deployment_type"]],
            "is_batch": meter["batch"] == "true",
            "is_priority": meter["priority"] == "true",
            "unit_block_size": int(meter["block_size"]),
        }
        if got != wanted or (expected_kind and c.charge_kind != expected_kind):
            problems.append(f"{meter['meter_name']} ({meter['price_type']}): {got} != {wanted}, {c.charge_kind}")
    assert problems == []


@pytest.mark.parametrize("day", SAMPLE_DAYS, ids=str)
def test_the_generators_list_prices_are_the_catalogs(repo_root: Path, day: date) -> None:
    rules = MeterRules.from_seeds(repo_root / "seeds")
    catalog = _catalog(repo_root)
    billed = _billed_meters(repo_root)
    differences = []
    for meter in billed:
        c = rules.classify(
            Meter(
                meter["meter_name"],
                meter["meter_category"],
                meter["meter_subcategory"],
                meter["unit_of_measure"],
                None,
            )
        )
        # the catalog keeps every PTU price, hourly or reserved, under ptu_hours (docs/price-catalog.md)
        charge_kind = "ptu_hours" if c.charge_kind == "ptu_reservation" else c.charge_kind
        key = (
            charge_kind or "",
            PRICING_MODELS[meter["price_type"]],
            c.model_id or "",
            c.deployment_type or "",
            c.token_type or "",
            c.token_modality or "",
            c.long_context_tier or "",
            "true" if c.is_batch else "false",
            "true" if c.is_priority else "false",
        )
        catalog_price = _resolve(catalog, key, meter["model_version"], day)
        generator_price = Decimal(meter["usd_per_unit"]) / Decimal(meter["block_size"])
        if catalog_price != generator_price:
            differences.append(f"{meter['meter_name']} ({meter['price_type']}): {generator_price} vs {catalog_price}")
    assert len(billed) > 80
    assert differences == []
