"""The graph as RDF files, in a deterministic order: the same store gives the same bytes.

TriG, N-Quads and JSON-LD keep the named graphs (one per source document, the resolution,
reference and ontology graphs); Turtle is the union of all graphs, each triple once. Graphs, then
subjects, are written in a fixed order (natural order of their IRIs: ``row/9`` before
``row/10``), a subject's triples sorted with ``rdf:type`` first. Quads are streamed one subject at
a time, so memory holds the subject list of one graph rather than the whole output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from smelterkg.ontology.iris import ONTOLOGY

PREFIXES = {
    "skg": ONTOLOGY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
GRAPH_FORMATS = {
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "turtle": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
}

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[tuple[object, ...], str]:
    """``row/9`` before ``row/10``; the text itself breaks ties (``01`` vs ``1``).

    >>> sorted(["row/10", "row/9", "row/09"], key=_natural)
    ['row/09', 'row/9', 'row/10']
    """
    parts = _DIGITS.split(text)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts)), text


def _term_key(term: object) -> tuple[tuple[object, ...], str]:
    return _natural(str(term))


def _triple_key(predicate: object, obj: object) -> tuple[bool, str, tuple[tuple[object, ...], str]]:
    return predicate != RDF_TYPE, str(predicate), _natural(str(obj))


def _graphs(store: Store) -> list[NamedNode | DefaultGraph]:
    """The graphs in a fixed order: the default graph (if it holds anything), then by name."""
    graphs: list[NamedNode | DefaultGraph] = sorted(store.named_graphs(), key=_term_key)
    if next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None:
        graphs.insert(0, DefaultGraph())
    return graphs


def _subjects(store: Store, **graphs: object) -> list[object]:
    solutions = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", **graphs)
    return sorted((solution[0] for solution in solutions), key=_term_key)


def dataset_quads(store: Store) -> Iterator[Quad]:
    """Every quad, graph by graph, subject by subject, in a fixed order."""
    for graph in _graphs(store):
        for subject in _subjects(store, default_graph=graph):
            quads = store.quads_for_pattern(subject, None, None, graph)
            yield from sorted(quads, key=lambda quad: _triple_key(quad.predicate, quad.object))


def union_triples(store: Store) -> Iterator[Triple]:
    """The union of all graphs, each triple once, subject by subject, in a fixed order."""
    for subject in _subjects(store, use_default_graph_as_union=True):
        triples = {quad.triple for quad in store.quads_for_pattern(subject, None, None, None)}
        yield from sorted(triples, key=lambda triple: _triple_key(triple.predicate, triple.object))


def write_graph(store: Store, fmt: str, out: BinaryIO) -> None:
    """The store in ``fmt`` (a key of GRAPH_FORMATS): datasets keep the named graphs, Turtle is
    their union."""
    rdf_format = GRAPH_FORMATS[fmt]
    statements: Iterator[Quad] | Iterator[Triple]
    statements = dataset_quads(store) if rdf_format.supports_datasets else union_triples(store)
    serialize(statements, out, rdf_format, prefixes=PREFIXES)
