"""A loader killed for real (SIGKILL) at any point leaves every partition as it was before or as it is after the
load, and the next load recovers: `_staging` emptied, the log agreeing with the lake. Two loaders never write at
once. Blob names in a manifest can never make the loader read or write outside its folders."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from aoai_finops.checkpoints import PAUSE_AT_ENV, PAUSE_DIR_ENV
from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.loader import Loader
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, cost_row, write_run

AOAI_FINOPS = str(Path(sys.executable).parent / "aoai-finops")


def lake_state(lake: Lake) -> dict[Partition, tuple]:
    """Every partition's run, rows and metric sum, read from its file (a damaged file fails the read). The sum is
    of decimals: exact, whatever the order the loader wrote the rows in."""
    state = {}
    for table, metric in (
        ("focus_cost", "BilledCost"),
        ("telemetry_azure_monitor", "total"),
        ("telemetry_apim", "value_sum"),
    ):
        for partition in lake.partitions(table):
            state[partition] = duckdb.sql(
                f"select list(distinct lake_run_id), count(*), sum(cast({metric} as decimal(38, 10))) "
                f"from read_parquet('{lake.partition_file(partition)}')"
            ).fetchone()
    return state


def assert_log_agrees_with_lake(lake: Lake) -> None:
    current = IngestionLog(lake).current()
    state = lake_state(lake)
    assert {p: [e.run_id] for p, e in current.items()} == {p: s[0] for p, s in state.items()}
    assert {p: e.rows for p, e in current.items()} == {p: s[1] for p, s in state.items()}


def start_loader(source: Path, lake: Lake, *, pause_at: str | None = None, pause_dir: Path | None = None, wait=None):
    env = dict(os.environ)
    if pause_at:
        env |= {PAUSE_AT_ENV: pause_at, PAUSE_DIR_ENV: str(pause_dir)}
    command = [AOAI_FINOPS, "load", "--source", str(source), "--lake", str(lake.root), "--quiet"]
    if wait is not None:
        command += ["--wait", str(wait)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Lake, dict, dict]:
    """A month-to-date run and telemetry loaded ("before"), and a source with newer ones ("after")."""
    root = tmp_path_factory.mktemp("atomicity")
    exports = root / "exports"
    generate_sample(exports, SampleOptions(months=1, runs_per_month=2, scale=8))
    runs = json.loads((exports / "sample_scenario.json").read_text())["runs"]
    newest = max(runs, key=lambda run: run["submitted_time"])
    stamp = max(path.stem.split("_")[1] for path in exports.rglob("metrics_*.json"))
    earlier = root / "earlier"
    shutil.copytree(exports, earlier)
    shutil.rmtree(earlier / Path(newest["manifest"]).parent)
    for path in earlier.rglob(f"*_{stamp}.*"):
        path.unlink()
    before = Lake(root / "before")
    Loader(LocalFolderSource(earlier), before).run()
    after = Lake(root / "after")
    Loader(LocalFolderSource(exports), after).run()
    before_state, after_state = lake_state(before), lake_state(after)
    assert set(before_state) == set(after_state) and before_state != after_state
    return exports, before, before_state, after_state


def fresh_lake(before: Lake, tmp_path: Path) -> Lake:
    shutil.copytree(before.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")


def assert_each_partition_before_or_after(lake: Lake, before: dict, after: dict) -> dict[str, int]:
    state = lake_state(lake)
    assert set(state) == set(before)
    counts = {"before": 0, "after": 0}
    for partition, found in state.items():
        assert found in (before[partition], after[partition]), partition
        counts["before" if found == before[partition] else "after"] += 1
    return counts


def assert_next_load_recovers(exports: Path, lake: Lake, after: dict) -> None:
    report = Loader(LocalFolderSource(exports), lake).run()
    assert not report.failed
    assert lake_state(lake) == after
    assert not lake.staging_root.exists()
    assert_log_agrees_with_lake(lake)
    commits = [e for e in IngestionLog(lake).entries() if Status(e.status).is_commit]
    assert len({(e.partition, e.run_id) for e in commits}) == len(commits), "a run committed twice in the log"


@pytest.mark.parametrize(
    ("point", "expected"),
    [("staged", "before"), ("committed", "after"), ("telemetry_committed", "after")],
)
def test_killed_at_a_checkpoint_the_lake_is_before_or_after_and_the_next_load_recovers(
    scenario, tmp_path: Path, point: str, expected: str
) -> None:
    exports, before, before_state, after_state = scenario
    lake = fresh_lake(before, tmp_path)
    (tmp_path / f"{point}.hold").touch()
    process = start_loader(exports, lake, pause_at=point, pause_dir=tmp_path)
    wait_for(lambda: (tmp_path / f"{point}.reached").exists() or process.poll() is not None, what=point)
    assert process.poll() is None, process.stderr.read() if process.stderr else ""

    kill(process)

    counts = assert_each_partition_before_or_after(lake, before_state, after_state)
    assert counts[expected] >= 1
    assert_next_load_recovers(exports, lake, after_state)
    if point != "staged":
        assert any(e.status == Status.RECOVERED for e in IngestionLog(lake).entries())


def test_killed_while_converting_the_lake_is_unchanged(scenario, tmp_path: Path) -> None:
    exports, before, before_state, after_state = scenario
    lake = fresh_lake(before, tmp_path)
    process = start_loader(exports, lake)
    wait_for(lambda: any(lake.staging_root.glob("*/data.parquet")) or process.poll() is not None, what="a staged file")
    assert process.poll() is None

    kill(process)

    assert assert_each_partition_before_or_after(lake, before_state, after_state)["after"] == 0
    assert any(lake.staging_root.iterdir())  # the orphan the next load removes
    assert_next_load_recovers(exports, lake, after_state)


@pytest.mark.parametrize("delay", [0.5, 1.0, 2.0])
def test_killed_at_any_moment_every_partition_is_before_or_after(scenario, tmp_path: Path, delay: float) -> None:
    exports, before, before_state, after_state = scenario
    lake = fresh_lake(before, tmp_path)
    process = start_loader(exports, lake)
    time.sleep(delay)
    if process.poll() is None:
        kill(process)

    assert_each_partition_before_or_after(lake, before_state, after_state)
    assert_next_load_recovers(exports, lake, after_state)


# ------------------------------------------------------------------------------------------------ two loaders


def test_a_second_loader_exits_with_a_clear_message_or_waits_for_the_first(scenario, tmp_path: Path) -> None:
    exports, before, _, after_state = scenario
    lake = fresh_lake(before, tmp_path)
    (tmp_path / "staged.hold").touch()
    first = start_loader(exports, lake, pause_at="staged", pause_dir=tmp_path)
    wait_for(lambda: (tmp_path / "staged.reached").exists(), what="the first loader to hold the lock")

    second = start_loader(exports, lake)
    _, error = second.communicate(timeout=60)
    assert second.returncode == 2
    assert "another aoai-finops load is writing to" in error and "--wait" in error

    queued = start_loader(exports, lake, wait=120)
    time.sleep(1.0)
    assert queued.poll() is None, "the queued loader must wait for the lock"
    (tmp_path / "staged.hold").unlink()
    first.communicate(timeout=120)
    queued.communicate(timeout=120)

    assert (first.returncode, queued.returncode) == (0, 0)
    assert lake_state(lake) == after_state
    assert_log_agrees_with_lake(lake)


# ------------------------------------------------------------------------------------------------ unsafe blob names


@pytest.mark.parametrize(
    "blob_name",
    ["../../outside/part_0_0001.csv.gz", "exports/../../outside/part_0_0001.csv.gz", "/etc/passwd", "a\\..\\b.csv"],
)
def test_a_manifest_naming_a_blob_outside_the_source_is_rejected(tmp_path: Path, blob_name: str) -> None:
    source = tmp_path / "source"
    write_run(source, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    folder = write_run(source, RunSpec("run-2", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 2.0)]))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["blobs"][0]["blobName"] = blob_name
    (folder / "manifest.json").write_text(json.dumps(manifest))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "part_0_0001.csv.gz").write_bytes((folder / "part_0_0001.csv.gz").read_bytes())
    lake = Lake(tmp_path / "lake")
    before = set(tmp_path.rglob("*"))

    report = Loader(LocalFolderSource(source), lake).run()

    (rejected,) = [r for r in report.results if r.status is Status.REJECTED]
    assert "unsafe path" in rejected.message and repr(blob_name) in rejected.message
    assert IngestionLog(lake).current()[Partition("focus_cost", "2025-03", "billingaccounts-1234567")].run_id == "run-1"
    written = {
        path for path in set(tmp_path.rglob("*")) - before if path != lake.root and lake.root not in path.parents
    }
    assert written == set()
