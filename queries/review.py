"""What an analyst reviews: the pairs of names the resolver could neither merge nor rule out (with
their match weights), and the rename candidates (a facility that stopped being listed the year
another started), each with the ``smelterkg judge`` command that records an answer.
"""

from __future__ import annotations

import shlex

from pyoxigraph import Store

from smelterkg.queries.facilities import PREFIXES
from smelterkg.queries.resolution import first_names, load_resolution

COLUMNS = ("kind", "metal", "name_a", "country_a", "name_b", "country_b", "score", "reason", "explanation", "judge")

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


def judge_command(a: str, b: str, metal: str) -> str:
    """The command line that records an analyst's answer on names ``a`` and ``b``."""
    return f"smelterkg judge {shlex.quote(a)} {shlex.quote(b)} same|different --metal {metal} --evidence '...'"


def _values(solution, names: tuple[str, ...]) -> dict[str, str]:
    return {k: (solution[k].value if solution[k] is not None else "") for k in names}


def review_rows(store: Store) -> list[dict[str, str]]:
    """The uncertain pairs (most likely first), then the rename candidates (by rank), as records
    with the keys of COLUMNS."""
    rows = []
    stored = load_resolution(store)
    names = first_names(store)
    pairs = []
    for item in stored.oracle.review_items():  # the build's uncertain pairs, one per facility pair
        left, right = stored.oracle.decisions[item.left], stored.oracle.decisions[item.right]
        name_a, name_b = names[stored.iris[item.left]], names[stored.iris[item.right]]
        pairs.append((-(item.probability or 0.0), left.metal, left.key, right.key, {
            "kind": "pair", "metal": left.metal, "name_a": name_a, "country_a": left.country,
            "name_b": name_b, "country_b": right.country,
            "score": f"{item.probability:.3f}" if item.probability is not None else "", "reason": item.reason,
            "explanation": item.explanation, "judge": judge_command(name_a, name_b, left.metal),
        }))
    rows.extend(row for *_, row in sorted(pairs, key=lambda p: p[:4]))
    for s in store.query(CANDIDATES, use_default_graph_as_union=True):
        v = _values(s, ("metal", "rank", "support", "reason", "oldLabel", "newLabel", "oldCountry", "newCountry"))
        rows.append({
            "kind": "rename-candidate", "metal": v["metal"], "name_a": v["oldLabel"], "country_a": v["oldCountry"],
            "name_b": v["newLabel"], "country_b": v["newCountry"], "score": v["support"],
            "reason": f"possible rename (never merged automatically): {v['reason']}", "explanation": "",
            "judge": judge_command(v["oldLabel"], v["newLabel"], v["metal"]) + "   # or add a rename with its evidence to the ledger",
        })
    return rows
