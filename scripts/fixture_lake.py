"""Write a tiny Parquet lake in the loader's layout, for tests that need a lake without running the loader.

    python scripts/fixture_lake.py --lake data/fixture/lake [--force]
    python scripts/fixture_lake.py --lake data/fixture/lake --replace-month 2024-06

The second form simulates a newer month-to-date run of one month: it rewrites that month's partitions with
more usage and a later `lake_loaded_at`, and appends an ingestion log file with `replaced` events, the way the
loader replaces a month. Incremental models must then rebuild that month, and only that month.

The files follow docs/architecture.md ("The lake") exactly: one folder per table,
`<table>/<YYYY-MM>/<scope_key>/data.parquet`, the zero-row `<table>/0000-00/schema-only/data.parquet`, and
`_ingestion_log/<timestamp>-<uuid>.parquet`. Table columns and lake types come from the dataset registry
(`aoai_finops.datasets`), so the fixture has the real lake schema. Contents: two billing months x two export
scopes of FocusCost rows with Azure OpenAI token meters (a few hand-picked values, all else null), one
ingestion log file with a `loaded` event per partition. Deterministic: same command, same rows.

Runs from the main `.venv` (duckdb and the `aoai_finops` package).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from aoai_finops.datasets import Dataset, dataset_for

MONTHS = ("2024-05", "2024-06")
SCOPES = (
    # (scope_key folder, export scope, billing account, subscription)
    ("billing-account-1234", "/providers/Microsoft.Billing/billingAccounts/1234", "1234", "sub-aaaa"),
    ("subscription-bbbb", "/subscriptions/bbbb", "1234", "sub-bbbb"),
)
# (meter name, model, token direction, unit price per 1K tokens, daily quantity in 1K blocks, tags JSON)
METERS = (
    ("gpt-4o-0513 Inp glbl Tokens", "gpt-4o", "input", 0.0025, 120.0, '{"team":"search","env":"prod"}'),
    ("gpt-4o-0513 Outp glbl Tokens", "gpt-4o", "output", 0.01, 30.0, '{"team":"search","env":"prod"}'),
    ("gpt-4o-mini-0718 Inp regnl Tokens", "gpt-4o-mini", "input", 0.000165, 800.0, '{"Team":"chat"}'),
    ("text-embedding-3-small Tokens", "text-embedding-3-small", "input", 0.00002, 500.0, None),
)
DAYS_PER_MONTH = 3  # rows for days 1..3 of each month keep the fixture tiny
INGESTION_LOG_COLUMNS = (
    ("event_id", "VARCHAR"),
    ("logged_at", "TIMESTAMP"),
    ("event", "VARCHAR"),
    ("table_name", "VARCHAR"),
    ("billing_month", "VARCHAR"),
    ("export_scope", "VARCHAR"),
    ("run_id", "VARCHAR"),
    ("row_count", "BIGINT"),
    ("total_billed_cost", "DOUBLE"),
    ("total_effective_cost", "DOUBLE"),
    ("message", "VARCHAR"),
)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _focus_rows(month: str, scope: tuple[str, str, str, str], run: int = 1) -> list[dict[str, object]]:
    scope_key, export_scope, account, subscription = scope
    # Usage grows by month and differs by scope, so per-partition totals are all different; a later run of
    # the same month (run 2) has more usage.
    factor = (MONTHS.index(month) + 1) * (SCOPES.index(scope) + 2) * run
    rows: list[dict[str, object]] = []
    for day in range(1, DAYS_PER_MONTH + 1):
        for meter, model, direction, unit_price, base_quantity, tags in METERS:
            quantity = base_quantity * day * factor
            cost = round(unit_price * quantity, 6)
            rows.append(
                {
                    "BilledCost": cost,
                    "EffectiveCost": cost,
                    "ListCost": cost,
                    "BillingAccountId": f"/providers/Microsoft.Billing/billingAccounts/{account}",
                    "BillingCurrency": "USD",
                    "BillingPeriodStart": f"{month}-01 00:00:00",
                    "BillingPeriodEnd": f"{_next_month(month)}-01 00:00:00",
                    "ChargeCategory": "Usage",
                    "ChargePeriodStart": f"{month}-{day:02d} 00:00:00",
                    "ChargePeriodEnd": f"{month}-{day + 1:02d} 00:00:00",
                    "ConsumedQuantity": quantity * 1000,
                    "ConsumedUnit": "Tokens",
                    "PricingQuantity": quantity,
                    "PricingUnit": "1K Tokens",
                    "x_PricingBlockSize": 1000.0,
                    "ResourceId": f"/subscriptions/{subscription}/resourceGroups/rg-ai/providers/"
                    f"Microsoft.CognitiveServices/accounts/aoai-{subscription}",
                    "ResourceName": f"aoai-{subscription}",
                    "ServiceName": "Azure OpenAI Service",
                    "SubAccountId": f"/subscriptions/{subscription}",
                    "SubAccountName": subscription,
                    "Tags": tags,
                    "x_SkuMeterName": meter,
                    "x_SkuMeterSubcategory": f"{model} {direction}",
                    "x_SkuIsCreditEligible": True,
                    "lake_run_id": f"run{run}-{month}-{scope_key}",
                    "lake_loaded_at": _loaded_at(month, run),
                    "lake_export_name": "aoai-focus-daily",
                    "lake_export_scope": export_scope,
                    "lake_data_version": "1.0r2",
                    "lake_billing_month": month,
                    "lake_source_file": f"exports/{scope_key}/{month}/part_0_0001.csv.gz",
                    "lake_extra_columns": None,
                }
            )
    return rows


def _loaded_at(month: str, run: int) -> str:
    return f"{_next_month(month)}-0{1 + run} 06:00:00"


def _log_row(event: str, month: str, scope: tuple[str, str, str, str], rows, run: int) -> dict[str, object]:
    return {
        "event_id": f"evt{run}-{month}-{scope[0]}",
        "logged_at": _loaded_at(month, run),
        "event": event,
        "table_name": "focus_cost",
        "billing_month": month,
        "export_scope": scope[1],
        "run_id": f"run{run}-{month}-{scope[0]}",
        "row_count": len(rows),
        "total_billed_cost": sum(float(row["BilledCost"]) for row in rows),
        "total_effective_cost": sum(float(row["EffectiveCost"]) for row in rows),
        "message": None,
    }


def _next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def _write_table(con: duckdb.DuckDBPyConnection, schema: Sequence[tuple[str, str]], rows, path: Path) -> None:
    """Write rows (dicts; missing keys are null) to one Parquet file with exactly `schema`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(f"{_quote(name)} {lake_type}" for name, lake_type in schema)
    con.execute(f"create or replace temp table fixture_rows ({columns})")
    if rows:
        placeholders = ", ".join("?" for _ in schema)
        con.executemany(
            f"insert into fixture_rows values ({placeholders})",
            [[row.get(name) for name, _ in schema] for row in rows],
        )
    con.execute(f"copy fixture_rows to '{path.as_posix()}' (format parquet)")


