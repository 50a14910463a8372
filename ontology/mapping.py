"""Read reports + their resolution -> RDF, as N-Quads lines: thin projections, no domain work.

Graph layout (``docs/graph.md``):

* one named graph per source document (named by the document's IRI): the document node (filer,
  reporting year, file name, checksum, stated counts, quarantined lines) and one node per table
  row with its cells as printed, normalised links and where it was read (line numbers for text,
  a locator for other formats). Never edited after load.
* the resolution graph: facilities with their dated names; one decision per key group (metal,
  normalised name, country) naming the facility, the layer, the reason and the decision it was
  attached to, and listing the rows it covers; the yearly status observations (one per source
  document and facility); the events (name changes, absorptions, splits) with their year
  brackets; the review queue; rename candidates.
* the yearly facts graph: aggregates of the observations for the yearly questions
  (``ontology/yearly.py`` derives them; ``yearly_nquads`` writes them).
* the ledger graph: the curated facts, each with its source and date.
* the reference graph: the countries used, as ISO-code IRIs with their names.

Every fact here was decided upstream (``ingest.resolution.model``): this module only writes it
down. Everything is a named node (no blank nodes), so the same inputs give the same graph, not
merely an isomorphic one. The output is N-Quads text because the store parses it natively:
building millions of Python term objects would cost more than the store's own indexing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pycountry

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.resolution import LedgerEntry, Resolution
from smelterkg.ingest.resolution.model import FacilityEvent
from smelterkg.ingest.resolution.reference import ReferenceIndex
from smelterkg.ontology import iris
from smelterkg.ontology.yearly import COUNT_CATEGORIES, Observed, Sighting, YearlyFacts, filer_of, observed_rows, status_wording, yearly_facts
from smelterkg.ontology.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKG, SKOS, SOSA, XSD


def iri(value: str) -> str:
    return f"<{value}>"


# Every term written, looked up once in the strict namespaces: a misspelt one fails at import.
A = iri(RDF.type)
LABEL, COMMENT = iri(RDFS.label), iri(RDFS.comment)
NOTATION, PREF_LABEL = iri(SKOS.notation), iri(SKOS.prefLabel)
DERIVED_FROM = iri(PROV.wasDerivedFrom)
FEATURE = iri(SOSA.hasFeatureOfInterest)
ORIGINAL, RESULTING = iri(ORG.originalOrganization), iri(ORG.resultingOrganization)
CHANGED_BY, RESULTED_FROM = iri(ORG.changedBy), iri(ORG.resultedFrom)
SOURCE, DATE, IDENTIFIER = iri(DCTERMS.source), iri(DCTERMS.date), iri(DCTERMS.identifier)
_INTEGER, _DECIMAL = f"^^{iri(XSD.integer)}", f"^^{iri(XSD.decimal)}"


class _Terms:
    """``T.Facility`` -> ``<https://w3id.org/smelterkg/ontology#Facility>``, through the strict
    generated namespace (a term not in smelterkg.ttl raises), cached."""

    def __getattr__(self, term: str) -> str:
        if term.startswith("_"):
            raise AttributeError(term)
        value = iri(getattr(SKG, term))
        setattr(self, term, value)
        return value


T = _Terms()

DOCUMENT_KINDS = {"facility list": "FacilityList", "cmrt": "SupplierDeclaration"}  # ParsedReport.kind -> class
EVENT_CLASSES = {"rename": ("NameChange", "name-change"), "absorption": ("Absorption", "absorption"), "split": ("Split", "split")}
LOCATOR_PROPERTIES = (("page", "page"), ("sheet", "sheetName"), ("table", "tableIndex"), ("row", "rowIndex"), ("column", "columnRef"))

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(32) if c not in _ESCAPES})


def literal(value: str, language: str = "") -> str:
    text = f'"{value.translate(_ESCAPES)}"'
    return f"{text}@{language}" if language else text


def integer(value: int) -> str:
    return f'"{value}"{_INTEGER}'


def decimal(value: float) -> str:
    return f'"{value:.6f}"{_DECIMAL}'


def row_iris(document: str, rows: Sequence[MentionRow]) -> list[str]:
    """The IRIs of a report's rows, by their first line (an ordinal tells apart rows that start
    on one line)."""
    seen: Counter[int] = Counter()
    result = []
    for row in rows:
        seen[row.line] += 1
        result.append(iris.row_iri(document, row.line, seen[row.line]))
    return result


def document_nquads(report: ParsedReport, report_row_iris: Sequence[str]) -> Iterator[str]:
    """The named graph of one source document: what it says, and nothing derived across sources.
    ``report_row_iris`` are the IRIs of ``report.rows``, in order. A document read back from a
    store (``build --add``) keeps the graph it has there."""
    if report.stored_nquads is not None:
        yield from report.stored_nquads
        return
    doc_iri = iris.document_iri(report.sha256)
    doc = iri(doc_iri)
    end = f" {doc} .\n"
    facts = report.facts
    yield f"{doc} {A} {T.SourceDocument}{end}"
    kind = DOCUMENT_KINDS.get(report.kind)
    if kind is not None:
        yield f"{doc} {A} {getattr(T, kind)}{end}"
    yield f"{doc} {T.fileName} {literal(report.source)}{end}"
    yield f"{doc} {T.sha256} {literal(report.sha256)}{end}"
    yield f"{doc} {T.lineCount} {integer(report.line_count)}{end}"
    yield f"{doc} {T.rowCount} {integer(len(report.rows))}{end}"
    yield f"{doc} {T.quarantinedLineCount} {integer(len(report.quarantine))}{end}"
    for start, stop in report.regions:
        yield f"{doc} {T.tableLines} {literal(f'{start}-{stop}')}{end}"
    if facts.year is not None:
        yield f"{doc} {T.reportingYear} {integer(facts.year)}{end}"
    if facts.cik:
        yield f"{doc} {T.cik} {literal(facts.cik)}{end}"
    if facts.accession:
        yield f"{doc} {T.accessionNumber} {literal(facts.accession)}{end}"
    filer_node = filer_of(report)
    if filer_node is not None:
        filer = iri(filer_node)
        yield f"{doc} {T.filer} {filer}{end}"
        yield f"{filer} {A} {T.Filer}{end}"
        if facts.filer:
            yield f"{filer} {LABEL} {literal(facts.filer)}{end}"
        if facts.cik:
            yield f"{filer} {T.cik} {literal(facts.cik)}{end}"
    for key, category in COUNT_CATEGORIES.items():
        value = getattr(facts, key)
        if value is None:
            continue
        node = iri(iris.stated_count_iri(doc_iri, category))
        yield f"{doc} {T.statedCount} {node}{end}"
        yield f"{node} {A} {T.StatedCount}{end}"
        yield f"{node} {T.category} {getattr(T, category)}{end}"
        yield f"{node} {T.count} {integer(value)}{end}"
        evidence = facts.evidence.get(key)
        if evidence is not None:
            yield f"{node} {T.line} {integer(evidence.line)}{end}"
            yield f"{node} {T.quote} {literal(evidence.text)}{end}"
    for index, entry in enumerate(report.quarantine, start=1):
        node = iri(iris.quarantine_iri(doc_iri, index))
        yield f"{doc} {T.quarantined} {node}{end}"
        yield f"{node} {A} {T.QuarantinedLine}{end}"
        yield f"{node} {T.line} {integer(entry.line)}{end}"
        yield f"{node} {T.reason} {literal(entry.reason)}{end}"
        yield f"{node} {T.text} {literal(entry.text)}{end}"
    type_row, in_document, line_p, source_line = f"{A} {T.TableRow}", T.inDocument, T.line, T.sourceLine
    for row, row_iri in zip(report.rows, report_row_iris):
        node = iri(row_iri)
        yield f"{node} {type_row}{end}"
        yield f"{node} {in_document} {doc}{end}"
        yield f"{node} {line_p} {integer(row.line)}{end}"
        if row.locator.is_text_lines:
            for number in row.lines:
                yield f"{node} {source_line} {integer(number)}{end}"
        else:  # lines of a page, a sheet's cells...: the locator says where (skg:line orders rows)
            yield from _locator_nquads(node, row, end)
        printed = ((T.printedName, row.name), (T.printedCountry, row.country), (T.printedStatus, row.status), (T.printedSmelterId, row.smelter_id))
        yield from _literals(node, printed, end)
        if row.metal:
            yield f"{node} {T.metal} {getattr(T, row.metal)}{end}"
        if row.country_code:
            yield f"{node} {T.country} {iri(iris.country_iri(row.country_code))}{end}"
        wording = status_wording(row)
        if wording is not None:
            yield f"{node} {T.status} {iri(wording)}{end}"
        for note in row.notes:
            yield f"{node} {T.repairNote} {literal(note)}{end}"


def _locator_nquads(node: str, row: MentionRow, end: str) -> Iterator[str]:
    """Where a row of a format without (only) lines was read: the human form, and its parts."""
    locator = row.locator
    yield f"{node} {T.locator} {literal(str(locator))}{end}"
    for field, term in LOCATOR_PROPERTIES:
        value = getattr(locator, field)
        if value is None or value == "":
            continue
        yield f"{node} {getattr(T, term)} {integer(value) if isinstance(value, int) else literal(value)}{end}"


def ledger_nquads(entries: Sequence[LedgerEntry]) -> Iterator[str]:
    """The curated graph: every ledger entry with its evidence."""
    end = f" {iri(iris.LEDGER_GRAPH)} .\n"
    for entry in entries:
        node = iri(ledger_iri(entry))
        yield f"{node} {A} {T.LedgerEntry}{end}"
        yield f"{node} {T.kind} {literal(entry.kind)}{end}"
        yield f"{node} {T.metal} {getattr(T, entry.metal)}{end}"
        yield f"{node} {T.subjectName} {literal(entry.subject)}{end}"
        yield f"{node} {T.objectName} {literal(entry.object)}{end}"
        if entry.subject_country:
            yield f"{node} {T.subjectCountry} {literal(entry.subject_country)}{end}"
        if entry.object_country:
            yield f"{node} {T.objectCountry} {literal(entry.object_country)}{end}"
        if entry.year is not None:
            yield f"{node} {T.statedYear} {integer(entry.year)}{end}"
        yield f"{node} {SOURCE} {literal(entry.source)}{end}"
        yield f"{node} {DATE} {literal(entry.date)}{end}"
        if entry.note:
            yield f"{node} {COMMENT} {literal(entry.note)}{end}"


def ledger_iri(entry: LedgerEntry) -> str:
    return iris.ledger_entry_iri(
        entry.kind, entry.metal, entry.subject, entry.subject_country, entry.object, entry.object_country, entry.source, entry.date
    )


def resolution_nquads(
    reports: Sequence[ParsedReport], resolution: Resolution, report_row_iris: Sequence[Sequence[str]],
    reference: ReferenceIndex | None = None,
    kept_iris: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Observations, decisions, facilities, events, the review queue and rename candidates.
    ``kept_iris``: the facility IRI each normalised key had in the store being added to."""
    end = f" {iri(iris.RESOLUTION_GRAPH)} .\n"
    facility_iris = facility_iri_list(resolution, kept_iris or {})
    decision_iris = [iris.decision_iri(d.group.metal, d.group.id) for d in resolution.decisions]
    observed = observed_rows(reports, resolution)
    yield from _observation_nquads(reports, observed, report_row_iris, facility_iris, end)
    for decision in resolution.decisions:
        node = iri(decision_iris[decision.index])
        yield f"{node} {A} {T.ResolutionDecision}{end}"
        yield f"{node} {T.facility} {iri(facility_iris[decision.facility])}{end}"
        yield f"{node} {T.normalisedKey} {literal(decision.group.text)}{end}"
        if decision.group.country:
            yield f"{node} {T.country} {iri(iris.country_iri(decision.group.country))}{end}"
        yield f"{node} {T.method} {literal(decision.layer)}{end}"
        yield f"{node} {T.reason} {literal(decision.reason)}{end}"
        if decision.score is not None:
            yield f"{node} {T.score} {decimal(decision.score)}{end}"
        if decision.attached_to is not None:
            yield f"{node} {T.attachedTo} {iri(decision_iris[decision.attached_to])}{end}"
        for report, row in decision.mentions:
            yield f"{node} {T.row} {iri(report_row_iris[report][row])}{end}"
    for facility in resolution.facilities:
        node = iri(facility_iris[facility.index])
        yield f"{node} {A} {T.Facility}{end}"
        yield f"{node} {T.metal} {getattr(T, facility.metal)}{end}"
        for d in facility.decisions:
            yield f"{node} {T.normalisedKey} {literal(resolution.decisions[d].group.text)}{end}"
        yield f"{node} {LABEL} {literal(facility.label)}{end}"
        yield from _year_span(node, facility.years, end)
        for name in facility.names:
            yield f"{node} {T.reportedName} {literal(name.text)}{end}"
            name_node = iri(iris.facility_name_iri(facility_iris[facility.index], name.text))
            yield f"{node} {T.hasName} {name_node}{end}"
            yield f"{name_node} {A} {T.FacilityName}{end}"
            yield f"{name_node} {T.nameText} {literal(name.text)}{end}"
            for year in name.years:
                yield f"{name_node} {T.year} {integer(year)}{end}"
            yield from _year_span(name_node, name.years, end)
        for code in facility.countries:
            yield f"{node} {T.country} {iri(iris.country_iri(code))}{end}"
        for smelter_id in facility.smelter_ids:
            yield f"{node} {T.smelterId} {literal(smelter_id)}{end}"
            if reference is not None:
                yield from _facility_reference_nquads(node, smelter_id, reference, end)
    for event in resolution.events:
        yield from _event_nquads(event, facility_iris, end)
    for item in resolution.review:
        left, right = resolution.decisions[item.left].group, resolution.decisions[item.right].group
        node = iri(iris.review_iri(left.metal, left.id, right.id))
        yield f"{node} {A} {T.ReviewItem}{end}"
        yield f"{node} {T.metal} {getattr(T, left.metal)}{end}"
        yield f"{node} {T.left} {iri(decision_iris[item.left])}{end}"
        yield f"{node} {T.right} {iri(decision_iris[item.right])}{end}"
        yield f"{node} {T.reason} {literal(item.reason)}{end}"
        yield f"{node} {T.explanation} {literal(item.explanation)}{end}"
        if item.probability is not None:
            yield f"{node} {T.score} {decimal(item.probability)}{end}"
    yield from yearly_nquads(yearly_facts(reports, resolution, observed), facility_iris, resolution)
    for rank, candidate in enumerate(resolution.candidates, start=1):
        old, new = resolution.facilities[candidate.old], resolution.facilities[candidate.new]
        node = iri(iris.rename_candidate_iri(candidate.metal, old.key.id, new.key.id))
        yield f"{node} {A} {T.RenameCandidate}{end}"
        yield f"{node} {T.metal} {getattr(T, candidate.metal)}{end}"
        yield f"{node} {T.oldFacility} {iri(facility_iris[candidate.old])}{end}"
        yield f"{node} {T.newFacility} {iri(facility_iris[candidate.new])}{end}"
        yield f"{node} {T.notBefore} {integer(candidate.last_year_old)}{end}"
        yield f"{node} {T.notAfter} {integer(candidate.first_year_new)}{end}"
        yield f"{node} {T.support} {integer(candidate.support)}{end}"
        yield f"{node} {T.rank} {integer(rank)}{end}"
        yield f"{node} {T.reason} {literal(candidate.reason)}{end}"


