"""Token telemetry ingestion: Azure Monitor metrics JSON and APIM customMetrics CSV into the lake, month by month."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.manifest import scope_key
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource
from aoai_finops.telemetry import account_resource_id
from telemetry_files import ACCOUNT_ID, SERVICE, SUBSCRIPTION, ApimPull, MonitorPull, Series, apim_row, daily

MONITOR_SEPTEMBER = Partition("telemetry_azure_monitor", "2026-09", scope_key(ACCOUNT_ID.lower()))
APIM_SEPTEMBER = Partition("telemetry_apim", "2026-09", SERVICE)


def load(source: Path, lake: Lake) -> LoadReport:
    return Loader(LocalFolderSource(source), lake).run()


def rows(lake: Lake, partition: Partition, columns: str = "*") -> list[tuple]:
    return duckdb.sql(f"select {columns} from read_parquet('{lake.partition_file(partition)}') order by all").fetchall()


def statuses(report: LoadReport) -> dict[str, Status | None]:
    return {Path(result.manifest_path).name: result.status for result in report.results}


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return tmp_path / "source"


# ------------------------------------------------------------------------------------------------ the generator


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Lake, LoadReport]:
    root = tmp_path_factory.mktemp("telemetry")
    generate_sample(root / "exports", SampleOptions(months=2, runs_per_month=2))
    lake = Lake(root / "lake")
    return root / "exports", lake, load(root / "exports", lake)


def newest_files(exports: Path, pattern: str) -> dict[tuple[str, str], Path]:
    """The newest pull per (scope folder, month), by the time in the file name."""
    newest: dict[tuple[str, str], Path] = {}
    for path in exports.rglob(pattern):
        key = (str(path.parent.parent), path.parent.name)
        if key not in newest or path.name > newest[key].name:
            newest[key] = path
    return newest


def test_generated_azure_monitor_pulls_load_exactly_the_newest_file_of_each_account_and_month(sample) -> None:
    exports, lake, report = sample
    assert not report.failed, [r.message for r in report.results if r.status is Status.REJECTED]
    expected: dict[tuple[str, str], tuple[int, float]] = {}
    for (_, month), path in newest_files(exports / "telemetry" / "azure-monitor", "metrics_*.json").items():
        document = json.loads(path.read_text())
        points = [p for metric in document["value"] for s in metric["timeseries"] for p in s["data"]]
        subscription, group, account = path.parts[-5:-2]
        scope = account_resource_id(subscription, group, account)
        expected[(month, scope)] = (len(points), sum(p.get("total", 0.0) for p in points))

    actual = duckdb.sql(
        f"select lake_billing_month, resource_id, count(*), sum(total), count(distinct lake_run_id) "
        f"from read_parquet('{lake.root}/telemetry_azure_monitor/*/*/*.parquet') group by all"
    ).fetchall()

    assert {(month, scope): (count, total) for month, scope, count, total, _ in actual} == expected
    assert {runs for *_, runs in actual} == {1}


def test_generated_apim_pulls_load_with_their_dimensions(sample) -> None:
    exports, lake, _ = sample
    expected: dict[str, list] = defaultdict(lambda: [0, 0.0])
    teams = set()
    for (_, month), path in newest_files(exports / "telemetry" / "apim", "customMetrics_*.csv").items():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                expected[month][0] += 1
                expected[month][1] += float(row["valueSum"])
                teams.add(json.loads(row["customDimensions"])["Team"])

    actual = duckdb.sql(
        f"select lake_billing_month, count(*), sum(value_sum), list(distinct team), "
        "count(*) filter (where apim_subscription_id is null or deployment_name is null or backend_id is null) "
        f"from read_parquet('{lake.root}/telemetry_apim/*/*/*.parquet') group by all"
    ).fetchall()

    assert {month: [count, total] for month, count, total, _, _ in actual} == expected
    assert set().union(*(set(found) for *_, found, _ in actual)) == teams
    assert all(missing == 0 for *_, missing in actual)


def test_the_ingestion_log_has_an_entry_per_pull_with_its_token_total(sample) -> None:
    _, lake, _ = sample
    current = IngestionLog(lake).current()
    telemetry = {p: e for p, e in current.items() if p.table.startswith("telemetry_")}
    assert telemetry
    for partition, entry in telemetry.items():
        (count, total) = duckdb.sql(
            f"select count(*), sum({'total' if 'monitor' in partition.table else 'value_sum'}) "
            f"from read_parquet('{lake.partition_file(partition)}')"
        ).fetchone()
        assert (entry.rows, entry.value_total, entry.files) == (count, total, 1)
        assert entry.export_type in ("AzureMonitorMetrics", "ApimTokenMetrics")


def test_loading_the_same_telemetry_again_changes_nothing(sample) -> None:
    exports, lake, _ = sample
    entries = len(IngestionLog(lake).entries())

    report = load(exports, lake)

    assert {result.status for result in report.results} == {None}
    assert len(IngestionLog(lake).entries()) == entries


# ------------------------------------------------------------------------------------------------ Azure Monitor


def test_dimension_names_are_matched_in_any_case_and_missing_values_stay_null(source: Path, lake: Lake) -> None:
    lower = ("modeldeploymentname", "modelname", "modelversion")
    MonitorPull(
        "2026-09",
        "20260910T060000Z",
        {
            "ProcessedPromptTokens": [
                Series("chat", daily("2026-09", [100.0, None, 0.0])),
                Series("batch", daily("2026-09", [5.0]), dimension_names=lower),
            ]
        },
    ).write(source, indent=2)

    load(source, lake)

    found = rows(lake, MONITOR_SEPTEMBER, "deployment_name, model_name, cast(metric_timestamp as varchar), total")
    assert found == [
        ("batch", "gpt-4.1", "2026-09-01 00:00:00", 5.0),
        ("chat", "gpt-4.1", "2026-09-01 00:00:00", 100.0),
        ("chat", "gpt-4.1", "2026-09-02 00:00:00", None),
        ("chat", "gpt-4.1", "2026-09-03 00:00:00", 0.0),
    ]
    ((dimensions,),) = duckdb.sql(
        f"select distinct dimensions_json from read_parquet('{lake.partition_file(MONITOR_SEPTEMBER)}') "
        "where deployment_name = 'batch'"
    ).fetchall()
    assert json.loads(dimensions) == {
        "modeldeploymentname": "batch",
        "modelname": "gpt-4.1",
        "modelversion": "2025-04-14",
    }
    (resource,) = rows(lake, MONITOR_SEPTEMBER, "distinct resource_id, resource_name, region, time_grain")
    assert resource == (ACCOUNT_ID.lower(), "aoai-test", "eastus2", "P1D")


def test_the_newest_pull_replaces_the_month_and_a_late_older_pull_is_ignored(source: Path, lake: Lake) -> None:
    MonitorPull("2026-09", "20260908T060000Z", {"GeneratedTokens": [Series("chat", daily("2026-09", [1.0]))]}).write(
        source
    )
    load(source, lake)
    MonitorPull(
        "2026-09", "20260915T060000Z", {"GeneratedTokens": [Series("chat", daily("2026-09", [1.0, 2.0]))]}
    ).write(source)
    report = load(source, lake)
    assert [r.status for r in report.results if r.status] == [Status.REPLACED]
    assert rows(lake, MONITOR_SEPTEMBER, "sum(total)") == [(3.0,)]

    MonitorPull("2026-09", "20260912T060000Z", {"GeneratedTokens": [Series("chat", daily("2026-09", [9.0]))]}).write(
        source
    )
    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.SKIPPED_OLDER]
    assert rows(lake, MONITOR_SEPTEMBER, "sum(total)") == [(3.0,)]


def test_points_outside_the_folder_month_reject_the_pull_and_keep_the_month(source: Path, lake: Lake) -> None:
    MonitorPull("2026-09", "20260908T060000Z", {"GeneratedTokens": [Series("chat", daily("2026-09", [1.0]))]}).write(
        source
    )
    load(source, lake)
    points = [*daily("2026-09", [1.0]), ("2026-10-01T00:00:00Z", 7.0)]
    MonitorPull("2026-09", "20260915T060000Z", {"GeneratedTokens": [Series("chat", points)]}).write(source)

    report = load(source, lake)

    (rejected,) = [r for r in report.results if r.status is Status.REJECTED]
    assert "metrics_20260915T060000Z.json" in rejected.message
    assert "outside the month 2026-09" in rejected.message and "2026-10-01" in rejected.message
    assert rows(lake, MONITOR_SEPTEMBER, "sum(total)") == [(1.0,)]


def test_metrics_of_another_account_than_the_folder_names_are_rejected(source: Path, lake: Lake) -> None:
    other = ACCOUNT_ID.replace("aoai-test", "aoai-other")
    MonitorPull(
        "2026-09", "20260908T060000Z", {"GeneratedTokens": [Series("chat", daily("2026-09", [1.0]))]}, resource_id=other
    ).write(source)

    report = load(source, lake)

    (rejected,) = report.results
    assert rejected.status is Status.REJECTED
    assert "aoai-other" in rejected.message and "move the file to its account's folder" in rejected.message


@pytest.mark.parametrize(
    ("group", "accounts"),
    [
        pytest.param("rg(ai)", ["aoai", "aoai"], id="characters a folder name cannot have"),
        pytest.param(("rg-contoso-shared-ai-platform-" * 3)[:80], ["aoai-chat", "aoai-embeddings"], id="long names"),
    ],
)
def test_accounts_whose_names_fold_alike_load_into_partitions_of_their_own(
    source: Path, lake: Lake, group: str, accounts: list[str]
) -> None:
    """`rg(ai)` and `rg_ai_` once shared a folder, as did two accounts in a resource group of 80 characters (cut to
    150): one account's pull was logged skipped_older and its tokens lost."""
    groups = [group, "rg_ai_" if group == "rg(ai)" else group]
    for index, (group_name, account) in enumerate(zip(groups, accounts, strict=True)):
        resource_group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{group_name}"
        resource_id = f"{resource_group}/providers/Microsoft.CognitiveServices/accounts/{account}"
        MonitorPull(
            "2026-09",
            f"2026091{index}T060000Z",
            {"GeneratedTokens": [Series("chat", daily("2026-09", [10.0**index]))]},
            account=account,
            resource_id=resource_id,
            group=group_name,
        ).write(source)

    report = load(source, lake)

    assert [r.status for r in report.results] == [Status.LOADED, Status.LOADED]
    partitions = list(IngestionLog(lake).current())
    assert len({partition.scope_key for partition in partitions}) == 2
    assert all(len(partition.scope_key) <= 150 for partition in partitions)
    totals = sorted(rows(lake, partition, "sum(total)")[0][0] for partition in partitions)
    assert totals == [1.0, 10.0]


