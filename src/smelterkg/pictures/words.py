"""Events in words, shared by the hover text of the pictures and the terminal tree (kept apart
from the drawing code so the tree does not load matplotlib)."""

from __future__ import annotations

from smelterkg.queries.history import Event

NAME_LIMIT = 120  # characters of a name shown in a picture's labels (the longest bundled name: 85)
TITLE_LIMIT = NAME_LIMIT + 20  # a title: 'Chain of ' and quotes around a name


def shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters with an ellipsis, at a word boundary when one
    is near: a 10,000-character name must not make a 10,000-character label (nor take minutes to
    measure and wrap). Tooltips and data attributes may keep the whole name.

    >>> shorten("Short Name Ltd.")
    'Short Name Ltd.'
    >>> shorten("Golden Refinery " * 20, 40)
    'Golden Refinery Golden Refinery Golden…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + "…"


def event_text(event: Event, labels: dict[str, str], shown: set[str] | None = None, all_parts: bool = True) -> str:
    """One event in words, with its evidence (hover text and the terminal tree). A split lists its
    parts (with ``all_parts=False``, only those not in ``shown``)."""
    name = lambda iri: shorten(labels.get(iri, iri))  # noqa: E731
    if event.kind == "rename":
        head = f"renamed '{shorten(event.old_name)}' → '{shorten(event.new_name)}', {event.bracket()}"
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
