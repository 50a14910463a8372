"""The SHACL shapes (``shapes.ttl``) as SPARQL queries that the store itself answers.

pyshacl walks every focus node in Python over an rdflib copy of the store: on a 1,000-report store
(some 7 million triples) it does not finish in minutes. Here each constraint of each shape becomes
one SPARQL SELECT that returns only the failing focus nodes (and value nodes), and pyoxigraph runs it
over the union of the store's graphs; the value-level constraints of one shape (``sh:datatype``,
``sh:pattern``, ``sh:minLength``, ranges, ``sh:in``, ``sh:nodeKind``) share one query that reads the
values once and flags each failed constraint (``ShapeQuery.flags``).

What is fast in pyoxigraph on a store on disk (measured at 1,000 reports, 4.5 M quads): a join of
two sub-selects is a hash join, a join of two plain triple patterns a disk lookup per solution
(10-30x slower); MINUS is one anti-join, FILTER NOT EXISTS a lookup per solution; a FILTER beside a
sub-select is pushed into it; comparing a term with an IRI constant in an expression looks the
constant up on disk for every solution (``datatype(?v) != xsd:integer``: 2 s per 250,000 values).
The queries are written accordingly. The results are the ones pyshacl gives — same focus node,
path, value, severity, constraint component and message — for the SHACL subset the shapes use; a
test compares the two on the bundled store and on graphs broken in every way the shapes catch.

Compiled (anything else is refused with ``UnsupportedShape``, so a new kind of constraint in
shapes.ttl cannot be skipped silently):

* targets ``sh:targetClass`` (through ``rdfs:subClassOf*`` in the data, with no inference, as
  pyshacl with ``inference="none"``) and ``sh:targetSubjectsOf``;
* paths: a predicate, ``sh:inversePath``, ``sh:alternativePath``, a sequence;
* ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:pattern``,
  ``sh:minLength``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:hasValue``, ``sh:in``,
  ``sh:uniqueLang``, ``sh:lessThanOrEquals``, ``sh:node`` and ``sh:or`` over shapes made of
  min/max counts and ``sh:hasValue``, and SPARQL-based constraints (``sh:sparql``/``sh:select``),
  whose ``$this`` is joined with the shape's focus nodes instead of being pre-bound one at a time.

Deliberate equivalences with pyshacl 0.40: a result per (value, other value) pair for
``sh:lessThanOrEquals``; one per duplicated (lower-cased) language for ``sh:uniqueLang``, without a
value; ``{?var}``/``{$var}`` in SPARQL messages replaced by the bound term's plain string; a
SPARQL constraint of a node shape with no ``?value`` reports the focus node as the value. A literal
of ``xsd:integer``/``xsd:decimal`` whose text is not of that type fails ``sh:datatype`` (rdflib's
"ill-typed"), checked by the lexical pattern.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

# sh:datatype: the lexical forms rdflib accepts for the numeric types the shapes use
LEXICAL_PATTERNS = {
    str(XSD.integer): r"^[+-]?[0-9]+$",
    str(XSD.decimal): r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
}

NODE_KINDS = {str(SH.IRI): "isIRI({v})", str(SH.BlankNode): "isBlank({v})", str(SH.Literal): "isLiteral({v})"}


class UnsupportedShape(ValueError):
    """shapes.ttl uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class ShapeQuery:
    """One constraint as a query: every solution is one validation result."""

    sparql: str
    severity: str  # "Violation", "Warning" or "Info"
    component: str  # e.g. "MinCountConstraintComponent"
    message: str  # for SPARQL constraints: the template with {?var} placeholders
    shape: str | None  # the shape's IRI (None for a blank-node property shape)
    path: str | None  # the path when it is one predicate
    value_is_focus: bool = False  # the focus node is the result's value (node-shape constraints)
    template: bool = False  # the message is a template filled from the solution
    # when set, ``sparql`` runs on its own and only solutions whose ?this this query returns count
    focus_query: str | None = None
    # several value-level constraints of one shape in one query: the component each ?f0, ?f1... stands
    # for; a solution is one result per flag that is true (``component`` is then the first)
    flags: tuple[str, ...] = ()


