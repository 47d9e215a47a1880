"""Evaluate the production anomaly detector (through dbt) and the z-score baseline on labelled series.

    python scripts/eval_anomalies.py --series-dir benchmarks/anomalies/holdout [--work data/anomaly-eval/holdout]
        [--out flagged.csv] [--vars '{anomaly_sensitivity: 4.5}']

Prints per file and overall precision, recall, F1 and detection delay of both methods; writes every flagged
point to a CSV. `make eval-anomalies SERIES_DIR=dir` runs it. docs/anomalies.md explains the scoring.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from aoai_finops.anomaly_eval import evaluate, format_report
from aoai_finops.errors import AoaiFinopsError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series-dir", required=True, help="folder of date,value[,is_anomaly] CSV files")
    parser.add_argument("--work", help="work folder (default data/anomaly-eval/<series folder name>)")
    parser.add_argument("--out", help="CSV of the flagged points (default <work>/flagged_points.csv)")
    parser.add_argument("--vars", default="{}", help="extra dbt vars as YAML, e.g. '{anomaly_sensitivity: 4.5}'")
    args = parser.parse_args()
    series_dir = Path(args.series_dir)
    work = Path(args.work) if args.work else Path("data/anomaly-eval") / series_dir.resolve().name
    extra = yaml.safe_load(args.vars) or {}
    if not isinstance(extra, dict):
        print(f"eval-anomalies: error: --vars must be a mapping, got {args.vars!r}", file=sys.stderr)
        return 2
    try:
        evaluation = evaluate(series_dir, work, Path(args.out) if args.out else None, extra)
    except AoaiFinopsError as error:
        print(f"eval-anomalies: error: {error}", file=sys.stderr)
        return 2
    print(format_report(evaluation))
    return 0


if __name__ == "__main__":
    sys.exit(main())
