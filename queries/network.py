"""The facility–event–filer graph, as a networkx DiGraph for Gephi and other network tools.

Nodes: facilities (with their names by year and statuses by year), events (renames, absorptions,
splits, with their year brackets and evidence) and filers. Edges: facility -> event (the event's
original facility), event -> facility (a resulting facility; a rename points back at the facility
it renamed) and filer -> facility (the filer listed it, with the years). Node ids are the IRIs.
Every attribute is a string or an integer (GraphML and GEXF have no null), and nodes and edges
are added in a fixed order, so the same store always gives the same file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx
from pyoxigraph import Store

from smelterkg.queries.history import Event, FacilityHistory, load_events, load_histories


def name_history(history: FacilityHistory) -> str:
    """"A (2013, 2014) → B (2017, 2019)": the facility's names in the order it was printed under them."""
    return " → ".join(f"{name} ({', '.join(map(str, years)) or 'year unknown'})" for name, years in history.names)


def status_history(history: FacilityHistory) -> str:
    return "; ".join(f"{year} {history.status_in(year)}" for year in history.years)


def event_label(event: Event, labels: Mapping[str, str]) -> str:
    if event.kind == "rename":
        return f"renamed: {event.old_name} → {event.new_name}"
    if event.kind == "absorption":
        return f"absorbed: {labels.get(event.original, event.original)} → {labels.get(event.resulting[0], event.resulting[0])}"
    return f"split: {labels.get(event.original, event.original)} → {len(event.resulting)} parts"


def build_network(histories: Mapping[str, FacilityHistory], events: Iterable[Event]) -> nx.DiGraph:
    """The graph of these facilities, the events between them and the filers that listed them
    (an event's link to a facility outside ``histories`` is left out)."""
    graph = nx.DiGraph()
    labels = {iri: h.label for iri, h in histories.items()}
    for iri in sorted(histories):
        h = histories[iri]
        attributes = {
            "kind": "facility", "label": h.label, "metal": h.metal, "country": ", ".join(h.countries),
            "names": name_history(h), "statuses": status_history(h), "listings": len(h.sightings),
        }
        if h.years:
            attributes.update(first_year=h.years[0], last_year=h.years[-1])
        graph.add_node(iri, **attributes)
    for event in sorted(events, key=lambda e: e.iri):
        if event.original not in histories and not any(p in histories for p in event.resulting):
            continue
        attributes = {
            "kind": "event", "event_type": event.kind, "label": event_label(event, labels),
            "when": event.bracket(), "evidence": " ; ".join(dict.fromkeys(
                f"{e.source} ({e.date})" if e.date else e.source for e in event.evidence)),
        }
        for key in ("not_before", "not_after", "stated_year"):
            if getattr(event, key) is not None:
                attributes[key] = getattr(event, key)
        if event.kind == "rename":
            attributes.update(old_name=event.old_name, new_name=event.new_name)
        graph.add_node(event.iri, **attributes)
        if event.original in histories:
            graph.add_edge(event.original, event.iri, relation="original", label="original")
        for part in event.resulting:
            if part in histories:
                graph.add_edge(event.iri, part, relation="resulting", label="resulting")
    listed: dict[tuple[str, str], set[int]] = defaultdict(set)
    filers: dict[str, str] = {}
    for iri in sorted(histories):
        for s in histories[iri].sightings:
            filer = s.filer_iri or f"filer:{s.filer or 'unknown'}"
            filers.setdefault(filer, s.filer or "unknown filer")
            listed[(filer, iri)].add(s.year)
    for filer in sorted(filers):
        graph.add_node(filer, kind="filer", label=filers[filer])
    for (filer, iri), years in sorted(listed.items()):
        graph.add_edge(filer, iri, relation="listed", label="listed",
                       years=" ".join(map(str, sorted(years))), weight=len(years))
    return graph


def store_network(store: Store) -> nx.DiGraph:
    """The whole store's facility–event–filer graph."""
    return build_network(load_histories(store), load_events(store))