def _n3(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShape(f"cannot write {term!r} in a query")


def _path(shapes: Graph, path: object) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({_path(shapes, inverse)})"
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
        if shapes.value(path, RDF.first) is not None:
            return "(" + "/".join(_path(shapes, p) for p in Collection(shapes, path)) + ")"
    raise UnsupportedShape(f"unsupported sh:path {path!r}")


def _instances(var: str, cls: object) -> str:
    return f"{var} <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(cls)} ."


def _targets(shapes: Graph, shape: object) -> str | None:
    branches = [_instances("?this", c) for c in sorted(shapes.objects(shape, SH.targetClass))]
    branches += [f"?this {_n3(p)} ?any ." for p in sorted(shapes.objects(shape, SH.targetSubjectsOf))]
    for unsupported in (SH.targetNode, SH.targetObjectsOf, SH.target):
        if (shape, unsupported, None) in shapes:
            raise UnsupportedShape(f"{shape}: {unsupported} is not compiled")
    if not branches:
        return None
    body = " UNION ".join("{ " + b + " }" for b in branches)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {body} }} }}"


def _severity(shapes: Graph, shape: object) -> str:
    severity = shapes.value(shape, SH.severity)
    return "Violation" if severity is None else str(severity).rsplit("#", 1)[-1]


def _message(shapes: Graph, shape: object) -> str:
    messages = sorted(str(m) for m in shapes.objects(shape, SH.message))
    if not messages:
        raise UnsupportedShape(f"{shape}: a constraint without sh:message (pyshacl's default texts are not copied)")
    return messages[0]


# the comparison that fails sh:minLength / sh:maxLength, and the one sh:min/maxIn/Exclusive requires
LENGTH_FAILS = {SH.minLength: "<", SH.maxLength: ">"}
RANGE_HOLDS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


def _value_failure(shapes: Graph, shape: object, predicate: URIRef, param: object, v: str) -> str | None:
    """A SPARQL expression true when value node ``v`` fails one value-level constraint."""
    if predicate == SH.datatype:
        # "the literal is the one STRDT makes of its own text and this datatype" means "its datatype
        # is this one" (a language-tagged literal loses its tag), without comparing datatype()
        # with an IRI constant: pyoxigraph looks that constant up on disk for every value (2 s per
        # 250,000 values on a 1,000-report store, against 0.2 s)
        test = f"(!isLiteral({v}) || !sameTerm({v}, STRDT(STR({v}), {_n3(param)}))"
        if str(param) in LEXICAL_PATTERNS:
            test += f' || !REGEX(STR({v}), "{LEXICAL_PATTERNS[str(param)]}")'
        return test + ")"
    if predicate == SH.nodeKind:
        if str(param) not in NODE_KINDS:
            raise UnsupportedShape(f"sh:nodeKind {param}")
        return "!" + NODE_KINDS[str(param)].format(v=v)
    if predicate == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        return f"(isBlank({v}) || !REGEX(STR({v}), {Literal(str(param)).n3()}{extra}))"
    if predicate in LENGTH_FAILS:
        return f"(isBlank({v}) || STRLEN(STR({v})) {LENGTH_FAILS[predicate]} {int(param)})"
    if predicate in RANGE_HOLDS:  # an incomparable value (a string against a number) fails too
        return f"!COALESCE({v} {RANGE_HOLDS[predicate]} {_n3(param)}, false)"
    if predicate == SH["in"]:
        members = " || ".join(f"sameTerm({v}, {_n3(m)})" for m in Collection(shapes, param))
        return f"!({members or 'false'})"
    return None


# the constraint parameters compiled; each names its component, e.g. sh:minCount -> MinCountConstraintComponent
COMPILED = frozenset({
    SH.datatype, SH.nodeKind, SH.pattern, *LENGTH_FAILS, *RANGE_HOLDS, SH["class"], SH["in"], SH.minCount,
    SH.maxCount, SH.hasValue, SH.uniqueLang, SH.lessThanOrEquals, SH.node, SH["or"],
})


