"""The mentions table's RMI smelter ID columns on a hand-made graph: ``smelter_id`` is what the row
printed, ``facility_smelter_id`` the ID(s) of the facility the row resolved to."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, Store

from smelterkg.ontology.iris import RESOLUTION_GRAPH
from smelterkg.queries.mentions import MENTION_COLUMNS, mention_records

SKG = "https://w3id.org/smelterkg/ontology#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DOC = NamedNode("https://example.org/doc/report")
RESOLUTION = NamedNode(RESOLUTION_GRAPH)


def _row(number: int, printed_id: str = "") -> list[Quad]:
    row = NamedNode(f"https://example.org/doc/report/row/{number}")
    quads = [
        Quad(row, RDF_TYPE, NamedNode(SKG + "TableRow"), DOC),
        Quad(row, NamedNode(SKG + "inDocument"), DOC, DOC),
        Quad(row, NamedNode(SKG + "line"), Literal(number), DOC),
        Quad(row, NamedNode(SKG + "printedName"), Literal(f"Smelter {number}"), DOC),
    ]
    if printed_id:
        quads.append(Quad(row, NamedNode(SKG + "printedSmelterId"), Literal(printed_id), DOC))
    return quads


def _facility(name: str, rows: list[int], ids: list[str]) -> list[Quad]:
    facility = NamedNode(f"https://example.org/facility/{name}")
    decision = NamedNode(f"https://example.org/decision/{name}")
    quads = [
        Quad(facility, RDF_TYPE, NamedNode(SKG + "Facility"), RESOLUTION),
        Quad(facility, LABEL, Literal(name), RESOLUTION),
        Quad(decision, RDF_TYPE, NamedNode(SKG + "ResolutionDecision"), RESOLUTION),
        Quad(decision, NamedNode(SKG + "facility"), facility, RESOLUTION),
        Quad(decision, NamedNode(SKG + "method"), Literal("reference"), RESOLUTION),
    ]
    quads += [Quad(decision, NamedNode(SKG + "row"), NamedNode(f"https://example.org/doc/report/row/{n}"), RESOLUTION) for n in rows]
    quads += [Quad(facility, NamedNode(SKG + "smelterId"), Literal(cid), RESOLUTION) for cid in ids]
    return quads


def test_printed_id_and_facility_ids() -> None:
    store = Store()
    store.extend([Quad(DOC, NamedNode(SKG + "fileName"), Literal("report.txt"), DOC)])
    for number, printed in ((1, "CID000002"), (2, ""), (3, ""), (4, "CID000099")):
        store.extend(_row(number, printed))
    store.extend(_facility("one", [1, 2], ["CID000002"]))
    store.extend(_facility("two-ids", [4], ["CID000200", "CID000099"]))  # never by the build; listed in order
    records = [dict(zip(MENTION_COLUMNS, record)) for record in mention_records(store)]
    assert [(r["name"], r["smelter_id"], r["facility_smelter_id"]) for r in records] == [
        ("Smelter 1", "CID000002", "CID000002"),
        ("Smelter 2", "", "CID000002"),  # printed none: its facility's ID
        ("Smelter 3", "", ""),  # resolved to no facility
        ("Smelter 4", "CID000099", "CID000099;CID000200"),
    ]
