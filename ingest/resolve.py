"""Which facility a mention is about.

For now one facility per metal and normalised name: casefolded, accents stripped, punctuation
dropped, legal forms kept (so 'Asaka Riken Co Ltd' and 'Asaka Riken Co., Ltd.' meet, while
sister plants and subsidiaries stay apart). The layered resolver (identifiers, curated ledger,
probabilistic scoring) replaces this module's ``resolve`` without changing its contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.vocabulary import words

METHOD = "normalised-key"


@dataclass(frozen=True)
class Resolution:
    """A mention's facility: its key (metal + normalised name), how it was decided and why."""

    metal: str
    key: str
    method: str
    reason: str


def normalised_name(name: str) -> str:
    return " ".join(word for _, _, word in words(name))


def resolve(rows: Sequence[MentionRow]) -> list[Resolution | None]:
    """The facility of each row, in order; None for a row with no name or no metal."""
    decisions: list[Resolution | None] = []
    for row in rows:
        key = normalised_name(row.name)
        if not key or not row.metal:
            decisions.append(None)
            continue
        decisions.append(Resolution(row.metal, key, METHOD, f"same metal ({row.metal}) and normalised name '{key}'"))
    return decisions
