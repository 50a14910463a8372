"""Read reports + resolutions -> RDF, as N-Quads lines.

Graph layout (see ``../shared/design/model.md``):

* one named graph per source document (named by the document's IRI): the document node (filer,
  reporting year, file name, checksum, stated counts, quarantined lines) and one node per table
  row with its cells as printed, normalised links and line numbers. Never edited after load.
* the resolution graph: facilities; one decision per distinct resolution key (metal + name as
  normalised) naming the facility, the method and the reason, and listing the rows it covers;
  and the yearly status observations (one per source document and facility).
* the reference graph: the countries used, as ISO-code IRIs with their names.

Everything is a named node (no blank nodes), so the same inputs give the same graph, not merely
an isomorphic one. The output is N-Quads text because the store parses it natively: building
millions of Python term objects would cost more than the store's own indexing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pycountry

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.resolve import Resolution
from smelterkg.ontology import iris
from smelterkg.ontology.namespace import TERMS

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS_NOTATION = "<http://www.w3.org/2004/02/skos/core#notation>"
SKOS_PREF_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
SOSA_FEATURE = "<http://www.w3.org/ns/sosa/hasFeatureOfInterest>"
SOSA_PROPERTY = "<http://www.w3.org/ns/sosa/observedProperty>"
_INTEGER = "^^<http://www.w3.org/2001/XMLSchema#integer>"

COUNT_CATEGORIES = {
    "stated_total": "AllFacilities",
    "stated_compliant": "CompliantFacilities",
    "stated_active": "ActiveFacilities",
    "stated_remaining": "RemainingFacilities",
}

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(32) if c not in _ESCAPES})


class _Vocabulary:
    """Strict access to the vocabulary as N-Quads IRIs: a misspelt term raises."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __getattr__(self, term: str) -> str:
        if term.startswith("_"):
            raise AttributeError(term)
        if term not in TERMS:
            raise AttributeError(f"term {term!r} is not in the smelterkg vocabulary (ontology/smelterkg.ttl)")
        iri = self._cache.get(term)
        if iri is None:
            iri = self._cache[term] = f"<https://w3id.org/smelterkg/ontology#{term}>"
        return iri


SKG = _Vocabulary()


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, language: str = "") -> str:
    text = f'"{value.translate(_ESCAPES)}"'
    return f"{text}@{language}" if language else text


def integer(value: int) -> str:
    return f'"{value}"{_INTEGER}'


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


