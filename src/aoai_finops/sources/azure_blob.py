"""An Azure Blob Storage container (or a folder in it) where Cost Management writes exports.

Locations (docs/loading.md, "Sources"):

- `azure://<account>/<container>[/<prefix>]`
- `https://<account>.blob.core.windows.net/<container>[/<prefix>][?<SAS token>]` (also `.dfs.` and other clouds)
- `abfss://<container>@<account>.dfs.core.windows.net[/<prefix>]`
- `http://127.0.0.1:10000/<account>/<container>[/<prefix>]` (path-style, as the Azurite emulator serves it)

Authentication, first that applies: the connection string in AZURE_STORAGE_CONNECTION_STRING; a SAS token in
AZURE_STORAGE_SAS_TOKEN (or in the https URL); else DefaultAzureCredential (environment, workload or managed
identity, Azure CLI). AOAI_FINOPS_BLOB_ENDPOINT overrides the account URL (e.g. Azurite's
`http://127.0.0.1:10000/devstoreaccount1`). Secrets never leave this module: `describe()` and every error message
are redacted.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
)
from azure.storage.blob import BlobServiceClient, ContainerClient

from aoai_finops.errors import SourceError
from aoai_finops.sources.base import SourceFile
from aoai_finops.sources.blob_location import (
    CONNECTION_STRING_ENV,
    ENDPOINT_ENV,
    SAS_TOKEN_ENV,
    BlobLocation,
    redact,
)

# Downloads are streamed in chunks of this size: memory stays flat whatever the blob's size.
CHUNK_BYTES = 4 * 1024 * 1024

_azure_logging_quieted = False


class AzureBlobSource:
    """Reads a container through azure-storage-blob; counts what it downloads (tests assert incremental loads)."""

    def __init__(self, location: BlobLocation) -> None:
        _quiet_azure_logging()
        self.location = location
        self.downloads = 0
        self.downloaded_bytes = 0
        self._secrets = _secrets()
        if location.sas_token:
            self._secrets.append(location.sas_token)
        self.auth_method, self._container = self._connect()

    def describe(self) -> str:
        return self.location.describe()

    # -- ExportSource ----------------------------------------------------------------------------------------

    def list_files(self) -> Iterator[SourceFile]:
        prefix = self.location.prefix
        try:
            for blob in self._container.list_blobs(name_starts_with=prefix or None, include=["metadata"]):
                if (blob.metadata or {}).get("hdi_isfolder") == "true":
                    continue  # a folder of a hierarchical-namespace (ADLS Gen2) account
                md5 = blob.content_settings.content_md5 if blob.content_settings else None
                yield SourceFile(
                    path=blob.name[len(prefix) :],
                    size=blob.size,
                    content_md5=bytes(md5) if md5 else None,
                    last_modified=blob.last_modified,
                )
        except AzureError as error:
            raise self._error("cannot list the files of", self.describe(), error) from None

    def read_bytes(self, path: str) -> bytes:
        try:
            content = self._container.download_blob(self.location.prefix + path).readall()
        except AzureError as error:
            raise self._error("cannot read", f"{path} in {self.describe()}", error) from None
        self.downloads += 1
        self.downloaded_bytes += len(content)
        return content

    def download(self, path: str, destination: Path, progress: Callable[[int], None] | None = None) -> None:
        """Stream the blob to `destination` chunk by chunk, checking its length and Content-MD5 when Azure has one."""
        digest = hashlib.md5(usedforsecurity=False)
        written = 0
        try:
            stream = self._container.download_blob(self.location.prefix + path, max_concurrency=1)
            with open(destination, "wb") as handle:
                for chunk in stream.chunks():
                    handle.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    if progress is not None:
                        progress(len(chunk))
        except AzureError as error:
            raise self._error("cannot download", f"{path} in {self.describe()}", error) from None
        except OSError as error:
            raise SourceError(f"cannot write {destination}: {error.strerror}") from None
        self.downloads += 1
        self.downloaded_bytes += written
        if written != stream.size:
            raise SourceError(f"{path}: downloaded {written} bytes of {stream.size}; load again")
        expected = stream.properties.content_settings.content_md5
        if expected and bytes(expected) != digest.digest():
            raise SourceError(
                f"{path}: the downloaded bytes do not match the blob's Content-MD5 "
                f"({base64.b64encode(digest.digest()).decode()} vs {base64.b64encode(bytes(expected)).decode()}); "
                "load again, or re-run the export if it persists"
            )

    # -- connection and errors -------------------------------------------------------------------------------

    def _connect(self) -> tuple[str, ContainerClient]:
        location = self.location
        # Small ranges: the first GET and every chunk are at most CHUNK_BYTES, so a download never buffers a
        # whole blob (the SDK's default first GET is 32 MB).
        options = {"max_single_get_size": CHUNK_BYTES, "max_chunk_get_size": CHUNK_BYTES}
        connection_string = os.environ.get(CONNECTION_STRING_ENV)
        sas_token = location.sas_token or os.environ.get(SAS_TOKEN_ENV)
        try:
            if connection_string:
                settings = _connection_settings(connection_string)
                named = settings.get("accountname")
                if named and named.lower() != location.account.lower():
                    raise SourceError(
                        f"{CONNECTION_STRING_ENV} is for storage account {named!r}, the source names "
                        f"{location.account!r}; use the account's own connection string or unset it"
                    )
                service = BlobServiceClient.from_connection_string(connection_string, **options)
                method = f"connection string ({CONNECTION_STRING_ENV})"
            elif sas_token:
                service = BlobServiceClient(location.account_url, credential=sas_token.lstrip("?"), **options)
                method = "SAS token (" + ("URL" if location.sas_token else SAS_TOKEN_ENV) + ")"
            else:
                from azure.identity import DefaultAzureCredential

                credential = DefaultAzureCredential(exclude_interactive_browser_credential=True)
                service = BlobServiceClient(location.account_url, credential=credential, **options)
                method = "DefaultAzureCredential (environment, managed identity, Azure CLI, ...)"
        except (ValueError, AzureError) as error:
            raise SourceError(
                f"{self.describe()}: cannot set up the storage client: {self._redact(str(error))}"
            ) from None
        return method, service.get_container_client(location.container)

    def _error(self, action: str, what: str, error: Exception) -> SourceError:
        where = f"{action} {what} (auth: {self.auth_method})"
        text = str(error).strip()
        if type(error).__name__ == "CredentialUnavailableError" or "DefaultAzureCredential failed" in text:
            advice = (
                f"no Azure credential found: set {CONNECTION_STRING_ENV} or {SAS_TOKEN_ENV}, sign in with "
                "`az login`, or run with a managed identity"
            )
        elif isinstance(error, ResourceNotFoundError):
            advice = "check the container and prefix of --source"
        elif isinstance(error, ClientAuthenticationError) or (
            isinstance(error, HttpResponseError) and error.status_code in (401, 403)
        ):
            advice = (
                "not authorised: check the credential's permissions (Storage Blob Data Reader) or the SAS token's "
                "expiry and permissions (read, list)"
            )
        elif isinstance(error, ServiceRequestError):
            advice = f"cannot reach {self.location.account_url}: check the account name, network or {ENDPOINT_ENV}"
        else:
            advice = "load again later; if it persists, check the storage account"
        code = getattr(error, "error_code", None) or getattr(error, "status_code", None)
        code = getattr(code, "value", code)  # StorageErrorCode is an enum
        detail = self._redact(text.splitlines()[0] if text else type(error).__name__)
        return SourceError(f"{where}: {detail}{f' ({code})' if code else ''}; {advice}")

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)


def _connection_settings(connection_string: str) -> dict[str, str]:
    settings = {}
    for part in connection_string.split(";"):
        key, separator, value = part.partition("=")
        if separator:
            settings[key.strip().lower()] = value.strip()
    return settings


def _secrets() -> list[str]:
    """Every secret value the environment gives us, so messages can be scrubbed of them."""
    found = []
    connection_string = os.environ.get(CONNECTION_STRING_ENV)
    if connection_string:
        found.append(connection_string)
        settings = _connection_settings(connection_string)
        found += [settings[key] for key in ("accountkey", "sharedaccesssignature") if settings.get(key)]
    sas_token = os.environ.get(SAS_TOKEN_ENV)
    if sas_token:
        found.append(sas_token)
    return found


def _quiet_azure_logging() -> None:
    """The SDK's own log records (request URLs, headers) never reach our output: our errors say what matters."""
    global _azure_logging_quieted
    if not _azure_logging_quieted:
        logger = logging.getLogger("azure")
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        _azure_logging_quieted = True
