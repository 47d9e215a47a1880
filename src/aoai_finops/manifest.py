"""Cost Management export manifests: `manifest.json` (2024-04-01) and the older `_manifest.json` (2021-01-01).

A manifest describes one export run: which dataset and data version, which billing month, when it was
submitted, and the blobs it wrote with their byte and row counts. The loader trusts nothing else.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from aoai_finops.errors import ManifestError

MANIFEST_NAMES = ("manifest.json", "_manifest.json")
_EXPORTS_MARKER = "/providers/microsoft.costmanagement/exports/"
_RUN_FOLDER_DATES = re.compile(r"(?<!\d)(\d{8})-(\d{8})(?!\d)")
SCOPE_KEY_LENGTH = 150


@dataclass(frozen=True)
class ManifestBlob:
    name: str
    byte_count: int | None
    row_count: int | None
    content_md5: str | None


@dataclass(frozen=True)
class ExportRun:
    """One export run, as its manifest describes it."""

    manifest_path: str
    manifest_version: str
    run_id: str
    submitted_time: datetime
    export_name: str
    export_scope: str
    export_type: str
    data_version: str
    billing_month: str
    file_format: str
    compression: str
    row_count: int | None
    byte_count: int | None
    blobs: tuple[ManifestBlob, ...]

    @property
    def folder(self) -> PurePosixPath:
        return PurePosixPath(self.manifest_path).parent

    @property
    def scope_key(self) -> str:
        return scope_key(self.export_scope)

    @property
    def recency(self) -> tuple[datetime, str]:
        """Runs of the same partition are ordered by submitted time (naive UTC), then run id."""
        return (self.submitted_time.replace(tzinfo=None), self.run_id)


def is_manifest(path: str) -> bool:
    return PurePosixPath(path).name in MANIFEST_NAMES


def scope_key(scope: str) -> str:
    """A short folder-safe name for an export scope, one per scope (case aside).

    `/providers/Microsoft.Billing/billingAccounts/1234567` -> `billingaccounts-1234567`,
    `/subscriptions/<guid>` -> `subscriptions-<guid>`. A scope with other characters (`rg(ai)`) or too long for
    one folder name keeps a readable prefix and ends in a hash of the whole scope, so two scopes never share a
    folder (`rg(ai)` and `rg_ai_`; two accounts in a resource group of 80 characters).
    """
    parts = [part for part in scope.lower().strip("/").split("/") if part]
    kept = []
    skip_next = False
    for part in parts:
        if skip_next:
            skip_next = False
            continue
        if part == "providers":
            skip_next = True  # drop the resource provider namespace that follows it
            continue
        kept.append(part)
    key = "-".join(kept) or "unscoped"
    safe = re.sub(r"[^a-z0-9._-]", "_", key)
    if safe == key and len(key) <= SCOPE_KEY_LENGTH:
        return key
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{safe[: SCOPE_KEY_LENGTH - len(digest) - 1]}-{digest}"


def parse_manifest(content: bytes, manifest_path: str) -> ExportRun:
    """Parse and check a manifest; raises ManifestError naming the file and the field at fault."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(
            f"{manifest_path}: not a valid JSON manifest ({error}); re-run the export or delete the broken file"
        ) from error
    if not isinstance(document, dict):
        raise ManifestError(f"{manifest_path}: expected a JSON object at the top level")

    def field(*names: str, required: bool = True) -> Any:
        node: Any = document
        for name in names:
            node = node.get(name) if isinstance(node, dict) else None
        if required and node in (None, ""):
            raise ManifestError(f"{manifest_path}: required field {'.'.join(names)} is missing")
        return node

    resource_id = str(field("exportConfig", "resourceId"))
    marker = resource_id.lower().find(_EXPORTS_MARKER)
    scope = resource_id[:marker] if marker >= 0 else resource_id
    export_name = field("exportConfig", "exportName", required=False) or (
        resource_id[marker + len(_EXPORTS_MARKER) :] if marker >= 0 else PurePosixPath(manifest_path).parts[0]
    )
    run_id = str(field("runInfo", "runId"))
    submitted_time = _parse_time(field("runInfo", "submittedTime"), f"{manifest_path}: runInfo.submittedTime")
    start = field("runInfo", "startDate", required=False)
    billing_month = (
        _parse_time(start, f"{manifest_path}: runInfo.startDate").strftime("%Y-%m")
        if start
        else _month_from_folder(manifest_path)
    )
    file_format = str(
        field("deliveryConfig", "fileFormat", required=False) or field("dataFormat", required=False) or "Csv"
    ).lower()
    compression = str(field("deliveryConfig", "compressionMode", required=False) or "none").lower()
    blobs = tuple(_parse_blob(blob, manifest_path, index) for index, blob in enumerate(field("blobs") or []))
    return ExportRun(
        manifest_path=manifest_path,
        manifest_version=str(field("manifestVersion", required=False) or "unknown"),
        run_id=run_id,
        submitted_time=submitted_time,
        export_name=str(export_name),
        export_scope=scope.lower(),
        export_type=str(field("exportConfig", "type")),
        data_version=str(field("exportConfig", "dataVersion")),
        billing_month=billing_month,
        file_format=file_format,
        compression=compression,
        row_count=_optional_int(field("dataRowCount", required=False), manifest_path, "dataRowCount"),
        byte_count=_optional_int(field("byteCount", required=False), manifest_path, "byteCount"),
        blobs=blobs,
    )


def _parse_blob(blob: Any, manifest_path: str, index: int) -> ManifestBlob:
    where = f"{manifest_path}: blobs[{index}]"
    if not isinstance(blob, dict) or not blob.get("blobName"):
        raise ManifestError(f"{where}: expected an object with a blobName")
    return ManifestBlob(
        name=str(blob["blobName"]),
        byte_count=_optional_int(blob.get("byteCount"), where, "byteCount"),
        row_count=_optional_int(blob.get("dataRowCount"), where, "dataRowCount"),
        content_md5=blob.get("contentMD5") or None,
    )


def _optional_int(value: Any, where: str, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ManifestError(f"{where}: {name} must be a non-negative integer, got {value!r}")
    return int(value)


def _parse_time(value: Any, where: str) -> datetime:
    text = str(value).strip()
    # Cost Management writes 7 fractional digits; Python parses at most 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise ManifestError(f"{where}: {value!r} is not an ISO 8601 timestamp") from error
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _month_from_folder(manifest_path: str) -> str:
    match = _RUN_FOLDER_DATES.search(manifest_path)
    if not match:
        raise ManifestError(
            f"{manifest_path}: runInfo.startDate is missing and no YYYYMMDD-YYYYMMDD folder names the month"
        )
    start = match.group(1)
    return f"{start[:4]}-{start[4:6]}"
