"""Incremental builds by billing month equal a full refresh, row for row; the Parquet export equals the marts.

Three successive loads into one lake, a dbt build after each into one warehouse (incremental), then a
--full-refresh into another warehouse; every incremental model must hold exactly the same rows in both:
  1. sample exports to 2026-09-10 (August complete, September month to date) and a subscription-scope run of
     2025-03;
  2. the sample to 2026-09-20: more days of September (newer month-to-date runs replace it);
  3. the sample to 2026-10-05: September replaced by its re-export of 3 October, October new, and a
     billing-account run of 2025-03 that retires the subscription partition (retired_overlap); it brings March an
     AI token row, and a credit of an account without AI cost yet.
Before the third build a month the lake never had is planted in every incremental table: it must go.
Then inputs of older months that the cost ingestion log does not see change, each followed by an incremental build
and a full refresh into a new warehouse: 4. September's telemetry arrives late; 5. a November run retags a
resource that has cost in August to October, and gives the account of the 2025-03 credit its first AI cost. Only
the months whose allocation inputs changed are rebuilt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from aoai_finops import export_marts as export_marts_module
from aoai_finops.dbt_manifest import INCREMENTAL_SELECTION, incremental_month_columns
from aoai_finops.export_marts import export_marts
from aoai_finops.ingestion_log import Status
from aoai_finops.lake import Lake
from aoai_finops.loader import Loader
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, cost_row, write_run

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
PLANTED_MONTH = "1999-01"
# An account with a credit in 2025-03 (load 3) and its first AI cost in November (step 5): the credit is allocated then.
LATE_AI_ACCOUNT = "/subscriptions/s2/resourcegroups/rg-late/providers/microsoft.cognitiveservices/accounts/late-ai"
# Incremental on each month's allocation inputs (int_allocation_billing_months), not only on its cost rows.
ALLOCATION_MODELS = (
    "int_allocation_pool_candidates",
    "int_allocation_pool_decisions",
    "int_cost_allocation_splits",
    "focus_costs_allocated",
    "fct_cost_allocation_daily",
)
# Sums of AI charges stored by their charge months, like int_ai_costs_daily_unioned (ai_charge_month_state()).
AI_CHARGE_MONTH_SUMS = (
    "int_ai_meter_days_aggregated",
    "int_ai_deployment_days_aggregated",
    "int_ai_model_months_aggregated",
    "int_anomaly_scope_days_aggregated",
)
# Every incremental model (from dbt's manifest) and what it reads. Models and seeds only: the data tests run in
# `make dbt-test`; this test is about the rows.
BUILD = ("build", "--select", INCREMENTAL_SELECTION, "--resource-type", "model", "--resource-type", "seed")


def dbt(root: Path, lake: Path, warehouse: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "AOAI_FINOPS_LAKE": str(lake),
        "AOAI_FINOPS_DUCKDB": str(warehouse),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    # Partial parsing (off in dbt_project.yml for the rule seeds' unit tests) saves a full parse per build here.
    command = [str(Path(sys.executable).parent / "dbt"), *args, "--partial-parse"]
    command += ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    result = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}{result.stderr[-2000:]}")
    return result.stdout


def load(source: Path, lake: Lake) -> set[Status | None]:
    report = Loader(LocalFolderSource(source), lake).run()
    assert not report.failed, report.results
    return {result.status for result in report.results}


def sample(root: Path, end_date: date) -> Path:
    generate_sample(root, SampleOptions(months=2, end_date=end_date, telemetry=False, seed=11))
    return root


def march_run(run_id: str, submitted: str, scope: str, *subscriptions: str) -> RunSpec:
    rows = [cost_row("2025-03-01", 1.5, SubAccountId=subscription) for subscription in subscriptions]
    name = "sub" if scope.startswith("/subscriptions") else "billing-account"
    return RunSpec(run_id, "2025-03", submitted, rows, export_name=name, scope=scope)


def plant_a_month_the_lake_does_not_have(warehouse: Path, month_columns: dict[str, str]) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        for model, column in month_columns.items():
            connection.execute(
                f"insert into {model} select * replace ('{PLANTED_MONTH}' as {column}) from {model} limit 1"
            )


@dataclass(frozen=True)
class Builds:
    root: Path
    incremental: Path  # the warehouse built after each load
    full: Path  # the warehouse built once with --full-refresh
    logs: list[str]  # dbt's output of each incremental build
    month_columns: dict[str, str]  # the incremental models and their month column (dbt's manifest)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("incremental")
    lake = Lake(root / "lake")
    incremental, full = root / "incremental.duckdb", root / "full.duckdb"
    logs = []

    first = sample(root / "load1", date(2026, 9, 10))
    write_run(first, march_run("sub-1", "2025-03-10T00:00:00Z", "/subscriptions/s1", "/subscriptions/s1"))
    load(first, lake)
    logs.append(dbt(root, lake.root, incremental, *BUILD))
    month_columns = incremental_month_columns(root / "target" / "manifest.json")

    second = sample(root / "load2", date(2026, 9, 20))
    assert Status.REPLACED in load(second, lake)
    logs.append(dbt(root, lake.root, incremental, *BUILD))

    third = sample(root / "load3", date(2026, 10, 5))
    scope = "/providers/Microsoft.Billing/billingAccounts/1234567"
    march = march_run("ba-1", "2025-03-11T00:00:00Z", scope, "/subscriptions/s1", "/subscriptions/s2")
    # AI cost for March, and a credit of an account without AI cost yet (step 5 gives it some)
    ai_cost = october_token_row_moved(third, date(2025, 3, 5))
    credit = cost_row(
        "2025-03-05", -2.0, ChargeCategory="Credit", ResourceId=LATE_AI_ACCOUNT, SubAccountId="/subscriptions/s2"
    )
    write_run(third, replace(march, rows=[*march.rows, ai_cost, credit]))
    assert Status.RETIRED_OVERLAP in load(third, lake)
    plant_a_month_the_lake_does_not_have(incremental, month_columns)
    logs.append(dbt(root, lake.root, incremental, *BUILD))

    dbt(root, lake.root, full, *BUILD, "--full-refresh")
    return Builds(root, incremental, full, logs, month_columns)


def rows_in_one_only(connection: duckdb.DuckDBPyConnection, table: str, left: str, right: str) -> tuple[int, int]:
    """How many rows of `table` are in database `left` only and in `right` only.

    Rows pair up on every column that is not a double (the n-th duplicate with the n-th); their doubles must agree
    to 1e-9 relative. Sums may add in another order, and a detector's bound carries that further; a tolerance, not
    rounding, because a value at a rounding boundary rounds both ways.
    """
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_name = ? order by ordinal_position",
        [left, table],
    ).fetchall()
    keys = [name for name, kind in columns if kind != "DOUBLE"]
    doubles = [name for name, kind in columns if kind == "DOUBLE"]
    order = ", ".join(doubles) or "1"
    numbered = (
        "(select *, row_number() over (partition by {keys} order by {order}) as duplicate_number "
        "from {database}.main.{table})"
    )
    pairs = " and ".join(f"l.{key} is not distinct from r.{key}" for key in [*keys, "duplicate_number"])
    differs = " or ".join(
        f"(l.{name} is null) <> (r.{name} is null) "
        f"or abs(l.{name} - r.{name}) > 1e-9 * greatest(1, abs(l.{name}), abs(r.{name}))"
        for name in doubles
    )
    sides = [numbered.format(keys=", ".join(keys), order=order, database=db, table=table) for db in (left, right)]
    return connection.execute(
        f"select count(*) filter (where r.duplicate_number is null or {differs or 'false'}), "
        f"count(*) filter (where l.duplicate_number is null or {differs or 'false'}) "
        f"from {sides[0]} as l full outer join {sides[1]} as r on {pairs}"
    ).fetchone()


def rebuilt_models_differing_from(full: Path, warehouse: Path, *models: str) -> dict[str, tuple[int, int]]:
    """The `models` whose rows in `warehouse` differ from the full refresh's: (rows only there, rows only in full)."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{warehouse}' as incremental (read_only)")
        connection.execute(f"attach '{full}' as full_refresh (read_only)")
        counts = {model: rows_in_one_only(connection, model, "incremental", "full_refresh") for model in models}
    return {model: count for model, count in counts.items() if count != (0, 0)}


