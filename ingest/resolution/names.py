"""The structure of a facility name: the words that identify it, its legal forms, its qualifiers.

Printed names differ in case, punctuation, accents, ``&``/``+``/``and``, legal forms and common
abbreviations; those differences are normalised away. What tells sister facilities apart is
never dropped: bracketed places ("(Hong Kong)"), plant designations ("North Plant") and the
place printed after a legal form ("H.C. Starck GmbH Goslar") stay in the key and are also
recorded as *qualifiers*, so the scorer can weigh a qualifier conflict strongly against a match.

The word lists (connectors, abbreviations, plant and compass words) are data, in
``data/gazetteers/name_vocabulary.csv``; legal forms come from ``legal_forms.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from smelterkg.data import GAZETTEERS_DIR
from smelterkg.ingest.curated import read_table
from smelterkg.ingest.vocabulary import fold, vocabulary, words

NAME_VOCABULARY_FILE = GAZETTEERS_DIR / "name_vocabulary.csv"
_BRACKETED = re.compile(r"\(([^()]*)\)")
NAME_VOCABULARY_COLUMNS = ("kind", "label", "value", "source", "date")
_KINDS = ("connector", "abbreviation", "plant", "direction", "alias-marker", "joined-prefix", "ordinary-word")


@dataclass(frozen=True)
class NameWords:
    """The name gazetteer: connectors dropped, abbreviations expanded, site designators."""

    connectors: frozenset[str]
    abbreviations: dict[str, tuple[str, ...]]
    plant_words: frozenset[str]
    directions: frozenset[str]
    alias_markers: frozenset[tuple[str, ...]]  # phrases that introduce another name: dropped
    joined_prefixes: frozenset[str]
    ordinary_words: frozenset[str]  # printed exactly so inside a name, not a legal form
    legal_forms: frozenset[tuple[str, ...]]

    @cached_property
    def longest_legal_form(self) -> int:  # read for every token of every name: computed once
        return max((len(form) for form in self.legal_forms), default=0)

    @cached_property
    def legal_form_ends(self) -> frozenset[str]:
        """The last word of every legal form: a token that is none ends no legal form."""
        return frozenset(form[-1] for form in self.legal_forms)


def load_name_words(path: Path = NAME_VOCABULARY_FILE) -> NameWords:
    """Read and validate the name gazetteer (every row needs its evidence)."""
    kinds: dict[str, dict[str, str]] = {kind: {} for kind in _KINDS}
    for row in read_table(path, NAME_VOCABULARY_COLUMNS, filled=("label",), unique=("kind", "label")):
        if row["kind"] not in kinds:
            raise row.error(f"unknown kind {row['kind']!r} (expected one of {', '.join(_KINDS)})")
        kinds[row["kind"]][fold(row["label"])] = fold(row["value"])
    legal_forms = frozenset(
        tuple(word for _, _, word in words(form)) for form in vocabulary().legal_forms if words(form)
    )
    return NameWords(
        connectors=frozenset(kinds["connector"]),
        abbreviations={abbr: tuple(value.split()) for abbr, value in kinds["abbreviation"].items()},
        plant_words=frozenset(kinds["plant"]),
        directions=frozenset(kinds["direction"]),
        alias_markers=frozenset(tuple(w for _, _, w in words(label)) for label in kinds["alias-marker"]),
        joined_prefixes=frozenset(kinds["joined-prefix"]),
        ordinary_words=frozenset(kinds["ordinary-word"]),
        legal_forms=legal_forms,
    )


@lru_cache(maxsize=1)
def name_words() -> NameWords:
    return load_name_words()


@dataclass(frozen=True)
class NameStructure:
    """One printed name, taken apart.

    ``core``: the identifying words in order (folded, legal forms and connectors removed,
    abbreviations expanded, simple plurals singular), qualifiers included.
    ``key``: the core words run together: the normalised key ("H.C. Starck" and "HC Starck"
    meet). ``qualifiers``: the site-telling parts (bracketed places, plant designations, a place
    after a legal form). ``acronyms``: initials a filer might print instead of the name.
    """

    printed: str
    core: tuple[str, ...]
    legal_forms: tuple[str, ...]
    qualifiers: tuple[str, ...]
    acronyms: tuple[str, ...]

    @property
    def key(self) -> str:
        return "".join(self.core)

    @property
    def spaced(self) -> str:
        return " ".join(self.core)


def _singular(word: str) -> str:
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _split_legal_forms(tokens: list[tuple[str, str]], vocab: NameWords) -> tuple[list[tuple[str, bool]], list[str]]:
    """Mark each (printed, folded) token as legal form or not. Phrases are matched longest first
    from the end of the name ("T.C.A S.p.A" ends in S.p.A., not A.S.); a form that is also an
    ordinary word, printed as that word inside the name ("trading as"), is that word."""
    marked: list[tuple[str, bool]] = []
    forms: list[str] = []
    i = len(tokens)
    while i > 0:
        if tokens[i - 1][1] not in vocab.legal_form_ends:
            marked.insert(0, (tokens[i - 1][1], False))
            i -= 1
            continue
        for size in range(min(vocab.longest_legal_form, i), 0, -1):
            phrase = tuple(folded for _, folded in tokens[i - size : i])
            printed = "".join(text for text, _ in tokens[i - size : i])
            ordinary_word = printed in vocab.ordinary_words  # "as" in "trading as"
            if phrase in vocab.legal_forms and (i == len(tokens) or not ordinary_word):
                forms.append(" ".join(phrase))
                marked[:0] = [(token, True) for token in phrase]
                i -= size
                break
        else:
            marked.insert(0, (tokens[i - 1][1], False))
            i -= 1
    forms.reverse()
    return marked, forms


def _initials(tokens: list[str]) -> str:
    return "".join(token[0] for token in tokens if token)


def _plant_qualifiers(tokens: list[str], vocab: NameWords) -> list[str]:
    """Site designations inside the name: 'north plant', 'plant 2', 'no 3 plant'."""
    found = []
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        before = tokens[i - 1] if i > 0 else ""
        if token in vocab.directions and (after in vocab.plant_words or not after):
            found.append(f"{token} {after}".strip())
        elif token.isdigit() and (before in vocab.plant_words or before == "no" or after in vocab.plant_words):
            found.append(f"{before} {token}" if before in vocab.plant_words or before == "no" else f"{token} {after}")
    return found


def _drop_phrases(tokens: list[str], phrases: frozenset[tuple[str, ...]]) -> tuple[list[str], bool]:
    """Remove every occurrence of the phrases ("trading as", "t a"); say whether any was found."""
    kept: list[str] = []
    found = False
    i = 0
    while i < len(tokens):
        for phrase in phrases:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                found = True
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept, found


_SHORT_HYPHENATED = re.compile(r"\b([^\W\d_]{1,3})-([^\W\d_]{1,3})\b")


def _join_prefixes(tokens: list[str], vocab: NameWords) -> list[str]:
    """'non ferrous' -> 'nonferrous': a prefix printed hyphenated or joined is one word."""
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] in vocab.joined_prefixes:
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def digits(text: str) -> str:
    """The digits of a name key or spelling, in order: two spellings one edit apart are one name
    only when these agree (plant numbers, "Unit 1" / "Unit 2", stay apart)."""
    return "".join(ch for ch in text if ch.isdigit())


@lru_cache(maxsize=1 << 17)
def structure(printed: str) -> NameStructure:
    """Take a printed name apart (cached: names repeat across rows and reports)."""
    vocab = name_words()
    # short syllables printed hyphenated or joined ("Zi-Li" / "Zili", "Met-Mex") are one word
    text = _SHORT_HYPHENATED.sub(r"\1\2", printed)
    outside = _BRACKETED.sub(" ", text)
    bracketed = [m.group(1) for m in _BRACKETED.finditer(text)]
    raw = [(outside[start:end], word) for start, end, word in words(outside)]
    marked, forms = _split_legal_forms(raw, vocab)
    plain, _ = _drop_phrases(
        [token for token, is_form in marked if not is_form and token not in vocab.connectors], vocab.alias_markers
    )
    qualifiers: list[str] = []
    # A place printed after a legal form that follows the name ("H.C. Starck GmbH Goslar").
    last_form = max((i for i, (_, is_form) in enumerate(marked) if is_form), default=-1)
    if last_form > 0 and any(not is_form for _, is_form in marked[:last_form]):
        tail = [token for token, is_form in marked[last_form + 1 :] if not is_form and token not in vocab.connectors]
        if tail:
            qualifiers.append(" ".join(tail))
    qualifiers.extend(_plant_qualifiers(plain, vocab))
    acronyms = {_initials([t for t, _ in marked if t not in vocab.connectors]), _initials(plain)}
    bracket_words: list[str] = []
    for content in bracketed:
        inner_tokens = [(content[start:end], word) for start, end, word in words(content)]
        inner = [word for _, word in inner_tokens]
        inner_plain, introduced = _drop_phrases(
            [t for t, is_form in _split_legal_forms(inner_tokens, vocab)[0] if not is_form and t not in vocab.connectors],
            vocab.alias_markers,
        )
        if not inner_plain:
            forms.extend(inner)  # "(Pty)" and other bracketed legal forms
            continue
        is_alias = introduced or _initials(inner) in plain or "".join(inner) in acronyms or _initials(inner_plain) in plain
        if not is_alias:
            qualifiers.append(" ".join(inner_plain))
        else:
            acronyms.add(_initials(inner))
        bracket_words.extend(inner_plain)
    core: list[str] = []
    for token in plain + bracket_words:
        core.extend(_singular(part) for part in vocab.abbreviations.get(token, (token,)))
    core = _join_prefixes([token.replace("'", "") for token in core], vocab)
    return NameStructure(
        printed=printed,
        core=tuple(core),
        legal_forms=tuple(forms),
        qualifiers=tuple(dict.fromkeys(qualifiers)),
        acronyms=tuple(sorted(a for a in acronyms if len(a) >= 2)),
    )
