"""The operator's view of `aoai-finops load` and `status`: progress (terminal, plain, JSON), summary, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from aoai_finops.cli import main
from aoai_finops.lake import Lake
from aoai_finops.loader import Loader
from aoai_finops.progress import RichEvents
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, cost_row, write_run
from telemetry_files import ApimPull, apim_row


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    write_run(root, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)] * 3))
    write_run(root, RunSpec("run-2", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)] * 5, parts=2))
    ApimPull("2025-03", "20250320T000000Z", [apim_row("2025-03-01T10:00:00.000Z", "Prompt Tokens", 7)]).write(root)
    return root


def load(source: Path, lake: Path, *flags: str) -> int:
    return main(["load", "--source", str(source), "--lake", str(lake), *flags])


def test_json_log_writes_one_json_object_per_event(source: Path, tmp_path: Path, capsys) -> None:
    assert load(source, tmp_path / "lake", "--json-log") == 0

    events = [json.loads(line) for line in capsys.readouterr().err.splitlines()]

    assert events[0] | {"time": None} == {
        "time": None,
        "event": "discovered",
        "source": str(source),
        "export_runs": 2,
        "telemetry_files": 1,
    }
    finished = {(e["table"], e["run_id"]): e["status"] for e in events if e["event"] == "run_finished"}
    assert finished[("focus_cost", "run-2")] == "loaded"
    assert finished[("focus_cost", "run-1")] == "skipped_older"
    assert [e["event"] for e in events].count("run_started") == 2  # the cost run and the telemetry batch
    assert events[-1]["event"] == "load_finished"
    assert events[-1]["counts"] == {"loaded": 2, "skipped_older": 1} and events[-1]["failed"] is False


def test_without_a_terminal_progress_is_plain_timestamped_lines(source: Path, tmp_path: Path, capsys) -> None:
    assert load(source, tmp_path / "lake") == 0

    output = capsys.readouterr()
    lines = output.err.splitlines()
    assert all(line[:4].isdigit() and line[19] == "Z" for line in lines)
    assert any("loading focus_cost 2025-03 billingaccounts-1234567 run run-2: 2 file(s)" in line for line in lines)
    assert any("telemetry_apim: 1 file(s): 1 loaded (1 rows)" in line for line in lines)
    assert "\x1b[" not in output.err


def test_quiet_prints_only_the_summary_table(source: Path, tmp_path: Path, capsys) -> None:
    assert load(source, tmp_path / "lake", "--quiet") == 0

    output = capsys.readouterr()
    assert output.err == ""
    assert "aoai-finops load:" in output.out and "load ok" in output.out
    row = next(line for line in output.out.splitlines() if "focus_cost" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["focus_cost", "1", "0", "1", "0", "0", "5"]


def test_a_run_not_loaded_exits_1_with_the_reason_and_a_broken_source_exits_2(source, tmp_path, capsys) -> None:
    folder = write_run(source, RunSpec("run-3", "2025-03", "2025-03-28T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    (folder / "part_0_0001.csv.gz").unlink()

    assert load(source, tmp_path / "lake", "--quiet") == 1
    output = capsys.readouterr().out
    row = next(line for line in output.splitlines() if "focus_cost" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["focus_cost", "1", "0", "1", "0", "0", "1", "5"]
    assert (
        "failed, the next load tries again: exports/focus-daily/20250301-20250328/run-3/manifest.json: the manifest "
        "lists" in " ".join(output.split())
    )
    assert "load failed" in output

    assert load(tmp_path / "nowhere", tmp_path / "lake", "--quiet") == 2
    assert "source folder" in capsys.readouterr().err


def test_on_a_terminal_each_run_gets_a_progress_bar(source: Path, tmp_path: Path) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140, color_system="standard")

    Loader(LocalFolderSource(source), Lake(tmp_path / "lake"), events=RichEvents(console)).run()

    text = screen.getvalue()
    assert "2/2 files" in text and "\x1b[" in text  # the bar of the two-part run, drawn with escape codes
    assert "loaded focus_cost 2025-03 billingaccounts-1234567 run run-2 (5 rows)" in text
    assert "telemetry_apim: 1 file(s): 1 loaded (1 rows)" in text


def test_status_lists_cost_and_telemetry_months_and_what_needs_attention(source, tmp_path, capsys) -> None:
    lake = tmp_path / "lake"
    folder = write_run(source, RunSpec("run-3", "2025-03", "2025-03-28T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    (folder / "part_0_0001.csv.gz").unlink()
    load(source, lake, "--quiet")
    capsys.readouterr()

    assert main(["status", "--lake", str(lake), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)

    months = {(m["table"], m["billing_month"]): m for m in status["months"]}
    assert months[("focus_cost", "2025-03")] | {"loaded_at": None, "age_hours": None} == {
        "table": "focus_cost",
        "billing_month": "2025-03",
        "scope": "billingaccounts-1234567",
        "run": "run-2",
        "rows": 5,
        "total": 5.0,
        "newest_run_time": "2025-03-20T00:00:00",
        "oldest_run_time": "2025-03-20T00:00:00",
        "loaded_at": None,
        "age_hours": None,
    }
    assert months[("telemetry_apim", "2025-03")]["rows"] == 1
    assert months[("focus_cost", "2025-03")]["age_hours"] > 24
    assert [(r["run_id"], r["status"]) for r in status["rejected"]] == [("run-3", "failed")]

    assert main(["status", "--lake", str(lake)]) == 0
    text = capsys.readouterr().out
    assert "telemetry_apim" in text and "1 scope(s)" in text
    assert "failed, not loaded since (the next load tries again):" in text
