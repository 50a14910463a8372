"""`smelterkg explain NAME_A NAME_B`: one facility or two in the built graph, and why — the build's
own decisions, read from the store by the pair oracle (the same code the build is tested with).

When the facilities have RMI smelter IDs (printed, or found in a reference list given with
``build --reference``), a "reference" block says which: each facility's ID and what the lists say
of it (standard name, place, releases and list dates), and which list gives each asked name as a
standard or look-up name. Without IDs the block is left out and the output is as before."""

from __future__ import annotations

import argparse
from pathlib import Path

from smelterkg.commands import add_store_option, error, open_store
from smelterkg.ingest.resolution import LedgerError
from smelterkg.ingest.resolution.explain import explain_names
from smelterkg.ingest.resolution.model import GroupKey
from smelterkg.ingest.resolution.names import structure
from smelterkg.pipeline import load_ledger
from smelterkg.queries.facilities import FacilityRef, NameNotFound, find_facilities
from smelterkg.queries.reference_evidence import facility_reference, name_evidence, reference_lines
from smelterkg.queries.resolution import StoredResolution, decision_names, load_resolution
from smelterkg.store import StoreError


def _decision_of(stored: StoredResolution, names: dict[str, list[str]], name: str) -> int:
    """The decision (index) of the key group a name stands for within one facility: the group whose
    rows print it (any case), else the group of its normalised key, else the facility's named group."""
    wanted = name.strip().casefold()
    for iri, spellings in sorted(names.items()):
        if any(s.casefold() == wanted for s in spellings):
            return stored.decision(iri)
    key = structure(name).key
    for iri in sorted(names):
        index = stored.decision(iri)
        record = stored.oracle.decisions[index]
        if GroupKey(record.metal, key, record.country).text == record.key:
            return index
    roots = [stored.decision(iri) for iri in sorted(names) if stored.oracle.decisions[stored.decision(iri)].attached_to is None]
    return roots[0] if roots else stored.decision(sorted(names)[0])


def _label(stored: StoredResolution, names: dict[str, list[str]], index: int) -> str:
    spellings = names.get(stored.iris[index]) or [stored.oracle.decisions[index].key]
    return " / ".join(f"'{s}'" for s in spellings[:3]) + (" ..." if len(spellings) > 3 else "")


def _why(stored: StoredResolution, names: dict[str, list[str]], a: int, b: int) -> list[str]:
    verdict = stored.oracle.verdict(a, b)
    if verdict.same:
        if not verdict.steps:
            return [f"  one key group ({stored.oracle.decisions[a].key}): {stored.oracle.decisions[a].reason}"]
        return [
            f"  {_label(stored, names, s.child)} joined {_label(stored, names, s.parent)} by {s.layer}: {s.reason}"
            for s in verdict.steps
        ]
    if verdict.review is not None:
        item = verdict.review
        probability = f" (probability {item.probability:.3f})" if item.probability is not None else ""
        return [f"  uncertain, in the review queue: {item.reason}{probability}", f"    {item.explanation}"]
    return ["  no layer links them"]


def _reference_block(store, named: list[tuple[str, FacilityRef]]) -> list[str]:
    """The RMI evidence of the asked names' facilities (``named``: name asked, facility), once per
    facility; empty when neither has an ID or list entry."""
    facilities = list(dict.fromkeys(ref for _, ref in named))
    references = {ref: facility_reference(store, ref.iri) for ref in facilities}
    if not any(references.values()):
        return []
    lines = ["reference (RMI smelter IDs):"]
    for ref in facilities:
        found = reference_lines(references[ref], "    ")
        lines.extend([f"  {ref.label}:", *found] if found else [f"  {ref.label}: no RMI smelter ID"])
    for name, ref in named:
        lines.extend(f"  {line}" for line in name_evidence(store, ref.iri, name))
    ids = [set(references[ref].smelter_ids) for ref in facilities]
    if len(ids) == 2 and all(ids) and ids[0] != ids[1]:
        lines.append(f"  different RMI smelter IDs ({', '.join(sorted(ids[0]))} / {', '.join(sorted(ids[1]))}): "
                     "the identifier layer never makes them one facility")
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
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
    stored = load_resolution(store)
    blocks = []
    for metal in metals:
        a: FacilityRef = next(r for r in left if r.metal == metal)
        b: FacilityRef = next(r for r in right if r.metal == metal)
        names_a, names_b = decision_names(store, a), decision_names(store, b)
        da, db = _decision_of(stored, names_a, args.name_a), _decision_of(stored, names_b, args.name_b)
        verdict = "the SAME facility" if a.iri == b.iri else "DIFFERENT facilities"
        lines = [
            f"{metal}: {verdict} in the built graph",
            f"  '{args.name_a}' -> {a.label}   [{stored.oracle.decisions[da].key}]",
            f"  '{args.name_b}' -> {b.label}   [{stored.oracle.decisions[db].key}]",
            *_reference_block(store, [(args.name_a, a), (args.name_b, b)]),
            "why (the build's decisions):",
            *_why(stored, {**names_a, **names_b}, da, db),
        ]
        if stored.oracle.verdict(da, db).same is False:
            alone = explain_names(metal, (args.name_a, stored.oracle.decisions[da].country), (args.name_b, stored.oracle.decisions[db].country), ledger)
            outcome = {True: "same", False: "different", None: "uncertain (review band)"}[alone.same]
            lines.append(f"  the scorer on the two names alone (not a build decision): {outcome} by {alone.layer}: {alone.detail}")
        blocks.append("\n".join(lines))
    print("\n\n".join(blocks))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="are two names one facility in the built graph, and why (layer, rule or match weights)",
        description="Say whether NAME_A and NAME_B (any known spellings) are one facility in the built graph and "
        "why, from the build's own decisions: the chain of layers (normalised key, reference list, identifier, "
        "ledger entry, Splink match weights) that joined their key groups; the review-queue item that holds them "
        "apart; or, when no layer links them, what the scorer says of the two names alone. Facilities with RMI "
        "smelter IDs also show the IDs and what the reference lists say of them and of the two names.",
    )
    parser.add_argument("name_a", metavar="NAME_A")
    parser.add_argument("name_b", metavar="NAME_B")
    parser.add_argument("--metal", help="only this metal")
    parser.add_argument("--ledger", metavar="FILE", help="analysts' ledger (default: $SMELTERKG_LEDGER or ./smelterkg-ledger.csv)")
    add_store_option(parser)
    parser.set_defaults(handler=run)