def test_one_malformed_file_among_many_is_rejected_alone(source: Path, lake: Lake) -> None:
    accounts = [f"aoai-{index:02d}" for index in range(9)]
    for account in accounts:
        resource_id = ACCOUNT_ID.replace("aoai-test", account)
        series = {"GeneratedTokens": [Series("chat", daily("2026-09", [1.0, 2.0]))]}
        MonitorPull("2026-09", "20260908T060000Z", series, account=account, resource_id=resource_id).write(source)
    broken = MonitorPull("2026-09", "20260908T060000Z", account="aoai-05")
    (source / broken.path).write_text('{"interval": "P1D", "value": [ {"id": ', encoding="utf-8")

    report = load(source, lake)

    rejected = [r for r in report.results if r.status is Status.REJECTED]
    assert [Path(r.manifest_path).parent.parent.name for r in rejected] == ["aoai-05"]
    assert "Malformed JSON" in rejected[0].message and broken.path in rejected[0].message
    assert report.count(Status.LOADED) == 8


def test_files_in_a_telemetry_folder_with_unknown_names_are_reported(source: Path, lake: Lake) -> None:
    stray = source / "telemetry" / "azure-monitor" / "notes.json"
    stray.parent.mkdir(parents=True)
    stray.write_text("{}")

    report = load(source, lake)

    assert report.results == []
    assert any("notes.json" in warning and "ignored" in warning for warning in report.warnings)


