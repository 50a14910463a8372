"""Measuring a resolution against a hand-built facility assignment.

Pairwise precision / recall / F1 over distinct name variants (metal, printed name, country): a
pair of variants is predicted "same" when the resolver put them in one facility, and is truly
"same" when the assignment gives them one label. Used by the quality benchmark and the tests.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

Variant = tuple[str, str, str]  # metal, printed name, country code


@dataclass(frozen=True)
class PairwiseScore:
    true_positives: int
    false_positives: int
    false_negatives: int
    false_merges: list[tuple[Variant, Variant]]
    missed: list[tuple[Variant, Variant]]

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.4f}, recall {self.recall:.4f}, F1 {self.f1:.4f} "
            f"({self.true_positives} true pairs found, {self.false_positives} false merges, {self.false_negatives} missed)"
        )


def facility_assignment(resolution, reports_rows) -> dict[Variant, str]:
    """A resolution as an assignment: each (metal, printed name, country code) -> the facility
    (index, as text) its rows resolved to. ``reports_rows``: the (year, rows) it resolved."""
    found: dict[Variant, str] = {}
    for report_index, (_, rows) in enumerate(reports_rows):
        for row_index, row in enumerate(rows):
            facility = resolution.facility_of((report_index, row_index))
            if facility is not None:
                found[(row.metal, row.name, row.country_code)] = str(facility.index)
    return found


def read_assignment(path: Path) -> dict[Variant, str]:
    """A facility assignment CSV: metal,name,country_code,facility (extra columns ignored)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["metal"], r["name"], r["country_code"]): r["facility"] for r in csv.DictReader(handle)}


def _pairs(assignment: Mapping[Variant, str]) -> set[tuple[Variant, Variant]]:
    clusters: dict[str, list[Variant]] = defaultdict(list)
    for variant, label in assignment.items():
        clusters[label].append(variant)
    return {tuple(sorted(pair)) for members in clusters.values() for pair in combinations(members, 2)}  # type: ignore[misc]


def pairwise(predicted: Mapping[Variant, str], gold: Mapping[Variant, str]) -> PairwiseScore:
    """Score ``predicted`` on the variants both assignments cover."""
    common = predicted.keys() & gold.keys()
    found = _pairs({v: predicted[v] for v in common})
    true = _pairs({v: gold[v] for v in common})
    return PairwiseScore(
        len(found & true), len(found - true), len(true - found), sorted(found - true), sorted(true - found)
    )
