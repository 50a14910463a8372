"""Why two names are (or are not) one facility, looked at in isolation.

Runs the layers on just the two names: the same normalised key and country family; a ledger
entry naming both; else the scorer's match weights per comparison. Word frequencies (what counts
as a distinctive word) come from the two names alone, so the weights can differ from those of the
full build; `smelterkg explain` prints the build's own decisions next to these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smelterkg.ingest.resolution.ledger import LedgerEntry
from smelterkg.ingest.resolution.names import structure
from smelterkg.ingest.resolution.scoring import Model, ScoredPair, bundled_model, score
from smelterkg.ingest.resolution.variants import Variant, countries_compatible, group_by_key

ALL_PAIRS = ("l.metal = r.metal",)


@dataclass(frozen=True)
class PairExplanation:
    layer: str  # "normalised-key", "ledger" or "score"
    same: bool | None  # None: undecided (review band)
    detail: str
    scored: ScoredPair | None = None


def explain_names(
    metal: str, left: tuple[str, str], right: tuple[str, str], ledger: Sequence[LedgerEntry] = (), model: Model | None = None
) -> PairExplanation:
    """``left``/``right``: (printed name, ISO country code or '')."""
    model = model or bundled_model()
    keys = (structure(left[0]).key, structure(right[0]).key)
    if keys[0] == keys[1] and countries_compatible(left[1], right[1]):
        return PairExplanation("normalised-key", True, f"same normalised key '{keys[0]}' and compatible countries")
    for entry in ledger:
        ends = {(structure(entry.subject).key, entry.metal), (structure(entry.object).key, entry.metal)}
        if entry.metal == metal and ends == {(keys[0], metal), (keys[1], metal)}:
            same = {"rename": True, "trade-name": True, "same": True, "unsure": None}.get(entry.kind, False)
            return PairExplanation("ledger", same, f"ledger {entry.kind} ({entry.source}, {entry.date}; {entry.origin})")
    groups = group_by_key([Variant(metal, left[0], left[1]), Variant(metal, right[0], right[1])])
    pairs = score(groups, model, threshold=0.0, blocking_rules=ALL_PAIRS)
    pair = pairs[0]
    if pair.match_probability >= model.merge_threshold:
        verdict: bool | None = True
    elif pair.match_probability >= model.review_threshold:
        verdict = None
    else:
        verdict = False
    return PairExplanation("score", verdict, pair.explain(), pair)
