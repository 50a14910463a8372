"""`smelterkg export`: the graph as RDF files, or the mentions as a spreadsheet-friendly CSV.

* ``smelterkg export [--format trig|nquads|turtle|jsonld] [-o FILE]``: TriG, N-Quads and JSON-LD keep
  the named graphs (one per source document, the resolution, reference and ontology graphs);
  Turtle is the union of all graphs, each triple once.
* ``smelterkg export --format graphml|gexf``: the facility–event–filer network (facilities, their
  rename/absorption/split events and the filers that listed them) for Gephi and other network
  tools; see smelterkg.queries.network.
* ``smelterkg export mentions [--format csv] [-o FILE]``: one row per table row of every source
  document, with the facility the resolution linked it to and where the row is (``locator``).

The output is deterministic: the same store gives the same bytes (smelterkg.queries.export orders
the quads, smelterkg.queries.mentions reads the table). With ``-o`` the file is written beside the
target and renamed into place when complete (smelterkg.output): a failed export leaves no partial
file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Store

from smelterkg.commands import add_store_option, error, info, open_store
from smelterkg.output import OutputError, is_stdout, output
from smelterkg.queries.export import GRAPH_FORMATS, write_graph
from smelterkg.queries.mentions import write_mentions_csv
from smelterkg.store import StoreError

NETWORK_FORMATS = ("graphml", "gexf")  # the facility–event–filer graph, for Gephi
TABLE_FORMATS = ("csv",)
DEFAULT_GRAPH_FORMAT = "trig"
FORMAT_ALIASES = {"ttl": "turtle", "nq": "nquads", "n-quads": "nquads", "json-ld": "jsonld"}
EXTENSION_FORMATS = {
    ".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "jsonld", ".csv": "csv",
    ".graphml": "graphml", ".gexf": "gexf",
}
WHAT = ("graph", "mentions")


class ExportError(Exception):
    """An export that cannot be done; ``str()`` is the one-line message."""


def write_network(store: Store, fmt: str, out: BinaryIO) -> None:
    """The facility–event–filer graph (smelterkg.queries.network) as GraphML or GEXF."""
    from smelterkg.pictures.graphs import render_gexf, render_graphml
    from smelterkg.queries.network import store_network

    graph = store_network(store)
    out.write(render_graphml(graph) if fmt == "graphml" else render_gexf(graph))



def _choose_format(what: str, requested: str | None, target: str | None) -> str:
    allowed = (*GRAPH_FORMATS, *NETWORK_FORMATS) if what == "graph" else TABLE_FORMATS
    if requested is None:
        guessed = None if target is None or is_stdout(target) else EXTENSION_FORMATS.get(Path(target).suffix.lower())
        return guessed if guessed in allowed else allowed[0] if what != "graph" else DEFAULT_GRAPH_FORMAT
    fmt = FORMAT_ALIASES.get(requested.lower(), requested.lower())
    if fmt not in allowed:
        label = "the graph" if what == "graph" else what
        raise ExportError(f"unknown format {requested!r} for {label} (choose from: {', '.join(allowed)})")
    return fmt


def run(args: argparse.Namespace) -> int:
    what = args.what or "graph"
    writer: Callable[[Store, BinaryIO], None]
    try:
        if what not in WHAT:
            raise ExportError(f"unknown export {what!r} (choose from: {', '.join(WHAT)})")
        fmt = _choose_format(what, args.format, args.output)
        store = open_store(args)
        if what == "mentions":
            writer = write_mentions_csv
        elif fmt in NETWORK_FORMATS:
            writer = lambda store, out: write_network(store, fmt, out)  # noqa: E731
        else:
            writer = lambda store, out: write_graph(store, fmt, out)  # noqa: E731
        with output(args.output) as out:
            writer(store, out)
    except (StoreError, ExportError, OutputError) as problem:
        error(str(problem))
        return 1
    except BrokenPipeError:
        raise
    except OSError as problem:
        place = "stdout" if is_stdout(args.output) else args.output
        error(f"{place}: cannot write the export ({problem.strerror or problem})")
        return 1
    written = None if is_stdout(args.output) else Path(args.output)
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
        "`export mentions` writes one CSV row per table row: source, line, year, metal, name, country, status, "
        "facility, facility_name, resolved_by and locator (where the row is, e.g. its lines). "
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
    add_store_option(export)
    export.set_defaults(handler=run)
