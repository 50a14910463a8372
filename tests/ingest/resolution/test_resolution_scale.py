"""The resolver at scale: blocking gives the scorer a number of candidate pairs that grows far
slower than the square of the distinct names, and one report with a 10,000-row table of distinct
facilities resolves with every name its own facility (counts here; seconds are in
benchmarks/resolution_bench.py).

The names are what make blocking quadratic when it is not bounded: many facilities of a metal
printing the same province word and prefix ("Jiangxi ..."), each with a made-up word of its own
that no other name is near (so each name is a facility of its own)."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from smelterkg.data import bundled_reports
from smelterkg.ingest.parse import parse_lines
from smelterkg.ingest.resolution import resolve_reports
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, read_ledger
from smelterkg.ingest.resolution.scoring import candidate_pair_count
from smelterkg.ingest.resolution.variants import Variant, group_by_key

SYLLABLES = "ka lo mi ren ta zu po shi va ne dor bel quin sar tu fe gro hal ix jo".split()
PROVINCES = ["Jiangxi", "Guangxi", "Hunan", "Yunnan", "Ganzhou", "Guangdong", "Fujian", "Zhejiang"]
METALS = ["Gold", "Tin", "Tantalum", "Tungsten"]


def made_up_words(n: int, seed: int) -> list[str]:
    """``n`` words of six syllables, none within Jaro-Winkler 0.85 of another (the scorer calls
    0.88 a typo)."""
    rng = random.Random(seed)
    pool = list(dict.fromkeys("".join(rng.choice(SYLLABLES) for _ in range(6)) for _ in range(3 * n)))
    near = process.cdist(pool, pool, scorer=JaroWinkler.similarity, score_cutoff=0.85, workers=-1) > 0
    kept = numpy.zeros(len(pool), dtype=bool)
    for i in range(len(pool)):
        if not (near[i] & kept).any():
            kept[i] = True
    words = [word for word, keep in zip(pool, kept) if keep][:n]
    assert len(words) == n
    return words


def facility_names(n: int, metal: str, seed: int = 0) -> list[str]:
    """``n`` names of distinct facilities of one metal."""
    rng = random.Random(seed)
    return [f"{rng.choice(PROVINCES)} {word.capitalize()} Smelting Co., Ltd." for word in made_up_words(n, seed)]


def pair_count(n: int) -> int:
    names = facility_names(n, "Tin")
    return candidate_pair_count(group_by_key([Variant("Tin", name, "CN") for name in names]))


def test_candidate_pairs_grow_far_slower_than_the_square_of_the_names():
    small, large = pair_count(500), pair_count(2000)
    growth = math.log(large / small) / math.log(4)  # 2: quadratic, 1: linear
    assert large > small > 0
    assert growth < 1.7, f"candidate pairs {small} -> {large} for 500 -> 2000 names (exponent {growth:.2f})"


def ten_thousand_row_report(rows: list[tuple[str, str]]) -> list[str]:
    """The bundled 2017 report with (metal, name) ``rows`` printed at the top of its smelter
    table, in its row layout (metal, name, country, status)."""
    (path,) = [p for p in bundled_reports() if "2017" in p.name]
    lines = path.read_text(encoding="utf-8").split("\n")
    rng = random.Random(1)
    printed = [f"{metal}\t{name}\tCHINA\t{rng.choice(['Full Compliant', 'Active'])}" for metal, name in rows]
    return lines[:141] + printed + lines[141:]


def test_a_ten_thousand_row_report_resolves_every_distinct_name_to_its_own_facility():
    rows = [(metal, name) for seed, metal in enumerate(METALS) for name in facility_names(2_500, metal, seed)]
    names = [name for _, name in rows]
    report = parse_lines("flood-2017.txt", ten_thousand_row_report(rows))
    (alone,) = [parse_lines(p.name, p.read_text(encoding="utf-8").split("\n")) for p in bundled_reports() if "2017" in p.name]
    ledger = read_ledger(BUNDLED_LEDGER)
    made_up = set(names)
    parsed = {row.name for row in report.rows if row.name in made_up}
    assert len(parsed) >= 9_000, "the parser kept too few of the generated rows for this test to mean anything"

    result = resolve_reports([(report.facts.year, report.rows)], ledger)

    facilities_of_name = Counter(use.text for f in result.facilities for use in f.names if use.text in made_up)
    assert set(facilities_of_name) == parsed
    assert all(count == 1 for count in facilities_of_name.values())
    assert all(len(f.names) == 1 for f in result.facilities if f.names[0].text in made_up)
    # the report's own smelters resolve as they do without the flood
    assert len(result.facilities) - len(parsed) == len(resolve_reports([(alone.facts.year, alone.rows)], ledger).facilities)
    # linear work: a bounded number of candidate partners per key group
    assert result.candidate_pairs <= 10 * len(result.decisions), result.candidate_pairs
