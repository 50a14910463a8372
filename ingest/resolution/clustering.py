"""Clustering key groups into facilities with networkx.

Positive edges come from the identifier and ledger layers (must-links) and from the scorer (pairs
in the merge band). Negative knowledge — an analyst's "different", two different smelter IDs, the
two sides of an absorption or a split — is a cannot-link. A scored edge that directly contradicts
a cannot-link is dropped; a cluster whose scored edges would chain two cannot-link members is not
merged through those edges: they go to review instead (nomenklatura's rule: a negative judgement
blocks a merge forever).
"""

from __future__ import annotations

from collections.abc import Iterable
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
    merged: list[Edge]  # edges that joined groups
    held: list[tuple[Edge, str]]  # scored edges not applied, with why (go to review)
    contradictions: list[tuple[int, int, str]]  # cannot-links that must-links join anyway


def cluster(
    size: int,
    must: Iterable[Edge],
    scored: Iterable[Edge],
    cannot: Iterable[tuple[int, int, str]],
    apart: Iterable[tuple[int, int, str]] = (),
) -> Clustering:
    """Connected components over must-links and the scored edges that respect every cannot-link.
    ``cannot``: negative knowledge (judgements, identifiers, ledger events): a must-link across
    one is reported as a contradiction. ``apart``: pairs the scorer saw as sister facilities:
    they only stop scored edges from chaining them."""
    cannot_pairs = {(min(a, b), max(a, b)): why for a, b, why in apart}
    cannot_pairs.update({(min(a, b), max(a, b)): why for a, b, why in cannot})
    hard = {(min(a, b), max(a, b)) for a, b, _ in cannot}
    graph = nx.Graph()
    graph.add_nodes_from(range(size))
    must = list(must)
    graph.add_edges_from((e.left, e.right, {"edge": e}) for e in must)
    must_component = _components(graph)
    joined = {pair for pair in cannot_pairs if must_component[pair[0]] == must_component[pair[1]]}
    contradictions = [(a, b, why) for (a, b), why in sorted(cannot_pairs.items()) if (a, b) in joined and (a, b) in hard]
    held: list[tuple[Edge, str]] = []
    candidates: list[Edge] = []
    for edge in scored:
        why = cannot_pairs.get((min(edge.left, edge.right), max(edge.left, edge.right)))
        if why is not None:
            held.append((edge, f"contradicts a negative judgement: {why}"))
        else:
            candidates.append(edge)
    trial = graph.copy()
    trial.add_edges_from((e.left, e.right) for e in candidates)
    trial_component = _components(trial)
    blocked: dict[int, str] = {}  # trial component -> why
    for (a, b), why in sorted(cannot_pairs.items()):
        if (a, b) not in joined and trial_component[a] == trial_component[b]:
            blocked.setdefault(trial_component[a], why)
    merged = list(must)
    for edge in candidates:
        why = blocked.get(trial_component[edge.left])
        if why is not None:
            held.append((edge, f"would chain groups kept apart ({why})"))
            continue
        graph.add_edge(edge.left, edge.right, edge=edge)
        merged.append(edge)
    clusters = sorted(sorted(component) for component in nx.connected_components(graph))
    return Clustering(clusters, merged, held, contradictions)


def _components(graph: nx.Graph) -> dict[int, int]:
    return {node: index for index, component in enumerate(nx.connected_components(graph)) for node in component}
