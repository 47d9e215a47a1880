"""Shared pytest fixtures for the Python tests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from aoai_finops.sample import SampleOptions, generate_sample
from pipeline import Pipeline

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
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """The sample (3 months, seed 7) generated, loaded and built once for every end-to-end test module."""
    built = Pipeline(tmp_path_factory.mktemp("pipeline"))
    generate_sample(built.exports, SampleOptions(months=3, seed=7))
    report = built.load()
    assert not report.failed, report.results
    # models and seeds: these tests check rows; `make dbt-test` runs every data and unit test on the default sample
    built.dbt("build", "--resource-type", "model", "--resource-type", "seed")
    return built


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory):
    """A running Azurite blob service for this test session (see azurite.py); stopped when the session ends."""
    from azurite import running_azurite

    with running_azurite(tmp_path_factory.mktemp("azurite")) as service:
        yield service
