"""The yearly facts graph (graph/yearly, ontology/yearly.py) agrees with the observations it is
derived from: each aggregate is recomputed here in SPARQL over the observations of the bundled
build and compared fact by fact."""

from __future__ import annotations

from pathlib import Path

from smelterkg.store import open_read_only

PREFIXES = """
PREFIX skg:  <https://w3id.org/smelterkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX canon: <https://w3id.org/smelterkg/status/canonical/>
PREFIX skgg: <https://w3id.org/smelterkg/id/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

FROM_OBSERVATIONS = PREFIXES + """
SELECT ?facility ?year (MAX(?rank) AS ?best) (COUNT(DISTINCT ?doc) AS ?sources) WHERE {
  ?o a skg:StatusObservation ; sosa:hasFeatureOfInterest ?facility ; skg:year ?year ; skg:inSource ?doc .
  OPTIONAL { ?o skg:status ?status }
  BIND(COALESCE(?status, canon:Unknown) AS ?wording)
  OPTIONAL { ?wording skos:exactMatch|skos:broadMatch ?c . ?c skg:favourability ?f }
  BIND(COALESCE(?f, 0) AS ?rank)
} GROUP BY ?facility ?year
"""

FROM_YEARLY = PREFIXES + """
SELECT ?facility ?year ?best ?sources WHERE { GRAPH skgg:yearly {
  ?fy a skg:FacilityYear ; skg:aboutFacility ?facility ; skg:inYear ?year ; skg:bestFavourability ?best ; skg:sourceCount ?sources .
} }
"""

def _rows(store, query: str) -> set[tuple[str, ...]]:
    return {tuple(term.value for term in solution) for solution in store.query(query, use_default_graph_as_union=True)}


def test_each_facility_year_holds_the_most_favourable_status_and_the_sources_of_its_observations(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    expected = _rows(store, FROM_OBSERVATIONS)
    assert len(expected) > 1000  # the bundled build: 1,323 observations over five years
    assert _rows(store, FROM_YEARLY) == expected


NAMES_FROM_OBSERVATIONS = PREFIXES + """
SELECT ?facility ?name (MIN(?year) AS ?first) (MAX(?year) AS ?last) (COUNT(DISTINCT ?doc) AS ?sources)
       (GROUP_CONCAT(DISTINCT STR(?year); separator=",") AS ?years) WHERE {
  ?o sosa:hasFeatureOfInterest ?facility ; skg:year ?year ; skg:inSource ?doc ; prov:wasDerivedFrom ?row .
  ?row skg:printedName ?name .
} GROUP BY ?facility ?name
"""

NAME_SIGHTINGS = PREFIXES + """
SELECT ?facility ?name ?first ?last ?sources ?years WHERE { GRAPH skgg:yearly {
  ?facility skg:nameSighting ?sighting .
  ?sighting a skg:NameSighting ; skg:sightedName ?name ; skg:firstSighted ?first ;
            skg:lastSighted ?last ; skg:sourceCount ?sources ; skg:sightedYears ?years .
} }
"""

USED_YEARS = PREFIXES + """
SELECT ?facility ?name ?years WHERE { GRAPH skgg:yearly {
  ?use a skg:NameUse ; skg:aboutFacility ?facility ; skg:usedName ?name ; skg:usedYears ?years .
} }
"""


def _sorted_years(text: str, separator: str) -> str:
    return " ".join(sorted(text.split(separator), key=int))


def test_name_sightings_give_each_printed_name_its_years_and_documents(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    expected = {(f, n, first, last, sources, _sorted_years(years, ",")) for f, n, first, last, sources, years in _rows(store, NAMES_FROM_OBSERVATIONS)}
    assert len(expected) > 300
    assert _rows(store, NAME_SIGHTINGS) == expected


def test_name_uses_list_every_year_the_name_was_printed(bundled_store_path: Path) -> None:
    # one filer in the bundled reports: a use's years are the name's years over all documents
    store = open_read_only(bundled_store_path)
    expected = {(f, n, _sorted_years(years, ",")) for f, n, _, _, _, years in _rows(store, NAMES_FROM_OBSERVATIONS)}
    assert _rows(store, USED_YEARS) == expected


def test_each_name_use_carries_its_name_lower_cased_as_sparql_lower_cases_it(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    keys = PREFIXES + """
    SELECT ?use ?name ?key WHERE { GRAPH skgg:yearly { ?use a skg:NameUse ; skg:usedName ?name . OPTIONAL { ?use skg:usedNameKey ?key } } }
    """
    uses = _rows_with_unbound(store, keys)
    assert len(uses) > 100
    mismatched = PREFIXES + """
    SELECT ?use WHERE { GRAPH skgg:yearly { ?use skg:usedName ?name ; skg:usedNameKey ?key } FILTER(?key != LCASE(?name)) }
    """
    assert all(key is not None for _, _, key in uses) and not list(store.query(mismatched))


def test_a_facility_is_found_by_any_of_its_names_lower_cased_as_sparql_lower_cases_them(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    names = PREFIXES + """
    SELECT DISTINCT ?facility ?key WHERE { GRAPH skgg:resolution { ?facility a skg:Facility ; rdfs:label|skg:reportedName ?name } BIND(LCASE(?name) AS ?key) }
    """
    keys = PREFIXES + "SELECT ?facility ?key WHERE { GRAPH skgg:yearly { ?facility skg:nameKey ?key } }"
    expected = _rows(store, names)
    assert len(expected) > 300 and _rows(store, keys) == expected


def _rows_with_unbound(store, query: str) -> list[tuple[str | None, ...]]:
    return [tuple(None if term is None else term.value for term in solution) for solution in store.query(query)]


def test_the_yearly_graph_answers_no_pattern_written_for_observations_or_decisions(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    leaked = PREFIXES + "ASK { GRAPH skgg:yearly { { ?s skg:year ?y } UNION { ?s sosa:hasFeatureOfInterest ?f } UNION { ?s skg:facility ?f } } }"
    assert not store.query(leaked)


STATEMENTS = PREFIXES + """
SELECT ?doc ?category ?statement WHERE { GRAPH ?doc { ?doc skg:statedCount ?statement . ?statement skg:category ?category } }
"""

TALLY_STATEMENTS = PREFIXES + """
SELECT ?doc ?category ?statement WHERE { GRAPH skgg:yearly {
  ?tally skg:tallyOf ?doc ; skg:tallyCategory ?category ; skg:statedAs ?statement .
} }
"""

PRINTED_FILER_NAMES = PREFIXES + """
SELECT DISTINCT ?filer ?name WHERE { GRAPH ?doc { ?doc skg:filer ?filer . ?filer rdfs:label ?name } }
"""

YEARLY_FILER_NAMES = PREFIXES + """
SELECT ?filer ?name WHERE { GRAPH skgg:yearly { ?filer skg:filerName ?name } }
"""


def test_each_stated_count_is_linked_from_the_tally_of_its_document_and_category(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    statements = _rows(store, STATEMENTS)
    assert len(statements) == 12  # 2017, 2019, 2022 state four counts each
    assert _rows(store, TALLY_STATEMENTS) == statements


def test_every_name_a_filers_documents_print_is_a_filer_name(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    printed = _rows(store, PRINTED_FILER_NAMES)
    assert printed and _rows(store, YEARLY_FILER_NAMES) == printed


SPANS_FROM_YEARS = PREFIXES + """
SELECT ?facility (MIN(?year) AS ?first) (MAX(?year) AS ?last) (COUNT(DISTINCT ?year) AS ?years)
       (GROUP_CONCAT(DISTINCT STR(?status); separator=" ") AS ?statuses) WHERE { GRAPH skgg:yearly {
  ?fy a skg:FacilityYear ; skg:aboutFacility ?facility ; skg:inYear ?year ; skg:reportedStatus ?status .
} } GROUP BY ?facility
"""

SPANS = PREFIXES + """
SELECT ?facility ?first ?last ?years (GROUP_CONCAT(DISTINCT STR(?status); separator=" ") AS ?statuses) WHERE { GRAPH skgg:yearly {
  ?facility skg:firstListed ?first ; skg:lastListed ?last ; skg:yearsListed ?years ; skg:everReported ?status .
} } GROUP BY ?facility ?first ?last ?years
"""


def _spans(store, query: str) -> dict[str, tuple]:
    return {f: (first, last, years, frozenset(statuses.split())) for f, first, last, years, statuses in _rows(store, query)}


def test_each_facility_holds_the_span_and_statuses_of_its_facility_years(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    spans = _spans(store, SPANS)
    assert len(spans) == 417
    assert spans == _spans(store, SPANS_FROM_YEARS)


SIGHTINGS_FROM_ROWS = PREFIXES + """
SELECT ?facility ?country (MIN(?year) AS ?first) (MAX(?year) AS ?last) (COUNT(DISTINCT ?doc) AS ?sources) WHERE {
  ?o sosa:hasFeatureOfInterest ?facility ; skg:year ?year ; skg:inSource ?doc ; prov:wasDerivedFrom ?row .
  ?row skg:country ?country .
} GROUP BY ?facility ?country
"""

SIGHTINGS = PREFIXES + """
SELECT ?facility ?country ?first ?last ?sources WHERE { GRAPH skgg:yearly {
  ?s a skg:CountrySighting ; skg:aboutFacility ?facility ; skg:sightedCountry ?country ;
     skg:firstSighted ?first ; skg:lastSighted ?last ; skg:sourceCount ?sources .
} }
"""


def test_each_country_sighting_agrees_with_the_rows_of_its_facility(bundled_store_path: Path) -> None:
    store = open_read_only(bundled_store_path)
    sightings = _rows(store, SIGHTINGS)
    assert len(sightings) > 400
    assert sightings == _rows(store, SIGHTINGS_FROM_ROWS)