def copy_of_the_incremental_warehouse(builds: Builds, tmp_path: Path) -> Path:
    warehouse = tmp_path / builds.incremental.name
    warehouse.write_bytes(builds.incremental.read_bytes())
    return warehouse


def models_differing_from_a_full_refresh(incremental: Path, full: Path, month_columns: dict[str, str]) -> dict:
    """The incremental models whose rows differ between the two warehouses, or have fewer than three months."""
    differences = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{incremental}' as incremental (read_only)")
        connection.execute(f"attach '{full}' as full_refresh (read_only)")
        for model, month_column in month_columns.items():
            counts = [
                connection.execute(f"select count(*) from {database}.main.{model}").fetchone()[0]
                for database in ("incremental", "full_refresh")
            ]
            only_incremental, only_full = rows_in_one_only(connection, model, "incremental", "full_refresh")
            months = connection.execute(
                f"select count(distinct {month_column}) from full_refresh.main.{model}"
            ).fetchone()[0]
            if not (counts[0] == counts[1] > 0 and (only_incremental, only_full) == (0, 0) and months >= 3):
                differences[model] = (
                    f"rows {counts[0]} incremental / {counts[1]} full refresh, only incremental {only_incremental}, "
                    f"only full refresh {only_full}, {months} months"
                )
    return differences


