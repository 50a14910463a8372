"""Each status wording's canonical statuses and how favourable they are, read from statuses.ttl.

The saved queries rank statuses in SPARQL (``?wording skos:exactMatch|skos:broadMatch ?canonical .
?canonical skg:favourability ?rank``); the yearly facts graph (``ontology/yearly.py``) ranks them
at build time from the same file, so both agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from smelterkg.ontology import STATUSES_FILE
from smelterkg.ontology.iris import CANONICAL_STATUS
from smelterkg.ontology.namespace import SKG, SKOS

UNKNOWN = CANONICAL_STATUS + "Unknown"
"""What a row or observation whose status could not be read counts as (favourability 0)."""
_MATCHES = (str(SKOS.exactMatch), str(SKOS.broadMatch))


@dataclass(frozen=True)
class StatusRanks:
    favourability: dict[str, int]
    """canonical concept IRI -> its skg:favourability"""
    canonical: dict[str, tuple[str, ...]]
    """wording concept IRI -> the canonical concepts it maps to (exactly or broadly), sorted"""

    def best(self, wording: str | None) -> tuple[str, int]:
        """The most favourable canonical concept of a wording (of an unread status: Unknown, 0);
        a wording no mapping names counts as Unknown too, with favourability 0, as in SPARQL's
        ``COALESCE(?favourability, 0)``."""
        concepts = self.canonical.get(wording or "", ())
        if not concepts:
            return UNKNOWN, 0
        return max(((c, self.favourability.get(c, 0)) for c in concepts), key=lambda pair: (pair[1], pair[0]))


@cache
def status_ranks(path: Path = STATUSES_FILE) -> StatusRanks:
    favourability: dict[str, int] = {}
    canonical: dict[str, set[str]] = {}
    for quad in parse(path=str(path), format=RdfFormat.TURTLE):
        predicate = quad.predicate.value
        if predicate == str(SKG.favourability):
            favourability[quad.subject.value] = int(quad.object.value)
        elif predicate in _MATCHES:
            canonical.setdefault(quad.subject.value, set()).add(quad.object.value)
    return StatusRanks(favourability, {w: tuple(sorted(c)) for w, c in canonical.items()})