def facility_iri_list(resolution: Resolution, kept: Mapping[str, str]) -> list[str]:
    """Each facility's IRI: the one it had in the store reports are added to, when it holds a key
    group an old facility held (the old facility named after its own key first: adding reports
    never renames a facility); else from its smelter ID when it has one; else from its key."""
    out: list[str] = []
    used: set[str] = set()
    for facility in resolution.facilities:
        texts = [resolution.decisions[d].group.text for d in facility.decisions]
        own = facility.key.text
        old = [kept[t] for t in sorted(texts, key=lambda t: t != own) if t in kept and kept[t] not in used]
        cid = facility.smelter_ids[0] if len(facility.smelter_ids) == 1 else ""
        chosen = old[0] if old else iris.facility_iri(facility.metal, facility.key.id, cid)
        if chosen in used:  # an old facility split: its IRI stays with one part, the others get their own
            chosen = iris.facility_iri(facility.metal, facility.key.id, cid)
        out.append(chosen)
        used.add(chosen)
    return out


def _facility_reference_nquads(node: str, smelter_id: str, reference: ReferenceIndex, end: str) -> Iterator[str]:
    """A facility's links to what each reference list says of its smelter ID, and the city and
    state of the latest list that has it."""
    for source in reference.lists_with.get(smelter_id, ()):
        yield f"{node} {T.referenceFacility} {iri(iris.reference_facility_iri(source.sha256, smelter_id))}{end}"
    for removal in reference.removals_of(smelter_id):
        yield f"{node} {T.removedInList} {iri(iris.reference_list_iri(removal.removed_in.sha256))}{end}"
    latest = reference.latest.get(smelter_id)
    if latest is not None:
        yield from _literals(node, ((T.city, latest.city), (T.stateProvince, latest.state)), end)


