"""Read reports + resolutions -> RDF, as N-Quads lines.

Graph layout (see ``../shared/design/model.md``):

* one named graph per source document (named by the document's IRI): the document node (filer,
  reporting year, file name, checksum, stated counts, quarantined lines) and one node per table
  row with its cells as printed, normalised links and line numbers. Never edited after load.
* the resolution graph: facilities with their dated names; one decision per key group (metal,
  normalised name, country) naming the facility, the layer and the reason, and listing the rows
  it covers; the yearly status observations (one per source document and facility); the events
  (name changes, absorptions, splits) with year brackets; the review queue; rename candidates.
* the ledger graph: the curated facts, each with its source and date.
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
from smelterkg.ingest.resolution import LedgerEntry, ResolutionResult
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


ORG_ORIGINAL = "<http://www.w3.org/ns/org#originalOrganization>"
ORG_RESULTING = "<http://www.w3.org/ns/org#resultingOrganization>"
ORG_CHANGED_BY = "<http://www.w3.org/ns/org#changedBy>"
ORG_RESULTED_FROM = "<http://www.w3.org/ns/org#resultedFrom>"
DCT_SOURCE = "<http://purl.org/dc/terms/source>"
DCT_DATE = "<http://purl.org/dc/terms/date>"
RDFS_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
_DECIMAL = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
EVENT_CLASSES = {"rename": ("NameChange", "name-change"), "absorption": ("Absorption", "absorption"), "split": ("Split", "split")}


def decimal(value: float) -> str:
    return f'"{value:.6f}"{_DECIMAL}'


@dataclass
class _Names:
    """Per facility: (year, printed name) -> rows, countries, IDs."""

    printed: Counter[tuple[int, str]] = field(default_factory=Counter)
    countries: set[str] = field(default_factory=set)
    smelter_ids: set[str] = field(default_factory=set)

    def years(self) -> list[int]:
        return sorted({year for year, _ in self.printed if year})


def _facility_iris(result: ResolutionResult) -> list[str]:
    return [iris.facility_iri(f.metal, result.facility_key(i)) for i, f in enumerate(result.facilities)]


def ledger_nquads(entries: Sequence[LedgerEntry]) -> Iterator[str]:
    """The curated graph: every ledger entry with its evidence."""
    end = f" {iri(iris.LEDGER_GRAPH)} .\n"
    for entry in entries:
        node = iri(_ledger_iri(entry))
        yield f"{node} {RDF_TYPE} {SKG.LedgerEntry}{end}"
        yield f"{node} {SKG.kind} {literal(entry.kind)}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, entry.metal)}{end}"
        yield f"{node} {SKG.subjectName} {literal(entry.subject)}{end}"
        yield f"{node} {SKG.objectName} {literal(entry.object)}{end}"
        if entry.subject_country:
            yield f"{node} {SKG.subjectCountry} {literal(entry.subject_country)}{end}"
        if entry.object_country:
            yield f"{node} {SKG.objectCountry} {literal(entry.object_country)}{end}"
        if entry.year is not None:
            yield f"{node} {SKG.statedYear} {integer(entry.year)}{end}"
        yield f"{node} {DCT_SOURCE} {literal(entry.source)}{end}"
        yield f"{node} {DCT_DATE} {literal(entry.date)}{end}"
        if entry.note:
            yield f"{node} {RDFS_COMMENT} {literal(entry.note)}{end}"


def _ledger_iri(entry: LedgerEntry) -> str:
    return iris.ledger_entry_iri(
        entry.kind, entry.metal, entry.subject, entry.subject_country, entry.object, entry.object_country, entry.source, entry.date
    )


def resolution_nquads(
    reports: Sequence[ParsedReport], result: ResolutionResult, row_iris: Sequence[Sequence[str]]
) -> Iterator[str]:
    """Facilities with their dated names, one decision per key group, yearly status
    observations, the ledger's events, the review queue and rename candidates."""
    end = f" {iri(iris.RESOLUTION_GRAPH)} .\n"
    facility_iris = _facility_iris(result)
    group_facility = [facility_iris[f] for f in result.facility_of_group]
    names: list[_Names] = [_Names() for _ in result.facilities]
    labels = result.facility_labels()
    decision_rows: dict[int, list[str]] = defaultdict(list)
    group_index = {(group.metal, group.id): index for index, group in enumerate(result.groups)}
    for report, report_decisions, report_row_iris in zip(reports, result.rows, row_iris):
        doc_iri = iris.document_iri(report.sha256)
        filer = iri(iris.filer_iri(report.facts.filer)) if report.facts.filer else None
        observations: dict[str, list[tuple[str, MentionRow]]] = defaultdict(list)
        for row, row_iri, decision in zip(report.rows, report_row_iris, report_decisions):
            if decision is None:
                continue
            group = group_index[(decision.metal, decision.key)]
            facility_index = result.facility_of_group[group]
            facts = names[facility_index]
            facts.printed[(report.facts.year or 0, row.name)] += 1
            if row.country_code:
                facts.countries.add(row.country_code)
            if row.smelter_id:
                facts.smelter_ids.add(row.smelter_id)
            decision_rows[group].append(row_iri)
            observations[group_facility[group]].append((row_iri, row))
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
    decision_iris = [iris.decision_iri(group.metal, group.id) for group in result.groups]
    for index, group in enumerate(result.groups):
        rows = decision_rows.get(index)
        if not rows:
            continue
        node = iri(decision_iris[index])
        yield f"{node} {RDF_TYPE} {SKG.ResolutionDecision}{end}"
        yield f"{node} {SKG.facility} {iri(group_facility[index])}{end}"
        yield f"{node} {SKG.normalisedKey} {literal(f'{group.metal}|{group.id}')}{end}"
        decision = result.group_resolutions[index]
        yield f"{node} {SKG.method} {literal(decision.method)}{end}"
        yield f"{node} {SKG.reason} {literal(decision.reason)}{end}"
        if decision.score is not None:
            yield f"{node} {SKG.score} {decimal(decision.score)}{end}"
        for row_iri in rows:
            yield f"{node} {SKG.row} {iri(row_iri)}{end}"
    for index, (facility, facts) in enumerate(zip(result.facilities, names)):
        if not facts.printed:
            continue
        node = iri(facility_iris[index])
        years = facts.years()
        yield f"{node} {RDF_TYPE} {SKG.Facility}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, facility.metal)}{end}"
        for g in facility.groups:
            yield f"{node} {SKG.normalisedKey} {literal(f'{facility.metal}|{result.groups[g].id}')}{end}"
        yield f"{node} {RDFS_LABEL} {literal(labels[index])}{end}"
        if years:
            yield f"{node} {SKG.firstYear} {integer(years[0])}{end}"
            yield f"{node} {SKG.lastYear} {integer(years[-1])}{end}"
        by_name: dict[str, set[int]] = defaultdict(set)
        for year, name in facts.printed:
            by_name[name].add(year)
        for name, name_years in sorted(by_name.items()):
            yield f"{node} {SKG.reportedName} {literal(name)}{end}"
            name_node = iri(iris.facility_name_iri(facility_iris[index], name))
            yield f"{node} {SKG.hasName} {name_node}{end}"
            yield f"{name_node} {RDF_TYPE} {SKG.FacilityName}{end}"
            yield f"{name_node} {SKG.nameText} {literal(name)}{end}"
            known = sorted(y for y in name_years if y)
            for year in known:
                yield f"{name_node} {SKG.year} {integer(year)}{end}"
            if known:
                yield f"{name_node} {SKG.firstYear} {integer(known[0])}{end}"
                yield f"{name_node} {SKG.lastYear} {integer(known[-1])}{end}"
        for code in sorted(facts.countries):
            yield f"{node} {SKG.country} {iri(iris.country_iri(code))}{end}"
        for smelter_id in sorted(facts.smelter_ids):
            yield f"{node} {SKG.smelterId} {literal(smelter_id)}{end}"
    yield from _event_nquads(result, facility_iris, end)
    for item in result.review:
        left, right = result.groups[item.left], result.groups[item.right]
        node = iri(iris.review_iri(left.metal, left.id, right.id))
        yield f"{node} {RDF_TYPE} {SKG.ReviewItem}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, left.metal)}{end}"
        yield f"{node} {SKG.left} {iri(decision_iris[item.left])}{end}"
        yield f"{node} {SKG.right} {iri(decision_iris[item.right])}{end}"
        yield f"{node} {SKG.reason} {literal(item.reason)}{end}"
        yield f"{node} {SKG.explanation} {literal(item.explanation)}{end}"
        if item.probability is not None:
            yield f"{node} {SKG.score} {decimal(item.probability)}{end}"
    for rank, candidate in enumerate(result.candidates, start=1):
        old_key, new_key = result.facility_key(candidate.old), result.facility_key(candidate.new)
        node = iri(iris.rename_candidate_iri(candidate.metal, old_key, new_key))
        yield f"{node} {RDF_TYPE} {SKG.RenameCandidate}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, candidate.metal)}{end}"
        yield f"{node} {SKG.oldFacility} {iri(facility_iris[candidate.old])}{end}"
        yield f"{node} {SKG.newFacility} {iri(facility_iris[candidate.new])}{end}"
        yield f"{node} {SKG.notBefore} {integer(candidate.last_year_old)}{end}"
        yield f"{node} {SKG.notAfter} {integer(candidate.first_year_new)}{end}"
        yield f"{node} {SKG.support} {integer(candidate.support)}{end}"
        yield f"{node} {SKG.rank} {integer(rank)}{end}"
        yield f"{node} {SKG.reason} {literal(candidate.evidence(labels))}{end}"


