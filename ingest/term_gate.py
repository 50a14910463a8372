"""A cheap gate in front of line typing: can this text hold any table term at all?

Typing a line (``ingest.cells``) looks for metals, statuses, header words and countries at every
word position, which is what a smelter table needs and what a 50 MB file of random words pays for
on every one of its lines. Every such lookup matches a gazetteer phrase (metal, status, header,
country name or alias) from its first word on, so a line none of whose words is the first word of
any phrase can hold none of those terms, whatever the position: for it the typing is known in
advance (a name, or free text) and the lookups are skipped. The gate only ever says "no term
possible": a line it lets through is typed exactly as before, so results do not change.
"""

from __future__ import annotations

import re
from functools import cache

from smelterkg.ingest.countries import country_entries, normalised_words
from smelterkg.ingest.vocabulary import Vocabulary, words

# The word tokens of both tokenisers (``vocabulary.words`` and the country gazetteer's) are the
# same on ASCII text: runs of letters and digits, apostrophes inside, lower-cased. Other text is
# given the words of both tokenisers (they differ on combining marks and some apostrophes).
ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")


def folded_words(text: str) -> list[str]:
    """The folded words of ``text`` as ``vocabulary.words`` gives them, without its offsets and
    cache (one regex on lower-cased ASCII text)."""
    if text.isascii():
        return ASCII_WORD.findall(text.lower())
    return [word for _, _, word in words(text)]


@cache
def _first_words(vocab: Vocabulary) -> frozenset[str]:
    """The folded first word of every phrase a table term is read from."""
    phrases = [*vocab.metals.phrases(), *vocab.statuses.phrases(), *vocab.headers.phrases(), *country_entries()]
    return frozenset(phrase[0] for phrase in phrases if phrase)


@cache
def _first_words_and(vocab: Vocabulary, also: frozenset[str]) -> frozenset[str]:
    return _first_words(vocab) | also


def may_hold_terms(text: str, vocab: Vocabulary, also: frozenset[str] = frozenset()) -> bool:
    """False only when no word of ``text`` begins a metal, status, header or country phrase, nor
    is one of ``also`` (folded words a caller reads on top of the gazetteers)."""
    known = _first_words_and(vocab, also)
    if not known.isdisjoint(folded_words(text)):
        return True
    return not text.isascii() and not known.isdisjoint(normalised_words(text))


__all__ = ["ASCII_WORD", "folded_words", "may_hold_terms"]
