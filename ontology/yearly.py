"""The yearly facts: what the yearly questions need, aggregated once at build time.

The observations (one per source document and facility) are the facts; the saved queries that ask
"per year" questions would otherwise aggregate every observation of the store on every run (seconds
on a thousand reports). This module derives, from the same reports and resolution the mapping
writes, the aggregates they need; ``mapping.yearly_nquads`` writes them into their own named graph
(``graph/yearly``, ``docs/graph.md``), rebuilt with the store and never edited:

* per (facility, year): the most favourable canonical status any source gave it (and its
  favourability), the canonical statuses reported, how many documents and filers listed it;
* per facility: its most favourable status over all years;
* per reporting year: how many documents and filers reported;
* per (filer, year): the filer's previous reporting year;
* per (facility, printed name, filer): every year the filer printed that name;
* per (facility, printed name): the years any source printed it and how many documents did;
* per (document, count category): the rows it lists in the category (and, for all facilities,
  the distinct facilities), beside what it states.

Statuses are ranked through ``statuses.ttl`` (``status_ranks``), as the queries rank them. A
report's filer, when it has none, is the report itself (as ``pinch-points`` counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.resolution import Resolution
from smelterkg.ontology import iris
from smelterkg.ontology.status_ranks import UNKNOWN, StatusRanks, status_ranks

CONFORMANT, IN_PROGRESS = iris.CANONICAL_STATUS + "Conformant", iris.CANONICAL_STATUS + "InProgress"
ALL, COMPLIANT, ACTIVE, REMAINING = "AllFacilities", "CompliantFacilities", "ActiveFacilities", "RemainingFacilities"

COUNT_CATEGORIES = {"stated_total": ALL, "stated_compliant": COMPLIANT, "stated_active": ACTIVE, "stated_remaining": REMAINING}
"""ReportFacts field -> the count category (skg:CountCategory) it states"""
CATEGORY_IRIS = {name: iris.ONTOLOGY + name for name in (ALL, COMPLIANT, ACTIVE, REMAINING)}

Observed = dict[int, list[int]]
"""facility index -> indices of the report's rows that mention it (insertion order: first row first)"""


def observed_rows(reports: Sequence[ParsedReport], resolution: Resolution) -> list[Observed | None]:
    """Per report, the facilities its rows mention (None for a report without a reporting year:
    it has rows but no observations)."""
    out: list[Observed | None] = []
    for report_index, report in enumerate(reports):
        if report.facts.year is None:
            out.append(None)
            continue
        observed: Observed = defaultdict(list)
        for row_index in range(len(report.rows)):
            facility = resolution.facility_of((report_index, row_index))
            if facility is not None:
                observed[facility.index].append(row_index)
        out.append(observed)
    return out


def status_wording(row: MentionRow) -> str | None:
    return iris.status_iri(row.status_scheme, row.status_code) if row.status_code else None


def filer_of(report: ParsedReport) -> str | None:
    facts = report.facts
    return iris.filer_iri(facts.filer or "", facts.cik) if (facts.filer or facts.cik) else None


@dataclass
class FacilityYear:
    facility: int
    year: int
    best: str = UNKNOWN
    favourability: int = -1
    reported: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    filers: set[str] = field(default_factory=set)


@dataclass
class ListedSpan:
    """A facility over all its facility years: first and last year listed, how many, every
    canonical status any source gave it and the favourability of the most favourable."""

    first: int
    last: int
    years: int
    best: int
    reported: set[str] = field(default_factory=set)


@dataclass
class Sighting:
    """The years and the documents in which rows listed a facility with one value (a country, a
    printed name)."""

    facility: int
    years: set[int] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    def seen(self, year: int, document: str) -> None:
        self.years.add(year)
        self.documents.add(document)


@dataclass
class CountrySighting(Sighting):
    """One country a facility was listed in, with the spellings printed."""

    country_code: str = ""
    printed: dict[str, int] = field(default_factory=dict)  # spelling -> first year printed

    @property
    def printed_as(self) -> str:
        """The spellings, in the order they were first printed (then A-Z), joined by ' | '."""
        return " | ".join(sorted(self.printed, key=lambda p: (self.printed[p], p)))


@dataclass
class NameSighting(Sighting):
    """One printed name of a facility, over every source that printed it."""

    name: str = ""


@dataclass
class NameUse:
    """One filer's use of one printed name of a facility: the years it printed it."""

    facility: int
    name: str
    filer: str | None
    years: set[int] = field(default_factory=set)

    @property
    def first(self) -> int:
        return min(self.years)

    @property
    def last(self) -> int:
        return max(self.years)


@dataclass
class Tally:
    document: str
    category: str  # a count category's IRI, or the canonical Unknown concept's
    rows: int
    facilities: int | None = None  # AllFacilities only
    stated: str | None = None  # the document's skg:StatedCount node of this category, when it states one


@dataclass
class YearlyFacts:
    facility_years: list[FacilityYear]
    spans: dict[int, ListedSpan]  # facility -> its years listed, statuses ever reported, best favourability
    countries: list[CountrySighting]  # per facility and country code its rows print
    names: list[NameSighting]  # per facility and printed name
    reporting_years: dict[int, tuple[int, int]]  # year -> (documents, filers)
    filer_years: dict[tuple[str, int], int | None]  # (filer, year) -> previous reporting year
    filer_labels: dict[str, str]
    filer_names: dict[str, set[str]]  # filer -> every name its documents print (looked up by name)
    name_uses: list[NameUse]
    tallies: list[Tally]


