"""`smelterkg explain NAME_A NAME_B`: one facility or two, and why (layer, rule or match weights)."""

from __future__ import annotations

import argparse
from pathlib import Path

from smelterkg.commands import error
from smelterkg.ingest.resolution import LedgerError
from smelterkg.ingest.resolution.explain import explain_names
from smelterkg.pipeline import load_ledger
from smelterkg.queries.facilities import FacilityRef, NameNotFound, country_of_key, decision_of_name, find_facilities
from smelterkg.store import STORE_ENV, StoreError, default_store, open_read_only


def _side(name: str, ref: FacilityRef, decision: dict[str, str] | None) -> str:
    how = f"{decision['method']}: {decision['reason']}" if decision else "no row printed exactly this spelling"
    return f"  '{name}' -> {ref.label}\n      resolved by {how}"


def run(args: argparse.Namespace) -> int:
    try:
        store = open_read_only(Path(args.store) if args.store else default_store())
        left, right = find_facilities(store, args.name_a, args.metal), find_facilities(store, args.name_b, args.metal)
        ledger = load_ledger(Path(args.ledger) if args.ledger else None)
    except (StoreError, NameNotFound, LedgerError) as problem:
        error(str(problem))
        return 1
    metals = sorted({r.metal for r in left} & {r.metal for r in right})
    if not metals:
        error(
            f"'{args.name_a}' is listed for {', '.join(sorted({r.metal for r in left}))} and '{args.name_b}' for "
            f"{', '.join(sorted({r.metal for r in right}))}: facilities of different metals are never one facility"
        )
        return 1
    blocks = []
    for metal in metals:
        a = next(r for r in left if r.metal == metal)
        b = next(r for r in right if r.metal == metal)
        da, db = decision_of_name(store, a, args.name_a), decision_of_name(store, b, args.name_b)
        verdict = "the SAME facility" if a.iri == b.iri else "DIFFERENT facilities"
        lines = [f"{metal}: {verdict} in the built graph", _side(args.name_a, a, da), _side(args.name_b, b, db)]
        alone = explain_names(metal, (args.name_a, country_of_key(da["key"]) if da else ""), (args.name_b, country_of_key(db["key"]) if db else ""), ledger)
        outcome = {True: "same", False: "different", None: "uncertain (review band)"}[alone.same]
        lines.append(f"  the two names alone: {outcome} by {alone.layer}: {alone.detail}")
        blocks.append("\n".join(lines))
    print("\n\n".join(blocks))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="are two names one facility, and why (layer, rule or match weights)",
        description="Say whether NAME_A and NAME_B (any known spellings) are one facility in the built graph, "
        "how each was resolved, and what the resolver's layers say of the two names alone (normalised key, "
        "ledger entry, or Splink match weights per comparison).",
    )
    parser.add_argument("name_a", metavar="NAME_A")
    parser.add_argument("name_b", metavar="NAME_B")
    parser.add_argument("--metal", help="only this metal")
    parser.add_argument("--ledger", metavar="FILE", help="analysts' ledger (default: $SMELTERKG_LEDGER or ./smelterkg-ledger.csv)")
    parser.add_argument("--store", metavar="DIR", help=f"store directory (default: ${STORE_ENV} or ./smelterkg-store)")
    parser.set_defaults(handler=run)
