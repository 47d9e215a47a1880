"""Run the whole pipeline (generate -> load -> dbt build) into a temporary folder, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aoai_finops.lake import Lake
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.sources import LocalFolderSource

REPO_ROOT = Path(__file__).resolve().parents[2]


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
