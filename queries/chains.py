"""Lineage analysis with networkx: which facilities a facility came from and became.

The lineage graph has one node per facility touched by an event and one edge per absorption or
split (original -> resulting facility, keyed by the event). Renames do not change the facility
(the original and resulting organisation are the same node), so they stay on the node, in order.

* ``chain``: the facility, every facility it came from and every one it became, transitively
  (ancestors and descendants: the chain of "H.C. Starck GmbH Goslar" is the group it was split
  from and itself, not its sister plants).
* ``family``: every facility connected to it by events in any direction (the whole H.C. Starck
  group and its parts): facilities that share a chain.
* checks: the event graph must be acyclic (a facility cannot come from what it became), each
  facility's renames must not cycle back to an earlier name, and a facility listed after it was
  absorbed gets a warning. ``listed_after_absorption`` is that rule, once; ontology/shapes.ttl
  (ReportedAfterAbsorptionShape) states it in SPARQL for the graph, and a test checks that both
  flag the same facilities and years.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
from pyoxigraph import Store

from smelterkg.queries.facilities import FacilityRef, find_facilities
from smelterkg.queries.history import (
    Event, FacilityHistory, load_events, load_histories, load_labels, reporting_years,
)
from smelterkg.queries.reference_evidence import FacilityReference, facility_references


def listed_after_absorption(event: Event, years: Iterable[int]) -> list[int]:
    """The years, among ``years`` a facility was listed, after the absorption ``event`` of it had
    surely happened: later than the event's upper bound, or than its stated year when it has no
    bound. Empty for other events and for an absorption with neither year.

    >>> absorbed = Event("e", "absorption", "old", ("new",), not_before=2014, not_after=2017)
    >>> listed_after_absorption(absorbed, [2013, 2017, 2019, 2022, 2019])
    [2019, 2022]
    >>> listed_after_absorption(Event("e", "absorption", "old", ("new",), stated_year=2016), [2017])
    [2017]
    """
    limit = event.happened_by()
    if event.kind != "absorption" or limit is None:
        return []
    return sorted(year for year in set(years) if year > limit)


@dataclass(frozen=True)
class LineageProblem:
    kind: str  # "cycle" | "rename-cycle" | "reported-after-absorption"
    facilities: tuple[str, ...]
    message: str


class Lineage:
    """The facilities' event graph (networkx MultiDiGraph) and the renames of each facility."""

    def __init__(self, events: Iterable[Event]):
        self.events: dict[str, Event] = {}
        self.graph = nx.MultiDiGraph()
        self.renames: dict[str, list[Event]] = {}
        for event in sorted(events, key=lambda e: e.iri):
            self.events[event.iri] = event
            self.graph.add_node(event.original)
            if event.kind == "rename":
                self.renames.setdefault(event.original, []).append(event)
                continue
            for part in event.resulting:
                self.graph.add_edge(event.original, part, key=event.iri, event=event)
        for renames in self.renames.values():
            renames.sort(key=_when)

    # --------------------------------------------------------------- chains and families

    def chain(self, facility: str) -> set[str]:
        """The facility, its predecessors and its successors, transitively."""
        if facility not in self.graph:
            return {facility}
        return {facility} | nx.ancestors(self.graph, facility) | nx.descendants(self.graph, facility)

    def family(self, facility: str) -> set[str]:
        """Every facility connected to this one by events, in any direction."""
        if facility not in self.graph:
            return {facility}
        return set(nx.node_connected_component(self.graph.to_undirected(as_view=True), facility))

    def families(self) -> list[set[str]]:
        """Groups of facilities joined by absorptions or splits (renamed-only facilities are not
        families), largest first."""
        groups = [set(c) for c in nx.weakly_connected_components(self.graph) if len(c) > 1]
        return sorted(groups, key=lambda g: (-len(g), sorted(g)))

    def events_of(self, facilities: Iterable[str]) -> list[Event]:
        """Events touching any of the facilities, in time order."""
        wanted = set(facilities)
        touching = [e for e in self.events.values() if e.original in wanted or wanted.intersection(e.resulting)]
        return sorted(touching, key=_when)

    def order(self, facilities: Iterable[str], key) -> list[str]:
        """A reading order for lanes: predecessors before successors, and a facility right after
        the one it came from where possible (an absorbed plant beside the one that absorbed it)."""
        wanted = set(facilities)
        sub = self.graph.subgraph(wanted & set(self.graph))
        placed: list[str] = []
        seen: set[str] = set()

        def place(node: str) -> None:
            if node in seen or (node in sub and any(p not in seen for p in sub.predecessors(node))):
                return  # placed already, or waits for its last predecessor
            seen.add(node)
            placed.append(node)
            if node in sub:
                for child in sorted(set(sub.successors(node)), key=key):
                    place(child)

        roots = [n for n in wanted if n not in sub or sub.in_degree(n) == 0]
        for root in sorted(roots, key=key):
            place(root)
        placed.extend(sorted(wanted - seen, key=key))  # only on a cyclic graph
        return placed

    # --------------------------------------------------------------- checks

    def cycles(self, labels: Mapping[str, str] | None = None) -> list[LineageProblem]:
        """Event chains that loop back (A split into B, B absorbed into A) and renames back to an
        earlier name: none may exist."""
        name = _namer(labels)
        problems = []
        simple = nx.DiGraph(self.graph)
        if not nx.is_directed_acyclic_graph(simple):
            for cycle in sorted(_rotated(c) for c in nx.simple_cycles(simple)):
                problems.append(LineageProblem(
                    "cycle", tuple(cycle), "event chain loops back: " + " -> ".join(map(name, cycle + cycle[:1]))))
        for facility, renames in sorted(self.renames.items()):
            names = nx.DiGraph((e.old_name, e.new_name) for e in renames)
            if not nx.is_directed_acyclic_graph(names):
                loop = [edge[0] for edge in nx.find_cycle(names)]
                problems.append(LineageProblem(
                    "rename-cycle", (facility,), f"renames of {name(facility)} loop back: " + " -> ".join(loop + loop[:1])))
        return problems

    def reported_after_absorption(
        self, years: Mapping[str, Iterable[int]], labels: Mapping[str, str] | None = None
    ) -> list[LineageProblem]:
        """Facilities listed in a year after they were absorbed (later than the absorption's
        upper bound, or its stated year when it has no bound): a source kept the old name, or
        the absorption is misdated."""
        name = _namer(labels)
        problems = []
        for original, successor, event in sorted(self.graph.edges(data="event"), key=lambda e: (e[0], e[1], e[2].iri)):
            late = listed_after_absorption(event, years.get(original, ()))
            if late:
                problems.append(LineageProblem(
                    "reported-after-absorption", (original, successor),
                    f"{name(original)} is listed in {', '.join(map(str, late))}, after it was absorbed into "
                    f"{name(successor)} ({event.bracket()})"))
        return problems


