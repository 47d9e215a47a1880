"""The bad input catalog (issue #3): every damaged or odd export either loads as documented or is rejected with a
message naming the file and the problem, and the month keeps its previous data byte for byte."""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from aoai_finops.datasets import dataset_for
from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.lake_status import lake_status
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.sources import LocalFolderSource
from exports import RunSpec, cost_row, csv_bytes, write_raw_run, write_run

MARCH = Partition("focus_cost", "2025-03", "billingaccounts-1234567")
PART = "part_0_0001"


def load(source: Path, lake: Lake) -> LoadReport:
    return Loader(LocalFolderSource(source), lake).run()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_manifest(folder: Path, change: Callable[[dict], None], name: str = "manifest.json") -> None:
    manifest = json.loads((folder / name).read_text())
    change(manifest)
    (folder / name).write_text(json.dumps(manifest))


def replace_part(folder: Path, name: str, content: bytes) -> None:
    """Put other bytes in a part and keep the manifest's byteCount right, so the check under test is reached."""
    (folder / name).write_bytes(content)

    def fix(manifest: dict) -> None:
        for blob in manifest["blobs"]:
            if blob["blobName"].endswith(name):
                blob["byteCount"] = len(content)
        manifest["byteCount"] = sum(blob["byteCount"] for blob in manifest["blobs"])

    edit_manifest(folder, fix)


def csv_text(folder: Path, name: str = f"{PART}.csv.gz") -> str:
    return gzip.decompress((folder / name).read_bytes()).decode("utf-8")


def new_run(source: Path, **options) -> tuple[Path, RunSpec]:
    rows = options.pop("rows", [cost_row("2025-03-02", 5.0)] * 4)
    spec = RunSpec("run-2", "2025-03", "2025-03-21T00:00:00Z", rows, **options)
    return write_run(source, spec), spec


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


@pytest.fixture
def source(tmp_path: Path, lake: Lake) -> Path:
    """A source whose March is already loaded from run-1."""
    root = tmp_path / "source"
    write_run(root, RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)] * 3))
    assert [r.status for r in load(root, lake).results] == [Status.LOADED]
    return root


# --------------------------------------------------------------------------------------------- rejected, month kept


def manifest_not_json(source: Path) -> str:
    folder, _ = new_run(source)
    (folder / "manifest.json").write_text('{"manifestVersion": "2024-04-01", "blobs": [')
    return "run-2/manifest.json: not a valid JSON manifest"


def row_count_mismatch(source: Path) -> str:
    folder, _ = new_run(source)

    def more_rows(manifest: dict) -> None:
        manifest["blobs"][0]["dataRowCount"] = manifest["dataRowCount"] = 5

    edit_manifest(folder, more_rows)
    return f"{PART}.csv.gz: 4 data rows, the manifest says 5"


def byte_count_mismatch(source: Path) -> str:
    folder, _ = new_run(source)
    edit_manifest(folder, lambda manifest: manifest["blobs"][0].update(byteCount=12345))
    return "the manifest says 12345; the file is truncated or was replaced"