def _component(predicate: URIRef) -> str:
    name = predicate.removeprefix(str(SH))
    return name[0].upper() + name[1:] + "ConstraintComponent"


# parameters that are not constraints of their own
NOT_CONSTRAINTS = {
    RDF.type, RDFS.comment, RDFS.label, SH.message, SH.severity, SH.path, SH.property, SH.sparql,
    SH.targetClass, SH.targetSubjectsOf, SH.flags, SH.name, SH.description, SH.prefixes, SH.declare,
}


def _shape_fails(shapes: Graph, shape: object, this: str) -> str:
    """A SPARQL expression true when node ``this`` does not conform to ``shape`` (for sh:or and
    sh:node members: property shapes of min/max counts and sh:hasValue, as the shapes use)."""
    tests = [_shape_fails(shapes, prop, this) for prop in shapes.objects(shape, SH.property)]
    path = shapes.value(shape, SH.path)
    if path is None:
        for predicate in shapes.predicates(shape):
            if predicate not in NOT_CONSTRAINTS:
                raise UnsupportedShape(f"{shape}: {predicate} inside sh:or/sh:node is not compiled")
        return "(" + (" || ".join(tests) or "false") + ")"
    p = _path(shapes, path)
    for predicate, param in shapes.predicate_objects(shape):
        if predicate == SH.minCount and int(param) == 1:
            tests.append(f"NOT EXISTS {{ {this} {p} ?m }}")
        elif predicate == SH.minCount and int(param) == 0:
            continue
        elif predicate == SH.maxCount and int(param) == 0:
            tests.append(f"EXISTS {{ {this} {p} ?m }}")
        elif predicate == SH.hasValue:
            tests.append(f"NOT EXISTS {{ {this} {p} {_n3(param)} }}")
        elif predicate not in NOT_CONSTRAINTS:
            raise UnsupportedShape(f"{shape}: {predicate} inside sh:or/sh:node is not compiled")
    return "(" + (" || ".join(tests) or "false") + ")"


def _failing_nodes(shapes: Graph, shape: object, name: str) -> str | None:
    """A graph pattern that keeps the solutions whose ``?this`` fails ``shape``, when ``shape`` is a
    property shape of one min-count-1, max-count-0 or sh:hasValue constraint (else None).

    The same test as ``_shape_fails``, as a join or an anti-join with every node's values instead of
    one EXISTS lookup per focus node: 6 s against under 1 s for an sh:or over the 250,000 rows of a
    1,000-report store. ``?this`` is bound in every solution, so MINUS is NOT EXISTS here."""
    path = shapes.value(shape, SH.path)
    constraints = [(pr, pa) for pr, pa in shapes.predicate_objects(shape) if pr not in NOT_CONSTRAINTS]
    if path is None or (shape, SH.property, None) in shapes or len(constraints) != 1:
        return None
    (predicate, param), p = constraints[0], _path(shapes, path)
    if predicate == SH.minCount and int(param) == 1:
        return f"MINUS {{ ?this {p} ?{name} }}"
    if predicate == SH.maxCount and int(param) == 0:
        return f"{{ SELECT DISTINCT ?this WHERE {{ ?this {p} ?{name} }} }}"
    if predicate == SH.hasValue:
        return f"MINUS {{ ?this {p} {_n3(param)} }}"
    return None


def _prefixes(shapes: Graph) -> str:
    lines = []
    for declaration in shapes.objects(None, SH.declare):
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_MAY_LEAVE_UNBOUND = re.compile(r"\b(OPTIONAL|UNION|VALUES|BIND)\b", re.IGNORECASE)
# inside the block: anything that is not a join of triple patterns and plain sub-selects of them
_NOT_A_JOIN = re.compile(r"\b(FILTER|EXISTS|MINUS|GROUP|HAVING|LIMIT|OFFSET|ORDER|SERVICE|GRAPH)\b|\(", re.IGNORECASE)
_SUB_SELECT = re.compile(r"\{\s*SELECT\b(.*?)\bWHERE\s*\{", re.IGNORECASE | re.DOTALL)


