"""A chain for other tools: Graphviz DOT, Mermaid, and (with the facility–event–filer graph)
GraphML and GEXF.

DOT and Mermaid draw one box per facility listing its years (name printed, status) with its
renames between them, and one arrow per split or absorption. GraphML and GEXF are written with
networkx's own writers, the XML (not lxml) one for GraphML so the bytes do not depend on what
else is installed; GEXF's ``lastmodifieddate`` (today's date) is dropped for the same reason.
"""

from __future__ import annotations

import re

import networkx as nx

from smelterkg.pictures.palette import EVENT_STYLES, FONT, MUTED, status_colour
from smelterkg.pictures.words import NAME_LIMIT, TITLE_LIMIT, shorten
from smelterkg.queries.chains import Chain
from smelterkg.queries.history import Event, FacilityHistory


def _rows(chain: Chain, history: FacilityHistory) -> list[tuple[str, object]]:
    """("year", year) and ("rename", event) in time order, for a facility's box."""
    renames = [e for e in chain.events if e.kind == "rename" and e.original == history.iri]
    years = history.years
    rows: list[tuple[str, object]] = []
    for index, year in enumerate([*years, None]):
        for event in renames:
            at = event.position(years)
            if (len(years) if at is None else at) == index:
                rows.append(("rename", event))
        if year is not None:
            rows.append(("year", year))
    return rows


def _moves(chain: Chain) -> list[tuple[Event, str]]:
    """(event, resulting facility) for the splits and absorptions between facilities of the chain."""
    shown = set(chain.iris())
    return [(e, p) for e in chain.events if e.kind != "rename" and e.original in shown for p in e.resulting if p in shown]


# ------------------------------------------------------------------- Graphviz DOT


def _dot_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(chain: Chain) -> bytes:
    ids = {iri: f"f{i}" for i, iri in enumerate(chain.iris())}
    out = [
        "digraph chain {",
        f'  graph [rankdir=TB, fontname="{FONT}", labelloc=t, label={_dot_string(shorten(chain.title(), TITLE_LIMIT))}];',
        f'  node [shape=plain, fontname="{FONT}", fontsize=10];',
        f'  edge [fontname="{FONT}", fontsize=9];',
    ]
    for history in chain.facilities:
        head = "#fff3c4" if history.iri in chain.focus else "#eeeeee"
        cells = [
            f'<TR><TD COLSPAN="3" BGCOLOR="{head}"><B>{_dot_html(shorten(history.label))}</B><BR/>'
            f'<FONT COLOR="{MUTED}" POINT-SIZE="9">{_dot_html(" · ".join([history.metal, *history.countries]))}</FONT></TD></TR>'
        ]
        late = chain.late_years(history.iri)
        for kind, value in _rows(chain, history):
            if kind == "rename":
                event = value  # type: ignore[assignment]
                colour = EVENT_STYLES["rename"][0]
                cells.append(f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{colour}" POINT-SIZE="9">↓ renamed, '
                             f'{_dot_html(event.bracket())}</FONT></TD></TR>')  # type: ignore[union-attr]
                continue
            year = int(value)  # type: ignore[arg-type]
            status = history.status_in(year) or "Unknown"
            flag = " (listed after absorption)" if year in late else ""
            cells.append(f'<TR><TD>{year}</TD><TD ALIGN="LEFT">{_dot_html(shorten(history.name_in(year) or ""))}</TD>'
                         f'<TD BGCOLOR="{status_colour(status)}">{_dot_html(status + flag)}</TD></TR>')
        table = '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">' + "".join(cells) + "</TABLE>"
        out.append(f"  {ids[history.iri]} [label=<{table}>, tooltip={_dot_string(history.iri)}];")
    for event, part in _moves(chain):
        colour, _, style, words = EVENT_STYLES[event.kind]
        label = f"{event.kind}\n{event.bracket()}"
        out.append(f"  {ids[event.original]} -> {ids[part]} [label={_dot_string(label)}, style={style}, "
                   f'color="{colour}", fontcolor="{colour}", tooltip={_dot_string(words)}];')
    out.append("}")
    return ("\n".join(out) + "\n").encode("utf-8")


# ------------------------------------------------------------------- Mermaid


def _mermaid(text: str) -> str:
    """Text inside a quoted Mermaid label: its entity codes for the characters it would parse."""
    text = text.replace("#", "#35;")
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;")):
        text = text.replace(char, code)
    return text


def render_mermaid(chain: Chain) -> bytes:
    ids = {iri: f"f{i}" for i, iri in enumerate(chain.iris())}
    out = ["---", f"title: {_mermaid(shorten(chain.title(), TITLE_LIMIT))}", "---", "flowchart TB"]
    classes: dict[str, list[str]] = {}
    for history in chain.facilities:
        lines = [f"<b>{_mermaid(shorten(history.label))}</b>", _mermaid(" · ".join([history.metal, *history.countries]))]
        for kind, value in _rows(chain, history):
            if kind == "rename":
                lines.append(f"↓ renamed, {_mermaid(value.bracket())}")  # type: ignore[union-attr]
            else:
                year = int(value)  # type: ignore[arg-type]
                lines.append(f"{year}: {_mermaid(shorten(history.name_in(year) or ''))} · {history.status_in(year)}")
        out.append(f'  {ids[history.iri]}["{"<br/>".join(lines)}"]')
        last = history.status_in(history.years[-1]) if history.years else "Unknown"
        classes.setdefault(re.sub(r"\W", "", (last or "Unknown").lower()), []).append(ids[history.iri])
    arrows = {"split": "-.->", "absorption": "==>"}
    for event, part in _moves(chain):
        label = _mermaid(f"{event.kind}, {event.bracket()}")
        out.append(f'  {ids[event.original]} {arrows[event.kind]}|"{label}"| {ids[part]}')
    for name, members in sorted(classes.items()):
        status = next((s for s in ("Conformant", "In progress", "Not conformant", "Failed", "Not enrolled", "Unknown")
                       if re.sub(r"\W", "", s.lower()) == name), "Unknown")
        out.append(f"  classDef {name} fill:{status_colour(status)},stroke:#555,color:#111")
        out.append(f"  class {','.join(members)} {name}")
    focus = [ids[iri] for iri in chain.focus if iri in ids]
    if focus:
        out.append("  classDef asked stroke:#b8860b,stroke-width:3px")
        out.append(f"  class {','.join(focus)} asked")
    return ("\n".join(out) + "\n").encode("utf-8")


# ------------------------------------------------------------------- GraphML and GEXF


GRAPH_LABEL_LIMIT = 2 * NAME_LIMIT + 40  # an event's label names two facilities


def _short_labels(graph: nx.Graph) -> nx.Graph:
    """A copy with each ``label`` shortened (what a graph viewer draws); the other attributes
    (``names``, ``old_name``...) keep the whole text."""
    graph = graph.copy()
    for data in [*(d for _, d in graph.nodes(data=True)), *(d for _, _, d in graph.edges(data=True))]:
        if isinstance(data.get("label"), str):
            data["label"] = shorten(data["label"], GRAPH_LABEL_LIMIT)
    return graph


def render_graphml(graph: nx.Graph) -> bytes:
    lines = nx.generate_graphml(_short_labels(graph), encoding="utf-8", prettyprint=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


_LAST_MODIFIED = re.compile(r'\s+lastmodifieddate="[^"]*"')


def render_gexf(graph: nx.Graph) -> bytes:
    text = "\n".join(nx.generate_gexf(_short_labels(graph), encoding="utf-8", prettyprint=True))
    return (_LAST_MODIFIED.sub("", text, count=1) + "\n").encode("utf-8")
