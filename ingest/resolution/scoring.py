"""Probabilistic scoring of key groups with Splink (Fellegi-Sunter) on DuckDB.

Each key group is one record: its metal, normalised key, core words, qualifiers, acronyms,
country family and the documents that list it. Pairs are blocked by metal (and a shared rare
word, key prefix, consonant skeleton or acronym). No blocking value pairs more than
MAX_BLOCK key groups of a metal: a word printed by more is not rare and does not block, a key
prefix shared by more grows a letter at a time until it is not, so the candidate pairs grow
linearly with the key groups, not with their square (``candidate_pair_count`` counts them).
Pairs are compared on:

* ``name``      from strongest to weakest: the key exact (term-frequency adjusted: a rare exact key
                weighs more); the same words up to typos (Jaro-Winkler), joins ("Zi-Li" / "Zili")
                and acronyms ("DSC (Do Sung Corporation)"); acronym <-> expansion ("OMSA" /
                "Operaciones Metalurgicas S.A."); distinctive words on both sides (sister
                facilities: "Ganzhou Haichuang" / "Ganzhou Yatai"); one name contained in the other
                ("Dowa" in "Dowa Metals & Mining"), with common or distinctive words extra; only
                common words left over; nothing shared;
* ``qualifier`` a conflict between site qualifiers ("North Plant" / "West Plant", "(Hong Kong)" /
                "(Singapore)", "Goslar" / "Laufenburg") — strongly negative — or a qualifier on
                one side only ("PT Timah Tbk Kundur" / "PT Timah Tbk");
* ``country``   same family (Hong Kong counts as China), different, or unknown;
* ``listing``   listed side by side by most reports that list either (sister plants are; a typo
                is listed once, beside its correct spelling or not): weak evidence of two
                facilities, relative to how often each is listed, so it means the same in five
                reports and in ten thousand.

The SQL of each level lives here; the m- and u-probabilities live in the trained model
(``data/resolution/model.json``, see :mod:`.training`): m from labelled pairs, u from random
pairs of the bundled corpus. No expectation-maximisation on tiny data.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler

from smelterkg.data import RESOLUTION_DIR
from smelterkg.ingest.resolution.variants import KeyGroup

MODEL_FILE = RESOLUTION_DIR / "model.json"

_FUZZY = "(t = u OR (length(t) >= 4 AND length(u) >= 4 AND jaro_winkler_similarity(t, u) >= 0.88))"


def _unmatched_list(column: str, side: str, other: str) -> str:
    """SQL: the words of one side's ``column`` with no partner on the other side — a partner is
    the same word up to a typo, a piece of the other key ("chun" in "hunanchunchang..."), or the
    other side's acronym ("ggc" for "Gujarat Gold Centre")."""
    partner = (
        f"list_bool_or(list_transform(tokens_{other}, lambda u: {_FUZZY}))"
        f" OR (length(t) >= 3 AND strpos(key_{other}, t) > 0) OR list_contains(acronyms_{other}, t)"
    )
    return f"list_filter({column}_{side}, lambda t: NOT ({partner}))"


def _unmatched(column: str, side: str, other: str) -> str:
    return f"len({_unmatched_list(column, side, other)})"


def _unlike(side: str, other: str) -> str:
    """SQL: how many of one side's unmatched distinctive words are more than two edits from every
    word of the other side (two misspellings of one word are alike: "tehc" / "tecch"; "zijin" /
    "zhaojin" are not)."""
    return (
        f"len(list_filter({_unmatched_list('distinct', side, other)}, lambda x: NOT list_bool_or("
        f"list_transform(tokens_{other}, lambda y: damerau_levenshtein(x, y) <= 2))))"
    )


_LEFT, _RIGHT = _unmatched("tokens", "l", "r"), _unmatched("tokens", "r", "l")
_RARE_LEFT, _RARE_RIGHT = _unmatched("distinct", "l", "r"), _unmatched("distinct", "r", "l")
_UNLIKE_LEFT, _UNLIKE_RIGHT = _unlike("l", "r"), _unlike("r", "l")
QUALIFIERS_ALIKE = 0.9  # Jaro-Winkler at or above which two site qualifiers are one ("Kundur" / "Kundru")


def qualifiers_alike(a: str, b: str) -> bool:
    """The qualifier comparison's rule in Python: one contains the other or Jaro-Winkler >= QUALIFIERS_ALIKE."""
    return a in b or b in a or JaroWinkler.similarity(a, b) >= QUALIFIERS_ALIKE


