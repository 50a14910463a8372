"""Validate a built graph against the SHACL shapes (``shapes.ttl``).

``validate(store_path_or_dataset)`` checks the union of every graph of the store (the document
graphs, the resolution and reference graphs, and the ontology graph). By default each constraint of
the shapes is compiled to SPARQL (``shape_queries``) that pyoxigraph answers on the store itself,
the queries running on as many threads as there are cores (``engine="sparql"``: under a minute at
1,000 reports on 2 cores, see ``benchmarks/validate_bench.py``); ``engine="pyshacl"`` loads the union into
one rdflib ``Graph`` and runs pyshacl, the reference implementation (the tests check both give the
same findings on every way of breaking a graph the shapes catch; it takes minutes past a few
hundred reports). The result counts violations (structural errors: the graph is not what the
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

import os
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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
from smelterkg.ontology.shape_queries import ShapeQuery, compile_shapes, fill_message

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
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
    triples: int = 0  # statements validated: the store's quads (sparql) or the union's triples (pyshacl)
    seconds: float = 0.0
    engine: str = "pyshacl"  # which of ENGINES produced it

    def messages(self, severity: str = "Violation") -> Counter[str]:
        """How many results of ``severity`` carry each message."""
        return Counter(f.message for f in self.findings if f.severity == severity)

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (
            f"graph {verdict}: {self.violations} violations, {self.warnings} warnings, {self.infos} infos "
            f"({self.triples} {'quads' if self.engine == 'sparql' else 'triples'}, {self.seconds:.2f} s, {self.engine})"
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


def _report_order(f: Finding) -> tuple[str, str, str, str]:
    return (f.severity, f.message, f.focus, f.value or "")


def _findings(results: Graph) -> list[Finding]:
    found = []
    # the report's own results (sh:result), not the sh:detail results nested under a sh:node one:
    # those say why the node failed and are not violations of their own (pyshacl types them alike)
    for result in results.objects(None, SH.result):
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
    found.sort(key=_report_order)
    return found


ENGINES = ("sparql", "pyshacl")


def validate(store_path_or_dataset: Source, *, engine: str = "sparql", threads: int | None = None) -> ValidationResult:
    """Run the SHACL shapes over the union of all graphs; count violations and warnings.

    ``engine="sparql"`` (the default) runs the shapes compiled to SPARQL (``shape_queries``) in
    pyoxigraph, on the store itself: seconds for a 1,000-report store. ``engine="pyshacl"`` is the
    reference implementation over an rdflib copy: minutes past a few hundred reports; the tests
    check that both give the same findings. ``threads``: how many SPARQL queries run at once
    (default ``workers()``)."""
    if engine == "sparql":
        return validate_sparql(store_path_or_dataset, threads=threads)
    if engine != "pyshacl":
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
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


@lru_cache(maxsize=1)
def shape_queries() -> tuple[ShapeQuery, ...]:
    return tuple(compile_shapes(shapes_graph()))


def _has_ontology(store: ox.Store) -> bool:
    ask = f"ASK {{ <{ONTOLOGY_IRI}> a <{OWL.Ontology}> }}"
    return bool(store.query(ask, use_default_graph_as_union=True))


def _oxigraph_store(source: Source) -> ox.Store:
    """``source`` as a pyoxigraph Store holding the ontology graph: the caller's own store (read in
    place) when it has one, else an in-memory copy with the ontology files added."""
    if isinstance(source, (str, Path)):
        store = ox.Store.read_only(str(source))
    elif isinstance(source, ox.Store):
        store = source
    elif isinstance(source, Graph):  # rdflib Graph, Dataset or ConjunctiveGraph: via the union
        store = ox.Store()
        store.bulk_extend(ox.Quad(*(_ox_term(t) for t in triple)) for triple in union_graph(source))
        return store
    else:
        store = ox.Store()
        store.bulk_extend(source)
    if _has_ontology(store):
        return store
    copy = ox.Store()
    copy.bulk_extend(store)
    for path in ONTOLOGY_FILES:
        copy.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_IRI)))
    return copy


def _ox_term(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise TypeError(f"unsupported RDF term {term!r}")


def _focus_nodes(store: ox.Store, query: str, cache: dict[str, frozenset[ox.NamedNode | ox.BlankNode]]) -> frozenset:
    if query not in cache:
        cache[query] = frozenset(s["this"] for s in store.query(query, use_default_graph_as_union=True))
    return cache[query]


# pyoxigraph evaluates a query without holding the GIL, so threads run the queries on all cores
# (no more than this many: each holds its intermediate results in memory)
MAX_WORKERS = 4


def workers() -> int:
    """How many queries run at once: the cores this process may use, at most ``MAX_WORKERS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def run_all(store: ox.Store, checks: Iterable[ShapeQuery], threads: int | None = None) -> list[Finding]:
    """Every check's findings, in the order of ``checks`` whatever order the threads finish in.

    The focus sets of the SPARQL constraints are computed first (a few, small), so the threads only
    read the shared cache."""
    checks = list(checks)
    focus_cache: dict[str, frozenset] = {}
    for check in checks:
        if check.focus_query is not None:
            _focus_nodes(store, check.focus_query, focus_cache)
    with ThreadPoolExecutor(max_workers=threads or workers()) as pool:
        found = pool.map(lambda check: list(_run(store, check, focus_cache)), checks)
        return [finding for findings in found for finding in findings]


