"""`smelterkg validate`: check the built graph against the SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

import argparse
import sys

from smelterkg.commands import add_store_option, error, open_store
from smelterkg.store import StoreError


def run(args: argparse.Namespace) -> int:
    from smelterkg.ontology.validate import validate  # rdflib + pyshacl: only when validating

    try:
        store = open_store(args)
    except StoreError as problem:
        error(str(problem))
        return 1
    result = validate(store, engine=args.engine)
    for severity in ("Violation", "Warning", "Info"):
        for message, count in sorted(result.messages(severity).items()):
            print(f"{severity}: {count} x {message}")
    print(result.summary(), file=sys.stderr)
    return 0 if result.conforms else 1


def register(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser(
        "validate",
        help="check the graph against its SHACL shapes (violations fail; warnings are messy-but-real facts)",
        description="Validate the store's graph against ontology/shapes.ttl. Prints each finding with its count "
        "(violations: structural errors; warnings: facts that are messy but real, e.g. a status the report "
        "did not print) and exits 1 when there are violations.",
    )
    add_store_option(validate)
    validate.add_argument(
        "--engine",
        choices=("sparql", "pyshacl"),
        default="sparql",
        help="sparql (default): the shapes compiled to SPARQL and answered by the store, seconds at 1,000 reports; "
        "pyshacl: the reference SHACL implementation over an in-memory copy, same findings, minutes past a few "
        "hundred reports",
    )
    validate.set_defaults(handler=run)
