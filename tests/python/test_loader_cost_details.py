"""Loading the legacy ActualCost / AmortizedCost datasets: EA and MCA spellings, dates, required cost columns."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, write_raw_run, write_run

SHARED_EA_FILE = Path(__file__).resolve().parents[3] / "shared/reference/azure/sample_exports/EA_ActualCost_Small.csv"
SCOPE_KEY = "billingaccounts-1234567"


def load(source: Path, lake: Lake):
    return Loader(LocalFolderSource(source), lake).run()


def lake_rows(lake: Lake, table: str, month: str, columns: str) -> list[tuple]:
    path = lake.partition_file(Partition(table, month, SCOPE_KEY))
    return duckdb.sql(f"select {columns} from read_parquet('{path}') order by all").fetchall()


def legacy_spec(
    run_id: str, rows: list[dict[str, str]], columns: list[str], month: str = "2026-08", **values: str
) -> RunSpec:
    settings = {"export_type": "ActualCost", "data_version": "c360-2025-04", "export_name": "ea-actual", **values}
    return RunSpec(run_id, month, f"{month}-10T03:00:00.0000000Z", rows, columns=columns, **settings)


EA_COLUMNS = ["BillingAccountId", "Date", "ChargeType", "Quantity", "Cost", "BillingCurrency", "Tags", "MeterName"]
MCA_COLUMNS = [
    "billingAccountId",
    "date",
    "chargeType",
    "quantity",
    "costInBillingCurrency",
    "billingCurrency",
    "tags",
    "meterName",
]


def test_ea_month_first_dates_and_mca_camel_case_land_in_the_same_columns(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    ea_row = dict(zip(EA_COLUMNS, ["1234567", "08/02/2026", "Usage", "2", "1.5", "USD", '"a": "b"', "m"], strict=True))
    mca_row = dict(
        zip(MCA_COLUMNS, ["1234567", "2026-08-03", "Usage", "4", "2.25", "USD", '{"a":"b"}', "m"], strict=True)
    )
    write_run(tmp_path / "ea", legacy_spec("run-ea", [ea_row], EA_COLUMNS))
    write_run(tmp_path / "mca", legacy_spec("run-mca", [mca_row], MCA_COLUMNS, export_type="AmortizedCost"))

    assert not load(tmp_path / "ea", lake).failed
    assert not load(tmp_path / "mca", lake).failed

    assert lake_rows(lake, "actual_cost", "2026-08", "Date, Cost, CostInBillingCurrency, Tags") == [
        (duckdb.sql("select timestamp '2026-08-02'").fetchone()[0], 1.5, None, '"a": "b"')
    ]
    assert lake_rows(lake, "amortized_cost", "2026-08", "Date, Cost, CostInBillingCurrency, Tags") == [
        (duckdb.sql("select timestamp '2026-08-03'").fetchone()[0], None, 2.25, '{"a":"b"}')
    ]
    entries = {entry.table_name: entry for entry in IngestionLog(lake).current().values()}
    assert (entries["actual_cost"].billed_cost_total, entries["actual_cost"].effective_cost_total) == (1.5, None)
    assert (entries["amortized_cost"].billed_cost_total, entries["amortized_cost"].effective_cost_total) == (None, 2.25)


def test_a_run_without_any_cost_column_is_rejected_naming_both_spellings(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    columns = [name for name in EA_COLUMNS if name != "Cost"]
    row = dict(zip(columns, ["1234567", "08/02/2026", "Usage", "2", "USD", "", "m"], strict=True))
    write_run(tmp_path / "src", legacy_spec("run-1", [row], columns))

    (result,) = load(tmp_path / "src", lake).results

    assert result.status is Status.REJECTED
    assert "Cost or CostInBillingCurrency" in (result.message or "")


def test_columns_differing_only_in_case_are_rejected(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    data = b"BillingAccountId,Date,ChargeType,Quantity,Cost,cost,BillingCurrency\n1,08/02/2026,Usage,1,1,1,USD\n"
    write_raw_run(tmp_path / "src", legacy_spec("run-1", [], []), [(data, 1)])

    (result,) = load(tmp_path / "src", lake).results

    assert result.status is Status.REJECTED
    assert "'Cost' and 'cost' differ only in case" in (result.message or "")


def test_an_unreadable_date_rejects_the_run_and_names_the_value(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    row = dict(zip(EA_COLUMNS, ["1234567", "31/08/2026", "Usage", "2", "1.5", "USD", "", "m"], strict=True))
    write_run(tmp_path / "src", legacy_spec("run-1", [row], EA_COLUMNS))

    (result,) = load(tmp_path / "src", lake).results

    assert result.status is Status.REJECTED
    assert "31/08/2026" in (result.message or "")
    assert "part_0_0001.csv.gz" in (result.message or "")
    assert not lake.partition_file(Partition("actual_cost", "2026-08", SCOPE_KEY)).exists()


@pytest.mark.skipif(not SHARED_EA_FILE.exists(), reason="../shared/reference is not available")
def test_the_real_ea_actual_cost_file_loads_with_its_bom_and_month_first_dates(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    data = SHARED_EA_FILE.read_bytes()
    rows = data.count(b"\n") - 1
    spec = legacy_spec(
        "run-real", [], [], month="2023-09", scope="/providers/Microsoft.Billing/billingAccounts/1234567"
    )
    write_raw_run(tmp_path / "src", spec, [(data, rows)])

    report = load(tmp_path / "src", lake)

    assert not report.failed, report.results
    assert not any("unknown column" in warning for warning in report.warnings), report.warnings
    path = lake.partition_file(Partition("actual_cost", "2023-09", SCOPE_KEY))
    with SHARED_EA_FILE.open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    days = sorted({datetime.strptime(row["Date"], "%m/%d/%Y").date() for row in raw})
    count, first_day, last_day, cost = duckdb.sql(
        f"select count(*), min(Date)::date, max(Date)::date, sum(Cost) from read_parquet('{path}')"
    ).fetchone()
    assert (count, first_day, last_day) == (len(raw), days[0], days[-1])
    assert cost == pytest.approx(sum(float(row["Cost"]) for row in raw))
    (entry,) = IngestionLog(lake).current().values()
    assert entry.billed_cost_total == pytest.approx(cost)
