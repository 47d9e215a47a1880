"""What the CLI prints: the load summary, the lake status and the warehouse summary."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError
from aoai_finops.ingestion_log import Status, utc_now
from aoai_finops.lake import Lake
from aoai_finops.lake_status import lake_status
from aoai_finops.load_report import LoadReport

# Piped into a log file, tables keep their full width instead of rich's 80-column default.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


# Columns of the load summary: each a group of statuses ("skipped" are decisions that load nothing on purpose).
_SUMMARY_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("loaded", (Status.LOADED.value,)),
    ("replaced", (Status.REPLACED.value,)),
    ("recovered", (Status.RECOVERED.value,)),
    (
        "skipped",
        (
            Status.SKIPPED_OLDER.value,
            Status.SKIPPED_DUPLICATE.value,
            Status.SKIPPED_OVERLAP.value,
            Status.EMPTY_KEPT_PREVIOUS.value,
        ),
    ),
    ("retired", (Status.RETIRED_OVERLAP.value,)),
    ("already loaded", ("already loaded",)),
    ("rejected", (Status.REJECTED.value,)),
    ("failed", (Status.FAILED.value,)),
)
_WARNINGS_SHOWN = 20


def print_load_report(report: LoadReport, *, source: str, lake: Path, out: Console | None = None) -> None:
    """The summary table of a load (per table: loaded, replaced, skipped, rejected, rows), problems in full."""
    out = out or console
    by_table: dict[str, Counter[str]] = defaultdict(Counter)
    rows: Counter[str] = Counter()
    for result in report.results:
        by_table[result.table][result.status.value if result.status else "already loaded"] += 1
        rows[result.table] += result.rows if result.status is not None and result.status.is_commit else 0
    totals = sum(by_table.values(), Counter())
    used = [
        (name, statuses)
        for name, statuses in _SUMMARY_COLUMNS
        if name not in ("recovered", "retired", "failed") or any(totals[status] for status in statuses)
    ]
    table = Table(title=escape(f"aoai-finops load: {source} -> {lake}"), title_justify="left")
    table.add_column("table", no_wrap=True)
    for name, _ in used:
        table.add_column(name, justify="right", style="red" if name in ("rejected", "failed") else None)
    table.add_column("rows loaded", justify="right")
    for name in sorted(by_table):
        counts = by_table[name]
        table.add_row(name, *(f"{sum(counts[s] for s in statuses):,}" for _, statuses in used), f"{rows[name]:,}")
    if len(by_table) > 1:
        table.add_section()
        table.add_row(
            "total", *(f"{sum(totals[s] for s in statuses):,}" for _, statuses in used), f"{sum(rows.values()):,}"
        )
    if by_table:
        out.print(table)
    else:
        out.print(escape(f"aoai-finops load: no export runs or telemetry files found in {source}"))
    if report.downloads:
        out.print(f"downloaded {report.downloads:,} file(s), {report.downloaded_bytes / 1024 / 1024:,.1f} MB")
    for result in report.results:
        if result.is_failure:
            label = "rejected: " if result.status is Status.REJECTED else "failed, the next load tries again: "
            out.print(Text.assemble((label, "red"), result.message or result.manifest_path))
    warnings = list(dict.fromkeys(report.warnings))
    for warning in warnings[:_WARNINGS_SHOWN]:
        out.print(Text.assemble(("warning: ", "yellow"), warning))
    if len(warnings) > _WARNINGS_SHOWN:
        out.print(f"... and {len(warnings) - _WARNINGS_SHOWN} more warning(s): --json-log lists them all")
    verdict = "failed: runs not loaded keep the previous data of their month (exit code 1)" if report.failed else "ok"
    out.print(f"load {verdict}")


def print_status(lake: Lake, *, as_json: bool = False, out: Console | None = None) -> None:
    """The months in the lake per table, their runs, rows and freshness; then what needs attention."""
    out = out or console
    status = lake_status(lake)
    now = utc_now()
    if as_json:
        print(json.dumps(_status_json(status, now), indent=2, default=lambda value: value.isoformat()), file=out.file)
        return
    if not status.months:
        out.print(escape(f"{lake.root}: no data loaded yet"))
    else:
        table = Table(title=escape(f"lake {lake.root}"), title_justify="left")
        for column in ("table", "month", "scope", "run", "rows", "total", "newest run (UTC)", "age", "loaded (UTC)"):
            table.add_column(column, justify="right" if column in ("rows", "total", "age") else "left")
        for month in status.months:
            table.add_row(
                month.table,
                month.billing_month,
                month.scope,
                month.run[:13],
                f"{month.rows:,}",
                f"{month.total:,.2f}" if month.total is not None else "-",
                f"{month.newest_run_time:%Y-%m-%d %H:%M}" if month.newest_run_time else "-",
                _age(now - month.newest_run_time) if month.newest_run_time else "-",
                f"{month.loaded_at:%Y-%m-%d %H:%M}",
            )
        out.print(table)
    for entry in status.rejected:
        retried = " (the next load tries again)" if entry.status == Status.FAILED else ""
        label = f"{entry.status}, not loaded since{retried}: "
        out.print(Text.assemble((label, "red"), entry.message or entry.manifest_path))
    for partition in status.unlogged:
        out.print(f"not in the log: {partition} (an interrupted load; the next load logs it)")
    for partition in status.missing:
        out.print(f"missing file: {partition} is in the log but its file is gone (deleted outside the loader)")


def _age(delta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:,.0f} h" if hours < 48 else f"{hours / 24:,.0f} d"


def _status_json(status, now) -> dict:
    return {
        "months": [
            {
                "table": month.table,
                "billing_month": month.billing_month,
                "scope": month.scope,
                "run": month.run,
                "rows": month.rows,
                "total": month.total,
                "newest_run_time": month.newest_run_time,
                "oldest_run_time": month.oldest_run_time,
                "age_hours": round((now - month.newest_run_time).total_seconds() / 3600, 1)
                if month.newest_run_time
                else None,
                "loaded_at": month.loaded_at,
            }
            for month in status.months
        ],
        "rejected": [
            {"run_id": e.run_id, "path": e.manifest_path, "status": e.status, "message": e.message}
            for e in status.rejected
        ],
        "unlogged": [str(p) for p in status.unlogged],
        "missing": [str(p) for p in status.missing],
    }


_SUMMARY_SQL = """
with last_month as (
    select max(date_trunc('month', charge_date)) as month_start from fct_ai_token_costs_daily
)
select
    billing_currency,
    model_name,
    sum(tokens) as tokens,
    sum(effective_cost) as effective_cost,
    sum(effective_cost) / nullif(sum(tokens), 0) * 1000000 as cost_per_1m_tokens
