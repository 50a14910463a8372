"""Read reports + resolutions -> RDF quads.

Graph layout (see ``../shared/design/model.md``):

* one named graph per source document (named by the document's IRI): the document node (filer,
  reporting year, file name, checksum, stated counts, quarantined lines) and one node per table
  row with its cells as printed, normalised links and line numbers. Never edited after load.
* the resolution graph: facilities, the decision linking each row to its facility (method and
  reason), and the yearly status observations derived from the rows.
* the reference graph: the countries used, as ISO-code IRIs with their names.

Everything is a named node (no blank nodes), so the same inputs give the same graph, not merely
an isomorphic one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pycountry
from pyoxigraph import Literal, NamedNode, Quad

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.resolve import Resolution
from smelterkg.ontology import iris
from smelterkg.ontology.namespace import TERMS

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_NOTATION = NamedNode("http://www.w3.org/2004/02/skos/core#notation")
SKOS_PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SKOS_CONCEPT = NamedNode("http://www.w3.org/2004/02/skos/core#Concept")
PROV_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
SOSA_FEATURE = NamedNode("http://www.w3.org/ns/sosa/hasFeatureOfInterest")
SOSA_PROPERTY = NamedNode("http://www.w3.org/ns/sosa/observedProperty")

COUNT_CATEGORIES = {
    "stated_total": "AllFacilities",
    "stated_compliant": "CompliantFacilities",
    "stated_active": "ActiveFacilities",
    "stated_remaining": "RemainingFacilities",
}


class _Vocabulary:
    """Strict access to the vocabulary as pyoxigraph nodes: a misspelt term raises."""

    def __init__(self) -> None:
        self._nodes: dict[str, NamedNode] = {}

    def __getattr__(self, term: str) -> NamedNode:
        if term.startswith("_"):
            raise AttributeError(term)
        if term not in TERMS:
            raise AttributeError(f"term {term!r} is not in the smelterkg vocabulary (ontology/smelterkg.ttl)")
        node = self._nodes.get(term)
        if node is None:
            node = self._nodes[term] = NamedNode("https://w3id.org/smelterkg/ontology#" + term)
        return node


SKG = _Vocabulary()


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD_INTEGER)


@dataclass
class _FacilityFacts:
    metal: str
    key: str
    names: Counter[tuple[int, str]] = field(default_factory=Counter)  # (year, printed name)
    countries: set[str] = field(default_factory=set)
    smelter_ids: set[str] = field(default_factory=set)


def _row_iris(document: str, rows: Sequence[MentionRow]) -> list[str]:
    seen: Counter[int] = Counter()
    result = []
    for row in rows:
        seen[row.line] += 1
        result.append(iris.row_iri(document, row.line, seen[row.line]))
    return result


def document_quads(report: ParsedReport) -> Iterator[Quad]:
    """The named graph of one source document: what it says, and nothing derived across sources."""
    doc = NamedNode(iris.document_iri(report.sha256))
    g = doc
    facts = report.facts
    yield Quad(doc, RDF_TYPE, SKG.SourceDocument, g)
    yield Quad(doc, SKG.fileName, Literal(report.source), g)
    yield Quad(doc, SKG.sha256, Literal(report.sha256), g)
    yield Quad(doc, SKG.lineCount, integer(report.line_count), g)
    yield Quad(doc, SKG.rowCount, integer(len(report.rows)), g)
    yield Quad(doc, SKG.quarantinedLineCount, integer(len(report.quarantine)), g)
    for start, end in report.regions:
        yield Quad(doc, SKG.tableLines, Literal(f"{start}-{end}"), g)
    if facts.year is not None:
        yield Quad(doc, SKG.reportingYear, integer(facts.year), g)
    if facts.filer:
        filer = NamedNode(iris.filer_iri(facts.filer))
        yield Quad(doc, SKG.filer, filer, g)
        yield Quad(filer, RDF_TYPE, SKG.Filer, g)
        yield Quad(filer, RDFS_LABEL, Literal(facts.filer), g)
    for key, category in COUNT_CATEGORIES.items():
        value = getattr(facts, key)
        if value is None:
            continue
        node = NamedNode(iris.stated_count_iri(doc.value, category))
        yield Quad(doc, SKG.statedCount, node, g)
        yield Quad(node, RDF_TYPE, SKG.StatedCount, g)
        yield Quad(node, SKG.category, getattr(SKG, category), g)
        yield Quad(node, SKG.count, integer(value), g)
        evidence = facts.evidence.get(key)
        if evidence is not None:
            yield Quad(node, SKG.line, integer(evidence.line), g)
            yield Quad(node, SKG.quote, Literal(evidence.text), g)
    for index, entry in enumerate(report.quarantine, start=1):
        node = NamedNode(iris.quarantine_iri(doc.value, index))
        yield Quad(doc, SKG.quarantined, node, g)
        yield Quad(node, RDF_TYPE, SKG.QuarantinedLine, g)
        yield Quad(node, SKG.line, integer(entry.line), g)
        yield Quad(node, SKG.reason, Literal(entry.reason), g)
        yield Quad(node, SKG.text, Literal(entry.text), g)
    for row, row_iri in zip(report.rows, _row_iris(doc.value, report.rows)):
        node = NamedNode(row_iri)
        yield Quad(node, RDF_TYPE, SKG.TableRow, g)
        yield Quad(node, SKG.inDocument, doc, g)
        yield Quad(node, SKG.line, integer(row.line), g)
        for number in row.lines:
            yield Quad(node, SKG.sourceLine, integer(number), g)
        for predicate, value in (
            (SKG.printedMetal, row.metal),
            (SKG.printedName, row.name),
            (SKG.printedCountry, row.country),
            (SKG.printedStatus, row.status),
            (SKG.printedSmelterId, row.smelter_id),
        ):
            if value:
                yield Quad(node, predicate, Literal(value), g)
        if row.metal:
            yield Quad(node, SKG.metal, getattr(SKG, row.metal), g)
        if row.country_code:
            yield Quad(node, SKG.country, NamedNode(iris.country_iri(row.country_code)), g)
        if row.status_code:
            yield Quad(node, SKG.status, NamedNode(iris.status_iri(row.status_scheme, row.status_code)), g)
        for note in row.notes:
            yield Quad(node, SKG.repairNote, Literal(note), g)


def resolution_quads(reports: Sequence[ParsedReport], resolutions: Sequence[Sequence[Resolution | None]]) -> Iterator[Quad]:
    """Facilities, row -> facility decisions and yearly status observations."""
    g = NamedNode(iris.RESOLUTION_GRAPH)
    facilities: dict[str, _FacilityFacts] = {}
    for report, decisions in zip(reports, resolutions):
        doc = iris.document_iri(report.sha256)
        filer = NamedNode(iris.filer_iri(report.facts.filer)) if report.facts.filer else None
        observations: dict[str, list[tuple[str, MentionRow]]] = defaultdict(list)
        for row, row_iri, decision in zip(report.rows, _row_iris(doc, report.rows), decisions):
            if decision is None:
                continue
            facility = iris.facility_iri(decision.metal, decision.key)
            facts = facilities.setdefault(facility, _FacilityFacts(decision.metal, decision.key))
            facts.names[(report.facts.year or 0, row.name)] += 1
            if row.country_code:
                facts.countries.add(row.country_code)
            if row.smelter_id:
                facts.smelter_ids.add(row.smelter_id)
            node = NamedNode(row_iri + "/resolution")
            yield Quad(node, RDF_TYPE, SKG.ResolutionDecision, g)
            yield Quad(node, SKG.row, NamedNode(row_iri), g)
            yield Quad(node, SKG.facility, NamedNode(facility), g)
            yield Quad(node, SKG.method, Literal(decision.method), g)
            yield Quad(node, SKG.reason, Literal(decision.reason), g)
            observations[facility].append((row_iri, row))
        if report.facts.year is None:
            continue
        for facility, mentions in observations.items():
            node = NamedNode(iris.observation_iri(doc, facility))
            yield Quad(node, RDF_TYPE, SKG.StatusObservation, g)
            yield Quad(node, SOSA_FEATURE, NamedNode(facility), g)
            yield Quad(node, SOSA_PROPERTY, SKG.conformanceStatus, g)
            yield Quad(node, SKG.year, integer(report.facts.year), g)
            yield Quad(node, SKG.inSource, NamedNode(doc), g)
            yield Quad(node, SKG.metal, getattr(SKG, mentions[0][1].metal), g)
            if filer is not None:
                yield Quad(node, SKG.reportedBy, filer, g)
            for row_iri, row in mentions:
                yield Quad(node, PROV_DERIVED, NamedNode(row_iri), g)
                if row.status_code:
                    yield Quad(node, SKG.status, NamedNode(iris.status_iri(row.status_scheme, row.status_code)), g)
    for facility, facts in sorted(facilities.items()):
        node = NamedNode(facility)
        yield Quad(node, RDF_TYPE, SKG.Facility, g)
        yield Quad(node, SKG.metal, getattr(SKG, facts.metal), g)
        yield Quad(node, SKG.normalisedKey, Literal(f"{facts.metal}|{facts.key}"), g)
        yield Quad(node, RDFS_LABEL, Literal(_preferred_name(facts.names)), g)
        for name in sorted({name for _, name in facts.names}):
            yield Quad(node, SKG.reportedName, Literal(name), g)
        for code in sorted(facts.countries):
            yield Quad(node, SKG.country, NamedNode(iris.country_iri(code)), g)
        for smelter_id in sorted(facts.smelter_ids):
            yield Quad(node, SKG.smelterId, Literal(smelter_id), g)


def _preferred_name(names: Counter[tuple[int, str]]) -> str:
    """The label: the spelling of the latest year, the most frequent of that year, then A-Z."""
    latest = max(year for year, _ in names)
    spellings = Counter({name: n for (year, name), n in names.items() if year == latest})
    return sorted(spellings.items(), key=lambda item: (-item[1], item[0]))[0][0]


def reference_quads(reports: Sequence[ParsedReport]) -> Iterator[Quad]:
    """The countries the reports use, as ISO-code IRIs with their ISO names."""
    g = NamedNode(iris.REFERENCE_GRAPH)
    codes = sorted({row.country_code for report in reports for row in report.rows if row.country_code})
    for code in codes:
        node = NamedNode(iris.country_iri(code))
        country = pycountry.countries.get(alpha_2=code)
        yield Quad(node, RDF_TYPE, SKG.Country, g)
        yield Quad(node, SKOS_NOTATION, Literal(code), g)
        if country is not None:
            yield Quad(node, SKOS_PREF_LABEL, Literal(country.name, language="en"), g)


def graph_quads(reports: Sequence[ParsedReport], resolutions: Sequence[Sequence[Resolution | None]]) -> Iterator[Quad]:
    """Every quad of the data graphs (the ontology files are loaded separately)."""
    for report in reports:
        yield from document_quads(report)
    yield from resolution_quads(reports, resolutions)
    yield from reference_quads(reports)
