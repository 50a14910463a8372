"""Country gazetteer (pycountry + curated aliases) and segmentation of country text.

Reports print a smelter's country in many spellings ("KOREA (REPUBLIC OF)", "Korea,
Republic of", "Korea"), and PDF extraction runs several country cells together on one
line ("KOREA, REPUBLIC OF UNITED STATES OF AMERICA JAPAN ..."). This module recognises
countries by *token sequences*, so punctuation and case differences disappear, and
splits a run-together line into its countries with a small dynamic programme.

Gazetteer entries are pycountry's ``name``, ``official_name`` and ``common_name`` plus
``data/gazetteers/country_aliases.csv``. Alpha-2/alpha-3 codes are deliberately *not*
entries: "IN", "IT", "ARE", "CAN" are English words.

Decisions worth knowing:

* Plain "Congo" stays the Republic of the Congo (CG), as in ISO 3166-1 and pycountry.
  Country lists derived from the RMI/CMRT templates print the DRC as "Congo, Democratic
  Republic of the", so a bare "Congo" there is the other Congo. Every DRC form we have
  evidence for ("DRC", "Democratic Republic of the Congo", "Congo (Kinshasa)"...) is an
  alias, and the loader refuses an alias that would remap an existing entry.
* Bare "Korea" is the Republic of Korea (KR); North Korea is only recognised by its own
  names. "US" and "America" are not aliases: the first is an English word, the second
  ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycountry

from smelterkg.data import GAZETTEERS_DIR
from smelterkg.ingest.curated import CuratedTableError, read_table

__all__ = [
    "ALIASES_PATH",
    "CountryAlias",
    "CountrySpan",
    "country_code",
    "country_entries",
    "normalised_words",
    "is_country_prefix",
    "is_country_text",
    "load_aliases",
    "segment_countries",
]

ALIASES_PATH = GAZETTEERS_DIR / "country_aliases.csv"
_ALIAS_COLUMNS = ("alias", "alpha2", "source", "date")
_CACHE_SIZE = 1 << 16

Tokens = tuple[str, ...]


@dataclass(frozen=True)
class CountrySpan:
    start: int  # char offsets into the input text
    end: int
    text: str  # text[start:end], as printed
    code: str | None  # ISO 3166-1 alpha-2, or None for an unrecognised stretch


@dataclass(frozen=True)
class CountryAlias:
    """One row of the curated alias table, with its evidence."""

    alias: str
    alpha2: str
    source: str
    date: str
    line: int


# --- tokens -------------------------------------------------------------------------

# A word token is a run of letters/digits (plus combining marks, so decomposed input is
# not split mid-letter) with apostrophes allowed *inside* ("People's", "d'Ivoire").
# Everything else - spaces, , ( ) . / - and stray symbols - separates tokens and
# belongs to no token, which is why a lone "-" or "·" ends up in no span.
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"(?:[^\W_]|[{_MARK}])"
_TOKEN_RE = re.compile(rf"[^\W_]{_WORD}*(?:['\u2019\u02bc\u2018]{_WORD}+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


@lru_cache(maxsize=_CACHE_SIZE)
def _normalise(token: str) -> str:
    """Casefold, strip accents (NFKD, drop combining marks), unify apostrophes."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token.casefold().translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped or token.casefold()