def test_incremental_builds_equal_a_full_refresh_row_for_row(builds: Builds) -> None:
    # the models this test was written for; any model made incremental later is compared too
    assert {"focus_costs", "fct_ai_token_costs_daily", "focus_costs_allocated", "fct_cost_allocation_daily"} <= set(
        builds.month_columns
    )
    assert not models_differing_from_a_full_refresh(builds.incremental, builds.full, builds.month_columns)


def test_each_incremental_build_rebuilt_only_the_changed_months(builds: Builds) -> None:
    second, third = builds.logs[1], builds.logs[2]
    # load 2 changed September only: August and March stay as built
    assert 'billing months of "incremental"."main"."focus_costs": rebuild 2026-09; remove none' in second
    # the AI charges per day: September and every month after it (none yet), their usual prices read August
    assert '"int_ai_costs_daily_unioned": rebuild 2026-09; remove none' in second
    # the sums the price checks, the unit economics and the anomaly series read: stored by the same charge months
    for model in AI_CHARGE_MONTH_SUMS:
        assert f'"{model}": rebuild 2026-09; remove none' in second, model
    # the root causes of September's anomalies only: August's history did not change
    assert '"int_anomaly_root_causes": rebuild 2026-09; remove none' in second
    # load 3: March (a scope retired), September (re-export), October (new); the planted month removed
    assert "rebuild 2025-03, 2026-09, 2026-10; remove 1999-01" in third
    # March's first AI charge: March and every charge month after it
    for model in ("int_ai_costs_daily_unioned", *AI_CHARGE_MONTH_SUMS):
        assert f'"{model}": rebuild 2025-03, 2026-08, 2026-09, 2026-10; remove 1999-01' in third, model
    # March's change is in the history of every later anomaly: every month with anomalies (the first is August)
    assert '"int_anomaly_root_causes": rebuild 2026-08, 2026-09, 2026-10; remove 1999-01' in third


