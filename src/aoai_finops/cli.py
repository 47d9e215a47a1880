"""`aoai-finops`: a thin command line over the library. Each subcommand parses arguments and calls one function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from aoai_finops import __version__
from aoai_finops.errors import AoaiFinopsError

Handler = Callable[[argparse.Namespace], int]


def _generate_sample(args: argparse.Namespace) -> int:
    from aoai_finops.sample import SampleOptions, generate_sample

    # The end date's default lives in SampleOptions, so the parser can stay free of the generator's imports.
    dated = {"end_date": args.end_date} if args.end_date is not None else {}
    options = SampleOptions(
        months=args.months,
        accounts=args.accounts,
        seed=args.seed,
        scale=args.scale,
        **dated,
        runs_per_month=args.runs_per_month,
        clean=args.clean,
        rows_per_part=args.rows_per_part,
        telemetry=args.telemetry,
        overwrite=args.overwrite,
        datasets=tuple(args.dataset or ("focus-cost",)),
        focus_version=args.focus_version,
        agreement=args.agreement,
    )
    report = generate_sample(Path(args.out), options)
    print(report.describe())
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _add_generate_sample(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate-sample",
        help="write realistic Azure Cost Management exports (FocusCost 1.0r2 by default) to a folder",
        description="Write deterministic sample exports in exactly the layout Cost Management writes: "
        "manifest.json per run and partitioned part_N_NNNN.csv.gz files, several month-to-date runs per month.",
    )
    parser.add_argument("--out", required=True, help="folder to write the exports into (created if missing)")
    parser.add_argument("--months", type=int, default=3, help="billing months to generate (default 3)")
    parser.add_argument("--accounts", type=int, default=4, help="Azure OpenAI accounts (default 4)")
    parser.add_argument("--seed", type=int, default=42, help="random seed; same seed, same files (default 42)")
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the row count, e.g. 1000 for millions of rows (default 1)"
    )
    parser.add_argument(
        "--end-date",
        type=_iso_date,
        default=None,
        help="last day with data, YYYY-MM-DD; its month is month-to-date through it (default 2026-10-20, "
        "fixed so the sample never depends on today's date)",
    )
    parser.add_argument(
        "--runs-per-month",
        type=int,
        default=4,
        help="month-to-date export runs per billing month, the last one covering the whole month "
        "(default 4: days 8, 15, 22 and a re-export on day 3 of the next month; benchmarks use 1)",
    )
    parser.add_argument(
        "--clean", action="store_true", help="no scenario events (runaway usage, price change, double billing)"
    )
    parser.add_argument(
        "--rows-per-part",
        type=int,
        default=None,
        help="rows per export file (default 1,000 x scale, at most 250,000)",
    )
    parser.add_argument(
        "--no-telemetry",
        dest="telemetry",
        action="store_false",
        help="write the cost exports only, no Azure Monitor or APIM telemetry",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace a sample already in --out (only the files a sample writes)"
    )
    parser.add_argument(
        "--dataset",
        action="append",
        choices=("focus-cost", "actual-cost", "amortized-cost"),
        help="export dataset to write; repeat for several exports of the same bill, e.g. --dataset actual-cost "
        "--dataset amortized-cost (default: focus-cost)",
    )
    parser.add_argument(
        "--focus-version",
        default="1.0r2",
        choices=("1.0-preview(v1)", "1.0", "1.0r2", "1.2-preview", "1.2"),
        help="FocusCost data version (default 1.0r2)",
    )
    parser.add_argument(
        "--agreement",
        default="ea",
        choices=("ea", "mca"),
        help="bill the estate to an Enterprise Agreement enrollment (ea, default) or a Microsoft Customer "
        "Agreement billing profile (mca)",
    )
    parser.set_defaults(handler=_generate_sample)


def _load(args: argparse.Namespace) -> int:
    from aoai_finops.config import lake_path
    from aoai_finops.lake import Lake
    from aoai_finops.loader import Loader
    from aoai_finops.progress import events_for
    from aoai_finops.reporting import print_load_report
    from aoai_finops.sources import open_source

    source = open_source(args.source)
    lake = Lake(lake_path(args.lake))
    events = events_for(quiet=args.quiet, json_log=args.json_log)
    report = Loader(source, lake, events=events, wait_seconds=args.wait, retry_rejected=args.retry_rejected).run()
    print_load_report(report, source=source.describe(), lake=lake.root)
    return 1 if report.failed else 0


def _add_load(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load Cost Management export runs and token telemetry from a folder or blob container into the lake",
        description="For each export scope, dataset and billing month, load the newest complete run (and the "
        "newest telemetry pull) and replace the month in the lake atomically. Exit code 0 when all went well, 1 "
        "when a run was rejected or failed (its month keeps the previous data), 2 when the load could not run "
        "(source, lock, lake). "
        "Blob auth, first that applies: $AZURE_STORAGE_CONNECTION_STRING, $AZURE_STORAGE_SAS_TOKEN (or a SAS in "
        "the https URL), DefaultAzureCredential; $AOAI_FINOPS_BLOB_ENDPOINT overrides the account URL (Azurite). "
        "See docs/loading.md.",
    )
    parser.add_argument(
        "--source",
        required=True,
        help="the exports: a folder (the container root), azure://<account>/<container>[/<prefix>], "
        "https://<account>.blob.core.windows.net/<container>[/<prefix>] or abfss://<container>@<account>.dfs...",
    )
    parser.add_argument("--lake", help="lake folder (default: $AOAI_FINOPS_LAKE, else data/lake)")
    parser.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another loader (default 0)")
    parser.add_argument("--retry-rejected", action="store_true", help="try runs rejected by an earlier load again")
    parser.add_argument("--quiet", action="store_true", help="no progress, only the final summary and errors")
    parser.add_argument(
        "--json-log", action="store_true", help="progress as one JSON object per event on stderr (for log collectors)"
    )
    parser.set_defaults(handler=_load)


def _status(args: argparse.Namespace) -> int:
    from aoai_finops.config import lake_path
    from aoai_finops.lake import Lake
    from aoai_finops.reporting import print_status

    print_status(Lake(lake_path(args.lake)), as_json=args.json)
    return 0


def _add_status(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="print the months in the lake (cost and telemetry), their runs, rows and freshness",
        description="From the ingestion log: every month of every lake table, its run (or telemetry pulls), rows, "
        "totals and the age of its newest run; then rejected and failed runs not loaded since and partitions the log "
        "and the lake disagree on.",
    )
    parser.add_argument("--lake", help="lake folder (default: $AOAI_FINOPS_LAKE, else data/lake)")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.set_defaults(handler=_status)


def _summary(args: argparse.Namespace) -> int:
    from aoai_finops.config import duckdb_path
    from aoai_finops.reporting import print_summary

    print_summary(duckdb_path(args.duckdb))
    return 0


def _add_summary(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summary", help="print last month's AI cost, tokens and cost per 1M tokens by model from the warehouse"
    )
    parser.add_argument("--duckdb", help="warehouse file (default: $AOAI_FINOPS_DUCKDB, else data/aoai_finops.duckdb)")
    parser.set_defaults(handler=_summary)


def _export_marts(args: argparse.Namespace) -> int:
    from aoai_finops.config import duckdb_path, export_path
    from aoai_finops.export_marts import export_marts

    out = export_path(args.out)
    for export in export_marts(duckdb_path(args.duckdb), out):
        partition = f" by {export.partitioned_by}" if export.partitioned_by else ""
        print(f"{out / export.path}: {export.rows:,} rows{partition}")
    return 0


def _add_export_marts(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export-marts",
        help="write every mart of the warehouse as Parquet (partitioned by billing month where it has one)",
        description="Copy focus_costs, fct_* and dim_* from the DuckDB warehouse to Parquet for Power BI, Fabric "
        "and notebooks; each mart is swapped in atomically; _manifest.json and README.md list them.",
    )
    parser.add_argument("--duckdb", help="warehouse file (default: $AOAI_FINOPS_DUCKDB, else data/aoai_finops.duckdb)")
    parser.add_argument("--out", help="export folder (default: $AOAI_FINOPS_EXPORT, else data/marts)")
    parser.set_defaults(handler=_export_marts)


def _alerts(args: argparse.Namespace) -> int:
    from aoai_finops.alerts import collect_alerts, format_json, format_text
    from aoai_finops.config import duckdb_path

    report = collect_alerts(duckdb_path(args.duckdb), since=args.since, min_severity=args.min_severity)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 1 if report.has_alerts else 0


def _add_alerts(subparsers: argparse._SubParsersAction) -> None:
    from aoai_finops.alerts import DEFAULT_MIN_SEVERITY, SEVERITIES

    parser = subparsers.add_parser(
        "alerts",
        help="print cost anomalies and budget breaches from the warehouse; exit code 1 when there are any",
        description="Anomaly episodes (fct_cost_anomalies) with a day on or after --since and budgets over or "
        "forecast over their amount (fct_budget_burn_rate), at or above --min-severity. Exit code 0 when there is "
        "nothing to report, 1 when there is, 2 on error: a scheduler or CI can notify on it.",
    )
    parser.add_argument(
        "--since",
        type=_iso_date,
        default=None,
        help="report what happened on or after this day, YYYY-MM-DD (default: the first day of the month of the "
        "last day of data; a daily job passes yesterday)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default=DEFAULT_MIN_SEVERITY,
        help=f"lowest severity reported (default {DEFAULT_MIN_SEVERITY})",
    )
    parser.add_argument("--duckdb", help="warehouse file (default: $AOAI_FINOPS_DUCKDB, else data/aoai_finops.duckdb)")
    parser.set_defaults(handler=_alerts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aoai-finops", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_generate_sample(subparsers)
    _add_load(subparsers)
    _add_status(subparsers)
    _add_summary(subparsers)
    _add_export_marts(subparsers)
    _add_alerts(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AoaiFinopsError as error:
        print(f"aoai-finops {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
