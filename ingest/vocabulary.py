"""Gazetteers of the words a smelter table is made of: metals, status wordings, header words
and legal forms. They live as data in ``data/gazetteers/`` (each row with its evidence); this
module loads and validates them once and answers "is this text a sequence of X?".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smelterkg.data import GAZETTEERS_DIR
from smelterkg.ingest.curated import CuratedTableError, read_table

VOCABULARY_FILE = GAZETTEERS_DIR / "table_vocabulary.csv"
LEGAL_FORMS_FILE = GAZETTEERS_DIR / "legal_forms.csv"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


VocabularyError = CuratedTableError
"""A gazetteer is malformed (``file:line: reason``): the one curated-table error."""


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Casefold, strip accents and unify apostrophes: the comparison form of a word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[tuple[int, int, str], ...]:
    """Word tokens of ``text`` as (start, end, folded word); punctuation separates words."""
    return tuple((m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text))


@dataclass(frozen=True)
class StatusWording:
    label: str
    code: str
    scheme: str


@dataclass(frozen=True)
class Term:
    """One recognised term inside a text: its printed span and what it means."""

    start: int
    end: int
    text: str
    value: str


VOCABULARY_COLUMNS = ("kind", "label", "value", "scheme", "source", "date")
LEGAL_FORM_COLUMNS = ("form", "kind", "source", "date")


class _PhraseTable:
    """Token-sequence lookup: longest phrase first, so 'Full Compliant' beats 'Compliant'."""

    def __init__(self, phrases: dict[tuple[str, ...], str]):
        self._phrases = phrases
        self._longest = max((len(key) for key in phrases), default=0)

    def terms(self, text: str) -> list[Term] | None:
        """All word tokens of ``text`` covered by phrases, or None when any word is not."""
        tokens = words(text)
        if not tokens:
            return None
        terms: list[Term] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                key = tuple(word for _, _, word in tokens[i : i + size])
                value = self._phrases.get(key)
                if value is not None:
                    start, end = tokens[i][0], tokens[i + size - 1][1]
                    terms.append(Term(start, end, text[start:end], value))
                    i += size
                    break
            else:
                return None
        return terms

    def __contains__(self, word: str) -> bool:
        return (fold(word),) in self._phrases

    def phrases(self) -> list[tuple[str, ...]]:
        """Every phrase of the table, as its folded words."""
        return list(self._phrases)


class Vocabulary:
    """The loaded gazetteers. Use :func:`vocabulary` for the shared, validated instance."""

    def __init__(self, vocabulary_file: Path = VOCABULARY_FILE, legal_forms_file: Path = LEGAL_FORMS_FILE):
        rows = read_table(
            vocabulary_file, VOCABULARY_COLUMNS, filled=("kind", "label"), unique=("kind", "label", "scheme")
        )
        metals: dict[tuple[str, ...], str] = {}
        statuses: dict[tuple[str, ...], str] = {}
        self.status_wordings: dict[str, list[StatusWording]] = {}
        headers: dict[tuple[str, ...], str] = {}
        for row in rows:
            key = tuple(word for _, _, word in words(row["label"]))
            if row["kind"] == "metal":
                metals[key] = row["value"]
            elif row["kind"] == "status":
                statuses[key] = " ".join(key)
                self.status_wordings.setdefault(" ".join(key), []).append(
                    StatusWording(row["label"], row["value"], row["scheme"])
                )
            elif row["kind"] == "header":
                headers[key] = row["label"]
            else:
                raise row.error(f"unknown kind {row['kind']!r} (expected one of metal, status, header)")
        self.metals = _PhraseTable(metals)
        self.statuses = _PhraseTable(statuses)
        self.headers = _PhraseTable(headers)
        self.legal_forms = frozenset(
            fold(row["form"]).rstrip(",")
            for row in read_table(
                legal_forms_file, LEGAL_FORM_COLUMNS, ("form", "source", "date"), filled=("form",), unique=("form",)
            )
        )

    def status_schemes(self, folded_label: str) -> list[StatusWording]:
        return self.status_wordings.get(folded_label, [])

    def is_legal_form(self, token: str) -> bool:
        """True for a printed token such as 'Ltd.', 'Co.,', 'GmbH', 'S.p.A.'."""
        return fold(token).rstrip(",;") in self.legal_forms


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary()
