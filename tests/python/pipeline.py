"""Run the whole pipeline (generate -> load -> dbt build) into a temporary folder, for end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

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
        """Run a dbt command against this pipeline's lake and warehouse; raises if anything fails."""
        with _environment(
            AOAI_FINOPS_LAKE=str(self.lake.root),
            AOAI_FINOPS_DUCKDB=str(self.warehouse),
            DBT_PROFILES_DIR=str(REPO_ROOT),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        ):
            result = dbtRunner().invoke(
                [
                    *args,
                    "--project-dir",
                    str(REPO_ROOT),
                    "--target-path",
                    str(self.root / "target"),
                    "--log-path",
                    str(self.root / "logs"),
                    "--quiet",
                ]
            )
        if not result.success:
            raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception or _failures(result)}")

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql, list(parameters)).fetchall()


def _failures(result) -> str:
    failed = [r for r in getattr(result.result, "results", []) if str(r.status) in ("error", "fail")]
    return "; ".join(f"{r.node.name}: {r.message}" for r in failed) or "see the dbt log"


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