def truncated_gzip(source: Path) -> str:
    folder, _ = new_run(source, rows=[cost_row("2025-03-02", 5.0)] * 400)
    content = (folder / f"{PART}.csv.gz").read_bytes()
    replace_part(folder, f"{PART}.csv.gz", content[: len(content) * 2 // 3])
    return f"{PART}.csv.gz: truncated gzip"


def truncated_gzip_and_no_counts_in_the_manifest(source: Path) -> str:
    """Cut at a line end, nothing but the gzip stream can tell: DuckDB reads the rows before the cut and stops."""
    folder, _ = new_run(source, rows=[cost_row("2025-03-02", 5.0)] * 400)
    text = csv_text(folder).encode()
    compressor = zlib.compressobj(wbits=31)  # gzip, flushed at a line end, never finished: no final block, no trailer
    cut = text.index(b"\n", len(text) // 2) + 1
    (folder / f"{PART}.csv.gz").write_bytes(compressor.compress(text[:cut]) + compressor.flush(zlib.Z_SYNC_FLUSH))

    def no_counts(manifest: dict) -> None:
        for blob in manifest["blobs"]:
            del blob["byteCount"], blob["dataRowCount"]
        del manifest["byteCount"], manifest["dataRowCount"]

    edit_manifest(folder, no_counts)
    return f"{PART}.csv.gz: truncated gzip"


def corrupt_parquet(source: Path) -> str:
    folder, _ = new_run(source, file_format="parquet")
    content = (folder / f"{PART}.parquet").read_bytes()
    replace_part(folder, f"{PART}.parquet", content[:200] + b"\0" * 64 + content[264:-40])
    return f"{PART}.parquet: not a readable Parquet file"


def unknown_dataset_type(source: Path) -> str:
    folder, _ = new_run(source)
    edit_manifest(folder, lambda manifest: manifest["exportConfig"].update(type="ReservationTransactions"))
    known = "FocusCost, ActualCost, AmortizedCost, PriceSheet"
    return f"unknown export dataset type 'ReservationTransactions' (known: {known})"


def unknown_data_version(source: Path) -> str:
    folder, _ = new_run(source)
    edit_manifest(folder, lambda manifest: manifest["exportConfig"].update(dataVersion="9.9"))
    return "unknown FocusCost data version '9.9'"


def missing_required_columns(source: Path) -> str:
    folder, _ = new_run(source)
    lines = [line.split(",") for line in csv_text(folder).splitlines()]
    dropped = lines[0].index("BilledCost")
    kept = "\n".join(",".join(v for i, v in enumerate(line) if i != dropped) for line in lines) + "\n"
    replace_part(folder, f"{PART}.csv.gz", gzip.compress(kept.encode(), mtime=0))
    return f"{PART}.csv.gz: required column(s) missing for FocusCost 1.0r2: BilledCost"


def non_utf8_bytes(source: Path) -> str:
    folder, _ = new_run(
        source, rows=[cost_row("2025-03-02", 5.0), cost_row("2025-03-02", 5.0, BillingAccountName="Café")]
    )
    content = csv_text(folder).encode("utf-8").replace("Café".encode(), "Café".encode("latin-1"))
    replace_part(folder, f"{PART}.csv.gz", gzip.compress(content, mtime=0))
    return "not utf-8 encoded"


def value_does_not_convert(source: Path) -> str:
    new_run(source, rows=[cost_row("2025-03-01", 1.0), cost_row("2025-03-02", 1.0, BilledCost="twelve")])
    return "Line: 3 | Original Line: twelve,/providers/Microsoft.Billing/billingAccounts/1234567"


def a_date_that_does_not_read(source: Path) -> str:
    """Dates are parsed after DuckDB's reader, whose own error would name no file, line or column."""
    rows = [cost_row("2025-03-02", 5.0)] * 9
    rows[4] = cost_row("2025-03-02", 5.0, ChargePeriodStart="13/01/2025")  # the second row of the second part
    new_run(source, rows=rows, parts=3)
    return "part_0_0002.csv.gz: line 3, column ChargePeriodStart: cannot read '13/01/2025' as a timestamp"


def rows_with_too_few_fields(source: Path) -> str:
    folder, _ = new_run(source)
    replace_part(folder, f"{PART}.csv.gz", gzip.compress((csv_text(folder) + "1.5,oops\n").encode(), mtime=0))
    return "Expected Number of Columns"


@pytest.mark.parametrize(
    "make_bad_run",
    [
        manifest_not_json,
        row_count_mismatch,
        byte_count_mismatch,
        truncated_gzip,
        truncated_gzip_and_no_counts_in_the_manifest,
        corrupt_parquet,
        unknown_dataset_type,
        unknown_data_version,
        missing_required_columns,
        non_utf8_bytes,
        value_does_not_convert,
        a_date_that_does_not_read,
        rows_with_too_few_fields,
    ],
)
def test_a_bad_run_is_rejected_naming_file_and_problem_and_the_month_is_kept(
    source: Path, lake: Lake, make_bad_run: Callable[[Path], str]
) -> None:
    before = digest(lake.partition_file(MARCH))
    expected = make_bad_run(source)

    report = load(source, lake)

    (rejected,) = [result for result in report.results if result.status is Status.REJECTED]
    assert "run-2" in rejected.message  # the run's manifest path names it
    assert expected in rejected.message
    assert report.failed
    assert digest(lake.partition_file(MARCH)) == before
    assert IngestionLog(lake).current()[MARCH].run_id == "run-1"
    assert {entry.status for entry in IngestionLog(lake).entries() if entry.run_id == "run-2"} <= {Status.REJECTED}
    assert not lake.staging_root.exists()


def test_a_manifest_fixed_after_its_rejection_loads_and_leaves_no_rejection_in_the_status(
    source: Path, lake: Lake
) -> None:
    manifest_not_json(source)
    assert load(source, lake).failed
    (rejected,) = lake_status(lake).rejected
    assert "not a valid JSON manifest" in rejected.message

    new_run(source)  # the same run written again, its manifest whole (and newer)
    report = load(source, lake)

    assert [(r.run_id, r.status) for r in report.results if r.status] == [("run-2", Status.REPLACED)]
    assert lake_status(lake).rejected == []


# ------------------------------------------------------------------------------------- failed, tried again by itself


def test_a_run_whose_listed_part_is_missing_fails_and_loads_when_the_part_arrives(source: Path, lake: Lake) -> None:
    folder, _ = new_run(source, parts=2)
    late_part = folder / "part_0_0002.csv.gz"
    held_back = late_part.read_bytes()
    late_part.unlink()
    before = digest(lake.partition_file(MARCH))

    report = load(source, lake)

    (failed,) = [result for result in report.results if result.status is Status.FAILED]
    assert "run-2" in failed.message and "part_0_0002.csv.gz, which does not exist" in failed.message
    assert "the next load tries it again" in failed.message
    assert report.failed
    assert digest(lake.partition_file(MARCH)) == before
    assert [entry.run_id for entry in lake_status(lake).rejected] == ["run-2"]

    late_part.write_bytes(held_back)
    report = load(source, lake)

    assert [(r.run_id, r.status) for r in report.results if r.status] == [("run-2", Status.REPLACED)]
    assert not report.failed
    assert IngestionLog(lake).current()[MARCH].run_id == "run-2"
    assert lake_status(lake).rejected == []


# --------------------------------------------------------------------------------------------- loaded, with a note


def test_extra_unknown_columns_are_kept_in_lake_extra_columns_and_warned(source: Path, lake: Lake) -> None:
    folder, _ = new_run(source)
    lines = csv_text(folder).splitlines()
    text = "\n".join([lines[0] + ",x_NewColumn", *(line + ",new value" for line in lines[1:])]) + "\n"
    replace_part(folder, f"{PART}.csv.gz", gzip.compress(text.encode(), mtime=0))

    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.REPLACED]
    extras = duckdb.sql(f"select distinct lake_extra_columns from read_parquet('{lake.partition_file(MARCH)}')")
    assert extras.fetchall() == [('{"x_NewColumn":"new value"}',)]
    assert any(
        f"{PART}.csv.gz: unknown column(s) kept in lake_extra_columns: x_NewColumn" in w for w in report.warnings
    )


def test_parts_with_their_columns_in_another_order_load_by_name(source: Path, lake: Lake) -> None:
    columns = [column.name for column in dataset_for("FocusCost").columns_for("1.0r2")]
    first = csv_bytes(columns, [cost_row("2025-03-02", 5.0, EffectiveCost="4.0")])
    second = csv_bytes(columns[::-1], [cost_row("2025-03-03", 20.0, EffectiveCost="16.0")] * 2)
    write_raw_run(source, RunSpec("run-2", "2025-03", "2025-03-21T00:00:00Z", []), [(first, 1), (second, 2)])

    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.REPLACED]
    by_part = duckdb.sql(
        "select regexp_extract(lake_source_file, 'part_0_000[0-9]'), sum(BilledCost), sum(EffectiveCost), "
        f"min(ChargePeriodStart) from read_parquet('{lake.partition_file(MARCH)}') group by all order by all"
    ).fetchall()
    assert by_part == [
        ("part_0_0001", 5.0, 4.0, datetime(2025, 3, 2)),
        ("part_0_0002", 40.0, 32.0, datetime(2025, 3, 3)),
    ]


def test_a_utf8_byte_order_mark_loads(source: Path, lake: Lake) -> None:
    folder, _ = new_run(source)
    replace_part(folder, f"{PART}.csv.gz", gzip.compress(b"\xef\xbb\xbf" + csv_text(folder).encode(), mtime=0))

    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.REPLACED]
    assert IngestionLog(lake).current()[MARCH].billed_cost_total == 20.0


