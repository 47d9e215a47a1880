"""The Azure Blob source: URL forms, auth order, secrets, and real loads through azure-storage-blob on Azurite."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote

import duckdb
import pytest

from aoai_finops.errors import SourceError
from aoai_finops.ingestion_log import IngestionLog, Status
from aoai_finops.lake import Lake, Partition
from aoai_finops.lake_status import lake_status
from aoai_finops.loader import Loader, LoadReport
from aoai_finops.sample import SampleOptions, generate_sample
from aoai_finops.sources import LocalFolderSource, open_source
from aoai_finops.sources.azure_blob import AzureBlobSource
from aoai_finops.sources.blob_location import (
    CONNECTION_STRING_ENV,
    ENDPOINT_ENV,
    SAS_TOKEN_ENV,
    parse_blob_location,
    redact,
)
from azurite import Azurite
from exports import RunSpec, cost_row, write_run

MARCH = Partition("focus_cost", "2025-03", "billingaccounts-1234567")
AUTH_ENV = (CONNECTION_STRING_ENV, SAS_TOKEN_ENV, ENDPOINT_ENV)


@pytest.fixture(autouse=True)
def clean_auth_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------------------------------------ locations


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("azure://acct/exports", ("acct", "exports", "", "https://acct.blob.core.windows.net", None)),
        (
            "azure://acct/exports/cost/focus/",
            ("acct", "exports", "cost/focus/", "https://acct.blob.core.windows.net", None),
        ),
        (
            "https://acct.blob.core.windows.net/exports/cost?sv=2024&sig=abc%3D",
            ("acct", "exports", "cost/", "https://acct.blob.core.windows.net", "sv=2024&sig=abc%3D"),
        ),
        (
            "https://acct.dfs.core.windows.net/exports",
            ("acct", "exports", "", "https://acct.blob.core.windows.net", None),
        ),
        (
            "abfss://exports@acct.dfs.core.windows.net/cost",
            ("acct", "exports", "cost/", "https://acct.blob.core.windows.net", None),
        ),
        (
            "https://acct.blob.core.chinacloudapi.cn/exports",
            ("acct", "exports", "", "https://acct.blob.core.chinacloudapi.cn", None),
        ),
        (
            "http://127.0.0.1:10000/devstoreaccount1/exports/a%20b",
            ("devstoreaccount1", "exports", "a b/", "http://127.0.0.1:10000/devstoreaccount1", None),
        ),
    ],
)
def test_blob_url_forms(location: str, expected: tuple) -> None:
    parsed = parse_blob_location(location)
    assert parsed is not None
    assert (parsed.account, parsed.container, parsed.prefix, parsed.account_url, parsed.sas_token) == expected


@pytest.mark.parametrize("location", ["data/exports", "/mnt/exports", "exports", "./x/y"])
def test_folders_are_not_blob_locations(location: str) -> None:
    assert parse_blob_location(location) is None


@pytest.mark.parametrize("location", ["azure://acct", "azure://acct/", "https://acct.blob.core.windows.net/"])
def test_a_blob_url_without_a_container_is_refused(location: str) -> None:
    with pytest.raises(SourceError, match="name an account and a container"):
        parse_blob_location(location)


def test_the_endpoint_override_replaces_the_account_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENDPOINT_ENV, "http://127.0.0.1:10000/acct/")
    parsed = parse_blob_location("azure://acct/exports")
    assert parsed is not None and parsed.account_url == "http://127.0.0.1:10000/acct"


def test_auth_order_connection_string_then_sas_token_then_default_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    location = parse_blob_location("azure://acct/exports")
    assert location is not None
    assert AzureBlobSource(location).auth_method.startswith("DefaultAzureCredential")
    monkeypatch.setenv(SAS_TOKEN_ENV, "sv=2024-01-01&sp=rl&sig=c2VjcmV0")
    assert AzureBlobSource(location).auth_method == f"SAS token ({SAS_TOKEN_ENV})"
    monkeypatch.setenv(CONNECTION_STRING_ENV, "AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net")
    assert AzureBlobSource(location).auth_method == f"connection string ({CONNECTION_STRING_ENV})"


def test_a_connection_string_of_another_account_is_refused_without_showing_it(monkeypatch) -> None:
    monkeypatch.setenv(CONNECTION_STRING_ENV, "AccountName=other;AccountKey=c2VjcmV0LWtleQ==")
    location = parse_blob_location("azure://acct/exports")
    assert location is not None
    with pytest.raises(SourceError, match="is for storage account 'other'") as raised:
        AzureBlobSource(location)
    assert "c2VjcmV0LWtleQ" not in str(raised.value)


@pytest.mark.parametrize("field", ["AccountKey", "SharedAccessSignature"])
def test_a_secret_field_of_a_connection_string_is_redacted_even_when_its_value_is_unknown(field: str) -> None:
    text = f"cannot parse 'BlobEndpoint=https://acct.blob.core.windows.net/;{field}=bm90LWEtcmVhbC12YWx1ZQ==;x=1'"
    assert redact(text) == f"cannot parse 'BlobEndpoint=https://acct.blob.core.windows.net/;{field}=***;x=1'"


# ------------------------------------------------------------------------------------------------ Azurite


def blob_load(location: str, lake: Lake) -> tuple[AzureBlobSource, LoadReport]:
    source = open_source(location)
    assert isinstance(source, AzureBlobSource)
    return source, Loader(source, lake).run()


def partition_state(lake: Lake) -> dict[Partition, tuple]:
    """What each partition holds: run id, rows and totals from the log, and the rows' digest from the file."""
    state = {}
    for partition, entry in IngestionLog(lake).current().items():
        path = lake.partition_file(partition)
        (digest,) = duckdb.sql(
            f"select sum(hash(*columns(* exclude (lake_loaded_at)))) from read_parquet('{path}')"
        ).fetchone()
        state[partition] = (entry.run_id, entry.rows, entry.billed_cost_total, entry.value_total, digest)
    return state


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blob-sample") / "exports"
    generate_sample(out, SampleOptions(months=1, runs_per_month=2))
    return out


