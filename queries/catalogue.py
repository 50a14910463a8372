"""The saved queries (``*.rq`` in this folder): their documented headers, parameter binding and
result formatting.

Every saved query starts with a header block of comment lines::

    # title: Status history of a facility
    # answers: For a facility (any reported spelling, case-insensitive), its status in each year...
    # param: name = "Asaka Riken Co., Ltd." (string) a facility name, any spelling
    # param: year = 2017 (integer) the reporting year

``title`` and ``answers`` are required, ``param`` may repeat; a line ``#`` followed by at least two
spaces continues the field above it. The header ends at the first line that is not a comment, or
at a bare ``#`` line (free comments may follow it).

Parameters are bound with pyoxigraph's ``substitutions`` (SEP-0007), never by editing the query
text, so a value can never change the shape of a query. Oxigraph only substitutes variables that
the query projects, so every parameter appears in the top-level ``SELECT`` of its query.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Union

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
PARAM_TYPES = ("string", "integer", "iri")
FORMATS = ("table", "csv", "json")

Term = Union[NamedNode, BlankNode, Literal, Triple]
Row = Sequence[Union[Term, None]]


class QueryError(Exception):
    """A query that cannot be found, bound or run; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    default: str
    """The default value as a user would pass it on the command line (no quotes, no ``<>``)."""
    type: str
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    answers: str
    params: list[Param]
    text: str


@dataclass(frozen=True)
class Result:
    """What a query returned, materialised: rows for SELECT, a boolean for ASK, triples otherwise."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str]
    rows: list[Row]
    boolean: bool | None = None
    triples: list[Triple] | None = None


# --- headers --------------------------------------------------------------------------------

_FIELD = re.compile(r"#\s?(?P<key>[A-Za-z]+):\s*(?P<value>.*?)\s*$")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*?)\s*$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*"
    r'(?P<default>"(?:[^"\\]|\\.)*"|<[^<>\s]*>|-?\d+)\s+'
    r"\((?P<type>[a-z]+)\)\s+(?P<description>\S.*)$"
)


def parse_header(text: str, source: str = "<query>") -> tuple[str, str, list[Param]]:
    """``(title, answers, params)`` from a query's header; ``ValueError`` naming file and line."""
    fields: dict[str, str] = {}
    params: list[tuple[int, str]] = []
    last: str | None = None
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.startswith("#") or line.strip() == "#":
            break
        field, continuation = _FIELD.match(line), _CONTINUATION.match(line)
        if continuation and last is not None:
            if last == "param":
                params[-1] = (params[-1][0], params[-1][1] + " " + continuation["value"])
            else:
                fields[last] += " " + continuation["value"]
            continue
        if field is None:
            raise ValueError(f"{source}:{number}: malformed header line (expected '# key: value'): {line!r}")
        key, value = field["key"], field["value"]
        if key == "param":
            params.append((number, value))
        elif key in ("title", "answers"):
            if key in fields:
                raise ValueError(f"{source}:{number}: duplicate '{key}' in the header")
            fields[key] = value
        else:
            raise ValueError(f"{source}:{number}: unknown header key {key!r} (expected title, answers or param)")
        if not value:
            raise ValueError(f"{source}:{number}: empty '{key}' in the header")
        last = key
    for key in ("title", "answers"):
        if key not in fields:
            raise ValueError(f"{source}:1: the header has no '# {key}:' line")
    parsed = [_parse_param(value, source, number) for number, value in params]
    seen: set[str] = set()
    for (number, _), param in zip(params, parsed):
        if param.name in seen:
            raise ValueError(f"{source}:{number}: parameter {param.name!r} is declared more than once")
        seen.add(param.name)
    return fields["title"], fields["answers"], parsed


def _parse_param(value: str, source: str, number: int) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise ValueError(
            f"{source}:{number}: malformed param (expected 'NAME = DEFAULT (string|integer|iri) description'): {value!r}"
        )
    kind, raw = match["type"], match["default"]
    if kind not in PARAM_TYPES:
        raise ValueError(f"{source}:{number}: unknown param type {kind!r} (expected one of {', '.join(PARAM_TYPES)})")
    expected = {"string": '"', "iri": "<"}.get(kind)
    if (expected is None and raw[0] in '"<') or (expected is not None and raw[0] != expected):
        raise ValueError(f"{source}:{number}: default {raw} does not fit type {kind}")
    default = json.loads(raw) if kind == "string" else raw.strip("<>")
    return Param(match["name"], default, kind, match["description"])


def has_header(text: str) -> bool:
    """Whether a query text starts with a saved-query header (ad hoc files may have none)."""
    return text.lstrip("\ufeff").startswith("# title:")


# --- the catalogue --------------------------------------------------------------------------


