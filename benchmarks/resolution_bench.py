"""Entity resolution: quality and speed, printed as figures.

    python benchmarks/resolution_bench.py                 # bundled corpus: quality + time
    python benchmarks/resolution_bench.py --synthetic N   # plus N synthetic reports: time, sizes

Quality is pairwise precision / recall / F1 over distinct name variants (metal, printed name,
country) against the hand-built assignment in tests/data/resolution/gold_variants.csv, for the
full resolver and for the alternatives it was measured against:

* normalised key only (no ledger, no scorer);
* the layered resolver without the ledger (what spelling alone achieves);
* rapidfuzz instead of Splink: same metal, compatible country, token-set ratio >= T joins two
  key groups (union-find), for several T — the strongest simple scorer we could think of;
* the full resolver (ledger + Splink on DuckDB + networkx clustering).

Also: the unseen-variants report (attached / decoys kept apart), facilities before and after,
merges per layer, review-queue size and rename candidates. Synthetic reports come from
benchmarks/synthetic.py (bundled rows resampled with spelling noise).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rapidfuzz import fuzz  # noqa: E402

from smelterkg.data import bundled_reports  # noqa: E402
from smelterkg.ingest.parse import parse_file, parse_lines  # noqa: E402
from smelterkg.ingest.resolution import resolve_reports  # noqa: E402
from smelterkg.ingest.resolution.evaluation import facility_assignment, pairwise, read_assignment  # noqa: E402
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, read_ledger  # noqa: E402
from smelterkg.ingest.resolution.variants import collect_variants, countries_compatible, group_by_key  # noqa: E402

DATA = HERE.parent / "tests" / "data" / "resolution"


def key_only(reports_rows) -> dict[tuple[str, str, str], str]:
    variants, _ = collect_variants(reports_rows)
    return {(v.metal, v.name, v.country): str(i) for i, g in enumerate(group_by_key(variants)) for v in g.variants}


def rapidfuzz_alternative(reports_rows, threshold: float) -> dict[tuple[str, str, str], str]:
    """Token-set ratio over the groups' core words, same metal and compatible country."""
    variants, _ = collect_variants(reports_rows)
    groups = group_by_key(variants)
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [g.representative().structure.spaced for g in groups]
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            if groups[i].metal != groups[j].metal or not countries_compatible(groups[i].country, groups[j].country):
                continue
            if fuzz.token_set_ratio(texts[i], texts[j]) >= threshold:
                parent[find(i)] = find(j)
    return {(v.metal, v.name, v.country): str(find(i)) for i, g in enumerate(groups) for v in g.variants}


def unseen_figures(ledger) -> str:
    reports = [parse_file(p) for p in [*bundled_reports(), DATA / "unseen-variants-2023.txt"]]
    result = resolve_reports([(r.facts.year, r.rows) for r in reports], ledger)
    facility_of = facility_assignment(result, [(r.facts.year, r.rows) for r in reports])
    with (DATA / "unseen-variants-2023.csv").open(encoding="utf-8", newline="") as handle:
        key = list(csv.DictReader(handle))
    attached = sum(
        1 for r in key if r["known_name"]
        and facility_of[(r["metal"], r["name"], r["country_code"])] == facility_of[(r["metal"], r["known_name"], r["known_country_code"])]
    )
    variants = sum(1 for r in key if r["known_name"])
    merged = sum(
        1 for r in key if not r["known_name"]
        and sum(1 for f in facility_of.values() if f == facility_of[(r["metal"], r["name"], r["country_code"])]) > 1
    )
    return f"unseen report: {attached}/{variants} variants attached ({attached / variants:.1%}), {merged}/{len(key) - variants} decoys merged"


def with_reference(paths: Sequence[str]) -> None:
    """The full resolver with RMI CMRT look-ups as reference (``--reference``), against the same
    hand-built assignment, and how long reading the look-ups took."""
    from smelterkg.ingest.cmrt import read_lookup
    from smelterkg.ingest.resolution.reference import ReferenceIndex

    reports = [parse_file(path) for path in bundled_reports()]
    rows = [(r.facts.year, r.rows) for r in reports]
    started = time.perf_counter()
    lists = [read_lookup(path) for path in paths]
    read_seconds = time.perf_counter() - started
    index = ReferenceIndex(lists)
    started = time.perf_counter()
    result = resolve_reports(rows, read_ledger(BUNDLED_LEDGER), reference=index)
    seconds = time.perf_counter() - started
    gold = read_assignment(DATA / "gold_variants.csv")
    names = ", ".join(f"{ref.release} ({ref.list_date})" for ref in index.lists)
    print(f"with the RMI look-ups of releases {names}: read in {read_seconds:.2f} s, resolved in {seconds:.2f} s, "
          f"{len(result.facilities)} facilities, merges {result.merges_per_layer}")
    print(f"  full resolver + reference:  {pairwise(facility_assignment(result, rows), gold).summary()}")


