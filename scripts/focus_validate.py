"""Run the official FOCUS validator on focus_costs and fail unless every failed rule is allowlisted.

    .venv/bin/python scripts/focus_validate.py --duckdb data/x.duckdb \
        --validator .venv-focus-validator/bin/focus-validator --out reports/focus-validator

1. exports focus_costs from the warehouse to typed Parquet (CSV would turn whole numbers into integers, which
   the validator's Decimal checks reject);
2. runs `focus-validator --validate-version 1.2 --block-download --show-violations` with the applicability
   criteria of config/focus-validator/applicability-criteria.txt, in a work folder holding the currency code
   list the tool looks for at `focus_validator/rules/currency_codes.csv` relative to its working directory;
3. parses its report (the tool exits 0 even when rules fail) and judges it against
   config/focus-validator/allowlist.csv (aoai_finops.focus_validation).

Keeps the tool's report, its log and a summary in --out (a CI artifact). Exit code 1 when a rule that is not
allowlisted fails, 2 when the validator cannot be run or its report cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from aoai_finops import duck
from aoai_finops.errors import AoaiFinopsError
from aoai_finops.focus_validation import Verdict, describe, parse_report, read_allowlist, read_criteria

REPO = Path(__file__).resolve().parents[1]
CURRENCY_CODES = Path("focus_validator/rules/currency_codes.csv")


def export_parquet(warehouse: Path, relation: str, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    with duck.connect(warehouse, read_only=True) as connection:
        connection.execute(f"copy (select * from {relation}) to {duck.quote_literal(str(target))} (format parquet)")
        (rows,) = connection.execute(f"select count(*) from {relation}").fetchone()
    return rows


def package_root(validator: Path) -> Path:
    """The site-packages folder the validator's `focus_validator` package is installed in."""
    python = validator.parent / "python"
    result = subprocess.run(
        [str(python), "-c", "import focus_validator, pathlib; print(pathlib.Path(focus_validator.__file__).parent)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AoaiFinopsError(f"{python}: cannot import focus_validator ({result.stderr.strip()}); run make focus-venv")
    return Path(result.stdout.strip()).parent


def prepare_work_dir(work: Path, validator: Path, log_file: Path) -> dict[str, str]:
    """The tool's working folder (with the currency codes it expects there) and its logging configuration."""
    if work.exists():
        shutil.rmtree(work)
    (work / CURRENCY_CODES).parent.mkdir(parents=True)
    shutil.copyfile(package_root(validator) / CURRENCY_CODES, work / CURRENCY_CODES)
    # The tool's own logging config writes a 10 MB debug log into its working folder: log INFO to the report.
    logging_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "filename": str(log_file), "formatter": "plain"}},
        "root": {"level": "INFO", "handlers": ["file"]},
    }
    config = work / "logging.yaml"
    config.write_text(json.dumps(logging_config), encoding="utf-8")  # JSON is YAML
    return {"LOGGING_CONFIG": str(config)}


def run_validator(validator: Path, data: Path, version: str, criteria: list[str], work: Path, env: dict) -> str:
    command = [
        str(validator),
        "--data-file",
        str(data),
        "--validate-version",
        version,
        "--block-download",
        "--show-violations",
    ]
    if criteria:
        command += ["--applicability-criteria", ",".join(criteria)]
    result = subprocess.run(
        command, cwd=work, capture_output=True, text=True, encoding="utf-8", env={**_base_env(), **env}, check=False
    )
    if result.returncode != 0:
        raise AoaiFinopsError(f"focus-validator exited {result.returncode}: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _base_env() -> dict[str, str]:
    # Force UTF-8 so the tool prints its status icons rather than falling back to another encoding.
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", required=True, type=Path, help="warehouse holding focus_costs")
    parser.add_argument(
        "--relation", default="main.focus_costs", help="relation to validate (default main.focus_costs)"
    )
    parser.add_argument("--validator", required=True, type=Path, help="the focus-validator executable")
    parser.add_argument("--version", default="1.2", help="FOCUS version to validate against (default 1.2)")
    parser.add_argument("--criteria", type=Path, default=REPO / "config/focus-validator/applicability-criteria.txt")
    parser.add_argument("--allowlist", type=Path, default=REPO / "config/focus-validator/allowlist.csv")
    parser.add_argument("--out", type=Path, default=REPO / "reports/focus-validator", help="report folder")
    parser.add_argument("--work", type=Path, help="scratch folder (default: <out>/work); holds the Parquet export")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    out: Path = args.out.resolve()
    work: Path = (args.work or out / "work").resolve()
    validator: Path = args.validator.absolute()
    out.mkdir(parents=True, exist_ok=True)
    try:
        allowlist = read_allowlist(args.allowlist)
        criteria = read_criteria(args.criteria)
        env = prepare_work_dir(work, validator, out / "validator.log")
        data = work / "focus_costs.parquet"
        rows = export_parquet(args.duckdb, args.relation, data)
        report = run_validator(validator, data, args.version, criteria, work, env)
        (out / "validator-report.txt").write_text(report, encoding="utf-8")
        verdict = Verdict(parse_report(report), allowlist)
    except AoaiFinopsError as error:
        print(f"focus_validate: error: {error}", file=sys.stderr)
        return 2
    summary = describe(verdict)
    seconds = time.perf_counter() - started
    (out / "summary.txt").write_text(f"{rows} rows of {args.relation}, FOCUS {args.version}\n{summary}\n")
    (out / "summary.json").write_text(
        json.dumps(
            {
                "relation": args.relation,
                "rows": rows,
                "focus_version": args.version,
                "applicability_criteria": criteria,
                "rules": len(verdict.results),
                "passed": len(verdict.passed),
                "failed": len(verdict.failed),
                "skipped": len(verdict.skipped),
                "accepted": sorted(verdict.accepted),
                "unexpected": [r.rule_id for r in verdict.unexpected],
                "stale_allowlist": verdict.stale_allowlist,
                "conformant": verdict.conformant,
                "seconds": round(seconds, 1),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"{rows} rows of {args.relation}, FOCUS {args.version}, {seconds:.0f} s; report in {out}")
    print(summary)
    return 0 if verdict.conformant else 1


if __name__ == "__main__":
    sys.exit(main())
