"""Incremental builds on Spark equal a full refresh, row for row (`make spark-incremental-test`).

The DuckDB twin of this check runs in `make test` (tests/python/test_incremental.py). This one proves the Spark
side of the same models: `insert_overwrite` of billing-month partitions, and the plan read from the ingestion log.

1. sample exports through 2026-09-20 loaded into a lake; `dbt build` of every incremental model and what it
   reads (models and seeds; the incremental models and their month columns from dbt's manifest) on Spark into
   the schema `incremental`;
2. a month the lake never had (1999-01) planted in every incremental table; the sample through 2026-10-05
   loaded into the same lake (September replaced by newer runs, October new); the same `dbt build` again: it
   must plan `rebuild 2026-09, 2026-10; remove 1999-01` for focus_costs, the allocation chain and the
   allocation marts (the planted partition dropped) and leave the other months alone; the AI charges per day and
   the anomaly detector, whose months read the months before them, rebuild every month after the removed one;
   the root causes, the months with anomalies from the changed one on;
3. a re-export of October without the rows of its AI accounts (deleted) loaded; the same `dbt build` again
   must plan `rebuild 2026-10` for the same models; the token cost models, the allocation pools and others
   rebuild October into no rows, so their October partition must go, not stay as built (insert_overwrite alone
   only replaces the partitions its new rows have);
4. `--full-refresh` into the schema `full_refresh`, where fct_ai_token_costs_daily must have no October row (else
   step 3 proved nothing);
5. every incremental model compared in Spark SQL: equal counts, and every row of one schema paired with one of
   the other on its columns that are not doubles, its doubles equal to 1e-9 relative (sums may add in another
   order; tests/python/test_incremental.py compares the same way).

Exit status 0 when every model matches; 1 with what differs otherwise. Needs .venv and .venv-spark.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from aoai_finops.dbt_manifest import INCREMENTAL_SELECTION, incremental_month_columns

REPO_ROOT = Path(__file__).resolve().parents[1]
BUILD = ["build", "--select", INCREMENTAL_SELECTION, "--resource-type", "model", "--resource-type", "seed"]
PLANTED_MONTH = "1999-01"
EMPTIED_MONTH = "2026-10"  # re-exported in the third load without the rows of its AI accounts
EXPECTED_PLAN = f"rebuild 2026-09, 2026-10; remove {PLANTED_MONTH}"
# A model whose months read the months before them rebuilds every month after a removed one: all of them here.
EVERY_MONTH_PLAN = f"rebuild 2026-07, 2026-08, 2026-09, 2026-10; remove {PLANTED_MONTH}"
# The models whose plan the second build must print (the allocation chain and marts plan on their months' inputs).
PLANNED_MODELS = {
    "focus_costs": EXPECTED_PLAN,
    "int_allocation_cost_rows": EXPECTED_PLAN,
    "int_allocation_resource_days_aggregated": EXPECTED_PLAN,
    "int_allocation_pool_candidates": EXPECTED_PLAN,
    "int_allocation_pool_decisions": EXPECTED_PLAN,
    "int_cost_allocation_splits": EXPECTED_PLAN,
    "focus_costs_allocated": EXPECTED_PLAN,
    "fct_cost_allocation_daily": EXPECTED_PLAN,
    "int_ai_costs_daily_unioned": EVERY_MONTH_PLAN,
    "int_ai_meter_days_aggregated": EVERY_MONTH_PLAN,
    "int_ai_deployment_days_aggregated": EVERY_MONTH_PLAN,
    "int_ai_model_months_aggregated": EVERY_MONTH_PLAN,
    "int_anomaly_scope_days_aggregated": EVERY_MONTH_PLAN,
    "int_anomaly_series_scored": EVERY_MONTH_PLAN,
    # the months with anomalies whose history changed (September's re-export): September and October
    "int_anomaly_root_causes": EXPECTED_PLAN,
}

# Run in .venv-spark's Python: a SparkSession on the same warehouse and Derby metastore as dbt's (profiles.yml).
SESSION = """
import sys
from pyspark.sql import SparkSession, functions

