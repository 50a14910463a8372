"""Validate a built graph against the SHACL shapes (``shapes.ttl``).

``validate(store_path_or_dataset)`` loads the union of every graph of the store (the document
graphs, the resolution and reference graphs, and the ontology graph) into one rdflib ``Graph`` and
runs pyshacl over it. The result counts violations (structural errors: the graph is not what the
mapping promises) and warnings (messy-but-real facts of the reports) separately: for our purposes a
graph *conforms* when it has no violation, whatever its warnings.

Why the union, and why no inference (``inference="none"``):

* The shapes check links across graphs (a row in a document graph, its decision and observation in
  the resolution graph, its country in the reference graph), so they see all graphs at once.
* SHACL defines ``sh:targetClass`` and ``sh:class`` through ``rdf:type/rdfs:subClassOf*`` *in the
  data graph*. Loading the ontology graph with the data gives the shapes every subclass axiom they
  could use (e.g. ``skg:Country rdfs:subClassOf skos:Concept``), and every node the mapping writes
  carries its own ``rdf:type``, so RDFS inference adds nothing the shapes need.
* It would do harm. With RDFS, the range axioms (``skg:country rdfs:range skg:Country``,
  ``skg:status rdfs:range skg:StatusConcept``, ``skg:inDocument rdfs:range skg:SourceDocument``...)
  type every object of those properties, so ``sh:class`` on them can no longer fail: a row pointing
  at a country IRI missing from the reference graph, or at a status code missing from statuses.ttl,
  would pass the check written for exactly that mistake (it would surface, if at all, as an odd
  "country without a code"). Domain axioms would likewise make a node typed only by accident a
  target. Inference also copies the graph and multiplies the validation time.

Users run it as ``smelterkg validate [--store DIR]``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Union

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import OWL, RDF
from rdflib.plugins.sparql import prepareQuery

from smelterkg.ontology import ONTOLOGY_FILES, SHAPES_FILE
from smelterkg.ontology.iris import ONTOLOGY

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ONTOLOGY_IRI = URIRef(ONTOLOGY.rstrip("#"))

Source = Union[str, Path, ox.Store, Graph, Iterable[ox.Quad]]


@dataclass(frozen=True)
class Finding:
    """One SHACL validation result, in plain strings."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    component: str  # the constraint component, e.g. "MinCountConstraintComponent"


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool  # no violation (warnings and infos allowed)
    violations: int
    warnings: int
    report_text: str
    infos: int = 0
    findings: tuple[Finding, ...] = field(default=(), repr=False)
    triples: int = 0
    seconds: float = 0.0

    def messages(self, severity: str = "Violation") -> Counter[str]:
        """How many results of ``severity`` carry each message."""
        return Counter(f.message for f in self.findings if f.severity == severity)

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (
            f"graph {verdict}: {self.violations} violations, {self.warnings} warnings, {self.infos} infos "
            f"({self.triples} triples, {self.seconds:.2f} s)"
        )


class _PreparedQueryGraph(Graph):
    """An rdflib Graph that parses each distinct SPARQL text once.

    pyshacl runs a SPARQL constraint once per focus node with the same text (the focus node is
    pre-bound), and rdflib parses the text on every call: parsing, not evaluating, was most of the
    validation time. A prepared query is evaluated afresh with each call's bindings."""

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str):
    return prepareQuery(text)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _term(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib reads a plain "..." as a literal with no datatype: keep that form for xsd:string
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


def union_of_quads(quads: Iterable[ox.Quad]) -> Graph:
    """The union (set of triples) of pyoxigraph quads, as an rdflib Graph."""
    graph = _PreparedQueryGraph()
    add = graph.add
    for quad in quads:
        add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def union_graph(source: Source) -> Graph:
    """The union of all graphs of ``source`` as one rdflib Graph.

    ``source`` is a store directory, an open pyoxigraph Store, an rdflib Dataset/ConjunctiveGraph
    (all its graphs), an rdflib Graph (used as it is) or pyoxigraph quads. The ontology files are
    added when the source has no ontology graph, so the shapes always see the subclass axioms.
    """
    if isinstance(source, (str, Path)):
        store = ox.Store.read_only(str(source))
        try:
            graph = union_of_quads(store)
        finally:
            del store
    elif isinstance(source, ox.Store):
        graph = union_of_quads(source)
    elif isinstance(source, (Dataset, ConjunctiveGraph)):
        graph = _PreparedQueryGraph()
        for s, p, o, _ in source.quads((None, None, None, None)):
            graph.add((s, p, o))
    elif isinstance(source, Graph):
        if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in source:
            # a view of the same triples (no copy), with the query cache
            return _PreparedQueryGraph(store=source.store, identifier=source.identifier)
        graph = _PreparedQueryGraph()  # a copy: the caller's graph is not changed
        for triple in source:
            graph.add(triple)
    else:
        graph = union_of_quads(source)
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in graph:
        for path in ONTOLOGY_FILES:
            graph.parse(path, format="turtle")
    return graph


def _findings(results: Graph) -> list[Finding]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                focus=str(results.value(result, SH.focusNode)),
                path=None if path is None or isinstance(path, BNode) else str(path),
                value=None if value is None else str(value),
                message=messages[0] if messages else "",
                shape=None if shape is None or isinstance(shape, BNode) else str(shape),
                component=str(component).rsplit("#", 1)[-1] if component is not None else "",
            )
        )
    found.sort(key=lambda f: (f.severity, f.message, f.focus, f.value or ""))
    return found


def validate(store_path_or_dataset: Source) -> ValidationResult:
    """Run the SHACL shapes over the union of all graphs; count violations and warnings."""
    started = time.perf_counter()
    data = union_graph(store_path_or_dataset)
    _, results, text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        advanced=False,
    )
    findings = _findings(results)
    counts = Counter(f.severity for f in findings)
    return ValidationResult(
        conforms=counts["Violation"] == 0,
        violations=counts["Violation"],
        warnings=counts["Warning"],
        infos=counts["Info"],
        report_text=text,
        findings=tuple(findings),
        triples=len(data),
        seconds=time.perf_counter() - started,
    )
