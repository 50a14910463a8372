"""The pair oracle: are two key groups one facility in the build, and why.

It answers from the build's own outcome — each group's decision (its facility, the layer and
reason that attached it, the group it was attached to) and the review queue — never by running
the layers again, so what it says is what the build did. The same code serves the build (from the
in-memory :class:`~.model.Resolution`), ``smelterkg explain`` and ``smelterkg review`` (from the
decisions and review items the store holds: ``queries/resolution.py``).

* same facility: the path of attachments between the two groups, each step with its layer and
  reason (a normalised-key step when both names are in one key group);
* uncertain: the two facilities are a pair of the review queue (held back by a cannot-link, in the
  review band, or marked unsure by an analyst), with the reason and probability;
* different: no layer linked them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from smelterkg.ingest.resolution.model import KEY_LAYER, Resolution


@dataclass(frozen=True)
class DecisionRecord:
    """What the oracle needs of one key group's decision (from the model or the store)."""

    key: str  # the normalised key text: 'Metal|key country'
    facility: Hashable  # the facility's index or IRI
    layer: str
    reason: str
    score: float | None
    attached_to: int | None  # index of the decision it was attached to
    metal: str = ""
    country: str = ""  # the key group's country family ('' unknown)


@dataclass(frozen=True)
class ReviewRecord:
    left: int  # decision indices
    right: int
    reason: str
    probability: float | None
    explanation: str


@dataclass(frozen=True)
class Step:
    """One attachment on the path between two groups: ``child`` was joined to ``parent``."""

    child: int
    parent: int
    layer: str
    reason: str
    score: float | None


@dataclass(frozen=True)
class PairVerdict:
    same: bool | None  # None: uncertain (the pair is in the review queue)
    steps: tuple[Step, ...] = ()
    review: ReviewRecord | None = None

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers that joined the two groups (``normalised-key`` alone for one key group)."""
        if self.same and not self.steps:
            return (KEY_LAYER,)
        return tuple(dict.fromkeys(step.layer for step in self.steps))

    @property
    def outcome(self) -> str:
        return {True: "same", False: "different", None: "uncertain"}[self.same]


class PairOracle:
    def __init__(self, decisions: Sequence[DecisionRecord], review: Sequence[ReviewRecord] = ()):
        self.decisions = list(decisions)
        self._review: dict[frozenset, ReviewRecord] = {}
        for item in review:
            pair = frozenset((self.decisions[item.left].facility, self.decisions[item.right].facility))
            self._review.setdefault(pair, item)

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> PairOracle:
        records = [
            DecisionRecord(d.group.text, d.facility, d.layer, d.reason, d.score, d.attached_to, d.group.metal, d.group.country)
            for d in resolution.decisions
        ]
        review = [ReviewRecord(r.left, r.right, r.reason, r.probability, r.explanation) for r in resolution.review]
        return cls(records, review)

    def _ancestors(self, index: int) -> list[int]:
        path, seen = [index], {index}
        while (parent := self.decisions[path[-1]].attached_to) is not None and parent not in seen:
            path.append(parent)
            seen.add(parent)
        return path

    def _step(self, child: int) -> Step:
        decision = self.decisions[child]
        assert decision.attached_to is not None
        return Step(child, decision.attached_to, decision.layer, decision.reason, decision.score)

    def verdict(self, a: int, b: int) -> PairVerdict:
        """The build's verdict on decisions ``a`` and ``b`` (indices)."""
        left, right = self.decisions[a], self.decisions[b]
        if left.facility == right.facility:
            up_a, up_b = self._ancestors(a), self._ancestors(b)
            on_b = set(up_b)
            meet = next(g for g in up_a if g in on_b)
            steps = [self._step(g) for g in up_a[: up_a.index(meet)]]
            steps += [self._step(g) for g in up_b[: up_b.index(meet)]]
            return PairVerdict(True, tuple(steps))
        item = self._review.get(frozenset((left.facility, right.facility)))
        if item is not None:
            return PairVerdict(None, review=item)
        return PairVerdict(False)

    def review_items(self) -> list[ReviewRecord]:
        """The uncertain pairs, one per pair of facilities, most probable first."""
        return sorted(self._review.values(), key=lambda r: (-(r.probability or 0.0), r.left, r.right))
