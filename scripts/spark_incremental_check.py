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
3. `--full-refresh` into the schema `full_refresh`;
4. every incremental model compared in Spark SQL: equal counts, and every row of one schema paired with one of
   the other on its columns that are not doubles, its doubles equal to 1e-9 relative (sums may add in another
   order; tests/python/test_incremental.py compares the same way).

Exit status 0 when every model matches; 1 with what differs otherwise. Needs .venv and .venv-spark.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from aoai_finops.dbt_manifest import INCREMENTAL_SELECTION, incremental_month_columns

REPO_ROOT = Path(__file__).resolve().parents[1]
BUILD = ["build", "--select", INCREMENTAL_SELECTION, "--resource-type", "model", "--resource-type", "seed"]
PLANTED_MONTH = "1999-01"
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
failed = False
for model in arguments:
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


def load_sample(work: Path, name: str, end_date: str) -> None:
    exports = work / name
    run([".venv/bin/aoai-finops", "generate-sample", "--out", str(exports), "--end-date", end_date])
    run([".venv/bin/aoai-finops", "load", "--source", str(exports), "--lake", str(work / "lake"), "--quiet"])


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
    second = spark_dbt(work, "incremental", *BUILD)
    plans = [line.split("  ", 1)[-1].strip() for line in second.splitlines() if "billing months of" in line]
    print("\n".join(plans))
    for model, expected in PLANNED_MODELS.items():
        if not any(f".{model}: {expected}" in line.replace("`", "").replace('"', "") for line in plans):
            sys.exit(f"the second build of {model} did not plan `{expected}`")
    spark_dbt(work, "full_refresh", *BUILD, "--full-refresh")

    sys.exit(spark_python(work, COMPARE, *month_columns, check=False))


if __name__ == "__main__":
    main()
