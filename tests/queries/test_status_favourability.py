"""How favourable each canonical status is, as data (skg:favourability in ontology/statuses.ttl):
the saved queries, ``stats`` and the Python analyses all read it from there.

A small hand-made graph: one gold facility listed in 2017 by two sources, one saying "Active" (in
progress), the other "Non-Conformant" (failed). It counts under the more favourable status, and
ranking the statuses differently in the ontology changes the answers.
"""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from smelterkg.ontology import STATUSES_FILE
from smelterkg.ontology.iris import ONTOLOGY_GRAPH
from smelterkg.ontology.status_ranks import status_ranks
from smelterkg.queries import stats
from smelterkg.queries.history import STATUS_ORDER, FacilityHistory, Sighting
from smelterkg.queries.statuses import favourability, status_order

SKG = "https://w3id.org/smelterkg/ontology#"
SOSA = "http://www.w3.org/ns/sosa/"
CANON = "https://w3id.org/smelterkg/status/canonical/"
RMI = "https://w3id.org/smelterkg/status/rmi/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FACILITY = NamedNode("https://example.org/facility/gold/one")


def _store(ranks: dict[str, int] | None = None) -> Store:
    """The ontology graph (statuses re-ranked by ``ranks``) and two observations of FACILITY."""
    store = Store()
    ontology = NamedNode(ONTOLOGY_GRAPH)
    store.bulk_load(path=str(STATUSES_FILE), format=RdfFormat.TURTLE, to_graph=ontology)
    store.add(Quad(NamedNode(SKG + "Gold"), NamedNode("http://www.w3.org/2004/02/skos/core#notation"), Literal("Gold"), ontology))
    for concept, rank in (ranks or {}).items():
        node = NamedNode(CANON + concept)
        for quad in list(store.quads_for_pattern(node, NamedNode(SKG + "favourability"), None, ontology)):
            store.remove(quad)
        store.add(Quad(node, NamedNode(SKG + "favourability"), Literal(rank), ontology))
    graph = NamedNode("https://example.org/doc/a")
    store.add(Quad(FACILITY, NamedNode(SKG + "metal"), NamedNode(SKG + "Gold"), graph))
    store.add(Quad(FACILITY, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("One"), graph))
    for number, status in enumerate(("active", "non_conformant")):
        observation = NamedNode(f"https://example.org/observation/{number}")
        store.extend([
            Quad(observation, RDF_TYPE, NamedNode(SKG + "StatusObservation"), graph),
            Quad(observation, NamedNode(SOSA + "hasFeatureOfInterest"), FACILITY, graph),
            Quad(observation, NamedNode(SKG + "year"), Literal(2017), graph),
            Quad(observation, NamedNode(SKG + "status"), NamedNode(RMI + status), graph),
        ])
    return store


def test_every_canonical_status_has_one_favourability() -> None:
    assert favourability() == {
        "Conformant": 3, "In progress": 2, "Not conformant": 1, "Failed": 1, "Not enrolled": 1, "Unknown": 0,
    }
    # most favourable first; among equals the broader concept, then its narrower ones
    assert status_order() == STATUS_ORDER == (
        "Conformant", "In progress", "Not conformant", "Failed", "Not enrolled", "Unknown",
    )


def test_a_facility_counts_under_its_most_favourable_status() -> None:
    store = _store()
    assert stats.compute(store).shares[0].counts == {"Conformant": 0, "In progress": 1, "Neither": 0, "Unknown": 0}
    # the build ranks the same way when it writes the yearly facts (yearly-universe, never-conformant)
    ranks = status_ranks()
    best = max((ranks.best(RMI + wording) for wording in ("active", "non_conformant")), key=lambda pair: pair[1])
    assert best == (CANON + "InProgress", 2)


@pytest.mark.parametrize("ranks, bucket", [({"InProgress": 0}, "Neither"), ({"Failed": 3}, "Conformant")])
def test_the_ranking_is_read_from_the_ontology(ranks: dict[str, int], bucket: str, tmp_path) -> None:
    """Re-rank a status in the store's ontology graph: stats follow the data; re-rank it in the
    statuses file: the ranks the build writes into the yearly facts follow the file."""
    store = _store(ranks)
    counts = stats.compute(store).shares[0].counts
    assert counts[bucket] == 1 and sum(counts.values()) == 1
    text = STATUSES_FILE.read_text(encoding="utf-8")
    for concept, rank in ranks.items():
        head, tail = text.split(f"canon:{concept} a skg:StatusConcept", 1)
        before, after = tail.split("skg:favourability ", 1)
        text = f"{head}canon:{concept} a skg:StatusConcept{before}skg:favourability {rank}{after[1:]}"
    reranked = tmp_path / "statuses.ttl"
    reranked.write_text(text, encoding="utf-8")
    file_ranks = status_ranks(reranked)
    best = max((file_ranks.best(RMI + wording) for wording in ("active", "non_conformant")), key=lambda pair: pair[1])
    assert best[1] == {"Neither": 1, "Conformant": 3}[bucket]


def test_history_picks_the_most_favourable_status_of_a_year() -> None:
    def sighting(canonical: str, line: int) -> Sighting:
        return Sighting(year=2017, source="a.txt", line=line, name="One", status="", canonical=canonical, filer="")

    history = FacilityHistory("f", "One", "Gold", sightings=(sighting("Failed", 1), sighting("In progress", 2)))
    assert history.status_in(2017) == "In progress"
    equals = FacilityHistory("g", "Two", "Gold", sightings=(sighting("Failed", 1), sighting("Not conformant", 2)))
    assert equals.status_in(2017) == "Not conformant"  # equally favourable: the broader concept

