"""`smelterkg validate`: check the built graph against the SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smelterkg.commands import error
from smelterkg.store import STORE_ENV, StoreError, default_store, open_read_only


def run(args: argparse.Namespace) -> int:
    from smelterkg.ontology.validate import validate  # rdflib + pyshacl: only when validating

    target = Path(args.store) if args.store else default_store()
    try:
        store = open_read_only(target)
    except StoreError as problem:
        error(str(problem))
        return 1
    result = validate(store)
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
    validate.add_argument("--store", metavar="DIR", help=f"store directory (default: ${STORE_ENV} or ./smelterkg-store)")
    validate.set_defaults(handler=run)