DISTINCT_MAX_GROUPS = 2  # a word in at most this many key groups (or facilities) of a metal is distinctive
MAX_BLOCK = 16  # no blocking value pairs more key groups of a metal than this (the bundled corpus: 10 at most)
PREFIX_LENGTH = 4  # the shortest key prefix that blocks

# comparison -> [(label, SQL condition)], most specific level first; "ELSE" closes each.
COMPARISONS: dict[str, list[tuple[str, str]]] = {
    # One comparison for the name, its levels from strongest to weakest: separate comparisons for
    # string similarity and word overlap would count the same evidence twice.
    "name": [
        ("same key", "key_l = key_r"),
        ("same words, spelling within Jaro-Winkler 0.95", f"{_LEFT} = 0 AND {_RIGHT} = 0 AND jaro_winkler_similarity(core_l, core_r) >= 0.95"),
        ("same words up to typos, joins and acronyms", f"{_LEFT} = 0 AND {_RIGHT} = 0"),
        (
            "acronym of the other",
            "list_has_any(acronyms_l, [key_r]) OR list_has_any(acronyms_r, [key_l])",
        ),
        ("distinctive words on both sides, unlike", f"{_UNLIKE_LEFT} > 0 AND {_UNLIKE_RIGHT} > 0"),
        ("distinctive words left over on both sides", f"{_RARE_LEFT} > 0 AND {_RARE_RIGHT} > 0"),
        ("one contained in the other, only common words extra", f"({_LEFT} = 0 OR {_RIGHT} = 0) AND {_RARE_LEFT} = 0 AND {_RARE_RIGHT} = 0"),
        (
            "one contained in the other, a distinctive word in both",
            f"({_LEFT} = 0 AND len(distinct_l) > 0) OR ({_RIGHT} = 0 AND len(distinct_r) > 0)",
        ),
        ("one contained in the other, the shorter only common words", f"{_LEFT} = 0 OR {_RIGHT} = 0"),
        ("common words left over on both sides", f"{_LEFT} < len(tokens_l)"),
        ("no word shared", "ELSE"),
    ],
    "qualifier": [
        (
            "qualifier conflict",
            "len(qualifiers_l) > 0 AND len(qualifiers_r) > 0 AND NOT list_bool_or(list_transform(qualifiers_l,"
            f" lambda t: list_bool_or(list_transform(qualifiers_r, lambda u: jaro_winkler_similarity(t, u) >= {QUALIFIERS_ALIKE}"
            " OR strpos(t, u) > 0 OR strpos(u, t) > 0))))",
        ),
        ("qualifier on one side only", "len(qualifiers_l) + len(qualifiers_r) > 0 AND (len(qualifiers_l) = 0 OR len(qualifiers_r) = 0)"),
        ("no conflict", "ELSE"),
    ],
    "country": [
        ("same country", "country_l = country_r"),
        ("different country", "ELSE"),
    ],
    "listing": [
        (
            "listed together by most reports that list either",
            "len(list_intersect(docs_l, docs_r)) * 2 >= len(list_distinct(list_concat(docs_l, docs_r)))",
        ),
        ("not mostly listed together", "ELSE"),
    ],
}
NULL_LEVELS = {
    "country": "country_l IS NULL OR country_r IS NULL",
    # Names every column the word levels read inside lambdas, so Splink selects them.
    "name": "key_l IS NULL OR key_r IS NULL OR tokens_l IS NULL OR tokens_r IS NULL OR distinct_l IS NULL"
    " OR distinct_r IS NULL OR acronyms_l IS NULL OR acronyms_r IS NULL",
}
TF_LEVELS = {("name", "same key"): "key"}

BLOCKING_RULES = (
    "l.metal = r.metal AND l.rare1 = r.rare1",
    "l.metal = r.metal AND l.rare1 = r.rare2",
    "l.metal = r.metal AND l.rare2 = r.rare1",
    "l.metal = r.metal AND l.rare2 = r.rare2",
    "l.metal = r.metal AND l.prefix = r.prefix",
    "l.metal = r.metal AND l.skeleton = r.skeleton",
    "l.metal = r.metal AND l.acronym = r.key",
    "l.metal = r.metal AND l.key = r.acronym",
)
# Levels that say "sister facilities": a scored pair at one of them may not be chained into one
# cluster through other pairs.
APART_LEVELS = {("qualifier", "qualifier conflict"), ("name", "distinctive words on both sides, unlike")}