def _block_end(text: str, start: int) -> int | None:
    """The index just past the brace that closes the one opened before ``start``."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _scope(text: str) -> tuple[set[str], set[str]]:
    """The variables of a group seen from outside it, and those of them its patterns bind (a
    sub-select shows only what it projects, and binds what it projects and uses)."""
    visible: set[str] = set()
    bound: set[str] = set()
    top, position = [], 0
    for match in _SUB_SELECT.finditer(text):
        if match.start() < position:
            continue
        end = _block_end(text, match.end())
        if end is None:
            break
        end = _block_end(text, end) or end  # the sub-select's own closing brace
        projected, body = set(_VARIABLE.findall(match.group(1))), set(_VARIABLE.findall(text[match.end(): end]))
        visible |= projected
        bound |= projected & body
        top.append(text[position: match.start()])
        position = end
    top.append(text[position:])
    plain = set(_VARIABLE.findall(" ".join(top)))
    return visible | plain, bound | plain


def anti_joins(select: str) -> str:
    """``FILTER NOT EXISTS { P }`` -> ``MINUS { P }`` where the two mean the same.

    SHACL forbids MINUS in ``sh:select`` (pyshacl pre-binds ``$this``), so the shapes are written
    with NOT EXISTS; pyoxigraph evaluates that as a nested loop per solution, and on a 100-report
    store two such constraints took 55 s and 33 s, against 0.3 s and 0.6 s as MINUS (one anti-join).
    Here nothing is pre-bound, and the two forms give the same solutions when every variable ``P``
    shares with the rest of the query is bound in every solution of the rest, and is either bound in
    every solution of ``P`` or in none, and ``P`` binds at least one of them. Rewritten only then,
    conservatively: ``P`` is a join of triple patterns and of sub-selects of triple patterns (no
    FILTER, no aggregate, no parenthesis: nothing but patterns), so a variable of ``P`` is bound in
    all its solutions when a pattern of ``P`` names it, in none when only a sub-select's projection
    does (``$this`` projected, as SHACL asks, by a sub-select that does not use it); and the query
    has nothing that may leave a variable unbound (OPTIONAL, UNION, VALUES, BIND; a sub-select of a
    plain pattern binds what it projects, and the shapes' sub-selects project what they share).

    >>> anti_joins("SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { ?b <q> ?c } }")
    'SELECT ?a WHERE { ?a <p> ?b . MINUS { ?b <q> ?c } }'
    >>> anti_joins("SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { ?x <q> ?c } }")  # nothing shared
    'SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { ?x <q> ?c } }'
    >>> anti_joins("SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { { SELECT ?a ?c WHERE { ?c <q> ?d } } } }")  # ?a unbound in P
    'SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { { SELECT ?a ?c WHERE { ?c <q> ?d } } } }'
    >>> anti_joins("SELECT ?a WHERE { ?a <p> ?b . FILTER NOT EXISTS { { SELECT ?a ?b WHERE { ?b <q> ?d } } } }")
    'SELECT ?a WHERE { ?a <p> ?b . MINUS { { SELECT ?a ?b WHERE { ?b <q> ?d } } } }'
    """
    if _MAY_LEAVE_UNBOUND.search(select):
        return select
    out, position = [], 0
    for match in _NOT_EXISTS.finditer(select):
        if match.start() < position:  # inside a block already rewritten or kept
            continue
        end = _block_end(select, match.end())
        if end is None:
            return select
        block = select[match.end(): end - 1]
        visible, bound_in_block = _scope(block)
        shared = visible & _scope(select[: match.start()] + select[end:])[0]
        out.append(select[position: match.start()])
        if not _NOT_A_JOIN.search(block) and shared & bound_in_block:
            out.append(f"MINUS {{{block}}}")
        else:
            out.append(select[match.start(): end])
        position = end
    out.append(select[position:])
    return "".join(out)


def _sparql_constraints(shapes: Graph, shape: object, targets: str, severity: str, shape_iri: str | None, is_node: bool) -> Iterator[ShapeQuery]:
    prefixes = _prefixes(shapes)
    for constraint in shapes.objects(shape, SH.sparql):
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        select = str(shapes.value(constraint, SH.select))
        inner = anti_joins(re.sub(r"\$this\b", "?this", select))
        # the constraint's own query over all nodes, its solutions kept for the shape's focus nodes
        # (pyshacl pre-binds them one by one). Not a join in SPARQL: pyoxigraph evaluates the inner
        # query once per focus node there (17-57 s per constraint at 1,000 reports, against 1-2 s).
        yield ShapeQuery(
            sparql=f"{prefixes}\n{inner}",
            focus_query=f"SELECT ?this WHERE {targets}",
            severity=severity,
            component="SPARQLConstraintComponent",
            message=_message(shapes, constraint),
            shape=shape_iri,
            path=None,
            value_is_focus=is_node,
            template=True,
        )


def _constraints(shapes: Graph, shape: object, targets: str, node_shape: object | None) -> Iterator[ShapeQuery]:
    """The queries of one shape: a node shape (``node_shape`` None) or a property shape of one."""
    is_node = node_shape is None
    severity = _severity(shapes, shape)
    shape_iri = str(shape) if isinstance(shape, URIRef) else None
    path_term = shapes.value(shape, SH.path)
    if is_node:
        focus_values = "BIND (?this AS ?value)"
        result_path = None
    else:
        # a sub-select, so pyoxigraph hash-joins it with the focus nodes: as a plain pattern it looks
        # each focus node up on disk one by one (10x slower on a 1,000-report store)
        focus_values = f"{{ SELECT ?this ?value WHERE {{ ?this {_path(shapes, path_term)} ?value }} }}"
        result_path = str(path_term) if isinstance(path_term, URIRef) else None

    def query(body: str, component: str, *, value: bool, select: str = "DISTINCT ?this ?value") -> ShapeQuery:
        return ShapeQuery(
            sparql=f"SELECT {select} WHERE {{ {targets} {body} }}",
            severity=severity,
            component=component,
            message=_message(shapes, shape),
            shape=shape_iri,
            path=result_path,
            value_is_focus=is_node and value,
        )

    # the value-level constraints (sh:datatype, sh:pattern, sh:minLength...) of the shape share one
    # query: the values of a path are read once, not once per constraint (reading 250,000 strings
    # from disk costs about as much as testing them)
    failures = [
        (_component(predicate), failure)
        for predicate, param in sorted(shapes.predicate_objects(shape))
        if predicate in COMPILED and (failure := _value_failure(shapes, shape, predicate, param, "?value")) is not None
    ]
    grouped = False

    for predicate, param in sorted(shapes.predicate_objects(shape)):
        if predicate in NOT_CONSTRAINTS:
            continue
        if predicate not in COMPILED:
            raise UnsupportedShape(f"{shape}: {predicate} is not compiled")
        component = _component(predicate)
        if predicate == SH["class"]:
            # MINUS joins once against every instance; a FILTER NOT EXISTS per value is ~8x slower in
            # pyoxigraph. A literal has no rdf:type, so MINUS keeps it: it fails, as SHACL says.
            yield query(f"{focus_values} MINUS {{ {_instances('?value', param)} }}", component, value=True)
            continue
        failure = _value_failure(shapes, shape, predicate, param, "?value")
        if failure is not None and len(failures) == 1:
            yield query(f"{focus_values} FILTER ({failure})", component, value=True)
            continue
        if failure is not None:
            if not grouped:  # at the place of the first of them, so the queries keep their order
                grouped = True
                flags = [f"?f{i}" for i in range(len(failures))]
                binds = " ".join(f"BIND (COALESCE({test}, false) AS {flag})" for (_, test), flag in zip(failures, flags))
                yield dataclasses.replace(
                    query(f"{focus_values} {binds} FILTER ({' || '.join(flags)})", failures[0][0], value=True,
                          select="DISTINCT ?this ?value " + " ".join(flags)),
                    flags=tuple(name for name, _ in failures),
                )
            continue
        if is_node and predicate not in (SH["or"], SH.node, SH.hasValue):
            raise UnsupportedShape(f"{shape}: {predicate} on a node shape is not compiled")
        p = None if is_node else _path(shapes, path_term)
        if predicate == SH.minCount:
            n = int(param)
            if n == 0:
                continue
            body = (
                f"MINUS {{ ?this {p} ?v }}" if n == 1 else
                f"{{ SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n}) }}"
            )
            yield query(body, component, value=False, select="DISTINCT ?this")
        elif predicate == SH.maxCount:
            body = f"{{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(param)}) }}"
            yield query(body, component, value=False, select="DISTINCT ?this")
        elif predicate == SH.hasValue:
            if is_node:
                yield query(f"FILTER (!sameTerm(?this, {_n3(param)})) BIND (?this AS ?value)", component, value=True)
            else:
                yield query(f"MINUS {{ ?this {p} {_n3(param)} }}", component, value=False, select="DISTINCT ?this")
        elif predicate == SH.uniqueLang:
            if param != Literal(True):
                continue
            body = (
                f"{{ SELECT ?this ?lang WHERE {{ ?this {p} ?v . FILTER (LANG(?v) != \"\") BIND (LCASE(LANG(?v)) AS ?lang) }} "
                "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1) }"
            )
            yield query(body, component, value=False, select="?this ?lang")
        elif predicate == SH.lessThanOrEquals:
            # one result per failing (value, other) pair, as pyshacl gives; string vs non-string fails
            body = (
                f"{focus_values} {{ SELECT ?this ?other WHERE {{ ?this {_n3(param)} ?other }} }} "
                "FILTER (isBlank(?value) || isBlank(?other) || !COALESCE(?value <= ?other, false))"
            )
            yield query(body, component, value=True, select="?this ?value ?other")
        elif predicate == SH.node:
            yield query(f"{focus_values} FILTER ({_shape_fails(shapes, param, '?value')})", component, value=True)
        elif predicate == SH["or"]:
            members = list(Collection(shapes, param))
            # a node fails sh:or when it fails every member: on a node shape, one pattern per member
            patterns = [_failing_nodes(shapes, m, f"m{i}") for i, m in enumerate(members)] if is_node else [None]
            if members and None not in patterns:
                yield query(" ".join(patterns) + f" {focus_values}", component, value=True)
                continue
            test = " && ".join(_shape_fails(shapes, m, "?value") for m in members) or "true"
            yield query(f"{focus_values} FILTER ({test})", component, value=True)
        else:  # pragma: no cover - COMPILED and the branches above list the same predicates
            raise UnsupportedShape(f"{shape}: {predicate} is not compiled")

    yield from _sparql_constraints(shapes, shape, targets, severity, shape_iri, is_node)


def compile_shapes(shapes: Graph) -> list[ShapeQuery]:
    """Every constraint of every targeted node shape (and of its property shapes) as a query."""
    queries: list[ShapeQuery] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = _targets(shapes, shape)
        if targets is None:
            continue  # only reached through sh:node, compiled there
        queries.extend(_constraints(shapes, shape, targets, None))
        for prop in shapes.objects(shape, SH.property):
            queries.extend(_constraints(shapes, prop, targets, shape))
    return queries


def fill_message(template: str, bindings: dict[str, str]) -> str:
    """pyshacl's substitution: every ``{?name}``/``{$name}`` becomes the bound term's string."""
    for name, text in bindings.items():
        template = re.sub("{{[?$]{}}}".format(name), text, template)
    return template
