"""Build a lake holding every Azure export flavour, for the FOCUS conformance run (`make focus-conformance`).

    .venv/bin/python scripts/focus_flavours.py --out data/focus-test

Each flavour is its own sample (its own seed, so its own billing account and export scope) written by
`aoai-finops generate-sample` and loaded with `aoai-finops load` into <out>/lake:

- FocusCost in every data version (EA and MCA),
- legacy ActualCost + AmortizedCost of one scope (paired per charge), for EA and for MCA,
- ActualCost alone (EffectiveCost derived) and AmortizedCost alone (BilledCost derived),
- FocusCost + ActualCost + AmortizedCost of the same scope (precedence: FocusCost wins, nothing is doubled).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aoai_finops.lake import Lake
from aoai_finops.loader import Loader
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource


@dataclass(frozen=True)
class Flavour:
    name: str
    seed: int
    datasets: tuple[str, ...]
    focus_version: str = "1.0r2"
    agreement: str = "ea"


FLAVOURS = (
    Flavour("focus-1.0-preview-ea", 101, ("focus-cost",), "1.0-preview(v1)"),
    Flavour("focus-1.0-ea", 102, ("focus-cost",), "1.0"),
    Flavour("focus-1.0r2-ea", 103, ("focus-cost",), "1.0r2"),
    Flavour("focus-1.2-preview-mca", 104, ("focus-cost",), "1.2-preview", "mca"),
    Flavour("focus-1.2-mca", 105, ("focus-cost",), "1.2", "mca"),
    Flavour("actual-amortized-ea", 106, ("actual-cost", "amortized-cost")),
    Flavour("actual-amortized-mca", 107, ("actual-cost", "amortized-cost"), agreement="mca"),
    Flavour("actual-only-ea", 108, ("actual-cost",)),
    Flavour("amortized-only-mca", 109, ("amortized-cost",), agreement="mca"),
    Flavour("focus-and-legacy-ea", 110, ("focus-cost", "actual-cost", "amortized-cost"), "1.2"),
)


def build(out: Path, *, months: int, runs_per_month: int, accounts: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    lake = Lake(out / "lake")
    for flavour in FLAVOURS:
        started = time.perf_counter()
        exports = out / "exports" / flavour.name
        options = SampleOptions(
            months=months,
            runs_per_month=runs_per_month,
            accounts=accounts,
            seed=flavour.seed,
            telemetry=False,
            datasets=flavour.datasets,
            focus_version=flavour.focus_version,
            agreement=flavour.agreement,
        )
        sample = generate_sample(exports, options)
        report = Loader(LocalFolderSource(exports), lake).run()
        if report.failed:
            rejected = [result.message for result in report.results if result.message]
            raise SystemExit(f"{flavour.name}: the load rejected a run: {rejected}")
        print(
            f"{flavour.name:24} {', '.join(sample.exports):70} {sample.cost_rows:7,} rows "
            f"{time.perf_counter() - started:5.1f} s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the exports and the lake (replaced)")
    parser.add_argument("--months", type=int, default=2)
    parser.add_argument("--runs-per-month", type=int, default=1)
    parser.add_argument("--accounts", type=int, default=2)
    args = parser.parse_args(argv)
    build(args.out, months=args.months, runs_per_month=args.runs_per_month, accounts=args.accounts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
