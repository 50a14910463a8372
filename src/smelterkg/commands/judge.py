"""`smelterkg judge NAME_A NAME_B same|different|unsure --evidence TEXT`: an analyst's judgement,
appended to the user ledger (with today's date) and honoured on the next build."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from smelterkg.commands import add_store_option, error, info, open_store
from smelterkg.ingest.resolution import LedgerError
from smelterkg.ingest.resolution.ledger import LedgerEntry, append_entries, judgement, read_ledger
from smelterkg.pipeline import default_user_ledger
from smelterkg.queries.facilities import (
    FacilityRef, NameNotFound, decision_of_name, facility_card, find_facilities,
)
from smelterkg.store import StoreError


def _as_printed(store, ref: FacilityRef, name: str) -> tuple[str, str]:
    """The name as a report printed it (the user may type any case) and the country of its key
    group; failing that, the name as typed and the facility's only country."""
    decision = decision_of_name(store, ref, name)
    if decision:
        return decision["printed"], decision["country"]
    countries = facility_card(store, ref).countries
    return name, countries[0] if len(countries) == 1 else ""


def _same_fact(a: LedgerEntry, b: LedgerEntry) -> bool:
    """The same judgement written twice (a ledger rejects duplicated rows on the next build)."""
    return dataclasses.replace(a, origin="") == dataclasses.replace(b, origin="")


def run(args: argparse.Namespace) -> int:
    if not args.evidence.strip():
        error("--evidence is empty: a judgement needs its evidence (a source, a document, a person and a reason)")
        return 1
    try:
        store = open_store(args)
        left, right = find_facilities(store, args.name_a, args.metal), find_facilities(store, args.name_b, args.metal)
    except (StoreError, NameNotFound) as problem:
        error(str(problem))
        return 1
    metals = sorted({r.metal for r in left} & {r.metal for r in right})
    if not metals:
        error(f"'{args.name_a}' and '{args.name_b}' are never listed for the same metal: nothing to judge")
        return 1
    if len(metals) > 1:
        error(f"both names are listed for {', '.join(metals)}: say which with --metal")
        return 1
    metal = metals[0]
    a = next(r for r in left if r.metal == metal)
    b = next(r for r in right if r.metal == metal)
    ledger = Path(args.ledger) if args.ledger else default_user_ledger()
    try:
        entry = judgement(
            args.verdict, metal, _as_printed(store, a, args.name_a), _as_printed(store, b, args.name_b),
            args.evidence.strip(), args.note or "",
        )
        if ledger.exists() and any(_same_fact(entry, known) for known in read_ledger(ledger)):
            info(f"already recorded in {ledger}: {args.verdict} '{args.name_a}' / '{args.name_b}' ({metal}); nothing added")
            return 0
        append_entries(ledger, [entry])
    except LedgerError as problem:
        error(str(problem))
        return 1
    except OSError as problem:
        error(f"{ledger}: cannot write the ledger ({problem.strerror})")
        return 1
    now = "one facility" if a.iri == b.iri else "two facilities"
    info(f"recorded in {ledger}: {args.verdict} '{args.name_a}' / '{args.name_b}' ({metal}; today {now}); "
         "rebuild to apply (smelterkg build)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "judge",
        help="record an analyst's judgement (same / different / unsure) in the ledger",
        description="Append a judgement on two names (any known spellings) to the user ledger "
        "($SMELTERKG_LEDGER or ./smelterkg-ledger.csv), dated today, with its evidence. The next "
        "`smelterkg build` honours it: 'same' joins the facilities, 'different' keeps them apart for good, "
        "'unsure' keeps the pair in review.",
    )
    parser.add_argument("name_a", metavar="NAME_A")
    parser.add_argument("name_b", metavar="NAME_B")
    parser.add_argument("verdict", choices=("same", "different", "unsure"))
    parser.add_argument("--evidence", required=True, metavar="TEXT", help="the source of the judgement (required)")
    parser.add_argument("--note", metavar="TEXT", help="a short note kept with the judgement")
    parser.add_argument("--metal", help="the metal, when both names are listed for several")
    parser.add_argument("--ledger", metavar="FILE", help="ledger to append to (default: $SMELTERKG_LEDGER or ./smelterkg-ledger.csv)")
    add_store_option(parser)
    parser.set_defaults(handler=run)