@pytest.fixture(scope="module")
def sample_container(azurite: Azurite, sample_exports: Path) -> str:
    azurite.create_container("sample")
    azurite.upload_folder(sample_exports, "sample")
    return "sample"


def test_loading_through_blob_storage_equals_a_local_load_and_a_second_load_downloads_nothing(
    azurite: Azurite, sample_exports: Path, sample_container: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONNECTION_STRING_ENV, azurite.connection_string)
    local_lake, blob_lake = Lake(tmp_path / "local"), Lake(tmp_path / "blob")
    Loader(LocalFolderSource(sample_exports), local_lake).run()

    source, report = blob_load(f"azure://{azurite.account}/{sample_container}", blob_lake)

    assert not report.failed
    assert partition_state(blob_lake) == partition_state(local_lake)
    assert {p.table for p in partition_state(blob_lake)} == {"focus_cost", "telemetry_azure_monitor", "telemetry_apim"}
    assert source.downloads > 0
    assert not blob_lake.staging_root.exists()

    again, report = blob_load(f"azure://{azurite.account}/{sample_container}", blob_lake)

    assert again.downloads == 0
    assert {result.status for result in report.results} == {None}


def test_a_re_export_replaces_the_month_and_downloads_only_the_new_run(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONNECTION_STRING_ENV, azurite.connection_string)
    azurite.create_container("reexport")
    lake = Lake(tmp_path / "lake")
    first = write_run(
        tmp_path / "v1", RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)])
    )
    azurite.upload_folder(tmp_path / "v1", "reexport")
    blob_load(f"azure://{azurite.account}/reexport", lake)
    rows = [cost_row("2025-03-01", 1.0), cost_row("2025-03-31", 2.5)]
    second = write_run(tmp_path / "v2", RunSpec("run-2", "2025-03", "2025-04-03T06:00:00Z", rows, parts=2))
    azurite.upload_folder(tmp_path / "v2", "reexport")

    source, report = blob_load(f"azure://{azurite.account}/reexport", lake)

    assert [(r.run_id, r.status) for r in report.results if r.status] == [("run-2", Status.REPLACED)]
    assert source.downloads == 1 + 2  # the new manifest and its two parts; nothing of run-1
    assert IngestionLog(lake).current()[MARCH].billed_cost_total == 3.5
    assert first != second


