"""Convert telemetry pulls (Azure Monitor metrics JSON, APIM customMetrics CSV) into lake Parquet, many at a time.

A source can hold thousands of small telemetry files, so they are converted in batches: one DuckDB statement
reads a batch of files and writes one Parquet file per pull (`PARTITION_BY`), each becoming the data of its lake
partition. A batch that fails is split in halves until the file at fault is found: that pull is rejected with
DuckDB's message naming the file, and the others load.
"""

from __future__ import annotations

import shutil
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from aoai_finops import duck
from aoai_finops.convert import csv_header, explain_duckdb_error
from aoai_finops.datasets import Dataset
from aoai_finops.errors import AoaiFinopsError, ExportValidationError
from aoai_finops.telemetry import AZURE_MONITOR_TABLE, TelemetryFile

_PART = "lake_pull_index"
# Largest metrics document read (DuckDB reserves buffers of this size per thread): a month of daily points for
# hundreds of deployments is a few MB.
_JSON_MAX_OBJECT_BYTES = 64 * 1024 * 1024

# The Metrics REST API response (and `az monitor metrics list -o json`): only the fields the lake keeps.
_NAME = 'STRUCT("value" VARCHAR, localizedValue VARCHAR)'
_AZURE_MONITOR_COLUMNS = {
    "interval": "VARCHAR",
    "resourceregion": "VARCHAR",
    "value": (
        f'STRUCT(id VARCHAR, "name" {_NAME}, unit VARCHAR, timeseries STRUCT('
        f'metadatavalues STRUCT("name" {_NAME}, "value" VARCHAR)[], '
        '"data" STRUCT(timeStamp VARCHAR, total DOUBLE, average DOUBLE, minimum DOUBLE, maximum DOUBLE, '
        '"count" DOUBLE)[])[])[]'
    ),
}
_INSIGHTS_METRIC_SUFFIX = duck.quote_literal(r"/providers/microsoft\.insights/metrics/[^/]*$")
_ACCOUNT_NAME = duck.quote_literal(r"(?i)/accounts/([^/]+)")

# Application Insights customMetrics columns the lake reads; any other column is kept in lake_extra_columns.
_APIM_KNOWN_COLUMNS = ("timestamp", "name", "value", "valueSum", "valueCount", "customDimensions")
_APIM_REQUIRED_COLUMNS = ("timestamp", "name", "customDimensions")
# customDimensions key -> lake column. The keys are those of APIM's emit-token-metric policies (built-in ones
# first); custom dimensions (Deployment, Team, Application) are also matched in lower case.
_APIM_DIMENSIONS = (
    ("Subscription ID", "apim_subscription_id"),
    ("Product ID", "apim_product_id"),
    ("User ID", "apim_user_id"),
    ("API ID", "apim_api_id"),
    ("Deployment", "deployment_name"),
    ("Backend ID", "backend_id"),
    ("Team", "team"),
    ("Application", "application"),
)


@dataclass(frozen=True)
class TelemetryInput:
    """A pull to convert and where its file is on local disk."""

    pull: TelemetryFile
    local_path: Path


@dataclass(frozen=True)
class StagedPull:
    """A converted pull: its lake file (None when it has no rows), row count and totals (by log column)."""

    pull: TelemetryFile
    path: Path | None
    rows: int
    totals: dict[str, float | None]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedPull:
    pull: TelemetryFile
    message: str


StageResult = StagedPull | RejectedPull


def stage_telemetry(
    inputs: Sequence[TelemetryInput], dataset: Dataset, out_dir: Path, loaded_at: datetime
) -> list[StageResult]:
    """Convert pulls of one telemetry table into one Parquet file each under `out_dir`; one result per input."""
    results: list[StageResult] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    if dataset.table == AZURE_MONITOR_TABLE:
        groups = {(): list(inputs)}
    else:
        groups, rejected = _group_csv_by_header(inputs)
        results.extend(rejected)
    for header, group in groups.items():
        if group:
            converter = _Converter(dataset, header, out_dir, loaded_at)
            results.extend(converter.stage(group))
    return results


