"""Run the whole pipeline (generate -> load -> dbt build) into a temporary folder, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aoai_finops.lake import Lake
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the end-to-end sample tests read: the AI cost, allocation and anomaly marts and everything upstream.
SAMPLE_MARTS = tuple(f"+path:models/marts/{folder}" for folder in ("ai_costs", "allocation", "anomalies"))


@dataclass(frozen=True)
class Pipeline:
    root: Path

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def lake(self) -> Lake:
        return Lake(self.root / "lake")

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    def load(self, source: Path | None = None) -> LoadReport:
        return Loader(LocalFolderSource(source or self.exports), self.lake).run()

    def dbt(self, *args: str) -> None:
        """Run a dbt command against this pipeline's lake and warehouse, in its own process as a user would."""
        environment = {
            **os.environ,
            "AOAI_FINOPS_LAKE": str(self.lake.root),
            "AOAI_FINOPS_DUCKDB": str(self.warehouse),
            "DBT_PROFILES_DIR": str(REPO_ROOT),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", str(self.root / "target")]
        command += ["--log-path", str(self.root / "logs")]
        result = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}{result.stderr[-2000:]}")

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql, list(parameters)).fetchall()


def built_sample(root: Path, options: SampleOptions, prepare: Callable[[Path], None] | None = None) -> Pipeline:
    """The sample of `options` generated in `root` (then changed by `prepare`, if given), loaded, and SAMPLE_MARTS
    built with their data tests (unit tests are data-independent: `make dbt-test` runs them)."""
    pipeline = Pipeline(root)
    generate_sample(pipeline.exports, options)
    if prepare is not None:
        prepare(pipeline.exports)
    report = pipeline.load()
    assert not report.failed, report.results
    pipeline.dbt("build", "--select", *SAMPLE_MARTS, "--exclude", "test_type:unit", "--indirect-selection", "buildable")
    return pipeline