def _rotated(cycle: list[str]) -> list[str]:
    """The cycle starting at its smallest node, so the same cycle always reads the same."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def _namer(labels: Mapping[str, str] | None):
    return lambda iri: f"'{labels[iri]}'" if labels and iri in labels else iri


def _when(event: Event) -> tuple:
    """Events in time order: by upper bound, then lower bound, then IRI."""
    return (
        event.not_after if event.not_after is not None else 9999,
        event.not_before if event.not_before is not None else -1,
        event.stated_year or 0,
        event.iri,
    )


# ------------------------------------------------------------------- a chain, read from a store


@dataclass
class Chain:
    """What a chain picture or tree shows: the facilities in lane order, the events between them,
    the reporting years across, and the warnings that concern them."""

    name: str  # as asked
    focus: tuple[str, ...]  # the facilities the name matched
    facilities: tuple[FacilityHistory, ...]
    events: tuple[Event, ...]
    years: tuple[int, ...]
    problems: tuple[LineageProblem, ...] = ()
    family: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # every facility the events name, in the chain or not
    references: dict[str, FacilityReference] = field(default_factory=dict)  # RMI IDs and lists, by facility

    def reference(self, iri: str) -> FacilityReference:
        """What the reference lists say of the facility's RMI IDs (empty when nothing)."""
        return self.references.get(iri, FacilityReference())

    def facility(self, iri: str) -> FacilityHistory:
        return next(f for f in self.facilities if f.iri == iri)

    def iris(self) -> list[str]:
        return [f.iri for f in self.facilities]

    def title(self) -> str:
        what = "Family" if self.family else "Chain"
        return f"{what} of '{self.name}'"

    def late_years(self, iri: str) -> set[int]:
        """Years the facility is listed after it was absorbed (listed_after_absorption)."""
        years = self.facility(iri).years
        return {year for event in self.events if event.original == iri for year in listed_after_absorption(event, years)}


def facility_key(history: FacilityHistory) -> tuple:
    return (history.years[:1] or (9999,), history.label.casefold(), history.iri)


def chain_of(store: Store, name: str, metal: str | None = None, family: bool = False) -> tuple[Chain, list[FacilityRef]]:
    """The chain (or family) of every facility listed under ``name``. Raises NameNotFound."""
    refs = find_facilities(store, name, metal)
    lineage = Lineage(load_events(store))
    members: set[str] = set()
    for ref in refs:
        members |= lineage.family(ref.iri) if family else lineage.chain(ref.iri)
    histories = load_histories(store, members)
    events = lineage.events_of(members)
    years = set(reporting_years(store))
    for history in histories.values():
        years |= set(history.years)
    ordered = lineage.order(histories, key=lambda iri: facility_key(histories[iri]))
    labels = load_labels(store, {f for e in events for f in (e.original, *e.resulting)} - set(histories))
    labels.update({iri: h.label for iri, h in histories.items()})
    problems = [p for p in lineage.cycles(labels) if members.intersection(p.facilities)]
    problems += lineage.reported_after_absorption({iri: h.years for iri, h in histories.items()}, labels)
    chain = Chain(
        name=name,
        focus=tuple(ref.iri for ref in refs),
        facilities=tuple(histories[iri] for iri in ordered),
        events=tuple(events),
        years=tuple(sorted(years)),
        problems=tuple(problems),
        family=family,
        labels=labels,
        references=facility_references(store, histories),
    )
    return chain, refs
