"""Events in words, shared by the hover text of the pictures and the terminal tree (kept apart
from the drawing code so the tree does not load matplotlib)."""

from __future__ import annotations

from smelterkg.queries.history import Event


def event_text(event: Event, labels: dict[str, str], shown: set[str] | None = None, all_parts: bool = True) -> str:
    """One event in words, with its evidence (hover text and the terminal tree). A split lists its
    parts (with ``all_parts=False``, only those not in ``shown``)."""
    name = lambda iri: labels.get(iri, iri)  # noqa: E731
    if event.kind == "rename":
        head = f"renamed '{event.old_name}' → '{event.new_name}', {event.bracket()}"
    elif event.kind == "absorption":
        head = f"'{name(event.original)}' absorbed into '{name(event.resulting[0])}', {event.bracket()}"
    else:
        hidden = sorted(name(p) for p in event.resulting if shown is not None and p not in shown)
        head = f"'{name(event.original)}' split into {len(event.resulting)} parts, {event.bracket()}"
        if all_parts:
            head += ": " + "; ".join(sorted(name(p) for p in event.resulting))
        elif hidden:
            head += f"; not in this chain: {'; '.join(hidden)}"
    # one line per source and date (a split's ledger entries often share them, with a note per part)
    evidence = list(dict.fromkeys(f"evidence: {e.source}" + (f" ({e.date})" if e.date else "") for e in event.evidence))
    return "\n".join([head, *evidence])