def _literals(node: str, values: Iterable[tuple[str, str]], end: str) -> Iterator[str]:
    """One string literal per (property, value) whose value is not empty, in order."""
    for term, value in values:
        if value:
            yield f"{node} {term} {literal(value)}{end}"


def reference_list_nquads(reference: ReferenceIndex) -> Iterator[str]:
    """One named graph per reference list: the list (file, checksum, release, list date) and every
    smelter ID it gives, with its standard name, look-up names, metal, country, city and state."""
    for source in reference.lists:
        node = iri(iris.reference_list_iri(source.sha256))
        end = f" {node} .\n"
        yield f"{node} {A} {T.ReferenceList}{end}"
        yield f"{node} {T.fileName} {literal(Path(source.path).name)}{end}"
        yield f"{node} {T.sha256} {literal(source.sha256)}{end}"
        if source.release:
            yield f"{node} {T.release} {literal(source.release)}{end}"
        if source.list_date is not None:
            yield f"{node} {T.listDate} {literal(source.list_date.isoformat())}^^{iri(XSD.date)}{end}"
        for facility in source.facilities:
            entry = iri(iris.reference_facility_iri(source.sha256, facility.cid))
            yield f"{entry} {A} {T.ReferenceFacility}{end}"
            yield f"{entry} {T.inReferenceList} {node}{end}"
            yield f"{entry} {IDENTIFIER} {literal(facility.cid)}{end}"
            yield f"{entry} {T.metal} {getattr(T, facility.metal)}{end}"
            yield f"{entry} {T.standardName} {literal(facility.standard_name)}{end}"
            for alias in dict.fromkeys((facility.standard_name, *facility.aliases)):
                yield f"{entry} {T.lookupName} {literal(alias)}{end}"
            if facility.country_code:
                yield f"{entry} {T.country} {iri(iris.country_iri(facility.country_code))}{end}"
            yield from _literals(entry, ((T.city, facility.city), (T.stateProvince, facility.state)), end)


