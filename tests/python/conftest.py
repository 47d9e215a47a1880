"""Shared pytest fixtures for the Python tests."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
from filelock import FileLock

from aoai_finops.sample import SampleOptions
from pipeline import Pipeline, built_sample

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """The default sample (with the scenario's runaway, price change and double billing), built once per run.
    Read only: a test that changes a pipeline builds its own."""
    return built_once_per_run(tmp_path_factory, "default-sample", SampleOptions())


@pytest.fixture(scope="session")
def clean_sample(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """The sample without injected events, built once per run. Read only, like default_sample."""
    return built_once_per_run(tmp_path_factory, "clean-sample", SampleOptions(clean=True))


def built_once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, options: SampleOptions) -> Pipeline:
    """built_sample() of `options`, by the first pytest-xdist worker that asks for it; the others wait and share it
    (DuckDB lets several processes read one file)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return built_sample(tmp_path_factory.mktemp(name), options)
    run_folder = tmp_path_factory.getbasetemp().parent  # this run's, above each worker's own
    root, built = run_folder / name, run_folder / f"{name}.built"
    with FileLock(run_folder / f"{name}.lock"):
        if not built.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a worker that failed to build it left
            built_sample(root, options)
            built.touch()
    return Pipeline(root)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory):
    """A running Azurite blob service for this test session (see azurite.py); stopped when the session ends."""
    from azurite import running_azurite

    with running_azurite(tmp_path_factory.mktemp("azurite")) as service:
        yield service
