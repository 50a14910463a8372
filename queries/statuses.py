"""The canonical statuses and how favourable each is, read from ontology/statuses.ttl (the same
file the store's ontology graph holds), for the analyses that rank statuses in Python.

A facility listed by several sources in one year counts under the most favourable status any of
them gave it; the saved queries and ``stats`` read the same ``skg:favourability`` in SPARQL.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from smelterkg.ontology import STATUSES_FILE
from smelterkg.ontology.iris import CANONICAL_STATUS
from smelterkg.ontology.namespace import SKG, SKOS

CANONICAL_SCHEME = NamedNode(CANONICAL_STATUS.rstrip("/"))
FAVOURABILITY = NamedNode(SKG.favourability)
IN_SCHEME = NamedNode(SKOS.inScheme)
PREF_LABEL = NamedNode(SKOS.prefLabel)
BROADER = NamedNode(SKOS.broader)


@cache
def _canonical(path: Path = STATUSES_FILE) -> tuple[tuple[str, int, bool], ...]:
    """(label, favourability, has a broader concept) of each canonical concept."""
    by_subject: dict[NamedNode, dict[NamedNode, list]] = {}
    for quad in parse(path=str(path), format=RdfFormat.TURTLE):
        by_subject.setdefault(quad.subject, {}).setdefault(quad.predicate, []).append(quad.object)
    concepts = []
    for properties in by_subject.values():
        if CANONICAL_SCHEME not in properties.get(IN_SCHEME, []):
            continue
        label = properties[PREF_LABEL][0].value
        (rank,) = properties[FAVOURABILITY]  # every canonical concept has exactly one (a test checks)
        concepts.append((label, int(rank.value), BROADER in properties))
    return tuple(concepts)


def favourability(path: Path = STATUSES_FILE) -> dict[str, int]:
    """Canonical status label -> favourability (higher is more favourable)."""
    return {label: rank for label, rank, _ in _canonical(path)}


def status_order(path: Path = STATUSES_FILE) -> tuple[str, ...]:
    """The canonical status labels, most favourable first; among equally favourable ones, a broader
    concept before its narrower ones ("Not conformant" before "Failed"), then by label."""
    ordered = sorted(_canonical(path), key=lambda c: (-c[1], c[2], c[0]))
    return tuple(label for label, _, _ in ordered)