def _group_csv_by_header(
    inputs: Sequence[TelemetryInput],
) -> tuple[dict[tuple[str, ...], list[TelemetryInput]], list[RejectedPull]]:
    """APIM files grouped by header (one read_csv per group), and the files whose header is unusable."""
    groups: dict[tuple[str, ...], list[TelemetryInput]] = defaultdict(list)
    rejected = []
    for item in inputs:
        try:
            header = tuple(csv_header(item.local_path, item.pull.path))
            missing = [name for name in _APIM_REQUIRED_COLUMNS if name not in header]
            if not ({"value", "valueSum"} & set(header)):
                missing.append("value or valueSum")
            if missing:
                raise ExportValidationError(
                    f"{item.pull.path}: required customMetrics column(s) missing: {', '.join(missing)}; export "
                    "timestamp, name, value/valueSum, valueCount and customDimensions from Application Insights"
                )
        except ExportValidationError as error:
            rejected.append(RejectedPull(item.pull, str(error)))
            continue
        groups[header].append(item)
    return groups, rejected


class _Converter:
    """Converts a group of pulls read by one DuckDB reader call, isolating the files that fail."""

    def __init__(self, dataset: Dataset, header: tuple[str, ...], out_dir: Path, loaded_at: datetime) -> None:
        self.dataset = dataset
        self.header = header
        self.out_dir = out_dir
        self.loaded_at = loaded_at
        self.unknown = [name for name in header if name not in _APIM_KNOWN_COLUMNS]

    def stage(self, inputs: list[TelemetryInput]) -> list[StageResult]:
        batch_dir = self.out_dir / uuid.uuid4().hex
        try:
            summaries = self._convert(inputs, batch_dir)
        except ExportValidationError as error:
            shutil.rmtree(batch_dir, ignore_errors=True)
            if len(inputs) == 1:
                return [RejectedPull(inputs[0].pull, str(error))]
            middle = len(inputs) // 2
            return self.stage(inputs[:middle]) + self.stage(inputs[middle:])
        return [self._result(index, item, batch_dir, summaries.get(index)) for index, item in enumerate(inputs)]

    def _result(self, index: int, item: TelemetryInput, batch_dir: Path, summary: tuple | None) -> StageResult:
        pull = item.pull
        totals: dict[str, float | None] = {log_column: None for log_column, _ in self.dataset.totals}
        if summary is None:
            return StagedPull(pull, None, 0, totals)
        rows, outside_month, first_outside, wrong_scope, scope_seen, *values = summary
        if outside_month:
            return RejectedPull(
                pull,
                f"{pull.path}: {outside_month} data point(s) outside the month {pull.billing_month} of its folder or "
                f"without a timestamp (first: {first_outside}); pull each month into its own folder",
            )
        if wrong_scope:
            return RejectedPull(
                pull,
                f"{pull.path}: the metrics are of {scope_seen}, not of the account its folder names "
                f"({pull.export_scope}); move the file to its account's folder",
            )
        for (log_column, _), value in zip(self.dataset.totals, values, strict=True):
            totals[log_column] = value
        files = sorted((batch_dir / f"{_PART}={index}").glob("*.parquet"))
        if len(files) != 1:
            raise ExportValidationError(f"{pull.path}: expected one converted file, DuckDB wrote {len(files)}")
        warnings = ()
        if self.unknown:
            warnings = (
                f"{pull.path}: unknown column(s) kept in lake_extra_columns: {', '.join(self.unknown)}; "
                "upgrade aoai-finops if they matter",
            )
        return StagedPull(pull, files[0], rows, totals, warnings)

    def _convert(self, inputs: list[TelemetryInput], batch_dir: Path) -> dict[int, tuple]:
        paths = [str(item.local_path) for item in inputs]
        names = {str(item.local_path): item.pull.path for item in inputs}
        with duck.connect(temp_dir=self.out_dir) as connection:
            connection.execute(
                "create temp table pulls (local_path varchar, pull_index integer, run_id varchar, source_file varchar, "
                "billing_month varchar, export_scope varchar, export_name varchar, data_version varchar, "
                "submitted_time timestamp)"
            )
            duck.insert_rows(
                connection,
                "pulls",
                [
                    (
                        str(item.local_path),
                        index,
                        item.pull.run_id,
                        item.pull.path,
                        item.pull.billing_month,
                        item.pull.export_scope,
                        item.pull.export_name,
                        item.pull.data_version,
                        item.pull.submitted_time,
                    )
                    for index, item in enumerate(inputs)
                ],
            )
            is_monitor = self.dataset.table == AZURE_MONITOR_TABLE
            rows_sql = self._azure_monitor_rows(paths) if is_monitor else self._apim_rows(paths)
            lineage = (
                "p.run_id as lake_run_id, "
                f"cast({duck.quote_literal(self.loaded_at.isoformat())} as timestamp) as lake_loaded_at, "
                "p.export_name as lake_export_name, p.export_scope as lake_export_scope, "
                "p.data_version as lake_data_version, p.submitted_time as lake_submitted_time, "
                "p.billing_month as lake_billing_month, p.source_file as lake_source_file, "
                f"{self._extra_columns()} as lake_extra_columns"
            )
            columns = ", ".join(f"r.{duck.quote_identifier(column.name)}" for column in self.dataset.columns)
            statement = (
                f"copy (select {columns}, {lineage}, p.pull_index as {_PART} "
                f"from ({rows_sql}) as r join pulls as p on p.local_path = r.lake_local_path) "
                f"to {duck.quote_literal(str(batch_dir))} (format parquet, compression zstd, partition_by ({_PART}))"
            )
            try:
                connection.execute(statement)
            except duckdb.OutOfMemoryException as error:
                # Not the files' fault: splitting the batch would only repeat it. Stop the load instead.
                raise AoaiFinopsError(
                    f"out of memory converting {len(inputs)} telemetry file(s) ({error}); raise "
                    "AOAI_FINOPS_MEMORY_LIMIT or free memory, then load again"
                ) from None
            except duckdb.Error as error:
                raise ExportValidationError(explain_duckdb_error(error, names)) from None
            if not any(batch_dir.glob("*/*.parquet")):
                return {}  # no rows in any file of the batch
            scope_check = (
                "count_if(resource_id is distinct from lake_export_scope), min(resource_id)"
                if self.dataset.table == AZURE_MONITOR_TABLE
                else "0, null"
            )
            summary = connection.execute(
                f"select {_PART}, count(*), "
                "count_if(strftime(metric_timestamp, '%Y-%m') is distinct from lake_billing_month), "
                "min(case when strftime(metric_timestamp, '%Y-%m') is distinct from lake_billing_month "
                "then coalesce(cast(metric_timestamp as varchar), 'a point without a timestamp') end), "
                f"{scope_check}{duck.total_sums(self.dataset.totals)} "
                f"from read_parquet({duck.quote_literal(str(batch_dir / '*' / '*.parquet'))}, "
                "hive_partitioning = true) "
                f"group by {_PART}"
            ).fetchall()
        return {row[0]: tuple(row[1:]) for row in summary}

    @staticmethod
    def _azure_monitor_rows(paths: list[str]) -> str:
        columns = duck.string_struct(_AZURE_MONITOR_COLUMNS)
        files = duck.string_list(paths)

        def dimension(name: str) -> str:
            return f"list_filter(dims, lambda d: lower(d.name.value) = {duck.quote_literal(name.lower())})[1].value"

        return f"""
            with documents as (
                select * from read_json({files}, columns = {columns}, format = 'auto', filename = true,
                    maximum_object_size = {_JSON_MAX_OBJECT_BYTES})
            ),
            metrics as (
                select filename, "interval" as time_grain, resourceregion, unnest("value") as metric from documents
            ),
            series as (
                select filename, time_grain, resourceregion, metric, unnest(metric.timeseries) as series from metrics
            ),
            points as (
                select filename, time_grain, resourceregion, metric, series.metadatavalues as dims,
                    unnest(series."data") as point
                from series
            )
            select
                cast(cast(trim(point.timeStamp) as timestamptz) as timestamp) as metric_timestamp,
                time_grain,
                metric.name.value as metric_name,
                metric.unit as metric_unit,
                lower(regexp_replace(metric.id, {_INSIGHTS_METRIC_SUFFIX}, '', 'i')) as resource_id,
                regexp_extract(metric.id, {_ACCOUNT_NAME}, 1) as resource_name,
                resourceregion as region,
                {dimension("ModelDeploymentName")} as deployment_name,
                {dimension("ModelName")} as model_name,
                {dimension("ModelVersion")} as model_version,
                coalesce('{{' || list_aggregate(
                    list_transform(dims, lambda d: to_json(d.name.value) || ':' || to_json(d.value)), 'string_agg', ','
                ) || '}}', '{{}}') as dimensions_json,
                point.total as total,
                point.average as average,
                point.minimum as minimum,
                point.maximum as maximum,
                point."count" as sample_count,
                filename as lake_local_path
            from points
        """

    def _apim_rows(self, paths: list[str]) -> str:
        columns = duck.string_struct(dict.fromkeys(self.header, "VARCHAR"))
        files = duck.string_list(paths)
        present = set(self.header)

        def text(name: str) -> str:
            return f"nullif(trim({duck.quote_identifier(name)}), '')" if name in present else "cast(null as varchar)"

        # One JSON parse per row: every key as spelled, then in lower case, extracted as one list.
        paths = [f"$.{_json_key(key)}" for key, _ in _APIM_DIMENSIONS]
        paths += [f"$.{_json_key(key.lower())}" for key, _ in _APIM_DIMENSIONS]
        count = len(_APIM_DIMENSIONS)
        dimensions = ",\n".join(
            f"coalesce(extracted[{index + 1}], extracted[{index + 1 + count}]) as {column}"
            for index, (_, column) in enumerate(_APIM_DIMENSIONS)
        )
        return f"""
            with raw as (
                select *, filename as lake_local_path
                from read_csv({files}, header = true, auto_detect = false, columns = {columns}, delim = ',',
                    quote = '"', escape = '"', strict_mode = true, filename = true, null_padding = false,
                    encoding = 'utf-8')
            ),
            checked as (
                select
                    *,
                    case
                        when json_valid({text("customDimensions")}) then {text("customDimensions")}
                        else error(
                            'customDimensions is not a JSON object: '
                            || coalesce(left({text("customDimensions")}, 120), 'empty')
                        )
                    end as dimensions
                from raw
            ),
            extracted as (
                select *, json_extract_string(dimensions, {duck.string_list(paths)}) as extracted from checked
            )
            select
                cast(cast({text("timestamp")} as timestamptz) as timestamp) as metric_timestamp,
                {text("name")} as metric_name,
                cast(coalesce({text("valueSum")}, {text("value")}) as double) as value_sum,
                cast({text("valueCount")} as bigint) as value_count,
                pulls.export_scope as apim_service,
                {dimensions},
                dimensions as custom_dimensions_json,
                {", ".join(duck.quote_identifier(name) for name in self.unknown) + "," if self.unknown else ""}
                extracted.lake_local_path
            from extracted
            join pulls on pulls.local_path = extracted.lake_local_path
        """

    def _extra_columns(self) -> str:
        if not self.unknown:
            return "cast(null as varchar)"
        pairs = ", ".join(f"{duck.quote_literal(name)}, r.{duck.quote_identifier(name)}" for name in self.unknown)
        return f"cast(json_object({pairs}) as varchar)"


def _json_key(key: str) -> str:
    return '"' + key.replace('"', '\\"') + '"'
