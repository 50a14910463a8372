"""The shapes accept a row read from a format without lines (it says where it is with a locator
instead of source lines) and reject a row that says neither, or a locator term of the wrong type."""

from __future__ import annotations


import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from smelterkg import pipeline
from smelterkg.ontology.validate import ValidationResult, union_graph, validate

SKG = Namespace("https://w3id.org/smelterkg/ontology#")

REPORT = "ANNEX I- SMELTER LIST\n\nGold\tAsaka Riken Co., Ltd.\tJAPAN\tConformant\nTin\tMinsur\tPERU\tConformant\n"


@pytest.fixture(scope="module")
def tiny_graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder = tmp_path_factory.mktemp("locator-shapes")
    report = folder / "example-2019-form-sd.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = pipeline.build([report], folder / "store", progress=None)
    assert len(result.reports[0].rows) == 2 and not result.errors
    return union_graph(folder / "store")


def as_spreadsheet_row(graph: Graph) -> tuple[Graph, URIRef]:
    """A copy of the graph whose first row was read from a spreadsheet: locator terms, no source lines."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    row = sorted(copy.subjects(RDF.type, SKG.TableRow))[0]
    copy.remove((row, SKG.sourceLine, None))
    for prop, value in [
        (SKG.locator, "sheet 'Smelter List' row 12 column B"), (SKG.sheetName, "Smelter List"),
        (SKG.rowIndex, 12), (SKG.columnRef, "B"),
    ]:  # fmt: skip
        copy.add((row, prop, Literal(value)))
    return copy, row


def violations(result: ValidationResult, row: URIRef) -> list[tuple[str, str]]:
    return [(f.component, f.message) for f in result.of("Violation") if str(f.focus) == str(row)]


def test_a_row_with_a_locator_needs_no_source_lines(tiny_graph: Graph) -> None:
    graph, row = as_spreadsheet_row(tiny_graph)
    result = validate(graph)
    assert result.conforms, violations(result, row)


def test_a_row_must_say_where_it_was_read(tiny_graph: Graph) -> None:
    graph, row = as_spreadsheet_row(tiny_graph)
    graph.remove((row, SKG.locator, None))
    found = violations(validate(graph), row)
    assert len(found) == 1 and "OrConstraintComponent" in found[0][0], found
    assert found[0][1].startswith("A table row must say where it was read")


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        (SKG.page, Literal("3"), "A table row has at most one page (skg:page)"),
        (SKG.page, Literal(0), "A table row has at most one page (skg:page)"),
        (SKG.rowIndex, Literal(13), "A table row has at most one row index (skg:rowIndex)"),
        (SKG.tableIndex, Literal("2"), "A table row has at most one table index (skg:tableIndex)"),
        (SKG.sheetName, Literal(""), "A table row has at most one sheet name (skg:sheetName)"),
    ],
)
def test_locator_terms_have_their_types(tiny_graph: Graph, prop: URIRef, value: Literal, message: str) -> None:
    graph, row = as_spreadsheet_row(tiny_graph)
    graph.add((row, prop, value))  # rowIndex 13 next to 12: two values
    found = violations(validate(graph), row)
    assert found and all(m.startswith(message) for _, m in found), found