def write_fixture_lake(lake: Path, *, force: bool = False) -> Path:
    """Write the fixture lake into `lake` (refusing a non-empty folder unless `force`); return the folder."""
    if lake.exists() and any(lake.iterdir()):
        if not force:
            raise SystemExit(f"{lake} is not empty; pass --force to replace it")
        shutil.rmtree(lake)
    lake.mkdir(parents=True, exist_ok=True)
    (lake / "_lake.json").write_text('{"layout_version": 1, "fixture": true}\n', encoding="utf-8")
    dataset: Dataset = dataset_for("FocusCost")
    schema = dataset.lake_schema()
    con = duckdb.connect()
    log_rows: list[dict[str, object]] = []
    _write_table(con, schema, [], lake / dataset.table / "0000-00" / "schema-only" / "data.parquet")
    for month in MONTHS:
        for scope in SCOPES:
            rows = _focus_rows(month, scope)
            _write_table(con, schema, rows, lake / dataset.table / month / scope[0] / "data.parquet")
            log_rows.append(_log_row("loaded", month, scope, rows, run=1))
    _write_table(con, INGESTION_LOG_COLUMNS, log_rows, lake / "_ingestion_log" / "20240702T060000Z-fixture.parquet")
    con.close()
    return lake


def replace_month(lake: Path, month: str) -> None:
    """Replace `month` in an existing fixture lake with a second, larger run (see the module docstring)."""
    if month not in MONTHS:
        raise SystemExit(f"--replace-month: {month} is not a fixture month ({', '.join(MONTHS)})")
    dataset = dataset_for("FocusCost")
    if not (lake / dataset.table / month).is_dir():
        raise SystemExit(f"{lake} has no {dataset.table}/{month}: write the fixture lake first")
    con = duckdb.connect()
    log_rows = []
    for scope in SCOPES:
        rows = _focus_rows(month, scope, run=2)
        _write_table(con, dataset.lake_schema(), rows, lake / dataset.table / month / scope[0] / "data.parquet")
        log_rows.append(_log_row("replaced", month, scope, rows, run=2))
    log_name = f"{_next_month(month).replace('-', '')}03T060000Z-fixture-replace.parquet"
    _write_table(con, INGESTION_LOG_COLUMNS, log_rows, lake / "_ingestion_log" / log_name)
    con.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", required=True, help="folder to write the lake into")
    parser.add_argument("--force", action="store_true", help="replace the folder if it is not empty")
    parser.add_argument("--replace-month", metavar="YYYY-MM", help="simulate a newer run of one month instead")
    args = parser.parse_args(argv)
    if args.replace_month:
        replace_month(Path(args.lake), args.replace_month)
        print(f"fixture lake {args.lake}: {args.replace_month} replaced by a newer run")
        return 0
    lake = write_fixture_lake(Path(args.lake), force=args.force)
    print(f"fixture lake written to {lake}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
