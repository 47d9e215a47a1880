"""Legacy cost details rows (ActualCost / AmortizedCost, EA and MCA columns) from the same `lines` as FocusCost.

What the two datasets say about each line kind (Microsoft Learn, "Get Enterprise Agreement and Microsoft Customer
Agreement reservation costs and usage"):

- ActualCost: every line; reservation-covered usage costs 0 (its EffectivePrice is 0); the purchase is a
  `Purchase` row with the whole month's reservation price.
- AmortizedCost: no purchase rows; covered usage carries its share of the reservation (EffectivePrice is the
  prorated reservation price). Unused reservation hours would be `UnusedReservation` rows (the sample's PTU
  reservation is always fully used).

EA files spell columns in PascalCase, write dates month first (`08/21/2026`), and write Tags without the outer
braces (`"app": "chatbot","env": "prod"`); MCA files spell columns in camelCase and write ISO dates.
Quirks injected on purpose (real files have them): the EA purchase row's MeterId is the empty GUID, and EA rows of
`Foundry Models` meters come with PayGPrice 0 (no list price), so ListCost must come from the price catalog.
"""

from __future__ import annotations

from aoai_finops.sample.flavours import BillingIdentity, Flavour
from aoai_finops.sample.focus import COMMITTED, PURCHASE, day, mon, mtr, prof

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"

EA_COLUMNS = (
    "BillingAccountId", "BillingAccountName", "BillingPeriodStartDate", "BillingPeriodEndDate", "BillingProfileId",
    "BillingProfileName", "AccountOwnerId", "AccountName", "SubscriptionId", "SubscriptionName", "Date", "Product",
    "PartNumber", "MeterId", "ServiceFamily", "MeterCategory", "MeterSubCategory", "MeterRegion", "MeterName",
    "Quantity", "EffectivePrice", "Cost", "UnitPrice", "BillingCurrency", "ResourceLocation", "AvailabilityZone",
    "ConsumedService", "ResourceId", "ResourceName", "ServiceInfo1", "ServiceInfo2", "AdditionalInfo", "Tags",
    "InvoiceSectionId", "InvoiceSection", "CostCenter", "UnitOfMeasure", "ResourceGroup", "ReservationId",
    "ReservationName", "ProductOrderId", "ProductOrderName", "OfferId", "IsAzureCreditEligible", "Term",
    "PublisherName", "PlanName", "ChargeType", "Frequency", "PublisherType", "PayGPrice", "PricingModel",
    "CostAllocationRuleName", "benefitId", "benefitName",
)  # fmt: skip

MCA_COLUMNS = (
    "invoiceId", "previousInvoiceId", "billingAccountId", "billingAccountName", "billingProfileId",
    "billingProfileName", "invoiceSectionId", "invoiceSectionName", "resellerName", "resellerMpnId", "costCenter",
    "billingPeriodEndDate", "billingPeriodStartDate", "servicePeriodEndDate", "servicePeriodStartDate", "date",
    "serviceFamily", "productOrderId", "productOrderName", "consumedService", "meterId", "meterName",
    "meterCategory", "meterSubCategory", "meterRegion", "ProductId", "ProductName", "SubscriptionId",
    "subscriptionName", "publisherType", "publisherId", "publisherName", "resourceGroupName", "ResourceId",
    "resourceLocation", "location", "effectivePrice", "quantity", "unitOfMeasure", "chargeType", "billingCurrency",
    "pricingCurrency", "costInBillingCurrency", "costInPricingCurrency", "costInUsd", "paygCostInBillingCurrency",
    "paygCostInUsd", "exchangeRatePricingToBilling", "exchangeRateDate", "isAzureCreditEligible", "serviceInfo1",
    "serviceInfo2", "additionalInfo", "tags", "PayGPrice", "frequency", "term", "reservationId", "reservationName",
    "pricingModel", "unitPrice", "costAllocationRuleName", "benefitId", "benefitName", "provider",
)  # fmt: skip


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def columns(flavour: Flavour) -> tuple[str, ...]:
    return EA_COLUMNS if flavour.agreement == "ea" else MCA_COLUMNS


