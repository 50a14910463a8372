"""`smelterkg explain` says what the build did: for every pair of bundled name variants that share a
facility or a review item, the verdict explain reads from the store (through the pair oracle) is
the build's own — same outcome, same layers, same reasons, step by step."""

from __future__ import annotations

from itertools import combinations

import pytest

from smelterkg.cli import main
from smelterkg.commands.explain import _decision_of
from smelterkg.data import bundled_reports
from smelterkg.ingest.parse import parse_file
from smelterkg.ingest.resolution import resolve_reports
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, read_ledger
from smelterkg.ingest.resolution.oracle import PairOracle
from smelterkg.queries.facilities import find_facilities
from smelterkg.queries.resolution import decision_names, load_resolution


@pytest.fixture(scope="module")
def built():
    """The build's resolution in memory (the same inputs as the bundled store)."""
    reports = [parse_file(path) for path in bundled_reports()]
    return resolve_reports([(r.facts.year, r.rows) for r in reports], read_ledger(BUNDLED_LEDGER))


def _pairs(resolution):
    """(metal, name, name, model decision, model decision) for every pair of spellings of one
    facility and every review item."""
    spellings = [(d.index, name) for d in resolution.decisions for name in d.names]
    by_facility: dict[int, list[tuple[int, str]]] = {}
    for index, name in spellings:
        by_facility.setdefault(resolution.decisions[index].facility, []).append((index, name))
    for facility, members in sorted(by_facility.items()):
        for (a, name_a), (b, name_b) in combinations(members, 2):
            yield resolution.facilities[facility].metal, name_a, name_b, a, b
    for item in resolution.review:
        yield (resolution.decisions[item.left].group.metal, resolution.decisions[item.left].names[0],
               resolution.decisions[item.right].names[0], item.left, item.right)


def test_explain_reads_the_builds_own_verdict_for_every_shared_facility_or_review_pair(built, bundled_store):
    stored = load_resolution(bundled_store)
    model = PairOracle.from_resolution(built)
    key_of_store = {record.key: i for i, record in enumerate(stored.oracle.decisions)}
    checked = ambiguous = 0
    outcomes = set()
    for metal, name_a, name_b, a, b in _pairs(built):
        refs_a = [r for r in find_facilities(bundled_store, name_a, metal)]
        refs_b = [r for r in find_facilities(bundled_store, name_b, metal)]
        if len(refs_a) != 1 or len(refs_b) != 1:
            ambiguous += 1  # the same spelling names two facilities of the metal (two countries)
            continue
        da = _decision_of(stored, decision_names(bundled_store, refs_a[0]), name_a)
        db = _decision_of(stored, decision_names(bundled_store, refs_b[0]), name_b)
        assert (stored.oracle.decisions[da].key, stored.oracle.decisions[db].key) == (
            built.decisions[a].group.text, built.decisions[b].group.text)
        expected, got = model.verdict(a, b), stored.oracle.verdict(da, db)
        assert got.outcome == expected.outcome, (name_a, name_b)
        assert got.layers == expected.layers, (name_a, name_b)
        assert [s.reason for s in got.steps] == [s.reason for s in expected.steps]
        assert (got.review.reason if got.review else None) == (expected.review.reason if expected.review else None)
        assert [stored.oracle.decisions[s.child].key for s in got.steps] == [built.decisions[s.child].group.text for s in expected.steps]
        assert key_of_store[built.decisions[a].group.text] == da
        outcomes.add(got.outcome)
        checked += 1
    assert checked > 150 and ambiguous < checked // 10
    assert outcomes == {"same", "uncertain"}


def test_explain_prints_the_path_of_layers(bundled_store_path, capsys):
    assert main(["explain", "Johnson Matthey Inc", "Asahi Refining USA Inc.", "--store", str(bundled_store_path)]) == 0
    out = capsys.readouterr().out
    assert "the SAME facility" in out and "joined 'Johnson Matthey Inc' by ledger: ledger rename" in out
    # one RMI look-up files both names under one smelter ID: a ledger "same" row cites it
    assert main(["explain", "Heraeus Ltd. Hong Kong", "Heraeus Metals Hong Kong Ltd.", "--store", str(bundled_store_path)]) == 0
    out = capsys.readouterr().out
    assert "the SAME facility" in out and "ledger same" in out and "RMI CMRT 6.5 Smelter Look-up" in out
    assert main(["explain", "Korea Metal Co. Ltd", "Korea Zinc Co., Ltd.", "--store", str(bundled_store_path)]) == 0
    out = capsys.readouterr().out
    assert "DIFFERENT facilities" in out and "uncertain, in the review queue" in out and "match weight" in out
    assert main(["explain", "Kazzinc", "Asaka Riken Co Ltd", "--store", str(bundled_store_path)]) == 0
    out = capsys.readouterr().out
    assert "no layer links them" in out and "not a build decision" in out