def test_allocation_rebuilds_only_the_months_whose_costs_changed(builds: Builds) -> None:
    second, third = builds.logs[1], builds.logs[2]
    # only the months whose costs changed: the March 2025 run of load 1 has no AI cost to allocate (no row in the
    # months models, so never rebuilt), the billing-account run of load 3 brings March its first
    for model in ("int_allocation_cost_rows", "int_allocation_resource_days_aggregated", *ALLOCATION_MODELS):
        plans = f'billing months of "incremental"."main"."{model}"'
        assert f"{plans}: rebuild 2026-09; remove none" in second, model
        assert f"{plans}: rebuild 2025-03, 2026-09, 2026-10; remove 1999-01" in third, model


def test_a_month_split_otherwise_and_a_table_without_months_are_rebuilt(builds: Builds, tmp_path: Path) -> None:
    root = builds.root
    warehouse = copy_of_the_incremental_warehouse(builds, tmp_path)
    with duckdb.connect(str(warehouse)) as connection:
        # As if September had been split otherwise when it was built (by tags or telemetry that changed since).
        connection.execute(
            "update focus_costs_allocated set x_AllocationFingerprint = 'stale', x_AllocatedTeam = 'stale' "
            "where x_BillingMonth = '2026-09'"
        )
        # As built by a version without the month column: one stale row, and no month to replace it by.
        connection.execute(
            "insert into fct_cost_allocation_daily "
            "select * replace ('stale' as team) from fct_cost_allocation_daily limit 1"
        )
        connection.execute("alter table fct_cost_allocation_daily drop column billing_month")
    marts = ("focus_costs_allocated", "fct_cost_allocation_daily")
    log = dbt(root, root / "lake", warehouse, "build", "--select", *marts, "--resource-type", "model")
    assert 'billing months of "incremental"."main"."focus_costs_allocated": rebuild 2026-09; remove none' in log
    assert 'fct_cost_allocation_daily": no billing_month column yet, every row replaced' in log
    assert not rebuilt_models_differing_from(builds.full, warehouse, *marts)


def test_a_month_gone_from_the_lake_rebuilds_every_later_month_of_a_model_that_reads_back(
    builds: Builds, tmp_path: Path
) -> None:
    root = builds.root
    warehouse = copy_of_the_incremental_warehouse(builds, tmp_path)
    with duckdb.connect(str(warehouse)) as connection:
        # A month the table holds and the lake does not: the pre-hook deletes it, and every month after it is
        # rebuilt (their usual prices read the days before them) although their own charges did not change.
        connection.execute(
            "insert into int_ai_costs_daily_unioned "
            "select * replace ('2000-01' as billing_month) from int_ai_costs_daily_unioned limit 1"
        )
        # Only a rebuild of October replaces this: its month state is unchanged.
        connection.execute("update int_ai_costs_daily_unioned set effective_cost = -1 where billing_month = '2026-10'")
    model = "int_ai_costs_daily_unioned"
    log = dbt(root, root / "lake", warehouse, "build", "--select", model, "--resource-type", "model")
    assert f'"{model}": rebuild 2025-03, 2026-08, 2026-09, 2026-10; remove 2000-01' in log
    assert not rebuilt_models_differing_from(builds.full, warehouse, model)


def test_data_tests_can_read_only_the_billing_months_given(builds: Builds, tmp_path: Path) -> None:
    warehouse = tmp_path / "tested.duckdb"
    warehouse.write_bytes(builds.full.read_bytes())
    with duckdb.connect(str(warehouse)) as connection:
        # an AI cost row of August counted twice
        connection.execute(
            "insert into focus_costs "
            "select * from focus_costs where x_BillingMonth = '2026-08' and x_AiIsAiMeter limit 1"
        )
    tests = ("unique_focus_costs_x_CostRowId", "assert_no_cost_row_allocated_twice")

    def failing_tests(*months: str) -> set[str]:
        scope = ("--vars", json.dumps({"test_billing_months": list(months)})) if months else ()
        try:
            log = dbt(builds.root, builds.root / "lake", warehouse, "test", "--select", *tests, *scope)
        except AssertionError as failure:
            log = str(failure)
        return set(re.findall(r"FAIL \d+ (\w+)", log))

    assert failing_tests() == set(tests)  # every month, by default
    assert failing_tests("2026-08") == set(tests)
    assert failing_tests("2026-09", "2026-10") == set()
    with pytest.raises(AssertionError, match="2026-8 is not a billing month"):
        dbt(
            builds.root,
            builds.root / "lake",
            warehouse,
            "test",
            "--select",
            tests[0],
            "--vars",
            "{test_billing_months: 2026-8}",
        )


