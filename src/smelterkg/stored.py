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

from pyoxigraph import NamedNode, RdfFormat, Store, serialize

from smelterkg.ingest.cmrt.models import ReferenceFacility, ReferenceList
from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.report_facts import ReportFacts
from smelterkg.ontology import iris
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

_ROWS = _PREFIXES + """
SELECT ?doc ?row ?line ?metal ?name ?country ?countryCode ?status ?statusConcept ?smelterId WHERE {
  GRAPH ?doc {
    ?row a skg:TableRow ; skg:line ?line .
    OPTIONAL { ?row skg:metal ?metal }
    OPTIONAL { ?row skg:printedName ?name }
    OPTIONAL { ?row skg:printedCountry ?country }
    OPTIONAL { ?row skg:country ?countryCode }
    OPTIONAL { ?row skg:printedStatus ?status }
    OPTIONAL { ?row skg:status ?statusConcept }
    OPTIONAL { ?row skg:printedSmelterId ?smelterId }
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
    rows_of: dict[str, list[tuple[tuple[int, int], dict]]] = defaultdict(list)
    for solution in store.query(_ROWS):
        status = _local(solution["statusConcept"], iris.STATUS)
        scheme, _, code = status.partition("/")
        rows_of[solution["doc"].value].append((_row_order(solution["row"].value), {
            "line": int(solution["line"].value), "metal": _local(solution["metal"], metal_prefix),
            "name": _value(solution["name"]), "country": _value(solution["country"]),
            "country_code": _local(solution["countryCode"], country_prefix), "status": _value(solution["status"]),
            "status_code": code if scheme != "canonical" else "", "status_scheme": scheme if code and scheme != "canonical" else "",
            "smelter_id": _value(solution["smelterId"]),
        }))  # fmt: skip
    reports = []
    quarantined = 0
    for solution in store.query(_DOCUMENTS):
        quarantined += int(solution["quarantined"].value) if solution["quarantined"] is not None else 0
        doc = solution["doc"].value
        year = int(solution["year"].value) if solution["year"] is not None else None
        filer = _value(solution["filer"]) or None
        facts = ReportFacts(filer, year, None, None, None, None, evidence={}, cik=_value(solution["cik"]) or None,
                            accession=_value(solution["accession"]) or None)  # fmt: skip
        source = solution["file"].value
        rows = [
            MentionRow(source=source, line=r["line"], lines=(r["line"],), year=year, metal=r["metal"], name=r["name"],
                       country=r["country"], status=r["status"], country_code=r["country_code"], status_code=r["status_code"],
                       status_scheme=r["status_scheme"], smelter_id=r["smelter_id"], filer=filer or "")  # fmt: skip
            for _, r in sorted(rows_of.get(doc, ()), key=lambda item: item[0])
        ]
        report = ParsedReport(source, solution["sha"].value, facts, rows, [], [], 0)
        report.kind = "facility list" if solution["facilityList"] is not None else "report"
        quads = store.quads_for_pattern(None, None, None, NamedNode(doc))
        report.stored_nquads = serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True)
        reports.append(report)
    reports.sort(key=lambda r: r.source)
    facility_of_key = {s["key"].value: s["facility"].value for s in store.query(_DECISIONS, use_default_graph_as_union=True)}
    return StoredCorpus(reports, facility_of_key, _reference_lists(store), quarantined)


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
