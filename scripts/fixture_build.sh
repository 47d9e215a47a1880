#!/usr/bin/env bash
# dbt build of the whole project on one engine, against the fixture lake (make spark-test, make fixture-test).
#
#   scripts/fixture_build.sh spark|duckdb
#
# With AOAI_FINOPS_LAKE pointing at an existing lake (one written by `aoai-finops load`), builds the project
# on that lake as is (no fixture models). Otherwise, in data/<engine>-test/:
#   1. writes the fixture lake (scripts/fixture_lake.py, main .venv) and a fresh warehouse,
#   2. `dbt build` with the fixture models, seeds and tests enabled (--vars aoai_finops_fixtures),
#   3. replaces one month in the lake with a newer run and re-builds what reads the lake: the incremental
#      fixture model must rebuild that month only, and the marts must reconcile with the ingestion log.
# Exits non-zero on the first failure. Prints the time of each step.
set -euo pipefail

engine=${1:?usage: $0 spark|duckdb}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

work=data/${engine}-test
replaced_month=2024-06
export DBT_PROFILES_DIR=$root DBT_SEND_ANONYMOUS_USAGE_STATS=false DO_NOT_TRACK=1
case $engine in
    spark)
        dbt=.venv-spark/bin/dbt
        export AOAI_FINOPS_TARGET=spark
        export AOAI_FINOPS_SPARK_DIR=$work/spark
        export SPARK_CONF_DIR=$root/config/spark
        # Separate target/ so switching engines does not throw away the other engine's partial parse.
        export DBT_TARGET_PATH=target/spark
        ;;
    duckdb)
        dbt=.venv/bin/dbt
        export AOAI_FINOPS_TARGET=dev
        export AOAI_FINOPS_DUCKDB=$work/aoai_finops.duckdb
        ;;
    *)
        echo "usage: $0 spark|duckdb" >&2
        exit 2
        ;;
esac

step() {
    local started=$SECONDS
    echo "==> $*"
    "$@"
    echo "==> done in $(( SECONDS - started )) s"
}

started=$SECONDS
if [[ -n ${AOAI_FINOPS_LAKE:-} && -d ${AOAI_FINOPS_LAKE} ]]; then
    echo "==> building on the lake at $AOAI_FINOPS_LAKE ($engine)"
    rm -rf "$work/spark" "$work/aoai_finops.duckdb"
    mkdir -p "$work"
    step "$dbt" build
else
    export AOAI_FINOPS_LAKE=$work/lake
    rm -rf "$work"
    mkdir -p "$work"
    step .venv/bin/python scripts/fixture_lake.py --lake "$AOAI_FINOPS_LAKE"
    step "$dbt" build --vars '{aoai_finops_fixtures: true}'
    step .venv/bin/python scripts/fixture_lake.py --lake "$AOAI_FINOPS_LAKE" --replace-month "$replaced_month"
    step "$dbt" build --select 'source:cost_exports+' \
        --vars "{aoai_finops_fixtures: true, fixture_replaced_month: '$replaced_month'}"
fi
echo "==> $engine build passed in $(( SECONDS - started )) s"
