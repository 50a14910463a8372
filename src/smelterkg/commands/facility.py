"""`smelterkg facility NAME`: a facility's card — its RMI smelter ID and what the reference lists
say of it (when the store was built with ``--reference`` or the ID printed), names by year, status
by year and source (with lines), events with their evidence, and how its name groups were
resolved."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from smelterkg.commands import add_store_option, error, open_store
from smelterkg.queries.facilities import FacilityCard, NameNotFound, facility_card, find_facilities
from smelterkg.queries.reference_evidence import reference_lines
from smelterkg.store import StoreError


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years) or "year unknown"


def render(card: FacilityCard) -> str:
    ref = card.ref
    lines = [f"{ref.label}  [{ref.metal}]", f"  IRI: {ref.iri}"]
    if card.countries:
        lines.append(f"  country: {', '.join(card.countries)}" + ("  (reported differently by sources)" if len(card.countries) > 1 else ""))
    lines.extend(reference_lines(card.reference))  # RMI IDs and what the reference lists say; none without
    lines.append("  names:")
    lines.extend(f"    {name}  ({_years(years)})" for name, years in card.names)
    lines.append("  status by year:")
    for s in card.statuses:
        status = s["status"] or "(no status printed)"
        canonical = f" -> {s['canonical']}" if s["canonical"] and s["canonical"] != s["status"] else ""
        filer = f", {s['filer']}" if s["filer"] else ""
        lines.append(f"    {s['year']}  {status}{canonical}  [{s['source']} line {s['line']}{filer}: \"{s['name']}\"]")
    if card.events:
        lines.append("  events:")
        for e in card.events:
            bracket = f"between {e['notBefore'] or '?'} and {e['notAfter'] or '?'}"
            stated = f", stated {e['statedYear']}" if e["statedYear"] else ""
            if e["type"] == "NameChange":
                what = f"renamed '{e['oldName']}' -> '{e['newName']}'"
            elif e["type"] == "Absorption":
                what = f"'{e['originalLabel']}' absorbed into '{e['resultingLabels']}'"
            else:
                what = f"'{e['originalLabel']}' split into: {e['resultingLabels']}"
            lines.append(f"    {what} ({bracket}{stated})")
            lines.append(f"      evidence: {e['evidence']}")
    lines.append("  resolved from:")
    for d in card.decisions:
        score = f", probability {float(d['score']):.3f}" if d["score"] else ""
        lines.append(f"    {d['key']}: {d['method']}{score} — {d['reason']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
        refs = find_facilities(store, args.name, args.metal)
    except (StoreError, NameNotFound) as problem:
        error(str(problem))
        return 1
    cards = [facility_card(store, ref) for ref in refs]
    if args.format == "json":
        json.dump([asdict(card) for card in cards], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        if len(cards) > 1:
            print(f"'{args.name}' names {len(cards)} facilities:", file=sys.stderr)
        print("\n\n".join(render(card) for card in cards))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "facility",
        help="a facility's card: RMI smelter ID and reference lists, names by year, status by year and source, events, "
        "resolution",
        description="Show what the store knows about the facility (or facilities, one per metal) listed under "
        "NAME: any known spelling, case-insensitive. Unknown names get close matches.",
    )
    parser.add_argument("name", metavar="NAME", help="a facility name, any spelling, or its RMI smelter ID (CID002100)")
    parser.add_argument("--metal", help="only the facility of this metal")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_store_option(parser)
    parser.set_defaults(handler=run)
