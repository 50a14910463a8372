"""What the store says of facilities over the years, as plain Python objects: every table row that
listed a facility (year, source, line, name and status as printed, canonical status, filer), the
names it was printed under, and the events (renames, absorptions, splits) with their evidence.

Read by the lineage analysis (``chains``), the facility–event–filer graph (``network``) and the
pictures. Every read is SPARQL over the union of the graphs; a facility is bound as a substitution
(pyoxigraph binds only projected variables, hence ``?f`` in every SELECT). Pass ``facilities`` to
read a few facilities (one bound query each, fast on any store), or ``None`` to read them all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Store, Variable

from smelterkg.ontology.iris import CANONICAL_STATUS
from smelterkg.queries.facilities import PREFIXES
from smelterkg.queries.statuses import favourability, status_order

PREFIXES_CANON = PREFIXES + f"PREFIX canon: <{CANONICAL_STATUS}>\n"

# How favourable each canonical status is (skg:favourability in ontology/statuses.ttl, as the saved
# queries yearly-universe and status-changes read it): a facility listed by several sources in one
# year counts under the best status any of them gave it. STATUS_ORDER: most favourable first.
STATUS_RANK = favourability()
STATUS_ORDER = status_order()
EVENT_KINDS = {"NameChange": "rename", "Absorption": "absorption", "Split": "split"}


def _status_key(status: str) -> tuple[int, int, str]:
    """Most favourable first; among equals (Not conformant, Failed...), in STATUS_ORDER."""
    order = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
    return -STATUS_RANK.get(status, 0), order, status


@dataclass(frozen=True)
class Sighting:
    """One table row listing a facility."""

    year: int
    source: str
    line: int  # the row's first line, or its position in a document without lines (0: not known)
    name: str  # as printed
    status: str  # as printed ("" when the report printed none)
    canonical: str  # the canonical status label ("Unknown" when none could be read)
    filer: str
    filer_iri: str = ""
    locator: str = ""  # where in its source: "line 178" for text, "page 3 lines 12 13", "table 2 row 5"...

    @property
    def where(self) -> str:
        """Where in its source the row is, in words ("line 178", "page 3 lines 12 13")."""
        return self.locator or f"line {self.line}"


@dataclass(frozen=True)
class Evidence:
    source: str
    date: str
    note: str = ""


@dataclass(frozen=True)
class Event:
    """A rename (original = resulting facility), an absorption (original absorbed into the one
    resulting facility) or a split (original group-level facility, several resulting parts)."""

    iri: str
    kind: str  # "rename" | "absorption" | "split"
    original: str
    resulting: tuple[str, ...]
    not_before: int | None = None
    not_after: int | None = None
    stated_year: int | None = None
    old_name: str = ""
    new_name: str = ""
    evidence: tuple[Evidence, ...] = ()

    def bracket(self) -> str:
        """The years the event happened in, in words ("between 2014 and 2017").

        >>> Event("e", "rename", "f", ("f",), not_before=2014, not_after=2017).bracket()
        'between 2014 and 2017'
        >>> Event("e", "absorption", "f", ("g",), not_after=2017, stated_year=2016).bracket()
        'by 2017 (stated 2016)'
        >>> Event("e", "split", "f", ("g", "h"), not_before=2019).bracket()
        'after 2019'
        >>> Event("e", "rename", "f", ("f",)).bracket()
        'year unknown'
        """
        if self.not_before is not None and self.not_after is not None:
            text = f"between {self.not_before} and {self.not_after}"
        elif self.not_after is not None:
            text = f"by {self.not_after}"
        elif self.not_before is not None:
            text = f"after {self.not_before}"
        else:
            text = "year unknown"
        return text + (f" (stated {self.stated_year})" if self.stated_year is not None else "")

    def position(self, years: Sequence[int]) -> int | None:
        """Where the event falls among sorted ``years``: the index of the first year it comes
        before (``len(years)``: after them all; None: no year known)."""
        if self.not_after is not None:
            return bisect_left(years, self.not_after)
        if self.not_before is not None:
            return bisect_right(years, self.not_before)
        if self.stated_year is not None:
            return bisect_left(years, self.stated_year)
        return None

    def happened_by(self) -> int | None:
        """The year by which the event had surely happened: its upper bound, else its stated year."""
        return self.not_after if self.not_after is not None else self.stated_year


@dataclass
class FacilityHistory:
    iri: str
    label: str
    metal: str
    countries: tuple[str, ...] = ()
    names: tuple[tuple[str, tuple[int, ...]], ...] = ()  # name text, years printed
    sightings: tuple[Sighting, ...] = ()
    _by_year: dict[int, list[Sighting]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        by_year: dict[int, list[Sighting]] = defaultdict(list)
        for sighting in self.sightings:
            by_year[sighting.year].append(sighting)
        self._by_year = dict(by_year)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._by_year))

    def sightings_in(self, year: int) -> list[Sighting]:
        return self._by_year.get(year, [])

    def status_in(self, year: int) -> str | None:
        """The most favourable canonical status any source gave that year; None when not listed."""
        sightings = self._by_year.get(year)
        if not sightings:
            return None
        return min((s.canonical for s in sightings), key=_status_key)

    def name_in(self, year: int) -> str | None:
        """The name most rows printed that year (ties: the first in alphabetical order)."""
        sightings = self._by_year.get(year)
        if not sightings:
            return None
        counts = Counter(s.name for s in sightings if s.name)
        if not counts:
            return self.label
        return min(counts, key=lambda name: (-counts[name], name))

    def describe(self) -> str:
        country = ", ".join(self.countries)
        return f"{self.label} [{self.metal}{', ' + country if country else ''}]"


def _text(solution, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


def _int(solution, name: str) -> int | None:
    term = solution[name]
    return None if term is None else int(term.value)


def _each(store: Store, query: str, facilities: Iterable[str] | None):
    """Run ``query`` once per facility (``?f`` bound) or once over all facilities."""
    if facilities is None:
        yield from store.query(PREFIXES_CANON + query, use_default_graph_as_union=True)
        return
    for iri in facilities:
        yield from store.query(
            PREFIXES_CANON + query, substitutions={Variable("f"): NamedNode(iri)}, use_default_graph_as_union=True
        )


FACILITY_QUERY = """
SELECT DISTINCT ?f ?label ?metal ?country WHERE {
  ?f a skg:Facility ; rdfs:label ?label ; skg:metal ?m .
  ?m skos:notation ?metal .
  OPTIONAL { ?f skg:country ?c . ?c skos:notation ?country }
}"""

NAME_QUERY = """
SELECT DISTINCT ?f ?text ?year WHERE {
  ?f skg:hasName ?n . ?n skg:nameText ?text .
  OPTIONAL { ?n skg:year ?year }
}"""

# As queries/status-history.rq: the row's status concept (canon:Unknown when none could be read),
# through the SKOS mapping to its canonical concept; the filer's label read in its document's graph.
# The facility's pattern comes first: Oxigraph plans as if ?f were unbound and keeps the written
# order, so this reads one facility's observations instead of scanning all of them (18x faster).
SIGHTING_QUERY = """
SELECT DISTINCT ?f ?row ?year ?source ?line ?locator ?name ?status ?canonical ?filerNode ?filer WHERE {
  ?o sosa:hasFeatureOfInterest ?f .
  ?o skg:year ?year ; skg:inSource ?doc ; prov:wasDerivedFrom ?row .
  ?doc skg:fileName ?source .
  OPTIONAL { ?row skg:line ?line }
  OPTIONAL { ?row skg:locator ?locator }
  OPTIONAL { ?row skg:printedName ?name }
  OPTIONAL { ?row skg:printedStatus ?status }
  OPTIONAL { ?row skg:status ?statusConcept }
  BIND(COALESCE(?statusConcept, canon:Unknown) AS ?wording)
  OPTIONAL { ?wording skos:exactMatch|skos:broadMatch ?mapped }
  BIND(COALESCE(?mapped, ?wording) AS ?canonicalConcept)
  OPTIONAL { ?canonicalConcept skos:prefLabel ?canonical }
  OPTIONAL { ?doc skg:filer ?filerNode OPTIONAL { GRAPH ?doc { ?filerNode rdfs:label ?filer } } }
}"""

EVENT_QUERY = """
SELECT DISTINCT ?event ?type ?original ?resulting ?notBefore ?notAfter ?stated ?oldName ?newName WHERE {
  VALUES ?type { skg:NameChange skg:Absorption skg:Split }
  ?event a ?type ; org:originalOrganization ?original ; org:resultingOrganization ?resulting .
  OPTIONAL { ?event skg:notBefore ?notBefore }
  OPTIONAL { ?event skg:notAfter ?notAfter }
  OPTIONAL { ?event skg:statedYear ?stated }
  OPTIONAL { ?event skg:oldName ?oldName }
  OPTIONAL { ?event skg:newName ?newName }
}"""

EVIDENCE_QUERY = """
SELECT DISTINCT ?event ?source ?date ?note WHERE {
  ?event skg:evidence ?e . ?e dct:source ?source .
  OPTIONAL { ?e dct:date ?date }
  OPTIONAL { ?e rdfs:comment ?note }
}"""


def load_histories(store: Store, facilities: Iterable[str] | None = None) -> dict[str, FacilityHistory]:
    """The facilities (all of them, or those IRIs), each with its names and the rows listing it."""
    wanted = None if facilities is None else sorted(set(facilities))
    info: dict[str, dict] = {}
    for s in _each(store, FACILITY_QUERY, wanted):
        entry = info.setdefault(_text(s, "f"), {"label": _text(s, "label"), "metal": _text(s, "metal"), "countries": set()})
        if s["country"] is not None:
            entry["countries"].add(_text(s, "country"))
    names: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for s in _each(store, NAME_QUERY, wanted):
        years = names[_text(s, "f")][_text(s, "text")]
        if s["year"] is not None:
            years.add(int(_text(s, "year")))
    rows: dict[str, dict[str, Sighting]] = defaultdict(dict)
    for s in _each(store, SIGHTING_QUERY, wanted):
        line = _int(s, "line") or 0
        sighting = Sighting(
            year=int(_text(s, "year")), source=_text(s, "source"), line=line,
            name=_text(s, "name"), status=_text(s, "status"), canonical=_text(s, "canonical") or "Unknown",
            filer=_text(s, "filer"), filer_iri=_text(s, "filerNode"),
            # a text row has no skg:locator: its first line stands for it (not all its skg:sourceLine
            # values, which would need one more join per row)
            locator=_text(s, "locator") or (f"line {line}" if line else ""),
        )
        rows[_text(s, "f")].setdefault(_text(s, "row") + "|" + sighting.filer, sighting)
    histories = {}
    for iri in sorted(info):
        entry = info[iri]
        facility_names = sorted(
            ((text, tuple(sorted(years))) for text, years in names.get(iri, {}).items()),
            key=lambda item: (item[1][:1] or (0,), item[0]),
        )
        sightings = sorted(rows.get(iri, {}).values(), key=lambda s: (s.year, s.source, s.line, s.filer))
        histories[iri] = FacilityHistory(
            iri, entry["label"], entry["metal"], tuple(sorted(entry["countries"])), tuple(facility_names), tuple(sightings)
        )
    return histories


def load_events(store: Store) -> list[Event]:
    """Every rename, absorption and split in the store, with its evidence, in IRI order."""
    parts: dict[str, dict] = {}
    for s in store.query(PREFIXES_CANON + EVENT_QUERY, use_default_graph_as_union=True):
        iri = _text(s, "event")
        entry = parts.setdefault(iri, {
            "kind": EVENT_KINDS[_text(s, "type").rsplit("#", 1)[-1]], "original": _text(s, "original"),
            "resulting": set(), "not_before": _int(s, "notBefore"), "not_after": _int(s, "notAfter"),
            "stated_year": _int(s, "stated"), "old_name": _text(s, "oldName"), "new_name": _text(s, "newName"),
        })
        entry["resulting"].add(_text(s, "resulting"))
    evidence: dict[str, set[Evidence]] = defaultdict(set)
    for s in store.query(PREFIXES_CANON + EVIDENCE_QUERY, use_default_graph_as_union=True):
        evidence[_text(s, "event")].add(Evidence(_text(s, "source"), _text(s, "date"), _text(s, "note")))
    return [
        Event(iri, entry["kind"], entry["original"], tuple(sorted(entry["resulting"])), entry["not_before"],
              entry["not_after"], entry["stated_year"], entry["old_name"], entry["new_name"],
              tuple(sorted(evidence.get(iri, ()), key=lambda e: (e.date, e.source, e.note))))
        for iri, entry in sorted(parts.items())
    ]


def load_labels(store: Store, facilities: Iterable[str]) -> dict[str, str]:
    """The preferred name (rdfs:label) of each facility."""
    query = "SELECT DISTINCT ?f ?label WHERE { ?f a skg:Facility ; rdfs:label ?label }"
    return {_text(s, "f"): _text(s, "label") for s in _each(store, query, sorted(set(facilities)))}


def reporting_years(store: Store) -> tuple[int, ...]:
    """Every year some source document reports on, in order."""
    query = PREFIXES + "SELECT DISTINCT ?year WHERE { ?doc a skg:SourceDocument ; skg:reportingYear ?year }"
    years = {int(s["year"].value) for s in store.query(query, use_default_graph_as_union=True)}
    if not years:  # documents without a stated year: fall back on the observations' years
        query = PREFIXES + "SELECT DISTINCT ?year WHERE { ?o a skg:StatusObservation ; skg:year ?year }"
        years = {int(s["year"].value) for s in store.query(query, use_default_graph_as_union=True)}
    return tuple(sorted(years))