@pytest.mark.parametrize("form", ["no blobs", "header only"])
def test_an_empty_export_keeps_the_previous_data(source: Path, lake: Lake, form: str) -> None:
    before = digest(lake.partition_file(MARCH))
    folder, _ = new_run(source, rows=[])
    if form == "no blobs":
        (folder / f"{PART}.csv.gz").unlink()
        edit_manifest(folder, lambda manifest: manifest.update(blobs=[], blobCount=0, byteCount=0))

    report = load(source, lake)

    assert [(r.run_id, r.status) for r in report.results if r.status] == [("run-2", Status.EMPTY_KEPT_PREVIOUS)]
    assert not report.failed
    assert digest(lake.partition_file(MARCH)) == before


def test_a_duplicated_run_is_loaded_once_and_warned(source: Path, lake: Lake) -> None:
    before = digest(lake.partition_file(MARCH))
    write_run(
        source,
        RunSpec("run-1", "2025-03", "2025-03-10T00:00:00Z", [cost_row("2025-03-01", 1.0)] * 3, export_name="copy"),
    )

    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.SKIPPED_DUPLICATE]
    assert any("run run-1 appears again at exports/copy/" in warning for warning in report.warnings)
    assert digest(lake.partition_file(MARCH)) == before


def test_a_part_file_not_listed_in_the_manifest_is_ignored_and_warned(source: Path, lake: Lake) -> None:
    folder, _ = new_run(source)
    (folder / "part_9_0001.csv.gz").write_bytes((folder / f"{PART}.csv.gz").read_bytes())

    report = load(source, lake)

    assert [r.status for r in report.results if r.status] == [Status.REPLACED]
    assert IngestionLog(lake).current()[MARCH].rows == 4
    assert any("part_9_0001.csv.gz: not listed in" in warning and "ignored" in warning for warning in report.warnings)
