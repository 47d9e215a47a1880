"""What the CLI prints: the load summary, the lake status and the warehouse summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError
from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake
from aoai_finops.loader import LoadReport

console = Console(highlight=False, soft_wrap=True)


def print_load_report(report: LoadReport) -> None:
    table = Table(title="aoai-finops load", title_justify="left")
    for column in ("partition", "run", "status", "rows"):
        table.add_column(column, justify="right" if column == "rows" else "left", no_wrap=True)
    for result in report.results:
        if result.status is None:
            continue
        table.add_row(str(result.partition or "-"), result.run_id or "-", result.status.value, f"{result.rows:,}")
    if table.row_count:
        console.print(table)
    for result in report.results:
        if result.status is Status.REJECTED:
            console.print(f"rejected: {result.message}")
    counts = Counter(result.status.value if result.status else "already loaded" for result in report.results)
    console.print("summary: " + (", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no runs found"))
    for warning in dict.fromkeys(report.warnings):
        console.print(f"warning: {warning}")


def print_status(lake: Lake) -> None:
    current = IngestionLog(lake).current()
    if not current:
        console.print(f"{lake.root}: no data loaded yet")
        return
    table = Table(title=f"lake {lake.root}", title_justify="left")
    for column in ("table", "month", "scope", "run", "submitted (UTC)", "rows", "loaded (UTC)"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for partition, entry in sorted(current.items(), key=lambda item: str(item[0])):
        table.add_row(
            partition.table,
            partition.billing_month,
            partition.scope_key,
            (entry.run_id or "-")[:13],
            f"{entry.submitted_time:%Y-%m-%d %H:%M}" if entry.submitted_time else "-",
            f"{entry.rows:,}",
            f"{entry.logged_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)
    rejected = [e for e in IngestionLog(lake).entries() if e.status == Status.REJECTED]
    if rejected:
        console.print(f"{len(rejected)} rejected run(s) in the log; the latest: {rejected[-1].message}")


_SUMMARY_SQL = """
with last_month as (
    select max(date_trunc('month', charge_date)) as month_start from fct_ai_token_costs_daily
)
select
    model_name,
    sum(tokens) as tokens,
    sum(effective_cost) as effective_cost,
    sum(effective_cost) / nullif(sum(tokens), 0) * 1000000 as cost_per_1m_tokens
from fct_ai_token_costs_daily
where date_trunc('month', charge_date) = (select month_start from last_month)
group by model_name
order by effective_cost desc
"""


def print_summary(warehouse: Path) -> None:
    if not warehouse.exists():
        raise AoaiFinopsError(f"{warehouse}: no warehouse yet; run `dbt build` first")
    try:
        with duck.connect(warehouse, read_only=True) as connection:
            month = connection.execute("select max(date_trunc('month', charge_date)) from fct_ai_token_costs_daily")
            month_start = month.fetchone()[0]
            rows = connection.execute(_SUMMARY_SQL).fetchall()
            currency = connection.execute("select min(billing_currency) from fct_ai_token_costs_daily").fetchone()[0]
    except duckdb.Error as error:
        raise AoaiFinopsError(f"{warehouse}: cannot read the marts ({error}); run `dbt build` first") from None
    if month_start is None:
        console.print(f"{warehouse}: no Azure OpenAI token costs in the warehouse")
        return
    table = Table(title=f"Azure OpenAI token costs, {month_start:%B %Y} ({currency})", title_justify="left")
    for column in ("model", "tokens", "cost", "cost per 1M tokens"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for model, tokens, cost, per_million in rows:
        table.add_row(model, f"{tokens:,.0f}", f"{cost:,.2f}", f"{per_million:,.4f}" if per_million else "-")
    total_tokens = sum(row[1] or 0 for row in rows)
    total_cost = sum(row[2] or 0 for row in rows)
    per_million = total_cost / total_tokens * 1_000_000 if total_tokens else None
    table.add_section()
    table.add_row("total", f"{total_tokens:,.0f}", f"{total_cost:,.2f}", f"{per_million:,.4f}" if per_million else "-")
    console.print(table)
    console.print(f"warehouse: {warehouse.resolve()}")