def yearly_facts(
    reports: Sequence[ParsedReport], resolution: Resolution, observed: Sequence[Observed | None], ranks: StatusRanks | None = None
) -> YearlyFacts:
    ranks = ranks or status_ranks()
    by_year: dict[tuple[int, int], FacilityYear] = {}
    uses: dict[tuple[int, str, str | None], NameUse] = {}
    sightings: dict[tuple[int, str], CountrySighting] = {}
    name_sightings: dict[tuple[int, str], NameSighting] = {}
    reporters: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    filer_year_set: set[tuple[str, int]] = set()
    labels: dict[str, tuple[str, str]] = {}  # filer -> (document IRI, label): the first document's
    names: dict[str, set[str]] = defaultdict(set)
    tallies: list[Tally] = []
    for report, facilities in zip(reports, observed):
        document = iris.document_iri(report.sha256)
        filer = filer_of(report)
        who = filer or document
        if filer is not None and report.facts.filer:
            names[filer].add(report.facts.filer)
            if filer not in labels or document < labels[filer][0]:
                labels[filer] = (document, report.facts.filer)
        year = report.facts.year
        tallies.extend(_tallies(report, document, facilities, ranks))
        if year is None or facilities is None:
            continue
        reporters[year][0].add(document)
        reporters[year][1].add(who)
        if filer is not None:
            filer_year_set.add((filer, year))
        for facility, row_indices in facilities.items():
            fy = by_year.setdefault((facility, year), FacilityYear(facility, year))
            fy.documents.add(document)
            fy.filers.add(who)
            wordings = {status_wording(report.rows[i]) for i in row_indices} - {None} or {None}
            for wording in wordings:
                concept, rank = ranks.best(wording)
                fy.reported.add(concept)
                if rank > fy.favourability or (rank == fy.favourability and concept > fy.best):
                    fy.best, fy.favourability = concept, rank
            for i in row_indices:
                row = report.rows[i]
                if row.country_code:
                    sighting = sightings.get((facility, row.country_code))
                    if sighting is None:
                        sighting = sightings[(facility, row.country_code)] = CountrySighting(facility, country_code=row.country_code)
                    sighting.seen(year, document)
                    if row.country:
                        sighting.printed[row.country] = min(sighting.printed.get(row.country, year), year)
                name = row.name
                if not name:
                    continue
                use = uses.get((facility, name, filer))
                if use is None:  # not setdefault: it would build a NameUse for every row
                    use = uses[(facility, name, filer)] = NameUse(facility, name, filer)
                use.years.add(year)
                named = name_sightings.get((facility, name))
                if named is None:
                    named = name_sightings[(facility, name)] = NameSighting(facility, name=name)
                named.seen(year, document)
    spans: dict[int, ListedSpan] = {}
    for fy in by_year.values():
        span = spans.get(fy.facility)
        if span is None:
            spans[fy.facility] = ListedSpan(fy.year, fy.year, 1, fy.favourability, set(fy.reported))
        else:
            span.first, span.last, span.years = min(span.first, fy.year), max(span.last, fy.year), span.years + 1
            span.best = max(span.best, fy.favourability)
            span.reported |= fy.reported
    return YearlyFacts(
        facility_years=[by_year[k] for k in sorted(by_year, key=lambda k: (k[1], k[0]))],
        spans=spans,
        countries=[sightings[k] for k in sorted(sightings)],
        names=[name_sightings[k] for k in sorted(name_sightings)],
        reporting_years={y: (len(d), len(f)) for y, (d, f) in sorted(reporters.items())},
        filer_years=_previous_years(filer_year_set),
        filer_labels={filer: label for filer, (_, label) in labels.items()},
        filer_names=dict(names),
        name_uses=list(uses.values()),
        tallies=tallies,
    )


def _previous_years(filer_years: set[tuple[str, int]]) -> dict[tuple[str, int], int | None]:
    years: dict[str, list[int]] = defaultdict(list)
    for filer, year in filer_years:
        years[filer].append(year)
    out: dict[tuple[str, int], int | None] = {}
    for filer in sorted(years):
        ordered = sorted(years[filer])
        for index, year in enumerate(ordered):
            out[(filer, year)] = ordered[index - 1] if index else None
    return out


def row_category(wording: str | None, ranks: StatusRanks) -> list[str]:
    """The status groups a row counts in beside AllFacilities: one per canonical concept its
    wording maps to (Conformant -> Compliant, InProgress -> Active, another -> Remaining), or the
    canonical Unknown when its status was not read or maps to nothing (IRIs)."""
    concepts = ranks.canonical.get(wording or "", ())
    if not concepts:
        return [UNKNOWN]
    return [CATEGORY_IRIS[COMPLIANT if c == CONFORMANT else ACTIVE if c == IN_PROGRESS else REMAINING] for c in concepts]


def _tallies(report: ParsedReport, document: str, facilities: Observed | None, ranks: StatusRanks) -> list[Tally]:
    """Rows per count category of one document, and the categories it states with no rows."""
    counts: dict[str, int] = defaultdict(int)
    for row in report.rows:
        counts[CATEGORY_IRIS[ALL]] += 1
        for category in row_category(status_wording(row), ranks):
            counts[category] += 1
    stated: dict[str, str] = {}  # category IRI -> the document's skg:StatedCount node of it
    for field_name, category in COUNT_CATEGORIES.items():
        if getattr(report.facts, field_name) is not None:
            counts.setdefault(CATEGORY_IRIS[category], 0)
            stated[CATEGORY_IRIS[category]] = iris.stated_count_iri(document, category)
    out = [Tally(document, category, rows, stated=stated.get(category)) for category, rows in counts.items()]
    for tally in out:
        if tally.category == CATEGORY_IRIS[ALL]:
            tally.facilities = len(facilities) if facilities is not None else 0
    return out