def _event_nquads(result: ResolutionResult, facility_iris: Sequence[str], end: str) -> Iterator[str]:
    """Name changes, absorptions and splits from the ledger, with year brackets from the
    observations: not before the last year the earlier state was listed, not after the first
    year the later one was."""
    groups = result.groups
    corpus_years = sorted({y for group in groups for y in group.years})
    splits: dict[int, list] = defaultdict(list)
    for event in result.events:
        kind = event.entry.kind
        if kind == "split":
            splits[event.subject].append(event)
            continue
        cls, slug_kind = EVENT_CLASSES[kind]
        subject_key = " ".join(sorted(groups[g].id for g in event.subject_groups))
        object_key = " ".join(sorted(groups[g].id for g in event.object_groups))
        node = iri(iris.event_iri(slug_kind, event.entry.metal, subject_key, object_key))
        if kind == "absorption":
            # the successor existed before: the bracket is from the absorbed facility's last
            # listing to the next reporting year without it
            before = max((y for g in event.subject_groups for y in groups[g].years), default=None)
            after = min((y for y in corpus_years if before is not None and y > before), default=None)
        else:
            after = min((y for g in event.object_groups for y in groups[g].years), default=None)
            before = _last_before(event.subject_groups, groups, after)
        subject, successor = iri(facility_iris[event.subject]), iri(facility_iris[event.objects[0]])
        yield f"{node} {RDF_TYPE} {getattr(SKG, cls)}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, event.entry.metal)}{end}"
        yield f"{node} {ORG_ORIGINAL} {subject}{end}"
        yield f"{node} {ORG_RESULTING} {successor}{end}"
        yield f"{subject} {ORG_CHANGED_BY} {node}{end}"
        yield f"{successor} {ORG_RESULTED_FROM} {node}{end}"
        if kind == "rename":
            yield f"{node} {SKG.oldName} {literal(event.entry.subject)}{end}"
            yield f"{node} {SKG.newName} {literal(event.entry.object)}{end}"
        else:
            yield f"{subject} {SKG.succeededBy} {successor}{end}"
        yield from _bracket(node, before, after, event.entry, end)
    for subject, events in sorted(splits.items()):
        parts = sorted({o for e in events for o in e.objects})
        group_key = " ".join(sorted(groups[g].id for g in events[0].subject_groups))
        node = iri(iris.event_iri("split", events[0].entry.metal, group_key))
        after = min((y for e in events for g in e.object_groups for y in groups[g].years), default=None)
        before = _last_before(events[0].subject_groups, groups, after)
        yield f"{node} {RDF_TYPE} {SKG.Split}{end}"
        yield f"{node} {SKG.metal} {getattr(SKG, events[0].entry.metal)}{end}"
        yield f"{node} {ORG_ORIGINAL} {iri(facility_iris[subject])}{end}"
        yield f"{iri(facility_iris[subject])} {ORG_CHANGED_BY} {node}{end}"
        for part in parts:
            yield f"{node} {ORG_RESULTING} {iri(facility_iris[part])}{end}"
            yield f"{iri(facility_iris[part])} {ORG_RESULTED_FROM} {node}{end}"
        for event in events:
            yield from _bracket(node, None, None, event.entry, end)
        yield from _bracket(node, before, after, None, end)


