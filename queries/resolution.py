"""The build's resolution as the store holds it, for the pair oracle: every decision (facility,
layer, reason, score, the decision it was attached to) and the review queue.

The oracle (``ingest/resolution/oracle.py``) is the same code the build's tests run on the
in-memory model, so ``smelterkg explain`` says what the build did."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, Store, Variable

from smelterkg.ingest.resolution.oracle import DecisionRecord, PairOracle, ReviewRecord
from smelterkg.ontology.iris import RESOLUTION_GRAPH
from smelterkg.queries.facilities import PREFIXES, FacilityRef

DECISIONS = PREFIXES + f"""
SELECT ?d ?key ?facility ?method ?reason ?score ?parent ?country ?metal WHERE {{
  GRAPH <{RESOLUTION_GRAPH}> {{
    ?d a skg:ResolutionDecision ; skg:normalisedKey ?key ; skg:facility ?facility ; skg:method ?method ; skg:reason ?reason .
    OPTIONAL {{ ?d skg:score ?score }}
    OPTIONAL {{ ?d skg:attachedTo ?parent }}
    OPTIONAL {{ ?d skg:country ?c }}
  }}
  OPTIONAL {{ ?c skos:notation ?country }}
  OPTIONAL {{ ?facility skg:metal/skos:notation ?metal }}
}}"""

REVIEW = PREFIXES + f"""
SELECT ?left ?right ?reason ?score ?explanation WHERE {{
  GRAPH <{RESOLUTION_GRAPH}> {{
    ?item a skg:ReviewItem ; skg:left ?left ; skg:right ?right ; skg:reason ?reason ; skg:explanation ?explanation .
    OPTIONAL {{ ?item skg:score ?score }}
  }}
}}"""

FIRST_NAMES = PREFIXES + """
SELECT ?d (MIN(?name) AS ?first) WHERE { ?d a skg:ResolutionDecision ; skg:row/skg:printedName ?name } GROUP BY ?d"""

NAMES = PREFIXES + """
SELECT DISTINCT ?f ?d ?name WHERE { ?d a skg:ResolutionDecision ; skg:facility ?f ; skg:row/skg:printedName ?name }"""


def _value(solution, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


@dataclass
class StoredResolution:
    """The oracle over the store's decisions, with each decision's IRI."""

    oracle: PairOracle
    iris: list[str]
    index: dict[str, int]

    def decision(self, iri: str) -> int:
        return self.index[iri]


def load_resolution(store: Store) -> StoredResolution:
    rows = sorted(store.query(DECISIONS, use_default_graph_as_union=True), key=lambda s: s["d"].value)
    iris = [s["d"].value for s in rows]
    index = {iri: i for i, iri in enumerate(iris)}
    records = [
        DecisionRecord(
            _value(s, "key"), _value(s, "facility"), _value(s, "method"), _value(s, "reason"),
            float(_value(s, "score")) if s["score"] is not None else None,
            index[_value(s, "parent")] if s["parent"] is not None else None,
            _value(s, "metal"), _value(s, "country"),
        )
        for s in rows
    ]
    review = [
        ReviewRecord(
            index[_value(s, "left")], index[_value(s, "right")], _value(s, "reason"),
            float(_value(s, "score")) if s["score"] is not None else None, _value(s, "explanation"),
        )
        for s in store.query(REVIEW)
    ]
    return StoredResolution(PairOracle(records, review), iris, index)


def first_names(store: Store) -> dict[str, str]:
    """decision IRI -> the first (A-Z) spelling its rows print: how a review line names a group."""
    return {_value(s, "d"): _value(s, "first") for s in store.query(FIRST_NAMES, use_default_graph_as_union=True)}


def decision_names(store: Store, ref: FacilityRef) -> dict[str, list[str]]:
    """decision IRI -> the spellings its rows print, for one facility."""
    names: dict[str, list[str]] = {}
    for s in store.query(NAMES, substitutions={Variable("f"): NamedNode(ref.iri)}, use_default_graph_as_union=True):
        names.setdefault(_value(s, "d"), []).append(_value(s, "name"))
    return {d: sorted(set(n)) for d, n in names.items()}
