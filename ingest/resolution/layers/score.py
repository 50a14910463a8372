"""The score layer: Splink match probabilities for the key groups left, blocked by metal.

Pairs in the merge band become scored edges (applied strongest first by the clusterer); pairs
scored as sister facilities, or listed side by side by most reports that list either, are kept
apart. Two passes: what makes a word distinctive is how many facilities print it, but counted
over key groups ten misspellings of one name make its words look common — so the second pass
counts them over the facilities the first pass found."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from smelterkg.ingest.resolution.clustering import Edge, cluster
from smelterkg.ingest.resolution.layers.state import Link, ResolutionState
from smelterkg.ingest.resolution.scoring import ScoredPair, Scores, WordFrequency, distinct_changes, score
from smelterkg.ingest.resolution.variants import KeyGroup

COLISTED_APART = 2  # groups listed side by side by this many reports (and by most that list
# either) are sister facilities to the clusterer: never chained into one through other pairs


class ScoreLayer:
    name = "score"

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        # A misspelling the spelling layer joined to its facility is not scored: its name is
        # evidence only through the name it misspells ("Gloal Advanced Metals" and "Gloal Advanced
        # Metals Boyertown" share a typo, not a facility), and left in it would fill the blocks
        # of the names it misspells (at 1,000 reports "uralelectromed" is printed by 40 groups).
        misspelled = {edge.left for edge in state.attached}
        units = [g for g in range(len(state.groups)) if g not in misspelled]
        word_frequency = None
        if misspelled:  # ... and its words count with its facility, not as a facility of their own
            known = cluster(len(state.groups), state.must, (), state.cannot, (), state.ids, state.attached).clusters
            word_frequency = facility_word_frequency(state.groups, known)
        first = self._score(state, units, word_frequency)
        state.candidate_pairs = first.compared
        pairs: Sequence[ScoredPair] = first
        edges, apart = self._judge(state, pairs)
        clusters = cluster(len(state.groups), state.must, edges, state.cannot, apart, state.ids, state.attached).clusters
        word_frequency = facility_word_frequency(state.groups, clusters)
        # Only the groups whose distinctive words change score differently on the second pass:
        # the first pass's pairs between the others stand as they are.
        changed = {units[i] for i in distinct_changes([state.groups[g] for g in units], word_frequency)}
        if changed:
            kept = [p for p in pairs if p.left not in changed and p.right not in changed]
            rescored = self._score(state, units, word_frequency, changed)
            pairs = sorted(kept + list(rescored), key=lambda p: (p.left, p.right))
            edges, apart = self._judge(state, pairs)
        state.pairs = {(p.left, p.right): p for p in pairs}
        state.scored.extend(edges)
        state.apart.extend(apart)
        state.timed("score", time.perf_counter() - started)

    @staticmethod
    def _score(
        state: ResolutionState, units: Sequence[int], word_frequency: WordFrequency | None, rescore: set[int] | None = None
    ) -> Scores:
        """``score`` over the groups ``units`` (indices into ``state.groups``), its pairs numbered
        as in ``state.groups``."""
        position = {g: i for i, g in enumerate(units)}
        found = score(
            [state.groups[g] for g in units], state.model, word_frequency=word_frequency,
            rescore=None if rescore is None else {position[g] for g in rescore},
        )
        pairs = Scores(replace(p, left=units[p.left], right=units[p.right]) for p in found)
        pairs.compared = found.compared
        return pairs

    def _judge(self, state: ResolutionState, pairs: Sequence[ScoredPair]) -> tuple[list[Edge], list[Link]]:
        """The merge-band edges among the scored pairs and the pairs kept apart."""
        groups, model = state.groups, state.model
        edges = [
            Edge(p.left, p.right, self.name, p.explain(), p.match_probability)
            for p in pairs
            if p.match_probability >= model.merge_threshold and (p.left, p.right) not in state.unsure
        ]
        apart: list[Link] = [(p.left, p.right, f"scored as sister facilities: {p.explain()}") for p in pairs if p.apart]
        apart += [
            (p.left, p.right, f"listed side by side by {len(groups[p.left].documents & groups[p.right].documents)} reports")
            for p in pairs
            if colisted(groups[p.left], groups[p.right])
        ]
        return edges, apart


def colisted(a: KeyGroup, b: KeyGroup) -> bool:
    """Listed side by side by COLISTED_APART reports or more, and by most reports that list either."""
    shared = len(a.documents & b.documents)
    return shared >= COLISTED_APART and 2 * shared >= len(a.documents | b.documents)


def facility_word_frequency(groups: Sequence[KeyGroup], clusters: Sequence[Sequence[int]]) -> dict[tuple[str, str], int]:
    """(metal, word) -> how many facilities (clusters) print the word."""
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    for members in clusters:
        words = {(groups[g].metal, t) for g in members for v in groups[g].variants for t in v.structure.core}
        for key in words:
            frequency[key] += 1
    return frequency