@dataclass(frozen=True)
class LateInputs:
    logs: list[str]  # dbt's output of the incremental build after each change
    differences: list[dict[str, str]]  # models_differing_from_a_full_refresh() after each change
    telemetry_pools: dict[str, int]  # pools split by telemetry per month, after the telemetry came
    retagged_cost_centers: dict[str, list[str]]  # cost centers of the retagged resource per month, after
    late_account_months: dict[str, int]  # cost rows of the late AI account per month, after its first AI cost


def allocation_build(
    root: Path, lake: Path, incremental: Path, full: Path, month_columns: dict[str, str]
) -> tuple[str, dict]:
    """An incremental build, then a full refresh into a new warehouse; its log and the models that differ."""
    log = dbt(root, lake, incremental, *BUILD)
    dbt(root, lake, full, *BUILD, "--full-refresh")
    return log, models_differing_from_a_full_refresh(incremental, full, month_columns)


def october_token_row_moved(
    sample: Path, day: date, resource_id: str | None = None, **overrides: str
) -> dict[str, str]:
    """One of the sample's October token rows (of the resource, if given), moved to the day, with the overrides."""
    files = (sample / "costexports").rglob("20261001-20261031/*/*.csv.gz")
    relation = duckdb.read_csv([str(path) for path in files], all_varchar=True)
    resource = f"ResourceId = '{resource_id}' and " if resource_id else ""
    row = relation.filter(f"{resource}x_SkuMeterName ilike '%tokens%'").limit(1).fetchone()
    moved = {column: value for column, value in zip(relation.columns, row, strict=True) if value is not None}
    start, end = day.isoformat() + "T00:00:00Z", (day + timedelta(days=1)).isoformat() + "T00:00:00Z"
    month = day.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    for column in ("ChargePeriodStart", "x_ServicePeriodStart", "x_BillingExchangeRateDate"):
        moved[column] = start
    for column in ("ChargePeriodEnd", "x_ServicePeriodEnd"):
        moved[column] = end
    moved |= {"BillingPeriodStart": f"{month}T00:00:00Z", "BillingPeriodEnd": f"{next_month}T00:00:00Z"}
    return moved | overrides


