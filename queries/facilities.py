"""Facilities in the store, by name: lookup (any known spelling, case-insensitive, or the same
normalised key), and everything the store knows about one facility (its card).

Used by `smelterkg facility`, `explain`, `judge` and `chain`. Every read is SPARQL against the
store; names are bound as substitutions, never pasted into the query text (pyoxigraph binds only
variables of the projection, hence ?f and ?name in the SELECTs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store, Variable
from rapidfuzz import fuzz, process

from smelterkg.ingest.resolution.names import structure
from smelterkg.ontology.iris import ONTOLOGY
from smelterkg.queries.reference_evidence import FacilityReference, facility_reference

SKG = ONTOLOGY
PREFIXES = f"""
PREFIX skg:  <{SKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX dct:  <http://purl.org/dc/terms/>
"""
CLOSE_MATCHES = 5


class NameNotFound(LookupError):
    """No facility has this name; ``str()`` is one line, with close matches when there are some."""


@dataclass(frozen=True)
class FacilityRef:
    iri: str
    metal: str
    label: str

    def describe(self) -> str:
        return f"{self.label} ({self.metal}) <{self.iri}>"


def _value(solution, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


def all_names(store: Store) -> dict[str, list[FacilityRef]]:
    """Every name (reported spellings and labels) -> the facilities listed under it."""
    query = PREFIXES + """
    SELECT DISTINCT ?facility ?metal ?label ?name WHERE {
      ?facility a skg:Facility ; rdfs:label ?label ; skg:metal/skos:notation ?metal .
      { ?facility skg:reportedName ?name } UNION { ?facility rdfs:label ?name }
    }"""
    names: dict[str, list[FacilityRef]] = defaultdict(list)
    for solution in store.query(query, use_default_graph_as_union=True):
        ref = FacilityRef(_value(solution, "facility"), _value(solution, "metal"), _value(solution, "label"))
        if ref not in names[_value(solution, "name")]:
            names[_value(solution, "name")].append(ref)
    return names


SMELTER_ID = re.compile(r"CID\d{6}", re.IGNORECASE)


def facilities_of_smelter_id(store: Store, smelter_id: str) -> list[FacilityRef]:
    """The facilities carrying this RMI smelter ID (``skg:smelterId``), any case."""
    query = PREFIXES + """
    SELECT DISTINCT ?cid ?facility ?metal ?label WHERE {
      ?facility a skg:Facility ; skg:smelterId ?cid ; rdfs:label ?label ; skg:metal/skos:notation ?metal .
    }"""
    bound = {Variable("cid"): Literal(smelter_id.strip().upper())}
    return [
        FacilityRef(_value(s, "facility"), _value(s, "metal"), _value(s, "label"))
        for s in store.query(query, substitutions=bound, use_default_graph_as_union=True)
    ]


def find_facilities(store: Store, name: str, metal: str | None = None) -> list[FacilityRef]:
    """The facilities known under ``name``: any spelling, case-insensitive, or an RMI smelter ID
    (``CID002100``) they carry; failing that, any whose normalised key equals the name's. Raises
    NameNotFound with close matches."""
    if SMELTER_ID.fullmatch(name.strip()):
        by_id = {ref for ref in facilities_of_smelter_id(store, name) if not metal or ref.metal.casefold() == metal.casefold()}
        if by_id:
            return sorted(by_id, key=lambda ref: (ref.metal, ref.label, ref.iri))
    names = all_names(store)
    wanted = name.strip().casefold()
    found = {ref for spelling, refs in names.items() if spelling.casefold() == wanted for ref in refs}
    if not found:
        key = structure(name).key
        if key:
            found = {
                ref for spelling, refs in names.items() if structure(spelling).key == key for ref in refs
            }
    if metal:
        found = {ref for ref in found if ref.metal.casefold() == metal.casefold()}
    if found:
        return sorted(found, key=lambda ref: (ref.metal, ref.label, ref.iri))
    matches = process.extract(name, list(names), scorer=fuzz.WRatio, limit=CLOSE_MATCHES, score_cutoff=60)
    hint = "; close matches: " + ", ".join(f"'{m[0]}'" for m in matches) if matches else ""
    scope = f" for {metal}" if metal else ""
    raise NameNotFound(f"no facility named '{name}'{scope} in the store{hint}")


@dataclass
class FacilityCard:
    ref: FacilityRef
    names: list[tuple[str, list[int]]] = field(default_factory=list)  # name, years printed
    statuses: list[dict[str, str]] = field(default_factory=list)  # year, status, canonical, source, line, name, filer
    events: list[dict[str, str]] = field(default_factory=list)
    decisions: list[dict[str, str]] = field(default_factory=list)  # key, method, reason, score
    countries: list[str] = field(default_factory=list)
    reference: FacilityReference = field(default_factory=FacilityReference)  # RMI IDs and what the lists say


def facility_card(store: Store, ref: FacilityRef) -> FacilityCard:
    facility = NamedNode(ref.iri)
    card = FacilityCard(ref)
    years: dict[str, list[int]] = defaultdict(list)
    for s in store.query(
        PREFIXES + "SELECT DISTINCT ?f ?text ?year WHERE { ?f skg:hasName ?n . ?n skg:nameText ?text . OPTIONAL { ?n skg:year ?year } }",
        substitutions={Variable("f"): facility}, use_default_graph_as_union=True,
    ):
        years[_value(s, "text")]
        if s["year"] is not None:
            years[_value(s, "text")].append(int(_value(s, "year")))
    card.names = sorted(((n, sorted(set(y))) for n, y in years.items()), key=lambda item: (min(item[1], default=0), item[0]))
    card.statuses = [
        {k: _value(s, k) for k in ("year", "status", "canonical", "source", "line", "name", "filer")}
        for s in store.query(
            PREFIXES + """
            SELECT DISTINCT ?f ?year ?status ?canonical ?source ?line ?name ?filer WHERE {
              ?o sosa:hasFeatureOfInterest ?f ; skg:year ?year ; skg:inSource ?doc ; prov:wasDerivedFrom ?row .
              ?doc skg:fileName ?source .
              ?row skg:line ?line .
              OPTIONAL { ?row skg:printedName ?name }
              OPTIONAL { ?row skg:printedStatus ?status }
              OPTIONAL { ?row skg:status ?concept .
                         OPTIONAL { ?concept (skos:exactMatch|skos:broadMatch) ?c . ?c skos:prefLabel ?canonical } }
              OPTIONAL { ?doc skg:filer/rdfs:label ?filer }
            } ORDER BY ?year ?source ?line""",
            substitutions={Variable("f"): facility}, use_default_graph_as_union=True,
        )
    ]
    card.events = [
        {k: _value(s, k) for k in ("event", "type", "original", "originalLabel", "resultingLabels",
                                    "oldName", "newName", "notBefore", "notAfter", "statedYear", "evidence")}
        for s in store.query(
            PREFIXES + """
            SELECT ?f ?event ?type ?original ?originalLabel ?oldName ?newName ?notBefore ?notAfter
                   (MIN(?stated) AS ?statedYear)
                   (GROUP_CONCAT(DISTINCT ?resultingLabel; separator=" | ") AS ?resultingLabels)
                   (GROUP_CONCAT(DISTINCT CONCAT(?source, " (", ?date, ")"); separator=" ; ") AS ?evidence) WHERE {
              { ?event org:originalOrganization ?f } UNION { ?event org:resultingOrganization ?f }
              ?event a ?t ; org:originalOrganization ?original ; org:resultingOrganization ?resulting .
              FILTER(STRSTARTS(STR(?t), STR(skg:)))
              BIND(STRAFTER(STR(?t), "#") AS ?type)
              ?original rdfs:label ?originalLabel . ?resulting rdfs:label ?resultingLabel .
              OPTIONAL { ?event skg:oldName ?oldName } OPTIONAL { ?event skg:newName ?newName }
              OPTIONAL { ?event skg:notBefore ?notBefore } OPTIONAL { ?event skg:notAfter ?notAfter }
              OPTIONAL { ?event skg:statedYear ?stated }
              OPTIONAL { ?event skg:evidence ?e . ?e dct:source ?source ; dct:date ?date }
            }
            GROUP BY ?f ?event ?type ?original ?originalLabel ?oldName ?newName ?notBefore ?notAfter
            ORDER BY ?notAfter ?event""",
            substitutions={Variable("f"): facility}, use_default_graph_as_union=True,
        )
    ]
    card.decisions = [
        {k: _value(s, k) for k in ("key", "method", "reason", "score")}
        for s in store.query(
            PREFIXES + """
            SELECT DISTINCT ?f ?key ?method ?reason ?score WHERE {
              ?d a skg:ResolutionDecision ; skg:facility ?f ; skg:normalisedKey ?key ; skg:method ?method ; skg:reason ?reason .
              OPTIONAL { ?d skg:score ?score }
            } ORDER BY ?key""",
            substitutions={Variable("f"): facility}, use_default_graph_as_union=True,
        )
    ]
    card.countries = [
        _value(s, "code")
        for s in store.query(
            PREFIXES + "SELECT DISTINCT ?f ?code WHERE { ?f skg:country ?c . ?c skos:notation ?code } ORDER BY ?code",
            substitutions={Variable("f"): facility}, use_default_graph_as_union=True,
        )
    ]
    card.reference = facility_reference(store, ref.iri)
    return card


def decision_of_name(store: Store, ref: FacilityRef, name: str) -> dict[str, str] | None:
    """The resolution decision covering rows printed as ``name`` for this facility."""
    for s in store.query(
        PREFIXES + """
        SELECT ?f ?name ?key ?method ?reason ?score ?printed ?country WHERE {
          ?d a skg:ResolutionDecision ; skg:facility ?f ; skg:row ?row ; skg:normalisedKey ?key ;
             skg:method ?method ; skg:reason ?reason .
          ?row skg:printedName ?printed .
          FILTER(LCASE(STR(?printed)) = LCASE(STR(?name)))
          OPTIONAL { ?d skg:score ?score }
          OPTIONAL { ?d skg:country/skos:notation ?country }
        } LIMIT 1""",
        substitutions={Variable("f"): NamedNode(ref.iri), Variable("name"): Literal(name)}, use_default_graph_as_union=True,
    ):
        return {k: _value(s, k) for k in ("key", "method", "reason", "score", "printed", "country")}
    return None