def test_sas_token_in_the_url_or_the_environment_and_a_prefix(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    azurite.create_container("sas")
    write_run(tmp_path / "src", RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    azurite.upload_folder(tmp_path / "src", "sas", prefix="billing/focus/")
    token = azurite.sas_token("sas")

    source, report = blob_load(f"{azurite.blob_endpoint}/sas/billing/focus?{token}", Lake(tmp_path / "url"))
    assert source.auth_method == "SAS token (URL)"
    assert [r.status for r in report.results] == [Status.LOADED]

    monkeypatch.setenv(SAS_TOKEN_ENV, token)
    monkeypatch.setenv(ENDPOINT_ENV, azurite.blob_endpoint)
    source, report = blob_load(f"azure://{azurite.account}/sas/billing/focus", Lake(tmp_path / "env"))
    assert source.auth_method == f"SAS token ({SAS_TOKEN_ENV})"
    assert [r.status for r in report.results] == [Status.LOADED]


def test_a_blob_whose_bytes_do_not_match_its_content_md5_fails_and_the_month_is_kept(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONNECTION_STRING_ENV, azurite.connection_string)
    azurite.create_container("md5")
    lake = Lake(tmp_path / "lake")
    write_run(tmp_path / "v1", RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    azurite.upload_folder(tmp_path / "v1", "md5")
    blob_load(f"azure://{azurite.account}/md5", lake)
    folder = write_run(
        tmp_path / "v2", RunSpec("run-2", "2025-03", "2025-03-27T00:00:00Z", [cost_row("2025-03-01", 9.0)])
    )
    azurite.upload_folder(tmp_path / "v2", "md5")
    part = folder / "part_0_0001.csv.gz"
    azurite.upload("md5", part.relative_to(tmp_path / "v2").as_posix(), part.read_bytes(), content_md5=b"0" * 16)

    _, report = blob_load(f"azure://{azurite.account}/md5", lake)

    (failed,) = [r for r in report.results if r.status is Status.FAILED]  # a download damaged in flight: retried
    assert "part_0_0001.csv.gz" in failed.message and "Content-MD5" in failed.message
    assert IngestionLog(lake).current()[MARCH].run_id == "run-1"


def test_a_run_the_source_cannot_read_fails_and_the_next_load_loads_it(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SAS token without read permission: the run is `failed`, not `rejected`, so loading again with a fixed
    token loads it (a rejection would stick: the next load would call the run already loaded and load nothing)."""
    azurite.create_container("noread")
    write_run(tmp_path / "src", RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)]))
    azurite.upload_folder(tmp_path / "src", "noread")
    monkeypatch.setenv(ENDPOINT_ENV, azurite.blob_endpoint)
    lake = Lake(tmp_path / "lake")

    monkeypatch.setenv(SAS_TOKEN_ENV, azurite.sas_token("noread", read=False))
    _, report = blob_load(f"azure://{azurite.account}/noread", lake)

    (failed,) = report.results
    assert failed.status is Status.FAILED and report.failed
    assert "manifest.json" in failed.message and "not authorised" in failed.message
    assert not IngestionLog(lake).current()
    assert [entry.status for entry in lake_status(lake).rejected] == [Status.FAILED]

    monkeypatch.setenv(SAS_TOKEN_ENV, azurite.sas_token("noread"))
    _, report = blob_load(f"azure://{azurite.account}/noread", lake)

    assert [(r.run_id, r.status) for r in report.results] == [("run-1", Status.LOADED)]
    assert IngestionLog(lake).current()[MARCH].billed_cost_total == 1.0
    assert lake_status(lake).rejected == []


@pytest.mark.parametrize("file_format", ["csv", "csv.gz", "parquet", "snappy.parquet"])
def test_every_export_format_with_a_legacy_manifest_deep_in_the_container(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_format: str
) -> None:
    monkeypatch.setenv(CONNECTION_STRING_ENV, azurite.connection_string)
    container = "formats-" + file_format.replace(".", "-")
    azurite.create_container(container)
    rows = [cost_row("2025-03-01", 1.25), cost_row("2025-03-02", 2.5, BilledCost="2.75e-05")]
    spec = RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", rows, file_format=file_format, legacy_manifest=True)
    spec.subfolder = "20250320T000000Z"
    folder = write_run(tmp_path / "src", spec)
    assert (folder / "_manifest.json").exists()
    azurite.upload_folder(tmp_path / "src", container, prefix="a/b/c/")

    _, report = blob_load(f"azure://{azurite.account}/{container}", Lake(tmp_path / "lake"))

    assert [r.status for r in report.results] == [Status.LOADED], report.results
    entry = IngestionLog(Lake(tmp_path / "lake")).current()[MARCH]
    assert (entry.rows, entry.billed_cost_total) == (2, 1.25 + 2.75e-05)


def test_a_legacy_manifest_whose_content_md5_disagrees_rejects_the_run(tmp_path: Path) -> None:
    spec = RunSpec("run-1", "2025-03", "2025-03-20T00:00:00Z", [cost_row("2025-03-01", 1.0)], legacy_manifest=True)
    folder = write_run(tmp_path / "src", spec)
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["blobs"][0]["contentMD5"] = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    (folder / "_manifest.json").write_text(json.dumps(manifest))

    report = Loader(LocalFolderSource(tmp_path / "src"), Lake(tmp_path / "lake")).run()

    (rejected,) = report.results
    assert rejected.status is Status.REJECTED
    assert "part_0_0001.csv.gz: content MD5" in rejected.message


# ------------------------------------------------------------------------------------------------ secrets


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "aoai-finops"), *args]
    clean = {key: value for key, value in os.environ.items() if key not in AUTH_ENV}
    return subprocess.run(command, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_connection_strings_and_sas_tokens_never_appear_in_output_errors_or_the_lake(
    azurite: Azurite, sample_container: str, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    token = azurite.sas_token(sample_container)
    forged_signature = quote(base64.b64encode(b"forged-signature-32-bytes-long!!").decode(), safe="")
    forged = re.sub(r"sig=[^&]+", f"sig={forged_signature}", token)
    assert forged != token
    connection = {CONNECTION_STRING_ENV: azurite.connection_string}
    runs = [
        run_cli(
            "load",
            "--source",
            f"azure://{azurite.account}/{sample_container}",
            "--lake",
            str(lake),
            "--json-log",
            env=connection,
        ),
        run_cli("load", "--source", f"azure://{azurite.account}/missing", "--lake", str(lake), env=connection),
        run_cli(
            "load", "--source", f"{azurite.blob_endpoint}/{sample_container}?{forged}", "--lake", str(lake), env={}
        ),
        run_cli(
            "load",
            "--source",
            f"azure://{azurite.account}/{sample_container}",
            "--lake",
            str(tmp_path / "sas-lake"),
            env={SAS_TOKEN_ENV: token, ENDPOINT_ENV: azurite.blob_endpoint},
        ),
        run_cli("status", "--lake", str(lake), env=connection),
    ]
    assert [run.returncode for run in runs] == [0, 2, 2, 0, 0], [run.stderr for run in runs]
    assert "ContainerNotFound" in runs[1].stderr or "check the container" in runs[1].stderr
    assert "not authorised" in runs[2].stderr

    secrets = [
        azurite.key,
        azurite.connection_string,
        token,
        forged,
        parse_qs(token)["sig"][0],
        parse_qs(forged)["sig"][0],
    ]
    outputs = "\n".join(run.stdout + run.stderr for run in runs)
    files = [path for root in (lake, tmp_path / "sas-lake") for path in root.rglob("*") if path.is_file()]
    assert len(files) > 10
    parquet_text = "\n".join(
        str(duckdb.sql(f"select * from read_parquet('{path}')").fetchall())
        for path in files
        if path.suffix == ".parquet"
    )
    for secret in secrets:
        assert secret not in outputs
        assert secret not in parquet_text
        for path in files:
            assert secret.encode() not in path.read_bytes(), path
    logged_sources = {entry.source for entry in IngestionLog(Lake(lake)).entries()}
    assert logged_sources == {f"azure://{azurite.account}/{sample_container}"}
