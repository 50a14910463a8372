"""What an analyst reviews: the pairs of names the resolver could neither merge nor rule out (with
their match weights), and the rename candidates (a facility that stopped being listed the year
another started), each with the ``smelterkg judge`` command that records an answer.
"""

from __future__ import annotations

import shlex

from pyoxigraph import Store

from smelterkg.queries.facilities import PREFIXES, country_of_key

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


def judge_command(a: str, b: str, metal: str) -> str:
    """The command line that records an analyst's answer on names ``a`` and ``b``."""
    return f"smelterkg judge {shlex.quote(a)} {shlex.quote(b)} same|different --metal {metal} --evidence '...'"


def _values(solution, names: tuple[str, ...]) -> dict[str, str]:
    return {k: (solution[k].value if solution[k] is not None else "") for k in names}


def review_rows(store: Store) -> list[dict[str, str]]:
    """The uncertain pairs (most likely first), then the rename candidates (by rank), as records
    with the keys of COLUMNS."""
    rows = []
    for s in store.query(PAIRS, use_default_graph_as_union=True):
        v = _values(s, ("metal", "score", "reason", "explanation", "leftKey", "rightKey", "leftName", "rightName"))
        rows.append({
            "kind": "pair", "metal": v["metal"], "name_a": v["leftName"], "country_a": country_of_key(v["leftKey"]),
            "name_b": v["rightName"], "country_b": country_of_key(v["rightKey"]),
            "score": f"{float(v['score']):.3f}" if v["score"] else "", "reason": v["reason"],
            "explanation": v["explanation"], "judge": judge_command(v["leftName"], v["rightName"], v["metal"]),
        })
    for s in store.query(CANDIDATES, use_default_graph_as_union=True):
        v = _values(s, ("metal", "rank", "support", "reason", "oldLabel", "newLabel", "oldCountry", "newCountry"))
        rows.append({
            "kind": "rename-candidate", "metal": v["metal"], "name_a": v["oldLabel"], "country_a": v["oldCountry"],
            "name_b": v["newLabel"], "country_b": v["newCountry"], "score": v["support"],
            "reason": f"possible rename (never merged automatically): {v['reason']}", "explanation": "",
            "judge": judge_command(v["oldLabel"], v["newLabel"], v["metal"]) + "   # or add a rename with its evidence to the ledger",
        })
    return rows