def _last_before(subject_groups: Sequence[int], groups: Sequence, after: int | None) -> int | None:
    """The last year the earlier state was listed before the later one appeared (a group still
    listed the year its parts appear happened before that year, not after it)."""
    years = [y for g in subject_groups for y in groups[g].years if after is None or y < after]
    return max(years, default=None)


def _bracket(node: str, before: int | None, after: int | None, entry: LedgerEntry | None, end: str) -> Iterator[str]:
    if before is not None:
        yield f"{node} {SKG.notBefore} {integer(before)}{end}"
    if after is not None:
        yield f"{node} {SKG.notAfter} {integer(after)}{end}"
    if entry is not None:
        yield f"{node} {SKG.evidence} {iri(_ledger_iri(entry))}{end}"
        if entry.year is not None:
            yield f"{node} {SKG.statedYear} {integer(entry.year)}{end}"


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


def graph_nquads(reports: Sequence[ParsedReport], result: ResolutionResult) -> Iterator[str]:
    """Every N-Quads line of the data graphs (the ontology files are loaded separately)."""
    row_iris = [_row_iris(iris.document_iri(report.sha256), report.rows) for report in reports]
    for report, report_row_iris in zip(reports, row_iris):
        yield from document_nquads(report, report_row_iris)
    yield from resolution_nquads(reports, result, row_iris)
    yield from ledger_nquads(result.ledger)
    yield from reference_nquads(reports)
