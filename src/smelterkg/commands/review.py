"""`smelterkg review [-o FILE]`: the uncertain pairs and the rename candidates, for an analyst.

Each line ends with the `smelterkg judge` command that records an answer; answers are kept in the
user ledger and honoured on the next build. The queries are smelterkg.queries.review.
"""

from __future__ import annotations

import argparse
import csv

from smelterkg.commands import add_store_option, error, info, open_store
from smelterkg.queries.review import COLUMNS, review_rows
from smelterkg.store import StoreError


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
    except StoreError as problem:
        error(str(problem))
        return 1
    rows = review_rows(store)
    pairs = sum(1 for r in rows if r["kind"] == "pair")
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS)
                writer.writeheader()
                writer.writerows(rows)
        except OSError as problem:
            error(f"{args.output}: cannot write ({problem.strerror})")
            return 1
    else:
        for r in rows:
            score = f" [{r['score']}]" if r["score"] else ""
            print(f"{r['kind']} {r['metal']}{score}: '{r['name_a']}' ({r['country_a'] or '?'}) ~ '{r['name_b']}' ({r['country_b'] or '?'})")
            print(f"    {r['reason']}")
            if r["explanation"]:
                print(f"    {r['explanation']}")
            print(f"    {r['judge']}")
    info(f"{pairs} uncertain pairs, {len(rows) - pairs} rename candidates" + (f" written to {args.output}" if args.output else ""))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "review",
        help="the uncertain pairs and rename candidates, for an analyst to judge",
        description="List the pairs of names the resolver could neither merge nor rule out (with match weights) and "
        "the facilities that stopped being listed the year another started (possible renames), each with the "
        "`smelterkg judge` command that records an answer.",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write CSV to FILE instead of text to stdout")
    add_store_option(parser)
    parser.set_defaults(handler=run)
