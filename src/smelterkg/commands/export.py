"""`smelterkg export`: the graph as RDF files, or the mentions as a spreadsheet-friendly CSV.

* ``smelterkg export [--format trig|nquads|turtle|jsonld] [-o FILE]``: TriG, N-Quads and JSON-LD keep
  the named graphs (one per source document, the resolution, reference and ontology graphs);
  Turtle is the union of all graphs, each triple once.
* ``smelterkg export --format graphml|gexf``: the facility–event–filer network (facilities, their
  rename/absorption/split events and the filers that listed them) for Gephi and other network
  tools; see smelterkg.queries.network.
* ``smelterkg export mentions [--format csv] [-o FILE]``: one row per table row of every source
  document, with the facility the resolution linked it to.

The output is deterministic: the same store gives the same bytes. Graphs, then subjects, are
written in a fixed order (natural order of their IRIs: ``row/9`` before ``row/10``), a subject's
triples sorted with ``rdf:type`` first. Quads are streamed one subject at a time, so memory holds
the subject list of one graph rather than the whole output. With ``-o`` the file is written
beside the target and renamed into place when complete: a failed export leaves no partial file.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from smelterkg.commands import error, info
from smelterkg.ontology.iris import RESOLUTION_GRAPH
from smelterkg.store import STORE_ENV, StoreError, default_store, open_read_only

PREFIXES = {
    "skg": "https://w3id.org/smelterkg/ontology#",
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
NETWORK_FORMATS = ("graphml", "gexf")  # the facility–event–filer graph, for Gephi
TABLE_FORMATS = ("csv",)
DEFAULT_GRAPH_FORMAT = "trig"
FORMAT_ALIASES = {"ttl": "turtle", "nq": "nquads", "n-quads": "nquads", "json-ld": "jsonld"}
EXTENSION_FORMATS = {
    ".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "jsonld", ".csv": "csv",
    ".graphml": "graphml", ".gexf": "gexf",
}
WHAT = ("graph", "mentions")

MENTION_COLUMNS = ("source", "line", "year", "metal", "name", "country", "status", "facility", "facility_name", "resolved_by")
MENTIONS_QUERY = f"""
PREFIX skg: <{PREFIXES["skg"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT ?source ?line ?year ?metal ?name ?country ?status ?facility ?facility_name ?resolved_by WHERE {{
  GRAPH ?doc {{
    ?row a skg:TableRow ; skg:inDocument ?doc ; skg:line ?line .
    ?doc skg:fileName ?source .
    OPTIONAL {{ ?doc skg:reportingYear ?year }}
    OPTIONAL {{ ?row skg:metal ?metalTerm }}
    OPTIONAL {{ ?row skg:printedName ?name }}
    OPTIONAL {{ ?row skg:printedCountry ?country }}
    OPTIONAL {{ ?row skg:printedStatus ?status }}
  }}
  OPTIONAL {{
    GRAPH <{RESOLUTION_GRAPH}> {{
      ?decision a skg:ResolutionDecision ; skg:row ?row ; skg:facility ?facility ; skg:method ?resolved_by .
      ?facility rdfs:label ?facility_name .
    }}
  }}
  BIND(STRAFTER(STR(?metalTerm), "#") AS ?metal)
}}
ORDER BY ?source ?line STR(?row) STR(?facility)
"""

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
_DIGITS = re.compile(r"(\d+)")


class ExportError(Exception):
    """An export that cannot be done; ``str()`` is the one-line message."""


# ---------------------------------------------------------------- deterministic quad order


def _natural(text: str) -> tuple[tuple[object, ...], str]:
    """``row/9`` before ``row/10``; the text itself breaks ties (``01`` vs ``1``)."""
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


def write_network(store: Store, fmt: str, out: BinaryIO) -> None:
    """The facility–event–filer graph (smelterkg.queries.network) as GraphML or GEXF."""
    from smelterkg.pictures.graphs import render_gexf, render_graphml
    from smelterkg.queries.network import store_network

    graph = store_network(store)
    out.write(render_graphml(graph) if fmt == "graphml" else render_gexf(graph))


def write_graph(store: Store, fmt: str, out: BinaryIO) -> None:
    rdf_format = GRAPH_FORMATS[fmt]
    statements: Iterator[Quad] | Iterator[Triple]
    statements = dataset_quads(store) if rdf_format.supports_datasets else union_triples(store)
    serialize(statements, out, rdf_format, prefixes=PREFIXES)


# ---------------------------------------------------------------- mentions


def mention_records(store: Store) -> Iterator[list[str]]:
    """The mentions table, one list of strings per table row, sorted by source then line."""
    for solution in store.query(MENTIONS_QUERY):
        yield ["" if term is None else term.value for term in solution]


def write_mentions_csv(store: Store, out: BinaryIO) -> None:
    """UTF-8 (no BOM), RFC 4180: CRLF line ends, fields quoted only when needed, quotes doubled."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(MENTION_COLUMNS)
        writer.writerows(mention_records(store))
        text.flush()
    finally:
        text.detach()  # leave ``out`` open: it may be stdout


# ---------------------------------------------------------------- output


@contextlib.contextmanager
def _stdout() -> Iterator[BinaryIO]:
    sys.stdout.flush()
    out = sys.stdout.buffer
    yield out
    out.flush()


def _check_writable(target: Path) -> None:
    if target.is_dir():
        raise ExportError(f"{target}: is a directory")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(f"{target}: cannot write the file (permission denied)")
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"{target}: cannot write the file (no directory {parent})")


@contextlib.contextmanager
def _file(target: Path) -> Iterator[BinaryIO]:
    """Write beside ``target`` and rename into place only once complete.

    Only a new file or an existing regular file is replaced that way: anything else (a symlink,
    a device such as /dev/null, a named pipe) is opened and written in place.
    """
    _check_writable(target)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        try:
            out = open(target, "wb")  # noqa: SIM115
        except OSError as problem:
            raise ExportError(f"{target}: cannot write the file ({problem.strerror or problem})") from None
        with out:
            yield out
        return
    try:
        handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as problem:
        raise ExportError(f"{target}: cannot write the file ({problem.strerror or problem})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        if target.exists():  # keep the mode of the file replaced
            mode = target.stat().st_mode & 0o7777
        else:  # as an ordinary new file, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(staging, mode)
        os.replace(staging, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise


def _output(path: str | None) -> contextlib.AbstractContextManager[BinaryIO]:
    return _stdout() if path in (None, "-") else _file(Path(path))


def output(path: str | None) -> contextlib.AbstractContextManager[BinaryIO]:
    """Where a command's data goes: stdout for None or "-", else FILE, written beside it and
    renamed into place when complete. Raises ExportError when FILE cannot be written."""
    return _output(path)


# ---------------------------------------------------------------- command


def _choose_format(what: str, requested: str | None, output: str | None) -> str:
    allowed = (*GRAPH_FORMATS, *NETWORK_FORMATS) if what == "graph" else TABLE_FORMATS
    if requested is None:
        guessed = EXTENSION_FORMATS.get(Path(output).suffix.lower()) if output not in (None, "-") else None
        return guessed if guessed in allowed else allowed[0] if what != "graph" else DEFAULT_GRAPH_FORMAT
    fmt = FORMAT_ALIASES.get(requested.lower(), requested.lower())
    if fmt not in allowed:
        label = "the graph" if what == "graph" else what
        raise ExportError(f"unknown format {requested!r} for {label} (choose from: {', '.join(allowed)})")
    return fmt


def run(args: argparse.Namespace) -> int:
    what = args.what or "graph"
    target = Path(args.store) if args.store else default_store()
    writer: Callable[[Store, BinaryIO], None]
    try:
        if what not in WHAT:
            raise ExportError(f"unknown export {what!r} (choose from: {', '.join(WHAT)})")
        fmt = _choose_format(what, args.format, args.output)
        store = open_read_only(target)
        if what == "mentions":
            writer = write_mentions_csv
        elif fmt in NETWORK_FORMATS:
            writer = lambda store, out: write_network(store, fmt, out)  # noqa: E731
        else:
            writer = lambda store, out: write_graph(store, fmt, out)  # noqa: E731
        with _output(args.output) as out:
            writer(store, out)
    except (StoreError, ExportError) as problem:
        error(str(problem))
        return 1
    except BrokenPipeError:
        raise
    except OSError as problem:
        place = args.output if args.output not in (None, "-") else "stdout"
        error(f"{place}: cannot write the export ({problem.strerror or problem})")
        return 1
    written = Path(args.output) if args.output not in (None, "-") else None
    if written is not None:
        size = f", {written.stat().st_size} bytes" if written.is_file() else ""
        info(f"wrote {written} ({what}, {fmt}{size})")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the graph as RDF (TriG, N-Quads, Turtle, JSON-LD), the facility–event–filer network "
        "(GraphML, GEXF), or the mentions as CSV",
        description="Write the graph from the store: TriG (the default), N-Quads and JSON-LD keep the named "
        "graphs (one per source document, resolution, reference, ontology); Turtle is the union of all graphs; "
        "GraphML and GEXF hold the facility–event–filer network (facilities, rename/absorption/split events, "
        "filers) for Gephi. "
        "`export mentions` writes one CSV row per table row (source,line,year,metal,name,country,status,facility). "
        "The same store always gives the same bytes.",
    )
    export.add_argument(
        "what", nargs="?", metavar="mentions", help="export the mentions table (CSV) instead of the graph"
    )
    export.add_argument(
        "--format",
        metavar="FORMAT",
        help="graph: trig (default), nquads, turtle, jsonld, or graphml / gexf (the facility–event–filer "
        "network, for Gephi); mentions: csv "
        "(default: guessed from the -o extension, else trig / csv)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    export.add_argument("--store", metavar="DIR", help=f"store directory (default: ${STORE_ENV} or ./smelterkg-store)")
    export.set_defaults(handler=run)
