"""Export sources: `open_source(location)` picks the implementation from the location's form."""

from __future__ import annotations

from aoai_finops.sources.base import ExportSource, SourceFile, safe_relative_path
from aoai_finops.sources.blob_location import BlobLocation, parse_blob_location
from aoai_finops.sources.local import LocalFolderSource

__all__ = [
    "BlobLocation",
    "ExportSource",
    "LocalFolderSource",
    "SourceFile",
    "open_source",
    "parse_blob_location",
    "safe_relative_path",
]


def open_source(location: str) -> ExportSource:
    """An Azure Blob source for a blob URL (azure://, https://, abfss://), else a local folder."""
    blob_location = parse_blob_location(location)
    if blob_location is None:
        return LocalFolderSource(location)
    from aoai_finops.sources.azure_blob import AzureBlobSource  # the Azure SDK only when a blob URL needs it

    return AzureBlobSource(blob_location)
