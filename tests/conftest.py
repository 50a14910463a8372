"""Shared fixtures: the graph of the bundled reports, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg.store import open_read_only


@pytest.fixture(scope="session")
def bundled_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store built from the bundled reports (do not modify it in tests)."""
    target = tmp_path_factory.mktemp("stores") / "bundled"
    result = pipeline.build([], target, progress=None)
    assert result.reports and not result.errors
    return target


@pytest.fixture(scope="session")
def bundled_store(bundled_store_path: Path):
    """The bundled store opened read-only (a pyoxigraph Store)."""
    return open_read_only(bundled_store_path)