def document_nquads(report: ParsedReport, row_iris: Sequence[str]) -> Iterator[str]:
    """The named graph of one source document: what it says, and nothing derived across sources.
    ``row_iris`` are the IRIs of ``report.rows``, in order."""
    doc_iri = iris.document_iri(report.sha256)
    doc = iri(doc_iri)
    end = f" {doc} .\n"
    facts = report.facts
    yield f"{doc} {RDF_TYPE} {SKG.SourceDocument}{end}"
    yield f"{doc} {SKG.fileName} {literal(report.source)}{end}"
    yield f"{doc} {SKG.sha256} {literal(report.sha256)}{end}"
    yield f"{doc} {SKG.lineCount} {integer(report.line_count)}{end}"
    yield f"{doc} {SKG.rowCount} {integer(len(report.rows))}{end}"
    yield f"{doc} {SKG.quarantinedLineCount} {integer(len(report.quarantine))}{end}"
    for start, stop in report.regions:
        yield f"{doc} {SKG.tableLines} {literal(f'{start}-{stop}')}{end}"
    if facts.year is not None:
        yield f"{doc} {SKG.reportingYear} {integer(facts.year)}{end}"
    if facts.filer:
        filer = iri(iris.filer_iri(facts.filer))
        yield f"{doc} {SKG.filer} {filer}{end}"
        yield f"{filer} {RDF_TYPE} {SKG.Filer}{end}"
        yield f"{filer} {RDFS_LABEL} {literal(facts.filer)}{end}"
    for key, category in COUNT_CATEGORIES.items():
        value = getattr(facts, key)
        if value is None:
            continue
        node = iri(iris.stated_count_iri(doc_iri, category))
        yield f"{doc} {SKG.statedCount} {node}{end}"
        yield f"{node} {RDF_TYPE} {SKG.StatedCount}{end}"
        yield f"{node} {SKG.category} {getattr(SKG, category)}{end}"
        yield f"{node} {SKG.count} {integer(value)}{end}"
        evidence = facts.evidence.get(key)
        if evidence is not None:
            yield f"{node} {SKG.line} {integer(evidence.line)}{end}"
            yield f"{node} {SKG.quote} {literal(evidence.text)}{end}"
    for index, entry in enumerate(report.quarantine, start=1):
        node = iri(iris.quarantine_iri(doc_iri, index))
        yield f"{doc} {SKG.quarantined} {node}{end}"
        yield f"{node} {RDF_TYPE} {SKG.QuarantinedLine}{end}"
        yield f"{node} {SKG.line} {integer(entry.line)}{end}"
        yield f"{node} {SKG.reason} {literal(entry.reason)}{end}"
        yield f"{node} {SKG.text} {literal(entry.text)}{end}"
    type_row, in_document, line_p, source_line = RDF_TYPE + " " + SKG.TableRow, SKG.inDocument, SKG.line, SKG.sourceLine
    for row, row_iri in zip(report.rows, row_iris):
        node = iri(row_iri)
        yield f"{node} {type_row}{end}"
        yield f"{node} {in_document} {doc}{end}"
        yield f"{node} {line_p} {integer(row.line)}{end}"
        for number in row.lines:
            yield f"{node} {source_line} {integer(number)}{end}"
        if row.name:
            yield f"{node} {SKG.printedName} {literal(row.name)}{end}"
        if row.country:
            yield f"{node} {SKG.printedCountry} {literal(row.country)}{end}"
        if row.status:
            yield f"{node} {SKG.printedStatus} {literal(row.status)}{end}"
        if row.smelter_id:
            yield f"{node} {SKG.printedSmelterId} {literal(row.smelter_id)}{end}"
        if row.metal:
            yield f"{node} {SKG.metal} {getattr(SKG, row.metal)}{end}"
        if row.country_code:
            yield f"{node} {SKG.country} {iri(iris.country_iri(row.country_code))}{end}"
        if row.status_code:
            yield f"{node} {SKG.status} {iri(iris.status_iri(row.status_scheme, row.status_code))}{end}"
        for note in row.notes:
            yield f"{node} {SKG.repairNote} {literal(note)}{end}"


