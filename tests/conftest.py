"""Shared fixtures: the graph of the bundled reports, built once per test session. A test that
uses it (``bundled_store`` or ``bundled_store_path``) is marked ``integration`` automatically, so
``-m "not integration"`` runs the unit tests alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyoxigraph import NamedNode, RdfFormat, Store

from smelterkg import pipeline
from smelterkg.ontology.iris import ONTOLOGY_GRAPH
from smelterkg.store import open_read_only


BUNDLED_FIXTURES = frozenset({"bundled_store", "bundled_store_path"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the bundled store (directly or through another fixture)."""
    for item in items:
        if BUNDLED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _no_user_ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads an analyst's ledger lying in the working directory: the user ledger is a
    path that does not exist unless a test writes it."""
    monkeypatch.setenv(pipeline.USER_LEDGER_ENV, str(tmp_path_factory.mktemp("ledger") / "judgements.csv"))


MINI_GRAPH = Path(__file__).parent / "data" / "graph" / "mini.nq"
TINY_REPORT = Path(__file__).parent / "data" / "reports" / "tiny-2019.txt"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A three-row report (gold, tin, tungsten) in its own folder, for builds that must be quick."""
    report = tmp_path / "inputs" / "example-2019-form-sd.txt"
    report.parent.mkdir()
    report.write_bytes(TINY_REPORT.read_bytes())
    return report
ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"


@pytest.fixture(scope="session")
def mini_store():
    """The hand-made graph ``tests/data/graph/mini.nq`` (its header says what it holds), the yearly
    facts a build derives from it (``mini-yearly.nq``), with the vocabulary and the status schemes, in an in-memory pyoxigraph Store (do not modify it)."""
    store = Store()
    store.load(path=str(MINI_GRAPH), format=RdfFormat.N_QUADS)
    store.load(path=str(MINI_GRAPH.with_name("mini-yearly.nq")), format=RdfFormat.N_QUADS)  # its graph/yearly
    for name in ("smelterkg.ttl", "statuses.ttl"):
        store.load(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE, to_graph=NamedNode(ONTOLOGY_GRAPH))
    return store


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


REFERENCE_REPORT = """Example Devices Corp.
Conflict Minerals Report

This report of Example Devices Corp. ("Example") covers the reporting period from January 1, 2024 to December 31, 2024.

Metal\tSmelter Name\tCountry\tStatus
Gold\tKitami Precious Metal Co., Ltd.\tJAPAN\tActive
Gold\tAurora Refinery\tSWITZERLAND\tConformant
Gold\tUnheard-of Example Refinery\tJAPAN\tConformant
"""


@pytest.fixture(scope="session")
def reference_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built with RMI reference data, from fixtures only: a filer's 2024 report (names RMI
    lists only as a look-up alias, and one it does not know), a supplier's filled CMRT (its look-up
    is the reference list), and an RMI Conformant facility list of 2024 given with --reference."""
    inputs = tmp_path_factory.mktemp("reference-inputs")
    report = inputs / "example-2024.txt"
    report.write_text(REFERENCE_REPORT, encoding="utf-8")
    data = Path(__file__).parent / "data"
    target = tmp_path_factory.mktemp("stores") / "reference"
    absent = tmp_path_factory.mktemp("no-ledger") / "none.csv"
    result = pipeline.build(
        [report, data / "cmrt" / "cmrt_en.xlsx"], target, progress=None, user_ledger=absent,
        references=[data / "facility-lists" / "rmi_conformant_utf8_2024-01.csv"],
    )  # fmt: skip
    assert len(result.reports) == 3 and not result.errors, result.errors
    return target


@pytest.fixture(scope="session")
def reference_store(reference_store_path: Path):
    return open_read_only(reference_store_path)
