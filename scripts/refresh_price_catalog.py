"""Refresh seeds/ai_price_catalog.csv from a saved Azure price list. Never uses the network.

Input: saved Azure Retail Prices API responses (JSON pages: {"Items": [...], "NextPageLink": ...}; one page per
file, or a JSON list of pages) and/or an Azure PriceSheet export (CSV). Each price is classified with the same
rule seeds dbt uses (seeds/ai_meter_patterns.csv and friends, via aoai_finops.meter_rules); token prices become
USD per 1M tokens, provisioned throughput USD per PTU-hour / -month / -year.

Merge: a price equal to the key's open row changes nothing; a different price closes the open row
(effective_to = the new price's effective date) and appends a new open row; a new key is appended. Rows of keys
the input does not mention are kept as they are. See docs/price-catalog.md.

    python scripts/refresh_price_catalog.py --input prices_page1.json prices_page2.json --region eastus
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from aoai_finops.errors import AoaiFinopsError
from aoai_finops.meter_rules import Meter, MeterRules

REPO_ROOT = Path(__file__).resolve().parents[1]
CATALOG_COLUMNS = (
    "charge_kind",
    "pricing_model",
    "model_id",
    "model_version",
    "deployment_type",
    "token_type",
    "token_modality",
    "long_context_tier",
    "is_batch",
    "is_priority",
    "unit_price_usd",
    "price_unit",
    "price_unit_size",
    "effective_from",
    "effective_to",
    "confidence",
    "source",
    "note",
)
KEY_COLUMNS = CATALOG_COLUMNS[:10]
TOKENS_PER_PRICE_UNIT = 1_000_000
RESERVATION_TERMS = {"1 month": "reservation_1_month", "1 year": "reservation_1_year"}
PTU_PRICE_UNITS = {"on_demand": "PTU-hour", "reservation_1_month": "PTU-month", "reservation_1_year": "PTU-year"}
# PriceSheet exports name their columns differently by agreement type (EA, MCA) and version.
PRICESHEET_COLUMNS = {
    "meter_name": ("metername", "meter name", "skumeter"),
    "category": ("metercategory", "meter category", "servicename"),
    "subcategory": ("metersubcategory", "meter sub-category", "metersubcategory", "productname", "product"),
    "unit_of_measure": ("unitofmeasure", "unit of measure", "x_pricingunitdescription"),
    "price": ("marketprice", "market price", "retailprice", "unitprice", "unit price", "listunitprice"),
    "currency": ("currencycode", "currency", "billingcurrency"),
    "effective_start": ("effectivestartdate", "effective start date", "pricestartdate"),
    "price_type": ("pricetype", "price type", "type"),
    "term": ("term", "reservationterm"),
    "region": ("meterregion", "meter region", "armregionname", "region"),
}


class PriceCatalogError(AoaiFinopsError):
    """An input price list or a catalog that cannot be used."""


@dataclass(frozen=True)
class Quote:
    """One price of the input, before classification."""

    origin: str  # file and item / line, for messages
    meter_name: str
    category: str | None
    subcategory: str | None
    unit_of_measure: str | None
    price: Decimal
    currency: str
    effective_start: date | None
    price_type: str
    term: str | None
    region: str | None


@dataclass
class RefreshReport:
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, what: str) -> None:
        self.skipped.setdefault(reason, []).append(what)

    def describe(self) -> str:
        lines = [f"unchanged: {self.unchanged}, changed: {len(self.changed)}, added: {len(self.added)}"]
        lines += [f"  changed {line}" for line in self.changed]
        lines += [f"  added   {line}" for line in self.added]
        for reason, items in sorted(self.skipped.items()):
            shown = ", ".join(sorted(set(items))[:10])
            more = f" (+{len(set(items)) - 10} more)" if len(set(items)) > 10 else ""
            lines.append(f"skipped {len(items)} ({reason}): {shown}{more}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------- reading inputs


def _parse_date(value: object, origin: str) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    for parser in (
        lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")).date(),
        lambda t: datetime.strptime(t, "%m/%d/%Y").date(),
    ):
        try:
            return parser(text)
        except ValueError:
            continue
    raise PriceCatalogError(f"{origin}: effective date {text!r} is neither ISO 8601 nor MM/DD/YYYY")


def _parse_price(value: object, origin: str) -> Decimal:
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise PriceCatalogError(f"{origin}: price {value!r} is not a number") from error
    if price < 0:
        raise PriceCatalogError(f"{origin}: negative price {price}")
    return price


def read_retail_prices(path: Path) -> list[Quote]:
    """Items of saved Azure Retail Prices API pages (a page object, or a list of page objects)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal)
    except (OSError, json.JSONDecodeError) as error:
        raise PriceCatalogError(f"{path}: not a readable JSON price page ({error})") from error
    pages = document if isinstance(document, list) else [document]
    quotes = []
    for page_number, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("Items"), list):
            raise PriceCatalogError(f"{path} page {page_number}: no 'Items' list; save the API response as is")
        if page.get("NextPageLink"):
            print(
                f"note: {path} page {page_number} has a NextPageLink; pass every page for a full snapshot",
                file=sys.stderr,
            )
        for index, item in enumerate(page["Items"]):
            origin = f"{path} page {page_number} item {index}"
            if item.get("tierMinimumUnits") not in (None, 0, Decimal(0)):
                continue  # volume tiers above the first are not list prices
            missing = [key for key in ("meterName", "retailPrice", "currencyCode") if key not in item]
            if missing:
                raise PriceCatalogError(f"{origin}: missing {', '.join(missing)}")
            quotes.append(
                Quote(
                    origin=origin,
                    meter_name=item["meterName"],
                    category=item.get("serviceName"),
                    subcategory=item.get("productName"),
                    unit_of_measure=item.get("unitOfMeasure"),
                    price=_parse_price(item["retailPrice"], origin),
                    currency=item["currencyCode"],
                    effective_start=_parse_date(item.get("effectiveStartDate"), origin),
                    price_type=item.get("type") or "Consumption",
                    term=item.get("reservationTerm"),
                    region=item.get("armRegionName"),
                )
            )
    return quotes