@dataclass(frozen=True)
class Model:
    """Trained parameters: the prior, m/u per comparison level, and the decision bands."""

    prior: float
    parameters: dict[str, dict[str, dict[str, float]]]  # comparison -> level label -> {m, u}
    merge_threshold: float  # match probability at or above which a pair is merged
    review_threshold: float  # ... at or above which (and below merge) it goes to review
    trained_on: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "prior": self.prior,
                "merge_threshold": self.merge_threshold,
                "review_threshold": self.review_threshold,
                "trained_on": self.trained_on,
                "parameters": self.parameters,
            },
            indent=2,
            sort_keys=True,
        ) + "\n"


def load_model(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(data["prior"], data["parameters"], data["merge_threshold"], data["review_threshold"], data["trained_on"])


@lru_cache(maxsize=1)
def bundled_model() -> Model:
    return load_model()


def splink_settings(model: Model | None, blocking_rules: Sequence[str] = BLOCKING_RULES) -> dict[str, Any]:
    """The Splink settings dictionary; without a model, neutral m/u to be trained."""
    comparisons = []
    for name, levels in COMPARISONS.items():
        spec = []
        if name in NULL_LEVELS:
            spec.append({"sql_condition": NULL_LEVELS[name], "label_for_charts": "unknown", "is_null_level": True})
        for label, condition in levels:
            level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label}
            if model is not None:
                level["m_probability"] = model.parameters[name][label]["m"]
                level["u_probability"] = model.parameters[name][label]["u"]
            tf_column = TF_LEVELS.get((name, label))
            if tf_column:
                level["tf_adjustment_column"] = tf_column
                level["tf_adjustment_weight"] = 1.0
            spec.append(level)
        comparisons.append({"output_column_name": name, "comparison_levels": spec})
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": model.prior if model else 1e-3,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in blocking_rules
        ],
        "comparisons": comparisons,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
    }


WordFrequency = Mapping[tuple[str, str], int]  # (metal, word) -> how many units print it


def _group_words(groups: Sequence[KeyGroup]) -> tuple[list[list[str]], Counter[tuple[str, str]]]:
    """Each group's core words (sorted) and how many groups of a metal print each word."""
    frequency: Counter[tuple[str, str]] = Counter()
    words_of = []
    for group in groups:
        tokens = sorted({token for variant in group.variants for token in variant.structure.core})
        words_of.append(tokens)
        frequency.update((group.metal, token) for token in tokens)
    return words_of, frequency


def distinct_changes(groups: Sequence[KeyGroup], word_frequency: WordFrequency) -> set[int]:
    """The groups whose distinctive words differ when counted over ``word_frequency``'s units
    instead of key groups: the only records whose pairs can score differently on that pass."""
    words_of, frequency = _group_words(groups)
    return {
        index
        for index, (group, tokens) in enumerate(zip(groups, words_of))
        if any(
            (frequency[(group.metal, t)] <= DISTINCT_MAX_GROUPS) != (word_frequency.get((group.metal, t), 0) <= DISTINCT_MAX_GROUPS)
            for t in tokens
        )
    }