def _tokenise(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised form) of every word token of text."""
    return [(m.start(), m.end(), _normalise(m.group())) for m in _TOKEN_RE.finditer(text)]


def _key(name: str) -> Tokens:
    return tuple(norm for _, _, norm in _tokenise(name))


# --- the gazetteer ------------------------------------------------------------------


def load_aliases(path: Path = ALIASES_PATH) -> list[CountryAlias]:
    """Read and validate a country alias table (columns alias,alpha2,source,date).

    Read as every curated table is (:mod:`smelterkg.ingest.curated`): every row carries its
    evidence, a source and a date (YYYY, YYYY-MM or YYYY-MM-DD), and an alias is listed once.
    Raises :class:`~smelterkg.ingest.curated.CuratedTableError` (a ValueError) naming file and
    line for those and for an unknown alpha-2 code, an alias with no word token, or an alias
    whose tokens another row gives a different code.
    """
    known = {c.alpha_2 for c in pycountry.countries}
    rows: list[CountryAlias] = []
    seen: dict[Tokens, str] = {}
    for row in read_table(path, _ALIAS_COLUMNS, filled=("alias", "alpha2"), unique=("alias",)):
        if row["alpha2"] not in known:
            raise row.error(f"unknown ISO 3166-1 alpha-2 {row['alpha2']!r}")
        key = _key(row["alias"])
        if not key:
            raise row.error(f"alias {row['alias']!r} has no word token")
        if seen.setdefault(key, row["alpha2"]) != row["alpha2"]:
            raise row.error(f"alias {row['alias']!r} given two codes")
        rows.append(CountryAlias(line=row.line, **row))
    return rows


@dataclass(frozen=True)
class _Gazetteer:
    entries: dict[Tokens, str]  # full entry -> alpha-2
    prefixes: frozenset[Tokens]  # every non-empty prefix of an entry, entries included
    proper_prefixes: frozenset[Tokens]  # prefixes strictly shorter than some entry
    max_len: int


def _build(aliases: list[CountryAlias], source: Path) -> _Gazetteer:
    entries: dict[Tokens, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                entries.setdefault(_key(name), country.alpha_2)
    for row in aliases:
        key = _key(row.alias)
        if entries.setdefault(key, row.alpha2) != row.alpha2:
            raise CuratedTableError(
                source, f"alias {row.alias!r} -> {row.alpha2} conflicts with pycountry entry -> {entries[key]}", row.line
            )
    proper = {key[:n] for key in entries for n in range(1, len(key))}
    return _Gazetteer(
        entries=entries,
        prefixes=frozenset(proper | entries.keys()),
        proper_prefixes=frozenset(proper),
        max_len=max(map(len, entries)),
    )


@cache
def _gazetteer() -> _Gazetteer:
    return _build(load_aliases(ALIASES_PATH), ALIASES_PATH)


# --- segmentation -------------------------------------------------------------------

_INF = (1 << 30, 1 << 30)


@lru_cache(maxsize=_CACHE_SIZE)
def _segment(text: str) -> tuple[CountrySpan, ...]:
    """Best segmentation as a tuple (hashable, so the cache can hand it out safely).

    DP over token suffixes: best[s][i] is the cheapest cover of tokens[i:] given that
    token i-1 was unrecognised (s=1) or not (s=0) - the flag matters because a run of
    unrecognised tokens counts as a single span. Cost = (unrecognised tokens, spans),
    compared lexicographically. Only extensions that stay a prefix of some entry are
    tried, so the work is O(n * max entry length) at worst and about O(n) in practice.

    Ties are broken left-greedily (longest first span, then unrecognised last). That
    matters on real lines: "KOREA, REPUBLIC OF COLOMBIA" is both KR + CO and
    KR("KOREA") + CO("Republic of Colombia", its official name); reports print the
    inverted ISO form, so the first reading is the one wanted.
    """
    gaz = _gazetteer()
    tokens = _tokenise(text)
    n = len(tokens)
    if n == 0:
        return ()
    norms = [norm for _, _, norm in tokens]
    best = [[(0, 0)] * (n + 1), [(0, 0)] * (n + 1)]
    # choice[i]: (end token, code) of the recognised entry starting at i, if any is best
    choice: list[list[tuple[int, str | None]]] = [[(0, None)] * n, [(0, None)] * n]
    for i in range(n - 1, -1, -1):
        matches: list[tuple[int, str]] = []
        for j in range(i + 1, min(n, i + gaz.max_len) + 1):
            key = tuple(norms[i:j])
            if key not in gaz.prefixes:
                break
            code = gaz.entries.get(key)
            if code is not None:
                matches.append((j, code))
        for s in (0, 1):
            top, pick = _INF, (i + 1, None)
            for j, code in reversed(matches):  # longest first: ties go to it
                unrec, spans = best[0][j]
                if (unrec, spans + 1) < top:
                    top, pick = (unrec, spans + 1), (j, code)
            unrec, spans = best[1][i + 1]
            if (unrec + 1, spans + (s == 0)) < top:
                top, pick = (unrec + 1, spans + (s == 0)), (i + 1, None)
            best[s][i], choice[s][i] = top, pick
    pieces: list[tuple[int, int, str | None]] = []
    i, s = 0, 0
    while i < n:
        j, code = choice[s][i]
        if code is None and pieces and pieces[-1][2] is None:
            pieces[-1] = (pieces[-1][0], j, None)  # extend the unrecognised run
        else:
            pieces.append((i, j, code))
        i, s = j, int(code is None)
    return tuple(_span(text, tokens, a, b, code) for a, b, code in pieces)


def _span(text: str, tokens: list[tuple[int, int, str]], first: int, stop: int,
          code: str | None) -> CountrySpan:
    """Span over tokens[first:stop], widened over closing punctuation that belongs to it:
    a ")" closing a "(" inside the span ("KOREA (REPUBLIC OF)") and the final "." of a
    dotted abbreviation ("U.S.A.")."""
    start, end = tokens[first][0], tokens[stop - 1][1]
    if text.count("(", start, end) > text.count(")", start, end) and text.startswith(")", end):
        end += 1
    elif code is not None and tokens[stop - 1][1] - tokens[stop - 1][0] == 1 \
            and stop - first > 1 and text.startswith(".", end):
        end += 1
    return CountrySpan(start, end, text[start:end], code)


def segment_countries(text: str) -> list[CountrySpan]:
    """Cover every word token of text with spans, best segmentation first.

    Best = fewest unrecognised tokens, then fewest spans; consecutive unrecognised
    tokens form one span with code None. Punctuation-only stretches belong to no span.
    """
    return list(_segment(text))


def could_start_country(text: str) -> bool:
    """Cheap gate: False when the first word of ``text`` begins no country name or alias, so
    ``text`` is neither a country, a run of countries, nor a wrapped country's first part."""
    match = _TOKEN_RE.search(text)
    return match is not None and (_normalise(match.group()),) in _gazetteer().prefixes


