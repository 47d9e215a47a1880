"""Export sources: `open_source(location)` picks the implementation from the location's form."""

from __future__ import annotations

from aoai_finops.sources.base import ExportSource, SourceFile, safe_relative_path
from aoai_finops.sources.local import LocalFolderSource

__all__ = ["ExportSource", "LocalFolderSource", "SourceFile", "open_source", "safe_relative_path"]


def open_source(location: str) -> ExportSource:
    """A source for a local folder path. (Azure Blob locations are added by the Azure source.)"""
    return LocalFolderSource(location)