def records(
    groups: Sequence[KeyGroup], word_frequency: WordFrequency | None = None, rescore: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """One Splink record per key group; ``unique_id`` is the group's index. A word is distinctive
    when at most DISTINCT_MAX_GROUPS units of its metal print it: key groups by default, or the
    units ``word_frequency`` counts (facilities, on the resolver's second pass, so that ten
    misspellings of "PT Bukit Timah" do not make "bukit" look common). ``rescore``: the groups
    whose pairs are scored (column ``rescore``; default all)."""
    words_of, frequency = _group_words(groups)
    distinctness = frequency if word_frequency is None else word_frequency
    result = []
    for index, (group, tokens) in enumerate(zip(groups, words_of)):
        representative = group.representative().structure
        rare = sorted(tokens, key=lambda token: (frequency[(group.metal, token)], -len(token), token))
        result.append(
            {
                "unique_id": index,
                "metal": group.metal,
                "key": group.key,
                "core": representative.spaced,
                "tokens": tokens,
                "qualifiers": sorted(group.qualifiers),
                "acronyms": sorted({a for v in group.variants for a in v.structure.acronyms}),
                "country": group.country or None,
                "docs": sorted(group.documents),
                "rare1": rare[0] if rare else None,
                "rare2": rare[1] if len(rare) > 1 else None,
                "prefix": group.key[:4],
                "skeleton": _skeleton(group.key),
                "distinct": [t for t in tokens if distinctness.get((group.metal, t), 0) <= DISTINCT_MAX_GROUPS],
                "acronym": representative.acronyms[-1] if representative.acronyms else None,
                "rescore": rescore is None or index in rescore,
            }
        )
    _bound_blocks(result)
    return result


def _bound_blocks(rows: list[dict[str, Any]]) -> None:
    """Cap every blocking value at MAX_BLOCK key groups of a metal, in place: a rare word, a
    skeleton or an acronym shared by more does not block; a key prefix shared by more grows a
    letter at a time until its block fits (or is the whole key). Each rule then pairs a record
    with at most MAX_BLOCK others."""
    words: Counter[tuple[str, str]] = Counter()
    for row in rows:
        words.update((row["metal"], word) for word in {row["rare1"], row["rare2"]} - {None})
    skeletons = Counter((row["metal"], row["skeleton"]) for row in rows)
    acronyms = Counter((row["metal"], row["acronym"]) for row in rows if row["acronym"])
    acronyms.update((row["metal"], row["key"]) for row in rows if (row["metal"], row["key"]) in acronyms)
    for row in rows:
        metal = row["metal"]
        for column in ("rare1", "rare2"):
            if row[column] is not None and words[(metal, row[column])] > MAX_BLOCK:
                row[column] = None
        if skeletons[(metal, row["skeleton"])] > MAX_BLOCK:
            row["skeleton"] = None
        if row["acronym"] and acronyms[(metal, row["acronym"])] > MAX_BLOCK:
            row["acronym"] = None
    length, pending = PREFIX_LENGTH, rows
    while pending:
        blocks = Counter((row["metal"], row["key"][:length]) for row in pending)
        still = []
        for row in pending:
            if len(row["key"]) <= length or blocks[(row["metal"], row["key"][:length])] <= MAX_BLOCK:
                row["prefix"] = row["key"][:length]
            else:
                still.append(row)
        length, pending = length + 1, still


def candidate_pair_count(groups: Sequence[KeyGroup], blocking_rules: Sequence[str] = BLOCKING_RULES) -> int:
    """How many distinct pairs of key groups the blocking rules give the scorer (the pairs
    Splink compares), counted with the rules' own SQL over the same records."""
    import duckdb
    import pyarrow

    connection = duckdb.connect()
    try:
        connection.register("records", pyarrow.Table.from_pylist(records(groups), schema=_SCHEMA()))
        union = " UNION ".join(
            f"SELECT l.unique_id AS a, r.unique_id AS b FROM records l JOIN records r ON {rule} WHERE l.unique_id < r.unique_id"
            for rule in blocking_rules
        )
        return int(connection.sql(f"SELECT count(*) FROM ({union})").fetchall()[0][0])
    finally:
        connection.close()


def _skeleton(key: str) -> str:
    """The key's consonants, repeats collapsed: blocks typos in vowels and doubled letters
    ("uraelectromed" / "uralelectromed" -> "rlctrmd")."""
    consonants = [c for c in key if c not in "aeiouy"]
    return "".join(c for i, c in enumerate(consonants) if i == 0 or consonants[i - 1] != c)


@dataclass(frozen=True)
class Level:
    comparison: str
    label: str
    weight: float  # the level's match weight (log2 of m/u), with any term-frequency adjustment


class Scores(list):
    """The scored pairs kept (a list of :class:`ScoredPair`), and how many candidate pairs
    blocking gave the scorer to compare (``compared``: the work done, kept or not)."""

    compared: int = 0


@dataclass(frozen=True)
class ScoredPair:
    left: int  # key group indices, left < right
    right: int
    match_weight: float
    match_probability: float
    levels: tuple[Level, ...]

    @property
    def apart(self) -> bool:
        """Scored at a level that says 'sister facilities' (qualifier conflict, distinctive words)."""
        return any((level.comparison, level.label) in APART_LEVELS for level in self.levels)

    def explain(self) -> str:
        prior = self.match_weight - sum(level.weight for level in self.levels)
        parts = ", ".join(f"{level.comparison}: {level.label} {level.weight:+.1f}" for level in self.levels)
        return f"match weight {self.match_weight:+.1f} (probability {self.match_probability:.3f}) = prior {prior:+.1f}, {parts}"


class _Linkage:
    """A DuckDB connection holding the records, and a Splink linker over them."""

    def __init__(self, rows: list[dict[str, Any]], model: Model | None, blocking_rules: Sequence[str] = BLOCKING_RULES):
        import duckdb
        import pyarrow
        from splink import DuckDBAPI, Linker

        for name in ("splink", "splink.internals"):
            logging.getLogger(name).setLevel(logging.ERROR)
        self.connection = duckdb.connect()
        self.connection.register("records_arrow", pyarrow.Table.from_pylist(rows, schema=_SCHEMA()))
        self.connection.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
        self.connection.unregister("records_arrow")
        self.api = DuckDBAPI(self.connection)
        self.linker = Linker(self.api.register("records"), splink_settings(model, blocking_rules), log_level=logging.ERROR)

    def close(self) -> None:
        self.connection.close()


def _SCHEMA():  # noqa: N802 - built lazily so pyarrow loads only when scoring runs
    import pyarrow as pa

    text, texts = pa.string(), pa.list_(pa.string())
    return pa.schema(
        [
            ("unique_id", pa.int64()), ("metal", text), ("key", text), ("core", text), ("tokens", texts),
            ("qualifiers", texts), ("acronyms", texts), ("country", text), ("docs", pa.list_(pa.int64())),
            ("rare1", text), ("rare2", text), ("prefix", text), ("skeleton", text), ("distinct", texts), ("acronym", text),
            ("rescore", pa.bool_()),
        ]
    )


def _weight(model: Model, comparison: str, label: str) -> float:
    parameters = model.parameters[comparison][label]
    return math.log2(parameters["m"] / parameters["u"])


def _levels(row: dict[str, Any], model: Model) -> tuple[Level, ...]:
    """Which level of each comparison a pair fell in. Splink 5 keeps each comparison's match
    weight (``mw_*``) but not its level, so the level is the one whose weight it is."""
    levels = []
    for name, specs in COMPARISONS.items():
        weight = float(row.get(f"mw_{name}") or 0.0)
        label, best = "unknown", 1e-6
        for level_label, _ in specs:
            distance = abs(_weight(model, name, level_label) - weight)
            if distance < best:
                label, best = level_label, distance
        weight += float(row.get(f"mw_tf_adj_{name}") or 0.0)
        levels.append(Level(name, label, weight))
    return tuple(levels)


def score(
    groups: Sequence[KeyGroup],
    model: Model | None = None,
    threshold: float | None = None,
    blocking_rules: Sequence[str] = BLOCKING_RULES,
    word_frequency: WordFrequency | None = None,
    rescore: Collection[int] | None = None,
) -> Scores:
    """Every blocked pair of key groups at or above ``threshold`` (default: the review band), and
    every pair scored as sister facilities (the clusterer keeps those apart). ``rescore``: only
    the blocked pairs with at least one of these groups (default: every blocked pair)."""
    model = model or bundled_model()
    if len(groups) < 2 or (rescore is not None and not rescore):
        return Scores()
    if rescore is not None:
        blocking_rules = [f"({rule}) AND (l.rescore OR r.rescore)" for rule in blocking_rules]
    linkage = _Linkage(records(groups, word_frequency, rescore), model, blocking_rules)
    try:
        threshold = model.review_threshold if threshold is None else threshold
        predictions = linkage.linker.inference.predict()
        apart = " OR ".join(
            f"abs(mw_{name} - {_weight(model, name, label)!r}) < 1e-9" for name, label in sorted(APART_LEVELS)
        )
        available = set(linkage.connection.sql(f"SELECT * FROM {predictions.physical_name} LIMIT 0").columns)
        weights = [c for name in COMPARISONS for c in (f"mw_{name}", f"mw_tf_adj_{name}") if c in available]
        relation = linkage.connection.sql(
            f"SELECT unique_id_l, unique_id_r, match_weight, match_probability, {', '.join(weights)}"
            f" FROM {predictions.physical_name} WHERE match_probability >= {float(threshold)!r} OR {apart}"
        )
        levels_of: dict[tuple, tuple[Level, ...]] = {}  # the weight columns take few distinct values
        pairs = []
        for values in relation.fetchall():
            left, right = sorted((int(values[0]), int(values[1])))
            signature = values[4:]
            levels = levels_of.get(signature)
            if levels is None:
                levels = levels_of[signature] = _levels(dict(zip(weights, signature)), model)
            pairs.append(ScoredPair(left, right, float(values[2]), float(values[3]), levels))
        scores = Scores(sorted(pairs, key=lambda p: (p.left, p.right)))
        scores.compared = int(linkage.connection.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0])
        return scores
    finally:
        linkage.close()

