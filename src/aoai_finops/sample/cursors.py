"""One DuckDB cursor per worker thread: connections are not shared between threads, and per-connection state
(variables) is set up once per thread instead of once per query."""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb

Setup = Callable[[duckdb.DuckDBPyConnection], None]


class ThreadCursors:
    def __init__(self, con: duckdb.DuckDBPyConnection, setup: Setup | None = None) -> None:
        self._con = con
        self._setup = setup
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[duckdb.DuckDBPyConnection] = []

    def get(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                cursor = self._con.cursor()
                self._opened.append(cursor)
            if self._setup is not None:
                self._setup(cursor)
            self._local.cursor = cursor
        return cursor

    def close(self) -> None:
        for cursor in self._opened:
            cursor.close()
        self._opened.clear()

    def __enter__(self) -> ThreadCursors:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
