"""A built store read back, for `smelterkg build --add`: its documents, the IRI each facility had,
and the reference lists it was built with.

Adding reports must not re-read the old ones and must not rename existing facilities. So each
document already in the store comes back as a :class:`~smelterkg.ingest.parse.ParsedReport` whose
document graph is copied as it was (``stored_nquads``) and whose rows carry what resolution and
the yearly observations need (metal, printed name, country, smelter ID, status, line), read from
that graph; resolution then runs again over old and new rows, and every facility that holds a key
group an old facility held keeps that facility's IRI (``facility_of_key``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyoxigraph import NamedNode, Store

from smelterkg.ingest.cmrt.models import ReferenceFacility, ReferenceList
from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.report_facts import COUNT_FACTS, ReportFacts
from smelterkg.ontology import iris
from smelterkg.ontology.yearly import CATEGORY_IRIS, COUNT_CATEGORIES
from smelterkg.ontology.namespace import SKG

_PREFIXES = """PREFIX skg: <https://w3id.org/smelterkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
"""

_DOCUMENTS = _PREFIXES + """
SELECT ?doc ?sha ?file ?year ?cik ?accession ?filer ?facilityList ?quarantined WHERE {
  GRAPH ?doc {
    ?doc a skg:SourceDocument ; skg:sha256 ?sha ; skg:fileName ?file .
    OPTIONAL { ?doc skg:quarantinedLineCount ?quarantined }
    OPTIONAL { ?doc skg:reportingYear ?year }
    OPTIONAL { ?doc skg:cik ?cik }
    OPTIONAL { ?doc skg:accessionNumber ?accession }
    OPTIONAL { ?doc skg:filer ?filerNode . ?filerNode rdfs:label ?filer }
    OPTIONAL { ?doc a skg:FacilityList . BIND(true AS ?facilityList) }
  }
}"""

_DECISIONS = _PREFIXES + """
SELECT ?key ?facility WHERE { ?decision a skg:ResolutionDecision ; skg:normalisedKey ?key ; skg:facility ?facility }"""

_REFERENCE = _PREFIXES + """
SELECT ?list ?file ?sha ?release ?listDate ?entry ?cid ?metal ?standard ?lookup ?country ?city ?state WHERE {
  GRAPH ?list {
    ?list a skg:ReferenceList ; skg:fileName ?file ; skg:sha256 ?sha .
    OPTIONAL { ?list skg:release ?release }
    OPTIONAL { ?list skg:listDate ?listDate }
    ?entry skg:inReferenceList ?list ; dct:identifier ?cid ; skg:metal ?metal ; skg:standardName ?standard .
    OPTIONAL { ?entry skg:lookupName ?lookup }
    OPTIONAL { ?entry skg:country ?country }
    OPTIONAL { ?entry skg:city ?city }
    OPTIONAL { ?entry skg:stateProvince ?state }
  }
}"""


@dataclass
class StoredCorpus:
    reports: list[ParsedReport]  # each with ``stored_nquads``: its document graph as it is in the store
    facility_of_key: dict[str, str]  # a decision's normalised key (skg:normalisedKey) -> its facility IRI
    reference_lists: list[ReferenceList]
    quarantined: int = 0  # lines the kept documents quarantined (listed in their graphs)


def _value(term) -> str:
    return "" if term is None else term.value


def _local(term, prefix: str) -> str:
    value = _value(term)
    return value[len(prefix) :] if value.startswith(prefix) else ""


def _row_order(row_iri: str) -> tuple[int, int]:
    tail = row_iri.rsplit("/row/", 1)[-1]
    line, _, ordinal = tail.partition("-")
    return int(line), int(ordinal or 1)


def read_store(store: Store) -> StoredCorpus:
    """Everything ``build --add`` needs from a built store (opened read-only)."""
    metal_prefix, country_prefix = str(SKG), iris.country_iri("")
    reports = []
    quarantined = 0
    for solution in store.query(_DOCUMENTS):
        quarantined += int(solution["quarantined"].value) if solution["quarantined"] is not None else 0
        doc = solution["doc"].value
        year = int(solution["year"].value) if solution["year"] is not None else None
        filer = _value(solution["filer"]) or None
        source = solution["file"].value
        quads = list(store.quads_for_pattern(None, None, None, NamedNode(doc)))
        stated = _stated_counts(doc, quads)
        facts = ReportFacts(filer, year, *(stated.get(name) for name in COUNT_FACTS), evidence={},
                            cik=_value(solution["cik"]) or None, accession=_value(solution["accession"]) or None)  # fmt: skip
        rows = [
            MentionRow(source=source, line=r["line"], lines=(r["line"],), year=year, metal=_local(r.get("metal"), metal_prefix),
                       name=_value(r.get("name")), country=_value(r.get("country")), status=_value(r.get("status")),
                       country_code=_local(r.get("country_code"), country_prefix), status_code=r["status_code"],
                       status_scheme=r["status_scheme"], smelter_id=_value(r.get("smelter_id")), filer=filer or "")  # fmt: skip
            for _, r in sorted(_rows_of(quads).items(), key=lambda item: _row_order(item[0]))
        ]
        report = ParsedReport(source, solution["sha"].value, facts, rows, [], [], 0)
        report.kind = "facility list" if solution["facilityList"] is not None else "report"
        report.stored_nquads = [f"{quad} .\n" for quad in quads]  # N-Quads, as pyoxigraph prints a quad
        reports.append(report)
    reports.sort(key=lambda r: r.source)
    facility_of_key = {s["key"].value: s["facility"].value for s in store.query(_DECISIONS, use_default_graph_as_union=True)}
    return StoredCorpus(reports, facility_of_key, _reference_lists(store), quarantined)


def _stated_counts(doc: str, quads) -> dict[str, int]:
    """The counts the document states (its skg:StatedCount nodes): ReportFacts field -> count, so
    that the yearly tallies of a kept document link its statements as a fresh build does."""
    field_of = {CATEGORY_IRIS[category]: name for name, category in COUNT_CATEGORIES.items()}
    nodes = {q.object.value for q in quads if q.subject.value == doc and q.predicate.value == str(SKG.statedCount)}
    category = {q.subject.value: q.object.value for q in quads if q.subject.value in nodes and q.predicate.value == str(SKG.category)}
    count = {q.subject.value: int(q.object.value) for q in quads if q.subject.value in nodes and q.predicate.value == str(SKG.count)}
    return {field_of[category[n]]: count[n] for n in nodes if category.get(n) in field_of and n in count}


# A row's properties in its document graph -> the MentionRow field they give (one pass over the
# graph's quads: far cheaper than a query with one OPTIONAL per property on a large store).
_ROW_FIELDS = {
    str(SKG.metal): "metal", str(SKG.printedName): "name", str(SKG.printedCountry): "country",
    str(SKG.country): "country_code", str(SKG.printedStatus): "status", str(SKG.status): "status_concept",
    str(SKG.printedSmelterId): "smelter_id",
}  # fmt: skip
_TABLE_ROW, _TYPE, _LINE = str(SKG.TableRow), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", str(SKG.line)


def _rows_of(quads) -> dict[str, dict]:
    """The table rows of one document graph: row IRI -> {field: term}, with its line and status."""
    found: dict[str, dict] = defaultdict(dict)
    rows: set[str] = set()
    for quad in quads:
        predicate = quad.predicate.value
        if predicate == _TYPE and quad.object.value == _TABLE_ROW:
            rows.add(quad.subject.value)
        elif predicate == _LINE:
            found[quad.subject.value]["line"] = int(quad.object.value)
        elif predicate in _ROW_FIELDS:
            found[quad.subject.value][_ROW_FIELDS[predicate]] = quad.object
    out = {}
    for row in rows:
        fields = found[row]
        scheme, _, code = _local(fields.get("status_concept"), iris.STATUS).partition("/")
        fields["status_code"], fields["status_scheme"] = (code, scheme) if code and scheme != "canonical" else ("", "")
        out[row] = fields
    return out


def _reference_lists(store: Store) -> list[ReferenceList]:
    lists: dict[str, dict] = {}
    entries: dict[tuple[str, str], dict] = {}
    for s in store.query(_REFERENCE):
        list_iri = s["list"].value
        lists.setdefault(list_iri, {"file": s["file"].value, "sha": s["sha"].value, "release": _value(s["release"]),
                                    "date": date.fromisoformat(s["listDate"].value) if s["listDate"] is not None else None})  # fmt: skip
        entry = entries.setdefault((list_iri, s["entry"].value), {
            "cid": s["cid"].value, "metal": _local(s["metal"], str(SKG)), "standard": s["standard"].value, "lookup": set(),
            "country": _local(s["country"], iris.country_iri("")), "city": _value(s["city"]), "state": _value(s["state"]),
        })  # fmt: skip
        if s["lookup"] is not None:
            entry["lookup"].add(s["lookup"].value)
    out = []
    for list_iri, info in sorted(lists.items()):
        facilities = tuple(
            ReferenceFacility(e["cid"], e["metal"], e["standard"], (e["standard"], *sorted(e["lookup"] - {e["standard"]})),
                              e["country"], e["country"], e["city"], e["state"], "", ())  # fmt: skip
            for (owner, _), e in sorted(entries.items(), key=lambda item: item[1]["cid"]) if owner == list_iri
        )
        out.append(ReferenceList(info["file"], info["sha"], info["release"], None, info["date"], "", facilities, ()))
    return out


__all__ = ["StoredCorpus", "read_store"]