def _year_span(node: str, years: Sequence[int], end: str) -> Iterator[str]:
    """The first and last of sorted ``years`` (nothing when there are none)."""
    if years:
        yield f"{node} {T.firstYear} {integer(years[0])}{end}"
        yield f"{node} {T.lastYear} {integer(years[-1])}{end}"


def _observation_nquads(
    reports: Sequence[ParsedReport],
    observed: Sequence[Observed | None],
    report_row_iris: Sequence[Sequence[str]],
    facility_iris: Sequence[str],
    end: str,
) -> Iterator[str]:
    """One status observation per (report with a reporting year, facility), derived from the
    report's rows that mention the facility, with the statuses they print."""
    for report, facilities, row_iris_of_report in zip(reports, observed, report_row_iris):
        if facilities is None:
            continue
        doc_iri = iris.document_iri(report.sha256)
        filer_node = filer_of(report)
        filer = iri(filer_node) if filer_node is not None else None
        year, doc = integer(report.facts.year), iri(doc_iri)
        for facility_index, row_indices in facilities.items():
            node = iri(iris.observation_iri(doc_iri, facility_iris[facility_index]))
            yield f"{node} {A} {T.StatusObservation}{end}"
            yield f"{node} {FEATURE} {iri(facility_iris[facility_index])}{end}"
            yield f"{node} {T.year} {year}{end}"
            yield f"{node} {T.inSource} {doc}{end}"
            for row_index in row_indices:
                row = report.rows[row_index]
                yield f"{node} {DERIVED_FROM} {iri(row_iris_of_report[row_index])}{end}"
                wording = status_wording(row)
                if wording is not None:
                    yield f"{node} {T.status} {iri(wording)}{end}"