def projection(flavour: Flavour, billing: BillingIdentity) -> str:
    """SELECT list of the flavour's cost details columns, in file order, over `lines` and its dimensions."""
    actual = flavour.dataset == "actual-cost"
    commitment = f"l.kind IN ({COMMITTED}, {PURCHASE})"
    cost = "l.billed_cost" if actual else "l.effective_cost"
    effective_price = "l.billed_unit_price" if actual else "l.effective_unit_price"
    ea = flavour.agreement == "ea"
    date_format = "%m/%d/%Y" if ea else "%Y-%m-%d"
    month_start = f"strftime({day('day_date')} - (day({day('day_date')}) - 1)::INTEGER, '{date_format}')"
    month_end = (
        f"strftime(({day('day_date')} - (day({day('day_date')}) - 1)::INTEGER) "
        f"+ ({mon('days_in_month')} - 1)::INTEGER, '{date_format}')"
    )
    charge_day = f"strftime({day('day_date')}, '{date_format}')"
    tags = prof("tags")
    reservation_guid = f"CASE WHEN {commitment} THEN regexp_extract(l.commitment_id, '[^/]+$') END"
    values = {
        "BillingAccountId": _quote(billing.account_id),
        "BillingAccountName": _quote(billing.account_name),
        "BillingPeriodStartDate": month_start,
        "BillingPeriodEndDate": month_end,
        "BillingProfileId": _quote(billing.profile_id),
        "BillingProfileName": _quote(billing.profile_name),
        "AccountOwnerId": prof("ea_account_owner"),
        "AccountName": prof("ea_account_name"),
        "SubscriptionId": f"replace({prof('sub_id')}, '/subscriptions/', '')",
        "SubscriptionName": prof("sub_name"),
        "Date": charge_day,
        "Product": mtr("description"),
        "PartNumber": mtr("part_number"),
        "MeterId": (
            f"CASE WHEN l.kind = {PURCHASE} THEN {_quote(EMPTY_GUID)} ELSE {mtr('meter_id')} END"
            if ea
            else mtr("meter_id")
        ),
        "ServiceFamily": mtr("service_family"),
        "MeterCategory": mtr("meter_category"),
        "MeterSubCategory": mtr("meter_subcategory"),
        "MeterRegion": prof("region_name"),
        "MeterName": mtr("meter_name"),
        "Quantity": "l.quantity",
        "EffectivePrice": effective_price,
        "Cost": cost,
        "UnitPrice": "l.list_unit_price",
        "BillingCurrency": "'USD'",
        "ResourceLocation": prof("region_id"),
        "AvailabilityZone": "NULL",
        "ConsumedService": f"split_part({prof('x_resource_type')}, '/', 1)",
        "ResourceId": "l.resource_id",
        "ResourceName": "l.resource_name",
        "ServiceInfo1": "NULL",
        "ServiceInfo2": "NULL",
        "AdditionalInfo": prof("sku_details"),
        # EA writes the tags without the outer braces and with a space after each colon.
        "Tags": (
            f"CASE WHEN {tags} IS NOT NULL THEN replace(substr({tags}, 2, length({tags}) - 2), '\":\"', '\": \"') END"
            if ea
            else tags
        ),
        "InvoiceSectionId": prof("department_id"),
        "InvoiceSection": prof("department_name"),
        "CostCenter": prof("cost_center"),
        "UnitOfMeasure": mtr("unit_of_measure"),
        "ResourceGroup": "l.resource_group",
        "resourceGroupName": "l.resource_group",
        "ReservationId": reservation_guid,
        "ReservationName": "l.commitment_name",
        "ProductOrderId": "l.order_id",
        "ProductOrderName": "l.commitment_name",
        "OfferId": "'MS-AZR-0017P'",
        "IsAzureCreditEligible": f"CASE WHEN l.kind = {PURCHASE} THEN 'False' ELSE 'True' END",
        "Term": f"CASE WHEN {commitment} THEN '1' END",
        "PublisherName": "'Microsoft'",
        "PlanName": "NULL",
        "ChargeType": f"CASE WHEN l.kind = {PURCHASE} THEN 'Purchase' ELSE 'Usage' END",
        "Frequency": f"CASE WHEN l.kind = {PURCHASE} THEN 'Recurring' ELSE 'UsageBased' END",
        "PublisherType": "'Azure'" if ea else "'Microsoft'",
        "PayGPrice": (
            f"CASE WHEN {mtr('meter_category')} = 'Foundry Models' THEN 0.0 ELSE l.list_unit_price END"
            if ea
            else "l.list_unit_price"
        ),
        "PricingModel": f"CASE WHEN {commitment} THEN 'Reservation' ELSE 'OnDemand' END",
        "CostAllocationRuleName": "NULL",
        "benefitId": "l.commitment_id",
        "benefitName": "l.commitment_name",
        # MCA only
        "invoiceId": mon("invoice_id"),
        "previousInvoiceId": "NULL",
        "invoiceSectionName": prof("department_name"),
        "resellerName": "NULL",
        "resellerMpnId": "NULL",
        "servicePeriodStartDate": f"CASE WHEN l.kind = {PURCHASE} THEN {month_start} ELSE {charge_day} END",
        "servicePeriodEndDate": f"CASE WHEN l.kind = {PURCHASE} THEN {month_end} ELSE {charge_day} END",
        "ProductId": f"split_part({mtr('sku_id')}, '/', 1)",
        "ProductName": mtr("description"),
        "publisherId": "NULL",
        "location": prof("region_name"),
        "pricingCurrency": "'USD'",
        "costInPricingCurrency": cost,
        "costInUsd": cost,
        "paygCostInBillingCurrency": "l.list_cost",
        "paygCostInUsd": "l.list_cost",
        "exchangeRatePricingToBilling": "1.0",
        "exchangeRateDate": month_start,
        "provider": "'Azure'",
    }
    by_lower = {name.lower(): expression for name, expression in values.items()}
    by_lower["costinbillingcurrency"] = cost
    missing = [name for name in columns(flavour) if name.lower() not in by_lower]
    if missing:
        raise RuntimeError(f"{flavour.describe()} projection out of date: missing {missing}")
    return ",\n".join(f'{by_lower[name.lower()]} AS "{name}"' for name in columns(flavour))
