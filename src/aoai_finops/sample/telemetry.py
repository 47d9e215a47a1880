"""Token telemetry derived from the same usage as the bill, pulled on the same schedule as the export runs.

- Azure Monitor metrics, as the Metrics REST API (and `az monitor metrics list -o json`) returns them: one file
  per account and pull, `telemetry/azure-monitor/<subscriptionId>/<resourceGroup>/<account>/<YYYY-MM>/
  metrics_<YYYYMMDDTHHMMSSZ>.json`, daily totals per deployment (PTU deployments included). Days a deployment
  has no data carry a `timeStamp` without `total`, as the API returns missing data.
- API Management token metrics exported from Application Insights `customMetrics`: one CSV per APIM service
  and pull, `telemetry/apim/<service>/<YYYY-MM>/customMetrics_<YYYYMMDDTHHMMSSZ>.csv`, two rows per
  application, deployment, metric and day (pre-aggregated half-day windows), only for applications routed through APIM.

Each pull is a month-to-date snapshot like the cost runs: the newest file per account (or service) and month wins.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from aoai_finops.sample.calendar import Run
from aoai_finops.sample.cursors import ThreadCursors
from aoai_finops.sample.tables import TableLoader

AZURE_MONITOR_FOLDER = "telemetry/azure-monitor"
APIM_FOLDER = "telemetry/apim"
# Accounts per Azure Monitor query: bounds the memory of the nested JSON documents built at once.
_ACCOUNTS_PER_QUERY = 200

# name, localized name, description, expression over the daily deployment totals
_METRICS = (
    (
        "ProcessedPromptTokens",
        "Processed Prompt Tokens",
        "Number of prompt tokens processed on an OpenAI model.",
        "prompt",
    ),
    ("GeneratedTokens", "Generated Completion Tokens", "Number of tokens generated from an OpenAI model.", "generated"),
    (
        "TokenTransaction",
        "Processed Inference Tokens",
        "Number of inference tokens processed on an OpenAI model.",
        "prompt + generated",
    ),
    ("AzureOpenAIRequests", "Azure OpenAI Requests", "Number of calls made to the Azure OpenAI API.", "requests"),
)
# Cumulative share of a day's traffic at the end of each pre-aggregated window (first and second half of the day).
# Two windows keep files moderate at large scales and still make a loader sum rows per day.
_WINDOW_ENDS = (0.0, 0.4, 1.0)
_WINDOW_MINUTES = 720


@dataclass(frozen=True)
class TelemetryFiles:
    paths: tuple[str, ...]
    bytes: int


def _bind_apim_variables(cursor: duckdb.DuckDBPyConnection) -> None:
    cursor.execute("SET VARIABLE apim_day_dates = (SELECT list(day_date::TIMESTAMP ORDER BY day_idx) FROM days)")
    cursor.execute("SET VARIABLE apim_dimensions = (SELECT list(custom_dimensions ORDER BY series_key) FROM series)")


def load_pulls(loader: TableLoader, runs: list[Run], day_of: Callable[[date], int]) -> None:
    loader.load(
        "pulls",
        (
            ("pull_idx", "INTEGER"),
            ("month_idx", "INTEGER"),
            ("through_idx", "INTEGER"),
            ("month_key", "VARCHAR"),
            ("stamp", "VARCHAR"),
            ("timespan", "VARCHAR"),
        ),
        (
            (
                index,
                run.month.index,
                day_of(run.data_through),
                run.month.key,
                run.stamp,
                f"{run.month.start:%Y-%m-%d}T00:00:00Z/{run.data_through + timedelta(days=1):%Y-%m-%d}T00:00:00Z",
            )
            for index, run in enumerate(runs)
        ),
    )


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_monitor_days(con: duckdb.DuckDBPyConnection) -> None:
    """`monitor_days`: every deployment and day, with its token and request totals (0 without traffic)."""
    con.execute(
        """
        CREATE OR REPLACE TABLE monitor_days AS
        WITH daily AS (
            SELECT deployment_key, day_idx, sum(input_tokens) AS prompt, sum(output_tokens) AS generated,
                sum(requests) AS requests
            FROM usage
            GROUP BY ALL
        )
        SELECT dep.account_key, dep.deployment_key, dep.deployment_name, dep.model_id, dep.model_version,
            d.month_idx, d.day_idx, d.ts_start, g.day_idx IS NOT NULL AS is_gap,
            coalesce(x.prompt, 0) AS prompt, coalesce(x.generated, 0) AS generated,
            coalesce(x.requests, 0) AS requests
        FROM deployments AS dep
        CROSS JOIN days AS d
        LEFT JOIN daily AS x ON x.deployment_key = dep.deployment_key AND x.day_idx = d.day_idx
        LEFT JOIN telemetry_gaps AS g ON g.deployment_key = dep.deployment_key AND g.day_idx = d.day_idx
        ORDER BY dep.account_key, dep.deployment_key, d.day_idx
        """
    )


def _azure_monitor_query(pull_idx: int, first_account: int, end_account: int) -> str:
    metric_rows = ", ".join(
        f"({index}, {_sql_text(name)}, {_sql_text(localized)}, {_sql_text(description)})"
        for index, (name, localized, description, _) in enumerate(_METRICS)
    )
    value = "CASE mt.metric_idx " + " ".join(
        f"WHEN {index} THEN {expression}" for index, (*_, expression) in enumerate(_METRICS)
    )
    dimension = "{{'name': {{'value': '{0}', 'localizedValue': '{0}'}}, 'value': {1}}}"
    return f"""
        WITH metric_defs(metric_idx, metric_name, localized, description) AS (VALUES {metric_rows}),
        pull AS (SELECT * FROM pulls WHERE pull_idx = {int(pull_idx)}),
        points AS (
            SELECT md.account_key, mt.metric_idx, md.deployment_key, md.deployment_name, md.model_id,
                md.model_version, md.day_idx,
                {{'timeStamp': md.ts_start, 'total': CASE WHEN md.is_gap THEN NULL ELSE ({value} END)::DOUBLE END}}
                    AS point
            FROM monitor_days AS md
            JOIN pull AS p ON md.month_idx = p.month_idx AND md.day_idx <= p.through_idx
            CROSS JOIN metric_defs AS mt
            WHERE md.account_key >= {int(first_account)} AND md.account_key < {int(end_account)}
        ),
        series AS (
            SELECT account_key, metric_idx, deployment_key,
                {{
                    'metadatavalues': [
                        {dimension.format("ModelDeploymentName", "deployment_name")},
                        {dimension.format("ModelName", "model_id")},
                        {dimension.format("ModelVersion", "model_version")}
                    ],
                    'data': list(point ORDER BY day_idx)
                }} AS timeseries
            FROM points
            GROUP BY account_key, metric_idx, deployment_key, deployment_name, model_id, model_version
        ),
        metrics AS (
            SELECT s.account_key, s.metric_idx,
                {{
                    'id': r.rid_0 || '/providers/Microsoft.Insights/metrics/' || mt.metric_name,
                    'type': 'Microsoft.Insights/metrics',
                    'name': {{'value': mt.metric_name, 'localizedValue': mt.localized}},
                    'displayDescription': mt.description,
                    'unit': 'Count',
                    'timeseries': list(s.timeseries ORDER BY s.deployment_key),
                    'errorCode': 'Success'
                }} AS metric
            FROM series AS s
            JOIN metric_defs AS mt ON mt.metric_idx = s.metric_idx
            JOIN resources AS r ON r.resource_key = s.account_key
            GROUP BY s.account_key, s.metric_idx, r.rid_0, mt.metric_name, mt.localized, mt.description
        )
        SELECT
            '{AZURE_MONITOR_FOLDER}/' || replace(rp.sub_id, '/subscriptions/', '') || '/' || r.group_0 || '/'
                || r.name_0 || '/' || p.month_key || '/metrics_' || p.stamp || '.json' AS path,
            to_json({{
                'cost': 0,
                'timespan': p.timespan,
                'interval': 'P1D',
                'value': list(m.metric ORDER BY m.metric_idx),
                'namespace': 'Microsoft.CognitiveServices/accounts',
                'resourceregion': rp.region_id
            }}) AS document
        FROM metrics AS m
        CROSS JOIN pull AS p
        JOIN resources AS r ON r.resource_key = m.account_key
        JOIN resource_profiles AS rp ON rp.profile_idx = r.profile_idx
        GROUP BY m.account_key, rp.sub_id, r.group_0, r.name_0, rp.region_id, p.month_key, p.stamp, p.timespan
        ORDER BY m.account_key
    """


def write_azure_monitor(con: duckdb.DuckDBPyConnection, out: Path, *, workers: int) -> TelemetryFiles:
    """One JSON file per account and pull (needs `create_monitor_days`), built in account batches concurrently."""
    accounts = [key for (key,) in con.execute("SELECT DISTINCT account_key FROM deployments ORDER BY 1").fetchall()]
    pulls = [pull for (pull,) in con.execute("SELECT pull_idx FROM pulls ORDER BY pull_idx").fetchall()]
    batches = [
        (pull, accounts[start], accounts[min(start + _ACCOUNTS_PER_QUERY, len(accounts)) - 1] + 1)
        for pull in pulls
        for start in range(0, len(accounts), _ACCOUNTS_PER_QUERY)
    ]
    cursors = ThreadCursors(con)

    def write(batch: tuple[int, int, int]) -> list[tuple[str, int]]:
        written = []
        for path, document in cursors.get().execute(_azure_monitor_query(*batch)).fetchall():
            # The REST API leaves `total` out of a data point that has no data; DuckDB writes null.
            data = document.replace(',"total":null', "").encode("utf-8")
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append((path, len(data)))
        return written

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = [entry for batch in pool.map(write, batches) for entry in batch]
    finally:
        cursors.close()
    return TelemetryFiles(tuple(path for path, _ in results), sum(size for _, size in results))


def create_apim_rows(con: duckdb.DuckDBPyConnection) -> None:
    """`apim_rows`: the customMetrics rows of every APIM-routed application, stored in file order.

    A day's tokens are split over the windows by cumulative share (floor of running totals), so the windows of
    a day add up exactly to the day's usage.
    """
    windows = ", ".join(
        f"({index}, {start}, {end})" for index, (start, end) in enumerate(itertools.pairwise(_WINDOW_ENDS))
    )

    def split(column: str) -> str:
        return f"(floor({column} * w.share_end) - floor({column} * w.share_start))::BIGINT"

    con.execute(
        f"""
        CREATE OR REPLACE TABLE apim_rows AS
        WITH windows(window_idx, share_start, share_end) AS (VALUES {windows}),
        split AS (
            SELECT s.apim_idx, d.month_idx, u.day_idx, u.series_key, w.window_idx,
                (
                    w.window_idx * {_WINDOW_MINUTES}
                    + floor({_WINDOW_MINUTES} * rnd(u.series_key, d.epoch_day, 10 + w.window_idx))
                )::INTEGER
                    AS minute_of_day,
                {split("u.input_tokens")} AS prompt,
                {split("u.output_tokens")} AS completion,
                {split("u.requests")} AS requests
            FROM usage AS u
            JOIN series AS s ON s.series_key = u.series_key
            JOIN days AS d ON d.day_idx = u.day_idx
            CROSS JOIN windows AS w
            WHERE s.apim_idx IS NOT NULL
        )
        SELECT apim_idx, month_idx, day_idx, series_key, window_idx, n.name_idx, minute_of_day,
            CASE n.name_idx WHEN 0 THEN prompt WHEN 1 THEN completion ELSE prompt + completion END AS value_sum,
            greatest(1, requests) AS value_count
        FROM split
        CROSS JOIN (VALUES (0), (1), (2)) AS n(name_idx)
        WHERE CASE n.name_idx WHEN 0 THEN prompt WHEN 1 THEN completion ELSE prompt + completion END > 0
        ORDER BY apim_idx, month_idx, day_idx, series_key, window_idx, n.name_idx
        """
    )


def _apim_file_query(apim_idx: int, month_idx: int, through_idx: int) -> str:
    # Single-table scan of `apim_rows` (stored in file order): insertion order is kept without a sort.
    return f"""
        SELECT
            strftime(getvariable('apim_day_dates')[day_idx + 1] + to_minutes(minute_of_day),
                '%Y-%m-%dT%H:%M:%S.000Z') AS "timestamp",
            ['Prompt Tokens', 'Completion Tokens', 'Total Tokens'][name_idx + 1] AS "name",
            value_sum AS "value",
            value_sum AS "valueSum",
            value_count AS "valueCount",
            getvariable('apim_dimensions')[series_key + 1] AS "customDimensions"
        FROM apim_rows
        WHERE apim_idx = {int(apim_idx)} AND month_idx = {int(month_idx)} AND day_idx <= {int(through_idx)}
    """


def write_apim(con: duckdb.DuckDBPyConnection, out: Path, *, workers: int) -> TelemetryFiles:
    """One CSV per APIM service and pull (needs `create_apim_rows`), written concurrently."""
    services = con.execute("SELECT apim_idx, apim_service FROM apim_services ORDER BY apim_idx").fetchall()
    pulls = con.execute("SELECT month_idx, through_idx, month_key, stamp FROM pulls ORDER BY pull_idx").fetchall()
    files = [
        (apim_idx, month_idx, through_idx, f"{APIM_FOLDER}/{service}/{month_key}/customMetrics_{stamp}.csv")
        for apim_idx, service in services
        for month_idx, through_idx, month_key, stamp in pulls
    ]
    cursors = ThreadCursors(con, setup=_bind_apim_variables)

    def write(file: tuple[int, int, int, str]) -> int:
        apim_idx, month_idx, through_idx, path = file
        cursor = cursors.get()
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        query = _apim_file_query(apim_idx, month_idx, through_idx)
        cursor.execute(f"COPY ({query}) TO '{target.as_posix()}' (FORMAT csv, HEADER true)")
        return target.stat().st_size

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            sizes = list(pool.map(write, files))
    finally:
        cursors.close()
    return TelemetryFiles(tuple(path for *_, path in files), sum(sizes))
