"""Load the estate, the meters, the calendar and the scenario into small DuckDB tables.

Dimension tables are small (thousands of rows at large scales), so they are written to a temporary CSV and read
back with explicit types: much faster than row-by-row inserts, and NULLs stay NULLs.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import duckdb

from aoai_finops.sample import rand
from aoai_finops.sample.calendar import BillingMonth
from aoai_finops.sample.estate import Estate, Resource
from aoai_finops.sample.meters import Meter, ai_meters, other_meters, ptu_meter
from aoai_finops.sample.scenario import Scenario

# Epoch day of the date usage growth is measured from; keyed on calendar dates (not on the first sample day) so
# two samples with different --months agree on the days they share.
GROWTH_ANCHOR = date(2026, 1, 1)
EPOCH = date(1970, 1, 1)

Columns = Sequence[tuple[str, str]]


def ts(day: date) -> str:
    """FOCUS 1.0r2 timestamps: UTC with seconds."""
    return f"{day:%Y-%m-%d}T00:00:00Z"


class TableLoader:
    def __init__(self, con: duckdb.DuckDBPyConnection, workdir: Path) -> None:
        self.con = con
        self.workdir = workdir

    def load(self, name: str, columns: Columns, rows: Iterable[Sequence[object]]) -> None:
        path = self.workdir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column for column, _ in columns])
            for row in rows:
                writer.writerow(["" if value is None else _text(value) for value in row])
        spec = ", ".join(f"'{column}': '{kind}'" for column, kind in columns)
        self.con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv(?, header = true, columns = {{{spec}}}, "
            "quote = '\"', escape = '\"', nullstr = '', auto_detect = false)",
            [str(path)],
        )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _invoice_id(month: BillingMonth, months: list[BillingMonth]) -> str | None:
    """The invoice of a closed month (`G` and nine digits, as on Microsoft invoices); None while it is open."""
    if not month.is_complete or month is months[-1]:
        return None
    return f"G{rand.integer(0, 100_000_000, 999_999_999, 'invoice', month.key)}"


def epoch_day(day: date) -> int:
    return (day - EPOCH).days


def load_calendar(loader: TableLoader, months: list[BillingMonth]) -> dict[date, int]:
    """`months` and `days` tables; returns the day index of every date (0 = first day of the first month)."""
    first = months[0].start
    loader.load(
        "months",
        (
            ("month_idx", "INTEGER"),
            ("period_start", "VARCHAR"),
            ("period_end", "VARCHAR"),
            ("days_in_month", "INTEGER"),
            ("invoice_id", "VARCHAR"),
        ),
        (
            (month.index, ts(month.start), ts(month.next_start), month.days_in_month, _invoice_id(month, months))
            for month in months
        ),
    )
    index: dict[date, int] = {}
    rows = []
    for month in months:
        day = month.start
        while day <= month.last_data_day:
            index[day] = (day - first).days
            rows.append(
                (
                    index[day],
                    month.index,
                    epoch_day(day),
                    epoch_day(day) - epoch_day(GROWTH_ANCHOR),
                    day.weekday() >= 5,
                    day.day,
                    ts(day),
                    ts(day + timedelta(days=1)),
                    day,
                )
            )
            day += timedelta(days=1)
    loader.load(
        "days",
        (
            ("day_idx", "INTEGER"),
            ("month_idx", "INTEGER"),
            ("epoch_day", "INTEGER"),
            ("growth_day", "INTEGER"),
            ("is_weekend", "BOOLEAN"),
            ("day_of_month", "INTEGER"),
            ("ts_start", "VARCHAR"),
            ("ts_end", "VARCHAR"),
            ("day_date", "DATE"),
        ),
        rows,
    )
    return index


def _resource_variants(resource: Resource) -> tuple[str, str, str, str, str, str, str]:
    """ResourceId spellings seen in real exports: as deployed, all lower case, and resource group upper case."""
    canonical = resource.resource_id
    if resource.kind == "reservation":
        return canonical, canonical, canonical, resource.name, resource.name, "", ""
    upper_group = (
        f"/subscriptions/{resource.subscription.id}/resourcegroups/{resource.resource_group.upper()}"
        f"/providers/{resource.arm_type}/{resource.name}"
    )
    return (
        canonical,
        canonical.lower(),
        upper_group,
        resource.name,
        resource.name.lower(),
        resource.resource_group,
        resource.resource_group.upper(),
    )


_PROFILE_COLUMNS = (
    ("sub_id", "VARCHAR"),
    ("sub_name", "VARCHAR"),
    ("ea_account_id", "VARCHAR"),
    ("ea_account_name", "VARCHAR"),
    ("ea_account_owner", "VARCHAR"),
    ("department_id", "VARCHAR"),
    ("department_name", "VARCHAR"),
    ("cost_center", "VARCHAR"),
    ("region_id", "VARCHAR"),
    ("region_name", "VARCHAR"),
    ("resource_type", "VARCHAR"),
    ("x_resource_type", "VARCHAR"),
    ("service_name", "VARCHAR"),
    ("service_category", "VARCHAR"),
    ("tags", "VARCHAR"),
    ("sku_details", "VARCHAR"),
)


def _profile(resource: Resource) -> tuple[str | None, ...]:
    """Everything about a resource except its name: shared by the scale copies of a resource."""
    subscription = resource.subscription
    return (
        f"/subscriptions/{subscription.id}",
        subscription.name,
        subscription.ea_account_id,
        subscription.ea_account_name,
        subscription.ea_account_owner,
        subscription.department_id,
        subscription.department_name,
        subscription.cost_center,
        resource.region_id or None,
        resource.region_name or None,
        resource.resource_type,
        resource.arm_type.lower(),
        resource.service_name,
        resource.service_category,
        resource.tags_json,
        resource.sku_details,
    )


def load_resources(loader: TableLoader, estate: Estate) -> None:
    """`resources` (names and ids in their casing variants) and `resource_profiles` (the rest, deduplicated).

    Profiles keep the lists the export projection looks values up in short, whatever the scale.
    """
    profiles: dict[tuple[str | None, ...], int] = {}
    rows = []
    for resource in estate.resources:
        rid0, rid1, rid2, name0, name1, group0, group2 = _resource_variants(resource)
        profile = profiles.setdefault(_profile(resource), len(profiles))
        rows.append(
            (
                resource.key,
                resource.kind,
                profile,
                rid0,
                rid1,
                rid2,
                name0,
                name1,
                group0 or None,
                group0.lower() or None,
                group2 or None,
            )
        )
    loader.load(
        "resources",
        (
            ("resource_key", "INTEGER"),
            ("kind", "VARCHAR"),
            ("profile_idx", "INTEGER"),
            ("rid_0", "VARCHAR"),
            ("rid_1", "VARCHAR"),
            ("rid_2", "VARCHAR"),
            ("name_0", "VARCHAR"),
            ("name_1", "VARCHAR"),
            ("group_0", "VARCHAR"),
            ("group_1", "VARCHAR"),
            ("group_2", "VARCHAR"),
        ),
        rows,
    )
    loader.load(
        "resource_profiles",
        (("profile_idx", "INTEGER"), *_PROFILE_COLUMNS),
        ((index, *profile) for profile, index in profiles.items()),
    )


def _sku_ids(meter: Meter) -> tuple[str, str, str]:
    """SkuId, SkuPriceId and x_SkuPartNumber: stable per meter, shaped like Microsoft's product and part ids."""
    # Seed 0: SKU ids belong to the meter (like the meter id), not to a particular sample.
    digest = rand.hex_token(0, 12, "sku", meter.meter_id).upper()
    part_number = f"AA{chr(ord('A') + int(digest[0], 16) % 26)}-{int(digest[1:6], 16) % 100000:05d}"
    sku_id = f"DZH318Z0{digest[6:10]}/00{digest[10:12]}"
    term = "_P1M" if meter.price_type == "Reservation" else ""
    return sku_id, f"{part_number}_{meter.meter_id}_0{term}", part_number


