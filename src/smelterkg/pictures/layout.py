"""The timeline of a chain as a scene: boxes, lines and labels placed in inches, with the hover
text of each element. Drawing it (``timeline``) and wrapping it in a page (``page``) are separate.

Reporting years run across as columns; each facility of the chain has a lane. A lane shows the
facility's name in runs (consecutive years printed under the same name share one label) over one
coloured segment per year (its canonical status that year, the most favourable any source gave).
Events sit in the gaps between columns, in the bracket of years they happened in: a rename is an
arrow inside its lane, a split or an absorption an arrow from the original lane to each resulting
lane. A year listed after the facility was absorbed is outlined in red and hatched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from smelterkg.pictures import textfit
from smelterkg.pictures.palette import (
    EVENT_STYLES, INK, LANE_BANDS, LATE_EDGE, MUTED, STATUS_COLOURS, status_colour,
)
from smelterkg.queries.chains import Chain
from smelterkg.pictures.words import TITLE_LIMIT, event_text, shorten
from smelterkg.queries.history import STATUS_ORDER, Event, FacilityHistory

MARGIN = 0.3
TITLE_H = 0.62
HEADER_H = 0.32
LANE_H = 0.64
CELL_H = 0.48
GAP = 0.36  # between columns: where events are drawn
TICK = 0.11  # white ticks marking the years inside a run
ARRIVAL_STEP = 0.09  # vertical spacing of arrows arriving at one lane in one gap
APPROACH = 0.14  # length of an arrow entering a box from above or below
LABEL_MAX = 2.8
NAME_SIZES = (7.5, 7.0, 6.5, 6.0)
LABEL_SIZES = (8.5, 8.0, 7.5)
FOCUS_BAND = "#fff3c4"
TIP_ROWS = 12  # source rows in a year's hover text


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    edge: str = "none"
    linewidth: float = 0.0
    hatch: str = ""
    rounded: bool = False
    gid: str = ""
    zorder: float = 1


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float
    colour: str = INK
    bold: bool = False
    ha: str = "center"
    va: str = "center"
    gid: str = ""
    zorder: float = 4
    backdrop: bool = False  # a pale box behind the text, to read it over a hatched cell


@dataclass
class Line:
    points: list[tuple[float, float]]
    colour: str
    dash: object = "solid"
    width: float = 1.4
    arrow: bool = False  # an arrowhead at the last point
    dot: bool = False  # a dot at the first point
    gid: str = ""  # set on an invisible wide copy of the line, easy to hover
    zorder: float = 2


@dataclass
class Scene:
    width: float
    height: float
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    tips: dict[str, str] = field(default_factory=dict)  # gid -> hover text
    title: str = ""


def _normal(name: str) -> str:
    """Names that differ only by case, spaces or punctuation ("Co.KG" / "Co. KG") share a run."""
    return re.sub(r"[\W_]+", "", name).casefold()


def _runs(history: FacilityHistory, years: tuple[int, ...]) -> list[tuple[int, int, str]]:
    """(first column, last column, name) for each run of adjacent listed columns with one name."""
    runs: list[tuple[int, int, str]] = []
    for column, year in enumerate(years):
        name = history.name_in(year)
        if name is None:
            continue
        if runs and runs[-1][1] == column - 1 and _normal(runs[-1][2]) == _normal(name):
            runs[-1] = (runs[-1][0], column, runs[-1][2])
        else:
            runs.append((column, column, name))
    return runs


def _cell_tip(history: FacilityHistory, year: int, late: bool) -> str:
    lines = [f"{history.label} — {year}", f"status: {history.status_in(year)}"]
    if late:
        lines.append("warning: listed after this facility was absorbed")
    sightings = history.sightings_in(year)
    for s in sightings[:TIP_ROWS]:
        printed = f"printed status '{s.status}'" if s.status else "no status printed"
        filer = f" ({s.filer})" if s.filer else ""
        lines.append(f"{s.source} {s.where}{filer}: \"{s.name}\", {printed} → {s.canonical}")
    if len(sightings) > TIP_ROWS:
        lines.append(f"… and {len(sightings) - TIP_ROWS} more rows (all: smelterkg query status-history)")
    return "\n".join(lines)


def _lane_tip(history: FacilityHistory) -> str:
    lines = [history.describe(), history.iri, "names:"]
    lines += [f"  {name} ({', '.join(map(str, years)) or 'year unknown'})" for name, years in history.names]
    return "\n".join(lines)


class _Grid:
    """Column and lane positions."""

    def __init__(self, years: tuple[int, ...], lanes: int, label_w: float):
        self.years = years
        self.cell = 1.35 if len(years) <= 6 else 1.1
        self.x0 = MARGIN + label_w
        self.y0 = MARGIN + TITLE_H + HEADER_H
        self.lanes = lanes
        self.right = self.x0 + GAP + len(years) * (self.cell + GAP)

    def left(self, column: int) -> float:
        return self.x0 + GAP + column * (self.cell + GAP)

    def gap_left(self, gap: int) -> float:
        return self.x0 + gap * (self.cell + GAP)

    def lane_top(self, lane: int) -> float:
        return self.y0 + lane * LANE_H

    def lane_mid(self, lane: int) -> float:
        return self.lane_top(lane) + LANE_H / 2

    @property
    def bottom(self) -> float:
        return self.y0 + self.lanes * LANE_H


def _label_width(chain: Chain) -> float:
    widest = max((textfit.width(shorten(f.label), LABEL_SIZES[0], bold=True) for f in chain.facilities), default=1.0)
    return min(max(widest + 0.2, 1.4), LABEL_MAX)


def layout(chain: Chain) -> Scene:
    facilities = chain.facilities
    label_w = _label_width(chain)
    grid = _Grid(chain.years, len(facilities), label_w)
    scene = Scene(width=grid.right + MARGIN, height=0, title=shorten(chain.title(), TITLE_LIMIT))
    lane_of = {f.iri: i for i, f in enumerate(facilities)}
    labels = chain.labels or {f.iri: f.label for f in facilities}

    _title(scene, chain)
    for column, year in enumerate(chain.years):
        scene.texts.append(Text(grid.left(column) + grid.cell / 2, grid.y0 - HEADER_H / 2, str(year), 9, bold=True))
    for lane, history in enumerate(facilities):
        _lane(scene, grid, lane, history, chain)
    used_kinds = _events(scene, grid, chain, lane_of, labels)
    scene.height = _legend(scene, chain, used_kinds, grid.bottom + 0.22)
    return scene


def _title(scene: Scene, chain: Chain) -> None:
    metals = sorted({f.metal for f in chain.facilities})
    count = len(chain.facilities)
    first, last = (chain.years[0], chain.years[-1]) if chain.years else ("?", "?")
    subtitle = (
        f"{count} facilit{'y' if count == 1 else 'ies'} · {', '.join(metals)} · reporting years {first}–{last} · "
        "colour: canonical status that year (most favourable source)"
    )
    scene.texts.append(Text(MARGIN, MARGIN + 0.16, scene.title, 12, bold=True, ha="left"))
    scene.texts.append(Text(MARGIN, MARGIN + 0.42, subtitle, 7.5, colour=MUTED, ha="left"))


def _lane(scene: Scene, grid: _Grid, lane: int, history: FacilityHistory, chain: Chain) -> None:
    top, mid = grid.lane_top(lane), grid.lane_mid(lane)
    focus = history.iri in chain.focus
    band = FOCUS_BAND if focus else LANE_BANDS[lane % 2]
    scene.rects.append(Rect(MARGIN, top, grid.right - MARGIN, LANE_H, band, zorder=0))

    # the facility's label and metal/country, left of the lane
    room = grid.x0 - MARGIN - 0.15
    lines, size = textfit.fit(history.label, room, LANE_H * 0.62, LABEL_SIZES, bold=True)
    sub = " · ".join([history.metal, *history.countries])
    block = len(lines) * textfit.line_height(size) + textfit.line_height(7)
    y = mid - block / 2 + textfit.line_height(size) / 2
    gid = f"lane-{lane}"
    scene.texts.append(Text(MARGIN + 0.08, y + (len(lines) - 1) * textfit.line_height(size) / 2, "\n".join(lines),
                            size, bold=True, ha="left", gid=gid))
    scene.tips[gid] = _lane_tip(history)
    scene.texts.append(Text(MARGIN + 0.08, y + len(lines) * textfit.line_height(size) - textfit.line_height(size) / 2
                            + textfit.line_height(7) / 2 + 0.02, sub, 7, colour=MUTED, ha="left"))

    late = chain.late_years(history.iri)
    y_cell = mid - CELL_H / 2
    for first, last, name in _runs(history, chain.years):
        x_start, x_end = grid.left(first), grid.left(last) + grid.cell
        for column in range(first, last + 1):
            year = chain.years[column]
            x_a = grid.left(column) - (GAP / 2 if column > first else 0)
            x_b = grid.left(column) + grid.cell + (GAP / 2 if column < last else 0)
            gid = f"cell-{lane}-{year}"
            scene.rects.append(Rect(
                x_a, y_cell, x_b - x_a, CELL_H, status_colour(history.status_in(year)),
                edge=LATE_EDGE if year in late else "none", linewidth=1.6 if year in late else 0,
                hatch="////" if year in late else "", gid=gid, zorder=3,
            ))
            scene.tips[gid] = _cell_tip(history, year, year in late)
            if column > first:  # white ticks between the years of one run, clear of its name
                for y_a, y_b in ((y_cell, y_cell + TICK), (y_cell + CELL_H - TICK, y_cell + CELL_H)):
                    scene.lines.append(Line([(x_a, y_a), (x_a, y_b)], "#ffffff", width=1.4, zorder=3.5))
        scene.rects.append(Rect(x_start, y_cell, x_end - x_start, CELL_H, "none", edge="#7a7a7a",
                                linewidth=0.6, rounded=True, zorder=3.6))
        lines, size = textfit.fit(name, x_end - x_start - 0.12, CELL_H - 0.06, NAME_SIZES)
        hatched = any(chain.years[c] in late for c in range(first, last + 1))
        scene.texts.append(Text((x_start + x_end) / 2, mid, "\n".join(lines), size, backdrop=hatched))


def _events(scene: Scene, grid: _Grid, chain: Chain, lane_of: dict[str, int], labels: dict[str, str]) -> set[str]:
    """Arrows for the events between the chain's facilities; returns the kinds drawn."""
    by_gap: dict[int, list[Event]] = defaultdict(list)
    for event in chain.events:
        gap = event.position(chain.years)
        if gap is None or event.original not in lane_of:
            continue
        by_gap[gap].append(event)
    kinds: set[str] = set()
    shown = set(lane_of)
    number = 0
    for gap in sorted(by_gap):
        movers = [e for e in by_gap[gap] if e.kind != "rename"]
        arrivals = _arrivals(movers, lane_of)
        for event in by_gap[gap]:
            gid = f"event-{number}"
            number += 1
            scene.tips[gid] = event_text(event, labels, shown)
            kinds.add(event.kind)
            if event.kind == "rename":
                colour, _, _, _ = EVENT_STYLES["rename"]
                y = grid.lane_mid(lane_of[event.original])
                x_a, x_b = grid.gap_left(gap), grid.gap_left(gap) + GAP
                scene.lines.append(Line([(x_a + 0.03, y), (x_b - 0.02, y)], colour, "solid", 1.6, arrow=True, gid=gid, zorder=5))
            else:
                x = grid.gap_left(gap) + GAP * (movers.index(event) + 1) / (len(movers) + 1)
                _mover(scene, grid, chain, event, gap, x, lane_of, arrivals, gid)
    return kinds


