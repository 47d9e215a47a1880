"""Loading PriceSheet exports: EA and MCA spellings into one lake table, the month replaced like cost exports."""

from __future__ import annotations

from pathlib import Path

import duckdb

from aoai_finops.ingestion_log import Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, write_run

SCOPE_KEY = "billingaccounts-1234567"
MCA_COLUMNS = [
    "billingAccountId",
    "billingProfileId",
    "meterId",
    "meterName",
    "meterType",
    "unitOfMeasure",
    "unitPrice",
    "marketPrice",
    "billingCurrency",
    "priceType",
    "term",
    "effectiveStartDate",
    "effectiveEndDate",
]
EA_COLUMNS = ["EnrollmentNumber", "MeterId", "MeterName", "UnitOfMeasure", "UnitPrice", "Currency", "PartNumber"]


def price_sheet_spec(run_id: str, rows: list[dict[str, str]], columns: list[str], submitted_day: str) -> RunSpec:
    return RunSpec(
        run_id,
        "2026-08",
        f"2026-08-{submitted_day}T03:00:00.0000000Z",
        rows,
        export_name="price-sheet",
        export_type="PriceSheet",
        data_version="2023-05-01",
        columns=columns,
    )


def mca_row(price: str) -> dict[str, str]:
    values = ["1234567", "BP1", "m-1", "gpt 4o 0513 Input glbl", "1M Tokens", "1M", price, "2.5", "USD"]
    values += ["Consumption", "", "2026-08-01", "2026-08-31"]
    return dict(zip(MCA_COLUMNS, values, strict=True))


def lake_prices(lake: Lake) -> list[tuple]:
    path = lake.partition_file(Partition("price_sheet", "2026-08", SCOPE_KEY))
    query = "select MeterId, UnitPrice, MarketPrice, BillingCurrency, Currency, EffectiveStartDate, lake_run_id "
    return duckdb.sql(query + f"from read_parquet('{path}') order by all").fetchall()


def test_an_mca_price_sheet_lands_typed_and_a_newer_run_replaces_the_month(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    write_run(tmp_path / "src", price_sheet_spec("run-1", [mca_row("2.25")], MCA_COLUMNS, "02"))
    first = Loader(LocalFolderSource(tmp_path / "src"), lake).run()
    assert [result.status for result in first.results] == [Status.LOADED]
    assert lake_prices(lake) == [
        ("m-1", 2.25, 2.5, "USD", None, duckdb.sql("select timestamp '2026-08-01'").fetchone()[0], "run-1")
    ]

    write_run(tmp_path / "src", price_sheet_spec("run-2", [mca_row("2.0")], MCA_COLUMNS, "09"))
    Loader(LocalFolderSource(tmp_path / "src"), lake).run()
    assert [(row[1], row[-1]) for row in lake_prices(lake)] == [(2.0, "run-2")]


def test_an_ea_price_sheet_fills_the_same_columns_and_one_without_prices_is_rejected(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    values = ["7654321", "m-1", "gpt 4o 0513 Input glbl", "1M", "2.2", "EUR", "AAH-123"]
    row = dict(zip(EA_COLUMNS, values, strict=True))
    write_run(tmp_path / "ea", price_sheet_spec("run-ea", [row], EA_COLUMNS, "02"))
    assert not Loader(LocalFolderSource(tmp_path / "ea"), lake).run().failed
    assert [(r[0], r[1], r[4]) for r in lake_prices(lake)] == [("m-1", 2.2, "EUR")]

    columns = [name for name in EA_COLUMNS if name != "UnitPrice"]
    write_run(tmp_path / "bad", price_sheet_spec("run-bad", [row], columns, "05"))
    (result,) = Loader(LocalFolderSource(tmp_path / "bad"), lake).run().results
    assert result.status is Status.REJECTED
    assert "UnitPrice" in (result.message or "") and "part_0_0001.csv.gz" in (result.message or "")
    assert [r[-1] for r in lake_prices(lake)] == ["run-ea"]
