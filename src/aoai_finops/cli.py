"""`aoai-finops`: a thin command line over the library. Each subcommand parses arguments and calls one function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from aoai_finops import __version__
from aoai_finops.errors import AoaiFinopsError

Handler = Callable[[argparse.Namespace], int]


def _generate_sample(args: argparse.Namespace) -> int:
    from aoai_finops.sample import SampleOptions, generate_sample

    options = SampleOptions(months=args.months, accounts=args.accounts, seed=args.seed, scale=args.scale)
    report = generate_sample(Path(args.out), options)
    print(report.describe())
    return 0


def _add_generate_sample(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate-sample",
        help="write realistic Azure Cost Management exports (FocusCost 1.0r2) to a folder",
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
    parser.set_defaults(handler=_generate_sample)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aoai-finops", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_generate_sample(subparsers)
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
