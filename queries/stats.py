"""Figures over the whole store: per reporting year and metal, how many facilities were listed and
their shares by canonical status; how statuses moved between consecutive reporting years; and the
facilities renamed most often.

A facility's status in a year is the most favourable one any source gave it, in the four buckets
of the saved queries yearly-universe and status-changes: the favourability of the canonical
statuses (skg:favourability in ontology/statuses.ttl), Conformant 3 > In progress 2 > Neither 1 >
Unknown 0; "Neither" is known not conformant: failed, not enrolled, or an era's catch-all such as
2013's "No". The numbers therefore match those queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Store

from smelterkg.queries.history import PREFIXES_CANON, load_histories, reporting_years
from smelterkg.queries.network import name_history

BUCKETS = ("Conformant", "In progress", "Neither", "Unknown")  # favourability 3, 2, 1, 0
NOT_LISTED = "(not listed)"

RANK_QUERY = """
SELECT ?f ?metal ?year (MAX(?rank) AS ?best) WHERE {
  ?o a skg:StatusObservation ; sosa:hasFeatureOfInterest ?f ; skg:year ?year .
  ?f skg:metal ?m . ?m skos:notation ?metal .
  OPTIONAL { ?o skg:status ?status }
  BIND(COALESCE(?status, canon:Unknown) AS ?wording)
  OPTIONAL { ?wording skos:exactMatch|skos:broadMatch ?canonical . ?canonical skg:favourability ?favourability }
  BIND(COALESCE(?favourability, 0) AS ?rank)
}
GROUP BY ?f ?metal ?year"""

RENAME_QUERY = """
SELECT ?f (COUNT(DISTINCT ?event) AS ?renames) WHERE {
  ?event a skg:NameChange ; org:originalOrganization ?f .
}
GROUP BY ?f"""


@dataclass(frozen=True)
class YearShare:
    year: int
    metal: str
    facilities: int
    counts: dict[str, int]

    def share(self, bucket: str) -> float:
        """Percent of the year's facilities in ``bucket``, to one decimal."""
        return round(100 * self.counts.get(bucket, 0) / self.facilities, 1) if self.facilities else 0.0


@dataclass(frozen=True)
class Transition:
    from_year: int
    to_year: int
    from_status: str  # a bucket, or NOT_LISTED: the facility appeared
    to_status: str  # a bucket, or NOT_LISTED: the facility disappeared
    facilities: int


@dataclass(frozen=True)
class Renamed:
    iri: str
    label: str
    metal: str
    renames: int
    names: str  # "A (2013, 2014) → B (2017)"


@dataclass
class Stats:
    years: tuple[int, ...]
    shares: list[YearShare] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)


def _statuses(store: Store, metal: str | None) -> dict[tuple[str, str], dict[int, str]]:
    """(facility, metal) -> year -> bucket."""
    by_facility: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for s in store.query(PREFIXES_CANON + RANK_QUERY, use_default_graph_as_union=True):
        if metal and s["metal"].value.casefold() != metal.casefold():
            continue
        bucket = BUCKETS[len(BUCKETS) - 1 - int(s["best"].value)]
        by_facility[(s["f"].value, s["metal"].value)][int(s["year"].value)] = bucket
    return by_facility


def compute(store: Store, metal: str | None = None, top: int = 10) -> Stats:
    statuses = _statuses(store, metal)
    years = tuple(sorted(set(reporting_years(store)) | {y for by_year in statuses.values() for y in by_year}))
    stats = Stats(years)

    per_year: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for (_, facility_metal), by_year in statuses.items():
        for year, bucket in by_year.items():
            per_year[(year, facility_metal)][bucket] += 1
    stats.shares = [
        YearShare(year, m, sum(counts.values()), {b: counts.get(b, 0) for b in BUCKETS})
        for (year, m), counts in sorted(per_year.items())
    ]

    for before, after in zip(years, years[1:]):
        moves: Counter[tuple[str, str]] = Counter()
        for by_year in statuses.values():
            if before in by_year or after in by_year:
                moves[(by_year.get(before, NOT_LISTED), by_year.get(after, NOT_LISTED))] += 1
        order = {name: i for i, name in enumerate((*BUCKETS, NOT_LISTED))}
        stats.transitions += [
            Transition(before, after, a, b, n)
            for (a, b), n in sorted(moves.items(), key=lambda item: (order[item[0][0]], order[item[0][1]]))
        ]

    renames = {
        s["f"].value: int(s["renames"].value)
        for s in store.query(PREFIXES_CANON + RENAME_QUERY, use_default_graph_as_union=True)
    }
    histories = load_histories(store, renames)
    ranked = sorted(
        (h for h in histories.values() if not metal or h.metal.casefold() == metal.casefold()),
        key=lambda h: (-renames[h.iri], -len(h.names), h.label.casefold(), h.iri),
    )
    stats.renamed = [Renamed(h.iri, h.label, h.metal, renames[h.iri], name_history(h)) for h in ranked[:top]]
    return stats