def _arrivals(movers: list[Event], lane_of: dict[str, int]) -> dict[tuple[str, str], int]:
    """(event, lane) -> rank among the arrows arriving at that lane in one gap, so they do not meet."""
    ranks: dict[tuple[str, str], int] = {}
    count: dict[str, int] = defaultdict(int)
    for event in movers:
        for part in event.resulting:
            if part in lane_of:
                ranks[(event.iri, part)] = count[part]
                count[part] += 1
    return {key: rank - (count[key[1]] - 1) / 2 for key, rank in ranks.items()}


def _spans_gap(history: FacilityHistory, years: tuple[int, ...], gap: int) -> bool:
    """Whether one run of the facility covers the gap (listed on both sides under one name)."""
    return any(first < gap <= last for first, last, _ in _runs(history, years))


def _mover(scene: Scene, grid: _Grid, chain: Chain, event: Event, gap: int, x: float,
           lane_of: dict[str, int], arrivals: dict, gid: str) -> None:
    """A split or an absorption: from the original's lane down (or up) to each resulting lane.
    An arrow enters a resulting facility's first year from the left, or, when the facility is
    listed across the gap under one name, its box from above or below (never its name)."""
    colour, dash, _, _ = EVENT_STYLES[event.kind]
    lane = lane_of[event.original]
    y_from = grid.lane_mid(lane)
    targets = [p for p in event.resulting if p in lane_of]
    if not targets:
        return
    arrows: list[Line] = []
    ends: list[float] = []
    for part in targets:
        y_mid = grid.lane_mid(lane_of[part])
        if _spans_gap(chain.facility(part), chain.years, gap):
            side = -1 if y_mid > y_from else 1  # enter through the top edge when coming from above
            y_edge = y_mid + side * CELL_H / 2
            arrows.append(Line([(x, y_edge + side * APPROACH), (x, y_edge)], colour, "solid", 1.4, arrow=True, zorder=5))
            ends.append(y_edge)
        else:
            y = y_mid + arrivals[(event.iri, part)] * ARRIVAL_STEP
            arrows.append(Line([(x, y), (grid.gap_left(gap) + GAP - 0.02, y)], colour, "solid", 1.4, arrow=True, zorder=5))
            ends.append(y)
    listed_before = gap > 0 and chain.facility(event.original).status_in(chain.years[gap - 1]) is not None
    start = [(grid.gap_left(gap), y_from)] if listed_before else []
    low, high = max([*ends, y_from]), min([*ends, y_from])
    scene.lines.append(Line([*start, (x, y_from), (x, low)], colour, dash, 1.4, dot=not listed_before, gid=gid))
    if high < y_from:
        scene.lines.append(Line([(x, y_from), (x, high)], colour, dash, 1.4, gid=gid + "-up"))
        scene.tips[gid + "-up"] = scene.tips[gid]
    for part, arrow in zip(targets, arrows):
        arrow.gid = f"{gid}-{lane_of[part]}"
        scene.tips[arrow.gid] = scene.tips[gid]
        scene.lines.append(arrow)
    if event.kind == "split" and len(targets) < len(event.resulting):
        note = f"{len(targets)} of {len(event.resulting)} parts shown"
        y_note = grid.lane_top(lane) + LANE_H - (LANE_H - CELL_H) / 4
        scene.texts.append(Text(x + 0.06, y_note, note, 6.5, colour=colour, ha="left"))