# ------------------------------------------------------------------------------------------------ APIM


def test_apim_custom_dimensions_are_parsed_and_optional_ones_may_be_missing(source: Path, lake: Lake) -> None:
    ApimPull(
        "2026-09",
        "20260908T060000Z",
        [
            apim_row("2026-09-01T11:49:00.000Z", "Prompt Tokens", 120, 3),
            apim_row("2026-09-01T11:49:00.000Z", "Completion Tokens", 30, 3, Team="", Application=""),
            apim_row("2026-09-02T01:00:00.000Z", "Cached Prompt Tokens", 64, 1, Team="", team="ml"),
        ],
    ).write(source)

    load(source, lake)

    assert rows(
        lake, APIM_SEPTEMBER, "metric_name, value_sum, value_count, team, application, apim_subscription_id"
    ) == [
        ("Cached Prompt Tokens", 64.0, 1, "ml", "chatbot", "sub-1"),
        ("Completion Tokens", 30.0, 3, None, None, "sub-1"),
        ("Prompt Tokens", 120.0, 3, "search", "chatbot", "sub-1"),
    ]
    services = rows(lake, APIM_SEPTEMBER, "distinct apim_service, deployment_name, backend_id, apim_api_id")
    assert services == [(SERVICE, "gpt-41", "aoai-test", "azure-openai")]


