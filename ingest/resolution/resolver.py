"""The layered resolver: which facility each mention is about, and why.

Layers, cheapest and surest first (``../shared/design/resolution.md``):

1. identifier  — rows with the same RMI smelter ID (CID) are one facility; two IDs, two facilities;
2. ledger      — curated renames and trade names join facilities; absorptions, splits and
                 analysts' "different" keep them apart; "unsure" goes to review;
3. normalised key — variants whose keys and countries agree are one key group (variants.py);
4. score       — Splink scores the key groups that are left, blocked by metal (scoring.py);
5. clustering  — networkx components over the positive edges, honouring every cannot-link
                 (clustering.py).

The result names, for every row, its key group and facility, the layer that put it there and the
reason; and for the whole run the merges, the review queue, rename candidates and the ledger's
events with the facilities they concern.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution.candidates import FacilitySpan, RenameCandidate, rename_candidates
from smelterkg.ingest.resolution.clustering import Edge, cluster
from smelterkg.ingest.resolution.ledger import SAME_FACILITY, LedgerEntry
from smelterkg.ingest.resolution.scoring import Model, ScoredPair, bundled_model, score
from smelterkg.ingest.resolution.variants import GroupIndex, KeyGroup, collect_variants, group_by_key

KEY_METHOD = "normalised-key"
COLISTED_APART = 2  # groups listed side by side by this many reports (and by most that list
# either) are sister facilities to the clusterer: never chained into one through other pairs


@dataclass(frozen=True)
class Resolution:
    """A mention's facility: its key group, the facility's key, how it was decided and why."""

    metal: str
    key: str  # the key group's id (normalised key + country family)
    facility: str  # the facility's key: its representative group's id
    method: str  # layer that attached the key group to the facility
    reason: str
    score: float | None = None


@dataclass
class Facility:
    metal: str
    groups: list[int]
    representative: int


@dataclass(frozen=True)
class Event:
    """A ledger event between facilities (rename: the same facility before and after)."""

    entry: LedgerEntry
    subject: int  # facility index
    objects: tuple[int, ...]
    subject_groups: tuple[int, ...]
    object_groups: tuple[int, ...]


@dataclass(frozen=True)
class ReviewItem:
    left: int  # key group indices
    right: int
    reason: str
    probability: float | None
    explanation: str


@dataclass
class ResolutionResult:
    groups: list[KeyGroup]
    facilities: list[Facility]
    facility_of_group: list[int]
    rows: list[list[Resolution | None]]
    merges: list[Edge]
    review: list[ReviewItem]
    events: list[Event]
    candidates: list[RenameCandidate]
    ledger: list[LedgerEntry]
    unmatched_ledger: list[LedgerEntry]
    contradictions: list[str]
    group_resolutions: list[Resolution] = field(default_factory=list)
    scored: dict[tuple[int, int], ScoredPair] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def facility_labels(self) -> list[str]:
        """Each facility's most printed name of its latest year."""
        labels = []
        for facility in self.facilities:
            variants = [v for g in facility.groups for v in self.groups[g].variants]
            latest = max((max(v.years, default=0) for v in variants), default=0)
            current = [v for v in variants if latest in v.years] or variants
            labels.append(min(current, key=lambda v: (-len(v.rows), v.name)).name)
        return labels

    def facility_key(self, facility: int) -> str:
        return self.groups[self.facilities[facility].representative].id

    def merges_per_layer(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        counts[KEY_METHOD] = sum(len(g.variants) - 1 for g in self.groups)
        for edge in self.merges:
            counts[edge.layer] += 1
        return dict(counts)


def _ledger_layer(
    entries: Sequence[LedgerEntry], groups: Sequence[KeyGroup]
) -> tuple[list[Edge], list[tuple[int, int, str]], list[tuple[LedgerEntry, list[int], list[int]]], list[LedgerEntry]]:
    index = GroupIndex(groups)
    must: list[Edge] = []
    cannot: list[tuple[int, int, str]] = []
    matched: list[tuple[LedgerEntry, list[int], list[int]]] = []
    unmatched: list[LedgerEntry] = []
    for entry in entries:
        subjects = index.find(entry.metal, entry.subject, entry.subject_country)
        objects = index.find(entry.metal, entry.object, entry.object_country)
        if not subjects or not objects:
            unmatched.append(entry)
            continue
        matched.append((entry, subjects, objects))
        rule = f"ledger {entry.kind}: '{entry.subject}' / '{entry.object}' ({entry.source}, {entry.date})"
        for a in subjects:
            for b in objects:
                if a == b:
                    continue
                if entry.kind in SAME_FACILITY:
                    must.append(Edge(min(a, b), max(a, b), "ledger", rule))
                elif entry.kind != "unsure":
                    cannot.append((a, b, rule))
    return must, cannot, matched, unmatched


def _identifier_layer(groups: Sequence[KeyGroup]) -> tuple[list[Edge], list[tuple[int, int, str]]]:
    by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        for smelter_id in sorted({i for v in group.variants for i in v.smelter_ids}):
            by_id[(group.metal, smelter_id)].append(index)
    must = [
        Edge(members[0], other, "identifier", f"same smelter ID {smelter_id}")
        for (_, smelter_id), members in sorted(by_id.items())
        for other in members[1:]
    ]
    ids = {i: {s for v in g.variants for s in v.smelter_ids} for i, g in enumerate(groups)}
    cannot = []
    with_ids = [i for i, s in ids.items() if s]
    by_metal: dict[str, list[int]] = defaultdict(list)
    for i in with_ids:
        by_metal[groups[i].metal].append(i)
    for members in by_metal.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if not ids[a] & ids[b]:
                    cannot.append((a, b, f"different smelter IDs {sorted(ids[a])[0]} / {sorted(ids[b])[0]}"))
    return must, cannot


def _representative(members: Sequence[int], groups: Sequence[KeyGroup]) -> int:
    """The group a facility is named after (its IRI): the earliest listed, then the most printed."""
    return min(members, key=lambda g: (min(groups[g].years, default=9999), -groups[g].row_count, groups[g].id))


def resolve_reports(
    reports_rows: Sequence[tuple[int | None, Sequence[MentionRow]]],
    ledger: Sequence[LedgerEntry] = (),
    model: Model | None = None,
) -> ResolutionResult:
    """Resolve every row of every report. ``reports_rows``: (reporting year, rows) per report."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    variants, variant_of_row = collect_variants(reports_rows)
    groups = group_by_key(variants)
    group_of_variant = {id(v): index for index, group in enumerate(groups) for v in group.variants}
    timings["keys"] = time.perf_counter() - started

    started = time.perf_counter()
    id_must, id_cannot = _identifier_layer(groups)
    ledger_must, ledger_cannot, matched, unmatched = _ledger_layer(ledger, groups)
    timings["ledger"] = time.perf_counter() - started

    model = model or bundled_model()
    unsure = {(min(a, b), max(a, b)) for entry, subjects, objects in matched if entry.kind == "unsure" for a in subjects for b in objects}
    must_pairs = {(e.left, e.right) for e in id_must + ledger_must}

    def scored_clustering(word_frequency):
        started = time.perf_counter()
        pairs = score(groups, model, word_frequency=word_frequency)
        timings["score"] = timings.get("score", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        merge_edges = [
            Edge(p.left, p.right, "score", p.explain(), p.match_probability)
            for p in pairs
            if p.match_probability >= model.merge_threshold and (p.left, p.right) not in unsure
        ]
        apart = [(p.left, p.right, f"scored as sister facilities: {p.explain()}") for p in pairs if p.apart]
        apart += [
            (p.left, p.right, f"listed side by side by {len(shared)} reports")
            for p in pairs
            if len(shared := groups[p.left].documents & groups[p.right].documents) >= COLISTED_APART
            and 2 * len(shared) >= len(groups[p.left].documents | groups[p.right].documents)
        ]
        result = cluster(len(groups), id_must + ledger_must, merge_edges, id_cannot + ledger_cannot, apart)
        timings["cluster"] = timings.get("cluster", 0.0) + time.perf_counter() - started
        return pairs, result

    # Two passes: word frequencies decide what is distinctive; counted over key groups, ten
    # misspellings of one name make its words look common, so the second pass counts them over
    # the first pass's facilities.
    pairs, clustering = scored_clustering(None)
    pairs, clustering = scored_clustering(_facility_word_frequency(groups, clustering.clusters))
    started = time.perf_counter()
    scored = {(p.left, p.right): p for p in pairs}
    clusters = clustering.clusters
    facility_of_group = [0] * len(groups)
    facilities: list[Facility] = []
    for members in clusters:
        for g in members:
            facility_of_group[g] = len(facilities)
        facilities.append(Facility(groups[members[0]].metal, members, _representative(members, groups)))

    # The review queue: one item per pair of facilities, the most probable of their group pairs.
    candidates_for_review: list[ReviewItem] = []
    for edge, why in clustering.held:
        pair = scored[(edge.left, edge.right)]
        candidates_for_review.append(ReviewItem(edge.left, edge.right, why, pair.match_probability, pair.explain()))
    for (a, b), pair in sorted(scored.items()):
        if (a, b) in must_pairs:
            continue
        if (a, b) in unsure:
            candidates_for_review.append(ReviewItem(a, b, "an analyst marked this pair unsure", pair.match_probability, pair.explain()))
        elif model.review_threshold <= pair.match_probability < model.merge_threshold:
            candidates_for_review.append(ReviewItem(a, b, "match probability in the review band", pair.match_probability, pair.explain()))
    best_per_facilities: dict[tuple[int, int], ReviewItem] = {}
    for item in sorted(candidates_for_review, key=lambda item: (-(item.probability or 0.0), item.left, item.right)):
        facilities_pair = tuple(sorted((facility_of_group[item.left], facility_of_group[item.right])))
        if facilities_pair[0] != facilities_pair[1]:
            best_per_facilities.setdefault(facilities_pair, item)
    review = list(best_per_facilities.values())

    per_group = _group_resolutions(groups, facilities, clustering.merged)
    rows = [
        [
            None if (variant := variant_of_row.get((report_index, row_index))) is None else per_group[group_of_variant[id(variant)]]
            for row_index in range(len(report_rows))
        ]
        for report_index, (_, report_rows) in enumerate(reports_rows)
    ]
    events = [
        Event(
            entry,
            facility_of_group[subjects[0]],
            tuple(sorted({facility_of_group[o] for o in objects})),
            tuple(subjects),
            tuple(objects),
        )
        for entry, subjects, objects in matched
        if entry.is_event
    ]
    spans = [_span(index, facility, groups) for index, facility in enumerate(facilities)]
    linked = {(e.subject, o) for e in events for o in e.objects}
    years = sorted({year for year, _ in reports_rows if year is not None})
    candidates = rename_candidates(spans, years, linked)
    timings["cluster"] += time.perf_counter() - started
    contradictions = [f"{groups[a].names[0]} / {groups[b].names[0]}: {why}" for a, b, why in clustering.contradictions]
    return ResolutionResult(
        groups, facilities, facility_of_group, rows, clustering.merged, review, events, candidates, list(ledger),
        unmatched, contradictions, per_group, scored, timings,
    )


def _facility_word_frequency(groups: Sequence[KeyGroup], clusters: Sequence[Sequence[int]]) -> dict[tuple[str, str], int]:
    """(metal, word) -> how many facilities (clusters) print the word."""
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    for members in clusters:
        words = {(groups[g].metal, t) for g in members for v in groups[g].variants for t in v.structure.core}
        for key in words:
            frequency[key] += 1
    return frequency


def _span(index: int, facility: Facility, groups: Sequence[KeyGroup]) -> FacilitySpan:
    years = set().union(*(groups[g].years for g in facility.groups)) or {0}
    representative = groups[facility.representative]
    words = frozenset(t for g in facility.groups for v in groups[g].variants for t in v.structure.core)
    return FacilitySpan(
        index, facility.metal, representative.country, words, representative.representative().structure.spaced,
        min(years), max(years),
    )


def _attachment(facility: Facility, merged: Sequence[Edge]) -> dict[int, Edge]:
    """For each group of a facility, the edge that attached it (BFS from the representative)."""
    graph = nx.Graph()
    graph.add_nodes_from(facility.groups)
    members = set(facility.groups)
    for edge in merged:
        if edge.left in members:
            graph.add_edge(edge.left, edge.right, edge=edge)
    return {child: graph.edges[parent, child]["edge"] for parent, child in nx.bfs_edges(graph, facility.representative)}


def _group_resolutions(groups: Sequence[KeyGroup], facilities: Sequence[Facility], merged: Sequence[Edge]) -> list[Resolution]:
    """Each key group's decision: its facility, and the layer and reason that attached it."""
    per_group: list[Resolution | None] = [None] * len(groups)
    for facility in facilities:
        attached = _attachment(facility, merged) if len(facility.groups) > 1 else {}
        facility_key = groups[facility.representative].id
        for g in facility.groups:
            group = groups[g]
            edge = attached.get(g)
            if edge is None:
                reason = f"same metal ({group.metal}), normalised key '{group.key}' and country {group.country or 'unknown'}"
                per_group[g] = Resolution(group.metal, group.id, facility_key, KEY_METHOD, reason)
            else:
                per_group[g] = Resolution(group.metal, group.id, facility_key, edge.layer, edge.rule, edge.probability)
    return [r for r in per_group if r is not None]