def _description(meter: Meter) -> str:
    if meter.price_type == "Reservation":
        return f"{meter.meter_subcategory} - {meter.meter_name} - 1 Month Reservation"
    if meter.model_id or meter.deployment_type:
        return f"{meter.meter_subcategory} - {meter.meter_name}"
    return f"{meter.meter_category} {meter.meter_subcategory} - {meter.meter_name}"


def load_meters(loader: TableLoader) -> dict[tuple[str, str], int]:
    """`meters` table; returns meter keys by (meter id, price type) and by ('other', estate meter key)."""
    keys: dict[tuple[str, str], int] = {}
    rows = []
    entries: list[tuple[tuple[str, str], Meter]] = [((m.meter_id, m.price_type), m) for m in ai_meters()]
    entries += [(("other", key), meter) for key, meter in other_meters().items()]
    for key, meter in entries:
        keys[key] = len(rows)
        sku_id, sku_price_id, part_number = _sku_ids(meter)
        rows.append(
            (
                keys[key],
                meter.meter_name,
                meter.meter_id,
                meter.meter_category,
                meter.meter_subcategory,
                meter.service_family,
                meter.unit_of_measure,
                meter.pricing_unit,
                float(meter.block_size),
                float(meter.usd_per_unit),
                sku_id,
                sku_price_id,
                part_number,
                _description(meter),
            )
        )
    loader.load(
        "meters",
        (
            ("meter_key", "INTEGER"),
            ("meter_name", "VARCHAR"),
            ("meter_id", "VARCHAR"),
            ("meter_category", "VARCHAR"),
            ("meter_subcategory", "VARCHAR"),
            ("service_family", "VARCHAR"),
            ("unit_of_measure", "VARCHAR"),
            ("pricing_unit", "VARCHAR"),
            ("block_size", "DOUBLE"),
            ("unit_price", "DOUBLE"),
            ("sku_id", "VARCHAR"),
            ("sku_price_id", "VARCHAR"),
            ("part_number", "VARCHAR"),
            ("description", "VARCHAR"),
        ),
        rows,
    )
    return keys


