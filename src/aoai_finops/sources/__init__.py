"""Export sources: `open_source(location)` picks the implementation from the location's form."""

from __future__ import annotations

from aoai_finops.sources.base import ExportSource, SourceFile, safe_relative_path
from aoai_finops.sources.local import LocalFolderSource

__all__ = ["ExportSource", "LocalFolderSource", "SourceFile", "open_source", "safe_relative_path"]


def open_source(location: str) -> ExportSource:
    """An Azure Blob source for a blob URL (azure://, https://, abfss://), else a local folder."""
    from aoai_finops.sources.azure_blob import AzureBlobSource, parse_blob_location

    blob_location = parse_blob_location(location)
    if blob_location is not None:
        return AzureBlobSource(blob_location)
    return LocalFolderSource(location)
