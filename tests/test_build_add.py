"""`smelterkg build --add` (issue 13, item 4): reports are added to an existing store without
reading the old ones again, atomically, and no facility is renamed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from smelterkg import pipeline
from smelterkg.data import REPORTS_DIR
from smelterkg.store import StoreError, open_read_only

FACILITIES = "PREFIX skg: <https://w3id.org/smelterkg/ontology#> SELECT ?f WHERE { ?f a skg:Facility }"
DOCUMENTS = "PREFIX skg: <https://w3id.org/smelterkg/ontology#> SELECT ?d WHERE { GRAPH ?d { ?d a skg:SourceDocument } }"
LATER = ("qualys-2019-form-sd.txt", "qualys-2022-form-sd.txt")
EARLIER = ("qualys-2013-form-sd.txt", "qualys-2014-form-sd.txt", "qualys-2017-form-sd.txt")


def _build(paths, target: Path, ledger: Path, **kwargs) -> pipeline.BuildResult:
    return pipeline.build(paths, target, progress=None, user_ledger=ledger, **kwargs)


def _facilities(target: Path) -> set[str]:
    return {s["f"].value for s in open_read_only(target).query(FACILITIES, use_default_graph_as_union=True)}


def _graph(target: Path, graph: str) -> set[str]:
    return {str(q) for q in open_read_only(target).quads_for_pattern(None, None, None, NamedNode(graph))}


@pytest.fixture()
def later_store(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store of the 2019 and 2022 reports, built from copies that are then deleted (so a build
    that read them again would fail)."""
    copies = tmp_path / "copies"
    copies.mkdir()
    for name in LATER:
        shutil.copy(REPORTS_DIR / name, copies / name)
    target, ledger = tmp_path / "store", tmp_path / "no-ledger.csv"
    result = _build([copies], target, ledger)
    assert len(result.reports) == 2
    shutil.rmtree(copies)
    return target, ledger, tmp_path


def test_added_reports_keep_every_facility_iri_and_every_old_document_graph(later_store) -> None:
    target, ledger, tmp_path = later_store
    before = _facilities(target)
    documents = [s["d"].value for s in open_read_only(target).query(DOCUMENTS)]
    old_graphs = {d: _graph(target, d) for d in documents}
    result = _build([REPORTS_DIR / name for name in EARLIER], target, ledger, add=True)
    assert result.kept == 2 and len(result.reports) == 5 and not result.errors
    after = _facilities(target)
    assert before <= after  # no facility renamed: an earlier spelling would have named some of them
    assert all(_graph(target, d) == quads for d, quads in old_graphs.items())
    scratch = tmp_path / "scratch"
    full = _build([REPORTS_DIR], scratch, ledger)
    # the same graph as reading all five at once, but for the IRIs the added years would have changed
    assert (result.rows, result.facilities, result.observations, result.quads, result.quarantined) == (
        full.rows, full.facilities, full.observations, full.quads, full.quarantined,
    )  # fmt: skip
    assert before - _facilities(scratch), "the fixture should hold facilities a from-scratch build names otherwise"


def test_a_report_already_in_the_store_is_kept_once_with_a_warning(later_store) -> None:
    target, ledger, _ = later_store
    result = _build([REPORTS_DIR / LATER[0], REPORTS_DIR / EARLIER[0]], target, ledger, add=True)
    assert len(result.reports) == 3
    assert any(w.startswith(f"{LATER[0]}: already in the store") for w in result.warnings)


def test_adding_to_a_store_that_does_not_exist_fails_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "none"
    with pytest.raises(StoreError, match="no smelterkg store here"):
        _build([REPORTS_DIR / EARLIER[0]], target, tmp_path / "no-ledger.csv", add=True)
    assert not target.exists()


def test_the_stores_reference_lists_still_guide_resolution_after_an_add(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    report = tmp_path / "example-2024.txt"
    report.write_text(
        'Example Devices Corp. ("Example") covers the reporting period from January 1, 2024 to December 31, 2024.\n\n'
        "Metal\tSmelter Name\tCountry\tStatus\nGold\tAurora Refinery\tSWITZERLAND\tConformant\n",
        encoding="utf-8",
    )
    target, ledger = tmp_path / "store", tmp_path / "no-ledger.csv"
    _build([data / "cmrt" / "cmrt_en.xlsx"], target, ledger)
    result = _build([report], target, ledger, add=True)
    assert result.reference is not None and [r.release for r in result.reference.lists] == ["6.31"]
    # "Aurora Refinery" is a look-up alias of CID900001: one facility with the supplier's row
    aurora = [f for f in result.resolution.facilities if any(n.text == "Aurora Refinery" for n in f.names)]
    assert [f.smelter_ids for f in aurora] == [("CID900001",)]
    assert {n.text for n in aurora[0].names} == {"Aurora Refinery", "Aurora Bullion Refining AG"}


def test_add_without_reports_to_add_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from smelterkg.cli import main

    assert main(["build", "--add", "--store", str(tmp_path / "store")]) == 2
    assert "--add needs the reports to add" in capsys.readouterr().err
    assert not (tmp_path / "store").exists()