def _run(store: ox.Store, check: ShapeQuery, focus_cache: dict[str, frozenset]) -> Iterable[Finding]:
    solutions = store.query(check.sparql, use_default_graph_as_union=True)
    names = [variable.value for variable in solutions.variables]
    focus_nodes = None if check.focus_query is None else _focus_nodes(store, check.focus_query, focus_cache)
    seen: set[tuple[str | None, ...]] = set()
    for solution in solutions:
        if focus_nodes is not None:
            if solution["this"] not in focus_nodes:
                continue
            key = tuple(None if (term := solution[name]) is None else str(term) for name in names)
            if key in seen:  # the joined query was SELECT DISTINCT
                continue
            seen.add(key)
        focus = solution["this"].value
        value_term = solution["value"] if "value" in names else None
        value = value_term.value if value_term is not None else (focus if check.value_is_focus else None)
        message = check.message
        if check.template:
            bindings = {name: term.value for name in names if (term := solution[name]) is not None}
            if value is not None:
                bindings["value"] = value
            message = fill_message(message, bindings)
        components = (
            [c for i, c in enumerate(check.flags) if solution[f"f{i}"] == TRUE] if check.flags else [check.component]
        )
        for component in components:
            yield Finding(
                severity=check.severity, focus=focus, path=check.path, value=value,
                message=message, shape=check.shape, component=component,
            )


def report_text(conforms: bool, findings: list[Finding]) -> str:
    """A plain report in pyshacl's layout: one block per result, each with its message."""
    lines = ["Validation Report", f"Conforms: {conforms}", f"Results ({len(findings)}):"]
    for f in findings:
        lines.append(f"Constraint {f.severity} in {f.component}:")
        lines.append(f"\tSeverity: sh:{f.severity}")
        if f.shape:
            lines.append(f"\tSource Shape: {f.shape}")
        lines.append(f"\tFocus Node: {f.focus}")
        if f.value is not None:
            lines.append(f"\tValue Node: {f.value}")
        if f.path:
            lines.append(f"\tResult Path: {f.path}")
        lines.append(f"\tMessage: {f.message}")
    return "\n".join(lines) + "\n"


def validate_sparql(source: Source, *, threads: int | None = None) -> ValidationResult:
    """The shapes as SPARQL queries answered by pyoxigraph over the union of the store's graphs,
    ``threads`` (default ``workers()``) at a time."""
    started = time.perf_counter()
    store = _oxigraph_store(source)
    findings = sorted(run_all(store, shape_queries(), threads), key=_report_order)
    counts = Counter(f.severity for f in findings)
    conforms = counts["Violation"] == 0
    triples = len(store)  # quads; the union's triples only differ where two graphs hold one triple
    return ValidationResult(
        conforms=conforms,
        violations=counts["Violation"],
        warnings=counts["Warning"],
        infos=counts["Info"],
        report_text=report_text(conforms, findings),
        findings=tuple(findings),
        triples=triples,
        seconds=time.perf_counter() - started,
        engine="sparql",
    )