def read_price_sheet(path: Path) -> list[Quote]:
    """Rows of an Azure PriceSheet export (EA or MCA column names; the list/market price is used)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = {name.strip().lower(): name for name in reader.fieldnames or []}
            columns = {}
            for field_name, candidates in PRICESHEET_COLUMNS.items():
                columns[field_name] = next((header[c] for c in candidates if c in header), None)
            missing = [name for name in ("meter_name", "unit_of_measure", "price", "currency") if not columns[name]]
            if missing:
                raise PriceCatalogError(f"{path}: no column for {', '.join(missing)}; is this a PriceSheet export?")
            rows = list(reader)
    except OSError as error:
        raise PriceCatalogError(f"{path}: cannot read the price sheet ({error})") from error

    def get(row: dict[str, str], name: str) -> str | None:
        column = columns[name]
        return (row.get(column) or "").strip() or None if column else None

    quotes = []
    for line, row in enumerate(rows, start=2):
        origin = f"{path} line {line}"
        quotes.append(
            Quote(
                origin=origin,
                meter_name=get(row, "meter_name") or "",
                category=get(row, "category"),
                subcategory=get(row, "subcategory"),
                unit_of_measure=get(row, "unit_of_measure"),
                price=_parse_price(get(row, "price"), origin),
                currency=get(row, "currency") or "",
                effective_start=_parse_date(get(row, "effective_start"), origin),
                price_type=get(row, "price_type") or "Consumption",
                term=get(row, "term"),
                region=get(row, "region"),
            )
        )
    return quotes


def read_inputs(paths: Iterable[Path]) -> list[Quote]:
    quotes: list[Quote] = []
    for path in paths:
        if path.suffix.lower() == ".json":
            quotes.extend(read_retail_prices(path))
        elif path.suffix.lower() == ".csv":
            quotes.extend(read_price_sheet(path))
        else:
            raise PriceCatalogError(f"{path}: expected a saved Retail Prices API page (.json) or a PriceSheet (.csv)")
    return quotes


# --------------------------------------------------------------------------------------- quotes -> catalog rows


def _format_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _pricing_model(quote: Quote) -> str | None:
    kind = quote.price_type.strip().lower()
    if kind == "consumption":
        return "on_demand"
    if kind == "reservation":
        return RESERVATION_TERMS.get((quote.term or "").strip().lower())
    return None


def price_rows(
    quotes: Sequence[Quote], rules: MeterRules, region: str | None, report: RefreshReport
) -> dict[tuple[str, ...], tuple[dict[str, str], Quote]]:
    """Classify quotes into catalog rows, one per key (prices for one key must agree)."""
    rows: dict[tuple[str, ...], tuple[dict[str, str], Quote]] = {}
    for quote in quotes:
        if quote.currency.upper() != "USD":
            report.skip(f"currency {quote.currency}, the catalog is USD", quote.meter_name)
            continue
        if region and quote.region and quote.region.lower() not in (region.lower(), "global"):
            report.skip(f"region other than {region}", quote.meter_name)
            continue
        pricing_model = _pricing_model(quote)
        if pricing_model is None:
            report.skip(f"price type {quote.price_type} {quote.term or ''}".strip(), quote.meter_name)
            continue
        c = rules.classify(Meter(quote.meter_name, quote.category, quote.subcategory, quote.unit_of_measure, None))
        if not c.is_ai_meter:
            report.skip("not an AI model meter", quote.meter_name)
            continue
        if not c.is_fully_classified:
            report.skip("AI meter the rules cannot fully classify (add a pattern or an override)", quote.meter_name)
            continue
        if c.charge_kind == "tokens" and pricing_model == "on_demand":
            assert c.unit_block_size is not None
            price = quote.price * TOKENS_PER_PRICE_UNIT / c.unit_block_size
            price_unit, price_unit_size = "1M tokens", TOKENS_PER_PRICE_UNIT
        elif c.charge_kind == "ptu_hours" or (c.charge_kind == "ptu_reservation" and pricing_model != "on_demand"):
            # a reservation meter (unit 1/Month, 1/Year) prices PTU capacity: the catalog keeps every PTU price
            # under ptu_hours, told apart by pricing_model
            price, price_unit, price_unit_size = quote.price, PTU_PRICE_UNITS[pricing_model], 1
        else:
            report.skip(f"{c.charge_kind} {pricing_model} prices are not in the catalog", quote.meter_name)
            continue
        row = {
            "charge_kind": "ptu_hours" if c.charge_kind == "ptu_reservation" else (c.charge_kind or ""),
            "pricing_model": pricing_model,
            "model_id": c.model_id or "",
            "model_version": c.model_version or "",
            "deployment_type": c.deployment_type or "",
            "token_type": c.token_type or "",
            "token_modality": c.token_modality or "",
            "long_context_tier": c.long_context_tier or "",
            "is_batch": "true" if c.is_batch else "false",
            "is_priority": "true" if c.is_priority else "false",
            "unit_price_usd": _format_decimal(price),
            "price_unit": price_unit,
            "price_unit_size": str(price_unit_size),
        }
        key = tuple(row[column] for column in KEY_COLUMNS)
        if key in rows and Decimal(rows[key][0]["unit_price_usd"]) != price:
            other = rows[key][1]
            raise PriceCatalogError(
                f"{quote.origin} ({quote.meter_name!r}: {quote.price}) and {other.origin} ({other.meter_name!r}: "
                f"{other.price}) price the same catalog key differently; pass --region to pick one region"
            )
        rows[key] = (row, quote)
    return rows


def merge(
    catalog: list[dict[str, str]],
    new_rows: dict[tuple[str, ...], tuple[dict[str, str], Quote]],
    as_of: date,
    source: str,
    report: RefreshReport,
) -> list[dict[str, str]]:
    """Close the ranges of changed prices and append the new ones; returns the new catalog rows, in order."""
    merged = [dict(row) for row in catalog]
    open_rows: dict[tuple[str, ...], int] = {}
    last_end: dict[tuple[str, ...], str] = {}
    for index, row in enumerate(merged):
        key = tuple(row[column] for column in KEY_COLUMNS)
        if not row["effective_to"]:
            if key in open_rows:
                raise PriceCatalogError(f"catalog rows {open_rows[key] + 2} and {index + 2}: two open ranges for {key}")
            open_rows[key] = index
        else:
            last_end[key] = max(last_end.get(key, ""), row["effective_to"])
    inserts: list[tuple[int, dict[str, str]]] = []
    appended: list[dict[str, str]] = []
    for key, (row, quote) in new_rows.items():
        label = " / ".join(part for part in key if part) + f": {row['unit_price_usd']} per {row['price_unit']}"
        effective = quote.effective_start or as_of
        new_row = {
            **row,
            "effective_to": "",
            "confidence": "high",
            "source": source,
            "note": f"refreshed from {quote.meter_name!r} ({quote.unit_of_measure})",
        }
        if key not in open_rows:
            start = max(effective.isoformat(), last_end.get(key, ""))
            appended.append({**new_row, "effective_from": start})
            report.added.append(f"{label} from {start}")
            continue
        current = merged[open_rows[key]]
        if Decimal(current["unit_price_usd"]) == Decimal(row["unit_price_usd"]):
            report.unchanged += 1
            continue
        change = effective if effective.isoformat() > current["effective_from"] else as_of
        if change.isoformat() <= current["effective_from"]:
            raise PriceCatalogError(
                f"{quote.origin}: the price of {key} changed to {row['unit_price_usd']} but its open range starts "
                f"{current['effective_from']}, not before {change}; pass --as-of with the date the change applies"
            )
        current["effective_to"] = change.isoformat()
        inserts.append((open_rows[key], {**new_row, "effective_from": change.isoformat()}))
        report.changed.append(f"{label} from {change} (was {current['unit_price_usd']})")
    for index, row in sorted(inserts, key=lambda item: item[0], reverse=True):
        merged.insert(index + 1, row)
    return merged + appended


def read_catalog(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != CATALOG_COLUMNS:
                raise PriceCatalogError(f"{path}: columns are {reader.fieldnames}, expected {list(CATALOG_COLUMNS)}")
            return list(reader)
    except OSError as error:
        raise PriceCatalogError(f"{path}: cannot read the price catalog ({error})") from error


def write_catalog(path: Path, rows: Sequence[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CATALOG_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def refresh(
    inputs: Sequence[Path],
    catalog_path: Path,
    seeds_dir: Path,
    *,
    region: str | None = None,
    as_of: date | None = None,
    source: str | None = None,
    dry_run: bool = False,
) -> RefreshReport:
    as_of = as_of or date.today()
    rules = MeterRules.from_seeds(seeds_dir)
    report = RefreshReport()
    quotes = read_inputs(inputs)
    new_rows = price_rows(quotes, rules, region, report)
    source = source or (
        f"Azure price list saved {as_of.isoformat()} ({', '.join(path.name for path in inputs)}); "
        "https://prices.azure.com/api/retail/prices"
    )
    merged = merge(read_catalog(catalog_path), new_rows, as_of, source, report)
    if not dry_run:
        write_catalog(catalog_path, merged)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--input", nargs="+", required=True, type=Path, help="saved API pages (.json) / PriceSheet (.csv)"
    )
    parser.add_argument("--catalog", type=Path, default=REPO_ROOT / "seeds" / "ai_price_catalog.csv")
    parser.add_argument("--seeds", type=Path, default=REPO_ROOT / "seeds", help="folder of the meter rule seeds")
    parser.add_argument("--region", help="keep only prices of this armRegionName / meterRegion (and 'Global')")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="date of a price change whose effective date the input does not give (default: today)",
    )
    parser.add_argument("--source", help="text for the source column of new rows")
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the catalog")
    args = parser.parse_args(argv)
    try:
        report = refresh(
            args.input,
            args.catalog,
            args.seeds,
            region=args.region,
            as_of=args.as_of,
            source=args.source,
            dry_run=args.dry_run,
        )
    except AoaiFinopsError as error:
        print(f"refresh_price_catalog: error: {error}", file=sys.stderr)
        return 2
    print(report.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