@pytest.fixture(scope="module")
def late_inputs(builds: Builds, tmp_path_factory: pytest.TempPathFactory) -> LateInputs:
    """After the three loads, inputs of older months that the cost ingestion log does not see change:
    4. September's telemetry arrives (allocation by telemetry becomes possible for its days only);
    5. a November run retags a resource that has cost in August to October (showback follows the latest tags), and
       gives LATE_AI_ACCOUNT its first AI cost (its 2025-03 credit is allocated from then on).
    """
    root = tmp_path_factory.mktemp("late-inputs")
    shutil.copytree(builds.root / "lake", root / "lake")
    lake, incremental = Lake(root / "lake"), root / "incremental.duckdb"
    incremental.write_bytes(builds.incremental.read_bytes())
    logs, differences = [], []

    telemetry = root / "telemetry-sample"
    generate_sample(telemetry, SampleOptions(months=2, end_date=date(2026, 10, 5), telemetry=True, seed=11))
    for pull in (telemetry / "telemetry").rglob("*"):
        if pull.is_file() and "2026-09" in pull.parent.name:
            target = root / "load4" / pull.relative_to(telemetry)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(pull, target)
    load(root / "load4", lake)
    log, differing = allocation_build(root, lake.root, incremental, root / "full4.duckdb", builds.month_columns)
    logs.append(log)
    differences.append(differing)
    with duckdb.connect(str(incremental), read_only=True) as connection:
        telemetry_pools = dict(
            connection.execute(
                "select billing_month, count(*) filter (where allocation_method = 'telemetry') "
                "from int_allocation_pool_decisions group by billing_month"
            ).fetchall()
        )
        (resource_id,) = connection.execute(
            "select ResourceId from focus_costs_allocated where AllocatedMethodId = 'tags' "
            "group by ResourceId having count(distinct x_BillingMonth) = 3 order by ResourceId limit 1"
        ).fetchone()

    retag = october_token_row_moved(
        builds.root / "load3", date(2026, 11, 2), resource_id, Tags='{"cost-center":"CC-RETAGGED"}'
    )
    first_ai_cost = retag | {"ResourceId": LATE_AI_ACCOUNT, "ResourceName": "late-ai"}
    write_run(root / "load5", RunSpec("nov-1", "2026-11", "2026-11-03T00:00:00Z", [retag, first_ai_cost]))
    load(root / "load5", lake)
    log, differing = allocation_build(root, lake.root, incremental, root / "full5.duckdb", builds.month_columns)
    logs.append(log)
    differences.append(differing)
    with duckdb.connect(str(incremental), read_only=True) as connection:
        retagged = connection.execute(
            "select billing_month, list(distinct cost_center order by cost_center) from fct_cost_allocation_daily "
            "where resource_id = ? group by billing_month",
            [resource_id],
        ).fetchall()
        late_account_months = dict(
            connection.execute(
                "select billing_month, count(*) from int_allocation_cost_rows where resource_id = ? group by 1",
                [LATE_AI_ACCOUNT],
            ).fetchall()
        )
    return LateInputs(logs, differences, telemetry_pools, dict(retagged), late_account_months)


def test_late_telemetry_rebuilds_the_allocation_of_its_month_only(late_inputs: LateInputs) -> None:
    assert late_inputs.telemetry_pools["2026-09"] > 0
    assert late_inputs.telemetry_pools["2026-08"] == late_inputs.telemetry_pools["2026-10"] == 0
    for model in ALLOCATION_MODELS:
        assert f'"{model}": rebuild 2026-09; remove none' in late_inputs.logs[0], model
    for model in ("focus_costs", "int_allocation_cost_rows", "int_allocation_resource_days_aggregated"):
        assert f'"{model}": rebuild none; remove none' in late_inputs.logs[0], model
    # September's cost centers changed: the detector scores September and every month after it again, and carries
    # on from the stored state of the days before (its series start in 2025-03, far beyond its 2W lookback)
    assert '"int_anomaly_series_scored": rebuild 2026-09, 2026-10; remove none' in late_inputs.logs[0]
    assert '"int_anomaly_root_causes": rebuild 2026-09, 2026-10; remove none' in late_inputs.logs[0]
    # telemetry splits costs, it does not change them
    assert '"int_ai_costs_daily_unioned": rebuild none; remove none' in late_inputs.logs[0]
    assert not late_inputs.differences[0]


def test_a_newer_month_retagging_a_resource_rebuilds_the_older_months_it_allocates(late_inputs: LateInputs) -> None:
    assert {month: late_inputs.retagged_cost_centers[month] for month in ("2026-08", "2026-10", "2026-11")} == {
        "2026-08": ["CC-RETAGGED"],
        "2026-10": ["CC-RETAGGED"],
        "2026-11": ["CC-RETAGGED"],
    }
    for model in ALLOCATION_MODELS:
        months = "2025-03, 2026-08, 2026-09, 2026-10, 2026-11"  # 2025-03: the late AI account's credit
        assert f'"{model}": rebuild {months}; remove none' in late_inputs.logs[1], model
    assert '"focus_costs": rebuild 2026-11; remove none' in late_inputs.logs[1]
    assert '"int_ai_costs_daily_unioned": rebuild 2026-11; remove none' in late_inputs.logs[1]
    assert not late_inputs.differences[1]