def load_usage_model(loader: TableLoader, estate: Estate, meter_keys: dict[tuple[str, str], int]) -> None:
    """`deployments`, `deployment_meters`, `series` (deployment x application) and `other_usage`."""
    loader.load(
        "deployments",
        (
            ("deployment_key", "INTEGER"),
            ("account_key", "INTEGER"),
            ("deployment_name", "VARCHAR"),
            ("model_id", "VARCHAR"),
            ("model_version", "VARCHAR"),
            ("ptu", "INTEGER"),
        ),
        ((d.key, d.account.key, d.name, d.model_id, d.model_version, d.ptu) for d in estate.deployments),
    )
    loader.load(
        "deployment_meters",
        (("deployment_key", "INTEGER"), ("token_type", "VARCHAR"), ("meter_key", "INTEGER")),
        (
            (d.key, token_type, meter_keys[(meter.meter_id, meter.price_type)])
            for d in estate.deployments
            for token_type, meter in d.meters().items()
        ),
    )
    apim_services = sorted({app.apim_service for app in estate.applications.values() if app.apim_service})
    series = []
    for deployment in estate.deployments:
        for app_name, share in deployment.applications:
            app = estate.applications[app_name]
            dimensions = None
            if app.apim_service:
                dimensions = json.dumps(
                    {
                        "API ID": f"azure-openai-{deployment.account.name}",
                        "Operation ID": "embeddings_create"
                        if deployment.model_id.startswith("text-embedding")
                        else "ChatCompletions_Create",
                        "Product ID": app.product,
                        "Subscription ID": app.apim_subscription,
                        "User ID": app.user_id,
                        "Backend ID": deployment.account.name,
                        "Deployment": deployment.name,
                        "Team": app.team,
                        "Application": app.name,
                    },
                    separators=(",", ":"),
                )
            series.append(
                (
                    len(series),
                    deployment.key,
                    app.name,
                    apim_services.index(app.apim_service) if app.apim_service else None,
                    deployment.daily_input_tokens * share,
                    deployment.cached_share,
                    deployment.output_ratio,
                    deployment.tokens_per_request,
                    deployment.weekend_factor,
                    deployment.growth,
                    dimensions,
                )
            )
    loader.load(
        "series",
        (
            ("series_key", "INTEGER"),
            ("deployment_key", "INTEGER"),
            ("application", "VARCHAR"),
            ("apim_idx", "INTEGER"),
            ("base_input", "DOUBLE"),
            ("cached_share", "DOUBLE"),
            ("output_ratio", "DOUBLE"),
            ("tokens_per_request", "INTEGER"),
            ("weekend_factor", "DOUBLE"),
            ("growth", "DOUBLE"),
            ("custom_dimensions", "VARCHAR"),
        ),
        series,
    )
    loader.load(
        "apim_services",
        (("apim_idx", "INTEGER"), ("apim_service", "VARCHAR")),
        enumerate(apim_services),
    )
    loader.load(
        "other_usage",
        (
            ("resource_key", "INTEGER"),
            ("meter_key", "INTEGER"),
            ("daily_units", "DOUBLE"),
            ("noise", "DOUBLE"),
            ("monthly", "BOOLEAN"),
            ("weekend_factor", "DOUBLE"),
            ("growth", "DOUBLE"),
        ),
        (
            (
                resource.key,
                meter_keys[("other", usage.meter_key)],
                usage.daily_units,
                usage.noise,
                usage.monthly,
                usage.weekend_factor,
                usage.growth,
            )
            for resource in estate.resources
            for usage in resource.usage
        ),
    )


