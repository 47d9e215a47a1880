"""The interface every export source implements: list files, read small ones, stream big ones to disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Protocol

from aoai_finops.errors import UnsafePathError


@dataclass(frozen=True)
class SourceFile:
    """A file in a source. `path` is POSIX-style and relative to the source root (a blob name, for Azure)."""

    path: str
    size: int | None = None
    content_md5: bytes | None = None
    last_modified: datetime | None = None


class ExportSource(Protocol):
    """Where Cost Management exports and telemetry files are read from: a local folder or a blob container."""

    def describe(self) -> str:
        """A human-readable location, safe to log: never contains a secret."""
        ...

    def list_files(self) -> Iterator[SourceFile]:
        """Every file under the root, at any depth."""
        ...

    def read_bytes(self, path: str) -> bytes:
        """The whole content of a small file (a manifest)."""
        ...

    def download(self, path: str, destination: Path, progress: Callable[[int], None] | None = None) -> None:
        """Stream a file to a local path without holding it in memory; `progress` gets each chunk's byte count."""
        ...


def safe_relative_path(name: str, *, context: str) -> PurePosixPath:
    """A source path as a relative POSIX path, refusing anything that could escape a folder.

    Blob names come from manifests we do not control: `..`, absolute paths and backslashes are rejected so a
    crafted manifest can never make the loader read or write outside its folders.
    """
    if not name or "\\" in name or name.startswith("/") or "\x00" in name:
        raise UnsafePathError(f"{context}: unsafe path {name!r} (absolute, empty or with backslashes); refusing it")
    path = PurePosixPath(name)
    if any(part in ("..", ".") for part in path.parts) or path.is_absolute():
        raise UnsafePathError(f"{context}: unsafe path {name!r} (contains '..' or '.'); refusing it")
    return path