def test_an_accounts_first_ai_cost_allocates_its_credit_of_an_older_month(late_inputs: LateInputs) -> None:
    assert late_inputs.late_account_months == {"2025-03": 1, "2026-11": 1}
    # the credit's month is rebuilt although its cost data did not change
    for model in ("int_allocation_cost_rows", "int_allocation_resource_days_aggregated"):
        assert f'"{model}": rebuild 2025-03, 2026-11; remove none' in late_inputs.logs[1], model
    assert not late_inputs.differences[1]


def test_the_parquet_export_equals_the_marts(builds: Builds, tmp_path: Path) -> None:
    full = builds.full
    out = tmp_path / "marts"
    exports = {export.name: export for export in export_marts(full, out)}
    assert {"focus_costs", "focus_costs_allocated", "fct_ai_token_costs_daily", "fct_cost_allocation_daily"} <= set(
        exports
    )
    assert exports["focus_costs"].partitioned_by == "x_BillingMonth"
    assert (out / "_manifest.json").exists() and (out / "README.md").exists()
    assert not list(out.glob(".tmp-*")) and not list(out.glob(".old-*"))
    with duckdb.connect() as connection:
        connection.execute(f"attach '{full}' as warehouse (read_only)")
        for name, cost in (
            ("focus_costs", "EffectiveCost"),
            ("focus_costs_allocated", "EffectiveCost"),
            ("fct_ai_token_costs_daily", "effective_cost"),
            ("fct_cost_allocation_daily", "allocated_effective_cost"),
        ):
            files = f"read_parquet('{out / name}/**/*.parquet', hive_partitioning = true)"
            warehouse_rows, warehouse_cost = connection.execute(
                f"select count(*), sum({cost}) from warehouse.main.{name}"
            ).fetchone()
            parquet_rows, parquet_cost = connection.execute(f"select count(*), sum({cost}) from {files}").fetchone()
            assert parquet_rows == warehouse_rows == exports[name].rows
            assert parquet_cost == pytest.approx(warehouse_cost, abs=0.005)
            assert exports[name].totals[cost] == pytest.approx(warehouse_cost, abs=0.005)
            columns = ", ".join(column["name"] for column in exports[name].columns)
            ((differences,),) = connection.execute(
                f"select count(*) from (select {columns} from warehouse.main.{name} "
                f"except all select {columns} from {files})"
            ).fetchall()
            assert differences == 0

    # a second export replaces the first, atomically, and leaves nothing behind
    export_marts(full, out)
    assert not list(out.glob(".tmp-*")) and not list(out.glob(".old-*"))


def test_an_export_that_fails_midway_leaves_the_previous_one_whole(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "marts"
    export_marts(builds.full, out)
    before = {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}
    write_mart = export_marts_module._write_mart

    def disk_full_at_the_third_mart(connection, schema, name, folder):
        if name == sorted(exports_of(before))[2]:
            raise OSError(28, "No space left on device")
        return write_mart(connection, schema, name, folder)

    monkeypatch.setattr(export_marts_module, "_write_mart", disk_full_at_the_third_mart)
    with pytest.raises(OSError, match="No space left"):
        export_marts(builds.full, out)

    after = {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}
    assert after == before  # every mart and the manifest as the previous export wrote them, no leftovers


def exports_of(files: dict[Path, bytes]) -> set[str]:
    """The marts of an export folder, by the manifest it wrote."""
    (manifest,) = [content for path, content in files.items() if path.name == "_manifest.json"]
    return {mart["name"] for mart in json.loads(manifest)["marts"]}