def load_reservations(
    loader: TableLoader,
    estate: Estate,
    scenario: Scenario,
    meter_keys: dict[tuple[str, str], int],
    day_index: dict[date, int],
) -> None:
    """`reservations` and `ptu_days` (PTUs deployed per day; above the reservation on the scale-up days)."""
    hourly, monthly = ptu_meter("Consumption"), ptu_meter("Reservation")
    loader.load(
        "reservations",
        (
            ("reservation_key", "INTEGER"),
            ("account_key", "INTEGER"),
            ("deployment_key", "INTEGER"),
            ("reserved_ptu", "INTEGER"),
            ("commitment_id", "VARCHAR"),
            ("display_name", "VARCHAR"),
            ("order_id", "VARCHAR"),
            ("hourly_meter_key", "INTEGER"),
            ("purchase_meter_key", "INTEGER"),
        ),
        (
            (
                r.resource.key,
                r.account.key,
                r.deployment.key,
                r.reserved_ptu,
                r.resource.resource_id,
                r.display_name,
                r.order_id,
                meter_keys[(hourly.meter_id, hourly.price_type)],
                meter_keys[(monthly.meter_id, monthly.price_type)],
            )
            for r in estate.reservations
        ),
    )
    scaled = {day_index[day] for day in scenario.ptu_scaled_days}
    loader.load(
        "ptu_days",
        (("deployment_key", "INTEGER"), ("day_idx", "INTEGER"), ("ptu", "INTEGER")),
        (
            (d.key, idx, d.ptu + (15 if idx in scaled else 0))
            for d in estate.deployments
            if d.ptu
            for idx in day_index.values()
        ),
    )


def load_events(
    loader: TableLoader,
    estate: Estate,
    scenario: Scenario,
    meter_keys: dict[tuple[str, str], int],
    day_index: dict[date, int],
) -> None:
    """Scenario events and telemetry gaps as small keyed tables the SQL joins to (empty when absent)."""
    runaway = scenario.runaway
    loader.load(
        "runaway_days",
        (("deployment_key", "INTEGER"), ("day_idx", "INTEGER"), ("multiplier", "INTEGER")),
        [] if runaway is None else [(runaway.deployment.key, day_index[d], runaway.multiplier) for d in runaway.days],
    )
    change = scenario.price_change
    loader.load(
        "price_changes",
        (("meter_key", "INTEGER"), ("from_day_idx", "INTEGER"), ("unit_price", "DOUBLE")),
        []
        if change is None
        else [
            (
                meter_keys[(change.meter.meter_id, change.meter.price_type)],
                day_index[change.from_date],
                float(change.usd_per_unit),
            )
        ],
    )
    cached = scenario.cached_double_billing
    # Billing is per account and meter: every deployment of the account on the same meters is affected.
    affected = (
        []
        if cached is None
        else [
            d.key
            for d in estate.deployments
            if d.account.key == cached.account.key and d.meters() == cached.deployment.meters()
        ]
    )
    loader.load(
        "cached_double_billing",
        (("deployment_key", "INTEGER"), ("day_idx", "INTEGER")),
        [(key, day_index[d]) for key in affected for d in cached.days] if cached else [],
    )
    gap = scenario.telemetry_gap
    loader.load(
        "telemetry_gaps",
        (("deployment_key", "INTEGER"), ("day_idx", "INTEGER")),
        [] if gap is None else [(gap.deployment.key, day_index[d]) for d in gap.days],
    )