def resolution_nquads(
    reports: Sequence[ParsedReport],
    resolutions: Sequence[Sequence[Resolution | None]],
    row_iris: Sequence[Sequence[str]],
) -> Iterator[str]:
    """Facilities, resolution decisions (one per distinct key) and yearly status observations."""
    end = f" {iri(iris.RESOLUTION_GRAPH)} .\n"
    facilities: dict[str, _FacilityFacts] = {}
    decisions: dict[tuple[str, str], tuple[Resolution, list[str]]] = {}
    for report, report_decisions, report_row_iris in zip(reports, resolutions, row_iris):
        doc_iri = iris.document_iri(report.sha256)
        filer = iri(iris.filer_iri(report.facts.filer)) if report.facts.filer else None
        observations: dict[str, list[tuple[str, MentionRow]]] = defaultdict(list)
        for row, row_iri, decision in zip(report.rows, report_row_iris, report_decisions):
            if decision is None:
                continue
            facility = iris.facility_iri(decision.metal, decision.key)
            facts = facilities.get(facility)
            if facts is None:
                facts = facilities[facility] = _FacilityFacts(decision.metal, decision.key)
            facts.names[(report.facts.year or 0, row.name)] += 1
            if row.country_code:
                facts.countries.add(row.country_code)
            if row.smelter_id:
                facts.smelter_ids.add(row.smelter_id)
            decisions.setdefault((decision.metal, decision.key), (decision, []))[1].append(row_iri)
            observations[facility].append((row_iri, row))
        if report.facts.year is None:
            continue
        year = integer(report.facts.year)
        doc = iri(doc_iri)
        for facility, mentions in observations.items():
            node = iri(iris.observation_iri(doc_iri, facility))
            yield f"{node} {RDF_TYPE} {SKG.StatusObservation}{end}"
            yield f"{node} {SOSA_FEATURE} {iri(facility)}{end}"
            yield f"{node} {SOSA_PROPERTY} {SKG.conformanceStatus}{end}"
            yield f"{node} {SKG.year} {year}{end}"
            yield f"{node} {SKG.inSource} {doc}{end}"
            if filer is not None:
                yield f"{node} {SKG.reportedBy} {filer}{end}"
            for row_iri, row in mentions:
                yield f"{node} {PROV_DERIVED} {iri(row_iri)}{end}"
                if row.status_code:
                    yield f"{node} {SKG.status} {iri(iris.status_iri(row.status_scheme, row.status_code))}{end}"
    for (metal, key), (decision, rows) in sorted(decisions.items()):
        node = iri(iris.decision_iri(metal, key))
        yield f"{node} {RDF_TYPE} {SKG.ResolutionDecision}{end}"
        yield f"{node} {SKG.facility} {iri(iris.facility_iri(metal, key))}{end}"
        yield f"{node} {SKG.normalisedKey} {literal(f'{metal}|{key}')}{end}"
        yield f"{node} {SKG.method} {literal(decision.method)}{end}"
        yield f"{node} {SKG.reason} {literal(decision.reason)}{end}"
        for row_iri in rows:
            yield f"{node} {SKG.row} {iri(row_iri)}{end}"
    for facility, facts in sorted(facilities.items()):
        node = iri(facility)
        yield f"{node} {RDF_TYPE} {SKG.Facility}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, facts.metal)}{end}"
        yield f"{node} {SKG.normalisedKey} {literal(f'{facts.metal}|{facts.key}')}{end}"
        yield f"{node} {RDFS_LABEL} {literal(_preferred_name(facts.names))}{end}"
        for name in sorted({name for _, name in facts.names}):
            yield f"{node} {SKG.reportedName} {literal(name)}{end}"
        for code in sorted(facts.countries):
            yield f"{node} {SKG.country} {iri(iris.country_iri(code))}{end}"
        for smelter_id in sorted(facts.smelter_ids):
            yield f"{node} {SKG.smelterId} {literal(smelter_id)}{end}"


def _preferred_name(names: Counter[tuple[int, str]]) -> str:
    """The label: the spelling of the latest year, the most frequent of that year, then A-Z."""
    latest = max(year for year, _ in names)
    spellings = Counter({name: n for (year, name), n in names.items() if year == latest})
    return sorted(spellings.items(), key=lambda item: (-item[1], item[0]))[0][0]


def reference_nquads(reports: Sequence[ParsedReport]) -> Iterator[str]:
    """The countries the reports use, as ISO-code IRIs with their ISO names."""
    end = f" {iri(iris.REFERENCE_GRAPH)} .\n"
    codes = sorted({row.country_code for report in reports for row in report.rows if row.country_code})
    for code in codes:
        node = iri(iris.country_iri(code))
        country = pycountry.countries.get(alpha_2=code)
        yield f"{node} {RDF_TYPE} {SKG.Country}{end}"
        yield f"{node} {SKOS_NOTATION} {literal(code)}{end}"
        if country is not None:
            yield f"{node} {SKOS_PREF_LABEL} {literal(country.name, 'en')}{end}"


def graph_nquads(reports: Sequence[ParsedReport], resolutions: Sequence[Sequence[Resolution | None]]) -> Iterator[str]:
    """Every N-Quads line of the data graphs (the ontology files are loaded separately)."""
    row_iris = [_row_iris(iris.document_iri(report.sha256), report.rows) for report in reports]
    for report, report_row_iris in zip(reports, row_iris):
        yield from document_nquads(report, report_row_iris)
    yield from resolution_nquads(reports, resolutions, row_iris)
    yield from reference_nquads(reports)