def years_text(years: set[int]) -> str:
    """Years as one literal, ascending, separated by spaces (read with CONTAINS, shown as is)."""
    return literal(" ".join(map(str, sorted(years))))


def _sighted(node: str, sighting: Sighting, end: str) -> Iterator[str]:
    """The span of a sighting: first and last year, every year, and how many documents."""
    yield f"{node} {T.firstSighted} {integer(min(sighting.years))}{end}"
    yield f"{node} {T.lastSighted} {integer(max(sighting.years))}{end}"
    yield f"{node} {T.sightedYears} {years_text(sighting.years)}{end}"
    yield f"{node} {T.sourceCount} {integer(len(sighting.documents))}{end}"


def yearly_nquads(facts: YearlyFacts, facility_iris: Sequence[str], resolution: Resolution) -> Iterator[str]:
    """The yearly facts graph (``ontology/yearly.py``): aggregates of the observations, for the
    yearly questions."""
    end = f" {iri(iris.YEARLY_GRAPH)} .\n"
    for fy in facts.facility_years:
        facility = facility_iris[fy.facility]
        node = iri(iris.facility_year_iri(facility, fy.year))
        yield f"{node} {A} {T.FacilityYear}{end}"
        yield f"{node} {T.aboutFacility} {iri(facility)}{end}"
        yield f"{node} {T.inYear} {integer(fy.year)}{end}"
        yield f"{node} {T.facilityMetal} {getattr(T, resolution.facilities[fy.facility].metal)}{end}"
        yield f"{node} {T.canonicalStatus} {iri(fy.best)}{end}"
        yield f"{node} {T.bestFavourability} {integer(fy.favourability)}{end}"
        for concept in sorted(fy.reported):
            yield f"{node} {T.reportedStatus} {iri(concept)}{end}"
        yield f"{node} {T.sourceCount} {integer(len(fy.documents))}{end}"
        yield f"{node} {T.filerCount} {integer(len(fy.filers))}{end}"
    for facility in resolution.facilities:
        node = iri(facility_iris[facility.index])
        for key in sorted({facility.label.lower()} | {name.text.lower() for name in facility.names}):
            yield f"{node} {T.nameKey} {literal(key)}{end}"
    for facility, span in sorted(facts.spans.items()):
        node = iri(facility_iris[facility])
        yield f"{node} {T.bestEverFavourability} {integer(span.best)}{end}"
        yield f"{node} {T.firstListed} {integer(span.first)}{end}"
        yield f"{node} {T.lastListed} {integer(span.last)}{end}"
        yield f"{node} {T.yearsListed} {integer(span.years)}{end}"
        for concept in sorted(span.reported):
            yield f"{node} {T.everReported} {iri(concept)}{end}"
    for sighting in facts.countries:
        facility = facility_iris[sighting.facility]
        node = iri(iris.facility_country_iri(facility, sighting.country_code))
        yield f"{node} {A} {T.CountrySighting}{end}"
        yield f"{node} {T.aboutFacility} {iri(facility)}{end}"
        yield f"{node} {T.sightedCountry} {iri(iris.country_iri(sighting.country_code))}{end}"
        yield from _sighted(node, sighting, end)
        if sighting.printed:
            yield f"{node} {T.printedAs} {literal(sighting.printed_as)}{end}"
    for named in facts.names:
        facility = facility_iris[named.facility]
        node = iri(iris.name_sighting_iri(facility, named.name))
        yield f"{node} {A} {T.NameSighting}{end}"
        yield f"{iri(facility)} {T.nameSighting} {node}{end}"
        yield f"{node} {T.sightedName} {literal(named.name)}{end}"
        yield from _sighted(node, named, end)
    for year, (documents, filers) in facts.reporting_years.items():
        node = iri(iris.reporting_year_iri(year))
        yield f"{node} {A} {T.ReportingYear}{end}"
        yield f"{node} {T.inYear} {integer(year)}{end}"
        yield f"{node} {T.documentCount} {integer(documents)}{end}"
        yield f"{node} {T.filerCount} {integer(filers)}{end}"
    for (filer, year), previous in facts.filer_years.items():
        node = iri(iris.filer_year_iri(filer, year))
        yield f"{node} {A} {T.FilerYear}{end}"
        yield f"{node} {T.byFiler} {iri(filer)}{end}"
        yield f"{node} {T.inYear} {integer(year)}{end}"
        if previous is not None:
            yield f"{node} {T.previousYear} {integer(previous)}{end}"
    for filer, label in sorted(facts.filer_labels.items()):
        yield f"{iri(filer)} {T.filerLabel} {literal(label)}{end}"
    for filer, names in sorted(facts.filer_names.items()):
        for name in sorted(names):
            yield f"{iri(filer)} {T.filerName} {literal(name)}{end}"
    for use in facts.name_uses:
        facility = facility_iris[use.facility]
        node = iri(iris.name_use_iri(facility, use.name, use.filer))
        yield f"{node} {A} {T.NameUse}{end}"
        yield f"{node} {T.aboutFacility} {iri(facility)}{end}"
        yield f"{node} {T.usedName} {literal(use.name)}{end}"
        yield f"{node} {T.usedNameKey} {literal(use.name.lower())}{end}"
        if use.filer is not None:
            yield f"{node} {T.byFiler} {iri(use.filer)}{end}"
        yield f"{node} {T.usedYears} {years_text(use.years)}{end}"
    for tally in facts.tallies:
        node = iri(iris.tally_iri(tally.document, re.split("[#/]", tally.category)[-1]))
        yield f"{node} {A} {T.DocumentTally}{end}"
        yield f"{node} {T.tallyOf} {iri(tally.document)}{end}"
        yield f"{node} {T.tallyCategory} {iri(tally.category)}{end}"
        yield f"{node} {T.listedRows} {integer(tally.rows)}{end}"
        if tally.facilities is not None:
            yield f"{node} {T.listedFacilities} {integer(tally.facilities)}{end}"
        if tally.stated is not None:
            yield f"{node} {T.statedAs} {iri(tally.stated)}{end}"