def _legend(scene: Scene, chain: Chain, kinds: set[str], top: float) -> float:
    """The legend, flowing left to right under the lanes; returns the scene's height."""
    statuses = {f.status_in(y) for f in chain.facilities for y in f.years}
    items: list[tuple[str, str, object]] = [("status", s, STATUS_COLOURS[s]) for s in STATUS_ORDER if s in statuses]
    items.append(("blank", "not listed that year", None))
    items += [("event", EVENT_STYLES[k][3], k) for k in ("rename", "split", "absorption") if k in kinds]
    if any(chain.late_years(f.iri) for f in chain.facilities):
        items.append(("late", "listed after it was absorbed (warning)", None))
    if chain.focus:
        items.append(("focus", "facility named in the question", None))

    x, y = MARGIN, top + 0.12
    swatch, size = 0.32, 7.5
    for kind, text, value in items:
        needed = swatch + 0.08 + textfit.width(text, size) + 0.3
        if x + needed > scene.width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + 0.26
        box = (x, y - 0.08, swatch, 0.16)
        if kind == "status":
            scene.rects.append(Rect(*box, str(value), edge="#7a7a7a", linewidth=0.6))
        elif kind == "blank":
            scene.rects.append(Rect(*box, "#ffffff", edge="#9a9a9a", linewidth=0.6))
        elif kind == "late":
            scene.rects.append(Rect(*box, STATUS_COLOURS["Conformant"], edge=LATE_EDGE, linewidth=1.6, hatch="////"))
        elif kind == "focus":
            scene.rects.append(Rect(*box, FOCUS_BAND, edge="#d9c77a", linewidth=0.6))
        else:
            colour, dash, _, _ = EVENT_STYLES[str(value)]
            scene.lines.append(Line([(x, y), (x + swatch, y)], colour, dash if value != "rename" else "solid", 1.6, arrow=True))
        scene.texts.append(Text(x + swatch + 0.08, y, text, size, ha="left"))
        x += needed
    return y + 0.12 + MARGIN
