"""`generate_sample`: build the estate and the calendar in Python, expand them to daily rows in DuckDB, write the
export runs, the telemetry and `sample_scenario.json`."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from aoai_finops.sample import focus, tables, telemetry, usage
from aoai_finops.sample.calendar import billing_months, schedule
from aoai_finops.sample.estate import build_estate
from aoai_finops.sample.exports import (
    ROOT_FOLDER,
    default_workers,
    plan_parts,
    single_threaded_queries,
    write_runs,
)
from aoai_finops.sample.flavours import billing_identity, flavours
from aoai_finops.sample.options import SampleError, SampleOptions
from aoai_finops.sample.report import SampleReport
from aoai_finops.sample.scenario import build_scenario
from aoai_finops.sample.scenario_file import SCENARIO_FILE, describe_events, scenario_document, write_scenario

TELEMETRY_FOLDER = "telemetry"
GENERATOR_MEMORY_LIMIT = "3GB"


def _prepare_output(out: Path, *, overwrite: bool) -> None:
    """Create `out`; replace only what an earlier sample wrote there, and only when asked to."""
    if out.exists() and not out.is_dir():
        raise SampleError(f"--out {out} is a file; give a folder (it is created if missing)")
    ours = [out / ROOT_FOLDER, out / TELEMETRY_FOLDER, out / SCENARIO_FILE]
    existing = [path for path in ours if path.exists()]
    if existing and not overwrite:
        raise SampleError(
            f"{out} already holds a sample ({existing[0].name}); "
            "pass --overwrite to replace it, or choose another --out"
        )
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate_sample(out: Path, options: SampleOptions) -> SampleReport:
    started = time.perf_counter()
    out = Path(out)
    months = billing_months(options.end_date, options.months)
    runs = schedule(options.end_date, options.months, options.runs_per_month, options.seed)
    estate = build_estate(accounts=options.accounts, scale=options.scale, seed=options.seed)
    scenario = build_scenario(estate, months, events=not options.clean)
    _prepare_output(out, overwrite=options.overwrite)

    with tempfile.TemporaryDirectory(prefix="aoai-finops-sample-") as work, duckdb.connect() as con:
        workdir = Path(work)
        con.execute(f"SET temp_directory = '{(workdir / 'duckdb').as_posix()}'")
        con.execute("SET preserve_insertion_order = true")
        # Bounded at any scale: beyond this DuckDB spills to the temporary folder (its default, 80% of the RAM, let
        # a 20M-row sample take 9 GB and more before writing a file).
        con.execute(f"SET memory_limit = '{GENERATOR_MEMORY_LIMIT}'")
        loader = tables.TableLoader(con, workdir)
        day_index = tables.load_calendar(loader, months)
        meter_keys = tables.load_meters(loader)
        tables.load_resources(loader, estate)
        tables.load_usage_model(loader, estate, meter_keys)
        tables.load_reservations(loader, estate, scenario, meter_keys, day_index)
        tables.load_events(loader, estate, scenario, meter_keys, day_index)
        telemetry.load_pulls(loader, runs, day_index.__getitem__)

        usage.create_random_macro(con, options.seed)
        usage.create_usage(con)
        usage.create_other_quantities(con)
        focus.create_lines(con)
        focus.check_dense_keys(con)

        monitor = apim = telemetry.TelemetryFiles((), 0)
        if options.telemetry:
            telemetry.create_monitor_days(con)
            telemetry.create_apim_rows(con)
        exports = flavours(options.datasets, options.focus_version, options.agreement)
        billing = billing_identity(estate.billing_account, options.agreement, options.seed)
        parts = [
            part
            for flavour in exports
            for part in plan_parts(
                flavour, runs, focus.rows_per_day(con, flavour), day_index.__getitem__, options.part_row_limit
            )
        ]
        workers = default_workers()
        with single_threaded_queries(con):
            written = write_runs(
                con,
                out=out,
                parts=parts,
                billing=billing,
                storage_subscription=estate.subscriptions[0],
                workers=workers,
            )
            if options.telemetry:
                monitor = telemetry.write_azure_monitor(con, out, workers=workers)
                apim = telemetry.write_apim(con, out, workers=workers)

    document = scenario_document(
        options, estate, billing, exports, months, scenario, written, [*monitor.paths, *apim.paths]
    )
    scenario_path = write_scenario(out, document)
    events, gaps = describe_events(document)
    return SampleReport(
        out=out,
        options=options,
        months=tuple(month.key for month in months),
        last_data_day=months[-1].last_data_day.isoformat(),
        openai_accounts=len(estate.openai_accounts),
        deployments=len(estate.deployments),
        reservations=len(estate.reservations),
        other_resources=sum(1 for resource in estate.resources if resource.kind == "other"),
        exports=tuple(flavour.describe() for flavour in exports),
        runs=len(written),
        cost_files=sum(len(run.blobs) for run in written),
        cost_rows=sum(run.rows for run in written),
        cost_bytes=sum(run.bytes for run in written),
        azure_monitor_files=len(monitor.paths),
        apim_files=len(apim.paths),
        telemetry_bytes=monitor.bytes + apim.bytes,
        events=events,
        gaps=gaps,
        manifests=tuple(run.manifest_path for run in written),
        scenario_path=scenario_path,
        seconds=time.perf_counter() - started,
    )
