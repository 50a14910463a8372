"""Clustering key groups into facilities with networkx.

Positive edges come from the identifier and ledger layers (must-links), from the spelling layer
(a misspelling attached to the name it misspells) and from the scorer (pairs in the merge band).
Negative knowledge — an analyst's "different", two different smelter IDs, the two sides of an
absorption or a split, sister facilities seen by the scorer or listed side by side by reports — is
a cannot-link. Scored edges are taken strongest first (constrained agglomeration); one that would
put two cannot-link members in one cluster, directly or through a chain, is not applied and goes
to review instead (nomenklatura's rule: a negative judgement blocks a merge forever). The
facilities are the connected components (networkx) of the edges applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from dataclasses import dataclass

import networkx as nx



@dataclass(frozen=True)
class Edge:
    left: int
    right: int
    layer: str  # "identifier", "ledger", "score"
    rule: str
    probability: float | None = None


@dataclass(frozen=True)
class Clustering:
    clusters: list[list[int]]  # sorted members, clusters sorted by first member
    merged: list[Edge]  # edges that joined two clusters (a spanning forest of each cluster)
    held: list[tuple[Edge, str]]  # scored edges not applied, with why (go to review)
    contradictions: list[tuple[int, int, str]]  # cannot-links that must-links join anyway


def _different_ids(a: frozenset[str], b: frozenset[str]) -> str:
    first, second = sorted((min(a), min(b)))
    return f"different smelter IDs {first} / {second}"


def cluster(
    size: int,
    must: Iterable[Edge],
    scored: Iterable[Edge],
    cannot: Iterable[tuple[int, int, str]],
    apart: Iterable[tuple[int, int, str]] = (),
    ids: Sequence[frozenset[str]] = (),
    attached: Iterable[Edge] = (),
) -> Clustering:
    """Must-links first; then ``attached`` (below); then scored edges from the most to the least
    probable, each merging two clusters unless that would put a cannot-link pair in one cluster
    (then it goes to review).
    ``cannot``: negative knowledge (judgements, identifiers, ledger events): a must-link across
    one is reported as a contradiction. ``apart``: pairs the scorer or the reports say are
    sister facilities: they only stop scored edges from joining them, directly or through others.
    ``ids``: each group's smelter IDs; two groups whose IDs share none are a cannot-link, checked
    per cluster (the distinct ID sets of its members) rather than listed pair by pair, which would
    be quadratic in the groups that carry an ID. ``attached``: edges that join a group to the
    facility of a name it misspells (the spelling layer, which weighs the pair's own evidence
    itself), applied after the must-links and before the scored edges — so a misspelling sits in
    its facility before the scorer's weaker edges between two misspellings are weighed, and a
    cannot-link between their facilities stops those. Only a cannot-link or two smelter IDs between
    the two clusters stop an attached edge, not the scorer's pairs kept apart, which see two
    misspellings of one word as unlike words."""
    hard = {(min(a, b), max(a, b)): why for a, b, why in cannot}
    kept_apart = {(min(a, b), max(a, b)): why for a, b, why in apart}
    kept_apart.update(hard)
    partners: dict[int, dict[int, str]] = {}
    for (a, b), why in kept_apart.items():
        partners.setdefault(a, {})[b] = why
        partners.setdefault(b, {})[a] = why
    root = list(range(size))
    members: dict[int, set[int]] = {node: {node} for node in range(size)}
    id_sets: dict[int, dict[frozenset[str], int]] = {g: {s: g} for g, s in enumerate(ids) if s}  # root -> ID set -> a group
    merged: list[Edge] = []  # the edges that joined two clusters: a spanning forest

    def join(edge: Edge) -> None:
        small, large = sorted((root[edge.left], root[edge.right]), key=lambda r: (len(members[r]), r))
        for node in members[small]:
            root[node] = large
        members[large] |= members.pop(small)
        if small in id_sets:
            mine = id_sets.setdefault(large, {})
            for id_set, group in id_sets.pop(small).items():
                mine[id_set] = min(group, mine.get(id_set, group))
        merged.append(edge)

    for edge in must:
        if root[edge.left] != root[edge.right]:
            join(edge)
    contradictions = [(a, b, why) for (a, b), why in sorted(hard.items()) if root[a] == root[b]]
    for sets in id_sets.values():
        contradictions.extend(
            (min(a, b), max(a, b), _different_ids(s, t)) for (s, a), (t, b) in combinations(sorted(sets.items(), key=lambda x: x[1]), 2) if not s & t
        )
    contradictions.sort()
    held: list[tuple[Edge, str]] = []

    def conflict_of(left: int, right: int, apart_too: bool) -> str | None:
        """Why joining the clusters of roots ``left`` and ``right`` would break a cannot-link (or,
        ``apart_too``, a pair kept apart) or put two smelter IDs in one facility; None if nothing."""
        small, large = sorted((left, right), key=lambda r: len(members[r]))
        across = (
            why
            for node in members[small]
            for partner, why in partners.get(node, {}).items()
            if root[partner] == large and (apart_too or (min(node, partner), max(node, partner)) in hard)
        )
        found = next(across, None)
        if found is None:
            found = next((_different_ids(s, t) for s in id_sets.get(left, ()) for t in id_sets.get(right, ()) if not s & t), None)
        return found

    def apply(edges: Iterable[Edge], apart_too: bool) -> None:
        for edge in edges:
            left, right = root[edge.left], root[edge.right]
            if left == right:
                continue
            conflict = conflict_of(left, right, apart_too)
            if conflict is not None:
                held.append((edge, f"would join groups kept apart ({conflict})"))
            else:
                join(edge)

    apply(attached, apart_too=False)
    apply(sorted(scored, key=lambda e: (-(e.probability or 0.0), e.left, e.right)), apart_too=True)
    graph = nx.Graph()
    graph.add_nodes_from(range(size))
    graph.add_edges_from((e.left, e.right) for e in merged)
    clusters = sorted(sorted(component) for component in nx.connected_components(graph))
    return Clustering(clusters, merged, held, contradictions)
