"""Rename candidates: a facility stops being listed in the year another starts, same metal and
country family. Never merged automatically — proposed for review, with the evidence.

One token substitution that explains several such pairs at once (H.C. Starck -> TANIOBIS in
Thailand, Japan and Germany the same year) is stronger evidence than any pair alone, so
candidates are ranked by how many pairs share the words that disappeared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

MIN_SIMILARITY = 0.7  # Jaro-Winkler of the two labels' words, for a pair that shares no word


@dataclass(frozen=True)
class FacilitySpan:
    """What the candidate finder needs of a facility."""

    index: int
    metal: str
    country: str  # country family, '' when unknown
    words: frozenset[str]
    text: str  # the label's core words, for string similarity
    first_year: int
    last_year: int


@dataclass(frozen=True)
class RenameCandidate:
    old: int  # facility indices
    new: int
    metal: str
    country: str
    last_year_old: int
    first_year_new: int
    removed: tuple[str, ...]  # words of the old name not in the new
    added: tuple[str, ...]
    support: int  # gone facilities (any country) whose candidates drop the same words
    shared_words: int
    similarity: float  # Jaro-Winkler of the two names' words ("Yamamoto..." / "Yamakin": 0.8)

    @property
    def rank_key(self) -> tuple:
        return (-self.support, -self.shared_words, -self.similarity, self.metal, self.country, self.old, self.new)

    def evidence(self, labels: Sequence[str]) -> str:
        return (
            f"'{labels[self.old]}' last listed {self.last_year_old}, '{labels[self.new]}' first listed "
            f"{self.first_year_new} ({self.metal}, {self.country or 'country unknown'}); "
            f"'{' '.join(self.removed) or '-'}' -> '{' '.join(self.added) or '-'}' explains {self.support} such pair(s)"
        )


def _in_order(text: str, words: frozenset[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in text.split() if w in words))


def rename_candidates(
    facilities: Sequence[FacilitySpan], years: Sequence[int], linked: set[tuple[int, int]], per_old: int = 2
) -> list[RenameCandidate]:
    """Pairs (gone, new) across consecutive reporting years, best ``per_old`` per gone facility,
    kept when they share a word, their names are alike, or their substitution explains at least two
    gone facilities.
    ``linked``: facility pairs already joined by a ledger event (not proposed again)."""
    order = sorted(set(years))
    following = dict(zip(order, order[1:]))
    starts: dict[tuple[str, str, int], list[FacilitySpan]] = defaultdict(list)
    for facility in facilities:
        starts[(facility.metal, facility.country, facility.first_year)].append(facility)
    raw: list[tuple[FacilitySpan, FacilitySpan]] = []
    for old in facilities:
        next_year = following.get(old.last_year)
        if next_year is None:
            continue
        for new in starts.get((old.metal, old.country, next_year), ()):
            if new.index != old.index and (old.index, new.index) not in linked:
                raw.append((old, new))
    dropping: dict[frozenset[str], set[int]] = defaultdict(set)
    for old, new in raw:
        removed = old.words - new.words
        if removed and new.words - old.words:
            dropping[removed].add(old.index)
    best: dict[int, list[RenameCandidate]] = defaultdict(list)
    for old, new in raw:
        removed, added = old.words - new.words, new.words - old.words
        best[old.index].append(
            RenameCandidate(
                old.index, new.index, old.metal, old.country, old.last_year, new.first_year,
                _in_order(old.text, removed), _in_order(new.text, added), len(dropping.get(removed, ())) if added else 0,
                len(old.words & new.words), round(JaroWinkler.similarity(old.text, new.text), 3),
            )
        )
    chosen = [
        c
        for options in best.values()
        for c in sorted(options, key=lambda c: c.rank_key)[:per_old]
        if c.support >= 2 or c.shared_words > 0 or c.similarity >= MIN_SIMILARITY
    ]
    return sorted(chosen, key=lambda c: c.rank_key)
