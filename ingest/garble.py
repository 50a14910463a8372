"""Recognising garbled OCR copies of a neighbouring row.

PDF extraction sometimes prints a second, OCR-damaged copy of a row ("Goid  SOL Shyorkovsky
ractory of Secondary rectous Metals") or glues a damaged copy of the previous row's name in front
of a name ("Chiniet S.p.A. Chugai Mining"). A copy differs from its original by character noise
spread over several words; a sister facility differs by whole words ("North Plant" / "West
Plant", "(Hong Kong)" / "(Singapore)"). That difference is what these tests look for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from smelterkg.ingest.vocabulary import Vocabulary, words

COPY_MIN_RATIO = 75.0  # whole-string similarity of a copy to its original (0-100)
TOKEN_MIN_RATIO = 50.0  # each damaged word must still resemble a word of the original
PREFIX_MIN_LENGTH_RATIO = 0.8


@lru_cache(maxsize=1 << 16)
def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name."""
    return tuple(word for _, _, word in words(text))


_tokens = name_words


def is_garbled_copy(candidate: str, original: str, counts: Counter[str] | None = None) -> bool:
    """True when ``candidate`` reads as ``original`` with OCR noise in two or more words.

    The words must line up one to one (OCR damages letters, not the word count), each damaged
    word must still resemble the word it replaces, and - when the report's word counts are
    given - a damaged word must be one no other name of the report uses: 'Hunan Chunchang
    Nonferrous' is not a damaged 'Yunnan Chengfeng Non-ferrous', because 'Hunan' is a real word
    of the report."""
    if counts is not None and any(counts[x] > 1 for x, y in zip(name_words(candidate), name_words(original)) if x != y):
        return False
    return _garbled_shape(candidate, original)


@lru_cache(maxsize=1 << 16)
def _garbled_shape(candidate: str, original: str) -> bool:
    """The word-by-word shape test of :func:`is_garbled_copy`, cached per pair of names."""
    a, b = _tokens(candidate), _tokens(original)
    if not a or a == b or len(a) != len(b):
        return False
    damaged = [(x, y) for x, y in zip(a, b) if x != y]
    if len(damaged) < 2:
        return False
    if fuzz.ratio(" ".join(a), " ".join(b)) < COPY_MIN_RATIO:
        return False
    return all(fuzz.ratio(x, y) >= TOKEN_MIN_RATIO for x, y in damaged)


def support(name: str, word_counts: Counter[str]) -> float:
    """Share of a name's words that other names of the same report also use. The original of a
    garbled pair scores higher: OCR noise produces words nobody else writes."""
    tokens = _tokens(name)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if word_counts[t] > 1) / len(tokens)


def word_counts(names: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(set(_tokens(name)))
    return counts


@lru_cache(maxsize=1 << 16)
def legal_form_boundaries(name: str, vocab: Vocabulary) -> tuple[int, ...]:
    """Char offsets where a name could end and another begin: after a legal form ('Corp.',
    'Co., Ltd.', 'S.p.A.') when the next word starts with a capital and is not itself a legal
    form or a connector."""
    pieces = name.split()
    offsets: list[int] = []
    position = 0
    spans = []
    for piece in pieces:
        start = name.index(piece, position)
        spans.append((start, start + len(piece), piece))
        position = start + len(piece)
    for i in range(len(spans) - 1):
        piece, following = spans[i][2], spans[i + 1][2]
        if not vocab.is_legal_form(piece) or vocab.is_legal_form(following):
            continue
        if not following[:1].isupper() and not following[:1].isdigit():
            continue
        offsets.append(spans[i + 1][0])
    return tuple(offsets)


def garbled_prefix(name: str, neighbour: str, vocab: Vocabulary) -> int | None:
    """Where the real name starts when ``name`` begins with a damaged copy of ``neighbour``
    ('Lingbao Gota Co., Ltd. Lingbao Jinyuan Tonghui Refinery Co., Ltd.' after 'Lingbao Gold
    Co., Ltd.'). An exact copy is not stripped: 'Eco-System Recycling Co., Ltd. North Plant'
    legitimately begins with its sister's name."""
    target = " ".join(_tokens(neighbour))
    for offset in legal_form_boundaries(name, vocab):
        prefix = " ".join(_tokens(name[:offset]))
        rest = name[offset:].strip()
        if len(_tokens(rest)) < 2 or prefix == target or not prefix:
            continue
        if min(len(prefix), len(target)) / max(len(prefix), len(target)) < PREFIX_MIN_LENGTH_RATIO:
            continue
        if fuzz.ratio(prefix, target) >= COPY_MIN_RATIO:
            return offset
    return None