def test_apim_extra_columns_are_kept_and_reported(source: Path, lake: Lake) -> None:
    row = apim_row("2026-09-01T11:49:00.000Z", "Prompt Tokens", 120) | {"cloud_RoleName": "gateway-eus2"}
    ApimPull("2026-09", "20260908T060000Z", [row]).write(source)

    report = load(source, lake)

    assert rows(lake, APIM_SEPTEMBER, "lake_extra_columns") == [('{"cloud_RoleName":"gateway-eus2"}',)]
    assert any("cloud_RoleName" in warning for warning in report.warnings)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda row: row.pop("customDimensions"), "required customMetrics column(s) missing: customDimensions"),
        (lambda row: row.update(customDimensions="not json"), "customDimensions is not a JSON object: not json"),
        (lambda row: row.update(valueSum="lots"), "lots"),
        (lambda row: row.update(timestamp=""), "1 data point(s) outside the month 2026-09 of its folder or without a"),
    ],
    ids=["missing-column", "bad-dimensions", "bad-number", "no-timestamp"],
)
def test_a_broken_apim_file_is_rejected_naming_it_and_the_month_is_kept(source: Path, lake: Lake, change, expected):
    ApimPull("2026-09", "20260908T060000Z", [apim_row("2026-09-01T11:49:00.000Z", "Prompt Tokens", 1)]).write(source)
    load(source, lake)
    row = apim_row("2026-09-02T11:49:00.000Z", "Prompt Tokens", 5)
    change(row)
    broken = ApimPull("2026-09", "20260915T060000Z", [row])
    broken.write(source)

    report = load(source, lake)

    (rejected,) = [r for r in report.results if r.status is Status.REJECTED]
    assert broken.path in rejected.message and expected in rejected.message
    assert rows(lake, APIM_SEPTEMBER, "sum(value_sum)") == [(1.0,)]


def test_an_empty_apim_pull_keeps_the_previous_data(source: Path, lake: Lake) -> None:
    ApimPull("2026-09", "20260908T060000Z", [apim_row("2026-09-01T11:49:00.000Z", "Prompt Tokens", 1)]).write(source)
    load(source, lake)
    ApimPull("2026-09", "20260915T060000Z", []).write(source)

    report = load(source, lake)

    assert statuses(report)["customMetrics_20260915T060000Z.csv"] is Status.EMPTY_KEPT_PREVIOUS
    assert rows(lake, APIM_SEPTEMBER, "sum(value_sum)") == [(1.0,)]