spark_dir, *arguments = sys.argv[1:]
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
    .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
    .config("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=metastore_db;create=true")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .enableHiveSupport()
    .getOrCreate()
)
"""

PLANT = (
    SESSION
    + """
month = arguments[0]
for argument in arguments[1:]:
    model, column = argument.split("=")
    spark.table(f"incremental.{model}").limit(1).withColumn(column, functions.lit(month)).write.insertInto(
        f"incremental.{model}"
    )
    print(f"planted {month} in {model}")
"""
)

COMPARE = (
    SESSION
    + """
emptied_month, emptied_model, *models = arguments
failed = spark.table(f"full_refresh.{emptied_model}").where(f"billing_month = '{emptied_month}'").count() > 0
if failed:
    print(f"{emptied_model} has rows of {emptied_month}: the re-export without AI rows did not empty the month")
for model in models:
    fields = spark.table(f"incremental.{model}").schema.fields
    keys = [f"`{f.name}`" for f in fields if f.dataType.typeName() != "double"]
    doubles = [f"`{f.name}`" for f in fields if f.dataType.typeName() == "double"]
    numbered = (
        "(select *, row_number() over (partition by {} order by {}) as duplicate_number from {}.{})"
    )
    sides = [numbered.format(", ".join(keys), ", ".join(doubles) or "1", schema, model)
             for schema in ("incremental", "full_refresh")]
    pairs = " and ".join(f"l.{key} <=> r.{key}" for key in [*keys, "duplicate_number"])
    differs = " or ".join(
        f"(l.{name} is null) <> (r.{name} is null) "
        f"or abs(l.{name} - r.{name}) > 1e-9 * greatest(1, abs(l.{name}), abs(r.{name}))"
        for name in doubles
    ) or "false"
    counts = [spark.table(f"{schema}.{model}").count() for schema in ("incremental", "full_refresh")]
    differences = spark.sql(
        f"select count_if(r.duplicate_number is null or {differs}), count_if(l.duplicate_number is null or {differs}) "
        f"from {sides[0]} as l full outer join {sides[1]} as r on {pairs}"
    ).first()
    differences = [differences[0], differences[1]]
    ok = counts[0] == counts[1] > 0 and differences == [0, 0]
    failed = failed or not ok
    print(f"{model}: rows {counts[0]} incremental / {counts[1]} full refresh; "
          f"only incremental {differences[0]}, only full refresh {differences[1]}: {'equal' if ok else 'DIFFERENT'}")
