"""`smelterkg review [-o FILE]`: the uncertain pairs and the rename candidates, for an analyst.

Each line ends with the `smelterkg judge` command that records an answer; answers are kept in the
user ledger and honoured on the next build.
"""

from __future__ import annotations

import argparse
import csv
import shlex
from pathlib import Path

from smelterkg.commands import error, info
from smelterkg.queries.facilities import PREFIXES, country_of_key
from smelterkg.store import STORE_ENV, StoreError, default_store, open_read_only

COLUMNS = ("kind", "metal", "name_a", "country_a", "name_b", "country_b", "score", "reason", "explanation", "judge")

PAIRS = PREFIXES + """
SELECT ?metal ?score ?reason ?explanation ?leftKey ?rightKey (MIN(?ln) AS ?leftName) (MIN(?rn) AS ?rightName) WHERE {
  ?item a skg:ReviewItem ; skg:metal/skos:notation ?metal ; skg:left ?l ; skg:right ?r ;
        skg:reason ?reason ; skg:explanation ?explanation .
  OPTIONAL { ?item skg:score ?score }
  ?l skg:normalisedKey ?leftKey ; skg:row/skg:printedName ?ln .
  ?r skg:normalisedKey ?rightKey ; skg:row/skg:printedName ?rn .
}
GROUP BY ?metal ?score ?reason ?explanation ?leftKey ?rightKey
ORDER BY DESC(?score) ?metal ?leftKey ?rightKey
"""

CANDIDATES = PREFIXES + """
SELECT ?metal ?rank ?support ?reason ?oldLabel ?newLabel (MIN(?oc) AS ?oldCountry) (MIN(?nc) AS ?newCountry) WHERE {
  ?c a skg:RenameCandidate ; skg:metal/skos:notation ?metal ; skg:rank ?rank ; skg:support ?support ;
     skg:reason ?reason ; skg:oldFacility ?old ; skg:newFacility ?new .
  ?old rdfs:label ?oldLabel . ?new rdfs:label ?newLabel .
  OPTIONAL { ?old skg:country/skos:notation ?oc } OPTIONAL { ?new skg:country/skos:notation ?nc }
}
GROUP BY ?metal ?rank ?support ?reason ?oldLabel ?newLabel
ORDER BY ?rank
"""


def _judge(a: str, b: str, metal: str) -> str:
    return f"smelterkg judge {shlex.quote(a)} {shlex.quote(b)} same|different --metal {metal} --evidence '...'"


def review_rows(store) -> list[dict[str, str]]:
    rows = []
    for s in store.query(PAIRS, use_default_graph_as_union=True):
        v = {k: (s[k].value if s[k] is not None else "") for k in ("metal", "score", "reason", "explanation", "leftKey", "rightKey", "leftName", "rightName")}
        rows.append({
            "kind": "pair", "metal": v["metal"], "name_a": v["leftName"], "country_a": country_of_key(v["leftKey"]),
            "name_b": v["rightName"], "country_b": country_of_key(v["rightKey"]),
            "score": f"{float(v['score']):.3f}" if v["score"] else "", "reason": v["reason"],
            "explanation": v["explanation"], "judge": _judge(v["leftName"], v["rightName"], v["metal"]),
        })
    for s in store.query(CANDIDATES, use_default_graph_as_union=True):
        v = {k: (s[k].value if s[k] is not None else "") for k in ("metal", "rank", "support", "reason", "oldLabel", "newLabel", "oldCountry", "newCountry")}
        rows.append({
            "kind": "rename-candidate", "metal": v["metal"], "name_a": v["oldLabel"], "country_a": v["oldCountry"],
            "name_b": v["newLabel"], "country_b": v["newCountry"], "score": v["support"],
            "reason": f"possible rename (never merged automatically): {v['reason']}", "explanation": "",
            "judge": _judge(v["oldLabel"], v["newLabel"], v["metal"]) + "   # or add a rename with its evidence to the ledger",
        })
    return rows


def run(args: argparse.Namespace) -> int:
    try:
        store = open_read_only(Path(args.store) if args.store else default_store())
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
    parser.add_argument("--store", metavar="DIR", help=f"store directory (default: ${STORE_ENV} or ./smelterkg-store)")
    parser.set_defaults(handler=run)
