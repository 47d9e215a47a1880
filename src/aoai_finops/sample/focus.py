"""FocusCost 1.0r2 rows: the narrow `lines` table (what is charged, to whom, how much) and the 96-column projection.

Line kinds: 0 pay-as-you-go usage (tokens and other resources), 1 PTU usage covered by the reservation,
2 PTU usage above the reservation billed on demand, 3 the monthly reservation purchase.

Quirks injected on purpose because real exports have them (loaders and models must cope):
- PricingQuantity AND ConsumedQuantity are in pricing blocks (tokens / 1,000 or / 1,000,000; FinOps toolkit #727).
- ResourceId casing varies between rows of the same resource (as deployed, lower case, upper-case group).
- ServiceName is empty on the reservation purchase rows of every other month.
- ContractedCost is 0 on reservation-covered usage although ContractedUnitPrice is not.
"""

from __future__ import annotations

import duckdb

from aoai_finops.datasets import dataset_for
from aoai_finops.sample.flavours import BillingIdentity, Flavour

DATA_VERSION = "1.0r2"
EXPORT_TYPE = "FocusCost"
HOURS_PER_DAY = 24
_CASING = 5

USAGE, COMMITTED, ON_DEMAND_PTU, PURCHASE = 0, 1, 2, 3

# Columns an Enterprise Agreement export leaves empty in every row: CSP-only partner and reseller fields,
# invoice ids (not in EA cost details), cost allocation (no rules configured), correction class (no corrections).
EMPTY_COLUMNS = (
    "ChargeClass",
    "x_CostAllocationRuleName",
    "x_CustomerId",
    "x_CustomerName",
    "x_InvoiceId",
    "x_InvoiceIssuerId",
    "x_PartnerCreditApplied",
    "x_PartnerCreditRate",
    "x_PublisherId",
    "x_ResellerId",
    "x_ResellerName",
)


