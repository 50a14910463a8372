"""The mentions table (smelterkg.queries.mentions) on a hand-made graph: the locator column."""

from __future__ import annotations

import io

from pyoxigraph import Literal, NamedNode, Quad, Store

from smelterkg.queries.mentions import MENTION_COLUMNS, mention_records, write_mentions_csv

SKG = "https://w3id.org/smelterkg/ontology#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DOC = NamedNode("https://example.org/doc/report")


def _row(number: int, line: int, source_lines: list[int], locator: str | None = None) -> list[Quad]:
    row = NamedNode(f"https://example.org/doc/report/row/{number}")
    quads = [
        Quad(row, RDF_TYPE, NamedNode(SKG + "TableRow"), DOC),
        Quad(row, NamedNode(SKG + "inDocument"), DOC, DOC),
        Quad(row, NamedNode(SKG + "line"), Literal(line), DOC),
        Quad(row, NamedNode(SKG + "printedName"), Literal(f"Smelter {number}"), DOC),
    ]
    quads += [Quad(row, NamedNode(SKG + "sourceLine"), Literal(n), DOC) for n in source_lines]
    if locator is not None:
        quads.append(Quad(row, NamedNode(SKG + "locator"), Literal(locator), DOC))
    return quads


def _store() -> Store:
    store = Store()
    store.extend([Quad(DOC, NamedNode(SKG + "fileName"), Literal("report.xlsx"), DOC)])
    store.extend(_row(1, 9, [9, 10, 100, 11]))  # numeric order, not text order (100 after 11)
    store.extend(_row(2, 20, [20], locator="sheet Smelters, row 4"))
    return store


def test_locator_is_the_reader_locator_else_the_source_lines_in_numeric_order() -> None:
    records = [dict(zip(MENTION_COLUMNS, record)) for record in mention_records(_store())]
    assert [(r["line"], r["name"], r["locator"]) for r in records] == [
        ("9", "Smelter 1", "lines 9 10 11 100"),
        ("20", "Smelter 2", "sheet Smelters, row 4"),
    ]
    assert all(r["facility"] == "" for r in records)  # not resolved: the columns stay, empty


def test_locator_then_the_smelter_ids_end_the_csv() -> None:
    out = io.BytesIO()
    write_mentions_csv(_store(), out)
    lines = out.getvalue().decode("utf-8").split("\r\n")
    assert lines[0].endswith(",resolved_by,locator,smelter_id,facility_smelter_id")
    assert lines[1] == "report.xlsx,9,,,Smelter 1,,,,,,lines 9 10 11 100,,"
    assert lines[2] == 'report.xlsx,20,,,Smelter 2,,,,,,"sheet Smelters, row 4",,'
