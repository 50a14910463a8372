"""From mention rows to the units the resolver works on.

A *variant* is a distinct (metal, printed name, country) — many rows, one variant. A *key
group* gathers the variants of one metal whose normalised keys are equal and whose countries are
compatible (equal, one missing, or Hong Kong printed as China): that is the normalised-key layer.
The scorer and the clusterer work on key groups, so millions of rows become thousands of units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from smelterkg.data import GAZETTEERS_DIR
from smelterkg.ingest.curated import read_table
from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution.names import NameStructure, structure

COUNTRY_COMPATIBILITY_FILE = GAZETTEERS_DIR / "country_compatibility.csv"
COUNTRY_COMPATIBILITY_COLUMNS = ("alpha2", "within", "source", "date")


@lru_cache(maxsize=1)
def country_parents(path: Path = COUNTRY_COMPATIBILITY_FILE) -> dict[str, str]:
    """alpha-2 -> the country filers also print for it (HK -> CN), with evidence required."""
    table = read_table(path, COUNTRY_COMPATIBILITY_COLUMNS, filled=("alpha2", "within"), unique=("alpha2",))
    return {row["alpha2"]: row["within"] for row in table}


def country_family(code: str) -> str:
    """The country a code is compared as: Hong Kong and Macao as China."""
    return country_parents().get(code, code)


def countries_compatible(a: str, b: str) -> bool:
    return not a or not b or country_family(a) == country_family(b)


@dataclass
class Variant:
    """One distinct (metal, printed name, country code) and where it was printed."""

    metal: str
    name: str
    country: str
    rows: list[tuple[int, int]] = field(default_factory=list)  # (report index, row index)
    years: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    smelter_ids: set[str] = field(default_factory=set)

    @property
    def structure(self) -> NameStructure:
        return structure(self.name)


@dataclass
class KeyGroup:
    """Variants of one metal sharing a normalised key and a country family."""

    metal: str
    key: str
    country: str  # the country family ('' when no variant printed one)
    variants: list[Variant] = field(default_factory=list)
    smelter_id: str = ""  # set when one key and country is printed with several smelter IDs: one group per ID

    @property
    def id(self) -> str:
        """Stable identity: metal-independent key plus country family ('-' when unknown), and the
        smelter ID of a group split by ID."""
        base = f"{self.key} {self.country.lower() or '-'}"
        return f"{base} {self.smelter_id.lower()}" if self.smelter_id else base

    @property
    def years(self) -> set[int]:
        return set().union(*(v.years for v in self.variants))

    @property
    def documents(self) -> set[int]:
        return set().union(*(v.documents for v in self.variants))

    @property
    def row_count(self) -> int:
        return sum(len(v.rows) for v in self.variants)

    @property
    def names(self) -> list[str]:
        return sorted({v.name for v in self.variants})

    @property
    def qualifiers(self) -> set[str]:
        """The site qualifiers any of its spellings carries."""
        return {q for v in self.variants for q in v.structure.qualifiers}

    def representative(self) -> Variant:
        """The most printed variant (ties: earliest year, then A-Z)."""
        return min(self.variants, key=lambda v: (-len(v.rows), min(v.years, default=0), v.name))


class GroupIndex:
    """Find the key groups a name (any spelling) and country stand for: the groups of the name's
    normalised key in that metal whose country family is the country's (or unknown)."""

    def __init__(self, groups: Sequence[KeyGroup]):
        self._groups = groups
        self._by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, group in enumerate(groups):
            self._by_key[(group.metal, group.key)].append(index)

    def find(self, metal: str, name: str, country: str = "") -> list[int]:
        """Group indices, the group of the country's own family first."""
        found = self._by_key.get((metal, structure(name).key), [])
        if country:
            family = country_family(country)
            found = [g for g in found if self._groups[g].country in (family, "")]
            found.sort(key=lambda g: self._groups[g].country != family)
        return found


def collect_variants(reports_rows: Sequence[tuple[int | None, Sequence[MentionRow]]]) -> tuple[list[Variant], dict[tuple[int, int], Variant]]:
    """Distinct variants of every row with a name and a metal, and each row's variant."""
    variants: dict[tuple[str, str, str, str], Variant] = {}
    of_row: dict[tuple[int, int], Variant] = {}
    printed_ids: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for _, rows in reports_rows:
        for row in rows:
            if row.smelter_id:
                printed_ids[(row.metal, row.name, row.country_code)].add(row.smelter_id)
    for report_index, (year, rows) in enumerate(reports_rows):
        for row_index, row in enumerate(rows):
            if not row.name or not row.metal or not structure(row.name).key:
                continue
            name = (row.metal, row.name, row.country_code)
            key = (*name, row.smelter_id if len(printed_ids.get(name, ())) > 1 else "")  # a name printed with two IDs: a variant per ID
            variant = variants.get(key)
            if variant is None:
                variant = variants[key] = Variant(row.metal, row.name, row.country_code)
            variant.rows.append((report_index, row_index))
            variant.documents.add(report_index)
            if year is not None:
                variant.years.add(year)
            if row.smelter_id:
                variant.smelter_ids.add(row.smelter_id)
            of_row[(report_index, row_index)] = variant
    return list(variants.values()), of_row


def group_by_key(variants: Sequence[Variant]) -> list[KeyGroup]:
    """The normalised-key layer. Variants without a country join their key's only country
    family; when a key is printed in several incompatible countries (H.C. Starck Inc. in the US,
    H.C. Starck Ltd. in Japan) each country is its own group and countryless variants stay alone."""
    by_key: dict[tuple[str, str], list[Variant]] = defaultdict(list)
    for variant in variants:
        by_key[(variant.metal, variant.structure.key)].append(variant)
    groups: list[KeyGroup] = []
    for (metal, key), members in sorted(by_key.items()):
        families: dict[str, list[Variant]] = defaultdict(list)
        for variant in members:
            families[country_family(variant.country) if variant.country else ""].append(variant)
        countryless = families.pop("", [])
        if len(families) == 1 and countryless:
            next(iter(families.values())).extend(countryless)
        elif countryless:
            families[""] = countryless
        for family, family_variants in sorted(families.items()):
            groups.extend(_by_smelter_id(metal, key, family, family_variants))
    return groups


def _by_smelter_id(metal: str, key: str, family: str, variants: list[Variant]) -> list[KeyGroup]:
    """One key group, or, when its variants print two smelter IDs or more (a group-level name such
    as "China Minmetals Non-ferrous Metals Holding Co., Ltd" listed under three IDs), one group per
    ID and one for the variants that print none: a name does not make two IDs one facility."""
    by_id: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_id[min(variant.smelter_ids) if variant.smelter_ids else ""].append(variant)
    printed = sorted(i for i in by_id if i)
    order = lambda v: (v.name, v.country, sorted(v.smelter_ids))  # noqa: E731
    if len(printed) <= 1:
        return [KeyGroup(metal, key, family, sorted(variants, key=order))]
    groups = [KeyGroup(metal, key, family, sorted(by_id[i], key=order), smelter_id=i) for i in printed]
    if by_id.get(""):
        groups.append(KeyGroup(metal, key, family, sorted(by_id[""], key=order)))
    return groups