def create_lines(con: duckdb.DuckDBPyConnection) -> None:
    """`lines`: every charge of every day, numbered per billing month in the order the files list them."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE line_keys AS
        WITH tokens AS (
            SELECT
                dep.account_key AS resource_key,
                dm.meter_key,
                u.day_idx,
                sum(
                    CASE dm.token_type
                        WHEN 'input' THEN u.input_tokens - u.cached_tokens
                            + CASE WHEN cd.day_idx IS NULL THEN 0 ELSE u.cached_tokens END
                        WHEN 'cached_input' THEN u.cached_tokens
                        ELSE u.output_tokens
                    END
                ) AS tokens
            FROM usage AS u
            JOIN deployments AS dep ON dep.deployment_key = u.deployment_key
            JOIN deployment_meters AS dm ON dm.deployment_key = u.deployment_key
            LEFT JOIN cached_double_billing AS cd ON cd.deployment_key = u.deployment_key AND cd.day_idx = u.day_idx
            GROUP BY ALL
        ),
        token_lines AS (
            SELECT
                t.resource_key,
                t.meter_key,
                t.day_idx,
                {USAGE} AS kind,
                NULL::INTEGER AS reservation_key,
                t.tokens / m.block_size AS quantity,
                CASE WHEN t.day_idx >= pc.from_day_idx THEN pc.unit_price ELSE m.unit_price END AS unit_price
            FROM tokens AS t
            JOIN meters AS m ON m.meter_key = t.meter_key
            LEFT JOIN price_changes AS pc ON pc.meter_key = t.meter_key
            WHERE t.tokens > 0
        ),
        other_lines AS (
            SELECT q.resource_key, q.meter_key, q.day_idx, {USAGE} AS kind, NULL::INTEGER AS reservation_key,
                q.quantity, m.unit_price
            FROM other_quantities AS q
            JOIN meters AS m ON m.meter_key = q.meter_key
            WHERE q.quantity > 0
        ),
        ptu_lines AS (
            SELECT r.account_key AS resource_key, r.hourly_meter_key AS meter_key, p.day_idx, {COMMITTED} AS kind,
                r.reservation_key, least(p.ptu, r.reserved_ptu) * {HOURS_PER_DAY}.0 AS quantity, m.unit_price
            FROM ptu_days AS p
            JOIN reservations AS r ON r.deployment_key = p.deployment_key
            JOIN meters AS m ON m.meter_key = r.hourly_meter_key
            UNION ALL
            SELECT r.account_key, r.hourly_meter_key, p.day_idx, {ON_DEMAND_PTU}, NULL,
                (p.ptu - r.reserved_ptu) * {HOURS_PER_DAY}.0, m.unit_price
            FROM ptu_days AS p
            JOIN reservations AS r ON r.deployment_key = p.deployment_key
            JOIN meters AS m ON m.meter_key = r.hourly_meter_key
            WHERE p.ptu > r.reserved_ptu
        ),
        purchase_lines AS (
            SELECT r.reservation_key AS resource_key, r.purchase_meter_key AS meter_key, d.day_idx, {PURCHASE} AS kind,
                r.reservation_key, r.reserved_ptu::DOUBLE AS quantity, m.unit_price
            FROM reservations AS r
            JOIN days AS d ON d.day_of_month = 1
            JOIN meters AS m ON m.meter_key = r.purchase_meter_key
        ),
        all_lines AS (
            SELECT * FROM token_lines
            UNION ALL SELECT * FROM other_lines
            UNION ALL SELECT * FROM ptu_lines
            UNION ALL SELECT * FROM purchase_lines
        ),
        priced AS (
            SELECT
                a.*,
                d.month_idx,
                CASE
                    WHEN a.kind = {COMMITTED} THEN r.reserved_ptu * pm.unit_price / mo.days_in_month
                    WHEN a.kind = {PURCHASE} THEN 0.0
                    ELSE a.quantity * a.unit_price
                END AS effective_cost,
                -- Mostly as deployed; some rows all lower case, a few with the resource group upper case.
                CASE
                    WHEN rnd(a.resource_key * 1000 + a.meter_key, d.epoch_day, {_CASING}) < 0.7 THEN 0
                    WHEN rnd(a.resource_key * 1000 + a.meter_key, d.epoch_day, {_CASING}) < 0.9 THEN 1
                    ELSE 2
                END AS casing
            FROM all_lines AS a
            JOIN days AS d ON d.day_idx = a.day_idx
            JOIN months AS mo ON mo.month_idx = d.month_idx
            LEFT JOIN reservations AS r ON r.reservation_key = a.reservation_key
            LEFT JOIN meters AS pm ON pm.meter_key = r.purchase_meter_key
        )
        SELECT
            month_idx,
            (row_number() OVER (PARTITION BY month_idx ORDER BY day_idx, resource_key, meter_key, kind) - 1)::BIGINT
                AS mrn,
            -- The same order without the purchases: the row numbers of the amortized cost details export.
            CASE WHEN kind <> {PURCHASE} THEN (
                row_number() OVER (
                    PARTITION BY month_idx, kind = {PURCHASE} ORDER BY day_idx, resource_key, meter_key, kind
                ) - 1
            )::BIGINT END AS amortized_mrn,
            day_idx,
            resource_key,
            meter_key,
            kind,
            reservation_key,
            casing,
            quantity,
            unit_price AS list_unit_price,
            CASE WHEN kind = {COMMITTED} THEN 0.0 ELSE unit_price END AS billed_unit_price,
            CASE
                WHEN kind = {COMMITTED} THEN effective_cost / quantity
                WHEN kind = {PURCHASE} THEN 0.0
                ELSE unit_price
            END AS effective_unit_price,
            quantity * unit_price AS list_cost,
            CASE WHEN kind = {COMMITTED} THEN 0.0 ELSE quantity * unit_price END AS contracted_cost,
            CASE WHEN kind = {COMMITTED} THEN 0.0 ELSE quantity * unit_price END AS billed_cost,
            effective_cost
        FROM priced
        """
    )
    # Per-resource strings are stored on the line: looking them up per row in lists as long as the estate
    # would cost more than the storage (see `projection`). Added in a second step, one month at a time, so no
    # sort ever holds the strings of the whole sample; the checkpoint then compresses the table.
    con.execute("CHECKPOINT")
    months = [month for (month,) in con.execute("SELECT DISTINCT month_idx FROM line_keys ORDER BY 1").fetchall()]
    for index, month in enumerate(months):
        verb = "CREATE OR REPLACE TABLE lines AS" if index == 0 else "INSERT INTO lines"
        con.execute(
            f"""
            {verb}
            SELECT
                k.* EXCLUDE (reservation_key),
                res.profile_idx,
                CASE k.casing WHEN 0 THEN res.rid_0 WHEN 1 THEN res.rid_1 ELSE res.rid_2 END AS resource_id,
                CASE k.casing WHEN 1 THEN res.name_1 ELSE res.name_0 END AS resource_name,
                CASE k.casing WHEN 0 THEN res.group_0 WHEN 1 THEN res.group_1 ELSE res.group_2 END
                    AS resource_group,
                CASE WHEN k.kind IN ({COMMITTED}, {PURCHASE}) THEN rv.commitment_id END AS commitment_id,
                CASE WHEN k.kind IN ({COMMITTED}, {PURCHASE}) THEN rv.display_name END AS commitment_name,
                CASE WHEN k.kind IN ({COMMITTED}, {PURCHASE}) THEN rv.order_id END AS order_id
            FROM line_keys AS k
            JOIN resources AS res ON res.resource_key = k.resource_key
            LEFT JOIN reservations AS rv ON rv.reservation_key = k.reservation_key
            WHERE k.month_idx = {int(month)}
            ORDER BY k.mrn
            """
        )
    con.execute("DROP TABLE line_keys")
    con.execute("CHECKPOINT")