sys.exit(1 if failed else 0)
"""
)


def run(command: list[str], environment: dict[str, str] | None = None) -> str:
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-6000:]}{result.stderr[-3000:]}")
    return result.stdout


def load(work: Path, exports: Path) -> None:
    run([".venv/bin/aoai-finops", "load", "--source", str(exports), "--lake", str(work / "lake"), "--quiet"])


def load_sample(work: Path, name: str, end_date: str) -> None:
    exports = work / name
    run([".venv/bin/aoai-finops", "generate-sample", "--out", str(exports), "--end-date", end_date])
    load(work, exports)


def reexport_without_ai(exports: Path, month: str, out: Path) -> int:
    """A run of the month (YYYY-MM) one day newer than its newest in `exports`, with every row but the AI accounts'
    (the Cognitive Services resources), written to `out`; returns how many rows it dropped."""
    manifests = [json.loads(path.read_text()) for path in exports.rglob("manifest.json")]
    newest = max(
        (manifest for manifest in manifests if manifest["runInfo"]["startDate"].startswith(month)),
        key=lambda manifest: manifest["runInfo"]["submittedTime"],
    )
    old_run, run_id = newest["runInfo"]["runId"], newest["runInfo"]["runId"][:-4] + "a1a1"
    submitted = datetime.fromisoformat(newest["runInfo"]["submittedTime"][:19]) + timedelta(days=1)
    newest["runInfo"] |= {"runId": run_id, "submittedTime": submitted.isoformat() + "Z"}
    dropped = 0
    for blob in newest["blobs"]:
        with gzip.open(exports / blob["blobName"], "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fieldnames, rows = reader.fieldnames, list(reader)
        kept = [row for row in rows if "/microsoft.cognitiveservices/" not in row["ResourceId"].lower()]
        dropped += len(rows) - len(kept)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=fieldnames, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(kept)
        blob["blobName"] = blob["blobName"].replace(old_run, run_id)
        path = out / blob["blobName"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), mtime=0))
        blob |= {"byteCount": path.stat().st_size, "dataRowCount": len(kept)}
    newest |= {
        "byteCount": sum(blob["byteCount"] for blob in newest["blobs"]),
        "dataRowCount": sum(blob["dataRowCount"] for blob in newest["blobs"]),
    }
    (out / newest["blobs"][0]["blobName"]).parent.joinpath("manifest.json").write_text(json.dumps(newest, indent=2))
    return dropped


def spark_dbt(work: Path, schema: str, *args: str) -> str:
    environment = {
        **os.environ,
        "AOAI_FINOPS_TARGET": "spark",
        "AOAI_FINOPS_LAKE": str(work / "lake"),
        "AOAI_FINOPS_SPARK_DIR": str(work / "spark"),
        "AOAI_FINOPS_SPARK_SCHEMA": schema,
        "SPARK_CONF_DIR": str(REPO_ROOT / "config" / "spark"),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    target = ["--target-path", str(work / "target" / schema), "--log-path", str(work / "logs")]
    return run([".venv-spark/bin/dbt", *args, *target], environment)


def require_plans(log: str, build: str, expected: dict[str, str]) -> None:
    """Print the plans a build logged; exit unless each model in `expected` planned its months."""
    plans = [line.split("  ", 1)[-1].strip() for line in log.splitlines() if "billing months of" in line]
    print("\n".join(plans))
    for model, plan in expected.items():
        if not any(f".{model}: {plan}" in line.replace("`", "").replace('"', "") for line in plans):
            sys.exit(f"the {build} build of {model} did not plan `{plan}`")


def spark_python(work: Path, code: str, *arguments: str, check: bool = True) -> int:
    """Run `code` in .venv-spark's Python with the warehouse folder and `arguments` as sys.argv[1:]."""
    result = subprocess.run(
        [".venv-spark/bin/python", "-c", code, str(work / "spark"), *arguments],
        cwd=REPO_ROOT,
        env={**os.environ, "SPARK_CONF_DIR": str(REPO_ROOT / "config" / "spark")},
    )
    if check and result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): Spark step {code.strip().splitlines()[-1]!r}")
    return result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "data" / "spark-incremental")
    work = parser.parse_args().work.resolve()
    shutil.rmtree(work, ignore_errors=True)

    load_sample(work, "load1", "2026-09-20")
    spark_dbt(work, "incremental", *BUILD)
    month_columns = incremental_month_columns(work / "target" / "incremental" / "manifest.json")
    spark_python(work, PLANT, PLANTED_MONTH, *(f"{model}={column}" for model, column in month_columns.items()))
    load_sample(work, "load2", "2026-10-05")
    require_plans(spark_dbt(work, "incremental", *BUILD), "second", PLANNED_MODELS)
    if not reexport_without_ai(work / "load2", EMPTIED_MONTH, work / "load3"):
        sys.exit(f"{EMPTIED_MONTH}'s newest run has no AI rows to drop")
    load(work, work / "load3")
    emptied = {model: f"rebuild {EMPTIED_MONTH}; remove none" for model in PLANNED_MODELS}
    require_plans(spark_dbt(work, "incremental", *BUILD), "third", emptied)
    spark_dbt(work, "full_refresh", *BUILD, "--full-refresh")

    sys.exit(spark_python(work, COMPARE, EMPTIED_MONTH, "fct_ai_token_costs_daily", *month_columns, check=False))


if __name__ == "__main__":
    main()