def _query_files() -> Iterable[tuple[str, str, Path]]:
    folder = resources.files(__package__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq") and entry.is_file():
            yield entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"), Path(str(entry))


def load(name: str, text: str, path: Path) -> SavedQuery:
    title, answers, params = parse_header(text, path.name)
    return SavedQuery(name, path, title, answers, params, text)


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name (its file name without ``.rq``)."""
    return {name: load(name, text, path) for name, text, path in _query_files()}


def find(name: str, catalogue: dict[str, SavedQuery] | None = None) -> SavedQuery:
    """The saved query ``name``; ``QueryError`` with the close matches when there is none."""
    catalogue = saved_queries() if catalogue is None else catalogue
    key = name[: -len(".rq")] if name.endswith(".rq") else name
    if key in catalogue:
        return catalogue[key]
    close = difflib.get_close_matches(key, list(catalogue), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see `smelterkg query --list`"
    raise QueryError(f"no saved query named {name!r}; {hint}")


# --- binding and running --------------------------------------------------------------------


def bind(params: dict[str, str], declared: Sequence[Param]) -> dict[Variable, Term]:
    """Typed terms for the declared parameters: the defaults, overridden by ``params``."""
    known = {p.name: p for p in declared}
    unknown = sorted(set(params) - set(known))
    if unknown:
        offered = ", ".join(known) if known else "none"
        raise QueryError(f"unknown parameter {unknown[0]!r}; this query declares: {offered}")
    return {Variable(p.name): to_term(p, params.get(p.name, p.default)) for p in declared}


def to_term(param: Param, value: str) -> Term:
    if param.type == "integer":
        if not re.fullmatch(r"\s*[+-]?\d+\s*", value):
            raise QueryError(f"parameter {param.name}={value!r} is not an integer")
        return Literal(str(int(value)), datatype=NamedNode(XSD_INTEGER))
    if param.type == "iri":
        iri = value.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]
        try:
            return NamedNode(iri)
        except ValueError as problem:
            raise QueryError(f"parameter {param.name}={value!r} is not an IRI ({one_line(str(problem))})") from None
    return Literal(value)


def execute(store: Store, text: str, params: dict[str, str], declared: Sequence[Param]) -> Result:
    """Run ``text`` over the union of all graphs with ``params`` bound; the materialised result."""
    substitutions = bind(params, declared)
    try:
        answer = store.query(text, use_default_graph_as_union=True, substitutions=substitutions or None)
        return _materialise(answer)
    except SyntaxError as problem:
        raise QueryError(f"query syntax error: {one_line(str(problem))}") from None
    except RuntimeError as problem:
        message = one_line(str(problem))
        if "projection" in message:  # oxigraph substitutes only projected variables
            message += " (every parameter must be a variable of the top-level SELECT)"
        raise QueryError(f"query failed: {message}") from None
    except OSError as problem:
        raise QueryError(f"query failed: {one_line(str(problem))}") from None


def _materialise(answer: QuerySolutions | QueryBoolean | QueryTriples) -> Result:
    if isinstance(answer, QueryBoolean):
        return Result("ask", [], [], boolean=bool(answer))
    if isinstance(answer, QueryTriples):
        return Result("graph", [], [], triples=list(answer))
    variables = [v.value for v in answer.variables]
    rows = [[solution[v] for v in variables] for solution in answer]
    return Result("select", variables, rows)


def one_line(message: str) -> str:
    return " ".join(message.split())


# --- formatting -----------------------------------------------------------------------------


def plain(term: Term | None) -> str:
    """A term as a person reads it: a literal's value, an IRI without brackets, '' when unbound."""
    if term is None:
        return ""
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}


def _numeric(term: Term | None) -> bool:
    return isinstance(term, Literal) and term.datatype.value in _NUMERIC


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: combining marks take none, wide (CJK) characters two."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text
    )


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def format_table(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """Aligned plain-text columns (numbers right-aligned) and a row count."""
    cells = [[re.sub(r"[\r\n\t]+", " ", plain(term)) for term in row] for row in rows]
    widths = [max([display_width(v)] + [display_width(r[i]) for r in cells]) for i, v in enumerate(variables)]
    right = [bool(rows) and all(_numeric(r[i]) or r[i] is None for r in rows) for i in range(len(variables))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(_pad(v, w, r) for v, w, r in zip(values, widths, right)).rstrip()

    out = [line(variables), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


def format_csv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """SPARQL 1.1 CSV results: a header of variable names, then plain values (CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(variables)
    writer.writerows([plain(term) for term in row] for row in rows)
    return out.getvalue()


def json_term(term: Term) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        node = {"type": "literal", "value": term.value}
        if term.language:
            node["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            node["datatype"] = term.datatype.value
        return node
    return {"type": "triple", "value": str(term)}


def format_json(variables: Sequence[str], rows: Sequence[Row]) -> str:
    bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


def format_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"


def query_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query, to write its CONSTRUCT results compactly."""
    return dict(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*|):\s*<([^<>\s]*)>", text))


def format_result(result: Result, fmt: str, text: str = "") -> str:
    """``result`` in ``fmt``: table, csv or json for SELECT and ASK; Turtle for CONSTRUCT/DESCRIBE."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})")
    if result.kind == "ask":
        return format_boolean(bool(result.boolean), fmt)
    if result.kind == "graph":
        if fmt != "table":
            raise QueryError(f"CONSTRUCT and DESCRIBE results are written as Turtle; --format {fmt} applies to SELECT and ASK")
        data = serialize(result.triples or [], format=RdfFormat.TURTLE, prefixes=query_prefixes(text) or None)
        turtle = data.decode("utf-8") if data else ""
        return turtle if not turtle or turtle.endswith("\n") else turtle + "\n"
    formatter = {"table": format_table, "csv": format_csv, "json": format_json}[fmt]
    return formatter(result.variables, result.rows)