def rows_per_day(con: duckdb.DuckDBPyConnection, flavour: Flavour | None = None) -> dict[int, dict[int, int]]:
    """Row counts by month index and day index, to find where each month-to-date run ends in `lines`."""
    column = flavour.row_number_column if flavour else "mrn"
    result: dict[int, dict[int, int]] = {}
    for month_idx, day_idx, count in con.execute(
        f"SELECT month_idx, day_idx, count(*) FROM lines WHERE {column} IS NOT NULL GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        result.setdefault(month_idx, {})[day_idx] = count
    return result


# Dimension lookups. The part query must read `lines` alone (a single-table scan keeps insertion order, so the
# files come out in `mrn` order without a sort, and a join would not), so each dimension column is bound as a
# list variable on the cursor and indexed by the line's key: `getvariable('p_tags')[profile_idx + 1]`.
# DuckDB materializes a constant list once per vector of rows, so only short lists are looked up this way:
# resource profiles, meters, days, months. Strings that vary per resource are stored on the line instead.
_DIMENSIONS = {
    # alias: (table, dense key column in `lines`, query giving the table's rows in key order)
    "p": ("resource_profiles", "profile_idx", "SELECT * FROM resource_profiles ORDER BY profile_idx"),
    "m": ("meters", "meter_key", "SELECT * FROM meters ORDER BY meter_key"),
    "d": ("days", "day_idx", "SELECT * FROM days ORDER BY day_idx"),
    "mo": ("months", "month_idx", "SELECT * FROM months ORDER BY month_idx"),
}


def _lookup(alias: str, column: str) -> str:
    key = _DIMENSIONS[alias][1]
    return f"getvariable('{alias}_{column}')[l.{key} + 1]"


# Short names keep the column table in `projection` readable.
def prof(column: str) -> str:
    return _lookup("p", column)


def mtr(column: str) -> str:
    return _lookup("m", column)


def day(column: str) -> str:
    return _lookup("d", column)


def mon(column: str) -> str:
    return _lookup("mo", column)


def bind_dimensions(cursor: duckdb.DuckDBPyConnection) -> None:
    """Set the dimension list variables the part query reads (variables are per connection, so per cursor)."""
    for alias, (_, _, query) in _DIMENSIONS.items():
        columns = [row[0] for row in cursor.execute(f"DESCRIBE {query}").fetchall()]
        for column in columns:
            cursor.execute(f'SET VARIABLE {alias}_{column} = (SELECT list("{column}") FROM ({query}))')


def check_dense_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The list lookups need keys 0..n-1 without holes; fail loudly rather than write shifted columns."""
    for table, key, _ in _DIMENSIONS.values():
        count, low, high = con.execute(f"SELECT count(*), min({key}), max({key}) FROM {table}").fetchone()
        if count and (low != 0 or high != count - 1):
            raise RuntimeError(f"table {table}: {key} must run from 0 to {count - 1}, got {low}..{high}")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def projection(billing: BillingIdentity, version: str = DATA_VERSION) -> str:
    """SELECT list of the FocusCost columns of `version`, in the registry's order, over `lines` and its dimensions.

    The 1.0r2 EA columns are the reference; `_version_expressions` and `_mca_expressions` say what other data
    versions and the Microsoft Customer Agreement write differently.
    """
    account_id = _quote(billing.focus_account_id)
    account_raw = _quote(billing.account_id)
    account_name = _quote(billing.account_name)
    commitment = f"l.kind IN ({COMMITTED}, {PURCHASE})"
    expressions = {
        "BilledCost": "l.billed_cost",
        "BillingAccountId": account_id,
        "BillingAccountName": account_name,
        "BillingAccountType": "'Billing Account'",
        "BillingCurrency": "'USD'",
        "BillingPeriodEnd": mon("period_end"),
        "BillingPeriodStart": mon("period_start"),
        "ChargeCategory": f"CASE WHEN l.kind = {PURCHASE} THEN 'Purchase' ELSE 'Usage' END",
        "ChargeClass": "NULL",
        "ChargeDescription": mtr("description"),
        "ChargeFrequency": f"CASE WHEN l.kind = {PURCHASE} THEN 'Recurring' ELSE 'Usage-Based' END",
        "ChargePeriodEnd": day("ts_end"),
        "ChargePeriodStart": day("ts_start"),
        "CommitmentDiscountCategory": f"CASE WHEN {commitment} THEN 'Usage' END",
        "CommitmentDiscountId": "l.commitment_id",
        "CommitmentDiscountName": "l.commitment_name",
        "CommitmentDiscountStatus": f"CASE WHEN l.kind = {COMMITTED} THEN 'Used' END",
        "CommitmentDiscountType": f"CASE WHEN {commitment} THEN 'Reservation' END",
        "ConsumedQuantity": f"CASE WHEN l.kind <> {PURCHASE} THEN l.quantity END",
        "ConsumedUnit": f"CASE WHEN l.kind <> {PURCHASE} THEN {mtr('pricing_unit')} END",
        "ContractedCost": "l.contracted_cost",
        "ContractedUnitPrice": "l.list_unit_price",
        "EffectiveCost": "l.effective_cost",
        "InvoiceIssuerName": "'Microsoft'",
        "ListCost": "l.list_cost",
        "ListUnitPrice": "l.list_unit_price",
        "PricingCategory": f"CASE WHEN {commitment} THEN 'Committed' ELSE 'Standard' END",
        "PricingQuantity": "l.quantity",
        "PricingUnit": mtr("pricing_unit"),
        "ProviderName": "'Microsoft'",
        "PublisherName": "'Microsoft'",
        "RegionId": prof("region_id"),
        "RegionName": prof("region_name"),
        "ResourceId": "l.resource_id",
        "ResourceName": "l.resource_name",
        "ResourceType": prof("resource_type"),
        "ServiceCategory": prof("service_category"),
        "ServiceName": (
            f"CASE WHEN l.kind = {PURCHASE} AND l.month_idx % 2 = 0 THEN NULL ELSE {prof('service_name')} END"
        ),
        "SkuId": mtr("sku_id"),
        "SkuPriceId": mtr("sku_price_id"),
        "SubAccountId": prof("sub_id"),
        "SubAccountName": prof("sub_name"),
        "SubAccountType": "'Subscription'",
        "Tags": prof("tags"),
        "x_AccountId": prof("ea_account_id"),
        "x_AccountName": prof("ea_account_name"),
        "x_AccountOwnerId": prof("ea_account_owner"),
        "x_BilledCostInUsd": "l.billed_cost",
        "x_BilledUnitPrice": "l.billed_unit_price",
        "x_BillingAccountId": account_raw,
        "x_BillingAccountName": account_name,
        "x_BillingExchangeRate": "1",
        "x_BillingExchangeRateDate": mon("period_start"),
        "x_BillingProfileId": account_raw,
        "x_BillingProfileName": account_name,
        "x_ContractedCostInUsd": "l.contracted_cost",
        "x_CostAllocationRuleName": "NULL",
        "x_CostCenter": prof("cost_center"),
        "x_CustomerId": "NULL",
        "x_CustomerName": "NULL",
        "x_EffectiveCostInUsd": "l.effective_cost",
        "x_EffectiveUnitPrice": "l.effective_unit_price",
        "x_InvoiceId": "NULL",
        "x_InvoiceIssuerId": "NULL",
        "x_InvoiceSectionId": prof("department_id"),
        "x_InvoiceSectionName": prof("department_name"),
        "x_ListCostInUsd": "l.list_cost",
        "x_PartnerCreditApplied": "NULL",
        "x_PartnerCreditRate": "NULL",
        "x_PricingBlockSize": f"{mtr('block_size')}::BIGINT",
        "x_PricingCurrency": "'USD'",
        "x_PricingSubcategory": f"CASE WHEN {commitment} THEN 'Committed Usage' ELSE 'Standard' END",
        "x_PricingUnitDescription": mtr("unit_of_measure"),
        "x_PublisherCategory": "'Cloud Provider'",
        "x_PublisherId": "NULL",
        "x_ResellerId": "NULL",
        "x_ResellerName": "NULL",
        "x_ResourceGroupName": "l.resource_group",
        "x_ResourceType": prof("x_resource_type"),
        "x_ServicePeriodEnd": f"CASE WHEN l.kind = {PURCHASE} THEN {mon('period_end')} ELSE {day('ts_end')} END",
        "x_ServicePeriodStart": f"CASE WHEN l.kind = {PURCHASE} THEN {mon('period_start')} ELSE {day('ts_start')} END",
        "x_SkuDescription": mtr("description"),
        "x_SkuDetails": prof("sku_details"),
        "x_SkuIsCreditEligible": f"CASE WHEN l.kind = {PURCHASE} THEN 'False' ELSE 'True' END",
        "x_SkuMeterCategory": mtr("meter_category"),
        "x_SkuMeterId": mtr("meter_id"),
        "x_SkuMeterName": mtr("meter_name"),
        "x_SkuMeterSubcategory": mtr("meter_subcategory"),
        "x_SkuOfferId": "'MS-AZR-0017P'",
        "x_SkuOrderId": "l.order_id",
        "x_SkuOrderName": "l.commitment_name",
        "x_SkuPartNumber": mtr("part_number"),
        "x_SkuRegion": prof("region_name"),
        "x_SkuServiceFamily": mtr("service_family"),
        "x_SkuTerm": f"CASE WHEN {commitment} THEN '1' END",
        "x_SkuTier": "'Standard'",
    }
    if billing.agreement == "mca":
        expressions.update(_mca_expressions(billing))
    expressions.update(_version_expressions(version, expressions))
    columns = [column.name for column in dataset_for(EXPORT_TYPE).columns_for(version)]
    missing = set(columns) - set(expressions)
    if missing:
        raise RuntimeError(f"FocusCost {version} projection out of date: missing {missing}")
    if version in _MINUTE_TIMESTAMPS:
        # FOCUS 1.0 exports write timestamps to the minute (`2025-03-01T00:00Z`); 1.0r2 added the seconds.
        for name in _TIMESTAMP_COLUMNS:
            value = expressions[name]
            expressions[name] = f"CASE WHEN ({value}) IS NOT NULL THEN substr({value}, 1, 16) || 'Z' END"
    return ",\n".join(f'{expressions[name]} AS "{name}"' for name in columns)


_MINUTE_TIMESTAMPS = ("1.0-preview(v1)", "1.0")
_TIMESTAMP_COLUMNS = (
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "x_BillingExchangeRateDate",
    "x_ServicePeriodEnd",
    "x_ServicePeriodStart",
)
# Azure's ServiceSubcategory and x_ServiceModel (FocusCost 1.2) for the services in the sample.
SERVICE_SUBCATEGORIES = {
    "Azure AI Services": ("AI Platforms", "PaaS"),
    "Azure AI Search": ("Search", "SaaS"),
    "Azure App Service": ("Application Platforms", "PaaS"),
    "Storage Accounts": ("Storage Platforms", "IaaS"),
    "Virtual Machines": ("Virtual Machines", "IaaS"),
}


def _service_lookup(field: int) -> str:
    cases = " ".join(
        f"WHEN {_quote(name)} THEN {_quote(values[field])}" for name, values in SERVICE_SUBCATEGORIES.items()
    )
    return f"CASE {prof('service_name')} {cases} END"


def _version_expressions(version: str, base: dict[str, str]) -> dict[str, str]:
    """Columns other data versions than 1.0r2 carry, or fill differently."""
    commitment = f"l.kind IN ({COMMITTED}, {PURCHASE})"
    if version == "1.0-preview(v1)":
        return {
            "AvailabilityZone": "NULL",
            # FOCUS 1.0-preview spelled the pricing categories differently and had a charge subcategory.
            "PricingCategory": f"CASE WHEN {commitment} THEN 'Commitment-Based' ELSE 'On-Demand' END",
            "ChargeSubcategory": (
                f"CASE l.kind WHEN {COMMITTED} THEN 'Used Commitment' WHEN {PURCHASE} THEN NULL ELSE 'On-Demand' END"
            ),
            "Region": prof("region_name"),
            "UsageQuantity": base["ConsumedQuantity"],
            "UsageUnit": base["ConsumedUnit"],
            "x_ChargeId": "md5(l.month_idx::VARCHAR || '-' || l.mrn::VARCHAR)",
            # The on-demand (contracted) cost, later renamed ContractedCost; not zeroed on covered usage.
            "x_OnDemandCost": "l.list_cost",
            "x_OnDemandCostInUsd": "l.list_cost",
            "x_OnDemandUnitPrice": "l.list_unit_price",
        }
    if version in ("1.2-preview", "1.2"):
        hours_in_month = f"{HOURS_PER_DAY} * {mon('days_in_month')}"
        return {
            "CapacityReservationId": "NULL",
            "CapacityReservationStatus": "NULL",
            # Reservation hours: what a row used, or what the purchase bought for the month.
            "CommitmentDiscountQuantity": (
                f"CASE l.kind WHEN {COMMITTED} THEN l.quantity WHEN {PURCHASE} THEN l.quantity * {hours_in_month} END"
            ),
            "CommitmentDiscountUnit": f"CASE WHEN {commitment} THEN 'Hours' END",
            # 1.2 multiplies the consumed quantity out (PricingQuantity stays in pricing blocks).
            "ConsumedQuantity": f"CASE WHEN l.kind <> {PURCHASE} THEN l.quantity * {mtr('block_size')} END",
            "InvoiceId": base["x_InvoiceId"],
            "PricingCurrency": "'USD'",
            "ServiceSubcategory": f"CASE WHEN ({base['ServiceName']}) IS NOT NULL THEN {_service_lookup(0)} END",
            "SkuMeter": mtr("meter_name"),
            "SkuPriceDetails": "NULL",
            "x_AmortizationClass": (
                f"CASE l.kind WHEN {COMMITTED} THEN 'Amortized Charge' WHEN {PURCHASE} THEN 'Principal' END"
            ),
            "x_ServiceModel": _service_lookup(1),
            "x_SkuPlanName": "NULL",
        }
    return {}


def _mca_expressions(billing: BillingIdentity) -> dict[str, str]:
    """A Microsoft Customer Agreement bills a billing profile; it has no EA enrollment accounts or offer ids."""
    return {
        "BillingAccountType": _quote(billing.focus_account_type),
        # FOCUS's billing account is the invoice scope: for MCA the billing profile.
        "BillingAccountName": _quote(billing.profile_name),
        "x_BillingProfileId": _quote(billing.profile_id),
        "x_BillingProfileName": _quote(billing.profile_name),
        "x_AccountId": "NULL",
        "x_AccountName": "NULL",
        "x_AccountOwnerId": "NULL",
        "x_SkuOfferId": "NULL",
        # Closed months are invoiced (MCA cost data carries the invoice id; EA cost data does not).
        "x_InvoiceId": mon("invoice_id"),
        "InvoiceId": mon("invoice_id"),
    }


def part_query(select_list: str, row_number: str, month_idx: int, first_row: int, end_row: int) -> str:
    """The rows [first_row, end_row) of a month's lines (numbered by `row_number`), as `select_list`, in file order.

    Needs a cursor prepared with `bind_dimensions`. `lines` is stored in (month_idx, mrn) order and a filtered
    single-table scan preserves insertion order, so no ORDER BY (and no sort of wide rows) is needed.
    """
    return f"""
        SELECT {select_list}
        FROM lines AS l
        WHERE l.month_idx = {int(month_idx)} AND l.{row_number} >= {int(first_row)} AND l.{row_number} < {int(end_row)}
    """
