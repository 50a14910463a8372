"""What the resolution layers share while they run (the blackboard they write on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution.clustering import Edge
from smelterkg.ingest.resolution.ledger import LedgerEntry
from smelterkg.ingest.resolution.reference import ReferenceIndex, ReferenceName
from smelterkg.ingest.resolution.scoring import Model, ScoredPair
from smelterkg.ingest.resolution.variants import KeyGroup, Variant

Link = tuple[int, int, str]
"""Two key group indices and why (a cannot-link, or a pair kept apart)."""


@dataclass(frozen=True)
class LedgerMatch:
    """A ledger entry and the key groups its two names stand for."""

    entry: LedgerEntry
    subjects: tuple[int, ...]
    objects: tuple[int, ...]


@dataclass
class ResolutionState:
    """The inputs of resolution and everything the layers have added so far.

    ``must``: joins that always hold (identifier, ledger); ``cannot``: negative knowledge that no
    scored edge may cross (and that a must-link across is a contradiction); ``apart``: pairs the
    scorer or the reports say are sister facilities (they stop scored edges only); ``ids``: each
    group's smelter IDs (groups of different IDs are never joined by score); ``scored``:
    the merge-band edges, strongest applied first; ``attached``: a misspelled group to the
    group it misspells (applied after the must-links, before the scored edges; see
    ``clustering.cluster``); ``unsure``: pairs an analyst could not decide
    (never merged by score, sent to review)."""

    reports_rows: Sequence[tuple[int | None, Sequence[MentionRow]]]
    ledger: Sequence[LedgerEntry]
    model: Model
    variants: list[Variant] = field(default_factory=list)
    variant_of_row: dict[tuple[int, int], Variant] = field(default_factory=dict)
    groups: list[KeyGroup] = field(default_factory=list)
    must: list[Edge] = field(default_factory=list)
    cannot: list[Link] = field(default_factory=list)
    apart: list[Link] = field(default_factory=list)
    scored: list[Edge] = field(default_factory=list)
    attached: list[Edge] = field(default_factory=list)  # misspelling -> the name it misspells (spelling layer)
    pairs: dict[tuple[int, int], ScoredPair] = field(default_factory=dict)
    unsure: set[tuple[int, int]] = field(default_factory=set)
    ledger_matches: list[LedgerMatch] = field(default_factory=list)
    unmatched_ledger: list[LedgerEntry] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    candidate_pairs: int = 0  # pairs of key groups blocking gave the scorer (its first pass)
    reference: ReferenceIndex | None = None
    reference_ids: dict[int, tuple[str, ReferenceName]] = field(default_factory=dict)  # group -> CID looked up
    reference_near: set[int] = field(default_factory=set)  # groups looked up by a near (one edit) key
    ids: list[frozenset[str]] = field(default_factory=list)  # group -> its CIDs, printed or looked up (identifier layer)

    def timed(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @property
    def years(self) -> list[int]:
        return sorted({year for year, _ in self.reports_rows if year is not None})
