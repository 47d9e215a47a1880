"""A folder on the local disk (or a mounted share) laid out like a Cost Management export container."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from aoai_finops.errors import SourceError
from aoai_finops.sources.base import SourceFile, safe_relative_path


class LocalFolderSource:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise SourceError(f"source folder {self.root} does not exist or is not a folder; check --source")

    def describe(self) -> str:
        return str(self.root)

    def list_files(self) -> Iterator[SourceFile]:
        for path in sorted(self.root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                yield SourceFile(
                    path=path.relative_to(self.root).as_posix(),
                    size=stat.st_size,
                    last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
                )

    def _resolve(self, path: str) -> Path:
        return self.root.joinpath(*safe_relative_path(path, context=str(self.root)).parts)

    def read_bytes(self, path: str) -> bytes:
        try:
            return self._resolve(path).read_bytes()
        except OSError as error:
            raise SourceError(f"cannot read {self.root / path}: {error.strerror}") from error

    def download(self, path: str, destination: Path, progress: Callable[[int], None] | None = None) -> None:
        try:
            shutil.copyfile(self._resolve(path), destination)
            if progress is not None:
                progress(destination.stat().st_size)
        except OSError as error:
            raise SourceError(f"cannot copy {self.root / path}: {error.strerror}") from error

    def local_path(self, path: str) -> Path:
        """The file itself: local sources are read in place instead of copied."""
        return self._resolve(path)
