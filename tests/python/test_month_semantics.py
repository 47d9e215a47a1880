"""Month semantics beyond the basics: re-exports of the previous month, late runs, overlapping export scopes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.overlaps import ScopeCosts, find_overlaps, scope_level
from aoai_finops.sources import LocalFolderSource
from exports import SCOPE, RunSpec, cost_row, write_run

SUBSCRIPTION = "/subscriptions/s1"
MARCH_BILLING = Partition("focus_cost", "2025-03", "billingaccounts-1234567")
MARCH_SUBSCRIPTION = Partition("focus_cost", "2025-03", "subscriptions-s1")


def load(source: Path, lake: Lake) -> LoadReport:
    return Loader(LocalFolderSource(source), lake).run()


def decisions(report: LoadReport) -> list[tuple[str | None, Status | None]]:
    return [(result.run_id, result.status) for result in report.results if result.status]


def billed(lake: Lake, partition: Partition) -> float:
    (total,) = duckdb.sql(f"select sum(BilledCost) from read_parquet('{lake.partition_file(partition)}')").fetchone()
    return total


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return tmp_path / "source"


# ------------------------------------------------------------------------------------------------ re-exports


def test_a_re_export_of_the_previous_month_in_the_first_days_replaces_it(source: Path, lake: Lake) -> None:
    march = [cost_row(f"2025-03-{day:02d}", 1.0) for day in range(1, 29)]
    write_run(source, RunSpec("mar-28", "2025-03", "2025-03-29T05:00:00Z", march))
    load(source, lake)
    late_charge = cost_row("2025-03-31", 4.0)
    write_run(source, RunSpec("mar-final", "2025-03", "2025-04-03T05:00:00Z", [*march, late_charge]))
    write_run(source, RunSpec("apr-02", "2025-04", "2025-04-03T05:10:00Z", [cost_row("2025-04-01", 2.0)]))

    report = load(source, lake)

    assert sorted(decisions(report)) == [("apr-02", Status.LOADED), ("mar-final", Status.REPLACED)]
    assert billed(lake, MARCH_BILLING) == 32.0
    assert billed(lake, Partition("focus_cost", "2025-04", MARCH_BILLING.scope_key)) == 2.0


def test_an_older_run_arriving_late_is_logged_as_skipped_and_changes_nothing(source: Path, lake: Lake) -> None:
    write_run(source, RunSpec("run-new", "2025-03", "2025-04-03T00:00:00Z", [cost_row("2025-03-01", 3.0)]))
    load(source, lake)
    write_run(source, RunSpec("run-late", "2025-03", "2025-03-21T00:00:00Z", [cost_row("2025-03-01", 9.0)]))

    load(source, lake)

    late = [entry for entry in IngestionLog(lake).entries() if entry.run_id == "run-late"]
    assert [(entry.status, entry.message) for entry in late] == [
        (Status.SKIPPED_OLDER, "not newer than the loaded run run-new")
    ]
    assert IngestionLog(lake).current()[MARCH_BILLING].run_id == "run-new"
    assert billed(lake, MARCH_BILLING) == 3.0


# ------------------------------------------------------------------------------------------------ overlapping scopes


def billing_run(run_id: str, submitted: str, cost: float = 1.0) -> RunSpec:
    rows = [cost_row("2025-03-01", cost), cost_row("2025-03-01", cost, SubAccountId="/subscriptions/s2")]
    return RunSpec(run_id, "2025-03", submitted, rows, export_name="billing-account")


def subscription_run(run_id: str, submitted: str, cost: float = 1.0, scope: str = SUBSCRIPTION) -> RunSpec:
    return RunSpec(run_id, "2025-03", submitted, [cost_row("2025-03-01", cost)], export_name="sub", scope=scope)


def test_a_subscription_export_covered_by_the_billing_account_export_is_not_loaded(source: Path, lake: Lake) -> None:
    write_run(source, billing_run("ba-1", "2025-03-10T00:00:00Z"))
    write_run(source, subscription_run("sub-1", "2025-03-11T00:00:00Z"))

    report = load(source, lake)

    assert decisions(report) == [("ba-1", Status.LOADED), ("sub-1", Status.SKIPPED_OVERLAP)]
    assert not lake.partition_file(MARCH_SUBSCRIPTION).exists()
    assert billed(lake, MARCH_BILLING) == 2.0
    assert any("already in the export of" in warning and SUBSCRIPTION in warning for warning in report.warnings)


def test_a_billing_account_export_arriving_later_retires_the_subscription_partition(source: Path, lake: Lake) -> None:
    write_run(source, subscription_run("sub-1", "2025-03-10T00:00:00Z"))
    load(source, lake)
    assert billed(lake, MARCH_SUBSCRIPTION) == 1.0
    write_run(source, billing_run("ba-1", "2025-03-11T00:00:00Z"))

    report = load(source, lake)

    assert decisions(report) == [("ba-1", Status.LOADED), ("sub-1", Status.RETIRED_OVERLAP)]
    assert not lake.partition_file(MARCH_SUBSCRIPTION).exists()
    assert (lake.root / "_retired" / "focus_cost" / "2025-03" / "subscriptions-s1" / "sub-1.parquet").exists()
    assert set(IngestionLog(lake).current()) == {MARCH_BILLING}
    assert any("moved to _retired/" in warning for warning in report.warnings)

    write_run(source, subscription_run("sub-2", "2025-03-20T00:00:00Z"))
    report = load(source, lake)

    assert decisions(report) == [("sub-2", Status.SKIPPED_OVERLAP)]
    assert set(IngestionLog(lake).current()) == {MARCH_BILLING}


def test_scopes_sharing_only_some_subscriptions_both_load_with_a_warning(source: Path, lake: Lake) -> None:
    department = "/providers/Microsoft.Billing/billingAccounts/1234567/departments/7"
    rows = [cost_row("2025-03-01", 5.0), cost_row("2025-03-01", 5.0, SubAccountId="/subscriptions/s3")]
    write_run(source, billing_run("ba-1", "2025-03-10T00:00:00Z"))
    write_run(source, RunSpec("dep-1", "2025-03", "2025-03-10T00:00:00Z", rows, export_name="dep", scope=department))

    report = load(source, lake)

    assert sorted(decisions(report)) == [("ba-1", Status.LOADED), ("dep-1", Status.LOADED)]
    (warning,) = [w for w in report.warnings if "counted twice" in w]
    assert "1 subscription(s) (/subscriptions/s1)" in warning and department.lower() in warning


def test_a_resource_group_export_is_covered_by_its_subscription_export(source: Path, lake: Lake) -> None:
    write_run(source, subscription_run("sub-1", "2025-03-10T00:00:00Z"))
    write_run(source, subscription_run("rg-1", "2025-03-12T00:00:00Z", scope=f"{SUBSCRIPTION}/resourceGroups/rg"))

    report = load(source, lake)

    assert sorted(decisions(report)) == [("rg-1", Status.SKIPPED_OVERLAP), ("sub-1", Status.LOADED)]


def test_overlap_rules() -> None:
    billing = ScopeCosts(SCOPE.lower(), frozenset({"/subscriptions/s1", "/subscriptions/s2"}))
    subscription = ScopeCosts("/subscriptions/s1", frozenset({"/subscriptions/s1"}))
    group = ScopeCosts("/subscriptions/s1/resourcegroups/rg", frozenset({"/subscriptions/s1"}))
    other = ScopeCosts("/subscriptions/s9", frozenset({"/subscriptions/s9"}))

    overlaps = find_overlaps({"ba": billing, "sub": subscription, "rg": group, "other": other})

    assert overlaps.covered == {"sub": "ba", "rg": "ba"}
    assert overlaps.partial == []
    assert [scope_level(s.export_scope) for s in (billing, subscription, group)] == [1, 2, 3]