def _event_nquads(event: FacilityEvent, facility_iris: Sequence[str], end: str) -> Iterator[str]:
    cls, slug_kind = EVENT_CLASSES[event.kind]
    node = iri(iris.event_iri(slug_kind, event.metal, event.subject_key, event.object_key))
    original = iri(facility_iris[event.original])
    yield f"{node} {A} {getattr(T, cls)}{end}"
    yield f"{node} {T.metal} {getattr(T, event.metal)}{end}"
    yield f"{node} {ORIGINAL} {original}{end}"
    yield f"{original} {CHANGED_BY} {node}{end}"
    for part in event.resulting:
        yield f"{node} {RESULTING} {iri(facility_iris[part])}{end}"
        yield f"{iri(facility_iris[part])} {RESULTED_FROM} {node}{end}"
        if event.kind == "absorption":
            yield f"{original} {T.succeededBy} {iri(facility_iris[part])}{end}"
    for entry in event.evidence:
        if event.kind == "rename":
            yield f"{node} {T.oldName} {literal(entry.subject)}{end}"
            yield f"{node} {T.newName} {literal(entry.object)}{end}"
        yield f"{node} {T.evidence} {iri(ledger_iri(entry))}{end}"
        if entry.year is not None:
            yield f"{node} {T.statedYear} {integer(entry.year)}{end}"
    if event.not_before is not None:
        yield f"{node} {T.notBefore} {integer(event.not_before)}{end}"
    if event.not_after is not None:
        yield f"{node} {T.notAfter} {integer(event.not_after)}{end}"