def bundled(runs: int) -> None:
    reports = [parse_file(path) for path in bundled_reports()]
    rows = [(r.facts.year, r.rows) for r in reports]
    ledger = read_ledger(BUNDLED_LEDGER)
    gold = read_assignment(DATA / "gold_variants.csv")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = resolve_reports(rows, ledger)
        times.append(time.perf_counter() - started)
    variants = result.variant_count
    print(f"bundled corpus: {sum(len(r) for _, r in rows)} rows, {variants} distinct name variants, "
          f"{len(result.decisions)} key groups, {len(result.facilities)} facilities")
    print(f"resolver time (best of {runs}): {min(times):.2f} s; stages of the last run: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
    print(f"merges per layer: {result.merges_per_layer}; events: {len(result.events)}; "
          f"review queue: {len(result.review)}; rename candidates: {len(result.candidates)}")
    print("pairwise quality vs the hand-built assignment:")
    print(f"  normalised key only:        {pairwise(key_only(rows), gold).summary()}")
    no_ledger = resolve_reports(rows, [])
    print(f"  resolver without the ledger: {pairwise(facility_assignment(no_ledger, rows), gold).summary()}")
    for threshold in (95, 90, 85, 80):
        print(f"  rapidfuzz token-set >= {threshold}:  {pairwise(rapidfuzz_alternative(rows, threshold), gold).summary()}")
    print(f"  full resolver (Splink):     {pairwise(facility_assignment(result, rows), gold).summary()}")
    print(unseen_figures(ledger))


def synthetic(n: int, seed: int, references: Sequence[str] = ()) -> None:
    from synthetic import report_with_truth

    started = time.perf_counter()
    reports, truth = [], {}
    gold = read_assignment(DATA / "gold_variants.csv")
    for index in range(n):
        source, lines, rows_truth = report_with_truth(index, seed)
        reports.append(parse_lines(source, lines))
        for metal, printed, code, original in rows_truth:
            label = gold.get((metal, original, code))
            if label is not None:
                truth[(metal, " ".join(printed.split()), code)] = label
    parsed = time.perf_counter() - started
    rows = [(r.facts.year, r.rows) for r in reports]
    _synthetic_figures(n, rows, truth, parsed, None)
    if references:
        from smelterkg.ingest.cmrt import read_lookup
        from smelterkg.ingest.resolution.reference import ReferenceIndex

        index = ReferenceIndex([read_lookup(path) for path in references])
        print(f"with the RMI look-ups of releases {', '.join(ref.release for ref in index.lists)}:")
        _synthetic_figures(n, rows, truth, parsed, index)


def _synthetic_figures(n: int, rows, truth, parsed: float, reference) -> None:
    started = time.perf_counter()
    result = resolve_reports(rows, read_ledger(BUNDLED_LEDGER), reference=reference)
    seconds = time.perf_counter() - started
    mentions = sum(len(r) for _, r in rows)
    variants = result.variant_count
    print(f"synthetic N={n}: {mentions} mentions (parsed in {parsed:.1f} s), {variants} distinct name variants, "
          f"{len(result.decisions)} key groups, {len(result.facilities)} facilities")
    print(f"resolver time: {seconds:.1f} s ({mentions / seconds:,.0f} mentions/s); stages: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    print(f"merges per layer: {result.merges_per_layer}; review queue {len(result.review)}; rename candidates {len(result.candidates)}")
    print(f"pairwise quality vs the facility each row was drawn from: {pairwise(facility_assignment(result, rows), truth).summary()}")
    true_facilities = len(set(truth.values()))
    print(f"facilities: {len(result.facilities)} against {true_facilities} in the truth "
          f"({(len(result.facilities) - true_facilities) / true_facilities:+.1%})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, metavar="N", help="also resolve N synthetic reports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--reference", nargs="+", metavar="CMRT", default=[], help="also resolve with these CMRT look-ups as reference (the bundled corpus, and the synthetic one when --synthetic)")
    args = parser.parse_args(argv)
    if not args.skip_bundled:
        bundled(args.runs)
    if args.reference:
        with_reference(args.reference)
    if args.synthetic:
        synthetic(args.synthetic, args.seed, args.reference)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
