"""`smelterkg query`: run a saved query (by name), a .rq file or an inline query on the store.

Results go to stdout (table, csv or json; CONSTRUCT/DESCRIBE as Turtle); every error is one line
on stderr and a non-zero exit. Updates and ``SERVICE`` are refused (``queries.sandbox``); the query
runs with a time limit and stops at once on Ctrl-C (``smelterkg.query_process``).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from smelterkg.commands import add_store_option, error, store_path
from smelterkg.queries import catalogue
from smelterkg.queries.catalogue import FORMATS, Param, QueryError, SavedQuery
from smelterkg.query_process import DEFAULT_TIMEOUT, TIMEOUT_EXIT, QueryTimeout, run_query
from smelterkg.queries.sandbox import SandboxError, check
from smelterkg.store import STORE_ENV, StoreError

MAX_TIMEOUT = 1e6  # seconds (11.6 days); larger values overflow the wait on the query process



def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` -> ``{"k": "v"}``; ``QueryError`` for a pair without ``=`` or a repeated name."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"bad --param {pair!r}: expected NAME=VALUE")
        if name in params:
            raise QueryError(f"--param {name} is given more than once")
        params[name] = value
    return params


def resolve(target: str | None, expression: str | None) -> tuple[str, list[Param]]:
    """The query text and its declared parameters, from ``-e``, a file or a saved-query name."""
    if expression is not None:
        return expression, []
    assert target is not None
    path = Path(target)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as problem:
            raise QueryError(f"{target}: cannot read the query ({problem})") from None
        if not catalogue.has_header(text):
            return text, []
        try:
            return text, catalogue.parse_header(text, target)[2]
        except ValueError as problem:
            raise QueryError(str(problem)) from None
    queries = catalogue.saved_queries()
    if target.endswith(".rq") and target[: -len(".rq")] not in queries:
        raise QueryError(f"{target}: no such query file")
    saved = catalogue.find(target, queries)
    return saved.text, saved.params


def describe(saved: SavedQuery) -> str:
    """One saved query for ``--list``: name, title, what it answers, parameters with defaults."""
    lines = [saved.name, f"    {saved.title}"]
    lines.extend(textwrap.wrap(saved.answers, width=100, initial_indent="    ", subsequent_indent="    "))
    for param in saved.params:
        default = f'"{param.default}"' if param.type == "string" else param.default
        lines.append(f"    --param {param.name}={default}  ({param.type}) {param.description}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        if args.list:
            if args.target or args.expression is not None:
                raise QueryError("--list takes no query")
            try:
                queries = catalogue.saved_queries()
            except ValueError as problem:
                raise QueryError(str(problem)) from None
            print("\n\n".join(describe(q) for q in queries.values()))
            return 0
        if (args.target is None) == (args.expression is None):
            raise QueryError("give one query: a saved-query NAME, a FILE.rq, or -e SPARQL (see --list)")
        text, declared = resolve(args.target, args.expression)
        params = parse_params(args.param)
        catalogue.bind(params, declared)  # unknown or badly typed parameters fail before the store opens
        check(text, allow_service=args.allow_service)
        if not 0 <= args.timeout <= MAX_TIMEOUT:
            raise QueryError(
                f"--timeout {args.timeout:g}: expected a number of seconds from 0 to {MAX_TIMEOUT:g} (0 for no limit)"
            )
        output = run_query(store_path(args), text, params, declared, args.format, args.timeout)
    except (QueryError, StoreError, SandboxError) as problem:
        error(str(problem))
        return 1
    except QueryTimeout as problem:
        error(str(problem))
        return TIMEOUT_EXIT
    sys.stdout.write(output)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    query = commands.add_parser(
        "query",
        help="run a saved query, a .rq file or a SPARQL query on the store",
        description="Run SPARQL over the store (the union of all its graphs). TARGET is a saved query's name "
        "(see --list) or a .rq file; -e gives the query inline. Parameters are bound as typed RDF terms, "
        f"never pasted into the text. The store defaults to ${STORE_ENV} or ./smelterkg-store.",
    )
    query.add_argument("target", nargs="?", metavar="NAME|FILE.rq", help="a saved query's name or a query file")
    query.add_argument("-e", "--expression", metavar="SPARQL", help="the query text itself")
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter of the query (repeatable)"
    )
    add_store_option(query)
    query.add_argument("--format", choices=FORMATS, default="table", help="result format (default: table)")
    query.add_argument("--list", action="store_true", help="list the saved queries with their parameters")
    query.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the query after this long (default: {DEFAULT_TIMEOUT:g}; 0 for no limit; exit code {TIMEOUT_EXIT})",
    )
    query.add_argument(
        "--allow-service",
        action="store_true",
        help="allow SERVICE (federated queries: the query makes HTTP requests from this machine)",
    )
    query.set_defaults(handler=run)