def reference_nquads(reports: Sequence[ParsedReport], resolution: Resolution, reference: ReferenceIndex | None = None) -> Iterator[str]:
    """The countries the reports, the key groups and the reference lists use, as ISO-code IRIs
    with their ISO names."""
    end = f" {iri(iris.REFERENCE_GRAPH)} .\n"
    codes = {row.country_code for report in reports for row in report.rows if row.country_code}
    codes |= {d.group.country for d in resolution.decisions if d.group.country}
    if reference is not None:
        codes |= {f.country_code for source in reference.lists for f in source.facilities if f.country_code}
    for code in sorted(codes):
        node = iri(iris.country_iri(code))
        country = pycountry.countries.get(alpha_2=code)
        yield f"{node} {A} {T.Country}{end}"
        yield f"{node} {NOTATION} {literal(code)}{end}"
        if country is not None:
            yield f"{node} {PREF_LABEL} {literal(country.name, 'en')}{end}"


def graph_nquads(
    reports: Sequence[ParsedReport], resolution: Resolution, reference: ReferenceIndex | None = None,
    kept_iris: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Every N-Quads line of the data graphs (the ontology files are loaded separately).
    ``kept_iris``: see :func:`facility_iri_list` (``build --add``)."""
    all_row_iris = [row_iris(iris.document_iri(report.sha256), report.rows) for report in reports]
    for report, report_row_iris in zip(reports, all_row_iris):
        yield from document_nquads(report, report_row_iris)
    yield from resolution_nquads(reports, resolution, all_row_iris, reference, kept_iris)
    yield from ledger_nquads(resolution.ledger)
    yield from reference_nquads(reports, resolution, reference)
    if reference is not None:
        yield from reference_list_nquads(reference)
