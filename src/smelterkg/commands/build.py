"""`smelterkg build`: the main job. Reports -> the graph, in an on-disk Oxigraph store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smelterkg import pipeline
from smelterkg.commands import add_store_option, error, info, store_path
from smelterkg.ingest.resolution import LedgerError, Resolution
from smelterkg.store import STORE_ENV, StoreError


def run(args: argparse.Namespace) -> int:
    target = store_path(args)
    if args.add and not args.paths:
        error("--add needs the reports to add (PATH...)")
        return 2
    try:
        result = pipeline.build(
            args.paths, target, user_ledger=Path(args.ledger) if args.ledger else None, wait=args.wait,
            references=args.reference, add=args.add,
        )  # fmt: skip
    except (StoreError, LedgerError) as problem:
        error(str(problem))
        return 1
    for problem in result.errors:
        error(str(problem))
    for warning in result.warnings:
        info(f"warning: {warning}")
    if not result.reports:
        error("no input could be read; the store was not touched")
        return 1
    if result.kept:
        info(f"kept {result.kept} documents of the store as they are")
    for report in result.reports[result.kept :]:
        stated = report.facts.stated_total
        check = "" if stated is None else f", report states {stated}"
        print(
            f"{report.source}: {report.facts.filer or 'filer unknown'} {report.facts.year or 'year unknown'}: "
            f"{len(report.rows)} rows{check}, {len(report.quarantine)} quarantined",
            file=sys.stderr,
        )
        for warning in report.warnings:
            info(f"warning: {warning}")
    if result.reference is not None:
        print("reference: " + "; ".join(f"{pipeline.list_label(ref)}, {len(ref.facilities)} smelter IDs" for ref in result.reference.lists), file=sys.stderr)
    resolution = result.resolution
    if resolution is not None:
        print(resolution_summary(resolution), file=sys.stderr)
    print(
        f"built {target}: {len(result.reports)} documents, {result.rows} rows, {result.facilities} facilities, "
        f"{result.observations} observations, {result.quads} triples, {result.quarantined} quarantined lines, "
        f"{result.seconds:.2f} s",
        file=sys.stderr,
    )
    return 0


def resolution_summary(resolution: Resolution) -> str:
    """One line: what resolution made of the name variants, per layer, and what it left for review."""
    groups = len(resolution.decisions)
    layers = ", ".join(f"{layer} {n}" for layer, n in sorted(resolution.merges_per_layer.items()))
    events = ", ".join(f"{k} {n}" for k, n in sorted(resolution.events_per_kind().items())) or "none"
    return (
        f"resolved {resolution.variant_count} name variants into {groups} key groups and "
        f"{len(resolution.facilities)} facilities (merges: {layers}); events: {events}; review queue "
        f"{len(resolution.review)}, rename candidates {len(resolution.candidates)} (smelterkg review); resolver "
        f"{sum(resolution.seconds.values()):.2f} s"
    )


def register(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser(
        "build",
        help="build the graph from reports into an on-disk store (the main job)",
        description="Read reports (files or directories; default: the bundled reports), resolve facilities and "
        f"write the graph into an Oxigraph store (default: ${STORE_ENV} or ./smelterkg-store). The store is "
        "replaced atomically: a failed, interrupted or killed build leaves the previous store untouched. One "
        "build at a time per store (a lock file .NAME.lock beside it); the next build removes what a killed one left.",
    )
    build.add_argument("paths", nargs="*", metavar="PATH", help="report files or directories (default: bundled reports)")
    add_store_option(build)
    build.add_argument(
        "--ledger", metavar="FILE",
        help="analysts' ledger read after the bundled one (default: $SMELTERKG_LEDGER or ./smelterkg-ledger.csv if present)",
    )
    build.add_argument(
        "--reference", metavar="FILE", action="append", default=[],
        help="an RMI CMRT workbook whose Smelter Look-up (smelter IDs, standard names, aliases) guides resolution, or an "
        "RMI/CFSI facility list (CSV/XLSX) whose statuses become observations as of its date (repeatable); a filled CMRT "
        "given as a PATH is read as a supplier declaration and its look-up used too",
    )
    build.add_argument(
        "--add", action="store_true",
        help="add the PATHs to the existing store: its documents are kept as they are (not read again), resolution "
        "runs over all rows, and every facility keeps its IRI",
    )
    build.add_argument(
        "--wait", action="store_true",
        help="when another build is writing the same store, wait for it to finish (default: fail at once, naming it)",
    )  # fmt: skip
    build.set_defaults(handler=run)
