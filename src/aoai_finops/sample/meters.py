"""The price list the sample bills with: `meters.csv` (Azure OpenAI) and `other_meters.csv` (everything else).

`meters.csv` is the single source of the sample's Azure OpenAI list prices, so a price catalog seed can be
tested against it. Rules it follows (checked by tests): Data Zone and Regional are 1.1 x Global, Batch is
0.5 x the standard price of the same deployment type, priority processing is 1.75 x, and
usd_per_unit = usd_per_1m x block_size / 1,000,000.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from aoai_finops.sample import rand

# x_PricingUnitDescription (Azure's UnitOfMeasure) -> PricingUnit / ConsumedUnit, as Azure's FOCUS export
# writes them (Microsoft's published pricing-unit mapping: "1K" and "1M" are plain "Units").
PRICING_UNITS = {
    "1K": "Units",
    "1M": "Units",
    "10K": "Units",
    "1/Hour": "Units/Hour",
    "1/Month": "Units/Month",
    "1 Hour": "Hours",
    "1 GB/Month": "GB/Month",
}

TOKEN_TYPES = ("input", "cached_input", "output")


@dataclass(frozen=True)
class Meter:
    meter_name: str
    meter_id: str
    price_type: str
    meter_category: str
    meter_subcategory: str
    service_family: str
    model_id: str
    model_version: str
    deployment_type: str
    token_type: str
    batch: bool
    priority: bool
    unit_of_measure: str
    block_size: int
    usd_per_1m: Decimal | None
    usd_per_unit: Decimal

    @property
    def pricing_unit(self) -> str:
        return PRICING_UNITS[self.unit_of_measure]


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("aoai_finops.sample").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def ai_meters() -> tuple[Meter, ...]:
    """Every Azure OpenAI meter and price in meters.csv (token meters, the PTU hourly and reservation prices)."""
    return tuple(
        Meter(
            meter_name=row["meter_name"],
            meter_id=row["meter_id"],
            price_type=row["price_type"],
            meter_category=row["meter_category"],
            meter_subcategory=row["meter_subcategory"],
            service_family="AI + Machine Learning",
            model_id=row["model_id"],
            model_version=row["model_version"],
            deployment_type=row["deployment_type"],
            token_type=row["token_type"],
            batch=row["batch"] == "true",
            priority=row["priority"] == "true",
            unit_of_measure=row["unit_of_measure"],
            block_size=int(row["block_size"]),
            usd_per_1m=Decimal(row["usd_per_1m"]) if row["usd_per_1m"] else None,
            usd_per_unit=Decimal(row["usd_per_unit"]),
        )
        for row in _read("meters.csv")
    )


@cache
def other_meters() -> dict[str, Meter]:
    """Meters of the non-Azure-OpenAI resources, by the key the estate refers to them with."""
    return {
        row["meter_key"]: Meter(
            meter_name=row["meter_name"],
            meter_id=rand.meter_id(row["meter_name"]),
            price_type="Consumption",
            meter_category=row["meter_category"],
            meter_subcategory=row["meter_subcategory"],
            service_family=row["service_family"],
            model_id="",
            model_version="",
            deployment_type="",
            token_type="",
            batch=False,
            priority=False,
            unit_of_measure=row["unit_of_measure"],
            block_size=int(row["block_size"]),
            usd_per_1m=None,
            usd_per_unit=Decimal(row["usd_per_unit"]),
        )
        for row in _read("other_meters.csv")
    }


def token_meter(model_id: str, model_version: str, deployment_type: str, token_type: str, *, priority: bool) -> Meter:
    """The meter Azure bills a deployment's tokens of one type on."""
    for meter in ai_meters():
        if (
            meter.model_id == model_id
            and meter.model_version == model_version
            and meter.deployment_type == deployment_type
            and meter.token_type == token_type
            and meter.priority == priority
        ):
            return meter
    raise KeyError(
        f"meters.csv has no {token_type} meter for {model_id} {model_version} {deployment_type}"
        f"{' priority' if priority else ''}; add it to src/aoai_finops/sample/meters.csv"
    )


def ptu_meter(price_type: str) -> Meter:
    """The Global provisioned throughput meter: hourly `Consumption` price or monthly `Reservation` price."""
    for meter in ai_meters():
        if meter.deployment_type == "GlobalProvisionedManaged" and meter.price_type == price_type:
            return meter
    raise KeyError(f"meters.csv has no GlobalProvisionedManaged {price_type} price")