def normalised_words(text: str) -> list[str]:
    """The gazetteer's normalised form of every word token of ``text``."""
    return list(_key(text))


def country_entries() -> list[Tokens]:
    """Every gazetteer entry (name or alias) as its normalised words."""
    return list(_gazetteer().entries)


@lru_cache(maxsize=_CACHE_SIZE)
def country_code(text: str) -> str | None:
    """The alpha-2 code when the whole text is exactly one country, else None."""
    spans = _segment(text)
    return spans[0].code if len(spans) == 1 else None


@lru_cache(maxsize=_CACHE_SIZE)
def is_country_text(text: str) -> bool:
    """True when every word token is covered by recognised spans (and there is one)."""
    spans = _segment(text)
    return bool(spans) and all(span.code is not None for span in spans)


@lru_cache(maxsize=_CACHE_SIZE)
def is_country_prefix(text: str) -> bool:
    """True when text is a proper token-prefix of some entry and is not itself
    all-recognised country text - i.e. the start of a name wrapped onto the next line,
    such as "MACEDONIA, THE FORMER YUGOSLAV" (+ "REPUBLIC OF"). "UNITED STATES" is
    False (it is complete); "MACEDONIA" alone is False (it is a country)."""
    key = _key(text)
    return bool(key) and key in _gazetteer().proper_prefixes and not is_country_text(text)
