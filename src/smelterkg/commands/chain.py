"""`smelterkg chain NAME`: the rename, split and absorption chain of a facility, as a tree in the
terminal, a timeline picture (SVG, PNG, interactive offline HTML) or a graph for other tools (DOT,
Mermaid, GraphML)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smelterkg.commands import add_store_option, error, info, open_store
from smelterkg.output import OutputError, is_stdout, output
from smelterkg.pictures.render import BINARY_FORMATS, CHAIN_FORMATS, EXTENSION_FORMATS, render_chain
from smelterkg.queries.chains import chain_of
from smelterkg.queries.facilities import NameNotFound
from smelterkg.store import StoreError


def _format(requested: str | None, target: str | None) -> str:
    if requested:
        return requested
    if not is_stdout(target):
        return EXTENSION_FORMATS.get(Path(target).suffix.lower(), "text")
    return "text"


def run(args: argparse.Namespace) -> int:
    fmt = _format(args.format, args.output)
    to_stdout = is_stdout(args.output)
    if fmt in BINARY_FORMATS and to_stdout and sys.stdout.isatty():
        error(f"{fmt} is binary: write it to a file with -o FILE.{fmt}")
        return 2
    try:
        store = open_store(args)
        chain, refs = chain_of(store, args.name, args.metal, family=args.family)
    except (StoreError, NameNotFound) as problem:
        error(str(problem))
        return 1
    if len(refs) > 1:
        listed = "; ".join(ref.describe() for ref in refs)
        info(f"'{args.name}' names {len(refs)} facilities: {listed}. Showing all of them; choose one with --metal.")
    for problem in chain.problems:
        info(f"warning: {problem.message}")
    data = render_chain(chain, fmt)
    try:
        with output(args.output) as out:
            out.write(data)
    except OutputError as problem:
        error(str(problem))
        return 1
    except OSError as problem:
        error(f"{args.output}: cannot write the {fmt} ({problem.strerror or problem})")
        return 1
    if not to_stdout:
        info(f"wrote {args.output} ({fmt}, {len(chain.facilities)} facilities, {len(data)} bytes)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "chain",
        help="a facility's rename, split and absorption chain: tree, timeline picture or graph",
        description="Show the chain of the facility (or facilities, one per metal) listed under NAME: every "
        "facility it came from and became through renames, splits and absorptions, with its names and status "
        "by year. text: a tree; svg/png: a timeline (years across, one lane per facility); html: the same "
        "picture in one offline page, hover for the source rows; dot/mermaid/graphml for other tools. "
        "Unknown names get close matches.",
    )
    parser.add_argument("name", metavar="NAME", help="a facility name, any spelling, case-insensitive, or its RMI smelter ID")
    parser.add_argument("--format", choices=CHAIN_FORMATS,
                        help="output format (default: guessed from the -o extension, else text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--metal", help="only the facility of this metal")
    parser.add_argument("--family", action="store_true",
                        help="every facility connected by events (sister plants of one group too), not only "
                        "the ones this facility came from and became")
    add_store_option(parser)
    parser.set_defaults(handler=run)
