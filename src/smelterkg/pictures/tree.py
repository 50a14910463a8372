"""A chain as a tree for the terminal: each facility with its RMI smelter ID and what the
reference lists say of it (when the store has them), its years (name printed, canonical status, the
rows it came from), its renames between the years they fall between, and below it
the facilities it was split into or absorbed into, indented."""

from __future__ import annotations

from smelterkg.pictures.words import TITLE_LIMIT, event_text, shorten
from smelterkg.queries.chains import Chain
from smelterkg.queries.history import Event, FacilityHistory
from smelterkg.queries.reference_evidence import reference_lines

INDENT = "    "
ROWS_SHOWN = 4  # source rows quoted per year; a facility listed by many filers has hundreds


def _position(event: Event, years: tuple[int, ...]) -> int:
    at = event.position(years)
    return len(years) if at is None else at


def _year_line(history: FacilityHistory, year: int, late: bool, name_width: int) -> str:
    sightings = history.sightings_in(year)
    rows = "; ".join(
        f"{s.source} {s.where}" + (f" '{s.status}'" if s.status else " no status printed")
        + (f", {s.filer}" if s.filer else "")
        for s in sightings[:ROWS_SHOWN]
    )
    if len(sightings) > ROWS_SHOWN:
        rows += f"; and {len(sightings) - ROWS_SHOWN} more rows (all: smelterkg query status-history)"
    warning = "  ! listed after it was absorbed" if late else ""
    return f"{year}  {shorten(history.name_in(year) or ''):<{name_width}}  {history.status_in(year):<14}  [{rows}]{warning}"


def _describe(history: FacilityHistory) -> str:
    """'Label [metal, countries]', with a very long label shortened."""
    country = ", ".join(history.countries)
    return f"{shorten(history.label)} [{history.metal}{', ' + country if country else ''}]"


def _block(text: str, prefix: str) -> list[str]:
    first, *rest = text.split("\n")
    return [prefix + first, *(prefix + "  " + line for line in rest)]


def _facility(chain: Chain, history: FacilityHistory, depth: int, done: set[str], out: list[str]) -> None:
    pad = INDENT * depth
    if history.iri in done:
        out.append(f"{pad}{_describe(history)} (shown above)")
        return
    done.add(history.iri)
    years = history.years
    span = f"listed {years[0]}–{years[-1]}" if len(years) > 1 else f"listed {years[0]}" if years else "never listed"
    asked = "   <- the name asked" if history.iri in chain.focus else ""
    out.append(f"{pad}{_describe(history)}  {span}{asked}")
    out.extend(reference_lines(chain.reference(history.iri), pad + INDENT))  # none without reference lists
    labels = chain.labels or {f.iri: f.label for f in chain.facilities}
    renames = [e for e in chain.events if e.kind == "rename" and e.original == history.iri]
    late = chain.late_years(history.iri)
    width = max((len(shorten(history.name_in(y) or "")) for y in years), default=0)
    for index, year in enumerate([*years, None]):
        for event in renames:
            if _position(event, years) == index:
                out.extend(_block("~> " + event_text(event, labels), pad + INDENT + "  "))
        if year is not None:
            out.append(pad + INDENT + _year_line(history, year, year in late, width))
    shown = set(chain.iris())
    for event in chain.events:
        if event.kind == "rename" or event.original != history.iri:
            continue
        out.extend(_block("=> " + event_text(event, labels, shown, all_parts=False), pad + INDENT))
        for part in chain.facilities:  # in lane order
            if part.iri in event.resulting:
                _facility(chain, part, depth + 2, done, out)


def render_text(chain: Chain) -> str:
    metals = ", ".join(sorted({f.metal for f in chain.facilities}))
    count = len(chain.facilities)
    years = f"reporting years {chain.years[0]}–{chain.years[-1]}" if chain.years else "no reporting years"
    out = [f"{shorten(chain.title(), TITLE_LIMIT)}: {count} facilit{'y' if count == 1 else 'ies'} ({metals}), {years}", ""]
    done: set[str] = set()
    predecessors = {p for e in chain.events if e.kind != "rename" for p in e.resulting if e.original in chain.iris()}
    for history in chain.facilities:
        if history.iri not in predecessors and history.iri not in done:
            _facility(chain, history, 0, done, out)
            out.append("")
    for history in chain.facilities:  # left over only when events loop
        if history.iri not in done:
            _facility(chain, history, 0, done, out)
            out.append("")
    for problem in chain.problems:
        out.append(f"warning: {problem.message}")
    return "\n".join(out).rstrip() + "\n"
