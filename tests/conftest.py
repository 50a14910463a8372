"""Shared fixtures: the graph of the bundled reports, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg.store import open_read_only


@pytest.fixture(autouse=True)
def _no_user_ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads an analyst's ledger lying in the working directory: the user ledger is a
    path that does not exist unless a test writes it."""
    monkeypatch.setenv(pipeline.USER_LEDGER_ENV, str(tmp_path_factory.mktemp("ledger") / "judgements.csv"))


@pytest.fixture(scope="session")
def bundled_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store built from the bundled reports and the bundled ledger only (do not
    modify it in tests)."""
    target = tmp_path_factory.mktemp("stores") / "bundled"
    absent = tmp_path_factory.mktemp("no-ledger") / "none.csv"
    result = pipeline.build([], target, progress=None, user_ledger=absent)
    assert result.reports and not result.errors
    return target


@pytest.fixture(scope="session")
def bundled_store(bundled_store_path: Path):
    """The bundled store opened read-only (a pyoxigraph Store)."""
    return open_read_only(bundled_store_path)
