"""The loader's month semantics: newest run wins, loads are idempotent, bad runs never replace good data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, cost_row, write_run

MARCH = Partition("focus_cost", "2025-03", "billingaccounts-1234567")


def load(source: Path, lake: Lake):
    return Loader(LocalFolderSource(source), lake).run()


def month_totals(lake: Lake, partition: Partition = MARCH) -> tuple[int, float, set[str]]:
    path = lake.partition_file(partition)
    rows, cost, runs = duckdb.sql(
        f"select count(*), sum(BilledCost), list(distinct lake_run_id) from read_parquet('{path}')"
    ).fetchone()
    return rows, round(cost, 6), set(runs)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return tmp_path / "source"


def test_loads_a_run_into_its_partition_with_lineage_and_log(source: Path, lake: Lake) -> None:
    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T21:04:06.5234447Z", [cost_row("2025-03-01", 1.5)] * 3))

    report = load(source, lake)

    assert [r.status for r in report.results] == [Status.LOADED]
    assert month_totals(lake) == (3, 4.5, {"run-1"})
    (entry,) = IngestionLog(lake).current().values()
    assert (entry.run_id, entry.rows, entry.billed_cost_total, entry.files) == ("run-1", 3, 4.5, 1)
    row = duckdb.sql(f"select * from read_parquet('{lake.partition_file(MARCH)}') limit 1").fetchone()
    assert row is not None
    assert lake.schema_file("focus_cost").exists()


def test_loading_the_same_folder_twice_changes_nothing(source: Path, lake: Lake) -> None:
    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 2.0)], parts=1))
    load(source, lake)
    before = digest(lake.partition_file(MARCH))
    entries_before = len(IngestionLog(lake).entries())

    report = load(source, lake)

    assert [r.status for r in report.results] == [None]
    assert digest(lake.partition_file(MARCH)) == before
    assert len(IngestionLog(lake).entries()) == entries_before


def test_newest_run_of_a_month_replaces_it_and_earlier_runs_are_not_appended(source: Path, lake: Lake) -> None:
    days = [cost_row(f"2025-03-0{day}", 1.0) for day in range(1, 6)]
    write_run(source, RunSpec("run-a", "2025-03", "2025-03-03T00:00:00Z", days[:2]))
    write_run(source, RunSpec("run-c", "2025-03", "2025-03-06T00:00:00Z", days, parts=2))
    write_run(source, RunSpec("run-b", "2025-03", "2025-03-04T00:00:00Z", days[:3]))

    report = load(source, lake)

    assert month_totals(lake) == (5, 5.0, {"run-c"})
    statuses = {r.run_id: r.status for r in report.results}
    assert statuses == {"run-c": Status.LOADED, "run-b": Status.SKIPPED_OLDER, "run-a": Status.SKIPPED_OLDER}


def test_a_newer_run_in_a_later_load_replaces_the_month(source: Path, lake: Lake) -> None:
    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    load(source, lake)
    write_run(source, RunSpec("run-2", "2025-03", "2025-04-02T00:00:00Z", [cost_row("2025-03-01", 1.25)] * 2))

    report = load(source, lake)

    assert [(r.run_id, r.status) for r in report.results if r.status] == [("run-2", Status.REPLACED)]
    assert month_totals(lake) == (2, 2.5, {"run-2"})


def test_timestamps_without_seconds_or_with_offsets_are_stored_in_utc(source: Path, lake: Lake) -> None:
    rows = [
        cost_row("2025-03-01", 1.0, ChargePeriodStart="2025-03-01T00:00Z"),
        cost_row("2025-03-01", 1.0, ChargePeriodStart="2025-03-01T02:00:00+02:00"),
    ]
    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", rows, data_version="1.0"))

    load(source, lake)

    starts = duckdb.sql(
        f"select distinct cast(ChargePeriodStart as varchar) from read_parquet('{lake.partition_file(MARCH)}')"
    ).fetchall()
    assert starts == [("2025-03-01 00:00:00",)]


def test_a_second_loader_is_told_the_lake_is_busy(source: Path, lake: Lake) -> None:
    from aoai_finops.errors import LakeLockedError

    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    with lake.lock(), pytest.raises(LakeLockedError, match="another aoai-finops load"):
        load(source, lake)
