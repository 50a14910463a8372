"""RMI reference facilities as resolution knowledge: which smelter ID (CID) a name stands for.

A CMRT's Smelter Look-up (``ingest.cmrt``) lists, for every CID, its standard name and every
look-up alias ("Yamamoto Precious Metal" for Yamakin's CID). Indexed here by (metal, normalised
key) — the same key the normalised-key layer groups names by — so a key group whose key is the
key of one CID's standard name or alias, in a compatible country, stands for that CID
(``layers/reference.py``). A key shared by the names of two CIDs of one metal settles nothing and
is left to the other layers.

Several releases of the look-up may be given (each CMRT a supplier sends carries its own); a CID
keeps every name any release gives it, and its latest release's standard name, country, city and
state. :func:`name_changes` and :func:`removals` compare the releases by list date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from smelterkg.ingest.cmrt.models import ReferenceFacility, ReferenceList
from smelterkg.ingest.resolution.ledger import LedgerEntry
from smelterkg.ingest.resolution.names import digits, structure
from smelterkg.ingest.resolution.variants import countries_compatible


@dataclass(frozen=True)
class ReferenceName:
    """One name a reference list gives a CID (its standard name or a look-up alias)."""

    cid: str
    metal: str
    name: str
    standard: bool  # the standard name of that release
    country: str  # alpha-2, '' when unknown
    source: ReferenceList


def list_label(source: ReferenceList) -> str:
    """'RMI CMRT 6.5 (smelter list 2025-03-05)': how a reference list is cited in evidence."""
    when = source.list_date.isoformat() if source.list_date else "date unknown"
    return f"RMI CMRT {source.release or '(release unknown)'} (smelter list {when})"


def _order(source: ReferenceList) -> tuple[date, str]:
    return (source.list_date or date.min, source.release)


class ReferenceIndex:
    """The reference lists of a build, by name key and by CID."""

    def __init__(self, lists: Sequence[ReferenceList]):
        releases: dict[tuple[str, date | None], ReferenceList] = {}
        for source in lists:  # one copy per release: the fullest (every CMRT carries its release's look-up)
            known = releases.get((source.release, source.list_date))
            if known is None or len(source.facilities) > len(known.facilities):
                releases[(source.release, source.list_date)] = source
        self.lists = sorted(releases.values(), key=_order)
        self._by_key: dict[tuple[str, str], list[ReferenceName]] = defaultdict(list)
        self.latest: dict[str, ReferenceFacility] = {}  # CID -> its entry in the latest list that has it
        self.lists_with: dict[str, list[ReferenceList]] = defaultdict(list)  # CID -> the lists that have it, by date
        self._metal_keys: dict[str, list[str]] = {}
        self._removals: dict[str, list[Removal]] | None = None
        for source in self.lists:
            for facility in source.facilities:
                self.latest[facility.cid] = facility
                self.lists_with[facility.cid].append(source)
                names = [(facility.standard_name, True)] + [(a, False) for a in facility.aliases if a != facility.standard_name]
                for name, standard in names:
                    key = structure(name).key
                    if key:
                        self._by_key[(facility.metal, key)].append(
                            ReferenceName(facility.cid, facility.metal, name, standard, facility.country_code, source)
                        )

    def __bool__(self) -> bool:
        return bool(self.lists)

    def names_of(self, metal: str, key: str, country: str) -> list[ReferenceName]:
        """The reference names with this metal and key in a country compatible with ``country``."""
        return [n for n in self._by_key.get((metal, key), ()) if countries_compatible(country, n.country)]

    def cid_of(self, metal: str, key: str, country: str) -> tuple[str, ReferenceName] | None:
        """The one CID whose names have this key (with the name that says so), or None when no
        CID or more than one does."""
        names = self.names_of(metal, key, country)
        cids = {n.cid for n in names}
        if len(cids) != 1:
            return None
        best = max(names, key=lambda n: (n.standard, _order(n.source)))
        return best.cid, best


    def near_cid(self, metal: str, key: str, country: str) -> tuple[str, ReferenceName] | None:
        """Spelling noise anchored to the reference: the one CID with a name key one edit away from
        ``key`` (a letter dropped, doubled or mistyped: "Human Chun-Chang" / "Hunan Chunchang"), for
        keys of :data:`NEAR_MIN_LENGTH` letters or more whose digits agree (plant numbers stay
        apart); None when no CID or more than one is that close."""
        if len(key) < NEAR_MIN_LENGTH:
            return None
        keys = self._keys_of_metal(metal)
        found = [
            name
            for other in keys
            if abs(len(other) - len(key)) <= NEAR_EDITS and digits(other) == digits(key) and Levenshtein.distance(key, other, score_cutoff=NEAR_EDITS) <= NEAR_EDITS
            for name in self.names_of(metal, other, country)
        ]
        cids = {n.cid for n in found}
        if len(cids) != 1:
            return None
        return found[0].cid, max(found, key=lambda n: (n.standard, _order(n.source)))

    def removals_of(self, cid: str) -> list[Removal]:
        """The releases that dropped ``cid`` after an earlier release listed it."""
        if self._removals is None:
            self._removals = {}
            for removal in removals(self):
                self._removals.setdefault(removal.cid, []).append(removal)
        return self._removals.get(cid, [])

    def _keys_of_metal(self, metal: str) -> list[str]:
        if metal not in self._metal_keys:
            self._metal_keys[metal] = sorted(k for m, k in self._by_key if m == metal)
        return self._metal_keys[metal]


NEAR_MIN_LENGTH = 12  # letters of a name key before one edit is taken for noise, not another name
NEAR_EDITS = 1


@dataclass(frozen=True)
class NameChange:
    """A CID whose standard name differs between two consecutive releases that list it."""

    cid: str
    metal: str
    old_name: str
    new_name: str
    before: ReferenceList  # the last release with the old name
    after: ReferenceList  # the first release with the new name


def name_changes(index: ReferenceIndex) -> list[NameChange]:
    changes = []
    previous: dict[str, tuple[ReferenceFacility, ReferenceList]] = {}
    for source in index.lists:
        for facility in source.facilities:
            seen = previous.get(facility.cid)
            if seen is not None and seen[0].standard_name != facility.standard_name:
                changes.append(NameChange(facility.cid, facility.metal, seen[0].standard_name, facility.standard_name, seen[1], source))
            previous[facility.cid] = (facility, source)
    return changes


def rename_entry(change: NameChange) -> LedgerEntry:
    """A standard-name change between two releases as a rename entry of the ledger kind, its
    evidence the two lists (so the event is dated and cited like a curated one). ``year`` is the
    later list's year; ``origin`` names the later list's file and the CID."""
    when = change.after.list_date
    return LedgerEntry(
        kind="rename", metal=change.metal, subject=change.old_name, subject_country="", object=change.new_name,
        object_country="", year=when.year if when else None,
        source=f"{list_label(change.before)} and {list_label(change.after)}: standard name of {change.cid}",
        date=when.isoformat() if when else "", note=f"RMI smelter ID {change.cid}",
        origin=f"{Path(change.after.path).name}:{change.cid}",
    )  # fmt: skip


@dataclass(frozen=True)
class Removal:
    """A CID listed by a release and absent from the next one (by list date)."""

    cid: str
    metal: str
    last_listed: ReferenceList
    removed_in: ReferenceList


def removals(index: ReferenceIndex) -> list[Removal]:
    out = []
    for earlier, later in zip(index.lists, index.lists[1:]):
        kept = {f.cid for f in later.facilities}
        out.extend(Removal(f.cid, f.metal, earlier, later) for f in earlier.facilities if f.cid not in kept)
    return out


__all__ = ["rename_entry", "NameChange", "ReferenceIndex", "ReferenceName", "Removal", "list_label", "name_changes", "removals"]