from fct_ai_token_costs_daily
where date_trunc('month', charge_date) = (select month_start from last_month)
group by billing_currency, model_name
order by billing_currency, effective_cost desc
"""


def print_summary(warehouse: Path) -> None:
    if not warehouse.exists():
        raise AoaiFinopsError(f"{warehouse}: no warehouse yet; run `dbt build` first")
    try:
        with duck.connect(warehouse, read_only=True) as connection:
            month = connection.execute("select max(date_trunc('month', charge_date)) from fct_ai_token_costs_daily")
            month_start = month.fetchone()[0]
            rows = connection.execute(_SUMMARY_SQL).fetchall()
    except duckdb.Error as error:
        raise AoaiFinopsError(f"{warehouse}: cannot read the marts ({error}); run `dbt build` first") from None
    if month_start is None:
        console.print(escape(f"{warehouse}: no Azure OpenAI token costs in the warehouse"))
        return
    by_currency: dict[str, list[tuple]] = defaultdict(list)
    for currency, *row in rows:
        by_currency[currency].append(tuple(row))
    for currency, models in by_currency.items():  # one table per currency: amounts of two never add up
        console.print(_summary_table(f"Azure OpenAI token costs, {month_start:%B %Y} ({currency})", models))
    console.print(f"warehouse: {escape(str(warehouse.resolve()))}")


def _summary_table(title: str, models: list[tuple]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("model", "tokens", "cost", "cost per 1M tokens"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for model, tokens, cost, per_million in models:
        table.add_row(model, f"{tokens:,.0f}", f"{cost:,.2f}", f"{per_million:,.4f}" if per_million else "-")
    total_tokens = sum(row[1] or 0 for row in models)
    total_cost = sum(row[2] or 0 for row in models)
    per_million = total_cost / total_tokens * 1_000_000 if total_tokens else None
    table.add_section()
    table.add_row("total", f"{total_tokens:,.0f}", f"{total_cost:,.2f}", f"{per_million:,.4f}" if per_million else "-")
    return table
