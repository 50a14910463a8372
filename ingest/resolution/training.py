"""Train the match model: m-probabilities from labelled pairs, u from random pairs.

``data/resolution/labelled_pairs.csv`` holds name pairs judged by hand (same / different) on the
bundled reports. Splink estimates each comparison level's m-probability from the "same" pairs
(``estimate_m_from_pairwise_labels``) and its u-probability from random pairs of the bundled
corpus (``estimate_u_using_random_sampling`` with a fixed seed: the model is reproducible). The
prior is the share of matching pairs among same-metal pairs. No expectation-maximisation: on a
few hundred names it would fit noise.

Run ``python -m smelterkg.ingest.resolution.training`` after changing the pairs or the
comparisons; it rewrites ``data/resolution/model.json`` (a test fails while it is stale).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from smelterkg.data import RESOLUTION_DIR, bundled_reports
from smelterkg.ingest.curated import read_table
from smelterkg.ingest.resolution.names import structure
from smelterkg.ingest.resolution.scoring import COMPARISONS, MODEL_FILE, Model, _Linkage, records, score
from smelterkg.ingest.resolution.variants import GroupIndex, KeyGroup, collect_variants, group_by_key

PAIRS_FILE = RESOLUTION_DIR / "labelled_pairs.csv"
PAIR_COLUMNS = ("metal", "name_l", "country_l", "name_r", "country_r", "label", "note")
SEED = 20261121
MERGE_THRESHOLD = 0.99  # placeholder while training; the trained threshold replaces it
MERGE_PRECISION = 0.99  # share of 'same' among labelled pairs merged at the chosen threshold
MERGE_THRESHOLD_FLOOR = 0.5
REVIEW_THRESHOLD = 0.01
_SMOOTH = 1e-4  # a level never seen among matches (or non-matches) is rare, not impossible


@dataclass(frozen=True)
class LabelledPair:
    metal: str
    left: tuple[str, str]  # (printed name, country code)
    right: tuple[str, str]
    same: bool


def read_pairs(path: Path = PAIRS_FILE) -> list[LabelledPair]:
    """The labelled pairs, read as every curated table is (a pair labelled twice is an error);
    judgements of the bundled corpus, so they carry no source or date."""
    pairs = []
    table = read_table(path, PAIR_COLUMNS, PAIR_COLUMNS[:-1], evidence=None, dates=(), unique=PAIR_COLUMNS[:5])
    for row in table:
        if row["label"] not in ("same", "different"):
            raise row.error(f"label must be same or different, not {row['label']!r}")
        pairs.append(
            LabelledPair(row["metal"], (row["name_l"], row["country_l"]), (row["name_r"], row["country_r"]), row["label"] == "same")
        )
    return pairs


def bundled_groups() -> list[KeyGroup]:
    """The key groups of the bundled reports (the corpus u-probabilities are sampled from)."""
    from smelterkg.ingest.parse import parse_file

    reports = [parse_file(path) for path in bundled_reports()]
    variants, _ = collect_variants([(r.facts.year, r.rows) for r in reports])
    return group_by_key(variants)


def _lookup(index: GroupIndex, metal: str, name: str, country: str) -> int | None:
    found = index.find(metal, name, country)
    return found[0] if found else None


def train(pairs: Sequence[LabelledPair], groups: Sequence[KeyGroup]) -> Model:
    """Estimate the model with Splink from the labelled pairs over ``groups``."""
    index = GroupIndex(groups)
    labels = set()
    for pair in pairs:
        if not pair.same:
            continue
        a, b = _lookup(index, pair.metal, *pair.left), _lookup(index, pair.metal, *pair.right)
        if a is None or b is None:
            raise ValueError(f"labelled pair not in the bundled corpus: {pair}")
        if a != b:
            labels.add((min(a, b), max(a, b)))
    linkage = _Linkage(records(groups), None)
    try:
        logging.getLogger("splink").setLevel(logging.ERROR)
        linkage.linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED, min_count_per_level=None)
        linkage.connection.execute("CREATE TABLE labels (unique_id_l BIGINT, unique_id_r BIGINT, source_dataset_l VARCHAR, source_dataset_r VARCHAR)")
        linkage.connection.executemany("INSERT INTO labels VALUES (?, ?, NULL, NULL)", sorted(labels))
        linkage.linker.training.estimate_m_from_pairwise_labels("labels")
        settings = linkage.linker.misc.save_model_to_json()
    finally:
        linkage.close()
    parameters: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability") or _SMOOTH
            u = level.get("u_probability") or _SMOOTH
            parameters[comparison["output_column_name"]][level["label_for_charts"]] = {"m": round(max(m, _SMOOTH), 6), "u": round(max(u, _SMOOTH), 6)}
    missing = [(c, label) for c, levels in COMPARISONS.items() for label, _ in levels if label not in parameters.get(c, {})]
    if missing:
        raise ValueError(f"levels without parameters: {missing}")
    per_metal: dict[str, int] = defaultdict(int)
    for group in groups:
        per_metal[group.metal] += 1
    comparisons = sum(n * (n - 1) // 2 for n in per_metal.values())
    prior = round(len(labels) / comparisons, 8)
    model = Model(prior, dict(parameters), MERGE_THRESHOLD, REVIEW_THRESHOLD, "")
    merge_threshold = _merge_threshold(model, pairs, groups, index)
    digest = hashlib.sha256(PAIRS_FILE.read_bytes()).hexdigest()[:16] if PAIRS_FILE.exists() else "-"
    return Model(
        prior, dict(parameters), merge_threshold, REVIEW_THRESHOLD,
        f"{len(labels)} matching key-group pairs from labelled_pairs.csv (sha256 {digest}); u from {SEED=}",
    )


def _merge_threshold(
    model: Model, pairs: Sequence[LabelledPair], groups: Sequence[KeyGroup], index: GroupIndex
) -> float:
    """The lowest match probability at which the labelled pairs scored at or above it are at
    least MERGE_PRECISION 'same' (never below MERGE_THRESHOLD_FLOOR), set halfway to the next
    lower score seen."""
    scored = {(p.left, p.right): p.match_probability for p in score(groups, model, threshold=0.0)}
    outcomes = []
    for pair in pairs:
        a, b = _lookup(index, pair.metal, *pair.left), _lookup(index, pair.metal, *pair.right)
        if a is None or b is None or a == b:
            continue
        probability = scored.get((min(a, b), max(a, b)))
        if probability is not None:
            outcomes.append((probability, pair.same))
    outcomes = sorted(outcomes, reverse=True)
    best = 1.0
    same = different = 0
    for probability, is_same in outcomes:
        same, different = same + is_same, different + (not is_same)
        if same / (same + different) >= MERGE_PRECISION:
            best = probability
    # Halfway down to the next lower score: pairs scored exactly like the last accepted ones are
    # merged however the last digit rounds.
    lower = max((p for p, _ in outcomes if p < best), default=MERGE_THRESHOLD_FLOOR)
    return round(max((best + lower) / 2, MERGE_THRESHOLD_FLOOR), 6)


def pairs_from_assignment(path: Path) -> list[tuple[str, ...]]:
    """Labelled pairs from a hand-built facility assignment (columns metal,name,country_code,
    facility,relation): every pair of variants of one facility that shares a word is 'same',
    except within facilities joined by a rename (relation 'rename': renames are the ledger's
    business; the scorer learns spelling); pairs of different facilities of one metal that share
    a word are 'different'."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda r: (r["metal"], r["facility"], r["name"], r["country_code"]))
    out = []
    for i, a in enumerate(rows):
        words_a = set(structure(a["name"]).core)
        for b in rows[i + 1 :]:
            if b["metal"] != a["metal"]:
                break
            shared = words_a & set(structure(b["name"]).core)
            if not shared:
                continue
            same = a["facility"] == b["facility"]
            if same and a.get("relation") == "rename":
                continue
            out.append((a["metal"], a["name"], a["country_code"], b["name"], b["country_code"], "same" if same else "different", ""))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smelterkg.ingest.resolution.training", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs-from", type=Path, help="first rewrite labelled_pairs.csv from a facility assignment CSV")
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    if args.pairs_from:
        with PAIRS_FILE.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(PAIR_COLUMNS)
            writer.writerows(pairs_from_assignment(args.pairs_from))
    model = train(read_pairs(), bundled_groups())
    args.output.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.output}: prior {model.prior:.2e}; {model.trained_on}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
