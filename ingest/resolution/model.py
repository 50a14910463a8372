"""What entity resolution hands to the rest of the pipeline: facilities, decisions and events.

The resolver works on key groups (variants.py) and edges between them; this module is its
output, in the terms the graph and the commands speak:

* a :class:`Facility` — one smelter or refiner of one metal: the names it was printed under with
  their years, its countries and smelter IDs, the key group that names its IRI;
* a :class:`Decision` per key group — which facility the group's mentions are about, the layer and
  reason that attached it (and to which group), and the mentions it covers;
* a :class:`FacilityEvent` per rename, absorption or split — the facilities it joins, the years it
  happened between (a bracket computed from the listings) and its evidence;
* the review queue and the rename candidates, for an analyst.

Nothing here is positional: every cross-reference is an index into one of these lists, named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smelterkg.ingest.resolution.ledger import LedgerEntry

MentionRef = tuple[int, int]
"""A mention: (index of its report among the inputs, index of the row within the report)."""

KEY_LAYER = "normalised-key"


@dataclass(frozen=True)
class GroupKey:
    """A key group's identity: metal, normalised name key and country family ('' unknown)."""

    metal: str
    key: str
    country: str
    smelter_id: str = ""  # of a group split by the smelter IDs its name was printed with

    @property
    def id(self) -> str:
        """The metal-independent part of the identity, as in IRIs: key plus country ('-' unknown),
        plus the smelter ID of a group split by ID.

        >>> GroupKey("Gold", "asakariken", "JP").id
        'asakariken jp'
        >>> GroupKey("Tin", "dowa", "").id
        'dowa -'
        >>> GroupKey("Tungsten", "chinaminmetalsnonferrousmetalsholding", "CN", "CID002321").id
        'chinaminmetalsnonferrousmetalsholding cn cid002321'
        """
        base = f"{self.key} {self.country.lower() or '-'}"
        return f"{base} {self.smelter_id.lower()}" if self.smelter_id else base

    @property
    def text(self) -> str:
        """The literal written as ``skg:normalisedKey``: ``metal|key country``."""
        return f"{self.metal}|{self.id}"


@dataclass(frozen=True)
class NameUse:
    """A name as printed for a facility, and the reporting years it was printed in (a name only
    printed by reports without a stated year has no years)."""

    text: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class Facility:
    index: int
    metal: str
    key: GroupKey  # the key group the facility is named after (its IRI)
    label: str  # the most printed name of its latest year
    decisions: tuple[int, ...]  # its key groups' decisions
    names: tuple[NameUse, ...]  # sorted by text
    countries: tuple[str, ...]  # ISO codes printed on its rows
    smelter_ids: tuple[str, ...]
    years: tuple[int, ...]  # reporting years it was listed in

    @property
    def first_year(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def last_year(self) -> int | None:
        return self.years[-1] if self.years else None


@dataclass(frozen=True)
class Decision:
    """How one key group was resolved: to which facility, by which layer, for which reason.

    ``attached_to`` is the decision of the group it was joined to (None for the group a facility
    is named after, and for a group alone): following it from any group leads to the
    facility's named group, so the path between two groups is the build's own explanation of why
    they are one facility."""

    index: int
    group: GroupKey
    facility: int
    layer: str
    reason: str
    score: float | None
    attached_to: int | None
    names: tuple[str, ...]  # the printed spellings of the group
    mentions: tuple[MentionRef, ...]


@dataclass(frozen=True)
class FacilityEvent:
    """A rename (original and resulting are the same facility), an absorption (original absorbed
    into the one resulting facility) or a split (one original, several parts).

    The bracket: not before the last year the earlier state was listed, not after the first year
    the later one was (``None`` when the listings say nothing)."""

    kind: str  # "rename" | "absorption" | "split"
    metal: str
    original: int  # facility indices
    resulting: tuple[int, ...]
    subject_key: str  # the groups the event names, for its IRI
    object_key: str
    not_before: int | None
    not_after: int | None
    evidence: tuple[LedgerEntry, ...]

    @property
    def old_name(self) -> str:
        return self.evidence[0].subject if self.kind == "rename" else ""

    @property
    def new_name(self) -> str:
        return self.evidence[0].object if self.kind == "rename" else ""

    @property
    def stated_years(self) -> tuple[int, ...]:
        return tuple(sorted({e.year for e in self.evidence if e.year is not None}))


@dataclass(frozen=True)
class ReviewPair:
    """Two key groups (decision indices) an analyst should look at, and why."""

    left: int
    right: int
    reason: str
    probability: float | None
    explanation: str


@dataclass(frozen=True)
class RenameProposal:
    """A facility no longer listed from one year and another first listed the next: maybe a
    rename. Never merged automatically."""

    old: int  # facility indices
    new: int
    metal: str
    last_year_old: int
    first_year_new: int
    support: int
    reason: str


@dataclass
class Resolution:
    """The whole output of entity resolution over a set of reports."""

    facilities: list[Facility]
    decisions: list[Decision]
    events: list[FacilityEvent]
    review: list[ReviewPair]
    candidates: list[RenameProposal]
    ledger: list[LedgerEntry]  # every entry read (matched or not): the ledger graph
    unmatched_ledger: list[LedgerEntry]
    contradictions: list[str]
    merges_per_layer: dict[str, int]
    variant_count: int
    seconds: dict[str, float] = field(default_factory=dict)
    candidate_pairs: int = 0  # pairs of key groups blocking gave the scorer to compare
    _of_mention: dict[MentionRef, int] | None = field(default=None, repr=False, compare=False)

    def decision_of(self, mention: MentionRef) -> Decision | None:
        """The decision covering a mention (None: a row without a name or metal)."""
        if self._of_mention is None:
            self._of_mention = {m: d.index for d in self.decisions for m in d.mentions}
        index = self._of_mention.get(mention)
        return None if index is None else self.decisions[index]

    def facility_of(self, mention: MentionRef) -> Facility | None:
        decision = self.decision_of(mention)
        return None if decision is None else self.facilities[decision.facility]

    def observations(self, reports_years: Sequence[int | None]) -> int:
        """Status observations the graph holds: one per (report with a year, facility)."""
        seen = {
            (report, self.decisions[d].facility)
            for d in range(len(self.decisions))
            for report, _ in self.decisions[d].mentions
            if reports_years[report] is not None
        }
        return len(seen)

    def events_per_kind(self) -> dict[str, int]:
        """Ledger events per kind, counting a split once per part (as the ledger lists them)."""
        counts: dict[str, int] = {}
        for event in self.events:
            counts[event.kind] = counts.get(event.kind, 0) + len(event.evidence)
        return counts
