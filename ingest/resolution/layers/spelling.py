"""The spelling layer: a one-off misspelling of a well-attested name joins that name's facility.

A mistyped name ("Istanbul Glld Refinery", "Aurnbis AG", "H.C. Starck GibH") is printed by one
report, beside hundreds that print it right; its words are no longer the other name's words, so
neither the key nor the scorer's word levels can see that it is the same facility (one edit
inside a short word is as far as two different words). Support tells it: a spelling one edit
from a name that many more reports print, in the same metal and a compatible country, is that
name. So a key group joins the facility of the name it is one edit from when

* its facility is printed by few reports and the other by at least ``SUPPORT_RATIO`` times as
  many (and ``MIN_SUPPORT`` at least): two facilities both well attested stay two;
* the edit (Damerau-Levenshtein, on the folded letters of a printed name or on the normalised
  keys) leaves the digits alike: "Unit 1" / "Unit 2" and "Plant No. 3" / "No. 8" stay apart;
* the shorter spelling has at least ``MIN_LETTERS`` letters;
* one facility is that close, or one printed by ``SUPPORT_RATIO`` times as many reports as each
  other that is (those are its misspellings, not yet joined): a spelling between two alike
  candidates is left alone;
* the pair has no evidence of two facilities of its own: site qualifiers in conflict, listed side
  by side by most reports that list either, an analyst unsure.

It runs before the score layer, on the facilities the must-links make. Its joins
(``ResolutionState.attached``) are applied after the must-links and before the scored edges: a
cannot-link (an analyst's "different", two smelter IDs, a ledger event) anywhere between the two
facilities stops one, the scorer's pairs kept apart do not (to the scorer "aurusis" and "auubis"
are two unlike words; both are one edit from "aurubis"). The score layer then leaves the joined
misspellings out. Measured on the RMI look-ups of releases 6.01-6.5: no two smelter IDs of one
metal and country have names one such edit apart.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Sequence

from rapidfuzz.distance import OSA

from smelterkg.ingest.resolution.clustering import Edge, cluster
from smelterkg.ingest.resolution.layers.score import colisted
from smelterkg.ingest.resolution.layers.state import ResolutionState
from smelterkg.ingest.resolution.names import digits
from smelterkg.ingest.resolution.scoring import qualifiers_alike
from smelterkg.ingest.resolution.variants import KeyGroup, countries_compatible
from smelterkg.ingest.vocabulary import words

MIN_SUPPORT = 3  # reports printing the well-attested side, at least
SUPPORT_RATIO = 4  # ... and this many times the reports printing the misspelled side
MIN_LETTERS = 4  # the shorter spelling's letters, at least
EDITS = 1


def letters(name: str) -> str:
    """A printed name's folded letters and digits, run together ("H.C. Starck GmbH" -> "hcstarckgmbh")."""
    return "".join(word for _, _, word in words(name))


Form = tuple[str, str]  # ("key" or "letters", the text): forms are compared only with forms of their kind


def spellings(group: KeyGroup) -> set[Form]:
    """The forms a group is compared in: its normalised key and each variant's letters."""
    forms = {("letters", letters(v.name)) for v in group.variants} | {("key", group.key)}
    return {form for form in forms if form[1]}


def _deletions(text: str) -> Iterator[str]:
    """The text and every text one character shorter: two texts one edit apart share one."""
    yield text
    for i in range(len(text)):
        yield text[:i] + text[i + 1 :]


def _dominant(facilities: set[int], support: Sequence[int]) -> int | None:
    """The one facility, or the one printed by SUPPORT_RATIO times as many reports as each other
    (the others are misspellings of it not yet joined); None when two are alike."""
    if len(facilities) <= 1:
        return next(iter(facilities), None)
    best = max(facilities, key=lambda f: (support[f], -f))
    return best if all(support[best] >= SUPPORT_RATIO * support[f] for f in facilities - {best}) else None


def _typo_of(a: str, b: str) -> bool:
    """Two qualifiers that differ in one word, one edit apart and of MIN_LETTERS or more
    ("wuji" / "wusi"; not "unit a" / "unit b")."""
    left, right = a.split(), b.split()
    differ = [(x, y) for x, y in zip(left, right) if x != y]
    return (
        len(left) == len(right) and len(differ) == 1 and min(map(len, differ[0])) >= MIN_LETTERS
        and digits(a) == digits(b) and OSA.distance(*differ[0], score_cutoff=EDITS) <= EDITS
    )


