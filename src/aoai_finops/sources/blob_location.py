"""Blob locations (`--source` URLs) and the secret-scrubbing every blob message goes through.

Kept apart from aoai_finops.sources.azure_blob so that telling a folder from a blob URL does not import the Azure
SDK (it costs a second of start-up).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from aoai_finops.errors import SourceError

CONNECTION_STRING_ENV = "AZURE_STORAGE_CONNECTION_STRING"
SAS_TOKEN_ENV = "AZURE_STORAGE_SAS_TOKEN"
ENDPOINT_ENV = "AOAI_FINOPS_BLOB_ENDPOINT"

_ACCOUNT_HOST = re.compile(r"^(?P<account>[a-z0-9]{3,24})\.(?:blob|dfs)\.(?P<suffix>.+)$", re.IGNORECASE)
# a SAS token's signature, and the connection-string fields that carry a key or a whole SAS token
_SECRET_PATTERNS = (
    re.compile(r"(?i)(sig=)[^&\s'\"]+"),
    *(re.compile(rf"(?i)({field}=)[^;\s'\"]+") for field in ("AccountKey", "SharedAccessSignature")),
)


@dataclass(frozen=True)
class BlobLocation:
    """Where the exports are: the account's blob endpoint, the container and a prefix inside it."""

    account: str
    container: str
    prefix: str  # "" or "folder/sub/" (always ending with "/")
    account_url: str
    sas_token: str | None = None  # from an https URL's query string

    def describe(self) -> str:
        return f"azure://{self.account}/{self.container}" + (f"/{self.prefix.rstrip('/')}" if self.prefix else "")


def parse_blob_location(location: str) -> BlobLocation | None:
    """The blob location a `--source` names, or None when it is not a blob URL (then it is a local folder)."""
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme == "azure":
        account = parts.netloc
        container, _, prefix = parts.path.lstrip("/").partition("/")
        account_url = f"https://{account}.blob.core.windows.net"
        sas = None
    elif scheme in ("abfs", "abfss"):
        container, _, host = parts.netloc.partition("@")
        match = _ACCOUNT_HOST.match(host)
        if not match:
            raise SourceError(f"{redact(location)}: expected abfss://<container>@<account>.dfs.core.windows.net/...")
        account = match["account"]
        prefix = parts.path.lstrip("/")
        account_url = f"https://{account}.blob.{match['suffix']}"
        sas = None
    elif scheme in ("http", "https"):
        match = _ACCOUNT_HOST.match(parts.hostname or "")
        segments = parts.path.lstrip("/")
        if match:
            account = match["account"]
            account_url = f"{scheme}://{account}.blob.{match['suffix']}"
        else:  # path-style URL of an emulator or a private endpoint: http://host:port/<account>/<container>/...
            account, _, segments = segments.partition("/")
            account_url = f"{scheme}://{parts.netloc}/{account}"
        container, _, prefix = segments.partition("/")
        sas = parts.query or None
    else:
        return None
    if not account or not container:
        raise SourceError(
            f"{redact(location)}: name an account and a container, e.g. azure://<account>/<container>[/<prefix>]"
        )
    prefix = unquote(prefix).strip("/")
    endpoint = os.environ.get(ENDPOINT_ENV)
    return BlobLocation(
        account=account,
        container=unquote(container),
        prefix=f"{prefix}/" if prefix else "",
        account_url=endpoint.rstrip("/") if endpoint else account_url,
        sas_token=sas,
    )


def redact(text: str, secrets: list[str] | None = None) -> str:
    """`text` with the given secret values, SAS signatures and account keys replaced by `***`."""
    for secret in sorted(secrets or [], key=len, reverse=True):
        text = text.replace(secret, "***")
        for part in parse_qs(secret.lstrip("?")).get("sig", []):
            text = text.replace(part, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text
