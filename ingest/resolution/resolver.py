"""The layered resolver: which facility each mention is about, and why.

The layers (``layers/``, cheapest and surest first, see ``docs/resolution.md``) add their
knowledge to one shared state: the normalised-key layer builds key groups, the identifier and
ledger layers add must- and cannot-links, the score layer adds Splink-scored edges and pairs kept
apart. The clusterer (``clustering.py``) turns them into facilities; this module then describes the
outcome as a :class:`~.model.Resolution` — facilities with their dated names, one decision per key
group, the ledger's events with year brackets, the review queue and rename candidates.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution.candidates import FacilitySpan, rename_candidates
from smelterkg.ingest.resolution.clustering import Clustering, Edge, cluster
from smelterkg.ingest.resolution.layers import LAYERS, ResolutionState
from smelterkg.ingest.resolution.layers.state import LedgerMatch
from smelterkg.ingest.resolution.ledger import LedgerEntry
from smelterkg.ingest.resolution.model import (
    KEY_LAYER,
    Decision,
    Facility,
    FacilityEvent,
    GroupKey,
    NameUse,
    RenameProposal,
    Resolution,
    ReviewPair,
)
from smelterkg.ingest.resolution.names import structure
from smelterkg.ingest.resolution.reference import ReferenceIndex, name_changes, rename_entry
from smelterkg.ingest.resolution.scoring import Model, bundled_model
from smelterkg.ingest.resolution.variants import KeyGroup

def run_layers(
    reports_rows: Sequence[tuple[int | None, Sequence[MentionRow]]],
    ledger: Sequence[LedgerEntry] = (),
    model: Model | None = None,
    reference: ReferenceIndex | None = None,
) -> ResolutionState:
    """Every layer of :data:`~.layers.LAYERS`, in order, over the rows of the reports."""
    state = ResolutionState(reports_rows, ledger, model or bundled_model(), reference=reference)
    for layer in LAYERS:
        layer().apply(state)
    return state


def resolve_reports(
    reports_rows: Sequence[tuple[int | None, Sequence[MentionRow]]],
    ledger: Sequence[LedgerEntry] = (),
    model: Model | None = None,
    reference: ReferenceIndex | None = None,
) -> Resolution:
    """Resolve every row of every report. ``reports_rows``: (reporting year, rows) per report;
    ``reference``: RMI reference lists (smelter IDs, standard names, look-up aliases), if any."""
    state = run_layers(reports_rows, ledger, model, reference)
    started = time.perf_counter()
    groups = state.groups
    clustering = cluster(len(groups), state.must, state.scored, state.cannot, state.apart, state.ids, state.attached)
    facility_of_group = [0] * len(groups)
    members_of: list[list[int]] = []
    for members in clustering.clusters:
        for g in members:
            facility_of_group[g] = len(members_of)
        members_of.append(members)
    representatives = [_representative(members, groups) for members in members_of]
    decisions = _decisions(groups, members_of, representatives, facility_of_group, clustering.merged)
    facilities = [_facility(i, members, representatives[i], groups, state.ids) for i, members in enumerate(members_of)]
    review = _review(state, clustering, facility_of_group)
    events = _events(state.ledger_matches, groups, facility_of_group)
    reference_entries, reference_events = _reference_events(reference, facilities) if reference else ([], [])
    events.extend(reference_events)
    linked = {
        (facility_of_group[m.subjects[0]], facility_of_group[o]) for m in state.ledger_matches if m.entry.is_event for o in m.objects
    }
    candidates = _candidates(facilities, groups, representatives, linked, state.years)
    state.timed("cluster", time.perf_counter() - started)
    merges = defaultdict(int, {KEY_LAYER: sum(len(g.variants) - 1 for g in groups)})
    for edge in clustering.merged:
        merges[edge.layer] += 1
    return Resolution(
        facilities=facilities,
        decisions=decisions,
        events=events,
        review=review,
        candidates=candidates,
        ledger=[*state.ledger, *reference_entries],
        unmatched_ledger=state.unmatched_ledger,
        contradictions=[f"{groups[a].names[0]} / {groups[b].names[0]}: {why}" for a, b, why in clustering.contradictions],
        merges_per_layer=dict(merges),
        variant_count=len(state.variants),
        seconds=state.seconds,
        candidate_pairs=state.candidate_pairs,
    )


def _reference_events(reference: ReferenceIndex, facilities: Sequence[Facility]) -> tuple[list[LedgerEntry], list[FacilityEvent]]:
    """RMI's renames: a smelter ID whose standard name changed between two releases renames the
    facility of that ID, dated by the two lists and citing them (as entries of the ledger kind,
    written with the ledger's entries). Only the renaming is taken from them: the facility is
    already one, by its ID."""
    by_id = {(f.metal, cid): f.index for f in facilities for cid in f.smelter_ids}
    entries, events = [], []
    for change in name_changes(reference):
        facility = by_id.get((change.metal, change.cid))
        if facility is None:
            continue
        entry = rename_entry(change)
        before = change.before.list_date.year if change.before.list_date else None
        after = change.after.list_date.year if change.after.list_date else None
        subject = f"{change.cid.lower()} {structure(change.old_name).key}"
        entries.append(entry)
        events.append(FacilityEvent("rename", change.metal, facility, (facility,), subject, structure(change.new_name).key, before, after, (entry,)))
    return entries, events


def group_key(group: KeyGroup) -> GroupKey:
    return GroupKey(group.metal, group.key, group.country, group.smelter_id)


def _representative(members: Sequence[int], groups: Sequence[KeyGroup]) -> int:
    """The group a facility is named after (its IRI): the earliest listed, then the most printed."""
    return min(members, key=lambda g: (min(groups[g].years, default=9999), -groups[g].row_count, groups[g].id))


def _label(members: Sequence[int], groups: Sequence[KeyGroup]) -> str:
    """The facility's most printed name of its latest year."""
    variants = [v for g in members for v in groups[g].variants]
    latest = max((max(v.years, default=0) for v in variants), default=0)
    current = [v for v in variants if latest in v.years] or variants
    return min(current, key=lambda v: (-len(v.rows), v.name)).name


def _facility(index: int, members: Sequence[int], representative: int, groups: Sequence[KeyGroup], ids: Sequence[frozenset[str]]) -> Facility:
    variants = [v for g in members for v in groups[g].variants]
    years_of_name: dict[str, set[int]] = defaultdict(set)
    for variant in variants:
        years_of_name[variant.name] |= variant.years
    return Facility(
        index=index,
        metal=groups[representative].metal,
        key=group_key(groups[representative]),
        label=_label(members, groups),
        decisions=tuple(members),
        names=tuple(NameUse(name, tuple(sorted(years))) for name, years in sorted(years_of_name.items())),
        countries=tuple(sorted({v.country for v in variants if v.country})),
        smelter_ids=tuple(sorted(set().union(*(ids[g] for g in members)))) if ids else (),
        years=tuple(sorted(set().union(*(groups[g].years for g in members)))),
    )


def _attachment(members: Sequence[int], representative: int, merged: Sequence[Edge]) -> dict[int, tuple[int, Edge]]:
    """For each group of a facility, the group it was attached to and the edge that did it
    (breadth first from the group the facility is named after)."""
    graph = nx.Graph()
    graph.add_nodes_from(members)
    inside = set(members)
    for edge in merged:
        if edge.left in inside:
            graph.add_edge(edge.left, edge.right, edge=edge)
    return {child: (parent, graph.edges[parent, child]["edge"]) for parent, child in nx.bfs_edges(graph, representative)}


def _decisions(
    groups: Sequence[KeyGroup],
    members_of: Sequence[Sequence[int]],
    representatives: Sequence[int],
    facility_of_group: Sequence[int],
    merged: Sequence[Edge],
) -> list[Decision]:
    """One decision per key group (decision index = group index)."""
    attached: dict[int, tuple[int, Edge]] = {}
    for members, representative in zip(members_of, representatives):
        if len(members) > 1:
            attached.update(_attachment(members, representative, merged))
    decisions = []
    for g, group in enumerate(groups):
        mentions = tuple(sorted(m for v in group.variants for m in v.rows))
        via = attached.get(g)
        if via is None:
            reason = f"same metal ({group.metal}), normalised key '{group.key}' and country {group.country or 'unknown'}"
            layer, score, parent = KEY_LAYER, None, None
        else:
            parent, edge = via
            layer, reason, score = edge.layer, edge.rule, edge.probability
        decisions.append(Decision(g, group_key(group), facility_of_group[g], layer, reason, score, parent, tuple(group.names), mentions))
    return decisions


def _review(state: ResolutionState, clustering: Clustering, facility_of_group: Sequence[int]) -> list[ReviewPair]:
    """One item per pair of facilities: the most probable of their group pairs that was held
    back by a cannot-link, marked unsure, or scored in the review band."""
    scored, model = state.pairs, state.model
    must_pairs = {(e.left, e.right) for e in state.must}
    items: list[ReviewPair] = []
    for edge, why in clustering.held:
        pair = scored.get((edge.left, edge.right))  # edges of layers after the scorer have no scored pair
        if pair is None:
            items.append(ReviewPair(edge.left, edge.right, why, edge.probability, edge.rule))
        else:
            items.append(ReviewPair(edge.left, edge.right, why, pair.match_probability, pair.explain()))
    for (a, b), pair in sorted(scored.items()):
        if (a, b) in must_pairs:
            continue
        if (a, b) in state.unsure:
            items.append(ReviewPair(a, b, "an analyst marked this pair unsure", pair.match_probability, pair.explain()))
        elif model.review_threshold <= pair.match_probability < model.merge_threshold:
            items.append(ReviewPair(a, b, "match probability in the review band", pair.match_probability, pair.explain()))
    best: dict[tuple[int, int], ReviewPair] = {}
    for item in sorted(items, key=lambda item: (-(item.probability or 0.0), item.left, item.right)):
        facilities = tuple(sorted((facility_of_group[item.left], facility_of_group[item.right])))
        if facilities[0] != facilities[1]:
            best.setdefault(facilities, item)
    return list(best.values())


def _key_of(group_indices: Sequence[int], groups: Sequence[KeyGroup]) -> str:
    return " ".join(sorted(groups[g].id for g in group_indices))


def _last_before(subject_groups: Sequence[int], groups: Sequence[KeyGroup], after: int | None) -> int | None:
    """The last year the earlier state was listed before the later one appeared (a group still
    listed the year its parts appear happened before that year, not after it)."""
    years = [y for g in subject_groups for y in groups[g].years if after is None or y < after]
    return max(years, default=None)


def _events(matches: Sequence[LedgerMatch], groups: Sequence[KeyGroup], facility_of_group: Sequence[int]) -> list[FacilityEvent]:
    """The ledger's renames, absorptions and splits between facilities, with year brackets from
    the listings: a rename happened after the old name's last listing before the new name's first;
    an absorption after the absorbed facility's last listing, by the next reporting year; a split
    after the group's last listing before its parts appear. Entries naming the same groups are one
    event with several pieces of evidence; a split is one event per facility split."""
    corpus_years = sorted({y for group in groups for y in group.years})
    by_identity: dict[tuple, list[LedgerMatch]] = defaultdict(list)
    for match in matches:
        if not match.entry.is_event:
            continue
        if match.entry.kind == "split":
            identity: tuple = ("split", facility_of_group[match.subjects[0]])
        else:
            identity = (match.entry.kind, match.entry.metal, _key_of(match.subjects, groups), _key_of(match.objects, groups))
        by_identity[identity].append(match)
    events = []
    for identity, group_matches in by_identity.items():
        first = group_matches[0]
        kind, metal = first.entry.kind, first.entry.metal
        original = facility_of_group[first.subjects[0]]
        if kind == "split":
            resulting = tuple(sorted({facility_of_group[o] for m in group_matches for o in m.objects}))
            after = min((y for m in group_matches for g in m.objects for y in groups[g].years), default=None)
            before = _last_before(first.subjects, groups, after)
            object_key = ""
        else:
            resulting = (min(facility_of_group[o] for o in first.objects),)
            if kind == "absorption":
                before = max((y for g in first.subjects for y in groups[g].years), default=None)
                after = min((y for y in corpus_years if before is not None and y > before), default=None)
            else:
                after = min((y for g in first.objects for y in groups[g].years), default=None)
                before = _last_before(first.subjects, groups, after)
            object_key = _key_of(first.objects, groups)
        events.append(
            FacilityEvent(
                kind, metal, original, resulting, _key_of(first.subjects, groups), object_key, before, after,
                tuple(m.entry for m in group_matches),
            )
        )
    return events


def _candidates(
    facilities: Sequence[Facility],
    groups: Sequence[KeyGroup],
    representatives: Sequence[int],
    linked: set[tuple[int, int]],
    years: Sequence[int],
) -> list[RenameProposal]:
    """Rename candidates (candidates.py) between facilities no ledger event already links."""
    spans = []
    for facility, representative in zip(facilities, representatives):
        group = groups[representative]
        words = frozenset(t for g in facility.decisions for v in groups[g].variants for t in v.structure.core)
        spans.append(
            FacilitySpan(
                facility.index, facility.metal, group.country, words, group.representative().structure.spaced,
                min(facility.years or (0,)), max(facility.years or (0,)),
            )
        )
    labels = [f.label for f in facilities]
    return [
        RenameProposal(c.old, c.new, c.metal, c.last_year_old, c.first_year_new, c.support, c.evidence(labels))
        for c in rename_candidates(spans, years, linked)
    ]