class SpellingLayer:
    name = "spelling"

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        groups = state.groups
        clusters = cluster(len(groups), state.must, state.scored, state.cannot, state.apart, state.ids).clusters
        facility_of = [0] * len(groups)
        support = []
        for facility, members in enumerate(clusters):
            for g in members:
                facility_of[g] = facility
            support.append(len(set().union(*(groups[g].documents for g in members))))
        forms = [spellings(g) for g in groups]
        index = self._attested_index(groups, forms, facility_of, support)
        for g, group in enumerate(groups):
            mine = support[facility_of[g]]
            needed = max(MIN_SUPPORT, SUPPORT_RATIO * mine)
            found = self._near(g, group, forms[g], index, groups, forms, facility_of, support, needed)
            target = _dominant({facility_of[other] for other, _, _ in found}, support)
            if target is None:
                continue
            other, mine_form, their_form = min(f for f in found if facility_of[f[0]] == target)
            if self._sisters(state, g, other):
                continue
            why = (
                f"{mine_form[0]} '{mine_form[1]}' one edit from '{their_form[1]}' ({groups[other].names[0]}), printed by "
                f"{support[facility_of[other]]} reports against {mine}; same metal, compatible country"
            )
            state.attached.append(Edge(g, other, self.name, why))  # left: the misspelling
        state.timed(self.name, time.perf_counter() - started)

    @staticmethod
    def _sisters(state: ResolutionState, g: int, other: int) -> bool:
        """The pair's own evidence of two facilities: an analyst unsure of it, site qualifiers in
        conflict (as the scorer's qualifier comparison judges them: "North Plant" / "West Plant"),
        or listed side by side as the score layer counts it."""
        mine, theirs = state.groups[g].qualifiers, state.groups[other].qualifiers
        return (
            (min(g, other), max(g, other)) in state.unsure
            or bool(mine and theirs and not any(qualifiers_alike(a, b) or _typo_of(a, b) for a in mine for b in theirs))
            or colisted(state.groups[g], state.groups[other])
        )

    @staticmethod
    def _attested_index(
        groups: Sequence[KeyGroup], forms: Sequence[set[Form]], facility_of: Sequence[int], support: Sequence[int]
    ) -> dict[tuple[str, str, str], set[int]]:
        """(metal, kind, a form or a form one character shorter) -> the groups of facilities
        printed by MIN_SUPPORT reports or more (only those can be joined to)."""
        index: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        for g, group in enumerate(groups):
            if support[facility_of[g]] < MIN_SUPPORT:
                continue
            for kind, text in forms[g]:
                for shorter in _deletions(text):
                    index[(group.metal, kind, shorter)].add(g)
        return index

    @staticmethod
    def _near(
        g: int,
        group: KeyGroup,
        mine: set[Form],
        index: dict[tuple[str, str, str], set[int]],
        groups: Sequence[KeyGroup],
        forms: Sequence[set[Form]],
        facility_of: Sequence[int],
        support: Sequence[int],
        needed: int,
    ) -> list[tuple[int, Form, Form]]:
        """The groups of other, far better attested facilities with a form one edit from one of
        ``mine`` (digits alike, long enough, compatible country): (group, my form, its form)."""
        found = []
        candidates = {
            other for kind, text in mine for shorter in _deletions(text) for other in index.get((group.metal, kind, shorter), ())
        }
        for other in sorted(candidates):
            if facility_of[other] == facility_of[g] or support[facility_of[other]] < needed:
                continue
            if not countries_compatible(group.country, groups[other].country):
                continue
            pair = next(
                (
                    (a, b)
                    for a in sorted(mine)
                    for b in sorted(forms[other])
                    if a[0] == b[0] and min(len(a[1]), len(b[1])) >= MIN_LETTERS and digits(a[1]) == digits(b[1])
                    and OSA.distance(a[1], b[1], score_cutoff=EDITS) == EDITS
                ),
                None,
            )
            if pair is not None:
                found.append((other, *pair))
        return found
